//! Editing a touch's text in the rep's `$EDITOR`: a private temp file, the editor in the
//! foreground, the text read back. The terminal is handed over by the event loop.

use super::app::TouchKey;
use crate::content::Rendered;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

/// A request from a key to the event loop: edit this text, then hand it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditRequest {
    pub key: TouchKey,
    pub text: Rendered,
}

pub use crate::content::render::{from_file_text, to_file_text};

/// Runs the editor on `text` and returns what the rep saved. The terminal must already be
/// handed over (raw mode off, main screen).
pub fn edit(text: &str) -> Result<String> {
    edit_with(&editor_command(), text, ".md")
}

/// The same for another kind of file (`suffix` lets the editor colour it).
pub fn edit_file(text: &str, suffix: &str) -> Result<String> {
    edit_with(&editor_command(), text, suffix)
}

fn edit_with(editor: &str, text: &str, suffix: &str) -> Result<String> {
    use std::io::Write;
    // A private (0600) file with a fresh name, removed when dropped: it holds a prospect's
    // details and is never left behind.
    let mut file = tempfile::Builder::new()
        .prefix("touchbase-")
        .suffix(suffix)
        .tempfile()
        .context("creating a file for the editor")?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .with_context(|| format!("writing {}", file.path().display()))?;
    run_editor(editor, file.path())?;
    std::fs::read_to_string(file.path())
        .with_context(|| format!("reading {}", file.path().display()))
}

fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

fn run_editor(editor: &str, path: &Path) -> Result<()> {
    // Through the shell, so `EDITOR="code --wait"` works as it does for git.
    let status = if cfg!(unix) {
        Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(path)
            .status()
    } else {
        Command::new(editor).arg(path).status()
    }
    .with_context(|| format!("starting the editor ({editor})"))?;
    if !status.success() {
        bail!("the editor ({editor}) exited with {status}; the text was not changed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_and_body_round_trip() {
        let r = Rendered {
            subject: Some("Northwind and slow replies".into()),
            body: "Hi Dana,\n\nA question.".into(),
            voicemail: None,
            problems: vec!["missing company".into()],
        };
        let file = to_file_text(&r);
        assert_eq!(
            file,
            "Subject: Northwind and slow replies\n\nHi Dana,\n\nA question.\n"
        );
        let edited = from_file_text(&file.replace("A question.", "Two questions."), &r);
        assert_eq!(
            edited.subject.as_deref(),
            Some("Northwind and slow replies")
        );
        assert_eq!(edited.body, "Hi Dana,\n\nTwo questions.");
        assert!(edited.ready());
        let gap = from_file_text("Subject: x\n\nHi ⟨first_name⟩ at [Company]", &r);
        assert_eq!(
            gap.problems,
            [
                "missing first_name",
                "placeholder [Company] left in the text"
            ]
        );
    }

    #[test]
    fn editor_runs_through_the_shell_and_the_file_goes_away() {
        if !cfg!(unix) {
            return;
        }
        let out = edit_with("sed -i -e s/Hi/Hello/", "Hi Dana\n", ".md").expect("edit");
        assert_eq!(out, "Hello Dana\n");
        assert!(edit_with("false", "x", ".md").is_err());
    }
}
