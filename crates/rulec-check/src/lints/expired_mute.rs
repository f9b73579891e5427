//! W002 `expired-mute`: a mute whose `until` date has passed.
//!
//! Why: an expired mute no longer mutes anything (the evaluator ignores it), so the rule is in
//! force again. Leaving it in the policy misleads readers into thinking the rule is still
//! silenced; renew it with a new approval, or delete it.

use super::{LintContext, LintInfo};
use crate::FileDiagnostic;
use rulec_syntax::Diagnostic;

pub const INFO: LintInfo = LintInfo {
    code: "W002",
    name: "expired-mute",
    summary: "A mute's `until` date has passed; it is ignored and the rule is in force.",
};

pub(super) fn check(cx: &LintContext<'_>) -> Vec<FileDiagnostic> {
    let Some(today) = cx.options.today else { return Vec::new() };
    cx.rule_set
        .policies
        .iter()
        .flat_map(|policy| policy.mutes.iter())
        .filter(|mute| mute.until < today)
        .map(|mute| FileDiagnostic {
            file: mute.origin.file,
            diagnostic: Diagnostic::warning(INFO.code, mute.origin.span, format!("the mute of `{}` expired on {}", mute.pattern, mute.until))
                .with_label_text("this mute is ignored: the rule is in force")
                .with_help("renew it with a new `until` and approval, or delete it"),
        })
        .collect()
}
