//! Fixing a prospect's fields (`touchbase edit`): a missing company, a new email. One
//! undoable action; an email or profile another prospect has, or one on the do-not-contact
//! list, is refused.

use super::Desk;
use crate::desk::DeskError;
use crate::desk::store::queries;
use crate::domain::{FIELDS, Field, Prospect};
use anyhow::{Result, bail};
use chrono::NaiveDateTime;
use std::collections::BTreeMap;

/// The changes to a prospect: what is named is set (empty clears it), the rest is left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProspectEdit {
    /// The fields to set; an empty value clears one (a first name cannot be cleared).
    pub set: BTreeMap<Field, String>,
    /// Custom fields; an empty value removes one.
    pub fields: BTreeMap<String, String>,
    /// A note added to the prospect's notes, dated.
    pub note: Option<String>,
}

impl ProspectEdit {
    /// The prospect with the changes made.
    pub fn apply(&self, mut p: Prospect, now: NaiveDateTime) -> Result<Prospect> {
        for (field, v) in &self.set {
            let v = v.trim();
            if field.required() && v.is_empty() {
                let name = field.key().replace('_', " ");
                bail!(
                    "a prospect needs a {name}: --{} cannot be empty",
                    field.flag()
                );
            }
            let v = match checked(*field, v) {
                Ok(v) => v,
                Err(why) => bail!("--{}: {why}", field.flag()),
            };
            // A value the rep changed is theirs: no import changes it again.
            if p.field(*field).unwrap_or_default() != v {
                p.rep_fields.insert(field.key().to_string());
            }
            p.set_field(*field, (!v.is_empty()).then_some(v));
        }
        for (k, v) in &self.fields {
            let v = v.trim();
            if p.fields.get(k).map_or("", String::as_str) != v {
                p.rep_fields.insert(k.clone());
            }
            if v.is_empty() {
                p.fields.remove(k);
            } else {
                p.fields.insert(k.clone(), v.to_string());
            }
        }
        if let Some(note) = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            let line = format!("{}: {note}", now.format("%-d %b %Y"));
            p.notes = if p.notes.trim().is_empty() {
                line
            } else {
                format!("{}\n{line}", p.notes.trim_end())
            };
        }
        Ok(p)
    }
}

/// A field's value as every door takes it: an email, a phone or a LinkedIn profile must be
/// one (the profile in the one form touchbase keeps); the rest as typed. Empty stays empty.
pub fn checked(field: Field, value: &str) -> Result<String, String> {
    use crate::domain::checks;
    match field {
        _ if value.trim().is_empty() => Ok(String::new()),
        Field::Email => checks::email(value),
        Field::Phone => checks::phone(value),
        Field::Linkedin => checks::linkedin(value),
        Field::Timezone => crate::domain::zones::zone_named(value),
        _ => Ok(value.trim().to_string()),
    }
}

impl Desk {
    /// Changes a prospect's fields in one action and says what changed.
    pub fn edit(
        &mut self,
        key: &str,
        edit: &ProspectEdit,
        now: NaiveDateTime,
    ) -> Result<String, DeskError> {
        let found = self.prospect(key)?;
        Ok(self.store.action("edit", now, |tx| {
            // What the decision rests on is read inside the action.
            let before = queries::prospect(tx.conn(), found.id)?
                .ok_or_else(|| anyhow::anyhow!("prospect {} is gone", found.id))?;
            let mut after = edit.apply(before.clone(), now)?;
            crate::domain::prospect::normalize_identifiers(&mut after);
            // A new place with no zone given: the zone from the place, as an import does.
            let place = |p: &Prospect| {
                let get = |k: &str| p.fields.get(k).cloned();
                (
                    p.city.clone(),
                    get("state"),
                    get("country"),
                    get("location"),
                )
            };
            if after.timezone.is_none() && place(&after) != place(&before) {
                after.timezone = crate::import::row::infer_zone(&after)
                    .zone()
                    .map(str::to_string);
            }
            if let Some(other) = queries::matching_prospect(tx.conn(), &after)? {
                if other.id != after.id {
                    bail!(
                        "{} is already prospect {} ({}); not changed",
                        after
                            .email
                            .as_deref()
                            .or(after.linkedin.as_deref())
                            .unwrap_or_default(),
                        other.id,
                        other.full_name()
                    );
                }
            }
            if let Some((kind, value)) = queries::do_not_contact_match(tx.conn(), &after)? {
                let already = queries::do_not_contact_match(tx.conn(), &before)?;
                if already.is_none() {
                    bail!("{kind} {value} is on the do-not-contact list; not changed");
                }
            }
            let changed = changed_fields(&before, &after);
            if changed.is_empty() {
                let msg = format!("Nothing to change for {}.", after.full_name());
                return Ok((msg.clone(), msg));
            }
            tx.put_prospect(&after)?;
            let msg = format!(
                "Changed {} for {} (prospect {})",
                changed.join(", "),
                after.full_name(),
                after.id
            );
            Ok((msg.clone(), msg))
        })?)
    }
}

/// The names of the fields that differ: "name" for either name, then each field in the
/// table's order, then the custom fields, the notes last.
fn changed_fields(a: &Prospect, b: &Prospect) -> Vec<String> {
    let differs = |f: Field| a.field(f) != b.field(f);
    let mut out = Vec::new();
    if differs(Field::FirstName) || differs(Field::LastName) {
        out.push("name".to_string());
    }
    let named = |f: &Field| !matches!(f, Field::FirstName | Field::LastName | Field::Notes);
    for spec in FIELDS
        .iter()
        .filter(|s| named(&s.field) && differs(s.field))
    {
        out.push(spec.key.to_string());
    }
    for k in a.fields.keys().chain(b.fields.keys()) {
        if a.fields.get(k) != b.fields.get(k) && !out.contains(k) {
            out.push(k.clone());
        }
    }
    if differs(Field::Notes) {
        out.push("notes".to_string());
    }
    out
}
