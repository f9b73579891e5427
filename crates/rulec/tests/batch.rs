//! `rulec eval --batch`: one decision per input line, in input order, identical to single
//! `rulec eval` runs, with malformed lines answered in place; from a file and from stdin.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean/rules")
}

fn rulec(args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rulec"));
    command
        .arg("--rules")
        .arg(rules())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("rulec runs");
    if let Some(text) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().expect("rulec finishes")
}

/// Scenarios that differ in instant, role, channel, policy and history: allowed and blocked.
fn scenarios() -> Vec<Value> {
    let mut out = Vec::new();
    for (i, hour) in [2, 10, 11, 12, 15, 20, 23].into_iter().enumerate() {
        for role in ["collector", "creditor"] {
            for channel in ["voice", "text", "email"] {
                let calls: Vec<Value> = (0..(i % 4))
                    .map(|k| {
                        json!({"id": format!("IN-{k}"), "channel": "voice", "direction": "outbound", "status": "attempted",
                               "theme": "opsCollDebt", "startAt": format!("2026-03-0{}T15:00:00Z", 5 + k),
                               "contactId": "CT-AAAA-1111", "loanIds": ["LN-AAAA-1111"]})
                    })
                    .collect();
                let mut scenario = json!({
                    "name": format!("case {i} {role} {channel}"),
                    "now": format!("2026-03-10T{hour:02}:00:00Z"),
                    "company": {"role": role},
                    "borrower": {"id": "BO-AAAA-1111"},
                    "contacts": [{"id": "CT-AAAA-1111", "contactType": "phone", "label": "home", "affiliation": "self",
                                  "value": "+16175550100", "address": {"city": "Boston", "state": "MA", "postalCode": "02108"}}],
                    "loans": [{"id": "LN-AAAA-1111"}],
                    "interactions": calls,
                    "request": {"channel": channel, "theme": "opsCollDebt", "contactId": "CT-AAAA-1111", "loanId": "LN-AAAA-1111"}
                });
                if i % 2 == 1 {
                    scenario["policy"] = json!("demo_lender");
                }
                out.push(scenario);
            }
        }
    }
    out
}

fn ndjson(values: &[Value]) -> String {
    values.iter().map(|v| v.to_string() + "\n").collect()
}

fn lines(output: &Output) -> Vec<Value> {
    let text = String::from_utf8(output.stdout.clone()).expect("utf-8");
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect()
}

#[test]
fn batch_decisions_are_in_input_order_and_identical_to_single_runs() {
    let scenarios = scenarios();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("rulec-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("scenarios.ndjson");
    std::fs::write(&input, ndjson(&scenarios)).unwrap();

    let output = rulec(&["eval", "--batch", input.to_str().unwrap(), "--jobs", "2"], None);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let batch = lines(&output);
    assert_eq!(batch.len(), scenarios.len());

    let (mut allowed, mut blocked) = (0, 0);
    for (i, scenario) in scenarios.iter().enumerate() {
        let single = rulec(&["eval", "-", "--format", "json"], Some(&scenario.to_string()));
        assert_eq!(single.status.code(), Some(0));
        let single: Value = serde_json::from_slice(&single.stdout).unwrap();
        assert_eq!(batch[i], single, "line {} ({}) differs from a single run", i + 1, scenario["name"]);
        if single["data"]["result"] == json!(true) {
            allowed += 1;
        } else {
            blocked += 1;
        }
    }
    assert!(allowed > 5 && blocked > 5, "the set exercises both verdicts ({allowed} allowed, {blocked} blocked)");

    // From stdin, with one thread, the output is the same.
    let from_stdin = rulec(&["eval", "--batch", "-", "--jobs", "1"], Some(&ndjson(&scenarios)));
    assert_eq!(from_stdin.status.code(), Some(0));
    assert_eq!(lines(&from_stdin), batch);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_malformed_line_is_reported_in_place_and_the_batch_goes_on() {
    let scenarios = scenarios();
    let mut input = String::new();
    input.push_str(&(scenarios[0].to_string() + "\n"));
    input.push_str("{\"borrower\": {\"id\": \"BO-AAAA-1111\"}, \"request\": {\"chanel\": \"voice\"}}\n");
    input.push('\n'); // a blank line is not a scenario and gets no output line
    input.push_str("{not json\n");
    input.push_str(&(scenarios[1].to_string() + "\n"));
    input.push_str(&(json!({"suite": "s", "cases": [scenarios[0]]}).to_string() + "\n"));
    input.push_str(&scenarios[2].to_string()); // no final newline

    let output = rulec(&["eval", "--batch", "-"], Some(&input));
    assert_eq!(output.status.code(), Some(2), "an invalid line makes the exit code 2");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "<stdin>: 3 lines invalid\n");
    let out = lines(&output);
    assert_eq!(out.len(), 6);
    assert_eq!(out[0]["status"], json!(200));
    insta::assert_snapshot!(format!("{}\n{}\n{}", out[1], out[2], out[4]), @r#"
    {"errorType":"ValidationError","line":2,"message":"request.chanel: unknown field, did you mean 'channel'?\nrequest.channel: required field missing\nrequest.theme: required field missing (a request needs a theme, a subject or both)\nrequest.contactId: required field missing (a request names its contact with exactly one of contactId, contactExternalId, contactDetails)\nnow: required when request.startAt is absent (the evaluator never reads the wall clock)","statusCode":400}
    {"errorType":"ValidationError","line":4,"message":"line 2, column 1: did not find expected ',' or '}', while parsing a flow mapping","statusCode":400}
    {"errorType":"ValidationError","line":6,"message":"a suite ('s'), not a scenario; run suites with `rulec test`","statusCode":400}
    "#);
    assert_eq!(out[3]["status"], json!(200));
    assert_eq!(out[5]["status"], json!(200));
}

#[test]
fn batch_usage_errors() {
    let output = rulec(&["eval", "--batch", "/nonexistent/x.ndjson"], None);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "error: /nonexistent/x.ndjson: No such file or directory\n");
    let output = rulec(&["eval", "--batch", "-", "--format", "human"], Some(""));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "error: --batch writes NDJSON only; drop --format human\n");
    let output = rulec(&["eval", "x.yaml", "--batch", "-"], Some(""));
    assert_eq!(output.status.code(), Some(2), "a scenario and --batch conflict");
}
