//! What the store does with git below the level of "commit these files":
//! git's index (with the split-index fast path), packfiles, trees, git's
//! lock files, its operation state, and running git itself.

mod branch;
pub(super) mod index;
pub(super) mod lock_files;
mod pack;
pub(super) mod split_index;
mod state;
mod subprocess;
pub(super) mod tree;

/// Runs a write of loose objects again when the fan-out directory libgit2
/// had just made for it vanished before the object was renamed in: git's
/// maintenance (`prune-packed`, run in the background after a commit)
/// removes the directories it emptied, and the write then fails with
/// ENOENT. Anything else is returned as it came.
pub(in crate::store) fn write_objects<T>(
    mut write: impl FnMut() -> Result<T, git2::Error>,
) -> Result<T, git2::Error> {
    const TRIES: usize = 5;
    let mut tries = 1;
    loop {
        match write() {
            Err(e) if tries < TRIES && fanout_vanished(&e) => tries += 1,
            outcome => return outcome,
        }
    }
}

fn fanout_vanished(e: &git2::Error) -> bool {
    e.class() == git2::ErrorClass::Os
        && e.message().contains("objects")
        && e.message().contains("No such file or directory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vanished_fanout_directory_is_tried_again_and_other_errors_are_not() {
        let vanished = || {
            git2::Error::new(
                git2::ErrorCode::GenericError,
                git2::ErrorClass::Os,
                "failed to rename lockfile to '/s/.git/objects/41/ab': No such file or directory",
            )
        };
        let mut calls = 0;
        let out = write_objects(|| {
            calls += 1;
            if calls < 3 { Err(vanished()) } else { Ok(7) }
        });
        assert_eq!(out.unwrap(), 7);
        assert_eq!(calls, 3);

        let mut calls = 0;
        let out: Result<(), _> = write_objects(|| {
            calls += 1;
            Err(vanished())
        });
        assert!(out.is_err());
        assert_eq!(calls, 5, "gives up after a few tries");

        let mut calls = 0;
        let out: Result<(), _> = write_objects(|| {
            calls += 1;
            Err(git2::Error::from_str("disk full"))
        });
        assert!(out.is_err());
        assert_eq!(calls, 1);
    }
}
