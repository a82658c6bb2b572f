//! What a write reads again and again, off an `strace` of the real binary:
//! git's config files are read when the store is opened and not looked at
//! again, and no git object is read back whole more than once while the
//! commit is made and flushed. Skips where strace cannot trace, as
//! `durability` does.

use std::collections::HashMap;

use crate::common::Sandbox;
use crate::durability::{STRACE, strace_usable};

/// The tix process's own file system calls (not those of a `git` it
/// starts), each as (call, first quoted path), in order.
fn traced_paths(sb: &Sandbox, args: &[&str]) -> Vec<(String, String)> {
    let log = sb.root().join("reads.log");
    let out = sb
        .std_command(STRACE)
        .args(["-qq", "-o"])
        .arg(&log)
        .args(["-e", "trace=%file,%desc"])
        .arg(crate::common::TIX)
        .args(args)
        .output()
        .expect("strace runs");
    assert!(
        out.status.success(),
        "tix {args:?} failed under strace: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&log).unwrap();
    text.lines()
        .filter_map(|line| {
            let (call, rest) = line.split_once('(')?;
            let path = rest.split('"').nth(1)?;
            Some((call.trim().to_string(), path.to_string()))
        })
        .collect()
}

fn is_git_config(path: &str) -> bool {
    path.ends_with("/.git/config") || path.ends_with("gitconfig") || path.ends_with("/git/config")
}

#[test]
fn a_comment_reads_git_s_config_only_while_opening_the_store() {
    if !strace_usable() {
        return;
    }
    let sb = Sandbox::init();
    let id = sb.create("Printer");
    let calls = traced_paths(&sb, &["comment", &id, "-m", "Tried a new cartridge"]);
    let locked = calls
        .iter()
        .position(|(_, path)| path.ends_with("/.git/tix.lock"))
        .expect("the comment takes the store lock");
    assert!(
        calls[..locked].iter().any(|(_, path)| is_git_config(path)),
        "the trace shows git's config being read at all: {calls:?}"
    );
    let again: Vec<_> = calls[locked..]
        .iter()
        .filter(|(_, path)| is_git_config(path))
        .collect();
    assert!(
        again.is_empty(),
        "git's config was looked at again after the store was opened: {again:?}"
    );
}

#[test]
fn a_comment_opens_each_loose_object_for_reading_once_at_most() {
    if !strace_usable() {
        return;
    }
    let sb = Sandbox::init();
    let id = sb.create("Printer");
    let calls = traced_paths(&sb, &["comment", &id, "-m", "Tried a new cartridge"]);
    // A flush opens each object it syncs once more; that is not a read.
    let first_flush = calls
        .iter()
        .position(|(call, _)| call.ends_with("fsync"))
        .unwrap_or(calls.len());
    // Objects this command wrote (linked or renamed into place) are read
    // back for the commit's durability and the work tree, sometimes before
    // the first flush when the machine is loaded; what is counted is the
    // reading of what was stored before.
    let log = std::fs::read_to_string(sb.root().join("reads.log")).unwrap_or_default();
    let written: std::collections::HashSet<String> = log
        .lines()
        .filter(|l| l.starts_with("link(") || l.starts_with("rename(") || l.starts_with("renameat"))
        .filter_map(|l| l.split('"').nth(3).map(str::to_string))
        .collect();
    let mut reads: HashMap<&str, usize> = HashMap::new();
    for (call, path) in &calls[..first_flush] {
        if written.contains(path.as_str()) {
            continue;
        }
        if call.ends_with("openat")
            && path.contains("/.git/objects/")
            && !path.contains("/pack/")
            && !path.contains("tmp_object")
        {
            *reads.entry(path.as_str()).or_default() += 1;
        }
    }
    let twice: Vec<_> = reads.iter().filter(|(_, n)| **n > 1).collect();
    let context: Vec<&str> = log
        .lines()
        .filter(|l| twice.iter().any(|(p, _)| l.contains(*p)))
        .collect();
    assert!(
        twice.is_empty(),
        "loose objects opened more than once before the flush: {twice:?}\n{}",
        context.join("\n")
    );
}
