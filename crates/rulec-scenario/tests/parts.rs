//! A loaded scenario cannot be made inconsistent through the public API (issue #19, item 9):
//! its fields are read-only, the setters touch only what no index depends on, and
//! `Scenario::from_parts` checks what the loader checks and builds the history index again.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use rulec_model::{Channel, ConsentName, ConsentValue, DebtType, Direction, InteractionStatus, Theme};
use rulec_scenario::{load_document, load_scenario, Consent, Document, Interaction, Loan, Scenario, ScenarioParts};

const SCENARIO: &str = r#"
now: 2026-03-10T15:00:00Z
company: {role: collector}
borrower: {id: BO-AAAA-1111, timezone: America/New_York}
contacts:
  - {id: CT-AAAA-1111, contactType: phone, affiliation: self, value: "+16175550100"}
  - {id: CT-AAAA-2222, contactType: email, affiliation: self, value: a@example.com}
  - {id: CT-AAAA-3333, contactType: phone, affiliation: spouse, value: "+16175550101"}
loans:
  - {id: LN-AAAA-0001, daysPastDue: 45}
  - {id: LN-AAAA-0002, daysPastDue: 10}
cases:
  - id: CS-AAAA-0001
    caseType: ceaseCommunication
    status: completed
    createdAt: 2026-01-02T10:00:00Z
    loanIds: [LN-AAAA-0002]
    doNotInteract: [{contactIds: [CT-AAAA-3333], startsAt: 2026-01-05T15:00:00Z}]
interactions:
  - {id: IN-AAAA-0001, channel: voice, direction: outbound, status: attempted, startAt: 2026-03-09T14:00:00Z, contactId: CT-AAAA-1111, loanIds: [LN-AAAA-0001]}
  - {id: IN-AAAA-0002, channel: voice, direction: outbound, status: attempted, startAt: 2026-03-08T14:00:00Z, contactId: CT-AAAA-2222, previousInteractionId: IN-AAAA-0001}
request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-3333, loanIds: [LN-AAAA-0002], previousInteractionId: IN-AAAA-0002}
"#;

fn scenario() -> Scenario {
    load_scenario(SCENARIO).unwrap_or_else(|e| panic!("{e}")).0
}

fn t(s: &str) -> DateTime<Utc> {
    s.parse().expect("an instant")
}

fn loan(id: &str) -> Loan {
    Loan { id: id.into(), external_id: None, status: None, loan_type: None, debt_type: DebtType::Consumer, time_barred: false, days_past_due: 0 }
}

fn call(id: &str, at: &str, contact: Option<usize>, loans: Vec<usize>) -> Interaction {
    Interaction {
        id: id.into(),
        channel: Channel::Voice,
        direction: Direction::Outbound,
        theme: Some(Theme::OpsCollDebt),
        subject: None,
        status: InteractionStatus::Attempted,
        start_at: t(at),
        end_at: None,
        contact,
        loans,
        is_autodialed: false,
        previous: None,
    }
}

/// `from_parts`' errors, one `path: message` per line.
fn refused(parts: ScenarioParts) -> String {
    match Scenario::from_parts(parts) {
        Ok(s) => panic!("accepted: {s:?}"),
        Err(errors) => errors.to_string(),
    }
}

