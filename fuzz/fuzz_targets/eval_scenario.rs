//! Arbitrary structured scenarios, written out as JSON, loaded and decided against the shipped
//! rules (`rules/`, with the `acme_lending` policy or none). Beyond never panicking, each
//! decision must be deterministic, independent of the order of every input list, and, when it
//! names a `nextAllowedAt`, allowed at that instant; `allows` and `explain` agree with `decide`.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{DateTime, Duration, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use rulec_eval::Engine;
use rulec_model::{
    Affiliation, CaseOutcome, CaseStatus, CaseType, Channel, ConsentName, ConsentValue, ContactLabel,
    ContactStatus, ContactType, DebtType, Direction, InteractionStatus, LoanStatus, PersonType, Role,
    Subject, Theme, Vocabulary,
};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
        Engine::from_dir(&dir).unwrap_or_else(|e| panic!("the shipped rules load: {e}"))
    })
}

fn pick<V: Vocabulary>(b: u8) -> &'static str {
    V::NAMES[b as usize % V::NAMES.len()]
}

const ZONES: &[&str] = &["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Pacific/Honolulu", "America/Anchorage", "America/Phoenix", "Europe/London"];
const STATES: &[&str] = &["MA", "NY", "CA", "TX", "FL", "HI", "AK", "AZ", "IL", "DC", "PR", "AE", "FM"];
const PHONES: &[&str] = &["+16175550100", "+12125550100", "+13105550100", "+18085550100", "+19075550100", "+16025550100", "5550100", "+442071234567"];

#[derive(Arbitrary, Debug)]
struct Input {
    now_minutes: u32,
    role: Option<u8>,
    policy: Option<bool>,
    borrower_zone: Option<u8>,
    person_type: Option<u8>,
    birth_days: Option<u16>,
    contacts: Vec<ContactIn>,
    /// (name, value, minutes before now it last changed).
    consents: Vec<(u8, u8, Option<u32>)>,
    loans: Vec<LoanIn>,
    cases: Vec<CaseIn>,
    interactions: Vec<InteractionIn>,
    request: RequestIn,
}

#[derive(Arbitrary, Debug)]
struct ContactIn {
    kind: u8,
    label: Option<u8>,
    affiliation: Option<u8>,
    value: u8,
    state: Option<u8>,
    flags: u8,
    status: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct LoanIn {
    status: Option<u8>,
    debt_type: Option<u8>,
    time_barred: bool,
    days_past_due: Option<u16>,
}

#[derive(Arbitrary, Debug)]
struct CaseIn {
    case_type: u8,
    status: u8,
    outcome: Option<u8>,
    created_minutes_ago: Option<u32>,
    open_minutes: Option<u32>,
    loans: Vec<u8>,
    dni: Vec<DniIn>,
}

#[derive(Arbitrary, Debug)]
struct DniIn {
    channels: Vec<u8>,
    themes: Vec<u8>,
    subjects: Vec<u8>,
    contacts: Vec<u8>,
    starts_minutes_ago: Option<u32>,
    lasts_minutes: Option<u32>,
}

#[derive(Arbitrary, Debug)]
struct InteractionIn {
    channel: u8,
    direction: u8,
    theme: Option<u8>,
    subject: Option<u8>,
    status: u8,
    minutes_ago: i32,
    duration: Option<u16>,
    contact: Option<u8>,
    loans: Vec<u8>,
    autodialed: bool,
    /// `previousInteractionId`: an index among the generated interactions.
    previous: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct RequestIn {
    channel: u8,
    theme: Option<u8>,
    subject: Option<u8>,
    contact: u8,
    loans: Vec<u8>,
    autodialed: bool,
    start_in_minutes: Option<u16>,
    previous: Option<u8>,
    /// Name the contact by `contactDetails` (its type and value, and maybe an affiliation)
    /// instead of `contactId`: several contacts may match.
    details: Option<Option<u8>>,
}

fn time(t: DateTime<Utc>) -> Value {
    Value::String(t.to_rfc3339())
}

fn obj(pairs: Vec<(&str, Option<Value>)>) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        if let Some(v) = v {
            map.insert(k.to_string(), v);
        }
    }
    Value::Object(map)
}

