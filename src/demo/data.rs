//! The tables the demo's people are drawn from: names by culture, cities with their time
//! zone and phone format, titles, and the words invented company names are made of.

/// First and last names that belong together.
pub(super) struct Culture {
    pub(super) first: &'static [&'static str],
    pub(super) last: &'static [&'static str],
}

pub(super) const ANGLO: Culture = Culture {
    first: &[
        "Dana", "Michael", "Sarah", "James", "Emily", "Ryan", "Megan", "Chris", "Laura", "Kevin",
        "Rachel", "Tom", "Hannah", "Ben", "Olivia", "Jack", "Grace", "Nathan", "Chloe", "Owen",
    ],
    last: &[
        "Reyes", "Carter", "Bennett", "Walsh", "Hughes", "Foster", "Parker", "Mitchell", "Hayes",
        "Brooks", "Sullivan", "O'Connor", "Turner", "Campbell", "Murphy", "Fletcher", "Shaw",
        "Ellis", "Harper", "Lawson",
    ],
};
pub(super) const HISPANIC: Culture = Culture {
    first: &[
        "Lucía",
        "Mateo",
        "Sofía",
        "Diego",
        "Valentina",
        "Carlos",
        "Camila",
        "Javier",
        "Isabel",
        "Andrés",
        "Paula",
        "Marco",
    ],
    last: &[
        "García",
        "Martínez",
        "López",
        "Hernández",
        "Morales",
        "Castillo",
        "Vargas",
        "Ortega",
        "Ramírez",
        "Delgado",
        "Navarro",
        "Romero",
    ],
};
pub(super) const SOUTH_ASIAN: Culture = Culture {
    first: &[
        "Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Neha", "Aditya", "Isha", "Rahul",
        "Meera", "Sanjay",
    ],
    last: &[
        "Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Kapoor", "Rao", "Desai",
        "Banerjee", "Krishnan",
    ],
};
pub(super) const GERMAN: Culture = Culture {
    first: &[
        "Jonas",
        "Lena",
        "Felix",
        "Anna",
        "Lukas",
        "Julia",
        "Tobias",
        "Katrin",
        "Maximilian",
        "Sophie",
        "Stefan",
        "Miriam",
    ],
    last: &[
        "Müller", "Schmidt", "Weber", "Fischer", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch",
        "Richter", "Neumann", "Krüger",
    ],
};
pub(super) const EAST_ASIAN: Culture = Culture {
    first: &[
        "Wei", "Mei", "Hiroshi", "Yuki", "Min-jun", "Ji-woo", "Lin", "Kenji", "Haruka", "Jun",
        "Xiu", "Seo-yeon",
    ],
    last: &[
        "Chen", "Wang", "Tanaka", "Sato", "Kim", "Park", "Liu", "Nakamura", "Lee", "Zhang",
        "Suzuki", "Choi",
    ],
};
pub(super) const WEST_AFRICAN: Culture = Culture {
    first: &[
        "Chidi", "Amara", "Tunde", "Ngozi", "Kwame", "Ama", "Emeka", "Adaeze", "Kofi",
    ],
    last: &[
        "Okafor", "Adeyemi", "Mensah", "Okonkwo", "Boateng", "Eze", "Balogun", "Asante",
    ],
};
pub(super) const ARABIC: Culture = Culture {
    first: &[
        "Omar", "Layla", "Karim", "Nour", "Yusuf", "Rania", "Tariq", "Salma", "Hassan",
    ],
    last: &[
        "Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Farouk", "Aziz", "Hamdan",
    ],
};
pub(super) const NORDIC_FRENCH_ITALIAN: Culture = Culture {
    first: &[
        "Søren", "Ingrid", "Lars", "Elin", "Camille", "Julien", "Chiara", "Luca", "Margaux",
        "Giulia", "Mikael", "Élodie",
    ],
    last: &[
        "Lindqvist",
        "Andersen",
        "Nyberg",
        "Dubois",
        "Lefèvre",
        "Moreau",
        "Rossi",
        "Bianchi",
        "Conti",
        "Haugen",
        "Laurent",
        "Ricci",
    ],
};

pub(super) const CULTURES: [&Culture; 8] = [
    &ANGLO,
    &HISPANIC,
    &SOUTH_ASIAN,
    &GERMAN,
    &EAST_ASIAN,
    &WEST_AFRICAN,
    &ARABIC,
    &NORDIC_FRENCH_ITALIAN,
];

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

pub(super) const TITLES: &[(&str, u32)] = &[
    ("VP Operations", 8),
    ("Head of Sales", 8),
    ("RevOps Manager", 7),
    ("CTO", 4),
    ("Director of Customer Success", 7),
    ("Head of Support", 7),
    ("Operations Manager", 8),
    ("VP Sales", 5),
    ("Chief Operating Officer", 3),
    ("Sales Operations Lead", 5),
    ("Customer Support Manager", 7),
    ("Director of Engineering", 3),
    ("Head of Customer Experience", 5),
    ("IT Manager", 4),
    ("Founder & CEO", 3),
    ("Support Team Lead", 5),
    ("Director of Operations", 5),
    ("Revenue Operations Analyst", 3),
];

pub(super) const PREFIXES: &[&str] = &[
    "North",
    "Bright",
    "Blue",
    "Clear",
    "Silver",
    "Iron",
    "Summit",
    "Harbor",
    "Cedar",
    "Maple",
    "Granite",
    "Lumen",
    "Nova",
    "Vector",
    "Quanta",
    "Helix",
    "Orbit",
    "Pioneer",
    "Keystone",
    "Crest",
    "Aspen",
    "Falcon",
    "Beacon",
    "Tidal",
    "Atlas",
    "Verdant",
    "Cobalt",
    "Amber",
    "Juniper",
    "Sterling",
    "Meridian",
    "Evergreen",
    "Polar",
    "River",
    "Copper",
    "Kestrel",
];
pub(super) const SUFFIXES: &[&str] = &[
    "wind", "line", "path", "forge", "works", "field", "point", "stack", "wave", "bridge", "gate",
    "loop", "leaf", "stone", "mark", "shift", "light", "core", "way", "dale",
];
/// A company's kind, and the industry its people put in the `industry` field.
pub(super) const KINDS: &[(&str, &str)] = &[
    ("", "Software"),
    (" Logistics", "Logistics"),
    (" Health", "Healthcare"),
    (" Analytics", "Software"),
    (" Systems", "IT services"),
    (" Foods", "Food & beverage"),
    (" Energy", "Energy"),
    (" Robotics", "Manufacturing"),
    (" Insurance", "Insurance"),
    (" Retail", "Retail"),
    (" Freight", "Logistics"),
    (" Learning", "Education"),
    ("", "Fintech"),
    ("", "Marketing services"),
];
pub(super) const LEAD_SOURCES: &[(&str, u32)] = &[
    ("Apollo list", 30),
    ("Sales Navigator", 25),
    ("Webinar", 12),
    ("Referral", 8),
    ("Conference", 10),
    ("Partner", 5),
];
pub(super) const COMPANY_SIZES: &[&str] = &["11-50", "51-200", "201-500", "501-1000", "1000+"];
