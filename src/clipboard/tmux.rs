//! tmux's paste buffer. `load-buffer -w` also forwards the text to the outer terminal's
//! clipboard when tmux's `set-clipboard` allows it, which is what OSC 52 written by the app
//! reaches only with `set-clipboard on`.

use std::io::Write;
use std::process::{Command, Stdio};

/// Loads `text` into tmux's buffer and says where it went.
pub fn load_buffer(text: &str) -> Result<String, String> {
    // tmux before 3.2 has no -w; the buffer alone is still pasteable with prefix ].
    let forwarded = run(&["load-buffer", "-w", "-"], text).is_ok();
    if !forwarded {
        run(&["load-buffer", "-"], text)?;
    }
    let outer = forwarded
        && run(&["show-options", "-sv", "set-clipboard"], "")
            .is_ok_and(|value| value.trim() != "off");
    Ok(if outer {
        "tmux buffer and terminal clipboard".to_string()
    } else {
        "tmux buffer (prefix ] pastes)".to_string()
    })
}

/// Runs a tmux command with `input` on its stdin; its stdout, or its complaint.
fn run(args: &[&str], input: &str) -> Result<String, String> {
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run tmux: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .map_err(|e| format!("could not talk to tmux: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("tmux did not answer: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}
