//! Opening a CSV file for import: its encoding, its delimiter, and where its header is (a
//! LinkedIn Connections.csv has note lines above it). Rows are then read one at a time.

use super::board::Board;
use super::columns::{Column, Field, is_own_header, recognise, recognise_own};
use super::decode::{self, Counted, Utf8Reader};
use super::record_ids::id_column;
use super::row::{self, Row};
use super::watch::{MAX_ROW_BYTES, Watch, Watched};
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
    /// For each column holding the exporting tool's own id for the person, that tool.
    pub ids: Vec<Option<&'static str>>,
    /// touchbase's own export: only its exact column names are fields.
    pub own: bool,
    /// Each column's name as a custom field, worked out once for every row.
    pub custom_keys: Vec<String>,
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
        let row = super::record_ids::HeaderRow::new(&headers);
        let ids = headers
            .iter()
            .map(|h| if own { None } else { id_column(h, &row) })
            .collect();
        let custom_keys = headers
            .iter()
            .map(|h| super::row::custom_key(h, own))
            .collect();
        Layout {
            headers,
            columns,
            ids,
            own,
            custom_keys,
        }
    }

    pub fn has(&self, field: Field) -> bool {
        self.columns.iter().flatten().any(|c| c.field == field)
    }

    fn has_name(&self) -> bool {
        self.has(Field::Own(crate::domain::Field::FirstName)) || self.has(Field::FullName)
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
    watch: Rc<Watch>,
    delimiter: char,
    /// Where the last row began, and the column of its first cell that spans lines.
    last: (usize, usize),
    /// The line the current record starts on, and whether blank lines came before it.
    line: usize,
    after_blank: bool,
    /// A row of empty cells (",,,") came since the last row: as good as a blank line.
    blank_since_row: bool,
    /// Lines above the header (a LinkedIn Connections.csv's notes), skipped.
    pub preamble_lines: usize,
    /// Report footer lines and totals rows skipped so far.
    pub footer_lines: usize,
    /// One-cell rows after a blank line: a report footer if nothing but more of them follows.
    pending_footer: Option<PendingFooter>,
    /// A board's group titles, repeated headers and subitems, skipped.
    pub board: Board,
}

/// One-cell rows seen after a blank line, and where the first of them is.
struct PendingFooter {
    lines: usize,
    first_line: usize,
    cells: usize,
}

/// One data row: its cells and the line of the file it starts on.
pub struct RowRef<'a> {
    pub cells: &'a StringRecord,
    pub line: usize,
}

impl Source {
    pub fn open(path: &Path) -> Result<Source> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).with_context(|| format!("reading {shown}"))?;
        if !meta.is_file() {
            anyhow::bail!(
                "{shown} is not a plain file (a folder, pipe or device); export the CSV to a file first"
            );
        }
        let size = meta.len();
        let encoding = decode::detect(path).with_context(|| format!("reading {shown}"))?;
        let mut best: Option<(usize, u8, usize, Layout)> = None;
        for delimiter in DELIMITERS {
            let (mut reader, _, watch) = open_reader(path, encoding, delimiter, &shown)?;
            let found = find_header(&mut reader, &watch);
            if watch.too_long.get() {
                let line = reader.position().line() as usize;
                return Err(Located::new(&shown, line.max(1), 1, too_long_message()).into());
            }
            if let Some((skip, layout)) = found {
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
        let (reader, read, watch) = open_reader(path, encoding, delimiter, &shown)?;
        let record = StringRecord::new();
        let board = Board::of(&layout);
        let mut source = Source {
            shown,
            layout,
            size,
            read,
            reader,
            record,
            watch,
            delimiter: char::from(delimiter),
            last: (0, 1),
            line: 0,
            after_blank: false,
            blank_since_row: false,
            preamble_lines: 0,
            footer_lines: 0,
            pending_footer: None,
            board,
        };
        for _ in 0..=skip {
            source.read_record()?;
        }
        source.preamble_lines = source.line.saturating_sub(1);
        Ok(source)
    }

    /// Reads the next record; false at the end of the file. Sets where it really starts
    /// (past the blank lines the parser skipped) and whether blank lines came before it.
    fn read_record(&mut self) -> Result<bool> {
        let start = self.reader.position().clone();
        let more = self.reader.read_record(&mut self.record);
        let end = self.reader.position().byte();
        let blanks = self.watch.blank_lines_between(start.byte(), end);
        self.after_blank = blanks > 0;
        self.line = start.line() as usize + blanks;
        if self.watch.too_long.get() {
            let line = self.reader.position().line() as usize;
            return Err(Located::new(&self.shown, line.max(1), 1, too_long_message()).into());
        }
        self.watch.mark();
        more.with_context(|| format!("reading {}", self.shown))
    }

    /// The next row with something in it, read, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            if !self.read_record()? {
                // The CSV reader takes a quote left open as running to the end of the file,
                // swallowing every row after it: say where it opened instead.
                if self.watch.quotes.get() % 2 == 1 {
                    let (line, col) = self.last;
                    let message = "a quote opened in this cell is never closed (the rows after it would be lost)";
                    return Err(Located::new(&self.shown, line, col, message).into());
                }
                if let Some(footer) = self.pending_footer.take() {
                    self.footer_lines += footer.lines;
                }
                return Ok(None);
            }
            let line = self.line;
            let after_blank = self.after_blank || self.blank_since_row;
            if self.record.iter().all(|c| c.trim().is_empty()) {
                self.blank_since_row = true;
                continue;
            }
            self.blank_since_row = false;
            let width = self.layout.headers.len();
            let len = self.record.len();
            if is_totals_row(&self.record) {
                self.footer_lines += 1;
                continue;
            }
            if self.board.layout_line(&self.record, &self.layout.headers) {
                // One-cell lines before it were a group's title, not a footer.
                if let Some(footer) = self.pending_footer.take() {
                    self.board.skipped += footer.lines;
                }
                continue;
            }
            // A report's footer: a blank line, then lines of one cell (the report's name, a
            // copyright, "Generated By"), known by that shape rather than by its words.
            if len == 1 && width > 1 && (after_blank || self.pending_footer.is_some()) {
                let footer = self.pending_footer.get_or_insert(PendingFooter {
                    lines: 0,
                    first_line: line,
                    cells: len,
                });
                footer.lines += 1;
                continue;
            }
            if let Some(footer) = self.pending_footer.take() {
                // Rows followed: those one-cell lines were broken rows, not a footer.
                let message = format!(
                    "this row has {} cells, the header has {width} (is a quote left open?)",
                    footer.cells
                );
                return Err(Located::new(&self.shown, footer.first_line, 1, message).into());
            }
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
            if let Some(col) = self.swallowing_cell(width) {
                let message = "a quote opened in this cell runs on over lines that look like rows: is a closing quote missing?";
                return Err(Located::new(&self.shown, line, col + 1, message).into());
            }
            // A NUL never belongs in a name or an address: the file is not text, or damaged.
            if let Some(col) = self.record.iter().position(|c| c.contains('\0')) {
                let message = "a NUL byte in this cell: is this a text CSV file?";
                return Err(Located::new(&self.shown, line, col + 1, message).into());
            }
            let row = RowRef {
                cells: &self.record,
                line,
            };
            return row::read(&self.layout, &row).map(Some);
        }
    }
}

