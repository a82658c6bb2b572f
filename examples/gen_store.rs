//! Generates a store of N synthetic tickets (about 5 entries each) in one
//! commit, for benchmarks: `cargo run --release --example gen_store -- DIR N`.
//! DIR must already be a tix store (`tix init`).
//!
//! With a third argument `mail` (`gen_store DIR N mail`), each ticket is
//! born of mail as an imported one is: after its created entry comes the
//! customer's message, carrying the Message-ID `<gen-I-R@exampleK.com>`
//! (I the ticket's number, R random, K = I mod 50) and its raw `.eml`,
//! and the agent's reply carries an outbound Message-ID
//! `<reply-I-R@example.com>`; so the store has a realistic Message-ID map
//! for `tix import eml` (a message whose In-Reply-To names one threads onto
//! that ticket). Without it, the output is as before.
//!
//! With `search` (`gen_store DIR N search [SEED]`), the store is one to
//! measure search on; see `search_store` below for what it holds. The
//! tickets of the known near-duplicate pairs are written to
//! `DIR.pairs.tsv` beside the store.

use std::collections::BTreeMap;

use tix_core::domain::{Entry, Event, MailMeta, Party, Priority, Status, TicketId, Timestamp};
use tix_core::store::{Author, FILES_DIR, Store, random_id, random_tag};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: gen_store DIR N")?;
    let n: usize = args.next().ok_or("usage: gen_store DIR N")?.parse()?;
    let with_mail = match args.next().as_deref() {
        None => false,
        Some("mail") => true,
        Some("search") => {
            let seed = args.next().map(|s| s.parse()).transpose()?.unwrap_or(14);
            let store = Store::discover(std::path::Path::new(&dir))?;
            return search_store(&store, std::path::Path::new(&dir), n, seed);
        }
        Some(other) => {
            return Err(format!(
                "unknown option {other}: usage: gen_store DIR N [mail|search [SEED]]"
            )
            .into());
        }
    };
    let store = Store::discover(std::path::Path::new(&dir))?;
    let agents: Vec<String> = store
        .config()
        .agents
        .iter()
        .map(|a| a.handle.clone())
        .collect();
    let start = Timestamp::parse_rfc3339("2025-01-01T00:00:00Z").unwrap();
    let mut files = Vec::with_capacity(n * 5);
    for i in 0..n {
        let id = random_id()?;
        let at = |minutes: i64| {
            Timestamp::new(start.datetime() + chrono::TimeDelta::minutes(i as i64 * 50 + minutes))
        };
        let agent = agents[i % agents.len()].clone();
        let customer = Party::parse(&format!("Customer {i} <c{i}@example{}.com>", i % 50))?;
        let mut events = vec![
            (
                Event::Created {
                    subject: format!("Synthetic ticket {i}: printer says error {}", i % 97),
                    customer: customer.clone(),
                    cc: vec![],
                    priority: Priority::ALL[i % 4],
                    tags: vec![format!("tag{}", i % 10)],
                    fields: BTreeMap::new(),
                    channel: None,
                    department: None,
                    group: None,
                },
                "The printer in room 4 says error 42 again. ".repeat(3),
            ),
            (
                Event::Assign {
                    to: Some(agent.clone()),
                },
                String::new(),
            ),
            (
                Event::Reply { mail: None },
                "Please try turning it off and on again.".to_string(),
            ),
            (
                Event::Note { mail: None },
                "Customer is on the old firmware.".to_string(),
            ),
            (
                if i % 3 == 0 {
                    Event::Close {}
                } else {
                    Event::Status {
                        to: Status::Pending,
                        from: Some(Status::Open),
                    }
                },
                String::new(),
            ),
        ];
        if with_mail {
            let sent = at(1);
            let message_id = format!("gen-{i}-{}@example{}.com", random_tag(6)?, i % 50);
            events.insert(
                1,
                (
                    Event::Message {
                        from: customer.clone(),
                        mail: Some(Box::new(mail_meta(&message_id, sent, false))),
                    },
                    "The printer in room 4 says error 42 again.".to_string(),
                ),
            );
            let reply_id = format!("reply-{i}-{}@example.com", random_tag(6)?);
            let mut reply = mail_meta(&reply_id, sent, true);
            reply.in_reply_to = vec![message_id];
            reply.to = vec![customer.clone()];
            events[3].0 = Event::Reply {
                mail: Some(Box::new(reply)),
            };
        }
        for (seq, (event, body)) in events.into_iter().enumerate() {
            let author = match &event {
                Event::Message { from, .. } => from.email.clone(),
                _ => agent.clone(),
            };
            let mut entry = Entry {
                at: at(seq as i64 * 7),
                seq: seq as u64 + 1,
                author,
                by: None,
                rule: None,
                event,
                body,
            };
            let name = entry.file_name(&random_tag(6)?);
            let dir = Store::ticket_dir(&id);
            if let Some(mail) = entry.event.mail_mut() {
                mail.raw = format!("{}.eml", name.trim_end_matches(".md"));
                let raw = format!(
                    "Message-ID: <{}>\nSubject: {}\nContent-Type: text/plain\n\n{}\n",
                    mail.message_id, mail.subject, entry.body
                );
                files.push((format!("{dir}/{}", mail.raw), raw.into_bytes()));
            }
            files.push((format!("{dir}/{name}"), entry.encode().into_bytes()));
        }
    }
    let lock = store.lock()?;
    let author = Author::new("Generator", "gen@example.com");
    store.commit(
        &lock,
        files,
        &format!("gen: {n} synthetic tickets"),
        &author,
    )?;
    println!("generated {n} tickets in {dir}");
    Ok(())
}

