//! Valid inputs: what they load to.

use chrono::{DateTime, NaiveDate, Utc};
use rulec_model::{
    Affiliation, CaseOutcome, CaseStatus, CaseType, Channel, ConsentName, ConsentValue, ContactLabel,
    ContactStatus, ContactType, DebtType, Direction, InteractionStatus, LoanStatus, PersonType, Role,
    Subject, Theme,
};
use rulec_scenario::{load_document, load_scenario, Consent, Document, Expect, Scenario};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

const FULL_YAML: &str = r#"
name: full scenario
now: 2026-03-10T15:00:00Z
company: {role: collector, timezone: America/New_York}
policy: acme-default
borrower:
  id: BO-AAAA-1111
  personType: business
  timezone: America/Chicago
  dateOfBirth: 1980-04-23
contacts:
  - id: CT-AAAA-1111
    externalId: phone-1
    contactType: phone
    label: personal
    affiliation: self
    value: "+1 (415) 555-2671"
    valid: true
    verified: true
    receiveTextMessages: true
    status: primary
  - id: CT-AAAA-2222
    contactType: address
    label: home
    affiliation: self
    address: {addressLine1: 1 Main St, addressLine2: Apt 2, city: Boston, state: MA, postalCode: "02134"}
    status: primary
  - id: CT-AAAA-3333
    contactType: email
    affiliation: spouse
    name: Pat Doe
    value: pat@example.com
    valid: false
    authorizedThirdParty: true
    powerOfAttorney: true
    status: additional
consents:
  - {name: autodialedColl, value: revoked, createdAt: 2025-06-01T12:00:00Z, updatedAt: 2026-02-20T09:30:00-05:00}
  - {name: contactServicememberUnitOrCommander, value: consented}
loans:
  - {id: LN-AAAA-0001, externalId: L1, status: active, loanType: personal, debtType: consumer, timeBarred: false, daysPastDue: 45}
  - {id: LN-AAAA-0002, status: chargedOff, debtType: student, timeBarred: true, daysPastDue: 400}
cases:
  - id: CS-AAAA-0001
    caseType: ceaseCommunication
    status: completed
    outcome: approved
    createdAt: 2026-01-02T10:00:00Z
    closedAt: 2026-01-05T10:00:00-05:00
    loanIds: [LN-AAAA-0002]
    doNotInteract:
      - id: DN-AAAA-0001
        channels: [voice, text]
        themes: [opsCollDebt]
        subjects: []
        contactIds: [CT-AAAA-3333]
        startsAt: 2026-01-05T15:00:00Z
        expiresAt: null
interactions:
  - id: IN-AAAA-0001
    channel: voice
    direction: outbound
    theme: opsCollDebt
    status: connected
    startAt: 2026-03-09T14:00:00Z
    endAt: 2026-03-09T14:05:00Z
    contactId: CT-AAAA-1111
    loanIds: [L1]
    isAutodialed: true
  - id: IN-AAAA-0002
    channel: email
    direction: outbound
    subject: loanOverdueFirstNotice
    status: delivered
    startAt: 2026-03-08
    previousInteractionId: IN-AAAA-0001
request:
  loanId: L1
  loanIds: [LN-AAAA-0001, LN-AAAA-0002]
  channel: voice
  subject: loanOverdueSecondNotice
  startAt: 2026-03-10T11:00:00-04:00
  isAutodialed: false
  contactExternalId: phone-1
  previousInteractionId: IN-AAAA-0002
expect:
  result: false
  citations: ["12 CFR 1006.14(b)(2)(i)"]
  rules: [federal.reg_f.call_frequency]
  warnings: [federal.reg_f.time_barred_debt]
  muted: []
  nextAllowedAt: 2026-03-12T13:00:00Z
  exactly: true
"#;

