//! The report for people (`human`), machines (`json`) and pull-request comments (`markdown`).

pub(crate) mod human;
mod json;
mod markdown;

pub use human::human;
pub use json::json;
pub use markdown::markdown;

use crate::outcome::{Kind, Side};
use crate::Report;
use std::collections::BTreeMap;

/// Renders a decision with its trace, as `rulec eval --explain` does (the CLI's renderer).
pub type Explain<'a> = &'a dyn Fn(&rulec_eval::Decision) -> String;

/// Counts per row of a summary table: allowed → blocked, blocked → allowed, any other change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub allowed_to_blocked: usize,
    pub blocked_to_allowed: usize,
    pub other: usize,
}

impl Counts {
    fn add(&mut self, kind: Kind) {
        match kind {
            Kind::AllowedToBlocked => self.allowed_to_blocked += 1,
            Kind::BlockedToAllowed => self.blocked_to_allowed += 1,
            _ => self.other += 1,
        }
    }
}

/// Changed decisions per rule they are due to (a decision due to two rules counts for each).
pub fn by_rule(report: &Report) -> BTreeMap<String, Counts> {
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for flip in &report.flips {
        for rule in &flip.rules {
            out.entry(rule.clone()).or_default().add(flip.kind());
        }
        if flip.rules.is_empty() {
            out.entry("(no single rule)".into()).or_default().add(flip.kind());
        }
    }
    out
}

/// Changed decisions per state or locality of the borrower (`no state`: federal rules only).
pub fn by_jurisdiction(report: &Report) -> BTreeMap<String, Counts> {
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for flip in &report.flips {
        if flip.jurisdictions.is_empty() {
            out.entry("no state".into()).or_default().add(flip.kind());
        }
        for j in &flip.jurisdictions {
            out.entry(j.clone()).or_default().add(flip.kind());
        }
    }
    out
}

/// One line for a side: `BLOCKED by 1 rule (ma.call_frequency); next allowed at …`.
pub fn side_line(side: &Side) -> String {
    match side {
        Err(message) => format!("not decided: {message}"),
        Ok(o) => {
            let mut text = o.verdict();
            if !o.blocked_by.is_empty() {
                text.push_str(&format!(" ({})", o.blocked_by.join(", ")));
            }
            if !o.warnings.is_empty() {
                text.push_str(&format!("; warnings: {}", o.warnings.join(", ")));
            }
            if !o.muted.is_empty() {
                text.push_str(&format!("; muted: {}", o.muted.join(", ")));
            }
            if !o.result {
                text.push_str(&format!("; next allowed at {}", o.next_allowed_at.as_deref().unwrap_or("never by time alone")));
            }
            text
        }
    }
}

/// `12 decisions change: 2 allowed → blocked, 6 blocked → allowed, 4 other`.
pub fn headline(report: &Report) -> String {
    let n = report.flips.len();
    if n == 0 {
        return "no decision changes".into();
    }
    let a = report.count(Kind::AllowedToBlocked);
    let b = report.count(Kind::BlockedToAllowed);
    format!(
        "{n} decision{} change{}: {a} allowed → blocked, {b} blocked → allowed, {} other",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
        n - a - b
    )
}

/// `1042 scenarios (890 given, 152 generated from 4 suite cases)`.
pub fn corpus_line(report: &Report) -> String {
    let c = &report.corpus;
    let mut text = format!("{} scenarios decided ({} given", c.given + c.generated, c.given);
    if report.mode == crate::Mode::Diff {
        text.push_str(&format!(", {} generated from {} suite case{}", c.generated, c.seeds, if c.seeds == 1 { "" } else { "s" }));
    }
    text.push(')');
    if c.skipped > 0 {
        text.push_str(&format!("; {} log record{} without a decision not compared", c.skipped, if c.skipped == 1 { "" } else { "s" }));
    }
    if c.truncated {
        text.push_str("; generation stopped at its bound");
    }
    if !c.without_seeds.is_empty() {
        text.push_str(&format!("; no suite case to start from for {}", c.without_seeds.join(", ")));
    }
    text
}

/// The changed rules in words, one per line: `~ ma.call_frequency (condition)`.
pub fn change_lines(report: &Report) -> Vec<String> {
    let c = &report.changes;
    let mut out = Vec::new();
    out.extend(c.added.iter().map(|id| format!("+ {id} (added)")));
    out.extend(c.removed.iter().map(|id| format!("- {id} (removed)")));
    out.extend(c.changed.iter().map(|r| format!("~ {} ({})", r.rule, r.what.join(", "))));
    out.extend(c.policies.iter().map(|p| {
        let rules = if p.rules.is_empty() { String::new() } else { format!(": {}", p.rules.join(", ")) };
        format!("~ policy {} ({}){rules}", p.policy, p.what.join(", "))
    }));
    out
}

/// A replay: which rule sets the compared records were logged under, and whether the replay
/// rules are one of them (`logged under: sha256:… (5 records), the replay rules' digest`).
pub fn logged_line(report: &Report) -> Option<String> {
    let logged = report.logged.as_ref()?;
    let plural = |n: usize| if n == 1 { "record" } else { "records" };
    let mut parts: Vec<String> = logged.rule_sets.iter().map(|r| format!("{} ({} {})", short_digest(&r.digest), r.records, plural(r.records))).collect();
    if logged.unnamed > 0 {
        parts.push(format!("no rule set named ({} {})", logged.unnamed, plural(logged.unnamed)));
    }
    let ours = short_digest(&report.new.digests[0]);
    if parts.is_empty() {
        return Some(format!("logged under: nothing compared; the replay rules are {ours}"));
    }
    let same = logged.rule_sets.iter().any(|r| r.same_as_replay);
    let verdict = match (same, logged.rule_sets.len() == 1 && logged.unnamed == 0) {
        (true, true) => "the replay rules' digest".to_string(),
        (true, false) => format!("the replay rules are {ours}, one of them"),
        (false, _) if logged.rule_sets.is_empty() => format!("the replay rules are {ours}"),
        (false, _) => format!("the replay rules ({ours}) are none of them"),
    };
    Some(format!("logged under: {}; {verdict}", parts.join(", ")))
}

/// A replay whose changed decisions were logged under the replay rules' own digest: said
/// loudly, since the same rules should decide the same.
pub fn same_rules_warning(report: &Report) -> Option<String> {
    let logged = report.logged.as_ref().filter(|l| l.changed_under_same_rules > 0)?;
    let n = logged.changed_under_same_rules;
    Some(format!(
        "{n} changed decision{} {} logged under the replay rules' own digest ({}): the same rules decide {} otherwise now, so the log was not written by these rules as they are (edited, or from another build), or the evaluator changed since",
        if n == 1 { "" } else { "s" },
        if n == 1 { "was" } else { "were" },
        short_digest(&report.new.digests[0]),
        if n == 1 { "it" } else { "them" },
    ))
}

/// The first 12 characters of a digest's hex: enough to tell rule sets apart in a report.
pub fn short_digest(digest: &str) -> String {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    format!("sha256:{}", &hex[..hex.len().min(12)])
}
