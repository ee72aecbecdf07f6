//! Whom a message is about: by the thread it answers first (mail the rep or touchbase
//! sent), then by the sender's address, then, for a colleague at a prospect's domain, the
//! people there who were sent its subject.

use super::Known;
use super::possible::{book_domains, candidates};
use crate::desk::Desk;
use crate::desk::store::queries;
use crate::domain::Prospect;
use crate::inbox::{Kind, Mail};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

impl Desk {
    /// The prospect a message is about, and whether that is only a guess (someone else at
    /// their company answering one of their subjects: maybe a reply).
    pub(super) fn whom(
        &self,
        kind: &Kind,
        mail: &Mail,
        known: &mut Known,
    ) -> Result<(Option<Prospect>, bool)> {
        let about = match kind {
            Kind::Bounce { recipient, .. } | Kind::Complaint { recipient } => recipient.clone(),
            // An answer to a message the rep sent is theirs, from whatever address.
            _ => match self.by_thread(mail, known)? {
                Some(p) => return Ok((Some(p), false)),
                None => mail.from.clone(),
            },
        };
        let prospect = match &about {
            Some(address) => by_address(self.store.conn(), address)?,
            None => None,
        };
        let (Kind::Reply, None, Some(from)) = (kind, &prospect, &mail.from) else {
            return Ok((prospect, false));
        };
        if known.domains.is_none() {
            known.domains = Some(book_domains(self.store.conn())?);
        }
        let domain = from.rsplit_once('@').map_or("", |(_, d)| d);
        if !known.domains.as_ref().is_some_and(|d| d.contains(domain)) {
            return Ok((None, false));
        }
        let people = candidates(self.store.conn(), from, &mail.subject)?;
        known.candidates = people.clone();
        match people.as_slice() {
            [] => Ok((None, false)),
            [one] => Ok((queries::prospect(self.store.conn(), *one)?, true)),
            // Several were sent the subject: the rep says whose it is.
            _ => Ok((None, true)),
        }
    }

    /// The prospect a message answers by its thread: the recipient of a message the rep
    /// sent (seen in the sent folder, in this sync or an earlier one) that it names in
    /// `In-Reply-To` or `References`.
    fn by_thread(&self, mail: &Mail, known: &Known) -> Result<Option<Prospect>> {
        for id in &mail.thread_ids {
            let conn = self.store.conn();
            // An email touchbase sent (its Message-ID on the touch), else one the rep sent
            // that the sent folder showed.
            let sent_here: Option<i64> = conn
                .prepare_cached(
                    "SELECT prospect_id FROM touches WHERE json_extract(extra, '$.i') = ?1 LIMIT 1",
                )?
                .query_row([id], |r| r.get(0))
                .optional()?;
            let found = match (sent_here, known.sent.get(id)) {
                (Some(p), _) | (None, Some(&p)) => Some(p),
                (None, None) => conn
                    .prepare_cached(
                        "SELECT prospect_id FROM inbox_messages WHERE message_id = ?1 \
                         AND kind = 'sent' AND prospect_id IS NOT NULL LIMIT 1",
                    )?
                    .query_row([id], |r| r.get(0))
                    .optional()?,
            };
            if let Some(p) = found {
                return queries::prospect(self.store.conn(), p);
            }
        }
        Ok(None)
    }
}

/// The prospect an address belongs to: their main email, or one of their other addresses
/// when exactly one prospect has it.
pub(super) fn by_address(
    conn: &Connection,
    address: &str,
) -> Result<Option<crate::domain::Prospect>> {
    if let Some(p) =
        queries::find_prospect(conn, address)?.filter(|p| p.email.as_deref() == Some(address))
    {
        return Ok(Some(p));
    }
    let mut stmt =
        conn.prepare_cached("SELECT prospect_id FROM other_addresses WHERE address = ?1 LIMIT 2")?;
    let ids: Vec<i64> = stmt
        .query_map([address], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match ids.as_slice() {
        [one] => queries::prospect(conn, *one),
        _ => Ok(None),
    }
}
