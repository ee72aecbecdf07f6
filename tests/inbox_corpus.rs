//! The inbox classifier over a corpus of message shapes met in real mailboxes (fictional
//! people, real formats): bounces from several servers, out-of-office notices in seven
//! languages with and without a return date, human replies with quoted history or only HTML,
//! opt-outs, newsletters, read receipts, calendar invites and notifications.

use chrono::NaiveDate;
use touchbase::inbox::{Kind, Mail, classify};

fn mail(name: &str) -> Mail {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name);
    let raw = std::fs::read(&path).expect("fixture");
    Mail::parse(&raw).expect("parses")
}

fn day(s: &str) -> Option<NaiveDate> {
    Some(s.parse().expect("date"))
}

fn bounce(recipient: &str, permanent: bool) -> (Option<String>, bool) {
    (Some(recipient.to_string()), permanent)
}

#[test]
fn every_bounce_names_its_recipient_and_whether_it_is_permanent() {
    let cases = [
        (
            "postfix_bounce.eml",
            bounce("old.contact@quanta.example", true),
        ),
        (
            "exim_bounce.eml",
            bounce("lena.vogel@tailspin.example", true),
        ),
        (
            "qmail_bounce.eml",
            bounce("jules.martin@litware.example", true),
        ),
        (
            "exchange_bounce.eml",
            bounce("dana.old@northwind.example", true),
        ),
        ("gmail_delay.eml", bounce("priya@fabrikam.example", false)),
    ];
    for (file, (recipient, permanent)) in cases {
        match classify(&mail(file)) {
            Kind::Bounce {
                recipient: r,
                permanent: p,
                ..
            } => assert_eq!((r, p), (recipient.clone(), permanent), "{file}"),
            other => panic!("{file}: {other:?}"),
        }
    }
}

#[test]
fn out_of_office_in_seven_languages_with_the_day_they_are_back() {
    let cases = [
        ("ooo_en.eml", day("2026-12-11")),
        ("ooo_de.eml", day("2026-12-07")),
        ("ooo_fr.eml", day("2026-12-14")),
        ("ooo_es.eml", day("2026-12-09")),
        ("ooo_nl.eml", day("2026-12-04")),
        ("ooo_it.eml", day("2026-12-10")),
        ("ooo_pt.eml", day("2026-12-15")),
        ("ooo_back_on_the.eml", day("2026-12-07")),
        ("ooo_no_date.eml", None),
    ];
    for (file, back) in cases {
        assert_eq!(
            classify(&mail(file)),
            Kind::AutoReply { return_date: back },
            "{file}"
        );
    }
}

#[test]
fn people_replying_are_replies_and_asking_to_stop_is_an_opt_out() {
    for file in ["reply_quoted.eml", "reply_html_only.eml"] {
        assert_eq!(classify(&mail(file)), Kind::Reply, "{file}");
    }
    // "unsubscribe" in the quoted history is not Dana's word.
    let dana = mail("reply_quoted.eml");
    assert_eq!(dana.from.as_deref(), Some("dana.reyes@northwind.example"));
    for file in ["opt_out_en.eml", "opt_out_de.eml"] {
        assert_eq!(classify(&mail(file)), Kind::OptOut, "{file}");
    }
}

#[test]
fn lists_receipts_invites_and_notifications_are_ignored() {
    for (file, why) in [
        ("newsletter.eml", "list mail"),
        ("read_receipt.eml", "read receipt"),
        ("calendar_invite.eml", "calendar"),
        ("notification.eml", "automated notice"),
    ] {
        assert_eq!(classify(&mail(file)), Kind::Ignored(why), "{file}");
    }
}
