//! A loaded scenario changed through the public API (issue #19, item 9), then decided. The
//! bases are the shipped suites' cases (`tests/scenarios/`); the changes are the setters
//! (`set_now`, `set_request_start`, `set_policy`) with any instant, and edits of
//! `into_parts()` — records added, removed and reordered, references set to any index, numbers
//! and instants set to any value — put back with `Scenario::from_parts`. Whatever the changes,
//! nothing panics: a refused change is an error with a message, and an accepted scenario
//! decides, deterministically, with `allows` and `explain` agreeing with `decide`, and its parts
//! make it again.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use rulec_eval::Engine;
use rulec_scenario::{Document, Interaction, Loan, Scenario, ScenarioParts};
use std::path::Path;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
        Engine::from_dir(&dir).unwrap_or_else(|e| panic!("the shipped rules load: {e}"))
    })
}

/// Every valid case of the shipped suites.
fn bases() -> &'static [Scenario] {
    static BASES: OnceLock<Vec<Scenario>> = OnceLock::new();
    BASES.get_or_init(|| {
        let mut out = Vec::new();
        let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios")];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("tests/scenarios") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml") {
                    files.push(path);
                }
            }
        }
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable");
            match rulec_scenario::load_document(&text) {
                Ok(Document::Scenario { scenario, .. }) => out.push(scenario),
                Ok(Document::Suite(suite)) => out.extend(suite.cases.into_iter().filter_map(|c| c.result.ok()).map(|(s, _)| s)),
                Err(_) => {}
            }
        }
        assert!(!out.is_empty(), "no shipped scenario");
        out
    })
}

#[derive(Arbitrary, Debug)]
struct Input {
    base: u16,
    setters: Vec<Setter>,
    edits: Vec<Edit>,
}

#[derive(Arbitrary, Debug)]
enum Setter {
    /// Seconds from the scenario's `now` (any, also past chrono's range).
    NowBy(i64),
    /// Seconds since 1970 (any).
    NowAt(i64),
    RequestStartBy(i64),
    Policy(Option<bool>),
}

#[derive(Arbitrary, Debug)]
enum Edit {
    PushLoan { days_past_due: i64, same_id_as: Option<u8> },
    RemoveLoan(u8),
    PushContact { copy_of: u8 },
    RemoveContact(u8),
    SwapContacts(u8, u8),
    PushInteraction { copy_of: u8, start_by: i32, contact: Option<u16>, loans: Vec<u16>, previous: Option<u16> },
    RemoveInteraction(u8),
    RemoveCase(u8),
    RequestContact(u16),
    RequestLoans(Vec<u16>),
    RequestPrevious(Option<u16>),
    InteractionPrevious(u8, Option<u16>),
    InteractionContact(u8, Option<u16>),
    InteractionStart(u8, i64),
    CaseLoans(u8, Vec<u16>),
    DniContacts(u8, Vec<u16>),
    DaysPastDue(u8, i64),
    Now(i64),
    DuplicateConsent,
    ClearSubjectAndTheme,
}

/// An instant `by` seconds from `t`, when chrono has one.
fn moved(t: DateTime<Utc>, by: i64) -> Option<DateTime<Utc>> {
    t.timestamp().checked_add(by).and_then(|s| DateTime::from_timestamp(s, 0))
}

fn pick<T>(list: &[T], i: u8) -> Option<usize> {
    (!list.is_empty()).then(|| i as usize % list.len())
}

