//! `tix show`: a ticket's state and its whole trail, oldest first.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;
use serde_json::{Map, Value, json};

use crate::ui::complete;
use crate::ui::output::{self, Style, print, warn};
use tix_core::domain::public;
use tix_core::domain::{
    DeliveryStatus, Event, LinkRel, MailMeta, Ticket, TicketId, Timestamp, TrailItem,
};
use tix_core::error::Result;
use tix_core::ops;
use tix_core::query::tasks::{self as tasks, MergedTask};
use tix_core::search::similar::{self, IndexUse, Similar};

use super::prelude::{Ctx, TextFormat, TextOutput};

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Ticket id, or any unique prefix of it
    #[arg(add = ArgValueCompleter::new(complete::ticket_ids))]
    pub id: String,
    /// Leave out internal notes and internal changes: what the customer may see
    #[arg(long)]
    pub public: bool,
    #[command(flatten)]
    pub output: TextOutput,
}

pub fn cmd_show(ctx: &Ctx, args: ShowArgs) -> Result<()> {
    let store = ctx.store()?;
    let id = store.resolve_id(&args.id)?;
    let folded = store.read_folded(&id)?;
    for p in &folded.problems {
        warn(&format!(
            "{}: {} (entry skipped; `tix check` lists all problems)",
            p.path, p.message
        ));
    }
    for notice in &folded.notices {
        warn(notice);
    }
    let (ticket, trail) = (folded.ticket, folded.trail);
    let linked_from = store.links_to(id)?;
    // Internal work, like the tasks themselves: not in a customer's view.
    let merged_tasks = if args.public {
        Vec::new()
    } else {
        tasks::of_merged(&store, &ticket)?
    };
    // Offered to agents only: what solved other customers' problems is
    // no part of this customer's view.
    let similar = if args.public {
        None
    } else {
        similar::resolved_for(&store, &ticket, &trail)
    };
    let trail: Vec<TrailItem> = trail
        .into_iter()
        // The customer sees each close and closing message once.
        .filter(|item| !args.public || (public::is_public(&item.entry.event) && !item.redundant))
        .map(|mut item| {
            // A close's text is an internal resolution note.
            if args.public && matches!(item.entry.event, Event::Close {}) {
                item.entry.body.clear();
            }
            item
        })
        .collect();
    let trail: Vec<&TrailItem> = trail.iter().collect();
    match args.output.format {
        TextFormat::Json => {
            let entries: Vec<Value> = trail.iter().map(|i| entry_json(i)).collect();
            let linked_from: Vec<Value> = linked_from
                .iter()
                .map(|(rel, source)| json!({ "rel": rel, "source": source }))
                .collect();
            let mut out = json!({
                "ticket": ticket,
                "linked_from": linked_from,
                "entries": entries,
            });
            out["open_tasks"] = json!(ticket.open_tasks().collect::<Vec<_>>());
            out["merged_open_tasks"] = json!(merged_tasks);
            if let Some(similar) = &similar {
                out["similar_resolved"] = json!(similar.tickets);
                out["similar_index"] = json!(similar.index);
            }
            print(&output::json(&out)?)
        }
        TextFormat::Text => print(&render(
            (&ticket, &merged_tasks),
            &linked_from,
            similar.as_ref(),
            &trail,
            Style {
                on: output::stdout_color(),
            },
            output::stdout_is_terminal(),
            ops::now()?,
        )),
    }
}

/// A link as read from its target's side.
fn reverse_rel(rel: LinkRel) -> &'static str {
    match rel {
        LinkRel::Related => "related",
        LinkRel::DuplicateOf => "duplicated by",
        LinkRel::ParentOf => "child of",
    }
}

