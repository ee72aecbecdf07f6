//! `touchbase demo`: a deterministic demo database with fictional prospects, the built-in
//! sequences and weeks of history made by the real engine, so the app has a realistic day to
//! show. It is never the rep's real database. The history is made here; the desk's bulk
//! load writes it.

mod catalog;
mod data;
mod people;
mod rng;
mod simulate;
mod story;
mod text;
mod waiting;

use crate::content::Me;
use crate::desk::bulk_load::{self, Bulk, Rollups};
use crate::domain::Calendar;
use crate::domain::Prospect;
use crate::paths;
use anyhow::{Context, Result, bail};
use chrono::{NaiveDateTime, NaiveTime};
use simulate::{History, Run, World};
use std::fmt;
use std::path::{Path, PathBuf};

/// The default size: a rep's book whose queue today holds about 15–25 touches.
pub const DEFAULT_PROSPECTS: usize = 100;

/// Prospects the history thread hands the writer at a time.
const HAND_OVER: usize = 256;

/// One prospect in this many came without a company.
const MISSING_COMPANY_EVERY: usize = 50;

/// The settings key that marks a database as a demo one (and so as safe to rebuild).
pub const DEMO_KEY: &str = "demo";

/// Any fixed value would do: it only has to stay the same from build to build.
const SEED: u64 = 0x7E57_BA5E_0D3E_0001;

#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub path: PathBuf,
    pub prospects: usize,
    pub enrollments: i64,
    /// Rows in the touch log.
    pub touches: i64,
    /// Of those, touches actually worked (sent, done, calls).
    pub worked: i64,
    /// Touches due today, overdue ones included.
    pub due: i64,
    pub overdue: i64,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Built the demo database at {}: {} prospects, {} touches logged, {} due today ({} overdue)",
            self.path.display(),
            self.prospects,
            self.touches,
            self.due,
            self.overdue
        )
    }
}

/// The demo rep, saved in the database as `me` so every template renders ready.
pub fn demo_me() -> Me {
    Me {
        name: "Sam Carter".into(),
        company: "Relaypoint".into(),
        signature: "Sam Carter\nAccount Executive, Relaypoint\nrelaypoint.example".into(),
    }
}

/// Builds the demo database at `path` as of `now`, replacing an earlier demo database there.
/// Refuses the rep's real database and any file that is not a demo database. The rep lives
/// on the system's clock.
pub fn build(path: &Path, prospects: usize, now: NaiveDateTime) -> Result<DemoSummary> {
    build_in(path, prospects, now, crate::clock::Zone::System)
}

/// [`build`] for a rep in `zone`: the times the history is worked at are on that clock, so
/// calls land in the prospects' hours as the rep's desk reads them.
pub fn build_in(
    path: &Path,
    prospects: usize,
    now: NaiveDateTime,
    zone: crate::clock::Zone,
) -> Result<DemoSummary> {
    check_target(path)?;
    remove_database(path)?;
    let (rollups, due) =
        bulk_load::load_new_book(path, now, |bulk| write_demo(bulk, prospects, now, zone))?;
    Ok(DemoSummary {
        path: path.to_path_buf(),
        prospects,
        enrollments: rollups.enrollments,
        touches: rollups.rows,
        worked: rollups.worked,
        due: due.due,
        overdue: due.overdue,
    })
}

fn write_demo(
    bulk: &mut Bulk,
    prospects: usize,
    now: NaiveDateTime,
    zone: crate::clock::Zone,
) -> Result<Rollups> {
    let me = demo_me();
    bulk.setting(DEMO_KEY, "true")?;
    bulk.setting("me", &serde_json::to_string(&me)?)?;
    let history_begins = (now.date() - chrono::Days::new(70)).and_time(NaiveTime::MIN);
    let mut catalog = catalog::Catalog::store(bulk, history_begins)?;
    // The default calendar, not the rep's config: the same demo on every machine.
    let cal = Calendar::default();
    let texts = text::Texts::new(me);
    let world = World {
        cal: &cal,
        now,
        texts: &texts,
        rep: zone,
    };
    let companies = people::company_pool(prospects);
    // Two cores' worth: one thread lives the prospects' weeks and counts them into the
    // rollups, this one writes them. Handed over a batch at a time: a hand-over per prospect
    // costs more in waking the writer than the writing does.
    // Written batches go back to be dropped where they were made: memory freed by another
    // thread than the one that allocated it costs the allocator's locks on every block.
    let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(4);
    let (recycle, written_back) = std::sync::mpsc::channel::<Batch>();
    std::thread::scope(|scope| -> Result<Rollups> {
        let world = &world;
        let hand_over = HandOver { send, written_back };
        let lives =
            scope.spawn(move || live_all(world, &mut catalog, companies, prospects, hand_over));
        let mut written = Ok(());
        for batch in receive {
            written = write_batch(bulk, &batch);
            // The history thread may have finished: then this one drops it after all.
            let _ = recycle.send(batch);
            if written.is_err() {
                break;
            }
        }
        let lived = lives
            .join()
            .map_err(|_| anyhow::anyhow!("the demo's history stopped short"))?;
        // The writer's error first: the history thread stops because the writer did.
        written.and(lived)
    })
}

/// Prospects lived, with the response key rows their rollups counted, handed to the writer.
struct Batch {
    people: Vec<(Prospect, History)>,
    keys: bulk_load::ResponseKeys,
}

