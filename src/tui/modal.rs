//! The small things that open over a view: the help, pickers (one key per choice) and
//! prompts (a line of typed text). Each remembers whom it is about.

use super::schedule::{Explanation, TimeOff};
use super::when::next_week;
use crate::domain::ReplyKind;
use crate::domain::{Calendar, Outcome};
use chrono::NaiveDate;

pub use super::prompt::{Prompt, PromptFor, call_note, enroll_who, meeting_when, prompt};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    Help,
    Pick(Picker),
    Prompt(Prompt),
    /// Why the selected prospect's touch is due when it is.
    Explain(Explanation),
    /// The first and last day of the rep's time off.
    TimeOff(TimeOff),
    /// The first run's questions.
    Setup(Box<super::setup::Setup>),
}

/// One prospect an action is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub prospect_id: i64,
    pub name: String,
    /// The touch on screen when the key was pressed: the action acts on it or not at all.
    pub touch: Option<crate::domain::TouchRef>,
}

/// Whom an open picker or prompt acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    One(Person),
    /// The marked rows of the view (this many); each names its own touch when it acts.
    Marked(usize),
    /// No prospect: a picker over the queue or the list itself.
    Nobody,
}

impl Target {
    /// How a title names them: "Lee Park", "5 marked prospects".
    pub fn name(&self) -> String {
        match self {
            Target::One(p) => p.name.clone(),
            Target::Marked(n) => crate::text::count(*n, "marked prospect", "marked prospects"),
            Target::Nobody => String::new(),
        }
    }
}

impl From<Person> for Target {
    fn from(p: Person) -> Target {
        Target::One(p)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub title: String,
    pub choices: Vec<Choice>,
    pub selected: usize,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub key: char,
    pub label: String,
    pub value: Pick,
}

/// What choosing does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    Outcome(Outcome),
    Skip(String),
    Snooze(NaiveDate),
    Remove(String),
    Enroll(String),
    /// A sequence timed to the decision date: the date is asked first.
    EnrollDecision(String),
    /// A reply, of this kind (or none said).
    Reply(Option<ReplyKind>),
    /// Credit the latest reply to this step (1-based).
    Credit(usize),
    /// Ask for typed text instead.
    Type(PromptFor),
    /// A connected call: ask how it went.
    Connected,
    /// How a connected call went: ask for a note, then log it.
    Conversation(Conversation),
    /// How a connected call went needs typed text first (a date, a name).
    CallPrompt(PromptFor),
    /// Show only this part of the queue.
    Focus(super::queue::Focus),
    /// Show only prospects at this status (`None`: all of them), and whether few are.
    Status(Option<String>, bool),
    /// A possible reply or opt-out (the choice, and how the list named it) chosen: ask
    /// whether it is one.
    ConfirmReply(crate::desk::PossibleChoice, String),
    /// Settle a possible message: as the choice says (true), or not at all (false).
    SettleReply(crate::desk::PossibleChoice, bool),
    /// Log the not-ready text the rep copied with `C` as what went out.
    SentAsCopied(Outcome),
    /// What comes next in a conversation (answered, held, no-show).
    Next(crate::desk::NextStep),
    /// Take the kind of answer the reply's words suggest.
    TakeSuggestion,
    /// Say what kind of answer the conversation's reply was.
    KindOfAnswer,
    /// A conversation goes on in a sequence: pick which.
    FollowOn,
    /// A conversation booked a meeting: ask when.
    MeetingFromConversation,
    /// Leave it: the rep edits the text first.
    Nothing,
}

/// How a connected call went: a reply of some kind, a meeting, or a "no".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conversation {
    Reply(crate::desk::ReplyDetails),
    End(crate::domain::conversation::CallEnd),
}

/// "Lee Park's touch", or for marked rows "5 marked prospects' touches".
pub(super) fn whose_touch(t: &Target) -> String {
    match t {
        Target::Marked(_) => format!("{}' touches", t.name()),
        _ => format!("{}'s touch", t.name()),
    }
}

fn choice(key: char, label: impl Into<String>, value: Pick) -> Choice {
    Choice {
        key,
        label: label.into(),
        value,
    }
}