const FULL_JSON: &str = r#"{
	"name": "full scenario",
	"now": "2026-03-10T15:00:00Z",
	"company": {"role": "collector", "timezone": "America/New_York"},
	"policy": "acme-default",
	"borrower": {"id": "BO-AAAA-1111", "personType": "business", "timezone": "America/Chicago", "dateOfBirth": "1980-04-23"},
	"contacts": [
		{"id": "CT-AAAA-1111", "externalId": "phone-1", "contactType": "phone", "label": "personal", "affiliation": "self",
		 "value": "+1 (415) 555-2671", "valid": true, "verified": true, "receiveTextMessages": true, "status": "primary"},
		{"id": "CT-AAAA-2222", "contactType": "address", "label": "home", "affiliation": "self",
		 "address": {"addressLine1": "1 Main St", "addressLine2": "Apt 2", "city": "Boston", "state": "MA", "postalCode": "02134"},
		 "status": "primary"},
		{"id": "CT-AAAA-3333", "contactType": "email", "affiliation": "spouse", "name": "Pat Doe", "value": "pat@example.com",
		 "valid": false, "authorizedThirdParty": true, "powerOfAttorney": true, "status": "additional"}
	],
	"consents": [
		{"name": "autodialedColl", "value": "revoked", "createdAt": "2025-06-01T12:00:00Z", "updatedAt": "2026-02-20T09:30:00-05:00"},
		{"name": "contactServicememberUnitOrCommander", "value": "consented"}
	],
	"loans": [
		{"id": "LN-AAAA-0001", "externalId": "L1", "status": "active", "loanType": "personal", "debtType": "consumer", "timeBarred": false, "daysPastDue": 45},
		{"id": "LN-AAAA-0002", "status": "chargedOff", "debtType": "student", "timeBarred": true, "daysPastDue": 400}
	],
	"cases": [
		{"id": "CS-AAAA-0001", "caseType": "ceaseCommunication", "status": "completed", "outcome": "approved",
		 "createdAt": "2026-01-02T10:00:00Z", "closedAt": "2026-01-05T10:00:00-05:00", "loanIds": ["LN-AAAA-0002"],
		 "doNotInteract": [
			{"id": "DN-AAAA-0001", "channels": ["voice", "text"], "themes": ["opsCollDebt"], "subjects": [],
			 "contactIds": ["CT-AAAA-3333"], "startsAt": "2026-01-05T15:00:00Z", "expiresAt": null}
		 ]}
	],
	"interactions": [
		{"id": "IN-AAAA-0001", "channel": "voice", "direction": "outbound", "theme": "opsCollDebt", "status": "connected",
		 "startAt": "2026-03-09T14:00:00Z", "endAt": "2026-03-09T14:05:00Z", "contactId": "CT-AAAA-1111",
		 "loanIds": ["L1"], "isAutodialed": true},
		{"id": "IN-AAAA-0002", "channel": "email", "direction": "outbound", "subject": "loanOverdueFirstNotice",
		 "status": "delivered", "startAt": "2026-03-08", "previousInteractionId": "IN-AAAA-0001"}
	],
	"request": {
		"loanId": "L1", "loanIds": ["LN-AAAA-0001", "LN-AAAA-0002"], "channel": "voice",
		"subject": "loanOverdueSecondNotice", "startAt": "2026-03-10T11:00:00-04:00", "isAutodialed": false,
		"contactExternalId": "phone-1", "previousInteractionId": "IN-AAAA-0002"
	},
	"expect": {
		"result": false, "citations": ["12 CFR 1006.14(b)(2)(i)"], "rules": ["federal.reg_f.call_frequency"],
		"warnings": ["federal.reg_f.time_barred_debt"], "muted": [], "nextAllowedAt": "2026-03-12T13:00:00Z",
		"exactly": true
	}
}"#;

