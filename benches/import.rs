//! How long a big CRM export takes to import: 100,000 rows of an Apollo-shaped file into a
//! new database, then the same file again (every row found and updated). Run with
//! `cargo bench --bench import`; `BENCH_ROWS` changes the size, `BENCH_ONCE` skips the second.
// The benchmark may panic: a failed expectation is how they report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::io::Write;
use std::time::Instant;
use touchbase::config::Config;
use touchbase::content::Library;
use touchbase::desk::Desk;
use touchbase::import::ImportOptions;

const FIRST: [&str; 8] = ["Dana", "Lee", "Ana", "Omar", "Priya", "Jonas", "Mei", "Tom"];
const LAST: [&str; 8] = [
    "Reyes",
    "Park",
    "Silva",
    "Haddad",
    "Natarajan",
    "Berg",
    "Chen",
    "Wu",
];
const CITY: [(&str, &str, &str); 4] = [
    ("Chicago", "Illinois", "United States"),
    ("London", "", "United Kingdom"),
    ("Berlin", "", "Germany"),
    ("Austin", "Texas", "United States"),
];

fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("apollo.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&csv)?);
    writeln!(
        f,
        "First Name,Last Name,Title,Company,Email,Work Direct Phone,Mobile Phone,\
         Person Linkedin Url,City,State,Country,Apollo Contact Id,Industry,Stage"
    )?;
    for i in 0..rows {
        let (first, last) = (FIRST[i % 8], LAST[(i / 8) % 8]);
        let (city, state, country) = CITY[i % 4];
        writeln!(
            f,
            "{first},{last},Head of Operations,\"Company {c}, Inc.\",{f}.{l}.{i}@company{c}.example,\
             +1 312 555 {p:04},'+1 773 555 {p:04},http://www.linkedin.com/in/{f}-{l}-{i},\
             {city},{state},{country},64f0{i:020x},Logistics,Cold",
            c = i / 40,
            f = first.to_lowercase(),
            l = last.to_lowercase(),
            p = i % 10_000,
        )?;
    }
    f.flush()?;
    drop(f);
    let size = std::fs::metadata(&csv)?.len();
    let now = "2026-11-23T10:00:00".parse()?;
    let db = dir.path().join("bench.db");
    let mut desk = Desk::open(&db, Library::new(None), Config::default())?;
    let opts = ImportOptions::default();
    let start = Instant::now();
    let report = desk.import(&csv, &opts, now)?;
    let first = start.elapsed();
    assert_eq!(report.added, rows, "{report}");
    if std::env::var_os("BENCH_ONCE").is_some() {
        println!("{:.3} s", first.as_secs_f64());
        return Ok(());
    }
    let start = Instant::now();
    let report = desk.import(&csv, &opts, now)?;
    let again = start.elapsed();
    assert_eq!(report.updated, rows, "{report}");
    println!(
        "import {rows} rows ({:.1} MB) into a new database   {:>7.3} s",
        size as f64 / 1e6,
        first.as_secs_f64()
    );
    println!(
        "the same file again (every row updated)          {:>7.3} s",
        again.as_secs_f64()
    );
    Ok(())
}
