//! Pins the text of every class of input error: one small fixture each, snapshot of the
//! `Display` of the errors (one `path: message` per line).

use rulec_scenario::{load_document, load_scenario, Document};

/// Who and what, valid on its own: two contacts, one loan.
const PEOPLE: &str = "\
now: 2026-03-10T15:00:00Z
borrower: {id: BO-AAAA-1111}
contacts:
  - {id: CT-AAAA-1111, contactType: phone, value: '+14155550100'}
  - {id: CT-AAAA-2222, contactType: email, value: pat@example.com}
loans:
  - {id: LN-AAAA-0001, externalId: L1}
";

/// A valid request for [`PEOPLE`].
const REQUEST: &str = "request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111}\n";

/// [`PEOPLE`] and [`REQUEST`] followed by `more` top-level fields.
fn with(more: &str) -> String {
    format!("{PEOPLE}{REQUEST}{more}")
}

/// [`PEOPLE`] with another request.
fn request(body: &str) -> String {
    format!("{PEOPLE}request: {body}\n")
}

/// The errors of a document that must not load (for a suite that loads, its cases' errors).
fn errors(text: &str) -> String {
    match load_document(text) {
        Ok(Document::Suite(suite)) => {
            let case_errors: Vec<String> =
                suite.cases.iter().filter_map(|c| c.result.as_ref().err()).map(ToString::to_string).collect();
            assert!(!case_errors.is_empty(), "expected errors, loaded {suite:#?}");
            case_errors.join("\n")
        }
        Ok(doc) => panic!("expected errors, loaded {doc:#?}"),
        Err(e) => {
            assert!(!e.is_empty());
            e.to_string()
        }
    }
}

macro_rules! pin {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), errors(&$text));
        }
    };
}

#[test]
fn fixtures_are_valid_without_the_fault() {
    // The fixtures below differ from this valid document by the one fault they pin.
    load_scenario(&with("")).unwrap();
}

// Text and structure.
pin!(syntax_error_has_line_and_column, "now: 2026-03-10T15:00:00Z\nrequest:\n  channel: voice\n   theme: opsCollDebt\n");
pin!(json_syntax_error_has_line_and_column, "{\n  \"request\": {\"channel\": \"voice\",\n  \"now\": 3\n");
pin!(non_string_key, with("cases:\n  - {id: CS-1, caseType: generic, status: initiated, 12: x}\n"));
pin!(duplicate_key, format!("{PEOPLE}{REQUEST}policy: a\npolicy: b\n"));
pin!(yaml_tag, with("policy: !secret acme\n"));
pin!(too_deep, format!("{}{}", "[".repeat(300), "]".repeat(300)));
pin!(empty_document, "");
pin!(not_an_object, "- 1\n- 2\n");
pin!(neither_scenario_nor_suite, "now: 2026-03-10T15:00:00Z\nrequets: {channel: voice}\n");
pin!(suite_with_a_stray_request, "suite: s\nrequest: {channel: voice}\ncases:\n  - {name: a, now: 2026-03-10T15:00:00Z, borrower: {id: '1'}, contacts: [{id: C, contactType: phone}], request: {channel: voice, theme: opsCollDebt, contactId: C}, expect: {result: true}}\n");

