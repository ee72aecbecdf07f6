//! `touchbase man`: the manual page. clap writes the name, synopsis, description and global
//! options; the rest is written here: every command with its own options (on this page, not
//! on pages that do not exist), the app's keys from the one key table, the config file,
//! the environment, the files and the exit status.

use super::args::Cli;
use crate::tui::keymap::{Scope, help_lines};
use clap::CommandFactory;
use clap_mangen::roff::{Roff, bold, italic, roman};
use std::io::Write;

/// The whole page, as roff.
pub fn page() -> std::io::Result<Vec<u8>> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    let mut roff = Roff::new();
    commands(&cmd, &mut roff);
    keys(&mut roff);
    reference(&mut roff);
    out.write_all(roff.to_roff().as_bytes())?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// COMMANDS: each visible command, its arguments and options, nested ones under it.
fn commands(cmd: &clap::Command, roff: &mut Roff) {
    roff.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command(sub, &format!("touchbase {}", sub.get_name()), roff);
    }
}

fn command(cmd: &clap::Command, name: &str, roff: &mut Roff) {
    if cmd.has_subcommands() {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            command(sub, &format!("{name} {}", sub.get_name()), roff);
        }
        return;
    }
    let mut usage = vec![bold(name.to_string())];
    for arg in cmd.get_positionals() {
        let value = arg.get_id().as_str().to_uppercase();
        usage.push(roman(" "));
        usage.push(italic(value));
    }
    roff.control("TP", []).text(usage);
    let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
    roff.text([roman(about)]);
    for arg in cmd.get_positionals() {
        let Some(help) = arg.get_help() else {
            continue;
        };
        roff.control("RS", [])
            .control("TP", [])
            .text([italic(arg.get_id().as_str().to_uppercase())])
            .text([roman(help.to_string())])
            .control("RE", []);
    }
    for arg in cmd
        .get_arguments()
        .filter(|a| !a.is_global_set() && !a.is_hide_set())
    {
        let Some(long) = arg.get_long() else {
            continue;
        };
        if long == "help" {
            continue;
        }
        let value = match arg.get_action().takes_values() {
            true => arg
                .get_value_names()
                .and_then(|v| v.first())
                .map_or_else(|| arg.get_id().as_str().to_uppercase(), |v| v.to_string()),
            false => String::new(),
        };
        let value = if value.is_empty() {
            value
        } else {
            format!(" {value}")
        };
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        roff.control("RS", [])
            .control("TP", [])
            .text([bold(format!("--{long}")), italic(value)])
            .text([roman(help)])
            .control("RE", []);
    }
}

/// KEYS: the app's keys, from the table the app itself reads.
fn keys(roff: &mut Roff) {
    use crate::tui::action::View;
    roff.control("SH", ["KEYS"]);
    roff.text([roman(
        "With no command, touchbase opens the app on today's queue. ? shows these keys there.",
    )]);
    let scopes = [(Scope::Global, "Everywhere".to_string())]
        .into_iter()
        .chain(View::ALL.map(|v| (Scope::In(v), format!("{v:?}"))));
    for (scope, title) in scopes {
        let lines = help_lines(scope);
        if lines.is_empty() {
            continue;
        }
        roff.control("SS", [title.as_str()]);
        for (key, help) in lines {
            roff.control("TP", []).text([bold(key)]).text([roman(help)]);
        }
    }
}

/// CONFIGURATION, ENVIRONMENT, FILES and EXIT STATUS.
fn reference(roff: &mut Roff) {
    roff.control("SH", ["CONFIGURATION"]);
    roff.text([roman(
        "config.toml in the config directory; every key is optional. With the defaults:",
    )]);
    roff.control("nf", []);
    for line in CONFIG.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, what) in ENVIRONMENT {
        roff.control("TP", [])
            .text([bold(*name)])
            .text([roman(*what)]);
    }
    roff.control("SH", ["FILES"]);
    for (name, what) in FILES {
        roff.control("TP", [])
            .text([italic(*name)])
            .text([roman(*what)]);
    }
    roff.control("SH", ["EXIT STATUS"]);
    for (code, what) in EXIT {
        roff.control("TP", [])
            .text([bold(*code)])
            .text([roman(*what)]);
    }
}

