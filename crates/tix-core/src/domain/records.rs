//! Team records that commands write instead of editing the hand-written
//! config: one file per change under `.tix/agents/` (`tix agent add`) and
//! `.tix/blacklist/` (`tix blacklist add|remove`). Two clones writing
//! records never touch the same file, so their merge never conflicts, and
//! the same item changed on both folds the same everywhere: the latest
//! record per item (by `at`, then file name) wins, as for availability.
//!
//! How they combine with `.tix/config.yaml`: an agent in a record replaces
//! the config's agent of that handle in place, or is added after the
//! config's agents (in the order their first records were written); a
//! blacklist record adds its entry after the config's entries, or, marked
//! `removed`, takes that entry out, whether the config or a record has it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::config::{
    Agent, BlacklistEntry, Config, Role, check_identity_part, check_person_name, is_valid_handle,
};
use super::customers::{address_folder, address_key};
use super::time::Timestamp;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentRecord {
    pub format: u32,
    pub handle: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub email: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// The key the agent's commits are signed with, as in the config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<String>,
    /// Deactivated: kept for history, chosen by no rule.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inactive: bool,
    /// Removed (`tix agent remove`, only for an agent without history):
    /// the agent is no longer declared.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
    pub at: Timestamp,
    /// Who recorded it.
    pub by: String,
}

impl AgentRecord {
    /// `<time>-<random>-<handle>.yaml`: sorts by time, never collides.
    pub fn file_name(&self, random_tag: &str) -> String {
        format!(
            "{}-{random_tag}-{}.yaml",
            self.at.to_file_stamp(),
            self.handle
        )
    }

    fn agent(&self) -> Agent {
        Agent {
            handle: self.handle.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            roles: self.roles.clone(),
            signing_key: self.signing_key.clone(),
            inactive: self.inactive,
        }
    }
}

/// A change of a group (`tix group create|add|remove`): with `agent`,
/// that agent joins the group (or, `removed`, leaves it); without, the
/// group is created with nobody in it. A group a record names is created
/// if neither the config nor a record declared it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRecord {
    pub format: u32,
    pub group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
    pub at: Timestamp,
    pub by: String,
}

