//! What a message is, from its headers and its own words, in this order: a bounce, an
//! auto-reply (with the return date it states), an opt-out, something to ignore (list mail,
//! read receipts, calendar traffic, automated notices), otherwise a reply. Pure: no store,
//! no network.

use super::mail::Mail;
use super::return_date::return_date;
use chrono::NaiveDate;
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
        return_date: Option<NaiveDate>,
    },
    OptOut,
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
            Kind::OptOut => "opt_out",
            Kind::Ignored(_) => "ignored",
        }
    }
}

pub fn classify(m: &Mail) -> Kind {
    if let Some(bounce) = bounce(m) {
        return bounce;
    }
    if auto_reply(m) {
        return Kind::AutoReply {
            return_date: return_date(&m.own_text(), &m.subject, m.date.map(|d| d.date())),
        };
    }
    let list = list_mail(m);
    if list.is_none() && opt_out(&m.own_text()) {
        return Kind::OptOut;
    }
    if let Some(why) = list.or_else(|| ignored(m)) {
        return Kind::Ignored(why);
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
    // A short message whose own words say they are away.
    let own = m.own_text().to_lowercase();
    let head: String = own.chars().take(600).collect();
    OUT_OF_OFFICE_BODIES.iter().any(|s| head.contains(s))
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
];

/// Whether the sender's own words ask to be left alone.
pub fn opt_out(own: &str) -> bool {
    let lower = own.to_lowercase();
    OPT_OUTS.iter().any(|p| lower.contains(p))
}

const OPT_OUTS: &[&str] = &[
    "unsubscribe",
    "remove me",
    "take me off",
    "opt me out",
    "stop emailing",
    "stop contacting",
    "stop sending",
    "do not contact me",
    "don't contact me",
    "do not email me",
    "don't email me",
    "not interested, stop",
    "abmelden",
    "austragen",
    "nicht mehr kontaktieren",
    "keine weiteren e-mails",
    "entfernen sie mich",
    "désabonner",
    "désinscrire",
    "retirez-moi",
    "ne plus me contacter",
    "ne me contactez plus",
    "darme de baja",
    "dar de baja",
    "no me contacte",
    "no vuelva a contactar",
    "elimíneme",
    "afmelden",
    "uitschrijven",
    "verwijder mij",
    "niet meer contacteren",
    "cancellami",
    "disiscriv",
    "rimuovetemi",
    "non contattatemi",
    "descadastr",
    "remova-me",
    "não me contate",
    "cancelar inscrição",
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
        for text in [
            "Please remove me from your list.",
            "Bitte nicht mehr kontaktieren.",
            "Merci de ne plus me contacter.",
            "Por favor, darme de baja de esta lista.",
            "Graag afmelden, ik heb geen interesse.",
            "Vi prego, cancellami dalla lista.",
            "Por favor, não me contate novamente.",
        ] {
            assert!(opt_out(text), "{text}");
        }
        assert!(!opt_out("Thursday at ten works for me."));
    }
}