/// The history thread's ends of the channels: batches out, written ones back to drop.
struct HandOver {
    send: std::sync::mpsc::SyncSender<Batch>,
    written_back: std::sync::mpsc::Receiver<Batch>,
}

/// The history thread: lives every prospect's weeks in order, counts them into the
/// rollups and hands them over a batch at a time; returns the rollups.
fn live_all(
    world: &World,
    catalog: &mut catalog::Catalog,
    companies: u64,
    prospects: usize,
    hand_over: HandOver,
) -> Result<Rollups> {
    let mut rollups = Rollups::default();
    rollups.zone = Some(world.rep);
    let mut taken = people::Taken::for_people(prospects);
    let mut batch = Vec::with_capacity(HAND_OVER);
    let mut next_enrollment = 0_i64;
    for i in 0..prospects {
        let mut rng = rng::Rng::stream(SEED, i as u64);
        let Some(mut p) = people::prospect(&mut rng, companies, &mut taken) else {
            anyhow::bail!("the demo's tables of names and cities are empty");
        };
        p.id = i as i64 + 1;
        if i % MISSING_COMPANY_EVERY == MISSING_COMPANY_EVERY / 3 {
            // Imported without a company: their touch shows as not ready until it is
            // filled in.
            p.company = None;
        }
        crate::domain::prospect::normalize_identifiers(&mut p);
        let mut run = Run::new(world, catalog, &mut rng, &mut p);
        story::live(&mut run, i as u64)?;
        let mut history = run.history;
        // Ids given here, in the order the writer inserts them into an empty table (as
        // SQLite would).
        for (e, _) in &mut history.enrollments {
            next_enrollment += 1;
            e.id = next_enrollment;
        }
        p.conversation = waiting::conversation(&history, world.now, (world.cal, world.rep));
        count(&mut rollups, &p, &history);
        batch.push((p, history));
        if batch.len() == HAND_OVER || i + 1 == prospects {
            let people = std::mem::replace(&mut batch, Vec::with_capacity(HAND_OVER));
            let full = Batch {
                people,
                keys: rollups.take_keys(),
            };
            let sent = hand_over.send.send(full);
            while let Ok(done) = hand_over.written_back.try_recv() {
                drop(done);
            }
            if sent.is_err() {
                // The writer stopped; its error is the one to report.
                break;
            }
        }
    }
    Ok(rollups)
}

/// Writes a batch of prospects with their histories, and the key rows counted for them.
fn write_batch(bulk: &mut Bulk, batch: &Batch) -> Result<()> {
    for (p, history) in &batch.people {
        write_prospect(bulk, p, history)?;
    }
    batch.keys.write(bulk)
}

/// Counts one prospect's history into the rollups.
fn count(rollups: &mut Rollups, p: &Prospect, h: &History) {
    let written: Vec<bulk_load::Written> = h
        .enrollments
        .iter()
        .map(|(e, sequence)| bulk_load::Written {
            id: e.id,
            sequence,
            status: e.status.as_str(),
            closed: (!e.status.is_open()).then(|| e.closed_at.map(|at| at.date())),
        })
        .collect();
    let log: Vec<_> = h
        .log
        .iter()
        .map(|l| {
            let variant = l.text.as_ref().and_then(|t| t.variant.as_deref());
            (Some(l.enrollment), &l.record, variant)
        })
        .collect();
    rollups.add(p, &written, &log);
}

fn write_prospect(bulk: &mut Bulk, p: &Prospect, h: &History) -> Result<()> {
    bulk.prospect(p)?;
    let mut ids = Vec::with_capacity(h.enrollments.len());
    for (e, sequence) in &h.enrollments {
        ids.push(bulk.enrollment(e, sequence)?);
    }
    for logged in &h.log {
        bulk.touch(
            ids.get(logged.enrollment).copied(),
            p.id,
            &logged.record,
            logged.note,
            logged.text.as_ref(),
        )?;
    }
    for (kind, value, at) in &h.do_not_contact {
        bulk.do_not_contact(kind, value, p.id, *at)?;
    }
    Ok(())
}

/// Refuses the rep's real database, a directory, and an existing file that is not a demo
/// database (an empty file holds nothing to lose).
fn check_target(path: &Path) -> Result<()> {
    let shown = path.display();
    if let Ok(real) = paths::default_db() {
        if resolved(path) == resolved(&real) {
            bail!(
                "{shown} is your real touchbase database; the demo never writes it. \
                 Pass another --db path"
            );
        }
    }
    if path.is_dir() {
        bail!("{shown} is a directory; pass a file path for the demo database");
    }
    let has_data = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
    if has_data && !is_demo_database(path) {
        bail!(
            "{shown} exists and is not a demo database; left it untouched. \
             Pass a new --db path for the demo"
        );
    }
    Ok(())
}

/// Whether the file is a database an earlier `touchbase demo` built.
pub fn is_demo_database(path: &Path) -> bool {
    bulk_load::setting_is_true(path, DEMO_KEY)
}

/// The database file and its WAL companions (and the side file of a load that was
/// stopped, `bulk_aside`), so a rebuild starts from nothing.
fn remove_database(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal", "-search", "-search-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("removing {}", Path::new(&name).display()));
            }
        }
    }
    Ok(())
}

/// The path with symlinks and `..` resolved as far as it exists, to compare two paths.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    if let (Some(dir), Some(name)) = (path.parent(), path.file_name()) {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = dir.canonicalize() {
            return d.join(name);
        }
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
