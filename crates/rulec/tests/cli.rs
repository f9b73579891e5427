//! Runs the built `rulec` binary on the fixtures under `tests/fixtures/` and pins its output in
//! every format, and its exit codes. Each command runs with the fixture directory as its
//! working directory, so that the paths in the output are relative.

mod common;

use common::{rulec_in, Run};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Runs `rulec` in `tests/fixtures/<dir>`.
fn rulec(dir: &str, args: &[&str]) -> Run {
    rulec_in(&fixtures().join(dir), args, None)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

// ---------------------------------------------------------------- lint

#[test]
fn lint_clean_rules_dir() {
    let run = rulec("clean", &["lint", "--today", "2026-03-01"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.transcript());

    let run = rulec(
        "clean",
        &["lint", "--today", "2026-03-01", "--format", "json"],
    );
    assert_eq!(run.code, 0);
    assert_eq!(json(&run.stdout), serde_json::json!([]));

    let run = rulec(
        "clean",
        &["lint", "--today", "2026-03-01", "--format", "github"],
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
}

#[test]
fn lint_errors_human() {
    let run = rulec("errors", &["lint", "--today", "2026-03-01"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("did you mean `attempted`?"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("rules/states/MA.rules:9:73"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn lint_errors_json() {
    let run = rulec(
        "errors",
        &["lint", "--today", "2026-03-01", "--format", "json"],
    );
    assert_eq!(run.code, 1);
    let records = json(&run.stdout);
    let first_error = records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["severity"] == "error")
        .unwrap();
    assert_eq!(first_error["code"], "E003");
    assert_eq!(first_error["path"], "rules/states/MA.rules");
    assert_eq!(
        (first_error["line"].as_u64(), first_error["column"].as_u64()),
        (Some(9), Some(73))
    );
    assert_eq!(first_error["help"], "did you mean `attempted`?");
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn lint_errors_sarif() {
    let run = rulec(
        "errors",
        &["lint", "--today", "2026-03-01", "--format", "sarif"],
    );
    assert_eq!(run.code, 1);
    let sarif = json(&run.stdout);
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "rulec");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rule_ids: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for code in ["E001", "E003", "E016", "W001", "W005", "W007"] {
        assert!(
            rule_ids.contains(&code),
            "{code} missing from the driver's rules"
        );
    }
    for rule in driver["rules"].as_array().unwrap() {
        assert!(rule["shortDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert!(rule["name"].as_str().is_some_and(|t| !t.is_empty()));
    }
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let levels: Vec<(&str, &str)> = results
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            ("W005", "warning"),
            ("E003", "error"),
            ("E002", "error"),
            ("E004", "error")
        ]
    );
    for result in results {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "rules/states/MA.rules");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(driver["rules"][index]["id"], result["ruleId"]);
    }
    let region = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(9), Some(73))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(9), Some(81))
    );
    // Each rule carries its section of docs/diagnostics.md as help, the text `rulec explain`
    // prints; the snapshot shows a placeholder, so that it pins the SARIF and not the page.
    let explained = rulec("clean", &["explain", "E003"]);
    assert_eq!(explained.code, 0);
    let mut redacted = sarif.clone();
    for rule in redacted["runs"][0]["tool"]["driver"]["rules"].as_array_mut().unwrap() {
        let markdown = rule["help"]["markdown"].as_str().unwrap().to_string();
        let heading = format!("## {} {}\n\n", rule["id"].as_str().unwrap(), rule["name"].as_str().unwrap());
        assert!(markdown.starts_with(&heading), "{markdown}");
        if rule["id"] == "E003" {
            assert_eq!(format!("## {}", explained.stdout.trim_end()), markdown);
        }
        rule["help"]["markdown"] = serde_json::json!("<the section of docs/diagnostics.md>");
        assert!(rule.get("helpUri").is_none(), "no helpUri without rulec.toml's [lint] help-uri");
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&redacted).unwrap());
}

#[test]
fn lint_errors_github() {
    let run = rulec(
        "errors",
        &["lint", "--today", "2026-03-01", "--format", "github"],
    );
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[1].starts_with("::error file=rules/states/MA.rules,line=9,col=73,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(
        ",title=E003::`atempted` is not an interaction status%0Ahelp: did you mean `attempted`?"
    ));
    assert!(lines[0].starts_with("::warning "));
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn lint_reports_only_the_given_files_with_the_rules_dir_as_context() {
    // MA.rules uses `collection_themes`, defined in the federal file: it resolves from context.
    let run = rulec(
        "clean",
        &["lint", "--today", "2026-03-01", "rules/states/MA.rules"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.stderr, "0 errors, 0 warnings in 1 file\n");

    // Without the context (a --rules dir with no files), the set is unknown.
    let run = rulec(
        "clean",
        &[
            "lint",
            "--today",
            "2026-03-01",
            "--rules",
            "scenarios",
            "rules/states/MA.rules",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("no set is named `collection_themes`"),
        "{}",
        run.stdout
    );

    // Only the named file is reported, though the errors dir has errors elsewhere too.
    let run = rulec(
        "errors",
        &["lint", "--today", "2026-03-01", "rules/federal/demo.rules"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn lint_deny_warnings_and_today() {
    // On 2100-01-01 the demo policy's mute has expired: a warning, not an error.
    let run = rulec(
        "clean",
        &["lint", "--today", "2100-01-01", "--format", "github"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .starts_with("::warning file=rules/policies/demo_lender.policy,"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("title=W002::"), "{}", run.stdout);

    let run = rulec(
        "clean",
        &["lint", "--today", "2100-01-01", "--deny-warnings"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "0 errors, 1 warning in 3 files\n");
}

#[test]
fn lint_usage_and_io_errors_exit_2() {
    let run = rulec("clean", &["lint", "missing.rules"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: missing.rules: No such file or directory\n"
    );

    let run = rulec("clean", &["lint", "--rules", "nowhere"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: nowhere: the rules directory does not exist\n");

    let run = rulec("clean", &["lint", "--format", "xml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid value 'xml'"), "{}", run.stderr);

    let run = rulec("clean", &["lint", "--today", "2026-02-30"]);
    assert_eq!(run.code, 2);
}

// ---------------------------------------------------------------- eval

#[test]
fn eval_valid_scenario_json() {
    let run = rulec("clean", &["eval", "eval/blocked.yaml"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let decision = json(&run.stdout);
    assert_eq!(decision["status"], 200);
    assert_eq!(decision["data"]["result"], false);
    assert_eq!(
        decision["data"]["blockedBy"][0]["rule"],
        "federal.demo.quiet_hours"
    );
    assert_eq!(decision["data"]["muted"][0]["rule"], "ma.call_frequency");
    assert_eq!(decision["data"]["nextAllowedAt"], "2026-03-10T12:00:00Z");
    assert!(decision.get("trace").is_none());
    insta::assert_snapshot!(run.transcript());

    // --format json is the same on a pipe; stdin works too.
    let explicit = rulec("clean", &["eval", "eval/blocked.yaml", "--format", "json"]);
    assert_eq!(explicit.stdout, run.stdout);
    let text = std::fs::read_to_string(fixtures().join("clean/eval/blocked.yaml")).unwrap();
    let piped = rulec_in(&fixtures().join("clean"), &["eval", "-"], Some(&text));
    assert_eq!((piped.code, &piped.stdout), (0, &run.stdout));
}

#[test]
fn eval_names_the_rule_set_the_same_however_the_folder_is_spelled() {
    let digest_with = |rules: &str| {
        let run = rulec("clean", &["eval", "eval/blocked.yaml", "--rules", rules]);
        assert_eq!(run.code, 0, "{}", run.transcript());
        json(&run.stdout)["data"]["ruleSet"]["digest"].as_str().map(str::to_string).expect("a digest")
    };
    let plain = digest_with("rules");
    assert_eq!(digest_with("./rules/"), plain);
    let absolute = fixtures().join("clean/rules");
    assert_eq!(digest_with(absolute.to_str().expect("UTF-8 path")), plain);
    // The rules in a folder of another name are the same rules.
    let copy = std::env::temp_dir().join(format!("rulec-digest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(&absolute, &copy.join("library"));
    assert_eq!(digest_with(copy.join("library").to_str().expect("UTF-8 path")), plain);
    // One byte more in one file is another rule set.
    let file = copy.join("library/federal/demo.rules");
    let text = std::fs::read_to_string(&file).expect("the fixture has federal/demo.rules");
    std::fs::write(&file, format!("{text}\n")).expect("writable");
    assert_ne!(digest_with(copy.join("library").to_str().expect("UTF-8 path")), plain);
    let _ = std::fs::remove_dir_all(&copy);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("temp dir");
    for entry in std::fs::read_dir(from).expect("readable").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn eval_explain() {
    let run = rulec("clean", &["eval", "eval/blocked.yaml", "--explain"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.transcript());

    // With --format json, --explain adds the trace to the JSON.
    let run = rulec(
        "clean",
        &["eval", "eval/blocked.yaml", "--explain", "--format", "json"],
    );
    let value = json(&run.stdout);
    assert_eq!(value["trace"].as_array().unwrap().len(), 5);
    assert_eq!(value["trace"][4]["verdict"], "muted");
}

#[test]
fn eval_now_and_policy_override() {
    // At 15:00 UTC (11:00 in Boston) the quiet hours are over; the mute is still reported.
    let run = rulec(
        "clean",
        &[
            "eval",
            "eval/blocked.yaml",
            "--now",
            "2026-03-10T15:00:00Z",
            "--format",
            "human",
        ],
    );
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.transcript());

    let run = rulec("clean", &["eval", "eval/blocked.yaml", "--policy", "nope"]);
    assert_eq!(run.code, 2);
    let error = json(&run.stdout);
    assert_eq!(error["statusCode"], 400);
    assert_eq!(error["errorType"], "ValidationError");
    assert_eq!(
        error["message"],
        "policy: 'nope' is not defined (policies: demo_lender)"
    );
}

#[test]
fn eval_invalid_scenario() {
    let run = rulec("clean", &["eval", "eval/invalid.yaml", "--format", "json"]);
    assert_eq!(run.code, 2);
    let error = json(&run.stdout);
    assert_eq!(error.as_object().unwrap().len(), 3);
    assert_eq!(error["statusCode"], 400);
    assert_eq!(error["errorType"], "ValidationError");
    let message = error["message"].as_str().unwrap();
    assert_eq!(message.lines().count(), 3);
    assert!(message.contains("contacts[0].affilation: unknown field, did you mean 'affiliation'?"));
    insta::assert_snapshot!(run.transcript());

    let run = rulec("clean", &["eval", "eval/invalid.yaml", "--format", "human"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn eval_errors_exit_2() {
    let run = rulec("clean", &["eval", "scenarios/pass.yaml"]);
    assert_eq!(run.code, 2);
    assert!(json(&run.stdout)["message"]
        .as_str()
        .unwrap()
        .contains("run it with `rulec test scenarios/pass.yaml`"));

    let run = rulec("clean", &["eval", "missing.yaml"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "error: missing.yaml: No such file or directory\n")
    );

    let run = rulec(
        "clean",
        &["eval", "eval/blocked.yaml", "--now", "yesterday"],
    );
    assert_eq!(run.code, 2);
    // An instant RFC 3339 can write whose UTC falls outside the years 0 to 9999.
    let run = rulec(
        "clean",
        &["eval", "eval/blocked.yaml", "--now", "9999-12-31T23:00:00-05:00"],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        json(&run.stdout)["message"],
        "--now 9999-12-31T23:00:00-05:00: the year 10000 is out of range (0 to 9999)"
    );

    // Rules with errors: rendered on stderr, exit 2.
    let run = rulec("errors", &["eval", "../clean/eval/blocked.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .ends_with("error: the rules in rules have 3 errors (run `rulec lint`)\n"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `attempted`?"));

    let run = rulec("clean", &["eval", "-"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("ValidationError"));
}

// ---------------------------------------------------------------- test

#[test]
fn test_passing_suite() {
    let run = rulec("clean", &["test", "scenarios"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.ends_with("\n8 passed, 0 failed\n"));
    insta::assert_snapshot!(run.transcript());

    let run = rulec("clean", &["test", "scenarios", "--format", "json"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, "8 passed, 0 failed\n");
    let report = json(&run.stdout);
    assert_eq!(
        (report["passed"].as_u64(), report["failed"].as_u64()),
        (Some(8), Some(0))
    );
    assert_eq!(
        report["files"][0]["cases"][2]["decision"]["data"]["blockedBy"][0]["rule"],
        "ma.call_frequency"
    );

    let run = rulec("clean", &["test", "scenarios", "--format", "junit"]);
    assert_eq!(run.code, 0);
    let xml = &run.stdout;
    assert_eq!(xml.matches("<testcase ").count(), 8);
    assert_eq!(xml.matches("<failure").count(), 0);
    assert!(xml.contains("<testsuites name=\"rulec\" tests=\"8\" failures=\"0\" errors=\"0\">"));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn test_failing_suite_human() {
    let run = rulec("clean", &["test", "failing"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.ends_with("\n1 passed, 4 failed\n"));
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn test_failing_suite_json() {
    let run = rulec("clean", &["test", "failing", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "1 passed, 4 failed\n");
    let report = json(&run.stdout);
    let statuses: Vec<&str> = report["files"][0]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["passed", "failed", "failed", "failed", "error"]);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn test_expect_warnings_muted_and_exactly_pass() {
    let run = rulec("expect", &["test", "pass.yaml"]);
    assert_eq!((run.code, run.stdout.ends_with("\n4 passed, 0 failed\n")), (0, true), "{}", run.transcript());
}

#[test]
fn test_expect_warnings_muted_and_exactly_fail() {
    let run = rulec("expect", &["test", "fail.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.ends_with("\n0 passed, 8 failed\n"), "{}", run.stdout);
    // Each failure says what was expected and what came.
    for line in [
        "warnings: expected 'federal.demo.evening_text' to warn, warning rules: federal.demo.evening",
        "warnings: expected exactly [federal.demo.evening], warning rules also include federal.demo.evening_text (exactly: true)",
        "muted: expected 'federal.demo.quiet_hours' to be reported muted, muted rules: none",
        "citations: expected exactly [12 CFR 1006.6(b)(1)(i)], blocking rules' citations also include 12 CFR 1006.6(b)(1) (exactly: true)",
        "rules: expected exactly [], blocking rules also include federal.demo.quiet_hours (exactly: true)",
        "muted: expected exactly [], muted rules also include federal.demo.quiet_hours (exactly: true)",
        "warnings: 'federal.demo.evenning' is not a rule of the rule set, did you mean 'federal.demo.evening'?",
        "cases[6].expect: required field missing",
        "cases[7].expect.result: required field missing",
    ] {
        assert!(run.stdout.contains(line), "missing {line:?} in\n{}", run.stdout);
    }
    insta::assert_snapshot!(run.transcript());

    let run = rulec("expect", &["test", "fail.yaml", "--format", "json"]);
    let report = json(&run.stdout);
    let statuses: Vec<&str> = report["files"][0]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["failed", "failed", "failed", "failed", "failed", "failed", "error", "error"]);
}

/// The attribute `name="…"` of the first element that starts with `tag`.
fn attribute<'a>(xml: &'a str, tag: &str, name: &str) -> &'a str {
    let start = xml.find(tag).unwrap_or_else(|| panic!("no {tag}"));
    let element = &xml[start..start + xml[start..].find('>').unwrap()];
    let key = format!(" {name}=\"");
    let at = element
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {element}"))
        + key.len();
    &element[at..at + element[at..].find('"').unwrap()]
}

#[test]
fn test_failing_suite_junit() {
    let run = rulec("clean", &["test", "failing", "--format", "junit"]);
    assert_eq!(run.code, 1);
    let xml = &run.stdout;
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    assert!(xml.ends_with("</testsuites>\n"));
    assert_eq!(xml.matches("<testcase ").count(), 5);
    assert_eq!(xml.matches("<failure ").count(), 3);
    assert_eq!(xml.matches("<error ").count(), 1);
    assert_eq!(xml.matches("</testcase>").count(), 4);
    assert_eq!(attribute(xml, "<testsuites", "tests"), "5");
    assert_eq!(attribute(xml, "<testsuites", "failures"), "3");
    assert_eq!(attribute(xml, "<testsuites", "errors"), "1");
    assert_eq!(attribute(xml, "<testsuite ", "tests"), "5");
    assert_eq!(attribute(xml, "<testsuite ", "failures"), "3");
    assert_eq!(attribute(xml, "<testsuite ", "name"), "Demo rules fail");
    // Balanced elements and nothing unescaped inside failures.
    assert_eq!(
        xml.matches("<testsuite ").count(),
        xml.matches("</testsuite>").count()
    );
    assert_eq!(
        xml.matches("<failure ").count(),
        xml.matches("</failure>").count()
    );
    for text in xml.split("<failure").skip(1) {
        let body = &text[text.find('>').unwrap() + 1..text.find("</failure>").unwrap()];
        assert!(!body.contains('<'), "unescaped < in a failure: {body}");
        for (i, _) in body.match_indices('&') {
            let entity = &body[i..body[i..].find(';').map_or(body.len(), |e| i + e + 1)];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity),
                "bad entity {entity}"
            );
        }
        assert!(body.contains("trace:"), "the trace is inside <failure>");
    }
    assert_eq!(run.stderr, "1 passed, 4 failed\n");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn test_filter() {
    let run = rulec(
        "clean",
        &["test", "scenarios", "failing", "--filter", "Massachusetts"],
    );
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.ends_with("\n2 passed, 0 failed\n"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.transcript());

    let run = rulec("clean", &["test", "scenarios", "--filter", "no such case"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "\n0 passed, 0 failed\n");
    assert_eq!(
        run.stderr,
        "warning: no case name contains 'no such case'\n"
    );
}

#[test]
fn test_coverage() {
    let run = rulec("clean", &["test", "scenarios", "--coverage"]);
    assert_eq!(run.code, 0);
    assert!(run
        .stdout
        .contains("coverage: 4 of 5 rules blocked and allowed at least once (80.0%)"));
    insta::assert_snapshot!(run.transcript());

    let run = rulec(
        "clean",
        &["test", "scenarios", "--format", "json", "--coverage"],
    );
    let coverage = &json(&run.stdout)["coverage"];
    assert_eq!(coverage["percent"], 80.0);
    assert_eq!(
        (coverage["covered"].as_u64(), coverage["total"].as_u64()),
        (Some(4), Some(5))
    );
    let frequency = coverage["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "federal.demo.call_frequency")
        .unwrap();
    assert_eq!(
        (frequency["blocked"].as_u64(), frequency["allowed"].as_u64()),
        (Some(0), Some(6))
    );

    let run = rulec("clean", &["test", "scenarios", "--min-coverage", "80"]);
    assert_eq!(run.code, 0);

    let run = rulec("clean", &["test", "scenarios", "--min-coverage", "90"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "coverage 80.0% is below --min-coverage 90%\n");
    assert!(run.stdout.ends_with("\n8 passed, 0 failed\n"));

    // Rules no case exercises are listed with where they are written.
    let run = rulec(
        "clean",
        &["test", "scenarios", "--coverage", "--filter", "first call"],
    );
    insta::assert_snapshot!("coverage_unexercised", run.stdout);
}

#[test]
fn test_usage_errors_exit_2() {
    let run = rulec("clean", &["test", "nowhere"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "error: nowhere: No such file or directory\n")
    );

    let run = rulec("clean", &["test", "rules"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: no scenario files (*.yaml, *.yml, *.json) under rules\n"
        )
    );

    // The default path is tests/scenarios, and the message says it was the default.
    let run = rulec("clean", &["test"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: tests/scenarios: No such file or directory (the default; give another with a PATH or in rulec.toml)\n"
    );

    let run = rulec("errors", &["test", "../clean/scenarios"]);
    assert_eq!(run.code, 2);
}

// ---------------------------------------------------------------- fmt

#[test]
fn fmt_check() {
    let run = rulec("fmt", &["fmt", "--check", "formatted.rules"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.transcript());

    let run = rulec(
        "fmt",
        &["fmt", "--check", "formatted.rules", "unformatted.rules"],
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript());

    let run = rulec("fmt", &["fmt", "--check", "broken.rules"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript());

    let run = rulec("fmt", &["fmt", "--check", "missing.rules"]);
    assert_eq!(run.code, 2);
}

#[test]
fn fmt_rewrites_in_place_and_is_idempotent() {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("rulec-fmt-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("rules/states")).unwrap();
    std::fs::copy(
        fixtures().join("fmt/unformatted.rules"),
        dir.join("rules/states/MA.rules"),
    )
    .unwrap();
    std::fs::copy(
        fixtures().join("fmt/formatted.rules"),
        dir.join("rules/states/NY.rules"),
    )
    .unwrap();

    let run = rulec_in(&dir, &["fmt"], None);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.stdout, "rules/states/MA.rules\n");
    assert_eq!(run.stderr, "1 file reformatted, 1 already formatted\n");
    let text = std::fs::read_to_string(dir.join("rules/states/MA.rules")).unwrap();
    assert_eq!(
        text,
        "# keep me\njurisdiction MA\n\nset weekend: day {Saturday, Sunday}\n"
    );

    let run = rulec_in(&dir, &["fmt", "--check"], None);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- help

#[test]
fn help_and_version() {
    for command in ["lint", "eval", "test", "fmt"] {
        let run = rulec("clean", &[command, "--help"]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.contains("Examples:"),
            "{command} --help has no examples"
        );
        assert!(
            run.stdout.contains("Exit codes"),
            "{command} --help has no exit codes"
        );
        assert!(
            run.stdout.contains("--rules <DIR>"),
            "{command} --help lacks --rules"
        );
    }
    let run = rulec("clean", &["--version"]);
    assert_eq!(
        (run.code, run.stdout.trim()),
        (0, concat!("rulec ", env!("CARGO_PKG_VERSION")))
    );
    let run = rulec("clean", &[]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(rulec("clean", &["--help"]).stdout);
}

#[test]
fn test_unreadable_suite_fails_alone() {
    let run = rulec("clean", &["test", "broken", "scenarios"]);
    // A suite that cannot be loaded is an input error, not a failed case.
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.ends_with("\n8 passed, 0 failed, 1 file could not be loaded\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("--- broken/unclosed.yaml (could not be loaded)\n"),
        "{}",
        run.stdout
    );

    let run = rulec("clean", &["test", "broken", "--format", "junit"]);
    assert_eq!(run.code, 2);
    assert_eq!(attribute(&run.stdout, "<testsuites", "tests"), "1");
    assert_eq!(attribute(&run.stdout, "<testsuites", "errors"), "1");
    assert_eq!(run.stdout.matches("<testcase ").count(), 1);
    insta::assert_snapshot!(run.transcript());
}

// ---------------------------------------------------------------- doc

#[test]
fn doc_writes_the_catalog_and_check_detects_staleness() {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("rulec-doc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in [
        (
            "rules/federal/demo.rules",
            "# Demo federal law.\n#\n# Second paragraph, not in the catalog.\njurisdiction federal\n\n\
             ## Why it is written so.\n##\n## Unsure: the hour is from a summary,\n## not the text.\n\
             rule federal.demo.hours {\n  title \"Calls | texts only 08:00-21:00\"\n  cites \"1 CFR 1\", \"2 CFR 2\"\n\
             \x20 binds collector\n  effective from 2021-11-30\n  applies when channel in {voice, text}\n\
             \x20 warns when local time is outside 08:00 to 21:00\n}\n",
        ),
        (
            "rules/states/VT.rules",
            "# Vermont: nothing beyond federal law was found.\njurisdiction VT\n",
        ),
        (
            "rules/states/NY.rules",
            "# New York.\njurisdiction NY\n\nrule nyc.no_mail {\n  title \"No letters\"\n  cites \"6 RCNY 5-77\"\n\
             \x20 binds creditor, collector\n  locality nyc\n  applies when channel is not mail\n\
             \x20 blocks when consent electronicComms is revoked\n}\n",
        ),
        (
            "rules/policies/demo.policy",
            "# A demo lender.\npolicy demo\n\nrule demo.sundays {\n  title \"No Sunday calls\"\n  cites \"Policy 1\"\n\
             \x20 binds every role\n  applies when channel is voice\n  blocks when local day is Sunday\n}\n",
        ),
    ] {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    let run = rulec_in(&dir, &["doc", "--check"], None);
    assert_eq!(run.code, 1, "no catalog yet: {}", run.transcript());
    assert_eq!(
        run.stderr,
        "docs/catalog.md is stale: run `rulec doc` and commit the result\n"
    );

    let run = rulec_in(&dir, &["doc"], None);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "wrote docs/catalog.md\n")
    );
    let catalog = std::fs::read_to_string(dir.join("docs/catalog.md")).unwrap();
    insta::assert_snapshot!(catalog);
    let printed = rulec_in(&dir, &["doc", "--out", "-"], None);
    assert_eq!(printed.stdout, catalog);

    let run = rulec_in(&dir, &["doc", "--check"], None);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "docs/catalog.md is up to date\n")
    );

    // Any change to a rule makes the checked-in catalog stale.
    let demo = dir.join("rules/policies/demo.policy");
    let text = std::fs::read_to_string(&demo).unwrap();
    std::fs::write(&demo, text.replace("No Sunday calls", "No calls on Sundays")).unwrap();
    let run = rulec_in(&dir, &["doc", "--check"], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    std::fs::remove_dir_all(&dir).unwrap();
}
