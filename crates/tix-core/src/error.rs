//! One error type for the whole tool. Every error carries a [`ErrorKind`]
//! that maps to a documented exit code, so scripts can tell "not found"
//! from "locked" without parsing messages.

use std::fmt;

/// What went wrong, as far as a caller or a script needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// An I/O or git failure, or a bug. Exit code 1.
    Internal,
    /// Bad command-line usage (clap reports most of these itself). Exit code 2.
    Usage,
    /// A ticket, agent, file or field does not exist. Exit code 3.
    NotFound,
    /// A ticket id prefix matches more than one ticket. Exit code 4.
    Ambiguous,
    /// The ticket is locked and refuses changes. Exit code 5.
    Locked,
    /// A value, file or stored entry is not what was expected. Exit code 6.
    Invalid,
    /// No tix store in this directory or any parent. Exit code 7.
    NotInitialised,
    /// Another tix process holds the store lock for too long. Exit code 8.
    Busy,
    /// The acting agent is unknown or lacks the role for this action. Exit code 9.
    Denied,
    /// `tix check` found problems in the store. Exit code 10.
    CheckFailed,
    /// A mail server could not be reached, failed the TLS handshake or
    /// certificate check, timed out, went away or broke its protocol.
    /// Exit code 11.
    Network,
    /// A mail server refused the user name or password. Exit code 12.
    AuthFailed,
    /// `tix sync`: the git remote could not be reached (name, network,
    /// no repository there). Exit code 13.
    RemoteUnreachable,
    /// `tix sync`: the git remote refused the credentials (ssh key,
    /// password, token). Exit code 14.
    RemoteAuthFailed,
    /// `tix import eml`: the message was refused (sysexits EX_DATAERR, 65).
    MailRefused,
    /// `tix import eml`: the store is busy or unavailable; the MTA should
    /// try again later (sysexits EX_TEMPFAIL, 75).
    MailTempFail,
}

impl ErrorKind {
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Internal => 1,
            ErrorKind::Usage => 2,
            ErrorKind::NotFound => 3,
            ErrorKind::Ambiguous => 4,
            ErrorKind::Locked => 5,
            ErrorKind::Invalid => 6,
            ErrorKind::NotInitialised => 7,
            ErrorKind::Busy => 8,
            ErrorKind::Denied => 9,
            ErrorKind::CheckFailed => 10,
            ErrorKind::Network => 11,
            ErrorKind::AuthFailed => 12,
            ErrorKind::RemoteUnreachable => 13,
            ErrorKind::RemoteAuthFailed => 14,
            ErrorKind::MailRefused => 65,
            ErrorKind::MailTempFail => 75,
        }
    }
}

#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hint: None,
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    /// Adds a line telling the user what to do about it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Attaches what was being done to low-level errors, so that an I/O or git
/// failure names the file or object involved.
pub trait Context<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, std::io::Error> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Error::internal(format!("{}: {e}", what())))
    }
}

impl<T> Context<T> for std::result::Result<T, git2::Error> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Error::internal(format!("{}: {}", what(), e.message())))
    }
}