#[test]
fn full_scenario_in_yaml_and_json_load_the_same() {
    let from_yaml = load_scenario(FULL_YAML).unwrap();
    let from_json = load_scenario(FULL_JSON).unwrap();
    assert_eq!(from_yaml, from_json);

    let (s, expect) = from_yaml;
    assert_eq!(s.name(), Some("full scenario"));
    assert_eq!(s.now(), t("2026-03-10T15:00:00Z"));
    assert_eq!(s.company().role, Role::Collector);
    assert_eq!(s.company().timezone, Some(chrono_tz::America::New_York));
    assert_eq!(s.policy(), Some("acme-default"));
    assert_eq!(s.borrower().id, "BO-AAAA-1111");
    assert_eq!(s.borrower().person_type, PersonType::Business);
    assert_eq!(s.borrower().timezone, Some(chrono_tz::America::Chicago));
    assert_eq!(s.borrower().date_of_birth, NaiveDate::from_ymd_opt(1980, 4, 23));

    assert_eq!(s.contacts().len(), 3);
    let phone = &s.contacts()[0];
    assert_eq!(phone.external_id.as_deref(), Some("phone-1"));
    assert_eq!(phone.contact_type, ContactType::Phone);
    assert_eq!(phone.label, Some(ContactLabel::Personal));
    assert_eq!(phone.affiliation, Some(Affiliation::SelfParty));
    assert!(phone.valid && phone.verified && phone.receive_text_messages);
    assert_eq!(phone.status, Some(ContactStatus::Primary));
    let address = s.contacts()[1].address.as_ref().unwrap();
    assert_eq!(address.state.as_deref(), Some("MA"));
    assert_eq!(address.postal_code.as_deref(), Some("02134"));
    assert_eq!(address.country_code, "US");
    let spouse = &s.contacts()[2];
    assert_eq!(spouse.name.as_deref(), Some("Pat Doe"));
    assert!(!spouse.valid && spouse.authorized_third_party && spouse.power_of_attorney);

    assert_eq!(s.consent(ConsentName::AutodialedColl), ConsentValue::Revoked);
    assert_eq!(s.consent(ConsentName::ContactServicememberUnitCollDebt), ConsentValue::Consented);
    assert_eq!(
        s.recorded_consent(ConsentName::AutodialedColl),
        Some(&Consent {
            name: ConsentName::AutodialedColl,
            value: ConsentValue::Revoked,
            created_at: Some(t("2025-06-01T12:00:00Z")),
            updated_at: Some(t("2026-02-20T14:30:00Z")),
        })
    );
    let recorded = s.recorded_consent(ConsentName::ContactServicememberUnitCollDebt).unwrap();
    assert_eq!((recorded.value, recorded.created_at, recorded.updated_at), (ConsentValue::Consented, None, None));
    assert_eq!(s.recorded_consent(ConsentName::ElectronicComms), None, "defaulted, not recorded");

    assert_eq!(s.loans()[0].status, Some(LoanStatus::Active));
    assert_eq!(s.loans()[0].loan_type.as_deref(), Some("personal"));
    assert_eq!(s.loans()[0].days_past_due, 45);
    assert_eq!(s.loans()[1].debt_type, DebtType::Student);
    assert!(s.loans()[1].time_barred);

    let case = &s.cases()[0];
    assert_eq!((case.case_type, case.status, case.outcome), (CaseType::CeaseCommunication, CaseStatus::Completed, Some(CaseOutcome::Approved)));
    assert_eq!(case.closed_at, Some(t("2026-01-05T15:00:00Z")));
    assert_eq!(case.loans, vec![1]);
    let dni = &case.do_not_interact[0];
    assert_eq!(dni.id.as_deref(), Some("DN-AAAA-0001"));
    assert_eq!(dni.channels, vec![Channel::Voice, Channel::Text]);
    assert_eq!(dni.themes, vec![Theme::OpsCollDebt]);
    assert!(dni.subjects.is_empty());
    assert_eq!(dni.contacts, vec![2]);
    assert_eq!(dni.expires_at, None);

    let call = &s.interactions()[0];
    assert_eq!((call.direction, call.status), (Direction::Outbound, InteractionStatus::Connected));
    assert_eq!(call.contact, Some(0));
    assert_eq!(call.loans, vec![0], "L1 is loan 0's externalId");
    assert!(call.is_autodialed);
    assert_eq!(call.end_at, Some(t("2026-03-09T14:05:00Z")));
    let notice = &s.interactions()[1];
    assert_eq!(notice.start_at, t("2026-03-08T00:00:00Z"), "a bare date is 00:00 UTC");
    assert_eq!(notice.theme, Some(Theme::OpsCollDebt), "implied by the overdue notice");
    assert_eq!(notice.contact, None);
    assert_eq!((call.previous, notice.previous), (None, Some(0)), "the notice follows the call");

    let r = s.request();
    assert_eq!(r.loans, vec![0, 1], "loanId and loanIds, union without repeats");
    assert_eq!(r.channel, Channel::Voice);
    assert_eq!(r.subject, Some(Subject::LoanOverdueSecondNotice));
    assert_eq!(r.theme, Some(Theme::OpsCollDebt));
    assert_eq!(r.start_at, t("2026-03-10T15:00:00Z"));
    assert_eq!(r.contact, 0);
    assert!(!r.contact_matched);
    assert_eq!(r.previous, Some(1), "the request answers the notice");
    assert_eq!(s.request_contact().id.as_deref(), Some("CT-AAAA-1111"));
    assert_eq!(s.request_loans().count(), 2);

    assert_eq!(
        expect,
        Some(Expect {
            result: Some(false),
            citations: Some(vec!["12 CFR 1006.14(b)(2)(i)".into()]),
            rules: Some(vec!["federal.reg_f.call_frequency".into()]),
            warnings: Some(vec!["federal.reg_f.time_barred_debt".into()]),
            muted: Some(Vec::new()),
            next_allowed_at: Some(Some(t("2026-03-12T13:00:00Z"))),
            exactly: true,
        })
    );
}

