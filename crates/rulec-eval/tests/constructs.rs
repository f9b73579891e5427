//! The language's second-edition constructs, decided end to end: per-person counts, time since
//! an event, age at a case, exclusive and second-exact hours, fixed zones, recorded consents and
//! replies. Each test draws both sides of the line its construct draws, and checks that
//! `nextAllowedAt` is the instant the line is crossed.

use rulec_eval::{format_time, Decision, Engine};
use rulec_syntax::SourceFile;

/// An engine over one federal rule file written for the test.
fn engine(rules: &str) -> Engine {
    let text = format!("jurisdiction federal\n{rules}");
    Engine::from_sources(vec![SourceFile::new("rules/federal/test.rules", text)]).unwrap_or_else(|e| panic!("{e}"))
}

/// A collector's call to the borrower's cell (Albany, New York); `extra` is appended.
fn scenario(now: &str, extra: &str) -> rulec_scenario::Scenario {
    let text = format!(
        r#"
now: {now}
company: {{role: collector}}
borrower: {{id: BO-AAAA-1111, dateOfBirth: 2008-06-15}}
contacts:
  - {{id: CT-HOME-0001, contactType: address, affiliation: self, address: {{state: NY, city: Albany, postalCode: "12207"}}}}
  - {{id: CT-CELL-0001, contactType: phone, label: personal, affiliation: self, value: "+15185550100"}}
  - {{id: CT-WORK-0001, contactType: phone, label: work, affiliation: self, value: "+15185550111"}}
  - {{id: CT-SPOU-0001, contactType: phone, label: personal, affiliation: spouse, name: "Bo Lee", value: "+15185550122"}}
  - {{id: CT-SPOU-0002, contactType: phone, label: home, affiliation: spouse, name: "bo  lee", value: "+15185550133"}}
loans:
  - {{id: LN-AAAA-0001}}
  - {{id: LN-BBBB-0002}}
{extra}
"#
    );
    rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}")).0
}

/// Decides, checking that `allows`, `decide` and `explain` agree and that `nextAllowedAt`, when
/// given, is allowed.
fn decide(engine: &Engine, s: &rulec_scenario::Scenario) -> Decision {
    let explained = engine.explain(s).expect("decides");
    let fast = engine.decide(s).expect("decides");
    assert_eq!(Decision { trace: Vec::new(), ..explained.clone() }, fast, "decide and explain disagree");
    assert_eq!(engine.allows(s).expect("decides"), fast.result, "allows and decide disagree");
    // The screen (decide's first half, and a caller's cheap verdict) names the same rules.
    let screen = engine.screen(s).expect("decides");
    let ids = |f: &[rulec_eval::Finding]| f.iter().map(|f| f.rule.clone()).collect::<Vec<_>>();
    let names = |ids: Vec<&str>| ids.into_iter().map(str::to_string).collect::<Vec<_>>();
    assert_eq!((screen.allowed(), names(screen.blocked_by()), names(screen.warnings())), (fast.result, ids(&fast.blocked_by), ids(&fast.warnings)), "screen and decide disagree");
    assert_eq!(screen.next_allowed_at(), fast.next_allowed_at, "screen and decide disagree on nextAllowedAt");
    if let Some(next) = fast.next_allowed_at {
        let mut later = s.clone();
        later.set_now(next).expect("a release is an instant the scenario holds");
        later.set_request_start(next).expect("a release is an instant the scenario holds");
        assert!(engine.allows(&later).expect("decides"), "nextAllowedAt {} is not allowed", format_time(next));
    }
    fast
}

fn next(d: &Decision) -> Option<String> {
    d.next_allowed_at.map(format_time)
}

fn call(id: &str, contact: &str, at: &str, extra: &str) -> String {
    format!("  - {{id: {id}, channel: voice, direction: outbound, status: attempted, startAt: {at}, contactId: {contact}, loanIds: [LN-AAAA-0001]{extra}}}\n")
}

// ---------------------------------------------------------------- persons

const PER_PERSON: &str = r#"
rule federal.test.per_person {
  title "Three calls in a day to one person about one debt"
  cites "test"
  binds collector
  applies when channel is voice
  blocks when count of calls where direction is outbound in the last 1 days to this person about this loan >= 3
}
"#;

