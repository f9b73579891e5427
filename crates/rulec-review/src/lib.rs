//! Rule change review: what a change to the rules does to decisions, before it ships.
//!
//! Two rule sets (a folder, or the rules at a git revision: [`source`]) are compared by
//! meaning ([`changes`]), and a corpus of scenarios is decided under both ([`diff`]): the
//! scenarios given (suites, single scenarios, NDJSON batch input or decision logs:
//! [`corpus`]) and scenarios generated on both sides of every line each changed rule draws
//! ([`generate`]). Every decision that changes is reported ([`outcome`]): its result, the
//! rules that block, warn or are muted, its `nextAllowedAt`. [`replay`] does the same for a
//! decision log of `rulec eval --batch --log`, against the decisions it recorded.
//! [`render`] writes the report for people (human), machines (json) and pull requests
//! (markdown).
//!
//! ```
//! use rulec_review::{diff, Options, RuleSide};
//! use rulec_syntax::SourceFile;
//!
//! let rule = |hour: &str| vec![SourceFile::new("federal/quiet.rules", format!(r#"
//! rule federal.example.quiet_hours {{
//!   title "No calls before {hour}"
//!   cites "example"
//!   binds every role
//!   blocks when local time is outside {hour} to 21:00
//! }}
//! "#))];
//! let old = RuleSide::from_sources("old", rule("08:00")).unwrap();
//! let new = RuleSide::from_sources("new", rule("09:00")).unwrap();
//! let (scenario, _) = rulec_scenario::load_scenario(r#"
//! now: 2026-03-10T12:30:00Z
//! borrower: {id: BO-AAAA-1111, timezone: America/New_York}
//! contacts: [{id: CT-AAAA-1111, contactType: phone, value: "+16175550100", affiliation: self}]
//! request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111}
//! "#).unwrap();
//! let item = rulec_review::corpus::Item {
//!     name: "8:30 in New York".into(),
//!     origin: rulec_review::corpus::Origin::Given { file: "x.yaml".into(), case: None, line: None },
//!     json: serde_json::json!({}),
//!     scenario,
//!     logged: None,
//!     logged_under: None,
//! };
//! let report = diff(&old, &new, vec![item], &[], 0, &Options::default());
//! assert_eq!(report.flips.len(), 1);
//! assert_eq!(report.flips[0].kinds[0].name(), "allowed-to-blocked");
//! ```

pub mod changes;
pub mod corpus;
pub mod generate;
pub mod log;
pub mod outcome;
pub mod render;
pub mod source;

pub use changes::RuleChanges;
pub use corpus::{Item, Origin};
pub use generate::Bounds;
pub use outcome::{Kind, Outcome, Side};
pub use source::{git_show, RuleSide, RuleSource};

use rayon::prelude::*;
use rulec_eval::{Decision, Engine};
use serde::Serialize;

/// A review that cannot be made: rules that do not load, an unreadable or invalid input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewError(pub String);

impl std::fmt::Display for ReviewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReviewError {}

/// How a review is made.
#[derive(Clone, Debug)]
pub struct Options {
    /// Generate scenarios around the changed rules (off: the given corpus only).
    pub generate: bool,
    pub bounds: Bounds,
    /// Limits of scenario loading.
    pub limits: rulec_scenario::Limits,
    /// Flips of each kind kept with both decisions explained, for the examples of a report.
    pub examples: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { generate: true, bounds: Bounds::default(), limits: rulec_scenario::Limits::default(), examples: 3 }
    }
}

/// Whether the old side was decided now (a diff) or read from a log (a replay).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    Diff,
    Replay,
}

/// One rule set of a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SideInfo {
    /// The source (`rules`, `git:main:rules`) or the log file.
    pub source: String,
    /// Rule-set digests (one for a rule source; those the log records for a replay).
    pub digests: Vec<String>,
    /// How many rules (not known for a log).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<usize>,
}

/// What was decided.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CorpusInfo {
    /// Scenarios from the files given.
    pub given: usize,
    /// Scenarios generated around the changed rules.
    pub generated: usize,
    /// Log records without a decision (inputs that were invalid when logged), not compared.
    pub skipped: usize,
    /// Suite cases the generated scenarios start from, over all changed rules.
    pub seeds: usize,
    /// Changed rules with no suite case in their jurisdiction to start from.
    pub without_seeds: Vec<String>,
    /// The bound on generated scenarios was reached.
    pub truncated: bool,
}

