//! Copying text where the rep can paste it: the desktop's clipboard (served by a background
//! process, so it outlives the app), tmux's buffer, or the terminal's own clipboard through the
//! OSC 52 escape sequence where nothing else reaches the rep (SSH, a bare console).

mod serve;
mod tmux;

pub use serve::serve_stdin;

use base64::Engine;
use std::cell::RefCell;
use std::io::Write;
use std::process::Child;
use std::rc::Rc;

/// Where copied text went, as the status line says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reached {
    /// Somewhere that confirmed it holds the text ("system clipboard", "tmux buffer").
    Held(String),
    /// Written to the terminal as OSC 52: whether the terminal kept it cannot be known.
    SentToTerminal,
}

impl Reached {
    /// The status line for copying `what` (e.g. "Lee Park's email body").
    pub fn sentence(&self, what: &str) -> String {
        match self {
            Reached::Held(place) => format!("Copied {what} — {place}"),
            Reached::SentToTerminal => format!(
                "Sent {what} to the terminal (OSC 52); an empty paste means it ignores OSC 52"
            ),
        }
    }
}

/// Somewhere text can be copied to.
pub trait Clipboard {
    /// Puts `text` where the rep can paste it and says where, or why nowhere.
    fn copy(&mut self, text: &str) -> Result<Reached, String>;
}

/// The real clipboard, chosen from the environment.
pub struct SystemClipboard {
    /// A desktop clipboard is the rep's own (a local X11 or Wayland session, not SSH).
    desktop: bool,
    tmux: bool,
    /// Background owners of earlier copies, reaped once they have handed over.
    servers: Vec<Child>,
    /// The in-process fallback when no background owner can be started: it serves the text
    /// only while the app runs.
    board: Option<arboard::Clipboard>,
}

impl SystemClipboard {
    /// Over SSH, or without `$DISPLAY`/`$WAYLAND_DISPLAY`, the machine's clipboard is not the
    /// rep's: only tmux or the terminal can reach them.
    pub fn from_env() -> SystemClipboard {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        let remote = set("SSH_TTY") || set("SSH_CONNECTION");
        let display =
            cfg!(any(target_os = "macos", windows)) || set("DISPLAY") || set("WAYLAND_DISPLAY");
        SystemClipboard {
            desktop: display && !remote,
            tmux: set("TMUX"),
            servers: Vec::new(),
            board: None,
        }
    }

    /// The desktop clipboard, served from a background process so the text stays pasteable
    /// after the app quits, as xclip does; in-process when no process can be started.
    fn copy_to_desktop(&mut self, text: &str) -> Result<&'static str, String> {
        self.servers
            .retain_mut(|child| matches!(child.try_wait(), Ok(None)));
        match serve::hand_over(text) {
            Ok(child) => {
                self.servers.push(child);
                Ok("system clipboard")
            }
            Err(serve::HandOver::NoProcess) => {
                if self.board.is_none() {
                    self.board = arboard::Clipboard::new().ok();
                }
                let board = self.board.as_mut().ok_or("no system clipboard")?;
                board
                    .set_text(text.to_string())
                    .map_err(|e| e.to_string())?;
                Ok("system clipboard, while touchbase runs")
            }
            Err(serve::HandOver::Failed(why)) => Err(why),
        }
    }
}

impl Clipboard for SystemClipboard {
    fn copy(&mut self, text: &str) -> Result<Reached, String> {
        let desktop = if self.desktop {
            self.copy_to_desktop(text)
        } else {
            Err("no desktop session".to_string())
        };
        let tmux = if self.tmux {
            tmux::load_buffer(text)
        } else {
            Err("not inside tmux".to_string())
        };
        match (desktop, tmux) {
            (Ok(place), Err(_)) => Ok(Reached::Held(place.to_string())),
            (Ok(place), Ok(_)) => Ok(Reached::Held(format!("{place} and tmux buffer"))),
            (Err(_), Ok(place)) => Ok(Reached::Held(place)),
            (Err(_), Err(_)) => {
                let mut out = std::io::stdout().lock();
                write_osc52(&mut out, text)
                    .and_then(|()| out.flush())
                    .map_err(|e| format!("could not write to the terminal: {e}"))?;
                Ok(Reached::SentToTerminal)
            }
        }
    }
}

/// Writes the OSC 52 "set clipboard" sequence for `text`.
pub fn write_osc52(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    write!(out, "\x1b]52;c;{encoded}\x07")
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
    fn copy(&mut self, text: &str) -> Result<Reached, String> {
        self.copied.borrow_mut().push(text.to_string());
        Ok(Reached::Held("test clipboard".to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_bytes_are_exact() {
        let mut out = Vec::new();
        write_osc52(&mut out, "Hi Dana,\nthanks").expect("write");
        assert_eq!(out, b"\x1b]52;c;SGkgRGFuYSwKdGhhbmtz\x07".to_vec());
    }

    #[test]
    fn only_a_confirmed_place_says_copied() {
        let held = Reached::Held("tmux buffer".into()).sentence("Lee Park's email body");
        assert_eq!(held, "Copied Lee Park's email body — tmux buffer");
        let sent = Reached::SentToTerminal.sentence("Lee Park's email body");
        assert!(sent.starts_with("Sent Lee Park's email body"), "{sent}");
        assert!(!sent.contains("Copied"), "{sent}");
    }

    #[test]
    fn fake_clipboard_remembers() {
        let fake = FakeClipboard::new();
        let mut handle: Box<dyn Clipboard> = Box::new(fake.clone());
        assert_eq!(
            handle.copy("a"),
            Ok(Reached::Held("test clipboard".to_string()))
        );
        assert_eq!(fake.last().as_deref(), Some("a"));
    }
}
