//! The `[send]` table (DESIGN §9): the rep's own mailbox to send from, by SMTP or a
//! sendmail-compatible command, the undo window and the caps that pace it.

use serde::{Deserialize, Deserializer};

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Send {
    /// "Dana Reyes <dana@northwind.example>".
    pub from: String,
    /// `smtps://user@host[:465]` or `smtp://user@host[:587]` (STARTTLS).
    pub smtp: Option<String>,
    /// A sendmail-compatible command that reads the message on its input (`msmtp -t`).
    pub sendmail: Option<String>,
    /// As in `[inbox]`; the inbox's are used when these are left out.
    pub password_command: Option<String>,
    pub token_command: Option<String>,
    pub ca_file: Option<String>,
    /// A send waits this long first; `u` takes it back (default 20).
    pub undo_seconds: Option<u32>,
    pub per_day: Option<u32>,
    pub per_minute: Option<u32>,
    pub per_domain_per_day: Option<u32>,
    /// Stop sending when more than this share of the last 50 sends bounced (0.05), kept in
    /// ten-thousandths.
    #[serde(default, deserialize_with = "share")]
    pub bounce_pause: Option<u32>,
    pub copy_to_sent: Option<bool>,
}

fn share<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let value = Option::<f64>::deserialize(d)?;
    match value {
        None => Ok(None),
        Some(v) if (0.0..=1.0).contains(&v) => Ok(Some((v * 10_000.0).round() as u32)),
        Some(v) => Err(serde::de::Error::custom(format!(
            "bounce_pause is a share between 0 and 1 (0.05 for 5%), not {v}"
        ))),
    }
}

impl Send {
    pub fn undo_seconds(&self) -> u32 {
        self.undo_seconds.unwrap_or(20)
    }

    /// The sender's address, from `from` ("Name <address>" or an address).
    pub fn address(&self) -> &str {
        let from = self.from.trim();
        match (from.rfind('<'), from.rfind('>')) {
            (Some(open), Some(close)) if open < close => from.get(open + 1..close).unwrap_or(from),
            _ => from,
        }
    }

    /// The CA file's path, `~` expanded.
    pub fn ca_path(&self) -> Option<std::path::PathBuf> {
        self.ca_file.as_deref().map(super::expand_home)
    }
}
