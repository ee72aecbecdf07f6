//! The tables the demo's people are drawn from: names by culture, titles and the words
//! invented company names are made of (data files in `assets/demo/`, compiled in by
//! `build.rs`), and cities with their time zone and phone format.

/// First and last names that belong together.
pub(super) struct Culture {
    pub(super) first: &'static [&'static str],
    pub(super) last: &'static [&'static str],
}

// The names (`Culture` constants and `CULTURES`, in the order of assets/demo/names.txt),
// the titles and the words of company names come from the data files in assets/demo/.
include!(concat!(env!("OUT_DIR"), "/demo_tables.rs"));

/// How a city's phone numbers look: the fictional (drama) range where there is one.
#[derive(Clone, Copy)]
pub(super) enum PhoneStyle {
    /// `+1 415 555-01xx`: the North American range reserved for fiction.
    NorthAmerica(&'static str),
    /// Ofcom's drama ranges, e.g. `+44 20 7946 0xxx`.
    Uk(&'static str),
    /// The Bundesnetzagentur's numbers for film and TV, e.g. `+49 30 23125 xxx`.
    Germany(&'static str),
    /// ACMA's fictional ranges, e.g. `+61 2 5550 xxxx`.
    Australia(&'static str),
    /// India sets none aside; a `5550` exchange keeps the look without a real subscriber.
    India(&'static str),
}

pub(super) struct City {
    pub(super) name: &'static str,
    pub(super) zone: &'static str,
    pub(super) phone: PhoneStyle,
    /// Which cultures' names are common there, with weights (indexes into `CULTURES`).
    pub(super) names: &'static [(usize, u32)],
}

pub(super) const US_NAMES: &[(usize, u32)] =
    &[(0, 50), (1, 16), (2, 10), (4, 10), (5, 5), (6, 4), (7, 5)];
pub(super) const UK_NAMES: &[(usize, u32)] = &[(0, 60), (2, 14), (5, 8), (6, 6), (7, 8), (4, 4)];
pub(super) const DE_NAMES: &[(usize, u32)] = &[(3, 70), (7, 10), (6, 8), (0, 6), (4, 6)];
pub(super) const IN_NAMES: &[(usize, u32)] = &[(2, 92), (0, 4), (4, 4)];
pub(super) const AU_NAMES: &[(usize, u32)] = &[(0, 60), (4, 16), (2, 12), (7, 8), (1, 4)];

#[rustfmt::skip]
pub(super) const CITIES: &[(City, u32)] = &[
    (city("New York", "America/New_York", PhoneStyle::NorthAmerica("212"), US_NAMES), 12),
    (city("Boston", "America/New_York", PhoneStyle::NorthAmerica("617"), US_NAMES), 6),
    (city("Atlanta", "America/New_York", PhoneStyle::NorthAmerica("404"), US_NAMES), 5),
    (city("Chicago", "America/Chicago", PhoneStyle::NorthAmerica("312"), US_NAMES), 8),
    (city("Austin", "America/Chicago", PhoneStyle::NorthAmerica("512"), US_NAMES), 6),
    (city("Denver", "America/Denver", PhoneStyle::NorthAmerica("303"), US_NAMES), 4),
    (city("San Francisco", "America/Los_Angeles", PhoneStyle::NorthAmerica("415"), US_NAMES), 9),
    (city("Seattle", "America/Los_Angeles", PhoneStyle::NorthAmerica("206"), US_NAMES), 5),
    (city("Toronto", "America/Toronto", PhoneStyle::NorthAmerica("416"), US_NAMES), 5),
    (city("London", "Europe/London", PhoneStyle::Uk("20 7946 0"), UK_NAMES), 11),
    (city("Manchester", "Europe/London", PhoneStyle::Uk("161 496 0"), UK_NAMES), 4),
    (city("Berlin", "Europe/Berlin", PhoneStyle::Germany("30 23125 "), DE_NAMES), 6),
    (city("Hamburg", "Europe/Berlin", PhoneStyle::Germany("40 66969 "), DE_NAMES), 3),
    (city("Munich", "Europe/Berlin", PhoneStyle::Germany("89 99998 "), DE_NAMES), 3),
    (city("Bengaluru", "Asia/Kolkata", PhoneStyle::India("80 5550 "), IN_NAMES), 5),
    (city("Mumbai", "Asia/Kolkata", PhoneStyle::India("22 5550 "), IN_NAMES), 3),
    (city("Sydney", "Australia/Sydney", PhoneStyle::Australia("2 5550 "), AU_NAMES), 5),
    (city("Melbourne", "Australia/Melbourne", PhoneStyle::Australia("3 7010 "), AU_NAMES), 4),
];

pub(super) const fn city(
    name: &'static str,
    zone: &'static str,
    phone: PhoneStyle,
    names: &'static [(usize, u32)],
) -> City {
    City {
        name,
        zone,
        phone,
        names,
    }
}

pub(super) const LEAD_SOURCES: &[(&str, u32)] = &[
    ("Apollo list", 30),
    ("Sales Navigator", 25),
    ("Webinar", 12),
    ("Referral", 8),
    ("Conference", 10),
    ("Partner", 5),
];
pub(super) const COMPANY_SIZES: &[&str] = &["11-50", "51-200", "201-500", "501-1000", "1000+"];
