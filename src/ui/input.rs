//! Reading what the user gives: entry text, attachments, prompts. Prompts
//! and the editor are used only on a terminal; elsewhere a missing value is
//! an error that says how to give it.

use std::io::{IsTerminal, Read};
use std::path::Path;

use tix_core::domain::{FieldDef, FieldType, FieldValue, TicketId};
use tix_core::error::{Error, Result};
use tix_core::ops::NewAttachment;

pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

pub fn interactive() -> bool {
    stdin_is_terminal() && std::io::stderr().is_terminal()
}

/// The most text one entry takes from `-F` (a file or standard input):
/// the front matter limit readers apply, and far beyond any message a
/// person writes; anything larger belongs in an attachment.
pub const MAX_TEXT_BYTES: u64 = 4 << 20;

/// The text given with `-m` or `-F`, if any.
pub fn given_body(message: &[String], file: Option<&Path>) -> Result<Option<String>> {
    if !message.is_empty() {
        return Ok(Some(message.join("\n\n")));
    }
    let Some(path) = file else {
        return Ok(None);
    };
    let what = if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    let too_large = |size: Option<u64>| {
        let size = size.map_or_else(
            || format!("more than {MAX_TEXT_BYTES} bytes"),
            |n| format!("{n} bytes"),
        );
        Error::invalid(format!(
            "{what} is {size}; entry text is at most {MAX_TEXT_BYTES} bytes"
        ))
        .with_hint("attach large files with --attach")
    };
    // Read at most one byte more than the limit: `-F /dev/zero`, or a
    // pipe that never ends, must not fill memory before being refused.
    let mut buf = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_TEXT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::internal(format!("cannot read standard input: {e}")))?;
    } else {
        let file = std::fs::File::open(path).map_err(|e| {
            let message = format!("cannot read {what}: {e}");
            match e.kind() {
                std::io::ErrorKind::NotFound => Error::not_found(message),
                _ => Error::invalid(message),
            }
        })?;
        let meta = file
            .metadata()
            .map_err(|e| Error::internal(format!("cannot read {what}: {e}")))?;
        if meta.is_dir() {
            return Err(Error::invalid(format!(
                "{what} is a directory, not a text file"
            )));
        }
        if meta.is_file() && meta.len() > MAX_TEXT_BYTES {
            return Err(too_large(Some(meta.len())));
        }
        file.take(MAX_TEXT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::invalid(format!("cannot read {what}: {e}")))?;
    }
    if buf.len() as u64 > MAX_TEXT_BYTES {
        return Err(too_large(None));
    }
    let bytes = buf;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::invalid(format!("{what} is not UTF-8 text"))
            .with_hint("attach binary files with --attach")
    })?;
    if text.contains('\0') {
        return Err(Error::invalid(format!(
            "{what} contains a NUL byte, which entry text cannot hold"
        ))
        .with_hint("attach binary files with --attach"));
    }
    Ok(Some(text))
}

/// The text for an entry that needs one: `-m`, `-F`, or the editor on a
/// terminal.
pub fn required_body(message: &[String], file: Option<&Path>, what: &str) -> Result<String> {
    if let Some(text) = given_body(message, file)? {
        if text.trim().is_empty() {
            return Err(Error::invalid(format!("the {what} is empty")));
        }
        return Ok(text);
    }
    if interactive() {
        let text = edit(&format!(
            "\n# Write the {what} above. Lines starting with # are removed.\n"
        ))?;
        if text.trim().is_empty() {
            return Err(Error::invalid(format!(
                "the {what} is empty; nothing written"
            )));
        }
        return Ok(text);
    }
    Err(Error::invalid(format!("no text for the {what}"))
        .with_hint("give it with -m TEXT, -F FILE, or -F - to read standard input"))
}

/// Opens $VISUAL/$EDITOR on a draft; lines starting with `#` are dropped,
/// as git does.
///
/// Like git: an empty variable counts as unset, the editor runs through
/// `sh -c` so `EDITOR="code --wait"` works, tix ignores Ctrl-C while it
/// runs (the editor decides what Ctrl-C means), and an editor that fails
/// or is interrupted writes nothing. A draft the user typed into is kept,
/// and the error says where.
pub fn edit(template: &str) -> Result<String> {
    let editor = editor_command();
    let draft = Draft::create(template)?;
    let status = run_editor(&editor, &draft.path)?;
    let text = std::fs::read(&draft.path).map_err(|e| {
        Error::internal(format!(
            "cannot read the draft {}: {e}",
            draft.path.display()
        ))
    });
    let failure = match status.code() {
        Some(0) => None,
        Some(127) => Some(format!("editor `{editor}` exited 127 (command not found?)")),
        Some(130) => Some(format!("editor `{editor}` was interrupted (exit 130)")),
        Some(code) => Some(format!("editor `{editor}` exited {code}")),
        None => Some(format!("editor `{editor}` was interrupted")),
    };
    if let Some(failure) = failure {
        let written = text
            .as_ref()
            .is_ok_and(|t| !strip_comments(&String::from_utf8_lossy(t)).is_empty());
        let err = Error::invalid(format!("{failure}; nothing written"));
        return Err(if written {
            err.with_hint(format!("your text is kept in {}", draft.keep().display()))
        } else {
            err.with_hint("set VISUAL or EDITOR to an editor that waits until the file is closed")
        });
    }
    let text = text?;
    let text = match String::from_utf8(text) {
        Ok(t) => t,
        Err(_) => {
            return Err(Error::invalid("the text is not UTF-8; nothing written")
                .with_hint(format!("your text is kept in {}", draft.keep().display())));
        }
    };
    Ok(strip_comments(&text))
}

