//! The scenarios a review decides: files given by the user (suites, single scenarios, NDJSON
//! lines of `rulec eval --batch` input or of a decision log) and generated ones. Every item
//! keeps its scenario as JSON, the shape `rulec eval` reads, so that any flip it shows can be
//! reproduced by hand.

use crate::outcome::{Outcome, Side};
use crate::ReviewError;
use rulec_scenario::yaml::Value;
use rulec_scenario::{Limits, Scenario};
use serde::Serialize;
use serde_json::Value as Json;

/// Where a scenario of the corpus comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "from", rename_all = "camelCase")]
pub enum Origin {
    /// A file given to the review: a suite case, a scenario, a line of NDJSON.
    #[serde(rename_all = "camelCase")]
    Given {
        file: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        case: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
    },
    /// Built around a boundary of a changed rule, from a case of the shipped suites.
    #[serde(rename_all = "camelCase")]
    Generated {
        rule: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
        /// The suite case it starts from: `file › case`.
        seed: String,
        /// What was changed, in words.
        variant: String,
    },
}

/// One scenario to decide.
#[derive(Clone, Debug)]
pub struct Item {
    /// For reports: `tests/scenarios/states/MA.yaml › a third call is blocked`.
    pub name: String,
    pub origin: Origin,
    /// The scenario as JSON, without `expect`.
    pub json: Json,
    pub scenario: Scenario,
    /// The decision a log recorded for it (replay).
    pub logged: Option<Side>,
    /// The rule-set digest its log record names (replay).
    pub logged_under: Option<String>,
}

/// What a file gave: its items, and the log records that had no decision to compare with (an
/// input that was invalid when it was logged).
#[derive(Debug, Default)]
pub struct Loaded {
    pub items: Vec<Item>,
    pub skipped: usize,
}

/// Reads one file: `.ndjson`/`.jsonl` line by line (scenarios, or decision log records), any
/// other file as a suite or a single scenario (YAML or JSON). Every invalid scenario is an
/// error naming the file and the case or line.
pub fn load_file(label: &str, text: &str, limits: &Limits) -> Result<Loaded, ReviewError> {
    if label.ends_with(".ndjson") || label.ends_with(".jsonl") {
        return load_ndjson(label, text, limits);
    }
    let root = rulec_scenario::yaml::parse_with(text, limits).map_err(|e| input_error(label, None, &e.to_string()))?;
    let is_suite = root.get("suite").is_some() || (root.get("request").is_none() && root.get("cases").is_some());
    let mut loaded = Loaded::default();
    if !is_suite {
        let json = scenario_json(&root);
        let name = json.get("name").and_then(Json::as_str).map_or_else(|| label.to_string(), |n| format!("{label} › {n}"));
        let scenario = load_json(&json, limits).map_err(|e| input_error(label, None, &e))?;
        loaded.items.push(Item { name, origin: Origin::Given { file: label.into(), case: None, line: None }, json, scenario, logged: None, logged_under: None });
        return Ok(loaded);
    }
    let empty = Value::Map(Vec::new());
    let defaults = root.get("defaults").unwrap_or(&empty);
    let Some(Value::Seq(cases)) = root.get("cases") else {
        return Err(input_error(label, None, "a suite's `cases` must be a list"));
    };
    for (i, case) in cases.iter().enumerate() {
        let json = scenario_json(&rulec_scenario::merge_defaults(defaults, case));
        let case_name = json.get("name").and_then(Json::as_str).map_or_else(|| format!("cases[{i}]"), str::to_string);
        let scenario = load_json(&json, limits).map_err(|e| input_error(label, Some(&case_name), &e))?;
        loaded.items.push(Item {
            name: format!("{label} › {case_name}"),
            origin: Origin::Given { file: label.into(), case: Some(case_name), line: None },
            json,
            scenario,
            logged: None,
            logged_under: None,
        });
    }
    Ok(loaded)
}

/// Reads NDJSON: every line a scenario, or a decision log record (`rulec eval --batch --log`).
pub fn load_ndjson(label: &str, text: &str, limits: &Limits) -> Result<Loaded, ReviewError> {
    let mut loaded = Loaded::default();
    for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("line {n}");
        let value: Json = match serde_json::from_str(line) {
            Ok(v) => v,
            // `rulec eval --batch` reads YAML flow lines too.
            Err(_) => to_json(&rulec_scenario::yaml::parse_with(line, limits).map_err(|e| input_error(label, Some(&at), &e.to_string()))?),
        };
        let (json, logged, logged_under) = match crate::log::Record::read(&value) {
            Some(Ok(record)) => match record.scenario() {
                Some(json) => (json, record.decision(), record.digest().map(str::to_string)),
                None => {
                    loaded.skipped += 1;
                    continue;
                }
            },
            Some(Err(message)) => return Err(input_error(label, Some(&at), &message)),
            None => (value, None, None),
        };
        let mut json = json;
        strip(&mut json);
        let scenario = load_json(&json, limits).map_err(|e| input_error(label, Some(&at), &e))?;
        let name = format!("{label}:{n}");
        loaded.items.push(Item { name, origin: Origin::Given { file: label.into(), case: None, line: Some(n) }, json, scenario, logged, logged_under });
    }
    Ok(loaded)
}

