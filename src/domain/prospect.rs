//! A prospect: the person being followed up, and what the engine needs to know of them.

use super::types::Reachability;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Prospect {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub linkedin: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub city: Option<String>,
    pub timezone: Option<String>,
    /// Custom fields (CSV extra columns, `--field k=v`), keyed by snake_case name.
    pub fields: BTreeMap<String, String>,
    pub notes: String,
    pub email_bad: bool,
    pub phone_bad: bool,
    /// After a completed sequence the prospect rests until this date.
    pub rest_until: Option<NaiveDate>,
    pub created_at: Option<NaiveDateTime>,
    /// The fields the rep set or changed in touchbase (own fields by key, custom fields by
    /// name): an import never changes them again.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub rep_fields: BTreeSet<String>,
    /// What waits on the rep after they answered: a reply, a nudge, a meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<super::conversation::Conversation>,
    /// The answer a conversation began with, kept after it went on into a follow-on
    /// sequence (held, a proposal): a close later is credited there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<super::conversation::Origin>,
    /// The ids other tools gave this person, by source ("hubspot" → "51"): a later export
    /// from the same tool finds them by it.
    #[serde(default)]
    pub external_ids: BTreeMap<String, String>,
}

/// The custom field that says a prospect is not to be called (an import from a CRM that
/// marks them so sets it; the rep can set or clear it like any field).
pub const DO_NOT_CALL_FIELD: &str = "do_not_call";

/// A yes/no cell or field that says yes, as CRMs write it ("true", "1", "Yes", "x",
/// "checked", Dynamics' "Do Not Allow"), or touchbase's own "yes (from the CRM)".
pub fn says_yes(value: &str) -> bool {
    let v = value.trim().to_lowercase();
    let first = v.split_whitespace().next().unwrap_or_default();
    matches!(
        v.as_str(),
        "true" | "1" | "y" | "x" | "checked" | "on" | "opted out" | "unsubscribed" | "do not allow"
    ) || first == "yes"
}

impl Prospect {
    pub fn full_name(&self) -> String {
        let full = format!("{} {}", self.first_name.trim(), self.last_name.trim());
        full.trim().to_string()
    }

    pub fn reachability(&self) -> Reachability {
        let known = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        Reachability {
            email: known(&self.email) && !self.email_bad,
            phone: known(&self.phone) && !self.phone_bad,
            linkedin: known(&self.linkedin),
            do_not_call: self.do_not_call(),
            sent_before: 0,
        }
    }

    /// The CRM (or the rep) marked the person do-not-call.
    pub fn do_not_call(&self) -> bool {
        self.fields
            .get(DO_NOT_CALL_FIELD)
            .is_some_and(|v| says_yes(v))
    }

    /// Every merge field with its value (empty string when unknown): built-ins (in
    /// `merge_fields` order), then custom.
    pub fn merge_values(&self) -> Vec<(String, String)> {
        use super::fields::{FIELDS, Field, is_merge_field};
        let mut out = Vec::with_capacity(FIELDS.len() + 1 + self.fields.len());
        for spec in FIELDS.iter().filter(|s| s.field.merges()) {
            let value = self.field(spec.field).unwrap_or_default().to_string();
            out.push((spec.key.to_string(), value));
            if spec.field == Field::LastName {
                out.push(("full_name".to_string(), self.full_name()));
            }
        }
        for (k, v) in &self.fields {
            if !is_merge_field(k) {
                out.push((k.clone(), v.clone()));
            }
        }
        out
    }