// Fields.
pin!(unknown_field_with_suggestion, format!("{REQUEST}now: 2026-03-10T15:00:00Z\nborrower: {{id: BO-AAAA-1111}}\ncontacts:\n  - {{id: CT-AAAA-1111, contactType: phone}}\n  - {{id: CT-AAAA-2222, contactType: phone}}\n  - {{id: CT-AAAA-3333, contactType: phone, affilation: self}}\n"));
pin!(unknown_field_without_suggestion, with("company: {role: creditor, colour: blue}\n"));
pin!(unknown_top_level_field, with("polcy: acme\n"));
pin!(required_field_missing, request("{theme: opsCollDebt, contactId: CT-AAAA-1111}"));
pin!(wrong_type_whole_number, format!("{REQUEST}now: 2026-03-10T15:00:00Z\nborrower: {{id: BO-AAAA-1111}}\ncontacts: [{{id: CT-AAAA-1111, contactType: phone}}]\nloans: [{{id: LN-1, daysPastDue: 'thirty'}}]\n"));
pin!(wrong_type_yes_no, request("{channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111, isAutodialed: yes}"));
pin!(wrong_type_text_given_a_number, with("policy: 42\n"));
pin!(wrong_type_object_expected, with("company: creditor\n"));
pin!(wrong_type_list_expected, with("interactions: {id: IN-1}\n"));
pin!(negative_days_past_due, format!("{REQUEST}now: 2026-03-10T15:00:00Z\nborrower: {{id: BO-AAAA-1111}}\ncontacts: [{{id: CT-AAAA-1111, contactType: phone}}]\nloans: [{{id: LN-1, daysPastDue: -3}}]\n"));

// Names from the model's lists.
pin!(unknown_enum_value_with_suggestion, request("{channel: voice, theme: opsColDebt, contactId: CT-AAAA-1111}"));
pin!(unknown_enum_value_without_suggestion, with("interactions:\n  - {id: IN-1, channel: voice, direction: sideways, status: connected, startAt: 2026-03-09T14:00:00Z}\n"));
pin!(enum_value_in_a_nested_list, with("cases:\n  - id: CS-1\n    caseType: ceaseCommunication\n    status: completed\n    doNotInteract:\n      - {channels: [voice]}\n      - {channels: [emial]}\n"));
pin!(enum_value_of_wrong_type, request("{channel: 3, theme: opsCollDebt, contactId: CT-AAAA-1111}"));

// Dates and times.
pin!(date_time_malformed, with("interactions:\n  - {id: IN-1, channel: voice, direction: outbound, status: connected, startAt: yesterday}\n"));
pin!(date_time_out_of_range, with("cases:\n  - {id: CS-1, caseType: generic, status: initiated, createdAt: 2026-02-30T10:00:00Z}\n"));
pin!(date_time_without_offset, format!("now: 2026-03-10T15:00:00\n{}", &PEOPLE[26..]) + REQUEST);
pin!(date_only_where_a_time_is_needed, with("cases:\n  - {id: CS-1, caseType: generic, status: initiated, createdAt: 2026-03-01}\n"));
pin!(date_malformed, format!("{REQUEST}now: 2026-03-10T15:00:00Z\nborrower: {{id: BO-AAAA-1111, dateOfBirth: 04/23/1980}}\ncontacts: [{{id: CT-AAAA-1111, contactType: phone}}]\n"));
pin!(end_before_start, with("interactions:\n  - {id: IN-1, channel: voice, direction: outbound, status: connected, startAt: 2026-03-09T14:00:00Z, endAt: 2026-03-09T13:00:00Z}\n"));
pin!(now_missing, format!("{}{REQUEST}", &PEOPLE[26..]));

// Ids.
pin!(borrower_id_invalid, format!("{REQUEST}now: 2026-03-10T15:00:00Z\nborrower: {{id: abc}}\ncontacts: [{{id: CT-AAAA-1111, contactType: phone}}]\n"));
pin!(id_empty, with("interactions:\n  - {id: '', channel: voice, direction: outbound, status: connected, startAt: 2026-03-09T14:00:00Z}\n"));
pin!(duplicate_ids, format!("{REQUEST}now: 2026-03-10T15:00:00Z\nborrower: {{id: BO-AAAA-1111}}\ncontacts:\n  - {{id: CT-AAAA-1111, contactType: phone}}\n  - {{id: CT-AAAA-2222, contactType: phone}}\n  - {{id: CT-AAAA-1111, contactType: email}}\nloans:\n  - {{id: LN-1, externalId: A}}\n  - {{id: LN-2, externalId: A}}\n"));
pin!(loan_external_id_shadows_an_id, format!("{REQUEST}now: 2026-03-10T15:00:00Z\nborrower: {{id: BO-AAAA-1111}}\ncontacts: [{{id: CT-AAAA-1111, contactType: phone}}]\nloans:\n  - {{id: LN-1}}\n  - {{id: LN-2, externalId: LN-1}}\n"));
pin!(consent_updated_before_created, with("consents:\n  - {name: contactPersonWork, value: revoked, createdAt: 2026-03-01T10:00:00Z, updatedAt: 2026-02-28T10:00:00Z}\n  - {name: electronicComms, value: revoked, createdAt: 2026-03-01, updatedAt: 2026-03-01T10:00:00+01:00}\n"));
pin!(duplicate_consent, with("consents:\n  - {name: contactServicememberUnitCollDebt, value: revoked}\n  - {name: electronicComms, value: consented}\n  - {name: contactServicememberUnitOrCommander, value: consented}\n"));

