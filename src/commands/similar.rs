//! `tix similar`: closed tickets like one, resolved ones first, with
//! what solved them.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, print};
use tix_core::error::Result;
use tix_core::search::similar::{self, Freshness, SimilarOptions, SimilarTicket};

use super::prelude::{Ctx, ListFormat, ListOutput};

pub const LONG_ABOUT: &str = "Closed tickets like this one, with what solved them.\n\n\
Compares the ticket's subject and first message with the subject and\n\
public text of every closed ticket (the search index's BM25 over the\n\
text's most telling words). Resolved tickets (with a `tix resolution`\n\
or `tix close --resolution`) come first, then the others, best first.\n\
The score is a share of the best the text could score: tickets under\n\
0.09 are not shown, so a ticket like no other gets no list rather than\n\
noise. Never the ticket itself, a ticket merged into it, or a merged\n\
pointer (its text is on the ticket it was merged into). docs/search.md\n\
has the details.";

#[derive(Args, Debug)]
pub struct SimilarArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Print at most N tickets
    #[arg(long, value_name = "N", default_value_t = similar::DEFAULT_LIMIT)]
    pub limit: usize,
    /// Tickets of any status, not only closed ones (to find a duplicate to merge)
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub output: ListOutput,
}

pub fn cmd_similar(ctx: &Ctx, args: SimilarArgs) -> Result<()> {
    let store = ctx.store()?;
    let id = store.resolve_id(&args.id)?;
    let options = SimilarOptions {
        limit: args.limit,
        any_status: args.all,
        resolved_only: false,
        freshness: Freshness::Current,
    };
    let found = similar::similar(&store, id, &options)?;
    render(&found.tickets, output::list_format(args.output.format))
}

const HEADER: [&str; 7] = [
    "id",
    "score",
    "status",
    "customer",
    "subject",
    "closed",
    "resolution",
];

fn cells(t: &SimilarTicket) -> Vec<String> {
    vec![
        t.id.to_string(),
        format!("{:.3}", t.score),
        t.status.as_str().to_string(),
        t.customer
            .as_ref()
            .map(|p| p.email.clone())
            .unwrap_or_default(),
        t.subject.clone(),
        t.closed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        t.resolution.clone().unwrap_or_default(),
    ]
}

fn render(found: &[SimilarTicket], format: ListFormat) -> Result<()> {
    match format {
        ListFormat::Json => print(&output::json(&found)?),
        ListFormat::Ids => print(
            &found
                .iter()
                .map(|t| format!("{}\n", t.id))
                .collect::<String>(),
        ),
        ListFormat::Csv => print(&output::csv(
            &HEADER,
            &found.iter().map(cells).collect::<Vec<_>>(),
        )?),
        ListFormat::Tsv => {
            let mut out = output::Tsv::new(&HEADER, found.len());
            for t in found {
                for cell in cells(t) {
                    out.cell(&cell);
                }
                out.end_row();
            }
            print(&out.finish())
        }
        ListFormat::Table => {
            if found.is_empty() {
                return print("No similar tickets.\n");
            }
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|t| {
                    vec![
                        t.id.to_string(),
                        format!("{:.2}", t.score),
                        t.customer
                            .as_ref()
                            .map(|p| p.name.clone().unwrap_or_else(|| p.email.clone()))
                            .unwrap_or_default(),
                        t.subject.clone(),
                        t.closed_at.map(|t| t.to_short()).unwrap_or_default(),
                        t.resolution
                            .as_deref()
                            .map(similar::first_line)
                            .unwrap_or("-")
                            .to_string(),
                    ]
                })
                .collect();
            let header = ["ID", "Score", "Customer", "Subject", "Closed", "Resolution"];
            print(&output::table(&header, &rows))
        }
    }
}
