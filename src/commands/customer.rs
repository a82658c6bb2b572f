//! `tix customer` (one person's card) and `tix customers` (the directory,
//! or an organisation).

use clap::{Args, ValueEnum};

use crate::ui::output::{self, print};
use tix_core::domain::Timestamp;
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::ops;
use tix_core::query::customers::{
    self, Card, CardTicket, DirectoryOptions, Figures, OrganisationView, PeopleSort, Person,
};
use tix_core::report::human;

use super::prelude::{BodyArgs, Ctx, ListFormat, ListOutput, TextFormat, TextOutput};

#[derive(Args, Debug)]
pub struct CustomerArgs {
    /// The person's address (any case)
    #[arg(value_name = "EMAIL")]
    pub email: String,
    /// Add a note about the person (text from -m, -F or the editor),
    /// shown on their card; notes are never changed, only added
    #[arg(long)]
    pub note: bool,
    #[command(flatten)]
    pub body: BodyArgs,
    #[command(flatten)]
    pub output: TextOutput,
}

#[derive(Args, Debug)]
pub struct CustomersArgs {
    /// Only this organisation (a domain, or a name from `organisations`),
    /// with its figures and tickets
    #[arg(long, value_name = "DOMAIN|NAME")]
    pub org: Option<String>,
    /// Order of the people
    #[arg(long, value_enum, default_value_t = SortPeople::Tickets)]
    pub sort: SortPeople,
    /// Print at most N people
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub output: ListOutput,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortPeople {
    /// Most tickets as customer first
    Tickets,
    /// Latest contact first
    Recent,
    /// By name, then address
    Name,
}

impl From<SortPeople> for PeopleSort {
    fn from(v: SortPeople) -> PeopleSort {
        match v {
            SortPeople::Tickets => PeopleSort::Tickets,
            SortPeople::Recent => PeopleSort::Recent,
            SortPeople::Name => PeopleSort::Name,
        }
    }
}

pub fn cmd_customer(ctx: &Ctx, args: CustomerArgs) -> Result<()> {
    let store = ctx.store()?;
    if args.note {
        let text = args.body.required("note")?;
        let actor = ctx.actor(&store)?;
        let lock = store.lock()?;
        let committed = ops::customers::add_note(&store, &lock, &actor, &args.email, &text)?;
        if let Some(w) = committed.warning {
            output::warn(&w);
        }
        return print("noted\n");
    }
    if args.body.given()?.is_some() {
        return Err(Error::new(
            ErrorKind::Usage,
            "-m and -F give the text of a note: add --note",
        ));
    }
    let card = customers::card(&store, &args.email, ops::now()?)?;
    match args.output.format {
        TextFormat::Json => print(&output::json(&card)?),
        TextFormat::Text => print(&card_text(&card)),
    }
}

pub fn cmd_customers(ctx: &Ctx, args: CustomersArgs) -> Result<()> {
    let store = ctx.store()?;
    let options = DirectoryOptions {
        sort: args.sort.into(),
        limit: args.limit,
    };
    let format = output::list_format(args.output.format);
    match &args.org {
        Some(org) => {
            let view = customers::organisation(&store, org, &options, ops::now()?)?;
            match format {
                ListFormat::Json => print(&output::json(&view)?),
                ListFormat::Table => print(&organisation_text(&view)),
                _ => people(&view.people, format),
            }
        }
        None => {
            let people_found = customers::directory(&store, &options)?;
            match format {
                ListFormat::Json => print(&output::json(&people_found)?),
                _ => people(&people_found, format),
            }
        }
    }
}

fn time(t: Option<Timestamp>) -> String {
    t.map(|t| t.to_short()).unwrap_or_default()
}

fn median(s: Option<i64>) -> String {
    s.map_or_else(
        || "none yet".to_string(),
        |s| format!("{} median", human(s)),
    )
}

fn figures_text(f: &Figures, out: &mut String) {
    out.push_str(&format!(
        "Tickets:         {} ({} open, {} closed), {} in the last 12 months",
        f.tickets, f.open, f.closed, f.last_12_months
    ));
    if f.cc > 0 {
        out.push_str(&format!("; in Cc on {} more", f.cc));
    }
    out.push('\n');
    if let Some(o) = &f.oldest_open {
        out.push_str(&format!(
            "Oldest open:     {} ({} old)\n",
            o.id,
            human(o.age_seconds)
        ));
    }
    out.push_str(&format!(
        "First response:  {}\nResolution:      {}\nSLA breaches:    {}\n",
        median(f.first_response_median_seconds),
        median(f.resolution_median_seconds),
        f.sla_breaches
    ));
    if f.csat_surveyed > 0 {
        out.push_str(&format!(
            "CSAT:            {} ({} of {} surveys answered)\n",
            f.csat_percent
                .map(|p| format!("{p}% good"))
                .unwrap_or_else(|| "no answer yet".into()),
            f.csat_rated,
            f.csat_surveyed
        ));
    }
}

const TICKET_HEADER: [&str; 6] = ["id", "status", "role", "assignee", "subject", "updated"];

fn ticket_rows(tickets: &[CardTicket]) -> Vec<Vec<String>> {
    tickets
        .iter()
        .map(|t| {
            let role = match &t.person {
                Some(p) => format!("{} {p}", t.role.as_str()),
                None => t.role.as_str().to_string(),
            };
            vec![
                t.id.to_string(),
                t.status.as_str().to_string(),
                role,
                t.assignee.clone().unwrap_or_default(),
                t.subject.clone(),
                time(t.updated_at),
            ]
        })
        .collect()
}

fn card_text(card: &Card) -> String {
    let mut out = String::new();
    match card.names.first() {
        Some(name) => out.push_str(&format!("{name} <{}>\n", card.email)),
        None => out.push_str(&format!("{}\n", card.email)),
    }
    if card.names.len() > 1 {
        out.push_str(&format!(
            "Also seen as:    {}\n",
            card.names[1..].join(", ")
        ));
    }
    out.push_str(&format!(
        "Organisation:    {}\n",
        card.organisation
            .as_ref()
            .map_or("none (free mail)".to_string(), |o| o.name.clone())
    ));
    out.push_str(&format!(
        "Contact:         {} to {}\n",
        time(card.first_contact),
        time(card.last_contact)
    ));
    figures_text(&card.figures, &mut out);
    for note in &card.notes {
        out.push_str(&format!(
            "\nNote by {}, {}:\n{}\n",
            note.by,
            note.at.to_short(),
            note.text
        ));
    }
    out.push('\n');
    out.push_str(&output::table(&TICKET_HEADER, &ticket_rows(&card.tickets)));
    output::terminal_safe(&out).into_owned()
}

fn organisation_text(view: &OrganisationView) -> String {
    let mut out = format!(
        "{} ({})\nPeople:          {}\n",
        view.organisation.name,
        view.organisation.domains.join(", "),
        view.people.len()
    );
    figures_text(&view.figures, &mut out);
    out.push('\n');
    out.push_str(&output::table(
        &PEOPLE_HEADER,
        &people_rows(&view.people, true),
    ));
    out.push('\n');
    if view.tickets.is_empty() {
        out.push_str("No tickets.\n");
    } else {
        out.push_str(&output::table(&TICKET_HEADER, &ticket_rows(&view.tickets)));
    }
    output::terminal_safe(&out).into_owned()
}

const PEOPLE_HEADER: [&str; 8] = [
    "email",
    "name",
    "organisation",
    "as_customer",
    "open",
    "as_cc",
    "first_contact",
    "last_contact",
];

fn people_rows(people: &[Person], short_times: bool) -> Vec<Vec<String>> {
    let t = |v: Option<Timestamp>| {
        v.map(|v| {
            if short_times {
                v.to_short()
            } else {
                v.to_rfc3339()
            }
        })
        .unwrap_or_default()
    };
    people
        .iter()
        .map(|p| {
            vec![
                p.email.clone(),
                p.names.first().cloned().unwrap_or_default(),
                p.organisation.clone().unwrap_or_default(),
                p.tickets.to_string(),
                p.open.to_string(),
                p.cc.to_string(),
                t(p.first_contact),
                t(p.last_contact),
            ]
        })
        .collect()
}

fn people(people: &[Person], format: ListFormat) -> Result<()> {
    match format {
        ListFormat::Json => print(&output::json(&people)?),
        ListFormat::Ids => print(
            &people
                .iter()
                .map(|p| format!("{}\n", p.email))
                .collect::<String>(),
        ),
        ListFormat::Csv => print(&output::csv(&PEOPLE_HEADER, &people_rows(people, false))?),
        ListFormat::Tsv => print(&output::tsv(&PEOPLE_HEADER, &people_rows(people, false))),
        ListFormat::Table if people.is_empty() => print("No customers.\n"),
        ListFormat::Table => print(&output::table(&PEOPLE_HEADER, &people_rows(people, true))),
    }
}
