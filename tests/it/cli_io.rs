//! The command line as a person at a terminal meets it: what reaches the
//! screen, the editor, prompts, tables, and the errors for bad input. Tests
//! that need a terminal run tix under `script(1)`, which gives it a real
//! pseudo-terminal.

use std::path::Path;
use std::process::Command;

use crate::common::{Run, Sandbox, TIX};

/// Quotes `s` for `sh`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

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
fn tix_on_pty(sb: &Sandbox, args: &[&str], envs: &[(&str, &str)]) -> Option<Run> {
    if !have_script() {
        eprintln!("script(1) is not installed: skipping the terminal part");
        return None;
    }
    // `exec` so that no shell stands between script(1) and tix: a shell
    // left waiting would die of a Ctrl-C meant for tix and report 130.
    let mut line = format!("exec {}", sh_quote(TIX));
    for a in args {
        line.push(' ');
        line.push_str(&sh_quote(a));
    }
    let mut cmd = sb.std_command("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env("SHELL", "/bin/sh")
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

/// `-F` is another way in for the same unbounded input as `--attach`: a
/// device, an endless pipe or a huge file is refused without being read
/// whole, naming what was given.
#[test]
fn text_from_a_file_or_stdin_is_read_within_a_bound() {
    let sb = Sandbox::init();
    let id = sb.create("Big text");
    let before = sb.commit_count();
    let run_limited = |args: &str| {
        let line = format!(
            "ulimit -v 150000; exec {} comment {id} {args}",
            sh_quote(TIX)
        );
        let out = sb.std_command("sh").args(["-c", &line]).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Without a bound this reads until memory runs out.
    let (code, stderr) = run_limited("-F /dev/zero");
    assert_eq!(code, Some(6), "stderr: {stderr}");
    assert!(stderr.contains("/dev/zero"), "stderr: {stderr}");
    assert!(stderr.contains("at most 4194304 bytes"), "stderr: {stderr}");
    let (code, stderr) = run_limited("-F - < /dev/zero");
    assert_eq!(code, Some(6), "stderr: {stderr}");
    assert!(stderr.contains("standard input"), "stderr: {stderr}");
    // A 200 MB text file is refused by its size, before reading it.
    let big = sb.root().join("big.txt");
    let mut f = std::fs::File::create(&big).unwrap();
    std::io::Write::write_all(&mut f, b"text\n").unwrap();
    f.set_len(200 << 20).unwrap();
    let (code, stderr) = run_limited(&format!("-F {}", sh_quote(path_str(&big))));
    assert_eq!(code, Some(6), "stderr: {stderr}");
    assert!(stderr.contains("209715200 bytes"), "stderr: {stderr}");
    assert!(stderr.contains("--attach"), "stderr: {stderr}");
    // Just over the limit from a pipe, and a directory, are refused too.
    let over = "a".repeat((4 << 20) + 1);
    sb.tix(["reply", &id, "-F", "-"])
        .stdin(over.into_bytes())
        .fails(6)
        .stderr_has(&["standard input", "more than 4194304 bytes"]);
    let dir = sb.mkdir("notes");
    sb.tix(["comment", &id, "-F", path_str(&dir)])
        .fails(6)
        .stderr_has(&[path_str(&dir), "directory"]);
    assert_eq!(sb.commit_count(), before, "nothing is written");
    // A long text within the limit is still taken whole.
    let long = "b".repeat(1 << 20);
    sb.change_with(sb.tix(["comment", &id, "-F", "-"]).stdin(long.into_bytes()));
    sb.assert_clean();
}

// ---------------------------------------------------------------- the editor

/// An executable shell script in the sandbox.
fn script_file(sb: &Sandbox, name: &str, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = sb.root().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_str().unwrap().to_string()
}

/// A temporary directory for drafts, to see what tix leaves there.
fn tmpdir(sb: &Sandbox) -> String {
    path_str(&sb.mkdir("tmp")).to_string()
}

fn drafts_in(dir: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

#[test]
fn an_editor_that_fails_writes_nothing() {
    let sb = Sandbox::init();
    let id = sb.create("Editor");
    let before = sb.commit_count();
    let tmp = tmpdir(&sb);
    let Some(run) = tix_on_pty(
        &sb,
        &["comment", &id],
        &[("EDITOR", "false"), ("TMPDIR", &tmp)],
    ) else {
        return;
    };
    let run = run
        .code(6)
        .stdout_has(&["editor `false` exited 1; nothing written"]);
    assert!(!run.stdout.contains("kept in"), "{}", run.stdout);
    assert_eq!(sb.commit_count(), before);
    assert!(drafts_in(&tmp).is_empty(), "an empty draft is not kept");

    // Text written and then `:cq`: refused, and the text is kept.
    let cq = script_file(
        &sb,
        "cq-editor",
        "printf 'My careful answer\\n' > \"$1\"; exit 1",
    );
    let run = tix_on_pty(&sb, &["reply", &id], &[("EDITOR", &cq), ("TMPDIR", &tmp)])
        .unwrap()
        .code(6)
        .stdout_has(&["exited 1; nothing written", "your text is kept in", &tmp]);
    assert_eq!(sb.commit_count(), before, "nothing recorded, nothing sent");
    let drafts = drafts_in(&tmp);
    assert_eq!(drafts.len(), 1, "{}", run.stdout);
    assert!(run.stdout.contains(path_str(&drafts[0])), "{}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(&drafts[0]).unwrap(),
        "My careful answer\n"
    );
}

#[test]
fn an_editor_command_with_arguments_is_run_by_the_shell_and_named_when_missing() {
    let sb = Sandbox::init();
    let id = sb.create("Editor");
    let before = sb.commit_count();
    let tmp = tmpdir(&sb);
    let Some(run) = tix_on_pty(
        &sb,
        &["comment", &id],
        &[("EDITOR", "no-such-editor --wait"), ("TMPDIR", &tmp)],
    ) else {
        return;
    };
    run.code(6).stdout_has(&[
        "editor `no-such-editor --wait` exited 127",
        "nothing written",
    ]);
    assert_eq!(sb.commit_count(), before);

    // Arguments reach the editor: `sh -c "$EDITOR \"$@\""`, as git does.
    let editor = script_file(
        &sb,
        "editor-with-flag",
        "[ \"$1\" = --wait ] || exit 3; printf 'Checked the logs\\n# a comment\\n' > \"$2\"",
    );
    tix_on_pty(
        &sb,
        &["comment", &id],
        &[("EDITOR", &format!("{editor} --wait")), ("TMPDIR", &tmp)],
    )
    .unwrap()
    .code(0);
    assert_eq!(sb.commit_count(), before + 1);
    let entries = sb.entries(&id);
    assert_eq!(entries.last().unwrap()["body"], "Checked the logs");
    assert!(drafts_in(&tmp).is_empty(), "the draft is removed once used");
}

#[test]
fn an_empty_visual_counts_as_unset() {
    let sb = Sandbox::init();
    let id = sb.create("Editor");
    let before = sb.commit_count();
    let tmp = tmpdir(&sb);
    let editor = script_file(&sb, "good-editor", "printf 'From EDITOR\\n' > \"$1\"");
    let Some(run) = tix_on_pty(
        &sb,
        &["comment", &id],
        &[("VISUAL", ""), ("EDITOR", &editor), ("TMPDIR", &tmp)],
    ) else {
        return;
    };
    run.code(0);
    assert_eq!(sb.commit_count(), before + 1);
    assert_eq!(sb.entries(&id).last().unwrap()["body"], "From EDITOR");
}

#[test]
fn ctrl_c_while_the_editor_runs_writes_nothing_and_says_where_the_draft_is() {
    let sb = Sandbox::init();
    let id = sb.create("Editor");
    let before = sb.commit_count();
    let tmp = tmpdir(&sb);
    // What a terminal does on Ctrl-C: SIGINT to the whole foreground
    // process group, tix included.
    let editor = script_file(
        &sb,
        "interrupted-editor",
        "printf 'Half a thought\\n' > \"$1\"; kill -INT 0; sleep 5",
    );
    let Some(run) = tix_on_pty(
        &sb,
        &["reply", &id],
        &[("EDITOR", &editor), ("TMPDIR", &tmp)],
    ) else {
        return;
    };
    let run =
        run.code(6)
            .stdout_has(&["was interrupted", "nothing written", "your text is kept in"]);
    assert_eq!(sb.commit_count(), before);
    let drafts = drafts_in(&tmp);
    assert_eq!(drafts.len(), 1, "{}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(&drafts[0]).unwrap(),
        "Half a thought\n"
    );
}

// ---------------------------------------------------------------- prompts

/// Runs tix on a pseudo-terminal and types `keys` once the terminal shows
/// `wait_for`; returns everything the terminal showed. `None` when
/// `script` is not installed.
fn tix_on_pty_typing(sb: &Sandbox, args: &[&str], wait_for: &str, keys: &[u8]) -> Option<Run> {
    use std::io::{Read, Write};
    if !have_script() {
        eprintln!("script(1) is not installed: skipping the terminal part");
        return None;
    }
    // `exec` so that no shell stands between script(1) and tix: a shell
    // left waiting would die of a Ctrl-C meant for tix and report 130.
    let mut line = format!("exec {}", sh_quote(TIX));
    for a in args {
        line.push(' ');
        line.push_str(&sh_quote(a));
    }
    let mut child = sb
        .std_command("script")
        .args(["-qec", &line, "/dev/null"])
        .env("SHELL", "/bin/sh")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script runs");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !String::from_utf8_lossy(&seen).contains(wait_for) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(chunk) => seen.extend(chunk),
            Err(_) => panic!(
                "the terminal never showed {wait_for:?}:\n{}",
                String::from_utf8_lossy(&seen)
            ),
        }
    }
    stdin.write_all(keys).unwrap();
    stdin.flush().unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    reader.join().unwrap();
    seen.extend(rx.try_iter().flatten());
    Some(Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&seen).into_owned(),
        stderr: String::new(),
        what: format!("script -qec {line}"),
    })
}

