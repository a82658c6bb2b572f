//! The command line as a person at a terminal meets it: what reaches the
//! screen, the editor, prompts, tables, and the errors for bad input. Tests
//! that need a terminal run tix under `script(1)`, which gives it a real
//! pseudo-terminal.

mod common;

use std::path::Path;
use std::process::Command;

#[allow(unused_imports)]
use common::{Run, Sandbox, TIX};

/// Quotes `s` for `sh`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[allow(dead_code)]
fn have_script() -> bool {
    Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs tix with `args` on a pseudo-terminal (stdin, stdout and stderr
/// are all the terminal), with `envs` set. What tix wrote to the terminal
/// comes back as stdout, line ends as the terminal made them (`\r\n`).
/// `None` when `script` is not installed.
#[allow(dead_code)]
fn tix_on_pty(sb: &Sandbox, args: &[&str], envs: &[(&str, &str)]) -> Option<Run> {
    if !have_script() {
        eprintln!("script(1) is not installed: skipping the terminal part");
        return None;
    }
    let mut line = sh_quote(TIX);
    for a in args {
        line.push(' ');
        line.push_str(&sh_quote(a));
    }
    let mut cmd = sb.std_command("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .stdin(std::process::Stdio::null());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("script runs");
    Some(Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        what: format!("script -qec {line}"),
    })
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---------------------------------------------------------------- --attach

#[test]
fn attach_refuses_directories_devices_and_fifos_naming_the_path() {
    let sb = Sandbox::init();
    let id = sb.create("Attachments");
    let before = sb.commit_count();
    let dir = sb.mkdir("a-directory");
    sb.tix(["comment", &id, "-m", "x", "--attach", path_str(&dir)])
        .fails(6)
        .stderr_has(&[path_str(&dir), "directory"]);
    sb.tix(["reply", &id, "-m", "x", "--attach", "/dev/zero"])
        .fails(6)
        .stderr_has(&["/dev/zero", "device"]);
    let fifo = sb.root().join("a-fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Opening a FIFO for reading would wait for a writer for ever.
    sb.tix([
        "create",
        "--customer",
        "ann@example.com",
        "--subject",
        "fifo",
        "-m",
        "x",
        "--attach",
        path_str(&fifo),
    ])
    .fails(6)
    .stderr_has(&[path_str(&fifo), "FIFO"]);
    assert_eq!(sb.commit_count(), before, "nothing is written");
    sb.assert_clean();
}

#[test]
fn attach_refuses_a_file_over_the_limit_without_reading_it() {
    let sb = Sandbox::init();
    let id = sb.create("Big attachment");
    let before = sb.commit_count();
    // 200 MB, sparse: reading it would take 200 MB of memory, more than
    // the limit the process runs under.
    let big = sb.root().join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(200 << 20)
        .unwrap();
    let line = format!(
        "ulimit -v 150000; exec {} comment {id} -m x --attach {}",
        sh_quote(TIX),
        sh_quote(path_str(&big))
    );
    let out = sb.std_command("sh").args(["-c", &line]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "stderr: {stderr}");
    assert!(stderr.contains(path_str(&big)), "stderr: {stderr}");
    assert!(stderr.contains("209715200 bytes"), "stderr: {stderr}");
    assert!(stderr.contains("max_attachment_bytes"), "stderr: {stderr}");
    // A file just over a small limit is refused too, and one at it is kept.
    sb.set_config("max_attachment_bytes", "10");
    let before = before + 1;
    let eleven = sb.root().join("eleven.txt");
    std::fs::write(&eleven, "01234567890").unwrap();
    sb.tix(["comment", &id, "-m", "x", "--attach", path_str(&eleven)])
        .fails(6)
        .stderr_has(&["eleven.txt", "11 bytes", "the limit is 10"]);
    assert_eq!(sb.commit_count(), before);
    let ten = sb.root().join("ten.txt");
    std::fs::write(&ten, "0123456789").unwrap();
    sb.change(["comment", &id, "-m", "x", "--attach", path_str(&ten)]);
}