#[test]
fn load_document_tells_a_scenario_with_legal_cases_from_a_suite() {
    let Document::Scenario { scenario, expect } = load_document(FULL_YAML).unwrap() else {
        panic!("a scenario: it has a top-level request")
    };
    assert_eq!(scenario.cases().len(), 1);
    assert!(expect.is_some());
}

#[test]
fn defaults_are_applied() {
    let text = "
borrower: {id: '12345'}
contacts:
  - {id: CT-1, contactType: phone, value: '4155550100'}
  - {id: CT-2, contactType: address, address: {addressLine1: 1 Main St, state: MA}}
loans: [{id: LN-1}]
interactions:
  - {id: IN-1, channel: text, direction: inbound, status: delivered, startAt: 2026-03-09T14:00:00Z}
cases:
  - {id: CS-1, caseType: generic, status: initiated, doNotInteract: [{}]}
request: {channel: text, theme: opsServicing, contactId: CT-1, startAt: 2026-03-10T11:00:00-04:00}
";
    let (s, expect) = load_scenario(text).unwrap();
    assert_eq!(expect, None);
    assert_eq!(s.name(), None);
    assert_eq!(s.now(), t("2026-03-10T15:00:00Z"), "now defaults to request.startAt");
    assert_eq!(s.company().role, Role::Creditor);
    assert_eq!(s.company().timezone, None);
    assert_eq!(s.policy(), None);
    assert_eq!(s.borrower().person_type, PersonType::Person);
    let c = &s.contacts()[0];
    assert!(c.valid, "valid defaults to true");
    assert!(!c.verified && !c.receive_text_messages && !c.authorized_third_party && !c.power_of_attorney);
    assert_eq!((c.label, c.affiliation, c.status), (None, None, None));
    assert_eq!(s.contacts()[1].address.as_ref().unwrap().country_code, "US");
    let l = &s.loans()[0];
    assert_eq!((l.status, l.debt_type, l.time_barred, l.days_past_due), (None, DebtType::Consumer, false, 0));
    assert!(!s.interactions()[0].is_autodialed);
    assert_eq!(s.interactions()[0].theme, None);
    assert_eq!((s.interactions()[0].previous, s.request().previous), (None, None));
    let dni = &s.cases()[0].do_not_interact[0];
    assert!(dni.channels.is_empty() && dni.themes.is_empty() && dni.subjects.is_empty() && dni.contacts.is_empty());
    assert_eq!((dni.starts_at, dni.expires_at), (None, None));
    assert_eq!(s.cases()[0].outcome, None);
    assert!(!s.request().is_autodialed);
    assert!(s.request().loans.is_empty());
    assert_eq!(s.request().subject, None);
    // Consents: none given, the source's defaults.
    for name in [ConsentName::ElectronicComms, ConsentName::AutodialedColl] {
        assert_eq!(s.consent(name), ConsentValue::Consented);
        assert_eq!(s.recorded_consent(name), None, "a default is not a recorded consent");
    }
    for name in [ConsentName::ContactPersonWork, ConsentName::ExecuteWageAssignment, ConsentName::ContactServicememberUnitCollDebt] {
        assert_eq!(s.consent(name), ConsentValue::Revoked);
    }
}