    /// The identifiers that go on the do-not-contact list: `(kind, normalised value)`.
    pub fn identifiers(&self) -> Vec<(&'static str, String)> {
        let mut ids = Vec::new();
        if let Some(e) = self
            .email
            .as_deref()
            .map(normalize_email)
            .filter(|s| !s.is_empty())
        {
            ids.push(("email", e));
        }
        if let Some(p) = self
            .phone
            .as_deref()
            .map(phone_identity)
            .filter(|s| !s.is_empty())
        {
            ids.push(("phone", p));
        }
        if let Some(l) = self
            .linkedin
            .as_deref()
            .map(normalize_linkedin)
            .filter(|s| !s.is_empty())
        {
            ids.push(("linkedin", l));
        }
        // The other addresses and numbers an import found in the same row.
        let others = |key: &str| {
            self.fields
                .get(key)
                .map(|v| v.split([';', ',']).map(str::to_string).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        for e in others(OTHER_EMAILS) {
            let e = normalize_email(&e);
            if !e.is_empty() && !ids.iter().any(|(k, v)| *k == "email" && *v == e) {
                ids.push(("email", e));
            }
        }
        for p in others(OTHER_PHONES) {
            let p = phone_identity(&p);
            if !p.is_empty() && !ids.iter().any(|(k, v)| *k == "phone" && *v == p) {
                ids.push(("phone", p));
            }
        }
        ids
    }
}

impl Prospect {
    /// The phone number as a matching key, in E.164 when the country is known.
    pub fn phone_key(&self) -> Option<String> {
        let country = self.fields.get("country").map(String::as_str);
        super::phones::phone_key(self.phone.as_deref()?, country)
    }

    /// First name, last name and company, lowercased: a match only when all three are known.
    pub fn name_key(&self) -> Option<String> {
        let company = self.company.as_deref().map(str::trim).unwrap_or_default();
        let (first, last) = (self.first_name.trim(), self.last_name.trim());
        if first.is_empty() || last.is_empty() || company.is_empty() {
            return None;
        }
        Some(format!("{first}|{last}|{company}").to_lowercase())
    }
}

/// External ids as one cell: "hubspot:51234001; salesforce:0035g00000AbCdE".
pub fn external_ids_text(ids: &BTreeMap<String, String>) -> String {
    let parts: Vec<String> = ids.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    parts.join("; ")
}

/// The ids in a cell written by [`external_ids_text`].
pub fn parse_external_ids(text: &str) -> BTreeMap<String, String> {
    text.split(';')
        .filter_map(|part| {
            let (source, id) = part.trim().split_once(':')?;
            let (source, id) = (source.trim(), id.trim());
            (!source.is_empty() && !id.is_empty()).then(|| (source.to_string(), id.to_string()))
        })
        .collect()
}

/// The custom fields an import keeps a row's further addresses and numbers in.
pub const OTHER_EMAILS: &str = "other_emails";

/// The addresses in an `other_emails` value ("a@x.com; b@y.com"), normalised.
pub fn other_emails(value: &str) -> Vec<String> {
    let mut out: Vec<String> = value
        .split([';', ','])
        .map(normalize_email)
        .filter(|e| !e.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}
pub const OTHER_PHONES: &str = "other_phones";

pub fn normalize_email(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Digits only, keeping a leading `+`: "+1 (415) 555-0100" → "+14155550100".
pub fn normalize_phone(s: &str) -> String {
    let t = s.trim();
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return String::new();
    }
    if t.starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    }
}

/// A phone number as the do-not-contact list knows it: its last ten digits (the whole number
/// when shorter), so "+1 (415) 555-0100", "415-555-0100" and "0014155550100" are one
/// person's number however an export wrote it. Two numbers sharing ten final digits in
/// different countries would both be refused: the safe side to err on.
pub fn phone_identity(s: &str) -> String {
    let digits: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
    let keep = digits.len().saturating_sub(10);
    digits.into_iter().skip(keep).collect()
}

/// "https://www.LinkedIn.com/in/Dana-Reyes/?trk=x" → "linkedin.com/in/dana-reyes".
pub fn normalize_linkedin(s: &str) -> String {
    let mut t = s.trim().to_lowercase();
    for prefix in ["https://", "http://"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.to_string();
        }
    }
    for prefix in ["www.", "m."] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.to_string();
        }
    }
    if let Some(i) = t.find(['?', '#']) {
        t.truncate(i);
    }
    // Country and mobile hosts (uk.linkedin.com, de.linkedin.com) show the same profile.
    let host_end = t.find('/').unwrap_or(t.len());
    if t.get(..host_end)
        .is_some_and(|host| host.ends_with(".linkedin.com"))
    {
        t.replace_range(..host_end, "linkedin.com");
    }
    t.trim_end_matches('/').to_string()
}

/// "Lead Source" → "lead_source", "AnnualRevenue" → "annual_revenue".
pub fn snake_case(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.trim().chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower {
                out.push('_');
            }
            out.extend(c.to_lowercase());
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    out.trim_end_matches('_').to_string()
}

/// Normalises the identifiers a prospect is stored with: the address in lower case, the
/// LinkedIn profile as one clickable form, a phone with no digits dropped.
pub fn normalize_identifiers(p: &mut Prospect) {
    let clean = |v: &mut Option<String>, f: fn(&str) -> String| {
        *v = v.as_deref().map(f).filter(|s| !s.is_empty());
    };
    clean(&mut p.email, normalize_email);
    clean(&mut p.linkedin, normalize_linkedin_keep);
    if let Some(ph) = &p.phone {
        if normalize_phone(ph).is_empty() {
            p.phone = None;
        } else {
            p.phone = Some(ph.trim().to_string());
        }
    }
}

/// LinkedIn URLs are stored normalised but clickable.
pub fn normalize_linkedin_keep(s: &str) -> String {
    let n = normalize_linkedin(s);
    if n.is_empty() {
        n
    } else {
        format!("https://www.{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_identifiers() {
        assert_eq!(normalize_phone("+1 (415) 555-0100"), "+14155550100");
        assert_eq!(
            normalize_linkedin("https://www.LinkedIn.com/in/Dana-Reyes/?trk=x"),
            "linkedin.com/in/dana-reyes"
        );
        assert_eq!(
            normalize_linkedin("http://uk.linkedin.com/in/dana-reyes/"),
            "linkedin.com/in/dana-reyes"
        );
        assert_eq!(snake_case("Lead Source"), "lead_source");
        assert_eq!(snake_case("AnnualRevenue"), "annual_revenue");
        assert_eq!(snake_case("  # of Employees "), "of_employees");
    }
}
