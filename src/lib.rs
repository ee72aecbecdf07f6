//! touchbase: a keyboard-first follow-up cadence tool for one B2B sales rep.
//!
//! Data flows one way. A key ([`tui`]) or a command ([`cli`]) becomes a request to the
//! [`desk`], the only door to the data: one event is one `desk::Happened`, one action one
//! IMMEDIATE transaction. Inside it the desk reads what the decision rests on, asks the pure
//! engine ([`domain`]: one function per event, no SQLite, no terminal) and writes the answer
//! through its private store (SQLite; frozen migrations). What comes from files is parsed
//! by pure modules first ([`content`] for sequences and templates, [`import`] for CSV,
//! [`inbox`] for mail) and what goes out is shaped by pure ones ([`export`], [`stats`]); the
//! desk does their reading and writing. The views only draw.

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
pub mod send;
pub mod stats;

pub use desk::{message, schema};
pub mod text;
pub mod tui;