#[test]
fn request_start_defaults_to_now_and_numeric_ids_are_text() {
    let text = "
now: 2026-03-10T15:00:00Z
borrower: {id: 12345}
contacts: [{id: 7, contactType: email, value: a@b.c}]
request: {channel: email, subject: annualPrivacyPolicyNotice, contactId: 7, isAutodialed: null}
";
    let (s, _) = load_scenario(text).unwrap();
    assert_eq!(s.request().start_at, s.now());
    assert_eq!(s.borrower().id, "12345");
    assert_eq!(s.contacts()[0].id.as_deref(), Some("7"));
    assert_eq!(s.request().theme, None, "this subject implies no theme");
    assert!(!s.request().is_autodialed, "null is absent");
}

const PEOPLE: &str = "
now: 2026-03-10T15:00:00Z
borrower: {id: BO-AAAA-1111}
contacts:
  - {id: CT-1, contactType: phone, value: '+1 415-555-0100', receiveTextMessages: true}
  - {id: CT-2, contactType: email, value: Pat.Doe@Example.com}
  - {id: CT-3, contactType: address, address: {addressLine1: 1 Main  St, city: Boston, state: MA}}
interactions:
  - {id: IN-1, channel: voice, direction: outbound, status: attempted, startAt: 2026-03-09T14:00:00Z, contactId: CT-9}
";

fn with_details(details: &str) -> Result<Scenario, String> {
    // The interaction refers to CT-9, which only an appended contactDetails with that id provides.
    let text = format!("{PEOPLE}request: {{channel: voice, theme: opsCollDebt, contactDetails: {details}}}\n");
    load_scenario(&text).map(|(s, _)| s).map_err(|e| e.to_string())
}

#[test]
fn contact_details_match_an_existing_contact() {
    let text = format!("{PEOPLE}request: {{channel: voice, theme: opsCollDebt, contactDetails: {{contactType: phone, value: '(415) 555 0100'}}}}\n")
        .replace("contactId: CT-9", "contactId: CT-1");
    let (s, _) = load_scenario(&text).unwrap();
    assert_eq!(s.contacts().len(), 3, "matched: nothing appended");
    assert_eq!(s.request().contact, 0);
    assert!(s.request().contact_matched);
    assert!(s.request_contact().receive_text_messages, "the existing contact is used as it is");

    let text = text.replace("{contactType: phone, value: '(415) 555 0100'}", "{contactType: email, value: ' pat.doe@example.COM '}");
    let (s, _) = load_scenario(&text).unwrap();
    assert_eq!((s.request().contact, s.request().contact_matched), (1, true));

    let text = text.replace("{contactType: email, value: ' pat.doe@example.COM '}", "{contactType: address, address: {addressLine1: 1 main st, city: BOSTON, state: MA}}");
    let (s, _) = load_scenario(&text).unwrap();
    assert_eq!((s.request().contact, s.request().contact_matched), (2, true));
}

#[test]
fn contact_details_that_match_nothing_are_appended() {
    // Same digits but another type (whatsApp): no match; the appended contact can be referred to by id.
    let s = with_details("{id: CT-9, contactType: whatsApp, value: '+14155550100', label: personal}").unwrap();
    assert_eq!(s.contacts().len(), 4);
    assert_eq!((s.request().contact, s.request().contact_matched), (3, false));
    let appended = s.request_contact();
    assert_eq!(appended.contact_type, ContactType::WhatsApp);
    assert_eq!(appended.label, Some(ContactLabel::Personal));
    assert!(appended.valid, "defaults apply to contactDetails too");
    assert_eq!(s.interactions()[0].contact, Some(3));

    let s = with_details("{id: CT-9, contactType: phone, value: '+1 415 555 0199'}").unwrap();
    assert_eq!((s.contacts().len(), s.request().contact, s.request().contact_matched), (4, 3, false));

    // Without an id the contact is still appended; the interaction's CT-9 then dangles.
    let err = with_details("{contactType: phone, value: '+1 415 555 0199'}").unwrap_err();
    assert!(err.starts_with("interactions[0].contactId: 'CT-9' does not name a contact"), "{err}");
}

