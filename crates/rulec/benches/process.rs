//! `rulec` as whole processes (`cargo bench -p rulec`), the way CI and a batch job run it:
//! start-up, reading and checking every rule file, and the work itself. Figures are in
//! docs/performance.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn run(args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(args)
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("rulec runs");
    assert!(status.success(), "rulec {args:?} failed");
}

/// `rulec lint rules`: every shipped rule and policy file, parsed, checked and linted.
#[divan::bench(sample_count = 20)]
fn lint_rules() {
    run(&["lint", "rules"]);
}

/// `rulec lint --rules COPY` over ten times the rules: a copy of `rules/` with nine distinct generated rules
/// for each shipped federal and state rule, spread over the other states, channels and roles
/// (`rulec_testkit::library`).
#[divan::bench(sample_count = 20)]
fn lint_rules_10x() {
    run(&["lint", "--rules", rules_10x()]);
}

/// `rulec test tests/scenarios`: every shipped suite against the shipped rules.
#[divan::bench(sample_count = 10)]
fn test_scenarios() {
    run(&["test", "tests/scenarios"]);
}

/// `rulec test tests/scenarios` against ten times the rules (no generated rule fires, so
/// every case passes as with the shipped rules).
#[divan::bench(sample_count = 10)]
fn test_scenarios_10x_rules() {
    run(&["test", "tests/scenarios", "--rules", rules_10x()]);
}

/// A copy of `rules/` in a temporary folder with the generated files of
/// `rulec_testkit::library::nine_variants_per_rule` beside the shipped ones.
fn rules_10x() -> &'static str {
    static DIR: OnceLock<String> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("rulec-bench-rules-10x-{}", std::process::id())).join("rules");
        copy_dir(&repo().join("rules"), &dir);
        let files: Vec<(String, String)> = rulec_testkit::rule_files(&repo().join("rules"))
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("a shipped rule file");
                (format!("rules/{}", rulec_testkit::relative(&p, &repo().join("rules"))), text)
            })
            .collect();
        for (path, text) in rulec_testkit::library::nine_variants_per_rule(&files) {
            std::fs::write(dir.join(path.trim_start_matches("rules/")), text).expect("write a generated rule file");
        }
        dir.to_str().expect("utf-8 path").to_string()
    })
}

/// An NDJSON file of `lines` scenarios: borrowers in Boston with 20 past interactions each, at
/// instants spread over a day, so that some are allowed and some blocked (about 5 KB a line).
/// Written once per size, streamed, as `rulec-bench-batch-LINES.ndjson` in the temporary folder
/// (the manual 1,000,000-line run in docs/performance.md reads the 100,000-line file ten times).
fn batch_file(lines: usize) -> PathBuf {
    use std::io::Write;
    let path = std::env::temp_dir().join(format!("rulec-bench-batch-{lines}.ndjson"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create the batch file"));
    let mut interactions = Vec::new();
    for i in 0..lines {
        interactions.clear();
        for k in 0..20 {
            interactions.push(format!(
                r#"{{"id":"IN-{k}","channel":"{}","direction":"outbound","status":"attempted","theme":"opsCollDebt","startAt":"2026-02-{:02}T15:00:00Z","contactId":"CT-CELL-0001","loanIds":["LN-BNCH-0001"]}}"#,
                if k % 2 == 0 { "voice" } else { "email" },
                1 + (k + i) % 28
            ));
        }
        writeln!(
            out,
            r#"{{"now":"2026-03-{:02}T{:02}:{:02}:00Z","company":{{"role":"collector"}},"borrower":{{"id":"BO-BNCH-{i:04}"}},"contacts":[{{"id":"CT-HOME-0001","contactType":"address","affiliation":"self","address":{{"state":"MA","city":"Boston","postalCode":"02108"}}}},{{"id":"CT-CELL-0001","contactType":"phone","label":"personal","affiliation":"self","value":"+16175550100"}}],"loans":[{{"id":"LN-BNCH-0001"}}],"interactions":[{}],"request":{{"channel":"voice","theme":"opsCollDebt","contactId":"CT-CELL-0001","loanId":"LN-BNCH-0001"}}}}"#,
            1 + i % 28,
            i % 24,
            i % 60,
            interactions.join(",")
        )
        .expect("write the batch file");
    }
    out.flush().expect("write the batch file");
    path
}

/// `rulec eval --batch` over 10,000 and 100,000 scenarios on every core, output discarded.
#[divan::bench(args = [10_000, 100_000], sample_count = 5)]
fn batch_scenarios(bencher: divan::Bencher, lines: usize) {
    let file = batch_file(lines).to_str().expect("utf-8 path").to_string();
    bencher.counter(divan::counter::ItemsCount::new(lines)).bench(|| run(&["eval", "--batch", &file]));
}

/// Runs `rulec` and checks its exit code (`rulec diff` exits 1 when decisions change).
fn run_expecting(args: &[&str], code: i32) {
    let status = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(args)
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("rulec runs");
    assert_eq!(status.code(), Some(code), "rulec {args:?}");
}

/// Copies of the shipped rules for `rulec diff`: `rules` with Massachusetts' call cap raised
/// from 2 to 3, and an empty folder (against which every rule is new).
fn diff_rules() -> &'static (PathBuf, PathBuf) {
    static DIRS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    DIRS.get_or_init(|| {
        let base = std::env::temp_dir().join(format!("rulec-bench-diff-{}", std::process::id()));
        let (changed, empty) = (base.join("rules"), base.join("empty"));
        copy_dir(&repo().join("rules"), &changed);
        let ma = changed.join("states/MA.rules");
        let text = std::fs::read_to_string(&ma).expect("MA rules");
        let edited = text.replacen("in the last 7 days about this loan >= 2", "in the last 7 days about this loan >= 3", 1);
        assert_ne!(text, edited, "ma.call_frequency's cap moved; update this benchmark");
        std::fs::write(&ma, edited).expect("write");
        std::fs::create_dir_all(&empty).expect("mkdir");
        (changed, empty)
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// `rulec diff rules COPY`: one rule changed, the shipped suites as corpus and seeds.
#[divan::bench(sample_count = 10)]
fn diff_one_rule() {
    let changed = diff_rules().0.to_str().expect("utf-8 path");
    run_expecting(&["diff", "rules", changed], 1);
}

/// `rulec diff EMPTY rules`: every shipped rule new, thousands of generated scenarios.
#[divan::bench(sample_count = 5)]
fn diff_every_rule() {
    let empty = diff_rules().1.to_str().expect("utf-8 path");
    run_expecting(&["diff", empty, "rules"], 1);
}
