//! W005 `unused-set`: a named set that no rule uses.
//!
//! Why: a set defined and never used is usually a rule that forgot to use it (a scope written
//! out by hand instead), or a leftover after an edit. Either way a reader wonders what it is for.

use super::{LintContext, LintInfo};
use crate::FileDiagnostic;
use rulec_syntax::Diagnostic;

pub const INFO: LintInfo = LintInfo {
    code: "W005",
    name: "unused-set",
    summary: "A named set is defined but no rule uses it.",
};

pub(super) fn check(cx: &LintContext<'_>) -> Vec<FileDiagnostic> {
    cx.facts
        .sets
        .iter()
        .filter(|set| set.uses == 0)
        .map(|set| FileDiagnostic {
            file: set.origin.file,
            diagnostic: Diagnostic::warning(INFO.code, set.origin.span, format!("set `{}` is never used", set.name))
                .with_help("use it in a rule (`theme in …`) or delete it"),
        })
        .collect()
}
