//! How fast the things a rep waits for are, on a demo database of 100,000 prospects:
//! opening the day's queue, logging an outcome (one transaction, fully synced), undo, and
//! the reply analytics. Run with `cargo bench`; numbers go to stdout.
// The benchmark may panic: a failed expectation is how they report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use chrono::NaiveDateTime;
use std::time::{Duration, Instant};
use touchbase::config::Config;
use touchbase::content::Library;
use touchbase::desk::Desk;
use touchbase::desk::LogRequest;
use touchbase::domain::{Event, Outcome};
use touchbase::stats::Filter;

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let n = samples.len();
    let total: Duration = samples.iter().sum();
    println!(
        "{what:<44} median {:>9.3} ms   p95 {:>9.3} ms   mean {:>9.3} ms   ({n} runs)",
        samples[n / 2].as_secs_f64() * 1e3,
        samples[(n * 95 / 100).min(n - 1)].as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3 / n as f64,
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn main() -> anyhow::Result<()> {
    let prospects: usize = std::env::var("BENCH_PROSPECTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let now: NaiveDateTime = "2026-11-23T10:00:00".parse()?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.db");
    let (summary, took) = time(|| touchbase::demo::build(&path, prospects, now));
    let summary = summary?;
    println!(
        "demo database: {prospects} prospects, {} touches, built in {:.1} s",
        summary.touches,
        took.as_secs_f64()
    );

    let open =
        || -> anyhow::Result<Desk> { Desk::open(&path, Library::new(None), Config::default()) };
    let mut samples = Vec::new();
    for _ in 0..20 {
        let (desk, t) = time(|| -> anyhow::Result<_> {
            let desk = open()?;
            let queue = desk.queue(now)?;
            if let Some(first) = queue.first() {
                desk.render_current(&first.prospect, &first.enrollment, &first.sequence)?;
            }
            Ok((desk, queue.len()))
        });
        drop(desk?);
        samples.push(t);
    }
    report("open + today's queue + first touch's text", samples);

    // What `touchbase screen` and the app's start do: counts, the rows on screen, the
    // selected touch's text and history, drawn.
    let mut samples = Vec::new();
    for _ in 0..20 {
        let (r, t) =
            time(|| touchbase::tui::screen(open()?, touchbase::tui::Clock::Fixed(now), 100, 30));
        r?;
        samples.push(t);
    }
    report("open + the app's first frame, drawn", samples);

    let mut desk = open()?;
    let queue = desk.queue(now)?;
    let mut log_samples = Vec::new();
    let mut undo_samples = Vec::new();
    // Touches whose text is ready: a not-ready one is refused, which is not what is timed.
    let ready: Vec<_> = queue
        .iter()
        .filter(|i| {
            desk.render_current(&i.prospect, &i.enrollment, &i.sequence)
                .is_ok_and(|r| r.ready())
        })
        .take(20)
        .collect();
    for item in ready {
        let event = match item.channel() {
            touchbase::domain::Channel::Call => Event::Work(Outcome::Voicemail),
            _ => Event::Work(Outcome::Sent),
        };
        let req = LogRequest::new(item.prospect.id, item.enrollment.touch(), event);
        let (r, t) = time(|| desk.log(req, now));
        r?;
        log_samples.push(t);
        let (r, t) = time(|| desk.undo(now));
        r?;
        undo_samples.push(t);
    }
    report("log an outcome (one synced transaction)", log_samples);
    report("undo it", undo_samples);

    let mut stat_samples = Vec::new();
    for _ in 0..5 {
        let (r, t) = time(|| desk.stats(&Filter::default()));
        r?;
        stat_samples.push(t);
    }
    report("stats over the whole log", stat_samples);
    Ok(())
}
