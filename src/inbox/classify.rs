//! What a message is, from its headers and its own words, in this order: a bounce, an
//! auto-reply (with the return date it states), an opt-out, something to ignore (list mail,
//! read receipts, calendar traffic, automated notices), otherwise a reply. Pure: no store,
//! no network.

use super::mail::Mail;
use super::return_date::{Back, return_date};
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Reply,
    Bounce {
        /// The address that failed, when the notice names it.
        recipient: Option<String>,
        /// 5.x.x: the address is bad. 4.x.x: delayed, still trying.
        permanent: bool,
        /// The status code, as given ("5.1.1").
        status: Option<String>,
    },
    AutoReply {
        /// The day they say they are back, when they say it.
        back: Option<Back>,
    },
    /// They asked to be left alone, in these words. `sure`: the words say so plainly
    /// ("please remove me from your list"); otherwise ("unsubscribe" alone) it is only
    /// suggested to the rep.
    OptOut {
        phrase: String,
        sure: bool,
    },
    /// A spam complaint: an ARF feedback report naming the address that complained.
    Complaint {
        recipient: Option<String>,
    },
    /// Not from a person about the conversation; why.
    Ignored(&'static str),
}

impl Kind {
    /// The kind's name in `inbox --json`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Reply => "reply",
            Kind::Bounce { .. } => "bounce",
            Kind::AutoReply { .. } => "auto_reply",
            Kind::OptOut { .. } => "opt_out",
            Kind::Complaint { .. } => "complaint",
            Kind::Ignored(_) => "ignored",
        }
    }
}

pub fn classify(m: &Mail) -> Kind {
    if let Some(complaint) = complaint(m) {
        return complaint;
    }
    if let Some(bounce) = bounce(m) {
        return bounce;
    }
    if auto_reply(m) {
        return Kind::AutoReply {
            back: return_date(&m.own_text(), &m.subject, m.date.map(|d| d.date())),
        };
    }
    let list = list_mail(m);
    if let (None, Some((phrase, sure))) = (list, opt_out(&m.own_text())) {
        return Kind::OptOut { phrase, sure };
    }
    if let Some(why) = list.or_else(|| ignored(m)) {
        return Kind::Ignored(why);
    }
    // Not an answer to anything, with an unsubscribe footer: a newsletter sent from a
    // person's address, without the list headers.
    if !m.is_answer() && m.has_unsubscribe_footer() {
        return Kind::Ignored("newsletter");
    }
    Kind::Reply
}

// Fixed patterns: they compile, and if one ever did not it would match nothing.
static ADDRESS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}").ok());
static STATUS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b([245])\.\d{1,3}\.\d{1,3}\b").ok());
static SMTP_CODE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b([45])[0-9]{2}[ -]").ok());

/// The first status code ("5.1.1") in a text.
fn status_code(text: &str) -> Option<String> {
    STATUS.as_ref()?.find(text).map(|c| c.as_str().to_string())
}