#[test]
fn ctrl_c_in_the_required_field_selector_shows_the_cursor_again() {
    let sb = Sandbox::init();
    sb.set_fields(
        "- {name: resolution, type: choice, choices: [fixed, wontfix], required: [close]}\n",
    );
    let id = sb.create("Needs a resolution");
    let before = sb.commit_count();
    let Some(run) = tix_on_pty_typing(&sb, &["close", &id], "wontfix", b"\x03") else {
        return;
    };
    const HIDE: &str = "\x1b[?25l";
    const SHOW: &str = "\x1b[?25h";
    let hidden = run
        .stdout
        .rfind(HIDE)
        .expect("the selector hides the cursor");
    assert!(
        run.stdout[hidden..].contains(SHOW),
        "the cursor stays hidden after Ctrl-C:\n{:?}",
        run.stdout
    );
    assert_ne!(run.code, 0);
    assert_eq!(sb.commit_count(), before);
}

// ---------------------------------------------------------------- escapes

/// A mail whose text tries to act on the reader's terminal: set the window
/// title (OSC), hide text (SGR 8), overwrite a line (a lone CR), and a C1
/// control (CSI as one character).
const HOSTILE_MAIL: &[u8] = b"From: Eve \x1b[8mX <eve@example.com>\r\n\
To: help@example.com\r\n\
Subject: Invoice\r\n\
Message-ID: <hostile-1@example.com>\r\n\
Date: Mon, 30 Nov 2026 10:00:00 +0000\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Hi \x1b]0;pwned\x07 there\r\n\
\x1b[8mhidden\x1b[0m text\r\n\
Pay to 1111\rPay to 6666\r\n\
c1 \xc2\x9b here\r\n";

