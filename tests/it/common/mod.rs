//! Shared helpers for the integration tests: a sandbox with its own HOME
//! and git identity, and ways to run the real `tix` binary and `git` in it.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

pub mod corpus;
pub mod mailserver;

/// The binary under test.
pub const TIX: &str = env!("CARGO_BIN_EXE_tix");

/// Variables that would change how tix or git behave if inherited from the
/// environment the tests run in (with `tix_core::testing_hooks::ALL`).
const REMOVED_VARS: &[&str] = &[
    "TIX_AGENT",
    "TIX_NOW",
    "TIX_LOCK_TIMEOUT",
    "NO_COLOR",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_CEILING_DIRECTORIES",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_COMMITTER_DATE",
    "GIT_CONFIG",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_COUNT",
    "EDITOR",
    "VISUAL",
    "TZ",
];

/// The global git config every sandbox starts with.
const GITCONFIG: &str = "[user]\n\tname = Alice Admin\n\temail = alice@example.com\n\
[init]\n\tdefaultBranch = main\n\
[commit]\n\tgpgsign = false\n\
[pull]\n\trebase = false\n\
[advice]\n\tdetachedHead = false\n";

/// What a finished process left behind.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// For messages: what was run.
    pub what: String,
}

impl Run {
    /// Asserts exit code 0 and returns stdout.
    #[track_caller]
    pub fn ok(self) -> String {
        assert_eq!(
            self.code, 0,
            "`{}` failed with exit {}\nstdout:\n{}\nstderr:\n{}",
            self.what, self.code, self.stdout, self.stderr
        );
        self.stdout
    }

    /// Asserts the exit code and returns the run for further checks.
    #[track_caller]
    pub fn code(self, expected: i32) -> Run {
        assert_eq!(
            self.code, expected,
            "`{}`: expected exit {expected}, got {}\nstdout:\n{}\nstderr:\n{}",
            self.what, self.code, self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stderr contains every one of `needles`.
    #[track_caller]
    pub fn stderr_has(self, needles: &[&str]) -> Run {
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "`{}`: stderr does not mention {n:?}\nstderr:\n{}",
                self.what,
                self.stderr
            );
        }
        self
    }

    /// Asserts that stdout contains every one of `needles`.
    #[track_caller]
    pub fn stdout_has(self, needles: &[&str]) -> Run {
        for n in needles {
            assert!(
                self.stdout.contains(n),
                "`{}`: stdout does not mention {n:?}\nstdout:\n{}",
                self.what,
                self.stdout
            );
        }
        self
    }
}

/// One tix invocation being put together.
pub struct Tix<'a> {
    sandbox: &'a Sandbox,
    dir: PathBuf,
    args: Vec<OsString>,
    envs: Vec<(String, OsString)>,
    stdin: Option<Vec<u8>>,
}

impl Tix<'_> {
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.envs
            .push((key.to_string(), value.as_ref().to_os_string()));
        self
    }

    /// Sets the clock tix sees (`TIX_NOW`).
    pub fn now(self, rfc3339: &str) -> Self {
        self.env("TIX_NOW", rfc3339)
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    pub fn in_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.dir = dir.as_ref().to_path_buf();
        self
    }

    pub fn run(self) -> Run {
        let mut cmd = assert_cmd::Command::cargo_bin("tix").expect("the tix binary is built");
        cmd.current_dir(&self.dir);
        for (k, v) in self.sandbox.env_vars() {
            cmd.env(k, v);
        }
        for k in REMOVED_VARS.iter().chain(tix_core::testing_hooks::ALL) {
            cmd.env_remove(k);
        }
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        cmd.args(&self.args);
        if let Some(bytes) = self.stdin {
            cmd.write_stdin(bytes);
        }
        cmd.timeout(Duration::from_secs(120));
        let what = format!(
            "tix {}",
            self.args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        );
        let out = cmd.output().expect("tix runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            what,
        }
    }

    /// Runs, asserts success, returns stdout.
    #[track_caller]
    pub fn ok(self) -> String {
        self.run().ok()
    }

    /// Runs and asserts the exit code.
    #[track_caller]
    pub fn fails(self, code: i32) -> Run {
        self.run().code(code)
    }
}

