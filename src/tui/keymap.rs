//! The one key table. The handler looks keys up here and the help overlay and the footer are
//! generated from it, so what `?` shows is always what the keys do.

use super::action::{Action, View};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies: everywhere, or in one view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    In(View),
}

#[derive(Debug, Clone, Copy)]
pub struct KeyBinding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub scope: Scope,
    pub action: Action,
    /// The line in the help overlay.
    pub help: &'static str,
    /// A one-word label for the footer, on the binding the footer shows.
    pub hint: Option<&'static str>,
}

const fn bind(code: KeyCode, scope: Scope, action: Action, help: &'static str) -> KeyBinding {
    KeyBinding {
        code,
        modifiers: KeyModifiers::NONE,
        scope,
        action,
        help,
        hint: None,
    }
}

const fn hint(b: KeyBinding, label: &'static str) -> KeyBinding {
    KeyBinding {
        hint: Some(label),
        ..b
    }
}

const fn ctrl(b: KeyBinding) -> KeyBinding {
    KeyBinding {
        modifiers: KeyModifiers::CONTROL,
        ..b
    }
}

use Action as A;
use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};
const G: Scope = Scope::Global;
const Q: Scope = Scope::In(View::Queue);
const P: Scope = Scope::In(View::Prospects);
const S: Scope = Scope::In(View::Sequences);
const T: Scope = Scope::In(View::Stats);
const U: Scope = Scope::In(View::Upcoming);

const MOVE: &str = "move down / up";
const COPY: &str = "copy message (call: number)";
const COPY_MORE: &str = "copy: Y subject · C not ready";
const SEQ: &str = "previous / next sequence";
const VIEWS: &str = "the views, by number";

