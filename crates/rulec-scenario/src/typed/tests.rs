//! The typed read against the general loader: on every shipped suite case, written as one JSON
//! scenario, and on mutations of a sample of them, the typed read returns a scenario exactly
//! when the general loader accepts the text, and then an equal one.

use super::read;
use crate::types::{Expect, Scenario};
use crate::yaml::{self, Limits, Value};
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};

type Loaded = Result<(Scenario, Option<Expect>), crate::InputErrors>;

/// The general loader alone (what the loaders did before the typed read).
fn general(text: &str, limits: &Limits) -> Loaded {
    match crate::load_document_general(text, limits)? {
        crate::Document::Scenario { scenario, expect } => Ok((scenario, expect)),
        crate::Document::Suite(_) => Err(crate::InputErrors::one("", "a suite")),
    }
}

/// Checks one text both ways: `true` when both roads accepted it (equal scenarios), `false`
/// when both refused it; a panic otherwise.
fn agree(text: &str, limits: &Limits) -> bool {
    let typed = read(text, limits);
    let general = general(text, limits);
    match (typed, general) {
        (Some(typed), Ok(general)) => {
            assert!(typed == general, "the typed read and the general loader built different scenarios from\n{text}");
            true
        }
        (None, Err(_)) => false,
        (Some(_), Err(errors)) => panic!("the typed read accepted a text the general loader refuses ({errors}):\n{text}"),
        (None, Ok(_)) => panic!("the typed read declined a valid scenario (it would take the slow road):\n{text}"),
    }
}

fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::Str(s) => json!(s),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(entries.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

fn suite_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            suite_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

/// Every case of every shipped suite, defaults merged in, as a single-scenario JSON object.
fn shipped_cases() -> Vec<(String, Json)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files = Vec::new();
    suite_files(&root, &mut files);
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let Ok(doc) = yaml::parse(&text) else { continue };
        let Some(Value::Seq(cases)) = doc.get("cases") else { continue };
        let empty = Value::Map(Vec::new());
        let defaults = doc.get("defaults").unwrap_or(&empty);
        for (i, case) in cases.iter().enumerate() {
            let Value::Map(entries) = crate::suite::merge(defaults, case) else { continue };
            // A suite case's own field; a single scenario has none.
            let entries = entries.into_iter().filter(|(k, _)| k != "description").collect();
            out.push((format!("{}#{i}", file.display()), to_json(&Value::Map(entries))));
        }
    }
    out
}

#[test]
fn every_shipped_case_reads_the_same_both_ways() {
    let limits = Limits::default();
    let (mut accepted, mut refused) = (0, 0);
    for (name, case) in shipped_cases() {
        for text in [case.to_string(), serde_json::to_string_pretty(&case).unwrap()] {
            match std::panic::catch_unwind(|| agree(&text, &limits)) {
                Ok(true) => accepted += 1,
                Ok(false) => refused += 1,
                Err(_) => panic!("case {name}"),
            }
        }
    }
    // The suites hold a few cases that are meant to be refused (input-error cases).
    eprintln!("shipped cases: {accepted} texts read both ways, {refused} refused both ways");
    assert!(accepted > 2_000, "{accepted} accepted, {refused} refused");
}

