//! tix: a help desk that lives in a git repository.
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
//! - [`cli`] and `commands`: argument parsing and rendering.
//!
//! [`testing_hooks`] holds the test-only environment hooks, compiled out of
//! release builds. docs/architecture.md describes the layers in full.

#[cfg(test)]
mod architecture;
pub mod cli;
pub mod commands;
pub mod domain;
pub mod error;
pub mod mail;
pub mod ops;
pub mod report;
pub mod rules;
pub mod store;
pub mod testing_hooks;

pub use error::{Error, ErrorKind, Result};
