use std::collections::BTreeMap;

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use crate::ui::output::{self, print};
use crate::ui::{complete, input};
use tix_core::domain::{Event, FieldType, Party, Stage};
use tix_core::error::{Error, Result};
use tix_core::ops::{self, Draft, NewTicket};

use super::prelude::{
    AttachArgs, BodyArgs, ChannelValue, CreateFormat, Ctx, PriorityValue, parse_field_args,
    report_rules,
};

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// The customer, as `Name <address>` or `address`
    #[arg(long, value_name = "ADDRESS")]
    pub customer: Option<String>,
    /// One line saying what the ticket is about
    #[arg(long)]
    pub subject: Option<String>,
    #[command(flatten)]
    pub body: BodyArgs,
    /// How urgent the ticket is
    #[arg(long, value_enum, default_value_t = PriorityValue::Normal)]
    pub priority: PriorityValue,
    /// Add a tag (repeatable)
    #[arg(long = "tag", value_name = "TAG", add = ArgValueCompleter::new(complete::tags))]
    pub tags: Vec<String>,
    /// Add someone to Cc (repeatable)
    #[arg(long = "cc", value_name = "ADDRESS")]
    pub cc: Vec<String>,
    /// Set a custom field (repeatable)
    #[arg(long = "field", value_name = "NAME=VALUE", add = ArgValueCompleter::new(complete::field_assignments))]
    pub fields: Vec<String>,
    /// How the request came in (default: the command line)
    #[arg(long, value_enum, value_name = "CHANNEL")]
    pub channel: Option<ChannelValue>,
    /// Open it in a department of `mail.departments` (its group, sender
    /// and templates)
    #[arg(long, value_name = "NAME", add = ArgValueCompleter::new(complete::departments))]
    pub department: Option<String>,
    /// Assign to an agent at once
    #[arg(long, value_name = "AGENT", add = ArgValueCompleter::new(complete::agents))]
    pub assign: Option<String>,
    #[command(flatten)]
    pub attach: AttachArgs,
    /// What to print: the id only (default when piped), text, or json
    #[arg(long, value_enum)]
    pub format: Option<CreateFormat>,
}

pub fn cmd_create(ctx: &Ctx, args: CreateArgs) -> Result<()> {
    let store = ctx.store()?;
    let actor = ctx.actor(&store)?;
    let config = store.config();

    let customer_text = match args.customer {
        Some(c) => c,
        None => input::prompt_or_fail("customer (Name <address>)", "--customer")?,
    };
    let customer =
        Party::parse(&customer_text).map_err(|e| Error::invalid(format!("--customer: {e}")))?;
    let subject = match args.subject {
        Some(s) => s,
        None => input::prompt_or_fail("subject", "--subject")?,
    };
    ops::check_subject(&subject)?;
    let cc = args
        .cc
        .iter()
        .map(|c| Party::parse(c).map_err(|e| Error::invalid(format!("--cc: {e}"))))
        .collect::<Result<Vec<_>>>()?;
    let mut tags = Vec::new();
    for t in &args.tags {
        ops::check_tag(t)?;
        if !tags
            .iter()
            .any(|have: &String| tix_core::domain::same_tag(have, t))
        {
            tags.push(t.clone());
        }
    }
    let mut fields: BTreeMap<_, _> = parse_field_args(config, &args.fields)?
        .into_iter()
        .collect();
    for def in config.required_fields(Stage::Create) {
        if fields.contains_key(&def.name) {
            continue;
        }
        let flag = format!("--field {}=VALUE", def.name);
        let raw = if def.field_type == FieldType::Choice {
            input::select_or_fail(&format!("field {}", def.name), &def.choices, &flag)?
        } else {
            input::prompt_or_fail(&format!("field {} ({})", def.name, def.field_type), &flag)?
        };
        fields.insert(
            def.name.clone(),
            def.parse_value(&raw).map_err(Error::invalid)?,
        );
    }
    // Before the editor opens, so no text is written in vain.
    let attachments = args.attach.read(config.max_attachment_bytes)?;
    // A description may be left out, but one given empty is a mistake (an
    // unset variable in `-m "$TEXT"`), refused as an empty reply is.
    let body = match args.body.given()? {
        Some(b) if b.trim().is_empty() => {
            return Err(Error::invalid("the description is empty")
                .with_hint("leave out -m/-F to open a ticket without one, or give the text"));
        }
        Some(b) => b,
        None if input::interactive() => input::edit(
            "\n# Describe the customer's request above. Lines starting with # are removed.\n",
        )?,
        None => String::new(),
    };
    let department = match &args.department {
        Some(name) => Some(ops::check_department(config, name)?),
        None => None,
    };
    let group = department.and_then(|d| d.group.clone());
    let mut extra = Vec::new();
    let mut unassigned = false;
    if let Some(who) = &args.assign {
        let who = if who == "me" {
            actor.handle.clone()
        } else {
            ops::check_assignee(config, who)?
        };
        extra.push(Draft::new(Event::Assign { to: Some(who) }));
    } else if ops::assign::is_automatic(config) {
        let state = ops::team::team_state(&store, ops::now()?)?;
        match ops::assign::assign(
            config,
            &state,
            group.as_deref(),
            ops::assign::Occasion::NewTicket,
        )? {
            Some(assignment) => extra.push(assignment.draft),
            None => unassigned = true,
        }
    }
    let outcome = ops::create_ticket(
        &store,
        &actor,
        NewTicket {
            created: Event::Created {
                subject,
                customer,
                cc,
                priority: args.priority.into(),
                tags,
                fields,
                channel: args.channel.map(Into::into),
                department: department.map(|d| d.name.clone()),
                group,
            },
            body,
            attachments,
            extra,
        },
    )?;
    for w in &outcome.warnings {
        output::warn(w);
    }
    if unassigned && outcome.ticket.assignee.is_none() {
        output::warn("left unassigned: every agent the rule could choose is away or at max_active");
    }
    let format = args.format.unwrap_or(if output::stdout_is_terminal() {
        CreateFormat::Text
    } else {
        CreateFormat::Ids
    });
    match format {
        CreateFormat::Ids => print(&format!("{}\n", outcome.id)),
        CreateFormat::Text => print(&format!(
            "Created ticket {}: {}\n",
            outcome.id, outcome.ticket.subject
        )),
        CreateFormat::Json => print(&output::json(&outcome.ticket)?),
    }?;
    report_rules(&store, &outcome);
    Ok(())
}
