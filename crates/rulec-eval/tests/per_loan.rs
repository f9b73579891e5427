//! Counts `about this loan`: an interaction that names no loan counts for every loan, one that
//! names a loan twice counts once, and the counts, the loan a message names, the trace and
//! `nextAllowedAt` agree with counting each loan's interactions one by one (a brute-force
//! oracle over generated histories).

use chrono::{DateTime, Duration, Utc};
use rulec_eval::{format_time, Decision, Engine, TraceFigure};
use rulec_syntax::SourceFile;

fn engine(rules: &str) -> Engine {
    let text = format!("jurisdiction federal\n{rules}");
    Engine::from_sources(vec![SourceFile::new("rules/federal/test.rules", text)]).unwrap_or_else(|e| panic!("{e}"))
}

const NOW: &str = "2026-03-10T15:00:00Z";

fn now() -> DateTime<Utc> {
    NOW.parse().expect("an instant")
}

/// A collector's call about `request_loans` (none: every loan) with `loans` on file.
fn scenario(loans: &[&str], request_loans: &[&str], interactions: &str) -> rulec_scenario::Scenario {
    let loans: Vec<String> = loans.iter().map(|l| format!("{{id: {l}, externalId: ext-{l}}}")).collect();
    let text = format!(
        "now: {NOW}\ncompany: {{role: collector}}\nborrower: {{id: BO-AAAA-1111, timezone: America/New_York}}\n\
         contacts: [{{id: CT-CELL-0001, contactType: phone, affiliation: self, value: \"+16175550100\"}}]\n\
         loans: [{}]\nrequest: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanIds: [{}]}}\ninteractions:\n{interactions}",
        loans.join(", "),
        request_loans.join(", ")
    );
    rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}")).0
}

/// A call `hours_ago` before now about `loans` (YAML list text).
fn call(id: &str, hours_ago: i64, direction: &str, loans: &str) -> String {
    let at = format_time(now() - Duration::hours(hours_ago));
    format!("  - {{id: {id}, channel: voice, direction: {direction}, status: attempted, startAt: {at}, contactId: CT-CELL-0001, loanIds: {loans}}}\n")
}

fn decide(engine: &Engine, s: &rulec_scenario::Scenario) -> Decision {
    let explained = engine.explain(s).expect("decides");
    let fast = engine.decide(s).expect("decides");
    assert_eq!(Decision { trace: Vec::new(), ..explained.clone() }, fast, "decide and explain disagree");
    assert_eq!(engine.allows(s).expect("decides"), fast.result, "allows and decide disagree");
    explained
}

/// The count figures of the trace: (loan, count, listed ids, unlisted).
fn counts(d: &Decision) -> Vec<(Option<String>, u32, Vec<String>, u32)> {
    d.trace
        .iter()
        .flat_map(|t| &t.figures)
        .filter_map(|f| match f {
            TraceFigure::Count { loan, count, interactions, unlisted, .. } => Some((loan.clone(), *count, interactions.clone(), *unlisted)),
            _ => None,
        })
        .collect()
}

const PER_LOAN: &str = r#"
rule federal.test.per_loan {
  title "Three calls in seven days about one debt"
  cites "test"
  binds collector
  blocks when count of calls where direction is outbound in the last 7 days about this loan >= 3
  message "{count} calls about {loan}"
}
"#;

#[test]
fn an_interaction_that_names_no_loan_counts_for_every_loan() {
    let e = engine(PER_LOAN);
    let history = [call("IN-1", 30, "outbound", "[]"), call("IN-2", 20, "outbound", "[LN-AAAA-0001]"), call("IN-3", 10, "outbound", "[]")].concat();
    let d = decide(&e, &scenario(&["LN-AAAA-0001", "LN-BBBB-0002"], &[], &history));
    assert!(!d.result);
    assert_eq!(d.blocked_by[0].message, "3 calls about LN-AAAA-0001");
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        counts(&d),
        vec![
            (Some("LN-AAAA-0001".into()), 3, ids(&["IN-1", "IN-2", "IN-3"]), 0),
            (Some("LN-BBBB-0002".into()), 2, ids(&["IN-1", "IN-3"]), 0),
        ]
    );
    // The oldest of the three leaves the window 7 days after it started.
    assert_eq!(d.next_allowed_at, Some(now() - Duration::hours(30) + Duration::days(7)));
    // About the other loan alone: two calls, allowed.
    let d = decide(&e, &scenario(&["LN-AAAA-0001", "LN-BBBB-0002"], &["LN-BBBB-0002"], &history));
    assert!(d.result, "{:?}", d.blocked_by);
}

