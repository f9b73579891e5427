//! One fixture per diagnostic code, snapshotted as people see it.
//!
//! Each directory under `tests/fixtures/` is named `<code>_<what>` and holds `.rules` and
//! `.policy` files laid out as under a real `rules/` directory (the checker reads a file's
//! jurisdiction from its path). Its test checks the files together, asserts that the code the
//! fixture is named for is among the diagnostics (so a snapshot cannot drift silently to
//! another error), and snapshots every diagnostic rendered by `rulec_syntax::render`.
//!
//! Further tests make sure that every registered code has a fixture and a section in
//! `docs/diagnostics.md`, and that the documentation's examples trigger their code.

mod common;

use common::{fixture_names, load_fixture, options};
use rulec_check::{check_sources, lints, Checked};
use rulec_syntax::codes::ERRORS;
use rulec_syntax::{render, SourceFile};
use std::path::Path;

/// Checks a fixture and returns its sources and the outcome.
fn run(name: &str) -> (Vec<SourceFile>, Checked) {
    let sources = load_fixture(name);
    let checked = check_sources(&sources, &options());
    (sources, checked)
}

/// The code a fixture is named for: the part of its name before the first `_`.
fn code_of(name: &str) -> &str {
    name.split('_').next().unwrap_or(name)
}

/// The text snapshotted for a fixture: its files, a one-line summary of each diagnostic, then
/// each diagnostic as `render` shows it (without colour).
fn report(sources: &[SourceFile], checked: &Checked) -> String {
    let mut out = String::new();
    out.push_str("files:\n");
    for source in sources {
        out.push_str(&format!("  {}\n", source.path));
    }
    out.push_str("diagnostics:\n");
    for d in &checked.diagnostics {
        let source = &sources[d.file];
        let (line, column) = source.line_col(d.diagnostic.span.start);
        out.push_str(&format!("  {} {}:{line}:{column} {}\n", d.diagnostic.code, source.path, d.diagnostic.message));
    }
    for d in &checked.diagnostics {
        out.push('\n');
        out.push_str(&render(&d.diagnostic, &sources[d.file], false));
    }
    out
}

fn codes(checked: &Checked) -> Vec<&'static str> {
    checked.diagnostics.iter().map(|d| d.diagnostic.code).collect()
}

fn rule_ids(checked: &Checked) -> Vec<&str> {
    checked.rule_set.rules.iter().map(|r| r.id.as_str()).collect()
}

/// One test per fixture directory; `LISTED` is the list of directories tested, so that a test
/// can insist every directory on disk has one. An optional block makes further assertions.
macro_rules! fixtures {
    ($( $test:ident => $dir:literal $( , |$checked:ident| $extra:block )? ; )+) => {
        const LISTED: &[&str] = &[ $( $dir ),+ ];
        $(
            #[test]
            fn $test() {
                let (sources, checked) = run($dir);
                let code = code_of($dir);
                assert!(
                    codes(&checked).contains(&code),
                    "fixture {} should produce {code}, but produced {:?}",
                    $dir,
                    codes(&checked)
                );
                insta::assert_snapshot!($dir, report(&sources, &checked));
                $( let $checked = &checked; $extra )?
            }
        )+
    };
}

