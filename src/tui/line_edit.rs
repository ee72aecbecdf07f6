//! Editing a one-line text field the way a shell does: type, Backspace, Ctrl-U clears,
//! Ctrl-W deletes the last word. Other control or Alt chords never type their letter.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Applies `key` to `text`; true when the key was an edit (so the caller does not treat it
/// as a command).
pub fn edit(text: &mut String, key: &KeyEvent) -> bool {
    let chord = key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char('u') if chord => text.clear(),
        KeyCode::Char('w') if chord => {
            let start = text
                .trim_end()
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            text.truncate(start);
        }
        KeyCode::Char(_) if chord => return false,
        KeyCode::Char(c) if !c.is_control() => text.push(c),
        KeyCode::Backspace => {
            text.pop();
        }
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
}