#[test]
fn show_on_a_terminal_shows_control_characters_instead_of_obeying_them() {
    let sb = Sandbox::init();
    let mail = sb.root().join("hostile.eml");
    std::fs::write(&mail, HOSTILE_MAIL).unwrap();
    sb.ok(["import", "eml", path_str(&mail)]);
    let id = sb.list_ids(["list"]).remove(0);

    // The trail keeps the bytes; JSON escapes them; piped text is as stored.
    let body = sb.entries(&id).last().unwrap()["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.contains("\x1b]0;pwned\x07"), "{body:?}");
    assert!(body.contains("1111\rPay"), "{body:?}");
    sb.change(["comment", &id, "-m", "note \x1b]2;t\x07 end"]);
    let piped = sb.ok(["show", &id]);
    assert!(piped.contains("\x1b[8mhidden"), "{piped:?}");

    let Some(run) = tix_on_pty(&sb, &["show", &id], &[("NO_COLOR", "1")]) else {
        return;
    };
    let shown = run.code(0).stdout;
    assert!(
        !shown.contains('\x1b'),
        "an escape reached the terminal: {shown:?}"
    );
    assert!(!shown.contains('\x07'), "{shown:?}");
    assert!(!shown.contains('\u{9b}'), "{shown:?}");
    assert!(!shown.contains("1111\rPay"), "{shown:?}");
    for visible in [
        "Hi ^[]0;pwned^G there",
        "^[[8mhidden^[[0m text",
        "Pay to 1111^MPay to 6666",
        "c1 <U+009B> here",
        "| note ^[]2;t^G end",
    ] {
        assert!(shown.contains(visible), "{visible:?} not in {shown:?}");
    }
    // With colour on, tix's own styling still works around the text.
    let colour = tix_on_pty(&sb, &["show", &id], &[]).unwrap().code(0).stdout;
    assert!(colour.contains("\x1b[1m"), "{colour:?}");
    assert!(!colour.contains("\x1b]0;"), "{colour:?}");
    assert!(colour.contains("^[[8mhidden"), "{colour:?}");
}

