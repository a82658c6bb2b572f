//! Where the store keeps things.

pub const CONFIG_PATH: &str = ".tix/config.yaml";
pub const TICKETS_DIR: &str = "tickets";
pub const FILES_DIR: &str = "files";
pub const QUARANTINE_DIR: &str = "quarantine";
