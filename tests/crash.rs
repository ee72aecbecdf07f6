//! Crash safety through the binary: hundreds of scripted actions, each process killed
//! (SIGKILL) at a random moment. Afterwards the file is intact, every action that was
//! acknowledged (exit 0 before the kill) is there, and no action is half done.

use crate::db::dump_file;
use crate::util::Sandbox;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MON: &str = "2026-11-23T10:00";

/// A tiny deterministic generator: the same kill moments on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn command(sb: &Sandbox, args: &[String]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("touchbase"));
    c.env_clear()
        .env("HOME", sb.dir.path())
        .env("TOUCHBASE_DB", sb.db())
        .env("TOUCHBASE_CONFIG_DIR", sb.config_dir())
        .env("TOUCHBASE_NOW", MON)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Runs the action and kills it after `after`; true when it had finished with exit 0.
fn run_killed(sb: &Sandbox, args: &[String], after: Duration) -> bool {
    let mut child = command(sb, args).spawn().expect("spawn");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.success();
        }
        if start.elapsed() >= after {
            let _ = child.kill();
            let status = child.wait().expect("wait");
            return status.success();
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn count(rows: Option<&Vec<String>>, needle: &str) -> usize {
    rows.map_or(0, |r| r.iter().filter(|row| row.contains(needle)).count())
}

#[test]
fn killed_actions_are_all_or_nothing_and_acknowledged_ones_survive() {
    let sb = Sandbox::new();
    sb.write_me();
    let mut rng = Rng(0x5eed_1234);
    // The book is made under the same kills (an import of a header with no rows makes one
    // and adds nobody): whatever first use is cut short, the next one finishes making it.
    let empty = sb.dir.path().join("empty.csv");
    std::fs::write(&empty, "first_name,email\n").expect("csv");
    let make = strings(&["import", empty.to_str().expect("path")]);
    for _ in 0..20 {
        let after = Duration::from_millis(rng.below(31));
        run_killed(&sb, &make, after);
    }
    assert!(
        run_killed(&sb, &make, Duration::from_secs(60)),
        "the book is made after its making was cut short"
    );
    assert!(
        run_killed(&sb, &strings(&["due"]), Duration::from_secs(60)),
        "the book opens after its making was cut short"
    );
    let mut acknowledged_adds = Vec::new();
    let mut acknowledged_sends = Vec::new();
    let mut added = Vec::new();
    let actions = 220;
    for n in 0..actions {
        let after = Duration::from_millis(rng.below(31));
        // Two adds (each with its enrollment), then a send for an earlier prospect.
        if n % 3 != 2 || added.is_empty() {
            let email = format!("p{n}@crash.example");
            let args = strings(&[
                "add",
                "--first",
                &format!("P{n}"),
                "--last",
                "Crash",
                "--email",
                &email,
                "--company",
                "Crashworks",
                "--sequence",
                "cold-7",
            ]);
            if run_killed(&sb, &args, after) {
                acknowledged_adds.push(email.clone());
            }
            added.push(email);
        } else {
            let i = usize::try_from(rng.below(added.len() as u64)).expect("index");
            let email = added[i].clone();
            if run_killed(&sb, &strings(&["log", &email, "sent"]), after) {
                acknowledged_sends.push(email);
            }
        }
    }
    assert!(
        acknowledged_adds.len() > 20 && acknowledged_adds.len() < actions,
        "{} of {actions} adds acknowledged: the kills should land before and after commits",
        acknowledged_adds.len()
    );
    let conn = rusqlite::Connection::open(sb.db()).expect("open");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(check, "ok");
    drop(conn);
    let dump = dump_file(&sb.db());
    let prospects = dump.get("prospects");
    for email in &acknowledged_adds {
        assert_eq!(
            count(prospects, &format!("\"{email}\"")),
            1,
            "{email} was acknowledged"
        );
    }
    for email in &acknowledged_sends {
        let id_of = |e: &str| {
            prospects
                .and_then(|rows| rows.iter().find(|r| r.contains(&format!("\"{e}\""))))
                .and_then(|r| r.split(" | ").next().map(str::to_string))
                .expect("prospect")
        };
        let id = id_of(email);
        let sent = dump.get("touches").map_or(0, |rows| {
            rows.iter()
                .filter(|r| {
                    let cells: Vec<&str> = r.split(" | ").collect();
                    cells.get(3) == Some(&id.as_str()) && r.contains("\"sent\"")
                })
                .count()
        });
        assert_eq!(sent, 1, "{email}'s acknowledged send");
    }
    // Nothing half done: every prospect has its enrollment and its add action, every send
    // its action, and no touch was logged twice.
    let n_prospects = prospects.map_or(0, Vec::len);
    let n_enrollments = dump.get("enrollments").map_or(0, Vec::len);
    let actions_rows = dump.get("actions");
    assert_eq!(n_prospects, n_enrollments);
    assert_eq!(count(actions_rows, "\"add\""), n_prospects);
    let sent_touches = count(dump.get("touches"), "\"sent\"");
    assert_eq!(count(actions_rows, "\"sent\""), sent_touches);
    assert!(sent_touches <= n_prospects, "a touch was logged twice");
    assert_eq!(
        count(actions_rows, "\"{}\""),
        0,
        "an action without its undo record"
    );
}
