//! How a connected call ended. `connected` closes the enrollment as a reply credited to the
//! call; when the rep says the call booked a meeting, or that the person is not interested,
//! the same transition ends differently: a meeting, or a removal with that reason (not an
//! opt-out: they may be approached again one day).

use super::event::Transition;
use super::types::{Exit, Outcome, Status};

/// The reason a "not interested" call removes the prospect with.
pub const NOT_INTERESTED: &str = "not interested";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEnd {
    /// A meeting was booked on the call.
    Meeting,
    /// They said no: removed from the sequence, not opted out.
    NotInterested,
}

/// Rewrites the transition of a `connected` call for how it ended. The call itself stays
/// logged as connected; only the record that closed the enrollment, and the exit, change.
/// A transition that did not close as a reply is returned as it was.
pub fn end_call(mut t: Transition, end: CallEnd) -> Transition {
    if t.enrollment.status != Status::Closed(Exit::Replied) {
        return t;
    }
    let Some(closing) = t
        .records
        .iter_mut()
        .rev()
        .find(|r| r.outcome == Outcome::Replied)
    else {
        return t;
    };
    match end {
        CallEnd::Meeting => {
            closing.outcome = Outcome::Meeting;
            t.enrollment.status = Status::Closed(Exit::Meeting);
        }
        CallEnd::NotInterested => {
            closing.outcome = Outcome::Removed;
            closing.attributed_step = None;
            closing.reason = Some(NOT_INTERESTED.to_string());
            t.enrollment.status = Status::Closed(Exit::Removed);
            t.enrollment.exit_reason = Some(NOT_INTERESTED.to_string());
        }
    }
    t
}
