//! Which CSV header means which prospect field.

/// A prospect field a CSV column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    FirstName,
    LastName,
    FullName,
    Email,
    Phone,
    Linkedin,
    Company,
    Title,
    City,
    Timezone,
    Notes,
}

/// Header spellings, compared after lowercasing and dropping everything but letters and
/// digits ("First Name", "first_name" and "FirstName" are all "firstname").
const ALIASES: &[(Column, &[&str])] = &[
    (Column::FirstName, &["firstname", "first", "givenname"]),
    (
        Column::LastName,
        &["lastname", "last", "surname", "familyname"],
    ),
    (
        Column::FullName,
        &["fullname", "name", "contactname", "personname"],
    ),
    (
        Column::Email,
        &[
            "email",
            "emailaddress",
            "workemail",
            "businessemail",
            "primaryemail",
            "email1",
        ],
    ),
    (
        Column::Phone,
        &[
            "phone",
            "phonenumber",
            "workphone",
            "mobilephone",
            "mobile",
            "directphone",
            "corporatephone",
        ],
    ),
    (
        Column::Linkedin,
        &[
            "linkedin",
            "linkedinurl",
            "linkedinprofile",
            "personlinkedinurl",
            "profileurl",
            "url",
        ],
    ),
    (
        Column::Company,
        &[
            "company",
            "companyname",
            "organization",
            "organisation",
            "account",
            "accountname",
            "organizationname",
        ],
    ),
    (Column::Title, &["title", "jobtitle", "position", "role"]),
    (Column::City, &["city", "town"]),
    (Column::Timezone, &["timezone", "tz", "time_zone"]),
    (Column::Notes, &["notes", "note", "description"]),
];

pub fn squash(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a header names, or `None` for a custom field.
pub fn recognise(header: &str) -> Option<Column> {
    let h = squash(header);
    ALIASES
        .iter()
        .find(|(_, names)| names.iter().any(|n| squash(n) == h))
        .map(|(c, _)| *c)
}
