//! Logging what happened on a touch. One IMMEDIATE transaction reads the prospect and the
//! enrollment, checks that the touch the rep saw is still the current one (and due, and
//! ready), asks the engine, and writes its answer: two windows or two processes can never
//! both log the same touch, and a command run again never works the next one by accident.

use super::Desk;
use super::credit::credit_to;
use super::describe::{day_label, event_name, logged_sentence};
use super::happened::{CallWent, Happened, LogRequest};
use super::log_after::{apply_effects, last_sent_email, late_bounce, log_without_enrollment};
use super::log_checks::{check_due, check_repeat, freeze};
use super::refusal::{Refused, stale_message};
use super::reply;
use super::schedule::{Leveling, level};
use super::store::{Tx, queries, undo::Frozen};
use crate::content::{Me, Sequence};
use crate::desk::DeskError;
use crate::domain::conversation::CallEnd;
use crate::domain::{self, Calendar, Ctx, Enrollment, Event, Prospect, Transition};
use anyhow::{Result, anyhow};
use chrono::NaiveDateTime;

/// The result of a logged outcome: the status-line sentence and the enrollment after it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub message: String,
    pub enrollment: Option<Enrollment>,
    /// A referral's new prospect (id and name), to offer a sequence for.
    pub referred: Option<(i64, String)>,
}

/// What a log needs besides the transaction: read before it, none of it about the touch.
pub(super) struct Settings {
    pub me: Me,
    pub cal: Calendar,
    pub cap: u32,
    /// Where a "not now" finds the sequence it comes back into.
    pub library: crate::content::Library,
    /// What colleagues' sequences do when someone at their account answers.
    pub account_rule: crate::domain::accounts::AccountRule,
    /// At most this many touches a day at one account (0: no such cap).
    pub per_account: u32,
    /// The rep's clock: a meeting's day is the day it falls on there.
    pub zone: crate::clock::Zone,
}

impl Desk {
    pub(super) fn log_settings(&self) -> Settings {
        Settings {
            me: self.me(),
            cal: self.config.calendar.clone(),
            cap: self.config.max_touches_per_day(),
            library: self.library.clone(),
            account_rule: self.config.account_rule(),
            per_account: self.config.per_account_per_day(),
            zone: self.rep_zone(),
        }
    }

    /// Logs on the prospect's touch as it stands when the action runs, with a note: for
    /// scripts and simulations. The app and the command line name the touch they showed.
    pub fn log_current(
        &mut self,
        prospect_id: i64,
        event: Event,
        note: Option<String>,
        now: NaiveDateTime,
    ) -> Result<Logged, DeskError> {
        let touch = self.current_touch(prospect_id)?;
        let req = LogRequest {
            note,
            ..LogRequest::new(prospect_id, touch, Happened::from(event))
        };
        self.log(req, now)
    }

    /// Logs one outcome as one action. Refusals ([`Refused`]) change nothing.
    pub fn log(&mut self, req: LogRequest, now: NaiveDateTime) -> Result<Logged, DeskError> {
        let settings = self.log_settings();
        let kind = event_name(&req.happened.event());
        Ok(self.store.action(kind, now, |tx| {
            let (mut logged, mut said) = log_in(tx, &req, &settings, now)?;
            if req.whole_domain {
                let blocked = super::accounts::block_domain_in(tx, req.prospect_id, &settings.cal)?;
                logged.message = format!("{}\n{blocked}", logged.message);
                said = format!("{said}\n{blocked}");
            }
            Ok((logged, said))
        })?)
    }
}

/// The prospect's open enrollment, as a log reads it.
#[derive(Clone, Copy)]
pub(super) struct Open<'a> {
    pub p: &'a Prospect,
    pub e: &'a Enrollment,
    pub seq_name: &'a str,
    pub seq: &'a Sequence,
}

/// The whole decision, inside the action's transaction.
pub(super) fn log_in(
    tx: &mut Tx,
    req: &LogRequest,
    s: &Settings,
    now: NaiveDateTime,
) -> Result<(Logged, String)> {
    let p = queries::prospect(tx.conn(), req.prospect_id)?
        .ok_or_else(|| anyhow!("no prospect {}", req.prospect_id))?;
    let open = queries::open_enrollment(tx.conn(), p.id)?;
    if let Some(seen) = req.touch.filter(|_| req.happened.bound_to_touch()) {
        let current = open.as_ref().and_then(|(e, _)| e.touch());
        if current != Some(seen) {
            return Err(Refused::Stale(stale_message(tx, &p, seen, now)?).into());
        }
    }
    let Some((e, seq_name)) = open else {
        return log_without_enrollment(tx, &p, req, s, now);
    };
    let seq = tx.version(e.version_id)?;
    let open = Open {
        p: &p,
        e: &e,
        seq_name: &seq_name,
        seq: &seq,
    };
    if let Happened::Bounced { reported: true } = req.happened {
        if let Some(sent) = last_sent_email(tx, e.id)? {
            return late_bounce(tx, &open, sent, s, now);
        }
    }
    log_on_open(tx, &open, req, s, now)
}

