//! Properties every decision must have, checked with proptest over generated scenarios decided
//! against the shipped federal rules and Massachusetts' (a failure shrinks to a small scenario,
//! printed as JSON):
//! - the decision does not depend on the order of any input list (contacts, consents, loans,
//!   cases and their Do Not Interacts, interactions, and every list of ids);
//! - one more past call never turns a decision blocked by a frequency rule into allowed;
//! - a mute changes nothing but the muted rule's place in the decision (and its part in
//!   `nextAllowedAt`, which can only come sooner);
//! - `nextAllowedAt` re-evaluates to allowed, and one second earlier is still blocked.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rulec_eval::{Decision, Engine};
use rulec_model::{
    Affiliation, CaseStatus, CaseType, Channel, ConsentName, ConsentValue, ContactLabel, Direction, InteractionStatus,
    LoanStatus, Role, Theme, Vocabulary,
};
use rulec_syntax::SourceFile;
use rulec_testkit::{rule_files, workspace_root, XorShift};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

// ---------------------------------------------------------------- the rules

/// Rules that use every construct of the second edition, so that the properties hold for them
/// whatever the shipped library uses.
const CONSTRUCTS: &str = r#"jurisdiction federal

rule federal.props.per_person_replies {
  title "Four unrequested calls in a day to one person about one debt"
  binds every role
  applies when channel is voice
  blocks when count of calls where direction is outbound and not replies to inbound within 7 days
      in the last 1 days about this loan to this person >= 4
  unless replies to inbound within 2 hours
}

rule federal.props.exclusive_eastern_hours {
  title "Calls not after 8 a.m. and before 9 p.m. eastern time"
  binds every role
  applies when channel is voice
  blocks when time in America/New_York is outside after 08:00 and before 21:00:30
}

rule federal.props.revocation {
  title "Calls 10 business days after a revocation"
  binds every role
  blocks when consent autodialedColl is revoked for at least 10 business days
      or consent contactPersonWork is recorded revoked for less than 3 calendar days
}

rule federal.props.notice_grace {
  title "Contact 72 hours after a notice about the debt, of a borrower who was a minor then"
  binds every role
  blocks when any case where caseType in {attorneyRepresentation, ceaseCommunication}
          and createdAt is at least 72 hours ago
          and not closedAt is less than 2 days ago
      about this loan
      or any case where caseType is deceased and borrower.age at createdAt < 18
}
"#;

/// The shipped federal rules and Massachusetts', as the CLI names them, and [`CONSTRUCTS`].
fn library() -> Vec<SourceFile> {
    let root = workspace_root();
    let mut files = rule_files(&root.join("rules/federal"));
    files.push(root.join("rules/states/MA.rules"));
    let mut sources: Vec<SourceFile> = files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            SourceFile::new(format!("rules/{}", rulec_testkit::relative(&p, &root.join("rules"))), text)
        })
        .collect();
    sources.push(SourceFile::new("rules/federal/props_constructs.rules", CONSTRUCTS));
    sources
}

/// The policy that applies the regulatory rules and mutes `rule` (none when `None`).
fn policy(name: &str, rule: Option<&str>) -> SourceFile {
    let mut text = format!("policy {name}\n\nuse federal, states\n");
    if let Some(rule) = rule {
        text.push_str(&format!("\nmute {rule} {{\n  reason \"r\"\n  approved by \"a\"\n  until 2099-12-31\n}}\n"));
    }
    SourceFile::new(format!("rules/policies/{name}.policy"), text)
}

/// The engine over the library, with `plain` (no mute) and `mute_N` muting the library's N-th
/// rule; and the rule ids.
fn engine() -> &'static (Engine, Vec<String>) {
    static ENGINE: OnceLock<(Engine, Vec<String>)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let library = library();
        let plain = Engine::from_sources(library.clone()).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<String> = plain.rule_set().rules.iter().map(|r| r.id.clone()).collect();
        let mut sources = library;
        sources.push(policy("plain", None));
        for (i, id) in ids.iter().enumerate() {
            sources.push(policy(&format!("mute_{i}"), Some(id)));
        }
        (Engine::from_sources(sources).unwrap_or_else(|e| panic!("{e}")), ids)
    })
}

// ---------------------------------------------------------------- generated scenarios

