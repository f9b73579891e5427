//! Instants rulec writes are RFC 3339 with a four-digit year, so that a suite can pin them and
//! rulec can read them back: a release after the end of year 9999 is reported as none.

use rulec_eval::{format_time, Engine};
use rulec_syntax::SourceFile;

const RULE: &str = r#"jurisdiction federal
rule federal.test.weekly {
  title "One call a week"
  cites "test"
  binds collector
  blocks when any call in the last 7 days
}
"#;

fn decide(now: &str, last_call: &str) -> rulec_eval::Decision {
    let engine = Engine::from_sources(vec![SourceFile::new("rules/federal/test.rules", RULE)]).unwrap_or_else(|e| panic!("{e}"));
    let text = format!(
        "now: {now}\ncompany: {{role: collector}}\nborrower: {{id: BO-AAAA-1111, timezone: America/New_York}}\n\
         contacts: [{{id: CT-CELL-0001, contactType: phone, affiliation: self, value: \"+16175550100\"}}]\n\
         interactions: [{{id: IN-1, channel: voice, direction: outbound, status: attempted, startAt: {last_call}, contactId: CT-CELL-0001}}]\n\
         request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}}\n"
    );
    let (scenario, _) = rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}"));
    engine.decide(&scenario).expect("decides")
}

#[test]
fn a_release_after_year_9999_is_reported_as_none() {
    let d = decide("9999-12-20T12:00:00Z", "9999-12-19T12:00:00Z");
    assert!(!d.result);
    let at = d.next_allowed_at.map(format_time);
    assert_eq!(at.as_deref(), Some("9999-12-26T12:00:00Z"));
    // What rulec writes, it reads back.
    assert!(rulec_scenario::load_scenario(&format!("now: {}\nborrower: {{id: BO-AAAA-1111}}\ncontacts: [{{id: CT-1, contactType: phone}}]\nrequest: {{channel: voice, theme: opsCollDebt, contactId: CT-1}}\n", at.unwrap())).is_ok());

    let d = decide("9999-12-30T12:00:00Z", "9999-12-29T12:00:00Z");
    assert!(!d.result);
    assert_eq!(d.next_allowed_at, None, "10000-01-05 cannot be written in RFC 3339");
    assert_eq!(d.blocked_by[0].release_at, None);
}
