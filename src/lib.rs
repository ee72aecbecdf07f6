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

pub use desk::{message, schema};
pub mod text;
pub mod tui;
