//! Reading messages out of files, mbox files and Maildir folders without
//! trusting their size: no message is read into memory beyond a bound, and
//! a Maildir entry that is not a plain file (a symbolic link to
//! `/etc/passwd`, a FIFO) is never opened.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Remedy, Result};

/// Of a message too large to read, this much of its header is kept.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// mbox lines are read in pieces of at most this size, so one endless line
/// cannot take memory either.
const PIECE: u64 = 64 * 1024;

/// One message as read from its source.
#[derive(Clone, Debug)]
pub struct RawMessage {
    pub source: String,
    /// The whole message, or only its first bytes when `complete` is false.
    pub bytes: Vec<u8>,
    pub complete: bool,
    /// Its real size, when known (a stream is not read to its end).
    pub size: Option<u64>,
}

impl RawMessage {
    /// The header block of a message that was too large to read: what the
    /// quarantine keeps of it.
    pub fn head(&self) -> &[u8] {
        let bytes = &self.bytes[..self.bytes.len().min(MAX_HEAD_BYTES)];
        let end = bytes
            .windows(2)
            .position(|w| w == b"\n\n")
            .map(|i| i + 2)
            .into_iter()
            .chain(
                bytes
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .map(|i| i + 4),
            )
            .min()
            .unwrap_or(bytes.len());
        &bytes[..end]
    }
}

/// Reads at most `cap` bytes of `reader`; the message is incomplete when
/// there was more. A stream is not read on past the bound: `/dev/zero` or
/// an endless pipe cannot keep tix busy.
pub fn read_bounded(mut reader: impl Read, cap: u64, source: &str) -> io::Result<RawMessage> {
    let mut bytes = Vec::new();
    (&mut reader)
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let complete = bytes.len() as u64 <= cap;
    if !complete {
        bytes.truncate(cap as usize);
    }
    Ok(RawMessage {
        source: source.to_string(),
        size: complete.then_some(bytes.len() as u64),
        bytes,
        complete,
    })
}

/// Reads one message file, at most `cap` bytes of it (its size is taken
/// from the file system first, so a large file is not read through).
pub fn read_file_bounded(file: File, cap: u64, source: &str) -> io::Result<RawMessage> {
    let meta = file.metadata()?;
    if meta.is_file() && meta.len() > cap {
        let mut m = read_bounded(file.take(MAX_HEAD_BYTES as u64), cap, source)?;
        m.complete = false;
        m.size = Some(meta.len());
        return Ok(m);
    }
    read_bounded(file, cap, source)
}

/// What a Maildir folder holds, in the order of its `cur/` then `new/`.
pub enum MaildirItem {
    Message(RawMessage),
    /// A file that was not read, and why.
    Skipped {
        path: PathBuf,
        reason: String,
    },
}

/// The entries of a Maildir's `cur/` and `new/` (names starting with a dot
/// are Maildir's own and ignored, as are directories).
pub fn maildir_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for sub in ["cur", "new"] {
        let path = dir.join(sub);
        let entries = std::fs::read_dir(&path).map_err(|e| {
            Error::invalid(format!(
                "{} is not a Maildir folder (expected cur/ and new/ inside): {}: {e}",
                dir.display(),
                path.display()
            ))
        })?;
        for entry in entries {
            let entry = entry
                .map_err(|e| Error::internal(format!("cannot list {}: {e}", path.display())))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            // Not followed: a directory inside cur/ is no message.
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            out.push(entry.path());
        }
    }
    Ok(out)
}

/// Reads one Maildir entry without following a symbolic link: a link could
/// make any file the importing user can read into a message that is
/// committed and pushed. Opening with `O_NOFOLLOW` also catches a link put
/// in place after the listing; `O_NONBLOCK` keeps a FIFO from hanging the
/// import.
pub fn read_maildir_file(path: &Path, cap: u64) -> Result<MaildirItem> {
    let skipped = |reason: String| {
        Ok(MaildirItem::Skipped {
            path: path.to_path_buf(),
            reason,
        })
    };
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return skipped("a symbolic link, not followed".into());
        }
        Ok(m) if !m.is_file() => return skipped("not a regular file".into()),
        Ok(_) => {}
        Err(e) => return skipped(format!("cannot read it: {e}")),
    }
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return skipped("a symbolic link, not followed".into());
        }
        Err(e) => return skipped(format!("cannot read it: {e}")),
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return skipped("not a regular file".into());
    }
    let source = path.display().to_string();
    read_file_bounded(file, cap, &source)
        .map(MaildirItem::Message)
        .map_err(|e| Error::internal(format!("cannot read {source}: {e}")))
}

/// Opens an mbox file, refusing what cannot be one before anything is read.
pub fn open_mbox(path: &Path) -> Result<File> {
    let name = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::not_found(format!("cannot open mbox {name}: {e}")))?;
    if meta.is_dir() {
        return Err(
            Error::invalid(format!("{name} is a directory, not an mbox file")).with_remedy(
                Remedy::ImportAsMaildir {
                    path: name.to_string(),
                },
            ),
        );
    }
    File::open(path).map_err(|e| Error::not_found(format!("cannot open mbox {name}: {e}")))
}

/// The messages of an mbox (mboxo/mboxrd: a `From ` line starts each one,
/// `>From ` in a body is unescaped). A UTF-8 byte order mark before the
/// first line is ignored; a file whose first line is not a `From ` line is
/// refused as not an mbox.
pub struct MboxReader<R> {
    reader: R,
    name: String,
    cap: u64,
    first: bool,
    at_line_start: bool,
    /// The rest of an over-long `From ` line is still to be skipped.
    in_from_line: bool,
    current: Option<RawMessage>,
    count: usize,
    failed: bool,
}

