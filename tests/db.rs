//! Looking inside a database file from the outside: every table's rows, the bytes on disk,
//! and a desk opened on a file the way the binary opens it.
#![allow(dead_code)]

use chrono::NaiveDateTime;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use touchbase::config::Config;
use touchbase::content::{Library, Me};
use touchbase::desk::Desk;

/// Every row of every table, each row as one line, sorted: equal dumps mean equal contents.
pub fn dump(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let mut tables = Vec::new();
    {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .expect("tables");
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect("tables");
        for n in names {
            tables.push(n.expect("name"));
        }
    }
    let mut out = BTreeMap::new();
    for t in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("select");
        let width = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut cells = Vec::with_capacity(width);
                for i in 0..width {
                    cells.push(match r.get_ref(i)? {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(v) => v.to_string(),
                        ValueRef::Real(v) => v.to_string(),
                        ValueRef::Text(v) => format!("{:?}", String::from_utf8_lossy(v)),
                        ValueRef::Blob(v) => format!("blob{v:?}"),
                    });
                }
                Ok(cells.join(" | "))
            })
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        // The highest prospect id ever given outlives undo on purpose (an undone prospect's id
        // is never handed to someone else), so it is no part of "the same contents".
        if t == "settings" {
            rows.retain(|r| !r.starts_with("\"prospect_ids_given\""));
        }
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// Every row of every table of the database file, read through a connection of its own.
pub fn dump_file(path: &Path) -> BTreeMap<String, Vec<String>> {
    // Read-write, as the binary opens it: closing it folds the write-ahead log back into the
    // file, so byte comparisons after it see what any later command would.
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .expect("open the database to read it");
    dump(&conn)
}

/// The database file and its write-ahead log, byte for byte (`None` when absent).
pub fn bytes(db: &Path) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    (std::fs::read(db).ok(), std::fs::read(wal).ok())
}

/// The rep identity every desk in these tests signs with, so templates render ready.
pub fn config() -> Config {
    Config {
        me: Me {
            name: "Sam Carter".into(),
            company: "Relaypoint".into(),
            signature: "Sam Carter\nRelaypoint".into(),
        },
        ..Config::default()
    }
}

/// A desk on the database file at `path`, with sequences from `config_dir` (or only the
/// built-ins).
pub fn open(path: &Path, config_dir: Option<&Path>) -> Desk {
    Desk::open(path, Library::new(config_dir), config()).expect("open the database")
}

pub fn t(s: &str) -> NaiveDateTime {
    if s.len() == 10 {
        format!("{s}T10:00:00")
    } else {
        s.to_string()
    }
    .parse()
    .unwrap_or_else(|_| panic!("test time {s}"))
}

/// Panics with the rows that differ, table by table, when two dumps are not equal.
pub fn assert_same(
    got: &BTreeMap<String, Vec<String>>,
    want: &BTreeMap<String, Vec<String>>,
    what: &str,
) {
    if got == want {
        return;
    }
    let short = |r: &String| r.chars().take(240).collect::<String>();
    let mut report = String::new();
    let names: std::collections::BTreeSet<&String> = got.keys().chain(want.keys()).collect();
    for name in names {
        let (g, w) = (got.get(name), want.get(name));
        if g == w {
            continue;
        }
        let (g, w) = (
            g.cloned().unwrap_or_default(),
            w.cloned().unwrap_or_default(),
        );
        report.push_str(&format!("table {name}:\n"));
        for r in g.iter().filter(|r| !w.contains(r)) {
            report.push_str(&format!("  + {}\n", short(r)));
        }
        for r in w.iter().filter(|r| !g.contains(r)) {
            report.push_str(&format!("  - {}\n", short(r)));
        }
    }
    panic!("{what}: the database differs\n{report}");
}