#[test]
fn adding_a_loan_and_dropping_a_contact_is_rebuilt_or_refused() {
    // The issue's case. A loan added: the history index is built again and covers it.
    let mut parts = scenario().into_parts();
    parts.loans.push(loan("LN-AAAA-0003"));
    parts.interactions.push(call("IN-AAAA-0003", "2026-03-10T12:00:00Z", Some(0), vec![2]));
    parts.request.loans = vec![2];
    let s = Scenario::from_parts(parts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.history().by_loan.len(), 3);
    assert_eq!(s.history().by_loan[2], vec![2]);
    assert_eq!(s.history().all, vec![1, 0, 2], "sorted by start time");
    assert_eq!(s.request_loans().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["LN-AAAA-0003"]);
    // The same as loading the scenario with that loan written in.
    let text = SCENARIO
        .replace("  - {id: LN-AAAA-0002, daysPastDue: 10}\n", "  - {id: LN-AAAA-0002, daysPastDue: 10}\n  - {id: LN-AAAA-0003}\n")
        .replace("loanIds: [LN-AAAA-0002], previous", "loanIds: [LN-AAAA-0003], previous")
        .replace(
            "request:",
            "  - {id: IN-AAAA-0003, channel: voice, direction: outbound, theme: opsCollDebt, status: attempted, startAt: 2026-03-10T12:00:00Z, contactId: CT-AAAA-1111, loanIds: [LN-AAAA-0003]}\nrequest:",
        );
    assert_eq!(s, load_scenario(&text).unwrap_or_else(|e| panic!("{e}")).0);

    // A contact dropped: every reference now out of range is an error at its path.
    let mut parts = scenario().into_parts();
    parts.contacts.pop();
    assert_eq!(
        refused(parts),
        "request.contactId: index 2 is out of range: contacts[] has 2\n\
         cases[0].doNotInteract[0].contactIds[0]: index 2 is out of range: contacts[] has 2"
    );
    // A loan dropped, likewise.
    let mut parts = scenario().into_parts();
    parts.loans.clear();
    assert_eq!(
        refused(parts),
        "request.loanIds[0]: index 1 is out of range: loans[] has 0\n\
         cases[0].loanIds[0]: index 1 is out of range: loans[] has 0\n\
         interactions[0].loanIds[0]: index 0 is out of range: loans[] has 0"
    );
}