// Places.
pin!(time_zone_with_suggestion, with("company: {timezone: America/New_Yrok}\n"));
pin!(time_zone_without_suggestion, with("company: {timezone: Mars/Olympus_Mons}\n"));
pin!(state_with_suggestion, with("cases: []\n").replace("value: pat@example.com}", "value: pat@example.com}\n  - {id: CT-AAAA-3333, contactType: address, address: {addressLine1: 1 Main St, state: ma}}"));
pin!(state_without_suggestion, with("").replace("value: pat@example.com}", "value: pat@example.com}\n  - {id: CT-AAAA-3333, contactType: address, address: {state: Mass}}"));
pin!(country_code_invalid, with("").replace("value: pat@example.com}", "value: pat@example.com}\n  - {id: CT-AAAA-3333, contactType: address, address: {state: ON, countryCode: CAN}}"));

// References.
pin!(contact_id_dangling_with_suggestion, request("{channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1112}"));
pin!(interaction_contact_id_dangling, with("interactions:\n  - {id: IN-1, channel: voice, direction: outbound, status: connected, startAt: 2026-03-09T14:00:00Z}\n  - {id: IN-2, channel: voice, direction: outbound, status: connected, startAt: 2026-03-09T14:00:00Z, contactId: CT-XXXX-0009}\n"));
pin!(interaction_loan_ids_dangling, format!("{REQUEST}now: 2026-03-10T15:00:00Z\nborrower: {{id: BO-AAAA-1111}}\ncontacts: [{{id: CT-AAAA-1111, contactType: phone}}]\ninteractions:\n  - {{id: IN-1, channel: voice, direction: outbound, status: connected, startAt: 2026-03-09T14:00:00Z, loanIds: [LN-1]}}\n"));
pin!(contact_external_id_dangling, request("{channel: voice, theme: opsCollDebt, contactExternalId: phone-1}"));
pin!(previous_interaction_dangling, format!("{PEOPLE}request: {{channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111, previousInteractionId: IN-AAAA-0003}}\ninteractions:\n  - {{id: IN-AAAA-0001, channel: voice, direction: inbound, status: connected, startAt: 2026-03-09T14:00:00Z}}\n  - {{id: IN-AAAA-0002, channel: voice, direction: outbound, status: attempted, startAt: 2026-03-09T15:00:00Z, previousInteractionId: IN-AAAA-0009}}\n"));
pin!(previous_interaction_without_interactions, request("{channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111, previousInteractionId: IN-AAAA-0001}"));
pin!(interaction_follows_itself, with("interactions:\n  - {id: IN-1, channel: voice, direction: outbound, status: attempted, startAt: 2026-03-09T14:00:00Z, previousInteractionId: IN-1}\n"));
pin!(loan_id_dangling, request("{channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111, loanId: LN-AAAA-0002, loanIds: [L1, L2]}"));
pin!(case_loan_and_dni_contact_dangling, with("cases:\n  - id: CS-1\n    caseType: bankruptcy\n    status: processing\n    loanIds: [LN-9]\n    doNotInteract:\n      - {contactIds: [CT-AAAA-2222, CT-BBBB-2222]}\n"));
pin!(contact_reference_missing, request("{channel: voice, theme: opsCollDebt}"));
pin!(contact_reference_twice, request("{channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111, contactDetails: {contactType: phone, value: '4155550100'}}"));
pin!(contact_details_id_taken, request("{channel: voice, theme: opsCollDebt, contactDetails: {id: CT-AAAA-2222, contactType: phone, value: '4155550199'}}"));
pin!(contact_details_invalid, request("{channel: voice, theme: opsCollDebt, contactDetails: {value: '4155550199', lable: home}}"));
pin!(subject_and_theme_missing, request("{channel: voice, contactId: CT-AAAA-1111}"));

