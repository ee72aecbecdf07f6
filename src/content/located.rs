//! Errors that point at a place in a file the rep edits: `file:line:column: message`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for Located {}

impl Located {
    pub fn new(file: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Located {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    /// An error at byte `offset` of `text`.
    pub fn at_offset(file: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_col(text, offset);
        Located::new(file, line, column, message)
    }

    /// A TOML parse error, placed where the parser says.
    pub fn from_toml(file: &str, text: &str, err: &toml::de::Error, line_offset: usize) -> Self {
        let (line, column) = err
            .span()
            .map(|s| line_col(text, s.start))
            .unwrap_or((1, 1));
        // The parser's message may run over several lines; an error is one line.
        let message = err
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
        Located::new(file, line + line_offset, column, message)
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text
        .get(..text.floor_char_boundary_compat(offset))
        .unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, i: usize) -> usize {
        let mut i = i.min(self.len());
        while !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}