/// The mail of a generated message; `raw` is filled in with the entry's
/// file name.
fn mail_meta(message_id: &str, sent_at: Timestamp, outbound: bool) -> MailMeta {
    MailMeta {
        message_id: message_id.to_string(),
        in_reply_to: vec![],
        references: vec![],
        to: vec![],
        cc: vec![],
        bcc: vec![],
        subject: "Printer error".to_string(),
        sent_at,
        date_missing: false,
        raw: String::new(),
        quoted: None,
        noise: None,
        omitted: vec![],
        outbound,
    }
}

// ---------------------------------------------------------------------
// The search store.
//
// What a search engine meets in a help desk: text of several languages
// (bodies partly taken from the real mail of the shared test corpus,
// Cyrillic, accented Latin and CJK included), a vocabulary whose word
// frequencies follow Zipf's law (a few words everywhere, a long tail of
// rare ones), tickets clustered by topic, repeat customers spread over
// about 3,000 domains (some free-mail), Cc'd people, tags from a set of
// 40, attachments with names, a custom field when the config declares
// one, and 1 to 20 entries per ticket (about 5 on average). Everything
// follows from the seed: the same arguments give the same store.
//
// Among the tickets are near-duplicate pairs: two customers describing
// the same problem (same product model, error code and a few specific
// words) in different words, months apart, the older one closed with a
// resolution. `DIR.pairs.tsv` lists them (newer, older), so that a
// "similar tickets" ranking can be scored by precision@3.
// ---------------------------------------------------------------------

/// splitmix64: small, fast and the same everywhere, which is all a
/// generator that must be reproducible needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn tag(&mut self, len: usize) -> String {
        const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        (0..len)
            .map(|_| CROCKFORD[self.below(32)] as char)
            .collect()
    }
}

/// Ranks drawn with probability proportional to 1 / rank^s.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|r| {
                total += 1.0 / (r as f64).powf(s);
                total
            })
            .collect();
        Zipf { cumulative }
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let x = rng.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        self.cumulative
            .partition_point(|&c| c < x)
            .min(self.cumulative.len() - 1)
    }
}

/// Topics a help desk hears about: the words its tickets on it use.
const TOPICS: &[&str] = &[
    "printer toner tray jam spooler duplex cartridge",
    "vpn tunnel client certificate gateway disconnect",
    "password reset expired locked account login",
    "email mailbox outlook quota attachment bounce",
    "invoice billing payment refund charge receipt",
    "laptop battery screen keyboard charger overheating",
    "wifi wireless signal router access point roaming",
    "kerberos ticket realm keytab domain controller",
    "database backup restore replication timeout query",
    "website page certificate https redirect cache",
    "phone voicemail extension headset dial tone",
    "license activation key subscription renewal seat",
    "calendar meeting invitation room booking sync",
    "shipping delivery parcel tracking courier address",
    "order cancellation exchange warranty return item",
    "software update installer patch version rollback",
    "firewall port rule proxy blocked traffic",
    "monitor display resolution cable docking station",
    "scanner document pdf ocr resolution feeder",
    "server disk raid storage volume capacity",
    "backup nightly job snapshot retention tape",
    "mobile app android iphone notification crash",
    "api token webhook integration rate limit",
    "report export spreadsheet csv dashboard chart",
    "permissions folder share access denied group",
    "antivirus malware quarantine scan phishing",
    "projector conference audio video camera",
    "payroll timesheet overtime holiday contract",
    "migration import legacy data mapping duplicate",
    "sso saml identity provider assertion signature",
];