#[test]
fn a_loan_named_twice_counts_once() {
    let e = engine(PER_LOAN);
    let history = [
        call("IN-1", 30, "outbound", "[LN-AAAA-0001, LN-AAAA-0001]"),
        call("IN-2", 20, "outbound", "[LN-AAAA-0001, ext-LN-AAAA-0001]"),
    ]
    .concat();
    let s = scenario(&["LN-AAAA-0001"], &["LN-AAAA-0001", "ext-LN-AAAA-0001", "LN-AAAA-0001"], &history);
    assert_eq!(s.interactions()[0].loans, vec![0]);
    assert_eq!(s.interactions()[1].loans, vec![0]);
    assert_eq!(s.request().loans, vec![0]);
    let d = decide(&e, &s);
    assert!(d.result, "two calls, not four: {:?}", d.blocked_by);
    assert_eq!(counts(&d)[0].1, 2);
}

#[test]
fn a_count_figure_lists_the_oldest_hundred() {
    let e = engine(PER_LOAN);
    let history: String = (0..150).map(|i| call(&format!("IN-{i:03}"), 150 - i, "outbound", "[]")).collect();
    let d = decide(&e, &scenario(&["LN-AAAA-0001", "LN-BBBB-0002"], &[], &history));
    for (_, count, listed, unlisted) in counts(&d) {
        assert_eq!((count, listed.len(), unlisted), (150, 100, 50));
        assert_eq!(listed[0], "IN-000");
        assert_eq!(listed[99], "IN-099");
    }
}

#[test]
fn a_loan_added_to_a_loaded_scenario_is_counted_like_a_loaded_one() {
    // Issue #19, item 9: a service that added a loan to a loaded scenario made the history
    // index stale and the decision panic. A scenario is changed through its parts now, which
    // index it again.
    let e = engine(PER_LOAN);
    let history = [call("IN-1", 30, "outbound", "[]"), call("IN-2", 20, "outbound", "[]")].concat();
    let mut parts = scenario(&["LN-AAAA-0001"], &["LN-AAAA-0001"], &history).into_parts();
    let mut added = parts.loans[0].clone();
    (added.id, added.external_id) = ("LN-BBBB-0002".into(), Some("ext-LN-BBBB-0002".into()));
    parts.loans.push(added);
    let mut third = parts.interactions[0].clone();
    (third.id, third.start_at, third.loans) = ("IN-3".into(), now() - Duration::hours(10), vec![1]);
    parts.interactions.push(third);
    parts.request.loans = vec![1];
    let changed = rulec_scenario::Scenario::from_parts(parts).unwrap_or_else(|e| panic!("{e}"));
    let loaded = scenario(&["LN-AAAA-0001", "LN-BBBB-0002"], &["LN-BBBB-0002"], &[history, call("IN-3", 10, "outbound", "[LN-BBBB-0002]")].concat());
    assert_eq!(changed, loaded);
    let d = decide(&e, &changed);
    assert_eq!(d, decide(&e, &loaded));
    assert_eq!(d.blocked_by[0].message, "3 calls about LN-BBBB-0002");
}

// ---------------------------------------------------------------- the oracle

/// Rules counted per loan: a rolling window, and `since the last inbound call`.
const ORACLE_RULES: &str = r#"
rule federal.test.rolling {
  title "Calls in three days about one debt"
  cites "test"
  binds collector
  blocks when count of calls where direction is outbound in the last 3 days about this loan >= LIMIT
}

rule federal.test.since_inbound {
  title "Calls since the borrower last called, about one debt"
  cites "test"
  binds collector
  blocks when count of calls where direction is outbound since the last call where direction is inbound about this loan >= LIMIT
}
"#;

/// A small deterministic generator (a linear congruential one: the test needs variety, not
/// quality).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

struct Call {
    id: String,
    hours_ago: i64,
    outbound: bool,
    loans: Vec<usize>,
}

