//! Every `rulec` command the README shows, run from the repository root as a new user would,
//! with the outcome the README promises.

use std::path::Path;
use std::process::Command;

fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Runs `rulec` with the arguments of a README line; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("rulec runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The `rulec` invocations in the README, in order (after `cargo run -q -p rulec --`).
fn readme_commands() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    readme
        .lines()
        .flat_map(|line| line.split("&&"))
        .filter_map(|part| {
            part.trim()
                .split('#')
                .next()
                .unwrap_or("")
                .trim()
                .strip_prefix("cargo run -q -p rulec -- ")
                .map(|rest| rest.split_whitespace().map(str::to_string).collect())
        })
        .collect()
}

#[test]
fn the_readme_shows_the_commands_this_test_runs() {
    let commands: Vec<String> = readme_commands().iter().map(|c| c.join(" ")).collect();
    assert_eq!(
        commands,
        [
            "lint rules",
            "test tests/scenarios",
            "lint examples/tour/typo.rules",
            "explain E003",
            "test tests/scenarios/federal/reg_f.yaml",
            "test --coverage",
            "eval --explain examples/tour/eighth_call.yaml",
            "eval --explain examples/tour/callback.yaml",
            "eval --batch examples/tour/borrowers.ndjson",
            "doc --check",
        ],
        "the README changed: update this test with what each new command must do"
    );
}

#[test]
fn main_job_lints_clean_and_passes_the_shipped_suites() {
    let (code, _, stderr) = run(&["lint", "rules"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(&["test", "tests/scenarios"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|l| l.ends_with(", 0 failed")),
        "{stdout}"
    );
}

#[test]
fn tour_lint_finds_the_typo_with_a_did_you_mean() {
    let (code, stdout, _) = run(&["lint", "examples/tour/typo.rules"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("`opsColDebt` is not a theme"), "{stdout}");
    assert!(stdout.contains("did you mean `opsCollDebt`?"), "{stdout}");
    assert!(stdout.contains("examples/tour/typo.rules:8:45"), "{stdout}");
}

#[test]
fn tour_explain_prints_the_code_s_documentation() {
    let (code, stdout, _) = run(&["explain", "E003"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("E003 unknown-value\n"), "{stdout}");
    assert!(stdout.contains("did you mean `opsCollDebt`?"), "{stdout}");
}

#[test]
fn tour_suite_and_coverage_run() {
    let (code, stdout, stderr) = run(&["test", "tests/scenarios/federal/reg_f.yaml"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, stdout, stderr) = run(&["test", "--coverage"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("coverage:"), "{stdout}");
    assert!(stdout.contains("federal.reg_f.call_frequency"), "{stdout}");
}

#[test]
fn tour_explains_the_eighth_call_and_its_next_allowed_time() {
    let (code, stdout, _) = run(&["eval", "--explain", "examples/tour/eighth_call.yaml"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("BLOCKED by 1 rule"), "{stdout}");
    assert!(stdout.contains("federal.reg_f.call_frequency"), "{stdout}");
    assert!(
        stdout.contains("allowed again at: 2026-03-11T04:00:00Z"),
        "midnight in Albany:\n{stdout}"
    );
    assert!(
        stdout.contains("next allowed at: 2026-03-11T12:00:00Z (Wed 2026-03-11 08:00 EDT America/New_York)"),
        "08:00 in Albany, shown in Albany's time beside UTC:\n{stdout}"
    );
    // Rules not in force for a voice call are listed, with why.
    let skipped = stdout.split("not in force for this request:\n").nth(1).unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        skipped.contains("skipped        federal.reg_f.employer_email (federal)\n                 applies to email only; the request is voice"),
        "{stdout}"
    );
}

#[test]
fn tour_mute_is_reported_in_the_decision() {
    let (code, stdout, _) = run(&["eval", "--explain", "examples/tour/callback.yaml"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("result: ALLOWED"), "{stdout}");
    assert!(stdout.contains("muted (would have blocked):"), "{stdout}");
    assert!(
        stdout.contains("federal.reg_f.call_after_conversation"),
        "{stdout}"
    );
    assert!(stdout.contains("muted until 2027-06-30"), "{stdout}");
}

#[test]
fn tour_batch_answers_each_line_in_order() {
    let (code, stdout, stderr) = run(&["eval", "--batch", "examples/tour/borrowers.ndjson"]);
    assert_eq!(code, 2, "one line is invalid: {stderr}");
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["data"]["result"], serde_json::json!(true));
    assert_eq!(lines[1]["data"]["result"], serde_json::json!(false));
    assert_eq!(lines[1]["data"]["blockedBy"][0]["rule"], serde_json::json!("federal.reg_f.inconvenient_time"));
    assert_eq!(lines[2]["data"]["result"], serde_json::json!(false));
    assert!(lines[2]["data"]["blockedBy"].as_array().unwrap().iter().any(|f| f["citation"] == "940 CMR 7.04(1)(f)"), "{stdout}");
    assert_eq!(lines[3]["line"], serde_json::json!(4));
    assert!(lines[3]["message"].as_str().unwrap().contains("did you mean 'channel'?"), "{stdout}");
}

#[test]
fn tour_catalog_is_current() {
    let (code, _, stderr) = run(&["doc", "--check"]);
    assert_eq!(code, 0, "{stderr}");
}