/// A scenario whose decision changed.
#[derive(Clone, Debug)]
pub struct Flip {
    /// Every way it changed, most important first.
    pub kinds: Vec<Kind>,
    pub name: String,
    pub origin: Origin,
    pub scenario: serde_json::Value,
    pub old: Side,
    pub new: Side,
    /// The rules the change is due to: those blocking, warning or muted on one side only; when
    /// none (a release time moved), the changed rules in force.
    pub rules: Vec<String>,
    /// The borrower's states and localities (none: federal rules only).
    pub jurisdictions: Vec<String>,
    /// Both decisions with their traces, for the first flips of each kind (the old one is
    /// absent in a replay: the log has the decision, not the rules).
    pub explained: Option<(Option<Decision>, Decision)>,
}

impl Flip {
    pub fn kind(&self) -> Kind {
        self.kinds[0]
    }
}

/// The rule sets a replayed log's records name, against the replay rules.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Logged {
    /// Each digest the compared records were logged under, in order of first appearance.
    pub rule_sets: Vec<LoggedRuleSet>,
    /// Compared records that name no rule set.
    pub unnamed: usize,
    /// Changed decisions whose record names the replay rules' own digest: the same rules
    /// decided them otherwise, so the log does not come from these rules as they are, or the
    /// evaluator changed since it was written.
    pub changed_under_same_rules: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRuleSet {
    pub digest: String,
    pub records: usize,
    /// Whether it is the replay rules' digest.
    pub same_as_replay: bool,
}

/// The result of a review.
#[derive(Clone, Debug)]
pub struct Report {
    pub mode: Mode,
    pub old: SideInfo,
    pub new: SideInfo,
    /// What changed in the rules (empty for a replay).
    pub changes: RuleChanges,
    pub corpus: CorpusInfo,
    pub flips: Vec<Flip>,
    /// The jurisdiction label (`federal`, `MA`, `policy:acme`) of every rule of either set.
    pub rule_jurisdictions: std::collections::BTreeMap<String, String>,
    /// A replay's logged rule sets (`None` for a diff).
    pub logged: Option<Logged>,
}

impl Report {
    /// How many flips of a kind (by each flip's main kind).
    pub fn count(&self, kind: Kind) -> usize {
        self.flips.iter().filter(|f| f.kind() == kind).count()
    }

    /// Should a gate fail? `None`: any change at all.
    pub fn fails(&self, on: Option<Kind>) -> bool {
        match on {
            None => !self.flips.is_empty(),
            Some(kind) => self.count(kind) > 0,
        }
    }
}

/// Decides the corpus under both rule sets and reports every decision that changes.
/// `seeds` are the suite cases generated scenarios start from (the shipped suites);
/// `skipped` counts log records of the given files that had nothing to decide.
pub fn diff(old: &RuleSide, new: &RuleSide, given: Vec<Item>, seeds: &[Item], skipped: usize, options: &Options) -> Report {
    let changes = changes::compare(old.engine.rule_set(), new.engine.rule_set());
    let targets = changes.targets();
    let generated = if options.generate && !targets.is_empty() {
        generate::generate(old, new, &targets, seeds, &options.bounds, &options.limits)
    } else {
        generate::Generated::default()
    };
    let corpus = CorpusInfo {
        given: given.len(),
        generated: generated.items.len(),
        skipped,
        seeds: generated.seeds,
        without_seeds: generated.without_seeds,
        truncated: generated.truncated,
    };
    let items: Vec<Item> = given.into_iter().chain(generated.items).collect();
    let sides: Vec<(Side, Side)> = items.par_iter().map(|i| (corpus::decide(&old.engine, &i.scenario), corpus::decide(&new.engine, &i.scenario))).collect();
    let flips = flips(items, sides, Some(&old.engine), &new.engine, &changes.rule_ids(), options.examples);
    Report {
        mode: Mode::Diff,
        old: SideInfo { source: old.label.clone(), digests: vec![old.digest().to_string()], rules: Some(old.engine.rule_set().rules.len()) },
        new: SideInfo { source: new.label.clone(), digests: vec![new.digest().to_string()], rules: Some(new.engine.rule_set().rules.len()) },
        changes,
        corpus,
        flips,
        rule_jurisdictions: jurisdictions_of(&[&old.engine, &new.engine]),
        logged: None,
    }
}

fn jurisdictions_of(engines: &[&Engine]) -> std::collections::BTreeMap<String, String> {
    engines.iter().flat_map(|e| e.rule_set().rules.iter()).map(|r| (r.id.clone(), r.jurisdiction.label())).collect()
}

