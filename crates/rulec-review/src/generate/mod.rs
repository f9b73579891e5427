//! Scenarios around what changed: for each rule whose decisions may change, cases of the
//! shipped suites (its jurisdiction's, preferring those where it fires or applies) are brought
//! into its scope and then varied, one thing at a time, on both sides of every line the rule
//! draws in either version:
//!
//! - the instants its condition changes as time passes (a window opening in each candidate
//!   zone, a counted interaction leaving its window, a grace period ending), from
//!   [`rulec_eval::Engine::change_points`], one second before and at each;
//! - each count at the numbers on both sides of its limit, with interactions its filter
//!   counts, and with values its filter tells apart (a status one version counts and the
//!   other does not);
//! - each class of values of a field it tests (channel, theme, contact label, loan status…),
//!   numbers on both sides of a comparison, each company role;
//! - its first and last day in force, and the last day of a mute of it, in each zone.
//!
//! Bounded: [`Bounds`] caps seeds per rule, scenarios per seed, change points followed, and the
//! total. A variant is kept only if it is a valid scenario.

mod clock;
mod fields;
mod history;
mod witness;

use crate::corpus::{load_json, Item, Origin};
use crate::source::RuleSide;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use fields::{current, describe, domain, value_name};
use history::{add_interactions, count_tests, filter_masks, CountTest};
use rayon::prelude::*;
use rulec_check::checked::{Jurisdiction, Rule, ValueTest};
use rulec_eval::{Engine, TraceFigure, Verdict};
use rulec_model::{Channel, ContactType, Field, Record, Role, Vocabulary};
use rulec_scenario::{Limits, Scenario};
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Seeds put under a policy and ranked again, at most, for a rule judged under a policy.
const POLICY_CANDIDATES: usize = 32;

/// How many scenarios generation may build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Suite cases each changed rule starts from.
    pub seeds_per_rule: usize,
    /// Scenarios built from one seed.
    pub per_seed: usize,
    /// Change points followed from one scenario, per rule version.
    pub change_points: usize,
    /// Generated scenarios in all (the rest are not built, and the report says so).
    pub total: usize,
}

impl Default for Bounds {
    /// 4 seeds × 48 scenarios per changed rule, 6 change points, 50 000 in all: a one-rule
    /// change generates at most 192 scenarios, a change to every rule of the shipped library
    /// about 20 000.
    fn default() -> Self {
        Bounds { seeds_per_rule: 4, per_seed: 48, change_points: 6, total: 50_000 }
    }
}

/// What generation built.
#[derive(Debug, Default)]
pub struct Generated {
    pub items: Vec<Item>,
    /// Rules with no seed in their jurisdiction (no shipped case to start from).
    pub without_seeds: Vec<String>,
    /// Seeds used, over all rules.
    pub seeds: usize,
    /// The total bound was reached.
    pub truncated: bool,
}

/// The scenarios around every target (rule id, policy it is judged under).
pub fn generate(old: &RuleSide, new: &RuleSide, targets: &[(String, Option<String>)], seeds: &[Item], bounds: &Bounds, limits: &Limits) -> Generated {
    let cx = Cx {
        old: &old.engine,
        new: &new.engine,
        seeds,
        jurisdictions: seeds.iter().map(|s| old.engine.locate(&s.scenario).jurisdictions).collect(),
        scores: (0..seeds.len()).map(|_| OnceLock::new()).collect(),
        bounds,
        limits,
    };
    let per_target: Vec<(Vec<Item>, usize, Option<String>)> = targets.par_iter().map(|(rule, policy)| cx.target(rule, policy.as_deref())).collect();
    let mut out = Generated::default();
    let mut seen: HashSet<String> = seeds.iter().map(|s| s.json.to_string()).collect();
    for (items, seeds_used, missing) in per_target {
        out.seeds += seeds_used;
        out.without_seeds.extend(missing);
        for item in items {
            if out.items.len() >= bounds.total {
                out.truncated = true;
                break;
            }
            if seen.insert(item.json.to_string()) {
                out.items.push(item);
            }
        }
    }
    out
}

