//! Inferring a prospect's time zone from where they are, only where that is unambiguous:
//! a country with one zone, or a US state, Canadian province or Australian state with one.

/// Countries that keep a single time zone, by the names and codes exports use.
const COUNTRIES: &[(&[&str], &str)] = &[
    (
        &[
            "united kingdom",
            "uk",
            "gb",
            "great britain",
            "england",
            "scotland",
            "wales",
            "northern ireland",
        ],
        "Europe/London",
    ),
    (&["ireland", "ie"], "Europe/Dublin"),
    (&["germany", "de", "deutschland"], "Europe/Berlin"),
    (&["france", "fr"], "Europe/Paris"),
    (
        &["netherlands", "nl", "the netherlands", "holland"],
        "Europe/Amsterdam",
    ),
    (&["belgium", "be"], "Europe/Brussels"),
    (&["switzerland", "ch"], "Europe/Zurich"),
    (&["austria", "at"], "Europe/Vienna"),
    (&["italy", "it"], "Europe/Rome"),
    (&["spain", "es"], "Europe/Madrid"),
    (&["sweden", "se"], "Europe/Stockholm"),
    (&["norway", "no"], "Europe/Oslo"),
    (&["denmark", "dk"], "Europe/Copenhagen"),
    (&["finland", "fi"], "Europe/Helsinki"),
    (&["poland", "pl"], "Europe/Warsaw"),
    (&["czech republic", "czechia", "cz"], "Europe/Prague"),
    (&["india", "in"], "Asia/Kolkata"),
    (&["singapore", "sg"], "Asia/Singapore"),
    (&["japan", "jp"], "Asia/Tokyo"),
    (&["israel", "il"], "Asia/Jerusalem"),
    (&["united arab emirates", "uae", "ae"], "Asia/Dubai"),
    (&["south africa", "za"], "Africa/Johannesburg"),
    (&["new zealand", "nz"], "Pacific/Auckland"),
    (&["philippines", "ph"], "Asia/Manila"),
    (&["hong kong", "hk"], "Asia/Hong_Kong"),
    (&["china", "cn"], "Asia/Shanghai"),
];

/// US states (name and postal code) that lie in one zone. Split states are left out.
const US_STATES: &[(&str, &str, &str)] = &[
    ("alabama", "al", "America/Chicago"),
    ("alaska", "ak", "America/Anchorage"),
    ("arizona", "az", "America/Phoenix"),
    ("arkansas", "ar", "America/Chicago"),
    ("california", "ca", "America/Los_Angeles"),
    ("colorado", "co", "America/Denver"),
    ("connecticut", "ct", "America/New_York"),
    ("delaware", "de", "America/New_York"),
    ("district of columbia", "dc", "America/New_York"),
    ("georgia", "ga", "America/New_York"),
    ("hawaii", "hi", "Pacific/Honolulu"),
    ("illinois", "il", "America/Chicago"),
    ("iowa", "ia", "America/Chicago"),
    ("louisiana", "la", "America/Chicago"),
    ("maine", "me", "America/New_York"),
    ("maryland", "md", "America/New_York"),
    ("massachusetts", "ma", "America/New_York"),
    ("minnesota", "mn", "America/Chicago"),
    ("mississippi", "ms", "America/Chicago"),
    ("missouri", "mo", "America/Chicago"),
    ("montana", "mt", "America/Denver"),
    ("new hampshire", "nh", "America/New_York"),
    ("new jersey", "nj", "America/New_York"),
    ("new mexico", "nm", "America/Denver"),
    ("new york", "ny", "America/New_York"),
    ("north carolina", "nc", "America/New_York"),
    ("ohio", "oh", "America/New_York"),
    ("oklahoma", "ok", "America/Chicago"),
    ("pennsylvania", "pa", "America/New_York"),
    ("rhode island", "ri", "America/New_York"),
    ("south carolina", "sc", "America/New_York"),
    ("utah", "ut", "America/Denver"),
    ("vermont", "vt", "America/New_York"),
    ("virginia", "va", "America/New_York"),
    ("washington", "wa", "America/Los_Angeles"),
    ("west virginia", "wv", "America/New_York"),
    ("wisconsin", "wi", "America/Chicago"),
    ("wyoming", "wy", "America/Denver"),
];