/// Re-decides the scenarios of a decision log under `new` and reports every decision that
/// differs from the one logged; and which rule sets the log's records name.
pub fn replay(log: &str, new: &RuleSide, items: Vec<Item>, skipped: usize, options: &Options) -> Report {
    let (items, unlogged): (Vec<Item>, Vec<Item>) = items.into_iter().partition(|i| i.logged.is_some());
    let mut logged = Logged::default();
    for item in &items {
        match &item.logged_under {
            Some(digest) => match logged.rule_sets.iter_mut().find(|r| &r.digest == digest) {
                Some(known) => known.records += 1,
                None => logged.rule_sets.push(LoggedRuleSet { digest: digest.clone(), records: 1, same_as_replay: digest == new.digest() }),
            },
            None => logged.unnamed += 1,
        }
    }
    let under_same_rules: std::collections::HashSet<String> =
        items.iter().filter(|i| i.logged_under.as_deref() == Some(new.digest())).map(|i| i.name.clone()).collect();
    let digests = logged.rule_sets.iter().map(|r| r.digest.clone()).collect();
    let sides: Vec<(Side, Side)> = items
        .par_iter()
        .map(|i| (i.logged.clone().expect("partitioned on logged"), corpus::decide(&new.engine, &i.scenario)))
        .collect();
    let corpus = CorpusInfo {
        given: items.len(),
        generated: 0,
        skipped: skipped + unlogged.len(),
        seeds: 0,
        without_seeds: Vec::new(),
        truncated: false,
    };
    let flips = flips(items, sides, None, &new.engine, &[], options.examples);
    logged.changed_under_same_rules = flips.iter().filter(|f| under_same_rules.contains(&f.name)).count();
    Report {
        mode: Mode::Replay,
        old: SideInfo { source: log.to_string(), digests, rules: None },
        new: SideInfo { source: new.label.clone(), digests: vec![new.digest().to_string()], rules: Some(new.engine.rule_set().rules.len()) },
        changes: RuleChanges::default(),
        corpus,
        flips,
        rule_jurisdictions: jurisdictions_of(&[&new.engine]),
        logged: Some(logged),
    }
}

/// The items whose sides differ, attributed and (the first of each kind) explained.
fn flips(items: Vec<Item>, sides: Vec<(Side, Side)>, old: Option<&Engine>, new: &Engine, changed: &[String], examples: usize) -> Vec<Flip> {
    let mut out: Vec<Flip> = Vec::new();
    let mut explained_per_kind: std::collections::HashMap<Kind, usize> = std::collections::HashMap::new();
    for (item, (old_side, new_side)) in items.into_iter().zip(sides) {
        let kinds = outcome::compare(&old_side, &new_side);
        if kinds.is_empty() {
            continue;
        }
        let mut rules = outcome::rules_that_differ(&old_side, &new_side);
        let shown = explained_per_kind.entry(kinds[0]).or_insert(0);
        let example = *shown < examples;
        // Traces are made only where they are needed: for an example, or to find the changed
        // rules in force when no finding differs (a release time moved).
        let (explain_old, explain_new) = if example || rules.is_empty() {
            (old.and_then(|e| e.explain(&item.scenario).ok()), new.explain(&item.scenario).ok())
        } else {
            (None, None)
        };
        if rules.is_empty() {
            let in_force = |d: &Option<Decision>| d.as_ref().map_or_else(Vec::new, |d| d.trace.iter().map(|t| t.rule.clone()).collect::<Vec<_>>());
            let (a, b) = (in_force(&explain_old), in_force(&explain_new));
            rules = changed.iter().filter(|id| a.contains(id) || b.contains(id)).cloned().collect();
            if let (true, Origin::Generated { rule, .. }) = (rules.is_empty(), &item.origin) {
                rules.push(rule.clone());
            }
        }
        let mut jurisdictions: Vec<String> = new.locate(&item.scenario).jurisdictions.into_iter().filter(|j| *j != "federal").map(str::to_string).collect();
        jurisdictions.dedup();
        let explained = match explain_new {
            Some(n) if example => {
                *shown += 1;
                Some((explain_old, n))
            }
            _ => None,
        };
        out.push(Flip { kinds, name: item.name, origin: item.origin, scenario: item.json, old: old_side, new: new_side, rules, jurisdictions, explained });
    }
    out
}
