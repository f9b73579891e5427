//! Input errors located in the text: line, column, what is pointed at, and hints.

use rulec_scenario::{load_document, locate, Location};

/// Each error as `path: message @ line:column `pointed` [help]`.
fn located(text: &str) -> Vec<String> {
    let errors = load_document(text).err().expect("the input has errors");
    let at = locate(text, &errors);
    errors
        .iter()
        .zip(at)
        .map(|(e, at)| match at {
            Some(Location { line, column, offset, len, help, .. }) => {
                let help = help.map(|h| format!(" [{h}]")).unwrap_or_default();
                format!("{e} @ {line}:{column} `{}`{help}", &text[offset..offset + len])
            }
            None => format!("{e} @ nowhere"),
        })
        .collect()
}

const SCENARIO: &str = "\
now: 2026-03-10T15:00:00Z
borrower: {id: BO-AAAA-1111}
contacts:
  - id: CT-AAAA-1111
    contactType: phone
    value: 4155552671
    affilation: self
request:
  theme: opsCollDebt
  contactId: CT-AAAA-1111
";

#[test]
fn validation_errors_point_at_the_key_the_value_or_the_object_missing_a_field() {
    assert_eq!(
        located(SCENARIO),
        [
            "contacts[0].affilation: unknown field, did you mean 'affiliation'? @ 7:5 `affilation`",
            "contacts[0].value: expected a text, found a whole number (write it in quotes) @ 6:12 `4155552671` [YAML reads `4155552671` as a number; write it in quotes (\"4155552671\") to keep it as text]",
            "request.channel: required field missing @ 8:1 `request`",
        ]
    );
}

#[test]
fn flow_style_and_json_are_located_too() {
    let json = "{\n  \"now\": \"2026-03-10T15:00:00Z\",\n  \"borrower\": {\"id\": \"abc\"},\n  \"request\": {\"channel\": \"voice\", \"theme\": \"opsCollDebt\", \"contactId\": \"CT-AAAA-1111\"}\n}\n";
    assert_eq!(
        located(json),
        [
            "borrower.id: 'abc' is not a valid id (expected ext-…, XX-XXXX-XXXX or digits) @ 3:22 `\"abc\"`",
            "request.contactId: 'CT-AAAA-1111' does not name a contact (no contact has an id) @ 4:72 `\"CT-AAAA-1111\"`",
        ]
    );
}

#[test]
fn syntax_errors_point_at_their_position_and_explain_a_tab() {
    let text = "suite: s\ncases:\n  - name: a\n    request:\n\t  channel: voice\n";
    assert_eq!(
        located(text),
        ["line 5, column 1: found character that cannot start any token, while scanning for the next token @ 5:1 `\t` [YAML indents with spaces only: replace the tab with spaces]"]
    );
}

#[test]
fn a_byte_order_mark_is_ignored_and_offsets_count_it() {
    let text = format!("\u{feff}{SCENARIO}");
    let out = located(&text);
    assert_eq!(out[0], "contacts[0].affilation: unknown field, did you mean 'affiliation'? @ 7:5 `affilation`");
}

#[test]
fn a_number_or_yes_where_text_or_true_was_meant_gets_a_plain_hint() {
    let text = "\
now: 2026-03-10T15:00:00Z
borrower: {id: BO-AAAA-1111}
contacts:
  - {id: CT-AAAA-1111, contactType: phone, value: +14155552671, affiliation: self, verified: yes}
request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111}
";
    let out = located(text);
    assert_eq!(
        out,
        [
            "contacts[0].value: expected a text, found a whole number (write it in quotes) @ 4:51 `+14155552671` [YAML reads `+14155552671` as a number; write it in quotes (\"+14155552671\") to keep it as text]",
            "contacts[0].verified: expected a yes/no value, found a text (write true or false, without quotes) @ 4:94 `yes` [YAML 1.2 reads `yes` as text; write true or false]",
        ]
    );
}

#[test]
fn a_case_error_from_the_defaults_points_at_the_default() {
    let text = "\
suite: s
defaults:
  now: 2026-03-10T15:00:00Z
  borrower: {id: BO-AAAA-1111}
  request: {channel: voice, theme: opsCollDebt, contactId: CT-NOPE-0000}
cases:
  - name: a
    expect: {allowed: true}
";
    let Ok(rulec_scenario::Document::Suite(suite)) = load_document(text) else { panic!("a suite") };
    let errors = suite.cases[0].result.as_ref().err().expect("the case has an error");
    let at = locate(text, errors)[0].clone().expect("located");
    assert!(errors.0[0].message.ends_with("(from defaults)"));
    assert_eq!((at.line, at.column, &text[at.offset..at.offset + at.len]), (5, 60, "CT-NOPE-0000"));
}
