//! Decisions and traces for the scenarios the evaluator must get exactly right, pinned with
//! insta. Rules: the shipped Regulation F file, plus a small test policy.

use rulec_eval::{Decision, Engine};
use rulec_syntax::SourceFile;

const POLICY: &str = r#"
policy test_lender
use federal, states
mute federal.reg_f.inconvenient_time {
  reason "test: late calls are allowed by a court order in this portfolio"
  approved by "Test CCO"
  until 2027-01-01
}
"#;

fn engine() -> Engine {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/federal/reg_f.rules");
    let reg_f = std::fs::read_to_string(root).expect("reg_f.rules is shipped");
    Engine::from_sources(vec![
        SourceFile::new("rules/federal/reg_f.rules", reg_f),
        SourceFile::new("rules/policies/test_lender.policy", POLICY),
    ])
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A collector calling a borrower with a New York address; `extra` is appended to the YAML.
fn scenario(now: &str, phone: &str, extra: &str) -> rulec_scenario::Scenario {
    let text = format!(
        r#"
now: {now}
company: {{role: collector}}
borrower: {{id: BO-AAAA-1111}}
contacts:
  - {{id: CT-HOME-0001, contactType: address, affiliation: self, address: {{state: NY, city: Albany, postalCode: "12207"}}}}
  - {{id: CT-CELL-0001, contactType: phone, label: personal, affiliation: self, value: "{phone}"}}
loans:
  - {{id: LN-AAAA-0001}}
  - {{id: LN-BBBB-0002}}
request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: LN-AAAA-0001}}
{extra}
"#
    );
    rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}")).0
}

/// The decision with its trace; checks on the way that the traceless hot path decides alike.
fn decide(s: &rulec_scenario::Scenario) -> Decision {
    let engine = engine();
    let explained = engine.explain(s).expect("decides");
    let fast = engine.decide(s).expect("decides");
    assert!(fast.trace.is_empty());
    assert_eq!(Decision { trace: Vec::new(), ..explained.clone() }, fast, "decide and explain disagree");
    assert_eq!(engine.allows(s).expect("decides"), fast.result, "allows and decide disagree");
    // The screen (decide's first half, and a caller's cheap verdict) names the same rules.
    let screen = engine.screen(s).expect("decides");
    let ids = |f: &[rulec_eval::Finding]| f.iter().map(|f| f.rule.clone()).collect::<Vec<_>>();
    let names = |ids: Vec<&str>| ids.into_iter().map(str::to_string).collect::<Vec<_>>();
    assert_eq!((screen.allowed(), names(screen.blocked_by()), names(screen.warnings())), (fast.result, ids(&fast.blocked_by), ids(&fast.warnings)), "screen and decide disagree");
    assert_eq!(screen.next_allowed_at(), fast.next_allowed_at, "screen and decide disagree on nextAllowedAt");
    // Written straight from the struct, the envelope has the bytes of the key-sorted tree.
    let mut written = Vec::new();
    fast.write_json(&mut written);
    assert_eq!(String::from_utf8(written).expect("UTF-8"), serde_json::to_string_pretty(&fast.to_json()).expect("json") + "\n", "write_json and to_json disagree");
    let mut line = Vec::new();
    fast.write_json_line(&mut line);
    assert_eq!(String::from_utf8(line).expect("UTF-8"), fast.to_json().to_string(), "write_json_line and to_json disagree");
    explained
}

/// The decision JSON and the trace, as pinned text.
/// The decision and its trace as JSON. The rule set's digest changes with every edit of the
/// library: its value is left out here (`every_decision_names_the_engine_rule_set` checks it).
fn pin(decision: &Decision) -> String {
    let trace = serde_json::to_string_pretty(&decision.trace).unwrap_or_default();
    let mut json = decision.to_json();
    let digest = json["data"]["ruleSet"]["digest"].as_str().unwrap_or_default();
    assert!(digest.len() == 71 && digest.starts_with("sha256:"), "{digest}");
    json["data"]["ruleSet"]["digest"] = serde_json::json!("sha256:[digest of the engine's files]");
    format!("{}\n--- trace ---\n{trace}", serde_json::to_string_pretty(&json).unwrap_or_default())
}

fn calls(loan: &str, days: &[&str]) -> String {
    let mut out = String::from("interactions:\n");
    for (i, day) in days.iter().enumerate() {
        out.push_str(&format!(
            "  - {{id: IN-{loan}-{i:04}, channel: voice, direction: outbound, status: attempted, startAt: {day}, contactId: CT-CELL-0001, loanIds: [{loan}]}}\n"
        ));
    }
    out
}

