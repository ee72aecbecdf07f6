//! The inbox classifier over a corpus of message shapes met in real mailboxes (fictional
//! people, real formats): bounces from several servers, out-of-office notices in seven
//! languages with and without a return date, human replies with quoted history or only HTML,
//! opt-outs, newsletters, read receipts, calendar invites and notifications.

use touchbase::inbox::{Back, Kind, Mail, classify};

fn mail(name: &str) -> Mail {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name);
    let raw = std::fs::read(&path).expect("fixture");
    Mail::parse(&raw).expect("parses")
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

/// The day they are back as a notice states it: "until" a day (the last day away) or
/// "back on" a day (they are in that day).
fn until(s: &str) -> Option<Back> {
    Some(Back {
        day: s.parse().expect("date"),
        returns_that_day: false,
    })
}

fn back_on(s: &str) -> Option<Back> {
    Some(Back {
        day: s.parse().expect("date"),
        returns_that_day: true,
    })
}

#[test]
fn out_of_office_in_eight_languages_with_the_day_they_are_back() {
    let cases = [
        ("ooo_en.eml", until("2026-12-11")),
        ("ooo_de.eml", until("2026-12-07")),
        ("ooo_fr.eml", until("2026-12-14")),
        ("ooo_es.eml", until("2026-12-09")),
        ("ooo_nl.eml", until("2026-12-04")),
        ("ooo_it.eml", until("2026-12-10")),
        ("ooo_pt.eml", until("2026-12-15")),
        ("ooo_pl.eml", until("2026-12-11")),
        ("ooo_back_on_the.eml", back_on("2026-12-07")),
        ("ooo_back_on.eml", back_on("2026-12-09")),
        // An Exchange range: the last day of it, not the first.
        ("ooo_range.eml", until("2026-07-31")),
        // Thanks and a machine's words: an acknowledgement, sent with Precedence: bulk.
        ("ack_thank_you.eml", None),
        ("ooo_no_date.eml", None),
    ];
    for (file, back) in cases {
        assert_eq!(classify(&mail(file)), Kind::AutoReply { back }, "{file}");
    }
}

#[test]
fn people_replying_are_replies_and_asking_to_stop_is_an_opt_out() {
    // Quoted history, an Outlook header block, a forward, a signature or a footer that says
    // "unsubscribe" or "remove me" are not the sender's words; a negated request asks
    // nothing; a newsletter's footer from a prospect's address is not theirs either.
    for file in [
        "reply_quoted.eml",
        "reply_html_only.eml",
        "reply_quoted_outlook.eml",
        "forwarded_reply.eml",
        "signature_unsubscribe.eml",
        "negated_opt_out.eml",
    ] {
        assert_eq!(classify(&mail(file)), Kind::Reply, "{file}");
    }
    let dana = mail("reply_quoted.eml");
    assert_eq!(dana.from.as_deref(), Some("dana.reyes@northwind.example"));
    let plain = |phrase: &str| Kind::OptOut {
        phrase: phrase.to_string(),
        sure: true,
    };
    for (file, expected) in [
        ("opt_out_en.eml", plain("remove me from")),
        ("opt_out_de.eml", plain("nicht mehr kontaktieren")),
        ("html_only_opt_out.eml", plain("take me off")),
        // A single word could be about anything: suggested, not applied.
        (
            "weak_unsubscribe.eml",
            Kind::OptOut {
                phrase: "unsubscribe".to_string(),
                sure: false,
            },
        ),
    ] {
        assert_eq!(classify(&mail(file)), expected, "{file}");
    }
}

#[test]
fn a_feedback_report_is_a_complaint_about_its_recipient() {
    assert_eq!(
        classify(&mail("arf_complaint.eml")),
        Kind::Complaint {
            recipient: Some("henrik@wingtip.example".to_string())
        }
    );
}

#[test]
fn lists_receipts_invites_and_notifications_are_ignored() {
    for (file, why) in [
        ("newsletter.eml", "list mail"),
        ("read_receipt.eml", "read receipt"),
        ("calendar_invite.eml", "calendar"),
        ("notification.eml", "automated notice"),
        // From a prospect's own address, without list headers: its footer gives it away.
        ("newsletter_footer_de.eml", "newsletter"),
    ] {
        assert_eq!(classify(&mail(file)), Kind::Ignored(why), "{file}");
    }
}
