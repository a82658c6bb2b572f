//! One module per subcommand (a family such as `report` or `agent` is one
//! module with its own sub-enum). Each owns its clap argument struct and
//! a `cmd_<name>` that turns the parsed arguments into calls on the lower
//! layers and renders the result. What they share is in [`prelude`] and
//! `crate::ui`; no command module uses another.

pub mod prelude;

pub mod agent;
pub mod assign;
pub mod blacklist;
pub mod cc;
pub mod check;
pub mod close;
pub mod comment;
pub mod create;
pub mod customer;
pub mod department;
pub mod duty;
pub mod escalate;
pub mod export;
pub mod field;
pub mod forward;
pub mod group;
pub mod import;
pub mod init;
pub mod link;
pub mod list;
pub mod lock;
pub mod log;
pub mod log_call;
pub mod log_chat;
pub mod merge;
pub mod outbox;
pub mod priority;
pub mod purge;
pub mod quarantine;
pub mod redact;
pub mod reindex;
pub mod reopen;
pub mod reply;
pub mod report;
pub mod resolution;
pub mod rules;
pub mod search;
pub mod show;
pub mod similar;
pub mod sla;
pub mod snooze;
pub mod split;
pub mod status;
pub mod subject;
pub mod sync;
pub mod tag;
pub mod tags;
pub mod task;
pub mod tasks;
pub mod tick;
pub mod views;