/// The count for `loan` by looking at every call: those that name it or no loan, outbound,
/// inside the window.
fn oracle(calls: &[Call], loan: usize, since_inbound: bool) -> Vec<String> {
    let about = |c: &&Call| c.loans.is_empty() || c.loans.contains(&loan);
    let from = if since_inbound {
        calls.iter().filter(about).filter(|c| !c.outbound && c.hours_ago >= 0).map(|c| c.hours_ago).min()
    } else {
        None
    };
    let mut counted: Vec<&Call> = calls
        .iter()
        .filter(about)
        .filter(|c| c.outbound && c.hours_ago >= 0)
        .filter(|c| if since_inbound { from.is_none_or(|f| c.hours_ago < f) } else { c.hours_ago < 72 })
        .collect();
    counted.sort_by(|a, b| b.hours_ago.cmp(&a.hours_ago).then_with(|| a.id.cmp(&b.id)));
    counted.iter().map(|c| c.id.clone()).collect()
}

#[test]
fn per_loan_counts_agree_with_counting_every_loan_by_hand() {
    let mut rng = Lcg(7);
    let loan_ids = ["LN-AAAA-0001", "LN-BBBB-0002", "LN-CCCC-0003", "LN-DDDD-0004"];
    for round in 0..200 {
        let loans = 1 + rng.below(4) as usize;
        let limit = 1 + rng.below(5);
        let e = engine(&ORACLE_RULES.replace("LIMIT", &limit.to_string()));
        let calls: Vec<Call> = (0..rng.below(14))
            .map(|i| Call {
                id: format!("IN-{i:02}"),
                // Some in the future (scheduled: never counted), some at the same instant.
                hours_ago: rng.below(120) as i64 - 10,
                outbound: rng.below(4) > 0,
                loans: (0..loans).filter(|_| rng.below(3) == 0).collect(),
            })
            .collect();
        let write = |c: &Call| {
            let named: Vec<&str> = c.loans.iter().map(|&l| loan_ids[l]).collect();
            call(&c.id, c.hours_ago, if c.outbound { "outbound" } else { "inbound" }, &format!("[{}]", named.join(", ")))
        };
        let history: String = calls.iter().map(write).collect();
        let request: Vec<&str> = (0..loans).filter(|_| rng.below(2) == 0).map(|l| loan_ids[l]).collect();
        let s = scenario(&loan_ids[..loans], &request, &history);
        let d = decide(&e, &s);
        let asked: Vec<usize> = if request.is_empty() { (0..loans).collect() } else { (0..loans).filter(|&l| request.contains(&loan_ids[l])).collect() };
        for (rule, since_inbound) in [("federal.test.rolling", false), ("federal.test.since_inbound", true)] {
            let trace = d.trace.iter().find(|t| t.rule == rule).expect("in force");
            let figures: Vec<(Option<String>, Vec<String>)> = trace
                .figures
                .iter()
                .filter_map(|f| match f {
                    TraceFigure::Count { loan, interactions, count, .. } => {
                        assert_eq!(*count as usize, interactions.len());
                        Some((loan.clone(), interactions.clone()))
                    }
                    _ => None,
                })
                .collect();
            let expected: Vec<(Option<String>, Vec<String>)> = asked.iter().map(|&l| (Some(loan_ids[l].to_string()), oracle(&calls, l, since_inbound))).collect();
            assert_eq!(figures, expected, "round {round}, {rule}, limit {limit}\n{history}");
            let blocks = expected.iter().any(|(_, ids)| ids.len() as u64 >= limit);
            assert_eq!(d.blocked_by.iter().any(|f| f.rule == rule), blocks, "round {round}, {rule}");
        }
        // nextAllowedAt is allowed, and a second before it is not, if nothing else happens
        // meanwhile: the scheduled calls are left out.
        if let Some(next) = d.next_allowed_at {
            let past: String = calls.iter().filter(|c| c.hours_ago >= 0).map(write).collect();
            let s = scenario(&loan_ids[..loans], &request, &past);
            let at = |t: DateTime<Utc>| {
                let mut later = s.clone();
                later.set_now(t).expect("in range");
                later.set_request_start(t).expect("in range");
                e.allows(&later).expect("decides")
            };
            assert!(at(next), "round {round}: nextAllowedAt {} is not allowed\nlimit {limit}, request {request:?}\n{past}", format_time(next));
            assert!(!at(next - Duration::seconds(1)), "round {round}: allowed before nextAllowedAt {}", format_time(next));
        }
    }
}
