//! Spreadsheet formula injection: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return can run as a formula when the CSV is opened in a spreadsheet. Export puts
//! a `'` in front of such a cell; import takes exactly that `'` off again, so a round trip
//! gives back the very same text (a phone number like `+1 415 555 0100` included).

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `s`, after any apostrophes it already starts with, begins like a formula. Counting
/// those apostrophes makes the escape reversible: `'=x` is written as `''=x`.
fn needs_guard(s: &str) -> bool {
    s.trim_start_matches('\'').starts_with(TRIGGERS)
}

/// The cell as it is written to a CSV file.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_guard(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// The cell as it was before [`neutralise`]; other text is left alone. CRMs use the same
/// guard (Apollo writes phone numbers as `'+1 415…`), so this undoes theirs as well.
pub fn restore(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_formulas_and_gives_them_back() {
        for s in [
            "=HYPERLINK(\"x\")",
            "+1 415 555 0100",
            "-5",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=x",
            "''+x",
            "'",
            "plain",
            "it's",
            "",
        ] {
            let out = neutralise(s);
            assert!(!out.starts_with(TRIGGERS), "{s:?} → {out:?}");
            assert_eq!(restore(&out), s, "round trip of {s:?}");
        }
        assert_eq!(neutralise("+1 415"), "'+1 415");
        assert_eq!(neutralise("Dana"), "Dana");
    }
}
