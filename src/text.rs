//! Text helpers for anything drawn or printed: stripping control characters and fitting
//! text into columns by display width.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Removes control characters (escape sequences included), so a prospect's fields cannot
/// drive the terminal, and drops the invisible characters that reorder or hide text (bidi
/// overrides and isolates, zero-width characters), so what is drawn is what is stored.
/// Newlines and tabs become spaces.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' | '\r' => out.push(' '),
            '\u{1b}' => match chars.peek() {
                // Drop the whole CSI sequence, not only the ESC byte.
                Some('[') => {
                    chars.next();
                    for n in chars.by_ref() {
                        if ('@'..='~').contains(&n) {
                            break;
                        }
                    }
                }
                // An OSC (title, clipboard, hyperlink) runs to BEL or ESC \.
                Some(']') => {
                    chars.next();
                    while let Some(n) = chars.next() {
                        if n == '\u{7}' || (n == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                _ => {}
            },
            c if c.is_control() || invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters that change how the text around them is shown without showing themselves.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'   // zero-width space, joiners, direction marks
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner and invisible operators
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{061C}' | '\u{180E}' | '\u{FEFF}')
}

/// Writes `value` as pretty JSON and a newline, with no control, bidi or zero-width
/// character raw in its strings: serde escapes C0, this escapes C1 and the invisible ones
/// too (`\u202e`). Only strings can hold them, so the JSON means the same.
pub fn write_json<T: serde::Serialize>(
    out: &mut impl std::io::Write,
    value: &T,
) -> anyhow::Result<()> {
    let raw = serde_json::to_string_pretty(value)?;
    let mut inert = String::with_capacity(raw.len());
    for c in raw.chars() {
        let hidden = ('\u{80}'..='\u{9f}').contains(&c)
            || invisible(c)
            || matches!(c, '\u{2028}' | '\u{2029}');
        if hidden {
            inert.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            inert.push(c);
        }
    }
    writeln!(out, "{inert}")?;
    Ok(())
}

/// A CSV cell made inert: like [`sanitize_multiline`], but a tab stays (it is data, and
/// harmless), and a CR before a line break goes.
pub fn sanitize_cell(s: &str) -> String {
    s.replace("\r\n", "\n")
        .split('\n')
        .map(|line| {
            line.split('\t')
                .map(sanitize)
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Like [`sanitize`] but keeps line breaks, for multi-line message bodies.
pub fn sanitize_multiline(s: &str) -> String {
    s.split('\n').map(sanitize).collect::<Vec<_>>().join("\n")
}

/// Pads or cuts `s` to exactly `width` display columns (cutting with an ellipsis).
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        let pad = width - s.width();
        return format!("{s}{}", " ".repeat(pad));
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    used += 1;
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// "1 prospect", "5 prospects".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// 20000 → "20,000".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(20_000), "20,000");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
    }

    #[test]
    fn strips_escape_sequences() {
        assert_eq!(sanitize("Dana\u{1b}[2J\u{1b}[31mReyes\u{7}"), "DanaReyes");
        assert_eq!(sanitize("a\nb"), "a b");
        assert_eq!(sanitize("x\u{1b}]52;c;aGk=\u{7}y"), "xy");
        assert_eq!(sanitize("x\u{1b}]0;title\u{1b}\\y"), "xy");
        assert_eq!(sanitize("\u{85}C1\u{9b}"), "C1");
    }

    #[test]
    fn neutralises_bidi_and_zero_width() {
        // "evil\u{202E}gnp.exe" would show as "evilexe.png".
        assert_eq!(sanitize("evil\u{202E}gnp.exe"), "evilgnp.exe");
        assert_eq!(
            sanitize("\u{2066}Dana\u{2069} Re\u{200B}yes\u{FEFF}"),
            "Dana Reyes"
        );
    }

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
    }
}
