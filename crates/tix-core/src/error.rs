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

/// A way out that the program showing the error puts in its own words:
/// the core knows what the user can do, not how they say it (a flag, a
/// subcommand, a button). The tix binary words each one in `src/ui`;
/// shown by [`Error`]'s `Display`, it reads in the core's own terms.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Remedy {
    /// There is no store here: make one.
    CreateStore,
    /// No acting agent was named and git has no user e-mail to fall back
    /// on: name one, or give git an e-mail.
    NameActor,
    /// The acting agent is not an agent of the store: an admin adds them,
    /// or the user acts as an agent who is.
    AddAgentOrActAsAnother,
    /// A non-admin named another agent to act as: act as yourself, or ask
    /// an admin.
    ActAsYourself { handle: String },
    /// An agent named (as assignee, say) is not an agent of the store: an
    /// admin adds them.
    AddAgent,
    /// A ticket cannot be closed without fields: give them when closing.
    GiveFieldsAtClose { ticket: String },
    /// A ticket is not closed while it has open tasks: finish them first.
    FinishTasks { ticket: String },
    /// A ticket cannot be created without fields: give them.
    GiveFieldsAtCreate,
    /// Some tickets of a change to several refuse it: leave them out, or
    /// change the others one by one.
    SkipInvalid,
    /// The ticket is locked: an admin unlocks it, or a new ticket links to it.
    Unlock,
    /// The derived index cannot be read: rebuild it.
    Reindex,
    /// `path` is a Maildir folder given as an mbox file.
    ImportAsMaildir { path: String },
    /// `path` is a single message given as an mbox file.
    ImportAsOneMessage { path: String },
    /// A ticket with the last group escalates only to a group named.
    NameGroup,
    /// The ticket was merged into `target`: write there, or undo the merge.
    WriteToMergeTarget { source: String, target: String },
    /// A tag renamed to one in use: fold the one (first) into the other
    /// instead. Boxed, so every error stays small.
    MergeTags(Box<(String, String)>),
    /// An agent with history cannot be removed: deactivate them instead.
    DeactivateAgent { handle: String },
}

impl fmt::Display for Remedy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Remedy::CreateStore => f.write_str("create a store here"),
            Remedy::NameActor => f.write_str("name the acting agent, or set git's user.email"),
            Remedy::AddAgentOrActAsAnother => {
                f.write_str("an admin can add the agent, or act as an agent of the store")
            }
            Remedy::ActAsYourself { handle } => write!(
                f,
                "act as yourself ({handle}) without naming another agent, or ask an admin"
            ),
            Remedy::AddAgent => f.write_str("an admin can add the agent"),
            Remedy::GiveFieldsAtClose { ticket } => {
                write!(f, "give the fields when closing ticket {ticket}")
            }
            Remedy::FinishTasks { ticket } => write!(
                f,
                "mark the tasks of ticket {ticket} done first (tasks.refuse_close_with_open is set in the config)"
            ),
            Remedy::GiveFieldsAtCreate => f.write_str("give the fields when creating the ticket"),
            Remedy::SkipInvalid => {
                f.write_str("leave the refused tickets out to change the others")
            }
            Remedy::Unlock => {
                f.write_str("an admin can unlock it first; a new ticket can be linked to it")
            }
            Remedy::Reindex => f.write_str("rebuild the derived index"),
            Remedy::ImportAsMaildir { path } => write!(f, "import {path} as a Maildir folder"),
            Remedy::ImportAsOneMessage { path } => write!(f, "import {path} as one message"),
            Remedy::NameGroup => f.write_str("name the group to escalate to"),
            Remedy::WriteToMergeTarget { source, target } => {
                write!(f, "write to {target} instead, or unmerge {source} first")
            }
            Remedy::MergeTags(tags) => {
                let (from, into) = &**tags;
                write!(f, "merge tag {from} into {into} if they are one tag")
            }
            Remedy::DeactivateAgent { handle } => {
                write!(f, "deactivate {handle} instead, which keeps their history")
            }
        }
    }
}

/// What caused an error, when there is something below it (an I/O or git
/// failure).
pub type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
    remedy: Option<Remedy>,
    source: Option<Source>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hint: None,
            remedy: None,
            source: None,
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

    /// Adds a line telling the user what to do about it, in terms that
    /// need no particular interface (a config key, a git command, a file).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a way out that the program words for its interface.
    pub fn with_remedy(mut self, remedy: Remedy) -> Self {
        self.remedy = Some(remedy);
        self
    }

    /// Keeps the lower-level error that caused this one, for
    /// [`std::error::Error::source`].
    pub fn with_source(mut self, source: impl Into<Source>) -> Self {
        self.source = Some(source.into());
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

    pub fn remedy(&self) -> Option<&Remedy> {
        self.remedy.as_ref()
    }

    /// The errors below this one, nearest first.
    pub fn causes(&self) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
        std::iter::successors(std::error::Error::source(self), |e| e.source())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        } else if let Some(remedy) = &self.remedy {
            write!(f, "\nhint: {remedy}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A libgit2 error as a cause: shown by its message alone, as tix's
/// messages quote it, with the class and code kept for `Debug`.
#[derive(Debug)]
pub struct GitError(pub git2::Error);

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.message())
    }
}

impl std::error::Error for GitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<git2::Error> for GitError {
    fn from(e: git2::Error) -> Self {
        GitError(e)
    }
}

/// Attaches what was being done to low-level errors, so that an I/O or git
/// failure names the file or object involved. The low-level error stays
/// as the source.
pub trait Context<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, std::io::Error> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Error::internal(format!("{}: {e}", what())).with_source(e))
    }
}

impl<T> Context<T> for std::result::Result<T, git2::Error> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| {
            Error::internal(format!("{}: {}", what(), e.message())).with_source(GitError(e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_keeps_the_io_error_as_the_source() {
        let io = std::fs::read("/nonexistent/tix/file").context(|| "cannot read it".into());
        let err = io.unwrap_err();
        assert!(err.message().starts_with("cannot read it: "), "{err}");
        let cause = std::error::Error::source(&err).expect("a source");
        let io = cause
            .downcast_ref::<std::io::Error>()
            .expect("an io::Error");
        assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
        assert_eq!(err.causes().count(), 1);
    }

    #[test]
    fn a_git_cause_reads_as_its_message_and_keeps_the_git2_error_below() {
        let git = git2::Repository::open("/nonexistent/tix/repo").map(|_| ());
        let err = git.context(|| "cannot open".into()).unwrap_err();
        let causes: Vec<String> = err.causes().map(|c| c.to_string()).collect();
        assert_eq!(causes.len(), 2, "{causes:?}");
        assert!(err.message().ends_with(&causes[0]), "{err} / {causes:?}");
        assert!(causes[1].contains("class="), "{causes:?}");
    }

    #[test]
    fn a_remedy_reads_in_core_terms_unless_a_hint_is_given() {
        let err =
            Error::new(ErrorKind::NotInitialised, "no store").with_remedy(Remedy::CreateStore);
        assert_eq!(err.to_string(), "no store\nhint: create a store here");
        assert_eq!(err.hint(), None);
        assert_eq!(err.remedy(), Some(&Remedy::CreateStore));
        let err = err.with_hint("in the core's words");
        assert_eq!(err.to_string(), "no store\nhint: in the core's words");
    }
}
