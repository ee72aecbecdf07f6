//! Copying text: the system clipboard through arboard, or the terminal's own clipboard through
//! the OSC 52 escape sequence where there is no display (SSH, a bare console, tmux without X).

use base64::Engine;
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

/// Somewhere text can be copied to.
pub trait Clipboard {
    /// Puts `text` on the clipboard and says which way it went, for the status line.
    fn copy(&mut self, text: &str) -> Result<&'static str, String>;
}

/// The real clipboard: arboard when a display is there, OSC 52 otherwise or when arboard fails.
pub struct SystemClipboard {
    /// Created on the first copy and kept for the session: on X11 the text is only served
    /// while its owner lives.
    board: Option<arboard::Clipboard>,
    tried_board: bool,
    osc_only: bool,
    tmux: bool,
}

impl SystemClipboard {
    /// Decides from the environment: over SSH or without `$DISPLAY`/`$WAYLAND_DISPLAY` the
    /// system clipboard is not the rep's, so only OSC 52 can reach it.
    pub fn from_env() -> SystemClipboard {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        let remote = set("SSH_TTY") || set("SSH_CONNECTION");
        let display =
            cfg!(any(target_os = "macos", windows)) || set("DISPLAY") || set("WAYLAND_DISPLAY");
        SystemClipboard {
            board: None,
            tried_board: false,
            osc_only: remote || !display,
            tmux: set("TMUX"),
        }
    }
}

impl Clipboard for SystemClipboard {
    fn copy(&mut self, text: &str) -> Result<&'static str, String> {
        if !self.osc_only {
            if !self.tried_board {
                self.tried_board = true;
                self.board = arboard::Clipboard::new().ok();
            }
            if let Some(board) = self.board.as_mut() {
                if board.set_text(text.to_string()).is_ok() {
                    return Ok("system clipboard");
                }
            }
        }
        let mut out = std::io::stdout().lock();
        write_osc52(&mut out, text, self.tmux)
            .and_then(|()| out.flush())
            .map_err(|e| format!("could not write to the terminal: {e}"))?;
        Ok("terminal clipboard (OSC 52)")
    }
}

/// Writes the OSC 52 "set clipboard" sequence for `text`. Inside tmux the sequence is sent
/// twice: plain (tmux keeps it as a buffer and forwards it when `set-clipboard` is on) and
/// wrapped in tmux's passthrough (reaches the outer terminal when `allow-passthrough` is on),
/// because either setting alone is common and a duplicate copy is harmless.
pub fn write_osc52(out: &mut impl Write, text: &str, tmux: bool) -> std::io::Result<()> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    if tmux {
        write!(out, "\x1bPtmux;\x1b\x1b]52;c;{encoded}\x07\x1b\\")?;
    }
    Ok(())
}

/// A clipboard for tests: remembers everything copied. Clones share the same record.
#[derive(Debug, Clone, Default)]
pub struct FakeClipboard {
    copied: Rc<RefCell<Vec<String>>>,
}

impl FakeClipboard {
    pub fn new() -> FakeClipboard {
        FakeClipboard::default()
    }

    /// The newest copied text.
    pub fn last(&self) -> Option<String> {
        self.copied.borrow().last().cloned()
    }

    pub fn all(&self) -> Vec<String> {
        self.copied.borrow().clone()
    }
}

impl Clipboard for FakeClipboard {
    fn copy(&mut self, text: &str) -> Result<&'static str, String> {
        self.copied.borrow_mut().push(text.to_string());
        Ok("test clipboard")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_bytes_are_exact() {
        let mut out = Vec::new();
        write_osc52(&mut out, "Hi Dana,\nthanks", false).expect("write");
        assert_eq!(out, b"\x1b]52;c;SGkgRGFuYSwKdGhhbmtz\x07".to_vec());
    }

    #[test]
    fn osc52_inside_tmux_adds_the_passthrough_form() {
        let mut out = Vec::new();
        write_osc52(&mut out, "ok", true).expect("write");
        assert_eq!(
            out,
            b"\x1b]52;c;b2s=\x07\x1bPtmux;\x1b\x1b]52;c;b2s=\x07\x1b\\".to_vec()
        );
    }

    #[test]
    fn fake_clipboard_remembers() {
        let fake = FakeClipboard::new();
        let mut handle: Box<dyn Clipboard> = Box::new(fake.clone());
        assert_eq!(handle.copy("a"), Ok("test clipboard"));
        assert_eq!(fake.last().as_deref(), Some("a"));
    }
}