// ---------------------------------------------------------------- tables

const LONG_SUBJECT: &str = "The printer on the third floor keeps jamming whenever anyone prints \
                            more than ten pages in duplex mode, and the toner light blinks";

fn desk_with_long_cells(sb: &Sandbox) -> Vec<String> {
    (0..6)
        .map(|i| {
            sb.create_with(sb.tix([
                "create",
                "--customer",
                &format!("Bartholomew Longname-Smythe {i} <bart.longname{i}@very-long-domain.example.com>"),
                "--subject",
                &format!("{LONG_SUBJECT} #{i}"),
                "-m",
                "x",
            ]))
        })
        .collect()
}

/// Asserts the table has a header, a rule and one line per ticket, none
/// wider than `width`, with ids, statuses and times whole.
#[track_caller]
fn assert_fitted(table: &str, ids: &[String], width: usize) {
    let lines: Vec<&str> = table.lines().map(|l| l.trim_end_matches('\r')).collect();
    assert_eq!(lines.len(), 2 + ids.len(), "one line per ticket:\n{table}");
    assert!(lines[0].starts_with("ID"), "{table}");
    assert!(lines[1].starts_with('─') && !lines[1].contains(['┼', '═']));
    for line in &lines {
        assert!(
            line.chars().count() <= width,
            "{} columns, more than {width}: {line:?}",
            line.chars().count()
        );
    }
    for id in ids {
        let line = lines
            .iter()
            .find(|l| l.starts_with(id.as_str()))
            .unwrap_or_else(|| panic!("{id} not whole at the start of a line:\n{table}"));
        assert!(line.contains("  new  "), "{line}");
        assert!(
            line.contains('…'),
            "long cells are cut with an ellipsis: {line}"
        );
        let date = trailing_time(line);
        assert!(date.is_some(), "the updated time is whole: {line}");
    }
}

/// The `YYYY-MM-DD HH:MM` at the end of a line, if whole.
fn trailing_time(line: &str) -> Option<&str> {
    let tail = line.get(line.len().checked_sub(16)?..)?;
    let b = tail.as_bytes();
    (b[4] == b'-' && b[7] == b'-' && b[10] == b' ' && b[13] == b':').then_some(tail)
}

#[test]
fn the_terminal_table_fits_the_width_one_line_per_ticket() {
    let sb = Sandbox::init();
    let ids = desk_with_long_cells(&sb);

    // COLUMNS is honoured, on a terminal or not.
    let table = sb
        .tix(["list", "--format", "table"])
        .env("COLUMNS", "80")
        .ok();
    assert_fitted(&table, &ids, 80);
    let table = sb
        .tix(["list", "--format", "table"])
        .env("COLUMNS", "132")
        .ok();
    assert_fitted(&table, &ids, 132);
    assert!(table.contains("Bartholomew Longname"), "{table}");

    // --wide shows every cell whole.
    let wide = sb
        .tix(["list", "--format", "table", "--wide"])
        .env("COLUMNS", "80")
        .ok();
    assert!(wide.contains(&format!("{LONG_SUBJECT} #0")), "{wide}");
    assert!(wide.contains("Bartholomew Longname-Smythe 0"), "{wide}");
    assert_eq!(wide.lines().count(), 2 + ids.len());

    // On a real terminal (one that does not say its size: 80 columns).
    let Some(run) = tix_on_pty(&sb, &["list"], &[]) else {
        return;
    };
    assert_fitted(&run.code(0).stdout, &ids, 80);
    let run = tix_on_pty(&sb, &["list"], &[("COLUMNS", "100")]).unwrap();
    assert_fitted(&run.code(0).stdout, &ids, 100);
}

