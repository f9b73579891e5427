//! What of a decision a rule change can flip, and how two decisions of one scenario differ.
//!
//! A decision is compared on its result, the ids of the rules that block, warn and are
//! muted, and `nextAllowedAt`: the parts a dialer or a compliance officer acts on. Messages,
//! titles and citations are wording; a change to them alone is listed among the rule changes,
//! never as a flipped decision.

use rulec_eval::{format_time, Decision};
use serde::Serialize;

/// The comparable part of a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub result: bool,
    pub blocked_by: Vec<String>,
    pub warnings: Vec<String>,
    pub muted: Vec<String>,
    pub next_allowed_at: Option<String>,
}

/// One side of a comparison: the outcome, or why the scenario could not be decided (a policy
/// the rules no longer define, say).
pub type Side = Result<Outcome, String>;

impl Outcome {
    pub fn of(decision: &Decision) -> Outcome {
        let ids = |findings: &[rulec_eval::Finding]| findings.iter().map(|f| f.rule.clone()).collect();
        Outcome {
            result: decision.result,
            blocked_by: ids(&decision.blocked_by),
            warnings: ids(&decision.warnings),
            muted: decision.muted.iter().map(|m| m.rule.clone()).collect(),
            next_allowed_at: decision.next_allowed_at.map(format_time),
        }
    }

    /// From the decision JSON of `rulec eval` (the envelope, or its `data`), as a decision log
    /// holds it.
    pub fn from_json(value: &serde_json::Value) -> Result<Outcome, String> {
        let data = value.get("data").unwrap_or(value);
        let result = data.get("result").and_then(|r| r.as_bool()).ok_or("the decision has no `result`")?;
        let ids = |key: &str| -> Result<Vec<String>, String> {
            let Some(list) = data.get(key) else { return Ok(Vec::new()) };
            let list = list.as_array().ok_or(format!("`{key}` is not a list"))?;
            let mut ids: Vec<String> = list
                .iter()
                .map(|f| f.get("rule").and_then(|r| r.as_str()).map(str::to_string).ok_or(format!("an entry of `{key}` has no `rule`")))
                .collect::<Result<_, _>>()?;
            ids.sort();
            Ok(ids)
        };
        let next_allowed_at = match data.get("nextAllowedAt") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(t)) => Some(normalize_time(t)),
            Some(_) => return Err("`nextAllowedAt` is not a date-time".into()),
        };
        Ok(Outcome { result, blocked_by: ids("blockedBy")?, warnings: ids("warnings")?, muted: ids("muted")?, next_allowed_at })
    }

    /// `ALLOWED`, `ALLOWED with 1 warning`, `BLOCKED by 2 rules`.
    pub fn verdict(&self) -> String {
        if self.result {
            match self.warnings.len() {
                0 => "ALLOWED".into(),
                1 => "ALLOWED with 1 warning".into(),
                n => format!("ALLOWED with {n} warnings"),
            }
        } else {
            match self.blocked_by.len() {
                1 => "BLOCKED by 1 rule".into(),
                n => format!("BLOCKED by {n} rules"),
            }
        }
    }
}

/// A time written by another version of rulec, in this one's spelling.
fn normalize_time(text: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(text).map_or_else(|_| text.to_string(), |t| format_time(t.with_timezone(&chrono::Utc)))
}

/// How a decision changed, most important first: a flipped result outranks everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Allowed before, blocked now.
    AllowedToBlocked,
    /// Blocked before, allowed now.
    BlockedToAllowed,
    /// Decided on one side, not on the other (a policy removed or added).
    Error,
    /// Still blocked, by other rules.
    BlockingRules,
    /// Other warnings.
    Warnings,
    /// Other muted rules.
    Muted,
    /// Blocked on both sides, allowed again at another instant.
    NextAllowedAt,
}

impl Kind {
    pub const ALL: [Kind; 7] =
        [Kind::AllowedToBlocked, Kind::BlockedToAllowed, Kind::Error, Kind::BlockingRules, Kind::Warnings, Kind::Muted, Kind::NextAllowedAt];

