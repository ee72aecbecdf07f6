//! A drawn frame as an SVG picture: every cell's character in its colours, for the README's
//! screenshots (`touchbase screen --svg`). Runs of cells that share a style become one text
//! element stretched to their exact width, so columns line up whatever the viewer's font.

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// One cell's size in the picture, in pixels.
const CELL_W: u32 = 9;
const CELL_H: u32 = 19;
const FONT_PX: u32 = 15;
const BACKGROUND: &str = "#1d2026";
const FOREGROUND: &str = "#d8dee9";

/// A colour as the picture shows it: the terminal's named colours in one dark theme.
fn hex(color: Color) -> Option<String> {
    let named = match color {
        Color::Reset => return None,
        Color::Black => "#2e3440",
        Color::Red => "#e06c75",
        Color::Green => "#98c379",
        Color::Yellow => "#e5c07b",
        Color::Blue => "#61afef",
        Color::Magenta => "#c678dd",
        Color::Cyan => "#56b6c2",
        Color::Gray => "#abb2bf",
        Color::DarkGray => "#6b7280",
        Color::LightRed => "#f28b94",
        Color::LightGreen => "#b5e08f",
        Color::LightYellow => "#f0d58c",
        Color::LightBlue => "#8cc8ff",
        Color::LightMagenta => "#dda0ee",
        Color::LightCyan => "#7fd4de",
        Color::White => "#eceff4",
        Color::Rgb(r, g, b) => return Some(format!("#{r:02x}{g:02x}{b:02x}")),
        Color::Indexed(i) => return Some(indexed(i)),
    };
    Some(named.to_string())
}

/// The xterm 256-colour palette above the 16 named ones: a 6×6×6 cube, then greys.
fn indexed(i: u8) -> String {
    match i {
        0..=15 => "#abb2bf".to_string(),
        16..=231 => {
            let n = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            let (r, g, b) = (level(n / 36), level((n / 6) % 6), level(n % 6));
            format!("#{r:02x}{g:02x}{b:02x}")
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            format!("#{v:02x}{v:02x}{v:02x}")
        }
    }
}

/// A cell's drawn style: foreground, background (`None`: the page's), bold.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Look {
    fg: String,
    bg: Option<String>,
    bold: bool,
    dim: bool,
}

fn look(cell: &Cell) -> Look {
    let mut fg = hex(cell.fg);
    let mut bg = hex(cell.bg);
    if cell.modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
        fg = fg.or_else(|| Some(BACKGROUND.to_string()));
        bg = bg.or_else(|| Some(FOREGROUND.to_string()));
    }
    Look {
        fg: fg.unwrap_or_else(|| FOREGROUND.to_string()),
        bg,
        bold: cell.modifier.contains(Modifier::BOLD),
        dim: cell.modifier.contains(Modifier::DIM),
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The buffer as a standalone SVG document.
pub fn buffer_svg(buf: &Buffer) -> String {
    let (w, h) = (u32::from(buf.area.width), u32::from(buf.area.height));
    let (width, height) = (w * CELL_W, h * CELL_H);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"'DejaVu Sans Mono', Menlo, Consolas, \
         'Liberation Mono', monospace\" font-size=\"{FONT_PX}\">"
    );
    let _ = writeln!(
        out,
        "<rect width=\"{width}\" height=\"{height}\" fill=\"{BACKGROUND}\"/>"
    );
    let row_width = usize::from(buf.area.width).max(1);
    for (y, row) in (0u32..).zip(buf.content.chunks(row_width)) {
        // Each row: its runs of one look, as (first column, width in cells, text, look).
        let mut runs: Vec<(u32, u32, String, Look)> = Vec::new();
        let mut skip = 0usize;
        for (x, cell) in (0u32..).zip(row) {
            if skip > 0 {
                // The second half of a wide character: already drawn.
                skip -= 1;
                if let Some(run) = runs.last_mut() {
                    run.1 += 1;
                }
                continue;
            }
            let symbol = cell.symbol();
            skip = symbol.width().saturating_sub(1);
            let l = look(cell);
            match runs.last_mut() {
                Some(run) if run.3 == l => {
                    run.1 += 1;
                    run.2.push_str(symbol);
                }
                _ => runs.push((x, 1, symbol.to_string(), l)),
            }
        }
        let top = y * CELL_H;
        for (x, cells, _, l) in &runs {
            if let Some(bg) = &l.bg {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{top}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{bg}\"/>",
                    x * CELL_W,
                    cells * CELL_W
                );
            }
        }
        let baseline = top + CELL_H - 5;
        for (x, cells, text, l) in &runs {
            let trimmed = text.trim_end();
            if trimmed.is_empty() {
                continue;
            }
            let lead = text.len() - text.trim_start().len();
            let shown = trimmed.trim_start();
            let start = x + lead as u32;
            let span = (cells - lead as u32).min(shown.width() as u32).max(1);
            let weight = if l.bold { " font-weight=\"bold\"" } else { "" };
            let opacity = if l.dim { " fill-opacity=\"0.6\"" } else { "" };
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{baseline}\" fill=\"{}\"{weight}{opacity} textLength=\"{}\" \
                 lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\">{}</text>",
                start * CELL_W,
                l.fg,
                span * CELL_W,
                escape(shown)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}
