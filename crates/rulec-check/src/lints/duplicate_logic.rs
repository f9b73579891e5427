//! W006 `duplicate-logic`: two rules with the same roles, scope, condition and exceptions.
//!
//! Why: two rules that fire on exactly the same requests are a copy-paste slip (one was meant
//! to differ) or a double encoding of one obligation; either makes decisions report the same
//! block twice and makes muting one of them ineffective.

use super::{LintContext, LintInfo};
use crate::FileDiagnostic;
use rulec_syntax::Diagnostic;
use std::collections::HashMap;

pub const INFO: LintInfo = LintInfo {
    code: "W006",
    name: "duplicate-logic",
    summary: "Two rules have the same roles, scope, condition and exceptions.",
};

pub(super) fn check(cx: &LintContext<'_>) -> Vec<FileDiagnostic> {
    let mut first_by_logic = HashMap::new();
    let mut out = Vec::new();
    for rule in &cx.rule_set.rules {
        let key = (rule.roles.bits(), &rule.jurisdiction, &rule.applies, &rule.condition, &rule.exceptions);
        match first_by_logic.get(&key) {
            None => {
                first_by_logic.insert(key, rule);
            }
            Some(first) => out.push(FileDiagnostic {
                file: rule.origin.file,
                diagnostic: Diagnostic::warning(INFO.code, rule.origin.span, format!("rule `{}` has the same scope and condition as `{}`", rule.id, first.id))
                    .with_help("merge the two rules, or make them differ as intended"),
            }),
        }
    }
    out
}
