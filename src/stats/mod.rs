//! Reply analytics from the touch log: which step, channel, wording and hour produce replies.
//!
//! A reply or meeting is credited when it is logged, to the last step worked before it (the
//! engine stores that step on the reply record); these numbers only count what is stored.
//! The counting itself is the store's (its rollups, behind the desk); here the counts become
//! the numbers the view and the table show.

pub mod assemble;
mod report;

pub use report::write_table;

use serde::Serialize;

/// Which part of the log to count.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    /// Only this sequence (by name).
    pub sequence: Option<String>,
    /// Only events on or after this day (counted in whole days, from the start of the date).
    pub since: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Stats {
    pub since: Option<String>,
    pub sequences: Vec<SequenceStats>,
    pub channels: Vec<ChannelStats>,
    pub variants: Vec<VariantStats>,
    /// Calls by hour of the prospect's local day (0–23).
    pub calls_by_hour: Vec<CallBucket>,
    /// Calls by weekday of the prospect's local day (Mon first).
    pub calls_by_weekday: Vec<CallBucket>,
    /// How many replies came N days after the first touch.
    pub days_to_reply: Vec<Bucket>,
    /// How many closed enrollments had received N touches when they exited.
    pub touches_before_exit: Vec<Bucket>,
    pub totals: Totals,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Totals {
    pub touches: u64,
    pub replies: u64,
    pub meetings: u64,
    /// After the reply: meetings that took place, conversations closed as won.
    pub held: u64,
    pub won: u64,
    pub opt_outs: u64,
    /// Spam complaints: opt-outs too, counted apart from `opt_outs`.
    pub complaints: u64,
    pub bounces: u64,
    /// Replies by the kind the rep gave them ("positive", "not-now"…; "unsaid" for none).
    pub replies_by_kind: std::collections::BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SequenceStats {
    pub sequence: String,
    /// Enrollments that got at least one touch in the period.
    pub prospects: u64,
    pub replies: u64,
    pub meetings: u64,
    /// After the reply: meetings held, conversations won (enrollments, like replies).
    pub held: u64,
    pub won: u64,
    pub steps: Vec<StepStats>,
    /// Replies and meetings logged before any touch went out (a prospect who wrote first):
    /// in `replies` and `meetings`, credited to no step.
    pub replies_before_any_touch: u64,
    pub meetings_before_any_touch: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct StepStats {
    /// 1-based.
    pub step: usize,
    pub channel: String,
    pub purpose: String,
    /// Touches worked on this step.
    pub touches: u64,
    /// Prospects (enrollments) who got this step.
    pub prospects: u64,
    pub replies: u64,
    pub meetings: u64,
    /// After the reply, credited to this step as its reply was: meetings held,
    /// conversations won.
    pub held: u64,
    pub won: u64,
    pub opt_outs: u64,
    pub complaints: u64,
    pub bounces: u64,
    /// Replies (meetings included) ÷ prospects who got the step.
    pub reply_rate: f64,
    /// Positive replies and meetings credited to the step, and their rate over the prospects
    /// who got it.
    pub positive: u64,
    pub positive_rate: f64,
    /// Replies credited to this step, by kind.
    pub replies_by_kind: std::collections::BTreeMap<String, u64>,
    /// This step's share of the sequence's replies.
    pub reply_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ChannelStats {
    pub channel: String,
    pub touches: u64,
    pub prospects: u64,
    pub replies: u64,
    pub meetings: u64,
    pub reply_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct VariantStats {
    pub sequence: String,
    pub step: usize,
    pub variant: String,
    pub touches: u64,
    pub replies: u64,
    pub reply_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct CallBucket {
    pub label: String,
    pub calls: u64,
    pub connected: u64,
    pub connect_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Bucket {
    pub value: i64,
    pub count: u64,
}

/// `part ÷ whole`, 0 when there is no whole.
/// The fewest calls (or touches) in one hour or variant before it is named the best: below
/// it, the difference is chance.
pub const MIN_SAMPLE: u64 = 10;

pub fn rate(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