struct Cx<'a> {
    old: &'a Engine,
    new: &'a Engine,
    seeds: &'a [Item],
    /// Each seed's jurisdictions (`federal`, `MA`, `NYC`).
    jurisdictions: Vec<Vec<&'static str>>,
    /// Per seed, how well each rule is exercised by it as it is (the better of the two rule
    /// sets): 3 fires, 2 applies and allows, 1 in force but out of scope.
    scores: Vec<OnceLock<HashMap<String, u8>>>,
    bounds: &'a Bounds,
    limits: &'a Limits,
}

/// A version of the target rule: the engine it is in and the rule as it reads there.
#[derive(Clone, Copy)]
struct Version<'a> {
    name: &'static str,
    engine: &'a Engine,
    rule: &'a Rule,
}

fn score(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Blocked | Verdict::Warned | Verdict::Muted => 3,
        Verdict::Allowed => 2,
        Verdict::NotApplicable => 1,
    }
}

fn scores_of(engines: [&Engine; 2], s: &Scenario) -> HashMap<String, u8> {
    let mut out: HashMap<String, u8> = HashMap::new();
    for engine in engines {
        if let Ok(decision) = engine.explain(s) {
            for t in decision.trace {
                let v = score(t.verdict);
                out.entry(t.rule).and_modify(|s| *s = (*s).max(v)).or_insert(v);
            }
        }
    }
    out
}

