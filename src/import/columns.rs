//! Which CSV header means which prospect field, for the exports of the tools reps use
//! (Apollo, HubSpot, Salesforce, Pipedrive, LinkedIn and its Sales Navigator exporters, Close,
//! Google Contacts) and for touchbase's own export.

/// What a CSV column can fill: one of the prospect's own fields, or a full name to split.
/// `State` and `Country` become the custom fields `state` and `country` under those names,
/// whatever the export called them, so templates and the time-zone inference find them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Own(F),
    FullName,
    State,
    Country,
    /// What the CRM knows about consent and delivery (see [`Consent`]).
    Consent(Consent),
}

/// A CRM's flags that say whom not to write to or call, and whose address bounced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Consent {
    /// Yes/no: the person opted out of email (Salesforce `HasOptedOutOfEmail`, Zoho and
    /// Copper "Email Opt Out", HubSpot "Unsubscribed from all email", Dynamics "Do not allow
    /// Emails").
    EmailOptOut,
    /// Yes/no: do not call (Salesforce `DoNotCall`, Dynamics "Do not allow Phone Calls",
    /// Apollo "Do Not Call").
    DoNotCall,
    /// Yes/no: no contact of any kind (Salesloft "Do Not Contact", Freshsales "Do not
    /// disturb"): both an email opt-out and do-not-call.
    DoNotContact,
    /// Yes/no, or a count of bounces: the address bounced (Salesforce `IsEmailBounced`,
    /// HubSpot "Marketing emails bounced", "Invalid email address").
    Bounced,
    /// Any value: when the address bounced, or why (Salesforce `EmailBouncedDate`).
    BouncedWhen,
    /// A status word: "unsubscribed" opts out, "bounced", "invalid" or "undeliverable"
    /// bounced (Pipedrive "Marketing status", Apollo "Email Status", lemlist's `status`,
    /// `leadStatus` and `emailDeliverability`, Freshsales "Subscription status"). Other
    /// words ("Open", "Verified") say nothing.
    Status,
}