/// The words every help desk uses, whatever the topic; they head the
/// Zipf ranking.
const COMMON: &[&str] = &[
    "the",
    "to",
    "and",
    "a",
    "is",
    "it",
    "not",
    "we",
    "i",
    "please",
    "you",
    "on",
    "in",
    "for",
    "error",
    "problem",
    "issue",
    "help",
    "working",
    "again",
    "since",
    "after",
    "thanks",
    "customer",
    "support",
    "ticket",
    "today",
    "yesterday",
    "morning",
    "users",
    "office",
    "still",
    "update",
    "restart",
    "tried",
    "message",
    "shows",
    "when",
    "can",
    "with",
    "our",
    "this",
];

/// Subject forms; `{}` is filled with topic words.
const SUBJECTS: &[&str] = &[
    "{} not working",
    "Problem with {}",
    "Re: {}",
    "Urgent: {} down",
    "Question about {}",
    "{} stopped after update",
    "Help needed: {}",
    "Fwd: {} issue",
    "Проблема с {}",
    "Problème avec {}",
    "Problem mit {} (dringend)",
    "{}について",
    "{} 无法使用",
    "¿{} no funciona?",
];

const FIRST_NAMES: &[&str] = &[
    "Ann",
    "Bob",
    "Carla",
    "Dmitri",
    "Emma",
    "François",
    "Grete",
    "Hiro",
    "Ingrid",
    "José",
    "Kateřina",
    "Lars",
    "Miguel",
    "Noémie",
    "Olga",
    "Pavel",
    "Quentin",
    "Renée",
    "Søren",
    "Tatiana",
    "Uwe",
    "Valérie",
    "Wei",
    "Xavier",
    "Yuki",
    "Zoë",
    "Ольга",
    "Иван",
    "Наталья",
    "太郎",
    "美咲",
    "Łukasz",
    "Çağla",
    "Ahmed",
    "Priya",
];

const LAST_NAMES: &[&str] = &[
    "Smith",
    "Müller",
    "García",
    "Dubois",
    "Rossi",
    "Nowak",
    "Ivanov",
    "Tanaka",
    "Kim",
    "Jensen",
    "O'Brien",
    "Van der Berg",
    "Łęcka",
    "Søndergaard",
    "Novák",
    "Петров",
    "Смирнова",
    "田中",
    "李",
    "Ferreira",
    "Öztürk",
    "Schäfer",
    "Brontë",
    "Nguyễn",
    "Johansson",
];

const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "gmx.de",
    "web.de",
    "mail.ru",
    "yandex.ru",
    "qq.com",
    "free.fr",
    "orange.fr",
    "icloud.com",
];

const ATTACHMENT_NAMES: &[&str] = &[
    "screenshot.png",
    "error-log.txt",
    "invoice.pdf",
    "photo.jpg",
    "config.xml",
    "Rechnung_März.pdf",
    "журнал-ошибок.txt",
    "スクリーンショット.png",
    "export.csv",
    "crash-dump.zip",
    "déclaration.docx",
    "trace.har",
];

const LANGUAGE_LINES: &[&str] = &[
    "Принтер снова показывает ошибку, пожалуйста помогите.",
    "Спасибо за быстрый ответ, но проблема осталась.",
    "Le problème persiste après la mise à jour, merci de vérifier.",
    "Nach dem Neustart funktioniert es leider immer noch nicht, schöne Grüße.",
    "El cliente no puede iniciar sesión desde ayer por la mañana.",
    "プリンターがエラーを表示しています。確認をお願いします。",
    "打印机显示错误，请尽快处理。",
    "Dziękuję za pomoc, wszystko działa już poprawnie.",
    "Não consigo acessar o sistema desde a atualização.",
    "Tack för hjälpen, det fungerar nu igen.",
];

