//! From the checked rule set to the indexed form the evaluator runs: rules grouped by
//! jurisdiction and by channel, policies by name. Conditions are already resolved by the
//! checker (enums as small integers, sets as bitsets, windows as durations).

use rulec_check::checked::{Cond, Jurisdiction, Rule, RuleSet};
use rulec_model::{Channel, EnumSet, Vocabulary};
use std::collections::HashMap;

/// Rule indices by the channel of the request: a rule whose `applies when` requires
/// `channel is voice` is listed only under voice.
#[derive(Debug, Default)]
pub struct ChannelGroups {
    by_channel: Vec<Vec<u32>>,
}

impl ChannelGroups {
    fn new() -> Self {
        ChannelGroups { by_channel: vec![Vec::new(); Channel::ALL.len()] }
    }

    fn add(&mut self, rule: u32, channels: EnumSet<Channel>) {
        for channel in channels.iter() {
            self.by_channel[channel.index()].push(rule);
        }
    }

    pub fn for_channel(&self, channel: Channel) -> &[u32] {
        &self.by_channel[channel.index()]
    }
}

#[derive(Debug)]
pub struct Compiled {
    pub rule_set: RuleSet,
    /// Which files the rule set was read from (`data.ruleSet` of every decision).
    pub id: std::sync::Arc<crate::RuleSetId>,
    pub federal: ChannelGroups,
    pub states: HashMap<String, ChannelGroups>,
    /// Locality rules by the name decisions report (`NYC`), with the state the locality is in.
    pub localities: HashMap<String, (String, ChannelGroups)>,
    pub policy_rules: HashMap<String, ChannelGroups>,
    /// Per rule, its whole blocking condition (in scope, condition, no exception), built once
    /// for the release-time computations of blocked decisions.
    pub blocking: Vec<Cond>,
}

impl Compiled {
    pub fn new(rule_set: RuleSet, id: crate::RuleSetId) -> Compiled {
        let mut compiled = Compiled {
            id: std::sync::Arc::new(id),
            federal: ChannelGroups::new(),
            states: HashMap::new(),
            localities: HashMap::new(),
            policy_rules: HashMap::new(),
            blocking: rule_set.rules.iter().map(blocking_condition).collect(),
            rule_set: RuleSet::default(),
        };
        for (index, rule) in rule_set.rules.iter().enumerate() {
            let channels = rule.channels();
            let index = index as u32;
            let group = match &rule.jurisdiction {
                Jurisdiction::Federal => &mut compiled.federal,
                Jurisdiction::State(code) => compiled.states.entry(code.clone()).or_insert_with(ChannelGroups::new),
                Jurisdiction::Locality { state, name } => {
                    &mut compiled.localities.entry(name.clone()).or_insert_with(|| (state.clone(), ChannelGroups::new())).1
                }
                Jurisdiction::Policy(name) => compiled.policy_rules.entry(name.clone()).or_insert_with(ChannelGroups::new),
            };
            group.add(index, channels);
        }
        compiled.rule_set = rule_set;
        compiled
    }
}

/// The whole blocking condition of a rule: in scope, condition, and no exception.
fn blocking_condition(rule: &Rule) -> Cond {
    let mut parts = Vec::with_capacity(3);
    if let Some(applies) = &rule.applies {
        parts.push(applies.clone());
    }
    parts.push(rule.condition.clone());
    if !rule.exceptions.is_empty() {
        parts.push(Cond::Not(Box::new(Cond::Any(rule.exceptions.clone()))));
    }
    Cond::All(parts)
}
