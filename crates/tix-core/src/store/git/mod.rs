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
