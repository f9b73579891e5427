//! `rulec diff` and `rulec replay` end to end: which decisions a change to the rules flips, on
//! the fixture under `tests/fixtures/review` (a federal hours rule and Massachusetts and New
//! York call caps; `rules-cap` raises Massachusetts' cap from 3 to 4, `rules-reformatted` lays
//! the same rules out differently and in another order) and on the shipped library.

mod common;

use common::Run;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/review")
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rulec_in(dir: &Path, args: &[&str]) -> Run {
    common::rulec_in(dir, args, None)
}

fn rulec(args: &[&str]) -> Run {
    rulec_in(&fixture(), args)
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rulec-review-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path, edit: &dyn Fn(&Path, String) -> String) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target, edit);
        } else {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&target, edit(&path, text)).unwrap();
        }
    }
}

/// (kind, borrower's jurisdictions, origin) of every flip of a JSON report.
fn flips(report: &Value) -> Vec<(String, Vec<String>, String)> {
    report["flips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let jurisdictions = f["jurisdictions"].as_array().unwrap().iter().map(|j| j.as_str().unwrap().to_string()).collect();
            (f["kind"].as_str().unwrap().to_string(), jurisdictions, f["origin"]["from"].as_str().unwrap().to_string())
        })
        .collect()
}

// ---------------------------------------------------------------- diff

