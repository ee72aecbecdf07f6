//! Inferring a prospect's time zone from where they are, only where that is unambiguous: a
//! country with one zone, a state or province with one (US, Canada, Australia, and the
//! regions that differ from the rest of Spain and Portugal), or a known city that the row's
//! state and country agree with ("London, Ontario" is Toronto's, "Paris, TX" Chicago's).

use super::countries::COUNTRIES;
use chrono_tz::Tz;

/// The IANA name of a time zone written as an IANA name in any case ("america/chicago"),
/// HubSpot's "america_slash_new_york", a label around a name ("(GMT-05:00) America/New_York"),
/// a common US name ("Eastern Time", "PST"), a Windows zone ("W. Europe Standard Time"), or
/// a city as Rails names zones ("Berlin").
pub fn read_zone(cell: &str) -> Option<String> {
    let t = cell.trim();
    // A fixed-offset abbreviation ("EST") means the region's zone, with its summer time.
    if let Some(zone) = abbreviated(t) {
        return Some(zone.to_string());
    }
    if let Ok(tz) = t.parse::<Tz>() {
        return Some(tz.name().to_string());
    }
    if let Some(zone) = super::zone_names::windows_zone(t) {
        return Some(zone.to_string());
    }
    let hubspot = t
        .to_lowercase()
        .replace("_slash_", "/")
        .replace("_hyphen_", "-");
    let candidates = std::iter::once(hubspot.clone())
        .chain(t.split_whitespace().map(|w| w.to_lowercase()))
        .map(|c| {
            c.trim_matches(|ch| ch == '(' || ch == ')')
                .replace(' ', "_")
        });
    for c in candidates.filter(|c| c.contains('/') || c == "utc") {
        if let Some(tz) = chrono_tz::TZ_VARIANTS
            .iter()
            .find(|z| z.name().eq_ignore_ascii_case(&c))
        {
            return Some(tz.name().to_string());
        }
    }
    let lower = t.to_lowercase();
    let named = lower
        .split(['(', ','])
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(" time")
        .trim_end_matches(" standard")
        .trim_end_matches(" daylight")
        .trim();
    if let Some((_, zone)) = US_NAMES.iter().find(|(names, _)| names.contains(&named)) {
        return Some(zone.to_string());
    }
    by_city(named)
}

/// A zone named by its city, as Rails and Windows name them ("Berlin", "Hong Kong",
/// "Mumbai"): the zone database's own city, or the few names it spells otherwise.
fn by_city(named: &str) -> Option<String> {
    const OTHER_NAMES: &[(&str, &str)] = &[
        ("mumbai", "Asia/Kolkata"),
        ("new delhi", "Asia/Kolkata"),
        ("chennai", "Asia/Kolkata"),
        ("beijing", "Asia/Shanghai"),
        ("osaka", "Asia/Tokyo"),
        ("sapporo", "Asia/Tokyo"),
        ("edinburgh", "Europe/London"),
        ("kyiv", "Europe/Kyiv"),
        ("brasilia", "America/Sao_Paulo"),
    ];
    if named.is_empty() {
        return None;
    }
    if let Some((_, zone)) = OTHER_NAMES.iter().find(|(name, _)| *name == named) {
        return Some(zone.to_string());
    }
    let city = named.replace(' ', "_");
    chrono_tz::TZ_VARIANTS
        .iter()
        .find(|z| {
            let name = z.name();
            name.contains('/')
                && !name.starts_with("Etc/")
                && name
                    .rsplit('/')
                    .next()
                    .is_some_and(|c| c.eq_ignore_ascii_case(&city))
        })
        .map(|z| z.name().to_string())
}

/// The abbreviations that name a fixed offset in the zone database but mean a US region.
const ABBREVIATIONS: &[&str] = &["est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt"];

/// The region's zone for a fixed-offset abbreviation ("EST" → America/New_York).
fn abbreviated(t: &str) -> Option<&'static str> {
    let lower = t.to_lowercase();
    if !ABBREVIATIONS.contains(&lower.as_str()) {
        return None;
    }
    US_NAMES
        .iter()
        .find(|(names, _)| names.contains(&lower.as_str()))
        .map(|(_, zone)| *zone)
}