fn bounce(m: &Mail) -> Option<Kind> {
    // RFC 3464: the report names the recipient and the status.
    let report =
        m.content_type == "multipart/report" && m.report_type.as_deref() == Some("delivery-status");
    if let (true, Some(ds)) = (report, &m.delivery_status) {
        let field = |name: &str| {
            ds.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_string())
            })
        };
        let recipient = field("Final-Recipient")
            .or_else(|| field("Original-Recipient"))
            .map(|v| {
                v.rsplit(';')
                    .next()
                    .unwrap_or(&v)
                    .trim()
                    .trim_matches(['<', '>'])
                    .to_lowercase()
            });
        let status = field("Status").and_then(|s| status_code(&s));
        let action = field("Action").unwrap_or_default().to_lowercase();
        let permanent = match status.as_deref().and_then(|s| s.chars().next()) {
            Some('5') => true,
            Some('4') | Some('2') => false,
            _ => action != "delayed",
        };
        return Some(Kind::Bounce {
            recipient,
            permanent,
            status,
        });
    }
    // The plain-text notices of Postfix, Exim, qmail, Exchange, Gmail and others.
    let from = m.from.as_deref().unwrap_or_default();
    let from_daemon = ["mailer-daemon@", "postmaster@", "mail-daemon@"]
        .iter()
        .any(|d| from.starts_with(d))
        || m.from_name.to_lowercase().contains("mail delivery");
    let subject = m.subject.to_lowercase();
    let bounce_subject = [
        "undelivered mail returned to sender",
        "mail delivery failed",
        "failure notice",
        "undeliverable:",
        "delivery status notification",
        "returned mail",
        "delivery failure",
        "mail delivery failure",
        "message not delivered",
        "unzustellbar",
        "non remis",
        "no se puede entregar",
        "onbestelbaar",
    ]
    .iter()
    .any(|s| subject.contains(s));
    let notice = m.header("auto-submitted").is_some() || looks_like_a_notice(&m.text);
    if !(from_daemon || bounce_subject && notice) {
        return None;
    }
    let text = &m.text;
    let recipient = ADDRESS
        .iter()
        .flat_map(|re| re.find_iter(text))
        .map(|a| a.as_str().trim_matches('.').to_lowercase())
        // Not the server's own address, nor the rep's (the notice is addressed to them).
        .find(|a| {
            !a.starts_with("mailer-daemon@")
                && !a.starts_with("postmaster@")
                && *a != from
                && !m.to.contains(a)
        });
    let lower = text.to_lowercase();
    let status = status_code(text);
    let temporary_words = lower.contains("delay")
        || lower.contains("will retry")
        || lower.contains("will continue trying")
        || lower.contains("temporar")
        || subject.contains("(delay)")
        || subject.contains("delayed");
    let permanent = match status.as_deref().and_then(|s| s.chars().next()) {
        Some('5') => true,
        Some('4') => false,
        _ => match SMTP_CODE
            .as_ref()
            .and_then(|re| re.captures(text))
            .and_then(|c| c.get(1))
        {
            Some(code) if !temporary_words => code.as_str() == "5",
            _ => !temporary_words,
        },
    };
    Some(Kind::Bounce {
        recipient,
        permanent,
        status,
    })
}

/// Whether a message's headers say it may be a notice whose body tells what it is: a
/// bounce, a report, an auto-reply. Its body is read even when the sender is no prospect.
pub fn may_be_notice(m: &Mail) -> bool {
    let from = m.from.as_deref().unwrap_or_default();
    m.content_type == "multipart/report"
        || ["mailer-daemon@", "postmaster@", "mail-daemon@"]
            .iter()
            .any(|d| from.starts_with(d))
        || m.from_name.to_lowercase().contains("mail delivery")
        || auto_reply(m)
}

/// An ARF feedback report (RFC 5965): someone marked a message as spam.
fn complaint(m: &Mail) -> Option<Kind> {
    let arf =
        m.content_type == "multipart/report" && m.report_type.as_deref() == Some("feedback-report");
    if !arf {
        return None;
    }
    let report = m.feedback_report.as_deref().unwrap_or_default();
    let recipient = report.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        let name = k.trim().to_ascii_lowercase();
        (name == "original-rcpt-to" || name == "removal-recipient")
            .then(|| v.trim().trim_matches(['<', '>']).to_lowercase())
    });
    Some(Kind::Complaint { recipient })
}