/// A temporary directory with its own HOME (and git identity "Alice Admin
/// <alice@example.com>") and a directory for the store.
pub struct Sandbox {
    /// Removes the directory when the sandbox goes.
    _tmp: tempfile::TempDir,
    pub home: PathBuf,
    /// Where commands run by default: the store directory.
    pub dir: PathBuf,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    /// An empty sandbox: HOME with a .gitconfig, and an empty `store` dir.
    pub fn new() -> Sandbox {
        let tmp = tempfile::Builder::new()
            .prefix("tix-test-")
            .tempdir()
            .expect("a temporary directory");
        let root = tmp.path().canonicalize().expect("canonical temp dir");
        let home = root.join("home");
        std::fs::create_dir_all(home.join(".config")).unwrap();
        std::fs::write(home.join(".gitconfig"), GITCONFIG).unwrap();
        let dir = root.join("store");
        std::fs::create_dir_all(&dir).unwrap();
        Sandbox {
            _tmp: tmp,
            home,
            dir,
        }
    }

    /// Like [`Sandbox::new`], with the temporary directory inside `parent`
    /// (a RAM disk, say, for tests that write many files).
    pub fn new_in(parent: &Path) -> Sandbox {
        let tmp = tempfile::Builder::new()
            .prefix("tix-test-")
            .tempdir_in(parent)
            .expect("a temporary directory");
        let root = tmp.path().canonicalize().expect("canonical temp dir");
        let home = root.join("home");
        std::fs::create_dir_all(home.join(".config")).unwrap();
        std::fs::write(home.join(".gitconfig"), GITCONFIG).unwrap();
        let dir = root.join("store");
        std::fs::create_dir_all(&dir).unwrap();
        Sandbox {
            _tmp: tmp,
            home,
            dir,
        }
    }

    /// Like [`Sandbox::init`], inside `parent`.
    pub fn init_in(parent: &Path) -> Sandbox {
        let sb = Sandbox::new_in(parent);
        sb.ok(["init"]);
        sb
    }

    /// A sandbox whose `store` dir holds a fresh tix store.
    pub fn init() -> Sandbox {
        let sb = Sandbox::new();
        sb.ok(["init"]);
        sb
    }

    /// The sandbox's top directory (holds `home` and `store`).
    pub fn root(&self) -> PathBuf {
        self.home.parent().unwrap().to_path_buf()
    }

    /// A bare `origin.git` in the sandbox and a first clone of it, `name`,
    /// made a store with `tix init` (not yet pushed): the start of every
    /// test of several clones.
    pub fn first_clone_of_origin(&self, name: &str) -> PathBuf {
        let root = self.root();
        self.git_in(&root, ["init", "-q", "--bare", "origin.git"]);
        self.git_in(&root, ["clone", "-q", "origin.git", name]);
        let dir = root.join(name);
        self.tix(["init"]).in_dir(&dir).ok();
        dir
    }

    /// A new directory inside the sandbox.
    pub fn mkdir(&self, name: &str) -> PathBuf {
        let d = self.root().join(name);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// The environment every process in the sandbox gets.
    pub fn env_vars(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("HOME", self.home.clone().into_os_string()),
            (
                "XDG_CONFIG_HOME",
                self.home.join(".config").into_os_string(),
            ),
            ("GIT_CONFIG_NOSYSTEM", "1".into()),
            ("GIT_TERMINAL_PROMPT", "0".into()),
            ("LC_ALL", "C".into()),
        ]
    }

