//! The counts behind Stats, read from the store: the rollup tables the log's triggers keep
//! (`rollup`, `responses`, `call_slots`), the reading of them (`compute`), and the same
//! numbers straight from the raw log (`reference`), which tests hold the rollups to.

pub mod after_reply;
pub mod after_reply_days;
pub mod call_slots;
pub mod compute;
mod kinds;
pub mod reference;
pub mod response_days;
pub mod responses;
pub mod rollup;
