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

/// A known prospect updated with the non-empty values of a new row. Flags, the id, any
/// field the row leaves empty and any field the rep set in touchbase stay as they were.
pub fn merge(mut known: Prospect, mut new: Prospect) -> Prospect {
    for spec in FIELDS {
        if known.rep_fields.contains(spec.key) {
            continue;
        }
        let Some(v) = new.field(spec.field).filter(|v| !v.is_empty()) else {
            continue;
        };
        // "marcus webb" does not undo "Marcus Webb", nor "Muller" undo "Müller".
        let old = known.field(spec.field).unwrap_or_default();
        if folded(old) == folded(v) && written_care(old) >= written_care(v) {
            continue;
        }
        known.set_field(spec.field, Some(v.to_string()));
    }
    new.fields.retain(|k, _| !known.rep_fields.contains(k));
    known.fields.extend(new.fields);
    known.external_ids.extend(new.external_ids);
    known
}

/// What an update changes in a known prospect, field by field, and which of the row's
/// values lost to one the rep set ("title kept as you set it"), for a dry run to show.
pub fn changes(before: &Prospect, row: &Prospect, after: &Prospect) -> Vec<String> {
    let shown = |v: &str| format!("'{}'", crate::text::sanitize(v));
    let mut out = Vec::new();
    let mut compare = |key: &str, old: &str, new: &str, offered: &str| {
        if old != new {
            out.push(match old.is_empty() {
                true => format!("{key} {}", shown(new)),
                false => format!("{key} {} → {}", shown(old), shown(new)),
            });
        } else if before.rep_fields.contains(key) && !offered.is_empty() && offered != old {
            out.push(format!(
                "{key} kept as you set it ({}; the file says {})",
                shown(old),
                shown(offered)
            ));
        }
    };
    for spec in FIELDS {
        let get = |p: &Prospect| p.field(spec.field).unwrap_or_default().to_string();
        compare(spec.key, &get(before), &get(after), &get(row));
    }
    let custom = |p: &Prospect, k: &str| p.fields.get(k).cloned().unwrap_or_default();
    let keys: std::collections::BTreeSet<&String> =
        after.fields.keys().chain(row.fields.keys()).collect();
    for key in keys {
        compare(
            key,
            &custom(before, key),
            &custom(after, key),
            &custom(row, key),
        );
    }
    out
}

/// A value in lower case without its accents, to tell two spellings of one value.
fn folded(s: &str) -> String {
    s.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à'..='å' => 'a',
            'ç' => 'c',
            'è'..='ë' => 'e',
            'ì'..='ï' => 'i',
            'ñ' => 'n',
            'ò'..='ö' | 'ø' => 'o',
            'ù'..='ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// How carefully a value is written: mixed case beats all one case, then accents count.
fn written_care(s: &str) -> (bool, usize) {
    let mixed = s.chars().any(char::is_uppercase) && s.chars().any(char::is_lowercase);
    (mixed, s.chars().filter(|c| !c.is_ascii()).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(first: &str, title: &str) -> Prospect {
        Prospect {
            first_name: first.to_string(),
            title: Some(title.to_string()),
            ..Prospect::default()
        }
    }

    #[test]
    fn a_row_never_makes_a_value_worse() {
        let cases = [
            // (known, row, kept)
            (
                ("Marcus", "VP Sales"),
                ("marcus", "VP SALES"),
                ("Marcus", "VP Sales"),
            ),
            (
                ("marcus", "vp sales"),
                ("Marcus", "VP Sales"),
                ("Marcus", "VP Sales"),
            ),
            (("Müller", "CTO"), ("Muller", "CTO"), ("Müller", "CTO")),
            (
                ("Marcus", "VP Sales"),
                ("Mark", "SVP Sales"),
                ("Mark", "SVP Sales"),
            ),
            (
                ("Marcus", "VP Sales"),
                ("Marcus", ""),
                ("Marcus", "VP Sales"),
            ),
        ];
        for ((kf, kt), (nf, nt), (wf, wt)) in cases {
            let merged = merge(named(kf, kt), named(nf, nt));
            assert_eq!(
                (merged.first_name.as_str(), merged.title.as_deref()),
                (wf, Some(wt)),
                "{kf}/{kt} with {nf}/{nt}"
            );
        }
    }
}
