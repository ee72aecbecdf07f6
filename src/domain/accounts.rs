//! A prospect's account: the company they are at, known by their work email's domain, else
//! by the company name. Free-mail domains never make an account: two people with gmail.com
//! addresses are not colleagues. The book keeps the same rule as a generated column
//! (`prospects.account`, schema 27); `tests/accounts.rs` holds the column to hand-counted
//! accounts.

use super::Prospect;

/// Domains anyone can have an address at.
pub const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.com",
    "yandex.com",
    "yandex.ru",
    "zoho.com",
    "fastmail.com",
    "hey.com",
    "qq.com",
    "163.com",
    "126.com",
    "t-online.de",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "libero.it",
    "btinternet.com",
    "comcast.net",
    "verizon.net",
    "att.net",
];

/// The domain of a work address (`None` for free mail or no address).
pub fn work_domain(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.to_lowercase();
    (!domain.is_empty() && !FREE_MAIL.contains(&domain.as_str())).then_some(domain)
}

/// The account key: `d:` and the work domain, else `c:` and the company in lower case.
pub fn account_of(p: &Prospect) -> Option<String> {
    if let Some(domain) = p.email.as_deref().and_then(work_domain) {
        return Some(format!("d:{domain}"));
    }
    let company = p.company.as_deref().unwrap_or("").trim().to_lowercase();
    (!company.is_empty()).then(|| format!("c:{company}"))
}

/// What the rest of an account's open sequences do when someone there answers, books or
/// opts out (`account_rule` in config.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountRule {
    /// Paused, with the reason on their card; `p` resumes.
    #[default]
    Pause,
    /// Finished (removed, with the reason).
    Finish,
    /// Nothing.
    None,
}

impl std::str::FromStr for AccountRule {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "pause" => Ok(AccountRule::Pause),
            "finish" => Ok(AccountRule::Finish),
            "none" => Ok(AccountRule::None),
            other => Err(format!(
                "account_rule '{other}' is not one of pause, finish, none"
            )),
        }
    }
}
