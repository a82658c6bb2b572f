//! Signed commits: tix signs what it commits the way git does when git's
//! signing is on (`commit.gpgsign`, `gpg.format`, `user.signingkey`), and
//! `tix check --signatures` verifies each commit against the key declared
//! for the agent who made it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use git2::{Commit, Oid, Signature, Tree};

use super::Store;
use super::layout::{AVAILABILITY_DIR, CONFIG_PATH, TICKETS_DIR, TIX_DIR};
use crate::domain::{Config, SignedCommits};
use crate::error::{Context, Error, ErrorKind, Result};

/// The signature header git writes into a signed commit.
const SIGNATURE_FIELD: &str = "gpgsig";
/// The namespace git signs and verifies commits with in ssh signatures.
const SSH_NAMESPACE: &str = "git";
const SSH_SIGNATURE_HEADER: &str = "-----BEGIN SSH SIGNATURE-----";
const PGP_SIGNATURE_HEADER: &str = "-----BEGIN PGP SIGNATURE-----";

/// How git is set up to sign commits in this clone.
#[derive(Debug)]
enum Signer {
    /// `ssh-keygen -Y sign` with a key file, or with a public key whose
    /// private half is in the ssh agent.
    Ssh { program: String, key: String },
    /// `gpg --detach-sign`, with `user.signingkey` or gpg's default key.
    OpenPgp {
        program: String,
        key: Option<String>,
    },
}

/// A commit `tix check --signatures` finds wrong.
#[derive(Debug)]
pub struct SignatureProblem {
    pub commit: String,
    pub summary: String,
    pub problem: String,
}

