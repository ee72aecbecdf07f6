//! Which CSV header means which prospect field, for the exports of the tools reps use
//! (Apollo, HubSpot, Salesforce, Pipedrive, LinkedIn and its Sales Navigator exporters, Close,
//! Google Contacts) and for touchbase's own export.

/// A prospect field a CSV column can fill. `State` and `Country` become the custom fields
/// `state` and `country` under those names, whatever the export called them, so templates and
/// the time-zone inference find them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    FirstName,
    LastName,
    FullName,
    Email,
    Phone,
    Linkedin,
    Company,
    Title,
    City,
    State,
    Country,
    Timezone,
    Notes,
}

/// A recognised column. When several columns fill one field (Apollo's "Work Direct Phone"
/// and "Mobile Phone"), the non-empty one with the lowest rank wins and the others are kept
/// as custom fields under their own names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub field: Field,
    pub rank: u8,
    /// A generic column ("URL", "Website 1 - Value") that fills the LinkedIn field only when
    /// the cell holds a LinkedIn profile address; anything else stays a custom field.
    pub only_profiles: bool,
}

use Field::*;

/// Header spellings after [`squash`], each with its field and rank.
const ALIASES: &[(&str, Field, u8)] = &[
    // Names. Close calls the person "contact"; Pipedrive prefixes "Person - ".
    ("firstname", FirstName, 0),
    ("first", FirstName, 1),
    ("givenname", FirstName, 1),
    ("fname", FirstName, 2),
    ("lastname", LastName, 0),
    ("last", LastName, 1),
    ("surname", LastName, 1),
    ("familyname", LastName, 1),
    ("lname", LastName, 2),
    ("fullname", FullName, 0),
    ("name", FullName, 1),
    ("personname", FullName, 1),
    // Email. Google: "E-mail 1 - Value"; Pipedrive: "Person - Email - Work"; Close:
    // "Contact Primary Email"; LinkedIn: "Email Address".
    ("email", Email, 0),
    ("emailaddress", Email, 0),
    ("workemail", Email, 0),
    ("businessemail", Email, 0),
    ("primaryemail", Email, 0),
    ("email1", Email, 0),
    ("email1value", Email, 0),
    ("emailwork", Email, 0),
    ("emails", Email, 1),
    ("email2", Email, 2),
    ("email2value", Email, 2),
    ("secondaryemail", Email, 2),
    ("emailhome", Email, 3),
    ("personalemail", Email, 3),
    ("emailother", Email, 4),
    ("otheremail", Email, 4),
    ("email3value", Email, 4),
    // Phone: direct and work lines first, then mobile, then switchboards and home.
    ("phone", Phone, 0),
    ("phonenumber", Phone, 0),
    ("workphone", Phone, 0),
    ("workdirectphone", Phone, 0),
    ("directphone", Phone, 0),
    ("businessphone", Phone, 0),
    ("officephone", Phone, 0),
    ("primaryphone", Phone, 0),
    ("phonework", Phone, 0),
    ("phone1value", Phone, 0),
    ("telephone", Phone, 0),
    ("mobile", Phone, 1),
    ("mobilephone", Phone, 1),
    ("mobilephonenumber", Phone, 1),
    ("mobilenumber", Phone, 1),
    ("cellphone", Phone, 1),
    ("phonemobile", Phone, 1),
    ("phones", Phone, 1),
    ("phone2value", Phone, 2),
    ("corporatephone", Phone, 3),
    ("homephone", Phone, 4),
    ("phonehome", Phone, 4),
    ("otherphone", Phone, 5),
    ("phoneother", Phone, 5),
    ("phone3value", Phone, 5),
    // Apollo's newer exports put the best number first as "First Phone".
    ("firstphone", Phone, 0),
    // ZoomInfo "Direct Phone Number"; Lusha "Phone 1"; Seamless.AI "Contact Phone 1";
    // Outreach "Work Phones"; Freshsales labels the work line just "Work".
    ("directphonenumber", Phone, 0),
    ("phone1", Phone, 0),
    ("contactphone1", Phone, 0),
    ("workphones", Phone, 0),
    ("work", Phone, 0),
    ("mobilephones", Phone, 1),
    ("phone2", Phone, 2),
    ("contactphone2", Phone, 2),
    ("phonenumber2", Phone, 2),
    ("homephones", Phone, 4),
    // LinkedIn. Apollo "Person Linkedin Url"; PhantomBuster "defaultProfileUrl" (the public
    // /in/ address) before "profileUrl" (a Sales Navigator link).
    ("linkedin", Linkedin, 0),
    ("linkedinurl", Linkedin, 0),
    ("linkedinprofile", Linkedin, 0),
    ("linkedinprofileurl", Linkedin, 0),
    ("linkedinpage", Linkedin, 0),
    ("defaultprofileurl", Linkedin, 0),
    ("linkedincontactprofileurl", Linkedin, 0),
    ("contactliprofileurl", Linkedin, 0),
    ("salesnavigatorurl", Linkedin, 2),
    ("salesnavigatorprofileurl", Linkedin, 2),
    // Company. Salesforce "Account Name"; Pipedrive "Organization - Name"; Google
    // "Organization Name" / "Organization 1 - Name"; Close "Lead Name" (the lead is the
    // company there).
    ("company", Company, 0),
    ("companyname", Company, 0),
    ("companyaccount", Company, 0),
    ("organization", Company, 0),
    ("organisation", Company, 0),
    ("organizationname", Company, 0),
    ("organization1name", Company, 0),
    ("accountname", Company, 0),
    // HubSpot's default view names the company only as the association.
    ("associatedcompany", Company, 0),
    ("associatedcompanyprimary", Company, 0),
    ("accounts", Company, 1),
    ("account", Company, 1),
    ("currentcompany", Company, 1),
    ("employer", Company, 1),
    ("leadname", Company, 2),
    ("displayname", Company, 3),
    // Title.
    ("title", Title, 0),
    ("jobtitle", Title, 0),
    ("position", Title, 0),
    ("organizationtitle", Title, 0),
    ("organization1title", Title, 0),
    ("currentposition", Title, 1),
    ("role", Title, 1),
    ("occupation", Title, 2),
    // Where: Salesforce "Mailing City"; HubSpot "State/Region", "Country/Region"; Google
    // "Address 1 - City"; Pipedrive "Postal address - City/town"; Close "address_1_city".
    ("city", City, 0),
    ("town", City, 1),
    ("mailingcity", City, 0),
    ("address1city", City, 1),
    ("addresscity", City, 1),
    ("postaladdresscitytown", City, 1),
    ("citytown", City, 1),
    ("state", State, 0),
    ("stateregion", State, 0),
    ("stateprovince", State, 0),
    ("mailingstate", State, 0),
    ("mailingstateprovince", State, 0),
    ("province", State, 1),
    ("address1region", State, 2),
    ("address1state", State, 2),
    ("address1stateprovince", State, 2),
    ("postaladdressstatecounty", State, 2),
    ("country", Country, 0),
    ("countryregion", Country, 0),
    ("mailingcountry", Country, 0),
    ("address1country", Country, 1),
    ("address1countryregion", Country, 1),
    ("postaladdresscountry", Country, 1),
    ("timezone", Timezone, 0),
    ("tz", Timezone, 1),
    ("hstimezone", Timezone, 1),
    ("notes", Notes, 0),
    ("note", Notes, 0),
    ("description", Notes, 1),
    ("comments", Notes, 2),
];

