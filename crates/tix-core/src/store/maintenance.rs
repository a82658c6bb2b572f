//! Keeping the object database packed, as `git commit` does with `git
//! maintenance run --auto`, without forking git on every commit.
//!
//! Every tix commit writes about six loose objects, each a file of at
//! least one 4 KiB block (the `tickets/` tree alone is ~25 KiB at 1,024
//! shards), while a packed store costs ~4.7 KB per ticket. libgit2 never
//! packs, so without this a store grows by ~40 KiB per commit for good.
//!
//! After each commit tix checks, in-process, git's own cheap conditions:
//! the entries of `objects/17` (one in 256 of the loose objects) and the
//! packs without a `.keep` against `gc.autoPackLimit`. Only when one says
//! maintenance is due does it start `git maintenance run --auto`, which
//! runs `git gc --auto` (or the tasks of the user's
//! `maintenance.strategy`), in the background: stdin, stdout and stderr
//! null, not waited for (unless `maintenance.autoDetach` or
//! `gc.autoDetach` is false, as git would), never failing the command.
//!
//! The threshold: a user's `gc.auto` is honoured as git reads it (0
//! disables, as does `maintenance.auto=false`). When it is set nowhere,
//! git's 6,700 loose objects (~27 MiB of 4 KiB files, ~50 MiB once the
//! tickets tree is large) would let a store of a few thousand tickets
//! (4.7 KB each packed) grow to several times its packed size. tix then
//! asks for maintenance once the loose objects take more room than the
//! packs (estimated from the blocks of the `objects/17` sample × 256),
//! with a floor of [`LOOSE_FLOOR_BYTES`], and passes `-c gc.auto=256` so
//! that git's own check (more than one entry in `objects/17`) agrees.
//! Loose bytes then never exceed the packed bytes by more than the
//! sampling error, so `.git` stays within ~2.5× its post-gc size; each
//! `gc --auto` makes one new pack about the size of all before it, so the
//! number of packs grows with the logarithm of the store and
//! `gc.autoPackLimit` (50) is not reached. Below a few hundred tickets
//! git's sample cannot see fewer than ~500 loose objects (~2 MiB), the
//! floor of what this can promise.
//!
//! A background gc does not break tix: repack and prune-packed only
//! delete a loose object once a pack holding it is in place, and
//! libgit2 rescans the packs when an object is not found where it looked
//! (`git_odb_refresh` on a miss); new loose objects are younger than any
//! prune expiry; and `pack-refs` holds a ref's lock only for a moment,
//! which the branch update already waits for (`clear_stale_ref_lock`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

use super::Store;
use super::layout::{
    GIT_GC_PID_FILE, GIT_LOOSE_OBJECT_SAMPLE_DIR, GIT_PACK_DIR, GIT_PACK_KEEP_SUFFIX,
    GIT_PACK_SUFFIX,
};

/// Loose objects below this many bytes on disk never ask for maintenance
/// when the user has not set `gc.auto`.
pub(in crate::store) const LOOSE_FLOOR_BYTES: u64 = 1 << 20;
/// git's default `gc.autoPackLimit`.
const DEFAULT_PACK_LIMIT: i64 = 50;
/// The `gc.auto` that makes git's check "more than one entry in
/// `objects/17`" (it compares with `gc.auto / 256`, rounded up).
const GC_AUTO_AT_TWO_SAMPLED: i64 = 256;
/// git takes a `gc.pid` younger than this as a gc still running.
const GC_PID_FRESH: std::time::Duration = std::time::Duration::from_secs(12 * 3600);

/// One process starts maintenance at most once: a mail import commits
/// many times under one lock while the gc it started is still packing.
static STARTED: AtomicBool = AtomicBool::new(false);

/// What the sample of loose objects holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(in crate::store) struct LooseSample {
    pub objects: u64,
    pub bytes_on_disk: u64,
}

/// What `objects/pack` holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(in crate::store) struct Packs {
    pub unkept: u64,
    pub bytes: u64,
}

