//! `touchbase init`: asks once for who the rep is and when they work, and writes config.toml,
//! so the first touches are ready instead of "missing me.company, me.signature".

use super::args::Global;
use anyhow::{Context, Result, anyhow, bail};
use std::io::{BufRead, Write};
use std::process::ExitCode;

pub fn run(g: &Global) -> Result<ExitCode> {
    let dir = super::config_dir(g)?;
    let path = dir.join("config.toml");
    if path.exists() {
        bail!(
            "{} exists already; edit it there (touchbase config shows what it holds)",
            path.display()
        );
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    // `None` when the input has ended.
    let mut ask = |question: &str, default: &str| -> Result<Option<String>> {
        let mut err = std::io::stderr().lock();
        if default.is_empty() {
            write!(err, "{question}: ")?;
        } else {
            write!(err, "{question} [{default}]: ")?;
        }
        err.flush()?;
        let Some(line) = lines.next() else {
            return Ok(None);
        };
        let answer = line.context("reading the answer")?;
        let answer = answer.trim();
        Ok(Some(if answer.is_empty() {
            default.to_string()
        } else {
            answer.to_string()
        }))
    };
    // Each answer is checked as it is given; a bad one is asked again, and the good ones
    // before it are kept.
    let mut until_good = |question: &str,
                          default: &str,
                          check: &dyn Fn(&str) -> Result<String, String>|
     -> Result<String> {
        loop {
            let Some(answer) = ask(question, default)? else {
                // No more input: the default, if it is good.
                return check(default).map_err(|e| anyhow!(e));
            };
            match check(&answer) {
                Ok(good) => return Ok(good),
                Err(why) => eprintln!("  {why}; try again"),
            }
        }
    };
    let name = until_good("Your name, as you sign emails", "", &|a| {
        (!a.is_empty())
            .then(|| a.to_string())
            .ok_or_else(|| "a name is needed: templates sign with it".to_string())
    })?;
    let any = |a: &str| -> Result<String, String> { Ok(a.to_string()) };
    let company = until_good("Your company", "", &any)?;
    let signature = until_good(
        "Your signature (use \\n for a new line)",
        &format!("{name}\\n{company}"),
        &any,
    )?;
    let zone = until_good(
        "Your time zone (like Europe/Berlin or Central Time)",
        "",
        &crate::domain::zones::zone_named,
    )?;
    let days = until_good(
        "Your working days",
        crate::config::first_run::WORKING_DAYS,
        &|a| crate::config::first_run::check_working_days(a).map(|()| a.to_string()),
    )?;
    let send = ask_send(&mut until_good, &name)?;
    let answers = crate::config::first_run::Answers {
        name,
        company,
        signature,
        timezone: zone,
        working_days: days,
        send,
    };
    let text = answers.to_toml(&path.display().to_string())?;
    if answers.send.is_some() {
        eprintln!(
            "  `touchbase doctor` logs in to the mail server to check it (it sends nothing)."
        );
    }
    crate::paths::create_private_dir_all(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    crate::paths::write_private_file(&path, &text)
        .with_context(|| format!("writing {}", path.display()))?;
    super::prospects::say(&format!("Wrote {}", path.display()));
    Ok(ExitCode::SUCCESS)
}

/// A question, its default, and the check its answer must pass.
type Ask<'a> =
    dyn FnMut(&str, &str, &dyn Fn(&str) -> Result<String, String>) -> Result<String> + 'a;

/// Sending from the terminal (DESIGN §9): the address, then SMTP or a sendmail command.
/// An empty address keeps copy and paste.
fn ask_send(
    until_good: &mut Ask,
    name: &str,
) -> Result<Option<crate::config::first_run::SendAnswers>> {
    let any = |a: &str| -> Result<String, String> { Ok(a.to_string()) };
    let address = until_good(
        "Send emails from touchbase? Your email address (empty: you copy and paste them)",
        "",
        &|a: &str| {
            if a.is_empty() || a.contains('@') && !a.contains(char::is_whitespace) {
                Ok(a.to_string())
            } else {
                Err(format!("'{a}' is not an email address"))
            }
        },
    )?;
    if address.is_empty() {
        return Ok(None);
    }
    let smtp = until_good(
        "Your SMTP server (smtps://you@host, or smtp://you@host:587; empty: a sendmail command)",
        "",
        &|a: &str| {
            if a.is_empty() {
                return Ok(String::new());
            }
            crate::config::first_run::check_smtp(a).map(|()| a.to_string())
        },
    )?;
    let (sendmail, password_command) = if smtp.is_empty() {
        (
            until_good("The sendmail command", "msmtp -t", &any)?,
            String::new(),
        )
    } else {
        let asked = "A command that prints your password (like pass show mail)";
        (String::new(), until_good(asked, "", &any)?)
    };
    Ok(Some(crate::config::first_run::SendAnswers {
        from: format!("{name} <{address}>"),
        smtp,
        sendmail,
        password_command,
    }))
}
