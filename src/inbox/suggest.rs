//! What kind of answer a reply is, suggested from the sender's own words, with the phrase
//! that decided it: a referral (with the person and address it names), the wrong person,
//! not now (with the day it names), an objection, a positive answer, a question. Only a
//! suggestion: the rep confirms or changes it with one key. Pure.

use crate::domain::ReplyKind;
use crate::domain::conversation::Suggestion;
use chrono::{Datelike, Months, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// Phrases per kind, in the order kinds are tried (the first kind with a phrase wins), in
/// English, German, French, Spanish, Dutch, Italian, Portuguese and Polish.
const KINDS: &[(ReplyKind, &[&str])] = &[
    (
        ReplyKind::WrongPerson,
        &[
            "not the right person",
            "wrong person",
            "not responsible for",
            "no longer with",
            "no longer work",
            "left the company",
            "i don't handle",
            "nicht zuständig",
            "nicht mehr bei",
            "pas la bonne personne",
            "ne suis pas en charge",
            "no soy la persona",
            "ya no trabajo",
            "niet de juiste persoon",
            "non sono la persona giusta",
            "não sou a pessoa",
            "nie jestem właściwą osobą",
        ],
    ),
    (
        ReplyKind::NotNow,
        &[
            "not now",
            "not right now",
            "circle back",
            "try me again",
            "reach out again",
            "check back",
            "next quarter",
            "next year",
            "after the holidays",
            "in a few months",
            "get back to me in",
            "contact me again",
            "nicht jetzt",
            "später",
            "nächstes jahr",
            "pas maintenant",
            "plus tard",
            "recontactez-moi",
            "ahora no",
            "más adelante",
            "nu niet",
            "non ora",
            "più avanti",
            "agora não",
            "mais tarde",
            "nie teraz",
            "później",
        ],
    ),
    (
        ReplyKind::Objection,
        &[
            "not interested",
            "we already use",
            "already have",
            "already work with",
            "no budget",
            "too expensive",
            "not a priority",
            "not a fit",
            "happy with our",
            "kein interesse",
            "kein budget",
            "zu teuer",
            "pas intéressé",
            "pas de budget",
            "no nos interesa",
            "ya usamos",
            "sin presupuesto",
            "geen interesse",
            "geen budget",
            "non siamo interessati",
            "nessun budget",
            "não temos interesse",
            "sem orçamento",
            "nie jesteśmy zainteresowani",
        ],
    ),
    (
        ReplyKind::Positive,
        &[
            "let's talk",
            "lets talk",
            "let's chat",
            "send me some times",
            "happy to chat",
            "happy to talk",
            "sounds good",
            "sounds interesting",
            "interested",
            "set up a call",
            "book a call",
            "works for me",
            "gerne",
            "klingt gut",
            "volontiers",
            "ça m'intéresse",
            "me interesa",
            "suena bien",
            "klinkt goed",
            "mi interessa",
            "tenho interesse",
            "chętnie",
        ],
    ),
];

/// Words that hand the conversation to someone else.
const REFERRALS: &[&str] = &[
    "talk to",
    "speak to",
    "speak with",
    "reach out to",
    "contact ",
    "the right person",
    "better person",
    "looping in",
    "cc'ing",
    "copying",
    "wenden sie sich an",
    "ansprechpartner",
    "adressez-vous",
    "hable con",
    "neem contact op met",
    "parli con",
    "fale com",
    "proszę kontaktować się z",
];

static ADDRESS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}").ok());

/// The kind the sender's own words suggest. `from`: their address (not a referral);
/// `sent`: the day they wrote (for "in March").
pub fn suggest(own: &str, from: Option<&str>, sent: NaiveDate) -> Option<Suggestion> {
    let lower = own.to_lowercase();
    if let Some(s) = referral(own, &lower, from) {
        return Some(s);
    }
    for (kind, phrases) in KINDS {
        let found = phrases.iter().find(|p| {
            lower
                .match_indices(**p)
                .any(|(at, _)| !super::classify::negated(lower.get(..at).unwrap_or_default()))
        });
        if let Some(phrase) = found {
            let back_on = (*kind == ReplyKind::NotNow)
                .then(|| back_on(&lower, sent))
                .flatten();
            return Some(Suggestion {
                kind: *kind,
                phrase: phrase.to_string(),
                back_on,
                referral: None,
            });
        }
    }
    // A question in their own words, and nothing else said.
    lower.contains('?').then(|| Suggestion {
        kind: ReplyKind::Question,
        phrase: "?".to_string(),
        back_on: None,
        referral: None,
    })
}

