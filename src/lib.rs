//! touchbase: a keyboard-first follow-up cadence tool for one B2B sales rep.
//!
//! Data flows one way: files, CSV and keys → [`domain`] (the pure engine) → [`store`]
//! (SQLite) → views.

pub mod cli;
pub mod clipboard;
pub mod clock;
pub mod config;
pub mod content;
pub mod demo;
pub mod desk;
pub mod doctor;
pub mod domain;
pub mod export;
pub mod import;
pub mod inbox;
pub mod paths;
pub mod stats;
mod store;

/// The schema's migrations and version numbers, for tests that build an older database.
#[doc(hidden)]
pub mod schema {
    pub use crate::stats::call_slots::define as define_call_slot;
    pub use crate::stats::rollup::rebuild as rebuild_rollups;
    pub use crate::store::schema::{APPLICATION_ID, LATEST, migrations};
}
/// The packed text of the touch log (see the store's `message` module).
pub mod message {
    pub use crate::store::message::{Message, MessageError, Unpacker, pack};
}
pub mod text;
pub mod tui;
