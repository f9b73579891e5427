//! W001 `missing-citation`: a rule that cites no source.
//!
//! Why: compliance teams adopt a rule library they can audit line by line against the law.
//! A rule without a citation cannot be checked against its source, and a business rule without
//! one cannot be traced to the decision that created it (cite the internal policy document).

use super::{LintContext, LintInfo};
use crate::FileDiagnostic;
use rulec_syntax::Diagnostic;

pub const INFO: LintInfo = LintInfo {
    code: "W001",
    name: "missing-citation",
    summary: "A rule cites no source (`cites \"…\"`).",
};

pub(super) fn check(cx: &LintContext<'_>) -> Vec<FileDiagnostic> {
    cx.rule_set
        .rules
        .iter()
        .filter(|rule| rule.citations.is_empty())
        .map(|rule| FileDiagnostic {
            file: rule.origin.file,
            diagnostic: Diagnostic::warning(INFO.code, rule.origin.span, format!("rule `{}` cites no source", rule.id))
                .with_help("add `cites \"12 CFR 1006.14(b)(2)\"` (or the internal policy the rule comes from)"),
        })
        .collect()
}
