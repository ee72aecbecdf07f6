//! The outbox (DESIGN §9): what waits to be sent and why, the caps that pace sending, and
//! the sends whose time has come. Caps never drop a send: over one, it waits with its
//! reason until it may go.

use super::Desk;
use super::error::DeskError;
use anyhow::{Result, anyhow};
use chrono::{Duration, NaiveDateTime};
use rusqlite::{Connection, params};
use serde::Serialize;

/// One email in the outbox, as `outbox --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxEntry {
    #[serde(skip)]
    pub id: i64,
    /// The touch it was written for.
    #[serde(skip)]
    pub enrollment_id: i64,
    #[serde(skip)]
    pub step: usize,
    pub prospect_id: i64,
    pub email: String,
    pub subject: String,
    /// waiting, going (being handed over), or unsure (a stop cut the handing over short:
    /// the rep decides). A bounce leaves the outbox: the log has it, and the address is
    /// marked bad.
    pub state: String,
    pub reason: Option<String>,
    pub not_before: NaiveDateTime,
}

impl OutboxEntry {
    /// Whether it waits on the rep rather than on time: sending stopped or paused, or a
    /// stop left it unsure.
    pub fn needs_the_rep(&self) -> bool {
        self.state == "unsure"
            || self.reason.as_deref().is_some_and(|r| {
                r.starts_with("sending stopped") || r.starts_with("sending paused")
            })
    }
}

