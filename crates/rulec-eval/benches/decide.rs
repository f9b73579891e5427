//! Decision and rule-loading benchmarks (`cargo bench -p rulec-eval`), reported in
//! docs/performance.md. Decisions use the whole shipped `rules/` directory and a borrower in
//! Boston, with past histories of growing length at one interaction a day, so that a longer
//! history reaches further into the past while the rules' windows stay the same size: the
//! property the history index exists for.

use rulec_eval::Engine;
use rulec_scenario::Scenario;
use std::path::Path;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

const HISTORY_LENGTHS: &[usize] = &[0, 20, 200, 2_000, 20_000];

fn rules_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules"))
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::from_dir(rules_dir()).unwrap_or_else(|e| panic!("{e}")))
}

/// A Massachusetts borrower (home address, personal cell, work phone, two loans) and `n` past
/// interactions, one a day before `now`, cycling through email, text and voice about one loan.
/// With `recent_calls`, two outbound calls in the last two days make the Massachusetts
/// 2-in-7 rule block (and the decision compute when the call would be allowed).
pub fn scenario(n: usize, recent_calls: bool) -> Scenario {
    scenario_in(BOSTON, n, if recent_calls { 2 } else { 0 })
}

/// Where the borrower lives: the address fields and the phones' area code.
struct Place {
    address: &'static str,
    area_code: &'static str,
    /// The decision's instant (New York City's call cap is in force from 2026-09-01).
    now: &'static str,
}

const BOSTON: Place = Place { address: "{state: MA, city: Boston, postalCode: \"02108\"}", area_code: "617", now: "2026-03-10T15:00:00Z" };
const NEW_YORK_CITY: Place = Place { address: "{state: NY, city: New York, postalCode: \"10001\"}", area_code: "212", now: "2026-10-06T15:00:00Z" };

/// [`scenario`] for a borrower at `place`, with `recent_calls` outbound calls in the last days.
fn scenario_in(place: Place, n: usize, recent_calls: usize) -> Scenario {
    let mut text = format!(
        "now: {}\ncompany: {{role: collector}}\nborrower: {{id: BO-BNCH-0001}}\ncontacts:\n\
         - {{id: CT-HOME-0001, contactType: address, affiliation: self, address: {}}}\n\
         - {{id: CT-CELL-0001, contactType: phone, label: personal, affiliation: self, value: \"+1{}5550100\"}}\n\
         - {{id: CT-WORK-0001, contactType: phone, label: work, affiliation: self, value: \"+1{}5550199\"}}\n\
         loans: [{{id: LN-BNCH-0001}}, {{id: LN-BNCH-0002}}]\n\
         request: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: LN-BNCH-0001}}\ninteractions:\n",
        place.now, place.address, place.area_code, place.area_code
    );
    if n == 0 && recent_calls == 0 {
        text.push_str("  []\n");
    }
    let now = chrono::DateTime::parse_from_rfc3339(place.now).unwrap();
    for i in 0..n {
        // Start a week back so that the history alone never trips a 7-day rule.
        let at = now - chrono::Duration::days(8 + i as i64);
        let (channel, status) = match i % 3 {
            0 => ("email", "delivered"),
            1 => ("text", "delivered"),
            _ => ("voice", "attempted"),
        };
        text.push_str(&format!(
            "  - {{id: IN-{i:06}, channel: {channel}, direction: outbound, status: {status}, theme: opsCollDebt, startAt: {}, contactId: CT-CELL-0001, loanIds: [LN-BNCH-0001]}}\n",
            at.to_rfc3339()
        ));
    }
    {
        for (i, hours) in [(1, 26), (2, 50), (3, 74), (4, 98)].into_iter().take(recent_calls) {
            let at = now - chrono::Duration::hours(hours);
            text.push_str(&format!(
                "  - {{id: IN-RCNT-{i}, channel: voice, direction: outbound, status: attempted, theme: opsCollDebt, startAt: {}, contactId: CT-CELL-0001, loanIds: [LN-BNCH-0001]}}\n",
                at.to_rfc3339()
            ));
        }
    }
    rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}")).0
}

