//! What reaches outside the app: the clipboard path copy will take here, and the opener for
//! `mailto:`, `tel:` and web links.

use super::Finding;
use std::path::PathBuf;
use std::process::Command;

fn set(key: &str) -> bool {
    std::env::var_os(key).is_some_and(|v| !v.is_empty())
}

/// A program on `$PATH`, if there is one.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// The path copy takes here (see [`crate::clipboard::SystemClipboard`]): the desktop
/// clipboard in a local session, tmux's buffer inside tmux, else OSC 52 to the terminal.
pub fn clipboard() -> Vec<Finding> {
    let mut found = Vec::new();
    let remote = set("SSH_TTY") || set("SSH_CONNECTION");
    let display =
        cfg!(any(target_os = "macos", windows)) || set("DISPLAY") || set("WAYLAND_DISPLAY");
    let desktop = display && !remote;
    if desktop {
        found.push(match arboard::Clipboard::new() {
            Ok(_) => Finding::ok("clipboard", "copy reaches the desktop clipboard"),
            Err(e) => Finding::fail(
                "clipboard",
                format!("the desktop clipboard cannot be opened: {e}"),
                "check $DISPLAY / $WAYLAND_DISPLAY; inside tmux, copies still reach its buffer",
            ),
        });
    }
    if set("TMUX") {
        let value = Command::new("tmux")
            .args(["show-options", "-sv", "set-clipboard"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        found.push(match value.as_deref() {
            Some(v @ ("on" | "external")) => Finding::ok(
                "clipboard",
                format!(
                    "copy reaches tmux's buffer, which forwards it to the terminal's clipboard (set-clipboard {v})"
                ),
            ),
            Some(v) => Finding::warn(
                "clipboard",
                format!("copy reaches tmux's buffer only (set-clipboard {v}); prefix ] pastes it"),
                "add `set -s set-clipboard on` to ~/.tmux.conf to reach the terminal's clipboard too",
            ),
            None => Finding::fail(
                "clipboard",
                "inside tmux, but tmux does not answer",
                "check that `tmux` is on your PATH",
            ),
        });
    }
    if found.is_empty() {
        found.push(Finding::warn(
            "clipboard",
            "no desktop session and no tmux: copy sends OSC 52 to the terminal, which may ignore it",
            "allow OSC 52 in your terminal (kitty, WezTerm, iTerm2 and Windows Terminal can), or run inside tmux",
        ));
    }
    found
}

/// The program that opens links, and what handles each kind the app opens.
pub fn opener() -> Vec<Finding> {
    if cfg!(target_os = "macos") {
        return vec![Finding::ok(
            "opener",
            "macOS `open` handles mailto:, tel: and web links",
        )];
    }
    if cfg!(windows) {
        return vec![Finding::ok(
            "opener",
            "Windows opens mailto:, tel: and web links",
        )];
    }
    let Some(xdg_open) = on_path("xdg-open") else {
        return vec![Finding::warn(
            "opener",
            "no xdg-open: `o` cannot open mail, calls or profiles (copy still works)",
            "install xdg-utils",
        )];
    };
    let mut found = vec![Finding::ok(
        "opener",
        format!("links open with {}", xdg_open.display()),
    )];
    if on_path("xdg-mime").is_none() {
        return found;
    }
    for (scheme, what) in [
        ("mailto", "email"),
        ("tel", "calls"),
        ("https", "web links"),
    ] {
        let handler = Command::new("xdg-mime")
            .args(["query", "default", &format!("x-scheme-handler/{scheme}")])
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|h| !h.is_empty());
        found.push(match handler {
            Some(h) => Finding::ok("opener", format!("{scheme}: opens with {h}")),
            None => Finding::warn(
                "opener",
                format!("nothing is set to open {scheme}: links ({what})"),
                format!("`xdg-mime default APP.desktop x-scheme-handler/{scheme}`"),
            ),
        });
    }
    found
}
