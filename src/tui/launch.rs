//! Opening a touch where it is worked: `mailto:` with subject and body, `tel:`, `sms:`, or
//! the LinkedIn profile, through the desktop's opener.

use crate::domain::prospect::normalize_phone;
use std::cell::RefCell;
use std::process::Stdio;
use std::rc::Rc;

/// Something that opens URLs.
pub trait Launcher {
    /// Opens `url`; says which program did, or why nothing could.
    fn open(&mut self, url: &str) -> Result<String, String>;
}

/// The desktop's opener, as the `open` crate finds it (`xdg-open`, `gio`, `open`, …).
#[derive(Debug, Default)]
pub struct SystemLauncher;

impl Launcher for SystemLauncher {
    fn open(&mut self, url: &str) -> Result<String, String> {
        // Detached with its output silenced, so nothing scribbles over the screen. The
        // first opener that starts and does not fail at once wins; one that exits with an
        // error (gio with no handler for the scheme) is reported, not called a success.
        let mut tried = Vec::new();
        for mut command in open::commands(url) {
            let program = command.get_program().to_string_lossy().into_owned();
            let child = command
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            let Ok(mut child) = child else {
                tried.push(format!("{program}: not found"));
                continue;
            };
            match settle(&mut child) {
                Some(status) if !status.success() => {
                    tried.push(format!("{program} failed ({status})"));
                }
                Some(_) => return Ok(program),
                None => {
                    // Still running (it opened something that stays): reaped in the
                    // background so no zombie is left behind.
                    std::thread::spawn(move || {
                        let _ = child.wait();
                    });
                    return Ok(program);
                }
            }
        }
        Err(match tried.as_slice() {
            [] => "no program here opens links".to_string(),
            _ => format!("nothing opened it ({})", tried.join("; ")),
        })
    }
}

/// How the opener ended, if it did within a moment (openers hand the link on and exit).
fn settle(child: &mut std::process::Child) -> Option<std::process::ExitStatus> {
    for _ in 0..30 {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    None
}

/// A launcher for tests: remembers the URLs, opens nothing.
#[derive(Debug, Clone, Default)]
pub struct FakeLauncher {
    opened: Rc<RefCell<Vec<String>>>,
}

impl FakeLauncher {
    pub fn new() -> FakeLauncher {
        FakeLauncher::default()
    }

    pub fn last(&self) -> Option<String> {
        self.opened.borrow().last().cloned()
    }
}

impl Launcher for FakeLauncher {
    fn open(&mut self, url: &str) -> Result<String, String> {
        self.opened.borrow_mut().push(url.to_string());
        Ok("test opener".to_string())
    }
}

/// `mailto:to?subject=…&body=…`, encoded as RFC 6068 asks (line breaks as CRLF).
pub fn mailto(to: &str, subject: Option<&str>, body: &str) -> String {
    let mut url = format!("mailto:{}", encode(to.trim(), true));
    let mut sep = '?';
    if let Some(s) = subject.filter(|s| !s.is_empty()) {
        url.push_str(&format!("{sep}subject={}", encode(s, false)));
        sep = '&';
    }
    if !body.is_empty() {
        let crlf = body.replace("\r\n", "\n").replace('\n', "\r\n");
        url.push_str(&format!("{sep}body={}", encode(&crlf, false)));
    }
    url
}

/// `tel:+14155550100`.
pub fn tel(phone: &str) -> Option<String> {
    let n = normalize_phone(phone);
    (!n.is_empty()).then(|| format!("tel:{n}"))
}

/// `sms:+14155550100?body=…`.
pub fn sms(phone: &str, body: &str) -> Option<String> {
    let n = normalize_phone(phone);
    (!n.is_empty()).then(|| format!("sms:{n}?body={}", encode(body, false)))
}

/// Percent-encodes everything but unreserved characters (and `@` in an address).
fn encode(s: &str, address: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (address && b == b'@');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailto_encodes_subject_and_body() {
        assert_eq!(
            mailto(
                "dana@northwind.example",
                Some("Hi & hello"),
                "Line 1\nLine 2?"
            ),
            "mailto:dana@northwind.example?subject=Hi%20%26%20hello&body=Line%201%0D%0ALine%202%3F"
        );
        assert_eq!(mailto("a@b.c", None, ""), "mailto:a@b.c");
    }

    #[test]
    fn tel_and_sms_use_the_normalised_number() {
        assert_eq!(
            tel("+1 (415) 555-0100").as_deref(),
            Some("tel:+14155550100")
        );
        assert_eq!(tel("n/a"), None);
        assert_eq!(
            sms("415 555 0100", "Hi").as_deref(),
            Some("sms:4155550100?body=Hi")
        );
    }
}
