//! Shared helpers: a temporary home for a database and config, and the binary on a fixed
//! clock.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::PathBuf;
use tempfile::TempDir;

/// A temporary database path and config dir, removed on drop.
pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("data").join("touchbase.db")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// `touchbase` with this sandbox's database and config, on a fixed clock.
    pub fn cmd(&self, now: &str) -> Command {
        let mut c = Command::cargo_bin("touchbase").expect("binary");
        c.env_clear()
            .env("HOME", self.dir.path())
            .env("TOUCHBASE_DB", self.db())
            .env("TOUCHBASE_CONFIG_DIR", self.config_dir())
            .env("TOUCHBASE_NOW", now);
        c
    }

    /// The same as a plain process, to run in the background, beside another, or to kill.
    pub fn process(&self, now: &str) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("touchbase"));
        c.env_clear()
            .env("HOME", self.dir.path())
            .env("TOUCHBASE_DB", self.db())
            .env("TOUCHBASE_CONFIG_DIR", self.config_dir())
            .env("TOUCHBASE_NOW", now);
        c
    }

    /// `touchbase ARGS` on this sandbox with its address space capped at 64 MB (memory it
    /// cannot have fails the run), on a fixed clock.
    pub fn run_in_64_mb(&self, now: &str, args: &[&str]) -> std::process::Output {
        std::process::Command::new("prlimit")
            .arg(format!("--as={}", 64 * 1024 * 1024))
            .arg(assert_cmd::cargo::cargo_bin("touchbase"))
            .env_clear()
            .env("HOME", self.dir.path())
            .env("TOUCHBASE_DB", self.db())
            .env("TOUCHBASE_CONFIG_DIR", self.config_dir())
            .env("TOUCHBASE_NOW", now)
            .args(args)
            .output()
            .expect("prlimit (util-linux) runs touchbase")
    }

    /// Writes a `config.toml` with a rep identity so templates render ready.
    pub fn write_me(&self) {
        std::fs::create_dir_all(self.config_dir()).expect("config dir");
        std::fs::write(
            self.config_dir().join("config.toml"),
            "[me]\nname = \"Sam Carter\"\ncompany = \"Relaypoint\"\nsignature = \"Sam Carter\\nRelaypoint\"\n",
        )
        .expect("config");
    }

    /// Rewrites config.toml through `edit` (a setting changed, a table added).
    pub fn edit_config(&self, edit: impl FnOnce(String) -> String) {
        let config = self.config_dir().join("config.toml");
        let text = std::fs::read_to_string(&config).expect("config");
        std::fs::write(&config, edit(text)).expect("config");
    }

    /// Like [`Sandbox::write_me`], with the rep's time zone set.
    pub fn write_me_in(&self, timezone: &str) {
        self.write_me();
        let config = self.config_dir().join("config.toml");
        let me = std::fs::read_to_string(&config).expect("config");
        std::fs::write(&config, format!("timezone = \"{timezone}\"\n{me}")).expect("config");
    }

    /// Adds Dana Reyes of Northwind, reachable on every channel, in `sequence` on `now`.
    pub fn add_dana(&self, now: &str, sequence: &str) {
        self.cmd(now)
            .args(["add", "--first", "Dana", "--last", "Reyes"])
            .args([
                "--email",
                "dana@northwind.example",
                "--phone",
                "+1 415 555 0100",
            ])
            .args(["--linkedin", "https://www.linkedin.com/in/dana-reyes"])
            .args(["--company", "Northwind", "--title", "VP Operations"])
            .args(["--sequence", sequence])
            .assert()
            .success();
    }
}

/// A file's permission bits.
pub fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// A small file system of its own (tmpfs, `size` like "3m"), mounted on a temporary folder
/// and unmounted on drop: a disk that fills up. Needs root, as CI and the developers' machines
/// have; without it the test fails rather than passing unseen.
pub struct SmallDisk {
    pub dir: TempDir,
}

impl SmallDisk {
    pub fn new(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().expect("temp dir");
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("run mount");
        assert!(status.success(), "mounting a tmpfs needs root: {status}");
        SmallDisk { dir }
    }

    /// Fills what is left of the disk with one file.
    pub fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.dir.path().join("filler")).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
    }

    /// Gives the space back.
    pub fn empty(&self) {
        std::fs::remove_file(self.dir.path().join("filler")).expect("remove filler");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

/// A tiny deterministic generator: the same kill moments on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Runs touchbase in the sandbox at `now` and kills it (SIGKILL) after `after`; true when it
/// had finished with exit 0 before.
pub fn run_killed<S: AsRef<std::ffi::OsStr>>(
    sb: &Sandbox,
    now: &str,
    args: &[S],
    after: std::time::Duration,
) -> bool {
    use std::process::Stdio;
    let mut child = sb
        .process(now)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.success();
        }
        if start.elapsed() >= after {
            let _ = child.kill();
            return child.wait().expect("wait").success();
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
}