#[test]
fn the_parts_of_every_shipped_scenario_make_it_again() {
    // What the loader returns, from_parts accepts unchanged: its checks are the loader's.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["tests/scenarios", "examples"] {
        collect(&root.join(dir), &mut files);
    }
    let mut scenarios = vec![scenario()];
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        match load_document(&text) {
            Ok(Document::Scenario { scenario, .. }) => scenarios.push(scenario),
            Ok(Document::Suite(suite)) => scenarios.extend(suite.cases.into_iter().filter_map(|c| c.result.ok()).map(|(s, _)| s)),
            Err(_) => {}
        }
    }
    assert!(scenarios.len() > 500, "only {} scenarios found", scenarios.len());
    for s in scenarios {
        let again = Scenario::from_parts(s.clone().into_parts()).unwrap_or_else(|e| panic!("{e}\n{s:?}"));
        assert_eq!(again, s);
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_broken_reference_is_an_error_at_its_path() {
    let mut parts = scenario().into_parts();
    parts.request.loans = vec![1, 1, 7];
    parts.request.previous = Some(9);
    parts.cases[0].loans = vec![5];
    parts.cases[0].do_not_interact[0].contacts = vec![0, 0];
    parts.interactions[0].contact = Some(3);
    parts.interactions[0].previous = Some(0);
    parts.interactions[1].previous = Some(2);
    parts.interactions[1].loans = vec![0, 2];
    assert_eq!(
        refused(parts),
        "request.loanIds[1]: loans[1] is listed twice, also at request.loanIds[0]\n\
         request.loanIds[2]: index 7 is out of range: loans[] has 2\n\
         request.previousInteractionId: index 9 is out of range: interactions[] has 2\n\
         cases[0].loanIds[0]: index 5 is out of range: loans[] has 2\n\
         cases[0].doNotInteract[0].contactIds[1]: contacts[0] is listed twice, also at cases[0].doNotInteract[0].contactIds[0]\n\
         interactions[0].contactId: index 3 is out of range: contacts[] has 3\n\
         interactions[0].previousInteractionId: is this interaction itself; an interaction cannot follow itself\n\
         interactions[1].loanIds[1]: index 2 is out of range: loans[] has 2\n\
         interactions[1].previousInteractionId: index 2 is out of range: interactions[] has 2"
    );
}

#[test]
fn ids_consents_instants_and_numbers_are_checked_as_the_loader_checks_them() {
    let mut parts = scenario().into_parts();
    parts.contacts[1].id = Some("CT-AAAA-1111".into());
    parts.loans[1].external_id = Some("LN-AAAA-0001".into());
    parts.loans[0].days_past_due = -1;
    parts.interactions[1].id = "IN-AAAA-0001".into();
    parts.cases.push(parts.cases[0].clone());
    parts.cases[1].closed_at = Some(t("2026-01-01T00:00:00Z"));
    let consent = Consent { name: ConsentName::AutodialedColl, value: ConsentValue::Revoked, created_at: None, updated_at: None };
    parts.consents = vec![consent.clone(), consent];
    parts.request.theme = None;
    parts.request.subject = None;
    parts.now = t("9999-12-31T23:00:00Z") + Duration::days(1);
    parts.interactions[0].end_at = Some(parts.interactions[0].start_at - Duration::seconds(1));
    assert_eq!(
        refused(parts),
        "now: the year 10000 is out of range (0 to 9999)\n\
         request.theme: required field missing (a request needs a theme, a subject or both)\n\
         contacts[1].id: duplicate id 'CT-AAAA-1111', also used by contacts[0]\n\
         loans[0].daysPastDue: -1 is negative\n\
         loans[1].externalId: 'LN-AAAA-0001' is also the id of loans[0]; a loan reference would be ambiguous\n\
         consents[1].name: 'autodialedColl' is recorded twice, also by consents[0]\n\
         cases[1].id: duplicate id 'CS-AAAA-0001', also used by cases[0]\n\
         cases[1].closedAt: 2026-01-01T00:00:00Z is before createdAt (2026-01-02T10:00:00Z)\n\
         interactions[1].id: duplicate id 'IN-AAAA-0001', also used by interactions[0]\n\
         interactions[0].endAt: 2026-03-09T13:59:59Z is before startAt (2026-03-09T14:00:00Z)"
    );
}

#[test]
fn a_leap_second_is_refused_not_read() {
    let mut parts = scenario().into_parts();
    let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31).and_then(|d| d.and_hms_milli_opt(23, 59, 59, 1_500)).expect("a leap second").and_utc();
    parts.request.start_at = leap;
    assert_eq!(refused(parts), "request.startAt: 2016-12-31T23:59:60.500Z is a leap second; use the second after it");
}

#[test]
fn the_setters_change_their_field_and_nothing_else() {
    let s = scenario();
    let mut changed = s.clone();
    changed.set_now(t("2026-03-12T15:00:00Z")).expect("in range");
    changed.set_request_start(t("2026-03-12T16:00:00Z")).expect("in range");
    changed.set_policy(Some("acme_lending".into()));
    changed.set_name(Some("moved".into()));
    assert_eq!(changed.now(), t("2026-03-12T15:00:00Z"));
    assert_eq!(changed.request().start_at, t("2026-03-12T16:00:00Z"));
    assert_eq!(changed.policy(), Some("acme_lending"));
    assert_eq!(changed.name(), Some("moved"));
    assert_eq!(changed.history(), s.history());
    let (mut a, mut b) = (changed.into_parts(), s.into_parts());
    (a.now, a.request.start_at, a.policy, a.name) = (b.now, b.request.start_at, None, None);
    b.policy = None;
    assert_eq!(a, b);
}

#[test]
fn an_instant_the_loader_would_not_read_is_refused_by_the_setters() {
    let mut s = scenario();
    let before = s.clone();
    let far = t("9999-12-31T23:00:00Z") + Duration::hours(2);
    assert_eq!(s.set_now(far).unwrap_err().to_string(), "now: the year 10000 is out of range (0 to 9999)");
    assert_eq!(s.set_request_start(far).unwrap_err().to_string(), "request.startAt: the year 10000 is out of range (0 to 9999)");
    assert_eq!(s, before, "a refused change changes nothing");
}
