//! The real binary in a real terminal (tmux), and a real X clipboard (Xvfb, read back with
//! xclip). Where a tool is missing the test fails in CI (`CI` set) and is skipped elsewhere.

use crate::util::Sandbox;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-23T09:00";

fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether `tool` is there; without it CI fails and a developer's run skips with a note.
fn need(tool: &str) -> bool {
    if have(tool) {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{tool} is not installed (CI installs it in .ci/run)");
    }
    eprintln!("note: {tool} is not installed; skipping this terminal test");
    false
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A sandbox with two prospects due: an email (Lee Park) and a call (Dana Reyes).
fn seeded() -> Sandbox {
    let sb = Sandbox::new();
    sb.write_me();
    let add = |args: &[&str], now: &str| {
        sb.cmd(now).arg("add").args(args).assert().success();
    };
    add(
        &[
            "--first",
            "Lee",
            "--last",
            "Park",
            "--email",
            "lee@quanta.example",
            "--company",
            "Quanta",
            "--title",
            "Head of Finance",
            "--sequence",
            "classic-4",
        ],
        NOW,
    );
    add(
        &[
            "--first",
            "Dana",
            "--last",
            "Reyes",
            "--email",
            "dana@northwind.example",
            "--company",
            "Northwind",
            "--phone",
            "+1 415 555 0100",
            "--timezone",
            "America/Los_Angeles",
            "--sequence",
            "cold-7",
            "--start",
            "2026-11-16",
        ],
        "2026-11-16T09:00",
    );
    // Her opener went out that day; her call (step 3: she has no LinkedIn) fell due Friday.
    sb.cmd("2026-11-16T09:30")
        .args(["log", "dana@northwind.example", "sent"])
        .assert()
        .success();
    sb
}

/// The body `due --json` gives for a prospect: what copying must put on the clipboard.
fn body_of(sb: &Sandbox, email: &str) -> String {
    due_field(sb, email, "body")
}

fn due_field(sb: &Sandbox, email: &str, field: &str) -> String {
    let out = sb.cmd(NOW).args(["due", "--json"]).output().expect("due");
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    items
        .as_array()
        .expect("array")
        .iter()
        .find(|i| i["email"] == email)
        .and_then(|i| i[field].as_str())
        .expect("field")
        .to_string()
}

/// A private tmux server running the app in one window.
struct Tmux {
    socket: String,
}

static SERVERS: AtomicUsize = AtomicUsize::new(0);

impl Tmux {
    fn start(sb: &Sandbox, size: (u16, u16), display: Option<&str>) -> Tmux {
        let n = SERVERS.fetch_add(1, Ordering::SeqCst);
        let socket = format!("touchbase-test-{}-{n}", std::process::id());
        let bin = assert_cmd::cargo::cargo_bin("touchbase");
        let display = match display {
            Some(d) => format!("DISPLAY={d}"),
            None => "-u DISPLAY".to_string(),
        };
        let command = format!(
            "env -u WAYLAND_DISPLAY -u SSH_TTY -u SSH_CONNECTION -u VISUAL {display} HOME={} \
             EDITOR={} TOUCHBASE_DB={} TOUCHBASE_CONFIG_DIR={} TOUCHBASE_NOW={NOW} {}",
            quote(&sb.dir.path().display().to_string()),
            quote(&sb.dir.path().join("editor.sh").display().to_string()),
            quote(&sb.db().display().to_string()),
            quote(&sb.config_dir().display().to_string()),
            quote(&bin.display().to_string()),
        );
        let t = Tmux { socket };
        t.run(&[
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            &size.0.to_string(),
            "-y",
            &size.1.to_string(),
            &command,
        ]);
        t
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux")
    }

    fn send(&self, key: &str) {
        self.run(&["send-keys", "-t", "app", key]);
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "app"]).stdout).into_owned()
    }

    /// Waits until the screen shows `needle`; fails with the screen when it never does.
    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("never saw {needle:?}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn alive(&self) -> bool {
        self.run(&["has-session", "-t", "app"]).status.success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

#[test]
fn the_app_in_tmux_works_a_touch_copies_to_the_tmux_buffer_and_undoes() {
    if !need("tmux") {
        return;
    }
    let sb = seeded();
    let body = body_of(&sb, "lee@quanta.example");
    // The rep's editor, scripted: it gives Lee a new title.
    let editor = sb.dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i -e 's/^title = .*/title = \"CFO\"/' \"$1\"\n",
    )
    .expect("editor");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).expect("mode");
    }
    let t = Tmux::start(&sb, (120, 40), None);
    // With set-clipboard off, OSC 52 from the app would go nowhere: copy goes to the buffer.
    t.run(&["set-option", "-s", "set-clipboard", "off"]);
    let screen = t.wait_for("Queue · 2");
    assert!(
        screen.contains("Mon 23 Nov · 2 due · 1 overdue"),
        "{screen}"
    );
    // Dana's call is overdue: first. Lee's email is next.
    t.send("j");
    t.wait_for("Subject: Quanta");
    t.send("y");
    t.wait_for("Copied Lee Park's email body — tmux buffer (prefix ] pastes)");
    let buffer = t.run(&["show-buffer"]);
    assert_eq!(String::from_utf8_lossy(&buffer.stdout), body);
    // With it on (or external), tmux forwards the buffer to the outer terminal too.
    t.run(&["set-option", "-s", "set-clipboard", "external"]);
    t.run(&["delete-buffer"]);
    t.send("Y");
    t.wait_for("Copied Lee Park's subject — tmux buffer and terminal clipboard");
    let buffer = t.run(&["show-buffer"]);
    let subject = due_field(&sb, "lee@quanta.example", "subject");
    assert_eq!(String::from_utf8_lossy(&buffer.stdout), subject);
    t.send("Space");
    let screen = t.wait_for("Sent 1/4 opener to Lee Park — next: email bump, Wed 25 Nov");
    assert!(screen.contains("Queue · 1"), "{screen}");
    t.send("u");
    let screen = t.wait_for("Undone:");
    assert!(screen.contains("Queue · 2"), "{screen}");
    // E hands the terminal to $EDITOR with Lee's fields, and takes the change back.
    t.send("E");
    t.wait_for("Changed title for Lee Park");
    let shown = sb
        .cmd(NOW)
        .args(["show", "lee@quanta.example"])
        .output()
        .expect("show");
    assert!(
        String::from_utf8_lossy(&shown.stdout).contains("CFO"),
        "{shown:?}"
    );
    // Dana's call: connected, a meeting, and a note.
    t.send("k");
    t.send("Space");
    t.wait_for("How did the call with Dana Reyes go?");
    t.send("c");
    t.wait_for("how did it go?");
    t.send("m");
    t.wait_for("Meeting booked with Dana Reyes: when is it?");
    t.run(&["send-keys", "-t", "app", "-l", "thu 10:00"]);
    t.send("Enter");
    t.wait_for("A note on the call");
    t.run(&["send-keys", "-t", "app", "-l", "demo Thu with ops"]);
    t.send("Enter");
    t.wait_for("meeting booked");
    let shown = sb
        .cmd(NOW)
        .args(["show", "dana@northwind.example"])
        .output()
        .expect("show");
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("demo Thu with ops"), "{shown}");
    t.send("u");
    t.wait_for("Undone:");
    t.send("?");
    t.wait_for("Keys — any key closes");
    t.send("Escape");
    t.wait_for("Queue · 2");
    // Resizing redraws; too small says so.
    t.run(&["resize-window", "-t", "app", "-x", "50", "-y", "12"]);
    t.wait_for("Terminal too small");
    t.run(&["resize-window", "-t", "app", "-x", "80", "-y", "24"]);
    t.wait_for("Queue · 2");
    t.send("q");
    let start = Instant::now();
    while t.alive() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!t.alive(), "q did not quit:\n{}", t.screen());
}

