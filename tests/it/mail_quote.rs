//! Oracle tests for `tix_core::mail::quote::split_reply` on the shared e-mail
//! corpus (found by `crate::common::corpus`).
//!
//! - `mailgun-talon/`: talon's reply-extraction fixtures. Talon expects the
//!   reply of `standard_replies/NAME.eml` to be `NAME_reply_text` when that
//!   file exists, else "Hello"; and the reply of
//!   `reply-quotations-share-block.eml` to be non-empty without "From".
//! - every message of the corpus: the two halves join back to the input.

use std::path::{Path, PathBuf};

use tix_core::mail::quote::{SplitReply, split_reply};

fn corpus() -> Option<PathBuf> {
    crate::common::corpus::dir()
}

/// The decoded first text body of a raw message, as tix's importer gets it.
fn body_text(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).unwrap();
    let msg = mail_parser::MessageParser::default().parse(&bytes)?;
    msg.body_text(0).map(|t| t.into_owned())
}

fn lf(s: &str) -> String {
    s.replace("\r\n", "\n")
}

/// Splits and checks that the halves join back to the input.
fn split(text: &str) -> SplitReply {
    let s = split_reply(text);
    assert_eq!(
        format!("{}{}", s.reply, s.quoted.clone().unwrap_or_default()),
        text
    );
    s
}

/// Fixtures where tix's rules differ from talon's on purpose (see the
/// report in `talon_standard_replies`). Any other mismatch is a regression;
/// so is one of these starting to agree (then update this list).
const KNOWN_DIFFERENT: &[(&str, &str)] = &[
    (
        "iphone",
        "tix moves \"Sent from my iPhone\" at the end of the reply to `quoted`; talon keeps it",
    ),
    (
        "sparrow",
        "tix moves the \"-- \" signature block to `quoted`; talon keeps it",
    ),
    (
        "thunderbird",
        "bottom-posted reply under the quote: `reply` is a prefix of the input, so it keeps all",
    ),
];

#[test]
fn talon_standard_replies() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("mailgun-talon/tests/fixtures/standard_replies");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|n| n.strip_suffix(".eml").map(str::to_string))
        .collect();
    names.sort();
    assert!(names.len() >= 12, "fixtures missing in {}", dir.display());

    let mut agree = Vec::new();
    let mut differ = Vec::new();
    for name in &names {
        let text = body_text(&dir.join(format!("{name}.eml")))
            .unwrap_or_else(|| panic!("{name}.eml has no text body"));
        let expected = match std::fs::read_to_string(dir.join(format!("{name}_reply_text"))) {
            Ok(s) => lf(s.trim()),
            Err(_) => "Hello".to_string(),
        };
        let s = split(&text);
        let got = lf(s.reply.trim());
        if got == expected {
            agree.push(name.as_str());
        } else {
            println!("differs: {name}\n  expected: {expected:?}\n  got:      {got:?}");
            differ.push(name.as_str());
        }
    }
    println!(
        "talon standard replies: {} of {} agree; differ: {differ:?}",
        agree.len(),
        names.len()
    );
    let known: Vec<&str> = KNOWN_DIFFERENT.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        differ, known,
        "the set of fixtures that differ from talon changed"
    );
}

/// The known differences are the documented ones, not something else.
#[test]
fn talon_known_differences_are_the_intended_ones() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("mailgun-talon/tests/fixtures/standard_replies");
    for (name, why) in KNOWN_DIFFERENT {
        let text = body_text(&dir.join(format!("{name}.eml"))).unwrap();
        let s = split(&text);
        match *name {
            // Talon's expected reply is our reply followed by the signature
            // that opens `quoted`; and the signature alone is ours to strip.
            "iphone" | "sparrow" => {
                let expected =
                    std::fs::read_to_string(dir.join(format!("{name}_reply_text"))).unwrap();
                let expected = lf(expected.trim());
                let quoted = s
                    .quoted
                    .as_deref()
                    .unwrap_or_else(|| panic!("{name}: {why}"));
                assert!(expected.starts_with(s.reply.trim()), "{name}: {why}");
                let signature = expected[s.reply.trim().len()..].trim();
                assert!(lf(quoted).starts_with(signature), "{name}: {why}");
                assert_eq!(
                    split_reply(&expected).reply.trim(),
                    s.reply.trim(),
                    "{name}: the expected text minus its signature"
                );
            }
            "thunderbird" => {
                assert_eq!(s.quoted, None, "{name}: {why}");
                assert!(s.reply.trim_end().ends_with("Hello"), "{name}: {why}");
            }
            _ => unreachable!(),
        }
    }
}