impl GroupRecord {
    /// `<time>-<random>-<group>.yaml`.
    pub fn file_name(&self, random_tag: &str) -> String {
        format!(
            "{}-{random_tag}-{}.yaml",
            self.at.to_file_stamp(),
            self.group
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlacklistRecord {
    pub format: u32,
    pub sender: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// true: the entry is taken off the blacklist.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
    pub at: Timestamp,
    pub by: String,
}

impl BlacklistRecord {
    /// `<time>-<random>.yaml`: the sender may hold any character, so it
    /// stays out of the name.
    pub fn file_name(&self, random_tag: &str) -> String {
        format!("{}-{random_tag}.yaml", self.at.to_file_stamp())
    }

    pub fn entry(&self) -> BlacklistEntry {
        BlacklistEntry {
            sender: self.sender.clone(),
            subject: self.subject.clone(),
        }
    }
}

/// What a purge (`tix purge`) took out of history: the entries of one
/// ticket and the ids of the blobs that held them, which no commit
/// reachable from HEAD may hold again. Never folded: every manifest
/// stands, and `tix check` verifies each.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurgeManifest {
    pub format: u32,
    pub ticket: String,
    /// The files purged, relative to the ticket's folder (entry files,
    /// and the attachments' files).
    pub entries: Vec<String>,
    /// The ids of the blobs removed (40 hex digits).
    pub blobs: Vec<String>,
    pub reason: String,
    pub at: Timestamp,
    pub by: String,
}

/// The largest manifest file read: a purge names a few entries.
pub const MAX_MANIFEST_FILE_BYTES: usize = 1 << 20;

impl PurgeManifest {
    /// `<time>-<random>.yaml`.
    pub fn file_name(&self, random_tag: &str) -> String {
        format!("{}-{random_tag}.yaml", self.at.to_file_stamp())
    }

    /// The manifest in `bytes` as tix writes it, or what is wrong.
    pub fn parse(bytes: &[u8]) -> Result<PurgeManifest, String> {
        if bytes.len() > MAX_MANIFEST_FILE_BYTES {
            return Err(format!(
                "{} bytes; a purge manifest is at most {MAX_MANIFEST_FILE_BYTES}",
                bytes.len()
            ));
        }
        let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
        if super::entry::nesting_exceeds(text, 4) {
            return Err("nests deeper than 4 levels; a purge manifest is one mapping".into());
        }
        let m: PurgeManifest = serde_yaml::from_str(text).map_err(|e| {
            format!("not a purge manifest (format, ticket, entries, blobs, reason, at, by): {e}")
        })?;
        if m.format != 1 {
            return Err(format!("format {}; a purge manifest is format 1", m.format));
        }
        if m.ticket.parse::<super::TicketId>().is_err() {
            return Err(format!("ticket `{}` is not a ticket id", m.ticket));
        }
        if m.blobs.is_empty() {
            return Err("lists no blobs".into());
        }
        if let Some(b) = m
            .blobs
            .iter()
            .find(|b| b.len() != 40 || !b.bytes().all(|c| c.is_ascii_hexdigit()))
        {
            return Err(format!("blob `{b}` is not an object id (40 hex digits)"));
        }
        Ok(m)
    }
}

/// A note about a customer (`tix customer EMAIL --note`), one file per
/// note, never changed: notes only add up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerNoteRecord {
    pub format: u32,
    /// The address, folded as `customers::address_key` folds it.
    pub customer: String,
    pub text: String,
    pub at: Timestamp,
    pub by: String,
}

/// The longest note accepted, in bytes: a note is a remark, not a file.
pub const MAX_NOTE_BYTES: usize = 64 * 1024;

/// The largest note file read, by its size before reading. Well above
/// what the longest note tix writes takes once YAML has quoted it (an
/// escaped control character is four bytes for one), and far below what
/// would make a card slow or large in memory.
pub const MAX_NOTE_FILE_BYTES: u64 = 1 << 20;

/// The most note files a card reads for one person: the newest, by file
/// name (which starts with the note's time). Enough for years of remarks
/// and bounded however many a merge of clones or a script committed.
pub const MAX_NOTES_PER_CUSTOMER: usize = 1000;

/// The only format of note files there is.
const NOTE_FORMAT: u32 = 1;

/// A note is a mapping of scalars (depth 1); a little room for hand
/// formatting, none for a hostile file.
const NOTE_MAX_DEPTH: usize = 4;

impl CustomerNoteRecord {
    /// `<time>-<random>.yaml`.
    pub fn file_name(&self, random_tag: &str) -> String {
        format!("{}-{random_tag}.yaml", self.at.to_file_stamp())
    }

    /// The note in a file's `bytes`, found in the folder `folder` of
    /// `.tix/customers/`, as tix would have written it; otherwise what is
    /// wrong, with what was expected.
    pub fn parse(bytes: &[u8], folder: &str) -> Result<CustomerNoteRecord, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
        // A note is one flat mapping; deeper nesting is refused before
        // the parser, whose cost grows with the depth.
        if super::entry::nesting_exceeds(text, NOTE_MAX_DEPTH) {
            return Err(format!(
                "nests deeper than {NOTE_MAX_DEPTH} levels; a customer note is one mapping of format, customer, text, at and by"
            ));
        }
        let record: CustomerNoteRecord = serde_yaml::from_str(text).map_err(|e| {
            format!("not a customer note (a mapping of format, customer, text, at and by): {e}")
        })?;
        if record.format != NOTE_FORMAT {
            return Err(format!(
                "format {}; a customer note is format {NOTE_FORMAT}",
                record.format
            ));
        }
        if address_key(&record.customer) != record.customer || record.customer.is_empty() {
            return Err(format!(
                "customer `{}` is not an address as tix folds it (trimmed, lower case)",
                record.customer
            ));
        }
        let expected = address_folder(&record.customer);
        if expected != folder {
            return Err(format!(
                "names customer `{}`, whose notes are in folder {expected}, not {folder}",
                record.customer
            ));
        }
        if record.text.trim().is_empty() {
            return Err("the note's text is empty".into());
        }
        if record.text.len() > MAX_NOTE_BYTES {
            return Err(format!(
                "the note's text is {} bytes; a note holds at most {MAX_NOTE_BYTES}",
                record.text.len()
            ));
        }
        if record.by.trim().is_empty() {
            return Err("`by` is empty; it names the agent who wrote the note".into());
        }
        Ok(record)
    }
}

