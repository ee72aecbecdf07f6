//! The app: the terminal, the event loop, and `touchbase screen`. State lives in [`app`],
//! keys go through [`keymap`] and [`update`], drawing is in [`views`].

pub mod action;
pub mod app;
mod bulk;
pub mod editor;
mod enrolling;
pub mod fix;
pub mod inbox_sync;
pub mod keymap;
pub mod launch;
mod line_edit;
pub mod lint_cache;
pub mod modal;
pub mod prompt;
pub mod prospect_form;
pub mod prospect_list;
mod queue;
mod replies;
pub mod schedule;
pub mod sending;
pub mod sequence_list;
pub mod setup;
pub mod stats_view;
mod submit;
pub mod svg;
mod touch_text;
pub mod upcoming;
pub mod update;
pub mod views;
pub mod when;
pub mod work;

pub use crate::clock::Clock;
pub use app::App;
pub use update::{Effect, handle_key};

use crate::clipboard::{Clipboard, SystemClipboard};
use crate::desk::Desk;
use anyhow::{Context, Result};
use crossterm::event::{self, Event};
use launch::{Launcher, SystemLauncher};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::{DefaultTerminal, Terminal};
use std::time::{Duration, Instant};
use unicode_width::UnicodeWidthStr;

/// Opens the app on `desk` and runs it until the rep quits. The terminal is restored on the
/// way out, also after an error or a panic.
/// `first_run`: with no config.toml yet, ask the rep who they are before anything else.
pub fn run_app(desk: Desk, clock: Clock, first_run: bool) -> Result<()> {
    let app = App::new(
        desk,
        clock,
        Box::new(SystemClipboard::from_env()),
        Box::new(SystemLauncher),
    )?;
    let mut app = app;
    if first_run {
        app.offer_setup();
    }
    app.inbox = inbox_sync::InboxSync::start(&app.desk);
    // Emails left waiting by the last session go as soon as they may.
    sending::resume(&mut app);
    app.color = color_wanted();
    let mut terminal = ratatui::try_init().context("starting the terminal")?;
    let result = event_loop(&mut terminal, &mut app);
    ratatui::restore();
    if let Some(said) = sending::left_waiting(&app) {
        eprintln!("{said}");
    }
    // An edit not yet sent is kept, and the rep is told, whichever way the app ended.
    if let Some(said) = app.keep_drafts() {
        eprintln!("{said}");
    }
    result
}

/// `NO_COLOR` set to anything non-empty turns colours off (no-color.org).
pub fn color_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// How often the app looks for another writer's changes: one pragma, well under a frame.
const WATCH: Duration = Duration::from_millis(500);
/// How often a real clock redraws for the prospects' moving local times.
const CLOCK_TICK: Duration = Duration::from_secs(30);