/// One decision that is allowed: every rule in force for a voice call in Massachusetts looks at
/// the history and lets it through.
#[divan::bench(args = HISTORY_LENGTHS)]
fn decide_allowed(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario(n, false);
    assert!(engine.decide(&scenario).unwrap().result, "the benchmark scenario must be allowed");
    bencher.bench(|| engine.decide(divan::black_box(&scenario)).unwrap());
}

/// One decision that is blocked, with `releaseAt` and `nextAllowedAt` computed.
#[divan::bench(args = HISTORY_LENGTHS)]
fn decide_blocked(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario(n, true);
    assert!(!engine.decide(&scenario).unwrap().result, "the benchmark scenario must be blocked");
    bencher.bench(|| engine.decide(divan::black_box(&scenario)).unwrap());
}

/// The verdict alone (`Engine::allows`) for the blocked request: what a screen that needs only
/// yes or no pays.
#[divan::bench(args = HISTORY_LENGTHS)]
fn allows_blocked(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario(n, true);
    assert!(!engine.allows(&scenario).unwrap());
    bencher.bench(|| engine.allows(divan::black_box(&scenario)).unwrap());
}

/// The verdict alone for the allowed request.
#[divan::bench(args = HISTORY_LENGTHS)]
fn allows_allowed(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario(n, false);
    assert!(engine.allows(&scenario).unwrap());
    bencher.bench(|| engine.allows(divan::black_box(&scenario)).unwrap());
}

/// The verdict and the blocking rules with every rule in force tested (no shortcut), nothing
/// else computed (`Engine::screen`): what a screen pays that needs the rules, not the times.
#[divan::bench(args = HISTORY_LENGTHS)]
fn screen_allowed(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario(n, false);
    assert!(engine.screen(&scenario).unwrap().allowed());
    bencher.bench(|| engine.screen(divan::black_box(&scenario)).unwrap().allowed());
}

/// `Engine::screen` for the blocked request: the same work as for an allowed one.
#[divan::bench(args = HISTORY_LENGTHS)]
fn screen_blocked(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario(n, true);
    assert!(!engine.screen(&scenario).unwrap().allowed());
    bencher.bench(|| engine.screen(divan::black_box(&scenario)).unwrap().blocked_by().len());
}

/// `Engine::screen` then `next_allowed_at` for the blocked request: the verdict, the rules
/// and when the request would be allowed, without messages or per-rule release times.
#[divan::bench(args = HISTORY_LENGTHS)]
fn screen_blocked_next_allowed(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario(n, true);
    assert!(engine.screen(&scenario).unwrap().next_allowed_at().is_some());
    bencher.bench(|| engine.screen(divan::black_box(&scenario)).unwrap().next_allowed_at());
}

/// The second workload: a borrower in New York City, where the federal, New York State and
/// New York City rules are in force, with 20, 200 or 2,000 past interactions. Allowed; blocked
/// with three calls in the last four days (NYC's cap of three calls in seven days).
const NYC_HISTORY_LENGTHS: &[usize] = &[20, 200, 2_000];

#[divan::bench(args = NYC_HISTORY_LENGTHS)]
fn nyc_decide_allowed(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario_in(NEW_YORK_CITY, n, 0);
    let decision = engine.decide(&scenario).unwrap();
    assert!(decision.result, "the benchmark scenario must be allowed");
    assert!(decision.jurisdictions.iter().any(|j| j.contains("nyc") || j.contains("NYC")), "New York City's rules are in force: {:?}", decision.jurisdictions);
    bencher.bench(|| engine.decide(divan::black_box(&scenario)).unwrap());
}

#[divan::bench(args = NYC_HISTORY_LENGTHS)]
fn nyc_decide_blocked(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario_in(NEW_YORK_CITY, n, 3);
    assert!(!engine.decide(&scenario).unwrap().result, "the benchmark scenario must be blocked");
    bencher.bench(|| engine.decide(divan::black_box(&scenario)).unwrap());
}

