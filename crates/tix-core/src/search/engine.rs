//! The one file that knows the search engine (tantivy). Everything else
//! in `search` speaks in [`TicketDoc`]s, [`Query`]s and [`EngineHit`]s,
//! so that another engine replaces this file only.
//!
//! One document per ticket: a search answers with tickets, BM25 over a
//! ticket's whole text ranks a ticket whose several messages speak of a
//! problem above one that mentions it once, and replacing a ticket after
//! a change is one delete and one add, keyed by its id.
//!
//! The tree ids the documents were built from are recorded with each
//! commit (tantivy's commit payload, in the same atomic write of
//! `meta.json` as the segment list), so what the index says it holds and
//! what it holds cannot disagree, even after a kill in the middle of an
//! update: uncommitted segments are not part of the index, and tantivy
//! deletes them at the next writer.

use std::ops::Bound;
use std::path::Path;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{Token as EngineToken, TokenStream, Tokenizer};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::query::{Clause, Filter, Query, Scope, Term as QueryTerm, Text};
use super::text;
use crate::domain::TicketId;

/// What the engine indexes of a ticket.
#[derive(Clone, Debug, Default)]
pub struct TicketDoc {
    pub id: String,
    pub shard: String,
    /// The git tree id of the ticket's directory it was built from.
    pub tree: String,
    pub subject: String,
    /// The created entry's, messages' and replies' text.
    pub public_text: String,
    /// Internal text: notes, close and escalation bodies.
    pub notes: String,
    pub attachments: Vec<String>,
    /// The customer and everyone whose message is in the ticket, as
    /// `Name <address>`.
    pub from: Vec<String>,
    pub cc: Vec<String>,
    /// Lower case, exact values.
    pub org: Option<String>,
    pub assignee: Option<String>,
    pub tags: Vec<String>,
    /// `name=value`, lower case.
    pub fields: Vec<String>,
    /// Tags and custom field values as written, for word search.
    pub labels: Vec<String>,
    pub status: String,
    pub priority: String,
    pub group: Option<String>,
    /// `locked`, `attachment`, `assigned`.
    pub flags: Vec<&'static str>,
    /// Microseconds since the epoch.
    pub created: i64,
    pub updated: i64,
    /// When it was last closed, if it is closed; 0 if not.
    pub closed: i64,
    /// What solved it (the latest resolution entry), whole.
    pub resolution: Option<String>,
    /// The ticket it was merged into: a closed pointer, never offered as
    /// a similar ticket.
    pub merged_into: Option<String>,
    /// What a result shows of the ticket, opaque to the engine.
    pub card: String,
}

/// How results are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Best match first, newest activity breaking ties.
    Relevance,
    Updated,
    Created,
}

pub struct EngineHit {
    pub id: String,
    pub score: f32,
    pub card: String,
    /// Text a snippet may come from, most telling first: the public text,
    /// the notes when the scope allows them, then the subject.
    pub texts: Vec<String>,
}

/// A ticket like a text, as [`Engine::like`] finds it.
pub struct LikeHit {
    pub id: String,
    /// The BM25 score over the best this text could score on any ticket
    /// of the index: from 0 (nothing shared) towards 1.
    pub score: f32,
    pub card: String,
    pub resolution: Option<String>,
    /// Microseconds since the epoch; 0 if not closed.
    pub closed: i64,
}

/// What [`Engine::like`] looks for.
pub struct Like<'a> {
    /// A ticket's subject: a summary, so its words count double when the
    /// telling words are chosen.
    pub subject: &'a str,
    /// Its first message.
    pub text: &'a str,
    /// Tickets never offered: the one asked about first (its own words
    /// are not counted as another ticket's), then those merged into it.
    pub exclude: &'a [String],
    /// Closed tickets only, else any status.
    pub closed_only: bool,
    /// Tickets scoring under this share of the best possible score are
    /// not similar.
    pub threshold: f32,
    pub limit: usize,
}

/// Why the index could not be used.
#[derive(Debug)]
pub enum Unusable {
    Missing,
    /// Made by a tix whose documents had other fields.
    OtherSchema,
    Damaged(String),
}

const TOKENIZER: &str = "tix";
/// What one update may hold in memory before it writes a segment.
const WRITER_MEMORY: usize = 50_000_000;

