//! Fictional but realistic prospects: names from several cultures, invented companies on
//! `.example` domains, titles, cities with the time zone and the phone format of their country
//! (numbers from ranges set aside for fiction where the country has one).

use super::data::{
    CITIES, COMPANY_SIZES, CULTURES, KINDS, LEAD_SOURCES, PREFIXES, PhoneStyle, SUFFIXES, TITLES,
};
use super::rng::Rng;
use crate::domain::Prospect;
use rustc_hash::FxHashSet as HashSet;

/// Emails and LinkedIn URLs already handed out (both are unique in the database), kept as
/// fingerprints: a million addresses as text would hold over 100 MB while the demo builds.
/// Two fingerprints alike only make a new address pass over a free one.
#[derive(Default)]
pub struct Taken {
    emails: HashSet<u64>,
    linkedins: HashSet<u64>,
}

impl Taken {
    /// Room for `people`'s addresses from the start: growing a set of a million copies it
    /// over and over.
    pub fn for_people(people: usize) -> Taken {
        Taken {
            emails: HashSet::with_capacity_and_hasher(people, Default::default()),
            linkedins: HashSet::with_capacity_and_hasher(people, Default::default()),
        }
    }
}

/// A fingerprint of `text` that is the same on every run (SipHash with fixed keys), so the
/// demo stays the same book.
fn fingerprint(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// How many different companies `prospects` people work at (several contacts per account).
pub fn company_pool(prospects: usize) -> u64 {
    ((prospects as u64) * 2 / 5).clamp(12, (PREFIXES.len() * SUFFIXES.len()) as u64)
}

/// The company numbered `n`: a name, its email domain and its industry. A stride coprime
/// with the table size walks the prefix and suffix tables in a scattered order.
fn company(n: u64) -> (String, String, &'static str) {
    let size = (PREFIXES.len() * SUFFIXES.len()) as u64;
    let k = (n * 487 + 101) % size;
    let at = |table_len: usize, i: u64| usize::try_from(i % table_len as u64).unwrap_or(0);
    let base = format!(
        "{}{}",
        PREFIXES.get(at(PREFIXES.len(), k)).unwrap_or(&"North"),
        SUFFIXES
            .get(at(SUFFIXES.len(), k / PREFIXES.len() as u64))
            .unwrap_or(&"wind")
    );
    let (kind, industry) = KINDS
        .get(at(KINDS.len(), n.wrapping_mul(2_654_435_761)))
        .copied()
        .unwrap_or(("", "Software"));
    let name = format!("{base}{kind}");
    let domain = format!("{}.example", slug(&name, ""));
    (name, domain, industry)
}

/// Lower-case ASCII for an address: accents dropped, other marks removed.
fn slug(s: &str, sep: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'á' | 'à' | 'â' | 'ä' | 'å' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' | 'ö' | 'ø' => "o",
            'ú' | 'ù' | 'û' | 'ü' => "u",
            'ñ' => "n",
            'ç' => "c",
            'ß' => "ss",
            ' ' | '-' => sep,
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        out.push_str(folded);
    }
    out
}

fn phone(rng: &mut Rng, style: PhoneStyle) -> String {
    match style {
        PhoneStyle::NorthAmerica(area) => format!("+1 {area} 555-01{:02}", rng.below(100)),
        PhoneStyle::Uk(prefix) => format!("+44 {prefix}{:03}", rng.below(1000)),
        PhoneStyle::Germany(prefix) => format!("+49 {prefix}{:03}", rng.below(1000)),
        PhoneStyle::Australia(prefix) => format!("+61 {prefix}{:04}", rng.below(10000)),
        PhoneStyle::India(prefix) => format!("+91 {prefix}{:04}", rng.below(10000)),
    }
}

/// A new prospect (id 0, no history), unique on email and LinkedIn among those made so far.
pub fn prospect(rng: &mut Rng, companies: u64, taken: &mut Taken) -> Option<Prospect> {
    let weights: Vec<(usize, u32)> = CITIES.iter().enumerate().map(|(i, c)| (i, c.1)).collect();
    let (city, _) = CITIES.get(rng.weighted(&weights)?)?;
    let culture = CULTURES.get(rng.weighted(city.names)?)?;
    let first = *rng.pick(culture.first)?;
    let last = *rng.pick(culture.last)?;
    let (company, domain, industry) = company(rng.below(companies));

    // Each company writes its addresses one way; the email is the one field every prospect has.
    let local = match domain.len() % 3 {
        0 => format!("{}.{}", slug(first, ""), slug(last, "")),
        1 => format!(
            "{}{}",
            slug(first, "").chars().next().unwrap_or('x'),
            slug(last, "")
        ),
        _ => slug(first, ""),
    };
    let mut email = format!("{local}@{domain}");
    let mut n = 2;
    while !taken.emails.insert(fingerprint(&email)) {
        email = format!("{local}{n}@{domain}");
        n += 1;
    }

    let linkedin = rng.chance(0.88).then(|| {
        let base = format!("{}-{}", slug(first, "-"), slug(last, "-"));
        let mut handle = if rng.chance(0.5) {
            base.clone()
        } else {
            format!("{base}-{:06x}", rng.below(1 << 24))
        };
        while !taken.linkedins.insert(fingerprint(&handle)) {
            handle = format!("{base}-{:06x}", rng.below(1 << 24));
        }
        format!("https://www.linkedin.com/in/{handle}")
    });

    let mut fields = std::collections::BTreeMap::new();
    if rng.chance(0.85) {
        fields.insert("industry".to_string(), industry.to_string());
    }
    if rng.chance(0.75) {
        fields.insert(
            "lead_source".to_string(),
            rng.weighted(LEAD_SOURCES).unwrap_or("Outbound").to_string(),
        );
    }
    if rng.chance(0.4) {
        fields.insert(
            "company_size".to_string(),
            rng.pick(COMPANY_SIZES)
                .copied()
                .unwrap_or("51-200")
                .to_string(),
        );
    }
    Some(Prospect {
        first_name: first.to_string(),
        last_name: last.to_string(),
        email: Some(email),
        phone: rng.chance(0.78).then(|| phone(rng, city.phone)),
        linkedin,
        company: Some(company),
        title: rng.chance(0.95).then(|| {
            rng.weighted(TITLES)
                .unwrap_or("Head of Operations")
                .to_string()
        }),
        city: Some(city.name.to_string()),
        timezone: Some(city.zone.to_string()),
        fields,
        ..Prospect::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_ascii_and_unique() {
        let mut taken = Taken::default();
        let mut rng = Rng::new(3);
        for _ in 0..2000 {
            let p = prospect(&mut rng, 40, &mut taken).expect("a prospect");
            let email = p.email.unwrap_or_default();
            assert!(email.is_ascii() && email.ends_with(".example"), "{email}");
            assert!(p.linkedin.is_none_or(|l| l.is_ascii()));
        }
        assert_eq!(slug("Lefèvre O'Connor", "-"), "lefevre-oconnor");
        assert_eq!(company(0).1, format!("{}.example", slug(&company(0).0, "")));
    }
}
