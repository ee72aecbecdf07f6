//! All integration tests build into this one binary (faster than one binary per file).
//! Each module tests one part through its public interface.

mod authoring;
mod lint;
mod stats;
mod tui;
mod util;
mod variants;
