//! `rulec init`: a lender's rules project, kept apart from the shipped library: rulec.toml
//! naming both rule sources, a policy with one business rule and one mute, a suite that tests
//! both, a GitHub Actions workflow that lints (SARIF) and tests (JUnit), and one that posts
//! `rulec diff` of a pull request's rule changes as a comment.

use crate::cli::InitArgs;
use crate::files::{self, display};
use crate::{Failure, Outcome};
use std::path::{Path, PathBuf};

pub fn run(args: InitArgs) -> Outcome {
    let name = &args.policy;
    if name.is_empty()
        || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        || !name.starts_with(|c: char| c.is_ascii_lowercase())
    {
        return Err(Failure(format!(
            "--policy {name}: a policy name is lower-case letters, digits and `_`, starting with a letter (e.g. acme_lending)"
        )));
    }
    if !args.library.is_dir() {
        return Err(Failure(format!(
            "--library {}: no such directory (give the shipped library's `rules` directory, e.g. vendor/rulec/rules)",
            display(&args.library)
        )));
    }
    if !args.library.join("federal").is_dir() {
        return Err(Failure(format!(
            "--library {}: not the shipped rule library (it has no federal/ directory)",
            display(&args.library)
        )));
    }
    let library = library_path(&args.dir, &args.library);
    let rulec_source = rulec_source(&args.library, &library);

    let files: Vec<(PathBuf, String)> = vec![
        (PathBuf::from("rulec.toml"), project_file(&library, name)),
        (PathBuf::from(format!("policies/{name}.policy")), policy(name)),
        (PathBuf::from(format!("tests/{name}.yaml")), suite(name)),
        (PathBuf::from(".github/workflows/rules.yml"), workflow(rulec_source.as_deref())),
        (PathBuf::from(".github/workflows/rule-review.yml"), review_workflow(&library, rulec_source.as_deref())),
    ];
    let existing: Vec<String> = files
        .iter()
        .map(|(p, _)| args.dir.join(p))
        .filter(|p| p.exists())
        .map(|p| display(&p))
        .collect();
    if !existing.is_empty() {
        return Err(Failure(format!("{} already exist{}; nothing written", existing.join(", "), if existing.len() == 1 { "s" } else { "" })));
    }
    for (path, text) in &files {
        let target = args.dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Failure(format!("{}: {}", display(parent), files::io_message(&e))))?;
        }
        std::fs::write(&target, text).map_err(|e| Failure(format!("{}: {}", display(&target), files::io_message(&e))))?;
        files::out(&format!("created {}\n", display(&target)));
    }
    let cd = if args.dir == Path::new(".") { String::new() } else { format!("cd {} && ", display(&args.dir)) };
    files::out(&format!("\nnext: {cd}rulec lint && rulec test\n"));
    Ok(0)
}

/// The library as rulec.toml names it: relative to the project when it is inside it, else as
/// given (absolute stays absolute).
fn library_path(project: &Path, library: &Path) -> String {
    let (Ok(project), Ok(library_abs)) = (std::fs::canonicalize(project), std::fs::canonicalize(library)) else {
        return display(library);
    };
    match library_abs.strip_prefix(&project) {
        Ok(inside) => display(inside),
        Err(_) if library.is_absolute() => display(&library_abs),
        Err(_) => display(&library_abs),
    }
}