fn picker(title: String, choices: Vec<Choice>, target: Target) -> Modal {
    Modal::Pick(Picker {
        title,
        choices,
        selected: 0,
        target,
    })
}

pub fn call_outcome(target: impl Into<Target>) -> Modal {
    let target: Target = target.into();
    let title = format!("How did the call with {} go?", target.name());
    picker(
        title,
        vec![
            choice('c', "connected: we talked… (asks how)", Pick::Connected),
            choice('v', "left a voicemail", Pick::Outcome(Outcome::Voicemail)),
            choice('n', "no answer", Pick::Outcome(Outcome::NoAnswer)),
            choice('g', "gatekeeper", Pick::Outcome(Outcome::Gatekeeper)),
            choice('w', "wrong number", Pick::Outcome(Outcome::WrongNumber)),
        ],
        target,
    )
}

/// `space` on a message that is not ready but was copied with `C`: the rep may say it went
/// out as copied (DESIGN §2's override), which keeps that text with its gaps marked.
pub fn sent_as_copied(t: Person, outcome: Outcome, problems: &[String]) -> Modal {
    let title = format!(
        "{}'s message is not ready ({}), and you copied it with C. Did it go out as copied?",
        t.name,
        problems.join("; ")
    );
    picker(
        title,
        vec![
            choice(
                'y',
                format!("yes: log it {outcome}, kept as copied (gaps as [field])"),
                Pick::SentAsCopied(outcome),
            ),
            choice('n', "no: I will edit it first (e)", Pick::Nothing),
        ],
        Target::One(t),
    )
}

/// `space` on a conversation: what comes next, one key.
/// `space` on a conversation: what comes next. `suggested`: what the reply's words suggest
/// (the inbox read them), offered first.
pub fn next_step(t: Person, meeting: bool, suggested: Option<String>) -> Modal {
    use crate::desk::NextStep;
    let title = format!("{}: what comes next?", t.name);
    let mut choices = if meeting {
        vec![
            choice(
                'h',
                "held: post-demo starts, its recap due today",
                Pick::Next(NextStep::Held),
            ),
            choice(
                'n',
                "no-show: missed-meeting starts now",
                Pick::Next(NextStep::NoShow),
            ),
            choice(
                'm',
                "moved… (asks the new time)",
                Pick::MeetingFromConversation,
            ),
            choice(
                'c',
                "cancelled: the conversation waits on you again",
                Pick::Next(NextStep::Cancelled),
            ),
        ]
    } else {
        vec![
            choice(
                'a',
                "answered: the ball is in their court (a nudge comes back if they go quiet)",
                Pick::Next(NextStep::Answered),
            ),
            choice(
                's',
                "start a sequence… (post-demo, proposal, re-engagement…)",
                Pick::FollowOn,
            ),
            choice(
                'm',
                "meeting booked… (asks when)",
                Pick::MeetingFromConversation,
            ),
            choice(
                'n',
                "not now… (asks when they want to hear back)",
                Pick::Type(PromptFor::NotNowDate),
            ),
            choice(
                'r',
                "what kind of answer… (positive, question, referral…)",
                Pick::KindOfAnswer,
            ),
        ]
    };
    if let Some(s) = suggested.filter(|_| !meeting) {
        choices.insert(
            0,
            choice('k', format!("take it: {s}"), Pick::TakeSuggestion),
        );
    }
    choices.push(choice(
        'w',
        "closed won… (asks why)",
        Pick::Type(PromptFor::ClosedWhy(true)),
    ));
    choices.push(choice(
        'l',
        "closed lost… (asks why)",
        Pick::Type(PromptFor::ClosedWhy(false)),
    ));
    picker(title, choices, Target::One(t))
}

/// After `c`onnected: one key for how the conversation went.
pub fn conversation(target: impl Into<Target>) -> Modal {
    let target: Target = target.into();
    use crate::domain::conversation::CallEnd;
    let title = format!("You talked with {}: how did it go?", target.name());
    let reply = |kind| {
        Pick::Conversation(Conversation::Reply(crate::desk::ReplyDetails {
            kind: Some(kind),
            ..Default::default()
        }))
    };
    picker(
        title,
        vec![
            choice(
                'm',
                "meeting booked",
                Pick::Conversation(Conversation::End(CallEnd::Meeting)),
            ),
            choice('i', "interested (a reply)", reply(ReplyKind::Positive)),
            choice(
                'n',
                "not now… (asks when to call back)",
                Pick::CallPrompt(PromptFor::NotNowDate),
            ),
            choice(
                'x',
                "not interested (removed, not an opt-out)",
                Pick::Conversation(Conversation::End(CallEnd::NotInterested)),
            ),
            choice(
                'f',
                "referred me to someone… (asks who)",
                Pick::CallPrompt(PromptFor::Referral),
            ),
            choice('w', "wrong person", reply(ReplyKind::WrongPerson)),
        ],
        target,
    )
}

