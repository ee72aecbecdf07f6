//! A phone number as one key for matching: E.164 (`+14155550100`), using the row's country
//! for a number written the national way ("(415) 555-0100", "030 1234567").

/// The E.164 form of `raw`, or its digits when the country is not known; `None` when it
/// holds no digits.
pub fn phone_key(raw: &str, country: Option<&str>) -> Option<String> {
    let t = without_extension(raw).trim();
    // "+44 (0)20 7946 0018": the (0) is the trunk prefix, dialled only from inside.
    let dropped;
    let t = if t.starts_with('+') && t.contains("(0)") {
        dropped = t.replacen("(0)", "", 1);
        dropped.as_str()
    } else {
        t
    };
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    if t.starts_with('+') {
        return Some(format!("+{digits}"));
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return Some(format!("+{rest}"));
    }
    // A national number drops its trunk prefix 0 (except in Italy, where the 0 is part of
    // the number).
    let code = country
        .and_then(super::countries::find)
        .map(|c| c.calling_code);
    Some(match code {
        Some("1") => match digits.strip_prefix('1') {
            Some(national) if digits.len() == 11 => format!("+1{national}"),
            _ => format!("+1{digits}"),
        },
        Some("39") => format!("+39{digits}"),
        Some(code) => format!("+{code}{}", digits.strip_prefix('0').unwrap_or(&digits)),
        None => digits,
    })
}

/// A `tel:` link for a number: E.164 where it can be worked out (the international form, or
/// the national one with the row's country), the extension as `;ext=` (RFC 3966).
pub fn tel_uri(raw: &str, country: Option<&str>) -> Option<String> {
    let number = phone_key(raw, country)?;
    let rest = raw.get(without_extension(raw).len()..).unwrap_or_default();
    let ext: String = rest.chars().filter(char::is_ascii_digit).collect();
    Some(if ext.is_empty() {
        format!("tel:{number}")
    } else {
        format!("tel:{number};ext={ext}")
    })
}

/// The number without an extension ("… ext. 23", "… x23", "… #23"): the extension reaches a
/// desk behind the same line, not another line.
fn without_extension(raw: &str) -> &str {
    let lower = raw.to_ascii_lowercase();
    let cut = ["ext", " x", "#"]
        .iter()
        .filter_map(|m| lower.find(m))
        .filter(|i| {
            raw.get(..*i)
                .is_some_and(|before| before.chars().any(|c| c.is_ascii_digit()))
        })
        .min();
    match cut {
        Some(i) => raw.get(..i).unwrap_or(raw),
        None => raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_one_key() {
        let cases = [
            ("+1 (415) 555-0100", None, "+14155550100"),
            ("(415) 555-0100", Some("United States"), "+14155550100"),
            ("1-415-555-0100", Some("US"), "+14155550100"),
            ("030 1234567", Some("Germany"), "+49301234567"),
            ("0049 30 1234567", None, "+49301234567"),
            ("06 12 34 56 78", Some("fr"), "+33612345678"),
            ("06 1234 5678", Some("Italy"), "+390612345678"),
            ("020 7946 0018", Some("United Kingdom"), "+442079460018"),
            ("415 555 0100", None, "4155550100"),
            ("+44 (0)20 7946 0018", None, "+442079460018"),
            ("020 7946 0018", Some("Northern Ireland"), "+442079460018"),
            ("+1 415 555 0100 ext. 23", None, "+14155550100"),
            ("(415) 555-0100 x23", Some("US"), "+14155550100"),
        ];
        for (raw, country, want) in cases {
            assert_eq!(phone_key(raw, country).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(phone_key("n/a", Some("US")), None);
        assert_eq!(
            tel_uri("+44 (0)20 7946 0018 ext. 23", None).as_deref(),
            Some("tel:+442079460018;ext=23")
        );
        assert_eq!(
            tel_uri("(415) 555-0100", Some("US")).as_deref(),
            Some("tel:+14155550100")
        );
    }
}