/// Cities that settle a split country or state.
const CITIES: &[(&str, &str)] = &[
    ("new york", "America/New_York"),
    ("new york city", "America/New_York"),
    ("boston", "America/New_York"),
    ("atlanta", "America/New_York"),
    ("miami", "America/New_York"),
    ("chicago", "America/Chicago"),
    ("austin", "America/Chicago"),
    ("dallas", "America/Chicago"),
    ("houston", "America/Chicago"),
    ("denver", "America/Denver"),
    ("phoenix", "America/Phoenix"),
    ("seattle", "America/Los_Angeles"),
    ("san francisco", "America/Los_Angeles"),
    ("los angeles", "America/Los_Angeles"),
    ("san diego", "America/Los_Angeles"),
    ("toronto", "America/Toronto"),
    ("montreal", "America/Toronto"),
    ("vancouver", "America/Vancouver"),
    ("calgary", "America/Edmonton"),
    ("sydney", "Australia/Sydney"),
    ("melbourne", "Australia/Melbourne"),
    ("brisbane", "Australia/Brisbane"),
    ("perth", "Australia/Perth"),
    ("adelaide", "Australia/Adelaide"),
    ("london", "Europe/London"),
    ("berlin", "Europe/Berlin"),
    ("munich", "Europe/Berlin"),
    ("paris", "Europe/Paris"),
    ("amsterdam", "Europe/Amsterdam"),
    ("dublin", "Europe/Dublin"),
    ("bangalore", "Asia/Kolkata"),
    ("bengaluru", "Asia/Kolkata"),
    ("mumbai", "Asia/Kolkata"),
    ("singapore", "Asia/Singapore"),
    ("tokyo", "Asia/Tokyo"),
];

fn norm(s: &str) -> String {
    s.trim().trim_end_matches('.').to_lowercase()
}

fn is_us(country: &str) -> bool {
    matches!(
        country,
        "us" | "usa" | "u.s" | "u.s.a" | "united states" | "united states of america" | "america"
    )
}

/// The IANA zone for a place, when the place settles it; `None` when unsure.
pub fn infer(
    city: Option<&str>,
    state: Option<&str>,
    country: Option<&str>,
) -> Option<&'static str> {
    let city = city.map(norm).filter(|s| !s.is_empty());
    let state = state.map(norm).filter(|s| !s.is_empty());
    let country = country.map(norm).filter(|s| !s.is_empty());
    if let Some(c) = &country {
        if let Some((_, zone)) = COUNTRIES
            .iter()
            .find(|(names, _)| names.contains(&c.as_str()))
        {
            return Some(zone);
        }
    }
    let us_or_unknown = country.as_deref().is_none_or(is_us);
    if us_or_unknown {
        if let Some(s) = &state {
            if let Some((_, _, zone)) = US_STATES.iter().find(|(n, code, _)| n == s || code == s) {
                return Some(zone);
            }
        }
    }
    // A well-known city settles it only when nothing given contradicts it.
    if let Some(c) = &city {
        if let Some((_, zone)) = CITIES.iter().find(|(n, _)| n == c) {
            return Some(zone);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::infer;

    #[test]
    fn infers_only_unambiguous_places() {
        assert_eq!(infer(None, None, Some("Germany")), Some("Europe/Berlin"));
        assert_eq!(
            infer(None, Some("IL"), Some("United States")),
            Some("America/Chicago")
        );
        assert_eq!(
            infer(Some("Austin"), Some("TX"), Some("USA")),
            Some("America/Chicago")
        );
        assert_eq!(
            infer(None, Some("Texas"), Some("USA")),
            None,
            "Texas spans two zones"
        );
        assert_eq!(infer(None, None, Some("United States")), None);
        assert_eq!(infer(None, None, Some("India")), Some("Asia/Kolkata"));
        assert_eq!(infer(Some("Springfield"), None, None), None);
    }
}
