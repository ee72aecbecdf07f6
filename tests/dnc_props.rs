//! Someone on the do-not-contact list is never enrolled again, whatever is imported: the same
//! email in another case, the same LinkedIn profile written as another URL, the same phone
//! number formatted differently, alone or next to details that are new.

use crate::db::{config, t};
use proptest::prelude::*;
use touchbase::content::Library;
use touchbase::desk::{Desk, EnrollRequest};
use touchbase::domain::{Event, Prospect};
use touchbase::import::ImportOptions;

const EMAIL: &str = "dana.reyes@northwind.example";
const PHONE: &str = "+1 415 555 0100";
const LINKEDIN: &str = "https://www.linkedin.com/in/dana-reyes";

fn dana() -> Prospect {
    Prospect {
        first_name: "Dana".into(),
        last_name: "Reyes".into(),
        email: Some(EMAIL.into()),
        phone: Some(PHONE.into()),
        linkedin: Some(LINKEDIN.into()),
        company: Some("Northwind".into()),
        ..Prospect::default()
    }
}

/// Flips the case of the letters picked by `mask`.
fn recase(s: &str, mask: u64) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

fn email_form() -> impl Strategy<Value = String> {
    (any::<u64>(), any::<bool>()).prop_map(|(mask, pad)| {
        let e = recase(EMAIL, mask);
        if pad { format!("  {e} ") } else { e }
    })
}

fn linkedin_form() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec!["", "http://", "https://"]);
    let host = prop::sample::select(vec![
        "linkedin.com",
        "www.linkedin.com",
        "m.linkedin.com",
        "uk.linkedin.com",
        "de.linkedin.com",
    ]);
    let tail = prop::sample::select(vec![
        "",
        "/",
        "?trk=public_profile",
        "/?originalSubdomain=uk",
        "#about",
    ]);
    (scheme, host, tail, any::<u64>()).prop_map(|(scheme, host, tail, mask)| {
        recase(&format!("{scheme}{host}/in/dana-reyes{tail}"), mask)
    })
}

fn phone_form() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "+1 415 555 0100",
        "+14155550100",
        "+1 (415) 555-0100",
        "+1-415-555-0100",
        "+1.415.555.0100",
        " +1 415 5550100 ",
        // The national way and the international dialling prefix: the same number.
        "(415) 555-0100",
        "415.555.0100",
        "001 415 555 0100",
    ])
    .prop_map(str::to_string)
}

/// One CSV row for Dana: at least one identifier that is hers, the rest absent or new.
fn row() -> impl Strategy<Value = (String, String, String, String)> {
    let slot = |known: BoxedStrategy<String>, fresh: &'static str| {
        prop_oneof![
            2 => known.prop_map(Some),
            1 => Just(None),
            1 => Just(Some(fresh.to_string())),
        ]
    };
    (
        prop::sample::select(vec!["Dana", "DANA", "D.", "Danielle"]),
        slot(email_form().boxed(), "dana@home.example"),
        slot(phone_form().boxed(), "+44 20 7946 0000"),
        slot(
            linkedin_form().boxed(),
            "https://www.linkedin.com/in/someone-else",
        ),
    )
        .prop_filter("at least one of Dana's identifiers", |(_, e, p, l)| {
            e.as_deref()
                .is_some_and(|e| e.contains('@') && !e.contains("home"))
                || p.as_deref().is_some_and(|p| !p.starts_with("+44"))
                || l.as_deref().is_some_and(|l| !l.contains("someone-else"))
        })
        .prop_map(|(first, e, p, l)| {
            (
                first.to_string(),
                e.unwrap_or_default(),
                p.unwrap_or_default(),
                l.unwrap_or_default(),
            )
        })
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Every prospect that shares any identifier with Dana has no open enrollment.
fn nobody_like_dana_is_enrolled(desk: &Desk) -> Result<(), TestCaseError> {
    let ids: Vec<i64> = desk
        .search("", usize::MAX)
        .expect("every prospect")
        .iter()
        .map(|p| p.id)
        .collect();
    for id in ids {
        let p = desk.prospect_by_id(id).expect("q").expect("p");
        if desk.do_not_contact_match(&p).expect("q").is_some() {
            prop_assert!(
                desk.open_enrollment(id)
                    .map(|o| o.map(|i| (i.enrollment, i.sequence_name)))
                    .expect("q")
                    .is_none(),
                "{:?} is on the list but enrolled",
                p
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn an_opted_out_person_is_never_enrolled_again(
        (first, email, phone, linkedin) in row(),
        enrolled_first in any::<bool>(),
        force in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("dir");
        // In memory: this property is about the rules, not the file.
        let mut desk = Desk::in_memory(Library::new(None), config()).expect("store");
        let seq = enrolled_first.then(|| EnrollRequest {
            sequence: "cold-21".into(),
            start: None,
            force: false,
        });
        let id = desk.add(dana(), seq, t("2026-11-23")).expect("add").prospect_id;
        desk.log_current(id, Event::OptedOut, None, t("2026-11-23")).expect("opt out");

        let csv = dir.path().join("leads.csv");
        std::fs::write(
            &csv,
            format!(
                "first_name,last_name,email,phone,linkedin,company\n\
                 {},Reyes,{},{},{},Northwind\n\
                 Omar,Haddad,omar@brightline.example,,,Brightline\n",
                quote(&first), quote(&email), quote(&phone), quote(&linkedin)
            ),
        )
        .expect("write");
        let opts = ImportOptions {
            sequence: Some("cold-7".into()),
            ..ImportOptions::default()
        };
        let report = desk.import(&csv, &opts, t("2026-11-24"))
            .map_err(|e| TestCaseError::fail(format!("import: {e:#}")))?;
        prop_assert_eq!(report.enrolled, 1, "only Omar: {}", report);
        prop_assert_eq!(
            report.skipped.get("on the do-not-contact list").copied(),
            Some(1),
            "{}",
            report
        );
        nobody_like_dana_is_enrolled(&desk)?;
        // Nor by hand, by id or email, forced or not.
        for key in [id.to_string(), EMAIL.to_uppercase()] {
            let req = EnrollRequest { sequence: "classic-4".into(), start: None, force };
            let err = desk.enroll(&key, &req, t("2026-11-25")).err();
            prop_assert!(err.is_some_and(|e| e.to_string().contains("do-not-contact")));
        }
        // Nor added again as someone new.
        let again = Prospect {
            first_name: first.clone(),
            email: Some(email.clone()).filter(|e| !e.trim().is_empty()),
            phone: Some(phone.clone()).filter(|p| !p.trim().is_empty()),
            linkedin: Some(linkedin.clone()).filter(|l| !l.trim().is_empty()),
            ..Prospect::default()
        };
        let seq = EnrollRequest { sequence: "cold-7".into(), start: None, force };
        prop_assert!(desk.add(again, Some(seq), t("2026-11-25")).is_err());
        nobody_like_dana_is_enrolled(&desk)?;
    }
}
