//! Reading one cell's value: several addresses in one cell, phone lists, time zones in the
//! forms CRMs write them, LinkedIn profile addresses, and full names.

/// The email addresses in a cell, in order: "a@x.example; b@x.example", "a@x, b@x",
/// Google's "a@x ::: b@x", "Dana Reyes <dana@x>" and "mailto:dana@x" all work.
pub fn emails(cell: &str) -> Vec<String> {
    cell.split(|c: char| c == ';' || c == ',' || c == '|' || c.is_whitespace())
        .map(|t| {
            let t = t.trim_matches(|c| matches!(c, '<' | '>' | '"' | '\'' | '(' | ')'));
            t.strip_prefix("mailto:").unwrap_or(t)
        })
        .filter(|t| looks_like_email(t))
        .map(str::to_string)
        .collect()
}

pub use crate::domain::checks::{is_profile, looks_like_email};

/// The phone numbers in a cell: separated by `;`, `,`, `|`, line breaks or Google's `:::`.
/// Spaces stay: they are part of how numbers are written.
pub fn phones(cell: &str) -> Vec<String> {
    cell.split(":::")
        .flat_map(|part| part.split([';', ',', '|', '\n', '\r']))
        .filter_map(|t| crate::domain::checks::phone(t).ok())
        .collect()
}

/// A Sales Navigator link (`linkedin.com/sales/…`).
pub fn is_sales_navigator(url: &str) -> bool {
    url.to_lowercase().contains("linkedin.com/sales/")
}

pub use crate::domain::zones::read_zone as time_zone;

/// A full name split into first and last: "Dana Reyes", "Reyes, Dana", "Dana Reyes, MBA".
pub fn split_name(full: &str) -> (String, String) {
    let full = full.trim();
    let name = match full.split_once(',') {
        // "Reyes, Dana": one word before the comma is a surname.
        Some((last, first)) if !last.trim().contains(' ') && !first.trim().is_empty() => {
            return (first.trim().to_string(), last.trim().to_string());
        }
        // "Dana Reyes, MBA": what follows the comma is a credential.
        Some((name, _)) => name.trim(),
        None => full,
    };
    match name.split_once(char::is_whitespace) {
        Some((first, last)) => (first.to_string(), last.trim().to_string()),
        None => (name.to_string(), String::new()),
    }
}

/// "Austin, Texas, United States" (Sales Navigator's location) → city, state, country.
pub fn split_location(location: &str) -> (Option<&str>, Option<&str>, Option<&str>) {
    let parts: Vec<&str> = location.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [] => (None, None, None),
        [one] => (Some(one), None, Some(one)),
        [city, country] => (Some(city), None, Some(country)),
        [city, .., state, country] => (Some(city), Some(state), Some(country)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_address_in_a_cell() {
        assert_eq!(
            emails("dana@northwind.example; d.reyes@gmail.example"),
            ["dana@northwind.example", "d.reyes@gmail.example"]
        );
        assert_eq!(
            emails("a@x.example ::: b@y.example"),
            ["a@x.example", "b@y.example"]
        );
        assert_eq!(emails("Dana <dana@x.example>"), ["dana@x.example"]);
        assert_eq!(emails("mailto:dana@x.example"), ["dana@x.example"]);
        assert!(emails("dana at northwind").is_empty());
        assert!(emails("n/a").is_empty());
    }

    #[test]
    fn splits_phone_lists_but_not_numbers() {
        assert_eq!(
            phones("+1 415 555 0100; +1 415 555 0199"),
            ["+1 415 555 0100", "+1 415 555 0199"]
        );
        assert_eq!(
            phones("(415) 555-0100 ::: 555 0101"),
            ["(415) 555-0100", "555 0101"]
        );
    }

    #[test]
    fn reads_time_zones_as_crms_write_them() {
        let tz = |s: &str| time_zone(s);
        assert_eq!(tz("America/Chicago").as_deref(), Some("America/Chicago"));
        assert_eq!(tz("america/chicago").as_deref(), Some("America/Chicago"));
        assert_eq!(
            tz("america_slash_new_york").as_deref(),
            Some("America/New_York")
        );
        assert_eq!(
            tz("america_slash_port_hyphen_au_hyphen_prince").as_deref(),
            Some("America/Port-au-Prince")
        );
        assert_eq!(
            tz("(GMT-05:00) America/New_York").as_deref(),
            Some("America/New_York")
        );
        assert_eq!(tz("Eastern Time").as_deref(), Some("America/New_York"));
        assert_eq!(
            tz("Pacific Time (US & Canada)").as_deref(),
            Some("America/Los_Angeles")
        );
        assert_eq!(tz("PST").as_deref(), Some("America/Los_Angeles"));
        assert_eq!(tz("Mars/Olympus"), None);
    }

    #[test]
    fn splits_names() {
        let s = |n: &str| split_name(n);
        assert_eq!(s("Dana Reyes"), ("Dana".into(), "Reyes".into()));
        assert_eq!(s("Reyes, Dana"), ("Dana".into(), "Reyes".into()));
        assert_eq!(s("Dana Reyes, MBA"), ("Dana".into(), "Reyes".into()));
        assert_eq!(s("Cher"), ("Cher".into(), String::new()));
        assert_eq!(
            s("Ana María de la Cruz"),
            ("Ana".into(), "María de la Cruz".into())
        );
    }

    #[test]
    fn knows_profiles_from_other_addresses() {
        assert!(is_profile("https://www.linkedin.com/in/dana-reyes"));
        assert!(!is_profile("linkedin.com/sales/lead/ACwAAA,NAME_SEARCH,x"));
        assert!(is_sales_navigator(
            "linkedin.com/sales/lead/ACwAAA,NAME_SEARCH,x"
        ));
        assert!(!is_profile("https://www.linkedin.com/company/northwind"));
        assert!(!is_profile("https://northwind.example"));
    }
}
