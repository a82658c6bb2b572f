//! Choosing an agent for a ticket by the team's rule, from state derived
//! from the store (loads, the latest assignment, who is away): no
//! counters of its own, so two clones that assign at once merge without
//! conflict (they may pick the same agent; nothing is lost or corrupted).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

/// How new tickets are assigned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Left unassigned.
    #[default]
    None,
    /// The next available agent after the one given the latest
    /// assignment (new tickets, escalations and tick's assignments alike).
    RoundRobin,
    /// Any available agent.
    Random,
    /// The available agent with the fewest active (not closed) tickets.
    LeastLoad,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::None => "none",
            Rule::RoundRobin => "round-robin",
            Rule::Random => "random",
            Rule::LeastLoad => "least-load",
        }
    }
}

/// What the choice depends on, derived from the store.
#[derive(Clone, Debug, Default)]
pub struct TeamState {
    /// Active (not closed) tickets per agent handle.
    pub loads: BTreeMap<String, usize>,
    /// Open tasks per agent handle (they do not count towards `loads`,
    /// which is what assignment balances).
    pub open_tasks: BTreeMap<String, usize>,
    /// The agent of the latest assignment.
    pub newest: Option<(Timestamp, String)>,
    /// Each agent's latest assignment, for round-robin within a group:
    /// it goes on after the member given a ticket last, whatever other
    /// groups' agents were given since.
    pub last_assigned: BTreeMap<String, Timestamp>,
    /// Agents away now, with when they are back (None: until further
    /// notice).
    pub away: BTreeMap<String, Option<Timestamp>>,
}

impl TeamState {
    /// Counts a ticket of `agent`, assigned to them at `assigned`;
    /// `active` when it is not closed.
    pub fn count(&mut self, agent: &str, assigned: Timestamp, active: bool) {
        if active {
            *self.loads.entry(agent.to_string()).or_default() += 1;
        }
        if self.newest.as_ref().is_none_or(|(t, _)| *t <= assigned) {
            self.newest = Some((assigned, agent.to_string()));
        }
        let last = self
            .last_assigned
            .entry(agent.to_string())
            .or_insert(assigned);
        *last = (*last).max(assigned);
    }

    /// Counts a ticket just assigned to `agent` (at `at`, the time of the
    /// assignment, whatever the ticket's age).
    pub fn record(&mut self, agent: &str, at: Timestamp) {
        self.count(agent, at, true);
    }
}

/// The agent `rule` picks among `members` (in the group's order), or
/// None: rule `none`, nobody available, or everyone at `max_active`.
/// `random` is only used by [`Rule::Random`].
pub fn choose(
    rule: Rule,
    members: &[String],
    max_active: Option<usize>,
    state: &TeamState,
    random: u64,
) -> Option<String> {
    let load = |a: &String| state.loads.get(a).copied().unwrap_or(0);
    let eligible: Vec<&String> = members
        .iter()
        .filter(|a| !state.away.contains_key(*a))
        .filter(|a| max_active.is_none_or(|max| load(a) < max))
        .collect();
    if eligible.is_empty() {
        return None;
    }
    match rule {
        Rule::None => None,
        Rule::Random => {
            let n = eligible.len() as u64;
            eligible.get((random % n) as usize).map(|a| (*a).clone())
        }
        Rule::LeastLoad => eligible
            .iter()
            .min_by_key(|a| (load(a), members.iter().position(|m| m == **a)))
            .map(|a| (*a).clone()),
        Rule::RoundRobin => {
            // After the member given the latest assignment, in the
            // group's order, wrapping; the first member when none has had
            // one. Of members given one at the same instant (one tick's
            // escalations), the one counted last, as `newest` says.
            let latest = members
                .iter()
                .filter_map(|m| state.last_assigned.get(m))
                .max();
            let newest = state.newest.as_ref().map(|(_, a)| a);
            let start = latest.map_or(0, |latest| {
                let at_latest = |m: &&String| state.last_assigned.get(*m) == Some(latest);
                members
                    .iter()
                    .position(|m| Some(m) == newest && at_latest(&m))
                    .or_else(|| members.iter().rposition(|m| at_latest(&m)))
                    .map_or(0, |i| i + 1)
            });
            (0..members.len())
                .map(|k| &members[(start + k) % members.len()])
                .find(|a| eligible.contains(a))
                .cloned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team() -> Vec<String> {
        ["ann", "bob", "cid"].map(String::from).to_vec()
    }

    fn at(n: i64) -> Timestamp {
        Timestamp::parse_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .plus_seconds(n)
    }

    #[test]
    fn round_robin_cycles_and_skips_the_away() {
        let mut state = TeamState::default();
        let mut picked = Vec::new();
        for i in 0..4 {
            let a = choose(Rule::RoundRobin, &team(), None, &state, 0).unwrap();
            state.record(&a, at(i));
            picked.push(a);
        }
        assert_eq!(picked, ["ann", "bob", "cid", "ann"]);
        state.away.insert("bob".into(), None);
        assert_eq!(
            choose(Rule::RoundRobin, &team(), None, &state, 0).as_deref(),
            Some("cid")
        );
    }

    #[test]
    fn round_robin_goes_on_within_the_group_whatever_other_groups_got() {
        let mut state = TeamState::default();
        let billing: Vec<String> = ["bob", "cid"].map(String::from).to_vec();
        state.record("bob", at(0));
        // An agent outside the group got the latest ticket.
        state.record("ann", at(1));
        assert_eq!(
            choose(Rule::RoundRobin, &billing, None, &state, 0).as_deref(),
            Some("cid")
        );
        state.record("cid", at(2));
        state.record("ann", at(3));
        assert_eq!(
            choose(Rule::RoundRobin, &billing, None, &state, 0).as_deref(),
            Some("bob")
        );
    }

    #[test]
    fn least_load_and_limits() {
        let mut state = TeamState::default();
        state.loads.insert("ann".into(), 2);
        state.loads.insert("bob".into(), 1);
        state.loads.insert("cid".into(), 1);
        assert_eq!(
            choose(Rule::LeastLoad, &team(), None, &state, 0).as_deref(),
            Some("bob")
        );
        // With a limit of 2, ann is full; all full: the ticket waits.
        assert_eq!(
            choose(Rule::RoundRobin, &team(), Some(2), &state, 0).as_deref(),
            Some("bob")
        );
        for a in ["bob", "cid"] {
            state.loads.insert(a.into(), 2);
        }
        assert_eq!(choose(Rule::LeastLoad, &team(), Some(2), &state, 0), None);
        assert_eq!(
            choose(Rule::None, &team(), None, &TeamState::default(), 0),
            None
        );
    }

    #[test]
    fn random_picks_among_the_available() {
        let mut state = TeamState::default();
        state.away.insert("ann".into(), None);
        for r in 0..10 {
            let a = choose(Rule::Random, &team(), None, &state, r).unwrap();
            assert_ne!(a, "ann");
        }
    }
}
