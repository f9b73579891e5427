//! Decision logs: what `rulec eval --batch --log FILE` writes, one JSON record per line, and
//! what `rulec replay` reads back.
//!
//! A decided line:
//! `{"time": …, "ruleSet": {"digest": "sha256:…", "version": "rulec 0.1.0"}, "scenario": {…},
//! "overrides": {"now": …, "policy": …}, "decision": {"status": 200, "message": …, "data": {…}}}`
//! (`overrides` only when `--now` or `--policy` replaced the scenario's own). `scenario` is
//! the input line as received; `time` is when it was decided (the wall clock, UTC), which is
//! not the scenario's `now`. An invalid line: `{"time", "ruleSet", "line", "input", "error"}`.
//! The records of `rulec serve --log` (`{"time", "scenario", "decision"}`) read back alike.

use crate::outcome::{Outcome, Side};
use chrono::{DateTime, Utc};
use serde_json::{json, Value as Json};

/// The rule set a decision names (`data.ruleSet`, where the decision carries one), else `ours`.
fn rule_set_of(decision: &Json, ours: &Json) -> Json {
    decision.get("data").and_then(|d| d.get("ruleSet")).cloned().unwrap_or_else(|| ours.clone())
}

/// `--now` and `--policy` of the batch, recorded so that a replay decides what was decided.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    pub now: Option<DateTime<Utc>>,
    pub policy: Option<String>,
}

/// The log line of a decided input line. `input` is the line as received (JSON, or the YAML
/// flow form the batch also reads), `decision` the envelope written to the output.
pub fn decided(input: &str, decision: &Json, overrides: &Overrides, rule_set: &Json, time: DateTime<Utc>) -> String {
    let scenario = match serde_json::from_str::<Json>(input) {
        Ok(value) => value,
        Err(_) => rulec_scenario::yaml::parse(input).map(|v| crate::corpus::to_json(&v)).unwrap_or_else(|_| Json::String(input.to_string())),
    };
    let mut record = json!({
        "time": stamp(time),
        "ruleSet": rule_set_of(decision, rule_set),
        "scenario": scenario,
        "decision": decision,
    });
    if overrides.now.is_some() || overrides.policy.is_some() {
        let mut o = serde_json::Map::new();
        if let Some(now) = overrides.now {
            o.insert("now".into(), Json::String(rulec_eval::format_time(now)));
        }
        if let Some(policy) = &overrides.policy {
            o.insert("policy".into(), Json::String(policy.clone()));
        }
        record["overrides"] = Json::Object(o);
    }
    record.to_string()
}

/// The log line of an input line that was not a valid scenario.
pub fn invalid(line: usize, input: &str, error: &str, rule_set: &Json, time: DateTime<Utc>) -> String {
    json!({ "time": stamp(time), "ruleSet": rule_set, "line": line, "input": input, "error": error }).to_string()
}

/// The wall-clock time of a record, to the millisecond (as `rulec serve`'s log writes it).
fn stamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A record read back.
#[derive(Clone, Debug)]
pub struct Record<'a>(&'a Json);