fixtures! {
    e001_syntax_mid_rule => "E001_syntax_mid_rule", |checked| {
        // The rule with the bad clause is dropped; the good rules before and after it check.
        let ids = rule_ids(checked);
        assert!(ids.contains(&"ma.no_sunday_calls"), "{ids:?}");
        assert!(ids.contains(&"ma.no_workplace_calls"), "{ids:?}");
        assert!(!ids.contains(&"ma.call_frequency"), "{ids:?}");
        assert_eq!(codes(checked), ["E001"], "one typo, one diagnostic");
    };
    e001_misspelled_clause => "E001_misspelled_clause", |checked| {
        // It points at the misspelled keyword. (Its message and missing did-you-mean are a
        // known weakness: see the ignored test in rulec-syntax's tests/parser.rs.)
        let d = &checked.diagnostics[0].diagnostic;
        assert_eq!(codes(checked), ["E001"]);
        let source = load_fixture("E001_misspelled_clause").remove(0);
        assert_eq!(source.slice(d.span), "blcoks");
        assert!(checked.rule_set.rules.is_empty());
    };
    e002_unknown_field => "E002_unknown_field", |checked| {
        let d = &checked.diagnostics[0].diagnostic;
        assert_eq!(d.help.as_deref(), Some("did you mean `contact.affiliation`?"));
    };
    e003_unknown_value => "E003_unknown_value", |checked| {
        let d = &checked.diagnostics[0].diagnostic;
        assert_eq!(d.help.as_deref(), Some("did you mean `opsCollDebt`?"));
    };
    e004_unknown_set => "E004_unknown_set", |checked| {
        let d = checked.diagnostics.iter().find(|d| d.diagnostic.code == "E004").map(|d| &d.diagnostic);
        assert_eq!(d.and_then(|d| d.help.as_deref()), Some("did you mean `collection_themes`?"));
    };
    e005_unknown_rule => "E005_unknown_rule", |checked| {
        let d = &checked.diagnostics[0];
        assert_eq!(d.file, 1, "reported in the policy");
        assert_eq!(d.diagnostic.help.as_deref(), Some("did you mean `federal.reg_f.call_frequency`?"));
    };
    e006_type_mismatch => "E006_type_mismatch";
    e007_inverted_window => "E007_inverted_window";
    e007_empty_exclusive_window => "E007_empty_exclusive_window";
    e003_unknown_zone => "E003_unknown_zone", |checked| {
        let d = &checked.diagnostics[0].diagnostic;
        assert_eq!(d.help.as_deref(), Some("did you mean `America/New_York`?"));
    };
    e002_unknown_case_instant => "E002_unknown_case_instant", |checked| {
        let d = &checked.diagnostics[0].diagnostic;
        assert_eq!(d.help.as_deref(), Some("did you mean `createdAt`?"));
    };
    e016_elapsed_outside_case_filter => "E016_elapsed_outside_case_filter", |checked| {
        assert_eq!(codes(checked), ["E016"], "the same test inside the case filter is fine");
    };
    e012_invalid_seconds => "E012_invalid_seconds";
    e017_invalid_scope => "E017_invalid_scope", |checked| {
        assert_eq!(codes(checked), ["E017"]);
        assert!(checked.rule_set.rules.is_empty(), "a rule with an error is not in the rule set");
    };
    e008_duplicate_rule => "E008_duplicate_rule", |checked| {
        let d = checked.diagnostics.iter().find(|d| d.diagnostic.code == "E008").expect("E008");
        assert_eq!(d.file, 1, "the second definition is the one reported");
        assert_eq!(d.diagnostic.notes, ["first defined at rules/federal/reg_f.rules:3:6"]);
        // The first definition stays in the rule set.
        assert_eq!(rule_ids(checked), ["federal.reg_f.call_frequency"]);
        assert_eq!(checked.rule_set.rules[0].origin.file, 0);
    };
    e009_jurisdiction_mismatch => "E009_jurisdiction_mismatch";
    e010_incomplete_mute => "E010_incomplete_mute", |checked| {
        assert!(checked.rule_set.policies[0].mutes.is_empty(), "an incomplete mute mutes nothing");
    };
    e011_unknown_placeholder => "E011_unknown_placeholder", |checked| {
        let d = &checked.diagnostics[0].diagnostic;
        assert_eq!(d.help.as_deref(), Some("did you mean `{limit}`?"));
    };
    e011_stray_brace => "E011_stray_brace", |checked| {
        assert_eq!(checked.diagnostics[0].diagnostic.message, "a `}` in the message has no `{` before it");
        assert!(checked.rule_set.rules.is_empty(), "a rule whose message does not check is not in the set");
    };
    e012_invalid_literal => "E012_invalid_literal";
    e013_duplicate_definition => "E013_duplicate_definition";
    e014_missing_clause => "E014_missing_clause";
    e015_misplaced_item => "E015_misplaced_item";
    e016_invalid_filter => "E016_invalid_filter";
    w001_missing_citation => "W001_missing_citation", |checked| {
        assert!(!checked.has_errors());
    };
    w002_expired_mute => "W002_expired_mute", |checked| {
        assert!(!checked.has_errors());
    };
    w003_ended_rule => "W003_ended_rule", |checked| {
        assert!(!checked.has_errors());
    };
    w004_contradictory_scope => "W004_contradictory_scope", |checked| {
        assert!(!checked.has_errors());
    };
    w005_unused_set => "W005_unused_set", |checked| {
        assert!(!checked.has_errors());
    };
    w006_duplicate_logic => "W006_duplicate_logic", |checked| {
        assert!(!checked.has_errors());
    };
    w007_window_beyond_history => "W007_window_beyond_history", |checked| {
        assert!(!checked.has_errors());
    };
    w008_expiring_soon => "W008_expiring_soon", |checked| {
        // The mute (18 days left) and the suppression (8 days left) are both reported; the
        // unused set the suppression covers is not.
        assert_eq!(codes(checked), vec!["W008", "W008"]);
        assert_eq!(checked.suppressed.len(), 1);
        assert_eq!(checked.suppressed[0].diagnostic.diagnostic.code, "W005");
    };
}