/// A column that fills the prospect's own field `f`.
const fn own(f: F) -> Field {
    Field::Own(f)
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

use crate::domain::Field as F;
use Field::{Country, FullName, State};

/// Header spellings after [`squash`], each with its field and rank.
const ALIASES: &[(&str, Field, u8)] = &[
    // Consent and delivery: an opt-out in the CRM holds here too.
    (
        "hasoptedoutofemail",
        Field::Consent(Consent::EmailOptOut),
        0,
    ),
    ("emailoptout", Field::Consent(Consent::EmailOptOut), 0),
    ("optedoutofemail", Field::Consent(Consent::EmailOptOut), 0),
    (
        "optedoutofallemail",
        Field::Consent(Consent::EmailOptOut),
        0,
    ),
    (
        "unsubscribedfromallemail",
        Field::Consent(Consent::EmailOptOut),
        0,
    ),
    (
        "unsubscribedfromallemails",
        Field::Consent(Consent::EmailOptOut),
        0,
    ),
    ("emailunsubscribed", Field::Consent(Consent::EmailOptOut), 0),
    ("unsubscribed", Field::Consent(Consent::EmailOptOut), 1),
    ("donotemail", Field::Consent(Consent::EmailOptOut), 0),
    ("donotallowemails", Field::Consent(Consent::EmailOptOut), 0),
    (
        "donotallowbulkemails",
        Field::Consent(Consent::EmailOptOut),
        1,
    ),
    ("donotcall", Field::Consent(Consent::DoNotCall), 0),
    (
        "donotallowphonecalls",
        Field::Consent(Consent::DoNotCall),
        0,
    ),
    ("donotphone", Field::Consent(Consent::DoNotCall), 0),
    ("donotcontact", Field::Consent(Consent::DoNotContact), 0),
    ("donotdisturb", Field::Consent(Consent::DoNotContact), 0),
    ("isemailbounced", Field::Consent(Consent::Bounced), 0),
    ("invalidemailaddress", Field::Consent(Consent::Bounced), 1),
    (
        "emailaddressquarantined",
        Field::Consent(Consent::Bounced),
        1,
    ),
    (
        "emailhardbouncereason",
        Field::Consent(Consent::BouncedWhen),
        0,
    ),
    ("emailbounced", Field::Consent(Consent::Bounced), 0),
    ("hardbounced", Field::Consent(Consent::Bounced), 0),
    (
        "marketingemailsbounced",
        Field::Consent(Consent::Bounced),
        0,
    ),
    (
        "emailbouncedreason",
        Field::Consent(Consent::BouncedWhen),
        0,
    ),
    ("emailbounceddate", Field::Consent(Consent::BouncedWhen), 1),
    ("marketingstatus", Field::Consent(Consent::Status), 0),
    ("emailstatus", Field::Consent(Consent::Status), 1),
    ("subscriptionstatus", Field::Consent(Consent::Status), 1),
    ("unsubscribestatus", Field::Consent(Consent::Status), 1),
    ("emaildeliverability", Field::Consent(Consent::Status), 2),
    ("leadstatus", Field::Consent(Consent::Status), 2),
    ("status", Field::Consent(Consent::Status), 2),
    ("laststate", Field::Consent(Consent::Status), 2),
    // Names. Close calls the person "contact"; Pipedrive prefixes "Person - ".
    ("firstname", own(F::FirstName), 0),
    ("first", own(F::FirstName), 1),
    ("givenname", own(F::FirstName), 1),
    ("fname", own(F::FirstName), 2),
    ("lastname", own(F::LastName), 0),
    ("last", own(F::LastName), 1),
    ("surname", own(F::LastName), 1),
    ("familyname", own(F::LastName), 1),
    ("lname", own(F::LastName), 2),
    ("fullname", FullName, 0),
    ("name", FullName, 1),
    ("personname", FullName, 1),
    // Email. Google: "E-mail 1 - Value"; Pipedrive: "Person - Email - Work"; Close:
    // "Contact Primary Email"; LinkedIn: "Email Address".
    ("email", own(F::Email), 0),
    ("emailaddress", own(F::Email), 0),
    ("workemail", own(F::Email), 0),
    ("businessemail", own(F::Email), 0),
    ("primaryemail", own(F::Email), 0),
    ("email1", own(F::Email), 0),
    ("email1value", own(F::Email), 0),
    ("emailwork", own(F::Email), 0),
    ("emails", own(F::Email), 1),
    ("email2", own(F::Email), 2),
    ("email2value", own(F::Email), 2),
    ("secondaryemail", own(F::Email), 2),
    ("emailhome", own(F::Email), 3),
    ("personalemail", own(F::Email), 3),
    ("emailother", own(F::Email), 4),
    ("otheremail", own(F::Email), 4),
    ("email3value", own(F::Email), 4),
    // Phone: direct and work lines first, then mobile, then switchboards and home.
    ("phone", own(F::Phone), 0),
    ("phonenumber", own(F::Phone), 0),
    ("workphone", own(F::Phone), 0),
    ("workdirectphone", own(F::Phone), 0),
    ("directphone", own(F::Phone), 0),
    ("businessphone", own(F::Phone), 0),
    ("officephone", own(F::Phone), 0),
    ("primaryphone", own(F::Phone), 0),
    ("phonework", own(F::Phone), 0),
    ("phone1value", own(F::Phone), 0),
    ("telephone", own(F::Phone), 0),
    ("mobile", own(F::Phone), 1),
    ("mobilephone", own(F::Phone), 1),
    ("mobilephonenumber", own(F::Phone), 1),
    ("mobilenumber", own(F::Phone), 1),
    ("cellphone", own(F::Phone), 1),
    ("phonemobile", own(F::Phone), 1),
    ("phones", own(F::Phone), 1),
    ("phone2value", own(F::Phone), 2),
    ("corporatephone", own(F::Phone), 3),
    ("homephone", own(F::Phone), 4),
    ("phonehome", own(F::Phone), 4),
    ("otherphone", own(F::Phone), 5),
    ("phoneother", own(F::Phone), 5),
    ("phone3value", own(F::Phone), 5),
    // Apollo's newer exports put the best number first as "First Phone".
    ("firstphone", own(F::Phone), 0),
    // ZoomInfo "Direct Phone Number"; Lusha "Phone 1"; Seamless.AI "Contact Phone 1";
    // Outreach "Work Phones"; Freshsales labels the work line just "Work".
    ("directphonenumber", own(F::Phone), 0),
    ("phone1", own(F::Phone), 0),
    ("contactphone1", own(F::Phone), 0),
    ("workphones", own(F::Phone), 0),
    ("work", own(F::Phone), 0),
    ("mobilephones", own(F::Phone), 1),
    ("phone2", own(F::Phone), 2),
    ("contactphone2", own(F::Phone), 2),
    ("phonenumber2", own(F::Phone), 2),
    ("homephones", own(F::Phone), 4),
    // LinkedIn. Apollo "Person Linkedin Url"; PhantomBuster "defaultProfileUrl" (the public
    // /in/ address) before "profileUrl" (a Sales Navigator link).
    ("linkedin", own(F::Linkedin), 0),
    ("linkedinurl", own(F::Linkedin), 0),
    ("linkedinprofile", own(F::Linkedin), 0),
    ("linkedinprofileurl", own(F::Linkedin), 0),
    ("linkedinpage", own(F::Linkedin), 0),
    ("defaultprofileurl", own(F::Linkedin), 0),
    ("linkedincontactprofileurl", own(F::Linkedin), 0),
    ("contactliprofileurl", own(F::Linkedin), 0),
    ("salesnavigatorurl", own(F::Linkedin), 2),
    ("salesnavigatorprofileurl", own(F::Linkedin), 2),
    // Company. Salesforce "Account Name"; Pipedrive "Organization - Name"; Google
    // "Organization Name" / "Organization 1 - Name"; Close "Lead Name" (the lead is the
    // company there).
    ("company", own(F::Company), 0),
    ("companyname", own(F::Company), 0),
    ("companyaccount", own(F::Company), 0),
    ("organization", own(F::Company), 0),
    ("organisation", own(F::Company), 0),
    ("organizationname", own(F::Company), 0),
    ("organization1name", own(F::Company), 0),
    ("accountname", own(F::Company), 0),
    // HubSpot's default view names the company only as the association.
    ("associatedcompany", own(F::Company), 0),
    ("associatedcompanyprimary", own(F::Company), 0),
    ("accounts", own(F::Company), 1),
    ("account", own(F::Company), 1),
    ("currentcompany", own(F::Company), 1),
    ("employer", own(F::Company), 1),
    ("leadname", own(F::Company), 2),
    ("displayname", own(F::Company), 3),
    // Title.
    ("title", own(F::Title), 0),
    ("jobtitle", own(F::Title), 0),
    ("position", own(F::Title), 0),
    ("organizationtitle", own(F::Title), 0),
    ("organization1title", own(F::Title), 0),
    ("currentposition", own(F::Title), 1),
    ("role", own(F::Title), 1),
    ("occupation", own(F::Title), 2),
    // Where: Salesforce "Mailing City"; HubSpot "State/Region", "Country/Region"; Google
    // "Address 1 - City"; Pipedrive "Postal address - City/town"; Close "address_1_city".
    ("city", own(F::City), 0),
    ("town", own(F::City), 1),
    ("mailingcity", own(F::City), 0),
    ("address1city", own(F::City), 1),
    ("addresscity", own(F::City), 1),
    ("postaladdresscitytown", own(F::City), 1),
    ("citytown", own(F::City), 1),
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
    ("timezone", own(F::Timezone), 0),
    ("tz", own(F::Timezone), 1),
    ("hstimezone", own(F::Timezone), 1),
    ("notes", own(F::Notes), 0),
    ("note", own(F::Notes), 0),
    ("description", own(F::Notes), 1),
    ("comments", own(F::Notes), 2),
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
            field: own(F::Linkedin),
            rank: *rank,
            only_profiles: true,
        })
}