/// A segment holding at least this share of the index's live documents
/// is large: no merge of small segments takes it in, so an update after
/// one commit rewrites only what the few latest updates wrote.
const LARGE_SEGMENT_SHARE: f64 = 0.10;
/// When this share of all documents the segments hold are deleted ones
/// (each changed ticket leaves its old document deleted where it was),
/// every segment is merged into one: a cost of the whole index, paid
/// once per that many ticket changes.
const COMPACT_AT_DELETED_SHARE: f64 = 0.25;

/// Merges that keep an update cheap at any size: small segments merge
/// among themselves by size class, the large ones only in a compaction.
#[derive(Debug, Clone)]
struct SmallSegmentsPolicy;

impl tantivy::merge_policy::MergePolicy for SmallSegmentsPolicy {
    fn compute_merge_candidates(
        &self,
        segments: &[tantivy::index::SegmentMeta],
    ) -> Vec<tantivy::merge_policy::MergeCandidate> {
        let live: u64 = segments.iter().map(|s| u64::from(s.num_docs())).sum();
        let held: u64 = segments.iter().map(|s| u64::from(s.max_doc())).sum();
        let deleted = held - live;
        if segments.len() > 1 && deleted as f64 > COMPACT_AT_DELETED_SHARE * held as f64 {
            return vec![tantivy::merge_policy::MergeCandidate(
                segments.iter().map(|s| s.id()).collect(),
            )];
        }
        let small: Vec<tantivy::index::SegmentMeta> = segments
            .iter()
            .filter(|s| (s.num_docs() as f64) < LARGE_SEGMENT_SHARE * live as f64)
            .cloned()
            .collect();
        let mut by_size = tantivy::merge_policy::LogMergePolicy::default();
        // Tiny segments are one size class (a merge of a thousand
        // documents is cheap), above that classes grow by powers.
        by_size.set_min_layer_size(1_000);
        by_size.set_min_num_segments(8);
        by_size.compute_merge_candidates(&small)
    }
}

struct Fields {
    id: Field,
    shard: Field,
    tree: Field,
    subject: Field,
    body: Field,
    notes: Field,
    attachment: Field,
    from: Field,
    cc: Field,
    labels: Field,
    org: Field,
    assignee: Field,
    tag: Field,
    field: Field,
    status: Field,
    priority: Field,
    group: Field,
    flag: Field,
    created: Field,
    updated: Field,
    closed: Field,
    resolution: Field,
    card: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let stored_words = words.clone().set_stored();
    let number = tantivy::schema::NumericOptions::default()
        .set_indexed()
        .set_fast();
    let fields = Fields {
        // Column-stored too, so an update reads a shard's ids and trees
        // without decompressing the stored documents.
        id: b.add_text_field("id", STRING | STORED | FAST),
        shard: b.add_text_field("shard", STRING),
        tree: b.add_text_field("tree", FAST),
        subject: b.add_text_field("subject", stored_words.clone()),
        body: b.add_text_field("body", stored_words.clone()),
        notes: b.add_text_field("notes", stored_words),
        attachment: b.add_text_field("attachment", words.clone()),
        from: b.add_text_field("from", words.clone()),
        cc: b.add_text_field("cc", words.clone()),
        // Tags and custom field values as words, for a plain word search.
        labels: b.add_text_field("labels", words),
        org: b.add_text_field("org", STRING),
        assignee: b.add_text_field("assignee", STRING),
        tag: b.add_text_field("tag", STRING),
        field: b.add_text_field("field", STRING),
        status: b.add_text_field("status", STRING),
        priority: b.add_text_field("priority", STRING),
        group: b.add_text_field("group", STRING),
        flag: b.add_text_field("flag", STRING),
        created: b.add_i64_field("created", number.clone()),
        updated: b.add_i64_field("updated", number),
        closed: b.add_i64_field("closed", STORED),
        resolution: b.add_text_field("resolution", STORED),
        card: b.add_text_field("card", STORED),
    };
    (b.build(), fields)
}

pub struct Engine {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl Engine {
    /// The index in `dir` as last committed.
    pub fn open(dir: &Path) -> Result<Engine, Unusable> {
        if !dir.join("meta.json").exists() {
            return Err(Unusable::Missing);
        }
        let index = Index::open_in_dir(dir).map_err(|e| Unusable::Damaged(e.to_string()))?;
        let (schema, fields) = schema();
        if index.schema() != schema {
            return Err(Unusable::OtherSchema);
        }
        Engine::with(index, fields).map_err(|e| Unusable::Damaged(e.to_string()))
    }

