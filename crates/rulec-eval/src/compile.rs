//! From the checked rule set to the indexed form the evaluator runs: rules grouped by
//! jurisdiction, then by channel and role, policies by name. Conditions are already resolved by the
//! checker (enums as small integers, sets as bitsets, windows as durations).

use rulec_check::checked::{CmpOp, Cond, Jurisdiction, Rule, RuleSet};
use rulec_model::{Channel, EnumSet, Role, Vocabulary};

/// The compiled rule set's maps, read for every decision (a state's rules, a locality's): keys
/// are the rule set's own names, so a fast fixed hash rather than the default one.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// Rule indices by the channel of the request and the company's role: a rule whose `applies
/// when` requires `channel is voice` is listed only under voice, a rule that binds collectors
/// only under collector. A decision looks at the one list of its channel and role, not at the
/// rules for other channels or roles.
#[derive(Debug, Default)]
pub struct ChannelGroups {
    by_channel: Vec<Vec<u32>>,
    by_channel_and_role: Vec<Vec<u32>>,
}

impl ChannelGroups {
    fn new() -> Self {
        ChannelGroups { by_channel: vec![Vec::new(); Channel::ALL.len()], by_channel_and_role: vec![Vec::new(); Channel::ALL.len() * Role::ALL.len()] }
    }

    fn add(&mut self, rule: u32, channels: EnumSet<Channel>, roles: EnumSet<Role>) {
        for channel in channels.iter() {
            self.by_channel[channel.index()].push(rule);
            for role in roles.iter() {
                self.by_channel_and_role[channel.index() * Role::ALL.len() + role.index()].push(rule);
            }
        }
    }

    /// Every rule for the channel, whatever the roles it binds (a policy may extend a rule to
    /// another role).
    pub fn for_channel(&self, channel: Channel) -> &[u32] {
        &self.by_channel[channel.index()]
    }

    /// The rules for the channel that bind the role.
    pub fn for_channel_and_role(&self, channel: Channel, role: Role) -> &[u32] {
        &self.by_channel_and_role[channel.index() * Role::ALL.len() + role.index()]
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
    /// Per rule, which of the ways it can fail to fire are final as time passes.
    pub finality: Vec<RuleFinality>,
    /// Per rule, what says whether it is in force, side by side: selecting the rules for a
    /// request reads these and not the rules themselves.
    pub in_force: Vec<InForce>,
}

/// Whether a rule is in force for a company role on a date (see `eval::rules_in_force`).
#[derive(Clone, Copy, Debug)]
pub struct InForce {
    pub roles: EnumSet<Role>,
    pub from: Option<chrono::NaiveDate>,
    pub until: Option<chrono::NaiveDate>,
}

/// Which of the ways a rule fails to fire at an instant hold at every later one, whatever the
/// scenario: `nextAllowedAt` need not check again a blocking rule that failed in a final way.
#[derive(Clone, Copy, Debug, Default)]
pub struct RuleFinality {
    /// Out of scope (`applies when` false) stays so.
    pub out_of_scope: bool,
    /// The condition false stays false.
    pub condition_false: bool,
    /// An exception that holds keeps holding.
    pub exception_holds: bool,
}

/// Whether a condition that is false at an instant is false at every later one, and likewise
/// for true, by the passage of time alone (no new record). Fields, consents without a length of
/// time, cases without a filter and the borrower's age at a case's instant never change; a
/// count only falls as its interactions leave the window (none dated after `now` is ever
/// counted), so `count >= N` false and `count <= N` true are final; a length of time since a
/// recorded instant only grows, so `at least` true and `less than` false are final; a reply to
/// an interaction already made stays one. A case test is as final as its filter is for every
/// case. The rest (local times and dates, Do Not Interacts) can change either way.
pub fn finality(cond: &Cond) -> (bool, bool) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().map(finality).fold((true, true), |(f, t), (pf, pt)| (f && pf, t && pt)),
        Cond::Not(inner) => {
            let (false_final, true_final) = finality(inner);
            (true_final, false_final)
        }
        Cond::Field(_) | Cond::Consent { held: None, .. } | Cond::CaseExists { filter: None, .. } | Cond::AgeAtCase { .. } => (true, true),
        Cond::CaseExists { filter: Some(filter), .. } => finality(filter),
        Cond::Consent { held: Some(elapsed), .. } | Cond::CaseElapsed { elapsed, .. } => (!elapsed.at_least, elapsed.at_least),
        Cond::Replies { within: None } => (false, true),
        Cond::Count { op: CmpOp::Ge | CmpOp::Gt, .. } | Cond::Exists(_) => (true, false),
        Cond::Count { op: CmpOp::Le | CmpOp::Lt, .. } => (false, true),
        _ => (false, false),
    }
}

fn rule_finality(rule: &Rule) -> RuleFinality {
    RuleFinality {
        out_of_scope: rule.applies.as_ref().is_none_or(|a| finality(a).0),
        condition_false: finality(&rule.condition).0,
        exception_holds: rule.exceptions.iter().all(|e| finality(e).1),
    }
}

impl Compiled {
    pub fn new(rule_set: RuleSet, id: crate::RuleSetId) -> Compiled {
        let mut compiled = Compiled {
            id: std::sync::Arc::new(id),
            federal: ChannelGroups::new(),
            states: HashMap::default(),
            localities: HashMap::default(),
            policy_rules: HashMap::default(),
            blocking: rule_set.rules.iter().map(blocking_condition).collect(),
            finality: rule_set.rules.iter().map(rule_finality).collect(),
            in_force: rule_set.rules.iter().map(|r| InForce { roles: r.roles, from: r.effective_from, until: r.effective_until }).collect(),
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
            group.add(index, channels, rule.roles);
        }
        compiled.rule_set = rule_set;
        compiled
    }
}

impl Compiled {
    /// Rule `index`'s condition as held inside its blocking condition (`blocking[index]`): the
    /// same tree as the rule's own `condition`, at the address the release computations see.
    pub fn condition(&self, index: usize) -> &Cond {
        let rule = &self.rule_set.rules[index];
        let condition = match &self.blocking[index] {
            Cond::All(parts) => &parts[usize::from(rule.applies.is_some())],
            other => other,
        };
        debug_assert_eq!(condition, &rule.condition, "rule {}: the blocking condition's layout changed", rule.id);
        condition
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
