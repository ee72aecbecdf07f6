//! The pure domain: vocabulary, the working-day calendar and the cadence engine.
//! Nothing here knows about SQLite, files or the terminal.

pub mod accounts;
pub mod calendar;
pub mod checks;
pub mod conversation;
pub mod countries;
pub mod engine;
pub mod event;
pub mod fields;
pub mod holidays;
pub mod outcomes;
pub mod phones;
pub mod plan_dates;
pub mod prospect;
pub mod span;
pub mod start;
pub mod types;
pub mod when;
pub mod why;
pub mod windows;
pub mod zone_names;
pub mod zones;

pub use calendar::Calendar;
pub use engine::{
    Ctx, Effect, EngineError, Event, Opening, Record, Terms, Transition, apply, enroll,
    enroll_on_terms,
};
pub use fields::{FIELDS, Field, FieldSpec};
pub use prospect::Prospect;
pub use types::*;
pub use why::{Basis, Move, Why};