#[test]
fn dst_start_day_in_new_york() {
    // 2026-03-08: clocks go from 02:00 EST to 03:00 EDT. 11:30Z is 07:30 EDT: too early.
    let d = decide(&scenario("2026-03-08T11:30:00Z", "+15185550100", ""));
    assert!(!d.result);
    assert_eq!(d.next_allowed_at.map(rulec_eval::format_time).as_deref(), Some("2026-03-08T12:00:00Z"));
    insta::assert_snapshot!(pin(&d));
    // One hour later it is 08:30 EDT: allowed (the day before, 12:30Z was 07:30 EST).
    assert!(decide(&scenario("2026-03-08T12:30:00Z", "+15185550100", "")).result);
    assert!(!decide(&scenario("2026-03-07T12:30:00Z", "+15185550100", "")).result);
}

#[test]
fn dst_end_day_in_new_york() {
    // 2026-11-01: clocks go back from 02:00 EDT to 01:00 EST. 12:30Z is 07:30 EST.
    let d = decide(&scenario("2026-11-01T12:30:00Z", "+15185550100", ""));
    assert!(!d.result);
    assert_eq!(d.next_allowed_at.map(rulec_eval::format_time).as_deref(), Some("2026-11-01T13:00:00Z"));
    insta::assert_snapshot!(pin(&d));
    // 21:00 EST exactly is still allowed; one second later is not.
    assert!(decide(&scenario("2026-11-02T02:00:00Z", "+15185550100", "")).result);
    assert!(!decide(&scenario("2026-11-02T02:00:01Z", "+15185550100", "")).result);
}

#[test]
fn new_york_address_and_los_angeles_area_code() {
    // 10:30 Eastern is 07:30 Pacific: blocked until 08:00 Pacific = 11:00 Eastern.
    let d = decide(&scenario("2026-03-10T14:30:00Z", "+12135550100", ""));
    assert!(!d.result);
    assert_eq!(d.local_times.len(), 2);
    assert_eq!(d.next_allowed_at.map(rulec_eval::format_time).as_deref(), Some("2026-03-10T15:00:00Z"));
    insta::assert_snapshot!(pin(&d));
    assert!(decide(&scenario("2026-03-10T16:00:00Z", "+12135550100", "")).result, "12:00 Eastern is 09:00 Pacific");
}

/// Regulation F comment 6(b)(1)(i)-1: an address in one zone and a mobile number in another mean
/// a time convenient in both, whatever the medium. An e-mail to a borrower with a New York
/// address and a Los Angeles cell is judged in both zones.
#[test]
fn an_email_is_judged_in_the_zone_of_the_borrowers_own_phone() {
    let email = |phone: &str| {
        let text = format!(
            r#"
now: 2026-03-10T14:30:00Z
company: {{role: collector}}
borrower: {{id: BO-AAAA-1111}}
contacts:
  - {{id: CT-HOME-0001, contactType: address, affiliation: self, address: {{state: NY, city: Albany, postalCode: "12207"}}}}
  - {{id: CT-MAIL-0001, contactType: email, affiliation: self, value: "b@example.com"}}
  - {{id: CT-CELL-0001, contactType: phone, label: personal, value: "+12135550100", {phone}}}
request: {{channel: email, theme: opsCollDebt, contactId: CT-MAIL-0001}}
"#
        );
        rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}")).0
    };
    // 10:30 Eastern is 07:30 Pacific: the e-mail waits for 08:00 Pacific.
    let own = email("affiliation: self");
    let d = decide(&own);
    assert!(!d.result, "{:?}", d.local_times);
    assert_eq!(d.blocked_by[0].rule, "federal.reg_f.inconvenient_time");
    assert_eq!(d.next_allowed_at.map(rulec_eval::format_time).as_deref(), Some("2026-03-10T15:00:00Z"));
    let zones: Vec<&str> = d.local_times.iter().map(|t| t.timezone).collect();
    assert_eq!(zones, ["America/Los_Angeles", "America/New_York"]);
    let location = engine().locate(&own);
    let i = location.zones.iter().position(|z| *z == chrono_tz::America::Los_Angeles).expect("Pacific is a candidate");
    assert_eq!(
        location.sources[i],
        rulec_eval::ZoneSource::OwnPhone { contact: "CT-CELL-0001".into(), number: "+12135550100".into() }
    );
    // WhatsApp is a phone number too.
    let mut whatsapp = email("affiliation: self").into_parts();
    whatsapp.contacts[2].contact_type = rulec_model::ContactType::WhatsApp;
    let whatsapp = rulec_scenario::Scenario::from_parts(whatsapp).expect("the same references");
    assert!(!decide(&whatsapp).result);
    // A number that is not the borrower's own, not valid, or archived says nothing of where
    // they are: New York alone, where it is 10:30.
    for other in ["affiliation: spouse", "affiliation: self, valid: false", "affiliation: self, status: archived"] {
        let d = decide(&email(other));
        assert!(d.result, "{other}: {:?}", d.blocked_by);
        assert_eq!(d.local_times.len(), 1, "{other}");
    }
}

