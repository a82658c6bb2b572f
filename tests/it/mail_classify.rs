//! Checks `tix_core::mail::classify` against the real-world corpus in
//! shared corpus found by `crate::common::corpus` (see its README.txt and
//! INDEX.tsv).
//!
//! Run with `cargo test --test it mail_classify:: -- --nocapture` to see the
//! agreement table.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use tix_core::mail::classify::{NoiseKind, OwnMarks, classify};

/// Corpus messages that are not labelled bounce/autoreply by their source
/// but are automatic all the same, with the kind they must get and why.
/// Everything else in the "ordinary" categories must not be classified
/// Bounce or AutoReply.
const ALLOWLIST: &[(&str, NoiseKind, &str)] = &[
    (
        "cpython-test_email/Lib/test/test_email/data/msg_25.txt",
        NoiseKind::Bounce,
        "a sendmail DSN (From: Mail Delivery Subsystem <MAILER-DAEMON@…>, \
         multipart/report; report-type=delivery-status, \"Returned mail: Too many hops\"); \
         the corpus files it under malformed because of parse defects",
    ),
    (
        "enmime/testdata/mail/multipart-wo-boundary.raw",
        NoiseKind::Bounce,
        "a DSN from Mailer-Daemon@example.com, \"Delivery Status Notification (Failure)\", \
         used by enmime to test a multipart without boundary",
    ),
    (
        "mikel-mail/spec/fixtures/emails/mime_emails/raw_email_with_mimepart_without_content_type.eml",
        NoiseKind::Bounce,
        "a sendmail delay DSN (MAILER-DAEMON, multipart/report; report-type=delivery-status, \
         \"Warning: could not send message for past 1 day\")",
    ),
    (
        "spamscope-mail-parser/tests/mails/mail_malformed_2",
        NoiseKind::Bounce,
        "a MailSite DSN (Return-Path: <>, From: postmaster@…, multipart/report; \
         report-type=delivery-status, \"Delivery failure (…)\")",
    ),
    (
        "cpython-test_email/Lib/test/test_email/data/msg_05.txt",
        NoiseKind::Bounce,
        "a skeleton DSN (multipart/report; report-type=delivery-status with an attached \
         message/rfc822) that Python's tests use for MIME structure",
    ),
    (
        "cpython-test_email/Lib/test/test_email/data/msg_43.txt",
        NoiseKind::Bounce,
        "a spam-firewall DSN (From: MAILER DAEMON <>, multipart/report; \
         report-type=delivery-status, \"Banned file: … in mail from you\")",
    ),
    (
        "mailgun-flanker/tests/fixtures/messages/disposition-notification.eml",
        NoiseKind::AutoReply,
        "the RFC 3798 example read receipt (multipart/report; \
         report-type=disposition-notification): automatic, not a bounce",
    ),
    (
        "sisimai-set-of-emails/maildir/not/rb-issue-368-bug.eml",
        NoiseKind::Bounce,
        "sisimai files it under maildir/not/ (it finds no parsable DSN in it), but it is a \
         mailbox-full bounce notification: From: postmaster@…, Return-Path: <>, \
         Auto-Submitted: auto-replied, \"email bounce notification\"",
    ),
];

/// Labelled messages that tix classifies differently from the label, with
/// what it gives instead and why. The test fails if this set changes either
/// way (a regression, or an improvement that should shorten this list).
const KNOWN_MISSES: &[(&str, NoiseKind, Option<NoiseKind>, &str)] = &[
    (
        "sisimai-set-of-emails/maildir/bsd/lhost-fml-02.eml",
        NoiseKind::Bounce,
        Some(NoiseKind::List),
        "fml (a mailing-list manager) rejecting a post from a non-member: sent by the list \
         admin with List-Subscribe and Mailing-List headers and no DSN, null sender or \
         bounce subject; only its body wording (\"You are not a member of this mailing \
         list\") says what it is. Still noise.",
    ),
    (
        "sisimai-set-of-emails/maildir/bsd/lhost-fml-03.eml",
        NoiseKind::Bounce,
        Some(NoiseKind::List),
        "fml's \"Loop Alert: Duplicated Message-ID\" notice from the list admin; nothing \
         but the fml X-MLServer header marks it as automatic. Still noise.",
    ),
    (
        "sisimai-set-of-emails/maildir/bsd/arf-22.eml",
        NoiseKind::Bounce,
        None,
        "an old Hotmail (JMRP) complaint: multipart/mixed with the reported message \
         attached, From staff@hotmail.com, a normal Return-Path, no ARF part and no \
         automatic header; only a Hotmail header inside the attached message identifies it.",
    ),
];

/// One row of INDEX.tsv.
struct Row {
    path: String,
    category: String,
    note: String,
    kind: String,
}

/// Reads a tab-separated file whose fields may be quoted CSV-style.
fn read_tsv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(true)
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let headers = reader.headers().expect("TSV header line").clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("bad row in {}: {e}", path.display()));
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Outcome {
    Unparsed,
    Person,
    Loop,
    Bounce,
    AutoReply,
    List,
}

