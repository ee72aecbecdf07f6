//! Text helpers for anything drawn or printed: stripping control characters and fitting
//! text into columns by display width.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Removes control characters (escape sequences included), so a prospect's fields cannot
/// drive the terminal. Newlines and tabs become spaces.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' | '\r' => out.push(' '),
            '\u{1b}' => {
                // Drop the whole CSI sequence, not only the ESC byte.
                if chars.peek() == Some(&'[') {
                    chars.next();
                    while let Some(&n) = chars.peek() {
                        chars.next();
                        if ('@'..='~').contains(&n) {
                            break;
                        }
                    }
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences() {
        assert_eq!(sanitize("Dana\u{1b}[2J\u{1b}[31mReyes\u{7}"), "DanaReyes");
        assert_eq!(sanitize("a\nb"), "a b");
    }

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
    }
}