    /// A new, empty index in `dir` (which must be empty).
    pub fn create(dir: &Path) -> tantivy::Result<Engine> {
        let (schema, fields) = schema();
        let index = Index::create_in_dir(dir, schema)?;
        Engine::with(index, fields)
    }

    fn with(index: Index, fields: Fields) -> tantivy::Result<Engine> {
        index.tokenizers().register(TOKENIZER, WordTokenizer);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Engine {
            index,
            reader,
            fields,
        })
    }

    /// What the last commit recorded (see [`Writer::commit`]).
    pub fn state(&self) -> tantivy::Result<Option<String>> {
        Ok(self.index.load_metas()?.payload)
    }

    /// How many tickets the index holds, as last committed.
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The files of the committed segments whose checksum does not match
    /// what they hold (each read whole); an error when one cannot be read.
    pub fn damaged_files(&self) -> tantivy::Result<Vec<String>> {
        let mut out: Vec<String> = self
            .index
            .validate_checksum()?
            .into_iter()
            .map(|p| p.display().to_string())
            .collect();
        out.sort();
        Ok(out)
    }

    /// The tickets of one shard the index holds, as (id, tree id).
    pub fn tickets_in_shard(&self, shard: &str) -> tantivy::Result<Vec<(String, String)>> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.shard, shard),
            IndexRecordOption::Basic,
        );
        let mut docs: Vec<DocAddress> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .collect();
        docs.sort();
        let mut out = Vec::with_capacity(docs.len());
        let mut columns = None;
        for addr in docs {
            if columns
                .as_ref()
                .is_none_or(|(segment, _, _)| *segment != addr.segment_ord)
            {
                let fast = searcher.segment_reader(addr.segment_ord).fast_fields();
                columns = Some((addr.segment_ord, fast.str("id")?, fast.str("tree")?));
            }
            let Some((_, ids, trees)) = &columns else {
                continue;
            };
            let read = |column: &Option<tantivy::columnar::StrColumn>| -> tantivy::Result<String> {
                let mut text = String::new();
                if let Some(column) = column
                    && let Some(term) = column.term_ords(addr.doc_id).next()
                {
                    column.ord_to_str(term, &mut text)?;
                }
                Ok(text)
            };
            out.push((read(ids)?, read(trees)?));
        }
        Ok(out)
    }

    pub fn writer(&self) -> tantivy::Result<Writer<'_>> {
        let writer: IndexWriter = self.index.writer_with_num_threads(1, WRITER_MEMORY)?;
        writer.set_merge_policy(Box::new(SmallSegmentsPolicy));
        Ok(Writer {
            writer,
            fields: &self.fields,
        })
    }

    /// The committed segments, as (id, live documents, deleted documents).
    pub fn segments(&self) -> tantivy::Result<Vec<(String, u32, u32)>> {
        Ok(self
            .index
            .searchable_segment_metas()?
            .into_iter()
            .map(|s| (s.id().uuid_string(), s.num_docs(), s.num_deleted_docs()))
            .collect())
    }

    /// Sees what the last commit made.
    pub fn reload(&self) -> tantivy::Result<()> {
        self.reader.reload()
    }

    pub fn search(
        &self,
        query: &Query,
        order: Order,
        limit: usize,
    ) -> tantivy::Result<Vec<EngineHit>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let engine_query = self.translate(query);
        let searcher = self.reader.searcher();
        let primary = match order {
            Order::Relevance | Order::Updated => "updated",
            Order::Created => "created",
        };
        let collector =
            TopDocs::with_limit(limit).tweak_score(move |segment: &tantivy::SegmentReader| {
                let time = segment
                    .fast_fields()
                    .i64(primary)
                    .ok()
                    .map(|c| c.first_or_default_col(0));
                move |doc: tantivy::DocId, score: f32| {
                    let at = time.as_ref().map_or(0, |c| c.get_val(doc));
                    match order {
                        // Microseconds since the epoch are exact in an f64.
                        Order::Relevance => (f64::from(score), at),
                        Order::Updated | Order::Created => (at as f64, (score * 1e6) as i64),
                    }
                }
            });
        let found = searcher.search(&engine_query, &collector)?;
        let mut out = Vec::with_capacity(found.len());
        for ((key, secondary), addr) in found {
            let score = match order {
                Order::Relevance => key as f32,
                _ => secondary as f32 / 1e6,
            };
            out.push(self.hit(&searcher, addr, score, query.scope)?);
        }
        Ok(out)
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        addr: DocAddress,
        score: f32,
        scope: Scope,
    ) -> tantivy::Result<EngineHit> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text = |f: Field| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let texts = match scope {
            Scope::All => vec![
                text(self.fields.body),
                text(self.fields.notes),
                text(self.fields.subject),
            ],
            Scope::Public => vec![text(self.fields.body), text(self.fields.subject)],
            Scope::Notes => vec![text(self.fields.notes)],
        };
        Ok(EngineHit {
            id: text(self.fields.id),
            score,
            card: text(self.fields.card),
            texts,
        })
    }

    /// Tickets whose subject and public text are most like `like.text`
    /// (a ticket's subject and first message), resolved ones first, then
    /// best first: what `tix similar` asks.
    ///
    /// More-like-this without the ticket having to be in the index: the
    /// text's 25 most telling words (frequency in the text times rarity
    /// in the index), each scored by BM25 over the subject and the public
    /// text. The score is relative to what a ticket with each of those
    /// words once in its subject and once in its text would score (words
    /// no other ticket has included), so one threshold means the same in
    /// a store of ten tickets and of a million.
    pub fn like(&self, like: &Like<'_>) -> tantivy::Result<Vec<LikeHit>> {
        const WORDS: usize = 25;
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let docs = searcher.num_docs();
        let asked_is_indexed = like
            .exclude
            .first()
            .map(|id| searcher.doc_freq(&Term::from_field_text(f.id, id)))
            .transpose()?
            .is_some_and(|n| n > 0);
        let mut counts: std::collections::BTreeMap<String, u32> = Default::default();
        let subject_words = text::words(like.subject);
        let words = subject_words
            .iter()
            .chain(&subject_words)
            .cloned()
            .chain(text::words(like.text));
        for word in words {
            // Short words are mostly grammar, but a model's `9j` or an
            // error's `1360` are what a help desk's duplicates share most.
            let has_digit = word.chars().any(|c| c.is_ascii_digit());
            let telling = word.chars().count() > 2
                || word.chars().any(text::is_ideograph)
                || (has_digit
                    && word.chars().count() == 2
                    && !word.chars().all(|c| c.is_ascii_digit()));
            if telling {
                *counts.entry(word).or_default() += 1;
            }
        }
        let idf = |n: u64| -> f32 {
            let n = n as f32;
            let total = docs as f32;
            (1.0 + (total - n + 0.5) / (n + 0.5)).ln()
        };
        // (word, weight, rarity, whether another ticket has it)
        let mut weighed: Vec<(String, f32, f32, bool)> = Vec::new();
        for (word, tf) in counts {
            let mut n = 0;
            for field in [f.subject, f.body] {
                n = n.max(searcher.doc_freq(&Term::from_field_text(field, &word))?);
            }
            let others = n.saturating_sub(u64::from(asked_is_indexed));
            let rarity = idf(others);
            weighed.push((word, (tf.min(3) as f32) * rarity, rarity, others > 0));
        }
        weighed.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        weighed.truncate(WORDS);
        // The best is a ticket of average length with every telling word
        // once in its subject and once in its text (BM25 gives a word
        // its idf then): words no other ticket has count too, so a text
        // about something new scores low on a ticket sharing only its
        // commonest word.
        let best: f32 = weighed.iter().map(|w| 2.0 * w.2).sum();
        weighed.retain(|w| w.3);
        if weighed.is_empty() || best <= 0.0 {
            return Ok(Vec::new());
        }
        let mut should: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        for (word, ..) in &weighed {
            for field in [f.subject, f.body] {
                should.push((
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, word),
                        IndexRecordOption::WithFreqs,
                    )),
                ));
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        if like.closed_only {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(raw(f.status, "closed")), 0.0)),
            ));
        }
        clauses.push((Occur::MustNot, Box::new(raw(f.flag, "merged"))));
        for id in like.exclude {
            clauses.push((Occur::MustNot, Box::new(raw(f.id, id))));
        }
        // Enough candidates that the resolved ones among the similar can
        // come first without missing one.
        let candidates = (like.limit.max(1) * 4).max(20);
        let found = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(candidates).order_by_score(),
        )?;
        let mut out = Vec::new();
        for (score, addr) in found {
            let score = score / best;
            if score < like.threshold {
                break;
            }
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str());
            out.push(LikeHit {
                id: text(f.id).unwrap_or_default().to_string(),
                score,
                card: text(f.card).unwrap_or_default().to_string(),
                resolution: text(f.resolution).map(str::to_string),
                closed: doc
                    .get_first(f.closed)
                    .and_then(|v| v.as_i64())
                    .unwrap_or(0),
            });
        }
        // Stable: best first within resolved and within the rest.
        out.sort_by_key(|h| h.resolution.is_none());
        out.truncate(like.limit);
        Ok(out)
    }

    fn translate(&self, query: &Query) -> BooleanQuery {
        let f = &self.fields;
        let text_fields: Vec<(Field, f32)> = match query.scope {
            Scope::All => vec![
                (f.subject, 2.0),
                (f.body, 1.0),
                (f.notes, 1.0),
                (f.attachment, 1.0),
                (f.from, 1.0),
                (f.cc, 1.0),
                (f.labels, 1.0),
            ],
            Scope::Public => vec![
                (f.subject, 2.0),
                (f.body, 1.0),
                (f.attachment, 1.0),
                (f.from, 1.0),
                (f.cc, 1.0),
                (f.labels, 1.0),
            ],
            Scope::Notes => vec![(f.notes, 1.0)],
        };
        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        for Clause { negated, term } in &query.clauses {
            let q: Box<dyn tantivy::query::Query> = match term {
                QueryTerm::Text(t) => Box::new(BooleanQuery::new(
                    text_fields
                        .iter()
                        .map(|(field, boost)| {
                            let q = words_in(*field, t);
                            let q: Box<dyn tantivy::query::Query> = if *boost == 1.0 {
                                q
                            } else {
                                Box::new(BoostQuery::new(q, *boost))
                            };
                            (Occur::Should, q)
                        })
                        .collect(),
                )),
                QueryTerm::Filter(filter) => {
                    Box::new(ConstScoreQuery::new(self.filter(filter), 0.0))
                }
            };
            clauses.push((
                if *negated {
                    Occur::MustNot
                } else {
                    Occur::Must
                },
                q,
            ));
        }
        if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        BooleanQuery::new(clauses)
    }

    fn filter(&self, filter: &Filter) -> Box<dyn tantivy::query::Query> {
        let f = &self.fields;
        let time = |field: Field, from: Option<i64>, until: Option<i64>| {
            let bound = |v: Option<i64>, inclusive: bool| match v {
                Some(v) if inclusive => Bound::Included(Term::from_field_i64(field, v)),
                Some(v) => Bound::Excluded(Term::from_field_i64(field, v)),
                None => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(bound(from, true), bound(until, false)))
        };
        match filter {
            Filter::Id(id) => Box::new(raw(f.id, id)),
            Filter::From(t) => words_in(f.from, t),
            Filter::Cc(t) => words_in(f.cc, t),
            Filter::Org(org) => Box::new(raw(f.org, org)),
            Filter::Assignee(a) => Box::new(raw(f.assignee, a)),
            Filter::Tag(tag) => Box::new(raw(f.tag, tag)),
            Filter::Status(s) => Box::new(raw(f.status, s.as_str())),
            Filter::Priority(p) => Box::new(raw(f.priority, p.as_str())),
            Filter::Group(g) => Box::new(raw(f.group, g)),
            Filter::Field { name, value } => Box::new(raw(f.field, &format!("{name}={value}"))),
            Filter::Created { from, until } => time(
                f.created,
                from.map(|t| t.datetime().timestamp_micros()),
                until.map(|t| t.datetime().timestamp_micros()),
            ),
            Filter::HasAttachment => Box::new(raw(f.flag, "attachment")),
            Filter::Locked => Box::new(raw(f.flag, "locked")),
            Filter::Assigned => Box::new(raw(f.flag, "assigned")),
            Filter::Unassigned => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, Box::new(raw(f.flag, "assigned"))),
            ])),
        }
    }
}

