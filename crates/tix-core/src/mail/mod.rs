//! E-mail: parsing inbound messages, telling noise (auto-replies, bounces,
//! list mail, our own mail) from people, and separating a reply from the
//! history it quotes; fetching it from POP3 and IMAP servers ([`net`]);
//! rendering and sending mail ([`send`]). A feature layer: it uses the
//! domain and the store, never the CLI.

pub mod answer;
pub mod classify;
pub mod commands;
pub mod compose;
pub mod fetch;
pub mod import;
pub mod mailbox;
pub mod net;
pub mod parse;
pub mod password;
pub mod quote;
pub mod respond;
pub mod rule_mail;
pub mod send;
pub mod survey;
pub mod template;

/// The old name of [`import`], kept so callers need not change with it.
pub use import as file;