// Expectations and suites.
pin!(expect_unknown_field, with("expect: {result: false, citation: ['12 CFR 1006.14']}\n"));
pin!(expect_wrong_types, with("expect: {result: 'no', rules: rule.a, nextAllowedAt: soon}\n"));
pin!(suite_unknown_top_level_field, "suite: s\ndefault: {}\ncases:\n  - {name: a, now: 2026-03-10T15:00:00Z, borrower: {id: '1'}, contacts: [{id: C, contactType: phone}], request: {channel: voice, theme: opsCollDebt, contactId: C}, expect: {result: true}}\n");
pin!(suite_name_missing_and_no_cases, "cases: []\n");
pin!(suite_case_name_missing, "suite: s\ncases:\n  - {now: 2026-03-10T15:00:00Z, borrower: {id: '1'}, contacts: [{id: C, contactType: phone}], request: {channel: voice, theme: opsCollDebt, contactId: C}, expect: {result: true}}\n");
pin!(suite_case_names_repeated, "suite: s\ndefaults: {now: 2026-03-10T15:00:00Z, borrower: {id: '1'}, contacts: [{id: C, contactType: phone}], request: {channel: voice, theme: opsCollDebt, contactId: C}, expect: {result: true}}\ncases:\n  - {name: a}\n  - {name: a}\n");
pin!(suite_case_without_expect, "suite: s\ndefaults: {now: 2026-03-10T15:00:00Z, borrower: {id: '1'}, contacts: [{id: C, contactType: phone}], request: {channel: voice, theme: opsCollDebt, contactId: C}}\ncases:\n  - {name: asserts nothing}\n  - {name: asserts no result, expect: {rules: [federal.reg_f.inconvenient_time]}}\n  - {name: a null result, expect: {result: null, warnings: [x]}}\n  - {name: a null expect, expect: null}\n");
pin!(expect_new_fields_wrong_types, with("expect: {result: true, warnings: federal.x, muted: [1, [a]], exactly: 'yes'}\n"));
pin!(suite_defaults_errors, "suite: s\ndefaults:\n  borrower: {id: nope, personType: persn}\n  request: {chanel: voice}\n  contacts: [{id: C}]\ncases:\n  - {name: a, request: {channel: voice}, expect: {reslt: true}}\n");

#[test]
fn case_error_from_defaults_is_marked() {
    let text = "suite: s\ndefaults:\n  now: 2026-03-10T15:00:00Z\n  borrower: {id: '1'}\n  contacts: [{id: C1, contactType: phone}]\n  request: {channel: voice, theme: opsCollDebt, contactId: C1}\n  expect: {result: true}\ncases:\n  - {name: good}\n  - name: other contacts\n    contacts: [{id: C2, contactType: phone}]\n";
    let Document::Suite(suite) = load_document(text).unwrap() else { panic!("a suite") };
    assert!(suite.cases[0].result.is_ok());
    insta::assert_snapshot!("case_error_from_defaults_is_marked", suite.cases[1].result.as_ref().unwrap_err().to_string());
}

#[test]
fn a_suite_is_not_a_single_scenario() {
    let text = "suite: s\ncases:\n  - {name: a}\n";
    insta::assert_snapshot!("a_suite_is_not_a_single_scenario", load_scenario(text).unwrap_err().to_string());
}