/// The latest record per key, in the order each key was first recorded;
/// `records` are (file name, record) in any order.
fn fold_latest<R, K: Ord + Clone>(
    records: &[(String, R)],
    at: impl Fn(&R) -> &Timestamp,
    key: impl Fn(&R) -> K,
) -> Vec<(&str, &R)> {
    let mut sorted: Vec<&(String, R)> = records.iter().collect();
    sorted.sort_by(|(fa, a), (fb, b)| (at(a), fa).cmp(&(at(b), fb)));
    let mut order: Vec<K> = Vec::new();
    let mut latest: BTreeMap<K, (&str, &R)> = BTreeMap::new();
    for (file, r) in sorted {
        let k = key(r);
        if latest.insert(k.clone(), (file, r)).is_none() {
            order.push(k);
        }
    }
    order.iter().map(|k| latest[k]).collect()
}

/// The records read from the store, each as (file name, record), and
/// the folders they were read from (for the problems named).
#[derive(Default)]
pub struct Records<'a> {
    pub agents: &'a [(String, AgentRecord)],
    pub groups: &'a [(String, GroupRecord)],
    pub blacklist: &'a [(String, BlacklistRecord)],
    pub agents_dir: &'a str,
    pub groups_dir: &'a str,
    pub blacklist_dir: &'a str,
}

/// `config` with the records applied. A record that would break the
/// config (an invalid handle or address, an address another agent has,
/// a removal of an agent the config still names, a member who is no
/// agent) is left out and named in the returned problems, so that a
/// merge can never make the store unusable.
pub fn apply(config: &mut Config, records: &Records<'_>) -> Vec<String> {
    let mut problems = Vec::new();
    let agents_dir = records.agents_dir;
    for (file, r) in fold_latest(records.agents, |r| &r.at, |r| r.handle.clone()) {
        let path = format!("{agents_dir}/{file}");
        if r.removed {
            if r.format != 1 {
                problems.push(format!(
                    "{path}: format {} is not understood; the record is ignored",
                    r.format
                ));
            } else if config.agents.iter().any(|a| a.handle == r.handle) {
                // Only agents of the hand-written config are in the list
                // yet: a record cannot take away what the file declares.
                problems.push(format!(
                    "{path}: .tix/config.yaml declares agent `{}`; remove them there, the record is ignored",
                    r.handle
                ));
            } else if let Some(place) = config_names_agent(config, &r.handle) {
                problems.push(format!(
                    "{path}: `{}` is still named in {place}; the removal is ignored",
                    r.handle
                ));
                config.agents.push(r.agent());
            }
            continue;
        }
        if let Err(e) = check_agent(config, r) {
            problems.push(format!("{path}: {e}; the record is ignored"));
            continue;
        }
        match config.agents.iter_mut().find(|a| a.handle == r.handle) {
            Some(existing) => *existing = r.agent(),
            None => config.agents.push(r.agent()),
        }
    }
    let groups_dir = records.groups_dir;
    for (file, r) in fold_latest(
        records.groups,
        |r| &r.at,
        |r| (r.group.clone(), r.agent.clone()),
    ) {
        let path = format!("{groups_dir}/{file}");
        if let Err(e) = check_group_record(config, r) {
            problems.push(format!("{path}: {e}; the record is ignored"));
            continue;
        }
        let index = match config.groups.iter().position(|g| g.name == r.group) {
            Some(i) => i,
            None if r.removed => continue,
            None => {
                config.groups.push(super::config::Group {
                    name: r.group.clone(),
                    agents: Vec::new(),
                });
                config.groups.len() - 1
            }
        };
        let members = &mut config.groups[index].agents;
        match (&r.agent, r.removed) {
            (Some(a), true) => members.retain(|m| m != a),
            (Some(a), false) if !members.contains(a) => members.push(a.clone()),
            _ => {}
        }
    }
    for (file, r) in fold_latest(
        records.blacklist,
        |r| &r.at,
        |r| (r.sender.clone(), r.subject.clone()),
    ) {
        let entry = r.entry();
        if r.removed {
            config.mail.blacklist.retain(|b| *b != entry);
        } else if entry.sender.trim().is_empty() {
            problems.push(format!(
                "{}/{file}: empty sender; the record is ignored",
                records.blacklist_dir
            ));
        } else if !config.mail.blacklist.contains(&entry) {
            config.mail.blacklist.push(entry);
        }
    }
    problems
}