fn strip_comments(text: &str) -> String {
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    kept.join("\n").trim_end().to_string()
}

/// $VISUAL, then $EDITOR, then `vi`; empty values count as unset.
fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

fn run_editor(editor: &str, path: &Path) -> Result<std::process::ExitStatus> {
    use std::os::unix::process::CommandExt;
    // Ignored before the spawn: an editor that is interrupted at once
    // (a Ctrl-C goes to the whole foreground group, tix included) must
    // not find tix still listening, however the two are scheduled.
    let _ignore = IgnoreInterrupts::new();
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(editor)
        .arg(path);
    // SAFETY: runs in the child between fork and exec, and only calls
    // signal(2), which is async-signal-safe. It gives the editor Ctrl-C
    // back, since ignored signals stay ignored across exec.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGQUIT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = command
        .spawn()
        .map_err(|e| Error::internal(format!("cannot run the editor `{editor}`: {e}")))?;
    child
        .wait()
        .map_err(|e| Error::internal(format!("cannot wait for the editor `{editor}`: {e}")))
}

/// A draft file in the temporary directory, readable only by the user;
/// removed when dropped unless kept.
struct Draft {
    path: std::path::PathBuf,
    keep: bool,
}

impl Draft {
    fn create(template: &str) -> Result<Draft> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;

        let dir = std::env::temp_dir();
        let mut last = None;
        for _ in 0..16 {
            let mut random = [0u8; 6];
            getrandom::fill(&mut random)
                .map_err(|e| Error::internal(format!("cannot name a draft file: {e}")))?;
            let tag: String = random.iter().map(|b| format!("{b:02x}")).collect();
            let path = dir.join(format!("tix-draft-{tag}.md"));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
            {
                Ok(mut f) => {
                    let draft = Draft { path, keep: false };
                    f.write_all(template.as_bytes()).map_err(|e| {
                        Error::internal(format!(
                            "cannot write the draft {}: {e}",
                            draft.path.display()
                        ))
                    })?;
                    return Ok(draft);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => {
                    return Err(Error::internal(format!(
                        "cannot create a draft in {}: {e}",
                        dir.display()
                    )));
                }
            }
        }
        Err(Error::internal(format!(
            "cannot create a draft in {}: {}",
            dir.display(),
            last.map(|e| e.to_string()).unwrap_or_default()
        )))
    }

    fn keep(mut self) -> std::path::PathBuf {
        self.keep = true;
        self.path.clone()
    }
}