// ---------------------------------------------------------------- errors

#[test]
fn dash_c_names_a_missing_directory_or_a_file() {
    let sb = Sandbox::init();
    let missing = sb.root().join("no-such-dir");
    sb.tix(["-C", path_str(&missing), "list"])
        .fails(7)
        .stderr_has(&[path_str(&missing), "no such directory"]);
    let file = sb.root().join("a-file");
    std::fs::write(&file, "x").unwrap();
    sb.tix(["-C", path_str(&file), "list"])
        .fails(6)
        .stderr_has(&[path_str(&file), "not a directory"]);
    // A real directory still works.
    sb.tix(["-C", path_str(&sb.dir), "list"]).ok();
}

/// `-C DIR` is "as if started in DIR", as for git: the paths of `-F`,
/// `--attach` and `import mbox` are read from DIR, not from where tix was
/// started.
#[test]
fn dash_c_resolves_path_arguments_from_that_directory() {
    let sb = Sandbox::init();
    let root = sb.root();
    std::fs::write(sb.dir.join("body.txt"), "Read from the store dir\n").unwrap();
    std::fs::write(sb.dir.join("notes.log"), "attached from the store dir\n").unwrap();
    std::fs::write(root.join("body.txt"), "Read from the caller's dir\n").unwrap();
    let id = sb.create_with(
        sb.tix([
            "-C",
            "store",
            "create",
            "--customer",
            "ann@example.com",
            "--subject",
            "Relative paths",
            "-F",
            "body.txt",
            "--attach",
            "notes.log",
        ])
        .in_dir(&root),
    );
    let created = &sb.entries(&id)[0];
    assert_eq!(created["body"], "Read from the store dir\n", "{created}");
    sb.tix(["-C", "store", "comment", &id, "-F", "body.txt"])
        .in_dir(&root)
        .ok();
    let note = sb
        .entries(&id)
        .into_iter()
        .find(|e| e["kind"] == "note")
        .unwrap();
    assert_eq!(note["body"], "Read from the store dir\n", "{note}");
    let mbox = "From ann@example.com Mon Jan  5 10:00:00 2026\n\
                From: Ann <ann@example.com>\n\
                To: support@example.com\n\
                Subject: By mbox\n\
                Message-ID: <dash-c@example.com>\n\
                Date: Mon, 5 Jan 2026 10:00:00 +0000\n\
                \n\
                Hello\n";
    std::fs::write(sb.dir.join("in.mbox"), mbox).unwrap();
    sb.tix(["-C", "store", "import", "mbox", "in.mbox"])
        .in_dir(&root)
        .ok();
    assert!(sb.ok(["list", "--format", "json"]).contains("By mbox"));
}

#[test]
fn invalid_utf8_in_the_config_is_invalid_input_naming_the_file() {
    let sb = Sandbox::init();
    let path = sb.dir.join(".tix/config.yaml");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"# caf\xe9\n");
    std::fs::write(&path, bytes).unwrap();
    sb.tix(["list"])
        .fails(6)
        .stderr_has(&[".tix/config.yaml", "not UTF-8"]);
}

#[test]
fn dash_f_refuses_a_directory_and_endless_or_huge_input_naming_it() {
    let sb = Sandbox::init();
    let id = sb.create("Text from a file");
    let before = sb.commit_count();
    let dir = sb.mkdir("notes");
    sb.tix(["comment", &id, "-F", path_str(&dir)])
        .fails(6)
        .stderr_has(&[path_str(&dir), "is a directory"]);
    // A device that never ends is cut off at the limit, not read until
    // memory runs out.
    sb.tix(["comment", &id, "-F", "/dev/zero"])
        .fails(6)
        .stderr_has(&["/dev/zero", "more than 4194304 bytes"]);
    // A sparse file over the limit is refused by its size, unread.
    let big = sb.root().join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 40)
        .unwrap();
    sb.tix(["reply", &id, "-F", path_str(&big), "--no-send"])
        .fails(6)
        .stderr_has(&["big.txt", "at most 4194304 bytes", "--attach"]);
    sb.tix(["comment", &id, "-F", "-"])
        .stdin(vec![b'a'; (4 << 20) + 1])
        .fails(6)
        .stderr_has(&["standard input", "more than 4194304 bytes"]);
    assert_eq!(sb.commit_count(), before, "nothing is written");
    // A FIFO, as `-F <(command)` gives, is still read.
    let fifo = sb.root().join("text-fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "from a pipe\n").unwrap())
    };
    sb.change(["comment", &id, "-F", path_str(&fifo)]);
    writer.join().unwrap();
    assert_eq!(sb.entries(&id).last().unwrap()["body"], "from a pipe\n");
    sb.assert_clean();
}