/// Says once, on the status line, when the day's snapshot (taken in the background at start)
/// failed: a damaged book names the snapshot to put back.
fn snapshot_news(app: &mut App) {
    if app.snapshot_said {
        return;
    }
    if let Some(problem) = app.desk.snapshot_problem() {
        app.snapshot_said = true;
        let said = match problem.strip_prefix("the book is damaged") {
            Some(rest) => format!("The book is damaged{rest}"),
            None => format!("The day's snapshot failed: {problem}"),
        };
        app.set_status(said, app::Tone::Error);
    }
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> Result<()> {
    let mut last_tick = Instant::now();
    loop {
        let size = terminal.size()?;
        if (size.width, size.height) != app.size {
            app.size = (size.width, size.height);
            app.sync();
        }
        draw_frame(terminal, app)?;
        if !event::poll(WATCH)? {
            inbox_sync::poll(app);
            sending::poll(app);
            snapshot_news(app);
            if app.changed_elsewhere() {
                app.refresh_from_elsewhere();
            } else if app.clock.is_live() && last_tick.elapsed() >= CLOCK_TICK {
                // The prospects' local times move, and at midnight a new day comes due.
                last_tick = Instant::now();
                if let Err(e) = app.reload() {
                    app.set_status(format!("{e:#}"), app::Tone::Error);
                }
                app.sync();
            }
            continue;
        }
        match event::read()? {
            Event::Key(key) => match handle_key(app, key) {
                Effect::Quit => return Ok(()),
                Effect::Edit(req) => {
                    let edited = with_terminal_released(terminal, || {
                        editor::edit(&editor::to_file_text(&req.text))
                    })?;
                    work::finish_edit(app, req, edited);
                }
                Effect::EditProspect(file) => {
                    let saved = with_terminal_released(terminal, || {
                        editor::edit_file(&file.text, ".toml")
                    })?;
                    fix::finish_edit(app, file, saved);
                }
                Effect::None => {}
            },
            // The next pass through the loop picks the new size up and redraws.
            Event::Resize(_, _) => {}
            _ => {}
        }
    }
}

/// Hands the terminal to another program (the editor) and takes it back after.
fn with_terminal_released<T>(terminal: &mut DefaultTerminal, f: impl FnOnce() -> T) -> Result<T> {
    ratatui::try_restore().context("handing the terminal to the editor")?;
    let out = f();
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    terminal.clear()?;
    Ok(out)
}

/// The app's first frame as plain text, drawn by the same code into an off-screen buffer.
pub fn screen(desk: Desk, clock: Clock, width: u16, height: u16) -> Result<String> {
    Ok(render_text(&offscreen(desk, clock, width, height)?))
}

/// The app at a size, drawn off-screen (it copies and opens nothing): what `screen` draws,
/// and what the benchmarks press keys in.
pub fn offscreen(desk: Desk, clock: Clock, width: u16, height: u16) -> Result<App> {
    let mut app = App::new(desk, clock, Box::new(NoClipboard), Box::new(NoLauncher))?;
    app.size = (width, height);
    app.sync();
    Ok(app)
}

/// Draws one frame of `app` on `terminal`: what the event loop does after every key (the
/// benchmark times a key to this on a terminal backend of its own).
pub fn draw_frame<B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
    app: &App,
) -> Result<(), B::Error> {
    terminal.draw(|f| views::draw(app, f))?;
    Ok(())
}

/// A key by the name the app's help and `screen --keys` use: one character, `space`,
/// `Enter`, `Esc`, `Tab`, `Backspace`, `Up`, `Down`, `Left`, `Right`.
pub fn key_named(name: &str) -> Option<crossterm::event::KeyEvent> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let code = match name {
        "space" => KeyCode::Char(' '),
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "Backspace" => KeyCode::Backspace,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        one => {
            let mut chars = one.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => KeyCode::Char(c),
                _ => return None,
            }
        }
    };
    Some(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Draws `app` at its size and returns the screen as text, one line per row.
pub fn render_text(app: &App) -> String {
    buffer_text(&render_buffer(app))
}

/// Draws `app` at its size into an off-screen buffer.
pub fn render_buffer(app: &App) -> Buffer {
    let (w, h) = app.size;
    let mut terminal = match Terminal::new(TestBackend::new(w, h)) {
        Ok(t) => t,
        // The test backend cannot fail; an empty buffer says so if it ever does.
        Err(_) => return Buffer::empty(ratatui::layout::Rect::new(0, 0, w, h)),
    };
    let _ = terminal.draw(|f| views::draw(app, f));
    terminal.backend().buffer().clone()
}

/// A drawn buffer as lines of text, trailing blanks trimmed; the cell after a wide
/// character is skipped as the terminal would.
pub fn buffer_text(buf: &Buffer) -> String {
    let width = usize::from(buf.area.width);
    let mut out = String::new();
    for row in buf.content.chunks(width.max(1)) {
        let mut line = String::new();
        let mut skip = 0;
        for cell in row {
            if skip == 0 {
                line.push_str(cell.symbol());
            }
            skip = skip.max(cell.symbol().width()).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `screen` copies and opens nothing.
struct NoClipboard;

impl Clipboard for NoClipboard {
    fn copy(&mut self, _: &str) -> Result<crate::clipboard::Reached, String> {
        Err("no clipboard in a screen dump".to_string())
    }
}

struct NoLauncher;

impl Launcher for NoLauncher {
    fn open(&mut self, _: &str) -> Result<String, String> {
        Err("nothing opens in a screen dump".to_string())
    }
}