fn looks_like_a_notice(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "could not be delivered",
        "couldn't be delivered",
        "wasn't delivered",
        "delivery to the following",
        "permanent error",
        "user unknown",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

fn auto_reply(m: &Mail) -> bool {
    let header = |n: &str| m.header(n).map(|v| v.trim().to_lowercase());
    if header("auto-submitted").is_some_and(|v| v.starts_with("auto-replied")) {
        return true;
    }
    if header("x-autoreply").is_some()
        || header("x-autorespond").is_some()
        || header("x-ms-exchange-inbox-rules-loop").is_some()
        || header("precedence").is_some_and(|v| v == "auto_reply")
    {
        return true;
    }
    let subject = m.subject.to_lowercase();
    if OUT_OF_OFFICE_SUBJECTS.iter().any(|s| subject.contains(s)) {
        return true;
    }
    // A short message whose own words say they are away, or that it was sent by itself.
    let own = m.own_text().to_lowercase();
    let head: String = own.chars().take(600).collect();
    OUT_OF_OFFICE_BODIES.iter().any(|s| head.contains(s)) || acknowledgement(&head)
}

/// "Thank you for your e-mail. This is an automatic confirmation…": a thank-you alone is
/// how people begin real answers too, so it counts only beside words of a machine.
fn acknowledgement(head: &str) -> bool {
    let thanks = [
        "thank you for your e-mail",
        "thank you for your email",
        "thank you for your message",
        "thanks for your email",
        "thanks for your message",
        "vielen dank für ihre nachricht",
        "vielen dank für ihre e-mail",
        "merci pour votre message",
        "gracias por su mensaje",
        "dziękuję za wiadomość",
        "dziękujemy za wiadomość",
    ];
    let machine = [
        "automatic",
        "automated",
        "auto-generated",
        "this is an auto",
        "we have received your",
        "has been received",
        "will get back to you as soon as",
        "will respond as soon as",
        "will reply as soon as",
        "do not reply to this",
        "automatisch",
        "automatique",
        "automática",
        "automatyczn",
    ];
    thanks.iter().any(|t| head.contains(t)) && machine.iter().any(|w| head.contains(w))
}

/// Subjects out-of-office notices carry, in English, German, French, Spanish, Dutch,
/// Italian and Portuguese.
const OUT_OF_OFFICE_SUBJECTS: &[&str] = &[
    "out of office",
    "out of the office",
    "automatic reply",
    "auto-reply",
    "autoreply",
    "auto reply",
    "abwesenheitsnotiz",
    "abwesenheit",
    "automatische antwort",
    "außer haus",
    "ausser haus",
    "réponse automatique",
    "absence du bureau",
    "absent du bureau",
    "respuesta automática",
    "fuera de la oficina",
    "automatisch antwoord",
    "afwezigheidsmelding",
    "afwezig",
    "risposta automatica",
    "fuori ufficio",
    "resposta automática",
    "fora do escritório",
    "ausência",
    "automatyczna odpowiedź",
    "odpowiedź automatyczna",
    "poza biurem",
    "nieobecność",
    "urlop",
];

/// What the first lines of an out-of-office body say.
const OUT_OF_OFFICE_BODIES: &[&str] = &[
    "i am out of the office",
    "i'm out of the office",
    "i am currently out of",
    "i'm currently out of",
    "i am away from the office",
    "i am on vacation",
    "i'm on vacation",
    "i am on holiday",
    "i'm on holiday",
    "i am on leave",
    "with limited access to email",
    "ich bin bis",
    "ich bin derzeit nicht im büro",
    "ich bin nicht im büro",
    "bin ich nicht im büro",
    "ich bin im urlaub",
    "bin ich im urlaub",
    "je suis absent",
    "je suis absente",
    "je suis en congé",
    "je serai absent",
    "estoy fuera de la oficina",
    "estoy de vacaciones",
    "estaré fuera",
    "ik ben afwezig",
    "ik ben met vakantie",
    "ik ben niet op kantoor",
    "sono fuori ufficio",
    "sono in ferie",
    "sarò assente",
    "estou fora do escritório",
    "estou de férias",
    "estarei ausente",
    "jestem poza biurem",
    "jestem na urlopie",
    "nie ma mnie w biurze",
    "będę niedostępn",
    "i am traveling",
    "i'm traveling",
    "i am travelling",
    "i'm travelling",
];

/// Whether the sender's own words ask to be left alone: the phrase that says so, and
/// whether it says so plainly. A phrase in a clause that negates it ("please don't take me
/// off your list") asks nothing.
pub fn opt_out(own: &str) -> Option<(String, bool)> {
    let lower = own.to_lowercase();
    let mut weak = None;
    for (phrases, sure) in [(PLAIN_OPT_OUTS, true), (WEAK_OPT_OUTS, false)] {
        for phrase in phrases {
            for (at, _) in lower.match_indices(phrase) {
                if negated(lower.get(..at).unwrap_or_default()) {
                    continue;
                }
                let said = (*phrase).to_string();
                if sure {
                    return Some((said, true));
                }
                weak.get_or_insert(said);
            }
        }
    }
    weak.map(|w| (w, false))
}

/// Whether the clause a phrase stands in, up to it, negates it.
pub(crate) fn negated(before: &str) -> bool {
    let clause = before
        .rsplit(['.', ',', ';', '!', '?', '\n', ':', '(', '—', '–'])
        .next()
        .unwrap_or_default();
    let words: Vec<&str> = clause.split_whitespace().collect();
    let near = words
        .get(words.len().saturating_sub(6)..)
        .unwrap_or_default();
    near.iter().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        NEGATIONS.contains(&w)
    })
}