fn raw(field: Field, value: &str) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    )
}

/// One word, or several standing together in that order.
fn words_in(field: Field, text: &Text) -> Box<dyn tantivy::query::Query> {
    let terms: Vec<Term> = text
        .words
        .iter()
        .map(|w| Term::from_field_text(field, w))
        .collect();
    if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms.into_iter().next().expect("one term"),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(terms))
    }
}

pub struct Writer<'e> {
    writer: IndexWriter,
    fields: &'e Fields,
}

impl Writer<'_> {
    /// Puts `doc` in place of whatever the index held for its ticket.
    pub fn replace(&mut self, doc: &TicketDoc) -> tantivy::Result<()> {
        self.delete(&doc.id);
        self.add(doc)
    }

    /// Adds the document of a ticket the index does not hold: no delete
    /// is queued (a cold build queues none, which the engine would keep
    /// until the commit).
    pub fn add(&mut self, doc: &TicketDoc) -> tantivy::Result<()> {
        let f = self.fields;
        let mut d = TantivyDocument::new();
        d.add_text(f.id, &doc.id);
        d.add_text(f.shard, &doc.shard);
        d.add_text(f.tree, &doc.tree);
        d.add_text(f.subject, &doc.subject);
        d.add_text(f.body, &doc.public_text);
        d.add_text(f.notes, &doc.notes);
        for (field, values) in [
            (f.attachment, &doc.attachments),
            (f.from, &doc.from),
            (f.cc, &doc.cc),
            (f.labels, &doc.labels),
            (f.tag, &doc.tags),
            (f.field, &doc.fields),
        ] {
            for v in values {
                d.add_text(field, v);
            }
        }
        for (field, value) in [
            (f.org, &doc.org),
            (f.assignee, &doc.assignee),
            (f.group, &doc.group),
        ] {
            if let Some(v) = value {
                d.add_text(field, v);
            }
        }
        d.add_text(f.status, &doc.status);
        d.add_text(f.priority, &doc.priority);
        for flag in &doc.flags {
            d.add_text(f.flag, flag);
        }
        d.add_i64(f.created, doc.created);
        d.add_i64(f.updated, doc.updated);
        d.add_i64(f.closed, doc.closed);
        if let Some(resolution) = &doc.resolution {
            d.add_text(f.resolution, resolution);
        }
        if doc.merged_into.is_some() {
            d.add_text(f.flag, "merged");
        }
        d.add_text(f.card, &doc.card);
        self.writer.add_document(d)?;
        Ok(())
    }

    pub fn delete(&mut self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
    }

    /// Every ticket of a shard HEAD no longer has.
    pub fn delete_shard(&mut self, shard: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.shard, shard));
    }

    /// Makes the changes visible, together with `state` (what the index
    /// now describes), in one atomic step.
    pub fn commit(mut self, state: &str) -> tantivy::Result<()> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(state);
        prepared.commit()?;
        self.writer.wait_merging_threads()
    }
}

