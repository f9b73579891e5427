//! The report for machines.

use super::{by_jurisdiction, by_rule, Counts};
use crate::outcome::{Kind, Side};
use crate::Report;
use serde_json::{json, Value};

fn side(side: &Side) -> Value {
    match side {
        Ok(outcome) => serde_json::to_value(outcome).unwrap_or(Value::Null),
        Err(message) => json!({ "error": message }),
    }
}

fn rows(map: &std::collections::BTreeMap<String, Counts>, key: &str, report: Option<&Report>) -> Value {
    Value::Array(
        map.iter()
            .map(|(k, c)| {
                let mut row = json!({ key: k, "allowedToBlocked": c.allowed_to_blocked, "blockedToAllowed": c.blocked_to_allowed, "other": c.other });
                if let Some(j) = report.and_then(|r| r.rule_jurisdictions.get(k)) {
                    row["jurisdiction"] = json!(j);
                }
                row
            })
            .collect(),
    )
}

/// One JSON document: the rule sets, what changed, the corpus, counts, tables and every
/// changed decision with its scenario.
pub fn json(report: &Report) -> Value {
    let summary: serde_json::Map<String, Value> =
        std::iter::once(("changed".to_string(), json!(report.flips.len()))).chain(Kind::ALL.iter().map(|k| (k.name().to_string(), json!(report.count(*k))))).collect();
    let mut document = json!({
        "mode": report.mode,
        "old": report.old,
        "new": report.new,
        "ruleChanges": report.changes,
        "corpus": report.corpus,
        "summary": summary,
        "byRule": rows(&by_rule(report), "rule", Some(report)),
        "byJurisdiction": rows(&by_jurisdiction(report), "jurisdiction", None),
        "flips": report.flips.iter().map(|f| json!({
            "kind": f.kind().name(),
            "kinds": f.kinds.iter().map(|k| k.name()).collect::<Vec<_>>(),
            "name": f.name,
            "origin": f.origin,
            "rules": f.rules,
            "jurisdictions": f.jurisdictions,
            "old": side(&f.old),
            "new": side(&f.new),
            "scenario": f.scenario,
        })).collect::<Vec<_>>(),
    });
    if let Some(logged) = &report.logged {
        document["logged"] = json!(logged);
    }
    document
}