impl<'a> Cx<'a> {
    fn versions(&self, id: &str) -> Vec<Version<'a>> {
        let mut out = Vec::new();
        if let Some(rule) = self.old.rule_set().rule(id) {
            out.push(Version { name: "old", engine: self.old, rule });
        }
        if let Some(rule) = self.new.rule_set().rule(id) {
            out.push(Version { name: "new", engine: self.new, rule });
        }
        out
    }

    /// The generated items of one target, the seeds used, and the rule if no seed was found.
    fn target(&self, id: &str, policy: Option<&str>) -> (Vec<Item>, usize, Option<String>) {
        let versions = self.versions(id);
        let Some(first) = versions.first() else { return (Vec::new(), 0, None) };
        let policy: Option<String> = policy.map(str::to_string).or(match &first.rule.jurisdiction {
            Jurisdiction::Policy(name) => Some(name.clone()),
            _ => None,
        });
        let wanted: Vec<&str> = versions.iter().filter_map(|v| jurisdiction_label(&v.rule.jurisdiction)).collect();
        let mut candidates: Vec<(u8, usize, Json, Scenario)> = Vec::new();
        // Seeds that must be put under the target's policy first are ranked by how they
        // exercise the rule without it, and only the best of them are loaded again and ranked
        // under the policy: a policy's rule has every seed as a candidate.
        let mut repoliced: Vec<(u8, usize)> = Vec::new();
        for (i, seed) in self.seeds.iter().enumerate() {
            if !wanted.is_empty() && !self.jurisdictions[i].iter().any(|j| wanted.contains(j)) {
                continue;
            }
            let rank = self.scores[i].get_or_init(|| scores_of([self.old, self.new], &seed.scenario)).get(id).copied().unwrap_or(0);
            match &policy {
                Some(p) if seed.scenario.policy() != Some(p) => repoliced.push((rank, i)),
                _ => candidates.push((rank, i, seed.json.clone(), seed.scenario.clone())),
            }
        }
        repoliced.sort_by_key(|(rank, i)| (std::cmp::Reverse(*rank), *i));
        for (_, i) in repoliced.into_iter().take(POLICY_CANDIDATES) {
            let mut json = self.seeds[i].json.clone();
            json["policy"] = Json::String(policy.clone().unwrap_or_default());
            let Ok(scenario) = load_json(&json, self.limits) else { continue };
            let rank = scores_of([self.old, self.new], &scenario).get(id).copied().unwrap_or(0);
            candidates.push((rank, i, json, scenario));
        }
        if candidates.is_empty() {
            return (Vec::new(), 0, Some(id.to_string()));
        }
        let chosen = choose_seeds(candidates, self.bounds.seeds_per_rule);
        let mut items = Vec::new();
        for (i, json, scenario) in &chosen {
            let seed = &self.seeds[*i];
            for (label, json) in self.variants(&versions, policy.as_deref(), json, scenario) {
                let Ok(scenario) = load_json(&json, self.limits) else { continue };
                items.push(Item {
                    name: format!("{} · {label}", seed.name),
                    origin: Origin::Generated { rule: id.to_string(), policy: policy.clone(), seed: seed.name.clone(), variant: label },
                    json,
                    scenario,
                    logged: None,
                    logged_under: None,
                });
            }
        }
        (items, chosen.len(), None)
    }

    /// Every variant of one seed, most telling first, at most `per_seed`.
    fn variants(&self, versions: &[Version<'_>], policy: Option<&str>, seed_json: &Json, seed: &Scenario) -> Vec<(String, Json)> {
        let (json, notes) = scope(versions, policy, seed_json, seed);
        let scoped = if notes.is_empty() { seed.clone() } else { load_json(&json, self.limits).unwrap_or_else(|_| seed.clone()) };
        let base_label = if notes.is_empty() { "as in the suite".to_string() } else { format!("in scope: {}", notes.join(", ")) };
        let zones = self.old.locate(&scoped).zones;
        let mut out = vec![(base_label, json.clone())];
        let traces: Vec<Vec<TraceFigure>> = versions
            .iter()
            .map(|v| v.engine.explain(&scoped).ok().and_then(|d| d.trace.into_iter().find(|t| t.rule == v.rule.id)).map_or_else(Vec::new, |t| t.figures))
            .collect();

        // Counts on both sides of each limit.
        let mut at_limit: Vec<(String, Json)> = Vec::new();
        let mut class_variants = Vec::new();
        let mut all_tests: Vec<CountTest<'_>> = Vec::new();
        for v in versions {
            let mut tests = Vec::new();
            for cond in v.rule.applies.iter().chain(std::iter::once(&v.rule.condition)).chain(&v.rule.exceptions) {
                count_tests(cond, &mut tests);
            }
            all_tests.extend(tests.iter().cloned());
        }
        let mut masks: Vec<(Field, u128)> = Vec::new();
        all_tests.iter().for_each(|t| filter_masks(t, &mut masks));
        for (vi, v) in versions.iter().enumerate() {
            let mut tests = Vec::new();
            for cond in v.rule.applies.iter().chain(std::iter::once(&v.rule.condition)).chain(&v.rule.exceptions) {
                count_tests(cond, &mut tests);
            }
            for test in &tests {
                let Some(witness) = test.witness(&scoped) else { continue };
                // Counts are built on the seed without the interactions it already counted, so
                // that "n counted interactions" means n.
                let (seen, counted) = existing_count(&traces[vi], test, &fields::request_loan_ids(&json));
                let (base, seen) = match without(&json, &counted) {
                    Some(base) => (base, 0),
                    None => (json.clone(), seen),
                };
                let Ok(base_scenario) = load_json(&base, self.limits) else { continue };
                let sides = test.sides();
                for &n in &sides {
                    if n < seen || n - seen > 40 {
                        continue;
                    }
                    let mut variant = base.clone();
                    add_interactions(&mut variant, &base_scenario, &zones, test, &witness, &[], n - seen);
                    let label = format!("{n} counted interactions ({} rule: {})", v.name, test.describe());
                    if count_holds(n, test) {
                        at_limit.push((label.clone(), variant.clone()));
                    }
                    out.push((label, variant));
                }
                // Interactions of each kind the filters tell apart, as many as the larger side.
                let n = *sides.last().unwrap_or(&1);
                if n == 0 || n <= seen || n - seen > 40 {
                    continue;
                }
                let chosen = witness.choose(&|f| fields::current(&base_scenario, f));
                for (field, _) in dedup_fields(&masks) {
                    let field_masks: Vec<u128> = masks.iter().filter(|(f, _)| *f == field).map(|(_, m)| *m).collect();
                    let now_value = chosen.iter().find(|(f, _)| *f == field).map(|(_, v)| *v);
                    for value in witness::classes(domain(field).unwrap_or(0), &field_masks, now_value).into_iter().skip(usize::from(now_value.is_some())) {
                        let mut variant = base.clone();
                        add_interactions(&mut variant, &base_scenario, &zones, test, &witness, &[(field, value)], n - seen);
                        let name = describe(field).map_or("?", |d| d.1);
                        class_variants.push((format!("{n} interactions with {name} {} ({} rule: {})", value_name(field, value), v.name, test.describe()), variant));
                    }
                }
            }
        }

        // The instants the condition changes, one second before and at each.
        let horizon = scoped.now() + Duration::days(400);
        let mut instants: Vec<DateTime<Utc>> = Vec::new();
        for v in versions {
            instants.extend(v.engine.change_points(&scoped, &v.rule.id, horizon, self.bounds.change_points));
        }
        instants.sort();
        instants.dedup();
        for t in instants {
            for at in [t - Duration::seconds(1), t] {
                let mut variant = json.clone();
                clock::advance(&mut variant, scoped.now(), at);
                out.push((format!("now {}", local_label(at, &zones)), variant));
            }
        }

        // First and last days in force, mutes' last days: the whole story moved there.
        for (what, at) in date_boundaries(versions, policy, &zones) {
            for t in [at - Duration::seconds(1), at] {
                let mut variant = json.clone();
                clock::shift(&mut variant, scoped.now(), t - scoped.now());
                out.push((format!("moved to {} ({what})", local_label(t, &zones)), variant));
            }
        }

        // Each class of values of the fields the rule tests; numbers on both sides.
        let accept = |f: Field| domain(f).is_some() && describe(f).is_some_and(|(r, _, _)| matches!(r, Record::Request | Record::Contact | Record::Loan | Record::Borrower));
        let mut field_masks: Vec<(Field, u128)> = Vec::new();
        let mut scalars = Vec::new();
        for v in versions {
            for cond in v.rule.applies.iter().chain(std::iter::once(&v.rule.condition)).chain(&v.rule.exceptions) {
                witness::masks(cond, &accept, &mut field_masks);
                witness::scalar_tests(cond, &|f| domain(f).is_none(), &mut scalars);
            }
        }
        for (field, _) in dedup_fields(&field_masks) {
            let list: Vec<u128> = field_masks.iter().filter(|(f, _)| *f == field).map(|(_, m)| *m).collect();
            let now_value = current(&scoped, field);
            for value in witness::classes(domain(field).unwrap_or(0), &list, now_value).into_iter().skip(usize::from(now_value.is_some())) {
                let mut variant = json.clone();
                apply(&mut variant, &scoped, &[(field, value)]);
                out.push((format!("{} {}", field.path(), value_name(field, value)), variant));
            }
        }
        for (field, test) in scalars {
            for (label, value) in scalar_values(field, test, scoped.now()) {
                let mut variant = json.clone();
                let set = if field == Field::BorrowerAge {
                    variant.get_mut("borrower").and_then(Json::as_object_mut).map(|b| b.insert("dateOfBirth".into(), value)).is_some()
                } else {
                    fields::set(&mut variant, field, value)
                };
                if set {
                    out.push((label, variant));
                }
            }
        }
        for role in Role::ALL.iter().filter(|r| **r != scoped.company().role) {
            let mut variant = json.clone();
            set_role(&mut variant, *role);
            out.push((format!("role {}", role.name()), variant));
        }
        out.extend(class_variants);

        // Where a count blocks, the instants its interactions leave the window.
        for (label, variant) in at_limit.into_iter().take(2) {
            let Ok(s) = load_json(&variant, self.limits) else { continue };
            let mut instants: Vec<DateTime<Utc>> = Vec::new();
            for v in versions {
                instants.extend(v.engine.change_points(&s, &v.rule.id, s.now() + Duration::days(400), 2));
            }
            instants.sort();
            instants.dedup();
            for t in instants {
                for at in [t - Duration::seconds(1), t] {
                    let mut moved = variant.clone();
                    clock::advance(&mut moved, s.now(), at);
                    out.push((format!("{label}, now {}", local_label(at, &zones)), moved));
                }
            }
        }
        let mut seen = HashSet::new();
        out.retain(|(_, j)| seen.insert(j.to_string()));
        out.truncate(self.bounds.per_seed);
        out
    }
}

