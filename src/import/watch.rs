//! Watching the text on its way from the file to the CSV parser: how many quotes passed (odd
//! at the end means one was never closed), how much since the last record (so one row cannot
//! fill memory), and where the blank lines are (the parser skips them without a word, yet a
//! report footer starts with one and every line number after one must count it).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::Read;
use std::rc::Rc;

/// The longest row taken: no export writes a row this long, and holding a longer one would
/// let a damaged file (one 50 MB line, a cell whose quote never closes) fill memory.
pub const MAX_ROW_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, Copy)]
struct BlankRun {
    start: u64,
    next: u64,
    lines: usize,
}

#[derive(Default)]
pub struct Watch {
    pub quotes: Cell<u64>,
    since_mark: Cell<u64>,
    pub too_long: Cell<bool>,
    /// Runs of blank lines outside quotes not yet claimed by a record: where each run starts,
    /// where the line after it starts, and how many lines it holds. Runs, not lines, so a
    /// file of nothing but blank lines costs one entry.
    blanks: RefCell<VecDeque<BlankRun>>,
    offset: Cell<u64>,
    line_start: Cell<u64>,
    line_has_text: Cell<bool>,
}

impl Watch {
    /// A record ended: the next one starts counting.
    pub fn mark(&self) {
        self.since_mark.set(0);
    }

    /// How many blank lines lie in the text from `start` to `end` (a record's span as the
    /// parser reports it: the blank lines before it are inside), forgetting those before `end`.
    pub fn blank_lines_between(&self, start: u64, end: u64) -> usize {
        let mut blanks = self.blanks.borrow_mut();
        let mut n = 0;
        while blanks.front().is_some_and(|b| b.start < end) {
            if let Some(run) = blanks.pop_front().filter(|b| b.start >= start) {
                n += run.lines;
            }
        }
        n
    }

    fn see(&self, bytes: &[u8]) {
        let mut quotes = self.quotes.get();
        let mut offset = self.offset.get();
        let mut blanks = self.blanks.borrow_mut();
        for b in bytes {
            match *b {
                // In UTF-8 that byte is only ever a quote.
                b'"' => {
                    quotes += 1;
                    self.line_has_text.set(true);
                }
                b'\n' if quotes % 2 == 0 => {
                    if !self.line_has_text.get() {
                        let line = self.line_start.get();
                        match blanks.back_mut() {
                            Some(run) if run.next == line => {
                                run.lines += 1;
                                run.next = offset + 1;
                            }
                            _ => blanks.push_back(BlankRun {
                                start: line,
                                next: offset + 1,
                                lines: 1,
                            }),
                        }
                    }
                    self.line_start.set(offset + 1);
                    self.line_has_text.set(false);
                }
                b'\r' => {}
                _ => self.line_has_text.set(true),
            }
            offset += 1;
        }
        self.quotes.set(quotes);
        self.offset.set(offset);
    }
}

/// A reader that shows the [`Watch`] everything it passes on.
pub struct Watched<R> {
    pub inner: R,
    pub watch: Rc<Watch>,
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let w = &self.watch;
        if w.since_mark.get() > MAX_ROW_BYTES {
            w.too_long.set(true);
            return Err(std::io::Error::other("a row is too long"));
        }
        let n = self.inner.read(buf)?;
        w.see(buf.get(..n).unwrap_or_default());
        w.since_mark.set(w.since_mark.get() + n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blank_lines_outside_quotes_only() {
        let w = Watch::default();
        w.see(b"a,b\n\n\"x\n\ny\"\r\n\r\nz\n");
        // Line 2 (offset 4) and line 6 (offset 14) are blank; the blank inside the quote is not.
        assert_eq!(w.blank_lines_between(0, 100), 2);
    }
}
