//! `tasks:`: the team's rules about the tasks inside tickets.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TasksConfig {
    /// Refuse to close a ticket while it has open tasks (otherwise the
    /// close goes ahead with a warning).
    #[serde(default, skip_serializing_if = "super::is_false")]
    pub refuse_close_with_open: bool,
}

impl TasksConfig {
    pub(super) fn is_default(&self) -> bool {
        *self == TasksConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Config;

    #[test]
    fn an_unknown_key_is_named() {
        let err = Config::parse("format: 1\ntasks:\n  refuse_close: true\n").unwrap_err();
        assert!(err.contains("refuse_close"), "{err}");
        let ok = Config::parse("format: 1\ntasks:\n  refuse_close_with_open: true\n").unwrap();
        assert!(ok.tasks.refuse_close_with_open);
        assert!(ok.to_yaml().contains("refuse_close_with_open: true"));
    }
}