impl<'a> Record<'a> {
    /// `None` when the value is not a log record (a plain scenario line); an error when it is
    /// one but malformed.
    pub fn read(value: &'a Json) -> Option<Result<Record<'a>, String>> {
        let map = value.as_object()?;
        let decided = map.contains_key("scenario") && map.contains_key("decision");
        let failed = map.contains_key("error") && map.contains_key("input");
        if !decided && !failed {
            return None;
        }
        if decided && !(map["scenario"].is_object() || map["scenario"].is_string()) {
            return Some(Err("the log record's `scenario` is neither an object nor a text".into()));
        }
        Some(Ok(Record(value)))
    }

    /// The scenario with the batch's overrides written into it: the same decision follows
    /// from it alone. `None` for the record of an invalid line.
    pub fn scenario(&self) -> Option<Json> {
        let mut scenario = match self.0.get("scenario")? {
            // A body that was not JSON (YAML, as `rulec serve` also takes) is logged as text.
            Json::String(text) => rulec_scenario::yaml::parse(text).map(|v| crate::corpus::to_json(&v)).unwrap_or_else(|_| Json::String(text.clone())),
            other => other.clone(),
        };
        let overrides = self.0.get("overrides");
        if let Some(now) = overrides.and_then(|o| o.get("now")).filter(|n| n.is_string()) {
            // `eval --now` replaces `now` only: a request without `startAt` keeps the original
            // instant as its start, so write it down before replacing `now`.
            let original = scenario.get("now").cloned();
            if let (Some(request), Some(original)) = (scenario.get_mut("request").and_then(Json::as_object_mut), original) {
                request.entry("startAt").or_insert(original);
            }
            scenario["now"] = now.clone();
        }
        if let Some(policy) = overrides.and_then(|o| o.get("policy")).filter(|p| p.is_string()) {
            scenario["policy"] = policy.clone();
        }
        Some(scenario)
    }

    /// The decision as logged.
    pub fn decision(&self) -> Option<Side> {
        self.0.get("decision").map(Outcome::from_json)
    }

    /// The digest of the rules that decided it: the record's `ruleSet`, else the decision's
    /// own `data.ruleSet` (what `rulec serve --log` records carry).
    pub fn digest(&self) -> Option<&str> {
        let named = |v: Option<&'a Json>| v.and_then(|r| r.get("digest")).and_then(Json::as_str);
        named(self.0.get("ruleSet")).or_else(|| named(self.0.get("decision").and_then(|d| d.get("data")).and_then(|d| d.get("ruleSet"))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `rulec eval --batch --log` passes: the engine's `RuleSetId` as JSON.
    fn rule_set(digest: &str) -> Json {
        json!({ "digest": digest, "version": "rulec 0.1.0" })
    }

    #[test]
    fn a_record_gives_back_its_scenario_with_the_overrides_applied() {
        let input = r#"{"now":"2026-03-10T15:00:00Z","request":{"channel":"voice"}}"#;
        let decision = json!({"status": 200, "data": {"result": true}});
        let overrides = Overrides { now: Some("2026-03-10T18:00:00Z".parse().unwrap()), policy: Some("acme".into()) };
        let time = "2026-05-01T09:00:00Z".parse().unwrap();
        let line = decided(input, &decision, &overrides, &rule_set("sha256:ab"), time);
        let value: Json = serde_json::from_str(&line).unwrap();
        assert_eq!(value["time"], "2026-05-01T09:00:00.000Z");
        assert_eq!(value["ruleSet"]["digest"], "sha256:ab");
        let record = Record::read(&value).unwrap().unwrap();
        let scenario = record.scenario().unwrap();
        assert_eq!(scenario["now"], "2026-03-10T18:00:00Z");
        assert_eq!(scenario["request"]["startAt"], "2026-03-10T15:00:00Z", "the request keeps its instant");
        assert_eq!(scenario["policy"], "acme");
        assert!(record.decision().unwrap().unwrap().result);
    }

    #[test]
    fn the_decisions_own_rule_set_wins() {
        let decision = json!({"data": {"result": true, "ruleSet": {"digest": "sha256:theirs", "version": "rulec 9"}}});
        let line = decided("{}", &decision, &Overrides::default(), &rule_set("sha256:ours"), Utc::now());
        assert!(line.contains("sha256:theirs") && !line.contains("sha256:ours"));
        let value: Json = serde_json::from_str(&line).unwrap();
        assert_eq!(Record::read(&value).unwrap().unwrap().digest(), Some("sha256:theirs"));
    }

    #[test]
    fn a_served_decision_logged_with_a_yaml_body_reads_back() {
        // `rulec serve --log` writes {"time", "scenario", "decision"}, the body as text when
        // it was not JSON.
        let value = json!({"time": "2026-05-01T09:00:00.000Z", "scenario": "now: 2026-03-10T15:00:00Z\nrequest: {channel: voice}\n",
            "decision": {"status": 200, "data": {"result": true}}});
        let record = Record::read(&value).unwrap().unwrap();
        assert_eq!(record.scenario().unwrap()["request"]["channel"], "voice");
        assert!(record.digest().is_none());
        // A served decision names its rule set inside the decision.
        let named = json!({"time": "2026-05-01T09:00:00.000Z", "scenario": {}, "decision": {"status": 200, "data": {"result": true, "ruleSet": {"digest": "sha256:served"}}}});
        assert_eq!(Record::read(&named).unwrap().unwrap().digest(), Some("sha256:served"));
    }

    #[test]
    fn plain_scenarios_are_not_records() {
        assert!(Record::read(&json!({"request": {}})).is_none());
        assert!(Record::read(&json!({"scenario": 3, "decision": {}})).unwrap().is_err());
        let invalid: Json = serde_json::from_str(&invalid(4, "{", "EOF", &rule_set("sha256:x"), Utc::now())).unwrap();
        assert!(Record::read(&invalid).unwrap().unwrap().scenario().is_none());
    }
}