/// A zone the rep typed (`init`, the first-run questions, `add`, `edit`): an IANA name in
/// any case, or a common name ("Central Time"); an abbreviation with a fixed offset is
/// refused with the zone it likely means (EST has no summer time: an hour off all summer).
pub fn zone_named(typed: &str) -> Result<String, String> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    if let Some(zone) = abbreviated(t) {
        return Err(format!(
            "'{t}' is a fixed offset with no summer time; give the zone itself, like {zone}"
        ));
    }
    read_zone(t).ok_or_else(|| {
        format!("'{t}' is not a time zone (like America/Chicago, Europe/Berlin or Central Time)")
    })
}

const US_NAMES: &[(&[&str], &str)] = &[
    (
        &["eastern", "est", "edt", "et", "us eastern"],
        "America/New_York",
    ),
    (
        &["central", "cst", "cdt", "ct", "us central"],
        "America/Chicago",
    ),
    (
        &["mountain", "mst", "mdt", "mt", "us mountain"],
        "America/Denver",
    ),
    (&["arizona"], "America/Phoenix"),
    (
        &["pacific", "pst", "pdt", "pt", "us pacific"],
        "America/Los_Angeles",
    ),
    (&["alaska", "akst", "akdt"], "America/Anchorage"),
    (&["hawaii", "hst"], "Pacific/Honolulu"),
    (&["gmt", "utc"], "UTC"),
];

/// What a place says about the zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Zone(&'static str),
    /// The place is in more than one zone and nothing in the row says which.
    Ambiguous,
    /// Nothing given, or a place these tables do not know.
    Unknown,
}

impl Place {
    pub fn zone(self) -> Option<&'static str> {
        match self {
            Place::Zone(z) => Some(z),
            _ => None,
        }
    }
}

