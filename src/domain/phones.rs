//! A phone number as one key for matching: E.164 (`+14155550100`), using the row's country
//! for a number written the national way ("(415) 555-0100", "030 1234567").

/// Calling codes by the country names and codes exports use. A national number drops its
/// trunk prefix 0 (except in Italy, where the 0 is part of the number).
const CALLING_CODES: &[(&[&str], &str)] = &[
    (
        &[
            "united states",
            "united states of america",
            "usa",
            "us",
            "u.s.",
            "america",
        ],
        "1",
    ),
    (&["canada", "ca"], "1"),
    (
        &[
            "united kingdom",
            "uk",
            "gb",
            "great britain",
            "england",
            "scotland",
            "wales",
        ],
        "44",
    ),
    (&["ireland", "ie"], "353"),
    (&["germany", "de", "deutschland"], "49"),
    (&["france", "fr"], "33"),
    (&["netherlands", "nl", "the netherlands", "holland"], "31"),
    (&["belgium", "be"], "32"),
    (&["switzerland", "ch"], "41"),
    (&["austria", "at"], "43"),
    (&["italy", "it"], "39"),
    (&["spain", "es"], "34"),
    (&["portugal", "pt"], "351"),
    (&["sweden", "se"], "46"),
    (&["norway", "no"], "47"),
    (&["denmark", "dk"], "45"),
    (&["finland", "fi"], "358"),
    (&["poland", "pl"], "48"),
    (&["czech republic", "czechia", "cz"], "420"),
    (&["australia", "au"], "61"),
    (&["new zealand", "nz"], "64"),
    (&["india", "in"], "91"),
    (&["singapore", "sg"], "65"),
    (&["japan", "jp"], "81"),
    (&["israel", "il"], "972"),
    (&["united arab emirates", "uae", "ae"], "971"),
    (&["south africa", "za"], "27"),
    (&["brazil", "br", "brasil"], "55"),
    (&["mexico", "mx", "méxico"], "52"),
    (&["hong kong", "hk"], "852"),
    (&["china", "cn"], "86"),
    (&["philippines", "ph"], "63"),
];

/// The E.164 form of `raw`, or its digits when the country is not known; `None` when it
/// holds no digits.
pub fn phone_key(raw: &str, country: Option<&str>) -> Option<String> {
    let t = raw.trim();
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
    let country = country.map(|c| c.trim().to_lowercase());
    let code = country.as_deref().and_then(|c| {
        CALLING_CODES
            .iter()
            .find(|(names, _)| names.contains(&c))
            .map(|(_, code)| *code)
    });
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
        ];
        for (raw, country, want) in cases {
            assert_eq!(phone_key(raw, country).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(phone_key("n/a", Some("US")), None);
    }
}