const SUITE: &str = "
suite: Massachusetts call frequency
description: merged defaults
defaults:
  now: 2026-03-10T15:00:00Z
  company: {role: collector, timezone: America/New_York}
  borrower: {id: BO-AAAA-1111, personType: person}
  contacts:
    - {id: CT-AAAA-1111, contactType: phone, value: '+14155550100'}
    - {id: CT-AAAA-2222, contactType: phone, value: '+14155550101'}
  request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111}
  expect: {result: true}
cases:
  - name: defaults alone
  - name: list replaced, map merged
    description: contacts replaced; company and request merged key by key
    company: {role: servicer}
    contacts:
      - {id: CT-AAAA-3333, contactType: phone, value: '+14155550103'}
    request: {contactId: CT-AAAA-3333, isAutodialed: true}
    expect: {result: false, citations: ['940 CMR 7.04(1)(f)'], nextAllowedAt: null}
  - name: a null removes a default
    company: {timezone: null}
";

#[test]
fn suite_defaults_are_deep_merged() {
    let Document::Suite(suite) = load_document(SUITE).unwrap() else { panic!("a suite") };
    assert_eq!(suite.name, "Massachusetts call frequency");
    assert_eq!(suite.description.as_deref(), Some("merged defaults"));
    assert_eq!(suite.cases.len(), 3);

    let first = &suite.cases[0];
    assert_eq!((first.name.as_str(), first.index), ("defaults alone", 0));
    let (s, e) = first.result.as_ref().unwrap();
    assert_eq!(s.name(), Some("defaults alone"));
    assert_eq!(s.contacts().len(), 2);
    assert_eq!(s.company().role, Role::Collector);
    assert_eq!(e.as_ref().unwrap().result, Some(true));

    let second = &suite.cases[1];
    assert_eq!(second.description.as_deref(), Some("contacts replaced; company and request merged key by key"));
    let (s, e) = second.result.as_ref().unwrap();
    assert_eq!(s.contacts().len(), 1, "a list in the case replaces the default list");
    assert_eq!(s.contacts()[0].id.as_deref(), Some("CT-AAAA-3333"));
    assert_eq!(s.company().role, Role::Servicer, "the case's key wins");
    assert_eq!(s.company().timezone, Some(chrono_tz::America::New_York), "the default's other keys stay");
    assert_eq!(s.request().channel, Channel::Voice);
    assert_eq!(s.request().theme, Some(Theme::OpsCollDebt));
    assert!(s.request().is_autodialed);
    assert_eq!(s.request().contact, 0);
    let e = e.as_ref().unwrap();
    assert_eq!(e.result, Some(false));
    assert_eq!(e.citations, Some(vec!["940 CMR 7.04(1)(f)".to_string()]));
    assert_eq!((&e.rules, &e.warnings, &e.muted), (&None, &None, &None), "lists not given are not asserted");
    assert!(!e.exactly, "exactly defaults to false");
    assert_eq!(e.next_allowed_at, Some(None), "null asserts a null nextAllowedAt");

    let (s, e) = suite.cases[2].result.as_ref().unwrap();
    assert_eq!(s.company().timezone, None);
    assert_eq!(s.company().role, Role::Collector);
    assert_eq!(e.as_ref().unwrap().next_allowed_at, None, "not asserted");
}

#[test]
fn a_bad_case_does_not_hide_the_good_ones() {
    let text = format!(
        "{SUITE}  - name: broken\n    request: {{channel: vioce, contactId: CT-AAAA-9999}}\n    loans: [{{id: LN-1, daysPastDue: lots}}]\n  - name: fine again\n    request: {{channel: text}}\n"
    );
    let Document::Suite(suite) = load_document(&text).unwrap() else { panic!("a suite") };
    let outcomes: Vec<(&str, bool)> = suite.cases.iter().map(|c| (c.name.as_str(), c.result.is_ok())).collect();
    assert_eq!(
        outcomes,
        vec![
            ("defaults alone", true),
            ("list replaced, map merged", true),
            ("a null removes a default", true),
            ("broken", false),
            ("fine again", true),
        ]
    );
    let broken = &suite.cases[3];
    assert_eq!(broken.index, 3);
    insta::assert_snapshot!("bad_case_next_to_good_ones", broken.result.as_ref().unwrap_err().to_string());
    let (fine, _) = suite.cases[4].result.as_ref().unwrap();
    assert_eq!(fine.request().channel, Channel::Text);
}

