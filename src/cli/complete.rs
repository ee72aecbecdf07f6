//! Shell completion that knows the book: outcomes after `log 7`, sequence names after
//! `--sequence` and `enroll 7`, prospects' email addresses where a prospect goes. The shell
//! asks the binary itself (`COMPLETE=bash touchbase -- …`, clap_complete's dynamic
//! completion), so the names are today's, not those of the day the script was written.
//! The book and the config are found as every command finds them (`TOUCHBASE_DB`,
//! `TOUCHBASE_CONFIG_DIR`, else the defaults); completion never creates either.

use super::args::{Cli, Global};
use crate::domain::Outcome;
use clap::Parser;
use clap_complete::engine::CompletionCandidate;
use std::ffi::OsStr;

/// How many prospects one completion offers at most.
const MAX_PROSPECTS: usize = 50;

/// Every outcome `log` takes, and the steps after a reply.
pub fn outcomes() -> Vec<CompletionCandidate> {
    let steps = [
        "answered",
        "held",
        "no-show",
        "moved",
        "cancelled",
        "closed",
    ];
    let steps = steps.map(str::to_string);
    Outcome::ALL
        .iter()
        .map(|o| o.to_string())
        .chain(steps)
        .map(CompletionCandidate::new)
        .collect()
}

/// The sequences this setup has: its own and the built-ins.
pub fn sequences() -> Vec<CompletionCandidate> {
    let Some(g) = global() else {
        return Vec::new();
    };
    let Ok(library) = super::library(&g) else {
        return Vec::new();
    };
    library
        .names()
        .into_iter()
        .map(|(name, _)| CompletionCandidate::new(name))
        .collect()
}

/// The prospects' email addresses that start with what is typed so far.
pub fn prospects(current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let Some(g) = global() else {
        return Vec::new();
    };
    let Ok(desk) = super::open_desk_with(&g, super::Opening::Existing) else {
        return Vec::new();
    };
    desk.emails_starting(&typed, MAX_PROSPECTS)
        .unwrap_or_default()
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// The global options as the environment gives them (the shell's words are not parsed).
fn global() -> Option<Global> {
    Cli::try_parse_from(["touchbase"]).ok().map(|c| c.global)
}

/// The script a shell sources to complete `touchbase` by asking it (`COMPLETE=<shell>`).
pub fn registration(shell: clap_complete::Shell, out: &mut Vec<u8>) -> std::io::Result<()> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Elvish => &Elvish,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::PowerShell => &Powershell,
        _ => &Zsh,
    };
    completer.write_registration(ENV_VAR, "touchbase", "touchbase", "touchbase", out)
}

/// The variable that turns a run of `touchbase` into a completion.
pub const ENV_VAR: &str = "COMPLETE";

/// Answers a shell's completion request and exits, when the environment holds one.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
        .var(ENV_VAR)
        .complete();
}
