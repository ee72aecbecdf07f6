//! What an email address, a phone number and a LinkedIn profile must look like, checked the
//! same way at every door: `add`, `edit`, the editor's form and `import`.

use super::prospect::normalize_linkedin;

/// The address as given (trimmed), or why it is not one.
pub fn email(value: &str) -> Result<String, String> {
    let v = value.trim();
    if looks_like_email(v) && !v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(v.to_string())
    } else {
        Err(format!("'{v}' is not an email address"))
    }
}

/// `local@domain.tld`, loosely: what exports hold in their email columns.
pub fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.starts_with('.')
                && domain.contains('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        }
        None => false,
    }
}

/// The number as given (trimmed), or why it is not one: at least five digits, and nothing
/// but the signs numbers are written with (`+ - ( ) . /`, spaces, an extension).
pub fn phone(value: &str) -> Result<String, String> {
    let v = value.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let lower = v.to_ascii_lowercase();
    let rest = lower.replace("ext", "");
    let signs_only = rest
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().#/x".contains(c));
    if digits >= 5 && signs_only {
        Ok(v.to_string())
    } else {
        Err(format!("'{v}' is not a phone number"))
    }
}

/// Whether an address is a person's public LinkedIn profile, as opposed to a company page,
/// a Sales Navigator link or any other website.
pub fn is_profile(url: &str) -> bool {
    linkedin(url).is_ok()
}

/// The profile's address in the one form touchbase keeps (`https://www.linkedin.com/in/…`),
/// or why it is not a profile.
pub fn linkedin(value: &str) -> Result<String, String> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let scheme_ok =
        !lower.contains("://") || lower.starts_with("https://") || lower.starts_with("http://");
    let n = normalize_linkedin(v);
    let slug = n
        .strip_prefix("linkedin.com/in/")
        .or_else(|| n.strip_prefix("linkedin.com/pub/"));
    let slug_ok = slug.is_some_and(|s| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || "-_%./".contains(c))
    });
    if scheme_ok && slug_ok {
        Ok(format!("https://www.{n}"))
    } else {
        Err(format!(
            "'{v}' is not a LinkedIn profile (https://www.linkedin.com/in/…)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_door_takes_the_same_values() {
        assert_eq!(
            email(" dana@northwind.example "),
            Ok("dana@northwind.example".into())
        );
        for bad in [
            "not an email",
            "dana at northwind",
            "dana@",
            "@x.example",
            "a b@x.example",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert_eq!(
            phone("+1 (415) 555-0100 ext. 23"),
            Ok("+1 (415) 555-0100 ext. 23".into())
        );
        for bad in ["n/a", "call me", "123", "555-CALL-NOW"] {
            assert!(phone(bad).is_err(), "{bad}");
        }
        assert_eq!(
            linkedin("linkedin.com/in/dana-reyes/"),
            Ok("https://www.linkedin.com/in/dana-reyes".into())
        );
        assert_eq!(
            linkedin("https://uk.linkedin.com/in/Dana-Reyes?trk=x"),
            Ok("https://www.linkedin.com/in/dana-reyes".into())
        );
        for bad in [
            "javascript:alert(1)",
            "https://www.linkedin.com/company/northwind",
            "https://www.linkedin.com/sales/lead/ACwAA",
            "ftp://linkedin.com/in/x",
            "https://evil.example/in/dana",
            "linkedin.com/in/",
        ] {
            assert!(linkedin(bad).is_err(), "{bad}");
        }
    }
}
