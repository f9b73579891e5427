//! A lender's own rules project, as a rule team runs it: `rulec init` beside the shipped
//! library, rulec.toml found from any subdirectory, several rule sources, and the authoring
//! conveniences (`lint --fix`, `fmt --diff` and stdin, `test -q`, `explain`, completions,
//! `--color`). Every run is in a scratch directory outside the repository.

mod common;

use common::{rulec_in, Run, Scratch};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn library() -> PathBuf {
    std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules")).unwrap()
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    rulec_in(dir, args, stdin)
}

#[test]
fn init_then_lint_and_test_pass_with_the_shipped_library_as_a_second_source() {
    let dir = Scratch::new("init");
    let library = library();
    let made = run(&dir.0, &["init", "--library", library.to_str().unwrap(), "--policy", "acme"], None);
    assert_eq!(made.code, 0, "{}", made.transcript());
    insta::assert_snapshot!("init", made.transcript());
    let toml = dir.read("rulec.toml");
    assert!(toml.contains(&format!("rules = [\"{}\", \"policies\"]", library.display())), "{toml}");
    let workflow = dir.read(".github/workflows/rules.yml");
    assert!(workflow.contains("rulec lint --format sarif > rulec.sarif") && workflow.contains("upload-sarif"), "{workflow}");
    assert!(workflow.contains("rulec test --format junit > rulec-junit.xml"), "{workflow}");
    assert!(workflow.contains("cargo install --locked --path"), "{workflow}");
    let review = dir.read(".github/workflows/rule-review.yml");
    assert!(review.contains("pull_request:") && review.contains("gh pr comment"), "{review}");

    let lint = run(&dir.0, &["lint"], None);
    assert_eq!(lint.code, 0, "{}", lint.transcript());
    assert!(lint.stderr.starts_with("using rulec.toml\n0 errors, 0 warnings "), "{}", lint.stderr);

    let test = run(&dir.0, &["test"], None);
    assert_eq!(test.code, 0, "{}", test.transcript());
    insta::assert_snapshot!("init_test", test.transcript());
    let coloured = run(&dir.0, &["test", "--color", "always"], None);
    assert!(coloured.stdout.contains("\x1b[32mok   \x1b[0m a collection call on a Tuesday is allowed"), "{}", coloured.stdout);

    // From a subdirectory the project file is found above, and its paths still resolve.
    let nested = run(&dir.0.join("policies"), &["test", "-q"], None);
    assert_eq!(nested.code, 0, "{}", nested.transcript());
    assert_eq!(nested.stdout, "4 passed, 0 failed\n");
    assert_eq!(nested.stderr, "using ../rulec.toml\n");

    // The same project without rulec.toml: the sources given with --rules, more than once.
    let isolated = run(&dir.0, &["--isolated", "--rules", library.to_str().unwrap(), "--rules", "policies", "test", "tests", "-q"], None);
    assert_eq!((isolated.code, isolated.stdout.as_str()), (0, "4 passed, 0 failed\n"), "{}", isolated.transcript());
    // With only the library, the policy is not defined: every case of the suite names it.
    let library_only = run(&dir.0, &["--isolated", "--rules", library.to_str().unwrap(), "test", "tests", "-q"], None);
    assert_eq!(library_only.code, 1, "{}", library_only.transcript());

    // Nothing is overwritten.
    let again = run(&dir.0, &["init", "--library", library.to_str().unwrap(), "--policy", "acme"], None);
    assert_eq!(again.code, 2);
    assert_eq!(again.stderr, "error: rulec.toml, policies/acme.policy, tests/acme.yaml, .github/workflows/rules.yml, .github/workflows/rule-review.yml already exist; nothing written\n");
}


