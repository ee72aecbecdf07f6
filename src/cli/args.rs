//! The command line's shape (clap derive). Behaviour lives in the sibling modules.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "touchbase",
    version,
    about = "Run a sales rep's follow-up cadences from the terminal",
    long_about = "touchbase keeps your prospects in a local SQLite file, runs each through a \
follow-up cadence, and every morning lists the touches that are due. With no command it opens \
the app."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// The database file [default: <data dir>/touchbase.db]
    #[arg(long, global = true, env = "TOUCHBASE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Run on a fixed clock: a date-time (2026-11-23T10:30) or a date (09:00 that day)
    #[arg(
        long,
        global = true,
        env = "TOUCHBASE_NOW",
        value_name = "DATETIME|DATE"
    )]
    pub now: Option<String>,
    /// Where config.toml, sequences/ and templates/ live
    #[arg(long, global = true, env = "TOUCHBASE_CONFIG_DIR", value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a demo database (never your real one) and open the app on it
    Demo(DemoArgs),
    /// Add one prospect
    Add(AddArgs),
    /// Change a prospect's fields (an empty value clears one)
    Edit(EditArgs),
    /// Import prospects from a CSV file
    Import(ImportArgs),
    /// Write prospects or the touch log as CSV, the log for a CRM's import, or a calendar
    Export(crate::export::ExportArgs),
    /// Enroll a prospect in a sequence
    Enroll(EnrollArgs),
    /// List today's and overdue touches, as the app's queue
    Due(DueArgs),
    /// Log an outcome on a prospect's current touch
    Log(LogArgs),
    /// Undo the newest action
    Undo,
    /// Show a prospect, their enrollments and history
    Show(ShowArgs),
    /// List, show or check sequences
    #[command(subcommand)]
    Sequences(SequencesCommand),
    /// Print the effective configuration and where each value came from
    Config,
    /// Ask for your name, company, signature, time zone and working days; write config.toml
    Init,
    /// Which steps, channels, variants and hours produce replies
    Stats(StatsArgs),
    /// Take time off: pending touches in the span move past it, keeping their spacing
    Vacation(VacationArgs),
    /// Read the inbox: replies, bounces, out-of-office notices and opt-outs, applied once
    Inbox(InboxArgs),
    /// Send a prospect's due email from your mailbox ([send] in config.toml)
    Send(SendArgs),
    /// What waits to be sent and why; --flush sends what may go now
    Outbox(OutboxArgs),
    /// Snapshot the database now (into backups/ beside it, or --to FILE)
    Backup(BackupArgs),
    /// Put a backup in place of the database (the current file is kept as a backup first)
    Restore(RestoreArgs),
    /// Check the setup: database, file modes, config and sequences, clipboard, opener, inbox
    Doctor(DoctorArgs),
    /// Print shell completions (source them, or put them where your shell looks)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `touchbase man > ~/.local/share/man/man1/touchbase.1`
    Man,
    /// Print the app's first frame as text (or an SVG picture) and exit
    Screen(ScreenArgs),
    /// Keeps copied text on the desktop clipboard after the app quits (started by the app)
    #[command(name = "serve-clipboard", hide = true)]
    ServeClipboard,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Write the snapshot here instead of into backups/
    #[arg(long, value_name = "FILE")]
    pub to: Option<PathBuf>,
    /// Replace a file that is already there
    #[arg(long, requires = "to")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to put back (a snapshot from backups/ or `backup --to`)
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Tighten file and folder modes that are too open
    #[arg(long)]
    pub fix: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many prospects to generate
    #[arg(long, allow_negative_numbers = true, default_value_t = crate::demo::DEFAULT_PROSPECTS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=2_000_000))]
    pub prospects: usize,
    /// Build the database and print the queue instead of opening the app
    #[arg(long)]
    pub no_open: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Prospect: id, email, or full name when only one has it
    #[arg(add = clap_complete::ArgValueCompleter::new(super::complete::prospects))]
    pub prospect: String,
    #[command(flatten)]
    pub set: FieldArgs,
    /// A custom field (repeatable); KEY= with no value removes it
    #[arg(long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
    /// A dated note added to the prospect's notes
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub set: FieldArgs,
    /// A custom field for templates (repeatable)
    #[arg(long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
    /// Enroll the new prospect in this sequence
    #[arg(long, add = clap_complete::ArgValueCandidates::new(super::complete::sequences))]
    pub sequence: Option<String>,
    /// First day of the sequence [default: today]
    #[arg(long, value_name = "DATE", requires = "sequence")]
    pub start: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// Enroll the imported prospects in this sequence
    #[arg(long, add = clap_complete::ArgValueCandidates::new(super::complete::sequences))]
    pub sequence: Option<String>,
    /// First start date [default: today]
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// New enrollments per working day, spread from the start date
    #[arg(long, allow_negative_numbers = true, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10_000))]
    pub per_day: Option<usize>,
    /// Report what would happen and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows and write the bad ones, with the reason, to this new file
    #[arg(long, value_name = "FILE")]
    pub skip_bad: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// Prospect: id, email, or full name when only one has it
    #[arg(add = clap_complete::ArgValueCompleter::new(super::complete::prospects))]
    pub prospect: String,
    #[arg(add = clap_complete::ArgValueCandidates::new(super::complete::sequences))]
    pub sequence: String,
    /// First day [default: today]
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// Enroll even inside the prospect's cool-off
    #[arg(long)]
    pub force: bool,
    /// Their decision date: a proposal's late steps are timed to it
    #[arg(long, value_name = "DATE")]
    pub decision: Option<String>,
    /// End the enrollment as removed on this day if it is still running ("timeline passed")
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Prospect: id, email, or full name when only one has it
    #[arg(add = clap_complete::ArgValueCompleter::new(super::complete::prospects))]
    pub prospect: String,
    /// sent, bounced, done, connected, voicemail, no-answer, gatekeeper, wrong-number,
    /// skipped, snoozed, replied, meeting, opted-out, complained, paused, resumed, removed;
    /// after a reply: answered, held, no-show, moved (--when), cancelled, closed (--kind
    /// won|lost --reason)
    #[arg(add = clap_complete::ArgValueCandidates::new(super::complete::outcomes))]
    pub outcome: String,
    /// A note kept with the logged outcome (what was said on the call, say)
    #[arg(long)]
    pub note: Option<String>,
    /// Why (for skipped and removed)
    #[arg(long)]
    pub reason: Option<String>,
    /// Until when (for snoozed; the return date for paused; for a not-now reply, the day
    /// they come back)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Work a touch that is due on a later day, on purpose
    #[arg(long)]
    pub ahead: bool,
    /// With opted-out or complained: the whole email domain goes on the do-not-contact list
    #[arg(long)]
    pub domain: bool,
    /// The step (1-based) this outcome is for, when two steps fall on the same day
    #[arg(long, allow_negative_numbers = true, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100))]
    pub step: Option<usize>,
    /// The message as it went out (a file, or - for standard input), frozen instead of the
    /// template's text; a `Subject:` first line sets the subject
    #[arg(long, value_name = "FILE")]
    pub text: Option<std::path::PathBuf>,
    /// For replied or meeting: the step (1-based) that produced it, instead of the last
    /// worked step the prospect could answer
    #[arg(long, allow_negative_numbers = true, value_name = "STEP",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100))]
    pub credit: Option<usize>,
    /// For replied: positive, question, objection, not-now (with --until, the day they come
    /// back), referral (with --refer), wrong-person
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// For a referral: the person named, as "Sam Lee <sam@example.com>"
    #[arg(long, value_name = "WHO")]
    pub refer: Option<String>,
    /// For meeting: when it takes place, on your clock (2026-12-03T14:00), for `export ics`
    #[arg(long, value_name = "DATETIME")]
    pub when: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Prospect: id, email, or full name when only one has it
    #[arg(add = clap_complete::ArgValueCompleter::new(super::complete::prospects))]
    pub prospect: String,
    #[arg(long)]
    pub json: bool,
    /// Say how the current due date was computed
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Subcommand)]
pub enum SequencesCommand {
    /// One sequence a line, its name first
    List,
    /// A sequence's steps
    Show {
        #[arg(add = clap_complete::ArgValueCandidates::new(super::complete::sequences))]
        name: String,
    },
    /// Check sequences and their templates (all of them when no FILE is given)
    Lint {
        /// Sequence TOML files to check
        files: Vec<std::path::PathBuf>,
    },
    /// Create your own sequence in the config dir, from scratch or from a built-in
    New {
        name: String,
        /// Start from a copy of this sequence
        #[arg(long, value_name = "SEQUENCE", add = clap_complete::ArgValueCandidates::new(super::complete::sequences))]
        from: Option<String>,
    },
    /// Open a sequence in $EDITOR, then check it (a built-in is copied to your config first)
    Edit {
        #[arg(add = clap_complete::ArgValueCandidates::new(super::complete::sequences))]
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only this sequence
    #[arg(long, add = clap_complete::ArgValueCandidates::new(super::complete::sequences))]
    pub sequence: Option<String>,
    /// Only events since this date
    #[arg(long, value_name = "DATE", conflicts_with = "days")]
    pub since: Option<String>,
    /// Only the last N days (30 and 90 are the usual periods)
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub days: Option<u32>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// Columns [default: the terminal's, else 80]
    #[arg(long, allow_negative_numbers = true, value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub width: Option<u16>,
    /// Rows [default: the terminal's, else 24]
    #[arg(long, allow_negative_numbers = true, value_parser = clap::value_parser!(u16).range(5..=500))]
    pub height: Option<u16>,
    /// Draw it as an SVG picture, in its colours
    #[arg(long)]
    pub svg: bool,
    /// Keys to press first, space-separated as the app names them (`f c space`, `4`,
    /// `Enter`, `Esc`, `Tab`, `Down`); they act on a copy, never on the database
    #[arg(long, value_name = "KEYS")]
    pub keys: Option<String>,
}

#[derive(Debug, Args)]
pub struct InboxArgs {
    /// Say what would be done and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// One JSON object per message considered
    #[arg(long)]
    pub json: bool,
    /// Consider this message again (its Message-ID): one whose effect was undone
    #[arg(long, value_name = "MESSAGE-ID")]
    pub again: Option<String>,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The prospect: id or email
    #[arg(add = clap_complete::ArgValueCompleter::new(super::complete::prospects))]
    pub prospect: String,
    /// Send at once, without the undo window
    #[arg(long)]
    pub no_undo: bool,
}

#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// One JSON object per email in the outbox
    #[arg(long)]
    pub json: bool,
    /// Send every waiting email whose time has come
    #[arg(long)]
    pub flush: bool,
    /// Take back what waits for this prospect (id or email)
    #[arg(long, value_name = "PROSPECT")]
    pub cancel: Option<String>,
    /// An unsure email to this prospect went (you found it in Sent): log it as sent
    #[arg(long, value_name = "PROSPECT", conflicts_with = "resend")]
    pub sent: Option<String>,
    /// An unsure email to this prospect did not go: send it again now
    #[arg(long, value_name = "PROSPECT")]
    pub resend: Option<String>,
    /// Start sending again after a bounce pause (bounce_pause in [send])
    #[arg(long)]
    pub resume: bool,
}

#[derive(Debug, Args)]
pub struct VacationArgs {
    /// First day off
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Last day off
    #[arg(long, value_name = "DATE")]
    pub to: String,
}

/// A prospect's fields as flags (`--first`, `--email`, …): one flag for each editable field
/// of `domain::FIELDS`, so a new field needs no new flag here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldArgs {
    pub values: std::collections::BTreeMap<crate::domain::Field, String>,
}

impl clap::FromArgMatches for FieldArgs {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let values = crate::domain::fields::editable()
            .filter_map(|spec| {
                let v = m.get_one::<String>(spec.key)?;
                Some((spec.field, v.clone()))
            })
            .collect();
        Ok(FieldArgs { values })
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = FieldArgs::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for FieldArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        crate::domain::fields::editable().fold(cmd, |cmd, spec| {
            let flag = spec.flag.unwrap_or(spec.key);
            cmd.arg(
                clap::Arg::new(spec.key)
                    .long(flag)
                    .value_name("TEXT")
                    .help(spec.help),
            )
        })
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        FieldArgs::augment_args(cmd)
    }
}
