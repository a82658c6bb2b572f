//! The one way tests find the shared mail corpus (real messages from other
//! projects' test suites, with an `INDEX.tsv`).
//!
//! Where it is looked for, first match wins:
//! 1. `TIX_CORPUS`, when set: it must then be a corpus, or the test fails
//!    (the path was asked for by name);
//! 2. `../shared/corpus` beside the checkout (`CARGO_MANIFEST_DIR`), as CI
//!    has it;
//! 3. `../../shared/corpus`, for a worktree one level deeper.
//!
//! When there is none, a test that needs it prints why it skips and
//! passes, unless `TIX_REQUIRE_CORPUS=1` (as `.ci/run` sets), which makes
//! it fail. A corpus that is there but lacks a file a test names is always
//! a failure: the corpus changed under the test.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The file that marks a directory as the corpus.
pub const MARKER: &str = "INDEX.tsv";

/// The corpus directory, or `None` after printing a skip message.
/// Panics when the corpus is required (`TIX_REQUIRE_CORPUS=1`) or
/// `TIX_CORPUS` names something that is not a corpus.
#[track_caller]
pub fn dir() -> Option<PathBuf> {
    let require = std::env::var_os("TIX_REQUIRE_CORPUS").is_some_and(|v| v == "1");
    let named = std::env::var_os("TIX_CORPUS");
    match locate(
        named.as_deref(),
        require,
        Path::new(env!("CARGO_MANIFEST_DIR")),
    ) {
        Ok(Some(dir)) => Some(dir),
        Ok(None) => {
            println!(
                "skipping: no mail corpus (../shared/corpus or TIX_CORPUS); \
                 set TIX_REQUIRE_CORPUS=1 to make this a failure"
            );
            None
        }
        Err(e) => panic!("{e}"),
    }
}

/// The bytes of `rel` in the corpus, or `None` (skip) when there is no
/// corpus. Panics when the corpus is there but `rel` is not.
#[track_caller]
pub fn file(rel: &str) -> Option<Vec<u8>> {
    let path = dir()?.join(rel);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("corpus file {}: {e}", path.display())))
}

/// Where the corpus is, given `TIX_CORPUS`, whether it is required, and
/// the checkout's directory: `Ok(None)` to skip, `Err` to fail.
pub fn locate(
    named: Option<&OsStr>,
    require: bool,
    manifest_dir: &Path,
) -> Result<Option<PathBuf>, String> {
    let is_corpus = |d: &Path| d.join(MARKER).is_file();
    if let Some(named) = named.filter(|n| !n.is_empty()) {
        let d = PathBuf::from(named);
        return if is_corpus(&d) {
            Ok(Some(d))
        } else {
            Err(format!(
                "TIX_CORPUS={} is not a mail corpus (no {MARKER} in it)",
                d.display()
            ))
        };
    }
    let candidates = [
        manifest_dir.join("../shared/corpus"),
        manifest_dir.join("../../shared/corpus"),
    ];
    if let Some(d) = candidates.iter().find(|d| is_corpus(d)) {
        return Ok(Some(d.clone()));
    }
    if require {
        return Err(format!(
            "TIX_REQUIRE_CORPUS=1 but there is no mail corpus: looked for {MARKER} in {} \
             and {}; put ../shared beside the checkout or set TIX_CORPUS",
            candidates[0].display(),
            candidates[1].display()
        ));
    }
    Ok(None)
}