/// The field one of touchbase's own headers names (exact spelling only).
pub fn recognise_own(header: &str) -> Option<Column> {
    F::from_key(header).map(|f| Column {
        field: own(f),
        rank: 0,
        only_profiles: false,
    })
}

/// Whether a header row is touchbase's own export: every one of its columns is there.
pub fn is_own_header<'a>(mut headers: impl Iterator<Item = &'a str> + Clone) -> bool {
    crate::domain::FIELDS
        .iter()
        .all(|f| headers.clone().any(|h| h == f.key))
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
        assert_eq!(field("Person Linkedin Url"), Some(own(F::Linkedin)));
        assert_eq!(field("Work Direct Phone"), Some(own(F::Phone)));
        assert_eq!(field("First Phone"), Some(own(F::Phone)));
        assert_eq!(field("Company Linkedin Url"), None);
        assert_eq!(field("Company City"), None);
        assert_eq!(field("Company Phone"), None);
        assert_eq!(field("Person - Email - Work"), Some(own(F::Email)));
        assert_eq!(field("Person - Name"), Some(FullName));
        assert_eq!(field("Organization - Name"), Some(own(F::Company)));
        assert_eq!(field("E-mail 1 - Value"), Some(own(F::Email)));
        assert_eq!(field("E-mail 1 - Label"), None);
        assert_eq!(field("primary_contact_primary_email"), Some(own(F::Email)));
        assert_eq!(field("Contact Name"), Some(FullName));
        assert_eq!(field("Contact owner"), None);
        assert_eq!(field("custom.Lead Source"), None);
        assert_eq!(field("State/Region"), Some(State));
        assert_eq!(field("Mailing City"), Some(own(F::City)));
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