#[test]
fn the_scaffold_review_workflow_reports_a_pull_request_that_drops_the_mute() {
    let dir = Scratch::new("init-review");
    let library = library();
    assert_eq!(run(&dir.0, &["init", "--library", library.to_str().unwrap(), "--policy", "acme"], None).code, 0);
    let workflow = dir.read(".github/workflows/rule-review.yml");
    let repository = library.parent().unwrap().to_str().unwrap();
    insta::assert_snapshot!("init_review_workflow", workflow.replace(repository, "[REPOSITORY]"));
    // The library is outside the project (absolute): a pull request cannot change it.
    assert!(workflow.contains(r#"paths: ["rulec.toml", "policies/**", "tests/**"]"#), "{workflow}");

    // The workflow's diff step, as CI runs it, with the base commit HEAD and the rulec under test.
    let start = workflow.find("rulec diff ").expect("a rulec diff step");
    let command = workflow[start..workflow[start..].find("review.md").map(|end| start + end + "review.md".len()).unwrap()]
        .replace("\\\n", " ")
        .replace("${{ github.event.pull_request.base.sha }}", "HEAD");
    common::git(&dir.0, &["init", "-q", "-b", "main"]);
    common::git(&dir.0, &["add", "."]);
    common::git(&dir.0, &["commit", "-q", "-m", "init"]);
    let bin = Path::new(env!("CARGO_BIN_EXE_rulec")).parent().unwrap().to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()))).unwrap();
    let step = |dir: &Path| Command::new("sh").args(["-c", &command]).current_dir(dir).env("PATH", &path).env("NO_COLOR", "1").status().unwrap().code();

    // Nothing changed: the check passes and the comment says so.
    assert_eq!(step(&dir.0), Some(0), "{command}");
    assert!(dir.read("review.md").starts_with("### Rule change review\n"), "{}", dir.read("review.md"));
    // The pull request drops the mute: the call it let through is blocked now, and the check fails.
    let policy = dir.read("policies/acme.policy");
    let mute = &policy[policy.find("mute federal.").unwrap()..];
    let without = policy.replace(&mute[..mute.find("}\n").unwrap() + 2], "");
    dir.write("policies/acme.policy", &without);
    assert_eq!(step(&dir.0), Some(1), "{command}");
    let review = dir.read("review.md");
    assert!(review.contains("federal.reg_f.call_after_conversation"), "{review}");
    assert!(review.contains("the muted day-7 rule lets a call through two days after a conversation"), "{review}");
}

#[test]
fn a_rule_id_defined_in_two_sources_is_an_error_naming_both() {
    let dir = Scratch::new("duplicate");
    let rule = "rule acme.x {\n  title \"x\"\n  cites \"c\"\n  binds every role\n  blocks when channel is voice\n}\n";
    dir.write("vendor/policies/acme.policy", &format!("policy acme\n\n{rule}"));
    dir.write("own/acme.policy", &format!("policy acme\n\n{rule}"));
    let lint = run(&dir.0, &["--rules", "vendor", "--rules", "own", "lint", "--format", "json"], None);
    assert_eq!(lint.code, 1, "{}", lint.transcript());
    let records: serde_json::Value = serde_json::from_str(&lint.stdout).unwrap();
    let duplicate = records.as_array().unwrap().iter().find(|r| r["code"] == "E008").expect("E008");
    assert_eq!(duplicate["path"], "own/acme.policy");
    assert!(duplicate["notes"][0].as_str().unwrap().contains("vendor/policies/acme.policy:3:6"), "{duplicate}");
}

#[test]
fn rulec_toml_sets_the_defaults_and_bad_values_are_named() {
    let dir = Scratch::new("toml");
    dir.write("rules/policies/acme.policy", "policy acme\n\nuse federal\n\nrule acme.x {\n  title \"x\"\n  binds every role\n  blocks when channel is voice\n}\n");
    dir.write("rulec.toml", "rules = [\"rules\"]\n[lint]\ntoday = 2026-11-22\nformat = \"github\"\nhelp-uri = \"https://example.com/docs/diagnostics.md\"\n");
    let lint = run(&dir.0, &["lint"], None);
    assert_eq!(lint.code, 0, "{}", lint.transcript());
    assert!(lint.stdout.starts_with("::warning file=rules/policies/acme.policy"), "{}", lint.stdout);
    // A flag wins over the file; SARIF rules carry helpUri from it.
    let sarif = run(&dir.0, &["lint", "--format", "sarif"], None);
    let value: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let w001 = value["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().iter().find(|r| r["id"] == "W001").unwrap().clone();
    assert_eq!(w001["helpUri"], "https://example.com/docs/diagnostics.md#w001-missing-citation");
    // --deny CODE fails on that warning alone.
    let denied = run(&dir.0, &["lint", "--deny", "W001"], None);
    assert_eq!(denied.code, 1);
    let other = run(&dir.0, &["lint", "--deny", "W005"], None);
    assert_eq!(other.code, 0);
    let typo = run(&dir.0, &["lint", "--deny", "W01"], None);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("not a warning code"), "{}", typo.stderr);

    dir.write("rulec.toml", "rules = [\"rules\"]\n[lint]\nformat = \"sarf\"\n");
    let bad = run(&dir.0, &["lint"], None);
    assert_eq!((bad.code, bad.stderr.as_str()), (2, "error: rulec.toml: [lint] format: `sarf` is not one of human, json, sarif, github, did you mean `sarif`?\n"));
    dir.write("rulec.toml", "rules = [\"policies\"]\n");
    let missing = run(&dir.0, &["test"], None);
    assert_eq!(
        (missing.code, missing.stderr.as_str()),
        (2, "using rulec.toml\nerror: tests/scenarios: No such file or directory (the default; give another with a PATH or in rulec.toml)\n")
    );
    let missing = run(&dir.0, &["lint"], None);
    assert_eq!(missing.stderr, "using rulec.toml\nerror: policies: the rules directory does not exist (from rulec.toml)\n");
}