/// Every key the app knows. View bindings win over global ones.
pub const KEYS: &[KeyBinding] = &[
    // The queue: one key per touch.
    hint(bind(Char('y'), Q, A::Copy, COPY), "copy"),
    bind(Enter, Q, A::Copy, COPY),
    bind(Char('Y'), Q, A::CopySubject, COPY_MORE),
    bind(Char('C'), Q, A::CopyAnyway, COPY_MORE),
    bind(Char('S'), Q, A::SendEmail, "send it from your mailbox"),
    hint(
        bind(Char('o'), Q, A::Open, "open mailto:, tel:, LinkedIn"),
        "open",
    ),
    bind(Char('e'), Q, A::Edit, "edit the text in $EDITOR"),
    bind(Char('E'), Q, A::EditProspect, "fix the prospect's fields"),
    bind(Char('n'), Q, A::Note, "a note on the prospect"),
    hint(
        bind(Char(' '), Q, A::Done, "done (a call asks how it went)"),
        "done",
    ),
    hint(
        bind(Char('r'), Q, A::Replied, "replied: ends the sequence"),
        "replied",
    ),
    bind(Char('m'), Q, A::Meeting, "meeting booked: ends it"),
    hint(
        bind(Char('x'), Q, A::OptOut, "opted out; D: whole domain"),
        "opt-out",
    ),
    bind(Char('X'), Q, A::Complained, "spam complaint (an opt-out)"),
    bind(Char('D'), Q, A::OptOutDomain, "opted out; D: whole domain"),
    bind(Char('b'), Q, A::Bounced, "the email bounced"),
    bind(Char('s'), Q, A::Skip, "skip this step (asks why)"),
    hint(
        bind(Char('z'), Q, A::Snooze, "snooze to a later day"),
        "snooze",
    ),
    bind(Char('p'), Q, A::Pause, "pause (return date?) / resume"),
    bind(Char('J'), Q, A::ScrollDown, "scroll the message"),
    bind(Char('K'), Q, A::ScrollUp, "scroll the message"),
    bind(Char('/'), Q, A::Filter, "filter by name or company"),
    bind(Char('f'), Q, A::Focus, "focus: calls, a sequence, late"),
    bind(Char('v'), Q, A::Mark, "mark: z / p / R act on all"),
    bind(Char('R'), Q, A::Remove, "remove from the sequence"),
    bind(Char('w'), Q, A::Explain, "why is this due now?"),
    // Prospects.
    hint(
        bind(Char('/'), P, A::Filter, "search name, company, email"),
        "search",
    ),
    hint(
        bind(Enter, P, A::OpenProspect, "open / close the full card"),
        "open",
    ),
    hint(
        bind(Char('e'), P, A::Enroll, "enroll in a sequence"),
        "enroll",
    ),
    hint(
        bind(Char('p'), P, A::Pause, "pause / resume their sequence"),
        "pause",
    ),
    hint(
        bind(Char('R'), P, A::Remove, "remove from sequence (asks why)"),
        "remove",
    ),
    // A reply can come any day, not only when a touch is due.
    hint(
        bind(Char('r'), P, A::Replied, "replied: ends the sequence"),
        "replied",
    ),
    bind(Char('m'), P, A::Meeting, "meeting booked"),
    bind(Char('x'), P, A::OptOut, "opted out; D: whole domain"),
    bind(Char('X'), P, A::Complained, "spam complaint (an opt-out)"),
    bind(Char('D'), P, A::OptOutDomain, "opted out; D: whole domain"),
    bind(
        Char('c'),
        P,
        A::MoveCredit,
        "credit their reply to another step",
    ),
    bind(Char('v'), P, A::Mark, "mark: z / e / p / R act on all"),
    bind(Char('z'), P, A::Snooze, "snooze their touch to a later day"),
    bind(Char('f'), P, A::Focus, "only one status, with counts"),
    bind(Char('a'), P, A::AddProspect, "add a prospect"),
    bind(Char('E'), P, A::EditProspect, "fix the prospect's fields"),
    bind(Char('n'), P, A::Note, "a note on the prospect"),
    bind(Char('J'), P, A::ScrollDown, "scroll the card"),
    bind(Char('K'), P, A::ScrollUp, "scroll the card"),
    bind(Char('w'), P, A::Explain, "why is their touch due then?"),
    // Sequences.
    hint(
        bind(
            Char('e'),
            S,
            A::Enroll,
            "enroll someone (or the marked) in it",
        ),
        "enroll",
    ),
    bind(Char('J'), S, A::ScrollDown, "scroll the details"),
    bind(Char('K'), S, A::ScrollUp, "scroll the details"),
    // Upcoming.
    hint(
        bind(Char(' '), U, A::Done, "work it now, ahead of its day"),
        "work ahead",
    ),
    hint(bind(Char('y'), U, A::Copy, COPY), "copy"),
    bind(Enter, U, A::Copy, COPY),
    // Stats.
    bind(Char('['), T, A::PrevSequence, SEQ),
    hint(bind(Char(']'), T, A::NextSequence, SEQ), "sequence"),
    bind(Left, T, A::PrevSequence, SEQ),
    bind(Right, T, A::NextSequence, SEQ),
    hint(
        bind(
            Char('t'),
            T,
            A::CyclePeriod,
            "period: 30 days, 90 days, all",
        ),
        "period",
    ),
    // Everywhere.
    bind(Char('j'), G, A::Down, MOVE),
    bind(Down, G, A::Down, MOVE),
    bind(Char('k'), G, A::Up, MOVE),
    bind(Up, G, A::Up, MOVE),
    bind(Char('g'), G, A::Top, "first / last row"),
    bind(Home, G, A::Top, "first / last row"),
    bind(Char('G'), G, A::Bottom, "first / last row"),
    bind(End, G, A::Bottom, "first / last row"),
    bind(PageDown, G, A::PageDown, "page down / up"),
    bind(PageUp, G, A::PageUp, "page down / up"),
    hint(
        bind(Char('u'), G, A::Undo, "undo (again and again)"),
        "undo",
    ),
    bind(Tab, G, A::NextView, "next / previous view"),
    bind(BackTab, G, A::PrevView, "next / previous view"),
    bind(Char('1'), G, A::Show(View::Queue), VIEWS),
    bind(Char('2'), G, A::Show(View::Prospects), VIEWS),
    bind(Char('3'), G, A::Show(View::Sequences), VIEWS),
    bind(Char('4'), G, A::Show(View::Stats), VIEWS),
    bind(Char('5'), G, A::Show(View::Upcoming), VIEWS),
    bind(Char('V'), G, A::TimeOff, "time off: move touches"),
    bind(Char('i'), G, A::Inbox, "read the inbox now"),
    bind(Char('I'), G, A::PossibleReplies, "confirm a possible reply"),
    bind(Esc, G, A::Back, "back, clear the filter"),
    hint(bind(Char('?'), G, A::Help, "these keys"), "help"),
    hint(bind(Char('q'), G, A::Quit, "quit"), "quit"),
    ctrl(bind(Char('c'), G, A::Quit, "quit")),
];

