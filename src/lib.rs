//! touchbase: a keyboard-first follow-up cadence tool for one B2B sales rep.
//!
//! Data flows one way: files, CSV and keys → [`domain`] (the pure engine) → [`store`]
//! (SQLite) → views.

pub mod cli;
pub mod clipboard;
pub mod config;
pub mod content;
pub mod demo;
pub mod desk;
pub mod domain;
pub mod export;
pub mod import;
pub mod paths;
pub mod stats;
pub mod store;
pub mod text;
pub mod tui;
