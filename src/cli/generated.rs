//! Completion scripts and man pages, generated from the clap definitions.
//! They are committed under `completions/` and `man/`; a test fails when
//! they differ from what this produces.

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// The variable that asks tix for completions instead of running a
/// command. Not clap's default `COMPLETE`: a name that general may be set
/// for something else, and would turn every tix run into a completion.
pub const COMPLETE_VAR: &str = "TIX_COMPLETE";

fn factory() -> clap::Command {
    Cli::command()
}

/// Dynamic completion: the shell runs `TIX_COMPLETE=SHELL tix -- WORDS`,
/// and tix answers from the store (ticket ids, agents, tags, fields) and
/// from the clap definitions.
pub fn complete_env() -> clap_complete::CompleteEnv<'static, fn() -> clap::Command> {
    clap_complete::CompleteEnv::with_factory(factory as fn() -> clap::Command)
        .var(COMPLETE_VAR)
        // The scripts call `tix` from PATH, not the binary that wrote them.
        .completer("tix")
}

/// The shells completion scripts are written for, and their files.
fn shells() -> [(&'static dyn clap_complete::env::EnvCompleter, &'static str); 5] {
    use clap_complete::env::{Bash, Elvish, Fish, Powershell, Zsh};
    [
        (&Bash, "tix.bash"),
        (&Zsh, "_tix"),
        (&Fish, "tix.fish"),
        (&Elvish, "tix.elv"),
        (&Powershell, "_tix.ps1"),
    ]
}

fn registration(shell: &dyn clap_complete::env::EnvCompleter) -> Vec<u8> {
    let mut buf = Vec::new();
    shell
        .write_registration(COMPLETE_VAR, "tix", "tix", "tix", &mut buf)
        .expect("writing into memory cannot fail");
    buf
}

/// Every generated file: (path relative to the repository, contents).
pub fn render_all() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (shell, file) in shells() {
        out.push((format!("completions/{file}"), registration(shell)));
    }
    let mut cmd = Cli::command();
    // Propagates global options into every subcommand's page.
    cmd.build();
    let cmd = hide_help_subcommands(cmd);
    out.push(("man/tix.1".to_string(), man_page(&cmd, true)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("tix-{}", sub.get_name());
        let page = sub.clone().name(name.clone());
        out.push((format!("man/{name}.1"), man_page(&page, false)));
        for nested in sub.get_subcommands().filter(|s| !s.is_hide_set()) {
            let nested_name = format!("{name}-{}", nested.get_name());
            let page = nested.clone().name(nested_name.clone());
            out.push((format!("man/{nested_name}.1"), man_page(&page, false)));
        }
    }
    out
}

/// clap's `help` subcommands get no page of their own (`--help` and the
/// pages cover them), and no page lists one.
fn hide_help_subcommands(mut cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name.as_str(), |s| {
            if s.get_name() == "help" {
                s.hide(true)
            } else {
                hide_help_subcommands(s)
            }
        });
    }
    cmd
}

/// Placeholders of an argument: its value names, else its id in capitals.
fn value_names(arg: &clap::Arg) -> String {
    arg.get_value_names()
        .map(|v| {
            v.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
}

/// The SYNOPSIS line with every option's placeholder (`[-C DIR]`,
/// `[--as AGENT]`), which clap_mangen leaves out.
fn synopsis(cmd: &clap::Command) -> String {
    use clap::ArgAction;
    let mut line = cmd
        .get_bin_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string();
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        if arg.is_positional() {
            continue;
        }
        let flag = match (arg.get_short(), arg.get_long()) {
            (Some(s), Some(l)) => format!("-{s}|--{l}"),
            (Some(s), None) => format!("-{s}"),
            (None, Some(l)) => format!("--{l}"),
            (None, None) => continue,
        };
        let value = match arg.get_action() {
            ArgAction::Set | ArgAction::Append => format!(" {}", value_names(arg)),
            _ => String::new(),
        };
        let repeat = if matches!(arg.get_action(), ArgAction::Append) {
            "..."
        } else {
            ""
        };
        if arg.is_required_set() {
            line.push_str(&format!(" {flag}{value}{repeat}"));
        } else {
            line.push_str(&format!(" [{flag}{value}]{repeat}"));
        }
    }
    for arg in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        let many = if matches!(arg.get_action(), ArgAction::Append) {
            "..."
        } else {
            ""
        };
        if arg.is_required_set() {
            line.push_str(&format!(" {}{many}", value_names(arg)));
        } else {
            line.push_str(&format!(" [{}{many}]", value_names(arg)));
        }
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        line.push_str(" COMMAND");
    }
    line
}

/// A page: clap_mangen's sections, without its EXTRA (the exit codes of
/// `--help`, which get a proper EXIT STATUS here), plus tix's own.
fn man_page(cmd: &clap::Command, top: bool) -> Vec<u8> {
    let cmd = cmd.clone().override_usage(synopsis(cmd));
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    let mut render = || -> std::io::Result<()> {
        man.render_title(&mut buf)?;
        man.render_name_section(&mut buf)?;
        man.render_synopsis_section(&mut buf)?;
        man.render_description_section(&mut buf)?;
        if cmd.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut buf)?;
        }
        if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
            man.render_subcommands_section(&mut buf)?;
        }
        buf.extend_from_slice(if top { TOP_SECTIONS } else { SUB_SECTIONS }.as_bytes());
        if cmd.get_version().is_some() {
            man.render_version_section(&mut buf)?;
        }
        Ok(())
    };
    render().expect("rendering into memory cannot fail");
    buf
}

