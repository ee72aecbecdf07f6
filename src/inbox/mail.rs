//! One message as the classifier sees it: the few headers that decide what it is, the
//! sender, the subject and the readable text. Parsed from raw bytes with `mail-parser`;
//! nothing here keeps the body beyond the classification.

use chrono::{DateTime, NaiveDateTime};
use mail_parser::{MessageParser, MimeHeaders, PartType};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mail {
    pub message_id: Option<String>,
    /// The Message-IDs it answers (`In-Reply-To`, then `References`), without brackets.
    pub thread_ids: Vec<String>,
    /// When it was sent, in UTC.
    pub date: Option<NaiveDateTime>,
    /// The sender's address, lowercased.
    pub from: Option<String>,
    pub from_name: String,
    /// The recipients' addresses, lowercased.
    pub to: Vec<String>,
    pub subject: String,
    /// Every header as (lowercased name, value), in order.
    pub headers: Vec<(String, String)>,
    /// "multipart/report", "text/plain"…, of the whole message.
    pub content_type: String,
    /// The `report-type` of a `multipart/report` ("delivery-status", "disposition-notification").
    pub report_type: Option<String>,
    /// Whether any part is `text/calendar`.
    pub has_calendar: bool,
    /// The text of a `message/delivery-status` part, if any.
    pub delivery_status: Option<String>,
    /// The text of a `message/feedback-report` part (a spam complaint), if any.
    pub feedback_report: Option<String>,
    /// The readable text (the plain part, or the HTML part as text).
    pub text: String,
}

/// A part's text, whether the parser read it as a message or as text.
fn part_text(part: &mail_parser::MessagePart) -> String {
    match &part.body {
        PartType::Message(m) => String::from_utf8_lossy(m.raw_message()).into_owned(),
        _ => part.text_contents().unwrap_or_default().to_string(),
    }
}

/// Whether `raw` begins with a header line (`Name: value`, the name printable ASCII) and
/// holds no NUL in its header block.
fn starts_like_mail(raw: &[u8]) -> bool {
    let head = raw.get(..raw.len().min(8192)).unwrap_or(raw);
    let header_end = head
        .windows(2)
        .position(|w| w == b"\n\n")
        .or_else(|| head.windows(4).position(|w| w == b"\r\n\r\n"))
        .unwrap_or(head.len());
    let block = head.get(..header_end).unwrap_or(head);
    if block.contains(&0) {
        return false;
    }
    let first = block.split(|b| *b == b'\n').next().unwrap_or_default();
    match first.iter().position(|b| *b == b':') {
        Some(colon) => {
            let name = first.get(..colon).unwrap_or_default();
            !name.is_empty() && name.iter().all(|b| b.is_ascii_graphic())
        }
        // An mbox-style first line ("From dana@… Mon Nov 23…") begins a message too.
        None => first.starts_with(b"From "),
    }
}

