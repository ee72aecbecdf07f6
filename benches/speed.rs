//! How fast the things a rep waits for are, and how that grows with the book: for demo books
//! of 1,000, 10,000 and 100,000 prospects (`BENCH_SIZES=10000,100000,1000000` to choose; a
//! million is run by hand), the first frame, today's queue, a logged outcome and its undo,
//! the Stats numbers, every key of a session in the app from key to drawn frame (search as
//! you type included), an import, and the file's bytes per prospect. A key is timed as the
//! app's event loop serves it: handled, then drawn through ratatui's terminal backend for
//! crossterm, whose escape sequences go to a sink instead of a terminal. Run with `cargo bench --bench speed`. The table goes to
//! stdout, and each figure to `target/bench/speed.tsv` (what `benches/vs-taskwarrior.sh`
//! reads).
// The benchmark may panic: a failed expectation is how they report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use chrono::NaiveDateTime;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};
use touchbase::config::Config;
use touchbase::content::Library;
use touchbase::desk::{Desk, Happened, LogRequest};
use touchbase::domain::{Event, Outcome};
use touchbase::import::ImportOptions;
use touchbase::stats::Filter;
use touchbase::tui::{App, Clock, draw_frame, handle_key, render_buffer};

/// Figures by name, then by book size: median, 95th percentile and worst, in milliseconds.
type Table = BTreeMap<&'static str, BTreeMap<usize, [f64; 3]>>;

