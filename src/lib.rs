//! The `tix` program: argument parsing, prompts, rendering, completions
//! and man pages, on top of the UI-free `tix_core` crate. Commands turn
//! their arguments into options and call into `tix_core::ops`.
//! docs/architecture.md describes the layers.

pub mod cli;
pub mod commands;
pub mod ui;
