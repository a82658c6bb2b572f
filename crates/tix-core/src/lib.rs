//! The core of tix, a help desk that lives in a git repository: everything
//! except the user interface. The `tix` binary crate parses arguments,
//! prompts and renders; nothing here knows about a terminal or clap.
//!
//! Layers, lowest first; a layer only uses the ones above it in this list:
//! - [`domain`]: ids, entries and the fold, report facts, config; pure, no
//!   I/O.
//! - [`store`]: the repository layout, reading entries, committing, locking,
//!   the derived index.
//! - [`ops`]: operations a command performs (identity, time, checks, writes).
//! - [`mail`]: parsing, classifying and filing inbound mail; rendering and
//!   sending outgoing mail.
//! - [`report`]: service metrics computed from the facts in the index;
//!   pure, like the domain.
//! - [`rules`]: the team's time rules (`tix tick`), on top of ops and mail.
//! - [`query`]: what `tix list` and `tix report` ask of the index: the
//!   filters, a listing's order, a report's tickets.
//! - [`render`]: HTML pages and SVG charts from values; pure.
//! - [`export`]: what leaves the desk: a customer's history as a static
//!   site, one ticket's public thread as a page, mail or JSON.
//!
//! [`testing_hooks`] holds the test-only environment hooks, compiled out of
//! release builds; [`warnings`] carries warnings to whatever shows them.
//! docs/architecture.md describes the layers in full, and
//! tests/it/architecture.rs (in the `tix` package) holds the code to them.

pub mod domain;
pub mod error;
pub mod export;
pub mod mail;
pub mod ops;
pub mod query;
pub mod render;
pub mod report;
pub mod rules;
pub mod search;
pub mod store;
pub mod testing_hooks;
pub mod warnings;

pub use error::{Error, ErrorKind, Result};