/// States, provinces and regions: country, name, code, and their zone when they have one.
/// Split ones (Texas, Ontario's northwest, New South Wales' Broken Hill) have none: a city
/// settles them.
const STATES: &[(&str, &str, &str, Option<&str>)] = &[
    ("us", "alabama", "al", Some("America/Chicago")),
    ("us", "alaska", "ak", Some("America/Anchorage")),
    ("us", "arizona", "az", Some("America/Phoenix")),
    ("us", "arkansas", "ar", Some("America/Chicago")),
    ("us", "california", "ca", Some("America/Los_Angeles")),
    ("us", "colorado", "co", Some("America/Denver")),
    ("us", "connecticut", "ct", Some("America/New_York")),
    ("us", "delaware", "de", Some("America/New_York")),
    ("us", "district of columbia", "dc", Some("America/New_York")),
    ("us", "georgia", "ga", Some("America/New_York")),
    ("us", "hawaii", "hi", Some("Pacific/Honolulu")),
    ("us", "illinois", "il", Some("America/Chicago")),
    ("us", "iowa", "ia", Some("America/Chicago")),
    ("us", "louisiana", "la", Some("America/Chicago")),
    ("us", "maine", "me", Some("America/New_York")),
    ("us", "maryland", "md", Some("America/New_York")),
    ("us", "massachusetts", "ma", Some("America/New_York")),
    ("us", "minnesota", "mn", Some("America/Chicago")),
    ("us", "mississippi", "ms", Some("America/Chicago")),
    ("us", "missouri", "mo", Some("America/Chicago")),
    ("us", "montana", "mt", Some("America/Denver")),
    ("us", "new hampshire", "nh", Some("America/New_York")),
    ("us", "new jersey", "nj", Some("America/New_York")),
    ("us", "new mexico", "nm", Some("America/Denver")),
    ("us", "new york", "ny", Some("America/New_York")),
    ("us", "north carolina", "nc", Some("America/New_York")),
    ("us", "ohio", "oh", Some("America/New_York")),
    ("us", "oklahoma", "ok", Some("America/Chicago")),
    ("us", "pennsylvania", "pa", Some("America/New_York")),
    ("us", "rhode island", "ri", Some("America/New_York")),
    ("us", "south carolina", "sc", Some("America/New_York")),
    ("us", "utah", "ut", Some("America/Denver")),
    ("us", "vermont", "vt", Some("America/New_York")),
    ("us", "virginia", "va", Some("America/New_York")),
    ("us", "washington", "wa", Some("America/Los_Angeles")),
    ("us", "west virginia", "wv", Some("America/New_York")),
    ("us", "wisconsin", "wi", Some("America/Chicago")),
    ("us", "wyoming", "wy", Some("America/Denver")),
    ("us", "texas", "tx", None),
    ("us", "florida", "fl", None),
    ("us", "tennessee", "tn", None),
    ("us", "kentucky", "ky", None),
    ("us", "indiana", "in", None),
    ("us", "michigan", "mi", None),
    ("us", "oregon", "or", None),
    ("us", "idaho", "id", None),
    ("us", "nevada", "nv", None),
    ("us", "kansas", "ks", None),
    ("us", "nebraska", "ne", None),
    ("us", "north dakota", "nd", None),
    ("us", "south dakota", "sd", None),
    ("ca", "ontario", "on", None),
    ("ca", "quebec", "qc", None),
    ("ca", "british columbia", "bc", None),
    ("ca", "alberta", "ab", Some("America/Edmonton")),
    ("ca", "manitoba", "mb", Some("America/Winnipeg")),
    ("ca", "saskatchewan", "sk", Some("America/Regina")),
    ("ca", "nova scotia", "ns", Some("America/Halifax")),
    ("ca", "new brunswick", "nb", Some("America/Moncton")),
    ("ca", "prince edward island", "pe", Some("America/Halifax")),
    ("ca", "newfoundland and labrador", "nl", None),
    ("ca", "yukon", "yt", Some("America/Whitehorse")),
    ("au", "new south wales", "nsw", None),
    ("au", "victoria", "vic", Some("Australia/Melbourne")),
    ("au", "queensland", "qld", Some("Australia/Brisbane")),
    ("au", "south australia", "sa", Some("Australia/Adelaide")),
    ("au", "western australia", "wa", Some("Australia/Perth")),
    ("au", "tasmania", "tas", Some("Australia/Hobart")),
    ("au", "northern territory", "nt", Some("Australia/Darwin")),
    (
        "au",
        "australian capital territory",
        "act",
        Some("Australia/Sydney"),
    ),
    ("es", "canary islands", "cn", Some("Atlantic/Canary")),
    ("es", "canarias", "canarias", Some("Atlantic/Canary")),
    ("es", "madrid", "md", Some("Europe/Madrid")),
    ("es", "catalonia", "ct", Some("Europe/Madrid")),
    ("es", "cataluña", "catalunya", Some("Europe/Madrid")),
    ("es", "andalusia", "an", Some("Europe/Madrid")),
    ("pt", "azores", "20", Some("Atlantic/Azores")),
    ("pt", "açores", "acores", Some("Atlantic/Azores")),
    ("pt", "lisbon", "11", Some("Europe/Lisbon")),
];