impl Source {
    /// The cell, if any, whose text goes on over further lines holding as many delimiters as
    /// a row has: a quote left open swallowing the rows after it.
    fn swallowing_cell(&self, width: usize) -> Option<usize> {
        if width < 3 {
            return None;
        }
        let delimiters = width - 1;
        self.record.iter().position(|cell| {
            cell.split('\n')
                .skip(1)
                .any(|l| l.matches(self.delimiter).count() >= delimiters)
        })
    }
}

fn too_long_message() -> String {
    format!(
        "a row longer than {} MB from here on: is this a CSV export, or is a quote left open?",
        MAX_ROW_BYTES / (1024 * 1024)
    )
}

/// A report's totals line: "Grand Totals (12 records)", "Total", "Subtotal" in its first
/// cell and nothing else in the row.
fn is_totals_row(record: &StringRecord) -> bool {
    let mut cells = record.iter();
    let first = cells.next().unwrap_or_default().trim().to_lowercase();
    let rest_empty = cells.all(|c| c.trim().is_empty());
    let totals = ["grand total", "total", "totals", "subtotal", "sub-total"];
    rest_empty
        && totals.iter().any(|t| {
            first == *t
                || first
                    .strip_prefix(t)
                    .is_some_and(|r| r.starts_with([' ', 's', ':', '(']))
        })
}

/// A CSV reader over the file's text, the count of bytes read from the file so far, and
/// what the text held so far.
type Opened = (csv::Reader<Box<dyn Read>>, Rc<Cell<u64>>, Rc<Watch>);

fn open_reader(
    path: &Path,
    encoding: &'static encoding_rs::Encoding,
    delimiter: u8,
    shown: &str,
) -> Result<Opened> {
    let file = File::open(path).with_context(|| format!("reading {shown}"))?;
    let (counted, read) = Counted::new(file);
    let watch = Rc::new(Watch::default());
    let text: Box<dyn Read> = Box::new(Watched {
        inner: Utf8Reader::new(counted, encoding),
        watch: watch.clone(),
    });
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text);
    Ok((reader, read, watch))
}

/// The first record that names a first name or full name column, and how many records come
/// before it.
fn find_header(reader: &mut csv::Reader<Box<dyn Read>>, watch: &Watch) -> Option<(usize, Layout)> {
    let mut record = StringRecord::new();
    for index in 0..HEADER_SEARCH {
        match reader.read_record(&mut record) {
            Ok(true) => watch.mark(),
            _ => return None,
        }
        let layout = Layout::from_record(&record);
        if layout.has_name() {
            return Some((index, layout));
        }
    }
    None
}