/// What the corpus and the word lists give the generator to write with.
struct Text {
    /// Sentences and short paragraphs of real mail.
    chunks: Vec<String>,
    /// Words by Zipf rank: the common ones, then the corpus's by
    /// frequency, then made-up tail words.
    words: Vec<String>,
    zipf: Zipf,
}

impl Text {
    fn load(corpus: Option<&std::path::Path>, rng: &mut Rng) -> Text {
        let mut chunks = Vec::new();
        if let Some(dir) = corpus {
            chunks = corpus_chunks(dir);
        }
        chunks.extend(LANGUAGE_LINES.iter().map(|s| s.to_string()));
        let mut counts: std::collections::HashMap<String, usize> = Default::default();
        for chunk in &chunks {
            for word in chunk.split(|c: char| !c.is_alphabetic()) {
                let chars = word.chars().count();
                if (3..=14).contains(&chars) {
                    *counts.entry(word.to_lowercase()).or_default() += 1;
                }
            }
        }
        let mut by_count: Vec<(String, usize)> = counts.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut words: Vec<String> = COMMON.iter().map(|s| s.to_string()).collect();
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        for (word, _) in by_count {
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        // Made-up words for the long tail real desks have (names of
        // hosts, products, people) and a small corpus cannot give.
        const SYLLABLES: &[&str] = &[
            "ka", "ro", "mi", "tex", "lan", "dor", "vi", "sul", "pe", "qua", "zen", "bri", "mo",
            "tal", "fen", "gu", "nox", "ar", "el", "is",
        ];
        while words.len() < 40_000 {
            let n = 2 + rng.below(3);
            let w: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let zipf = Zipf::new(words.len(), 1.1);
        Text {
            chunks,
            words,
            zipf,
        }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        &self.words[self.zipf.sample(rng)]
    }

    /// A sentence of Zipf words with some of the topic's.
    fn sentence(&self, rng: &mut Rng, topic: &[&str]) -> String {
        let len = 6 + rng.below(18);
        let mut out: Vec<&str> = Vec::with_capacity(len);
        for _ in 0..len {
            if rng.chance(0.15) {
                out.push(*rng.pick(topic));
            } else {
                out.push(self.word(rng));
            }
        }
        let mut s = out.join(" ");
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + &s[1..];
        }
        s.push('.');
        s
    }

    /// An entry's body: real mail and generated sentences, mixed.
    fn body(&self, rng: &mut Rng, topic: &[&str], details: &[String]) -> String {
        let parts = 1 + rng.below(4);
        let mut out = Vec::new();
        for _ in 0..parts {
            if !self.chunks.is_empty() && rng.chance(0.45) {
                out.push(rng.pick(&self.chunks).clone());
            } else {
                out.push(self.sentence(rng, topic));
            }
        }
        if rng.chance(0.2) {
            out.push(format!(
                "It says error {}.",
                1 + self.zipf.sample(rng) % 500
            ));
        }
        for d in details {
            let at = rng.below(out.len() + 1);
            out.insert(at, d.clone());
        }
        out.join("\n\n")
    }
}

/// The text/plain of the corpus's messages (spam folders left out),
/// cut into sentences and short paragraphs; quoted lines and lines that
/// look encoded are dropped.
fn corpus_chunks(dir: &std::path::Path) -> Vec<String> {
    let Ok(index) = std::fs::read_to_string(dir.join("INDEX.tsv")) else {
        eprintln!(
            "no corpus index in {}: bodies are generated only",
            dir.display()
        );
        return Vec::new();
    };
    let own = tix_core::mail::classify::OwnMarks::default();
    let mut chunks = Vec::new();
    for line in index.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 || cols[4] != "message" || cols[0].contains("spam") {
            continue;
        }
        let Ok(raw) = std::fs::read(dir.join(cols[0])) else {
            continue;
        };
        if raw.len() > 1 << 20 {
            continue;
        }
        let Ok(mail) = tix_core::mail::parse::parse(&raw, &own) else {
            continue;
        };
        for paragraph in mail.text.split("\n\n") {
            let kept: Vec<&str> = paragraph
                .lines()
                .map(str::trim)
                .filter(|l| {
                    !l.is_empty()
                        && !l.starts_with('>')
                        && (l.len() <= 40 || l.contains(' '))
                        && l.chars().filter(|c| c.is_alphabetic()).count() * 2 > l.chars().count()
                })
                .collect();
            let text = kept.join(" ");
            let words = text.split_whitespace().count();
            let cjk = text.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c));
            if (words >= 4 || (cjk && text.chars().count() >= 8)) && text.len() <= 600 {
                chunks.push(text);
            }
        }
    }
    chunks.sort();
    chunks.dedup();
    chunks
}

