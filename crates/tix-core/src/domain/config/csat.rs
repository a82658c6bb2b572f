//! `csat:`: satisfaction surveys e-mailed after a ticket is closed.

use serde::{Deserialize, Serialize};

use crate::domain::csat::Scale;
use crate::domain::duration::Duration;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CsatConfig {
    /// Off unless turned on: a survey is mail to every customer.
    pub enabled: bool,
    /// How long after the close `tix tick` sends the survey.
    pub delay: Duration,
    pub scale: Scale,
    /// How long after the survey an answer (or a changed one) counts; a
    /// later one is an ordinary message on the closed ticket.
    pub window: Duration,
    /// The template (`.tix/templates/<name>.md`, built in: `csat`).
    pub template: String,
    /// Tickets with any of these tags are never surveyed.
    pub exclude: Vec<String>,
}

impl Default for CsatConfig {
    fn default() -> Self {
        CsatConfig {
            enabled: false,
            delay: Duration::days(1),
            scale: Scale::GoodBad,
            window: Duration::days(14),
            template: "csat".into(),
            exclude: vec!["spam".into(), "noise".into()],
        }
    }
}

impl CsatConfig {
    pub(super) fn is_default(&self) -> bool {
        *self == CsatConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Config;
    use crate::domain::csat::Scale;

    #[test]
    fn keys_parse_and_a_bad_one_is_named() {
        let c = Config::parse(
            "format: 1\ncsat:\n  enabled: true\n  delay: 2h\n  scale: 1-5\n  window: 3d\n",
        )
        .unwrap();
        assert!(c.csat.enabled);
        assert_eq!(c.csat.delay.seconds(), 7200);
        assert_eq!(c.csat.window.seconds(), 3 * 86_400);
        assert_eq!(c.csat.scale, Scale::OneToFive);
        assert_eq!(c.csat.exclude, ["spam", "noise"]);
        let err = Config::parse("format: 1\ncsat:\n  scale: 1-10\n").unwrap_err();
        assert!(err.contains("1-10") || err.contains("scale"), "{err}");
        let err = Config::parse("format: 1\ncsat:\n  delay: soon\n").unwrap_err();
        assert!(err.contains("soon") || err.contains("delay"), "{err}");
        let err = Config::parse("format: 1\ncsat:\n  enable: true\n").unwrap_err();
        assert!(err.contains("enable"), "{err}");
    }
}