fn edit(parts: &mut ScenarioParts, edit: &Edit) {
    match edit {
        Edit::PushLoan { days_past_due, same_id_as } => {
            let n = parts.loans.len();
            let id = match same_id_as.and_then(|i| pick(&parts.loans, i)) {
                Some(i) => parts.loans[i].id.clone(),
                None => format!("LN-MUTA-{n:04}"),
            };
            parts.loans.push(Loan { id, external_id: None, status: None, loan_type: None, debt_type: rulec_model::DebtType::Consumer, time_barred: false, days_past_due: *days_past_due });
        }
        Edit::RemoveLoan(i) => {
            if let Some(i) = pick(&parts.loans, *i) {
                parts.loans.remove(i);
            }
        }
        Edit::PushContact { copy_of } => {
            if let Some(i) = pick(&parts.contacts, *copy_of) {
                let mut c = parts.contacts[i].clone();
                c.id = c.id.map(|id| format!("{id}-copy{}", parts.contacts.len()));
                c.external_id = None;
                parts.contacts.push(c);
            }
        }
        Edit::RemoveContact(i) => {
            if let Some(i) = pick(&parts.contacts, *i) {
                parts.contacts.remove(i);
            }
        }
        Edit::SwapContacts(a, b) => {
            if let (Some(a), Some(b)) = (pick(&parts.contacts, *a), pick(&parts.contacts, *b)) {
                parts.contacts.swap(a, b);
            }
        }
        Edit::PushInteraction { copy_of, start_by, contact, loans, previous } => {
            let mut x: Interaction = match pick(&parts.interactions, *copy_of) {
                Some(i) => parts.interactions[i].clone(),
                None => Interaction {
                    id: String::new(),
                    channel: rulec_model::Channel::Voice,
                    direction: rulec_model::Direction::Outbound,
                    theme: Some(rulec_model::Theme::OpsCollDebt),
                    subject: None,
                    status: rulec_model::InteractionStatus::Attempted,
                    start_at: parts.now,
                    end_at: None,
                    contact: None,
                    loans: Vec::new(),
                    is_autodialed: false,
                    previous: None,
                },
            };
            x.id = format!("IN-MUTA-{:04}", parts.interactions.len());
            x.start_at = moved(parts.now, i64::from(*start_by)).unwrap_or(parts.now);
            x.end_at = None;
            x.contact = contact.map(usize::from);
            x.loans = loans.iter().map(|&l| usize::from(l)).collect();
            x.previous = previous.map(usize::from);
            parts.interactions.push(x);
        }
        Edit::RemoveInteraction(i) => {
            if let Some(i) = pick(&parts.interactions, *i) {
                parts.interactions.remove(i);
            }
        }
        Edit::RemoveCase(i) => {
            if let Some(i) = pick(&parts.cases, *i) {
                parts.cases.remove(i);
            }
        }
        Edit::RequestContact(c) => parts.request.contact = usize::from(*c),
        Edit::RequestLoans(l) => parts.request.loans = l.iter().map(|&l| usize::from(l)).collect(),
        Edit::RequestPrevious(p) => parts.request.previous = p.map(usize::from),
        Edit::InteractionPrevious(i, p) => {
            if let Some(i) = pick(&parts.interactions, *i) {
                parts.interactions[i].previous = p.map(usize::from);
            }
        }
        Edit::InteractionContact(i, c) => {
            if let Some(i) = pick(&parts.interactions, *i) {
                parts.interactions[i].contact = c.map(usize::from);
            }
        }
        Edit::InteractionStart(i, by) => {
            if let Some(i) = pick(&parts.interactions, *i) {
                let x = &mut parts.interactions[i];
                if let Some(t) = moved(x.start_at, *by) {
                    x.start_at = t;
                }
            }
        }
        Edit::CaseLoans(i, l) => {
            if let Some(i) = pick(&parts.cases, *i) {
                parts.cases[i].loans = l.iter().map(|&l| usize::from(l)).collect();
            }
        }
        Edit::DniContacts(i, c) => {
            if let Some(i) = pick(&parts.cases, *i) {
                if let Some(d) = parts.cases[i].do_not_interact.first_mut() {
                    d.contacts = c.iter().map(|&c| usize::from(c)).collect();
                }
            }
        }
        Edit::DaysPastDue(i, d) => {
            if let Some(i) = pick(&parts.loans, *i) {
                parts.loans[i].days_past_due = *d;
            }
        }
        Edit::Now(by) => {
            if let Some(t) = moved(parts.now, *by) {
                parts.now = t;
            }
        }
        Edit::DuplicateConsent => {
            if let Some(c) = parts.consents.first().cloned() {
                parts.consents.push(c);
            }
        }
        Edit::ClearSubjectAndTheme => (parts.request.subject, parts.request.theme) = (None, None),
    }
}

fn decides(s: &Scenario) {
    let engine = engine();
    let Ok(decision) = engine.decide(s) else { return };
    assert_eq!(engine.decide(s).as_ref(), Ok(&decision), "not deterministic");
    assert_eq!(engine.allows(s), Ok(decision.result), "allows disagrees with decide");
    let explained = engine.explain(s).expect("explains what it decides");
    assert_eq!(explained.to_json(), decision.to_json(), "explain disagrees with decide");
    if let Some(next) = decision.next_allowed_at {
        assert!(next >= s.now(), "nextAllowedAt before now");
    }
}

fuzz_target!(|input: Input| {
    let bases = bases();
    let mut s = bases[input.base as usize % bases.len()].clone();
    for setter in &input.setters {
        let before = s.clone();
        let refused = match setter {
            Setter::NowBy(by) => moved(s.now(), *by).map(|t| s.set_now(t).is_err()),
            Setter::NowAt(at) => DateTime::from_timestamp(*at, 0).map(|t| s.set_now(t).is_err()),
            Setter::RequestStartBy(by) => moved(s.request().start_at, *by).map(|t| s.set_request_start(t).is_err()),
            Setter::Policy(p) => {
                s.set_policy(p.map(|real| if real { "acme_lending".into() } else { "no_such_policy".into() }));
                None
            }
        };
        if refused == Some(true) {
            assert_eq!(s, before, "a refused setter changed the scenario");
        }
    }
    decides(&s);

    let mut parts = s.clone().into_parts();
    assert_eq!(Scenario::from_parts(parts.clone()).as_ref(), Ok(&s), "the parts of a scenario do not make it again");
    for e in &input.edits {
        edit(&mut parts, e);
    }
    match Scenario::from_parts(parts) {
        Ok(changed) => {
            assert_eq!(Scenario::from_parts(changed.clone().into_parts()).as_ref(), Ok(&changed));
            decides(&changed);
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            assert!(errors.iter().all(|e| !e.message.is_empty()));
        }
    }
});