/// Does the count `n` make the test hold (the side where the rule fires)?
fn count_holds(n: u32, test: &CountTest<'_>) -> bool {
    use rulec_check::checked::CmpOp;
    match test.op {
        CmpOp::Lt => n < test.limit,
        CmpOp::Le => n <= test.limit,
        CmpOp::Gt => n > test.limit,
        CmpOp::Ge => n >= test.limit,
        CmpOp::Eq => n == test.limit,
        CmpOp::Ne => n != test.limit,
    }
}

/// The name decisions give the rule's jurisdiction, when seeds must be in it (`None`: any seed
/// will do, federal rules and policies' own).
fn jurisdiction_label(j: &Jurisdiction) -> Option<&str> {
    match j {
        Jurisdiction::State(code) => Some(code),
        Jurisdiction::Locality { name, .. } => Some(name),
        Jurisdiction::Federal | Jurisdiction::Policy(_) => None,
    }
}

/// The best seeds: one where the rule fires, one where it applies and allows, then the best
/// of the rest; in suite order among equals.
fn choose_seeds(mut candidates: Vec<(u8, usize, Json, Scenario)>, n: usize) -> Vec<(usize, Json, Scenario)> {
    candidates.sort_by_key(|(score, i, _, _)| (std::cmp::Reverse(*score), *i));
    let mut picked: Vec<usize> = Vec::new();
    for want in [3u8, 2] {
        if let Some(k) = candidates.iter().position(|c| c.0 == want) {
            picked.push(k);
        }
    }
    for k in 0..candidates.len() {
        if picked.len() >= n {
            break;
        }
        if !picked.contains(&k) {
            picked.push(k);
        }
    }
    picked.truncate(n);
    picked.sort_unstable();
    let mut out = Vec::new();
    for (k, (_, i, json, scenario)) in candidates.into_iter().enumerate() {
        if picked.contains(&k) {
            out.push((i, json, scenario));
        }
    }
    out
}

