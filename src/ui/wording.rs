//! How the command line words the core's errors. The core says what the
//! user can do as a [`Remedy`]; this file says it as the flag or
//! subcommand that does it. Causes below an error that its message does
//! not already tell become `caused by:` lines.

use std::borrow::Cow;

use tix_core::error::{Error, Remedy};

/// An error as the command line shows it.
pub struct Wording<'e> {
    pub message: Cow<'e, str>,
    pub hint: Option<Cow<'e, str>>,
    /// Causes the message does not already tell, nearest first.
    pub causes: Vec<String>,
}

/// What the remedy adds: a hint line, words after the message (where the
/// message has always said it), or the message itself when the core's
/// cannot be said without naming the command line's means.
enum Said {
    Hint(String),
    AfterMessage(String),
    MessageAndHint(&'static str, &'static str),
}

fn say(remedy: &Remedy) -> Said {
    match remedy {
        Remedy::CreateStore => Said::Hint("run `tix init` to create one here".into()),
        Remedy::NameActor => Said::MessageAndHint(
            "cannot tell who you are: no --as, no TIX_AGENT and no git user.email",
            "pass --as HANDLE, set TIX_AGENT, or run `git config user.email you@example.com`",
        ),
        Remedy::AddAgentOrActAsAnother => Said::Hint(
            "an admin can add one with `tix agent add HANDLE --email ADDRESS`, or pass --as HANDLE"
                .into(),
        ),
        Remedy::ActAsYourself { handle } => Said::Hint(format!(
            "leave out --as and TIX_AGENT to act as yourself ({handle}), or ask an admin to do it"
        )),
        Remedy::AddAgent => Said::Hint("add one with `tix agent add`".into()),
        Remedy::GiveFieldsAtClose { ticket } => Said::Hint(format!(
            "give them with `tix close {ticket} --field NAME=VALUE`"
        )),
        Remedy::FinishTasks { ticket } => Said::Hint(format!(
            "mark them done with `tix task done {ticket} N` first (tasks.refuse_close_with_open is set in .tix/config.yaml)"
        )),
        Remedy::GiveFieldsAtCreate => Said::AfterMessage(" (give --field NAME=VALUE)".into()),
        Remedy::SkipInvalid => {
            Said::Hint("add --skip-invalid to change the others and report these".into())
        }
        Remedy::Unlock => Said::Hint(
            "an admin can run `tix unlock` first; a new ticket can be linked to it".into(),
        ),
        Remedy::Reindex => Said::AfterMessage("; run `tix reindex`".into()),
        Remedy::WriteToMergeTarget { source, target } => Said::Hint(format!(
            "write to {target} instead, or undo the merge with `tix unmerge {source}`"
        )),
        Remedy::MergeTags(tags) => {
            let (from, into) = &**tags;
            Said::Hint(format!(
                "if they are one tag, fold `{from}` into `{into}` with `tix tags merge {from} {into}`"
            ))
        }
        Remedy::DeactivateAgent { handle } => Said::Hint(format!(
            "deactivate them instead, which keeps their history: `tix agent deactivate {handle}`"
        )),
        Remedy::ImportAsMaildir { path } => Said::AfterMessage(format!(
            " (for a Maildir folder use `tix import maildir {path}`)"
        )),
        Remedy::ImportAsOneMessage { path } => Said::AfterMessage(format!(
            " (to import a single message, use `tix import eml {path}`)"
        )),
        Remedy::NameGroup => Said::AfterMessage("; name one with --to".into()),
        // A remedy newer than this file: the core's own words.
        other => Said::Hint(other.to_string()),
    }
}

pub fn word(e: &Error) -> Wording<'_> {
    let mut message = Cow::Borrowed(e.message());
    let mut hint = e.hint().map(Cow::Borrowed);
    match e.remedy().map(say) {
        None => {}
        Some(Said::Hint(text)) => {
            hint.get_or_insert(Cow::Owned(text));
        }
        Some(Said::AfterMessage(text)) => message.to_mut().push_str(&text),
        Some(Said::MessageAndHint(m, h)) => {
            message = Cow::Borrowed(m);
            hint.get_or_insert(Cow::Borrowed(h));
        }
    }
    // A cause the message quotes is told already, and so is everything
    // below it (its own detail, such as libgit2's error class).
    let causes = e
        .causes()
        .map(|c| c.to_string())
        .take_while(|c| !message.contains(c.as_str()))
        .filter(|c| !c.is_empty())
        .collect();
    Wording {
        message,
        hint,
        causes,
    }
}

/// The message as the command line shows it, for the places that print
/// an error's message inside a line of their own.
pub fn message(e: &Error) -> Cow<'_, str> {
    word(e).message
}

#[cfg(test)]
mod tests {
    use super::*;
    use tix_core::error::{Context, ErrorKind};

    #[test]
    fn remedies_are_worded_as_the_command_line_says_them() {
        let e = Error::new(ErrorKind::NotInitialised, "no tix store in /x")
            .with_remedy(Remedy::CreateStore);
        let w = word(&e);
        assert_eq!(w.message, "no tix store in /x");
        assert_eq!(w.hint.as_deref(), Some("run `tix init` to create one here"));

        let e =
            Error::new(ErrorKind::Denied, "cannot tell who you are").with_remedy(Remedy::NameActor);
        let w = word(&e);
        assert_eq!(
            w.message,
            "cannot tell who you are: no --as, no TIX_AGENT and no git user.email"
        );
        assert!(w.hint.unwrap().starts_with("pass --as HANDLE"));

        let e = Error::invalid("missing required field at create: product")
            .with_remedy(Remedy::GiveFieldsAtCreate);
        assert_eq!(
            message(&e),
            "missing required field at create: product (give --field NAME=VALUE)"
        );
        assert!(word(&e).hint.is_none());

        let e = Error::invalid("ticket AB12 cannot be closed without: product").with_remedy(
            Remedy::GiveFieldsAtClose {
                ticket: "AB12".into(),
            },
        );
        assert_eq!(
            word(&e).hint.as_deref(),
            Some("give them with `tix close AB12 --field NAME=VALUE`")
        );

        let e = Error::invalid("ticket AB12 is already with the last group (second)")
            .with_remedy(Remedy::NameGroup);
        assert_eq!(
            message(&e),
            "ticket AB12 is already with the last group (second); name one with --to"
        );
    }

    #[test]
    fn a_hint_of_the_core_is_shown_as_it_is() {
        let e = Error::invalid("bad").with_hint("fix mail.outgoing.port");
        let w = word(&e);
        assert_eq!(w.message, "bad");
        assert_eq!(w.hint.as_deref(), Some("fix mail.outgoing.port"));
        assert!(w.causes.is_empty());
    }

    #[test]
    fn only_causes_the_message_does_not_tell_are_listed() {
        // Quoted in the message, as `Context` does: nothing more to say.
        let e = std::fs::read("/nonexistent/tix/f")
            .context(|| "cannot read /nonexistent/tix/f".into())
            .unwrap_err();
        assert!(word(&e).causes.is_empty(), "{:?}", word(&e).causes);
        // A git cause quoted by its message: libgit2's class and code
        // below it are not listed either.
        let e = git2::Repository::open("/nonexistent/tix/repo")
            .map(|_| ())
            .context(|| "cannot open the repository".into())
            .unwrap_err();
        assert!(word(&e).causes.is_empty(), "{:?}", word(&e).causes);
        // Not quoted: listed.
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let e = Error::internal("cannot write the index").with_source(io);
        assert_eq!(word(&e).causes, ["permission denied"]);
    }
}
