//! The command line: one function per subcommand, all on top of [`crate::desk`].

pub mod args;
mod backup;
pub mod complete;
mod config;
mod doctor;
mod due;
mod init;
mod man;
mod prospects;
mod send;
mod sequences;
mod show;
mod stats;

pub use args::Cli;

use crate::config::Config;
use crate::content::Library;
use crate::desk::Desk;
use crate::paths;
use anyhow::{Result, anyhow, bail};
use args::{Command, Global};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs the parsed command line. A storage failure reading the database (a damaged page, a
/// busy file) is said in words that name it, as a failed write already is.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let g = cli.global.clone();
    // These name their own files: a backup's failure is not the database's.
    let about_db = !matches!(
        cli.command,
        Some(Command::Backup(_) | Command::Restore(_) | Command::Demo(_))
    );
    run_command(cli).map_err(|e| match db_path(&g) {
        Ok(path) if about_db => crate::desk::book::explain_error(e, &path),
        _ => e,
    })
}

fn run_command(cli: Cli) -> Result<ExitCode> {
    let g = &cli.global;
    let now = clock(g)?;
    match cli.command {
        None => open_app(g),
        Some(Command::Demo(a)) => open_demo(g, now, &a),
        Some(Command::Add(a)) => prospects::add(&mut *desk(g)?, &a, now),
        Some(Command::Edit(a)) => prospects::edit(&mut *existing_desk(g)?, &a, now),
        Some(Command::Import(a)) => {
            let mut d = open_desk(g, a.dry_run)?;
            d.keep_daily_snapshots();
            prospects::import(&mut Guarded(d), &a, now)
        }
        Some(Command::Export(a)) => existing_desk(g)?.export(&a, now),
        Some(Command::Enroll(a)) => prospects::enroll(&mut *existing_desk(g)?, &a, now),
        Some(Command::Due(a)) => due::due(&*existing_desk(g)?, &a, now),
        Some(Command::Log(a)) => prospects::log(&mut *existing_desk(g)?, &a, now),
        Some(Command::Undo) => prospects::undo(&mut *existing_desk(g)?, now),
        Some(Command::Show(a)) => show::show(&*existing_desk(g)?, &a, now),
        Some(Command::Sequences(c)) => sequences::run(g, &c),
        Some(Command::Config) => config::print(g),
        Some(Command::Completions { shell }) => {
            // The script asks `touchbase` itself for each completion (`COMPLETE=<shell>`),
            // so sequence names and prospects are today's. Made whole first, then written: a
            // closed pipe (`| head`) is an error to handle, not a panic.
            let mut script = Vec::new();
            complete::registration(shell, &mut script)?;
            std::io::Write::write_all(&mut std::io::stdout().lock(), &script)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => {
            let page = man::page()?;
            std::io::Write::write_all(&mut std::io::stdout().lock(), &page)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Init) => init::run(g),
        Some(Command::Backup(a)) => backup::backup(&*existing_desk(g)?, &a, now),
        Some(Command::Restore(a)) => backup::restore(g, &a, now),
        Some(Command::Doctor(a)) => doctor::run(g, &a),
        Some(Command::Screen(a)) => screen(g, &a),
        Some(Command::ServeClipboard) => {
            crate::clipboard::serve_stdin()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Stats(a)) => stats::run(&*existing_desk(g)?, &a, now),
        Some(Command::Send(a)) => send::run(g, &a, now),
        Some(Command::Outbox(a)) => send::outbox(g, &a, now),
        Some(Command::Inbox(a)) => {
            let mut desk = desk(g)?;
            if let Some(id) = &a.again {
                desk.forget_message(id)?;
            }
            let synced = desk.sync_inbox(a.dry_run, now)?;
            if a.json {
                crate::text::write_json(&mut std::io::stdout().lock(), &synced.messages)?;
            } else {
                for m in &synced.messages {
                    println!(
                        "{:<10} {:<32} {}  {}",
                        m.kind,
                        crate::text::sanitize(m.from.as_deref().unwrap_or("")),
                        crate::text::sanitize(&m.subject),
                        m.action
                    );
                }
                let verb = if a.dry_run {
                    " (dry run: nothing changed)"
                } else {
                    ""
                };
                println!("{}{verb}", synced.summary);
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Vacation(a)) => {
            let today = now.date();
            let first = parse_date(&a.from, "--from", today)?;
            let last = parse_date(&a.to, "--to", today)?;
            println!("{}", desk(g)?.vacation(first, last, now)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn open_app(g: &Global) -> Result<ExitCode> {
    let mut desk = open_desk(g, false)?;
    desk.keep_daily_snapshots();
    desk.daily_snapshot_in_background(clock(g)?);
    crate::tui::run_app(desk, app_clock(g)?, true)?;
    Ok(ExitCode::SUCCESS)
}

/// `touchbase screen`: the app's first frame as text or SVG, at the given size, else the
/// terminal's, else 80×24, after pressing `--keys` (on a copy of the database in memory:
/// nothing they do reaches the file).
fn screen(g: &Global, a: &args::ScreenArgs) -> Result<ExitCode> {
    use std::io::{IsTerminal, Write};
    let term = std::io::stdout()
        .is_terminal()
        .then(|| crossterm::terminal::size().ok())
        .flatten();
    let width = a.width.or(term.map(|t| t.0)).unwrap_or(80);
    let height = a.height.or(term.map(|t| t.1)).unwrap_or(24);
    let keys = a
        .keys
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(|k| {
            crate::tui::key_named(k).ok_or_else(|| {
                anyhow!("--keys: '{k}' is not a key (a character, space, Enter, Esc, Tab, Backspace, Up, Down)")
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // The file is opened as the app opens it. Keys may act (log, undo): what they do stays
    // in a transaction that is never committed.
    let mut desk = open_desk_with(g, Opening::Existing)?;
    if !keys.is_empty() {
        desk.rehearse_from_here()?;
    }
    let mut app = crate::tui::offscreen(desk, app_clock(g)?, width, height)?;
    for key in keys {
        crate::tui::handle_key(&mut app, key);
    }
    let buffer = crate::tui::render_buffer(&app);
    let text = if a.svg {
        crate::tui::svg::buffer_svg(&buffer)
    } else {
        crate::tui::buffer_text(&buffer)
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The app's clock: frozen at `--now`, else the real one (which keeps moving) on the rep's
/// clock.
pub fn app_clock(g: &Global) -> Result<crate::tui::Clock> {
    Ok(match &g.now {
        Some(s) => crate::tui::Clock::Fixed(parse_now(s)?),
        None => crate::tui::Clock::Live(rep_zone(g)),
    })
}

/// The rep's zone from `config.toml`, else the system's. A config that does not read is
/// reported by the command itself; the clock then keeps the system's.
fn rep_zone(g: &Global) -> crate::clock::Zone {
    let timezone = config_dir(g)
        .ok()
        .and_then(|dir| Config::load(&dir).ok())
        .and_then(|c| c.timezone);
    crate::clock::Zone::from_config(timezone.as_deref())
}

/// `touchbase demo`: builds the demo database (never the real one), then opens the app on it,
/// or with `--no-open` prints its queue.
fn open_demo(g: &Global, now: NaiveDateTime, a: &args::DemoArgs) -> Result<ExitCode> {
    let path = match &g.db {
        Some(p) => p.clone(),
        None => paths::default_demo_db()?,
    };
    // Lived on the rep's clock, so its calls fall in the prospects' hours as the desk reads
    // them.
    let zone = crate::clock::Zone::from_config(Config::load(&config_dir(g)?)?.timezone.as_deref());
    let summary = crate::demo::build_in(&path, a.prospects, now, zone)?;
    eprintln!("{summary}");
    let on_demo = Global {
        db: Some(path.clone()),
        ..g.clone()
    };
    // The demo is for trying things: it keeps no snapshots.
    let d = open_desk(&on_demo, false)?;
    if a.no_open {
        eprintln!(
            "The demo database is {}; your real data is untouched. Its queue:",
            path.display()
        );
    } else {
        eprintln!(
            "Opening the demo database at {}; your real data is untouched.",
            path.display()
        );
    }
    if a.no_open {
        due::print_queue(&d, now)?;
    } else {
        // The demo is signed by its own fictional rep: no questions.
        crate::tui::run_app(d, app_clock(g)?, false)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `--now`, or the local clock.
pub fn clock(g: &Global) -> Result<NaiveDateTime> {
    match &g.now {
        Some(s) => parse_now(s),
        None => Ok(rep_zone(g).now()),
    }
}

/// A date-time (`2026-11-23T10:30[:00]`, a space works too) or a date, meaning 09:00.
pub fn parse_now(s: &str) -> Result<NaiveDateTime> {
    let s = s.trim();
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            // The same years as a date.
            within_years(t.date(), "--now")?;
            return Ok(t);
        }
    }
    let d = parse_iso_date(s, "--now")?;
    Ok(d.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN)))
}

/// The years a date given on the command line may fall in: a rep's calendar, with room.
const YEARS: std::ops::RangeInclusive<i32> = 1970..=2200;

/// A day given to an option, read as the app's prompts read it (`2026-12-07`, `fri`,
/// `+2w`, `next tue`, `jan 11`…) against `today`.
pub fn parse_date(s: &str, what: &str, today: NaiveDate) -> Result<NaiveDate> {
    let d = crate::domain::when::parse_day(s, today).map_err(|e| anyhow!("{what}: {e}"))?;
    within_years(d, what)
}

/// A day in the past given to a `--since` (`2026-11-02`, `-7`, `-2w`, `fri`, `jan 11`).
pub fn parse_since(s: &str, what: &str, today: NaiveDate) -> Result<NaiveDate> {
    let d = crate::domain::when::parse_past_day(s, today).map_err(|e| anyhow!("{what}: {e}"))?;
    within_years(d, what)
}

/// A day and a time given to an option (`tue 3pm`, `2026-12-07T14:00`), as the app reads one.
pub fn parse_moment(s: &str, what: &str, now: NaiveDateTime) -> Result<NaiveDateTime> {
    let at = crate::domain::when::parse_moment(s, now)
        .map_err(|e| anyhow!("{what}: {e}"))?
        .ok_or_else(|| anyhow!("{what}: give a day and a time, like tue 3pm"))?;
    within_years(at.date(), what)?;
    Ok(at)
}

/// `--now` itself: a calendar date only, since nothing is there to count from.
fn parse_iso_date(s: &str, what: &str) -> Result<NaiveDate> {
    let d = s
        .trim()
        .parse::<NaiveDate>()
        .map_err(|_| anyhow!("{what}: '{s}' is not a date (use YYYY-MM-DD)"))?;
    within_years(d, what)
}

fn within_years(d: NaiveDate, what: &str) -> Result<NaiveDate> {
    if !YEARS.contains(&d.year()) {
        bail!(
            "{what}: {d} is outside the years touchbase plans in ({} to {})",
            YEARS.start(),
            YEARS.end()
        );
    }
    Ok(d)
}

pub(crate) fn config_dir(g: &Global) -> Result<PathBuf> {
    match &g.config_dir {
        Some(d) => Ok(d.clone()),
        None => paths::default_config_dir(),
    }
}

fn library(g: &Global) -> Result<Library> {
    let dir = config_dir(g)?;
    let config = Config::load(&dir)?;
    Ok(Library::new(Some(&dir)).with_cool_off(config.cool_off_days))
}

fn db_path(g: &Global) -> Result<PathBuf> {
    match &g.db {
        Some(p) => Ok(p.clone()),
        None => paths::default_db(),
    }
}

/// Opens the store, the sequences and the config named by the global options, keeping the
/// daily snapshot.
pub fn desk(g: &Global) -> Result<Guarded> {
    let mut desk = open_desk(g, false)?;
    desk.keep_daily_snapshots();
    Ok(Guarded(desk))
}

/// [`desk`] for a command that reads or changes what a book holds: with no book at the path
/// (a typo, a deleted file) it says so instead of making an empty one.
fn existing_desk(g: &Global) -> Result<Guarded> {
    let mut desk = open_desk_with(g, Opening::Existing)?;
    desk.keep_daily_snapshots();
    Ok(Guarded(desk))
}

/// Refuses a path with no book at it, before anything is made there.
fn require_book(path: &Path) -> Result<()> {
    if std::fs::symlink_metadata(path).is_err() {
        bail!(
            "no book at {}: `touchbase add` or `touchbase import FILE` starts one, `touchbase demo` shows one",
            path.display()
        );
    }
    Ok(())
}

/// How a command opens the book: making one where there is none, only the one that is
/// there, or (a dry run) one in memory when there is none.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Opening {
    Create,
    Existing,
    Rehearsal,
}

/// A desk whose daily snapshot, if it failed, is reported as a warning when the command ends.
pub struct Guarded(Desk);

impl std::ops::Deref for Guarded {
    type Target = Desk;
    fn deref(&self) -> &Desk {
        &self.0
    }
}

impl std::ops::DerefMut for Guarded {
    fn deref_mut(&mut self) -> &mut Desk {
        &mut self.0
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        if let Some(problem) = self.0.snapshot_problem() {
            WARNINGS.with(|w| {
                w.borrow_mut()
                    .push(format!("the daily backup failed: {problem}"))
            });
        }
    }
}

/// Like [`desk`]; a rehearsal (`--dry-run`) on a database that does not exist yet runs on an
/// empty one in memory, so that it creates no file.
fn open_desk(g: &Global, rehearsal: bool) -> Result<Desk> {
    open_desk_with(
        g,
        if rehearsal {
            Opening::Rehearsal
        } else {
            Opening::Create
        },
    )
}

fn open_desk_with(g: &Global, how: Opening) -> Result<Desk> {
    // A broken config or an odd file says so first: those are what to fix.
    let dir = config_dir(g)?;
    let config = Config::load(&dir)?;
    let path = db_path(g)?;
    crate::desk::book::refuse_odd_file(&path)?;
    if how == Opening::Existing {
        require_book(&path)?;
    }
    let rehearsal = how == Opening::Rehearsal;
    let library = Library::new(Some(&dir)).with_cool_off(config.cool_off_days);
    let desk = if rehearsal && !path.exists() {
        Desk::in_memory(library, config)?
    } else {
        if std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == 0) {
            warn(format!(
                "{} was an empty file; a new book was made in it",
                path.display()
            ));
        }
        if path.exists() && crate::desk::book::will_upgrade(&path) {
            // Said before the wait: a big book takes some seconds, once.
            eprintln!(
                "Upgrading {} for this version of touchbase (once; a big book takes a few seconds)…",
                path.display()
            );
        }
        Desk::open(&path, library, config)?
    };
    // A broken file of the rep's own is never skipped in silence.
    WARNINGS.with(|w| w.borrow_mut().extend(desk.library_problems()));
    Ok(desk)
}

thread_local! {
    /// Warnings for the end of the command (see [`take_warnings`]).
    static WARNINGS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Adds a warning to print when the command ends.
pub(crate) fn warn(w: String) {
    WARNINGS.with(|all| all.borrow_mut().push(w));
}

/// The warnings the command gathered, each once, to print on stderr when it ends. One the
/// command's own error already says is left out by the caller.
pub fn take_warnings() -> Vec<String> {
    let mut all = WARNINGS.with(|w| std::mem::take(&mut *w.borrow_mut()));
    let mut seen = std::collections::HashSet::new();
    all.retain(|w| seen.insert(w.clone()));
    all
}
