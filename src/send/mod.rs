//! Sending from the rep's own mailbox (DESIGN §9): the message as it goes out, and the
//! transports that hand it over (SMTP, or a sendmail-compatible command). Nothing here knows
//! the book: the desk decides what is sent and records that it was.

pub mod message;
pub mod transport;

pub use message::{Outgoing, build, new_message_id};
pub use transport::{SendError, Transport};
