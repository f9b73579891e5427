//! The formatted fixtures, reviewed by hand (tests/snapshots/).

mod common;
use common::*;

fn snapshot(file: &str) {
    let path = fixtures_dir().join(file);
    let text = std::fs::read_to_string(&path).expect("fixture readable");
    let formatted = check_round_trip(file, &text);
    insta::assert_snapshot!(file, formatted);
}

#[test]
fn ugly_state() {
    snapshot("ugly_state.rules");
}

#[test]
fn conditions() {
    snapshot("conditions.rules");
}

#[test]
fn wrapping() {
    snapshot("wrapping.rules");
}

#[test]
fn comments() {
    snapshot("comments.rules");
}

#[test]
fn policy() {
    snapshot("acme.policy");
}

#[test]
fn strings() {
    snapshot("strings.rules");
}
