//! `tix rules`: the automation rules in order with how often each fired;
//! `tix rules test ID`: what they would do to a ticket now, writing
//! nothing.

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use crate::ui::complete;
use crate::ui::output::{self, TextFormat, print};
use tix_core::domain::automation::Trigger;
use tix_core::error::{Error, Result};
use tix_core::ops;
use tix_core::rules::automation::{self, RECENT_DAYS};

use super::prelude::{Ctx, TextOutput};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: Option<RulesCommand>,
    #[command(flatten)]
    pub output: TextOutput,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Which rules would fire on a ticket now and what they would do,
    /// writing nothing and sending nothing
    Test(TestArgs),
}

#[derive(Args, Debug)]
pub struct TestArgs {
    /// The ticket
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// The event to test (created, customer-message, agent-reply, note,
    /// status, assigned, tag, priority, field, escalated, idle); every
    /// event some rule waits for when not given
    #[arg(long, value_name = "EVENT")]
    pub on: Option<String>,
    #[command(flatten)]
    pub output: TextOutput,
}

pub fn cmd_rules(ctx: &Ctx, args: RulesArgs) -> Result<()> {
    match args.command {
        Some(RulesCommand::Test(test)) => cmd_test(ctx, test),
        None => cmd_list(ctx, args.output.format),
    }
}

fn cmd_list(ctx: &Ctx, format: TextFormat) -> Result<()> {
    let store = ctx.store()?;
    let lines = automation::overview(&store, ops::now()?)?;
    if format == TextFormat::Json {
        return print(&output::json(&lines)?);
    }
    if lines.is_empty() {
        return print("No rules (see docs/rules.md for the `rules:` of .tix/config.yaml).\n");
    }
    let mut out = String::new();
    for l in &lines {
        out.push_str(&format!(
            "{}. {}  (on {})\n   if: {}\n   do: {}\n   fired {} time{} on {} ticket{} in the last {RECENT_DAYS} days{}\n",
            l.position,
            l.name,
            l.on.join(", "),
            l.conditions,
            l.actions.join("; "),
            l.fired,
            if l.fired == 1 { "" } else { "s" },
            l.tickets,
            if l.tickets == 1 { "" } else { "s" },
            l.last_fired
                .map(|t| format!(", last {}", t.to_short_labelled()))
                .unwrap_or_default()
        ));
    }
    print(&output::for_stdout(&out))
}

fn cmd_test(ctx: &Ctx, args: TestArgs) -> Result<()> {
    let store = ctx.store()?;
    let id = store.resolve_id(&args.id)?;
    let on = match args.on.as_deref() {
        None => None,
        Some(text) => Some(Trigger::parse(text).map_err(|e| Error::invalid(format!("--on: {e}")))?),
    };
    let verdicts = automation::test(&store, id, on)?;
    if args.output.format == TextFormat::Json {
        return print(&output::json(&serde_json::json!({
            "ticket": id.to_string(),
            "written": false,
            "rules": verdicts,
        }))?);
    }
    if verdicts.is_empty() {
        return print(&format!(
            "No rule waits for {}.\n",
            on.map(|t| format!("`{t}`"))
                .unwrap_or_else(|| "any event".into())
        ));
    }
    let mut out = String::new();
    let mut event = "";
    for v in &verdicts {
        if v.event != event {
            event = &v.event;
            out.push_str(&format!("on {event}:\n"));
        }
        if v.fires {
            out.push_str(&format!("  fires  {}\n", v.rule));
            for c in v.changes.iter().chain(&v.mail) {
                out.push_str(&format!("         {c}\n"));
            }
            if v.changes.is_empty() && v.mail.is_empty() && v.problems.is_empty() {
                out.push_str("         (nothing left to change)\n");
            }
            for p in &v.problems {
                out.push_str(&format!("         (cannot: {p})\n"));
            }
        } else {
            out.push_str(&format!(
                "  -      {}: {}\n",
                v.rule,
                v.why_not.as_deref().unwrap_or("")
            ));
        }
    }
    out.push_str("Nothing was written or sent.\n");
    print(&output::for_stdout(&out))
}