#[test]
fn a_nul_byte_in_the_text_is_refused_with_a_whole_sentence() {
    let sb = Sandbox::init();
    let id = sb.create("NUL");
    let file = sb.root().join("nul.txt");
    std::fs::write(&file, b"before\0after").unwrap();
    let run = sb
        .tix(["comment", &id, "-F", path_str(&file)])
        .fails(6)
        .stderr_has(&[
            "nul.txt",
            "contains a NUL byte, which entry text cannot hold",
        ]);
    assert!(!run.stderr.contains("text cannot\n"), "{}", run.stderr);
}

#[test]
fn closing_without_a_required_field_names_the_ticket_and_the_choices() {
    let sb = Sandbox::init();
    sb.set_fields(
        "- {name: product, type: choice, choices: [printer, scanner], required: [close]}\n",
    );
    let id = sb.create("Needs a product");
    sb.tix(["close", &id]).fails(6).stderr_has(&[
        &format!("ticket {id}"),
        "product",
        "one of printer, scanner",
        &format!("tix close {id} --field product=VALUE"),
    ]);
    sb.tix(["status", &id, "closed"])
        .fails(6)
        .stderr_has(&[&format!("ticket {id}"), "one of printer, scanner"]);
    // Closing by a reply is checked under the lock, with the same detail.
    sb.tix([
        "reply",
        &id,
        "-m",
        "Done",
        "--status",
        "closed",
        "--no-send",
    ])
    .fails(6)
    .stderr_has(&[&id, "product (one of printer, scanner)"]);
}

#[test]
fn a_locked_ticket_answers_locked_before_any_other_refusal() {
    let sb = Sandbox::init();
    sb.set_fields(
        "- {name: product, type: choice, choices: [printer, scanner], required: [close]}\n",
    );
    sb.set_config("groups", "[{name: first-line, agents: [alice]}]");
    let id = sb.create("Locked");
    sb.change(["lock", &id, "--yes"]);
    let before = sb.commit_count();
    // Not "missing field product": adding the field would only meet the lock.
    sb.tix(["close", &id])
        .fails(5)
        .stderr_has(&[&format!("ticket {id} is locked")]);
    sb.tix(["status", &id, "closed"])
        .fails(5)
        .stderr_has(&[&format!("ticket {id} is locked")]);
    // Not "already with the last group".
    sb.tix(["escalate", &id, "-m", "help"])
        .fails(5)
        .stderr_has(&[&format!("ticket {id} is locked")]);
    assert_eq!(sb.commit_count(), before, "nothing is written");
}

#[test]
fn unlink_with_the_wrong_relation_says_which_link_exists() {
    let sb = Sandbox::init();
    let a = sb.create("A");
    let b = sb.create("B");
    sb.change(["link", &a, &b, "--rel", "duplicate-of"]);
    let before = sb.commit_count();
    sb.tix(["unlink", &a, &b]).fails(6).stderr_has(&[
        &format!("ticket {a} has no related link to {b}"),
        "duplicate-of",
        &format!("tix unlink {a} {b} --rel duplicate-of"),
    ]);
    assert_eq!(sb.commit_count(), before);
    sb.change(["unlink", &a, &b, "--rel", "duplicate-of"]);
    // No link at all is still nothing to change.
    sb.tix(["unlink", &a, &b]).ok();
}

#[test]
fn an_unknown_agent_in_an_assignee_filter_is_an_error() {
    let sb = Sandbox::init();
    sb.create("Filtered");
    sb.tix(["list", "--assignee", "zoe"])
        .fails(3)
        .stderr_has(&["no agent `zoe`"]);
    sb.tix(["report", "summary", "--assignee", "zoe"])
        .fails(3)
        .stderr_has(&["zoe"]);
    sb.tix(["sla", "--assignee", "zoe"])
        .fails(3)
        .stderr_has(&["zoe"]);
    // Known agents, by handle or address, still filter.
    sb.tix(["list", "--assignee", "alice@example.com"]).ok();
}