fn name<V: Vocabulary>() -> impl Strategy<Value = &'static str> + Clone {
    proptest::sample::select(V::NAMES)
}

const ZONES: &[&str] = &["America/New_York", "America/Chicago", "America/Los_Angeles", "Pacific/Honolulu"];
const STATES: &[&str] = &["MA", "NY", "CA", "FL", "TX"];
const PHONES: &[&str] = &["+16175550100", "+12125550100", "+13105550100", "+18085550100"];

/// (case type, status, loans, Do Not Interacts as (channels, minutes they last), minutes before
/// now it was created and closed).
type GeneratedCase = (&'static str, &'static str, Vec<usize>, Vec<(Vec<&'static str>, Option<i64>)>, (Option<i64>, Option<i64>));

/// (channel, direction, status, minutes before now, contact, loans, theme, the interaction it
/// follows (an index among those generated)).
type GeneratedInteraction = (&'static str, &'static str, &'static str, i64, usize, Vec<usize>, Option<&'static str>, Option<usize>);

#[derive(Clone, Debug)]
struct Generated {
    /// Minutes after 2026-01-05T00:00Z.
    now: i64,
    role: &'static str,
    zone: Option<&'static str>,
    /// Extra contacts besides the borrower's own phone: (type, state or phone index, label).
    contacts: Vec<(u8, usize, Option<&'static str>, &'static str)>,
    /// (name, value, minutes before now it last changed).
    consents: Vec<(&'static str, &'static str, Option<i64>)>,
    /// Days before 2026-01-05 the borrower was born.
    born: Option<i64>,
    loans: Vec<(u16, Option<&'static str>)>,
    cases: Vec<GeneratedCase>,
    interactions: Vec<GeneratedInteraction>,
    request: (&'static str, &'static str, usize, Vec<usize>, Option<usize>),
}

fn generated() -> impl Strategy<Value = Generated> {
    let contact = (0u8..3, 0usize..8, proptest::option::of(name::<ContactLabel>()), name::<Affiliation>());
    let consent = (name::<ConsentName>(), name::<ConsentValue>(), proptest::option::of(1i64..60 * 24 * 30));
    let loan = (0u16..400, proptest::option::of(name::<LoanStatus>()));
    let dni = (proptest::collection::vec(name::<Channel>(), 0..3), proptest::option::of(1i64..60 * 24 * 30));
    let dates = (proptest::option::of(1i64..60 * 24 * 10), proptest::option::of(1i64..60 * 24 * 5));
    let case = (name::<CaseType>(), name::<CaseStatus>(), proptest::collection::vec(0usize..3, 0..3), proptest::collection::vec(dni, 0..3), dates);
    let channels = prop_oneof![4 => Just("voice"), 1 => name::<Channel>()];
    let statuses = prop_oneof![3 => proptest::sample::select(&["attempted", "connected"][..]), 1 => name::<InteractionStatus>()];
    let interaction = (
        channels.clone(),
        prop_oneof![4 => Just("outbound"), 1 => name::<Direction>()],
        statuses,
        prop_oneof![2 => 1i64..60 * 24 * 7, 1 => 1i64..60 * 24 * 30],
        0usize..4,
        proptest::collection::vec(0usize..3, 0..3),
        proptest::option::of(name::<Theme>()),
        proptest::option::of(0usize..24),
    );
    (
        0i64..60 * 24 * 300,
        name::<Role>(),
        proptest::option::of(proptest::sample::select(ZONES)),
        proptest::collection::vec(contact, 0..3),
        proptest::collection::vec(consent, 0..4),
        proptest::collection::vec(loan, 1..3),
        proptest::collection::vec(case, 0..3),
        proptest::collection::vec(interaction, 0..24),
        (
            channels,
            prop_oneof![3 => Just("opsCollDebt"), 1 => name::<Theme>()],
            0usize..4,
            proptest::collection::vec(0usize..3, 0..2),
            proptest::option::of(0usize..24),
        ),
        proptest::option::of(0i64..365 * 30),
    )
        .prop_map(|(now, role, zone, contacts, consents, loans, cases, interactions, request, born)| Generated {
            now,
            role,
            zone,
            contacts,
            consents,
            born,
            loans,
            cases,
            interactions,
            request,
        })
}

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).single().expect("a valid instant")
}

fn time(t: DateTime<Utc>) -> Value {
    json!(t.to_rfc3339())
}

impl Generated {
    fn now(&self) -> DateTime<Utc> {
        base() + Duration::minutes(self.now)
    }

    fn contact_count(&self) -> usize {
        1 + self.contacts.len()
    }

    fn loan_ids(&self, refs: &[usize]) -> Vec<String> {
        let mut ids: Vec<String> = refs.iter().map(|r| format!("LN-GEN-{:04}", r % self.loans.len())).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// The scenario as JSON, at `now`, with the order of every list as `order` says (`None`:
    /// as generated).
    fn json(&self, now: DateTime<Utc>, order: Option<u64>) -> Value {
        let mut rng = order.map(XorShift::new);
        let mut shuffle = |items: &mut Vec<Value>| {
            if let Some(rng) = rng.as_mut() {
                for i in (1..items.len()).rev() {
                    items.swap(i, rng.below(i + 1));
                }
            }
        };
        let mut contacts = vec![json!({"id": "CT-GEN-0000", "contactType": "phone", "value": PHONES[0], "affiliation": "self", "label": "personal"})];
        for (i, (kind, n, label, affiliation)) in self.contacts.iter().enumerate() {
            let mut c = Map::new();
            c.insert("id".into(), json!(format!("CT-GEN-{:04}", i + 1)));
            match kind {
                0 => {
                    c.insert("contactType".into(), json!("phone"));
                    c.insert("value".into(), json!(PHONES[n % PHONES.len()]));
                }
                1 => {
                    c.insert("contactType".into(), json!("email"));
                    c.insert("value".into(), json!(format!("b{n}@example.com")));
                }
                _ => {
                    c.insert("contactType".into(), json!("address"));
                    c.insert("address".into(), json!({"state": STATES[n % STATES.len()]}));
                }
            }
            if let Some(label) = label {
                c.insert("label".into(), json!(label));
            }
            c.insert("affiliation".into(), json!(affiliation));
            contacts.push(Value::Object(c));
        }
        shuffle(&mut contacts);
        let mut seen = Vec::new();
        let mut consents: Vec<Value> = self
            .consents
            .iter()
            .filter(|(n, _, _)| {
                let fresh = !seen.contains(n);
                seen.push(*n);
                fresh
            })
            .map(|(n, v, changed)| match changed {
                Some(minutes) => json!({"name": n, "value": v, "updatedAt": time(self.now() - Duration::minutes(*minutes))}),
                None => json!({"name": n, "value": v}),
            })
            .collect();
        shuffle(&mut consents);
        let mut loans: Vec<Value> = self
            .loans
            .iter()
            .enumerate()
            .map(|(i, (dpd, status))| {
                let mut l = json!({"id": format!("LN-GEN-{i:04}"), "daysPastDue": dpd});
                if let Some(status) = status {
                    l["status"] = json!(status);
                }
                l
            })
            .collect();
        shuffle(&mut loans);
        let mut cases: Vec<Value> = Vec::new();
        for (i, (case_type, status, loan_refs, dnis, (created, closed))) in self.cases.iter().enumerate() {
            let mut loan_ids: Vec<Value> = self.loan_ids(loan_refs).into_iter().map(Value::from).collect();
            shuffle(&mut loan_ids);
            let mut dni_values: Vec<Value> = Vec::new();
            for (j, (channels, lasts)) in dnis.iter().enumerate() {
                let mut channels: Vec<&str> = channels.clone();
                channels.sort_unstable();
                channels.dedup();
                let mut channels: Vec<Value> = channels.into_iter().map(Value::from).collect();
                shuffle(&mut channels);
                let starts = self.now() - Duration::days(3);
                let mut d = json!({"id": format!("DN-GEN-{i}{j:03}"), "channels": channels, "startsAt": time(starts)});
                if let Some(minutes) = lasts {
                    d["expiresAt"] = time(starts + Duration::minutes(*minutes));
                }
                dni_values.push(d);
            }
            shuffle(&mut dni_values);
            let mut case = json!({
                "id": format!("CS-GEN-{i:04}"),
                "caseType": case_type,
                "status": status,
                "loanIds": loan_ids,
                "doNotInteract": dni_values,
            });
            if let Some(minutes) = created {
                case["createdAt"] = time(self.now() - Duration::minutes(*minutes));
            }
            // A case closes after it opens.
            if let Some(minutes) = closed {
                let minutes = created.map_or(*minutes, |c| c.min(*minutes));
                case["closedAt"] = time(self.now() - Duration::minutes(minutes));
            }
            cases.push(case);
        }
        shuffle(&mut cases);
        let mut interactions: Vec<Value> = Vec::new();
        for (i, (channel, direction, status, ago, contact, loan_refs, theme, previous)) in self.interactions.iter().enumerate() {
            let mut loan_ids: Vec<Value> = self.loan_ids(loan_refs).into_iter().map(Value::from).collect();
            shuffle(&mut loan_ids);
            let mut x = json!({
                "id": format!("IN-GEN-{i:04}"),
                "channel": channel,
                "direction": direction,
                "status": status,
                "startAt": time(self.now() - Duration::minutes(*ago)),
                "contactId": format!("CT-GEN-{:04}", contact % self.contact_count()),
                "loanIds": loan_ids,
            });
            if let Some(theme) = theme {
                x["theme"] = json!(theme);
            }
            if let Some(p) = previous.map(|p| p % self.interactions.len()).filter(|p| *p != i) {
                x["previousInteractionId"] = json!(format!("IN-GEN-{p:04}"));
            }
            interactions.push(x);
        }
        shuffle(&mut interactions);
        let (channel, theme, contact, loan_refs, previous) = &self.request;
        let mut request_loans: Vec<Value> = self.loan_ids(loan_refs).into_iter().map(Value::from).collect();
        shuffle(&mut request_loans);
        let mut borrower = json!({"id": "BO-GENE-0001"});
        if let Some(zone) = self.zone {
            borrower["timezone"] = json!(zone);
        }
        if let Some(days) = self.born {
            borrower["dateOfBirth"] = json!((base() - Duration::days(days)).date_naive().to_string());
        }
        let mut request = json!({"channel": channel, "theme": theme, "contactId": format!("CT-GEN-{:04}", contact % self.contact_count()), "loanIds": request_loans});
        if let Some(p) = previous.filter(|_| !self.interactions.is_empty()) {
            request["previousInteractionId"] = json!(format!("IN-GEN-{:04}", p % self.interactions.len()));
        }
        json!({
            "now": time(now),
            "company": {"role": self.role},
            "borrower": borrower,
            "contacts": contacts,
            "consents": consents,
            "loans": loans,
            "cases": cases,
            "interactions": interactions,
            "request": request,
        })
    }
}

/// Loads and decides a scenario under `policy`.
fn decide(scenario: &Value, policy: Option<&str>) -> Result<Decision, TestCaseError> {
    let text = serde_json::to_string(scenario).expect("JSON");
    let (mut loaded, _) = rulec_scenario::load_scenario(&text)
        .map_err(|e| TestCaseError::fail(format!("the generator wrote an invalid scenario: {e}\n{text}")))?;
    loaded.set_policy(policy.map(str::to_string));
    let decision = engine().0.decide(&loaded).map_err(|e| TestCaseError::fail(e.message))?;
    // The verdict-only path agrees with the full decision on every generated scenario.
    let allows = engine().0.allows(&loaded).map_err(|e| TestCaseError::fail(e.message))?;
    prop_assert_eq!(allows, decision.result, "Engine::allows disagrees with Engine::decide");
    let screen = engine().0.screen(&loaded).map_err(|e| TestCaseError::fail(e.message))?;
    let blocking: Vec<&str> = decision.blocked_by.iter().map(|f| f.rule.as_str()).collect();
    prop_assert_eq!((screen.allowed(), screen.blocked_by()), (decision.result, blocking), "Engine::screen disagrees with Engine::decide");
    // The traced path re-checks every blocking rule in force at each round of `nextAllowedAt`;
    // the screen's leaves out the rules whose "no" cannot change as time passes: same decision.
    let explained = engine().0.explain(&loaded).map_err(|e| TestCaseError::fail(e.message))?;
    prop_assert_eq!(&Decision { trace: Vec::new(), ..explained }, &decision, "Engine::explain disagrees with Engine::decide\n{}", text);
    Ok(decision)
}

/// Rules that count past interactions: one more call can only make them block more.
fn is_frequency_rule(id: &str) -> bool {
    id.contains("frequency")
}

proptest! {
    // PROPTEST_CASES=N runs a longer campaign.
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128), ..ProptestConfig::default() })]

    #[test]
    fn decision_does_not_depend_on_input_order(g in generated(), order in any::<u64>()) {
        let as_given = g.json(g.now(), None);
        let reordered = g.json(g.now(), Some(order));
        for policy in [None, Some("plain")] {
            let a = decide(&as_given, policy)?;
            let b = decide(&reordered, policy)?;
            prop_assert_eq!(a.to_json(), b.to_json(), "\n{}\n{}", as_given, reordered);
        }
    }

    #[test]
    fn one_more_past_call_never_allows_a_frequency_block(g in generated(), ago in 1i64..60 * 24 * 7, connected in any::<bool>()) {
        let before = decide(&g.json(g.now(), None), None)?;
        let mut more = g.clone();
        // References to earlier interactions are drawn as any number and taken modulo the
        // list's length when written: fix them to what they name now, or the added call would
        // move them (a reply that named a call of ours would come to name the borrower's
        // e-mail, and stop counting: a different history, not one more call).
        let n = g.interactions.len();
        for x in &mut more.interactions {
            x.7 = x.7.map(|p| p % n);
        }
        more.request.4 = more.request.4.filter(|_| n > 0).map(|p| p % n);
        let loans: Vec<usize> = g.request.3.clone();
        more.interactions.push(("voice", "outbound", if connected { "connected" } else { "attempted" }, ago, g.request.2, loans, None, None));
        let after = decide(&more.json(more.now(), None), None)?;
        for finding in before.blocked_by.iter().filter(|f| is_frequency_rule(&f.rule)) {
            prop_assert!(!after.result, "one more call allowed it\n{}", more.json(more.now(), None));
            prop_assert!(after.blocked_by.iter().any(|f| f.rule == finding.rule), "{} no longer blocks\n{}", finding.rule, more.json(more.now(), None));
        }
    }

    #[test]
    fn a_mute_moves_only_the_muted_rule(g in generated(), which in any::<prop::sample::Index>()) {
        let (_, ids) = engine();
        let i = which.index(ids.len());
        let muted_id = &ids[i];
        let scenario = g.json(g.now(), None);
        let plain = decide(&scenario, Some("plain"))?;
        let muted = decide(&scenario, Some(&format!("mute_{i}")))?;
        let fired = plain.blocked_by.iter().chain(&plain.warnings).any(|f| &f.rule == muted_id);
        let without = |list: &[rulec_eval::Finding]| list.iter().filter(|f| &f.rule != muted_id).map(|f| (f.rule.clone(), f.message.clone(), f.release_at)).collect::<Vec<_>>();
        prop_assert_eq!(without(&plain.blocked_by), without(&muted.blocked_by), "{}", scenario);
        prop_assert_eq!(without(&plain.warnings), without(&muted.warnings));
        prop_assert!(muted.blocked_by.iter().chain(&muted.warnings).all(|f| &f.rule != muted_id));
        prop_assert_eq!(muted.muted.iter().any(|m| &m.rule == muted_id), fired, "muted is reported exactly when it fired\n{}", scenario);
        prop_assert_eq!(muted.result, muted.blocked_by.is_empty());
        prop_assert_eq!(&plain.jurisdictions, &muted.jurisdictions);
        prop_assert_eq!(&plain.local_times, &muted.local_times);
        prop_assert_eq!(plain.rules_evaluated, muted.rules_evaluated);
        // The muted rule's place includes its part in `nextAllowedAt`: without it the release
        // can only come sooner (it may have been the rule that blocked at the other's release).
        if !muted.result {
            let (p, m) = (plain.next_allowed_at, muted.next_allowed_at);
            prop_assert!(p.is_none() || m.is_some_and(|m| Some(m) <= p), "nextAllowedAt {:?} muted, {:?} plain\n{}", m, p, scenario);
        }
        if !fired {
            let mut a = plain.to_json();
            let mut b = muted.to_json();
            a["data"]["nextAllowedAt"] = Value::Null;
            b["data"]["nextAllowedAt"] = Value::Null;
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn next_allowed_at_re_evaluates_to_allowed(g in generated()) {
        let decision = decide(&g.json(g.now(), None), None)?;
        if let Some(next) = decision.next_allowed_at {
            prop_assert!(next >= g.now());
            let later = decide(&g.json(next, None), None)?;
            prop_assert!(later.result, "blocked again at {}: {:?}\n{}", next, later.blocked_by, g.json(g.now(), None));
            if next > g.now() {
                let just_before = decide(&g.json(next - Duration::seconds(1), None), None)?;
                prop_assert!(!just_before.result, "already allowed before {}\n{}", next, g.json(g.now(), None));
            }
        }
    }
}

/// The generator reaches the decisions the properties are about.
#[test]
fn the_generator_reaches_blocked_decisions_with_a_release() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut blocked, mut released, mut frequency) = (0, 0, 0);
    let mut constructs: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for _ in 0..400 {
        let g = generated().new_tree(&mut runner).expect("a scenario").current();
        let decision = decide(&g.json(g.now(), None), None).expect("decides");
        blocked += usize::from(!decision.result);
        released += usize::from(decision.next_allowed_at.is_some());
        frequency += usize::from(decision.blocked_by.iter().any(|f| is_frequency_rule(&f.rule)));
        for f in decision.blocked_by.iter().filter(|f| f.rule.starts_with("federal.props.")) {
            *constructs.entry(f.rule.clone()).or_default() += 1;
        }
    }
    assert!(blocked > 100 && released > 40 && frequency > 10, "blocked {blocked}, released {released}, frequency {frequency} of 400");
    // Every rule written with the second edition's constructs blocks somewhere.
    assert_eq!(constructs.len(), 4, "{constructs:?}");
}