/// An event on the open enrollment: checked, answered by the engine, written.
fn log_on_open(
    tx: &mut Tx,
    open: &Open,
    req: &LogRequest,
    s: &Settings,
    now: NaiveDateTime,
) -> Result<(Logged, String)> {
    let Open { p, e, seq, .. } = *open;
    let event = req.happened.event();
    let ctx = Ctx {
        plan: &seq.plan,
        reach: super::repeats::reach(tx.conn(), p, seq, (e.id, e.ordinal))?,
        now,
        cal: &s.cal,
    };
    let (settled, settle_records) = domain::engine::settle(&ctx, e);
    let now_open = Open {
        e: &settled,
        ..*open
    };
    if req.happened.needs_due() {
        check_due(&now_open, req.ahead, now)?;
    }
    let frozen = match (&event, req.refuse_repeat) {
        (Event::Work(typed), refuse) => {
            if refuse {
                check_repeat(tx, &now_open, *typed)?;
            }
            Some(freeze(tx, &now_open, *typed, &req.happened, s)?)
        }
        _ => None,
    };
    let mut t = answer(tx, &ctx, open, &req.happened)?;
    let mut after = t.enrollment.clone();
    let moved = if super::queue::never_capped(&seq.plan, after.step) {
        None
    } else {
        let rule = Leveling {
            cap: s.cap,
            cal: &s.cal,
            today: now.date(),
            include_today: false,
        };
        let moved = level(tx, &mut after, &rule)?;
        let mut load = super::accounts::AccountLoad::default();
        super::accounts::level_account(tx, &mut after, (s.per_account, &rule), &mut load)?.or(moved)
    };
    let mut message = logged_sentence(&event, open, &after, &t.records, now);
    if let Happened::SentAsCopied { .. } = req.happened {
        message.push_str(" (kept as you copied it, gaps marked [field])");
    }
    if let Some(m) = moved {
        message.push_str(&format!(
            " (moved from {}: that day is full)",
            day_label(m.from, now.date())
        ));
    }
    tx.put_enrollment(&after, open.seq_name)?;
    // The settle records (a pause that ended by itself) come first; the note belongs to the
    // rep's own event, the first record after them.
    let written = Written {
        primary: settle_records.len(),
        frozen: frozen.as_ref(),
    };
    write_records(tx, open, req, &mut t, written)?;
    apply_effects(tx, p, e.id, &t.effects)?;
    let heard = super::conversation::Heard::of((p.id, open.e.id), &t.records, req, s.zone);
    super::conversation::after_answer(tx, heard)?;
    let told = super::accounts::tell_colleagues(tx, p, &t.records, s.account_rule, &s.cal)?;
    message.push_str(&colleagues_said(told, s.account_rule));
    let follow = reply::follow_on(tx, p, seq, &req.happened.reply(), s)?;
    message.push_str(&follow.said);
    let logged = Logged {
        message: message.clone(),
        enrollment: Some(after),
        referred: follow.referred,
    };
    Ok((logged, message))
}

/// "; 2 colleagues' sequences paused" after the account rule acted.
pub(super) fn colleagues_said(told: usize, rule: crate::domain::accounts::AccountRule) -> String {
    if told == 0 {
        return String::new();
    }
    let did = match rule {
        crate::domain::accounts::AccountRule::Finish => "finished",
        _ => "paused",
    };
    let whose = crate::text::count(told, "colleague's sequence", "colleagues' sequences");
    format!("; {whose} {did}")
}

/// The engine's answer, with what the rep said on top: how a call ended, a credit, a
/// reply's kind.
fn answer(tx: &Tx, ctx: &Ctx, open: &Open, happened: &Happened) -> Result<Transition> {
    let mut t = domain::apply(ctx, open.e, &happened.event())?;
    if let Happened::Connected { went, .. } = happened {
        match went {
            CallWent::Reply(_) => {}
            CallWent::Meeting(_) => t = domain::conversation::end_call(t, CallEnd::Meeting),
            CallWent::NotInterested => {
                t = domain::conversation::end_call(t, CallEnd::NotInterested);
            }
        }
    }
    if let Some(step) = happened.credit() {
        credit_to(tx, open.e, open.seq, &mut t.records, step)?;
    }
    reply::stamp(&happened.reply(), &mut t.records, ctx.now.date())?;
    Ok(t)
}

/// Where the rep's own record starts among the records, and the text frozen on the touch.
struct Written<'a> {
    primary: usize,
    frozen: Option<&'a Frozen>,
}

/// Appends the transition's records: the touch with its frozen text, the note on the rep's
/// own record, a meeting with its time.
fn write_records(
    tx: &mut Tx,
    open: &Open,
    req: &LogRequest,
    t: &mut Transition,
    written: Written,
) -> Result<()> {
    for (i, r) in t.records.iter().enumerate() {
        let text = if r.is_touch { written.frozen } else { None };
        let note = if i == written.primary {
            req.note.as_deref()
        } else {
            None
        };
        let id = tx.append(Some(open.e.id), open.p.id, r, note, text)?;
        let meeting = r.outcome == domain::Outcome::Meeting;
        if let Some(at) = req.happened.meeting_at().filter(|_| meeting) {
            tx.set_meeting_at(id, at)?;
        }
    }
    Ok(())
}