#[test]
fn florida_with_and_without_postal_code() {
    let florida = |postal: &str| {
        let text = format!(
            r#"
now: 2026-03-10T12:30:00Z
company: {{role: collector}}
borrower: {{id: BO-FLFL-0001}}
contacts:
  - {{id: CT-HOME-0001, contactType: address, affiliation: self, address: {{state: FL, city: Miami {postal}}}}}
  - {{id: CT-MAIL-0001, contactType: email, affiliation: self, value: "b@example.com"}}
request: {{channel: email, theme: opsCollDebt, contactId: CT-MAIL-0001}}
"#
        );
        rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}")).0
    };
    // 12:30Z is 08:30 Eastern but 07:30 Central: without a postal code both zones count.
    let without = decide(&florida(""));
    assert!(!without.result);
    assert_eq!(without.local_times.len(), 2);
    insta::assert_snapshot!("florida_without_postal_code", pin(&without));
    // A Miami postal code settles Eastern: allowed.
    let miami = decide(&florida(", postalCode: \"33101\""));
    assert!(miami.result);
    assert_eq!(miami.local_times.len(), 1);
    insta::assert_snapshot!("florida_miami", pin(&miami));
}

#[test]
fn seventh_and_eighth_call_about_one_debt() {
    let six = ["2026-03-04T15:00:00Z", "2026-03-05T15:00:00Z", "2026-03-06T15:00:00Z", "2026-03-07T15:00:00Z", "2026-03-08T15:00:00Z", "2026-03-09T15:00:00Z"];
    // Six earlier calls: this is the 7th, allowed.
    let d7 = decide(&scenario("2026-03-10T15:00:00Z", "+15185550100", &calls("LN-AAAA-0001", &six)));
    assert!(d7.result, "{}", pin(&d7));
    // Seven earlier calls: this is the 8th, blocked.
    let mut seven = six.to_vec();
    seven.push("2026-03-10T13:00:00Z");
    let d8 = decide(&scenario("2026-03-10T15:00:00Z", "+15185550100", &calls("LN-AAAA-0001", &seven)));
    assert!(!d8.result);
    assert_eq!(d8.blocked_by[0].rule, "federal.reg_f.call_frequency");
    // The oldest call (2026-03-04, Eastern) leaves the 7 calendar days at midnight starting 03-11.
    assert_eq!(d8.blocked_by[0].release_at.map(rulec_eval::format_time).as_deref(), Some("2026-03-11T04:00:00Z"));
    assert_eq!(d8.next_allowed_at.map(rulec_eval::format_time).as_deref(), Some("2026-03-11T12:00:00Z"), "08:00 EDT that day");
    insta::assert_snapshot!(pin(&d8));
    // Seven calls about the other debt do not count against this one.
    let other = decide(&scenario("2026-03-10T15:00:00Z", "+15185550100", &calls("LN-BBBB-0002", &seven)));
    assert!(other.result, "{}", pin(&other));
}

#[test]
fn conversation_three_days_ago() {
    let history = "interactions:\n  - {id: IN-CONV-0001, channel: voice, direction: inbound, status: connected, startAt: 2026-03-07T19:00:00Z, contactId: CT-CELL-0001, loanIds: [LN-AAAA-0001]}\n";
    let d = decide(&scenario("2026-03-10T15:00:00Z", "+15185550100", history));
    assert!(!d.result);
    let finding = &d.blocked_by[0];
    assert_eq!(finding.rule, "federal.reg_f.call_after_conversation");
    // The conversation's date (03-07 Eastern) is day 1: day 8 begins 2026-03-14 00:00 EDT.
    assert_eq!(finding.release_at.map(rulec_eval::format_time).as_deref(), Some("2026-03-14T04:00:00Z"));
    assert_eq!(d.next_allowed_at.map(rulec_eval::format_time).as_deref(), Some("2026-03-14T12:00:00Z"));
    insta::assert_snapshot!(pin(&d));
}