/// Found by the `eval_scenario` fuzz target: two pending bankruptcies, and the message named
/// whichever came first in `cases`.
#[test]
fn the_case_named_in_a_message_does_not_depend_on_the_order_of_cases() {
    let scenario = |cases: &str| {
        format!(
            r#"{{"now":"2027-09-03T15:36:00Z","borrower":{{"id":"BO-FUZZ-0001"}},"cases":[{cases}],"contacts":[{{"affiliation":"self","contactType":"phone","id":"CT-FUZZ-0000","value":"+16175550100"}}],"request":{{"channel":"voice","contactId":"CT-FUZZ-0000","theme":"opsCollDebt"}}}}"#
        )
    };
    let a = r#"{"caseType":"bankruptcy","id":"CS-FUZZ-0000","status":"initiated"}"#;
    let b = r#"{"caseType":"bankruptcy","id":"CS-FUZZ-0001","status":"initiated"}"#;
    let one: Value = serde_json::from_str(&scenario(&format!("{a},{b}"))).expect("JSON");
    let other: Value = serde_json::from_str(&scenario(&format!("{b},{a}"))).expect("JSON");
    let (one, other) = (decide(&one, None).expect("decides"), decide(&other, None).expect("decides"));
    assert_eq!(one.to_json(), other.to_json());
    assert!(one.blocked_by.iter().any(|f| f.message.contains("CS-FUZZ-0000")), "{:?}", one.blocked_by);
}