/// Generic address columns that may hold a LinkedIn profile: LinkedIn Connections' "URL",
/// Copper's "Social",
/// PhantomBuster's "profileUrl", Close's "primary_contact_primary_url", Google's "Website 1 -
/// Value".
const PROFILE_SLOTS: &[(&str, u8)] = &[
    ("url", 1),
    ("profileurl", 3),
    ("primaryurl", 3),
    ("website1value", 4),
    ("website", 5),
    // Copper's "Social" columns hold any network's address ("Social Type" says which).
    ("social", 2),
    ("social2", 3),
];

/// Prefixes some tools put before a person's field ("Person - Email - Work", "Contact
/// Name", "primary_contact_title"), tried when the whole header is not known.
const PREFIXES: &[&str] = &["primarycontact", "contact", "person"];

/// touchbase's own column names, as `touchbase export prospects` writes them.
pub const OWN: &[(&str, Field)] = &[
    ("first_name", FirstName),
    ("last_name", LastName),
    ("email", Email),
    ("phone", Phone),
    ("linkedin", Linkedin),
    ("company", Company),
    ("title", Title),
    ("city", City),
    ("timezone", Timezone),
    ("notes", Notes),
];

/// Lowercase letters and digits only: "First Name", "first_name" and "FirstName" are all
/// "firstname"; "E-mail 1 - Value" is "email1value".
pub fn squash(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a CRM header names, or `None` for a custom field.
pub fn recognise(header: &str) -> Option<Column> {
    let h = squash(header);
    // Close exports custom fields as "custom.Lead Source": never a built-in field.
    if h.is_empty() || header.trim().to_lowercase().starts_with("custom.") {
        return None;
    }
    if let Some(c) = lookup(&h) {
        return Some(c);
    }
    PREFIXES
        .iter()
        .filter_map(|p| h.strip_prefix(p))
        .filter(|rest| !rest.is_empty())
        .find_map(lookup)
}

fn lookup(h: &str) -> Option<Column> {
    if let Some((_, field, rank)) = ALIASES.iter().find(|(name, _, _)| *name == h) {
        return Some(Column {
            field: *field,
            rank: *rank,
            only_profiles: false,
        });
    }
    PROFILE_SLOTS
        .iter()
        .find(|(name, _)| *name == h)
        .map(|(_, rank)| Column {
            field: Linkedin,
            rank: *rank,
            only_profiles: true,
        })
}

/// The field one of touchbase's own headers names (exact spelling only).
pub fn recognise_own(header: &str) -> Option<Column> {
    OWN.iter()
        .find(|(name, _)| *name == header)
        .map(|(_, f)| Column {
            field: *f,
            rank: 0,
            only_profiles: false,
        })
}

/// Whether a header row is touchbase's own export: every one of its columns is there.
pub fn is_own_header<'a>(mut headers: impl Iterator<Item = &'a str> + Clone) -> bool {
    OWN.iter()
        .all(|(name, _)| headers.clone().any(|h| h == *name))
        && headers.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(h: &str) -> Option<Field> {
        recognise(h).map(|c| c.field)
    }

    #[test]
    fn recognises_each_tools_headers() {
        assert_eq!(field("Person Linkedin Url"), Some(Linkedin));
        assert_eq!(field("Work Direct Phone"), Some(Phone));
        assert_eq!(field("First Phone"), Some(Phone));
        assert_eq!(field("Company Linkedin Url"), None);
        assert_eq!(field("Company City"), None);
        assert_eq!(field("Company Phone"), None);
        assert_eq!(field("Person - Email - Work"), Some(Email));
        assert_eq!(field("Person - Name"), Some(FullName));
        assert_eq!(field("Organization - Name"), Some(Company));
        assert_eq!(field("E-mail 1 - Value"), Some(Email));
        assert_eq!(field("E-mail 1 - Label"), None);
        assert_eq!(field("primary_contact_primary_email"), Some(Email));
        assert_eq!(field("Contact Name"), Some(FullName));
        assert_eq!(field("Contact owner"), None);
        assert_eq!(field("custom.Lead Source"), None);
        assert_eq!(field("State/Region"), Some(State));
        assert_eq!(field("Mailing City"), Some(City));
        assert_eq!(field("Connected On"), None);
        assert!(recognise("URL").is_some_and(|c| c.only_profiles));
    }

    #[test]
    fn ranks_phones_direct_before_mobile_before_switchboard() {
        let rank = |h: &str| recognise(h).map(|c| c.rank);
        assert!(rank("Work Direct Phone") < rank("Mobile Phone"));
        assert!(rank("Mobile Phone") < rank("Corporate Phone"));
    }

    #[test]
    fn knows_its_own_header() {
        let own = "first_name,last_name,email,phone,linkedin,company,title,city,timezone,notes,x";
        assert!(is_own_header(own.split(',')));
        assert!(!is_own_header("First Name,Last Name,Email".split(',')));
    }
}
