//! W003 `ended-rule`: a rule whose effective range has ended.
//!
//! Why: a rule past its `effective … until` date never fires again. It may be kept for
//! history, but usually it was superseded and should be removed or replaced; a warning makes
//! the choice deliberate.

use super::{LintContext, LintInfo};
use crate::FileDiagnostic;
use rulec_syntax::Diagnostic;

pub const INFO: LintInfo = LintInfo {
    code: "W003",
    name: "ended-rule",
    summary: "A rule's effective range has ended; it never fires again.",
};

pub(super) fn check(cx: &LintContext<'_>) -> Vec<FileDiagnostic> {
    let Some(today) = cx.options.today else { return Vec::new() };
    cx.rule_set
        .rules
        .iter()
        .zip(&cx.facts.rules)
        .filter_map(|(rule, fact)| {
            let until = rule.effective_until.filter(|u| *u < today)?;
            Some(FileDiagnostic {
                file: rule.origin.file,
                diagnostic: Diagnostic::warning(INFO.code, fact.effective_span.unwrap_or(rule.origin.span), format!("rule `{}` ended on {until}", rule.id))
                    .with_label_text("no longer in force")
                    .with_help("remove the rule, or replace it with the rule now in force"),
            })
        })
        .collect()
}