#[test]
fn a_raised_cap_flips_decisions_in_its_state_only_with_generated_boundary_cases() {
    let run = rulec(&["diff", "rules", "rules-cap", "suites", "--seeds", "suites"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    insta::assert_snapshot!(run.transcript());

    let json = rulec(&["diff", "rules", "rules-cap", "suites", "--seeds", "suites", "--format", "json"]).json();
    assert_eq!(json["ruleChanges"]["changed"][0]["rule"], "ma.call_cap");
    let flips = flips(&json);
    assert!(!flips.is_empty());
    assert!(flips.iter().all(|(_, j, _)| j == &["MA"]), "a flip outside Massachusetts: {flips:?}");
    // No suite case has three calls in the week: the flips at the cap come from generated
    // scenarios, on both sides of it.
    assert!(flips.iter().all(|(_, _, origin)| origin == "generated"));
    assert!(flips.iter().any(|(kind, _, _)| kind == "blocked-to-allowed"));
    assert!(!flips.iter().any(|(kind, _, _)| kind == "allowed-to-blocked"), "raising a cap blocks nothing new");
    let variants: Vec<&str> = json["flips"].as_array().unwrap().iter().filter_map(|f| f["origin"]["variant"].as_str()).collect();
    assert!(variants.contains(&"3 counted interactions (old rule: count >= 3)"), "{variants:?}");
    // The count just below the old cap is generated too, and decided alike on both sides.
    assert!(json["corpus"]["generated"].as_u64().unwrap() > 10);
}

#[test]
fn the_markdown_report_is_a_pull_request_comment() {
    let run = rulec(&["diff", "rules", "rules-cap", "suites", "--seeds", "suites", "--format", "markdown", "--examples", "1"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("### Rule change review\n"));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn reformatted_and_reordered_rules_flip_nothing() {
    let run = rulec(&["diff", "rules", "rules-reformatted", "suites", "--seeds", "suites"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn fail_on_gates_one_kind_of_flip() {
    let code = |kind: &str, old: &str, new: &str| rulec(&["diff", old, new, "suites", "--seeds", "suites", "--fail-on", kind, "--format", "json"]).code;
    // Raising the cap only allows: a gate on newly blocked decisions passes.
    assert_eq!(code("allowed-to-blocked", "rules", "rules-cap"), 0);
    assert_eq!(code("blocked-to-allowed", "rules", "rules-cap"), 1);
    // Lowering it back only blocks.
    assert_eq!(code("allowed-to-blocked", "rules-cap", "rules"), 1);
    assert_eq!(code("blocked-to-allowed", "rules-cap", "rules"), 0);
    assert_eq!(code("any", "rules", "rules-reformatted"), 0);
}

#[test]
fn the_given_corpus_alone() {
    let json = rulec(&["diff", "rules", "rules-cap", "batch.ndjson", "--no-generate", "--format", "json"]).json();
    assert_eq!(json["corpus"]["generated"], 0);
    let names: Vec<&str> = json["flips"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    // Line 3: three calls in Massachusetts (blocked before, allowed now); line 5: the same at
    // 07:30, still blocked by the hours; line 4 is in New York.
    assert_eq!(names, ["batch.ndjson:3", "batch.ndjson:5"]);
}

#[test]
fn rules_read_from_git_history() {
    let dir = scratch("git");
    copy_dir(&fixture().join("rules"), &dir.join("rules"), &|_, t| t);
    copy_dir(&fixture().join("suites"), &dir.join("tests/scenarios"), &|_, t| t);
    let git = |args: &[&str]| common::git(&dir, args);
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "cap 3"]);
    let ma = dir.join("rules/states/MA.rules");
    std::fs::write(&ma, std::fs::read_to_string(&ma).unwrap().replace(">= 3", ">= 4")).unwrap();

    // The working folder against the last commit, then the commit against itself.
    let run = rulec_in(&dir, &["diff", "git:HEAD", "rules", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let json = run.json();
    assert_eq!(json["old"]["source"], "git:HEAD:rules");
    assert_eq!(json["ruleChanges"]["changed"][0]["rule"], "ma.call_cap");
    let unchanged = rulec_in(&dir, &["diff", "git:HEAD", "git:HEAD:rules"]);
    assert_eq!(unchanged.code, 0, "{}", unchanged.transcript());
    // The same files have the same digest, read from a folder or from git.
    git(&["stash", "-q"]);
    let same = rulec_in(&dir, &["diff", "git:HEAD", "rules", "--format", "json"]).json();
    assert_eq!(same["old"]["digests"], same["new"]["digests"]);

    let run = rulec_in(&dir, &["diff", "git:no-such-rev", "rules"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: git:no-such-rev:rules: "), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}


#[test]
fn git_revisions_read_every_rule_source_of_the_project() {
    // A project whose rules are in two folders, `lib` (federal and New York) and `ma`
    // (Massachusetts); rulec.toml comes in the second commit, the raised Massachusetts cap
    // in the third.
    let dir = scratch("project-git");
    copy_dir(&fixture().join("rules"), &dir.join("lib"), &|_, t| t);
    std::fs::create_dir_all(dir.join("ma/states")).unwrap();
    std::fs::rename(dir.join("lib/states/MA.rules"), dir.join("ma/states/MA.rules")).unwrap();
    copy_dir(&fixture().join("suites"), &dir.join("tests/scenarios"), &|_, t| t);
    common::git(&dir, &["init", "-q", "-b", "main"]);
    common::git(&dir, &["add", "."]);
    common::git(&dir, &["commit", "-q", "-m", "rules, no project file"]);
    std::fs::write(dir.join("rulec.toml"), "rules = [\"lib\", \"ma\"]\n").unwrap();
    common::git(&dir, &["add", "."]);
    common::git(&dir, &["commit", "-q", "-m", "project file"]);
    let ma = dir.join("ma/states/MA.rules");
    std::fs::write(&ma, std::fs::read_to_string(&ma).unwrap().replace(">= 3", ">= 4")).unwrap();
    let diff = |old: &str, new: &str| rulec_in(&dir, &["diff", old, new, "--format", "json"]);
    let changed = |run: &Run| -> Vec<String> {
        run.json()["ruleChanges"]["changed"].as_array().unwrap().iter().map(|c| c["rule"].as_str().unwrap().to_string()).collect()
    };

    // The last commit against the sources on disk: the change in the second folder flips
    // Massachusetts decisions, generated at the cap.
    let run = diff("git:HEAD", "worktree");
    assert_eq!(run.code, 1, "{}", run.transcript());
    let json = run.json();
    assert_eq!(json["old"]["source"], "git:HEAD:lib + git:HEAD:ma");
    assert_eq!(json["new"]["source"], "lib + ma");
    assert_eq!(changed(&run), ["ma.call_cap"]);
    let flips = flips(&json);
    assert!(flips.iter().any(|(kind, j, origin)| kind == "blocked-to-allowed" && j == &["MA"] && origin == "generated"), "{flips:?}");
    assert!(flips.iter().all(|(_, j, _)| j == &["MA"]), "a flip outside Massachusetts: {flips:?}");

    // Committed, the same change between two revisions; the unchanged sides flip nothing.
    common::git(&dir, &["commit", "-q", "-am", "cap 4"]);
    let run = diff("git:HEAD~1", "git:HEAD");
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(run.json()["new"]["source"], "git:HEAD:lib + git:HEAD:ma");
    assert_eq!(changed(&run), ["ma.call_cap"]);
    assert_eq!(strip_sources(&run.json()), strip_sources(&json), "the same flips as from the work tree");
    let run = diff("git:HEAD", "worktree");
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.json()["old"]["digests"], run.json()["new"]["digests"]);

    // rulec.toml did not exist at the first commit: its current sources are read there.
    let run = diff("git:HEAD~2", "git:HEAD~1");
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.json()["old"]["source"], "git:HEAD~2:lib + git:HEAD~2:ma");
    let run = diff("git:HEAD~2", "worktree");
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(changed(&run), ["ma.call_cap"]);

    // A project file that drops a source at a revision: that revision is read without it, so
    // the dropped folder's rules show as removed.
    std::fs::write(dir.join("rulec.toml"), "rules = [\"lib\"]\n").unwrap();
    common::git(&dir, &["commit", "-q", "-am", "lib only"]);
    std::fs::write(dir.join("rulec.toml"), "rules = [\"lib\", \"ma\"]\n").unwrap();
    let run = diff("git:HEAD", "worktree");
    assert_eq!(run.code, 1, "{}", run.transcript());
    let json = run.json();
    assert_eq!(json["old"]["source"], "git:HEAD:lib");
    let added: Vec<&str> = json["ruleChanges"]["added"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(added.contains(&"ma.call_cap") && added.contains(&"ma.no_sunday_texts"), "{added:?}");

    // A project file that does not read at a revision is an error naming the revision,
    // unless --rules names the sources (then rulec.toml is not read at any revision).
    std::fs::write(dir.join("rulec.toml"), "rules = [\"lib\"\n").unwrap();
    common::git(&dir, &["commit", "-q", "-am", "broken project file"]);
    std::fs::write(dir.join("rulec.toml"), "rules = [\"lib\", \"ma\"]\n").unwrap();
    let run = diff("git:HEAD", "worktree");
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("error: git:HEAD: rulec.toml:1:"), "{}", run.stderr);
    let run = rulec_in(&dir, &["--rules", "lib", "diff", "git:HEAD", "worktree"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The flips of a JSON report without the sides' sources and digests.
fn strip_sources(report: &Value) -> Vec<(Value, Value, Value, Value)> {
    report["flips"].as_array().unwrap().iter().map(|f| (f["name"].clone(), f["kinds"].clone(), f["old"].clone(), f["new"].clone())).collect()
}

#[test]
fn the_project_suites_are_the_default_corpus_and_seeds() {
    // A project whose suites are in `checks/`, not tests/scenarios: `rulec diff OLD NEW` with no
    // scenario named decides them and generates from them, as `rulec test` runs them.
    let dir = scratch("project-suites");
    copy_dir(&fixture().join("rules"), &dir.join("rules"), &|_, t| t);
    copy_dir(&fixture().join("rules"), &dir.join("raised"), &|path, text| if path.ends_with("states/MA.rules") { text.replace(">= 3", ">= 4") } else { text });
    copy_dir(&fixture().join("suites"), &dir.join("checks"), &|_, t| t);
    let run = rulec_in(&dir, &["diff", "rules", "raised", "--format", "json"]);
    assert_eq!(run.code, 0, "without a project file there is nothing to decide: {}", run.transcript());
    assert_eq!((run.json()["corpus"]["given"].clone(), run.json()["corpus"]["seeds"].clone()), (serde_json::json!(0), serde_json::json!(0)));
    std::fs::write(dir.join("rulec.toml"), "suites = [\"checks\"]\n").unwrap();
    let run = rulec_in(&dir, &["diff", "rules", "raised", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let json = run.json();
    assert_eq!((json["corpus"]["given"].clone(), json["corpus"]["seeds"].clone()), (serde_json::json!(5), serde_json::json!(3)), "the five cases of checks/, three of them seeds");
    assert!(flips(&json).iter().any(|(kind, j, _)| kind == "blocked-to-allowed" && j == &["MA"]), "{}", run.transcript());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_empty_folder_is_a_rule_set_without_rules() {
    // Against nothing, every rule is new (the cost of reviewing a whole library).
    let dir = scratch("empty");
    let run = rulec(&["diff", dir.to_str().unwrap(), "rules", "suites", "--seeds", "suites", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let json = run.json();
    assert_eq!(json["old"]["rules"], 0);
    let added: Vec<&str> = json["ruleChanges"]["added"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(added.contains(&"ma.call_cap") && added.contains(&"federal.example.hours"), "{added:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_inputs_are_usage_errors() {
    let run = rulec(&["diff", "rules", "no-such-folder", "suites"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: no-such-folder: not a folder of rules (give a folder, worktree or git:REV)\n");
    let dir = scratch("bad");
    std::fs::write(dir.join("bad.yaml"), "now: 2026-03-10T15:00:00Z\nrequest: {channel: voise}\n").unwrap();
    let run = rulec(&["diff", "rules", "rules-cap", dir.join("bad.yaml").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.yaml: invalid scenario: ") && run.stderr.contains("did you mean 'voice'?"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------- logs and replay

#[test]
fn a_logged_batch_replays_without_flips_and_under_changed_rules_as_diff_does() {
    let dir = scratch("log");
    let log = dir.join("decisions.log");
    let log = log.to_str().unwrap();
    let batch = rulec(&["--rules", "rules", "eval", "--batch", "batch.ndjson", "--log", log]);
    assert_eq!(batch.code, 0, "{}", batch.transcript());
    let records: Vec<Value> = std::fs::read_to_string(log).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 5, "one record per decision");
    let outputs: Vec<Value> = batch.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for (record, output) in records.iter().zip(&outputs) {
        assert_eq!(&record["decision"], output, "the decision as written to the output");
        assert!(record["ruleSet"]["digest"].as_str().unwrap().starts_with("sha256:"));
        assert!(record["scenario"]["request"].is_object() && record["time"].is_string());
    }

    let same = rulec(&["--rules", "rules", "replay", log]);
    assert_eq!(same.code, 0, "{}", same.transcript());
    assert!(same.stdout.contains("result: no decision changes"));
    let digest = records[0]["decision"]["data"]["ruleSet"]["digest"].as_str().unwrap();
    assert!(records.iter().all(|r| r["ruleSet"]["digest"] == digest));
    let short = &digest[..19];
    assert!(same.stdout.contains(&format!("logged under: {short} (5 records); the replay rules' digest\n")), "{}", same.stdout);
    assert!(!same.stdout.contains("WARNING"), "{}", same.stdout);

    let replayed = rulec(&["--rules", "rules-cap", "replay", log, "--format", "json"]);
    assert_eq!(replayed.code, 1);
    let diffed = rulec(&["diff", "rules", "rules-cap", "batch.ndjson", "--no-generate", "--format", "json"]);
    let strip = |report: &Value| -> Vec<(Value, Value, Value, Value)> {
        report["flips"].as_array().unwrap().iter().map(|f| (f["origin"]["line"].clone(), f["kinds"].clone(), f["old"].clone(), f["new"].clone())).collect()
    };
    let (replayed, diffed) = (replayed.json(), diffed.json());
    assert_eq!(strip(&replayed), strip(&diffed));
    assert_eq!(replayed["old"]["digests"], diffed["old"]["digests"], "the log names the rules that decided it");
    assert_eq!(replayed["logged"]["ruleSets"], serde_json::json!([{"digest": digest, "records": 5, "sameAsReplay": false}]));
    assert_eq!(replayed["logged"]["changedUnderSameRules"], 0, "other rules: the flips are the change's");
    let human = rulec(&["--rules", "rules-cap", "replay", log]);
    let cap = &replayed["new"]["digests"][0].as_str().unwrap()[..19];
    assert!(human.stdout.contains(&format!("logged under: {short} (5 records); the replay rules ({cap}) are none of them\n")), "{}", human.stdout);
    assert!(!human.stdout.contains("WARNING"), "{}", human.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn flips_under_the_logged_digest_are_reported_loudly() {
    // A log whose records name the rules of `rules` but whose decisions were made by
    // `rules-cap` (a log edited, or written by another build): replayed under `rules`, the
    // same digest decides otherwise.
    let dir = scratch("forged");
    let log = dir.join("decisions.log");
    let log = log.to_str().unwrap();
    assert_eq!(rulec(&["--rules", "rules-cap", "eval", "--batch", "batch.ndjson", "--log", log]).code, 0);
    let ours = rulec(&["--rules", "rules", "replay", log, "--format", "json"]).json()["new"]["digests"][0].as_str().unwrap().to_string();
    let text = std::fs::read_to_string(log).unwrap();
    let theirs = serde_json::from_str::<Value>(text.lines().next().unwrap()).unwrap()["ruleSet"]["digest"].as_str().unwrap().to_string();
    assert_ne!(ours, theirs);
    std::fs::write(log, text.replace(&theirs, &ours)).unwrap();

    let run = rulec(&["--rules", "rules", "replay", log]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("; the replay rules' digest\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("\nWARNING: 2 changed decisions were logged under the replay rules' own digest"),
        "{}",
        run.stdout
    );
    let json = rulec(&["--rules", "rules", "replay", log, "--format", "json"]).json();
    assert_eq!(json["logged"]["changedUnderSameRules"], 2);
    assert_eq!(json["logged"]["ruleSets"][0]["sameAsReplay"], true);
    let markdown = rulec(&["--rules", "rules", "replay", log, "--format", "markdown"]);
    assert!(markdown.stdout.contains("> [!WARNING]\n> 2 changed decisions were logged under"), "{}", markdown.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn invalid_lines_are_logged_and_skipped_on_replay() {
    let dir = scratch("invalid");
    let input = dir.join("in.ndjson");
    let text = std::fs::read_to_string(fixture().join("batch.ndjson")).unwrap() + "{\"now\": \"not a time\"}\n";
    std::fs::write(&input, text).unwrap();
    let log = dir.join("decisions.log");
    let batch = rulec(&["eval", "--batch", input.to_str().unwrap(), "--log", log.to_str().unwrap()]);
    assert_eq!(batch.code, 2);
    let last: Value = serde_json::from_str(std::fs::read_to_string(&log).unwrap().lines().last().unwrap()).unwrap();
    assert_eq!(last["line"], 6);
    assert_eq!(last["input"], "{\"now\": \"not a time\"}");
    assert!(last["error"].is_string());
    let replay = rulec(&["replay", log.to_str().unwrap()]);
    assert_eq!(replay.code, 0, "{}", replay.transcript());
    assert!(replay.stdout.contains("1 log record without a decision not compared"), "{}", replay.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------- the shipped library

/// Massachusetts' `>= 2` in `ma.call_frequency` raised to `>= 3` in a copy of `rules/`.
fn raise_ma_cap(path: &Path, text: String) -> String {
    if !path.ends_with("states/MA.rules") {
        return text;
    }
    let marker = "      in the last 7 days about this loan >= 2\n";
    assert_eq!(text.matches(marker).count(), 1, "ma.call_frequency's cap moved; update this test");
    text.replace(marker, "      in the last 7 days about this loan >= 3\n")
}

#[test]
fn the_shipped_library_a_changed_cap_flips_massachusetts_only() {
    let dir = scratch("library");
    copy_dir(&repository().join("rules"), &dir.join("rules-new"), &raise_ma_cap);
    let new = dir.join("rules-new");
    let run = rulec_in(&repository(), &["diff", "rules", new.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    let flips = flips(&json);
    assert!(flips.iter().all(|(_, j, _)| j.iter().any(|x| x == "MA")), "a flip outside Massachusetts: {flips:?}");
    assert!(flips.iter().any(|(kind, _, origin)| kind == "blocked-to-allowed" && origin == "generated"));
    assert!(json["byRule"].as_array().unwrap().iter().all(|r| r["rule"] == "ma.call_frequency"), "{}", json["byRule"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_shipped_library_reformatted_flips_nothing() {
    let dir = scratch("library-layout");
    // Comments, blank lines and deeper continuation indents everywhere.
    let relayout = |_: &Path, text: String| -> String {
        let mut out = String::from("# laid out again\n");
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("      ") {
                out.push_str("          ");
                out.push_str(rest);
            } else {
                out.push_str(line);
            }
            out.push('\n');
            if line.is_empty() {
                out.push('\n');
            }
        }
        out
    };
    copy_dir(&repository().join("rules"), &dir.join("rules-new"), &relayout);
    let new = dir.join("rules-new");
    let run = rulec_in(&repository(), &["diff", "rules", new.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("rule changes: none"), "{}", run.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}
