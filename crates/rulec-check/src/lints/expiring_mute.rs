//! W008 `expiring-soon`: a mute (or a suppression) that ends within 30 days.
//!
//! Why: when a mute's `until` passes, the rule is back in force from one day to the next, and
//! W002 fails a CI run that denies warnings. Thirty days' notice leaves time to renew the
//! approval or to prepare for the rule; the warning names the day.

use super::{LintContext, LintInfo};
use crate::FileDiagnostic;
use rulec_syntax::Diagnostic;

pub const INFO: LintInfo = LintInfo {
    code: "W008",
    name: "expiring-soon",
    summary: "A mute or suppression ends within 30 days; renew it or prepare for the rule.",
};

/// How many days ahead an ending mute or suppression is reported.
pub const NOTICE_DAYS: i64 = 30;

/// Days until `until` (the last day it holds) when that is within the notice period.
pub fn days_left(until: chrono::NaiveDate, today: chrono::NaiveDate) -> Option<i64> {
    let left = (until - today).num_days();
    (0..NOTICE_DAYS).contains(&left).then_some(left)
}

/// `today`, `tomorrow`, `in 12 days`.
pub fn when(left: i64) -> String {
    match left {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    }
}

pub(super) fn check(cx: &LintContext<'_>) -> Vec<FileDiagnostic> {
    let Some(today) = cx.options.today else { return Vec::new() };
    cx.rule_set
        .policies
        .iter()
        .flat_map(|policy| policy.mutes.iter())
        .filter_map(|mute| days_left(mute.until, today).map(|left| (mute, left)))
        .map(|(mute, left)| FileDiagnostic {
            file: mute.origin.file,
            diagnostic: Diagnostic::warning(
                INFO.code,
                mute.origin.span,
                format!("the mute of `{}` ends {} (its last day is {})", mute.pattern, when(left), mute.until),
            )
            .with_label_text("the rule is back in force the day after")
            .with_help("renew it with a new `until` and approval, or prepare for the rule to apply"),
        })
        .collect()
}
