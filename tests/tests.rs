//! All integration tests build into this one binary (faster than one binary per file).
//! Each module tests one part through its public interface.
// Tests may panic: a failed expectation is how they report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod accounts;
mod args_props;
mod authoring;
mod backups;
mod bad_input;
mod book_order;
mod cli;
mod cli_errors;
mod cli_rules;
mod conversation;
mod crash;
mod dates;
mod db;
mod demo;
mod dnc_props;
mod doctor;
#[path = "support/dovecot.rs"]
mod dovecot;
mod engine;
mod engine_events;
mod engine_exits;
mod engine_moves;
mod engine_props;
mod export_crm;
mod export_csv;
mod history_props;
mod import_bad_rows;
mod import_csv;
mod import_edges;
mod import_layouts;
mod import_rep_edits;
mod import_rules;
mod import_tools;
mod inbox_corpus;
mod inbox_imap;
mod inbox_sync;
mod inert;
mod lint;
#[path = "support/postfix.rs"]
mod postfix;
mod robustness;
mod schedule;
mod screenshots;
mod search_props;
mod send;
mod send_after_stop;
mod send_thread;
mod sim;
mod stats;
mod stats_rollup;
mod store;
mod store_versions;
mod trust;
mod tui;
mod undo_props;
mod util;
mod variants;
