//! What can go wrong at the door, as a type the caller matches on: a refusal (and why), an
//! engine rule, bad input with where it is, or the storage underneath. Each changes nothing.

use super::refusal::Refused;
use crate::content::{LoadError, Located};
use crate::domain::EngineError;

/// An action the desk did not carry out.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// Refused, in words the rep can act on: the touch moved on, is not due, was just
    /// logged, or its message is not ready.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// The event does not fit the enrollment (closed, paused, the wrong outcome…).
    #[error(transparent)]
    Rule(#[from] EngineError),
    /// A file the rep wrote or handed in is wrong at this place.
    #[error(transparent)]
    BadInput(#[from] Located),
    /// An import's file has rows that cannot be taken: each one located.
    #[error(transparent)]
    BadRows(#[from] crate::import::BadRows),
    /// Reading or writing the book failed, or the request named nothing it could act on;
    /// also a refusal or rule already put in words with its context ("Dana Reyes: …").
    #[error(transparent)]
    Other(anyhow::Error),
}

impl From<anyhow::Error> for DeskError {
    /// Sorts an error raised inside an action into what it is.
    fn from(e: anyhow::Error) -> DeskError {
        // An error that carries context says more than its cause alone: keep its words.
        if e.chain().count() > 1 {
            return DeskError::Other(e);
        }
        let e = match e.downcast::<Refused>() {
            Ok(refused) => return DeskError::Refused(refused),
            Err(e) => e,
        };
        let e = match e.downcast::<EngineError>() {
            Ok(rule) => return DeskError::Rule(rule),
            Err(e) => e,
        };
        let e = match e.downcast::<crate::import::BadRows>() {
            Ok(bad) => return DeskError::BadRows(bad),
            Err(e) => e,
        };
        match e.downcast::<Located>() {
            Ok(located) => DeskError::BadInput(located),
            Err(e) => DeskError::Other(e),
        }
    }
}

impl From<LoadError> for DeskError {
    fn from(e: LoadError) -> DeskError {
        match e {
            LoadError::Invalid(located) => DeskError::BadInput(located),
            other => DeskError::Other(other.into()),
        }
    }
}

impl From<rusqlite::Error> for DeskError {
    fn from(e: rusqlite::Error) -> DeskError {
        DeskError::Other(e.into())
    }
}

/// Refuses with these words: for the checks an action makes before it starts.
macro_rules! refuse {
    ($($arg:tt)*) => {
        return Err($crate::desk::DeskError::Other(anyhow::anyhow!($($arg)*)))
    };
}
pub(super) use refuse;