#[test]
fn a_person_is_counted_across_their_contacts_and_not_across_persons() {
    let e = engine(PER_PERSON);
    // Two calls to the cell and one to the work phone: the borrower, three calls.
    let history = format!(
        "interactions:\n{}{}{}",
        call("IN-1", "CT-CELL-0001", "2026-03-10T13:00:00Z", ""),
        call("IN-2", "CT-CELL-0001", "2026-03-10T14:00:00Z", ""),
        call("IN-3", "CT-WORK-0001", "2026-03-10T15:00:00Z", ""),
    );
    let to_borrower = format!("{history}request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: LN-AAAA-0001}}");
    let d = decide(&e, &scenario("2026-03-10T16:00:00Z", &to_borrower));
    assert!(!d.result, "three calls to the borrower's contacts");
    // The oldest call leaves the rolling day at 13:00 the next day.
    assert_eq!(next(&d).as_deref(), Some("2026-03-11T13:00:00Z"));

    // The spouse is another person: nothing counted against them.
    let to_spouse = format!("{history}request: {{channel: voice, theme: opsCollDebt, contactId: CT-SPOU-0001, loanId: LN-AAAA-0001}}");
    assert!(decide(&e, &scenario("2026-03-10T16:00:00Z", &to_spouse)).result);

    // The spouse's two numbers, one name written two ways, are one person.
    let spouse_calls = format!(
        "interactions:\n{}{}{}request: {{channel: voice, theme: opsCollDebt, contactId: CT-SPOU-0001, loanId: LN-AAAA-0001}}",
        call("IN-1", "CT-SPOU-0001", "2026-03-10T13:00:00Z", ""),
        call("IN-2", "CT-SPOU-0002", "2026-03-10T14:00:00Z", ""),
        call("IN-3", "CT-SPOU-0002", "2026-03-10T15:00:00Z", ""),
    );
    assert!(!decide(&e, &scenario("2026-03-10T16:00:00Z", &spouse_calls)).result);

    // About the other loan, the same three calls count for nothing.
    let other_loan = format!("{history}request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: LN-BBBB-0002}}");
    assert!(decide(&e, &scenario("2026-03-10T16:00:00Z", &other_loan)).result);
}

// ---------------------------------------------------------------- replies

const REPLIES: &str = r#"
rule federal.test.unrequested_calls {
  title "Two unrequested calls in a day"
  cites "test"
  binds collector
  applies when channel is voice
  blocks when count of calls where direction is outbound and not replies to inbound within 7 days
      in the last 1 days to this person >= 2
  unless replies to inbound within 2 hours
}
"#;

#[test]
fn replies_to_the_persons_own_call_are_left_out_and_excepted() {
    let e = engine(REPLIES);
    let inbound = "  - {id: IN-0, channel: voice, direction: inbound, status: connected, startAt: 2026-03-10T12:00:00Z, contactId: CT-WORK-0001}\n";
    let history = format!(
        "interactions:\n{inbound}{}{}",
        call("IN-1", "CT-CELL-0001", "2026-03-10T13:00:00Z", ", previousInteractionId: IN-0"),
        call("IN-2", "CT-CELL-0001", "2026-03-10T14:00:00Z", ""),
    );
    // One call returns the borrower's own call: one unrequested call, under the cap.
    let plain = format!("{history}request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}}");
    assert!(decide(&e, &scenario("2026-03-10T15:00:00Z", &plain)).result);

    // A second unrequested call would reach the cap ...
    let more = format!(
        "interactions:\n{inbound}{}{}{}request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}}",
        call("IN-1", "CT-CELL-0001", "2026-03-10T13:00:00Z", ", previousInteractionId: IN-0"),
        call("IN-2", "CT-CELL-0001", "2026-03-10T14:00:00Z", ""),
        call("IN-3", "CT-CELL-0001", "2026-03-10T14:30:00Z", ""),
    );
    let d = decide(&e, &scenario("2026-03-10T15:00:00Z", &more));
    assert!(!d.result);
    // ... unless the request itself returns the borrower's call, within two hours of it.
    let reply = more.replace("contactId: CT-CELL-0001}", "contactId: CT-CELL-0001, previousInteractionId: IN-0}");
    let early = decide(&e, &scenario("2026-03-10T13:59:59Z", &reply));
    assert!(early.result, "a reply 1h59m59s after the borrower's call");
    let late = decide(&e, &scenario("2026-03-10T14:00:00Z", &reply.replace("IN-3, channel: voice, direction: outbound, status: attempted, startAt: 2026-03-10T14:30:00Z", "IN-3, channel: voice, direction: outbound, status: attempted, startAt: 2026-03-10T13:30:00Z")));
    assert!(!late.result, "two hours after, the exception has ended");

    // A reply to someone else's inbound call is not the borrower's request.
    let spouse_inbound = more.replace("contactId: CT-WORK-0001", "contactId: CT-SPOU-0001");
    assert!(!decide(&e, &scenario("2026-03-10T15:00:00Z", &spouse_inbound)).result);
}

