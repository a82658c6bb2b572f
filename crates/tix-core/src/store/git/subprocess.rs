//! Running git itself, for what libgit2 cannot do (a split index).

use git2::Oid;

use crate::error::{Error, Result};
use crate::store::Store;

impl Store {
    /// The slow but general path for a split index: git's own plumbing.
    pub(in crate::store) fn update_index_with_git(
        &self,
        files: &[(String, Oid)],
        removals: &[String],
    ) -> Result<()> {
        if !files.is_empty() {
            let info: String = files
                .iter()
                .map(|(p, oid)| format!("100644 {oid}\t{}\n", self.repo_path(p)))
                .collect();
            self.git_with_input(&["update-index", "--index-info"], info.as_bytes())?;
        }
        if !removals.is_empty() {
            let mut args = vec![
                "update-index".to_string(),
                "--force-remove".into(),
                "--".into(),
            ];
            args.extend(removals.iter().map(|p| self.repo_path(p)));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            self.git(&args)?;
        }
        Ok(())
    }

    pub(in crate::store) fn git(&self, args: &[&str]) -> Result<()> {
        self.git_with_input(args, b"")
    }

    /// Runs git and returns what it printed.
    pub(in crate::store) fn git_output(&self, args: &[&str]) -> Result<Vec<u8>> {
        let workdir = self.repo.workdir().unwrap_or(self.repo.path());
        let out = std::process::Command::new("git")
            .arg("--git-dir")
            .arg(self.repo.path())
            .arg("--work-tree")
            .arg(workdir)
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| Error::internal(format!("cannot run git: {e}")).with_source(e))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(Error::internal(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )))
        }
    }

    pub(in crate::store) fn git_with_input(&self, args: &[&str], input: &[u8]) -> Result<()> {
        use std::io::Write as _;
        let workdir = self.repo.workdir().unwrap_or(self.repo.path());
        let mut child = std::process::Command::new("git")
            .arg("--git-dir")
            .arg(self.repo.path())
            .arg("--work-tree")
            .arg(workdir)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| Error::internal(format!("cannot run git: {e}")).with_source(e))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(input)
                .map_err(|e| Error::internal(format!("cannot talk to git: {e}")).with_source(e))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| Error::internal(format!("cannot run git: {e}")).with_source(e))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(Error::internal(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )))
        }
    }
}
