//! Lints: warnings about rules that check but are probably not what the author meant.
//!
//! Each lint is a small module with its code, a doc comment saying why it exists, and a
//! fixture-based snapshot test (`tests/lints.rs`). Lints read the checked rule set and the
//! resolver's facts (spans, use counts); they never change anything.

use crate::checked::RuleSet;
use crate::resolve::Facts;
use crate::{CheckOptions, FileDiagnostic};

mod contradictory_scope;
mod duplicate_logic;
mod ended_rule;
mod expired_mute;
pub mod expiring_mute;
mod missing_citation;
mod unused_set;
mod window_beyond_history;

/// A lint's registry entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LintInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
}

/// What each lint sees.
pub(crate) struct LintContext<'a> {
    pub rule_set: &'a RuleSet,
    pub facts: &'a Facts,
    pub options: &'a CheckOptions,
}

type LintFn = fn(&LintContext<'_>) -> Vec<FileDiagnostic>;

const ALL: &[(LintInfo, LintFn)] = &[
    (missing_citation::INFO, missing_citation::check),
    (expired_mute::INFO, expired_mute::check),
    (ended_rule::INFO, ended_rule::check),
    (contradictory_scope::INFO, contradictory_scope::check),
    (unused_set::INFO, unused_set::check),
    (duplicate_logic::INFO, duplicate_logic::check),
    (window_beyond_history::INFO, window_beyond_history::check),
    (expiring_mute::INFO, expiring_mute::check),
];

/// Every lint, in code order.
pub fn registry() -> Vec<LintInfo> {
    ALL.iter().map(|(info, _)| *info).collect()
}

pub(crate) fn run(rule_set: &RuleSet, facts: &Facts, options: &CheckOptions) -> Vec<FileDiagnostic> {
    let context = LintContext { rule_set, facts, options };
    ALL.iter().flat_map(|(_, lint)| lint(&context)).collect()
}