// ---------------------------------------------------------------- time since an event

const TCPA: &str = r#"
rule federal.test.revoked_calls {
  title "Autodialed calls 10 business days after a revocation"
  cites "test"
  binds collector
  applies when channel is voice
  blocks when consent autodialedColl is revoked for at least 10 business days
}

rule federal.test.revocation_grace {
  title "Autodialed calls within 10 business days of a revocation"
  cites "test"
  binds collector
  applies when channel is voice
  warns when consent autodialedColl is revoked for less than 10 business days
}
"#;

#[test]
fn a_revocation_binds_after_ten_business_days_in_the_borrowers_zone() {
    let e = engine(TCPA);
    // Revoked Monday 2026-11-02 (New York); Veterans Day (Nov 11) is not a business day: the
    // tenth business day after it is Tuesday Nov 17, so the bar starts at 00:00 EST Nov 18.
    let consents = "consents: [{name: autodialedColl, value: revoked, createdAt: 2025-01-01T00:00:00Z, updatedAt: 2026-11-02T15:00:00Z}]\nrequest: {channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}";
    let before = decide(&e, &scenario("2026-11-18T04:59:59Z", consents));
    assert!(before.result);
    assert_eq!(before.warnings.iter().map(|w| w.rule.as_str()).collect::<Vec<_>>(), ["federal.test.revocation_grace"]);
    let at = decide(&e, &scenario("2026-11-18T05:00:00Z", consents));
    assert!(!at.result);
    assert!(at.warnings.is_empty());
    // Revoked, but with no date on record: it has been revoked since before any record.
    let undated = "consents: [{name: autodialedColl, value: revoked}]\nrequest: {channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}";
    assert!(!decide(&e, &scenario("2026-11-03T15:00:00Z", undated)).result);
}

#[test]
fn consent_dates_are_checked() {
    let text = "now: 2026-11-03T15:00:00Z\nborrower: {id: BO-AAAA-1111}\ncontacts: [{id: CT-1, contactType: phone, affiliation: self, value: '+15185550100'}]\nconsents: [{name: autodialedColl, value: revoked, createdAt: 2026-11-02T15:00:00Z, updatedAt: 2026-11-01T15:00:00Z}]\nrequest: {channel: voice, theme: opsCollDebt, contactId: CT-1}";
    let error = rulec_scenario::load_scenario(text).expect_err("updatedAt before createdAt").to_string();
    assert!(error.contains("consents[0].updatedAt"), "{error}");
}

const ATTORNEY_GRACE: &str = r#"
rule federal.test.attorney_notice {
  title "Calls 72 hours after an attorney's notice about the debt"
  cites "test"
  binds collector
  blocks when any case where caseType is attorneyRepresentation and createdAt is at least 72 hours ago about this loan
}
"#;

#[test]
fn a_grace_period_ends_at_its_instant_and_is_the_release_of_nothing() {
    let e = engine(ATTORNEY_GRACE);
    let case = "cases: [{id: CS-1, caseType: attorneyRepresentation, status: initiated, createdAt: 2026-03-10T15:00:00Z, loanIds: [LN-AAAA-0001]}]\n";
    let about = |loan: &str| format!("{case}request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: {loan}}}");
    assert!(decide(&e, &scenario("2026-03-13T14:59:59Z", &about("LN-AAAA-0001"))).result, "71:59:59 after the notice");
    let d = decide(&e, &scenario("2026-03-13T15:00:00Z", &about("LN-AAAA-0001")));
    assert!(!d.result, "72 hours after the notice");
    assert_eq!(d.next_allowed_at, None, "the bar does not lift by time alone");
    assert!(decide(&e, &scenario("2026-03-20T15:00:00Z", &about("LN-BBBB-0002"))).result, "another debt");
}

