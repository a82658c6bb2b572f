//! The committed completions and man pages must match the clap
//! definitions. Regenerate with `TIX_BLESS=1 cargo test --test it generated::`.

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn completions_and_man_pages_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("TIX_BLESS").is_some();
    let generated = tix::cli::generated::render_all();
    let mut problems = Vec::new();
    for (path, bytes) in &generated {
        let full = root.join(path);
        if std::fs::read(&full).ok().as_deref() == Some(&bytes[..]) {
            continue;
        }
        if bless {
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, bytes).unwrap();
        } else {
            problems.push(format!("{path} is stale or missing"));
        }
    }
    let expected: BTreeSet<&str> = generated.iter().map(|(p, _)| p.as_str()).collect();
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let rel = format!("{dir}/{}", entry.file_name().to_string_lossy());
            if !expected.contains(rel.as_str()) {
                if bless {
                    std::fs::remove_file(entry.path()).unwrap();
                } else {
                    problems.push(format!("{rel} is no longer generated"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nregenerate with: TIX_BLESS=1 cargo test --test it generated::",
        problems.join("\n")
    );
}
