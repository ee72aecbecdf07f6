//! The plain CSV exports (`export prospects|touches`): the desk reads the rows, the export
//! module makes the cells.

use super::Desk;
use super::store::message::Unpacker;
use super::store::queries;
use super::store::rows::{PROSPECT_COLS, prospect_from};
use crate::export::{
    ExportArgs, TOUCH_COLUMNS, TouchLine, What, prospect_cells, prospect_header, touch_cells,
    write_private, write_row,
};
use anyhow::{Result, bail};
use rusqlite::Connection;
use std::io::Write;
use std::process::ExitCode;

impl Desk {
    /// Runs `touchbase export prospects|touches`: to standard output, or to `--out` whole.
    pub(super) fn export_plain(&self, a: &ExportArgs) -> Result<ExitCode> {
        let what = match a.what {
            What::Prospects => "prospects",
            What::Touches => "touches",
            What::Activities | What::Ics => bail!("export {:?} is not a plain CSV", a.what),
        };
        match &a.out {
            None => {
                let stdout = std::io::stdout();
                self.write_csv(a.what, stdout.lock())?;
            }
            Some(path) => {
                crate::export::check_free(&[path], a.force)?;
                let rows = write_private(path, |out| self.write_csv(a.what, out))?;
                println!("Wrote {rows} {what} to {}", path.display());
            }
        }
        Ok(ExitCode::SUCCESS)
    }

    /// Writes the prospects or touches CSV to `out`; returns the number of data rows.
    pub fn write_csv(&self, what: What, out: impl Write) -> Result<usize> {
        let mut w = csv::WriterBuilder::new().from_writer(out);
        let conn = self.store.conn();
        let rows = match what {
            What::Prospects => prospects(conn, &mut w)?,
            What::Touches => touches(conn, &mut w)?,
            What::Activities | What::Ics => bail!("not a plain CSV export"),
        };
        w.flush()?;
        Ok(rows)
    }
}

fn prospects<W: Write>(conn: &Connection, w: &mut csv::Writer<W>) -> Result<usize> {
    let (header, custom) =
        prospect_header(queries::custom_field_names(conn)?.into_iter().collect());
    write_row(w, &header)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM prospects ORDER BY id",
        *PROSPECT_COLS
    ))?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        write_row(w, &prospect_cells(&prospect_from(r, 0)?, &custom))?;
        n += 1;
    }
    Ok(n)
}

fn touches<W: Write>(conn: &Connection, w: &mut csv::Writer<W>) -> Result<usize> {
    w.write_record(TOUCH_COLUMNS)?;
    let mut stmt = conn.prepare(
        "SELECT t.prospect_id, trim(p.first_name || ' ' || p.last_name), p.email, e.sequence, \
         t.step, t.channel, t.outcome, t.at, t.reason, t.note, t.message, \
         (SELECT name FROM variants v WHERE v.id = t.variant) \
         FROM touches t JOIN prospects p ON p.id = t.prospect_id \
         LEFT JOIN enrollments e ON e.id = t.enrollment_id ORDER BY t.at, t.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut unpacker = Unpacker::new(conn);
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let packed: Option<Vec<u8>> = r.get(10)?;
        let message = unpacker.unpack(packed.as_deref())?;
        let text = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        let line = TouchLine {
            prospect_id: r.get(0)?,
            name: text(1)?,
            email: text(2)?,
            sequence: text(3)?,
            step: r.get(4)?,
            channel: text(5)?,
            outcome: text(6)?,
            at: r.get(7)?,
            reason: text(8)?,
            note: text(9)?,
            subject: message.subject.unwrap_or_default(),
            body: message.body.unwrap_or_default(),
            template: text(11)?,
        };
        write_row(w, &touch_cells(line))?;
        n += 1;
    }
    Ok(n)
}