/// A call cap and the attorney bar above: the bar is not in force now (the notice is a day
/// old) but begins before the cap lifts, so the request is not allowed when the cap lifts.
/// A case test that can turn true as time passes is checked again at every candidate instant.
#[test]
fn a_case_bar_that_begins_while_a_cap_holds_keeps_the_request_blocked() {
    let cap = r#"
rule federal.test.one_call_a_day {
  title "One call a day"
  cites "test"
  binds collector
  blocks when count of calls where direction is outbound in the last 1 days >= 1
}
"#;
    let e = engine(&format!("{ATTORNEY_GRACE}{cap}"));
    let request = "request: {channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: LN-AAAA-0001}\n";
    let calls = format!("interactions:\n{}", call("IN-1", "CT-CELL-0001", "2026-03-12T14:00:00Z", ""));
    let notice = |at: &str| format!("cases: [{{id: CS-1, caseType: attorneyRepresentation, status: initiated, createdAt: {at}, loanIds: [LN-AAAA-0001]}}]\n");
    // The bar begins at 15:00 on the 12th, before the cap lifts at 14:00 on the 13th.
    let d = decide(&e, &scenario("2026-03-12T14:30:00Z", &format!("{}{request}{calls}", notice("2026-03-09T15:00:00Z"))));
    assert_eq!(d.blocked_by.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(), ["federal.test.one_call_a_day"]);
    assert_eq!(next(&d), None, "the attorney bar holds from 2026-03-12T15:00:00Z and time alone never lifts it");
    // The other side of the line: the bar would begin just after the cap lifts.
    let d = decide(&e, &scenario("2026-03-12T14:30:00Z", &format!("{}{request}{calls}", notice("2026-03-10T14:00:01Z"))));
    assert_eq!(next(&d).as_deref(), Some("2026-03-13T14:00:00Z"), "allowed for the one second before the bar begins");
}

const DECEASED_MINOR: &str = r#"
rule federal.test.parent_of_deceased_minor {
  title "Parent of a consumer who died as a minor"
  cites "test"
  binds collector
  warns when any case where caseType is deceased and borrower.age at createdAt < 18
}
"#;

#[test]
fn age_is_taken_at_the_cases_instant() {
    let e = engine(DECEASED_MINOR);
    // Born 2008-06-15: 17 on 2026-06-14 (New York), 18 the next day.
    let case = |at: &str| format!("cases: [{{id: CS-1, caseType: deceased, status: completed, createdAt: {at}}}]\nrequest: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}}");
    let minor = decide(&e, &scenario("2030-01-01T15:00:00Z", &case("2026-06-15T03:59:59Z")));
    assert_eq!(minor.warnings.len(), 1, "died at 17 (still June 14 in New York)");
    let adult = decide(&e, &scenario("2030-01-01T15:00:00Z", &case("2026-06-15T04:00:00Z")));
    assert!(adult.warnings.is_empty(), "died on the 18th birthday");
}

// ---------------------------------------------------------------- hours

const HOURS: &str = r#"
rule federal.test.exclusive_hours {
  title "Calls not after 8 a.m. and before 9 p.m."
  cites "test"
  binds collector
  applies when channel is voice
  blocks when local time is outside after 08:00 and before 21:00
}
"#;

#[test]
fn exclusive_hours_leave_out_both_ends_to_the_second() {
    let e = engine(HOURS);
    let request = "request: {channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}";
    // 2026-03-10 is EDT (UTC-4): 08:00:00 local is 12:00:00Z.
    let at_eight = decide(&e, &scenario("2026-03-10T12:00:00Z", request));
    assert!(!at_eight.result, "08:00:00 is not after 8 a.m.");
    assert_eq!(next(&at_eight).as_deref(), Some("2026-03-10T12:00:01Z"));
    assert!(decide(&e, &scenario("2026-03-10T12:00:00.999Z", request)).result == false, "still 08:00:00 to the second");
    assert!(decide(&e, &scenario("2026-03-10T12:00:01Z", request)).result);
    assert!(decide(&e, &scenario("2026-03-11T00:59:59Z", request)).result, "20:59:59");
    let at_nine = decide(&e, &scenario("2026-03-11T01:00:00Z", request));
    assert!(!at_nine.result, "21:00:00 is not before 9 p.m.");
    assert_eq!(next(&at_nine).as_deref(), Some("2026-03-11T12:00:01Z"));
}

const EASTERN: &str = r#"
rule federal.test.eastern_hours {
  title "Calls before 8 a.m. or after 9 p.m. eastern time"
  cites "test"
  binds collector
  applies when channel is voice
  blocks when time in America/New_York is outside 08:00 to 21:00
}
"#;

#[test]
fn a_fixed_zone_ignores_the_borrowers_zones() {
    let e = engine(EASTERN);
    // A borrower in Los Angeles: 06:00 PDT is 09:00 EDT, inside the eastern window.
    let la = "contacts_extra: []\n".replace("contacts_extra: []\n", "");
    let text = format!(
        "now: 2026-03-10T13:00:00Z\ncompany: {{role: collector}}\nborrower: {{id: BO-AAAA-1111}}\ncontacts: [{{id: CT-1, contactType: phone, affiliation: self, value: '+12135550100'}}]\n{la}request: {{channel: voice, theme: opsCollDebt, contactId: CT-1}}"
    );
    let s = rulec_scenario::load_scenario(&text).expect("loads").0;
    assert!(decide(&e, &s).result, "09:00 in New York, whatever the hour in Los Angeles");
    let mut late = s.clone();
    late.set_now("2026-03-11T01:00:01Z".parse().expect("instant")).expect("in range");
    let d = decide(&e, &late);
    assert!(!d.result, "21:00:01 in New York");
    assert_eq!(next(&d).as_deref(), Some("2026-03-11T12:00:00Z"));
}