/// An X server of our own, found a free display by itself.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Xvfb {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "640x480x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb");
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            BufReader::new(out).read_line(&mut line).expect("display");
        }
        Xvfb {
            child,
            display: format!(":{}", line.trim()),
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn copy_reaches_a_real_x_clipboard_and_stays_after_quit() {
    if !(need("tmux") && need("Xvfb") && need("xclip")) {
        return;
    }
    let sb = seeded();
    let body = body_of(&sb, "lee@quanta.example");
    let x = Xvfb::start();
    let t = Tmux::start(&sb, (120, 40), Some(&x.display));
    t.wait_for("Queue · 2");
    t.send("j");
    t.wait_for("Subject: Quanta");
    t.send("y");
    t.wait_for("Copied Lee Park's email body — system clipboard and tmux buffer");
    t.send("q");
    let start = Instant::now();
    while t.alive() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!t.alive(), "q did not quit");
    // The app is gone; its background owner still answers for the text.
    assert_eq!(xclip_out(&x.display), body);
    assert_eq!(servers_on(&x.display).len(), 1, "one background owner");
    // Another program copies: the owner hands over and ends, as xclip does.
    let mut other = Command::new("xclip")
        .args(["-i", "-selection", "clipboard"])
        .env("DISPLAY", &x.display)
        .stdin(Stdio::piped())
        .spawn()
        .expect("xclip -i");
    {
        use std::io::Write;
        let mut stdin = other.stdin.take().expect("stdin");
        stdin.write_all(b"something else").expect("write");
    }
    other.wait().expect("xclip -i");
    let start = Instant::now();
    while !servers_on(&x.display).is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(servers_on(&x.display).is_empty(), "the owner stayed");
    assert_eq!(xclip_out(&x.display), "something else");
}

fn xclip_out(display: &str) -> String {
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .env("DISPLAY", display)
        .output()
        .expect("xclip");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The pids of running clipboard owners started for `display`.
fn servers_on(display: &str) -> Vec<u32> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    let want_env = format!("DISPLAY={display}");
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        let serving = args.get(1).is_some_and(|a| *a == b"serve-clipboard");
        let ours = environ.split(|b| *b == 0).any(|v| v == want_env.as_bytes());
        let zombie =
            std::fs::read_to_string(entry.path().join("stat")).is_ok_and(|s| s.contains(") Z"));
        if serving && ours && !zombie {
            found.push(pid);
        }
    }
    found
}
