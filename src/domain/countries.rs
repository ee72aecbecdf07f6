//! Countries as exports name them, listed once: their ISO code, calling code and, where one
//! zone covers the whole country, that zone. The phone keys and the time-zone inference
//! both read this table, so a country known to one is known to the other.

/// One country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub iso: &'static str,
    /// The names and codes exports use, in lower case, without a trailing dot.
    pub names: &'static [&'static str],
    /// The international calling code, without the `+`.
    pub calling_code: &'static str,
    /// The country's zone when one zone covers it; `None` where a state or city settles it.
    pub zone: Option<&'static str>,
}

const fn country(
    iso: &'static str,
    names: &'static [&'static str],
    calling_code: &'static str,
    zone: Option<&'static str>,
) -> Country {
    Country {
        iso,
        names,
        calling_code,
        zone,
    }
}

const UK: &[&str] = &[
    "united kingdom",
    "uk",
    "gb",
    "great britain",
    "england",
    "scotland",
    "wales",
    "northern ireland",
];
const US: &[&str] = &[
    "united states",
    "united states of america",
    "usa",
    "us",
    "u.s",
    "u.s.a",
    "america",
];

pub const COUNTRIES: &[Country] = &[
    country("gb", UK, "44", Some("Europe/London")),
    country("ie", &["ireland", "ie"], "353", Some("Europe/Dublin")),
    country(
        "de",
        &["germany", "de", "deutschland"],
        "49",
        Some("Europe/Berlin"),
    ),
    country("fr", &["france", "fr"], "33", Some("Europe/Paris")),
    country(
        "nl",
        &["netherlands", "nl", "the netherlands", "holland"],
        "31",
        Some("Europe/Amsterdam"),
    ),
    country("be", &["belgium", "be"], "32", Some("Europe/Brussels")),
    country("ch", &["switzerland", "ch"], "41", Some("Europe/Zurich")),
    country("at", &["austria", "at"], "43", Some("Europe/Vienna")),
    country("it", &["italy", "it"], "39", Some("Europe/Rome")),
    country("se", &["sweden", "se"], "46", Some("Europe/Stockholm")),
    country("no", &["norway", "no"], "47", Some("Europe/Oslo")),
    country("dk", &["denmark", "dk"], "45", Some("Europe/Copenhagen")),
    country("fi", &["finland", "fi"], "358", Some("Europe/Helsinki")),
    country("pl", &["poland", "pl"], "48", Some("Europe/Warsaw")),
    country(
        "cz",
        &["czech republic", "czechia", "cz"],
        "420",
        Some("Europe/Prague"),
    ),
    country("in", &["india", "in"], "91", Some("Asia/Kolkata")),
    country("sg", &["singapore", "sg"], "65", Some("Asia/Singapore")),
    country("jp", &["japan", "jp"], "81", Some("Asia/Tokyo")),
    country("il", &["israel", "il"], "972", Some("Asia/Jerusalem")),
    country(
        "ae",
        &["united arab emirates", "uae", "ae"],
        "971",
        Some("Asia/Dubai"),
    ),
    country(
        "za",
        &["south africa", "za"],
        "27",
        Some("Africa/Johannesburg"),
    ),
    country("nz", &["new zealand", "nz"], "64", Some("Pacific/Auckland")),
    country("ph", &["philippines", "ph"], "63", Some("Asia/Manila")),
    country("hk", &["hong kong", "hk"], "852", Some("Asia/Hong_Kong")),
    country("cn", &["china", "cn"], "86", Some("Asia/Shanghai")),
    // One zone but for islands a state names (Canary Islands, Azores).
    country("es", &["spain", "es", "españa"], "34", None),
    country("pt", &["portugal", "pt"], "351", None),
    country("us", US, "1", None),
    country("ca", &["canada", "ca"], "1", None),
    country("au", &["australia", "au"], "61", None),
    country("br", &["brazil", "br", "brasil"], "55", None),
    country("mx", &["mexico", "mx", "méxico"], "52", None),
];

/// The country a name or code means ("Deutschland", "U.S.", "gb"), if it is known.
pub fn find(name: &str) -> Option<&'static Country> {
    let name = name.trim().trim_end_matches('.').to_lowercase();
    COUNTRIES.iter().find(|c| c.names.contains(&name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_finds_its_country_for_phones_and_zones_alike() {
        let ni = find("Northern Ireland").map(|c| (c.calling_code, c.zone));
        assert_eq!(ni, Some(("44", Some("Europe/London"))));
        assert_eq!(find("U.S.").map(|c| c.iso), Some("us"));
        assert_eq!(find(" DE ").map(|c| c.calling_code), Some("49"));
        assert_eq!(find("Atlantis"), None);
    }
}