/// A decision never reads the wall clock: no crate a decision runs through calls a clock (the
/// instant is the scenario's `now`). A source scan, so that a new `Utc::now()` fails here.
#[test]
fn no_decision_code_reads_the_wall_clock() {
    let root = workspace_root();
    let mut found = Vec::new();
    for krate in ["rulec-model", "rulec-syntax", "rulec-check", "rulec-time", "rulec-scenario", "rulec-eval"] {
        for path in rulec_testkit::walk(&root.join("crates").join(krate).join("src")) {
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if ["Utc::now", "Local::now", "SystemTime", "Instant::now", "today()"].iter().any(|c| code.contains(c)) {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "the wall clock is read in decision code:\n{}", found.join("\n"));
}

/// The same scenario decided twice gives the same decision, trace included.
#[test]
fn deciding_twice_gives_the_same_decision() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..50 {
        let g = generated().new_tree(&mut runner).expect("a scenario").current();
        let text = serde_json::to_string(&g.json(g.now(), None)).expect("JSON");
        let (scenario, _) = rulec_scenario::load_scenario(&text).expect("valid");
        assert_eq!(engine().0.decide(&scenario), engine().0.decide(&scenario));
        assert_eq!(engine().0.explain(&scenario), engine().0.explain(&scenario));
    }
}