/// The sections of tix(1) that clap cannot generate, in roff.
const TOP_SECTIONS: &str = r#".SH ENVIRONMENT
.TP
\fBTIX_AGENT\fR
Who is acting when \fB\-\-as\fR is not given (a handle or an e\-mail address); else git's \fBuser.email\fR.
.TP
\fBTIX_LOCK_TIMEOUT\fR
Seconds to wait for another tix process's write lock (default 30).
.TP
\fBTIX_NOW\fR
Pretend it is this time (RFC 3339), for tests and dry runs.
.TP
\fBVISUAL\fR, \fBEDITOR\fR
The editor for entry text on a terminal (empty counts as unset; default \fBvi\fR). It runs as \fBsh \-c '$EDITOR "$@"'\fR, so it may carry arguments; an editor that exits non\-zero writes nothing.
.TP
\fBTMPDIR\fR
Where editor drafts are written (default \fI/tmp\fR).
.TP
\fBCOLUMNS\fR
The width tables are fitted to (default: the terminal's).
.TP
\fBNO_COLOR\fR
No colour, even on a terminal.
.TP
\fBTIX_COMPLETE\fR
Set by the completion scripts: tix prints completions for the words after \fB\-\-\fR instead of running a command.
.SH FILES
.TP
\fI.tix/config.yaml\fR
The store's configuration: team, agents, groups, custom fields, rules, SLA targets, mail. Committed like everything else.
.TP
\fI.tix/templates/NAME.md\fR
Canned answers for \fBtix reply \-\-template NAME\fR.
.TP
\fItickets/XX/ID/\fR
One directory per ticket: one append\-only Markdown file with YAML front matter per event, and the ticket's attachments and original mail.
.TP
\fIquarantine/\fR
Mail that could not be filed, with the reason.
.TP
\fI.git/tix/\fR
The derived index, never committed; \fBtix reindex\fR rebuilds it.
.SH "EXIT STATUS"
.TP
\fB0\fR
Success.
.TP
\fB1\fR
Internal error (I/O, git).
.TP
\fB2\fR
Usage error (bad arguments).
.TP
\fB3\fR
Not found (ticket, agent, file).
.TP
\fB4\fR
Ambiguous ticket id prefix.
.TP
\fB5\fR
The ticket is locked.
.TP
\fB6\fR
Invalid input (a value, a file, a missing required field), or the editor failed.
.TP
\fB7\fR
No tix store here (run \fBtix init\fR), or \fB\-C\fR names no directory.
.TP
\fB8\fR
Store busy (another tix process held the lock too long).
.TP
\fB9\fR
Not permitted (unknown agent, or not an admin).
.TP
\fB10\fR
\fBtix check\fR found problems.
.TP
\fB11\fR
A mail server could not be reached, failed TLS or broke its protocol.
.TP
\fB12\fR
A mail server refused the user name or password.
.TP
\fB13\fR
\fBtix sync\fR: the git remote could not be reached; nothing was changed.
.TP
\fB14\fR
\fBtix sync\fR: the git remote refused the credentials; nothing was changed.
.TP
\fB65\fR, \fB75\fR
\fBtix import eml\fR only: the message was refused (EX_DATAERR), or the store is busy and the MTA should try again later (EX_TEMPFAIL).
.SH EXAMPLES
.TP
\fBtix init \-\-name "Acme support"\fR
Make the current git repository (or a new one) a tix store, with you as its first admin.
.TP
\fBtix create \-\-customer "Ann <ann@example.com>" \-\-subject "Printer jams" \-m "It jams on page 2."\fR
Open a ticket; prints its id.
.TP
\fBtix list \-\-mine \-\-sort priority\fR
Your open tickets, most urgent first.
.TP
\fBtix reply 7K3 \-m "Fixed in 2.1." \-\-status pending\fR
Answer the customer (by e\-mail when configured) and wait for them.
.TP
\fBtix close 7K3 \-\-field resolution=fixed\fR
Close a ticket, giving a field required at close.
.TP
\fBtix import eml < message.eml\fR
File one message, as an MTA pipe does.
.TP
\fBtix report summary \-\-since 30d \-\-format json\fR
Service figures for the last 30 days, for a script.
.SH "SEE ALSO"
\fBgit\fR(1), and the page of each command above, e.g. \fBtix\-list\fR(1). The store format, mail handling, rules, SLA clocks and every report metric are specified in the \fIdocs/\fR folder of the tix source distribution (format.md, mail.md, rules.md, sla.md, reports.md, cli.md).
"#;

/// The sections every command's page ends with.
const SUB_SECTIONS: &str = r#".SH "EXIT STATUS"
0 on success; otherwise one of the codes listed in \fBtix\fR(1): 1 internal error, 2 usage, 3 not found, 4 ambiguous id, 5 locked, 6 invalid input, 7 no store, 8 busy, 9 not permitted.
.SH "SEE ALSO"
\fBtix\fR(1)
"#;

/// Writes the completion script for `shell` to stdout.
pub fn print_completions(shell: Shell) -> tix_core::error::Result<()> {
    let name = match shell {
        Shell::Bash => "bash",
        Shell::Zsh => "zsh",
        Shell::Fish => "fish",
        Shell::Elvish => "elvish",
        Shell::PowerShell => "powershell",
        _ => {
            return Err(tix_core::error::Error::invalid(format!(
                "no completion for {shell}"
            )));
        }
    };
    let (completer, _) = shells()
        .into_iter()
        .find(|(c, _)| c.is(name))
        .expect("every listed shell has a completer");
    let script = registration(completer);
    crate::ui::output::print(&String::from_utf8_lossy(&script))
}
