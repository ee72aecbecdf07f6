//! How a row meets a prospect the book already knows: whether it is the same person, and
//! what an update keeps. Pure rules, table-tested; the desk does the lookups.

use crate::domain::{FIELDS, Prospect};

/// Whether a row matched only by phone or by name may be `known`: nothing it carries
/// contradicts them (another email, profile or id from the same tool), and the names agree.
pub fn same_person(row: &Prospect, known: &Prospect) -> bool {
    let differs = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b));
    let other_id = row
        .external_ids
        .iter()
        .any(|(source, id)| known.external_ids.get(source).is_some_and(|k| k != id));
    let name =
        |a: &str, b: &str| a.is_empty() || b.is_empty() || a.trim().eq_ignore_ascii_case(b.trim());
    !differs(&row.email, &known.email)
        && !differs(&row.linkedin, &known.linkedin)
        && !other_id
        && row
            .first_name
            .trim()
            .eq_ignore_ascii_case(known.first_name.trim())
        && name(&row.last_name, &known.last_name)
}

/// A known prospect updated with the non-empty values of a new row. Flags, the id and any
/// field the row leaves empty stay as they were.
pub fn merge(mut known: Prospect, new: Prospect) -> Prospect {
    for spec in FIELDS {
        if let Some(v) = new.field(spec.field).filter(|v| !v.is_empty()) {
            known.set_field(spec.field, Some(v.to_string()));
        }
    }
    known.fields.extend(new.fields);
    known.external_ids.extend(new.external_ids);
    known
}