/// Words that negate what follows, in the seven languages and Polish.
const NEGATIONS: &[&str] = &[
    "don't",
    "dont",
    "not",
    "never",
    "no",
    "nicht",
    "kein",
    "keine",
    "nie",
    "ne",
    "pas",
    "jamais",
    "nunca",
    "niet",
    "geen",
    "nooit",
    "non",
    "mai",
    "não",
    "nao",
    "doesn't",
    "didn't",
    "won't",
    "shouldn't",
    "mustn't",
];

/// Phrases that ask plainly to stop.
const PLAIN_OPT_OUTS: &[&str] = &[
    "unsubscribe me",
    "please unsubscribe",
    "remove me from",
    "take me off",
    "opt me out",
    "stop emailing me",
    "stop contacting me",
    "stop sending me",
    "do not contact me",
    "don't contact me",
    "do not email me",
    "don't email me",
    "nicht mehr kontaktieren",
    "entfernen sie mich",
    "tragen sie mich aus",
    "ne plus me contacter",
    "ne me contactez plus",
    "retirez-moi",
    "désinscrivez-moi",
    "darme de baja",
    "no me contacte",
    "no vuelva a contactar",
    "elimíneme",
    "verwijder mij",
    "niet meer contacteren",
    "rimuovetemi",
    "non contattatemi",
    "cancellami",
    "remova-me",
    "não me contate",
    "wypisz mnie",
    "proszę mnie wypisać",
    "usuńcie mnie",
    "nie kontaktujcie się",
];

/// Words that may ask to stop, or may be about something else: suggested, never applied by
/// themselves.
const WEAK_OPT_OUTS: &[&str] = &[
    "unsubscribe",
    "remove me",
    "not interested, stop",
    "abmelden",
    "austragen",
    "keine weiteren e-mails",
    "désabonner",
    "désinscrire",
    "dar de baja",
    "afmelden",
    "uitschrijven",
    "disiscriv",
    "descadastr",
    "cancelar inscrição",
    "wypisać",
];

/// List mail: a newsletter or a mailing list, never a person's answer.
fn list_mail(m: &Mail) -> Option<&'static str> {
    if m.header("list-id").is_some() || m.header("list-unsubscribe").is_some() {
        return Some("list mail");
    }
    let precedence = m.header("precedence").map(str::to_lowercase);
    if precedence.is_some_and(|p| matches!(p.as_str(), "bulk" | "list" | "junk")) {
        return Some("bulk mail");
    }
    None
}

fn ignored(m: &Mail) -> Option<&'static str> {
    if m.report_type.as_deref() == Some("disposition-notification")
        || m.subject.to_lowercase().starts_with("read:")
        || m.header("disposition-notification-to").is_some() && m.content_type == "multipart/report"
    {
        return Some("read receipt");
    }
    if m.has_calendar || m.content_type == "text/calendar" {
        return Some("calendar");
    }
    if m.header("auto-submitted")
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"))
    {
        return Some("automated notice");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::opt_out;

    #[test]
    fn asking_to_stop_in_seven_languages() {
        for (text, sure) in [
            ("Please remove me from your list.", true),
            ("Bitte nicht mehr kontaktieren.", true),
            ("Merci de ne plus me contacter.", true),
            ("Por favor, darme de baja de esta lista.", true),
            ("Graag afmelden, ik heb geen interesse.", false),
            ("Vi prego, cancellami dalla lista.", true),
            ("Por favor, não me contate novamente.", true),
        ] {
            assert_eq!(opt_out(text).map(|(_, s)| s), Some(sure), "{text}");
        }
        assert_eq!(opt_out("Thursday at ten works for me."), None);
    }

    #[test]
    fn a_negated_request_asks_nothing() {
        for text in [
            "Please don't remove me from your list — try me again in March.",
            "Bitte nicht abmelden, ich lese das gern.",
            "I do not want to unsubscribe.",
            "No me den de baja, por favor.",
        ] {
            assert_eq!(opt_out(text), None, "{text}");
        }
    }
}
