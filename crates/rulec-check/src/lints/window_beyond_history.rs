//! W007 `window-beyond-history`: a history window longer than the history a decision sees.
//!
//! Why: the evaluator sees only the interactions the servicing platform exports, by default the
//! last two years (`CheckOptions::history_horizon_days`, `rulec lint --history-days`). A window
//! reaching further back silently counts fewer interactions than the rule claims, so a frequency
//! limit would allow what it should block.

use super::{LintContext, LintInfo};
use crate::FileDiagnostic;
use rulec_syntax::Diagnostic;

pub const INFO: LintInfo = LintInfo {
    code: "W007",
    name: "window-beyond-history",
    summary: "A history window reaches further back than the interaction history a decision sees.",
};

pub(super) fn check(cx: &LintContext<'_>) -> Vec<FileDiagnostic> {
    let horizon = u64::from(cx.options.history_horizon_days);
    cx.rule_set
        .rules
        .iter()
        .zip(&cx.facts.rules)
        .flat_map(|(rule, fact)| {
            fact.windows.iter().filter(move |(_, days)| *days > horizon).map(move |(span, days)| FileDiagnostic {
                file: rule.origin.file,
                diagnostic: Diagnostic::warning(INFO.code, *span, format!("this window covers {days} days, but decisions see only {horizon} days of history"))
                    .with_label_text("older interactions are not in the data and will not be counted")
                    .with_help("shorten the window, or raise the horizon with `--history-days` if the platform exports more"),
            })
        })
        .collect()
}
