//! Reading the notes about customers (`.tix/customers/<folder>/*.yaml`):
//! a card's notes, and `tix check`'s look at every file there. Files are
//! committed by anyone with push access, so each is measured by its git
//! blob size before it is read, and a card reads a bounded number.

use git2::{FileMode, ObjectType, Odb, Oid, Tree, TreeEntry};

use super::layout::CUSTOMER_NOTES_DIR;
use super::{Problem, Store};
use crate::domain::customers::address_folder;
use crate::domain::records::{CustomerNoteRecord, MAX_NOTE_FILE_BYTES, MAX_NOTES_PER_CUSTOMER};
use crate::error::{Context, Result};
use crate::warnings::warn;

/// How a note file is named: `<time>-<random>.yaml`.
const NOTE_SUFFIX: &str = ".yaml";

/// What a folder of `.tix/customers/` is named: the 64-bit hash of the
/// address in hex.
fn is_address_folder(name: &str) -> bool {
    name.len() == address_folder("").len()
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A plain file (not a link, a folder or a submodule) named as a note is.
fn is_note_file(entry: &TreeEntry<'_>) -> bool {
    let mode = entry.filemode();
    let plain = mode == i32::from(FileMode::Blob) || mode == i32::from(FileMode::BlobExecutable);
    plain && entry.name().is_ok_and(|n| n.ends_with(NOTE_SUFFIX))
}

impl Store {
    /// Every note about the customer with this folded address, oldest
    /// first. A card goes on without a file it cannot use, saying so: one
    /// over [`MAX_NOTE_FILE_BYTES`] is not read at all, one that is no
    /// note is skipped, and past [`MAX_NOTES_PER_CUSTOMER`] files only the
    /// newest are read. Another person's note in the folder (their
    /// addresses' hashes collide) is theirs, not shown.
    pub fn customer_notes(&self, key: &str) -> Result<Vec<CustomerNoteRecord>> {
        let dir = Store::customer_notes_dir(key);
        let Some(head) = self.head_tree()? else {
            return Ok(Vec::new());
        };
        let Some(tree) = self.subtree(&head, &dir)? else {
            return Ok(Vec::new());
        };
        let folder = address_folder(key);
        let odb = self.odb()?;
        // git keeps a tree's entries sorted by name, and a note's name
        // starts with its time: the last ones are the newest.
        let files: Vec<TreeEntry<'_>> = tree.iter().filter(is_note_file).collect();
        let skipped = files.len().saturating_sub(MAX_NOTES_PER_CUSTOMER);
        if skipped > 0 {
            warn(&format!(
                "{} holds {} note files; only the newest {MAX_NOTES_PER_CUSTOMER} are read, {skipped} older ones are not shown",
                self.repo_path(&dir),
                files.len()
            ));
        }
        let mut out: Vec<(String, CustomerNoteRecord)> = Vec::new();
        for entry in &files[skipped..] {
            let name = entry.name().unwrap_or_default();
            let path = self.repo_path(&format!("{dir}/{name}"));
            match self.read_note(&odb, entry.id(), &path, &folder)? {
                Ok(record) if record.customer == key => out.push((name.to_string(), record)),
                Ok(_) => {}
                Err(why) => warn(&format!("{path}: {why}; not shown")),
            }
        }
        out.sort_by(|(fa, a), (fb, b)| (a.at, fa).cmp(&(b.at, fb)));
        Ok(out.into_iter().map(|(_, r)| r).collect())
    }

    /// For `tix check`: every file under `.tix/customers/` that is not a
    /// note where tix would have written it, with what is wrong. Each file
    /// is read (at most [`MAX_NOTE_FILE_BYTES`] of it) and let go before
    /// the next.
    pub fn customer_note_problems(&self) -> Result<Vec<Problem>> {
        let Some(head) = self.head_tree()? else {
            return Ok(Vec::new());
        };
        let Some(root) = self.subtree(&head, CUSTOMER_NOTES_DIR)? else {
            return Ok(Vec::new());
        };
        let odb = self.odb()?;
        let mut problems = Vec::new();
        let unexpected = |path: String, what: &str| Problem {
            path,
            message: format!(
                "{what}; {CUSTOMER_NOTES_DIR}/ holds only folders named by the hash of an address (16 hex digits), each holding note files `<time>-<random>{NOTE_SUFFIX}`"
            ),
        };
        for folder in root.iter() {
            let name = String::from_utf8_lossy(folder.name_bytes()).into_owned();
            let path = self.repo_path(&format!("{CUSTOMER_NOTES_DIR}/{name}"));
            if folder.kind() != Some(ObjectType::Tree) {
                problems.push(unexpected(path, "unexpected file"));
                continue;
            }
            if !is_address_folder(&name) {
                problems.push(unexpected(path, "unexpected folder"));
                continue;
            }
            let tree: Tree<'_> = self
                .repo
                .find_tree(folder.id())
                .context(|| format!("cannot read git tree {path}"))?;
            for entry in tree.iter() {
                let file = String::from_utf8_lossy(entry.name_bytes()).into_owned();
                let file_path = format!("{path}/{file}");
                if !is_note_file(&entry) {
                    let mode = entry.filemode();
                    let what = if mode == i32::from(FileMode::Tree) {
                        "unexpected folder"
                    } else if mode == i32::from(FileMode::Link) {
                        "unexpected symbolic link"
                    } else if mode == i32::from(FileMode::Commit) {
                        "unexpected submodule"
                    } else {
                        "unexpected file (not named `<time>-<random>.yaml`)"
                    };
                    problems.push(unexpected(file_path, what));
                    continue;
                }
                if let Err(message) = self.read_note(&odb, entry.id(), &file_path, &name)? {
                    problems.push(Problem {
                        path: file_path,
                        message,
                    });
                }
            }
        }
        Ok(problems)
    }

    /// The note in blob `id`, found in folder `folder`: its size is asked
    /// of git first, and a file over the bound is not read. The outer
    /// error is git failing; the inner what is wrong with the file.
    fn read_note(
        &self,
        odb: &Odb<'_>,
        id: Oid,
        path: &str,
        folder: &str,
    ) -> Result<std::result::Result<CustomerNoteRecord, String>> {
        let (size, _) = odb
            .read_header(id)
            .context(|| format!("cannot read {path}"))?;
        if size as u64 > MAX_NOTE_FILE_BYTES {
            return Ok(Err(format!(
                "is {size} bytes; a note file holds at most {MAX_NOTE_FILE_BYTES} (not read)"
            )));
        }
        let blob = odb.read(id).context(|| format!("cannot read {path}"))?;
        Ok(CustomerNoteRecord::parse(blob.data(), folder))
    }
}
