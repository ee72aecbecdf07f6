//! A background owner for the desktop clipboard. On X11 and Wayland a copied text lives only
//! while the program that copied it answers for it; so each copy starts `touchbase
//! serve-clipboard`, which takes the selection, says "ok", and keeps serving until another
//! program owns the clipboard — the way xclip does.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The hidden subcommand that runs the background owner.
pub const SUBCOMMAND: &str = "serve-clipboard";

/// How long the app waits for the background owner to take the clipboard.
const ANSWER_WITHIN: Duration = Duration::from_secs(3);

/// How often the background owner checks that it still owns the text and the display lives.
const CHECK_EVERY: Duration = Duration::from_secs(20);

/// Why a hand-over did not happen.
pub enum HandOver {
    /// No background process could be started (e.g. the binary was replaced).
    NoProcess,
    /// It started but could not take the clipboard.
    Failed(String),
}

/// Starts a background owner for `text` and waits until it holds the clipboard.
pub fn hand_over(text: &str) -> Result<Child, HandOver> {
    let exe = std::env::current_exe().map_err(|_| HandOver::NoProcess)?;
    let mut command = Command::new(exe);
    command
        .arg(SUBCOMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own process group: a Ctrl-C or hang-up for the app does not end the copy.
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(|_| HandOver::NoProcess)?;
    let written = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(text.as_bytes()));
    if !matches!(written, Some(Ok(()))) {
        let _ = child.kill();
        let _ = child.wait();
        return Err(HandOver::Failed(
            "the clipboard helper did not start".into(),
        ));
    }
    let (tx, rx) = std::sync::mpsc::channel();
    if let Some(out) = child.stdout.take() {
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(out).read_line(&mut line);
            let _ = tx.send(line);
        });
    }
    match rx.recv_timeout(ANSWER_WITHIN) {
        Ok(line) if line.trim() == "ok" => Ok(child),
        answer => {
            let _ = child.kill();
            let _ = child.wait();
            let why = match answer {
                Ok(line) if !line.trim().is_empty() => line.trim().to_string(),
                _ => "the system clipboard did not answer".to_string(),
            };
            Err(HandOver::Failed(why))
        }
    }
}

/// The background owner: reads the text from stdin, takes the clipboard, answers "ok" (or the
/// reason it could not) on stdout, then serves the text until another program replaces it.
pub fn serve_stdin() -> anyhow::Result<()> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let taken = take(&text);
    let mut out = std::io::stdout().lock();
    let board = match taken {
        Ok(board) => {
            writeln!(out, "ok")?;
            board
        }
        Err(why) => {
            writeln!(out, "{why}")?;
            return Ok(());
        }
    };
    out.flush()?;
    drop(out);
    // A watcher ends the process when the text is no longer ours or the display is gone: the
    // wait below is only woken by a new owner, not by a display that went away.
    let ours = text.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(CHECK_EVERY);
            let still_ours = arboard::Clipboard::new()
                .and_then(|mut b| b.get_text())
                .is_ok_and(|t| t == ours);
            if !still_ours {
                std::process::exit(0);
            }
        }
    });
    wait_for_new_owner(board, text);
    Ok(())
}

/// Takes the clipboard and checks that it reads back.
fn take(text: &str) -> Result<arboard::Clipboard, String> {
    let mut board = arboard::Clipboard::new().map_err(|e| e.to_string())?;
    board
        .set_text(text.to_string())
        .map_err(|e| e.to_string())?;
    match board.get_text() {
        Ok(back) if back == text => Ok(board),
        Ok(_) => Err("another program took the clipboard at once".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
))]
fn wait_for_new_owner(mut board: arboard::Clipboard, text: String) {
    use arboard::SetExtLinux;
    let _ = board.set().wait().text(text);
}

/// Elsewhere the clipboard keeps the text by itself.
#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
)))]
fn wait_for_new_owner(_board: arboard::Clipboard, _text: String) {}
