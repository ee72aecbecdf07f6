//! The inbox (DESIGN §8): messages read from the rep's mailbox, classified, and matched to
//! prospects. This module knows messages only; applying what they mean is the desk's.

pub mod classify;
pub mod imap;
pub mod mail;
pub mod maildir;
pub mod return_date;
pub mod secret;
pub mod sent_folder;
pub mod suggest;

pub use classify::{Kind, classify};
pub use mail::Mail;
pub use return_date::Back;