#[test]
fn talon_reply_quotations_share_block() {
    let Some(corpus) = corpus() else { return };
    let path = corpus.join("mailgun-talon/tests/fixtures/reply-quotations-share-block.eml");
    let s = split(&body_text(&path).unwrap());
    let reply = s.reply.trim();
    println!("share-block reply: {reply:?}");
    assert!(!reply.is_empty());
    assert!(!reply.contains("From"), "{reply:?}");
    assert!(reply.ends_with("Joe XXX"), "{reply:?}");
    assert!(
        s.quoted
            .unwrap()
            .trim_start()
            .starts_with("--- On Wed, 4/4/12")
    );
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every message in the corpus (and every file read as lossy UTF-8, and
/// cut at odd places) splits without panicking into halves that join back
/// to the input.
#[test]
fn invariant_over_the_whole_corpus() {
    let Some(corpus) = corpus() else { return };
    let mut files = Vec::new();
    files_under(&corpus, &mut files);
    files.sort();
    let (mut bodies, mut split_count) = (0, 0);
    let mut parser_panics = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        split(&raw);
        // Prefixes cut at line starts and in the middle of lines.
        for cut in [raw.len() / 3, raw.len() / 2, raw.len() * 9 / 10] {
            let cut = (cut..=raw.len())
                .find(|&c| raw.is_char_boundary(c))
                .unwrap();
            split(&raw[..cut]);
        }
        // mail-parser 0.11.9 has a `debug_assert!` that fires on one corpus
        // file (apache-spamassassin/t/data/nice/mime9) in debug builds.
        let parsed = std::panic::catch_unwind(|| {
            let msg = mail_parser::MessageParser::default().parse(&bytes)?;
            let texts: Vec<String> = (0..msg.text_body_count().min(4))
                .filter_map(|i| msg.body_text(i).map(|t| t.into_owned()))
                .collect();
            Some(texts)
        });
        let texts = match parsed {
            Ok(texts) => texts.unwrap_or_default(),
            Err(_) => {
                parser_panics.push(path.display().to_string());
                continue;
            }
        };
        {
            for text in texts {
                bodies += 1;
                let s = split(&text);
                if s.quoted.is_some() {
                    split_count += 1;
                }
                // The same text with CRLF line endings splits the same way.
                let crlf = lf(&text).replace('\n', "\r\n");
                let c = split(&crlf);
                assert_eq!(lf(&c.reply), lf(&s.reply), "{}", path.display());
            }
        }
    }
    println!(
        "corpus: {} files, {bodies} text bodies, {split_count} split; \
         mail-parser panicked on {parser_panics:?}",
        files.len()
    );
    assert!(bodies > 100);
}

// ---------------------------------------------------------------------------
// The corpus locator every test uses (tests/it/common/corpus.rs).

fn fake_corpus(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(crate::common::corpus::MARKER), "").unwrap();
}

#[test]
fn a_missing_corpus_is_a_skip_unless_required() {
    let tmp = tempfile::tempdir().unwrap();
    let checkout = tmp.path().join("work/tix");
    std::fs::create_dir_all(&checkout).unwrap();
    assert_eq!(
        crate::common::corpus::locate(None, false, &checkout),
        Ok(None)
    );
    let err = crate::common::corpus::locate(None, true, &checkout).unwrap_err();
    assert!(err.contains("TIX_REQUIRE_CORPUS=1"), "{err}");
    let looked_in = checkout.join("..").join("shared").join("corpus");
    assert!(err.contains(&looked_in.display().to_string()), "{err}");
    // A directory without the index is not a corpus.
    std::fs::create_dir_all(tmp.path().join("work/shared").join("corpus")).unwrap();
    assert_eq!(
        crate::common::corpus::locate(None, false, &checkout),
        Ok(None)
    );
}

#[test]
fn the_corpus_is_found_beside_the_checkout_or_a_level_up() {
    let tmp = tempfile::tempdir().unwrap();
    let checkout = tmp.path().join("work/wt/tix");
    std::fs::create_dir_all(&checkout).unwrap();
    let upper = tmp.path().join("work/shared").join("corpus");
    fake_corpus(&upper);
    let found = crate::common::corpus::locate(None, true, &checkout)
        .unwrap()
        .unwrap();
    assert_eq!(found.canonicalize().unwrap(), upper.canonicalize().unwrap());
    let beside = tmp.path().join("work/wt/shared").join("corpus");
    fake_corpus(&beside);
    let found = crate::common::corpus::locate(None, true, &checkout)
        .unwrap()
        .unwrap();
    assert_eq!(
        found.canonicalize().unwrap(),
        beside.canonicalize().unwrap()
    );
}

#[test]
fn tix_corpus_wins_and_must_be_a_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let checkout = tmp.path().join("work/tix");
    std::fs::create_dir_all(&checkout).unwrap();
    fake_corpus(&tmp.path().join("work/shared").join("corpus"));
    let named = tmp.path().join("elsewhere");
    fake_corpus(&named);
    assert_eq!(
        crate::common::corpus::locate(Some(named.as_os_str()), false, &checkout),
        Ok(Some(named.clone()))
    );
    let wrong = tmp.path().join("nothing-here");
    let err = crate::common::corpus::locate(Some(wrong.as_os_str()), false, &checkout).unwrap_err();
    assert!(
        err.contains("TIX_CORPUS=") && err.contains("nothing-here"),
        "{err}"
    );
    // Set but empty counts as unset.
    assert!(
        crate::common::corpus::locate(Some(std::ffi::OsStr::new("")), false, &checkout)
            .unwrap()
            .is_some()
    );
}

/// No test finds the corpus by itself: a private locator is how corpus
/// tests came to pass silently without one.
#[test]
fn every_test_finds_the_corpus_through_common() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut own = Vec::new();
    for e in std::fs::read_dir(&tests).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            if text.contains(concat!("shared", "/corpus")) {
                own.push(p.display().to_string());
            }
        }
    }
    assert!(
        own.is_empty(),
        "use crate::common::corpus instead in {own:?}"
    );
}