fn input_error(file: &str, at: Option<&str>, message: &str) -> ReviewError {
    match at {
        Some(at) => ReviewError(format!("{file}: {at}: invalid scenario: {message}")),
        None => ReviewError(format!("{file}: invalid scenario: {message}")),
    }
}

/// A scenario (or merged suite case) as JSON, without what only a suite reads.
fn scenario_json(value: &Value) -> Json {
    let mut json = to_json(value);
    strip(&mut json);
    json
}

/// Drops `expect` and `description`: a review compares two decisions, not a decision with an
/// expectation.
fn strip(json: &mut Json) {
    if let Some(map) = json.as_object_mut() {
        map.remove("expect");
        map.remove("description");
    }
}

/// Validates a JSON scenario with the scenario loader; the errors, one per line.
pub fn load_json(json: &Json, limits: &Limits) -> Result<Scenario, String> {
    let text = json.to_string();
    rulec_scenario::load_scenario_with(&text, limits)
        .map(|(scenario, _)| scenario)
        .map_err(|errors| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))
}

/// A parsed YAML/JSON value as JSON.
pub fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(entries.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// The outcome of deciding an item under an engine.
pub fn decide(engine: &rulec_eval::Engine, scenario: &Scenario) -> Side {
    engine.decide(scenario).map(|d| Outcome::of(&d)).map_err(|e| e.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: &str = r#"
suite: two cases
defaults:
  now: 2026-03-10T15:00:00Z
  borrower: {id: BO-AAAA-1111, timezone: America/New_York}
  contacts: [{id: CT-AAAA-1111, contactType: phone, value: "+16175550100", affiliation: self}]
  request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111}
cases:
  - name: first
    expect: {result: true}
  - name: second
    request: {channel: text}
    expect: {result: true}
"#;

    #[test]
    fn a_suite_gives_its_cases_merged_without_expectations() {
        let loaded = load_file("s.yaml", SUITE, &Limits::default()).unwrap();
        let names: Vec<&str> = loaded.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["s.yaml › first", "s.yaml › second"]);
        let second = &loaded.items[1].json;
        assert_eq!(second["request"]["channel"], "text");
        assert_eq!(second["request"]["contactId"], "CT-AAAA-1111", "defaults merged under the case");
        assert!(second.get("expect").is_none());
    }

    #[test]
    fn an_invalid_case_is_an_error_naming_it() {
        let bad = SUITE.replace("request: {channel: text}", "request: {channel: txt}");
        let error = load_file("s.yaml", &bad, &Limits::default()).unwrap_err();
        assert!(error.0.starts_with("s.yaml: second: invalid scenario: request.channel"), "{}", error.0);
    }

    #[test]
    fn ndjson_lines_are_scenarios_or_log_records() {
        let scenario = r#"{"now":"2026-03-10T15:00:00Z","borrower":{"id":"BO-AAAA-1111"},"contacts":[{"id":"CT-AAAA-1111","contactType":"phone","value":"+16175550100","affiliation":"self"}],"request":{"channel":"voice","theme":"opsCollDebt","contactId":"CT-AAAA-1111"}}"#;
        let record = format!(r#"{{"time":"2026-03-10T15:00:01Z","scenario":{scenario},"decision":{{"status":200,"data":{{"result":true,"blockedBy":[],"warnings":[],"muted":[],"nextAllowedAt":null}}}}}}"#);
        let invalid = r#"{"time":"2026-03-10T15:00:01Z","line":3,"input":"{","error":"line 1: EOF"}"#;
        let text = format!("{scenario}\n\n{record}\n{invalid}\n");
        let loaded = load_file("b.ndjson", &text, &Limits::default()).unwrap();
        assert_eq!(loaded.items.len(), 2);
        assert_eq!(loaded.items[0].name, "b.ndjson:1");
        assert!(loaded.items[0].logged.is_none());
        assert_eq!(loaded.items[1].logged.as_ref().unwrap().as_ref().unwrap().result, true);
        assert_eq!(loaded.skipped, 1);
    }
}