/// The action a key asks for in a view.
pub fn lookup(view: View, key: &KeyEvent) -> Option<Action> {
    // Shift is already in the character ('Y'), and terminals disagree on reporting it.
    let mods = key.modifiers.difference(KeyModifiers::SHIFT);
    let hit = |scope: Scope| {
        KEYS.iter()
            .find(|b| b.scope == scope && b.code == key.code && b.modifiers == mods)
            .map(|b| b.action)
    };
    hit(Scope::In(view)).or_else(|| hit(Scope::Global))
}

/// How a key is written on screen.
pub fn key_label(code: KeyCode, modifiers: KeyModifiers) -> String {
    let base = match code {
        Char(' ') => "space".to_string(),
        Char(c) => c.to_string(),
        Enter => "Enter".to_string(),
        Esc => "Esc".to_string(),
        Tab => "Tab".to_string(),
        BackTab => "S-Tab".to_string(),
        Up => "↑".to_string(),
        Down => "↓".to_string(),
        Left => "←".to_string(),
        Right => "→".to_string(),
        Home => "Home".to_string(),
        End => "End".to_string(),
        PageUp => "PgUp".to_string(),
        PageDown => "PgDn".to_string(),
        other => format!("{other:?}"),
    };
    if modifiers.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else {
        base
    }
}

/// The help overlay's lines for a scope: keys with the same text share a line.
pub fn help_lines(scope: Scope) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for b in KEYS.iter().filter(|b| b.scope == scope) {
        let label = key_label(b.code, b.modifiers);
        match out.iter_mut().find(|(_, help)| *help == b.help) {
            Some(line) => {
                line.0.push('/');
                line.0.push_str(&label);
            }
            None => out.push((label, b.help)),
        }
    }
    out
}

/// The footer's `key label` pairs for a view: its own first, then the global ones (only
/// those without a view).
pub fn hints(view: Option<View>) -> Vec<(String, &'static str)> {
    let pick = |scope: Option<Scope>| {
        KEYS.iter()
            .filter(move |b| Some(b.scope) == scope)
            .filter_map(|b| b.hint.map(|h| (key_label(b.code, b.modifiers), h)))
    };
    pick(view.map(Scope::In))
        .chain(pick(Some(Scope::Global)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_keys_win_over_global_ones() {
        let key = |c: char| KeyEvent::new(Char(c), KeyModifiers::NONE);
        assert_eq!(lookup(View::Queue, &key('e')), Some(A::Edit));
        assert_eq!(lookup(View::Prospects, &key('e')), Some(A::Enroll));
        assert_eq!(lookup(View::Sequences, &key('e')), Some(A::Enroll));
        assert_eq!(lookup(View::Stats, &key('e')), None);
        assert_eq!(lookup(View::Sequences, &key('J')), Some(A::ScrollDown));
        assert_eq!(lookup(View::Sequences, &key('j')), Some(A::Down));
        let shifted = KeyEvent::new(Char('Y'), KeyModifiers::SHIFT);
        assert_eq!(lookup(View::Queue, &shifted), Some(A::CopySubject));
        let ctrl_c = KeyEvent::new(Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(View::Queue, &ctrl_c), Some(A::Quit));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for (i, a) in KEYS.iter().enumerate() {
            for b in &KEYS[i + 1..] {
                assert!(
                    !(a.scope == b.scope && a.code == b.code && a.modifiers == b.modifiers),
                    "{:?} bound twice",
                    a.code
                );
            }
        }
    }

    #[test]
    fn help_merges_keys_of_one_action() {
        let lines = help_lines(Scope::Global);
        assert_eq!(lines[0], ("j/↓/k/↑".to_string(), MOVE));
    }
}