    /// A plain `std::process::Command` for `program` with the sandbox's
    /// environment, running in the store dir.
    pub fn std_command(&self, program: impl AsRef<OsStr>) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        cmd.current_dir(&self.dir);
        for (k, v) in self.env_vars() {
            cmd.env(k, v);
        }
        for k in REMOVED_VARS.iter().chain(tix_core::testing_hooks::ALL) {
            cmd.env_remove(k);
        }
        cmd
    }

    /// A tix invocation in the store dir.
    pub fn tix<I, S>(&self, args: I) -> Tix<'_>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        Tix {
            sandbox: self,
            dir: self.dir.clone(),
            args: args
                .into_iter()
                .map(|a| a.as_ref().to_os_string())
                .collect(),
            envs: Vec::new(),
            stdin: None,
        }
    }

    /// Runs tix, asserts success, returns stdout.
    #[track_caller]
    pub fn ok<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.tix(args).ok()
    }

    /// Runs git in `dir` and returns what happened.
    pub fn git_run_in<I, S>(&self, dir: &Path, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<OsString> = args
            .into_iter()
            .map(|a| a.as_ref().to_os_string())
            .collect();
        let mut cmd = self.std_command("git");
        cmd.current_dir(dir).args(&args);
        let out = cmd.output().expect("git runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            what: format!(
                "git {}",
                args.iter()
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        }
    }

    /// Runs git in `dir`, asserts success, returns stdout.
    #[track_caller]
    pub fn git_in<I, S>(&self, dir: &Path, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.git_run_in(dir, args).ok()
    }

    /// Runs git in the store dir, asserts success, returns stdout.
    #[track_caller]
    pub fn git<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.git_in(&self.dir, args)
    }

    /// Number of commits reachable from HEAD.
    pub fn commit_count(&self) -> usize {
        self.commit_count_in(&self.dir)
    }

    pub fn commit_count_in(&self, dir: &Path) -> usize {
        self.git_in(dir, ["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap()
    }

    /// `author name TAB author email TAB subject` of HEAD.
    pub fn last_commit(&self) -> String {
        self.git(["log", "-1", "--format=%an%x09%ae%x09%s"])
            .trim_end()
            .to_string()
    }

    /// Asserts `git status --porcelain` prints nothing.
    #[track_caller]
    pub fn assert_clean(&self) {
        self.assert_clean_in(&self.dir);
    }

    #[track_caller]
    pub fn assert_clean_in(&self, dir: &Path) {
        let status = self.git_in(dir, ["status", "--porcelain", "--untracked-files=all"]);
        assert!(status.is_empty(), "git status is not clean:\n{status}");
    }

    /// Runs a tix command that must change the store: asserts success,
    /// exactly one new commit, and a clean work tree. Returns stdout.
    #[track_caller]
    pub fn change<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.change_with(self.tix(args))
    }

    /// Like [`Sandbox::change`] for a prepared invocation.
    #[track_caller]
    pub fn change_with(&self, tix: Tix<'_>) -> String {
        let before = self.commit_count();
        let out = tix.ok();
        assert_eq!(
            self.commit_count(),
            before + 1,
            "expected exactly one new commit"
        );
        self.assert_clean();
        out
    }

    /// Creates a ticket and returns its id.
    #[track_caller]
    pub fn create(&self, subject: &str) -> String {
        self.create_with(self.tix([
            "create",
            "--customer",
            "Ann Customer <ann@example.com>",
            &format!("--subject={subject}"),
            "-m",
            &format!("Request: {subject}"),
        ]))
    }

    /// Runs a prepared `tix create` and returns the id it printed.
    #[track_caller]
    pub fn create_with(&self, tix: Tix<'_>) -> String {
        let out = tix.ok();
        let id = out.trim().to_string();
        assert_eq!(id.len(), 8, "create printed {out:?}, not an id");
        assert!(
            id.bytes()
                .all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b)),
            "create printed {out:?}, not an id"
        );
        id
    }

    /// `tix show ID --format json`, parsed.
    #[track_caller]
    pub fn show(&self, id: &str) -> Value {
        self.show_in(&self.dir, id)
    }

    #[track_caller]
    pub fn show_in(&self, dir: &Path, id: &str) -> Value {
        let out = self.tix(["show", id, "--format", "json"]).in_dir(dir).ok();
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("show json: {e}\n{out}"))
    }

    /// The `ticket` object of `tix show ID --format json`.
    #[track_caller]
    pub fn ticket(&self, id: &str) -> Value {
        self.show(id)["ticket"].clone()
    }

    /// The `entries` of `tix show ID --format json`.
    #[track_caller]
    pub fn entries(&self, id: &str) -> Vec<Value> {
        self.show(id)["entries"].as_array().unwrap().clone()
    }

    /// `tix list ARGS --format json`, parsed.
    #[track_caller]
    pub fn list_json<I, S>(&self, args: I) -> Vec<Value>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.list_json_with(self.tix(args))
    }

    #[track_caller]
    pub fn list_json_with(&self, tix: Tix<'_>) -> Vec<Value> {
        let tix = tix.arg_pair("--format", "json");
        let out = tix.ok();
        serde_json::from_str::<Value>(&out)
            .unwrap_or_else(|e| panic!("list json: {e}\n{out}"))
            .as_array()
            .expect("list json is an array")
            .clone()
    }

    /// Ids printed by `tix list ARGS --format ids`, in order.
    #[track_caller]
    pub fn list_ids<I, S>(&self, args: I) -> Vec<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.list_ids_with(self.tix(args))
    }

    #[track_caller]
    pub fn list_ids_with(&self, tix: Tix<'_>) -> Vec<String> {
        tix.arg_pair("--format", "ids")
            .ok()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Replaces the `fields:` of .tix/config.yaml with `fields_yaml` (a
    /// YAML sequence) and commits the change with git.
    #[track_caller]
    pub fn set_fields(&self, fields_yaml: &str) {
        let path = self.dir.join(".tix/config.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut config: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let fields: serde_yaml::Value = serde_yaml::from_str(fields_yaml).unwrap();
        config
            .as_mapping_mut()
            .unwrap()
            .insert("fields".into(), fields);
        std::fs::write(&path, serde_yaml::to_string(&config).unwrap()).unwrap();
        self.git(["commit", "-q", "-am", "config: custom fields"]);
        self.assert_clean();
    }

    /// Sets the top-level key `key` of .tix/config.yaml to `value_yaml`
    /// and commits the change with git.
    #[track_caller]
    pub fn set_config(&self, key: &str, value_yaml: &str) {
        let path = self.dir.join(".tix/config.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut config: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let value: serde_yaml::Value = serde_yaml::from_str(value_yaml).unwrap();
        config.as_mapping_mut().unwrap().insert(key.into(), value);
        std::fs::write(&path, serde_yaml::to_string(&config).unwrap()).unwrap();
        self.git(["commit", "-q", "-am", &format!("config: {key}")]);
        self.assert_clean();
    }

    /// Replaces the `mail:` section of .tix/config.yaml with `mail_yaml` (a
    /// YAML mapping) and commits the change with git.
    #[track_caller]
    pub fn set_mail(&self, mail_yaml: &str) {
        self.set_config("mail", mail_yaml);
    }

    /// The commit id HEAD points to.
    pub fn head(&self) -> String {
        self.git(["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Adds agent `bob` (bob@example.com, no admin role), as alice.
    #[track_caller]
    pub fn add_bob(&self) {
        self.change(["agent", "add", "bob", "--email", "bob@example.com"]);
    }

    /// Path of a ticket's directory in the store.
    pub fn ticket_dir(&self, id: &str) -> PathBuf {
        self.dir.join("tickets").join(&id[..2]).join(id)
    }
}

impl<'a> Tix<'a> {
    /// Appends two arguments.
    pub fn arg_pair(mut self, a: &str, b: &str) -> Tix<'a> {
        self.args.push(a.into());
        self.args.push(b.into());
        self
    }

    /// Appends one argument.
    pub fn arg(mut self, a: impl AsRef<OsStr>) -> Tix<'a> {
        self.args.push(a.as_ref().to_os_string());
        self
    }
}

/// The `kind` of each entry, in trail order.
pub fn kinds(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

/// The ids of tickets in a `tix list --format json` array, in order.
pub fn ids_of(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

/// Sorts a copy of `v`.
pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Every file under `dir`, recursively, skipping `.git`.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if e.file_name() == ".git" {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
