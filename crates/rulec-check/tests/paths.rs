//! Whose rules a file holds, from its path, and what the checker makes of it.

mod common;

use common::options;
use rulec_check::checked::Jurisdiction;
use rulec_check::{check_sources, path_kind, PathKind};
use rulec_syntax::SourceFile;

#[test]
fn path_kind_reads_the_rules_directory_layout() {
    let state = |s: &str| PathKind::State(s.to_string());
    let policy = |s: &str| PathKind::Policy(s.to_string());
    for (path, expected) in [
        ("rules/states/MA.rules", state("MA")),
        ("/srv/lender/rules/states/NY.rules", state("NY")),
        ("states/DC.rules", state("DC")),
        ("rules\\states\\MA.rules", state("MA")),
        ("rules/federal/reg_f.rules", PathKind::Federal),
        ("rules/federal/tcpa/prerecorded.rules", PathKind::Federal),
        ("rules\\federal\\reg_f.rules", PathKind::Federal),
        ("rules/policies/acme.policy", policy("acme")),
        ("elsewhere/acme_lending.policy", policy("acme_lending")),
        // The extension wins over the directory.
        ("rules/states/MA.policy", policy("MA")),
        ("rules/federal/acme.policy", policy("acme")),
        // Not a state file: lower case, three letters, not directly under states/.
        ("rules/states/ma.rules", PathKind::Unknown),
        ("rules/states/NYC.rules", PathKind::Unknown),
        ("rules/states/ny/NY.rules", PathKind::Unknown),
        ("rules/MA.rules", PathKind::Unknown),
        // `federal` must be a directory, not part of a name.
        ("rules/federal.rules", PathKind::Unknown),
        ("rules/federalish/reg_f.rules", PathKind::Unknown),
        ("fixtures/x.rules", PathKind::Unknown),
        ("", PathKind::Unknown),
    ] {
        assert_eq!(path_kind(path), expected, "{path}");
    }
}

fn rule(id: &str) -> String {
    format!("rule {id} {{\n  title \"t\"\n  cites \"c\"\n  binds creditor\n  blocks when channel is voice\n}}\n")
}

fn jurisdictions(path: &str, text: &str) -> (Vec<&'static str>, Vec<Jurisdiction>) {
    let sources = [SourceFile::new(path, text)];
    let checked = check_sources(&sources, &options());
    (
        checked.diagnostics.iter().map(|d| d.diagnostic.code).collect(),
        checked.rule_set.rules.iter().map(|r| r.jurisdiction.clone()).collect(),
    )
}

#[test]
fn the_path_gives_the_jurisdiction_when_the_header_is_absent() {
    assert_eq!(jurisdictions("rules/states/MA.rules", &rule("ma.a")), (vec![], vec![Jurisdiction::State("MA".into())]));
    assert_eq!(jurisdictions("rules/federal/x.rules", &rule("federal.a")), (vec![], vec![Jurisdiction::Federal]));
    assert_eq!(jurisdictions("rules/policies/acme.policy", &rule("acme.a")), (vec![], vec![Jurisdiction::Policy("acme".into())]));
}

#[test]
fn the_header_gives_the_jurisdiction_of_a_file_elsewhere() {
    let text = format!("jurisdiction NY\n{}", rule("ny.a"));
    assert_eq!(jurisdictions("elsewhere/any.rules", &text), (vec![], vec![Jurisdiction::State("NY".into())]));
    let text = format!("policy acme\n{}", rule("acme.a"));
    assert_eq!(jurisdictions("elsewhere/any.rules", &text), (vec![], vec![Jurisdiction::Policy("acme".into())]));
}

#[test]
fn a_file_whose_jurisdiction_cannot_be_told_is_an_error() {
    let (codes, _) = jurisdictions("elsewhere/any.rules", &rule("ma.a"));
    assert_eq!(codes, ["E015"]);
}

#[test]
fn the_path_wins_over_a_contradicting_header() {
    let text = format!("jurisdiction NY\n{}", rule("ma.a"));
    assert_eq!(jurisdictions("rules/states/MA.rules", &text), (vec!["E009"], vec![Jurisdiction::State("MA".into())]));
}

#[test]
fn a_policy_header_in_a_state_file_is_misplaced() {
    let (codes, _) = jurisdictions("rules/states/MA.rules", &format!("policy acme\n{}", rule("acme.a")));
    assert!(codes.contains(&"E015"), "{codes:?}");
}

/// `rules/states/ZZ.rules` (or `PR.rules`: a USPS code, but not one of the jurisdictions with
/// a rule file) has the shape of a state file, but its name is no state: E003, as
/// `jurisdiction ZZ` would get, and its rules are not accepted.
#[test]
fn a_state_file_named_for_no_state_is_an_error() {
    for code in ["ZZ", "PR"] {
        let (codes, rules) = jurisdictions(&format!("rules/states/{code}.rules"), &rule(&format!("{}.a", code.to_lowercase())));
        assert!(!codes.is_empty(), "rules/states/{code}.rules checked clean, its rules under {rules:?}");
    }
}