// ---------------------------------------------------------------- man pages and help

fn man_page(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("man")
        .join(format!("{name}.1"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn man_pages_have_placeholders_and_the_usual_sections() {
    let top = man_page("tix");
    let synopsis = top
        .lines()
        .skip_while(|l| *l != ".SH SYNOPSIS")
        .nth(1)
        .unwrap();
    assert!(
        synopsis.contains(r"[\-C DIR]") && synopsis.contains(r"[\-\-as AGENT]"),
        "{synopsis}"
    );
    for section in [
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH \"EXIT STATUS\"",
        ".SH EXAMPLES",
        ".SH \"SEE ALSO\"",
    ] {
        assert!(top.contains(section), "tix.1 has no {section}");
    }
    assert!(
        !top.contains(".SH EXTRA"),
        "exit codes belong in EXIT STATUS"
    );
    assert!(top.contains(r"\fBVISUAL\fR"));
    let list = man_page("tix-list");
    assert!(list.contains(r"[\-\-assignee AGENT]"), "{list}");
    assert!(list.contains(".SH \"EXIT STATUS\""));
    assert!(list.contains(".SH \"GLOBAL OPTIONS\""));

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // No page points to a page that is not installed.
        let plain = text
            .replace(r"\fB", "")
            .replace(r"\fR", "")
            .replace(r"\fI", "")
            .replace(r"\-", "-");
        for (i, _) in plain.match_indices("(1)") {
            let start = plain[..i]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .map_or(0, |p| p + 1);
            let page = &plain[start..i];
            if page.starts_with("tix") {
                assert!(
                    dir.join(format!("{page}.1")).exists(),
                    "{name} refers to {page}(1), which does not exist"
                );
            }
        }
        assert!(
            !text.contains("(see docs/"),
            "{name} points to docs that man does not install"
        );
    }
}

#[test]
fn help_groups_global_options_and_says_what_tick_does() {
    let sb = Sandbox::new();
    let help = sb.ok(["list", "--help"]);
    let global = help
        .find("Global options:")
        .expect("a Global options heading");
    assert!(help.find("-C <DIR>").unwrap() > global, "{help}");
    assert!(help.find("--as <AGENT>").unwrap() > global, "{help}");
    assert!(help.find("--assignee").unwrap() < global, "{help}");

    let tick = sb.ok(["tick", "--help"]);
    assert!(
        tick.contains("sla.on_breach") && tick.contains("SLA"),
        "{tick}"
    );

    assert!(!sb.ok(["import", "eml", "--help"]).contains("--batch"));
    assert!(sb.ok(["import", "mbox", "--help"]).contains("--batch"));
}

// ---------------------------------------------------------------- completion

/// What the completion script gets back for `words` with the cursor on the
/// last word, asked the way the bash script asks.
fn complete(sb: &Sandbox, words: &[&str]) -> Vec<String> {
    let out = sb
        .tix(["--"].iter().chain(words))
        .env("TIX_COMPLETE", "bash")
        .env("_CLAP_IFS", "\n")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .ok();
    // Flags are offered too when nothing is typed; these tests look at
    // the values.
    out.lines()
        .filter(|l| !l.starts_with('-'))
        .map(str::to_string)
        .collect()
}

#[test]
fn completion_offers_ticket_ids_agents_tags_fields_and_statuses() {
    let sb = Sandbox::init();
    sb.add_bob();
    sb.set_fields(
        "- {name: product, type: choice, choices: [printer, scanner]}\n- {name: units, type: number}\n",
    );
    let a = sb.create("First");
    let b = sb.create("Second");
    sb.change(["tag", &a, "vip", "hardware"]);

    let ids = complete(&sb, &["tix", "show", ""]);
    assert!(ids.contains(&a) && ids.contains(&b), "{ids:?}");
    // Prefixes match whatever the case.
    let lower = a[..3].to_lowercase();
    let some = complete(&sb, &["tix", "reply", &lower]);
    assert!(some.contains(&a), "{some:?}");
    assert!(
        some.iter().all(|c| c.to_lowercase().starts_with(&lower)),
        "{some:?}"
    );
    assert!(complete(&sb, &["tix", "link", &a, ""]).contains(&b));

    let agents = complete(&sb, &["tix", "list", "--assignee", ""]);
    assert!(agents.contains(&"bob".to_string()), "{agents:?}");
    assert!(complete(&sb, &["tix", "assign", &a, ""]).contains(&"bob".to_string()));

    let tags = complete(&sb, &["tix", "list", "--tag", ""]);
    assert_eq!(tags, ["hardware", "vip"]);
    assert_eq!(complete(&sb, &["tix", "untag", &a, "v"]), ["vip"]);

    assert_eq!(
        complete(&sb, &["tix", "field", &a, ""]),
        ["product", "units"]
    );
    assert_eq!(
        complete(&sb, &["tix", "close", &a, "--field", "product="]),
        ["product=printer", "product=scanner"]
    );
    let statuses = complete(&sb, &["tix", "status", &a, ""]);
    assert_eq!(statuses, ["new", "open", "pending", "on-hold", "closed"]);

    // Outside a store there is nothing to offer, and no error.
    let elsewhere = sb.mkdir("elsewhere");
    let none = sb
        .tix(["--", "tix", "show", ""])
        .in_dir(&elsewhere)
        .env("TIX_COMPLETE", "bash")
        .env("_CLAP_IFS", "\n")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .ok();
    assert!(!none.contains(&a), "{none}");
}

#[test]
fn the_installed_bash_script_completes_through_tix() {
    let sb = Sandbox::init();
    let id = sb.create("Through bash");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("completions/tix.bash");
    assert_eq!(
        sb.ok(["completions", "bash"]).as_bytes(),
        std::fs::read(&script).unwrap(),
        "`tix completions bash` prints the committed script"
    );
    let bin_dir = Path::new(TIX).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let line = format!(
        "source {}; COMP_WORDS=(tix show ''); COMP_CWORD=2; \
         _clap_complete_tix tix '' show; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        sh_quote(path_str(&script))
    );
    let out = sb
        .std_command("bash")
        .args(["-c", &line])
        .env("PATH", path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.lines().any(|l| l == id), "{stdout}");
}

/// Warnings, errors and `tix check` quote what a committed file or typed
/// input holds: on a terminal those quotes are shown, not obeyed, as the
/// trail is.
#[test]
fn check_and_errors_on_a_terminal_show_control_characters() {
    let sb = Sandbox::init();
    let id = sb.create("Hostile file");
    let name = "20261123T013823.123456Z-AAAAAA-note.md";
    std::fs::write(
        sb.ticket_dir(&id).join(name),
        "---\nformat: 1\nkind: note\nat: 2026-11-23T01:38:23.123456Z\nseq: 9\nauthor: alice\n\
         \"\\e]0;pwned\\a\\e[8m\": 1\n---\nhi\n",
    )
    .unwrap();
    sb.git(["add", "-A"]);
    sb.git(["commit", "-q", "-m", "hand edit"]);
    let piped = sb.tix(["check"]).fails(10).stdout;
    assert!(piped.contains("\x1b]0;pwned"), "{piped:?}");
    let Some(run) = tix_on_pty(&sb, &["check"], &[("NO_COLOR", "1")]) else {
        return;
    };
    let shown = run.code(10).stdout;
    assert!(
        !shown.contains('\x1b'),
        "an escape reached the terminal: {shown:?}"
    );
    assert!(!shown.contains('\x07'), "{shown:?}");
    assert!(shown.contains("^[]0;pwned^G^[[8m"), "{shown:?}");
    // The same file quoted in a warning by show, and typed input quoted in
    // an error.
    let shown = tix_on_pty(&sb, &["show", &id], &[("NO_COLOR", "1")])
        .unwrap()
        .code(0)
        .stdout;
    assert!(!shown.contains('\x1b'), "{shown:?}");
    let customer = "Eve \x1b]0;t\x07 <eve@example.com>";
    let args = [
        "create",
        "--customer",
        customer,
        "--subject",
        "x",
        "-m",
        "x",
    ];
    let shown = tix_on_pty(&sb, &args, &[("NO_COLOR", "1")])
        .unwrap()
        .code(6)
        .stdout;
    assert!(!shown.contains('\x1b'), "{shown:?}");
    assert!(shown.contains("^[]0;t^G"), "{shown:?}");
}
