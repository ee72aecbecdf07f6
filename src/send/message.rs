//! An email as touchbase sends it: plain text, UTF-8, `Date`, `From`, `To`, `Subject`, a
//! `Message-ID` at the sender's domain, and for a follow-up `In-Reply-To` and `References`
//! naming the messages before it in the thread. Nothing that tracks the reader.

use anyhow::{Context, Result};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};

/// What goes out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// "Dana Reyes <dana@northwind.example>".
    pub from: String,
    /// The prospect's name and address.
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    /// Without angle brackets: `…@northwind.example`.
    pub message_id: String,
    /// The thread so far, oldest first (the last is the one this answers).
    pub thread: Vec<String>,
}

/// A new Message-ID at the sender's domain: the time, the process and a counter make it
/// unique on this machine; the domain makes it the sender's.
pub fn new_message_id(from_address: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let domain = from_address
        .rsplit_once('@')
        .map_or("localhost", |(_, d)| d);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{nanos:x}.{:x}.{n}.touchbase@{domain}", std::process::id())
}

/// The message, ready to hand to a transport.
pub fn build(o: &Outgoing) -> Result<Message> {
    let from: Mailbox = o
        .from
        .parse()
        .with_context(|| format!("[send] from = \"{}\" is not an address", o.from))?;
    let to = Mailbox::new(
        Some(o.to_name.clone()).filter(|n| !n.trim().is_empty()),
        o.to_address
            .parse()
            .with_context(|| format!("'{}' is not an address", o.to_address))?,
    );
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(o.subject.clone())
        .date_now()
        .message_id(Some(format!("<{}>", o.message_id)));
    if let Some(last) = o.thread.last() {
        builder = builder.in_reply_to(format!("<{last}>"));
        let refs: Vec<String> = o.thread.iter().map(|id| format!("<{id}>")).collect();
        builder = builder.references(refs.join(" "));
    }
    builder
        .header(ContentType::TEXT_PLAIN)
        .body(o.body.clone())
        .context("building the message")
}