fn ids(refs: &[u8], prefix: &str, n: usize) -> Option<Value> {
    if n == 0 || refs.is_empty() {
        return None;
    }
    // Repeats kept: a list may name one record twice (the loader keeps it once).
    let out: Vec<String> = refs.iter().map(|r| format!("{prefix}-{:04}", *r as usize % n)).collect();
    Some(json!(out))
}

fn scenario(input: &Input) -> Value {
    let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("valid");
    let now = base + Duration::minutes(i64::from(input.now_minutes % (2 * 366 * 24 * 60)));
    let contacts: Vec<&ContactIn> = input.contacts.iter().collect();
    let mut contact_values: Vec<Value> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let kind = pick::<ContactType>(c.kind);
            let address = c.state.map(|s| json!({"state": STATES[s as usize % STATES.len()]}));
            let value = match kind {
                "email" => json!(format!("b{}@example.com", c.value % 4)),
                "address" => json!(format!("{} Main St", c.value % 4)),
                _ => json!(PHONES[c.value as usize % PHONES.len()]),
            };
            obj(vec![
                ("id", Some(json!(format!("CT-FUZZ-{i:04}")))),
                ("contactType", Some(json!(kind))),
                ("label", c.label.map(|b| json!(pick::<ContactLabel>(b)))),
                ("affiliation", c.affiliation.map(|b| json!(pick::<Affiliation>(b)))),
                ("value", Some(value)),
                ("address", address),
                ("valid", Some(json!(c.flags & 1 == 0))),
                ("verified", Some(json!(c.flags & 2 != 0))),
                ("receiveTextMessages", Some(json!(c.flags & 4 != 0))),
                ("authorizedThirdParty", Some(json!(c.flags & 8 != 0))),
                ("powerOfAttorney", Some(json!(c.flags & 16 != 0))),
                ("status", c.status.map(|b| json!(pick::<ContactStatus>(b)))),
            ])
        })
        .collect();
    if contact_values.is_empty() {
        contact_values.push(json!({"id": "CT-FUZZ-0000", "contactType": "phone", "value": PHONES[0], "affiliation": "self"}));
    }
    let n_contacts = contact_values.len();
    let n_loans = input.loans.len();
    let loans: Vec<Value> = input
        .loans
        .iter()
        .enumerate()
        .map(|(i, l)| {
            obj(vec![
                ("id", Some(json!(format!("LN-FUZZ-{i:04}")))),
                ("status", l.status.map(|b| json!(pick::<LoanStatus>(b)))),
                ("debtType", l.debt_type.map(|b| json!(pick::<DebtType>(b)))),
                ("timeBarred", Some(json!(l.time_barred))),
                ("daysPastDue", l.days_past_due.map(|d| json!(d))),
            ])
        })
        .collect();
    let mut seen = Vec::new();
    let consents: Vec<Value> = input
        .consents
        .iter()
        .filter_map(|(n, v, changed)| {
            let name = pick::<ConsentName>(*n);
            if seen.contains(&name) {
                return None;
            }
            seen.push(name);
            let changed = changed.map(|m| time(now - Duration::minutes(i64::from(m % (60 * 24 * 60)))));
            Some(obj(vec![("name", Some(json!(name))), ("value", Some(json!(pick::<ConsentValue>(*v)))), ("updatedAt", changed)]))
        })
        .collect();
    let cases: Vec<Value> = input
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let created = c.created_minutes_ago.map(|m| now - Duration::minutes(i64::from(m % (400 * 24 * 60))));
            let closed = match (created, c.open_minutes) {
                (Some(t), Some(m)) => Some(t + Duration::minutes(i64::from(m % (400 * 24 * 60)))),
                _ => None,
            };
            let dni: Vec<Value> = c
                .dni
                .iter()
                .map(|d| {
                    let starts = d.starts_minutes_ago.map(|m| now - Duration::minutes(i64::from(m % (60 * 24 * 60))));
                    let expires = match (starts, d.lasts_minutes) {
                        (Some(t), Some(m)) => Some(t + Duration::minutes(i64::from(m % (120 * 24 * 60)))),
                        _ => None,
                    };
                    let list = |v: &[u8], f: fn(u8) -> &'static str| {
                        let mut out: Vec<&str> = v.iter().map(|b| f(*b)).collect();
                        out.sort_unstable();
                        out.dedup();
                        (!out.is_empty()).then(|| json!(out))
                    };
                    obj(vec![
                        ("channels", list(&d.channels, pick::<Channel>)),
                        ("themes", list(&d.themes, pick::<Theme>)),
                        ("subjects", list(&d.subjects, pick::<Subject>)),
                        ("contactIds", ids(&d.contacts, "CT-FUZZ", n_contacts)),
                        ("startsAt", starts.map(time)),
                        ("expiresAt", expires.map(time)),
                    ])
                })
                .collect();
            obj(vec![
                ("id", Some(json!(format!("CS-FUZZ-{i:04}")))),
                ("caseType", Some(json!(pick::<CaseType>(c.case_type)))),
                ("status", Some(json!(pick::<CaseStatus>(c.status)))),
                ("outcome", c.outcome.map(|b| json!(pick::<CaseOutcome>(b)))),
                ("createdAt", created.map(time)),
                ("closedAt", closed.map(time)),
                ("loanIds", ids(&c.loans, "LN-FUZZ", n_loans)),
                ("doNotInteract", (!dni.is_empty()).then(|| json!(dni))),
            ])
        })
        .collect();
    let n_interactions = input.interactions.len();
    let previous = |p: Option<u8>, own: Option<usize>| {
        p.map(|p| p as usize % n_interactions.max(1)).filter(|p| n_interactions > 0 && Some(*p) != own).map(|p| json!(format!("IN-FUZZ-{p:04}")))
    };
    let interactions: Vec<Value> = input
        .interactions
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let start = now - Duration::minutes(i64::from(x.minutes_ago % (40 * 24 * 60)));
            obj(vec![
                ("id", Some(json!(format!("IN-FUZZ-{i:04}")))),
                ("channel", Some(json!(pick::<Channel>(x.channel)))),
                ("direction", Some(json!(pick::<Direction>(x.direction)))),
                ("theme", x.theme.map(|b| json!(pick::<Theme>(b)))),
                ("subject", x.subject.map(|b| json!(pick::<Subject>(b)))),
                ("status", Some(json!(pick::<InteractionStatus>(x.status)))),
                ("startAt", Some(time(start))),
                ("endAt", x.duration.map(|d| time(start + Duration::minutes(i64::from(d % 240))))),
                ("contactId", x.contact.map(|c| json!(format!("CT-FUZZ-{:04}", c as usize % n_contacts)))),
                ("loanIds", ids(&x.loans, "LN-FUZZ", n_loans)),
                ("isAutodialed", Some(json!(x.autodialed))),
                ("previousInteractionId", previous(x.previous, Some(i))),
            ])
        })
        .collect();
    let r = &input.request;
    let request = obj(vec![
        ("channel", Some(json!(pick::<Channel>(r.channel)))),
        ("theme", r.theme.map(|b| json!(pick::<Theme>(b))).or_else(|| r.subject.is_none().then(|| json!("opsCollDebt")))),
        ("subject", r.subject.map(|b| json!(pick::<Subject>(b)))),
        ("contactId", r.details.is_none().then(|| json!(format!("CT-FUZZ-{:04}", r.contact as usize % n_contacts)))),
        (
            "contactDetails",
            r.details.map(|affiliation| {
                let chosen = &contact_values[r.contact as usize % n_contacts];
                obj(vec![
                    ("contactType", chosen.get("contactType").cloned()),
                    ("value", chosen.get("value").cloned()),
                    ("affiliation", affiliation.map(|b| json!(pick::<Affiliation>(b)))),
                ])
            }),
        ),
        ("loanIds", ids(&r.loans, "LN-FUZZ", n_loans)),
        ("isAutodialed", Some(json!(r.autodialed))),
        ("startAt", r.start_in_minutes.map(|m| time(now + Duration::minutes(i64::from(m % (3 * 24 * 60)))))),
        ("previousInteractionId", previous(r.previous, None)),
    ]);
    obj(vec![
        ("now", Some(time(now))),
        ("company", input.role.map(|b| json!({"role": pick::<Role>(b)}))),
        ("policy", input.policy.map(|real| json!(if real { "acme_lending" } else { "no_such_policy" }))),
        (
            "borrower",
            Some(obj(vec![
                ("id", Some(json!("BO-FUZZ-0001"))),
                ("personType", input.person_type.map(|b| json!(pick::<PersonType>(b)))),
                ("timezone", input.borrower_zone.map(|z| json!(ZONES[z as usize % ZONES.len()]))),
                ("dateOfBirth", input.birth_days.map(|d| json!((now.date_naive() - Duration::days(i64::from(d))).to_string()))),
            ])),
        ),
        ("contacts", Some(json!(contact_values))),
        ("consents", Some(json!(consents))),
        ("loans", Some(json!(loans))),
        ("cases", Some(json!(cases))),
        ("interactions", Some(json!(interactions))),
        ("request", Some(request)),
    ])
}

