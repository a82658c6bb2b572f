//! What a command that exits 0 has put on stable storage, read off an
//! `strace` of the real binary: every git object it renamed into place
//! flushed, with its directory, before the branch moves; the ref's lock
//! file flushed before its rename and the ref's directory after; the
//! checkout journal flushed before the branch moves; the work-tree files
//! it created, and the directories that name them, flushed; all before
//! the process exits.
//!
//! Skips (with a message) where strace is missing or cannot trace, unless
//! `TIX_REQUIRE_STRACE=1` (as `.ci/run` sets), which makes that a failure.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::common::Sandbox;

pub(crate) const STRACE: &str = "/usr/bin/strace";

/// The system calls the checks read.
const TRACED: &str = "trace=fsync,fdatasync,syncfs,rename,renameat,renameat2,link,linkat,\
mkdir,mkdirat,openat,exit_group";

/// One thing the traced process did, in the order it finished.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    /// A flush of the file or directory at this path returned 0.
    Flushed(PathBuf),
    /// A rename or hard link of `from` to `to` succeeded.
    Moved {
        from: PathBuf,
        to: PathBuf,
    },
    /// A file was opened with O_CREAT.
    Created(PathBuf),
    MadeDir(PathBuf),
    Exit(i32),
}

pub(crate) fn strace_usable() -> bool {
    let require = std::env::var_os("TIX_REQUIRE_STRACE").is_some_and(|v| v == "1");
    let works = Path::new(STRACE).exists()
        && std::process::Command::new(STRACE)
            .args(["-f", "-qq", "-e", "trace=exit_group", "true"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !works {
        assert!(
            !require,
            "TIX_REQUIRE_STRACE=1 but {STRACE} is missing or cannot trace (ptrace refused?)"
        );
        eprintln!(
            "skipping: {STRACE} is missing or cannot trace; set TIX_REQUIRE_STRACE=1 to make this a failure"
        );
    }
    works
}

/// Runs tix under strace in the sandbox's store; asserts exit 0; returns
/// what it did and what it printed.
#[track_caller]
fn traced(sb: &Sandbox, args: &[&str], stdin: Option<&[u8]>) -> (Vec<Event>, String) {
    let log = sb.root().join("trace.log");
    let mut cmd = sb.std_command(STRACE);
    cmd.args(["-f", "-y", "-qq", "-o"])
        .arg(&log)
        .args(["-e", TRACED])
        .arg(crate::common::TIX)
        .args(args);
    if stdin.is_some() {
        cmd.stdin(std::process::Stdio::piped());
    }
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("strace runs");
    if let Some(bytes) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "tix {args:?} failed under strace: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_file(&log).unwrap();
    (
        parse(&text),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The quoted strings of a system call's arguments, each made absolute
/// against the directory descriptor `-y` printed before it (`AT_FDCWD</x>`).
fn paths(args: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut rest = args;
    let mut dir: Option<PathBuf> = None;
    while let Some(start) = rest.find(['"', '<']) {
        let open = rest.as_bytes()[start];
        let close = if open == b'"' { '"' } else { '>' };
        let Some(len) = rest[start + 1..].find(close) else {
            break;
        };
        let inner = &rest[start + 1..start + 1 + len];
        if open == b'<' {
            dir = Some(PathBuf::from(inner));
        } else {
            let p = PathBuf::from(inner);
            out.push(match (&dir, p.is_absolute()) {
                (Some(d), false) => d.join(p),
                _ => p,
            });
            dir = None;
        }
        rest = &rest[start + 2 + len..];
    }
    out
}

/// The path `-y` printed for a call's first argument: `fsync(4</a/b>)`.
fn fd_path(args: &str) -> Option<PathBuf> {
    let start = args.find('<')?;
    let len = args[start + 1..].find('>')?;
    Some(PathBuf::from(&args[start + 1..start + 1 + len]))
}

fn parse(text: &str) -> Vec<Event> {
    // A call another thread interrupted is printed in two halves; it
    // counts when it returns.
    let mut pending: HashMap<String, String> = HashMap::new();
    let mut events = Vec::new();
    for line in text.lines() {
        let (pid, call) = line
            .trim_start()
            .split_once(char::is_whitespace)
            .unwrap_or(("", line));
        let call = call.trim_start();
        let whole = if let Some(rest) = call.strip_prefix("<... ") {
            let Some((name, tail)) = rest.split_once(" resumed>") else {
                continue;
            };
            let Some(head) = pending.remove(pid) else {
                continue;
            };
            assert!(head.starts_with(name), "{line}: resumes {head}");
            format!("{head}{tail}")
        } else if let Some(head) = call.strip_suffix(" <unfinished ...>") {
            pending.insert(pid.to_string(), head.to_string());
            continue;
        } else {
            call.to_string()
        };
        let Some((name, args)) = whole.split_once('(') else {
            continue;
        };
        let ok = whole.trim_end().ends_with("= 0") || name == "openat" && !whole.contains("= -");
        if name == "exit_group" {
            let code = args
                .split(')')
                .next()
                .unwrap_or("")
                .trim()
                .parse()
                .unwrap_or(-1);
            events.push(Event::Exit(code));
            continue;
        }
        if !ok {
            continue;
        }
        match name {
            "fsync" | "fdatasync" => events.extend(fd_path(args).map(Event::Flushed)),
            "rename" | "renameat" | "renameat2" | "link" | "linkat" => {
                let p = paths(args);
                if p.len() >= 2 {
                    events.push(Event::Moved {
                        from: p[0].clone(),
                        to: p[1].clone(),
                    });
                }
            }
            "mkdir" | "mkdirat" => {
                events.extend(paths(args).into_iter().next().map(Event::MadeDir))
            }
            "openat" if args.contains("O_CREAT") => {
                events.extend(paths(args).into_iter().next().map(Event::Created));
            }
            _ => {}
        }
    }
    events
}

fn is_object(path: &Path) -> bool {
    let s = path.to_string_lossy();
    let Some((_, rest)) = s.split_once("/.git/objects/") else {
        return false;
    };
    let loose = rest.len() == 41
        && rest.as_bytes()[2] == b'/'
        && rest
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 2 || b.is_ascii_hexdigit());
    let packed =
        rest.starts_with("pack/pack-") && (rest.ends_with(".pack") || rest.ends_with(".idx"));
    loose || packed
}

/// The index of the first flush of `path` in `events[from..to]`.
fn flushed_between(events: &[Event], path: &Path, from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&i| events[i] == Event::Flushed(path.to_path_buf()))
}

/// Checks the trace of one command; returns what it found wrong.
fn problems(events: &[Event], store: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let git = store.join(".git");
    let Some(exit) = events.iter().position(|e| matches!(e, Event::Exit(0))) else {
        return vec!["no exit_group(0)".into()];
    };
    let ref_moves: Vec<usize> = (0..exit)
        .filter(|&i| match &events[i] {
            Event::Moved { from, to } => {
                to.starts_with(git.join("refs/heads")) && from.to_string_lossy().ends_with(".lock")
            }
            _ => false,
        })
        .collect();
    if ref_moves.is_empty() {
        out.push("the branch never moved".into());
    }
    let mut objects = 0;
    for &r in &ref_moves {
        let Event::Moved {
            from: lock,
            to: reference,
        } = &events[r]
        else {
            unreachable!()
        };
        if flushed_between(events, lock, 0, r).is_none() {
            out.push(format!(
                "{} was not flushed before its rename",
                lock.display()
            ));
        }
        let dir = reference.parent().unwrap();
        if flushed_between(events, dir, r + 1, exit).is_none() {
            out.push(format!(
                "{} was not flushed after the ref moved",
                dir.display()
            ));
        }
        // Everything put into the object database before this ref move
        // (and after the previous one) is what this commit may name.
        let since = ref_moves
            .iter()
            .rev()
            .find(|&&m| m < r)
            .map_or(0, |m| m + 1);
        for i in since..r {
            let Event::Moved { from, to } = &events[i] else {
                continue;
            };
            if !is_object(to) {
                continue;
            }
            objects += 1;
            let content = flushed_between(events, from, 0, i).is_some()
                || flushed_between(events, to, i + 1, r).is_some();
            if !content {
                out.push(format!(
                    "object {} was not flushed before the ref moved",
                    to.display()
                ));
            }
            let dir = to.parent().unwrap();
            if flushed_between(events, dir, i + 1, r).is_none() {
                out.push(format!(
                    "{} was not flushed after {} went into it, before the ref moved",
                    dir.display(),
                    to.file_name().unwrap().to_string_lossy()
                ));
            }
        }
        for i in since..r {
            match &events[i] {
                Event::MadeDir(d) if d.starts_with(git.join("objects")) => {
                    let parent = d.parent().unwrap();
                    if flushed_between(events, parent, i + 1, r).is_none() {
                        out.push(format!(
                            "{} was not flushed after {} was made in it",
                            parent.display(),
                            d.display()
                        ));
                    }
                }
                Event::Created(f) if f == &git.join("tix-checkout") => {
                    if flushed_between(events, f, i + 1, r).is_none() {
                        out.push(
                            "the checkout journal was not flushed before the ref moved".into(),
                        );
                    }
                    if flushed_between(events, &git, i + 1, r).is_none() {
                        out.push(format!(
                            "{} was not flushed after the journal",
                            git.display()
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    if !ref_moves.is_empty() && objects == 0 {
        out.push("no object went into .git/objects: the trace is not what it seems".into());
    }
    let mut work_files = 0;
    for (i, event) in events[..exit].iter().enumerate() {
        match event {
            Event::Created(f) if f.starts_with(store) && !f.starts_with(&git) => {
                work_files += 1;
                if flushed_between(events, f, i + 1, exit).is_none() {
                    out.push(format!("work-tree file {} was not flushed", f.display()));
                }
                let dir = f.parent().unwrap();
                if flushed_between(events, dir, i + 1, exit).is_none() {
                    out.push(format!(
                        "{} was not flushed after {} was made",
                        dir.display(),
                        f.display()
                    ));
                }
            }
            Event::MadeDir(d) if d.starts_with(store) && !d.starts_with(&git) => {
                let parent = d.parent().unwrap();
                if flushed_between(events, parent, i + 1, exit).is_none() {
                    out.push(format!(
                        "{} was not flushed after {} was made in it",
                        parent.display(),
                        d.display()
                    ));
                }
            }
            _ => {}
        }
    }
    if work_files == 0 {
        out.push("no work-tree file was written: the trace is not what it seems".into());
    }
    out
}

#[track_caller]
fn assert_durable(sb: &Sandbox, what: &str, events: &[Event]) {
    let found = problems(events, &sb.dir);
    assert!(
        found.is_empty(),
        "{what} exits 0 with this not on disk:\n  {}\n\ntrace:\n{events:#?}",
        found.join("\n  ")
    );
}

fn mail(from: &str, subject: &str, id: &str, reply_to: Option<&str>) -> Vec<u8> {
    let mut text = format!(
        "From: {from}\nTo: support@example.com\nSubject: {subject}\n\
         Date: Mon, 02 Mar 2026 10:00:00 +0000\nMessage-ID: <{id}>\n"
    );
    if let Some(parent) = reply_to {
        text.push_str(&format!("In-Reply-To: <{parent}>\n"));
    }
    text.push_str(&format!("\nText of {subject}\n"));
    text.into_bytes()
}

#[test]
fn create_and_comment_are_on_disk_before_they_exit() {
    if !strace_usable() {
        return;
    }
    let sb = Sandbox::init();
    let (created, id) = traced(
        &sb,
        &[
            "create",
            "--customer",
            "Ann <ann@example.com>",
            "--subject",
            "Printer",
            "-m",
            "It jams",
        ],
        None,
    );
    assert_durable(&sb, "tix create", &created);
    let (commented, _) = traced(
        &sb,
        &["comment", id.trim(), "-m", "Tried a new cartridge"],
        None,
    );
    assert_durable(&sb, "tix comment", &commented);
    sb.assert_clean();
}

#[test]
fn imported_mail_is_on_disk_before_import_exits() {
    if !strace_usable() {
        return;
    }
    let sb = Sandbox::init();
    let first = mail("Bob <bob@example.com>", "VPN down", "vpn@example.com", None);
    let (events, _) = traced(&sb, &["import", "eml"], Some(&first));
    assert_durable(&sb, "tix import eml (a new message)", &events);
    let follow_up = mail(
        "Bob <bob@example.com>",
        "Re: VPN down",
        "vpn2@example.com",
        Some("vpn@example.com"),
    );
    let (events, _) = traced(&sb, &["import", "eml"], Some(&follow_up));
    assert_durable(&sb, "tix import eml (a follow-up)", &events);
    assert_eq!(
        sb.list_ids(["list", "--all"]).len(),
        1,
        "the follow-up went to the ticket"
    );

    let mut mbox = Vec::new();
    // Enough messages (three blobs each) to be written as a pack.
    for n in 0..8 {
        mbox.extend_from_slice(b"From sender@example.com Mon Mar  2 10:00:00 2026\n");
        mbox.extend(mail(
            &format!("C{n} <c{n}@example.com>"),
            &format!("Question {n}"),
            &format!("q{n}@example.com"),
            None,
        ));
        mbox.push(b'\n');
    }
    let file = sb.root().join("in.mbox");
    std::fs::write(&file, mbox).unwrap();
    let (events, _) = traced(&sb, &["import", "mbox", file.to_str().unwrap()], None);
    let packs = events
        .iter()
        .filter(|e| matches!(e, Event::Moved { to, .. } if to.to_string_lossy().ends_with(".pack")))
        .count();
    assert!(
        packs >= 1,
        "the mbox's messages went into a pack: {events:#?}"
    );
    assert_durable(&sb, "tix import mbox", &events);
    assert_eq!(sb.list_ids(["list", "--all"]).len(), 9);
    sb.assert_clean();
}

#[test]
fn the_trace_reader_sees_a_missing_flush() {
    let store = Path::new("/s");
    let text = "\
10 openat(AT_FDCWD</s>, \"/s/.git/objects/tmp_1\", O_RDWR|O_CREAT|O_EXCL, 0444) = 4</s/.git/objects/tmp_1>
10 link(\"/s/.git/objects/tmp_1\", \"/s/.git/objects/ab/cdef0123456789abcdef0123456789abcdef01\") = 0
11 fsync(5</s/.git/objects/ab/cdef0123456789abcdef0123456789abcdef01> <unfinished ...>
10 fsync(4</s/.git/refs/heads/main.lock>) = 0
11 <... fsync resumed>) = 0
10 rename(\"/s/.git/refs/heads/main.lock\", \"/s/.git/refs/heads/main\") = 0
10 fsync(4</s/.git/refs/heads>) = 0
10 openat(AT_FDCWD</s>, \"tickets/AB/x.md\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 4</s/tickets/AB/x.md>
10 fsync(4</s/tickets/AB/x.md>) = 0
10 exit_group(0) = ?
";
    let events = parse(text);
    assert!(
        events.contains(&Event::Created(PathBuf::from("/s/tickets/AB/x.md"))),
        "{events:#?}"
    );
    let found = problems(&events, store);
    assert_eq!(
        found,
        [
            "/s/.git/objects/ab was not flushed after cdef0123456789abcdef0123456789abcdef01 went into it, before the ref moved",
            "/s/tickets/AB was not flushed after /s/tickets/AB/x.md was made",
        ],
        "{events:#?}"
    );
}