#[test]
fn input_over_the_size_limit() {
    let mut text = String::from("policy: '");
    text.push_str(&"x".repeat(1024 * 1024));
    text.push_str("'\n");
    let limits = rulec_scenario::Limits { max_input_bytes: 1024 * 1024, ..Default::default() };
    let errors = rulec_scenario::load_document_with(&text, &limits).unwrap_err();
    insta::assert_snapshot!("input_over_the_size_limit", errors.to_string());
    // The default limit, 128 MiB, as a reader sees it: refused on its announced size.
    let errors = rulec_scenario::read_input(std::io::empty(), Some(128 * 1024 * 1024 + 1), &Default::default()).unwrap_err();
    assert_eq!(errors.to_string(), "the input is 134217729 bytes, over the limit of 134217728 bytes (128 MiB)");
}

#[test]
fn alias_bomb_is_refused() {
    let mut text = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for i in 1..9u8 {
        let (prev, cur) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        text.push_str(&format!("{cur}: &{cur} [{}]\n", vec![format!("*{prev}"); 10].join(",")));
    }
    insta::assert_snapshot!("alias_bomb_is_refused", errors(&text));
}

#[test]
fn very_deep_nesting_is_an_error_not_a_crash() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(errors(&text).contains("nested deeper than 128 levels"));
    let text = format!("request: {}1{}", "{a: ".repeat(50_000), "}".repeat(50_000));
    assert!(errors(&text).contains("nested deeper than 128 levels"));
}

#[test]
fn many_errors_in_one_pass() {
    let text = "\
borrower: {id: abc, personType: persn}
contacts:
  - {id: CT-1, contactType: phone, affilation: self}
  - {id: CT-1, contactType: fax}
loans:
  - {id: LN-1, daysPastDue: '3', timeBarred: maybe}
interactions:
  - {id: IN-1, channel: voice, direction: outbound, status: connected, startAt: 2026-03-09T14:00:00Z, contactId: CT-9}
request: {theme: opsColDebt, contactId: CT-2, startAt: tomorrow}
expect: {result: nope}
";
    insta::assert_snapshot!("many_errors_in_one_pass", errors(text));
}

/// Each case gets its own copy of the defaults: a suite whose copies would pass the value limit
/// is refused before any is made.
#[test]
fn defaults_copied_into_cases_beyond_the_value_limit() {
    let limits = rulec_scenario::Limits { max_values: 10_000, ..Default::default() };
    let defaults = format!("defaults:\n  policy: [{}]\n", vec!["x"; 200].join(","));
    let cases: String = (0..100).map(|i| format!("  - {{name: c{i}}}\n")).collect();
    let text = format!("suite: s\n{defaults}cases:\n{cases}");
    let errors = rulec_scenario::load_document_with(&text, &limits).unwrap_err().to_string();
    assert!(
        errors.contains("defaults: the defaults hold 202 values and would be copied into each of the 100 cases, over the limit of 10000 values"),
        "{errors}"
    );
}

/// Merging a case into defaults is linear in their keys (a case with 50,000 keys, as many in
/// the defaults: all of them unknown fields, each reported once).
#[test]
fn merging_many_keys_is_linear() {
    let keys = |prefix: &str| (0..50_000).map(|i| format!("{prefix}{i}: 1")).collect::<Vec<_>>().join(", ");
    let text = format!("suite: s\ndefaults: {{{}}}\ncases:\n  - {{name: a, {}}}\n", keys("k"), keys("k"));
    let started = std::time::Instant::now();
    let errors = rulec_scenario::load_document(&text).unwrap_err();
    // The first thousand are listed, the rest counted: 50,000 unknown fields in the defaults,
    // as many in the case, and the case's 4 missing required fields.
    assert_eq!(errors.len(), 1_001);
    assert_eq!(errors.0[1_000].to_string(), "… and 99004 more errors (only the first 1000 are listed)");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "{:?}", started.elapsed());
}