/// "Please talk to Sam Lee (sam.lee@x.example)": the person and address it names.
fn referral(own: &str, lower: &str, from: Option<&str>) -> Option<Suggestion> {
    let phrase = REFERRALS.iter().find(|p| lower.contains(**p))?;
    let address = ADDRESS
        .as_ref()?
        .find_iter(own)
        .find(|a| Some(a.as_str().to_lowercase().as_str()) != from)?;
    // The name: up to three capitalised words just before the address.
    let before = own.get(..address.start()).unwrap_or_default();
    let words: Vec<&str> = before
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | '<' | ',' | ':'))
        .filter(|w| !w.is_empty())
        .collect();
    let name: Vec<&str> = words
        .iter()
        .rev()
        .take(3)
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .copied()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let person = if name.is_empty() {
        address.as_str().to_string()
    } else {
        format!("{} <{}>", name.join(" "), address.as_str())
    };
    Some(Suggestion {
        kind: ReplyKind::Referral,
        phrase: phrase.trim().to_string(),
        back_on: None,
        referral: Some(person),
    })
}

/// The day "not now" names: a month ("in March": its first day, the next one to come),
/// "next quarter", "next year", "in N weeks/months"; `None` when it names none.
fn back_on(lower: &str, sent: NaiveDate) -> Option<NaiveDate> {
    static IN_MONTH: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"\b(?:in|im|en|em|a|w|until|till|after|bis|from|ab|à partir de)\s+(?:early\s+|mid\s+|late\s+)?(\p{L}{3,12})\b").ok()
    });
    static IN_SPAN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"\bin\s+(\d{1,2}|a|one|two|three|six)\s+(week|month)s?\b").ok()
    });
    for c in IN_MONTH.iter().flat_map(|re| re.captures_iter(lower)) {
        let Some(month) = c
            .get(1)
            .and_then(|m| super::return_date::month_of(m.as_str()))
        else {
            continue;
        };
        let this = NaiveDate::from_ymd_opt(sent.year(), month, 1)?;
        return if this > sent {
            Some(this)
        } else {
            NaiveDate::from_ymd_opt(sent.year() + 1, month, 1)
        };
    }
    if let Some(c) = IN_SPAN.as_ref().and_then(|re| re.captures(lower)) {
        let n = match c.get(1).map(|m| m.as_str()) {
            Some("a" | "one") => 1,
            Some("two") => 2,
            Some("three") => 3,
            Some("six") => 6,
            Some(n) => n.parse().ok()?,
            None => return None,
        };
        return match c.get(2).map(|m| m.as_str()) {
            Some("week") => sent.checked_add_days(chrono::Days::new(7 * n)),
            _ => sent.checked_add_months(Months::new(u32::try_from(n).ok()?)),
        };
    }
    if lower.contains("next quarter") {
        let next = (sent.month0() / 3 + 1) * 3;
        let (year, month) = if next >= 12 {
            (sent.year() + 1, 1)
        } else {
            (sent.year(), next + 1)
        };
        return NaiveDate::from_ymd_opt(year, month, 1);
    }
    if [
        "next year",
        "nächstes jahr",
        "l'année prochaine",
        "el año que viene",
    ]
    .iter()
    .any(|p| lower.contains(p))
    {
        return NaiveDate::from_ymd_opt(sent.year() + 1, 1, 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    /// A reply's words, and the kind, phrase, day and person expected of them.
    type Case<'a> = (
        &'a str,
        ReplyKind,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
    );

    #[test]
    fn each_kind_from_the_words_that_say_it() {
        let sent = day("2026-12-02");
        let cases: &[Case] = &[
            (
                "Not now, but circle back in March.",
                ReplyKind::NotNow,
                "not now",
                Some("2027-03-01"),
                None,
            ),
            (
                "Please reach out next quarter.",
                ReplyKind::NotNow,
                "next quarter",
                Some("2027-01-01"),
                None,
            ),
            (
                "I'm not the right person; please talk to Sam Lee (sam.lee@quanta.example).",
                ReplyKind::Referral,
                "talk to",
                None,
                Some("Sam Lee <sam.lee@quanta.example>"),
            ),
            (
                "I'm not the right person for this.",
                ReplyKind::WrongPerson,
                "not the right person",
                None,
                None,
            ),
            (
                "We already use a tool for that.",
                ReplyKind::Objection,
                "we already use",
                None,
                None,
            ),
            (
                "Sounds good, send me some times.",
                ReplyKind::Positive,
                "send me some times",
                None,
                None,
            ),
            ("What does it cost?", ReplyKind::Question, "?", None, None),
        ];
        for (text, kind, phrase, back, referral) in cases {
            let s = suggest(text, Some("lee@quanta.example"), sent).expect(text);
            assert_eq!(s.kind, *kind, "{text}");
            assert_eq!(s.phrase, *phrase, "{text}");
            assert_eq!(s.back_on, back.map(day), "{text}");
            assert_eq!(s.referral.as_deref(), *referral, "{text}");
        }
        assert_eq!(suggest("Thanks.", None, sent), None);
        // "Not interested" is not "interested".
        let no = suggest("Not interested, thanks.", None, sent).expect("objection");
        assert_eq!(no.kind, ReplyKind::Objection);
    }
}