#[test]
fn active_and_expired_do_not_interact() {
    let rules = r#"
rule federal.platform.do_not_interact {
  title "An active Do Not Interact matches the request"
  cites "Platform Do Not Interact"
  binds every role
  blocks when do not interact is active
  message "Do Not Interact {dni} is active"
}
"#;
    let engine = Engine::from_sources(vec![SourceFile::new("rules/federal/dni.rules", rules)]).unwrap_or_else(|e| panic!("{e}"));
    let with_dni = |expires: &str| {
        let extra = format!(
            "cases:\n  - {{id: CS-AAAA-0001, caseType: generic, status: processing, doNotInteract: [{{id: DN-AAAA-0001, channels: [voice], expiresAt: {expires}}}]}}"
        );
        scenario("2026-03-10T15:00:00Z", "+15185550100", &extra)
    };
    let active = engine.explain(&with_dni("2026-03-20T00:00:00Z")).expect("decides");
    assert!(!active.result);
    assert_eq!(active.next_allowed_at.map(rulec_eval::format_time).as_deref(), Some("2026-03-20T00:00:00Z"));
    assert_eq!(active.blocked_by[0].message, "Do Not Interact DN-AAAA-0001 is active");
    insta::assert_snapshot!("dni_active", pin(&active));
    let expired = engine.explain(&with_dni("2026-03-01T00:00:00Z")).expect("decides");
    assert!(expired.result);
    insta::assert_snapshot!("dni_expired", pin(&expired));
}

#[test]
fn cease_communication_never_releases_by_time() {
    let extra = "cases:\n  - {id: CS-CEAS-0001, caseType: ceaseCommunication, status: completed}";
    let d = decide(&scenario("2026-03-10T15:00:00Z", "+15185550100", extra));
    assert!(!d.result);
    assert_eq!(d.blocked_by[0].release_at, None);
    assert_eq!(d.next_allowed_at, None);
}

#[test]
fn muted_hit_is_reported() {
    // 02:00Z is 22:00 EDT: the inconvenient-time rule fires, but the policy mutes it.
    let d = decide(&scenario("2026-03-11T02:00:00Z", "+15185550100", "policy: test_lender"));
    assert!(d.result);
    assert_eq!(d.muted.len(), 1);
    assert_eq!(d.muted[0].rule, "federal.reg_f.inconvenient_time");
    insta::assert_snapshot!(pin(&d));
}

#[test]
fn creditors_are_not_bound_by_regulation_f() {
    let mut s = scenario("2026-03-11T02:00:00Z", "+15185550100", "").into_parts();
    s.company.role = rulec_model::Role::Creditor;
    let s = rulec_scenario::Scenario::from_parts(s).expect("the same references");
    let d = decide(&s);
    assert!(d.result);
    assert_eq!(d.rules_evaluated, 0);
}

#[test]
fn unknown_policy_is_an_input_error() {
    let s = scenario("2026-03-10T15:00:00Z", "+15185550100", "policy: test_lendr");
    let err = engine().decide(&s).unwrap_err();
    assert_eq!(err.message, "policy: 'test_lendr' is not defined, did you mean 'test_lender'?");
}

#[test]
fn a_message_about_a_loan_names_none_when_there_is_none() {
    let text = r#"
now: 2026-03-10T15:00:00Z
company: {role: collector}
borrower: {id: BO-AAAA-1111}
contacts:
  - {id: CT-HOME-0001, contactType: address, affiliation: self, address: {state: VT, city: Montpelier, postalCode: "05602"}}
  - {id: CT-CELL-0001, contactType: phone, label: personal, affiliation: self, value: "+18025550100"}
interactions:
  - {id: IN-0001, channel: voice, direction: outbound, status: connected, theme: opsCollDebt, startAt: 2026-03-09T15:00:00Z, contactId: CT-CELL-0001}
request: {channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}
"#;
    let (s, _) = rulec_scenario::load_scenario(text).unwrap_or_else(|e| panic!("{e}"));
    let d = decide(&s);
    let finding = d.blocked_by.iter().find(|f| f.rule == "federal.reg_f.call_after_conversation").expect("blocked by test (B)");
    assert!(finding.message.starts_with("a conversation about loan (none on file) took place on 2026-03-09T15:00:00Z"), "{}", finding.message);
}

#[test]
fn every_decision_names_the_engine_rule_set() {
    let engine = engine();
    let decision = engine.decide(&scenario("2026-03-10T15:00:00Z", "+15185550100", "")).expect("decides");
    assert_eq!(*decision.rule_set, *engine.rule_set_id());
    assert_eq!(decision.rule_set.version, format!("rulec {}", env!("CARGO_PKG_VERSION")));
    // The same files give the same digest; one byte more gives another.
    let reg_f = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/federal/reg_f.rules")).expect("shipped");
    let same = Engine::from_sources(vec![
        SourceFile::new("rules/federal/reg_f.rules", reg_f.clone()),
        SourceFile::new("rules/policies/test_lender.policy", POLICY),
    ])
    .expect("checks");
    assert_eq!(same.rule_set_id(), engine.rule_set_id());
    let edited = Engine::from_sources(vec![
        SourceFile::new("rules/federal/reg_f.rules", format!("{reg_f}\n")),
        SourceFile::new("rules/policies/test_lender.policy", POLICY),
    ])
    .expect("checks");
    assert_ne!(edited.rule_set_id(), engine.rule_set_id());
}
