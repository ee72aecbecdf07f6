//! Opening a CSV file for import: its encoding, its delimiter, and where its header is (a
//! LinkedIn Connections.csv has note lines above it). Rows are then read one at a time.

use super::columns::{Column, Field, is_own_header, recognise, recognise_own};
use super::decode::{self, Counted, Utf8Reader};
use super::row::{self, Row};
use crate::content::Located;
use crate::export::cell::restore;
use anyhow::{Context, Result};
use csv::StringRecord;
use std::cell::Cell;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

/// How far down the header may be (past note lines).
const HEADER_SEARCH: usize = 50;
/// Delimiters tried, in order of preference when they tie.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// What the header says about the columns.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The header cells as written (a spreadsheet guard taken off).
    pub headers: Vec<String>,
    pub columns: Vec<Option<Column>>,
    /// touchbase's own export: only its exact column names are fields.
    pub own: bool,
}

impl Layout {
    fn from_record(record: &StringRecord) -> Layout {
        let headers: Vec<String> = record
            .iter()
            .map(|h| restore(h.trim_start_matches('\u{feff}').trim()).to_string())
            .collect();
        let own = is_own_header(headers.iter().map(String::as_str));
        let columns = headers
            .iter()
            .map(|h| if own { recognise_own(h) } else { recognise(h) })
            .collect();
        Layout {
            headers,
            columns,
            own,
        }
    }

    pub fn has(&self, field: Field) -> bool {
        self.columns.iter().flatten().any(|c| c.field == field)
    }

    fn has_name(&self) -> bool {
        self.has(Field::FirstName) || self.has(Field::FullName)
    }

    /// How sure we are this is the header: the number of columns recognised.
    fn score(&self) -> usize {
        self.columns.iter().flatten().count()
    }
}

/// An open CSV file, positioned just after its header.
pub struct Source {
    /// The file as named in messages.
    pub shown: String,
    pub layout: Layout,
    /// The file's size and how much of it has been read, for the progress bar.
    pub size: u64,
    pub read: Rc<Cell<u64>>,
    reader: csv::Reader<Box<dyn Read>>,
    record: StringRecord,
    /// How many `"` the text held so far: odd at the end means a quote was never closed.
    quotes: Rc<Cell<u64>>,
    /// Where the last row began, and the column of its first cell that spans lines.
    last: (usize, usize),
}

/// One data row: its cells and the line of the file it starts on.
pub struct RowRef<'a> {
    pub cells: &'a StringRecord,
    pub line: usize,
}

impl Source {
    pub fn open(path: &Path) -> Result<Source> {
        let shown = path.display().to_string();
        let size = std::fs::metadata(path)
            .with_context(|| format!("reading {shown}"))?
            .len();
        let encoding = decode::detect(path).with_context(|| format!("reading {shown}"))?;
        let mut best: Option<(usize, u8, usize, Layout)> = None;
        for delimiter in DELIMITERS {
            let (mut reader, _, _) = open_reader(path, encoding, delimiter, &shown)?;
            if let Some((skip, layout)) = find_header(&mut reader) {
                let better = best.as_ref().is_none_or(|(s, ..)| layout.score() > *s);
                if better {
                    best = Some((layout.score(), delimiter, skip, layout));
                }
            }
        }
        let Some((_, delimiter, skip, layout)) = best else {
            return Err(Located::new(
                &shown,
                1,
                1,
                "found no header with a first name (or name) column in the first lines",
            )
            .into());
        };
        let (mut reader, read, quotes) = open_reader(path, encoding, delimiter, &shown)?;
        let mut record = StringRecord::new();
        for _ in 0..=skip {
            reader
                .read_record(&mut record)
                .with_context(|| format!("reading {shown}"))?;
        }
        Ok(Source {
            shown,
            layout,
            size,
            read,
            reader,
            record,
            quotes,
            last: (0, 1),
        })
    }

    /// The next row with something in it, read, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            let more = self
                .reader
                .read_record(&mut self.record)
                .with_context(|| format!("reading {}", self.shown))?;
            if !more {
                // The CSV reader takes a quote left open as running to the end of the file,
                // swallowing every row after it: say where it opened instead.
                if self.quotes.get() % 2 == 1 {
                    let (line, col) = self.last;
                    let message = "a quote opened in this cell is never closed (the rows after it would be lost)";
                    return Err(Located::new(&self.shown, line, col, message).into());
                }
                return Ok(None);
            }
            if self.record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let line = self.record.position().map_or(0, |p| p.line() as usize);
            let width = self.layout.headers.len();
            let len = self.record.len();
            // Extra cells are fine when empty (a trailing delimiter); missing ones mean the
            // row is broken, most often by a quote that was never closed.
            let extra_empty = len > width && self.record.iter().skip(width).all(str::is_empty);
            if len != width && !extra_empty {
                let message = if len < width {
                    format!(
                        "this row has {len} cells, the header has {width} (is a quote left open?)"
                    )
                } else {
                    format!("this row has {len} cells, the header has {width}")
                };
                return Err(Located::new(&self.shown, line, len.min(width).max(1), message).into());
            }
            let spans = self.record.iter().position(|c| c.contains('\n'));
            self.last = (line, spans.unwrap_or(len.saturating_sub(1)) + 1);
            // A NUL never belongs in a name or an address: the file is not text, or damaged.
            if let Some(col) = self.record.iter().position(|c| c.contains('\0')) {
                let message = "a NUL byte in this cell: is this a text CSV file?";
                return Err(Located::new(&self.shown, line, col + 1, message).into());
            }
            let row = RowRef {
                cells: &self.record,
                line,
            };
            return row::read(&self.layout, &row, &self.shown).map(Some);
        }
    }
}

/// A CSV reader over the file's text, the count of bytes read from the file so far, and
/// the count of quote characters in the text so far.
type Opened = (csv::Reader<Box<dyn Read>>, Rc<Cell<u64>>, Rc<Cell<u64>>);

/// Counts the `"` bytes that pass (in UTF-8, that byte is only ever a quote).
struct QuoteCount<R> {
    inner: R,
    quotes: Rc<Cell<u64>>,
}

impl<R: Read> Read for QuoteCount<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let seen = buf.get(..n).unwrap_or_default();
        let q = seen.iter().filter(|b| **b == b'"').count() as u64;
        self.quotes.set(self.quotes.get() + q);
        Ok(n)
    }
}

fn open_reader(
    path: &Path,
    encoding: &'static encoding_rs::Encoding,
    delimiter: u8,
    shown: &str,
) -> Result<Opened> {
    let file = File::open(path).with_context(|| format!("reading {shown}"))?;
    let (counted, read) = Counted::new(file);
    let quotes = Rc::new(Cell::new(0));
    let text: Box<dyn Read> = Box::new(QuoteCount {
        inner: Utf8Reader::new(counted, encoding),
        quotes: quotes.clone(),
    });
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text);
    Ok((reader, read, quotes))
}

/// The first record that names a first name or full name column, and how many records come
/// before it.
fn find_header(reader: &mut csv::Reader<Box<dyn Read>>) -> Option<(usize, Layout)> {
    let mut record = StringRecord::new();
    for index in 0..HEADER_SEARCH {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            _ => return None,
        }
        let layout = Layout::from_record(&record);
        if layout.has_name() {
            return Some((index, layout));
        }
    }
    None
}