impl Drop for Draft {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// SIGINT and SIGQUIT ignored while it lives, as git does while its
/// editor runs.
struct IgnoreInterrupts {
    int: libc::sighandler_t,
    quit: libc::sighandler_t,
}

impl IgnoreInterrupts {
    fn new() -> IgnoreInterrupts {
        // SAFETY: signal(2) with SIG_IGN and restoring the previous value
        // later touch no Rust state.
        unsafe {
            IgnoreInterrupts {
                int: libc::signal(libc::SIGINT, libc::SIG_IGN),
                quit: libc::signal(libc::SIGQUIT, libc::SIG_IGN),
            }
        }
    }
}

impl Drop for IgnoreInterrupts {
    fn drop(&mut self) {
        // SAFETY: puts back what `new` found.
        unsafe {
            libc::signal(libc::SIGINT, self.int);
            libc::signal(libc::SIGQUIT, self.quit);
        }
    }
}

/// A prompt may hide the cursor; Ctrl-C in it kills the process. This
/// handler shows the cursor again and then dies of the signal as before.
extern "C" fn restore_cursor_and_die(sig: libc::c_int) {
    const SHOW_CURSOR: &[u8] = b"\x1b[?25h\n";
    // SAFETY: write(2), signal(2) and raise(2) are async-signal-safe.
    unsafe {
        libc::write(2, SHOW_CURSOR.as_ptr().cast(), SHOW_CURSOR.len());
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

/// Runs a dialoguer prompt with the cursor restored if it is interrupted,
/// or if it fails.
fn prompt<T>(ask: impl FnOnce() -> dialoguer::Result<T>) -> Result<T> {
    let handler = restore_cursor_and_die as extern "C" fn(libc::c_int);
    // SAFETY: the handler only calls async-signal-safe functions.
    let previous = unsafe { libc::signal(libc::SIGINT, handler as libc::sighandler_t) };
    let answer = ask();
    // SAFETY: puts back what was there before.
    unsafe {
        libc::signal(libc::SIGINT, previous);
    }
    answer.map_err(|e| {
        let _ = dialoguer::console::Term::stderr().show_cursor();
        Error::internal(format!("cannot read your answer: {e}"))
    })
}

/// Asks for a value on a terminal, or explains how to give it.
pub fn prompt_or_fail(label: &str, flag: &str) -> Result<String> {
    if interactive() {
        return prompt(|| {
            dialoguer::Input::<String>::new()
                .with_prompt(label)
                .interact_text()
        });
    }
    Err(Error::invalid(format!("missing {label}")).with_hint(format!("give it with {flag}")))
}

/// Asks for a custom field that closing ticket `id` requires: a pick of
/// its choices, or a line of text; off a terminal, an error saying to pass
/// it with `--field`.
pub fn field_to_close(id: TicketId, def: &FieldDef) -> Result<FieldValue> {
    let flag = format!("tix close {id} --field {}=VALUE", def.name);
    let label = format!("field {} (required to close ticket {id})", def.name);
    let raw = if def.field_type == FieldType::Choice {
        select_or_fail(&label, &def.choices, &flag)?
    } else {
        prompt_or_fail(&label, &flag)?
    };
    def.parse_value(&raw).map_err(Error::invalid)
}

/// Asks to pick one of `choices` on a terminal.
pub fn select_or_fail(label: &str, choices: &[String], flag: &str) -> Result<String> {
    if interactive() {
        let i = prompt(|| {
            dialoguer::Select::new()
                .with_prompt(label)
                .items(choices)
                .default(0)
                .interact()
        })?;
        return Ok(choices[i].clone());
    }
    Err(
        Error::invalid(format!("missing {label}: one of {}", choices.join(", ")))
            .with_hint(format!("give it with {flag}")),
    )
}

/// Asks a yes/no question on a terminal unless `--yes`; off a terminal the
/// answer is yes, as scripts expect.
pub fn confirm(question: &str, yes: bool) -> Result<bool> {
    if yes || !interactive() {
        return Ok(true);
    }
    prompt(|| {
        dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
    })
}

/// Reads the files given with `--attach`, refusing anything that is not a
/// regular file or is larger than `limit` bytes before reading it: a
/// device, a FIFO or a huge sparse file must not be read into memory.
pub fn read_attachments(paths: &[impl AsRef<Path>], limit: u64) -> Result<Vec<NewAttachment>> {
    paths
        .iter()
        .map(|p| {
            let p = p.as_ref();
            let bytes = read_attachment(p, limit)?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(NewAttachment { name, bytes })
        })
        .collect()
}

fn read_attachment(p: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;

    let shown = p.display();
    let meta = std::fs::metadata(p).map_err(|e| open_error(p, &e))?;
    check_attachment_meta(p, &meta, limit)?;
    // Non-blocking, so a FIFO swapped in after the check cannot hang the
    // open; the type is checked again on the open file.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(p)
        .map_err(|e| open_error(p, &e))?;
    let meta = file
        .metadata()
        .map_err(|e| Error::internal(format!("cannot read attachment {shown}: {e}")))?;
    check_attachment_meta(p, &meta, limit)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // One byte more than the limit tells a file that grew since the check.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::internal(format!("cannot read attachment {shown}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(p, None, limit));
    }
    Ok(bytes)
}

fn open_error(p: &Path, e: &std::io::Error) -> Error {
    let message = format!("cannot read attachment {}: {e}", p.display());
    match e.kind() {
        std::io::ErrorKind::NotFound => Error::not_found(message),
        _ => Error::invalid(message),
    }
}

fn check_attachment_meta(p: &Path, meta: &std::fs::Metadata, limit: u64) -> Result<()> {
    use std::os::unix::fs::FileTypeExt;

    let t = meta.file_type();
    let what = if t.is_file() {
        None
    } else if t.is_dir() {
        Some("a directory")
    } else if t.is_fifo() {
        Some("a FIFO")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_block_device() || t.is_char_device() {
        Some("a device")
    } else {
        Some("not a regular file")
    };
    if let Some(what) = what {
        return Err(Error::invalid(format!(
            "attachment {} is {what}; only regular files can be attached",
            p.display()
        )));
    }
    if meta.len() > limit {
        return Err(too_large(p, Some(meta.len()), limit));
    }
    Ok(())
}

fn too_large(p: &Path, size: Option<u64>, limit: u64) -> Error {
    let size = size
        .map(|s| format!("{s} bytes"))
        .unwrap_or_else(|| "larger than that".into());
    Error::invalid(format!(
        "attachment {} is {size}; the limit is {limit} bytes (max_attachment_bytes in .tix/config.yaml)",
        p.display()
    ))
}
