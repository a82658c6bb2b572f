//! tantivy: one document per ticket; subject, public text and notes as
//! text fields (stored, for snippets), the filters as raw string fields,
//! the dates as fast i64 fields.

use std::ops::Bound;
use std::path::Path;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, MoreLikeThisQuery, Occur, PhraseQuery,
    Query as TQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, OwnedValue, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

use crate::doc::TicketDoc;
use crate::query::Query;
use crate::{Engine, Result};

/// The indexing memory bound: split between the writer's threads.
const WRITER_HEAP: usize = 100_000_000;
const WRITER_THREADS: usize = 2;
/// A small update needs only a small arena (tantivy's minimum is 15 MB
/// per thread).
const UPDATE_HEAP: usize = 15_000_000;

pub struct Tantivy {
    index: Index,
    f: Fields,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    subject: Field,
    public: Field,
    notes: Field,
    status: Field,
    priority: Field,
    assignee: Field,
    customer: Field,
    domain: Field,
    tag: Field,
    created: Field,
    updated: Field,
}

fn schema() -> Schema {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("tix")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("subject", text.clone());
    b.add_text_field("public", text.clone());
    b.add_text_field("notes", text);
    for name in [
        "status", "priority", "assignee", "customer", "domain", "tag",
    ] {
        b.add_text_field(name, STRING);
    }
    b.add_i64_field("created", INDEXED | FAST);
    b.add_i64_field("updated", INDEXED | FAST);
    b.build()
}

fn fields(schema: &Schema) -> Result<Fields> {
    let f = |n: &str| schema.get_field(n);
    Ok(Fields {
        id: f("id")?,
        subject: f("subject")?,
        public: f("public")?,
        notes: f("notes")?,
        status: f("status")?,
        priority: f("priority")?,
        assignee: f("assignee")?,
        customer: f("customer")?,
        domain: f("domain")?,
        tag: f("tag")?,
        created: f("created")?,
        updated: f("updated")?,
    })
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn register(index: &Index) {
    index.tokenizers().register("tix", analyzer());
}

fn document(f: &Fields, d: &TicketDoc) -> TantivyDocument {
    let mut doc = doc!(
        f.id => d.id.as_str(),
        f.subject => d.subject.as_str(),
        f.public => d.public.as_str(),
        f.notes => d.notes.as_str(),
        f.status => d.status.as_str(),
        f.priority => d.priority.as_str(),
        f.assignee => d.assignee.as_str(),
        f.customer => d.customer.as_str(),
        f.domain => d.domain.as_str(),
        f.created => d.created,
        f.updated => d.updated,
    );
    for t in &d.tags {
        doc.add_text(f.tag, t);
    }
    doc
}

impl Tantivy {
    fn terms(&self, field: Field, text: &str) -> Vec<Term> {
        let mut a = analyzer();
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(Term::from_field_text(field, &t.text));
        }
        out
    }

    /// `text` in any of the text fields, the subject counting double.
    fn anywhere(&self, text: &str) -> Box<dyn TQuery> {
        let mut per_field: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (field, boost) in [
            (self.f.subject, 2.0),
            (self.f.public, 1.0),
            (self.f.notes, 1.0),
        ] {
            let terms = self.terms(field, text);
            let q: Box<dyn TQuery> = match terms.len() {
                0 => continue,
                1 => Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::WithFreqs,
                )),
                _ => Box::new(PhraseQuery::new(terms)),
            };
            per_field.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
        }
        Box::new(BooleanQuery::new(per_field))
    }

    fn filter(field: Field, value: &str) -> Box<dyn TQuery> {
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            )),
            0.0,
        ))
    }

    fn compile(&self, q: &Query) -> Box<dyn TQuery> {
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for w in q.words.iter().chain(&q.phrases) {
            clauses.push((Occur::Must, self.anywhere(w)));
        }
        for w in &q.excluded {
            clauses.push((Occur::MustNot, self.anywhere(w)));
        }
        if let Some(s) = &q.status {
            clauses.push((Occur::Must, Self::filter(self.f.status, s)));
        }
        if let Some(t) = &q.tag {
            clauses.push((Occur::Must, Self::filter(self.f.tag, t)));
        }
        if q.after.is_some() || q.before.is_some() {
            let lo = q.after.map_or(Bound::Unbounded, |v| {
                Bound::Included(Term::from_field_i64(self.f.created, v))
            });
            let hi = q.before.map_or(Bound::Unbounded, |v| {
                Bound::Excluded(Term::from_field_i64(self.f.created, v))
            });
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(RangeQuery::new(lo, hi)), 0.0)),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

fn stored_text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

impl Engine for Tantivy {
    fn build(dir: &Path, docs: &mut dyn Iterator<Item = TicketDoc>) -> Result<()> {
        std::fs::create_dir_all(dir)?;
        let index = Index::create_in_dir(dir, schema())?;
        register(&index);
        let f = fields(&index.schema())?;
        let mut writer: IndexWriter = index.writer_with_num_threads(WRITER_THREADS, WRITER_HEAP)?;
        for d in docs {
            writer.add_document(document(&f, &d))?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        let segments = index.searchable_segment_ids()?.len();
        eprintln!("tantivy: {segments} segments");
        Ok(())
    }

    fn open(dir: &Path) -> Result<Self> {
        let index = Index::open_in_dir(dir)?;
        register(&index);
        let f = fields(&index.schema())?;
        Ok(Tantivy { index, f })
    }

    fn search(&self, q: &Query, limit: usize) -> Result<Vec<(String, f32, String)>> {
        let reader = self.index.reader()?;
        let searcher = reader.searcher();
        let query = self.compile(q);
        let top = searcher.search(&*query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut snippets =
            tantivy::snippet::SnippetGenerator::create(&searcher, &*query, self.f.public)?;
        snippets.set_max_num_chars(160);
        let mut out = Vec::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut snippet = snippets.snippet_from_doc(&doc).to_html();
            if snippet.is_empty() {
                snippet = stored_text(&doc, self.f.subject);
            }
            out.push((stored_text(&doc, self.f.id), score, snippet));
        }
        Ok(out)
    }

    fn count(&self, q: &Query) -> Result<usize> {
        let searcher = self.index.reader()?.searcher();
        Ok(searcher.search(&*self.compile(q), &Count)?)
    }

    fn update(&mut self, docs: Vec<TicketDoc>) -> Result<()> {
        let mut writer: IndexWriter = self.index.writer_with_num_threads(1, UPDATE_HEAP)?;
        // A writer killed before its commit leaves files that no commit
        // names; the next writer may pick the same names and fail, so
        // they go first.
        writer.garbage_collect_files().wait()?;
        for d in &docs {
            writer.delete_term(Term::from_field_text(self.f.id, &d.id));
            writer.add_document(document(&self.f, d))?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        Ok(())
    }

    fn similar(
        &self,
        id: &str,
        subject: &str,
        first: &str,
        limit: usize,
    ) -> Result<Vec<(String, f32)>> {
        let searcher = self.index.reader()?.searcher();
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_min_term_frequency(1)
            .with_max_query_terms(25)
            .with_min_word_length(2)
            .with_document_fields(vec![
                (self.f.subject, vec![OwnedValue::Str(subject.to_string())]),
                (self.f.public, vec![OwnedValue::Str(first.to_string())]),
            ]);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(like) as Box<dyn TQuery>),
            (Occur::Must, Self::filter(self.f.status, "closed")),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.f.id, id),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut out = Vec::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            out.push((stored_text(&doc, self.f.id), score));
        }
        Ok(out)
    }
}