/// The same scenario with every input list reversed (ids, and so references, unchanged).
fn reversed(mut value: Value) -> Value {
    for list in ["contacts", "consents", "loans", "cases", "interactions"] {
        if let Some(Value::Array(items)) = value.get_mut(list) {
            items.reverse();
        }
    }
    if let Some(Value::Array(cases)) = value.get_mut("cases") {
        for case in cases {
            if let Some(Value::Array(dni)) = case.get_mut("doNotInteract") {
                dni.reverse();
            }
        }
    }
    value
}

fn load(value: &Value) -> Option<rulec_scenario::Scenario> {
    let text = serde_json::to_string(value).expect("serializes");
    rulec_scenario::load_scenario(&text).ok().map(|(s, _)| s)
}

fuzz_target!(|input: Input| {
    let value = scenario(&input);
    let Some(scenario) = load(&value) else { return };
    let engine = engine();
    let Ok(decision) = engine.decide(&scenario) else { return };
    let _ = serde_json::to_string(&decision.to_json()).expect("the decision serializes");
    assert_eq!(engine.decide(&scenario).as_ref(), Ok(&decision), "not deterministic");
    assert_eq!(engine.allows(&scenario), Ok(decision.result), "allows disagrees with decide\n{value}");
    let explained = engine.explain(&scenario).expect("explains");
    assert_eq!(explained.to_json(), decision.to_json(), "explain disagrees with decide\n{value}");

    let other = load(&reversed(value.clone())).expect("a reordered valid scenario is valid");
    let reordered = engine.decide(&other).expect("decides");
    assert_eq!(decision.result, reordered.result, "order changed the result\n{value}");
    assert_eq!(decision.to_json(), reordered.to_json(), "order changed the decision\n{value}");

    if let Some(next) = decision.next_allowed_at {
        assert!(next >= scenario.now(), "nextAllowedAt before now\n{value}");
        // "If nothing else happens meanwhile": interactions dated after `now` (scheduled ones)
        // are not counted by this decision, and are left out when it is re-evaluated later.
        let mut later_value = value.clone();
        let now = scenario.now();
        let mut kept = std::collections::HashSet::new();
        if let Some(Value::Array(items)) = later_value.get_mut("interactions") {
            items.retain(|x| {
                x.get("startAt")
                    .and_then(Value::as_str)
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .is_some_and(|t| t.with_timezone(&Utc) <= now)
            });
            kept = items.iter().filter_map(|x| x.get("id").and_then(Value::as_str).map(str::to_string)).collect();
        }
        // A reply to an interaction left out answers nothing that had happened (a reply counts
        // only to an inbound contact that started no later than it): its reference goes too.
        let forget_dangling = |item: &mut Value| {
            if let Some(map) = item.as_object_mut() {
                if map.get("previousInteractionId").and_then(Value::as_str).is_some_and(|id| !kept.contains(id)) {
                    map.remove("previousInteractionId");
                }
            }
        };
        if let Some(Value::Array(items)) = later_value.get_mut("interactions") {
            items.iter_mut().for_each(forget_dangling);
        }
        if let Some(request) = later_value.get_mut("request") {
            forget_dangling(request);
        }
        let mut later = load(&later_value).expect("the scenario less some interactions is valid");
        later.set_now(next).expect("a release is an instant the scenario holds");
        let again = engine.decide(&later).expect("decides");
        assert!(again.result, "blocked again at nextAllowedAt {next}: {:?}\n{value}", again.blocked_by);
    }
});
