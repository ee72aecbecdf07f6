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
        // A bad weekday is said now, not at the next command.
        Config::parse(file, &text)?;
        Ok(text)
    }
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
}
