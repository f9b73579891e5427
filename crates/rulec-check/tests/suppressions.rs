//! Suppression comments: a warning silenced on the item below, with a reason, an approver and
//! an expiry; after the expiry the warning is back, with a note naming the suppression.

use chrono::NaiveDate;
use rulec_check::{check_sources, CheckOptions, Checked};
use rulec_syntax::SourceFile;

const RULE: &str = "rule federal.reg_f.x {\n  title \"x\"\n  binds collector\n  blocks when channel is voice\n}\n";

fn check(suppression: &str, today: &str) -> Checked {
    let text = format!("jurisdiction federal\n\n{suppression}\n{RULE}");
    let options = CheckOptions { today: Some(NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap()), ..CheckOptions::default() };
    check_sources(&[SourceFile::new("rules/federal/x.rules", text)], &options)
}

fn codes(checked: &Checked) -> Vec<&str> {
    checked.diagnostics.iter().map(|d| d.diagnostic.code).collect()
}

const W001: &str = "# suppress W001 reason \"Internal guidance, no citation yet\" approved by \"J. Doe\" until 2027-03-31";

#[test]
fn without_a_suppression_the_rule_lacks_a_citation() {
    assert_eq!(codes(&check("", "2026-11-22")), vec!["W001"]);
}

#[test]
fn a_suppression_in_force_silences_the_warning_and_keeps_its_accountability() {
    let checked = check(W001, "2026-11-22");
    assert_eq!(codes(&checked), Vec::<&str>::new());
    let s = &checked.suppressed[0];
    assert_eq!((s.diagnostic.diagnostic.code, s.reason.as_str(), s.approved_by.as_str()), ("W001", "Internal guidance, no citation yet", "J. Doe"));
    // Its last day still holds.
    assert_eq!(codes(&check(W001, "2027-03-31")), vec!["W008"]);
}

#[test]
fn thirty_days_before_it_ends_it_is_reported() {
    let checked = check(W001, "2027-03-02");
    assert_eq!(codes(&checked), vec!["W008"]);
    assert_eq!(checked.diagnostics[0].diagnostic.message, "the suppression of W001 ends in 29 days (its last day is 2027-03-31)");
    assert_eq!(codes(&check(W001, "2027-03-01")), Vec::<&str>::new());
}

#[test]
fn an_ended_suppression_lets_the_warning_back_with_a_note() {
    let checked = check(W001, "2027-04-01");
    assert_eq!(codes(&checked), vec!["W001"]);
    assert_eq!(checked.diagnostics[0].diagnostic.notes, vec!["the suppression at line 3 ended on 2027-03-31".to_string()]);
}

#[test]
fn it_covers_only_its_code_and_the_item_below() {
    let other_code = W001.replace("W001", "W005");
    assert_eq!(codes(&check(&other_code, "2026-11-22")), vec!["W001"]);
}

#[test]
fn bad_suppressions_are_errors() {
    let incomplete = check("# suppress W001 reason \"x\" until 2027-03-31", "2026-11-22");
    assert_eq!(codes(&incomplete), vec!["E010", "W001"]);
    let error_code = check(&W001.replace("W001", "E003"), "2026-11-22");
    assert_eq!(codes(&error_code)[0], "E003");
    assert!(error_code.diagnostics[0].diagnostic.message.starts_with("errors cannot be suppressed"));
    let accountability = check(&W001.replace("W001", "W002"), "2026-11-22");
    assert!(accountability.diagnostics[0].diagnostic.message.starts_with("W002 cannot be suppressed"));
    let bad_date = check(&W001.replace("2027-03-31", "2027-02-30"), "2026-11-22");
    assert_eq!(codes(&bad_date)[0], "E012");
}

#[test]
fn prose_that_starts_with_suppress_is_a_comment() {
    assert_eq!(codes(&check("# suppress the urge to add more rules here", "2026-11-22")), vec!["W001"]);
}