#[test]
fn yaml_merge_keys_and_anchors_work() {
    let text = "
now: 2026-03-10T15:00:00Z
borrower: {id: ext-42}
contacts:
  - &phone {id: CT-1, contactType: phone, value: '4155550100', verified: true}
  - <<: *phone
    id: CT-2
    value: '4155550101'
request: {channel: voice, theme: opsCollDebt, contactId: CT-2}
";
    let (s, _) = load_scenario(text).unwrap();
    assert_eq!(s.borrower().id, "ext-42");
    assert!(s.contacts()[1].verified);
    assert_eq!(s.contacts()[1].value.as_deref(), Some("4155550101"));
}

/// The borrower's cell and a relative's phone share one number: which of them `contactDetails`
/// designates does not depend on the order of `contacts`.
#[test]
fn contact_details_matching_several_contacts_do_not_depend_on_their_order() {
    let contacts = [
        "  - {id: CT-SELF, contactType: phone, affiliation: self, label: home, value: '+1 415-555-0100'}\n",
        "  - {id: CT-MOM, contactType: phone, affiliation: parent, label: home, value: '4155550100'}\n",
    ];
    let load = |reversed: bool, details: &str| {
        let listed = if reversed { format!("{}{}", contacts[1], contacts[0]) } else { contacts.concat() };
        let text = format!("now: 2026-03-10T15:00:00Z\nborrower: {{id: BO-AAAA-1111}}\ncontacts:\n{listed}request: {{channel: voice, theme: opsCollDebt, contactDetails: {details}}}\n");
        load_scenario(&text).map(|(s, _)| s.request_contact().id.clone().unwrap()).map_err(|e| e.to_string())
    };
    for reversed in [false, true] {
        // An affiliation, or an id, that only one of them has says which.
        assert_eq!(load(reversed, "{contactType: phone, value: '4155550100', affiliation: self}").unwrap(), "CT-SELF");
        assert_eq!(load(reversed, "{contactType: phone, value: '4155550100', affiliation: parent}").unwrap(), "CT-MOM");
        assert_eq!(load(reversed, "{id: CT-MOM, contactType: phone, value: '4155550100'}").unwrap(), "CT-MOM");
        // A label both have, or nothing, leaves it ambiguous: an input error naming both.
        for details in ["{contactType: phone, value: '4155550100'}", "{contactType: phone, value: '4155550100', label: home}"] {
            let err = load(reversed, details).unwrap_err();
            assert!(err.starts_with("request.contactDetails: matches 2 contacts with this value ("), "{err}");
            assert!(err.contains("(CT-SELF)") && err.contains("(CT-MOM)") && err.contains("give contactId"), "{err}");
        }
    }
}

/// Military mail (AA, AE, AP) and the freely associated states (FM, MH, PW) are USPS codes of
/// US addresses; a code that is neither is refused with the nearest one.
#[test]
fn military_and_freely_associated_usps_codes_are_states_of_us_addresses() {
    let with_state = |state: &str| {
        let text = format!("now: 2026-03-10T15:00:00Z\nborrower: {{id: BO-AAAA-1111}}\ncontacts: [{{id: CT-1, contactType: address, affiliation: self, address: {{addressLine1: Unit 2050 Box 4190, city: APO, state: {state}, postalCode: '09002'}}}}]\nrequest: {{channel: mail, theme: opsCollDebt, contactId: CT-1}}\n");
        load_scenario(&text).map(|_| ()).map_err(|e| e.to_string())
    };
    for state in ["AA", "AE", "AP", "FM", "MH", "PW"] {
        assert_eq!(with_state(state), Ok(()), "{state}");
    }
    assert_eq!(with_state("NYY").unwrap_err(), "contacts[0].address.state: 'NYY' is not a USPS state code, did you mean 'NY'?");
}