impl Store {
    /// Writes a commit object (not moving any branch), signed when git's
    /// signing is configured for this clone.
    pub(in crate::store) fn write_commit(
        &self,
        author: &Signature<'_>,
        committer: &Signature<'_>,
        message: &str,
        tree: &Tree<'_>,
        parents: &[&Commit<'_>],
    ) -> Result<Oid> {
        let Some(signer) = self.commit_signer()? else {
            return crate::store::git::write_objects(|| {
                self.repo
                    .commit(None, author, committer, message, tree, parents)
            })
            .context(|| "cannot commit".into());
        };
        let buffer = self
            .repo
            .commit_create_buffer(author, committer, message, tree, parents)
            .context(|| "cannot build the commit to sign".into())?;
        let payload = std::str::from_utf8(&buffer)
            .map_err(|_| Error::invalid("the commit to sign is not UTF-8 text"))?;
        let signature = self.sign(&signer, payload)?;
        crate::store::git::write_objects(|| {
            self.repo
                .commit_signed(payload, &signature, Some(SIGNATURE_FIELD))
        })
        .context(|| "cannot write the signed commit".into())
    }

    fn commit_signer(&self) -> Result<Option<Signer>> {
        let config = self
            .repo
            .config()
            .context(|| "cannot read git's config".into())?;
        if !config.get_bool("commit.gpgsign").unwrap_or(false) {
            return Ok(None);
        }
        let get = |key: &str| {
            config
                .get_string(key)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let key = get("user.signingkey");
        match get("gpg.format").as_deref().unwrap_or("openpgp") {
            "ssh" => {
                let key = key.ok_or_else(|| {
                    Error::invalid("git's commit.gpgsign is on with gpg.format ssh, but user.signingkey is not set")
                        .with_hint("set `git config user.signingkey ~/.ssh/id_ed25519.pub` (or turn commit.gpgsign off)")
                })?;
                Ok(Some(Signer::Ssh {
                    program: get("gpg.ssh.program").unwrap_or_else(|| "ssh-keygen".into()),
                    key,
                }))
            }
            "openpgp" => Ok(Some(Signer::OpenPgp {
                program: get("gpg.openpgp.program")
                    .or_else(|| get("gpg.program"))
                    .unwrap_or_else(|| "gpg".into()),
                key,
            })),
            other => Err(Error::invalid(format!(
                "git's gpg.format is `{other}`: tix signs commits with `ssh` or `openpgp`"
            ))
            .with_hint("sign with ssh or gpg, or turn commit.gpgsign off for this clone")),
        }
    }

    /// A detached signature of `payload`, made as git makes it.
    fn sign(&self, signer: &Signer, payload: &str) -> Result<String> {
        match signer {
            Signer::Ssh { program, key } => {
                let scratch = Scratch::new(self)?;
                let data = scratch.file("commit", payload.as_bytes())?;
                let mut cmd = Command::new(program);
                cmd.args(["-Y", "sign", "-n", SSH_NAMESPACE]);
                // A key given literally (as git allows) is a public key
                // whose private half the ssh agent holds.
                match key
                    .strip_prefix("key::")
                    .or_else(|| key.starts_with("ssh-").then_some(key.as_str()))
                {
                    Some(literal) => {
                        let public = scratch.file("key.pub", literal.as_bytes())?;
                        cmd.arg("-U").arg("-f").arg(public);
                    }
                    None => {
                        cmd.arg("-f").arg(expand_home(key));
                    }
                }
                cmd.arg(&data);
                let out = run(&mut cmd, None, program)?;
                if !out.status.success() {
                    return Err(signing_failed(program, &out.stderr));
                }
                let signature = std::fs::read_to_string(data.with_extension("sig"))
                    .context(|| format!("{program} wrote no signature"))?;
                Ok(signature)
            }
            Signer::OpenPgp { program, key } => {
                let mut cmd = Command::new(program);
                cmd.args(["--status-fd=2", "-bsa"]);
                if let Some(key) = key {
                    cmd.arg("-u").arg(key);
                }
                let out = run(&mut cmd, Some(payload.as_bytes()), program)?;
                let status = String::from_utf8_lossy(&out.stderr);
                if !out.status.success() || !status.contains("[GNUPG:] SIG_CREATED ") {
                    return Err(signing_failed(program, &out.stderr));
                }
                String::from_utf8(out.stdout).map_err(|_| {
                    Error::internal(format!("{program} wrote a signature that is not text"))
                })
            }
        }
    }

    /// Verifies the commits from HEAD back to (not including) `since`, or
    /// all of them: each one the config requires to be signed must carry
    /// a valid signature by the key declared for the agent who made it
    /// (the committer: the author, or the admin who acted for them).
    pub fn verify_signatures(&self, since: Option<&str>) -> Result<Vec<SignatureProblem>> {
        let Some(head) = self.head_id()? else {
            return Ok(Vec::new());
        };
        let config = self.config();
        let scope = config.signed_commits.unwrap_or(SignedCommits::All);
        let mut walk = self
            .repo
            .revwalk()
            .context(|| "cannot walk the history".into())?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL)
            .context(|| "cannot walk the history".into())?;
        walk.push(head)
            .context(|| "cannot walk the history".into())?;
        if let Some(since) = since {
            let from = self
                .repo
                .revparse_single(since)
                .and_then(|o| o.peel_to_commit())
                .map_err(|e| {
                    Error::not_found(format!("--since {since}: no such commit ({})", e.message()))
                })?;
            walk.hide(from.id())
                .context(|| "cannot walk the history".into())?;
        }
        let scratch = Scratch::new(self)?;
        let allowed = scratch.file("allowed_signers", allowed_signers(config).as_bytes())?;
        let mut problems = Vec::new();
        for oid in walk {
            let oid = oid.context(|| "cannot walk the history".into())?;
            let commit = self
                .repo
                .find_commit(oid)
                .context(|| format!("cannot read commit {oid}"))?;
            if scope == SignedCommits::Admin && !self.is_admin_action(&commit)? {
                continue;
            }
            if let Some(problem) = self.signature_problem(&commit, &scratch, &allowed)? {
                problems.push(SignatureProblem {
                    commit: oid.to_string(),
                    summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                        .into_owned(),
                    problem,
                });
            }
        }
        Ok(problems)
    }

    fn signature_problem(
        &self,
        commit: &Commit<'_>,
        scratch: &Scratch,
        allowed: &Path,
    ) -> Result<Option<String>> {
        let committer = commit.committer();
        let email = committer.email().unwrap_or("").to_string();
        let who = format!("{} <{email}>", committer.name().unwrap_or(""));
        let (signature, payload) = match self.repo.extract_signature(&commit.id(), None) {
            Ok((s, p)) => (s.to_vec(), p.to_vec()),
            Err(e) if e.code() == git2::ErrorCode::NotFound => {
                return Ok(Some(format!("unsigned (committed by {who})")));
            }
            Err(e) => {
                return Err(Error::internal(format!(
                    "cannot read the signature of commit {}",
                    commit.id()
                ))
                .with_source(e));
            }
        };
        let Some(agent) = self.config().agent(&email) else {
            return Ok(Some(format!(
                "committed by {who}, who is not an agent of this store"
            )));
        };
        let Some(key) = agent.signing_key.as_deref() else {
            return Ok(Some(format!(
                "signed, but {} has no signing_key in {CONFIG_PATH} to check it against",
                agent.handle
            )));
        };
        let text = String::from_utf8_lossy(&signature);
        if text.starts_with(SSH_SIGNATURE_HEADER) {
            if !is_ssh_key(key) {
                return Ok(Some(format!(
                    "signed with ssh, but {}'s signing_key is not an ssh key",
                    agent.handle
                )));
            }
            let sig = scratch.file("commit.sig", &signature)?;
            let mut cmd = Command::new("ssh-keygen");
            cmd.args(["-Y", "verify", "-n", SSH_NAMESPACE, "-f"])
                .arg(allowed)
                .arg("-I")
                .arg(&agent.email)
                .arg("-s")
                .arg(&sig);
            let out = run(&mut cmd, Some(&payload), "ssh-keygen")?;
            if out.status.success() {
                return Ok(None);
            }
            return Ok(Some(format!(
                "not signed by {}'s declared key ({})",
                agent.handle,
                first_line(&out.stderr).unwrap_or("the signature does not verify")
            )));
        }
        if text.starts_with(PGP_SIGNATURE_HEADER) {
            let sig = scratch.file("commit.asc", &signature)?;
            let mut cmd = Command::new("gpg");
            cmd.args(["--status-fd=1", "--verify"]).arg(&sig).arg("-");
            let out = run(&mut cmd, Some(&payload), "gpg")?;
            let status = String::from_utf8_lossy(&out.stdout);
            let declared: String = key.chars().filter(|c| !c.is_whitespace()).collect();
            let matches = status.lines().any(|l| {
                l.strip_prefix("[GNUPG:] VALIDSIG ").is_some_and(|rest| {
                    rest.split_whitespace().any(|fpr| {
                        fpr.to_ascii_uppercase()
                            .ends_with(&declared.to_ascii_uppercase())
                    })
                })
            });
            if out.status.success() && matches {
                return Ok(None);
            }
            return Ok(Some(format!(
                "not signed by {}'s declared key (gpg: {})",
                agent.handle,
                first_line(&out.stderr).unwrap_or("the signature does not verify")
            )));
        }
        Ok(Some(
            "signed in a format tix does not verify (expected ssh or OpenPGP)".into(),
        ))
    }

    /// Whether a commit is an admin action: it changes the config (agents,
    /// roles, the blacklist: anything under `.tix/` but who is away, which
    /// anyone may say) or records an unlock. Merges are not: what they
    /// bring in is checked in the commits merged.
    fn is_admin_action(&self, commit: &Commit<'_>) -> Result<bool> {
        if commit.parent_count() > 1 {
            return Ok(false);
        }
        let tree = commit
            .tree()
            .context(|| format!("cannot read commit {}", commit.id()))?;
        let parent_tree = match commit.parent(0) {
            Ok(p) => Some(
                p.tree()
                    .context(|| format!("cannot read commit {}", p.id()))?,
            ),
            Err(_) => None,
        };
        let diff = self
            .repo
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)
            .context(|| format!("cannot compare commit {} with its parent", commit.id()))?;
        let config_dir = format!("{}/", self.repo_path(TIX_DIR));
        let availability = format!("{}/", self.repo_path(AVAILABILITY_DIR));
        let tickets = format!("{}/", self.repo_path(TICKETS_DIR));
        let unlock = format!("-{}.md", crate::domain::Event::Unlock {}.kind());
        Ok(diff.deltas().any(|d| {
            let path = d
                .new_file()
                .path()
                .or_else(|| d.old_file().path())
                .and_then(Path::to_str)
                .unwrap_or("");
            (path.starts_with(&config_dir) && !path.starts_with(&availability))
                || (path.starts_with(&tickets) && path.ends_with(&unlock))
        }))
    }
}

