//! A board export (monday.com) is not one table: each group starts with its title and the
//! header again, an item with subitems is followed by a "Subitems" header and the subitems'
//! rows one column to the right, and each group ends with a summary row. Those lines are
//! the board's layout, not people: they are known by their shape and skipped.

use super::columns::Field;
use super::source::Layout;
use csv::StringRecord;

/// Where the reader is in a board, and how many layout lines it has skipped.
#[derive(Debug, Default)]
pub struct Board {
    /// The header has a "Subitems" column or monday's "Item ID (auto generated)".
    is_board: bool,
    /// The column holding the item's name.
    name: usize,
    /// Inside a subitem block: rows with an empty first cell are subitems.
    in_subitems: bool,
    pub skipped: usize,
}

impl Board {
    pub fn of(layout: &Layout) -> Board {
        let is_board = layout.headers.iter().any(|h| {
            h.eq_ignore_ascii_case("subitems") || h.to_lowercase().ends_with("(auto generated)")
        });
        let name = layout
            .columns
            .iter()
            .position(|c| c.is_some_and(|c| c.field == Field::FullName))
            .unwrap_or(0);
        Board {
            is_board,
            name,
            ..Board::default()
        }
    }

    /// Whether this row is part of the layout rather than a person (counted if so). The
    /// header written again (a board's next group, or files joined end to end) counts in
    /// any file; the rest only in a board.
    pub fn layout_line(&mut self, record: &StringRecord, headers: &[String]) -> bool {
        let skip = self.is_layout(record, headers);
        if skip {
            self.skipped += 1;
        }
        skip
    }

    fn is_layout(&mut self, record: &StringRecord, headers: &[String]) -> bool {
        if repeats_header(record, headers) {
            self.in_subitems = false;
            return true;
        }
        if !self.is_board {
            return false;
        }
        let first = record.get(0).unwrap_or_default().trim();
        if first.eq_ignore_ascii_case("subitems") {
            self.in_subitems = true;
            return true;
        }
        if self.in_subitems && first.is_empty() {
            return true;
        }
        self.in_subitems = false;
        let name = record.get(self.name).unwrap_or_default().trim();
        let filled = record.iter().filter(|c| !c.trim().is_empty()).count();
        // A group's summary row has no name; a group's title is a name and nothing else.
        name.is_empty() || filled == 1
    }
}

/// The row is the header again, cell for cell (trailing empty cells aside).
fn repeats_header(record: &StringRecord, headers: &[String]) -> bool {
    let cells: Vec<&str> = record.iter().map(str::trim).collect();
    let used = cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |i| i + 1);
    used == headers.len() && cells.iter().zip(headers).all(|(c, h)| c == h)
}