/// The rows of the table, in the order they print.
const ROWS: &[&str] = &[
    "demo build (s)",
    "bytes per prospect",
    "first frame: open, queue, draw",
    "today's queue",
    "log an outcome",
    "undo it",
    "stats, all time",
    "stats, last 30 days",
    "key: switch view",
    "key: open Stats",
    "key: Stats period",
    "key: search keystroke",
    "key: move in Prospects",
    "key: last / first prospect",
    "key: log from the queue",
    "import 1,000 rows (s)",
];

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn summary(mut samples: Vec<Duration>) -> [f64; 3] {
    samples.sort();
    let n = samples.len().max(1);
    let median = samples.get(n / 2).copied().unwrap_or_default();
    // The sample at or above 95% of them: of 20, the 19th.
    let p95 = samples
        .get((n * 95).div_ceil(100) - 1)
        .copied()
        .unwrap_or_default();
    let worst = samples.last().copied().unwrap_or_default();
    [ms(median), ms(p95), ms(worst)]
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn special(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// The terminal a session's keys are drawn on: the app's own backend, writing its escape
/// sequences to a sink, at a fixed size (a sink has none to ask).
type Screen = Terminal<CrosstermBackend<std::io::Sink>>;

fn screen(width: u16, height: u16) -> Screen {
    let viewport = Viewport::Fixed(Rect::new(0, 0, width, height));
    Terminal::with_options(
        CrosstermBackend::new(std::io::sink()),
        TerminalOptions { viewport },
    )
    .expect("a terminal on a sink")
}

/// A key pressed in the app and the frame drawn after it, as the event loop does.
fn press(app: &mut App, term: &mut Screen, k: KeyEvent) -> Duration {
    let start = Instant::now();
    handle_key(app, k);
    draw_frame(term, app).expect("draw");
    start.elapsed()
}

fn open(path: &Path) -> Desk {
    Desk::open(path, Library::new(None), Config::default()).expect("open")
}

fn db_bytes(path: &Path) -> u64 {
    let wal = format!("{}-wal", path.display());
    std::fs::metadata(path).map_or(0, |m| m.len()) + std::fs::metadata(wal).map_or(0, |m| m.len())
}

/// What to search for, typed letter by letter: the rarest surname and a company of the book,
/// two letters that match many and two that match none (the short search's longest walk),
/// a word every email has, and the trigram with the most candidates the index is read for.
fn needles(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let rare: String = conn
        .query_row(
            "SELECT last_name FROM prospects GROUP BY last_name ORDER BY count(*), last_name \
             LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a name");
    let company: String = conn
        .query_row(
            "SELECT company FROM prospects WHERE company IS NOT NULL ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a company");
    // The worst a three-letter search meets: the most candidates the index is still read for.
    conn.execute_batch(
        "CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, prospect_search, 'row')",
    )
    .expect("terms");
    let busiest: String = conn
        .query_row(
            "SELECT term FROM temp.terms WHERE doc <= 5000 AND term GLOB '[a-z][a-z][a-z]' \
             ORDER BY doc DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|_| "son".to_string());
    vec![
        rare,
        company,
        "an".to_string(),
        "example".to_string(),
        busiest,
    ]
}

fn measure(size: usize, now: NaiveDateTime, table: &mut Table) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.db");
    let mut put = |row: &'static str, value: [f64; 3]| {
        table.entry(row).or_default().insert(size, value);
    };
    let (summary_of_build, took) = time(|| touchbase::demo::build(&path, size, now));
    let built = summary_of_build?;
    put("demo build (s)", [took.as_secs_f64(); 3]);
    // What the file holds once the write-ahead log is folded in, as a rep's would be.
    drop(open(&path));
    let per = db_bytes(&path) as f64 / size as f64;
    put("bytes per prospect", [per; 3]);
    eprintln!(
        "{size} prospects: {} touches, built in {:.1} s",
        built.touches,
        took.as_secs_f64()
    );

    let mut samples = Vec::new();
    for _ in 0..15 {
        let (app, t) = time(|| touchbase::tui::offscreen(open(&path), Clock::Fixed(now), 100, 30));
        let app = app?;
        let _ = render_buffer(&app);
        samples.push(t);
    }
    put("first frame: open, queue, draw", summary(samples));

    let mut desk = open(&path);
    let mut samples = Vec::new();
    for _ in 0..15 {
        let (q, t) = time(|| desk.queue(now));
        q?;
        samples.push(t);
    }
    put("today's queue", summary(samples));

    let queue = desk.queue(now)?;
    let ready: Vec<_> = queue
        .iter()
        .filter(|i| {
            desk.render_current(&i.prospect, &i.enrollment, &i.sequence)
                .is_ok_and(|r| r.ready())
        })
        .take(15)
        .collect();
    let (mut logs, mut undos) = (Vec::new(), Vec::new());
    for item in ready {
        let event = match item.channel() {
            touchbase::domain::Channel::Call => Event::Work(Outcome::Voicemail),
            _ => Event::Work(Outcome::Sent),
        };
        let req = LogRequest::new(
            item.prospect.id,
            item.enrollment.touch(),
            Happened::from(event),
        );
        let (r, t) = time(|| desk.log(req, now));
        r?;
        logs.push(t);
        let (r, t) = time(|| desk.undo(now));
        r?;
        undos.push(t);
    }
    put("log an outcome", summary(logs));
    put("undo it", summary(undos));

    for (row, since) in [
        ("stats, all time", None),
        (
            "stats, last 30 days",
            Some(now - chrono::Duration::days(30)),
        ),
    ] {
        let filter = Filter {
            since,
            ..Filter::default()
        };
        let mut samples = Vec::new();
        for _ in 0..10 {
            let (r, t) = time(|| desk.stats(&filter));
            r?;
            samples.push(t);
        }
        put(row, summary(samples));
    }
    drop(desk);

    // A session in the app, key by key.
    let mut app = touchbase::tui::offscreen(open(&path), Clock::Fixed(now), 100, 30)?;
    let mut term = screen(100, 30);
    draw_frame(&mut term, &app)?;
    let mut switch = Vec::new();
    let mut stats = Vec::new();
    for _ in 0..5 {
        for view in ['2', '3', '5', '1'] {
            switch.push(press(&mut app, &mut term, key(view)));
        }
        stats.push(press(&mut app, &mut term, key('4')));
        switch.push(press(&mut app, &mut term, key('1')));
    }
    put("key: switch view", summary(switch));
    put("key: open Stats", summary(stats));

    // Stats by period: 30 days, 90 days, all time, round and round.
    press(&mut app, &mut term, key('4'));
    let mut periods = Vec::new();
    for _ in 0..9 {
        periods.push(press(&mut app, &mut term, key('t')));
    }
    put("key: Stats period", summary(periods));
    press(&mut app, &mut term, key('1'));

    press(&mut app, &mut term, key('2'));
    let mut search = Vec::new();
    for needle in needles(&path) {
        press(&mut app, &mut term, key('/'));
        for c in needle.chars() {
            search.push(press(&mut app, &mut term, key(c)));
        }
        for _ in needle.chars() {
            search.push(press(&mut app, &mut term, special(KeyCode::Backspace)));
        }
        press(&mut app, &mut term, special(KeyCode::Esc));
    }
    put("key: search keystroke", summary(search));

    let (mut moves, mut ends) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        ends.push(press(&mut app, &mut term, key('G')));
        for _ in 0..250 {
            moves.push(press(&mut app, &mut term, key('k')));
        }
        ends.push(press(&mut app, &mut term, key('g')));
        for _ in 0..250 {
            moves.push(press(&mut app, &mut term, key('j')));
        }
    }
    put("key: move in Prospects", summary(moves));
    put("key: last / first prospect", summary(ends));

    // Emails only, then log one with space and undo it with `u`.
    press(&mut app, &mut term, key('1'));
    press(&mut app, &mut term, key('f'));
    press(&mut app, &mut term, key('e'));
    // The demo's first email waits for a company; the second is ready.
    press(&mut app, &mut term, key('j'));
    let mut logged = Vec::new();
    for _ in 0..10 {
        logged.push(press(&mut app, &mut term, key(' ')));
        logged.push(press(&mut app, &mut term, key('u')));
    }
    let said = app
        .status
        .as_ref()
        .map(|(s, _)| s.clone())
        .unwrap_or_default();
    assert!(
        said.starts_with("Undone: Sent"),
        "the key logged and undid: {said}"
    );
    put("key: log from the queue", summary(logged));
    drop(app);

    let csv = dir.path().join("import.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&csv)?);
    writeln!(f, "First Name,Last Name,Email,Company,Title,City,Country")?;
    for i in 0..1000 {
        writeln!(
            f,
            "Pat,Import{i},pat.import{i}@load.example,Northwind,Buyer,Chicago,United States"
        )?;
    }
    f.flush()?;
    drop(f);
    let mut desk = open(&path);
    let (r, t) = time(|| desk.import(&csv, &ImportOptions::default(), now));
    r?;
    put("import 1,000 rows (s)", [t.as_secs_f64(); 3]);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let now: NaiveDateTime = "2026-11-23T10:00:00".parse()?;
    let mut table = Table::new();
    for &size in &sizes {
        measure(size, now, &mut table)?;
    }

    let head: Vec<String> = sizes
        .iter()
        .map(|s| format!("{:>24}", format!("{s} prospects")))
        .collect();
    println!(
        "{:<34}{}   (ms unless said: median, then 95th percentile / worst in brackets)",
        "",
        head.join("")
    );
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&out_dir)?;
    let mut tsv = std::fs::File::create(out_dir.join("speed.tsv"))?;
    for row in ROWS {
        let Some(by_size) = table.get(row) else {
            continue;
        };
        let cells: Vec<String> = sizes
            .iter()
            .map(|s| match by_size.get(s) {
                Some([m, p, w]) if (w - m).abs() > 1e-9 => {
                    format!("{:>24}", format!("{m:.2} ({p:.1} / {w:.1})"))
                }
                Some([m, ..]) => format!("{:>24}", format!("{m:.2}")),
                None => format!("{:>24}", "-"),
            })
            .collect();
        println!("{row:<34}{}", cells.join(""));
        for (size, [median, p95, worst]) in by_size {
            writeln!(tsv, "{row}\t{size}\t{median:.4}\t{worst:.4}\t{p95:.4}")?;
        }
    }
    Ok(())
}