impl<R: Read> MboxReader<BufReader<R>> {
    pub fn new(reader: R, name: &str, cap: u64) -> Self {
        MboxReader {
            reader: BufReader::new(reader),
            name: name.to_string(),
            cap,
            first: true,
            at_line_start: true,
            in_from_line: false,
            current: None,
            count: 0,
            failed: false,
        }
    }
}

impl<R: BufRead> MboxReader<R> {
    fn start_message(&mut self) -> Option<RawMessage> {
        self.count += 1;
        let next = RawMessage {
            source: format!("{}#{}", self.name, self.count),
            bytes: Vec::new(),
            complete: true,
            size: Some(0),
        };
        self.current.replace(next).map(finish)
    }

    fn step(&mut self) -> Result<Option<RawMessage>> {
        loop {
            let mut piece = Vec::new();
            let line_start = self.at_line_start;
            let n = (&mut self.reader)
                .take(PIECE)
                .read_until(b'\n', &mut piece)
                .map_err(|e| Error::internal(format!("cannot read {}: {e}", self.name)))?;
            if n == 0 {
                return Ok(self.current.take().map(finish));
            }
            self.at_line_start = piece.ends_with(b"\n");
            if std::mem::take(&mut self.first) && piece.starts_with(b"\xEF\xBB\xBF") {
                piece.drain(..3);
            }
            if self.in_from_line {
                self.in_from_line = !self.at_line_start;
                continue;
            }
            if line_start && piece.starts_with(b"From ") {
                self.in_from_line = !self.at_line_start;
                if let Some(done) = self.start_message() {
                    return Ok(Some(done));
                }
                continue;
            }
            let Some(m) = self.current.as_mut() else {
                if piece.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return Err(Error::invalid(format!(
                    "{} is not an mbox file: it does not start with a `From ` line",
                    self.name
                ))
                .with_remedy(Remedy::ImportAsOneMessage {
                    path: self.name.to_string(),
                }));
            };
            if line_start && piece.starts_with(b">") {
                let quotes = piece.iter().take_while(|b| **b == b'>').count();
                if piece[quotes..].starts_with(b"From ") {
                    piece.remove(0);
                }
            }
            let size = m.size.unwrap_or(0) + piece.len() as u64;
            m.size = Some(size);
            if size <= self.cap {
                m.bytes.extend_from_slice(&piece);
            } else if m.complete {
                m.complete = false;
                let room = (self.cap as usize).saturating_sub(m.bytes.len());
                m.bytes.extend_from_slice(&piece[..room.min(piece.len())]);
            }
        }
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = Result<RawMessage>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let item = self.step().transpose();
        self.failed = matches!(item, Some(Err(_)));
        item
    }
}

/// mbox puts a blank line between messages; it is not part of the message:
/// keeping it would change the stored original and the synthetic
/// Message-ID of mail without one, so the same message piped in by
/// `import eml` would not be recognised.
fn finish(mut m: RawMessage) -> RawMessage {
    if m.complete {
        if m.bytes.ends_with(b"\r\n\r\n") {
            m.bytes.truncate(m.bytes.len() - 2);
        } else if m.bytes.ends_with(b"\n\n") {
            m.bytes.truncate(m.bytes.len() - 1);
        }
        m.size = Some(m.bytes.len() as u64);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], cap: u64) -> Vec<RawMessage> {
        MboxReader::new(bytes, "box", cap)
            .collect::<Result<Vec<_>>>()
            .unwrap()
    }

    #[test]
    fn splits_and_unescapes() {
        let ms = read(
            b"From a Mon\nSubject: one\n\n>From here\n>>From there\n\nFrom b Tue\nSubject: two\n\nx\n",
            1000,
        );
        assert_eq!(ms.len(), 2);
        assert_eq!(
            ms[0].bytes,
            b"Subject: one\n\nFrom here\n>From there\n".to_vec()
        );
        assert_eq!(ms[1].bytes, b"Subject: two\n\nx\n".to_vec());
        assert_eq!(ms[1].source, "box#2");
    }

    #[test]
    fn ignores_a_byte_order_mark_and_refuses_non_mbox() {
        let ms = read(b"\xEF\xBB\xBFFrom a Mon\nSubject: one\n\nx\n", 1000);
        assert_eq!(ms.len(), 1);
        assert!(read(b"", 1000).is_empty());
        let err = MboxReader::new(&b"From: ann@example.com\n\nhi\n"[..], "m.eml", 1000)
            .next()
            .unwrap()
            .unwrap_err();
        assert!(
            err.message().contains("m.eml is not an mbox file"),
            "{err:?}"
        );
        assert_eq!(
            err.remedy(),
            Some(&Remedy::ImportAsOneMessage {
                path: "m.eml".into()
            })
        );
    }

    #[test]
    fn bounds_each_message() {
        let long = format!(
            "From a Mon\nSubject: big\n\n{}\nFrom b\nSubject: small\n\nx\n",
            "y".repeat(300_000)
        );
        let ms = read(long.as_bytes(), 1000);
        assert_eq!(ms.len(), 2);
        assert!(!ms[0].complete);
        assert_eq!(ms[0].bytes.len(), 1000);
        assert_eq!(ms[0].size, Some(14 + 300_000 + 1));
        assert_eq!(ms[0].head(), b"Subject: big\n\n");
        assert!(ms[1].complete);
    }
}
