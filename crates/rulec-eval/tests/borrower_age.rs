//! `borrower.age`: whole years from `borrower.dateOfBirth`, the youngest over the candidate
//! zones, and false in every comparison when the date of birth is unknown.

use rulec_eval::Engine;
use rulec_syntax::SourceFile;

fn engine() -> Engine {
    Engine::from_sources(vec![SourceFile::new(
        "rules/federal/minor.rules",
        r#"
rule federal.test.parent_of_adult {
  title "A parent is a third party once the consumer is an adult"
  cites "test"
  binds every role
  applies when contact.affiliation is parent
  blocks when not borrower.age < 18
}
"#,
    )])
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A parent's phone; the borrower lives in Boston and `extra_zone` adds a candidate zone.
fn blocked(now: &str, date_of_birth: Option<&str>, extra_zone: Option<&str>) -> bool {
    let mut borrower = String::from("{id: BO-AAAA-1111");
    if let Some(d) = date_of_birth {
        borrower.push_str(&format!(", dateOfBirth: {d}"));
    }
    if let Some(z) = extra_zone {
        borrower.push_str(&format!(", timezone: {z}"));
    }
    borrower.push('}');
    let text = format!(
        r#"
now: {now}
borrower: {borrower}
contacts:
  - {{id: CT-HOME-0001, contactType: address, affiliation: self, address: {{state: MA, city: Boston, postalCode: "02108"}}}}
  - {{id: CT-PRNT-0001, contactType: phone, affiliation: parent, value: "+16175550100"}}
request: {{channel: voice, theme: opsCollDebt, contactId: CT-PRNT-0001}}
"#
    );
    let (scenario, _) = rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}"));
    !engine().decide(&scenario).expect("decides").result
}

#[test]
fn the_eighteenth_birthday_begins_at_local_midnight() {
    // 2026-03-10 begins in Boston at 04:00 UTC (EDT since 2026-03-08).
    assert!(!blocked("2026-03-10T03:59:59Z", Some("2008-03-10"), None), "still 17 in Boston");
    assert!(blocked("2026-03-10T04:00:00Z", Some("2008-03-10"), None), "18 in Boston");
}

#[test]
fn with_two_zones_the_youngest_age_counts() {
    // In Los Angeles the birthday begins three hours later than in Boston.
    assert!(!blocked("2026-03-10T06:00:00Z", Some("2008-03-10"), Some("America/Los_Angeles")));
    assert!(blocked("2026-03-10T07:00:00Z", Some("2008-03-10"), Some("America/Los_Angeles")));
}

#[test]
fn an_unknown_age_satisfies_no_comparison() {
    // `borrower.age < 18` is false, so `not borrower.age < 18` holds: an unknown age is
    // treated as an adult's, the stricter reading for third-party rules.
    assert!(blocked("2026-03-10T12:00:00Z", None, None));
}

#[test]
fn a_leap_day_birthday_comes_of_age_on_the_first_of_march() {
    assert!(!blocked("2026-02-28T12:00:00Z", Some("2008-02-29"), None));
    assert!(blocked("2026-03-01T12:00:00Z", Some("2008-02-29"), None));
}
