//! Whether git is half way through an operation that a commit would break.

use crate::error::{Error, ErrorKind, Result};
use crate::store::Store;
use crate::store::layout::GIT_SEQUENCER_DIR;

impl Store {
    /// Refuses, naming the state and the way out, while git is half way
    /// through an operation in this work tree or HEAD is detached. A commit
    /// made then lands where git drops it (`git rebase --abort` resets the
    /// branch to where the rebase started; a detached HEAD belongs to no
    /// branch) or makes git's own ref update fail and wedges it (a merge).
    /// Reading is not affected. Exit code 8: nothing is wrong with the
    /// store or the input, and the same command succeeds once git is done.
    pub fn refuse_during_git_operation(&self) -> Result<()> {
        use git2::RepositoryState as S;
        let git_dir = self.repo.path();
        let (what, fix) = match self.repo.state() {
            S::Merge => (
                "a merge is in progress".to_string(),
                "`git commit` (once any conflicts are resolved) or `git merge --abort`",
            ),
            S::Rebase | S::RebaseInteractive | S::RebaseMerge => (
                "a rebase is in progress".into(),
                "`git rebase --continue` or `git rebase --abort`",
            ),
            S::ApplyMailbox => (
                "`git am` is in progress".into(),
                "`git am --continue` or `git am --abort`",
            ),
            S::ApplyMailboxOrRebase => (
                "a rebase or `git am` is in progress".into(),
                "`git rebase --continue` or `git rebase --abort` (`git am --continue` or `git am --abort` for am)",
            ),
            S::CherryPick | S::CherryPickSequence => (
                "a cherry-pick is in progress".into(),
                "`git cherry-pick --continue` or `git cherry-pick --abort`",
            ),
            S::Revert | S::RevertSequence => (
                "a revert is in progress".into(),
                "`git revert --continue` or `git revert --abort`",
            ),
            S::Bisect => ("a bisect is in progress".into(), "`git bisect reset`"),
            S::Clean if git_dir.join(GIT_SEQUENCER_DIR).is_dir() => (
                // A cherry-pick or revert of several commits whose current
                // one was committed by hand: git still has the rest to do.
                "a cherry-pick or revert of several commits is in progress".into(),
                "`git cherry-pick --continue` (or `git revert --continue`), or `--abort`",
            ),
            S::Clean if self.repo.head_detached().unwrap_or(false) => {
                let at = self
                    .head_id()
                    .ok()
                    .flatten()
                    .map(|oid| format!(" (at {})", &oid.to_string()[..10]))
                    .unwrap_or_default();
                (
                    format!("HEAD is detached{at}"),
                    "`git switch <branch>` (`git switch -c <new branch>` keeps what was committed here)",
                )
            }
            S::Clean => return Ok(()),
        };
        let place = self.repo.workdir().unwrap_or(git_dir);
        Err(Error::new(
            ErrorKind::Busy,
            format!(
                "{what} in {} (see `git status`); tix writes nothing onto a half-finished git operation: \
                 finish it with {fix}, then run tix again",
                place.display()
            ),
        ))
    }
}