fn check_group_record(config: &Config, r: &GroupRecord) -> Result<(), String> {
    if r.format != 1 {
        return Err(format!("format {} is not understood", r.format));
    }
    if !is_valid_handle(&r.group) {
        return Err(format!("`{}` is not a group name", r.group));
    }
    match &r.agent {
        None if r.removed => Err("a removal names no agent".into()),
        Some(a) if !r.removed && !config.agents.iter().any(|x| &x.handle == a) => {
            Err(format!("`{a}` is not one of the agents"))
        }
        _ => Ok(()),
    }
}

/// Where the hand-written part of `config` names agent `handle` (a
/// group, the rules, the views, the hooks), if it does: what would stop
/// the config from loading once the agent is gone.
pub fn config_names_agent(config: &Config, handle: &str) -> Option<String> {
    if let Some(g) = config
        .groups
        .iter()
        .find(|g| g.agents.iter().any(|a| a == handle))
    {
        return Some(format!("group `{}`", g.name));
    }
    fn names(value: &serde_yaml::Value, handle: &str) -> bool {
        match value {
            serde_yaml::Value::String(s) => s == handle,
            serde_yaml::Value::Sequence(items) => items.iter().any(|v| names(v, handle)),
            serde_yaml::Value::Mapping(map) => map.values().any(|v| names(v, handle)),
            serde_yaml::Value::Tagged(t) => names(&t.value, handle),
            _ => false,
        }
    }
    if config.rules.iter().any(|r| names(r, handle)) {
        return Some("the rules".into());
    }
    if let Some(name) = config
        .views
        .iter()
        .find_map(|(name, v)| names(v, handle).then_some(name))
    {
        return Some(format!("view `{name}`"));
    }
    None
}

