//! Reading what the user gives: entry text, attachments, prompts. Prompts
//! and the editor are used only on a terminal; elsewhere a missing value is
//! an error that says how to give it.

use std::io::{IsTerminal, Read};
use std::path::Path;

use crate::cli::BodyArgs;
use crate::error::{Error, Result};
use crate::ops::NewAttachment;

pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

pub fn interactive() -> bool {
    stdin_is_terminal() && std::io::stderr().is_terminal()
}

/// The text given with `-m` or `-F`, if any.
pub fn given_body(args: &BodyArgs) -> Result<Option<String>> {
    if !args.message.is_empty() {
        return Ok(Some(args.message.join("\n\n")));
    }
    let Some(path) = &args.file else {
        return Ok(None);
    };
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Error::internal(format!("cannot read standard input: {e}")))?;
        buf
    } else {
        std::fs::read(path)
            .map_err(|e| Error::not_found(format!("cannot read {}: {e}", path.display())))?
    };
    let what = if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::invalid(format!("{what} is not UTF-8 text"))
            .with_hint("attach binary files with --attach")
    })?;
    if text.contains('\0') {
        return Err(
            Error::invalid(format!("{what} contains NUL bytes; text cannot"))
                .with_hint("attach binary files with --attach"),
        );
    }
    Ok(Some(text))
}

/// The text for an entry that needs one: `-m`, `-F`, or the editor on a
/// terminal.
pub fn required_body(args: &BodyArgs, what: &str) -> Result<String> {
    if let Some(text) = given_body(args)? {
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

/// Opens $VISUAL/$EDITOR; lines starting with `#` are dropped, as git does.
pub fn edit(template: &str) -> Result<String> {
    let edited = dialoguer::Editor::new()
        .require_save(true)
        .edit(template)
        .map_err(|e| Error::internal(format!("cannot run the editor: {e}")))?;
    let Some(text) = edited else {
        return Ok(String::new());
    };
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    Ok(kept.join("\n").trim_end().to_string())
}

/// Asks for a value on a terminal, or explains how to give it.
pub fn prompt_or_fail(label: &str, flag: &str) -> Result<String> {
    if interactive() {
        return dialoguer::Input::<String>::new()
            .with_prompt(label)
            .interact_text()
            .map_err(|e| Error::internal(format!("cannot read your answer: {e}")));
    }
    Err(Error::invalid(format!("missing {label}")).with_hint(format!("give it with {flag}")))
}

/// Asks to pick one of `choices` on a terminal.
pub fn select_or_fail(label: &str, choices: &[String], flag: &str) -> Result<String> {
    if interactive() {
        let i = dialoguer::Select::new()
            .with_prompt(label)
            .items(choices)
            .default(0)
            .interact()
            .map_err(|e| Error::internal(format!("cannot read your answer: {e}")))?;
        return Ok(choices[i].clone());
    }
    Err(Error::invalid(format!("missing {label}")).with_hint(format!("give it with {flag}")))
}

/// Asks a yes/no question on a terminal unless `--yes`; off a terminal the
/// answer is yes, as scripts expect.
pub fn confirm(question: &str, yes: bool) -> Result<bool> {
    if yes || !interactive() {
        return Ok(true);
    }
    dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .map_err(|e| Error::internal(format!("cannot read your answer: {e}")))
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
