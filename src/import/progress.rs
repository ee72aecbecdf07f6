//! A progress bar for large imports, drawn on stderr only when stderr is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Files smaller than this import too fast for a bar to be worth drawing.
const LARGE: u64 = 512 * 1024;

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `total` bytes when `wanted`, the file is large and stderr is a terminal;
    /// otherwise nothing is drawn.
    pub fn new(total: u64, wanted: bool) -> Progress {
        if !wanted || total < LARGE || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let style =
            ProgressStyle::with_template("importing {wide_bar} {percent:>3}% · {msg} · {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Progress { bar: Some(bar) }
    }

    pub fn update(&self, bytes: u64, rows: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            bar.set_message(format!("{rows} rows"));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // An error ends the import early: the bar must not stay half-drawn above it.
        self.finish();
    }
}
