//! The exporting tool's own id for a person (HubSpot's `Record ID`, Salesforce's `Id`, Pipedrive's
//! `Person - ID`…): kept as the prospect's external id for that tool, so that next week's
//! export from the same tool finds the same prospect even without an email address.

use super::columns::squash;

/// Id columns by their squashed header, and the tool whose id they hold. A column that holds
/// the company's id (Salesforce `AccountId`, Close `lead_id`, Apollo `Apollo Account Id`) is
/// not here: several people share it.
const ID_COLUMNS: &[(&str, &str)] = &[
    ("recordid", "hubspot"),
    ("contactid", "salesforce"),
    ("leadid", "salesforce"),
    ("personid", "pipedrive"),
    ("apollocontactid", "apollo"),
    ("donotmodifycontact", "dynamics"),
    ("donotmodifylead", "dynamics"),
    ("zoominfocontactid", "zoominfo"),
    ("contactrecordid", "hubspot"),
    ("itemid", "monday"),
];

/// Tools whose id column is a bare "Id", "id" or "_id": known by another column only they
/// write. Anywhere else a bare id may be a spreadsheet's row number, shared by anyone.
const BARE_IDS: &[(&str, &str, &str)] = &[
    ("id", "workphones", "outreach"),
    ("id", "personstage", "salesloft"),
    ("id", "emailopencount", "instantly"),
    ("id", "displayname", "close"),
    ("id", "leadid", "close"),
    ("id", "contactid", "close"),
    ("id", "accountid", "salesforce"),
    ("id", "masterrecordid", "salesforce"),
    ("id", "isconverted", "salesforce"),
];

/// Headers that mark a Salesforce Data Export / Data Loader file, whose id column is `Id`.
const SALESFORCE_API_NAMES: &[&str] = &["FirstName", "LastName", "AccountId", "MailingCity"];

/// The source of the id in the column `header` of a file whose headers are `headers`.
pub fn id_column(header: &str, all: &HeaderRow) -> Option<&'static str> {
    let h = squash(header);
    if let Some((_, source)) = ID_COLUMNS.iter().find(|(name, _)| *name == h) {
        return Some(source);
    }
    // A bare "Id" is an id only where the rest of the header says which tool wrote it.
    if h == "id" && all.salesforce_api_names >= 2 {
        return Some("salesforce");
    }
    // lemlist writes its lead id as "_id" (lea_…): the underscore tells it from a bare "id".
    if header.trim() == "_id" && all.squashed.contains("campaignid") {
        return Some("lemlist");
    }
    BARE_IDS
        .iter()
        .find(|(id, other, _)| *id == h && all.squashed.contains(*other))
        .map(|(_, _, source)| *source)
}

/// What [`id_column`] asks of the whole header row, worked out once for it: a row of many
/// thousand columns costs each column a lookup, not a pass over the row.
pub struct HeaderRow {
    squashed: std::collections::HashSet<String>,
    salesforce_api_names: usize,
}

impl HeaderRow {
    pub fn new(headers: &[String]) -> HeaderRow {
        HeaderRow {
            squashed: headers.iter().map(|h| squash(h)).collect(),
            salesforce_api_names: headers
                .iter()
                .filter(|h| SALESFORCE_API_NAMES.contains(&h.as_str()))
                .count(),
        }
    }
}

/// The key one cell gives: the source (refined by the value's shape, since some headers are
/// shared by several tools) and the id as it is matched. `None` for an id that names a
/// company rather than a person, or an empty cell.
pub fn external_id(source: &'static str, value: &str) -> Option<(&'static str, String)> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    // Close's ids carry their kind: a lead is the company, a contact the person.
    if v.starts_with("lead_") {
        return None;
    }
    if v.starts_with("cont_") {
        return Some(("close", v.to_string()));
    }
    // Zoho calls its column "Record Id" too, and writes ids as zcrm_ and digits.
    if let Some(digits) = v.strip_prefix("zcrm_") {
        return Some(("zoho", digits.to_string()));
    }
    if source == "salesforce" {
        // Reports show the 15-character id, Data Export the 18-character one whose last three
        // characters only repeat the case of the first fifteen.
        let alnum = v.chars().all(|c| c.is_ascii_alphanumeric());
        return match (alnum, v.len()) {
            (true, 15) => Some((source, v.to_string())),
            (true, 18) => Some((source, v.chars().take(15).collect())),
            _ => None,
        };
    }
    Some((source, v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_by_tool() {
        let none = HeaderRow::new(&[]);
        assert_eq!(id_column("Record ID", &none), Some("hubspot"));
        assert_eq!(id_column("Person - ID", &none), Some("pipedrive"));
        assert_eq!(id_column("Apollo Account Id", &none), None);
        assert_eq!(id_column("Id", &none), None);
        let loader: Vec<String> = ["Id", "AccountId", "LastName", "FirstName"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let loader = HeaderRow::new(&loader);
        assert_eq!(id_column("Id", &loader), Some("salesforce"));
    }

    #[test]
    fn one_person_one_key() {
        assert_eq!(
            external_id("salesforce", "0035g00000AbCdEAA1"),
            external_id("salesforce", "0035g00000AbCdE")
        );
        assert_eq!(
            external_id("hubspot", "zcrm_5843"),
            Some(("zoho", "5843".into()))
        );
        assert_eq!(external_id("salesforce", "lead_abc"), None);
        assert_eq!(
            external_id("close", "cont_9x"),
            Some(("close", "cont_9x".into()))
        );
        assert_eq!(external_id("hubspot", " "), None);
    }
}