/// The machine-readable form of one diagnostic (a note, a label and a help), as JSON.
#[test]
fn json_record_of_a_duplicate_rule() {
    let (sources, checked) = run("E008_duplicate_rule");
    let d = checked.diagnostics.iter().find(|d| d.diagnostic.code == "E008").expect("E008");
    insta::assert_json_snapshot!("E008_duplicate_rule_json", d.diagnostic.to_record(&sources[d.file]));
}

/// Every code of both registries, with its name and summary.
fn registered() -> Vec<(&'static str, &'static str, &'static str)> {
    ERRORS
        .iter()
        .map(|c| (c.code, c.name, c.summary))
        .chain(lints::registry().into_iter().map(|l| (l.code, l.name, l.summary)))
        .collect()
}

#[test]
fn every_registered_code_has_a_fixture() {
    let names = fixture_names();
    let missing: Vec<&str> =
        registered().into_iter().map(|(code, ..)| code).filter(|code| !names.iter().any(|n| code_of(n) == *code)).collect();
    assert!(missing.is_empty(), "codes without a fixture directory under tests/fixtures/: {missing:?}");
}

#[test]
fn every_fixture_directory_is_tested_and_named_for_a_code() {
    let known: Vec<&str> = registered().into_iter().map(|(code, ..)| code).collect();
    for name in fixture_names() {
        assert!(LISTED.contains(&name.as_str()), "fixture {name} has no test: add it to `fixtures!` in tests/diagnostics.rs");
        assert!(known.contains(&code_of(&name)), "fixture {name} is not named for a registered code");
    }
}

#[test]
fn registries_are_in_order_without_duplicates() {
    let codes: Vec<&str> = registered().into_iter().map(|(code, ..)| code).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(codes, sorted);
}

fn docs() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn docs_have_a_heading_for_every_code() {
    let docs = docs();
    let headings: Vec<&str> = docs.lines().filter(|l| l.starts_with("## ")).collect();
    for (code, name, _) in registered() {
        let heading = format!("## {code} {name}");
        assert!(headings.contains(&heading.as_str()), "docs/diagnostics.md lacks the heading `{heading}`");
    }
}

/// Each section's ```rules example, checked as the file its first line names
/// (`# rules/states/MA.rules`), produces the section's code.
#[test]
fn docs_examples_trigger_their_code() {
    let docs = docs();
    let mut sections = docs.split("\n## ").skip(1);
    let mut seen = 0;
    for section in &mut sections {
        let code = section.split_whitespace().next().unwrap_or("");
        let mut blocks = section.split("```rules\n").skip(1).map(|b| b.split("```").next().unwrap_or(""));
        let Some(first) = blocks.next() else {
            panic!("section {code} of docs/diagnostics.md has no ```rules example");
        };
        // The example is one file, or several separated by lines `# file: PATH`.
        let mut sources = Vec::new();
        for block in std::iter::once(first).chain(blocks) {
            let path = block.lines().next().and_then(|l| l.strip_prefix("# ")).unwrap_or("");
            assert!(path.starts_with("rules/"), "section {code}: an example begins with `# rules/…` naming its file");
            sources.push(SourceFile::new(path, block));
        }
        let checked = check_sources(&sources, &options());
        assert!(codes(&checked).contains(&code), "the example of {code} in docs/diagnostics.md gives {:?}", codes(&checked));
        seen += 1;
    }
    assert_eq!(seen, registered().len(), "one section per code");
}
