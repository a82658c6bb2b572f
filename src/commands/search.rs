//! `tix search`: tickets by words, phrases and filters, best match first.

use clap::{Args, ValueEnum};

use crate::ui::output::{self, Style, print};
use tix_core::domain::Timestamp;
use tix_core::error::Result;
use tix_core::ops;
use tix_core::search::{self, Hit, SearchOptions, Snippet};

use super::prelude::{Ctx, ListFormat, ListOutput};

pub const LONG_ABOUT: &str = "Search tickets by words, phrases and filters.\n\n\
Every word must match (case and accents do not matter; Cyrillic, Greek,\n\
Han and kana are found as typed). The query language:\n\n\
  printer              a word, in the subject, any message, reply or note,\n\
                       an attachment's name, a person's name or address,\n\
                       a tag or a custom field's value\n\
  \"error 42\"           a phrase: the words together, in this order\n\
  -toner  -\"paper jam\" leave out tickets with this word or phrase\n\
  id:7K3F              the ticket\n\
  from:ann@example.com the customer or anyone who wrote (address or name);\n\
                       customer: is the same\n\
  cc:bob               someone in Cc\n\
  org:example.com      the customer's mail domain\n\
  agent:bob            the assignee (assignee: is the same); is:assigned,\n\
                       is:unassigned\n\
  tag:billing  status:closed  priority:high  group:l2\n\
  field:product=widget a custom field; a declared field also as product:widget\n\
  after:2026-01-01  before:7d  on:2026-03-02\n\
                       created on or after, before, on that day (dates in\n\
                       the display zone; 7d, 12h, 2w: that long ago)\n\
  has:attachment  is:locked  is:open (any status)\n\
  in:notes  in:public  look for the words only in internal notes, or only\n\
                       in what the customer saw\n\n\
Any filter can be excluded with -, as -tag:spam. Results are ranked by\n\
relevance (BM25, the subject counting double), newest activity breaking\n\
ties; each shows the line that matched best. --public leaves internal\n\
notes out of matching and of the snippets, for a customer-facing view.\n\n\
The index lives in .git/tix/search/, is never committed, and is brought\n\
up to date when a search runs, from whatever changed the tickets (tix, a\n\
pull, a revert, a hand edit committed with git). A malformed query exits\n\
with 2, naming the term. docs/search.md has the details.";

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// What to look for (see above); quote it as one argument, or give it
    /// as several
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// Order of the results
    #[arg(long, value_enum, default_value_t = SortKey::Relevance)]
    pub sort: SortKey,
    /// Print at most N tickets
    #[arg(long, value_name = "N", default_value_t = search::DEFAULT_LIMIT)]
    pub limit: usize,
    /// Leave internal notes out of matching and snippets (a customer-facing
    /// search)
    #[arg(long)]
    pub public: bool,
    #[command(flatten)]
    pub output: ListOutput,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Best match first, newest activity breaking ties
    Relevance,
    /// Last activity, newest first
    Updated,
    /// Creation time, newest first
    Created,
}

impl From<SortKey> for search::Sort {
    fn from(v: SortKey) -> search::Sort {
        match v {
            SortKey::Relevance => search::Sort::Relevance,
            SortKey::Updated => search::Sort::Updated,
            SortKey::Created => search::Sort::Created,
        }
    }
}

pub fn cmd_search(ctx: &Ctx, args: SearchArgs) -> Result<()> {
    let store = ctx.store()?;
    let query = args.query.join(" ");
    let options = SearchOptions {
        query: &query,
        sort: args.sort.into(),
        limit: args.limit,
        public: args.public,
        now: ops::now()?,
    };
    let hits = search::search(&store, &options)?;
    render(&hits, output::list_format(args.output.format))
}

const HEADER: [&str; 11] = [
    "id", "score", "status", "priority", "assignee", "customer", "subject", "tags", "created",
    "updated", "snippet",
];

fn cells(hit: &Hit) -> Vec<String> {
    let c = &hit.card;
    let time = |t: Option<Timestamp>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    vec![
        c.id.to_string(),
        format!("{:.3}", hit.score),
        status(hit),
        c.priority.as_str().to_string(),
        c.assignee.clone().unwrap_or_default(),
        c.customer
            .as_ref()
            .map(|p| p.email.clone())
            .unwrap_or_default(),
        c.subject.clone(),
        c.tags.join(","),
        time(c.created_at),
        time(c.updated_at),
        hit.snippet
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default(),
    ]
}

fn status(hit: &Hit) -> String {
    if hit.card.locked {
        format!("{} (locked)", hit.card.status)
    } else {
        hit.card.status.as_str().to_string()
    }
}

fn render(hits: &[Hit], format: ListFormat) -> Result<()> {
    match format {
        ListFormat::Json => print(&output::json(&hits)?),
        ListFormat::Ids => print(
            &hits
                .iter()
                .map(|h| format!("{}\n", h.card.id))
                .collect::<String>(),
        ),
        ListFormat::Csv => print(&output::csv(
            &HEADER,
            &hits.iter().map(cells).collect::<Vec<_>>(),
        )?),
        ListFormat::Tsv => {
            let mut out = output::Tsv::new(&HEADER, hits.len());
            for hit in hits {
                for cell in cells(hit) {
                    out.cell(&cell);
                }
                out.end_row();
            }
            print(&out.finish())
        }
        ListFormat::Table => {
            if hits.is_empty() {
                return print("No tickets match.\n");
            }
            let rows: Vec<Vec<String>> = hits
                .iter()
                .map(|h| {
                    let c = &h.card;
                    vec![
                        c.id.to_string(),
                        format!("{:.2}", h.score),
                        status(h),
                        c.customer
                            .as_ref()
                            .map(|p| p.name.clone().unwrap_or_else(|| p.email.clone()))
                            .unwrap_or_default(),
                        c.subject.clone(),
                        c.updated_at.map(|t| t.to_short()).unwrap_or_default(),
                    ]
                })
                .collect();
            let header = ["ID", "Score", "Status", "Customer", "Subject", "Updated"];
            let table = output::table(&header, &rows);
            // The table has a line per row after its header; each result's
            // snippet goes on the line below its row.
            let lines: Vec<&str> = table.lines().collect();
            let head = lines.len().saturating_sub(hits.len());
            let style = Style {
                on: output::stdout_color(),
            };
            let mut out = String::new();
            for line in &lines[..head] {
                out.push_str(line);
                out.push('\n');
            }
            for (line, hit) in lines[head..].iter().zip(hits) {
                out.push_str(line);
                out.push('\n');
                if let Some(s) = &hit.snippet {
                    out.push_str("    ");
                    out.push_str(&marked(s, style));
                    out.push('\n');
                }
            }
            print(&out)
        }
    }
}

/// The snippet with its matched words in bold (when colour is on).
fn marked(snippet: &Snippet, style: Style) -> String {
    let text = &snippet.text;
    let mut out = String::new();
    let mut at = 0;
    for &(from, to) in &snippet.marks {
        if from < at || to > text.len() {
            continue;
        }
        out.push_str(&output::terminal_safe(&text[at..from]));
        out.push_str(&style.bold(&output::terminal_safe(&text[from..to])));
        at = to;
    }
    out.push_str(&output::terminal_safe(&text[at..]));
    out
}