/// The settings that decide whether and how maintenance runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::store) struct Settings {
    pub maintenance_auto: bool,
    /// `gc.auto` when the user set it.
    pub gc_auto: Option<i64>,
    pub pack_limit: i64,
    pub detach: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            maintenance_auto: true,
            gc_auto: None,
            pack_limit: DEFAULT_PACK_LIMIT,
            detach: true,
        }
    }
}

/// What to run: `None` when nothing is due, else the `-c` settings to
/// pass to git (empty when git's own view suffices).
pub(in crate::store) fn due(
    settings: &Settings,
    loose: LooseSample,
    packs: Packs,
) -> Option<Vec<String>> {
    if !settings.maintenance_auto || settings.gc_auto.is_some_and(|n| n <= 0) {
        return None;
    }
    if settings.pack_limit > 0 && packs.unkept as i64 > settings.pack_limit {
        return Some(Vec::new());
    }
    match settings.gc_auto {
        Some(n) => (loose.objects as i64 > (n + 255) / 256).then(Vec::new),
        None => {
            let estimated = loose.bytes_on_disk.saturating_mul(256);
            (loose.objects >= 2 && estimated > packs.bytes.max(LOOSE_FLOOR_BYTES))
                .then(|| vec![format!("gc.auto={GC_AUTO_AT_TWO_SAMPLED}")])
        }
    }
}

fn loose_sample(dir: &Path) -> LooseSample {
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;
    let mut sample = LooseSample::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return sample;
    };
    for entry in entries.flatten() {
        // git counts only names of 38 hex digits: not its temporary files.
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.len() != 38 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        sample.objects += 1;
        if let Ok(meta) = entry.metadata() {
            #[cfg(unix)]
            let on_disk = meta.blocks() * 512;
            #[cfg(not(unix))]
            let on_disk = meta.len().div_ceil(4096) * 4096;
            sample.bytes_on_disk += on_disk;
        }
    }
    sample
}

fn packs(dir: &Path) -> Packs {
    let mut packs = Packs::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return packs;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(GIT_PACK_SUFFIX)) else {
            continue;
        };
        packs.bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
        if !dir.join(format!("{stem}{GIT_PACK_KEEP_SUFFIX}")).exists() {
            packs.unkept += 1;
        }
    }
    packs
}

