//! Team rules applied over time: `tix tick` (from cron or a systemd
//! timer) wakes snoozed tickets, assigns tickets that waited for room,
//! and closes and locks what the config says. Every action is an entry by
//! `tix` that names the rule; each is decided again under the store lock
//! from the ticket's current state, so running `tick` twice in a row
//! does nothing the second time.

pub mod automation;
pub mod sla;
pub mod tick;