// ---------------------------------------------------------------- recorded consent

const RECORDED: &str = r#"
rule federal.test.email_needs_consent {
  title "Emails without a recorded consent"
  cites "test"
  binds collector
  applies when channel is email
  blocks when not consent electronicComms is recorded consented
}
"#;

#[test]
fn a_defaulted_consent_is_not_a_recorded_one() {
    let e = engine(RECORDED);
    let text = |consents: &str| {
        format!("now: 2026-03-10T15:00:00Z\ncompany: {{role: collector}}\nborrower: {{id: BO-AAAA-1111}}\ncontacts: [{{id: CT-1, contactType: email, affiliation: self, value: a@b.example}}]\n{consents}request: {{channel: email, theme: opsCollDebt, contactId: CT-1}}")
    };
    let load = |t: String| rulec_scenario::load_scenario(&t).expect("loads").0;
    assert!(!decide(&e, &load(text(""))).result, "electronicComms defaults to consented, but nothing is recorded");
    assert!(decide(&e, &load(text("consents: [{name: electronicComms, value: consented}]\n"))).result);
    assert!(!decide(&e, &load(text("consents: [{name: electronicComms, value: revoked}]\n"))).result);
}

// ---------------------------------------------------------------- releases (reliability)

const DNI: &str = r#"
rule federal.test.dni {
  title "Do Not Interact"
  cites "test"
  binds every role
  blocks when do not interact is active
}
"#;

#[test]
fn seventy_back_to_back_do_not_interacts_release_at_the_last_expiry() {
    let e = engine(DNI);
    // Seventy one-hour Do Not Interacts, each starting when the one before ends: from
    // 2026-03-01T00:00Z to 2026-03-03T22:00Z.
    let instant = |h: u32| format!("2026-03-{:02}T{:02}:00:00Z", 1 + h / 24, h % 24);
    let mut dnis = String::new();
    for i in 0..70 {
        dnis.push_str(&format!("      - {{id: DN-{i:04}, startsAt: {}, expiresAt: {}}}\n", instant(i), instant(i + 1)));
    }
    let text = format!("cases:\n  - id: CS-1\n    caseType: generic\n    status: processing\n    doNotInteract:\n{dnis}request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}}");
    let d = decide(&e, &scenario("2026-03-01T00:30:00Z", &text));
    assert!(!d.result);
    assert_eq!(next(&d).as_deref(), Some("2026-03-03T22:00:00Z"), "more than 64 chained releases still end");
}

const ROLLING: &str = r#"
rule federal.test.one_a_week {
  title "One call a week"
  cites "test"
  binds every role
  applies when channel is voice
  blocks when any call where direction is outbound in the last 7 days
}
"#;

#[test]
fn a_call_in_a_leap_second_is_released_seven_days_after_it_not_a_second_early() {
    let e = engine(ROLLING);
    let text = format!("interactions:\n{}request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}}", call("IN-1", "CT-CELL-0001", "2016-12-31T23:59:60Z", ""));
    let d = decide(&e, &scenario("2017-01-03T15:00:00Z", &text));
    assert!(!d.result);
    assert_eq!(next(&d).as_deref(), Some("2017-01-08T00:00:00Z"));
}

const NIGHT_WINDOW: &str = r#"
rule federal.test.night_window {
  title "Calls outside 01:00 to 01:30"
  cites "test"
  binds every role
  applies when channel is voice
  blocks when time in America/New_York is outside 01:00 to 01:30
}
"#;

#[test]
fn a_window_in_the_repeated_hour_of_a_fall_back_night_reopens_the_same_night() {
    let e = engine(NIGHT_WINDOW);
    let request = "request: {channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}";
    // 2026-11-01: 01:00-01:59 New York time happens twice (EDT, then EST). At 01:45 EDT
    // (05:45Z) the window has just closed; it opens again at 01:00 EST (06:00Z), not the next
    // night.
    let d = decide(&e, &scenario("2026-11-01T05:45:00Z", request));
    assert!(!d.result);
    assert_eq!(next(&d).as_deref(), Some("2026-11-01T06:00:00Z"));
}