#[divan::bench(args = NYC_HISTORY_LENGTHS)]
fn nyc_screen_allowed(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario_in(NEW_YORK_CITY, n, 0);
    bencher.bench(|| engine.screen(divan::black_box(&scenario)).unwrap().allowed());
}

#[divan::bench(args = NYC_HISTORY_LENGTHS)]
fn nyc_screen_blocked(bencher: divan::Bencher, n: usize) {
    let engine = engine();
    let scenario = scenario_in(NEW_YORK_CITY, n, 3);
    assert!(!engine.screen(&scenario).unwrap().allowed());
    bencher.bench(|| engine.screen(divan::black_box(&scenario)).unwrap().blocked_by().len());
}

/// The shipped rules and nine times as many generated ones, spread over the states, channels
/// and roles as a growing library would be (`rulec_testkit::library`: for each shipped
/// federal or state rule, nine distinct rules of other states, each for one channel and one
/// role, none firing). A Boston voice call by a collector then has the federal and
/// Massachusetts rules in force plus the few variants that landed in Massachusetts for voice
/// and collectors: the compiled rule set lists rules by jurisdiction, channel and role, so the
/// others are never looked at.
fn sources_10x() -> &'static [rulec_syntax::SourceFile] {
    static SOURCES: OnceLock<Vec<rulec_syntax::SourceFile>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let mut sources = rulec_eval::read_rule_dir(rules_dir()).unwrap_or_else(|e| panic!("{e}"));
        let files: Vec<(String, String)> = sources.iter().map(|s| (s.path.clone(), s.text.clone())).collect();
        sources.extend(rulec_testkit::library::nine_variants_per_rule(&files).into_iter().map(|(path, text)| rulec_syntax::SourceFile::new(path, text)));
        sources
    })
}

/// The earlier, harsher form of ten times the rules: beside each rule file of `rules/federal`
/// and `rules/states`, a generated file of the same jurisdiction with nine times as many
/// distinct rules, all for every channel and role (call counts over other windows and limits,
/// other calling hours), none firing on the benchmark's allowed scenario. Every rule a request
/// had in force now comes ten times: the cost of rules that all apply.
fn sources_10x_all_in_force() -> &'static [rulec_syntax::SourceFile] {
    static SOURCES: OnceLock<Vec<rulec_syntax::SourceFile>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let mut sources = rulec_eval::read_rule_dir(rules_dir()).unwrap_or_else(|e| panic!("{e}"));
        let mut generated = Vec::new();
        for (f, source) in sources.iter().enumerate() {
            if !(source.path.contains("/federal/") || source.path.contains("/states/")) {
                continue;
            }
            let Some(jurisdiction) = rulec_testkit::library::jurisdiction_of(&source.text) else { continue };
            let rules = source.text.lines().filter(|l| l.starts_with("rule ")).count();
            let prefix = if jurisdiction == "federal" { "federal".to_string() } else { jurisdiction.to_lowercase() };
            let mut text = format!("jurisdiction {jurisdiction}\n");
            for k in 0..9 * rules {
                let body = if k % 2 == 0 {
                    // 15-21 voice calls and texts per 1-30 days: the benchmark's history has
                    // at most one a day.
                    format!(
                        "blocks when count of interactions where channel in {{voice, text}} and direction is outbound in the last {} days about this loan >= {}",
                        1 + k % 30,
                        31 + k % 7
                    )
                } else {
                    format!("blocks when local time is outside {:02}:{:02} to 21:00", 6 + k % 3, (k * 7) % 60)
                };
                text.push_str(&format!(
                    "rule {prefix}.generated_{f}_{k} {{\n  title \"generated {k}\"\n  cites \"benchmark\"\n  binds every role\n  applies when theme is opsCollDebt\n  {body}\n}}\n"
                ));
            }
            generated.push(rulec_syntax::SourceFile::new(format!("{}.generated", source.path.trim_end_matches(".rules")) + ".rules", text));
        }
        sources.extend(generated);
        sources
    })
}

fn engine_10x() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::from_sources(sources_10x().to_vec()).unwrap_or_else(|e| panic!("{e}")))
}

