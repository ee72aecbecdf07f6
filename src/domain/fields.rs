//! A prospect's own fields, listed once. The editor's form, the command line's flags, the
//! export's columns, the store's row, an import's merge, `edit` and the template merge
//! fields are all read off [`FIELDS`]: a new field is one line here, plus its column in a
//! migration.

use super::prospect::Prospect;

/// One of a prospect's own fields (custom fields live in `Prospect::fields`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    FirstName,
    LastName,
    Email,
    Phone,
    Linkedin,
    Company,
    Title,
    City,
    Timezone,
    Notes,
}

/// What every form, file and argument list knows of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub field: Field,
    /// Its name in files, CSV columns, merge fields and the store: `first_name`.
    pub key: &'static str,
    /// Its command-line flag (`--first`); `None`: not set from the command line or a form
    /// (the notes grow by dated lines instead).
    pub flag: Option<&'static str>,
    /// What it holds, for the help of its flag.
    pub help: &'static str,
}

const fn spec(
    field: Field,
    key: &'static str,
    flag: &'static str,
    help: &'static str,
) -> FieldSpec {
    FieldSpec {
        field,
        key,
        flag: Some(flag),
        help,
    }
}

/// A prospect's own fields, in the order every form, file and column list shows them.
pub const FIELDS: &[FieldSpec] = &[
    spec(Field::FirstName, "first_name", "first", "First name"),
    spec(Field::LastName, "last_name", "last", "Last name"),
    spec(Field::Email, "email", "email", "Email address"),
    spec(Field::Phone, "phone", "phone", "Phone number"),
    spec(
        Field::Linkedin,
        "linkedin",
        "linkedin",
        "LinkedIn profile URL",
    ),
    spec(Field::Company, "company", "company", "Company"),
    spec(Field::Title, "title", "title", "Job title"),
    spec(Field::City, "city", "city", "City"),
    spec(
        Field::Timezone,
        "timezone",
        "timezone",
        "Time zone, like America/Chicago",
    ),
    FieldSpec {
        field: Field::Notes,
        key: "notes",
        flag: None,
        help: "Dated notes",
    },
];

impl Field {
    pub fn key(self) -> &'static str {
        FIELDS
            .iter()
            .find(|s| s.field == self)
            .map_or("", |s| s.key)
    }

    /// Its command-line flag, without the dashes.
    pub fn flag(self) -> &'static str {
        let spec = FIELDS.iter().find(|s| s.field == self);
        spec.map_or("", |s| s.flag.unwrap_or(s.key))
    }

    /// The field whose key is `key`.
    pub fn from_key(key: &str) -> Option<Field> {
        FIELDS.iter().find(|s| s.key == key).map(|s| s.field)
    }

    /// Whether a template can use it as a merge field.
    pub fn merges(self) -> bool {
        self != Field::Notes
    }

    /// Whether a prospect must have it (a first name).
    pub fn required(self) -> bool {
        self == Field::FirstName
    }
}

/// The fields the rep sets in forms and with flags.
pub fn editable() -> impl Iterator<Item = &'static FieldSpec> {
    FIELDS.iter().filter(|s| s.flag.is_some())
}

/// The merge fields templates can use, in order: the fields, with `full_name` after the
/// last name.
pub fn merge_fields() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().filter(|s| s.field.merges()).flat_map(|s| {
        std::iter::once(s.key).chain((s.field == Field::LastName).then_some("full_name"))
    })
}

/// Whether `key` is a built-in merge field (a field's key, or `full_name`).
pub fn is_merge_field(key: &str) -> bool {
    merge_fields().any(|k| k == key)
}

impl Prospect {
    /// A field's value; the names are empty rather than absent.
    pub fn field(&self, f: Field) -> Option<&str> {
        match f {
            Field::FirstName => Some(&self.first_name),
            Field::LastName => Some(&self.last_name),
            Field::Email => self.email.as_deref(),
            Field::Phone => self.phone.as_deref(),
            Field::Linkedin => self.linkedin.as_deref(),
            Field::Company => self.company.as_deref(),
            Field::Title => self.title.as_deref(),
            Field::City => self.city.as_deref(),
            Field::Timezone => self.timezone.as_deref(),
            Field::Notes => Some(&self.notes),
        }
    }

    /// Sets a field as given (`None` clears it; a name becomes empty).
    pub fn set_field(&mut self, f: Field, value: Option<String>) {
        let slot = match f {
            Field::FirstName => return self.first_name = value.unwrap_or_default(),
            Field::LastName => return self.last_name = value.unwrap_or_default(),
            Field::Notes => return self.notes = value.unwrap_or_default(),
            Field::Email => &mut self.email,
            Field::Phone => &mut self.phone,
            Field::Linkedin => &mut self.linkedin,
            Field::Company => &mut self.company,
            Field::Title => &mut self.title,
            Field::City => &mut self.city,
            Field::Timezone => &mut self.timezone,
        };
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_listed_once_and_reads_back_what_is_set() {
        for spec in FIELDS {
            assert_eq!(FIELDS.iter().filter(|s| s.field == spec.field).count(), 1);
            assert_eq!(Field::from_key(spec.key), Some(spec.field));
            let mut p = Prospect::default();
            p.set_field(spec.field, Some("x".to_string()));
            assert_eq!(p.field(spec.field), Some("x"), "{}", spec.key);
        }
    }

    #[test]
    fn the_merge_fields_are_the_fields_and_the_full_name() {
        let merge: Vec<&str> = merge_fields().collect();
        assert_eq!(
            merge,
            [
                "first_name",
                "last_name",
                "full_name",
                "email",
                "phone",
                "linkedin",
                "company",
                "title",
                "city",
                "timezone"
            ]
        );
    }
}