pub fn skip_reason(target: impl Into<Target>) -> Modal {
    let target: Target = target.into();
    let title = format!("Skip this step for {}: why?", target.name());
    let reason = |s: &str| Pick::Skip(s.to_string());
    picker(
        title,
        vec![
            choice(
                'c',
                "this channel does not fit them",
                reason("channel does not fit"),
            ),
            choice('t', "not the right moment", reason("not the right moment")),
            choice(
                'a',
                "already in touch another way",
                reason("already in touch"),
            ),
            choice('n', "nothing new to say", reason("nothing new to say")),
            choice('o', "another reason…", Pick::Type(PromptFor::SkipReason)),
        ],
        target,
    )
}

pub fn snooze(target: impl Into<Target>, today: NaiveDate, cal: &Calendar) -> Modal {
    let target: Target = target.into();
    let title = format!("Snooze {} until…", whose_touch(&target));
    let label = |what: &str, d: NaiveDate| format!("{what} ({})", d.format("%a %-d %b"));
    let tomorrow = cal.add_working_days(today, 1);
    let two = cal.add_working_days(today, 2);
    let week = next_week(today, cal);
    picker(
        title,
        vec![
            choice('t', label("tomorrow", tomorrow), Pick::Snooze(tomorrow)),
            choice('2', label("in 2 working days", two), Pick::Snooze(two)),
            choice('w', label("next week", week), Pick::Snooze(week)),
            choice('d', "a date…", Pick::Type(PromptFor::SnoozeDate)),
        ],
        target,
    )
}

/// `r`: what kind of reply came in. One more key, so stats can tell "yes, Tuesday works"
/// from "not interested".
pub fn reply_kind(target: impl Into<Target>) -> Modal {
    let target: Target = target.into();
    let title = format!("{} replied: what kind of answer?", target.name());
    let kind = |k| Pick::Reply(Some(k));
    picker(
        title,
        vec![
            choice('p', "positive: interested", kind(ReplyKind::Positive)),
            choice('q', "a question first", kind(ReplyKind::Question)),
            choice('o', "an objection", kind(ReplyKind::Objection)),
            choice(
                'n',
                "not now… (asks when)",
                Pick::Type(PromptFor::NotNowDate),
            ),
            choice(
                'f',
                "a referral… (asks who)",
                Pick::Type(PromptFor::Referral),
            ),
            choice('w', "wrong person", kind(ReplyKind::WrongPerson)),
            choice('r', "just a reply", Pick::Reply(None)),
        ],
        target,
    )
}

/// `c` in Prospects: the steps worked before the reply, to credit it to one of them.
pub fn credit(target: impl Into<Target>, steps: &[(usize, String)], now: Option<usize>) -> Modal {
    let target: Target = target.into();
    let title = format!("Credit {}'s reply to which step?", target.name());
    let choices = steps
        .iter()
        .zip(LIST_KEYS.chars())
        .map(|((step, label), key)| {
            let mark = if Some(*step) == now {
                "  (credited now)"
            } else {
                ""
            };
            choice(key, format!("{label}{mark}"), Pick::Credit(*step))
        })
        .collect();
    picker(title, choices, target)
}

pub fn remove_reason(target: impl Into<Target>) -> Modal {
    let target: Target = target.into();
    let title = format!("Remove {} from their sequence: why?", target.name());
    let reason = |s: &str| Pick::Remove(s.to_string());
    picker(
        title,
        vec![
            choice('d', "deal closed", reason("deal closed")),
            choice('w', "wrong person", reason("wrong person")),
            choice('t', "their timeline passed", reason("timeline passed")),
            choice(
                'c',
                "went with a competitor",
                reason("went with a competitor"),
            ),
            choice('o', "another reason…", Pick::Type(PromptFor::RemoveReason)),
        ],
        target,
    )
}