impl Store {
    /// Starts git's maintenance in the background when the object
    /// database has grown loose enough to need it (see the module
    /// documentation); never fails, never forks when nothing is due.
    pub(in crate::store) fn maintain_in_background(&self) {
        if STARTED.load(Ordering::Relaxed) {
            return;
        }
        let common = self.repo.commondir();
        let loose = loose_sample(&common.join(GIT_LOOSE_OBJECT_SAMPLE_DIR));
        let packs = packs(&common.join(GIT_PACK_DIR));
        let settings = self.maintenance_settings();
        let Some(overrides) = due(&settings, loose, packs) else {
            return;
        };
        if gc_running(&common.join(GIT_GC_PID_FILE)) {
            return;
        }
        STARTED.store(true, Ordering::Relaxed);
        let mut cmd = Command::new("git");
        for o in &overrides {
            cmd.arg("-c").arg(o);
        }
        // A repack moves objects tix already flushed and reported as
        // written into new packs and deletes the loose copies: those packs
        // must be on disk before the copies go, whatever the user's setting.
        cmd.args(["-c", "core.fsync=committed", "-c", "core.fsyncMethod=fsync"]);
        cmd.arg("--git-dir")
            .arg(self.repo.path())
            .args(["maintenance", "run", "--auto", "--quiet"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        {
            // Its own process group: a Ctrl-C meant for a later command in
            // the same terminal does not interrupt a repack half way.
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let Ok(mut child) = cmd.spawn() else {
            return;
        };
        if settings.detach {
            // Reaped by a thread so that a long-running tix leaves no
            // zombie; the process does not wait for it at exit.
            std::thread::spawn(move || child.wait());
        } else {
            let _ = child.wait();
        }
    }

    /// libgit2 reads the configuration once per repository handle; this
    /// takes a snapshot of it.
    fn maintenance_settings(&self) -> Settings {
        let mut settings = Settings::default();
        let Ok(config) = self.repo.config().and_then(|mut c| c.snapshot()) else {
            return settings;
        };
        if let Ok(auto) = config.get_bool("maintenance.auto") {
            settings.maintenance_auto = auto;
        }
        settings.gc_auto = config.get_i64("gc.auto").ok();
        if let Ok(limit) = config.get_i64("gc.autoPackLimit") {
            settings.pack_limit = limit;
        }
        settings.detach = config
            .get_bool("maintenance.autoDetach")
            .or_else(|_| config.get_bool("gc.autoDetach"))
            .unwrap_or(true);
        settings
    }
}

fn gc_running(pid_file: &Path) -> bool {
    std::fs::metadata(pid_file)
        .ok()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age < GC_PID_FRESH)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A gc running beside tix packs the loose objects and deletes them;
    /// a store opened before must still read what moved into the pack
    /// (libgit2 rescans the packs when an object is in none it knows).
    #[test]
    fn reads_survive_loose_objects_moving_into_a_pack() {
        let (_dir, store) = crate::store::scratch::store();
        let author = crate::store::scratch::author();
        let lock = store.lock().unwrap();
        let files = vec![
            ("quarantine/a.yaml".to_string(), b"first\n".to_vec()),
            ("quarantine/b.yaml".to_string(), b"second\n".to_vec()),
        ];
        store.commit(&lock, files, "test", &author).unwrap();
        drop(lock);
        // The object database is open and has seen no pack.
        assert_eq!(
            store.read_file("quarantine/a.yaml").unwrap().unwrap(),
            b"first\n"
        );
        let second = git2::Oid::hash_object(git2::ObjectType::Blob, b"second\n").unwrap();
        let loose = store.loose_object_path(second);
        assert!(loose.exists());
        let gc = Command::new("git")
            .arg("--git-dir")
            .arg(store.repo.path())
            .args(["gc", "--quiet"])
            .status()
            .unwrap();
        assert!(gc.success());
        assert!(
            !loose.exists(),
            "the gc packed and removed the loose object"
        );
        assert_eq!(
            store.read_file("quarantine/b.yaml").unwrap().unwrap(),
            b"second\n"
        );
    }

    const MIB: u64 = 1 << 20;

    fn sample(objects: u64, kib_each: u64) -> LooseSample {
        LooseSample {
            objects,
            bytes_on_disk: objects * kib_each * 1024,
        }
    }

    #[test]
    fn without_gc_auto_loose_bytes_are_weighed_against_the_packs() {
        let s = Settings::default();
        let no_packs = Packs::default();
        // One sampled object is too few for git's own check to agree.
        assert_eq!(due(&s, sample(1, 64), no_packs), None);
        // Two of 4 KiB stand for ~2 MiB: past the floor.
        assert_eq!(
            due(&s, sample(2, 4), no_packs),
            Some(vec!["gc.auto=256".to_string()])
        );
        let big = Packs {
            unkept: 3,
            bytes: 40 * MIB,
        };
        // ~10 MiB loose against 40 MiB packed: not yet.
        assert_eq!(due(&s, sample(10, 4), big), None);
        // ~45 MiB loose: more than is packed.
        assert!(due(&s, sample(20, 9), big).is_some());
    }

    #[test]
    fn a_users_gc_auto_is_read_as_git_reads_it() {
        let mut s = Settings {
            gc_auto: Some(6700),
            ..Settings::default()
        };
        // 6700 / 256 rounds up to 27: git wants more than 27.
        assert_eq!(due(&s, sample(27, 40), Packs::default()), None);
        assert_eq!(due(&s, sample(28, 4), Packs::default()), Some(Vec::new()));
        s.gc_auto = Some(0);
        assert_eq!(due(&s, sample(1000, 4), Packs::default()), None);
        s.gc_auto = None;
        s.maintenance_auto = false;
        assert_eq!(due(&s, sample(1000, 4), Packs::default()), None);
    }

    #[test]
    fn too_many_packs_are_due_whatever_is_loose() {
        let mut s = Settings::default();
        let many = Packs {
            unkept: 51,
            bytes: MIB,
        };
        assert_eq!(due(&s, LooseSample::default(), many), Some(Vec::new()));
        s.pack_limit = 0;
        assert_eq!(due(&s, LooseSample::default(), many), None);
    }
}