fn engine_10x_all_in_force() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::from_sources(sources_10x_all_in_force().to_vec()).unwrap_or_else(|e| panic!("{e}")))
}

/// `decide` on the allowed and the blocked request (200 interactions) with ten times the
/// rules spread over states, channels and roles ([`sources_10x`]); compare with
/// `decide_allowed` and `decide_blocked` at 200.
#[divan::bench(args = [false, true])]
fn decide_10x_rules(bencher: divan::Bencher, blocked: bool) {
    let (ten, one) = (engine_10x(), engine());
    assert!(ten.rule_set().rules.len() >= 9 * one.rule_set().rules.len(), "ten times the rules");
    let scenario = scenario(200, blocked);
    let (decision, shipped) = (ten.decide(&scenario).unwrap(), one.decide(&scenario).unwrap());
    assert_eq!(decision.result, !blocked);
    assert_eq!(decision.blocked_by, shipped.blocked_by, "no generated rule fires");
    assert!(decision.rules_evaluated < 2 * shipped.rules_evaluated, "few generated rules apply to the request: {} vs {}", decision.rules_evaluated, shipped.rules_evaluated);
    bencher.bench(|| ten.decide(divan::black_box(&scenario)).unwrap());
}

/// The same with every generated rule in force for the request ([`sources_10x_all_in_force`]):
/// what a decision costs when all ten times the rules apply.
#[divan::bench(args = [false, true])]
fn decide_10x_rules_all_in_force(bencher: divan::Bencher, blocked: bool) {
    let ten = engine_10x_all_in_force();
    let scenario = scenario(200, blocked);
    let decision = ten.decide(&scenario).unwrap();
    assert_eq!(decision.result, !blocked);
    assert!(decision.rules_evaluated >= 5 * engine().decide(&scenario).unwrap().rules_evaluated, "ten times the rules in force");
    bencher.bench(|| ten.decide(divan::black_box(&scenario)).unwrap());
}

/// Checking and compiling the shipped rules and nine times as many generated ones spread over
/// the states ([`sources_10x`], read from memory; compare with `load_rule_directory`, which
/// also reads the files).
#[divan::bench(sample_count = 10)]
fn compile_rules_10x(bencher: divan::Bencher) {
    let sources = sources_10x();
    bencher.with_inputs(|| sources.to_vec()).bench_values(|s| Engine::from_sources(s).unwrap());
}

/// Reading, checking and compiling the whole shipped `rules/` directory.
#[divan::bench(sample_count = 30)]
fn load_rule_directory() -> Engine {
    Engine::from_dir(divan::black_box(rules_dir())).unwrap()
}

/// Loading (parsing and validating) a scenario with a 200-interaction history, for comparison
/// with the decision itself: in batch screening this is most of the work.
#[divan::bench(sample_count = 50)]
fn load_scenario_200(bencher: divan::Bencher) {
    let text = scenario_text_200();
    bencher.bench(|| rulec_scenario::load_scenario(divan::black_box(text)).unwrap());
}

fn scenario_text_200() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut text = String::from(
            "now: 2026-03-10T15:00:00Z\ncompany: {role: collector}\nborrower: {id: BO-BNCH-0001}\ncontacts:\n\
             - {id: CT-HOME-0001, contactType: address, affiliation: self, address: {state: MA, city: Boston, postalCode: \"02108\"}}\n\
             - {id: CT-CELL-0001, contactType: phone, label: personal, affiliation: self, value: \"+16175550100\"}\n\
             loans: [{id: LN-BNCH-0001}]\n\
             request: {channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: LN-BNCH-0001}\ninteractions:\n",
        );
        for i in 0..200 {
            text.push_str(&format!(
                "  - {{id: IN-{i:06}, channel: email, direction: outbound, status: delivered, theme: opsCollDebt, startAt: 2025-{:02}-{:02}T15:00:00Z, contactId: CT-CELL-0001, loanIds: [LN-BNCH-0001]}}\n",
                1 + i % 12,
                1 + i % 28
            ));
        }
        text
    })
}