fn check_agent(config: &Config, r: &AgentRecord) -> Result<(), String> {
    if r.format != 1 {
        return Err(format!("format {} is not understood", r.format));
    }
    if !is_valid_handle(&r.handle) {
        return Err(format!("`{}` is not a handle", r.handle));
    }
    if let Some(name) = &r.name {
        check_person_name(name).map_err(|e| format!("name: {e}"))?;
    }
    check_identity_part(&r.email).map_err(|e| format!("email: {e}"))?;
    if !r.email.contains('@') {
        return Err(format!("email: `{}` is not an e-mail address", r.email));
    }
    if let Some(other) = config
        .agents
        .iter()
        .find(|a| a.handle != r.handle && a.email.eq_ignore_ascii_case(&r.email))
    {
        return Err(format!(
            "{} already belongs to agent `{}`",
            r.email, other.handle
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let mut c = Config::new(
            None,
            Agent {
                handle: "alice".into(),
                name: None,
                email: "alice@example.com".into(),
                roles: vec![Role::Admin],
                signing_key: None,
                inactive: false,
            },
        );
        c.mail.blacklist.push(BlacklistEntry {
            sender: "example.net".into(),
            subject: None,
        });
        c
    }

    fn fold(
        config: &mut Config,
        agents: &[(String, AgentRecord)],
        groups: &[(String, GroupRecord)],
        blacklist: &[(String, BlacklistRecord)],
    ) -> Vec<String> {
        apply(
            config,
            &Records {
                agents,
                groups,
                blacklist,
                agents_dir: "agents",
                groups_dir: "groups",
                blacklist_dir: "blacklist",
            },
        )
    }

    fn agent(handle: &str, email: &str, at: &str) -> AgentRecord {
        AgentRecord {
            format: 1,
            handle: handle.into(),
            name: None,
            email: email.into(),
            roles: Vec::new(),
            signing_key: None,
            inactive: false,
            removed: false,
            at: Timestamp::parse_rfc3339(at).unwrap(),
            by: "alice".into(),
        }
    }

    fn black(sender: &str, removed: bool, at: &str) -> BlacklistRecord {
        BlacklistRecord {
            format: 1,
            sender: sender.into(),
            subject: None,
            removed,
            at: Timestamp::parse_rfc3339(at).unwrap(),
            by: "alice".into(),
        }
    }

    #[test]
    fn the_latest_record_per_agent_wins_whatever_order_the_files_come_in() {
        let records = vec![
            (
                "2".to_string(),
                agent("bob", "bob2@example.com", "2026-01-02T00:00:00Z"),
            ),
            (
                "1".to_string(),
                agent("bob", "bob@example.com", "2026-01-01T00:00:00Z"),
            ),
            (
                "0".to_string(),
                agent("carol", "carol@example.com", "2026-01-01T12:00:00Z"),
            ),
        ];
        let mut reversed = records.clone();
        reversed.reverse();
        let (mut a, mut b) = (config(), config());
        assert!(fold(&mut a, &records, &[], &[]).is_empty());
        assert!(fold(&mut b, &reversed, &[], &[]).is_empty());
        assert_eq!(a, b);
        let handles: Vec<_> = a.agents.iter().map(|a| a.handle.as_str()).collect();
        assert_eq!(handles, ["alice", "bob", "carol"]);
        assert_eq!(a.agents[1].email, "bob2@example.com");
    }

    #[test]
    fn a_record_taking_another_agent_s_address_is_ignored_and_named() {
        let mut c = config();
        let problems = fold(
            &mut c,
            &[(
                "f.yaml".into(),
                agent("bob", "ALICE@example.com", "2026-01-01T00:00:00Z"),
            )],
            &[],
            &[],
        );
        assert_eq!(c.agents.len(), 1);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("agents/f.yaml: "), "{problems:?}");
        assert!(problems[0].contains("`alice`"), "{problems:?}");
    }

    #[test]
    fn a_removal_takes_out_the_config_s_entry_and_a_later_add_brings_it_back() {
        let mut c = config();
        let removed = vec![(
            "1".to_string(),
            black("example.net", true, "2026-01-01T00:00:00Z"),
        )];
        fold(&mut c, &[], &[], &removed);
        assert!(c.mail.blacklist.is_empty());
        let mut again = removed.clone();
        again.push((
            "2".to_string(),
            black("example.net", false, "2026-01-02T00:00:00Z"),
        ));
        let mut c = config();
        fold(&mut c, &[], &[], &again);
        assert_eq!(c.mail.blacklist.len(), 1);
    }

    fn member(group: &str, agent: Option<&str>, removed: bool, at: &str) -> GroupRecord {
        GroupRecord {
            format: 1,
            group: group.into(),
            agent: agent.map(String::from),
            removed,
            at: Timestamp::parse_rfc3339(at).unwrap(),
            by: "alice".into(),
        }
    }

    fn with_group(c: &mut Config, name: &str, agents: &[&str]) {
        c.groups.push(crate::domain::config::Group {
            name: name.into(),
            agents: agents.iter().map(|a| a.to_string()).collect(),
        });
    }

    #[test]
    fn group_records_add_and_remove_members_per_pair_whatever_the_file_order() {
        let mut base = config();
        base.agents.push(Agent {
            handle: "bob".into(),
            email: "bob@example.com".into(),
            ..base.agents[0].clone()
        });
        with_group(&mut base, "first", &["alice"]);
        let records = vec![
            (
                "a".to_string(),
                member("first", Some("bob"), false, "2026-01-01T00:00:00Z"),
            ),
            (
                "b".to_string(),
                member("first", Some("alice"), true, "2026-01-01T00:00:01Z"),
            ),
            (
                "c".to_string(),
                member("second", None, false, "2026-01-01T00:00:02Z"),
            ),
            (
                "d".to_string(),
                member("second", Some("bob"), false, "2026-01-01T00:00:03Z"),
            ),
            (
                "e".to_string(),
                member("second", Some("bob"), true, "2026-01-01T00:00:04Z"),
            ),
            (
                "f".to_string(),
                member("first", Some("zed"), false, "2026-01-01T00:00:05Z"),
            ),
        ];
        let mut reversed = records.clone();
        reversed.reverse();
        let (mut a, mut b) = (base.clone(), base.clone());
        let problems = fold(&mut a, &[], &records, &[]);
        assert_eq!(
            problems,
            ["groups/f: `zed` is not one of the agents; the record is ignored"]
        );
        fold(&mut b, &[], &reversed, &[]);
        assert_eq!(a, b);
        let groups: Vec<(&str, Vec<&str>)> = a
            .groups
            .iter()
            .map(|g| {
                (
                    g.name.as_str(),
                    g.agents.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(groups, [("first", vec!["bob"]), ("second", vec![])]);
    }

    #[test]
    fn a_removal_record_cannot_take_out_what_the_config_declares_or_names() {
        let mut c = config();
        let mut gone = agent("alice", "alice@example.com", "2026-01-01T00:00:00Z");
        gone.removed = true;
        let problems = fold(&mut c, &[("r".into(), gone)], &[], &[]);
        assert_eq!(c.agents.len(), 1);
        assert!(
            problems[0].contains(".tix/config.yaml declares agent `alice`"),
            "{problems:?}"
        );

        let mut c = config();
        with_group(&mut c, "first", &["bob"]);
        let added = agent("bob", "bob@example.com", "2026-01-01T00:00:00Z");
        let mut removed = agent("bob", "bob@example.com", "2026-01-02T00:00:00Z");
        removed.removed = true;
        let both = vec![
            ("1".to_string(), added.clone()),
            ("2".to_string(), removed.clone()),
        ];
        let problems = fold(&mut c, &both, &[], &[]);
        assert_eq!(
            problems,
            ["agents/2: `bob` is still named in group `first`; the removal is ignored"]
        );
        assert!(c.agent("bob").is_some());

        let mut c = config();
        assert!(fold(&mut c, &both, &[], &[]).is_empty());
        assert!(c.agent("bob").is_none());
    }

    fn note(customer: &str, text: &str) -> CustomerNoteRecord {
        CustomerNoteRecord {
            format: 1,
            customer: customer.into(),
            text: text.into(),
            at: Timestamp::parse_rfc3339("2026-01-01T00:00:00Z").unwrap(),
            by: "alice".into(),
        }
    }

    /// The reader's bound must take any note the writer accepts, however
    /// YAML has to quote it.
    #[test]
    fn the_longest_note_of_the_worst_characters_fits_the_file_bound() {
        for worst in ["\u{1}", "\u{feff}", "\"", "a\n", "\u{10ffff}"] {
            let text: String = worst.repeat(MAX_NOTE_BYTES / worst.len());
            assert!(text.len() <= MAX_NOTE_BYTES);
            let yaml = serde_yaml::to_string(&note("ann@example.com", &text)).unwrap();
            assert!(
                (yaml.len() as u64) < MAX_NOTE_FILE_BYTES,
                "{worst:?}: {} bytes",
                yaml.len()
            );
            let folder = address_folder("ann@example.com");
            assert_eq!(
                CustomerNoteRecord::parse(yaml.as_bytes(), &folder)
                    .unwrap()
                    .text,
                text
            );
        }
    }

    #[test]
    fn a_note_file_is_refused_saying_what_a_note_is() {
        let ann = address_folder("ann@example.com");
        let yaml = |r: &CustomerNoteRecord| serde_yaml::to_string(r).unwrap();
        let refused =
            |bytes: &[u8], folder: &str| CustomerNoteRecord::parse(bytes, folder).unwrap_err();
        assert_eq!(refused(b"\xff\xfe", &ann), "not UTF-8 text");
        let e = refused(b"format: 1\ncustomer: [", &ann);
        assert!(e.starts_with("not a customer note (a mapping of"), "{e}");
        let e = refused(
            format!("{}colour: red\n", yaml(&note("ann@example.com", "x"))).as_bytes(),
            &ann,
        );
        assert!(e.contains("unknown field `colour`"), "{e}");
        let e = refused(b"format: 1\ncustomer: ann@example.com\n", &ann);
        assert!(e.contains("missing field"), "{e}");
        let e = refused(b"a: [[[[[[[[1]]]]]]]]\n", &ann);
        assert!(e.starts_with("nests deeper than"), "{e}");
        let mut two = note("ann@example.com", "x");
        two.format = 2;
        assert_eq!(
            refused(yaml(&two).as_bytes(), &ann),
            "format 2; a customer note is format 1"
        );
        let e = refused(yaml(&note("Ann@Example.com", "x")).as_bytes(), &ann);
        assert!(e.contains("not an address as tix folds it"), "{e}");
        let e = refused(yaml(&note("bob@example.com", "x")).as_bytes(), &ann);
        assert_eq!(
            e,
            format!(
                "names customer `bob@example.com`, whose notes are in folder {}, not {ann}",
                address_folder("bob@example.com")
            )
        );
        let e = refused(yaml(&note("ann@example.com", " \n")).as_bytes(), &ann);
        assert_eq!(e, "the note's text is empty");
        let long = "a".repeat(MAX_NOTE_BYTES + 1);
        let e = refused(yaml(&note("ann@example.com", &long)).as_bytes(), &ann);
        assert!(e.starts_with("the note's text is 65537 bytes"), "{e}");
        let mut nobody = note("ann@example.com", "x");
        nobody.by = String::new();
        assert!(refused(yaml(&nobody).as_bytes(), &ann).starts_with("`by` is empty"));
    }
}
