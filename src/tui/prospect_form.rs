//! `E`: a prospect's fields as a small TOML file for the rep's `$EDITOR`, and the saved file
//! read back into the changes `touchbase edit` makes. A key taken out of the file clears
//! that field; a broken file changes nothing and says where it broke.

use crate::desk::ProspectEdit;
use crate::domain::Prospect;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The file's name in error messages.
const SHOWN: &str = "prospect.toml";

/// A request from a key to the event loop: edit this prospect's file, then hand it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProspectFile {
    pub prospect_id: i64,
    pub name: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Form {
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    linkedin: Option<String>,
    company: Option<String>,
    title: Option<String>,
    city: Option<String>,
    timezone: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
}

/// The file the editor opens.
pub fn to_file(p: &Prospect) -> ProspectFile {
    let quote = |v: &str| toml::Value::String(v.to_string()).to_string();
    let opt = |v: &Option<String>| quote(v.as_deref().unwrap_or_default());
    let mut text = format!(
        "# {} (prospect {}). Save and quit to apply; an empty value clears a field.\n\
         first_name = {}\nlast_name = {}\nemail = {}\nphone = {}\nlinkedin = {}\n\
         company = {}\ntitle = {}\ncity = {}\n\
         # A time zone like America/Chicago; empty: worked out from the city.\n\
         timezone = {}\n\n[fields]\n",
        crate::text::sanitize(&p.full_name()),
        p.id,
        quote(&p.first_name),
        quote(&p.last_name),
        opt(&p.email),
        opt(&p.phone),
        opt(&p.linkedin),
        opt(&p.company),
        opt(&p.title),
        opt(&p.city),
        opt(&p.timezone),
    );
    for (k, v) in &p.fields {
        let bare = !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let key = if bare { k.clone() } else { quote(k) };
        text.push_str(&format!("{key} = {}\n", quote(v)));
    }
    ProspectFile {
        prospect_id: p.id,
        name: p.full_name(),
        text,
    }
}

/// The changes a saved file asks for, against the prospect as the file was made from.
pub fn changes(saved: &str, before: &Prospect) -> Result<ProspectEdit, String> {
    let form: Form = toml::from_str(saved).map_err(|e| locate(saved, &e))?;
    let all = |v: Option<String>| Some(v.unwrap_or_default());
    // Every field the file had: those taken out are cleared.
    let mut fields: BTreeMap<String, String> = before
        .fields
        .keys()
        .map(|k| (k.clone(), String::new()))
        .collect();
    fields.extend(form.fields);
    Ok(ProspectEdit {
        first_name: form.first_name,
        last_name: all(form.last_name),
        email: all(form.email),
        phone: all(form.phone),
        linkedin: all(form.linkedin),
        company: all(form.company),
        title: all(form.title),
        city: all(form.city),
        timezone: all(form.timezone),
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
    file.name = "the new prospect".to_string();
    file
}

/// A new prospect from a saved file.
pub fn new_prospect(saved: &str) -> Result<Prospect, String> {
    let form: Form = toml::from_str(saved).map_err(|e| locate(saved, &e))?;
    let some = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let first_name = some(form.first_name).ok_or("a prospect needs a first name")?;
    Ok(Prospect {
        first_name,
        last_name: some(form.last_name).unwrap_or_default(),
        email: some(form.email),
        phone: some(form.phone),
        linkedin: some(form.linkedin),
        company: some(form.company),
        title: some(form.title),
        city: some(form.city),
        timezone: some(form.timezone),
        fields: form
            .fields
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .collect(),
        ..Prospect::default()
    })
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
        assert_eq!(edit.first_name.as_deref(), Some("Ana"));
        assert_eq!(edit.email.as_deref(), Some("ana@lumen.example"));
        assert_eq!(edit.company.as_deref(), Some(""));
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
        assert_eq!(edit.company.as_deref(), Some("Lumen Retail"));
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