/// Known cities: name, country, state or province code ("" where the country has one zone
/// for it), zone. Several entries for one name are told apart by the row's state and country.
const CITIES: &[(&str, &str, &str, &str)] = &[
    ("new york", "us", "ny", "America/New_York"),
    ("new york city", "us", "ny", "America/New_York"),
    ("boston", "us", "ma", "America/New_York"),
    ("atlanta", "us", "ga", "America/New_York"),
    ("miami", "us", "fl", "America/New_York"),
    ("orlando", "us", "fl", "America/New_York"),
    ("tampa", "us", "fl", "America/New_York"),
    ("detroit", "us", "mi", "America/Detroit"),
    ("nashville", "us", "tn", "America/Chicago"),
    ("chicago", "us", "il", "America/Chicago"),
    ("austin", "us", "tx", "America/Chicago"),
    ("dallas", "us", "tx", "America/Chicago"),
    ("houston", "us", "tx", "America/Chicago"),
    ("san antonio", "us", "tx", "America/Chicago"),
    ("el paso", "us", "tx", "America/Denver"),
    ("paris", "us", "tx", "America/Chicago"),
    ("paris", "us", "tn", "America/Chicago"),
    ("paris", "fr", "", "Europe/Paris"),
    ("denver", "us", "co", "America/Denver"),
    ("phoenix", "us", "az", "America/Phoenix"),
    ("las vegas", "us", "nv", "America/Los_Angeles"),
    ("portland", "us", "or", "America/Los_Angeles"),
    ("portland", "us", "me", "America/New_York"),
    ("seattle", "us", "wa", "America/Los_Angeles"),
    ("san francisco", "us", "ca", "America/Los_Angeles"),
    ("los angeles", "us", "ca", "America/Los_Angeles"),
    ("san diego", "us", "ca", "America/Los_Angeles"),
    ("san jose", "us", "ca", "America/Los_Angeles"),
    ("birmingham", "us", "al", "America/Chicago"),
    ("birmingham", "gb", "", "Europe/London"),
    ("cambridge", "us", "ma", "America/New_York"),
    ("cambridge", "gb", "", "Europe/London"),
    ("manchester", "us", "nh", "America/New_York"),
    ("manchester", "gb", "", "Europe/London"),
    ("london", "gb", "", "Europe/London"),
    ("london", "ca", "on", "America/Toronto"),
    ("toronto", "ca", "on", "America/Toronto"),
    ("ottawa", "ca", "on", "America/Toronto"),
    ("hamilton", "ca", "on", "America/Toronto"),
    ("hamilton", "nz", "", "Pacific/Auckland"),
    ("montreal", "ca", "qc", "America/Toronto"),
    ("quebec city", "ca", "qc", "America/Toronto"),
    ("vancouver", "ca", "bc", "America/Vancouver"),
    ("vancouver", "us", "wa", "America/Los_Angeles"),
    ("victoria", "ca", "bc", "America/Vancouver"),
    ("calgary", "ca", "ab", "America/Edmonton"),
    ("sydney", "au", "nsw", "Australia/Sydney"),
    ("sydney", "ca", "ns", "America/Halifax"),
    ("newcastle", "au", "nsw", "Australia/Sydney"),
    ("newcastle", "gb", "", "Europe/London"),
    ("melbourne", "au", "vic", "Australia/Melbourne"),
    ("melbourne", "us", "fl", "America/New_York"),
    ("brisbane", "au", "qld", "Australia/Brisbane"),
    ("perth", "au", "wa", "Australia/Perth"),
    ("perth", "gb", "", "Europe/London"),
    ("adelaide", "au", "sa", "Australia/Adelaide"),
    ("berlin", "de", "", "Europe/Berlin"),
    ("munich", "de", "", "Europe/Berlin"),
    ("amsterdam", "nl", "", "Europe/Amsterdam"),
    ("dublin", "ie", "", "Europe/Dublin"),
    ("dublin", "us", "oh", "America/New_York"),
    ("madrid", "es", "md", "Europe/Madrid"),
    ("barcelona", "es", "ct", "Europe/Madrid"),
    ("las palmas", "es", "cn", "Atlantic/Canary"),
    ("lisbon", "pt", "11", "Europe/Lisbon"),
    ("porto", "pt", "", "Europe/Lisbon"),
    ("bangalore", "in", "", "Asia/Kolkata"),
    ("bengaluru", "in", "", "Asia/Kolkata"),
    ("mumbai", "in", "", "Asia/Kolkata"),
    ("singapore", "sg", "", "Asia/Singapore"),
    ("tokyo", "jp", "", "Asia/Tokyo"),
];

fn norm(s: &str) -> String {
    s.trim().trim_end_matches('.').to_lowercase()
}

fn country_code(name: &str) -> Option<&'static str> {
    super::countries::find(name).map(|c| c.iso)
}

/// The states a name or code may be, within `country` when it is known.
fn states(
    name: &str,
    country: Option<&str>,
) -> Vec<&'static (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
)> {
    STATES
        .iter()
        .filter(|(iso, n, code, _)| {
            country.is_none_or(|c| c == *iso) && (*n == name || *code == name)
        })
        .collect()
}

