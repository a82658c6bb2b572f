//! Test-only hooks: environment variables that let the integration tests
//! steer the real binary into states that are slow or impossible to reach
//! otherwise (a crash at a chosen point, git's split index on a tiny
//! store).
//!
//! They are read only in builds with debug assertions, which is the
//! binary `cargo test` builds and runs. `cargo build --release` compiles
//! them out: a user's environment must not be able to make a release tix
//! abort halfway through a fetch or change how it writes git's index.
//!
//! This module is the one place that lists them; `src/` reads no other
//! test-only variable (a test in this module checks that). Variables a
//! user may set (`TIX_AGENT`, `TIX_LOCK_TIMEOUT`, `TIX_NOW`, ...) are read
//! where they are used and documented in the README.

use std::ffi::OsString;

/// Whether this build honours the hooks.
pub const ENABLED: bool = cfg!(debug_assertions);

/// `TIX_FAILPOINT=<name>`: abort the process at the failpoint `name`.
pub const FAILPOINT: &str = "TIX_FAILPOINT";
/// `TIX_SPLIT_INDEX_AT=<n>`: turn git's split index on from `n` index
/// entries instead of the built-in threshold.
pub const SPLIT_INDEX_AT: &str = "TIX_SPLIT_INDEX_AT";
/// `TIX_RESPLIT_AT=<n>`: fold the split index's additions into a new
/// shared index past `n` additions instead of the built-in number.
pub const RESPLIT_AT: &str = "TIX_RESPLIT_AT";

/// Every test-only variable, for tests that clear them from the
/// environment they inherit.
pub const ALL: &[&str] = &[FAILPOINT, SPLIT_INDEX_AT, RESPLIT_AT];

/// Aborts the process (SIGABRT: no destructor, no flush, as a `kill -9`
/// there would) when `TIX_FAILPOINT` names this point; for the tests of
/// crash safety.
pub fn failpoint(name: &str) {
    if var(FAILPOINT).is_some_and(|v| v == name) {
        std::process::abort();
    }
}

/// The entry count from which git's split index is turned on.
pub fn split_index_at(default: u32) -> u32 {
    number(SPLIT_INDEX_AT).unwrap_or(default)
}

/// The number of split-index additions past which tix re-splits.
pub fn resplit_at(default: usize) -> usize {
    number(RESPLIT_AT).unwrap_or(default)
}

fn number<T: std::str::FromStr>(name: &str) -> Option<T> {
    var(name)?.to_str()?.trim().parse().ok()
}

fn var(name: &str) -> Option<OsString> {
    gate(ENABLED, || std::env::var_os(name))
}

/// `read` only when `enabled`: with the constant `false` of a release
/// build the read, and every hook behind it, is dead code.
fn gate<T>(enabled: bool, read: impl FnOnce() -> Option<T>) -> Option<T> {
    if enabled { read() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_gate_never_reads_the_environment() {
        let read = || -> Option<OsString> { panic!("read the environment") };
        assert_eq!(gate(false, read), None);
        assert_eq!(gate(true, || Some(7)), Some(7));
        assert_eq!(gate(true, || None::<u8>), None);
    }

    #[test]
    fn the_gate_follows_debug_assertions() {
        // `cargo test` (debug) must exercise the hooks; a release build,
        // where debug assertions are off, must not honour them.
        assert_eq!(ENABLED, cfg!(debug_assertions));
    }
}
