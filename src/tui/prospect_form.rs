//! `E`: a prospect's fields as a small TOML file for the rep's `$EDITOR`, and the saved file
//! read back into the changes `touchbase edit` makes. A key taken out of the file clears
//! that field; a broken file changes nothing and says where it broke.

use crate::desk::ProspectEdit;
use crate::domain::fields::editable;
use crate::domain::{Field, Prospect};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The file's name in error messages.
const SHOWN: &str = "prospect.toml";

/// A request from a key to the event loop: edit this prospect's file, then hand it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProspectFile {
    /// Whose file it is; `None` for a prospect not yet in the book.
    pub prospect_id: Option<i64>,
    pub name: String,
    pub text: String,
}

/// The saved file: the prospect's own fields by key, and the custom ones.
#[derive(Debug, Deserialize)]
struct Form {
    #[serde(flatten)]
    own: BTreeMap<String, String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
}

/// The file the editor opens.
pub fn to_file(p: &Prospect) -> ProspectFile {
    let quote = |v: &str| toml::Value::String(v.to_string()).to_string();
    let mut text = format!(
        "# {} (prospect {}). Save and quit to apply; an empty value clears a field.\n",
        crate::text::sanitize(&p.full_name()),
        p.id,
    );
    for spec in editable() {
        if spec.field == Field::Timezone {
            text.push_str("# A time zone like America/Chicago; empty: worked out from the city.\n");
        }
        let value = p.field(spec.field).unwrap_or_default();
        text.push_str(&format!("{} = {}\n", spec.key, quote(value)));
    }
    text.push_str("\n[fields]\n");
    for (k, v) in &p.fields {
        let bare = !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let key = if bare { k.clone() } else { quote(k) };
        text.push_str(&format!("{key} = {}\n", quote(v)));
    }
    ProspectFile {
        prospect_id: Some(p.id),
        name: p.full_name(),
        text,
    }
}

/// Reads the saved file: each key must be one of the prospect's editable fields.
fn read_form(saved: &str) -> Result<Form, String> {
    let form: Form = toml::from_str(saved).map_err(|e| locate(saved, &e))?;
    let editable_key = |k: &str| editable().any(|s| s.key == k);
    if let Some(unknown) = form.own.keys().find(|k| !editable_key(k)) {
        let line = saved
            .lines()
            .position(|l| l.trim_start().starts_with(unknown.as_str()))
            .map_or(1, |i| i + 1);
        return Err(format!(
            "{SHOWN} line {line}, column 1: unknown field `{unknown}`"
        ));
    }
    Ok(form)
}

/// The changes a saved file asks for, against the prospect as the file was made from.
pub fn changes(saved: &str, before: &Prospect) -> Result<ProspectEdit, String> {
    let form = read_form(saved)?;
    // Every field the file had: those taken out are cleared (a first name stays).
    let mut set: BTreeMap<Field, String> = editable()
        .filter(|s| !s.field.required())
        .map(|s| (s.field, String::new()))
        .collect();
    set.extend(
        form.own
            .into_iter()
            .filter_map(|(k, v)| Some((Field::from_key(&k)?, v))),
    );
    let mut fields: BTreeMap<String, String> = before
        .fields
        .keys()
        .map(|k| (k.clone(), String::new()))
        .collect();
    fields.extend(form.fields);
    Ok(ProspectEdit {
        set,
        fields,
        note: None,
    })
}

/// The file for a new prospect: every field empty.
pub fn blank() -> ProspectFile {
    let mut file = to_file(&Prospect::default());
    file.text = file.text.replacen(
        "#  (prospect 0). Save and quit to apply; an empty value clears a field.",
        "# A new prospect: fill in at least the first name, then save and quit.",
        1,
    );
    file.prospect_id = None;
    file.name = "the new prospect".to_string();
    file
}

/// A new prospect from a saved file.
pub fn new_prospect(saved: &str) -> Result<Prospect, String> {
    let form = read_form(saved)?;
    let mut p = Prospect::default();
    for (k, v) in form.own {
        let v = v.trim();
        if let Some(f) = Field::from_key(&k).filter(|_| !v.is_empty()) {
            p.set_field(f, Some(v.to_string()));
        }
    }
    if p.first_name.is_empty() {
        return Err("a prospect needs a first name".to_string());
    }
    p.fields = form
        .fields
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    Ok(p)
}

/// A TOML error as one line naming the file, line and column.
fn locate(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{SHOWN} line {line}, column {column}: {message}")
        }
        None => format!("{SHOWN}: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ana() -> Prospect {
        let mut p = Prospect {
            id: 4,
            first_name: "Ana".into(),
            last_name: "Silva".into(),
            email: Some("ana@lumen.example".into()),
            ..Prospect::default()
        };
        p.fields.insert("industry".into(), "retail \"B2C\"".into());
        p
    }

    #[test]
    fn the_file_read_back_unchanged_changes_nothing_it_shows() {
        let p = ana();
        let edit = changes(&to_file(&p).text, &p).unwrap();
        let set = |f: Field| edit.set.get(&f).map(String::as_str);
        assert_eq!(set(Field::FirstName), Some("Ana"));
        assert_eq!(set(Field::Email), Some("ana@lumen.example"));
        assert_eq!(set(Field::Company), Some(""));
        assert_eq!(
            edit.fields.get("industry").map(String::as_str),
            Some("retail \"B2C\"")
        );
    }

    #[test]
    fn a_filled_company_and_a_removed_field_are_the_changes() {
        let p = ana();
        let saved: String = to_file(&p)
            .text
            .replace("company = \"\"", "company = \"Lumen Retail\"")
            .lines()
            .filter(|l| !l.starts_with("industry"))
            .map(|l| format!("{l}\n"))
            .collect();
        let edit = changes(&saved, &p).unwrap();
        assert_eq!(
            edit.set.get(&Field::Company).map(String::as_str),
            Some("Lumen Retail")
        );
        assert_eq!(edit.fields.get("industry").map(String::as_str), Some(""));
    }

    #[test]
    fn a_blank_file_makes_a_new_prospect_and_needs_a_first_name() {
        let blank = blank();
        assert!(blank.text.starts_with("# A new prospect"), "{}", blank.text);
        let filled = blank
            .text
            .replace("first_name = \"\"", "first_name = \"Mia\"")
            .replace("company = \"\"", "company = \"Quanta\"");
        let p = new_prospect(&filled).unwrap();
        assert_eq!(
            (p.first_name.as_str(), p.company.as_deref()),
            ("Mia", Some("Quanta"))
        );
        assert_eq!(p.email, None);
        assert!(
            new_prospect(&blank.text)
                .unwrap_err()
                .contains("first name")
        );
    }

    #[test]
    fn a_broken_file_names_its_line_and_column() {
        let p = ana();
        let saved = to_file(&p)
            .text
            .replace("company = \"\"", "company = \"Lumen");
        let err = changes(&saved, &p).unwrap_err();
        assert!(err.starts_with("prospect.toml line 7, column 17"), "{err}");
        let unknown = changes("first_name = \"Ana\"\ncompnay = \"x\"\n", &p).unwrap_err();
        assert!(unknown.contains("line 2, column 1"), "{unknown}");
    }
}