/// How many interactions the rule already counted for this test in the seed, and their ids
/// (0 and none if the trace does not say). Per loan, the request's first loan's.
fn existing_count(figures: &[TraceFigure], test: &CountTest<'_>, loans: &[String]) -> (u32, Vec<String>) {
    let matching: Vec<(u32, Option<&String>, &Vec<String>)> = figures
        .iter()
        .filter_map(|f| match f {
            TraceFigure::Count { count, op, limit, loan, interactions, .. } if op == test.op.as_str() && *limit == test.limit => Some((*count, loan.as_ref(), interactions)),
            _ => None,
        })
        .collect();
    matching
        .iter()
        .find(|(_, l, _)| l.is_some_and(|l| loans.first() == Some(l)))
        .or(matching.first())
        .map_or((0, Vec::new()), |(c, _, ids)| (*c, (*ids).clone()))
}

/// The scenario without these past interactions; `None` when one of them is answered or
/// followed by another interaction or the request (removing it would break the reference).
fn without(json: &Json, ids: &[String]) -> Option<Json> {
    if ids.is_empty() {
        return Some(json.clone());
    }
    let text = |v: Option<&Json>| match v {
        Some(Json::String(s)) => Some(s.clone()),
        Some(Json::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let listed = |v: Option<&Json>| text(v).is_some_and(|t| ids.contains(&t));
    let referenced = |v: &Json| listed(v.get("previousInteractionId"));
    let list = json.get("interactions").and_then(Json::as_array)?;
    if list.iter().any(&referenced) || json.get("request").is_some_and(referenced) {
        return None;
    }
    let mut out = json.clone();
    let kept: Vec<Json> = list.iter().filter(|i| !listed(i.get("id"))).cloned().collect();
    out["interactions"] = Json::Array(kept);
    Some(out)
}

fn dedup_fields(list: &[(Field, u128)]) -> Vec<(Field, u128)> {
    let mut out: Vec<(Field, u128)> = Vec::new();
    for &(f, m) in list {
        if !out.iter().any(|(g, _)| *g == f) {
            out.push((f, m));
        }
    }
    out
}

/// `2026-03-10 21:00:00 EDT` in the first candidate zone (UTC if none).
fn local_label(t: DateTime<Utc>, zones: &[Tz]) -> String {
    let zone = zones.first().copied().unwrap_or(Tz::UTC);
    t.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S %Z").to_string()
}

/// The instants a rule comes into force, goes out of force, or a mute of it ends, in each
/// candidate zone, with what they are.
fn date_boundaries(versions: &[Version<'_>], policy: Option<&str>, zones: &[Tz]) -> Vec<(String, DateTime<Utc>)> {
    let zones: Vec<Tz> = if zones.is_empty() { vec![Tz::UTC] } else { zones.to_vec() };
    let starts = |date: NaiveDate| -> Vec<DateTime<Utc>> { zones.iter().map(|z| rulec_time::window::start_of_local_day(date, *z)).collect() };
    let mut out = Vec::new();
    for v in versions {
        if let Some(from) = v.rule.effective_from {
            out.extend(starts(from).into_iter().map(|t| (format!("{} rule in force from {from}", v.name), t)));
        }
        if let Some(until) = v.rule.effective_until.and_then(|u| u.succ_opt()) {
            out.extend(starts(until).into_iter().map(|t| (format!("{} rule in force until the day before {until}", v.name), t)));
        }
        let set = v.engine.rule_set();
        let index = set.rules.iter().position(|r| r.id == v.rule.id);
        for p in set.policies.iter().filter(|p| policy.is_none_or(|name| p.name == name)) {
            for m in p.mutes.iter().filter(|m| index.is_some_and(|i| m.rules.contains(&i))) {
                if let Some(after) = m.until.succ_opt() {
                    out.extend(starts(after).into_iter().map(|t| (format!("{} mute in {} until {}", v.name, p.name, m.until), t)));
                }
            }
        }
    }
    out.sort_by_key(|(_, t)| *t);
    out.dedup_by_key(|(_, t)| *t);
    out
}

/// Brings a seed into the target rule's scope: a role it binds, values its `applies when`
/// needs, a date it is in force. Returns the JSON and what was changed (empty: nothing).
fn scope(versions: &[Version<'_>], policy: Option<&str>, json: &Json, s: &Scenario) -> (Json, Vec<String>) {
    let mut json = json.clone();
    let mut notes = Vec::new();
    let mut roles: Vec<Role> = Vec::new();
    for v in versions {
        roles.extend(v.rule.roles.iter());
        let set = v.engine.rule_set();
        let index = set.rules.iter().position(|r| r.id == v.rule.id);
        for p in set.policies.iter().filter(|p| policy == Some(p.name.as_str())) {
            for e in p.extends.iter().filter(|e| index.is_some_and(|i| e.rules.contains(&i))) {
                roles.extend(e.roles.iter());
            }
        }
    }
    if !roles.is_empty() && !roles.contains(&s.company().role) {
        set_role(&mut json, roles[0]);
        notes.push(format!("role {}", roles[0].name()));
    }
    let accept = |f: Field| domain(f).is_some() && describe(f).is_some_and(|(r, _, _)| matches!(r, Record::Request | Record::Contact | Record::Loan | Record::Borrower));
    let now = |f: Field| current(s, f);
    // The newer version's scope first: that is the rule the change brings.
    for v in versions.iter().rev() {
        let Some(applies) = &v.rule.applies else { break };
        let Some(constraints) = witness::solve(applies, true, &accept, &now) else { continue };
        if !constraints.satisfied_by(&now) {
            let changes: Vec<(Field, usize)> = constraints.choose(&now).into_iter().filter(|(f, v)| current(s, *f) != Some(*v)).collect();
            notes.extend(apply(&mut json, s, &changes));
        }
        break;
    }
    // A date the rule is in force on (in every version that has it, where they overlap).
    let today = s.now().date_naive();
    let from = versions.iter().filter_map(|v| v.rule.effective_from).max();
    let until = versions.iter().filter_map(|v| v.rule.effective_until).min();
    let target = match (from, until) {
        (Some(f), _) if today <= f => Some(f + Duration::days(1)),
        (_, Some(u)) if today >= u => Some(u - Duration::days(1)),
        _ => None,
    };
    if let Some(date) = target {
        clock::shift(&mut json, s.now(), Duration::days((date - today).num_days()));
        notes.push(format!("moved to {date}"));
    }
    (json, notes)
}

/// Sets request-side fields, keeping the scenario coherent: a channel gets a contact it can
/// reach, and contact values are had by choosing another of the borrower's contacts when one
/// fits, else by changing the contact. Returns what changed, in words.
fn apply(json: &mut Json, s: &Scenario, changes: &[(Field, usize)]) -> Vec<String> {
    let mut notes = Vec::new();
    let channel = changes.iter().find(|(f, _)| *f == Field::RequestChannel).and_then(|(_, v)| Channel::from_index(*v)).unwrap_or(s.request().channel);
    let contact_changes: Vec<(Field, usize)> = changes.iter().copied().filter(|(f, _)| describe(*f).is_some_and(|(r, _, _)| r == Record::Contact)).collect();
    let request_contact = s.request_contact();
    let fits = |c: &rulec_scenario::Contact| reaches(channel, c.contact_type) && contact_changes.iter().all(|(f, v)| fields::contact_value(c, *f) == Some(*v));
    if !fits(request_contact) {
        if let Some(other) = s.contacts().iter().find(|c| c.id.is_some() && fits(c)) {
            let id = other.id.clone().unwrap_or_default();
            fields::set_request_contact(json, &id);
            notes.push(format!("contact {id}"));
        } else {
            for (f, v) in &contact_changes {
                if let Some(value) = fields::json_value(*f, *v) {
                    fields::set(json, *f, value);
                    notes.push(format!("{} {}", f.path(), value_name(*f, *v)));
                }
            }
        }
    }
    for (f, v) in changes.iter().filter(|(f, _)| !describe(*f).is_some_and(|(r, _, _)| r == Record::Contact)) {
        if let Some(value) = fields::json_value(*f, *v) {
            if fields::set(json, *f, value) {
                notes.push(format!("{} {}", f.path(), value_name(*f, *v)));
            }
        }
    }
    notes
}

/// Whether a channel can reach a contact of this type.
fn reaches(channel: Channel, contact: ContactType) -> bool {
    match channel {
        Channel::Voice | Channel::Text | Channel::Fax => matches!(contact, ContactType::Phone | ContactType::WhatsApp),
        Channel::Email => contact == ContactType::Email,
        Channel::Mail | Channel::Document => contact == ContactType::Address,
        Channel::Chat | Channel::Gui => true,
    }
}

fn set_role(json: &mut Json, role: Role) {
    match json.get_mut("company").and_then(Json::as_object_mut) {
        Some(company) => {
            company.insert("role".into(), Json::String(role.name().into()));
        }
        None => json["company"] = serde_json::json!({ "role": role.name() }),
    }
}

/// Values on both sides of a number or text test: `loan.daysPastDue >= 30` gives 29, 30, 31;
/// `borrower.age < 18` gives the dates of birth of a 17-, 18- and 19-year-old; a text list
/// gives its values and one outside it.
fn scalar_values(field: Field, test: &ValueTest, now: DateTime<Utc>) -> Vec<(String, Json)> {
    match (field, test) {
        (Field::BorrowerAge, ValueTest::Int(_, limit)) => (limit - 1..=limit + 1)
            .filter(|a| *a >= 0)
            .filter_map(|age| {
                let today = now.date_naive();
                let born = today.with_year(today.year() - age as i32).or_else(|| (today - Duration::days(1)).with_year(today.year() - age as i32))?;
                Some((format!("borrower aged {age}"), Json::String(born.to_string())))
            })
            .collect(),
        (_, ValueTest::Int(_, limit)) => (limit - 1..=limit + 1).filter(|v| *v >= 0).map(|v| (format!("{} {v}", field.path()), Json::from(v))).collect(),
        (_, ValueTest::TextIn(values)) => values
            .iter()
            .take(3)
            .map(|v| (format!("{} {v}", field.path()), Json::String(v.clone())))
            .chain(std::iter::once((format!("{} (another)", field.path()), Json::String("review-other".into()))))
            .collect(),
        _ => Vec::new(),
    }
}

use chrono::Datelike;