/// config.toml with every key, at its default (or an example where there is none).
const CONFIG: &str = r#"timezone = "Europe/Berlin"         # your clock (default: the system's)
working_days = ["mon", "tue", "wed", "thu", "fri"]
holidays = ["2026-12-24"]
holiday_sets = ["us-federal"]       # or "uk-bank"
cool_off_days = 30                  # rest after a finished sequence
max_touches_per_day = 40            # a full day's new touches move on
daily_goal = 30                     # shown beside the day's progress
backups_kept = 7                    # daily snapshots beside the book (0: none)
nudge_days = 3                      # silence after your answer before a nudge
account_rule = "pause"              # colleagues when one replies: pause, finish, none
per_account_per_day = 2             # touches a day at one company (0: no limit)

[me]                                # what templates sign with (me.*)
name = "Sam Carter"
company = "Relaypoint"
signature = "Sam Carter\nRelaypoint"

[windows]                           # good hours in the prospect's day
email = [{ days = ["tue", "wed", "thu"], from = "08:00", to = "10:00" },
         { days = ["tue", "wed", "thu"], from = "15:00", to = "16:00" }]
follow_up_call = { from = "11:00", to = "12:00" }
cold_call = { from = "16:00", to = "17:00" }

[inbox]                             # read-only: replies, bounces, opt-outs
maildir = "~/Mail/work/INBOX"       # or imap = "imaps://you@mail.example.com" (imap:// for STARTTLS)
password_command = "pass show mail/work"   # or token_command for OAuth (XOAUTH2)
folders = ["INBOX"]
since_days = 30                     # how far back a sync reads
poll_minutes = 5

[send]                              # touchbase send: from your own mailbox
from = "Sam Carter <sam@relaypoint.example>"
smtp = "smtp://sam@mail.example.com"   # STARTTLS on 587; smtps:// for TLS on 465
undo_seconds = 20                   # a send waits this long; undo takes it back
per_day = 100
per_minute = 4
per_domain_per_day = 2
bounce_pause = 0.05                 # stop sending when over 5% of the last 50 bounced
copy_to_sent = false                # true: a copy to [inbox] sent_folder by IMAP
"#;

const ENVIRONMENT: &[(&str, &str)] = &[
    ("TOUCHBASE_DB", "The database file (as --db)."),
    (
        "TOUCHBASE_CONFIG_DIR",
        "Where config.toml, sequences/ and templates/ live (as --config-dir).",
    ),
    (
        "TOUCHBASE_NOW",
        "A fixed clock, 2026-11-23T10:30 or a date (as --now): for scripts and tests.",
    ),
    (
        "TOUCHBASE_IMAP_PASSWORD",
        "The IMAP password when [inbox] has no password_command; never stored.",
    ),
    (
        "TOUCHBASE_IMAP_READ_TIMEOUT",
        "Seconds the IMAP server may stay silent before it is a timeout (30).",
    ),
    (
        "VISUAL, EDITOR",
        "The editor for e (a message) and E (a prospect), and sequences edit.",
    ),
    ("NO_COLOR", "Any value: the app draws without colour."),
    (
        "COMPLETE",
        "Set by the completion script (touchbase completions SHELL): the shell asks touchbase for outcomes, sequence names and prospects' addresses.",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "~/.local/share/touchbase/touchbase.db",
        "The book: prospects, enrollments, the touch log (Linux; macOS: ~/Library/Application Support/touchbase/).",
    ),
    (
        "~/.local/share/touchbase/backups/",
        "Daily snapshots of the book, kept backups_kept days.",
    ),
    (
        "~/.local/share/touchbase/demo.db",
        "The demo's book, never the real one.",
    ),
    (
        "~/.config/touchbase/config.toml",
        "Settings (see CONFIGURATION).",
    ),
    (
        "~/.config/touchbase/sequences/, templates/",
        "Your own sequences and templates; they win over built-ins of the same name.",
    ),
];

const EXIT: &[(&str, &str)] = &[
    ("0", "Done (a dry run included)."),
    (
        "1",
        "Refused or failed: one line starting error: says why, and nothing changed. Also: no book at the path a reading command was given; doctor found a problem.",
    ),
    (
        "2",
        "The command line itself is wrong (an unknown option, a value out of range).",
    ),
];
