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

    /// Writes a `config.toml` with a rep identity so templates render ready.
    pub fn write_me(&self) {
        std::fs::create_dir_all(self.config_dir()).expect("config dir");
        std::fs::write(
            self.config_dir().join("config.toml"),
            "[me]\nname = \"Sam Carter\"\ncompany = \"Relaypoint\"\nsignature = \"Sam Carter\\nRelaypoint\"\n",
        )
        .expect("config");
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
