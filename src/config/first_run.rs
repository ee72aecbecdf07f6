//! The first run: the five answers (`touchbase init`, or the app on a fresh config) that make
//! config.toml, so the first touches are signed and ready instead of "missing me.company".

use super::Config;
use anyhow::{Result, anyhow, bail};

/// The working days offered when the rep says nothing.
pub const WORKING_DAYS: &str = "mon, tue, wed, thu, fri";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub name: String,
    pub company: String,
    /// `\n` (typed as two characters) starts a new line.
    pub signature: String,
    /// An IANA zone, or empty for the system's.
    pub timezone: String,
    /// "mon, tue, wed, thu, fri".
    pub working_days: String,
    /// Sending from the rep's mailbox, when they want it.
    pub send: Option<SendAnswers>,
}

/// The `[send]` answers: who sends, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendAnswers {
    /// "Sam Carter <sam@relaypoint.example>".
    pub from: String,
    /// `smtps://user@host` or `smtp://user@host:587`; empty: `sendmail` is used.
    pub smtp: String,
    pub sendmail: String,
    /// A command that prints the password (`pass show mail`); empty for a sendmail command
    /// that logs in itself.
    pub password_command: String,
}

/// Whether a typed smtp URL has the shape touchbase reads, or what is wrong with it.
pub fn check_smtp(typed: &str) -> Result<(), String> {
    let rest = typed
        .strip_prefix("smtps://")
        .or_else(|| typed.strip_prefix("smtp://"))
        .ok_or("write it smtps://you@host (TLS, 465) or smtp://you@host:587 (STARTTLS)")?;
    match rest.rsplit_once('@') {
        Some((user, host)) if !user.is_empty() && !host.is_empty() => Ok(()),
        _ => Err("it needs your login and the server: smtps://you@host".to_string()),
    }
}

impl Answers {
    /// The signature offered for a name and company: both, on two lines.
    pub fn default_signature(name: &str, company: &str) -> String {
        if company.is_empty() {
            name.to_string()
        } else {
            format!("{name}\\n{company}")
        }
    }

    /// config.toml for these answers, checked the way it will be read (`file` names it in
    /// an error).
    pub fn to_toml(&self, file: &str) -> Result<String> {
        if self.name.trim().is_empty() {
            bail!("a name is needed: templates sign with it");
        }
        let zone = crate::domain::zones::zone_named(&self.timezone).map_err(|e| anyhow!(e))?;
        let zone = zone.as_str();
        let days: Vec<String> = self
            .working_days
            .split([',', ' '])
            .map(|d| d.trim().to_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut text = String::new();
        if !zone.is_empty() {
            text.push_str(&format!("timezone = {}\n", quote(zone)));
        }
        let list: Vec<String> = days.iter().map(|d| quote(d)).collect();
        text.push_str(&format!("working_days = [{}]\n\n[me]\n", list.join(", ")));
        text.push_str(&format!("name = {}\n", quote(self.name.trim())));
        text.push_str(&format!("company = {}\n", quote(self.company.trim())));
        text.push_str(&format!(
            "signature = {}\n",
            quote(&self.signature.replace("\\n", "\n"))
        ));
        if let Some(send) = &self.send {
            text.push_str(&send_table(send, &quote));
        }
        // A bad weekday is said now, not at the next command.
        Config::parse(file, &text)?;
        Ok(text)
    }
}

/// The `[send]` table: the answers, and the pacing a new sender should start with.
fn send_table(send: &SendAnswers, quote: &dyn Fn(&str) -> String) -> String {
    let mut text = format!("\n[send]\nfrom = {}\n", quote(send.from.trim()));
    if send.smtp.trim().is_empty() {
        text.push_str(&format!("sendmail = {}\n", quote(send.sendmail.trim())));
    } else {
        text.push_str(&format!("smtp = {}\n", quote(send.smtp.trim())));
    }
    if !send.password_command.trim().is_empty() {
        text.push_str(&format!(
            "password_command = {}\n",
            quote(send.password_command.trim())
        ));
    }
    // Providers lock out a new sender who rushes: a day's and a minute's worth, two a day to
    // one company, and a stop when bounces pass 5% of the last fifty.
    text.push_str(
        "undo_seconds = 20\nper_day = 100\nper_minute = 4\nper_domain_per_day = 2\nbounce_pause = 0.05\n",
    );
    text
}

/// Working days as the first-run questions take them ("mon tue wed thu fri", commas or
/// spaces), or what is wrong with them.
pub fn check_working_days(typed: &str) -> Result<(), String> {
    let probe = Answers {
        name: "x".into(),
        working_days: typed.to_string(),
        ..Answers::default()
    };
    probe
        .to_toml("your answer")
        .map(|_| ())
        .map_err(|e| format!("{e:#}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answers_make_a_config_that_reads_back() {
        let a = Answers {
            name: "Sam Carter".into(),
            company: "Relaypoint".into(),
            signature: Answers::default_signature("Sam Carter", "Relaypoint"),
            timezone: "Europe/Berlin".into(),
            working_days: "mon tue wed thu".into(),
            send: None,
        };
        let text = a.to_toml("config.toml").unwrap();
        let config = Config::parse("config.toml", &text).unwrap();
        assert_eq!(config.me.company, "Relaypoint");
        assert_eq!(config.me.signature, "Sam Carter\nRelaypoint");
        assert!(text.contains("working_days = [\"mon\", \"tue\", \"wed\", \"thu\"]"));
        let bad = Answers {
            working_days: "mon, funday".into(),
            ..a.clone()
        };
        assert!(bad.to_toml("config.toml").is_err());
        let nameless = Answers {
            name: " ".into(),
            ..a
        };
        assert!(nameless.to_toml("config.toml").is_err());
    }

    #[test]
    fn the_send_answers_make_a_send_table_that_reads_back() {
        let a = Answers {
            name: "Sam Carter".into(),
            working_days: "mon tue wed thu fri".into(),
            send: Some(SendAnswers {
                from: "Sam Carter <sam@relaypoint.example>".into(),
                smtp: "smtps://sam@mail.relaypoint.example".into(),
                password_command: "pass show mail".into(),
                ..SendAnswers::default()
            }),
            ..Answers::default()
        };
        let text = a.to_toml("config.toml").unwrap();
        let send = Config::parse("config.toml", &text).unwrap().send.unwrap();
        assert_eq!(
            send.smtp.as_deref(),
            Some("smtps://sam@mail.relaypoint.example")
        );
        assert_eq!(send.password_command.as_deref(), Some("pass show mail"));
        assert_eq!(send.sendmail, None);
        assert_eq!(send.per_minute, Some(4));
        assert_eq!(send.bounce_pause, Some(500));
        assert_eq!(check_smtp("smtp://sam@host:587"), Ok(()));
        assert!(check_smtp("mail.example.com").is_err());
        assert!(check_smtp("smtps://host").is_err());
    }
}
