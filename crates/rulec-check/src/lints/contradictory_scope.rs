//! W004 `contradictory-scope`: a scope that no request can match.
//!
//! Why: `applies when channel is voice and channel is email` can never hold, so the rule never
//! applies and silently protects nothing. The lint intersects, per field, the values that the
//! top-level conjuncts of `applies when` and of the verdict condition allow.

use super::{LintContext, LintInfo};
use crate::checked::{Cond, FieldTest, ValueTest};
use crate::FileDiagnostic;
use rulec_model::Field;
use rulec_syntax::Diagnostic;
use std::collections::HashMap;

pub const INFO: LintInfo = LintInfo {
    code: "W004",
    name: "contradictory-scope",
    summary: "A rule's scope requires a field to take two incompatible values; it never applies.",
};

pub(super) fn check(cx: &LintContext<'_>) -> Vec<FileDiagnostic> {
    let mut out = Vec::new();
    for (rule, fact) in cx.rule_set.rules.iter().zip(&cx.facts.rules) {
        let mut allowed: HashMap<Field, u128> = HashMap::new();
        let mut conjuncts = Vec::new();
        if let Some(applies) = &rule.applies {
            collect_conjuncts(applies, &mut conjuncts);
        }
        collect_conjuncts(&rule.condition, &mut conjuncts);
        let mut contradiction = None;
        for conjunct in conjuncts {
            let (field, mask) = match conjunct {
                Cond::Field(FieldTest { field, test: ValueTest::InSet(mask) }) => (*field, *mask),
                Cond::Not(inner) => match inner.as_ref() {
                    Cond::Field(FieldTest { field, test: ValueTest::InSet(mask) }) => (*field, !*mask),
                    _ => continue,
                },
                _ => continue,
            };
            let entry = allowed.entry(field).or_insert(u128::MAX);
            *entry &= mask;
            if *entry == 0 && contradiction.is_none() {
                contradiction = Some(field);
            }
        }
        if let Some(field) = contradiction {
            out.push(FileDiagnostic {
                file: rule.origin.file,
                diagnostic: Diagnostic::warning(
                    INFO.code,
                    fact.applies_span.unwrap_or(rule.origin.span),
                    format!("rule `{}` can never apply: no value of `{}` satisfies all its tests", rule.id, field.path()),
                )
                .with_label_text("these tests contradict each other")
                .with_help("a field takes one value per request: did you mean `or`, or `in {…}`?"),
            });
        }
    }
    out
}

fn collect_conjuncts<'a>(cond: &'a Cond, out: &mut Vec<&'a Cond>) {
    match cond {
        Cond::All(parts) => parts.iter().for_each(|p| collect_conjuncts(p, out)),
        other => out.push(other),
    }
}