const OUTCOMES: [Outcome; 6] = [
    Outcome::Unparsed,
    Outcome::Person,
    Outcome::Loop,
    Outcome::Bounce,
    Outcome::AutoReply,
    Outcome::List,
];

impl Outcome {
    fn of(kind: Option<NoiseKind>) -> Self {
        match kind {
            None => Outcome::Person,
            Some(NoiseKind::Loop) => Outcome::Loop,
            Some(NoiseKind::Bounce) => Outcome::Bounce,
            Some(NoiseKind::AutoReply) => Outcome::AutoReply,
            Some(NoiseKind::List) => Outcome::List,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Outcome::Unparsed => "unparsed",
            Outcome::Person => "person",
            Outcome::Loop => "loop",
            Outcome::Bounce => "bounce",
            Outcome::AutoReply => "autoreply",
            Outcome::List => "list",
        }
    }
}

/// What the test demands of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// The sisimai oracle or the source's label says this kind.
    Kind(NoiseKind),
    /// An ordinary message: anything but Bounce or AutoReply.
    NotAutomatic,
    /// List mail (category list, or List-*/Precedence headers): not checked.
    Unchecked,
}

/// Maps a go-sisimai `reason` to the kind tix must give the message.
fn sisimai_kind(reason: &str) -> NoiseKind {
    match reason {
        // RFC 3834 auto-replies, which sisimai reports with reason vacation.
        "vacation" => NoiseKind::AutoReply,
        // ARF feedback-loop (abuse complaint) reports are about mail we sent
        // and are handled like bounces.
        "feedback" => NoiseKind::Bounce,
        // Every other reason (userunknown, mailboxfull, expired, ...) is a
        // delivery failure or delay.
        _ => NoiseKind::Bounce,
    }
}