/// git's allowed-signers file for the agents' ssh keys: who may sign as
/// which address.
fn allowed_signers(config: &Config) -> String {
    config
        .agents
        .iter()
        .filter_map(|a| {
            let key = a.signing_key.as_deref()?;
            is_ssh_key(key).then(|| format!("{} namespaces=\"{SSH_NAMESPACE}\" {key}\n", a.email))
        })
        .collect()
}

fn is_ssh_key(key: &str) -> bool {
    key.starts_with("ssh-") || key.starts_with("ecdsa-") || key.starts_with("sk-")
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn run(cmd: &mut Command, input: Option<&[u8]>, program: &str) -> Result<std::process::Output> {
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::internal(format!("cannot run {program}: {e}")).with_source(e))?;
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin.write_all(bytes).map_err(|e| {
            Error::internal(format!("cannot write to {program}: {e}")).with_source(e)
        })?;
    }
    child
        .wait_with_output()
        .map_err(|e| Error::internal(format!("{program} failed: {e}")).with_source(e))
}

fn signing_failed(program: &str, stderr: &[u8]) -> Error {
    Error::new(
        ErrorKind::Invalid,
        format!(
            "cannot sign the commit with {program}: {}; nothing was committed",
            first_line(stderr).unwrap_or("it failed")
        ),
    )
    .with_hint("check git's user.signingkey and gpg.format (git commit -S fails the same way), or turn commit.gpgsign off")
}

fn first_line(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()?
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
}

/// A folder of this process's own in the git directory for the files
/// ssh-keygen and gpg read, removed when done.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(store: &Store) -> Result<Scratch> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = store.signing_scratch_dir(&format!(
            "{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).context(|| format!("cannot create {}", dir.display()))?;
        Ok(Scratch { dir })
    }

    fn file(&self, name: &str, bytes: &[u8]) -> Result<PathBuf> {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).context(|| format!("cannot write {}", path.display()))?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