/// The zone a place settles, if it settles one.
pub fn infer(city: Option<&str>, state: Option<&str>, country: Option<&str>) -> Place {
    let given = |v: Option<&str>| v.map(norm).filter(|s| !s.is_empty());
    let (city, mut state, country) = (given(city), given(state), given(country));
    let mut iso = country.as_deref().and_then(country_code);
    // A province in the country's place ("London, Ontario").
    if iso.is_none() && state.is_none() {
        if let Some(c) = &country {
            if let [(c_iso, ..)] = states(c, None).as_slice() {
                iso = Some(c_iso);
                state = Some(c.clone());
            }
        }
    }
    if let Some(zone) = iso
        .and_then(|i| COUNTRIES.iter().find(|c| c.iso == i))
        .and_then(|c| c.zone)
    {
        return Place::Zone(zone);
    }
    let found_states = state.as_deref().map(|s| states(s, iso)).unwrap_or_default();
    if let [(s_iso, _, _, zone)] = found_states.as_slice() {
        if let Some(zone) = zone {
            return Place::Zone(zone);
        }
        iso = Some(s_iso);
    }
    let state_codes: Vec<&str> = found_states.iter().map(|(_, _, code, _)| *code).collect();
    let Some(city) = city else {
        // A split state or a country of several zones, and no city to say which.
        let split = !found_states.is_empty() || iso.is_some();
        return if split {
            Place::Ambiguous
        } else {
            Place::Unknown
        };
    };
    let named: Vec<_> = CITIES.iter().filter(|(n, ..)| *n == city).collect();
    let fits: Vec<_> = named
        .iter()
        .filter(|(_, c_iso, c_state, _)| {
            iso.is_none_or(|i| i == *c_iso) && (state.is_none() || state_codes.contains(c_state))
        })
        .collect();
    match fits.as_slice() {
        [] if named.is_empty() && (!found_states.is_empty() || iso.is_some()) => Place::Ambiguous,
        [] => Place::Unknown,
        [(.., zone)] => Place::Zone(zone),
        [(.., first), rest @ ..] if rest.iter().all(|(.., z)| z == first) => Place::Zone(first),
        _ => Place::Ambiguous,
    }
}

#[cfg(test)]
mod tests {
    use super::{Place, infer};

    fn opt(s: &str) -> Option<&str> {
        (!s.is_empty()).then_some(s)
    }

    fn zone(city: &str, state: &str, country: &str) -> Place {
        infer(opt(city), opt(state), opt(country))
    }

    #[test]
    fn a_city_settles_a_zone_only_where_the_row_agrees() {
        use Place::*;
        let cases = [
            ("", "", "Germany", Zone("Europe/Berlin")),
            ("", "IL", "United States", Zone("America/Chicago")),
            ("Austin", "TX", "USA", Zone("America/Chicago")),
            ("", "Texas", "USA", Ambiguous),
            ("", "", "United States", Ambiguous),
            ("", "", "India", Zone("Asia/Kolkata")),
            ("Springfield", "", "", Unknown),
            ("", "", "", Unknown),
            ("London", "Ontario", "Canada", Zone("America/Toronto")),
            ("London", "ON", "", Zone("America/Toronto")),
            ("London", "", "Ontario", Zone("America/Toronto")),
            ("London", "", "United Kingdom", Zone("Europe/London")),
            ("London", "", "", Ambiguous),
            ("Paris", "TX", "", Zone("America/Chicago")),
            ("Paris", "Texas", "United States", Zone("America/Chicago")),
            ("Paris", "", "France", Zone("Europe/Paris")),
            ("Paris", "", "", Ambiguous),
            ("El Paso", "TX", "", Zone("America/Denver")),
            ("", "Alberta", "Canada", Zone("America/Edmonton")),
            ("", "QLD", "Australia", Zone("Australia/Brisbane")),
            ("", "Western Australia", "", Zone("Australia/Perth")),
            ("", "WA", "Australia", Zone("Australia/Perth")),
            ("", "WA", "USA", Zone("America/Los_Angeles")),
            ("", "WA", "", Ambiguous),
            ("Sydney", "NS", "Canada", Zone("America/Halifax")),
            ("Sydney", "", "Australia", Zone("Australia/Sydney")),
            ("", "Canary Islands", "Spain", Zone("Atlantic/Canary")),
            ("Madrid", "", "Spain", Zone("Europe/Madrid")),
            ("", "", "Spain", Ambiguous),
            ("Portland", "OR", "", Zone("America/Los_Angeles")),
            ("Portland", "", "USA", Ambiguous),
        ];
        for (city, state, country, want) in cases {
            assert_eq!(
                zone(city, state, country),
                want,
                "{city}, {state}, {country}"
            );
        }
    }
}