#[test]
fn corpus_agreement() {
    let Some(corpus) = crate::common::corpus::dir() else {
        return;
    };

    let rows: Vec<Row> = read_tsv(&corpus.join("INDEX.tsv"))
        .into_iter()
        .map(|mut r| Row {
            path: r.remove("path").unwrap_or_default(),
            category: r.remove("category").unwrap_or_default(),
            note: r.remove("note").unwrap_or_default(),
            kind: r.remove("kind").unwrap_or_default(),
        })
        .collect();

    // sisimai oracle: one row per recipient; the reasons of one file agree.
    let mut sisimai: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in read_tsv(&corpus.join("sisimai-set-of-emails/EXPECTED-go-sisimai.tsv")) {
        let path = r.get("path").cloned().unwrap_or_default();
        let reason = r.get("reason").cloned().unwrap_or_default();
        assert!(!path.is_empty(), "sisimai oracle row without path");
        sisimai.entry(path).or_default().insert(reason);
    }
    let mut sisimai_expect: HashMap<String, NoiseKind> = HashMap::new();
    for (path, reasons) in &sisimai {
        let kinds: BTreeSet<_> = reasons.iter().map(|r| sisimai_kind(r) as u8).collect();
        assert_eq!(kinds.len(), 1, "{path}: mixed sisimai reasons {reasons:?}");
        let reason = reasons.iter().next().expect("a reason");
        sisimai_expect.insert(path.clone(), sisimai_kind(reason));
    }

    let allow: HashMap<&str, NoiseKind> = ALLOWLIST.iter().map(|(p, k, _)| (*p, *k)).collect();

    let mut failures: Vec<String> = Vec::new();
    // category -> outcome -> count
    let mut table: BTreeMap<String, BTreeMap<Outcome, usize>> = BTreeMap::new();
    // expectation -> outcome -> count
    let mut agreement: BTreeMap<String, BTreeMap<Outcome, usize>> = BTreeMap::new();
    let mut seen_sisimai = BTreeSet::new();
    let mut seen_allow = BTreeSet::new();
    let mut messages = 0;
    let mut parser_panics: Vec<String> = Vec::new();
    let mut seen_known = BTreeSet::new();
    // TIX_CLASSIFY_VERBOSE=1 lists every message with its outcome and reason.
    let verbose = std::env::var_os("TIX_CLASSIFY_VERBOSE").is_some();

    for row in rows.iter().filter(|r| r.kind == "message") {
        messages += 1;
        let bytes =
            std::fs::read(corpus.join(&row.path)).unwrap_or_else(|e| panic!("{}: {e}", row.path));
        let (parsed, panicked) = parse(&bytes);
        if panicked {
            parser_panics.push(row.path.clone());
        }
        let noise = parsed
            .as_ref()
            .and_then(|m| classify(m, &OwnMarks::default()));
        let outcome = if parsed.is_none() {
            Outcome::Unparsed
        } else {
            Outcome::of(noise.as_ref().map(|n| n.kind))
        };
        let reason = noise.as_ref().map_or("", |n| n.reason.as_str());

        let labelled = |what: &str| row.category == what && row.note.contains("LABEL:");
        let (expect, source) = if let Some(k) = sisimai_expect.get(&row.path) {
            seen_sisimai.insert(row.path.clone());
            (Expect::Kind(*k), "sisimai oracle")
        } else if labelled("bounce") {
            (Expect::Kind(NoiseKind::Bounce), "label bounce")
        } else if labelled("autoreply") {
            (Expect::Kind(NoiseKind::AutoReply), "label autoreply")
        } else if row.note.contains("LABEL:")
            && (row.note.contains("ARF") || row.note.contains("feedback report"))
        {
            // Source-labelled abuse (feedback-loop) reports, mapped like the
            // sisimai oracle's reason "feedback".
            (Expect::Kind(sisimai_kind("feedback")), "label feedback")
        } else if let Some(k) = allow.get(row.path.as_str()) {
            seen_allow.insert(row.path.clone());
            (Expect::Kind(*k), "allowlist")
        } else if row.category == "list" || row.note.contains("List-*/Precedence header") {
            (Expect::Unchecked, "list")
        } else {
            (Expect::NotAutomatic, "ordinary")
        };

        *table
            .entry(row.category.clone())
            .or_default()
            .entry(outcome)
            .or_default() += 1;
        let key = match expect {
            Expect::Kind(k) => format!("{source}: {k:?}"),
            _ => source.to_string(),
        };
        *agreement
            .entry(key)
            .or_default()
            .entry(outcome)
            .or_default() += 1;

        if verbose {
            println!("  {:<10} {} ({reason})", outcome.label(), row.path);
        }
        let ok = match expect {
            Expect::Kind(k) => outcome == Outcome::of(Some(k)),
            Expect::NotAutomatic => !matches!(outcome, Outcome::Bounce | Outcome::AutoReply),
            Expect::Unchecked => true,
        };
        if let Some((_, want, got, _)) = KNOWN_MISSES.iter().find(|(p, ..)| *p == row.path) {
            seen_known.insert(row.path.clone());
            if expect != Expect::Kind(*want) || outcome != Outcome::of(*got) {
                failures.push(format!(
                    "{}: listed in KNOWN_MISSES as expected {want:?}, classified {:?}, but now \
                     expected {expect:?} and classified {} ({reason}); update KNOWN_MISSES",
                    row.path,
                    got,
                    outcome.label()
                ));
            }
            continue;
        }
        if !ok {
            failures.push(format!(
                "{} [{}]: expected {expect:?} ({source}), got {} ({reason})",
                row.path,
                row.category,
                outcome.label()
            ));
        }
    }

    print_table("per INDEX category", &table);
    print_table("per expectation", &agreement);
    println!("\n{messages} messages; allowlisted: {}", ALLOWLIST.len());
    for path in &parser_panics {
        println!(
            "  mail-parser panicked (a debug_assert!, so debug builds only) on {path}: counted as unparsed"
        );
    }
    for (path, kind, why) in ALLOWLIST {
        println!("  allow {path} as {kind:?}: {why}");
    }

    for path in sisimai_expect.keys() {
        if !seen_sisimai.contains(path) {
            failures.push(format!(
                "{path}: in the sisimai oracle but not an INDEX message"
            ));
        }
    }
    for (path, want, got, why) in KNOWN_MISSES {
        println!("  known miss {path}: labelled {want:?}, classified {got:?}: {why}");
        if !seen_known.contains(*path) {
            failures.push(format!("{path}: in KNOWN_MISSES but not an INDEX message"));
        }
    }
    for (path, _, _) in ALLOWLIST {
        if !seen_allow.contains(*path) {
            failures.push(format!(
                "{path}: allowlisted but not an ordinary INDEX message (stale allowlist entry?)"
            ));
        }
    }

    if !failures.is_empty() {
        println!("\nFAILURES:");
        for f in &failures {
            println!("  {f}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus message(s) misclassified:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Parses with mail-parser. mail-parser 0.11.9 has a `debug_assert!` ("Invalid
/// part ID, could not find multipart.") that fires on some input in debug
/// builds such as this test; such a file counts as unparsed. Returns the
/// message and whether the parser panicked.
fn parse(bytes: &[u8]) -> (Option<mail_parser::Message<'_>>, bool) {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| mail_parser::MessageParser::default().parse(bytes));
    std::panic::set_hook(hook);
    match result {
        Ok(m) => (m, false),
        Err(_) => (None, true),
    }
}

fn print_table(title: &str, table: &BTreeMap<String, BTreeMap<Outcome, usize>>) {
    let width = table.keys().map(String::len).max().unwrap_or(0).max(8);
    println!("\n{title}:");
    print!("  {:<width$} {:>5}", "", "n");
    for o in OUTCOMES {
        print!(" {:>9}", o.label());
    }
    println!();
    let mut totals: BTreeMap<Outcome, usize> = BTreeMap::new();
    for (name, counts) in table {
        let n: usize = counts.values().sum();
        print!("  {name:<width$} {n:>5}");
        for o in OUTCOMES {
            let c = counts.get(&o).copied().unwrap_or(0);
            *totals.entry(o).or_default() += c;
            print!(" {c:>9}");
        }
        println!();
    }
    let n: usize = totals.values().sum();
    print!("  {:<width$} {n:>5}", "total");
    for o in OUTCOMES {
        print!(" {:>9}", totals.get(&o).copied().unwrap_or(0));
    }
    println!();
}