/// An entry as JSON: its front matter fields plus `entry_file` (the entry's
/// file name), `body` and, when it did not apply, `not_applied` (and
/// `copy_of` when it repeats another entry).
pub fn entry_json(item: &TrailItem) -> Value {
    let mut map = match serde_json::to_value(&item.entry.event) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    map.insert("entry_file".into(), item.file.clone().into());
    map.insert("at".into(), item.entry.at.to_rfc3339().into());
    map.insert("seq".into(), item.entry.seq.into());
    map.insert("author".into(), item.entry.author.clone().into());
    if let Some(by) = &item.entry.by {
        map.insert("by".into(), by.clone().into());
    }
    if let Some(rule) = &item.entry.rule {
        map.insert("rule".into(), rule.clone().into());
    }
    if let Some(r) = &item.redacted {
        map.insert(
            "redacted".into(),
            serde_json::json!({"by": r.by, "at": r.at.to_rfc3339(), "reason": r.reason.trim()}),
        );
    }
    map.insert("body".into(), item.entry.body.clone().into());
    if let Some(why) = &item.not_applied {
        map.insert("not_applied".into(), why.clone().into());
    }
    if item.outsider {
        map.insert("outsider".into(), true.into());
    }
    if let Some(original) = &item.copy_of {
        map.insert("copy_of".into(), original.clone().into());
    }
    if let Some(origin) = &item.origin {
        map.insert("origin".into(), origin.as_str().into());
    }
    Value::Object(map)
}