/// Why a send must wait, and until when; `None`: it may go now.
pub(super) fn capped(
    conn: &Connection,
    send: &crate::config::send::Send,
    to: &str,
    now: NaiveDateTime,
) -> Result<Option<(NaiveDateTime, String)>> {
    let day = now.date().and_time(chrono::NaiveTime::MIN);
    let tomorrow = day + Duration::days(1);
    let count = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<u32> {
        Ok(conn.query_row(sql, p, |r| r.get(0))?)
    };
    if let Some(cap) = send.per_day {
        let today = count(
            "SELECT count(*) FROM outbox WHERE state = 'sent' AND sent_at >= ?1",
            &[&day],
        )?;
        if today >= cap {
            return Ok(Some((
                tomorrow,
                format!("today's {cap} emails are sent (per_day)"),
            )));
        }
    }
    if let Some(cap) = send.per_domain_per_day {
        let domain = to.rsplit_once('@').map_or("", |(_, d)| d);
        let today = count(
            "SELECT count(*) FROM outbox WHERE state = 'sent' AND sent_at >= ?1 \
             AND to_address LIKE '%@' || ?2",
            &[&day, &domain],
        )?;
        if today >= cap {
            return Ok(Some((
                tomorrow,
                format!("today's {cap} emails to {domain} are sent (per_domain_per_day)"),
            )));
        }
    }
    if let Some(cap) = send.per_minute {
        let minute_ago = now - Duration::seconds(60);
        let recent: Vec<NaiveDateTime> = conn
            .prepare_cached(
                "SELECT sent_at FROM outbox WHERE state = 'sent' AND sent_at > ?1 ORDER BY sent_at",
            )?
            .query_map([minute_ago], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if u32::try_from(recent.len()).unwrap_or(u32::MAX) >= cap {
            let oldest = recent.first().copied().unwrap_or(now);
            return Ok(Some((
                oldest + Duration::seconds(60),
                format!("pacing: {cap} a minute (per_minute)"),
            )));
        }
    }
    Ok(None)
}

/// The settings that keep a bounce pause: why sending stopped, and the last outbox row
/// before the rep resumed it (the sends counted from then on).
const PAUSED: &str = "send_paused";
const RESUMED_AFTER: &str = "send_resumed_after";

/// How many of the latest sends `bounce_pause` looks at.
const BOUNCE_WINDOW: i64 = 50;

impl Desk {
    /// Why sending is paused for bounces, if it is: when more than `bounce_pause` of the
    /// last 50 emails sent (since the rep last resumed) bounced, the pause is written down
    /// and holds until `outbox --resume`. A refusal at the door and a bounce report read
    /// later from the inbox (the address marked bad) both count.
    pub(super) fn bounce_paused(
        &mut self,
        send: &crate::config::send::Send,
    ) -> Result<Option<String>> {
        let Some(share) = send.bounce_pause else {
            return Ok(None);
        };
        if let Some(reason) = self.store.setting(PAUSED)? {
            return Ok(Some(reason));
        }
        let after: i64 = self
            .store
            .setting(RESUMED_AFTER)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let bounced: i64 = self.store.conn().query_row(
            "SELECT count(*) FROM (SELECT o.state = 'failed' OR p.email_bad AS bounced              FROM outbox o JOIN prospects p ON p.id = o.prospect_id              WHERE o.id > ?1 AND (o.state = 'sent' OR (o.state = 'failed' AND o.reason LIKE 'bounced%'))              ORDER BY o.id DESC LIMIT ?2) WHERE bounced",
            params![after, BOUNCE_WINDOW],
            |r| r.get(0),
        )?;
        if bounced * 10_000 <= i64::from(share) * BOUNCE_WINDOW {
            return Ok(None);
        }
        let reason = format!(
            "sending paused: {bounced} of the last {BOUNCE_WINDOW} emails bounced (bounce_pause = {}%); \
             check the addresses, then `touchbase outbox --resume`",
            f64::from(share) / 100.0
        );
        self.store.write_plain(|conn| {
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![PAUSED, reason],
            )?;
            Ok(())
        })?;
        Ok(Some(reason))
    }

    /// Starts sending again after a bounce pause: what waited for it may go, and the bounces
    /// are counted afresh from here. False when sending was not paused.
    pub fn resume_sending(&mut self) -> Result<bool> {
        self.store.write_plain(|conn| {
            let was = conn.execute("DELETE FROM settings WHERE key = ?1", [PAUSED])? == 1;
            conn.execute(
                "INSERT INTO settings (key, value) \
                 VALUES (?1, (SELECT coalesce(max(id), 0) FROM outbox)) \
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [RESUMED_AFTER],
            )?;
            conn.execute(
                "UPDATE outbox SET reason = NULL WHERE state = 'waiting' \
                 AND reason LIKE 'sending paused:%'",
                [],
            )?;
            Ok(was)
        })
    }

    /// What waits in the outbox (or is going, or unsure after a stop), soonest first.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT id, prospect_id, to_address, subject, state, reason, not_before, \
             enrollment_id, step FROM outbox \
             WHERE state IN ('waiting', 'going', 'unsure') ORDER BY not_before, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OutboxEntry {
                id: r.get(0)?,
                prospect_id: r.get(1)?,
                email: r.get(2)?,
                subject: r.get(3)?,
                state: r.get(4)?,
                reason: r.get(5)?,
                not_before: r.get(6)?,
                enrollment_id: r.get(7)?,
                step: usize::try_from(r.get::<_, i64>(8)?).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sends every waiting email whose time has come, each as `send_now` does; what each
    /// did. A failure of the account stops the rest (they keep waiting, with the reason).
    pub fn flush_outbox(&mut self, now: NaiveDateTime) -> Result<Vec<String>, DeskError> {
        let due: Vec<i64> = self
            .outbox()?
            .into_iter()
            .filter(|e| e.state == "waiting" && e.not_before <= now)
            .map(|e| e.id)
            .collect();
        let mut said = Vec::new();
        for id in due {
            match self.send_now(id, now) {
                Ok(s) => said.push(s),
                Err(e) => {
                    let stop = e.to_string().contains("sending stopped");
                    said.push(format!("{e:#}"));
                    if stop {
                        break;
                    }
                }
            }
        }
        Ok(said)
    }

    /// Takes back every email waiting for the prospect; how many.
    pub fn cancel_for(&mut self, key: &str) -> Result<usize, DeskError> {
        let p = self.prospect(key)?;
        let n = self.store.write_plain(|conn| {
            Ok(conn.execute(
                "UPDATE outbox SET state = 'cancelled', reason = 'taken back' \
                 WHERE prospect_id = ?1 AND state = 'waiting'",
                [p.id],
            )?)
        })?;
        if n == 0 {
            return Err(anyhow!("nothing of {}'s waits in the outbox", p.full_name()).into());
        }
        Ok(n)
    }

    /// Keeps an outbox row waiting until `until`, saying why.
    pub(super) fn hold(&mut self, id: i64, until: NaiveDateTime, reason: &str) -> Result<()> {
        self.store.write_plain(|conn| {
            conn.execute(
                "UPDATE outbox SET state = 'waiting', not_before = ?2, reason = ?3 WHERE id = ?1",
                params![id, until, reason],
            )?;
            Ok(())
        })
    }
}
