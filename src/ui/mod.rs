//! The terminal side of every command, below the commands: writing results
//! ([`output`], with a result's columns declared once in [`columns`]),
//! reading what the user gives ([`input`]), how an error is
//! worded ([`wording`]) and the values of dynamic shell completion
//! ([`complete`]). Nothing here knows a command;
//! commands use it, never the other way round.

pub mod columns;
pub mod complete;
pub mod input;
pub mod mail;
pub mod output;
pub mod wording;