impl Mail {
    /// Parses a raw message; `None` when it is not a message at all.
    pub fn parse(raw: &[u8]) -> Option<Mail> {
        // A file that is not mail (a picture, a stray binary) has no header lines to begin
        // with: it is skipped, never read as a reply.
        if !starts_like_mail(raw) {
            return None;
        }
        let msg = MessageParser::default().parse(raw)?;
        let address = |a: Option<&mail_parser::Address>| -> Vec<(String, String)> {
            a.map(|a| {
                a.iter()
                    .filter_map(|x| {
                        let addr = x.address()?.trim().to_lowercase();
                        let name = x.name().unwrap_or_default().trim().to_string();
                        Some((addr, name))
                    })
                    .collect()
            })
            .unwrap_or_default()
        };
        let from = address(msg.from()).into_iter().next();
        let headers = msg
            .headers_raw()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        let root = msg.root_part();
        let (content_type, report_type) = match root.content_type() {
            Some(ct) => (
                match &ct.c_subtype {
                    Some(sub) => format!("{}/{}", ct.c_type, sub).to_lowercase(),
                    None => ct.c_type.to_lowercase(),
                },
                ct.attribute("report-type").map(str::to_lowercase),
            ),
            None => ("text/plain".to_string(), None),
        };
        let mut has_calendar = false;
        let mut delivery_status = None;
        let mut feedback_report = None;
        for part in &msg.parts {
            let Some(ct) = part.content_type() else {
                continue;
            };
            let kind = format!(
                "{}/{}",
                ct.c_type,
                ct.c_subtype.as_deref().unwrap_or_default()
            )
            .to_lowercase();
            if kind == "text/calendar" || kind == "application/ics" {
                has_calendar = true;
            }
            if kind == "message/feedback-report" {
                feedback_report = Some(part_text(part));
            }
            if kind == "message/delivery-status" || kind == "message/global-delivery-status" {
                delivery_status = match &part.body {
                    PartType::Message(m) => {
                        Some(String::from_utf8_lossy(m.raw_message()).into_owned())
                    }
                    _ => part.text_contents().map(str::to_string),
                };
            }
        }
        let text = msg
            .body_text(0)
            .map(|t| t.into_owned())
            .or_else(|| {
                msg.body_html(0)
                    .map(|h| mail_parser::decoders::html::html_to_text(&h))
            })
            .unwrap_or_default();
        let ids = |v: &mail_parser::HeaderValue| -> Vec<String> {
            v.as_text_list()
                .map(|l| l.iter().map(|s| s.trim().to_string()).collect())
                .unwrap_or_default()
        };
        let mut thread_ids = ids(msg.in_reply_to());
        for id in ids(msg.references()) {
            if !thread_ids.contains(&id) {
                thread_ids.push(id);
            }
        }
        Some(Mail {
            message_id: msg.message_id().map(|m| m.trim().to_string()),
            thread_ids,
            date: msg
                .date()
                .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0))
                .map(|d| d.naive_utc()),
            from_name: from.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
            from: from.map(|(a, _)| a),
            to: address(msg.to()).into_iter().map(|(a, _)| a).collect(),
            subject: msg.subject().unwrap_or_default().trim().to_string(),
            headers,
            content_type,
            report_type,
            has_calendar,
            delivery_status,
            feedback_report,
            text,
        })
    }

    /// A header's value by (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The text's lines that are the sender's own: quoted history (`>` lines, and everything
    /// from an "On … wrote:" line or a forwarded header block on, in the common languages),
    /// the signature (from a `-- ` line, or "Sent from my phone") and a footer (from "You
    /// are receiving this", "to unsubscribe", "Newsletter abmelden"…) left out.
    pub fn own_text(&self) -> String {
        let mut out = Vec::new();
        for line in self.text.lines() {
            let t = line.trim();
            if t.starts_with('>') {
                continue;
            }
            let lower = t.to_lowercase();
            if quoted_from_here(&lower, !out.is_empty())
                || signature_from_here(line, &lower)
                || footer_from_here(&lower)
            {
                break;
            }
            out.push(line);
        }
        out.join("\n")
    }

    /// Whether the text ends in a footer that offers to unsubscribe: a newsletter's, or a
    /// company's marketing line under a person's mail.
    pub fn has_unsubscribe_footer(&self) -> bool {
        let words = [
            "unsubscribe",
            "abmelden",
            "désinscri",
            "de baja",
            "afmelden",
            "wypisz",
        ];
        self.text.lines().any(|line| {
            let lower = line.trim().to_lowercase();
            footer_from_here(&lower) && words.iter().any(|w| lower.contains(w))
        })
    }

    /// Whether the subject answers another message ("Re:", "AW:", "RE :", "Odp:"…).
    pub fn is_answer(&self) -> bool {
        let lower = self.subject.trim_start().to_lowercase();
        [
            "re:", "re :", "aw:", "sv:", "vs:", "odp:", "r:", "rif:", "antw:", "fwd:", "fw:",
            "wg:", "tr:",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
    }
}

/// A line that begins the quoted history of a reply.
fn quoted_from_here(lower: &str, after_own_words: bool) -> bool {
    let wrote = [
        "wrote:",
        "schrieb:",
        "a écrit :",
        "a écrit:",
        "escribió:",
        "schreef:",
        "ha scritto:",
        "escreveu:",
        "napisał:",
        "napisała:",
        "napisał(a):",
    ];
    let opens = [
        "on ", "am ", "le ", "el ", "op ", "il ", "em ", "w dniu ", "dnia ",
    ];
    (opens.iter().any(|o| lower.starts_with(o)) && wrote.iter().any(|w| lower.ends_with(w)))
        || lower.starts_with("-----original message")
        || lower.starts_with("-----ursprüngliche nachricht")
        || lower.starts_with("-------- original message")
        || lower.starts_with("---------- forwarded message")
        || lower.starts_with("von:")
        || lower.starts_with("de :")
        || lower.starts_with("od:")
        || (lower.starts_with("from:") && after_own_words)
        || (lower.starts_with("de:") && after_own_words)
}

/// A line that begins the signature: the `-- ` delimiter, or a phone's "Sent from".
fn signature_from_here(line: &str, lower: &str) -> bool {
    line.trim_end() == "--"
        || line == "-- "
        || [
            "sent from my ",
            "gesendet von meinem",
            "envoyé de mon",
            "enviado desde mi",
            "verzonden vanaf mijn",
            "inviato da",
            "enviado do meu",
            "wysłane z mojego",
        ]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// A line that begins a footer a program added: a list's or a newsletter's, a disclaimer.
fn footer_from_here(lower: &str) -> bool {
    [
        "you are receiving this",
        "you received this",
        "you're receiving this",
        "to unsubscribe",
        "click here to unsubscribe",
        "unsubscribe here",
        "manage your preferences",
        "manage your subscription",
        "this email was sent to",
        "this message was sent to",
        "newsletter abmelden",
        "sie erhalten diese",
        "diese e-mail wurde an",
        "vous recevez ce",
        "se désinscrire",
        "para darse de baja",
        "confidentiality notice",
        "this e-mail and any attachments",
        "this email and any attachments",
        "disclaimer:",
    ]
    .iter()
    .any(|f| lower.starts_with(f) || (lower.len() < 120 && lower.contains(f)))
}