/// [`text::tokens`] as the engine's tokenizer, at index and query time.
#[derive(Clone)]
struct WordTokenizer;

struct Words {
    tokens: std::vec::IntoIter<text::Token>,
    current: EngineToken,
    position: usize,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = Words;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Words {
        Words {
            tokens: text::tokens(text).into_iter(),
            current: EngineToken::default(),
            position: 0,
        }
    }
}

impl TokenStream for Words {
    fn advance(&mut self) -> bool {
        let Some(t) = self.tokens.next() else {
            return false;
        };
        self.current = EngineToken {
            offset_from: t.from,
            offset_to: t.to,
            position: self.position,
            text: t.text,
            position_length: 1,
        };
        self.position += 1;
        true
    }
    fn token(&self) -> &EngineToken {
        &self.current
    }
    fn token_mut(&mut self) -> &mut EngineToken {
        &mut self.current
    }
}

/// Whether `id` is a ticket id the engine gave back.
pub fn ticket_id(id: &str) -> Option<TicketId> {
    id.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::{Context, parse};

    fn doc(id: &str, subject: &str, text: &str, status: &str) -> TicketDoc {
        TicketDoc {
            id: id.into(),
            shard: id[..2].into(),
            tree: format!("tree-of-{id}"),
            subject: subject.into(),
            public_text: text.into(),
            status: status.into(),
            priority: "normal".into(),
            card: format!("card {id}"),
            ..TicketDoc::default()
        }
    }

    fn ids(engine: &Engine, q: &str) -> Vec<String> {
        let cx = Context {
            now: crate::domain::Timestamp::parse_rfc3339("2026-11-23T12:00:00Z").unwrap(),
            fields: &[],
            public: false,
        };
        let mut out: Vec<String> = engine
            .search(&parse(q, &cx).unwrap(), Order::Relevance, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        out.sort();
        out
    }

    #[test]
    fn documents_are_replaced_deleted_and_committed_with_their_state() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::create(dir.path()).unwrap();
        assert_eq!(engine.state().unwrap(), None);
        let mut w = engine.writer().unwrap();
        w.replace(&doc("AA000001", "Printer", "error 42", "open"))
            .unwrap();
        w.replace(&doc("AA000002", "Scanner", "stripes", "open"))
            .unwrap();
        w.replace(&doc("BB000003", "Mouse", "error 7", "closed"))
            .unwrap();
        w.commit("first").unwrap();
        engine.reload().unwrap();
        assert_eq!(ids(&engine, "error"), ["AA000001", "BB000003"]);

        let mut w = engine.writer().unwrap();
        w.replace(&doc("AA000001", "Printer", "fixed now", "open"))
            .unwrap();
        w.delete("AA000002");
        w.delete_shard("BB");
        w.commit("second").unwrap();
        engine.reload().unwrap();
        assert!(ids(&engine, "error").is_empty());
        assert_eq!(ids(&engine, "fixed"), ["AA000001"]);
        assert_eq!(
            engine.tickets_in_shard("AA").unwrap(),
            [("AA000001".to_string(), "tree-of-AA000001".to_string())]
        );
        assert_eq!(engine.state().unwrap().as_deref(), Some("second"));

        // What was committed is what a new opening sees.
        drop(engine);
        let engine = Engine::open(dir.path()).unwrap();
        assert_eq!(engine.state().unwrap().as_deref(), Some("second"));
        assert_eq!(ids(&engine, "printer"), ["AA000001"]);
    }

    #[test]
    fn changes_not_committed_are_not_in_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::create(dir.path()).unwrap();
        let mut w = engine.writer().unwrap();
        w.replace(&doc("AA000001", "Printer", "error 42", "open"))
            .unwrap();
        w.commit("first").unwrap();
        let mut w = engine.writer().unwrap();
        w.replace(&doc("AA000009", "Printer", "again", "open"))
            .unwrap();
        drop(w);
        let engine = Engine::open(dir.path()).unwrap();
        assert_eq!(engine.state().unwrap().as_deref(), Some("first"));
        assert_eq!(ids(&engine, "printer"), ["AA000001"]);
    }

    fn numbered(n: usize) -> TicketDoc {
        let id = format!("AA{n:06}");
        doc(&id, "Printer", &format!("ticket number {n}"), "open")
    }

    #[test]
    fn single_ticket_updates_never_merge_the_large_segment() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::create(dir.path()).unwrap();
        let mut w = engine.writer().unwrap();
        for n in 0..2_000 {
            w.replace(&numbered(n)).unwrap();
        }
        w.commit("built").unwrap();
        let built = engine.segments().unwrap();
        assert_eq!(built.len(), 1);
        let large = built[0].0.clone();
        let mut most = 0;
        for n in 0..40 {
            // Changing a ticket that lives in the large segment, as an
            // update after one commit does.
            let mut w = engine.writer().unwrap();
            w.replace(&numbered(n * 7)).unwrap();
            w.commit(&format!("update {n}")).unwrap();
            let now = engine.segments().unwrap();
            assert!(
                now.iter().any(|(id, _, _)| *id == large),
                "update {n} merged the large segment: {now:?}"
            );
            most = most.max(now.len());
        }
        // The small ones were merged among themselves, and the merges
        // kept what the last commit recorded.
        assert!(most <= 9, "{most} segments");
        assert!(engine.segments().unwrap().len() < 9);
        assert_eq!(engine.state().unwrap().as_deref(), Some("update 39"));
        engine.reload().unwrap();
        assert_eq!(ids(&engine, "printer").len(), 10);
        assert_eq!(ids(&engine, "\"number 14\"").len(), 1);
    }

    #[test]
    fn deleted_documents_past_a_quarter_compact_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::create(dir.path()).unwrap();
        let mut w = engine.writer().unwrap();
        for n in 0..40 {
            w.replace(&numbered(n)).unwrap();
        }
        w.commit("built").unwrap();
        let large = engine.segments().unwrap()[0].0.clone();
        // 13 of 40 + 13 documents deleted is just under a quarter...
        for n in 0..13 {
            let mut w = engine.writer().unwrap();
            w.replace(&numbered(n)).unwrap();
            w.commit("u").unwrap();
        }
        assert!(engine.segments().unwrap().iter().any(|s| s.0 == large));
        // ...and 14 of 54 is more: everything becomes one segment again,
        // without the deleted documents.
        let mut w = engine.writer().unwrap();
        w.replace(&numbered(13)).unwrap();
        w.commit("compacted").unwrap();
        let after = engine.segments().unwrap();
        assert_eq!(after.len(), 1, "{after:?}");
        assert_ne!(after[0].0, large);
        assert_eq!((after[0].1, after[0].2), (40, 0));
        assert_eq!(engine.state().unwrap().as_deref(), Some("compacted"));
    }

    #[test]
    fn closed_tickets_like_a_text_rank_the_duplicate_first() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::create(dir.path()).unwrap();
        let mut w = engine.writer().unwrap();
        let known = [
            (
                "AA000001",
                "VPN drops every hour",
                "the vpn client disconnects hourly",
                "closed",
            ),
            (
                "AA000002",
                "Printer jams",
                "paper jam in tray two",
                "closed",
            ),
            ("AA000003", "VPN slow", "vpn is slow from home", "open"),
            (
                "AA000004",
                "Invoice wrong",
                "charged twice for vpn licence",
                "closed",
            ),
            ("AA000005", "Printer toner", "toner low", "closed"),
        ];
        for (id, subject, text, status) in known {
            w.replace(&doc(id, subject, text, status)).unwrap();
        }
        let mut resolved = doc(
            "AA000006",
            "VPN disconnects",
            "vpn client disconnects every hour",
            "closed",
        );
        resolved.resolution = Some("Renew the certificate".into());
        w.replace(&resolved).unwrap();
        let mut pointer = doc(
            "AA000007",
            "VPN drops every hour",
            "vpn client disconnects hourly",
            "closed",
        );
        pointer.merged_into = Some("AA000001".into());
        w.replace(&pointer).unwrap();
        w.commit("s").unwrap();
        engine.reload().unwrap();
        let like = |text: &str, exclude: &[&str], closed_only: bool, threshold: f32| {
            let exclude: Vec<String> = exclude.iter().map(|s| s.to_string()).collect();
            engine
                .like(&Like {
                    subject: "",
                    text,
                    exclude: &exclude,
                    closed_only,
                    threshold,
                    limit: 3,
                })
                .unwrap()
        };
        let found = like(
            "VPN disconnects every hour, vpn client",
            &["AA000009"],
            true,
            0.0,
        );
        let ids: Vec<&str> = found.iter().map(|h| h.id.as_str()).collect();
        // Only closed tickets, never a merged pointer; the resolved one
        // first, then the one about the same problem.
        assert_eq!(ids, ["AA000006", "AA000001", "AA000004"]);
        assert_eq!(
            found[0].resolution.as_deref(),
            Some("Renew the certificate")
        );
        assert!(found[1].score > found[2].score);
        assert!(found.iter().all(|h| h.score > 0.0 && h.score < 1.0));
        // A threshold leaves out what shares a word only.
        let close = like("VPN disconnects every hour, vpn client", &[], true, 0.2);
        assert!(
            close.iter().all(|h| h.id != "AA000004"),
            "{:?}",
            close.iter().map(|h| (&h.id, h.score)).collect::<Vec<_>>()
        );
        // Any status when asked; the ticket itself and those named left out.
        let any = like(
            "VPN drops every hour",
            &["AA000001", "AA000006"],
            false,
            0.0,
        );
        let ids: Vec<&str> = any.iter().map(|h| h.id.as_str()).collect();
        assert!(
            ids.contains(&"AA000003") && !ids.contains(&"AA000001"),
            "{ids:?}"
        );
        // Nothing shared, nothing found.
        assert!(like("toaster smoke", &[], false, 0.0).is_empty());
    }
}
