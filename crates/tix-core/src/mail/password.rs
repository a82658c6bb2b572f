//! Where a mail account's password comes from: an environment variable or
//! a command (`pass show support`), never the committed config. The value
//! is only ever handed to the login; no message here contains it.

use std::process::{Command, Stdio};

use crate::domain::MailAccount;
use crate::error::{Error, Result};

/// The password of account `name`. `password_env` wins when both are set
/// and the variable is present.
pub fn resolve(name: &str, account: &MailAccount) -> Result<String> {
    resolve_from(
        &format!("mail.accounts.{name}"),
        account.password_env.as_deref(),
        account.password_command.as_deref(),
    )
}

/// The password from the config section at `key` (`mail.outgoing`, say,
/// which errors name) with these `password_env` and `password_command`
/// settings. The variable wins when both are set and it is present.
pub fn resolve_from(
    key: &str,
    password_env: Option<&str>,
    password_command: Option<&str>,
) -> Result<String> {
    if let Some(var) = password_env {
        match std::env::var(var) {
            Ok(v) if !v.is_empty() => return Ok(v),
            _ if password_command.is_some() => {}
            _ => {
                return Err(Error::invalid(format!(
                    "{key}.password_env: the environment variable {var} is not set"
                )));
            }
        }
    }
    let Some(command) = password_command else {
        return Err(Error::invalid(format!(
            "{key}: no password source; set password_env or password_command"
        )));
    };
    // stderr stays the user's: a password manager may ask for a passphrase.
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .stdout(Stdio::piped())
        .output()
        .map_err(|e| Error::invalid(format!("{key}.password_command: cannot run `sh`: {e}")))?;
    if !output.status.success() {
        return Err(Error::invalid(format!(
            "{key}.password_command failed ({})",
            output.status
        )));
    }
    let text = String::from_utf8(output.stdout).map_err(|_| {
        Error::invalid(format!(
            "{key}.password_command printed something that is not UTF-8"
        ))
    })?;
    let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if first.is_empty() {
        return Err(Error::invalid(format!(
            "{key}.password_command printed no password"
        )));
    }
    Ok(first.to_string())
}