#[test]
fn lint_fix_applies_the_unambiguous_fixes_and_formats() {
    let dir = Scratch::new("fix");
    dir.write(
        "rules/states/MA.rules",
        "jurisdiction MA\n\nrule ma.x {\n  title \"x\"\n  cites \"c\"\n  binds collector\n  applies when channel == voice && theme is opsColDebt\n  blocks   when  !contact.receiveTextMessages\n  message \"{cuont} calls\"\n}\n",
    );
    let fixed = run(&dir.0, &["lint", "--fix", "--today", "2026-11-22"], None);
    insta::assert_snapshot!("lint_fix", format!("{}\n--- the file\n{}", fixed.transcript(), dir.read("rules/states/MA.rules")));
    // The misspelled placeholder is inside a message: left for a person, still reported.
    assert_eq!(fixed.code, 1);
    assert!(fixed.stdout.contains("`{cuont}`"), "{}", fixed.stdout);
}

#[test]
fn fmt_diff_and_stdin() {
    let dir = Scratch::new("fmt");
    let messy = "jurisdiction MA\n\nrule ma.x {\n  title \"x\"\n  cites   \"c\"\n  binds collector\n  blocks when channel is voice\n}\n";
    dir.write("rules/states/MA.rules", messy);
    let diff = run(&dir.0, &["fmt", "--diff"], None);
    assert_eq!(diff.code, 1);
    insta::assert_snapshot!("fmt_diff", diff.transcript());
    assert_eq!(dir.read("rules/states/MA.rules"), messy, "--diff writes nothing");
    let stdin = run(&dir.0, &["fmt", "-"], Some(messy));
    assert_eq!(stdin.code, 0);
    assert!(stdin.stdout.contains("  cites \"c\"\n"), "{}", stdin.stdout);
    let check = run(&dir.0, &["fmt", "--check", "-"], Some(&stdin.stdout));
    assert_eq!((check.code, check.stdout.as_str()), (0, ""));
}

#[test]
fn explain_completions_and_colour() {
    let dir = Scratch::new("cli");
    let explained = run(&dir.0, &["explain", "w002"], None);
    assert_eq!(explained.code, 0);
    assert!(explained.stdout.starts_with("W002 expired-mute\n\nA mute's `until` date has passed"), "{}", explained.stdout);
    let unknown = run(&dir.0, &["explain", "unknown-vaule"], None);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("did you mean `E003`?"), "{}", unknown.stderr);
    let by_name = run(&dir.0, &["explain", "unknown-value"], None);
    assert!(by_name.stdout.starts_with("E003 unknown-value\n"), "{}", by_name.stdout);

    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = run(&dir.0, &["completions", shell], None);
        assert_eq!(script.code, 0, "{shell}");
        assert!(script.stdout.contains("explain") && script.stdout.contains("deny-warnings"), "{shell}");
    }

    // A typo of a subcommand or flag gets a suggestion.
    let typo = run(&dir.0, &["tset"], None);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("similar subcommand exists: 'test'"), "{}", typo.stderr);

    dir.write("rules/states/MA.rules", "jurisdiction MA\n\nrule ma.x {\n  title \"x\"\n  cites \"c\"\n  binds collector\n  blocks when channel is vocie\n}\n");
    let plain = run(&dir.0, &["lint"], None);
    assert!(!plain.stdout.contains('\x1b'));
    let always = run(&dir.0, &["lint", "--color", "always"], None);
    assert!(always.stdout.contains('\x1b'), "{}", always.stdout);
}

#[test]
fn test_watch_runs_again_when_a_suite_changes() {
    use std::io::BufRead;
    let dir = Scratch::new("watch");
    let library = library();
    assert_eq!(run(&dir.0, &["init", "--library", library.to_str().unwrap(), "--policy", "acme"], None).code, 0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(["test", "--watch", "-q"])
        .current_dir(&dir.0)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let wait_for = |wanted: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match received.recv_timeout(left) {
                Ok(line) if line == wanted => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    };
    let first = wait_for("4 passed, 0 failed");
    // The Tuesday case now expects a block: the changed suite runs again, and fails.
    let suite = dir.read("tests/acme.yaml").replacen("expect: {result: true}", "expect: {result: false}", 1);
    std::thread::sleep(std::time::Duration::from_millis(300));
    dir.write("tests/acme.yaml", &suite);
    let second = wait_for("3 passed, 1 failed");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "the first run");
    assert!(second, "the run after the change");
}
