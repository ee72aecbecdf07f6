//! Editing a one-line text field the way a shell does: type, Backspace, Ctrl-U clears,
//! Ctrl-W deletes the last word, Ctrl-A / Ctrl-E and Home / End jump. Other control or Alt
//! chords never type their letter.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Applies `key` to `text`, editing at its end; true when the key was an edit (so the
/// caller does not treat it as a command).
pub fn edit(text: &mut String, key: &KeyEvent) -> bool {
    let mut cursor = text.len();
    edit_at(text, &mut cursor, key)
}

/// Applies `key` to `text` at `cursor` (a byte offset on a character boundary): typing and
/// Backspace there, Ctrl-A / Home and Ctrl-E / End jump to either end, ← and → move, Ctrl-U
/// deletes back to the start, Ctrl-W the word before the cursor.
pub fn edit_at(text: &mut String, cursor: &mut usize, key: &KeyEvent) -> bool {
    let chord = key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    *cursor = (*cursor).min(text.len());
    while !text.is_char_boundary(*cursor) {
        *cursor -= 1;
    }
    let (before, _) = text.split_at(*cursor);
    let previous = before.char_indices().next_back().map_or(0, |(i, _)| i);
    match key.code {
        KeyCode::Char('a') if chord => *cursor = 0,
        KeyCode::Home => *cursor = 0,
        KeyCode::Char('e') if chord => *cursor = text.len(),
        KeyCode::End => *cursor = text.len(),
        KeyCode::Left => *cursor = previous,
        KeyCode::Right => {
            let (_, after) = text.split_at(*cursor);
            *cursor += after.chars().next().map_or(0, char::len_utf8);
        }
        KeyCode::Char('u') if chord => {
            text.replace_range(..*cursor, "");
            *cursor = 0;
        }
        KeyCode::Char('w') if chord => {
            let start = before
                .trim_end()
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            text.replace_range(start..*cursor, "");
            *cursor = start;
        }
        KeyCode::Char(_) if chord => return false,
        KeyCode::Char(c) if !c.is_control() => {
            text.insert(*cursor, c);
            *cursor += c.len_utf8();
        }
        KeyCode::Backspace if *cursor > 0 => {
            text.replace_range(previous..*cursor, "");
            *cursor = previous;
        }
        KeyCode::Backspace => {}
        _ => return false,
    }
    true
}

/// A plain key press (no Ctrl or Alt): what may pick a choice by its letter.
pub fn plain(key: &KeyEvent) -> bool {
    !key.modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(text: &str, code: KeyCode, modifiers: KeyModifiers) -> String {
        let mut s = text.to_string();
        edit(&mut s, &KeyEvent::new(code, modifiers));
        s
    }

    #[test]
    fn edits_like_a_shell() {
        let ctrl = KeyModifiers::CONTROL;
        let none = KeyModifiers::NONE;
        assert_eq!(press("next fri", KeyCode::Char('u'), ctrl), "");
        assert_eq!(press("next fri", KeyCode::Char('w'), ctrl), "next ");
        assert_eq!(press("next fri  ", KeyCode::Char('w'), ctrl), "next ");
        assert_eq!(press("mañana", KeyCode::Char('w'), ctrl), "");
        assert_eq!(press("mañana", KeyCode::Backspace, none), "mañan");
        assert_eq!(press("mi", KeyCode::Char('é'), none), "mié");
        assert_eq!(press("x", KeyCode::Char('a'), ctrl), "x");
        assert_eq!(press("x", KeyCode::Char('\u{7}'), none), "x");
    }

    /// Keys applied in turn from the end of `text`; the text and where the cursor ends.
    fn keys(text: &str, keys: &[(KeyCode, KeyModifiers)]) -> (String, usize) {
        let mut s = text.to_string();
        let mut cursor = s.len();
        for (code, m) in keys {
            edit_at(&mut s, &mut cursor, &KeyEvent::new(*code, *m));
        }
        (s, cursor)
    }

    #[test]
    fn the_cursor_moves_and_edits_where_it_is() {
        let ctrl = KeyModifiers::CONTROL;
        let none = KeyModifiers::NONE;
        let home = (KeyCode::Char('a'), ctrl);
        let typed = |c| (KeyCode::Char(c), none);
        assert_eq!(
            keys("fri", &[home, typed('n'), typed(' ')]),
            ("n fri".into(), 2)
        );
        assert_eq!(
            keys(
                "fri",
                &[(KeyCode::Home, none), (KeyCode::End, none), typed('!')]
            )
            .0,
            "fri!"
        );
        assert_eq!(
            keys(
                "mañana",
                &[
                    (KeyCode::Left, none),
                    (KeyCode::Left, none),
                    (KeyCode::Backspace, none)
                ]
            )
            .0,
            "mañna"
        );
        assert_eq!(
            keys(
                "next fri",
                &[
                    (KeyCode::Left, none),
                    (KeyCode::Left, none),
                    (KeyCode::Left, none),
                    (KeyCode::Char('u'), ctrl)
                ]
            ),
            ("fri".into(), 0)
        );
        assert_eq!(
            keys(
                "a b c",
                &[
                    (KeyCode::Left, none),
                    (KeyCode::Left, none),
                    (KeyCode::Char('w'), ctrl)
                ]
            )
            .0,
            "a  c"
        );
        assert_eq!(
            keys(
                "é",
                &[
                    (KeyCode::Right, none),
                    (KeyCode::Home, none),
                    (KeyCode::Backspace, none)
                ]
            ),
            ("é".into(), 0)
        );
        assert_eq!(keys("x", &[(KeyCode::Char('e'), ctrl)]).1, 1);
    }
}