/// Where CI can build rulec from: the crate beside a vendored library (`X/rules` and
/// `X/crates/rulec`), relative to the project as the library is.
fn rulec_source(library_given: &Path, library_shown: &str) -> Option<String> {
    let root = library_given.parent()?;
    root.join("crates/rulec/Cargo.toml").is_file().then(|| {
        let shown_root = Path::new(library_shown).parent().map(display).unwrap_or_default();
        if shown_root.is_empty() { "crates/rulec".to_string() } else { format!("{shown_root}/crates/rulec") }
    })
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn project_file(library: &str, name: &str) -> String {
    format!(
        r#"# The rules project of a lender: read by every rulec command run in this directory or below.
# Paths are relative to this file. Flags given on the command line win over what is here.

# The rule sources: the shipped library (a vendored or installed copy, kept as shipped) and the
# lender's own policies. Rule ids, sets and policies resolve across all of them; an id defined
# in two sources is an error naming both places.
rules = [{library}, "policies"]

# What `rulec test` runs when no path is given.
suites = ["tests"]

# The policy of scenarios that name none (for `rulec eval`; the suite names its own).
# policy = {policy}

[lint]
# CI fails on any warning, so that an expired mute (W002) is fixed, not ignored; `rulec lint`
# warns 30 days before a mute expires (W008).
deny-warnings = true
# SARIF's helpUri: where your copy of rulec's docs/diagnostics.md is published.
# help-uri = "https://example.com/rulec/docs/diagnostics.md"
"#,
        library = toml_string(library),
        policy = toml_string(name),
    )
}

fn policy(name: &str) -> String {
    format!(
        r#"# The policy of {name}: which rules apply, what the lender adds, what it mutes and why.
# Reference: docs/language.md of rulec. Rule ids start with the policy's name.
policy {name}

# The federal rules and the rules of every state the borrower lives in.
use federal, states

# A mute silences a rule of the library for this policy, with a reason, an approver and an
# expiry; decisions still report it under `muted`. `rulec lint` warns 30 days before it expires
# and, once expired, that it is ignored. Replace this example with your own, or delete it.
mute federal.reg_f.call_after_conversation {{
  reason "EXAMPLE: borrower-requested callbacks within 7 days are logged by the dialer and reviewed weekly"
  approved by "Chief Compliance Officer (example)"
  until {until}
}}

## No collection calls on Sundays, in the borrower's local time (with several candidate zones,
## blocked if it is Sunday in any of them).
rule {name}.no_sunday_calls {{
  title "No collection calls on Sundays"
  cites "{name} Collections Policy §1 (example)"
  binds every role
  applies when channel is voice and theme in collection_themes
  blocks when local day is Sunday
  message "no collection calls on Sundays; it is {{local_times}} for the borrower"
}}
"#,
        until = mute_until()
    )
}

/// A year from today: the example mute is in force when the project is made.
fn mute_until() -> chrono::NaiveDate {
    let today = chrono::Local::now().date_naive();
    today.checked_add_days(chrono::Days::new(365)).unwrap_or(today)
}

fn suite(name: &str) -> String {
    format!(
        r#"suite: {name} policy — the business rule and the mute
description: >
  A debt collector calling a borrower in Albany, New York (Eastern time). The business rule
  blocks on a Sunday and allows on a weekday; the mute lets a call through that Regulation F's
  day-7 rule would block.
defaults:
  now: 2026-03-10T15:00:00Z            # Tuesday, 11:00 EDT
  company: {{role: collector}}
  policy: {name}
  borrower: {{id: BO-LEND-0001}}
  contacts:
    - {{id: CT-HOME-0001, contactType: address, affiliation: self, address: {{state: NY, city: Albany, postalCode: "12207"}}}}
    - {{id: CT-CELL-0001, contactType: phone, label: personal, affiliation: self, value: "+15185550100"}}
  loans: [{{id: LN-LEND-0001}}]
  request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: LN-LEND-0001}}

cases:
  - name: a collection call on a Sunday is blocked
    now: 2026-03-08T15:00:00Z
    expect:
      result: false
      rules: [{name}.no_sunday_calls]
  - name: a collection call on a Tuesday is allowed
    expect: {{result: true}}
  - name: the muted day-7 rule lets a call through two days after a conversation
    interactions:
      - {{id: IN-CONV, channel: voice, direction: inbound, status: connected, startAt: 2026-03-08T19:00:00Z, contactId: CT-CELL-0001, loanIds: [LN-LEND-0001]}}
    expect: {{result: true}}
  - name: without the policy, the day-7 rule blocks the same call
    policy: null
    interactions:
      - {{id: IN-CONV, channel: voice, direction: inbound, status: connected, startAt: 2026-03-08T19:00:00Z, contactId: CT-CELL-0001, loanIds: [LN-LEND-0001]}}
    expect:
      result: false
      rules: [federal.reg_f.call_after_conversation]
"#
    )
}