/// `ticket`: the ticket, and the open tasks of those merged into it.
fn render(
    (t, merged_tasks): (&Ticket, &[MergedTask]),
    linked_from: &[(LinkRel, TicketId)],
    similar: Option<&Similar>,
    trail: &[&TrailItem],
    s: Style,
    safe: bool,
    now: Timestamp,
) -> String {
    // Text from customers, mail and the store, made harmless for a
    // terminal when the output goes to one; our own styling is added
    // after, so it survives.
    let c = |text: &str| -> String {
        if safe {
            output::terminal_safe(text).into_owned()
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    out.push_str(&format!(
        "{}  {}\n",
        s.bold(t.id.as_str()),
        s.bold(&c(&t.subject))
    ));
    let mut line = format!(
        "status: {}   priority: {}   assignee: {}",
        t.status,
        t.priority,
        t.assignee.as_deref().unwrap_or("-")
    );
    if let Some(g) = &t.group {
        line.push_str(&format!("   group: {g}"));
    }
    if t.reopened > 0 {
        line.push_str(&format!("   reopened: {}", t.reopened));
    }
    out.push_str(&c(&line));
    out.push('\n');
    if let Some(customer) = &t.customer {
        out.push_str(&c(&format!("customer: {customer}\n")));
    }
    if !t.cc.is_empty() {
        let cc: Vec<String> = t.cc.iter().map(ToString::to_string).collect();
        out.push_str(&c(&format!("cc: {}\n", cc.join(", "))));
    }
    if !t.tags.is_empty() {
        let tags: Vec<&str> = t.tags.iter().map(String::as_str).collect();
        out.push_str(&c(&format!("tags: {}\n", tags.join(", "))));
    }
    for (name, value) in &t.fields {
        out.push_str(&c(&format!("{name}: {value}\n")));
    }
    for link in &t.links {
        out.push_str(&format!("link: {} {}\n", link.rel, link.target));
    }
    for (rel, source) in linked_from {
        out.push_str(&format!("link: {} {source}\n", reverse_rel(*rel)));
    }
    if let Some(until) = t.snoozed_until {
        out.push_str(&format!("snoozed until: {}\n", until.to_short_labelled()));
    }
    if let (Some(at), Some(by)) = (t.created_at, &t.created_by) {
        let mut line = format!("created: {} by {by}", at.to_short_labelled());
        if let Some(u) = t.updated_at {
            line.push_str(&format!("   updated: {}", u.to_short_labelled()));
        }
        out.push_str(&c(&line));
        out.push('\n');
    }
    if let Some(target) = t.merged_into {
        out.push_str(&s.red(&format!(
            "merged into {target}: this ticket is a closed pointer; its trail goes on there\n"
        )));
    }
    if !t.merged_from.is_empty() {
        let from: Vec<&str> = t.merged_from.keys().map(TicketId::as_str).collect();
        out.push_str(&format!("merged from: {}\n", from.join(", ")));
    }
    if let Some(split) = &t.split_from {
        out.push_str(&format!(
            "split from: {} ({} entr{})\n",
            split.ticket,
            split.entries.len(),
            if split.entries.len() == 1 { "y" } else { "ies" }
        ));
    }
    if let Some(resolution) = &t.resolution {
        let first = resolution.lines().next().unwrap_or_default();
        out.push_str(&c(&format!("resolution: {first}\n")));
    }
    if let Some(lock) = &t.locked {
        out.push_str(&s.red(&c(&format!(
            "LOCKED by {} at {}",
            lock.by,
            lock.at.to_short_labelled()
        ))));
        out.push('\n');
    }
    for (entry, why) in &t.bounced {
        out.push_str(&s.red(&format!("BOUNCED: {entry} ({why})\n")));
    }
    if t.open_tasks().next().is_some() {
        out.push_str("open tasks:\n");
        for task in t.open_tasks() {
            out.push_str(&task_line(&format!("{}.", task.number), task, s, &c, now));
        }
    }
    if !merged_tasks.is_empty() {
        out.push_str("open tasks of tickets merged into this one (change them by their ticket: tix task done SOURCE N):\n");
        for m in merged_tasks {
            let place = format!("{} {}.", m.ticket, m.task.number);
            out.push_str(&task_line(&place, &m.task, s, &c, now));
        }
    }
    if let Some(similar) = similar {
        out.push_str(&similar_section(similar, s, &c));
    }
    // Tracks the status along the trail so a reopening reads as one.
    let mut closed = false;
    for item in trail {
        out.push('\n');
        let e = &item.entry;
        let reopened = item.not_applied.is_none()
            && closed
            && matches!(e.event, Event::Status { to, .. } if to != tix_core::domain::Status::Closed);
        if item.not_applied.is_none() {
            match e.event {
                Event::Close {}
                | Event::Status {
                    to: tix_core::domain::Status::Closed,
                    ..
                } => closed = true,
                Event::Status { .. } => closed = false,
                _ => {}
            }
        }
        let who = match (&e.by, &e.rule) {
            (Some(by), _) => format!("{} (by {by})", e.author),
            (None, Some(rule)) => format!("{} (rule {rule})", e.author),
            (None, None) => e.author.clone(),
        };
        let head = match item.origin {
            Some(origin) => c(&format!("{}  {who}  [{origin}]", e.at.to_short_labelled())),
            None => c(&format!("{}  {who}", e.at.to_short_labelled())),
        };
        let label = match &e.event {
            Event::Created { customer, .. } => s.cyan(&c(&format!("opened for {customer}"))),
            Event::Message { from, .. } => s.cyan(&c(&format!("message from {from}"))),
            Event::Reply { .. } => s.cyan("public reply"),
            Event::Call { .. } | Event::Chat {} => s.cyan(&contact_label(&e.event)),
            Event::Note { .. } => s.yellow("INTERNAL NOTE"),
            Event::Resolution {} => s.cyan("RESOLUTION"),
            Event::Status { to, .. } if reopened => s.cyan(&format!("REOPENED: status {to}")),
            other => c(&describe_on(t, other)),
        };
        out.push_str(&format!("{}  {label}\n", s.dim(&head)));
        if let Some(why) = &item.not_applied {
            out.push_str(&s.red(&c(&format!("! {why}"))));
            out.push('\n');
        }
        if item.origin.is_none()
            && let Some(to) = t.split_off.get(&item.file)
        {
            out.push_str(&s.dim(&format!("→ split off: continues on {to}\n")));
        }
        // The original stands just above or below: its text once is enough.
        if item.copy_of.is_some() {
            continue;
        }
        if let (true, Event::Message { from, .. }) = (item.outsider, &e.event) {
            out.push_str(&s.red(&format!(
                "! {} takes no part in this ticket: the message threaded by its headers only; \
                 replies do not go to them (`tix cc {} --add {}` includes them)\n",
                from.email, t.id, from.email
            )));
        }
        if let Some(mail) = e.event.mail() {
            out.push_str(&s.dim(&c(&mail_line(mail))));
            out.push('\n');
        }
        if !e.body.is_empty() {
            let body = c(&e.body);
            if matches!(e.event, Event::Note { .. }) {
                for l in body.lines() {
                    out.push_str(&format!("{} {l}\n", s.yellow("|")));
                }
            } else {
                out.push_str(&body);
                if !body.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// The resolved tickets like this one, and a word when the index could
/// not be used as it is (a missing index is no news: nothing to offer).
/// One open task of `show`, after `place` (its number, or its ticket
/// and number): text, assignee, deadline, the entry it came from, and
/// OVERDUE in red once the deadline passed.
fn task_line(
    place: &str,
    task: &tix_core::domain::Task,
    s: Style,
    c: &dyn Fn(&str) -> String,
    now: Timestamp,
) -> String {
    let mut line = format!("  {place} {}", task.text.lines().next().unwrap_or_default());
    if let Some(a) = &task.assignee {
        line.push_str(&format!("  [{a}]"));
    }
    if let Some(due) = task.due {
        line.push_str(&format!("  due {}", due.to_short_labelled()));
    }
    if let Some(entry) = &task.from {
        line.push_str(&format!("  (from {entry})"));
    }
    let line = c(&line);
    if task.is_overdue(now) {
        format!("{}\n", s.red(&format!("{line}  OVERDUE")))
    } else {
        format!("{line}\n")
    }
}

fn similar_section(similar: &Similar, s: Style, c: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    if !similar.tickets.is_empty() {
        out.push_str("similar resolved:\n");
        for t in &similar.tickets {
            let resolution = t.resolution.as_deref().map(similar::first_line);
            out.push_str(&c(&format!(
                "  {}  {} — {}\n",
                t.id,
                t.subject,
                resolution.unwrap_or_default()
            )));
        }
    }
    match &similar.index {
        IndexUse::Current => {}
        IndexUse::Behind { shards } => out.push_str(&s.dim(&format!(
            "(similar resolved: from the search index as last updated, {shards} shard{} behind; \
             `tix similar {}` brings it up to date)\n",
            if *shards == 1 { "" } else { "s" },
            similar.asked
        ))),
        IndexUse::Unavailable { why } if why.as_str() != similar::NOT_BUILT => {
            out.push_str(&s.dim(&c(&format!(
                "(similar resolved: not shown, the search index is {why}; `tix similar {}` builds it again)\n",
                similar.asked
            ))))
        }
        IndexUse::Unavailable { .. } => {}
    }
    out
}

/// What a reader of the trail wants to know about a message that came by
/// mail, and where to find the rest of it.
fn mail_line(mail: &MailMeta) -> String {
    let mut parts = vec![format!(
        "by e-mail, sent {}{}",
        mail.sent_at.to_short_labelled(),
        if mail.date_missing {
            " (no usable Date header)"
        } else {
            ""
        }
    )];
    if let Some(noise) = &mail.noise {
        parts.push(format!("automatic: {noise}"));
    }
    if let Some(q) = &mail.quoted {
        parts.push(format!("quoted text in {q}"));
    }
    parts.push(format!("original in {}", mail.raw));
    for o in &mail.omitted {
        parts.push(format!("not stored: {o}"));
    }
    format!("[{}]", parts.join("; "))
}

/// [`describe`], with the tasks an entry names by their number on `t`.
fn describe_on(t: &Ticket, event: &Event) -> String {
    let number = |key: &str| {
        t.tasks
            .iter()
            .find(|task| task.key == key)
            .map_or_else(|| format!("`{key}`"), |task| task.number.to_string())
    };
    match event {
        Event::TaskAssign { task, to } => format!("task {} given to {to}", number(task)),
        Event::TaskDue { task, due } => format!("task {}: {}", number(task), due_words(*due)),
        Event::TaskDone { task } => format!("task {} done", number(task)),
        Event::TaskReopen { task } => format!("task {} reopened", number(task)),
        Event::TaskReminder { task } => format!("task {}: assignee reminded", number(task)),
        other => describe(other),
    }
}

fn due_words(due: Option<Timestamp>) -> String {
    match due {
        Some(d) => format!("due {}", d.to_short_labelled()),
        None => "no deadline".into(),
    }
}

/// How a logged call or chat is headed: `phone call (in, 6m)`, `chat`.
fn contact_label(event: &Event) -> String {
    match event {
        Event::Call {
            direction,
            duration,
        } => match duration {
            Some(d) => format!("phone call ({}, {d})", direction.as_str()),
            None => format!("phone call ({})", direction.as_str()),
        },
        _ => "chat".into(),
    }
}

/// One line for an entry that is a change rather than a message.
pub fn describe(event: &Event) -> String {
    match event {
        Event::Created { subject, .. } => format!("created: {subject}"),
        Event::Message { from, .. } => format!("message from {from}"),
        Event::Reply { .. } => "public reply".into(),
        Event::Call { .. } | Event::Chat {} => contact_label(event),
        Event::Note { .. } => "internal note".into(),
        Event::Assign { to: Some(a) } => format!("assigned to {a}"),
        Event::Assign { to: None } => "unassigned".into(),
        Event::Status {
            to,
            from: Some(tix_core::domain::Status::Closed),
        } => format!("reopened: status {to}"),
        Event::Status { to, .. } => format!("status {to}"),
        Event::Priority { to } => format!("priority {to}"),
        Event::Subject { to } => format!("subject changed to: {to}"),
        Event::Tags { add, remove } => {
            let mut parts: Vec<String> = add.iter().map(|t| format!("+{t}")).collect();
            parts.extend(remove.iter().map(|t| format!("-{t}")));
            format!("tags {}", parts.join(" "))
        }
        Event::Cc { add, remove } => {
            let mut parts: Vec<String> = add.iter().map(|p| format!("+{p}")).collect();
            parts.extend(remove.iter().map(|p| format!("-{p}")));
            format!("cc {}", parts.join(" "))
        }
        Event::Field {
            name,
            value: Some(v),
        } => format!("{name} set to {v}"),
        Event::Field { name, value: None } => format!("{name} cleared"),
        Event::Link { rel, target } => format!("linked: {rel} {target}"),
        Event::Unlink { rel, target } => format!("unlinked: {rel} {target}"),
        Event::Close {} => "closed".into(),
        Event::Lock {} => "locked".into(),
        Event::Unlock {} => "unlocked".into(),
        Event::Attachment {
            file, name, size, ..
        } => format!("attached {name} ({size} bytes) as {file}"),
        Event::Escalate { to } => format!("escalated to {to}"),
        Event::Department { to: Some(d) } => format!("moved to department {d}"),
        Event::Department { to: None } => "moved out of its department".into(),
        Event::Snooze { until: Some(u) } => format!("snoozed until {}", u.to_short_labelled()),
        Event::Snooze { until: None } => "woken".into(),
        Event::Sla { target, standing } => format!("SLA {target}: {standing}"),
        Event::Delivery {
            entry,
            status: DeliveryStatus::Sent,
        } => format!("reply {entry} sent"),
        Event::Delivery {
            entry,
            status: DeliveryStatus::Failed,
        } => format!("reply {entry} NOT delivered"),
        Event::Resolution {} => "resolution".into(),
        Event::Merge { source, target, .. } => format!("merged {source} into {target}"),
        Event::Unmerge { source, target } => format!("unmerged {source} from {target}"),
        Event::Split {
            source,
            target,
            entries,
        } => format!(
            "split {} entr{} of {source} off to {target}",
            entries.len(),
            if entries.len() == 1 { "y" } else { "ies" }
        ),
        Event::TaskAdd { to, due, from } => {
            let mut line = "task added".to_string();
            if let Some(a) = to {
                line.push_str(&format!(" for {a}"));
            }
            if due.is_some() {
                line.push_str(&format!(", {}", due_words(*due)));
            }
            if let Some(entry) = from {
                line.push_str(&format!(", from {entry}"));
            }
            line
        }
        Event::TaskAssign { task, to } => format!("task `{task}` given to {to}"),
        Event::TaskDue { task, due } => format!("task `{task}`: {}", due_words(*due)),
        Event::TaskDone { task } => format!("task `{task}` done"),
        Event::TaskReopen { task } => format!("task `{task}` reopened"),
        Event::TaskReminder { task } => format!("task `{task}`: assignee reminded"),
        Event::Redact { entry } => format!("redacted {entry}"),
        Event::Survey { scale, .. } => format!("satisfaction survey sent ({scale})"),
        Event::Rating { answer, .. } => {
            format!(
                "customer's rating: {answer} ({})",
                if answer.is_good() {
                    "satisfied"
                } else {
                    "not satisfied"
                }
            )
        }
    }
}