/// One near-duplicate problem: what both of its tickets mention.
struct Problem {
    topic: usize,
    model: String,
    code: u32,
    specifics: Vec<String>,
}

fn search_store(
    store: &Store,
    dir: &std::path::Path,
    n: usize,
    seed: u64,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = Rng(seed);
    let corpus = std::env::var_os("TIX_CORPUS")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            [
                root.join("../shared/corpus"),
                root.join("../../shared/corpus"),
            ]
            .into_iter()
            .find(|p| p.join("INDEX.tsv").is_file())
        });
    let text = Text::load(corpus.as_deref(), &mut rng);
    eprintln!(
        "{} chunks of corpus text, {} words",
        text.chunks.len(),
        text.words.len()
    );
    let config = store.config();
    let agents: Vec<String> = config.agents.iter().map(|a| a.handle.clone()).collect();
    let fields: Vec<(String, Vec<String>)> = config
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.choices.clone()))
        .collect();
    let tags: Vec<String> = (0..40)
        .map(|i| {
            let base = [
                "billing", "hardware", "network", "account", "urgent", "vip", "bug", "feature",
                "howto", "outage",
            ][i % 10];
            if i < 10 {
                base.to_string()
            } else {
                format!("{base}-{}", i / 10)
            }
        })
        .collect();
    let tag_zipf = Zipf::new(tags.len(), 1.0);
    let domains: Vec<String> = (0..3000)
        .map(|i| {
            if i < FREE_MAIL.len() {
                FREE_MAIL[i].to_string()
            } else {
                let tld = ["com", "de", "fr", "ru", "co.uk", "io", "jp", "es"][i % 8];
                format!("{}{}.{tld}", text.words[200 + (i * 7) % 5000], i)
            }
        })
        .collect();
    // Repeat customers: a pool a tenth the size of the store, drawn by
    // Zipf, so some write often and most once or twice. A quarter of
    // the people write from free-mail.
    let people: Vec<Party> = (0..(n / 3).max(50))
        .map(|i| {
            let first = FIRST_NAMES[i % FIRST_NAMES.len()];
            let last = LAST_NAMES[(i / FIRST_NAMES.len() + i) % LAST_NAMES.len()];
            let domain = if i % 4 == 0 {
                &domains[i % FREE_MAIL.len()]
            } else {
                &domains[FREE_MAIL.len() + (i * 31) % (domains.len() - FREE_MAIL.len())]
            };
            Party {
                name: Some(format!("{first} {last}")),
                email: format!("user{i}@{domain}"),
            }
        })
        .collect();
    let people_zipf = Zipf::new(people.len(), 0.8);
    let tail = text.words.len() / 4;
    // Product models and error codes are shared: a pair's model and code
    // also turn up in other tickets, so they alone do not give it away.
    let models: Vec<String> = (0..400)
        .map(|_| format!("{}-{}", rng.tag(2), 100 + rng.below(9900)))
        .collect();
    let pairs = (n / 50).min(200);
    let problems: Vec<Problem> = (0..pairs)
        .map(|_| Problem {
            topic: rng.below(TOPICS.len()),
            model: rng.pick(&models).clone(),
            code: 1000 + rng.below(500) as u32,
            specifics: (0..4)
                .map(|_| text.words[tail + rng.below(text.words.len() - tail)].clone())
                .collect(),
        })
        .collect();
    // Where each pair's two tickets sit: the older early, the newer late.
    let mut slot_of: std::collections::HashMap<usize, (usize, bool)> = Default::default();
    for p in 0..pairs {
        let older = rng.below(n / 2);
        let newer = n / 2 + rng.below(n / 2);
        if slot_of.contains_key(&older) || slot_of.contains_key(&newer) {
            continue;
        }
        slot_of.insert(older, (p, false));
        slot_of.insert(newer, (p, true));
    }
    // Two years up to about a month before the bench's day, so that
    // the last tickets' entries are in the past too.
    let start = Timestamp::parse_rfc3339("2024-10-01T00:00:00Z").unwrap();
    let span_minutes: i64 = 2 * 365 * 24 * 60;
    let author = Author::new("Generator", "gen@example.com");
    let lock = store.lock()?;
    let mut files = Vec::new();
    let mut pair_ids: Vec<[Option<TicketId>; 2]> = vec![[None, None]; pairs];
    let mut total_entries = 0usize;
    for i in 0..n {
        let mut id_bytes = [0u8; 5];
        id_bytes.copy_from_slice(&rng.next().to_le_bytes()[..5]);
        let id = TicketId::from_random(id_bytes);
        let born =
            start.datetime() + chrono::TimeDelta::minutes(i as i64 * span_minutes / n as i64);
        let problem = slot_of.get(&i).map(|&(p, newer)| {
            pair_ids[p][newer as usize] = Some(id);
            (&problems[p], newer)
        });
        let topic_index = problem.map_or_else(|| rng.below(TOPICS.len()), |(p, _)| p.topic);
        let topic: Vec<&str> = TOPICS[topic_index].split(' ').collect();
        let details: Vec<String> = match problem {
            None => {
                let mut d = Vec::new();
                if rng.chance(0.3) {
                    d.push(format!("It is the {}.", rng.pick(&models)));
                }
                if rng.chance(0.2) {
                    d.push(format!("The display shows code {}.", 1000 + rng.below(500)));
                }
                d
            }
            Some((p, newer)) => {
                // Both name the model, the code and one specific word;
                // each words the rest its own way.
                let (own, other) = if newer {
                    (1, 2)
                } else {
                    (3, 2 + 2 * (rng.below(2)))
                };
                vec![
                    if newer {
                        format!(
                            "Our {} shows code {} and then {}.",
                            p.model, p.code, p.specifics[0]
                        )
                    } else {
                        format!(
                            "Since this morning the {} fails with {} ({}).",
                            p.model, p.code, p.specifics[0]
                        )
                    },
                    format!(
                        "{} {} {}",
                        p.specifics[own],
                        text.word(&mut rng),
                        p.specifics[other.min(3)]
                    ),
                ]
            }
        };
        let customer = people[people_zipf.sample(&mut rng)].clone();
        let cc: Vec<Party> = if rng.chance(0.1) {
            vec![people[rng.below(people.len())].clone()]
        } else {
            vec![]
        };
        let mut ticket_tags: Vec<String> = (0..rng.below(4))
            .map(|_| tags[tag_zipf.sample(&mut rng)].clone())
            .collect();
        ticket_tags.sort();
        ticket_tags.dedup();
        let mut ticket_fields = BTreeMap::new();
        for (name, choices) in &fields {
            if !choices.is_empty() && rng.chance(0.6) {
                ticket_fields.insert(
                    name.clone(),
                    tix_core::domain::FieldValue::Text(rng.pick(choices).clone()),
                );
            }
        }
        let subject_words = match problem {
            Some((p, true)) => format!("{} {}", p.model, topic[0]),
            Some((p, false)) => format!("{} {} {}", topic[0], topic[1], p.code),
            None => {
                let first = rng.below(topic.len());
                let second = (first + 1 + rng.below(topic.len() - 1)) % topic.len();
                format!("{} {}", topic[first], topic[second])
            }
        };
        let subject = rng.pick(SUBJECTS).replace("{}", &subject_words);
        let agent = agents[rng.below(agents.len())].clone();
        // 1 to 20 entries, about 5 on average: the created one, then a
        // geometric number of others.
        let mut extra = ((-(1.0 - rng.unit()).ln() * 4.2) as usize).min(19);
        let closing = problem.map_or_else(|| rng.chance(0.55), |(_, newer)| !newer);
        if closing {
            // Room for the assignment and the close.
            extra = extra.max(2);
        }
        let mut events: Vec<(Event, String)> = vec![(
            Event::Created {
                subject,
                customer: customer.clone(),
                cc: cc.clone(),
                priority: Priority::ALL[rng.below(4)],
                tags: ticket_tags,
                fields: ticket_fields,
                channel: None,
                department: None,
                group: None,
            },
            text.body(&mut rng, &topic, &details),
        )];
        for k in 0..extra {
            let last = k + 1 == extra;
            let event = if last && closing {
                let body = match problem {
                    Some((p, _)) => format!(
                        "Resolution: the {} needed firmware {}.{} to clear code {}.",
                        p.model,
                        1 + rng.below(4),
                        rng.below(10),
                        p.code
                    ),
                    None if rng.chance(0.5) => text.sentence(&mut rng, &topic),
                    None => String::new(),
                };
                (Event::Close {}, body)
            } else if k == 0 {
                (
                    Event::Assign {
                        to: Some(agent.clone()),
                    },
                    String::new(),
                )
            } else {
                match rng.below(20) {
                    0..=6 => {
                        let from = if !cc.is_empty() && rng.chance(0.3) {
                            cc[0].clone()
                        } else {
                            customer.clone()
                        };
                        (
                            Event::Message { from, mail: None },
                            text.body(&mut rng, &topic, &[]),
                        )
                    }
                    7..=12 => (
                        Event::Reply { mail: None },
                        text.body(&mut rng, &topic, &[]),
                    ),
                    13..=15 => (Event::Note { mail: None }, text.body(&mut rng, &topic, &[])),
                    16 => (
                        Event::Attachment {
                            file: String::new(),
                            name: rng.pick(ATTACHMENT_NAMES).to_string(),
                            size: 0,
                            entry: None,
                        },
                        String::new(),
                    ),
                    17 => (
                        Event::Tags {
                            add: vec![tags[tag_zipf.sample(&mut rng)].clone()],
                            remove: vec![],
                        },
                        String::new(),
                    ),
                    18 => (
                        Event::Priority {
                            to: Priority::ALL[rng.below(4)],
                        },
                        String::new(),
                    ),
                    _ => (
                        Event::Status {
                            to: Status::Pending,
                            from: None,
                        },
                        String::new(),
                    ),
                }
            };
            events.push(event);
        }
        let ticket_dir = Store::ticket_dir(&id);
        let mut at = born;
        for (seq, (event, body)) in events.into_iter().enumerate() {
            let author = match &event {
                Event::Message { from, .. } => from.email.clone(),
                Event::Created { customer, .. } => customer.email.clone(),
                _ => agent.clone(),
            };
            let mut entry = Entry {
                at: Timestamp::new(at),
                seq: seq as u64 + 1,
                author,
                by: None,
                rule: None,
                event,
                body,
            };
            at += chrono::TimeDelta::minutes(5 + rng.below(60 * 24) as i64);
            let name = entry.file_name(&rng.tag(6));
            if let Event::Attachment {
                file,
                name: shown,
                size,
                ..
            } = &mut entry.event
            {
                let content = format!("generated attachment {shown}\n").into_bytes();
                *file = format!("{FILES_DIR}/{}/{shown}", name.trim_end_matches(".md"));
                *size = content.len() as u64;
                files.push((format!("{ticket_dir}/{file}"), content));
            }
            files.push((format!("{ticket_dir}/{name}"), entry.encode().into_bytes()));
            total_entries += 1;
        }
        // Commits of 10,000 tickets keep the generator's memory bounded.
        if (i + 1) % 10_000 == 0 || i + 1 == n {
            store.commit(
                &lock,
                std::mem::take(&mut files),
                &format!(
                    "gen: search store, tickets {} to {}",
                    i / 10_000 * 10_000 + 1,
                    i + 1
                ),
                &author,
            )?;
        }
    }
    let canonical = dir.canonicalize()?;
    let pairs_path = canonical.with_file_name(format!(
        "{}.pairs.tsv",
        canonical
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("store")
    ));
    let mut out = String::from("newer\tolder\n");
    for [older, newer] in &pair_ids {
        if let (Some(older), Some(newer)) = (older, newer) {
            out.push_str(&format!("{newer}\t{older}\n"));
        }
    }
    std::fs::write(&pairs_path, out)?;
    println!(
        "generated {n} tickets, {total_entries} entries in {}; near-duplicate pairs in {}",
        dir.display(),
        pairs_path.display()
    );
    Ok(())
}