    pub fn name(self) -> &'static str {
        match self {
            Kind::AllowedToBlocked => "allowed-to-blocked",
            Kind::BlockedToAllowed => "blocked-to-allowed",
            Kind::Error => "error",
            Kind::BlockingRules => "blocking-rules",
            Kind::Warnings => "warnings",
            Kind::Muted => "muted",
            Kind::NextAllowedAt => "next-allowed-at",
        }
    }

    /// In words, for headings.
    pub fn title(self) -> &'static str {
        match self {
            Kind::AllowedToBlocked => "allowed before, blocked now",
            Kind::BlockedToAllowed => "blocked before, allowed now",
            Kind::Error => "decided on one side only",
            Kind::BlockingRules => "still blocked, by other rules",
            Kind::Warnings => "other warnings",
            Kind::Muted => "other muted rules",
            Kind::NextAllowedAt => "still blocked, allowed again at another time",
        }
    }
}

/// Every way `new` differs from `old` (empty when the decisions agree), most important first.
pub fn compare(old: &Side, new: &Side) -> Vec<Kind> {
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(a), Err(b)) if a == b => return Vec::new(),
        (Err(_), Err(_)) => return vec![Kind::Error],
        _ => return vec![Kind::Error],
    };
    let mut kinds = Vec::new();
    match (old.result, new.result) {
        (true, false) => kinds.push(Kind::AllowedToBlocked),
        (false, true) => kinds.push(Kind::BlockedToAllowed),
        _ => {}
    }
    if old.result == new.result && old.blocked_by != new.blocked_by {
        kinds.push(Kind::BlockingRules);
    }
    if old.warnings != new.warnings {
        kinds.push(Kind::Warnings);
    }
    if old.muted != new.muted {
        kinds.push(Kind::Muted);
    }
    if !old.result && !new.result && old.next_allowed_at != new.next_allowed_at {
        kinds.push(Kind::NextAllowedAt);
    }
    kinds
}

/// The rules whose findings differ between the sides: blocking, warning or muted on one side
/// and not (or not so) on the other.
pub fn rules_that_differ(old: &Side, new: &Side) -> Vec<String> {
    let (Ok(old), Ok(new)) = (old, new) else { return Vec::new() };
    let mut out = Vec::new();
    for (a, b) in [(&old.blocked_by, &new.blocked_by), (&old.warnings, &new.warnings), (&old.muted, &new.muted)] {
        for id in a.iter().filter(|id| !b.contains(id)).chain(b.iter().filter(|id| !a.contains(id))) {
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(result: bool, blocked: &[&str], warnings: &[&str], next: Option<&str>) -> Side {
        Ok(Outcome {
            result,
            blocked_by: blocked.iter().map(|s| s.to_string()).collect(),
            warnings: warnings.iter().map(|s| s.to_string()).collect(),
            muted: Vec::new(),
            next_allowed_at: next.map(str::to_string),
        })
    }

    #[test]
    fn a_flipped_result_comes_first_and_other_changes_follow() {
        let old = outcome(true, &[], &[], None);
        let new = outcome(false, &["ma.call_frequency"], &["ma.w"], Some("2026-03-12T15:00:00Z"));
        assert_eq!(compare(&old, &new), [Kind::AllowedToBlocked, Kind::Warnings]);
        assert_eq!(compare(&new, &old), [Kind::BlockedToAllowed, Kind::Warnings]);
        assert_eq!(rules_that_differ(&old, &new), ["ma.call_frequency", "ma.w"]);
    }

    #[test]
    fn same_decisions_do_not_differ_and_release_times_count_only_when_blocked_on_both_sides() {
        let a = outcome(false, &["x"], &[], Some("2026-03-12T15:00:00Z"));
        assert!(compare(&a, &a.clone()).is_empty());
        let b = outcome(false, &["x"], &[], Some("2026-03-12T16:00:00Z"));
        assert_eq!(compare(&a, &b), [Kind::NextAllowedAt]);
        let c = outcome(false, &["y"], &[], Some("2026-03-12T15:00:00Z"));
        assert_eq!(compare(&a, &c), [Kind::BlockingRules]);
        assert_eq!(compare(&a, &Err("policy: 'p' is not defined".into())), [Kind::Error]);
    }

    #[test]
    fn a_logged_decision_reads_back_to_the_same_outcome() {
        let value = serde_json::json!({"status": 200, "data": {"result": false,
            "blockedBy": [{"rule": "b"}, {"rule": "a"}], "warnings": [], "muted": [],
            "nextAllowedAt": "2026-03-12T15:00:00+00:00"}});
        let read = Outcome::from_json(&value).unwrap();
        assert_eq!(read.blocked_by, ["a", "b"]);
        assert_eq!(read.next_allowed_at.as_deref(), Some("2026-03-12T15:00:00Z"));
        assert!(Outcome::from_json(&serde_json::json!({"data": {}})).is_err());
    }
}