/// `f`: which part of the queue to work on. `sequences` are those with touches due.
pub fn focus(sequences: &[String]) -> Modal {
    use super::queue::Focus;
    use crate::domain::Channel;
    let channel = |c| {
        Pick::Focus(Focus {
            channel: Some(c),
            ..Focus::default()
        })
    };
    let mut choices = vec![
        choice('c', "calls only: a call block", channel(Channel::Call)),
        choice('e', "emails only", channel(Channel::Email)),
        choice('l', "LinkedIn only", channel(Channel::Linkedin)),
        choice(
            'o',
            "overdue only",
            Pick::Focus(Focus {
                overdue_only: true,
                ..Focus::default()
            }),
        ),
        choice('a', "the whole queue", Pick::Focus(Focus::default())),
    ];
    for (name, key) in sequences.iter().zip("123456789".chars()) {
        let focus = Focus {
            sequence: Some(name.clone()),
            ..Focus::default()
        };
        choices.push(choice(key, format!("only {name}"), Pick::Focus(focus)));
    }
    // A focus acts on the queue, not on a prospect.
    let nobody = Target::Nobody;
    picker("Work on…".to_string(), choices, nobody)
}

/// `f` in Prospects: only those at one status, with how many there are.
pub fn status_filter(counts: &[(String, i64)]) -> Modal {
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let mut choices = vec![choice(
        'a',
        format!("everyone ({total})"),
        Pick::Status(None, false),
    )];
    for ((status, n), key) in counts.iter().zip(LIST_KEYS.chars()) {
        let label = format!("{} ({n})", super::views::status_label(status));
        let rare = *n <= crate::desk::RARE_STATUS;
        choices.push(choice(key, label, Pick::Status(Some(status.clone()), rare)));
    }
    let nobody = Target::Nobody;
    picker("Show prospects who are…".to_string(), choices, nobody)
}

/// `I`: replies the inbox could not be sure of, to confirm with one key.
pub fn possible_replies(list: &[(crate::desk::PossibleChoice, String)]) -> Modal {
    let choices = list
        .iter()
        .zip(LIST_KEYS.chars())
        .map(|((which, label), k)| {
            choice(
                k,
                label.clone(),
                Pick::ConfirmReply(which.clone(), label.clone()),
            )
        })
        .collect();
    let nobody = Target::Nobody;
    picker(
        "To confirm: which one? (Esc leaves them)".to_string(),
        choices,
        nobody,
    )
}

/// Is the chosen possible message what the choice says?
pub fn settle_reply(which: &crate::desk::PossibleChoice, label: &str) -> Modal {
    let nobody = Target::Nobody;
    let yes = if which.prospect.is_some() {
        "yes: log it as it says"
    } else {
        "yes: add them as a prospect"
    };
    picker(
        label.to_string(),
        vec![
            choice('r', yes, Pick::SettleReply(which.clone(), true)),
            choice(
                'd',
                "no: dismiss the message",
                Pick::SettleReply(which.clone(), false),
            ),
        ],
        nobody,
    )
}

/// Keys for a list of any length: digits, then letters (not j/k, which move).
const LIST_KEYS: &str = "123456789abcdefhilmnopqrstuvwxyz";

/// A sequence as the enroll picker offers it.
pub struct SequenceChoice {
    pub name: String,
    pub about: String,
    /// Its steps are timed to the decision date, which is asked first.
    pub asks_decision: bool,
}

pub fn enroll(target: impl Into<Target>, sequences: &[SequenceChoice]) -> Modal {
    let target: Target = target.into();
    let title = format!("Enroll {} in…", target.name());
    let widest = sequences
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    let choices = sequences
        .iter()
        .zip(LIST_KEYS.chars())
        .map(|(s, key)| {
            let label = format!("{:<widest$}  {}", s.name, s.about);
            let pick = if s.asks_decision {
                Pick::EnrollDecision(s.name.clone())
            } else {
                Pick::Enroll(s.name.clone())
            };
            choice(key, label, pick)
        })
        .collect();
    picker(title, choices, target)
}