/// The step that puts `rulec` on the PATH of a CI job.
fn install_step(rulec_source: Option<&str>) -> String {
    match rulec_source {
        Some(path) => format!("cargo install --locked --path {path}"),
        None => "cargo install --locked --path path/to/rulec/crates/rulec   # EDIT: where your copy of rulec's source is".to_string(),
    }
}

fn workflow(rulec_source: Option<&str>) -> String {
    let install = install_step(rulec_source);
    format!(
        r#"# Lint the rules (results in the repository's code scanning) and run the suites (a JUnit
# report), on every push and pull request. Written by `rulec init`.
name: rules
on: [push, pull_request]
permissions:
  contents: read
  security-events: write
jobs:
  rules:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install rulec
        run: {install}
      - name: Lint
        run: rulec lint --format sarif > rulec.sarif
      - name: Upload the lint results to code scanning
        if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: rulec.sarif
      - name: Test
        if: always()
        run: rulec test --format junit > rulec-junit.xml
      - name: Keep the test report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: rulec-junit
          path: rulec-junit.xml
"#
    )
}

/// docs/ci/rule-review.yml of rulec for this layout: the project's sources (`worktree`, read
/// at the base commit with rulec.toml as it was there) and its suites under `tests/`.
fn review_workflow(library: &str, rulec_source: Option<&str>) -> String {
    let install = install_step(rulec_source);
    // A library outside the repository cannot change in a pull request.
    let library_paths = if Path::new(library).is_absolute() { String::new() } else { format!(", \"{library}/**\"") };
    format!(
        r#"# On a pull request that touches the rules or the suites, post `rulec diff` of the rule sources
# against the base branch as a comment (updated on every push): which decisions the change flips,
# on the suites and on scenarios generated at every line a changed rule draws. The check fails
# when a decision that was allowed becomes blocked. Written by `rulec init`; see docs/review.md of
# rulec.
name: rule review
on:
  pull_request:
    paths: ["rulec.toml", "policies/**", "tests/**"{library_paths}]
permissions:
  contents: read
  pull-requests: write   # to post the comment
jobs:
  review:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # `git:BASE` reads the base commit from the history
      - name: Install rulec
        run: {install}
      - name: Diff the rules against the base branch
        id: diff
        run: |
          set +e
          rulec diff "git:${{{{ github.event.pull_request.base.sha }}}}" worktree tests --seeds tests \
            --format markdown --examples 2 --fail-on allowed-to-blocked > review.md
          code=$?
          echo "code=$code" >> "$GITHUB_OUTPUT"
          # 2 is an error (rules that do not load, an invalid scenario): fail now.
          if [ "$code" -eq 2 ]; then exit 2; fi
          # A comment holds at most 65536 characters.
          if [ "$(wc -c < review.md)" -gt 60000 ]; then
            head -c 60000 review.md > short.md
            printf '\n\n…cut: run `rulec diff` locally for the whole report.\n' >> short.md
            mv short.md review.md
          fi
      - name: Post or update the comment
        env:
          GH_TOKEN: ${{{{ github.token }}}}
          PR: ${{{{ github.event.pull_request.number }}}}
        run: |
          gh pr comment "$PR" --edit-last --body-file review.md \
            || gh pr comment "$PR" --body-file review.md
      - name: Fail when a decision becomes blocked
        if: steps.diff.outputs.code == '1'
        run: |
          echo "Decisions that were allowed are blocked under this pull request's rules; see the comment."
          exit 1
"#
    )
}
