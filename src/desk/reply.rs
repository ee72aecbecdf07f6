//! What a reply's kind asks for: the kind is kept on the reply; "not now" brings the prospect
//! back into the sequence on the date they gave; a referral adds the person they named.

use super::enroll::{EnrollTarget, Start, enroll_in};
use crate::content::Sequence;
use crate::desk::store::{Tx, queries};
use crate::domain::{Outcome, Prospect, Record, ReplyKind};
use anyhow::{Result, bail};
use chrono::{NaiveDate, NaiveDateTime};

/// What the rep said about a reply, beyond that it came.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplyDetails {
    pub kind: Option<ReplyKind>,
    /// For "not now": the day they asked to hear back.
    pub back_on: Option<NaiveDate>,
    /// For a referral: the person they named.
    pub referral: Option<Referral>,
}

/// Someone a prospect pointed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
}

/// Reads "Sam Lee <sam@northwind.example>", "Sam Lee, sam@…", "sam@…" or "Sam Lee".
pub fn parse_referral(text: &str) -> Result<Referral> {
    let email = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|w| w.trim_matches(|c| c == '<' || c == '>'))
        .find(|w| w.contains('@'))
        .map(str::to_lowercase);
    let name: String = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty() && !w.contains('@'))
        .collect::<Vec<_>>()
        .join(" ");
    let (first, last) = match name.rsplit_once(' ') {
        Some((first, last)) => (first.to_string(), last.to_string()),
        None => (name.clone(), String::new()),
    };
    let first = if first.is_empty() {
        // Only an address: its local part is the best name there is.
        email
            .as_deref()
            .and_then(|e| e.split('@').next())
            .unwrap_or_default()
            .to_string()
    } else {
        first
    };
    if first.is_empty() {
        bail!("a referral needs a name or an email address (\"Sam Lee <sam@example.com>\")");
    }
    Ok(Referral {
        first_name: first,
        last_name: last,
        email,
    })
}

/// Checks the details fit the event and stamps the kind on the reply record.
pub fn stamp(details: &ReplyDetails, records: &mut [Record], today: NaiveDate) -> Result<()> {
    let Some(kind) = details.kind else {
        if details.back_on.is_some() || details.referral.is_some() {
            bail!("a return date or a referral goes with a reply kind (--kind not-now, referral)");
        }
        return Ok(());
    };
    match (kind, details.back_on) {
        (ReplyKind::NotNow, None) => {
            bail!("not-now needs the day they asked to hear back (--until DATE)")
        }
        (ReplyKind::NotNow, Some(d)) if d <= today => {
            bail!("{d} has passed: not-now needs a later day")
        }
        (ReplyKind::NotNow, Some(_)) | (_, None) => {}
        (_, Some(_)) => bail!("a return date goes with not-now only"),
    }
    if details.referral.is_some() && kind != ReplyKind::Referral {
        bail!("a referred person goes with --kind referral only");
    }
    let mut stamped = false;
    for r in records.iter_mut().filter(|r| r.outcome == Outcome::Replied) {
        r.kind = Some(kind);
        stamped = true;
    }
    if !stamped {
        bail!("a reply kind goes with replied");
    }
    Ok(())
}

/// What a reply's kind led to.
#[derive(Debug, Default)]
pub struct FollowOn {
    /// What to add to the status line.
    pub said: String,
    /// The person a referral added (id and name), to offer a sequence for.
    pub referred: Option<(i64, String)>,
}

/// Does what the kind asks, after the reply closed the enrollment.
pub(super) fn follow_on(
    tx: &mut Tx,
    p: &Prospect,
    seq: &Sequence,
    details: &ReplyDetails,
    s: &super::log::Settings,
) -> Result<FollowOn> {
    let now = tx.now;
    let cal = &s.cal;
    let mut said = String::new();
    let mut referred = None;
    if let (Some(ReplyKind::NotNow), Some(back)) = (details.kind, details.back_on) {
        // They come back into the sequence that picks the conversation up (the sequence's
        // `not_now`, else re-engagement), never into the opener they already had. The
        // cool-off after a reply does not apply: they asked for this day.
        let name = seq.not_now.as_deref().unwrap_or(RE_ENGAGEMENT);
        let again = s.library.load(name).ok();
        let seq = again.as_ref().unwrap_or(seq);
        let mut target = EnrollTarget::new(seq);
        match enroll_in(
            tx,
            p,
            &mut target,
            Start {
                day: back,
                force: true,
            },
            cal,
        )? {
            Ok(e) => {
                // The start may roll past a weekend: say when the first touch is due.
                let first = e.due.map_or(back, |d| d.date());
                said.push_str(&format!(
                    "; back in {} on {}",
                    seq.name,
                    first.format("%a %-d %b %Y")
                ));
            }
            Err(refusal) => bail!("{refusal}"),
        }
    }
    if let Some(r) = &details.referral {
        let (line, added) = add_referral(tx, p, r, now)?;
        said.push_str(&line);
        referred = added;
    }
    Ok(FollowOn { said, referred })
}

/// The built-in sequence a "not now" comes back into by default.
pub const RE_ENGAGEMENT: &str = "re-engagement";

/// Adds the person a referral named; the status words and, when added, their id and name.
pub(super) fn add_referral(
    tx: &mut Tx,
    by: &Prospect,
    r: &Referral,
    now: NaiveDateTime,
) -> Result<(String, Option<(i64, String)>)> {
    let mut named = Prospect {
        first_name: r.first_name.clone(),
        last_name: r.last_name.clone(),
        email: r.email.clone(),
        company: by.company.clone(),
        timezone: by.timezone.clone(),
        notes: format!(
            "Referred by {} (prospect {}) on {}.",
            by.full_name(),
            by.id,
            now.format("%-d %b %Y")
        ),
        created_at: Some(now),
        ..Prospect::default()
    };
    named
        .fields
        .insert("referred_by".to_string(), by.full_name());
    crate::domain::prospect::normalize_identifiers(&mut named);
    if let Some(known) = queries::matching_prospect(tx.conn(), &named)? {
        let line = format!("; {} is already prospect {}", known.full_name(), known.id);
        return Ok((line, None));
    }
    if let Some((kind, value)) = queries::do_not_contact_match(tx.conn(), &named)? {
        let line = format!(
            "; {} is on the do-not-contact list ({kind} {value}), not added",
            named.full_name()
        );
        return Ok((line, None));
    }
    let id = tx.put_prospect(&named)?;
    let line = format!(
        "; added {} as prospect {id}, not enrolled yet",
        named.full_name()
    );
    Ok((line, Some((id, named.full_name()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_referral_the_ways_reps_write_it() {
        let r = parse_referral("Sam Lee <Sam@Northwind.example>").expect("parse");
        assert_eq!(
            (r.first_name.as_str(), r.last_name.as_str()),
            ("Sam", "Lee")
        );
        assert_eq!(r.email.as_deref(), Some("sam@northwind.example"));
        let r = parse_referral("Ana María López, ana@x.example").expect("parse");
        assert_eq!(
            (r.first_name.as_str(), r.last_name.as_str()),
            ("Ana María", "López")
        );
        let r = parse_referral("ops@x.example").expect("parse");
        assert_eq!(r.first_name, "ops");
        assert!(parse_referral("  ").is_err());
    }
}
