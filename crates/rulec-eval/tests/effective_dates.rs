//! Effective dates and mute expiries with a borrower in two zones whose local dates differ:
//! a rule is in force if it is on the date of any candidate zone, and a mute ends as soon as
//! its `until` has passed in any of them (the stricter reading both ways).

use rulec_eval::Engine;
use rulec_syntax::SourceFile;

const RULES: &str = r#"
rule federal.test.starts {
  title "Starts on new year's day"
  cites "test"
  binds every role
  effective from 2023-01-01
  blocks when channel is voice
}

rule federal.test.ends {
  title "Ends on new year's eve"
  cites "test"
  binds every role
  effective until 2022-12-31
  blocks when channel is text
}
"#;

const POLICY: &str = r#"
policy lender
mute federal.test.starts {
  reason "test"
  approved by "test"
  until 2023-01-01
}
"#;

fn decide(now: &str, channel: &str, policy: bool) -> rulec_eval::Decision {
    let engine = Engine::from_sources(vec![
        SourceFile::new("rules/federal/test.rules", RULES),
        SourceFile::new("rules/policies/lender.policy", POLICY),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    // A Washington, D.C. address and a Los Angeles area code: Eastern and Pacific time.
    let text = format!(
        r#"
now: {now}
{policy}
borrower: {{id: BO-AAAA-1111}}
contacts:
  - {{id: CT-HOME-0001, contactType: address, affiliation: self, address: {{state: DC, city: Washington, postalCode: "20001"}}}}
  - {{id: CT-CELL-0001, contactType: phone, affiliation: self, value: "+12135550100"}}
request: {{channel: {channel}, theme: opsCollDebt, contactId: CT-CELL-0001}}
"#,
        policy = if policy { "policy: lender" } else { "" }
    );
    let (scenario, _) = rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}"));
    engine.decide(&scenario).expect("decides")
}

fn blocked_by(d: &rulec_eval::Decision) -> Vec<&str> {
    d.blocked_by.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn a_rule_starts_when_its_first_day_begins_in_any_zone() {
    // 2023-01-01T06:00Z: 01:00 on Jan 1 in Washington, 22:00 on Dec 31 in Los Angeles.
    assert_eq!(blocked_by(&decide("2023-01-01T04:59:59Z", "voice", false)), Vec::<&str>::new());
    assert_eq!(blocked_by(&decide("2023-01-01T06:00:00Z", "voice", false)), ["federal.test.starts"]);
}

#[test]
fn a_rule_ends_when_its_last_day_ends_in_every_zone() {
    assert_eq!(blocked_by(&decide("2023-01-01T06:00:00Z", "text", false)), ["federal.test.ends"]);
    assert_eq!(blocked_by(&decide("2023-01-01T08:00:00Z", "text", false)), Vec::<&str>::new());
}

#[test]
fn a_mute_ends_when_its_last_day_ends_in_any_zone() {
    // On Jan 1 in both zones the mute (until Jan 1) holds.
    let d = decide("2023-01-01T12:00:00Z", "voice", true);
    assert_eq!((blocked_by(&d), d.muted.len()), (vec![], 1));
    // 2023-01-02T05:00Z: Jan 2 in Washington, still Jan 1 in Los Angeles: no longer muted.
    let d = decide("2023-01-02T05:00:00Z", "voice", true);
    assert_eq!((blocked_by(&d), d.muted.len()), (vec!["federal.test.starts"], 0));
}