/// Every place in a JSON value: the path of keys and indices to it.
fn places(value: &Json, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match value {
        Json::Object(map) => {
            for (k, v) in map {
                at.push(Step::Key(k.clone()));
                places(v, at, out);
                at.pop();
            }
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Step::Index(i));
                places(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn get_mut<'v>(value: &'v mut Json, path: &[Step]) -> &'v mut Json {
    path.iter().fold(value, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// The mutants of one case: at each place, the value removed, nulled, replaced by a value of
/// each type and by near misses (blank, spaced, a date alone, another id of the document), a
/// list's first item repeated, an unknown field added.
fn mutants(case: &Json) -> Vec<String> {
    let mut all = Vec::new();
    places(case, &mut Vec::new(), &mut all);
    let ids: Vec<Json> = ["contacts", "loans", "interactions", "cases"]
        .iter()
        .filter_map(|list| case.get(list)?.get(0)?.get("id").cloned())
        .collect();
    let mut out = Vec::new();
    for path in all {
        let Some((last, parent)) = path.split_last() else { continue };
        let mut replace = |with: Json| {
            let mut m = case.clone();
            *get_mut(&mut m, &path) = with;
            out.push(m.to_string());
        };
        let current = get_mut(&mut case.clone(), &path).clone();
        let mut replacements = vec![Json::Null, json!(""), json!(" "), json!(7), json!(-1), json!(1.5), json!(true), json!([]), json!({})];
        replacements.extend(ids.iter().cloned());
        if let Json::String(s) = &current {
            replacements.push(json!(format!("{s} ")));
            replacements.push(json!(format!("{s}x")));
            replacements.push(json!(s.to_uppercase()));
            if s.len() > 10 && s.as_bytes()[4] == b'-' {
                replacements.push(json!(s[..10]));
                replacements.push(json!(s.trim_end_matches('Z')));
            }
        }
        if let Json::Array(items) = &current {
            if let Some(first) = items.first() {
                let mut doubled = items.clone();
                doubled.push(first.clone());
                replacements.push(Json::Array(doubled));
            }
        }
        if let Json::Object(map) = &current {
            let mut extra = map.clone();
            extra.insert("extra".into(), json!(1));
            replacements.push(Json::Object(extra));
        }
        for with in replacements {
            replace(with);
        }
        let mut removed = case.clone();
        match (get_mut(&mut removed, parent), last) {
            (Json::Object(map), Step::Key(k)) => {
                map.remove(k);
            }
            (Json::Array(items), Step::Index(i)) => {
                items.remove(*i);
            }
            _ => {}
        }
        out.push(removed.to_string());
    }
    // A repeated key (which a JSON value cannot hold): the first field written twice.
    let text = case.to_string();
    if let Some(colon) = text.find(':') {
        let end = text[colon..].find(['{', '[', ',']).map_or(text.len(), |e| colon + e);
        if text.as_bytes().get(end) == Some(&b',') {
            out.push(format!("{{{},{}", &text[1..end], &text[1..]));
        }
    }
    out
}

#[test]
fn mutated_cases_read_the_same_both_ways() {
    let limits = Limits::default();
    let cases = shipped_cases();
    // A sample of the cases, spread over the library (the whole set takes minutes unoptimised).
    let step = (cases.len() / 40).max(1);
    let (mut accepted, mut refused) = (0, 0);
    for (name, case) in cases.iter().step_by(step) {
        for text in mutants(case) {
            match std::panic::catch_unwind(|| agree(&text, &limits)) {
                Ok(true) => accepted += 1,
                Ok(false) => refused += 1,
                Err(_) => panic!("a mutant of case {name}"),
            }
        }
    }
    eprintln!("mutants: {accepted} read both ways, {refused} refused both ways");
    assert!(accepted > 1_000 && refused > 10_000, "{accepted} mutants accepted, {refused} refused");
}

#[test]
fn texts_near_the_limits_take_the_general_road() {
    let text = r#"{"now": "2026-03-10T15:00:00Z", "borrower": {"id": "BO-AAAA-1111"},
      "contacts": [{"id": "CT-AAAA-1111", "contactType": "phone", "value": "+14155552671"}],
      "cases": [{"id": "1", "caseType": "bankruptcy", "status": "processing", "doNotInteract": [{"channels": ["voice"]}]}],
      "request": {"channel": "text", "theme": "opsCollDebt", "contactId": "CT-AAAA-1111"}}"#;
    assert!(read(text, &Limits::default()).is_some());
    // Depth: the general loader refuses this text at a depth of 5 and reads it at 6.
    for max_depth in [1, 5, 6, 7] {
        let limits = Limits { max_depth, ..Limits::default() };
        agree_or_refuse(text, &limits);
    }
    // Values and bytes: near the text's own size.
    for n in [10, text.len() - 1, text.len(), 2 * text.len()] {
        agree_or_refuse(text, &Limits { max_values: n, ..Limits::default() });
        agree_or_refuse(text, &Limits { max_input_bytes: n, ..Limits::default() });
    }
    // Not the typed road: YAML, a byte-order mark before YAML, JSON followed by a comment.
    assert!(read("now: 2026-03-10T15:00:00Z\n", &Limits::default()).is_none());
    assert!(read(&format!("{text} # a comment"), &Limits::default()).is_none());
    assert!(read(&format!("\u{feff}{text}"), &Limits::default()).is_some());
    // A run of 19 digits sends the text to the YAML reader on the general road: declined.
    let long = text.replace("+14155552671", "+1415555267100000000");
    assert!(read(&long, &Limits::default()).is_none());
    assert!(general(&long, &Limits::default()).is_ok());
}

/// Like [`agree`], but a refusal by both, or a decline where the general loader would accept
/// near a limit, is fine: the typed read only has to never accept what the loader refuses.
fn agree_or_refuse(text: &str, limits: &Limits) {
    if let Some(typed) = read(text, limits) {
        assert_eq!(Ok(typed), general(text, limits), "limits {limits:?}");
    }
}

/// The checks across records (references, repeats, contact matching), each on a scenario
/// written for it: the mutations above reach them only where a sampled case has the records.
#[test]
fn cross_checks_read_the_same_both_ways() {
    let base = json!({
        "now": "2026-03-10T15:00:00Z",
        "borrower": {"id": "BO-AAAA-1111", "timezone": "America/New_York", "dateOfBirth": "1980-04-23"},
        "contacts": [
            {"id": "CT-CELL-0001", "contactType": "phone", "value": "+1 (617) 555-0100", "affiliation": "self", "label": "personal"},
            {"id": "CT-CELL-0002", "externalId": "cell-2", "contactType": "phone", "value": "617-555-0100", "affiliation": "spouse"},
            {"id": "CT-MAIL-0001", "contactType": "email", "value": "Borrower@Example.com"},
            {"id": "CT-HOME-0001", "contactType": "address", "address": {"addressLine1": "1 Main St", "city": "Boston", "state": "MA", "postalCode": "02108"}}
        ],
        "consents": [{"name": "autodialedColl", "value": "revoked", "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-02-01T00:00:00Z"}],
        "loans": [{"id": "LN-AAAA-0001", "externalId": "loan-1"}, {"id": "LN-AAAA-0002", "externalId": "LN-AAAA-0002"}],
        "cases": [{"id": "CA-AAAA-0001", "caseType": "bankruptcy", "status": "processing", "loanIds": ["loan-1", "LN-AAAA-0001"],
                   "doNotInteract": [{"id": "D1", "channels": ["voice"], "contactIds": ["CT-CELL-0001", "CT-CELL-0001"], "startsAt": "2026-01-01T00:00:00Z"}]}],
        "interactions": [
            {"id": "IN-1", "channel": "voice", "direction": "inbound", "status": "connected", "startAt": "2026-03-09", "contactId": "CT-CELL-0001"},
            {"id": "IN-2", "channel": "voice", "direction": "outbound", "status": "attempted", "subject": "loanOverdueFirstNotice", "startAt": "2026-03-09T16:00:00-05:00", "endAt": "2026-03-09T21:01:00Z", "loanIds": ["loan-1"], "previousInteractionId": "IN-1"}
        ],
        "request": {"channel": "voice", "subject": "loanOverdueFirstNotice", "contactDetails": {"contactType": "phone", "value": "6175550100", "affiliation": "spouse"}, "loanId": "LN-AAAA-0002", "loanIds": ["LN-AAAA-0002", "loan-1"], "previousInteractionId": "IN-2"},
        "expect": {"result": false, "rules": ["x"], "nextAllowedAt": null}
    });
    let limits = Limits::default();
    if let Err(errors) = general(&base.to_string(), &limits) {
        panic!("the base scenario is valid: {errors}");
    }
    assert!(agree(&base.to_string(), &limits));
    let patches: Vec<(&str, Json)> = vec![
        // contactDetails: no longer narrowed to one contact, a new contact, a new one reusing an id.
        ("/request/contactDetails/affiliation", Json::Null),
        ("/request/contactDetails/value", json!("+1 617 555 0199")),
        ("/request/contactDetails", json!({"id": "CT-CELL-0001", "contactType": "phone", "value": "999"})),
        ("/request/contactDetails", json!({"id": "CT-NEW-0001", "contactType": "phone", "value": "999"})),
        ("/request/contactDetails", json!({"contactType": "email", "value": " borrower@example.COM "})),
        ("/request/contactDetails", json!({"contactType": "address", "address": {"addressLine1": "1  main st", "city": "BOSTON", "state": "MA", "postalCode": "02108"}})),
        ("/request/contactDetails", json!({"contactType": "address", "address": {"city": "Boston"}})),
        ("/request/contactId", json!("CT-MAIL-0001")),
        ("/request/contactDetails", Json::Null),
        ("/request/contactExternalId", json!("cell-2")),
        // References: by externalId, dangling, to a record that is itself, repeated ids.
        ("/request/loanId", json!("loan-2")),
        ("/loans/1/externalId", json!("LN-AAAA-0001")),
        ("/loans/1/externalId", json!("loan-1")),
        ("/loans/1/id", json!("LN-AAAA-0001")),
        ("/contacts/1/externalId", Json::Null),
        ("/contacts/1/id", json!("CT-CELL-0001")),
        ("/interactions/1/previousInteractionId", json!("IN-2")),
        ("/interactions/1/previousInteractionId", json!("IN-3")),
        ("/interactions/1/id", json!("IN-1")),
        ("/request/previousInteractionId", json!("IN-9")),
        ("/cases/0/doNotInteract/0/contactIds", json!(["CT-NOPE"])),
        ("/cases/0/doNotInteract/0/id", Json::Null),
        ("/cases/0/loanIds", json!(["LN-AAAA-0003"])),
        ("/consents/1", json!({"name": "autodialedColl", "value": "consented"})),
        ("/consents/0/updatedAt", json!("2024-12-31T23:59:59Z")),
        ("/interactions/1/endAt", json!("2026-03-09T20:59:59Z")),
        ("/interactions/0/startAt", json!("2026-03-09T10:00:00")),
        ("/interactions/0/startAt", json!("2016-12-31T23:59:60Z")),
        ("/cases/0/doNotInteract/0/expiresAt", json!("2025-12-31T00:00:00Z")),
        ("/borrower/id", json!("bo-aaaa-1111")),
        ("/borrower/id", json!(12345)),
        ("/borrower/dateOfBirth", json!(" 1980-02-30")),
        ("/contacts/3/address/countryCode", json!("CA")),
        ("/contacts/3/address/state", json!("ON")),
        ("/contacts/3/address/countryCode", json!("ca")),
        ("/company", json!({"role": "collector", "timezone": "America/Boston"})),
        ("/expect/nextAllowedAt", json!("2026-03-11")),
        ("/now", Json::Null),
        ("/request/startAt", json!("2026-03-10")),
    ];
    let (mut accepted, mut refused) = (0, 0);
    for (pointer, value) in patches {
        let mut text = base.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let target = text.pointer_mut(parent).unwrap_or_else(|| panic!("{pointer}"));
        match target {
            Json::Object(map) => {
                map.insert(key.to_string(), value);
            }
            Json::Array(items) => {
                let i: usize = key.parse().unwrap();
                if i < items.len() { items[i] = value } else { items.push(value) }
            }
            _ => panic!("{pointer}"),
        }
        if agree(&text.to_string(), &limits) {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    // Both kinds are exercised.
    assert!(accepted >= 10 && refused >= 15, "{accepted} accepted, {refused} refused");
}
