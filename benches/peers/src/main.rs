//! rulec against Rego (regorus) and Cedar (cedar-policy) on one federal subset (issue #6):
//! generates scenarios, checks that every engine reaches the same decision (and the same
//! blocking rules) on each, then measures decisions per second on one thread.
//!
//!   cd benches/peers && cargo run --release -- [--scenarios N] [--rounds R] [--seed S] [--check-only] [--only NAME]
//!
//! What each engine is given (built before any timing):
//! - rulec: the `Scenario` loaded from YAML by `rulec_scenario::load_scenario`; it finds the
//!   zones, local times, calendar windows, per-loan counts, consent and DNIs itself.
//! - Rego (policies/subset.rego): the scenario as an input document, with the local clock
//!   reading in each candidate zone and the start of the 7-calendar-day window precomputed;
//!   the policy counts the calls and evaluates consent and DNIs.
//! - Rego, own time zones (policies/subset_tz.rego): the same document; the policy uses only
//!   the zone names and instants and does its own time-zone arithmetic (`time.clock`, `time.date`).
//! - Cedar (policies/subset.cedar): a context with local seconds, the 7-day per-loan call count
//!   (largest over the request's loans), the consent and the DNI verdict precomputed.

mod cedar;
mod derive;
mod gen;
mod rego;

use cedar_policy::{Authorizer, Decision as CedarDecision, Entities};
use rulec_eval::Engine;
use rulec_scenario::Scenario;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

const RULES: &str = include_str!("../rules/federal/subset.rules");

struct Options {
    scenarios: usize,
    rounds: usize,
    seed: u64,
    check_only: bool,
    /// Time only the engines whose name contains this (for profiling).
    only: Option<String>,
}

fn options() -> Options {
    let mut o = Options { scenarios: 10_000, rounds: 5, seed: 6, check_only: false, only: None };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().and_then(|v| v.parse::<u64>().ok()).unwrap_or_else(|| panic!("{name} needs a number"));
        match arg.as_str() {
            "--scenarios" => o.scenarios = value("--scenarios") as usize,
            "--rounds" => o.rounds = value("--rounds").max(1) as usize,
            "--seed" => o.seed = value("--seed"),
            "--check-only" => o.check_only = true,
            "--only" => o.only = Some(args.next().expect("--only needs a name (rulec, Rego, Cedar, ...)")),
            "--bench" => {} // passed by `cargo bench`
            "-h" | "--help" => {
                println!("usage: rulec-peers [--scenarios N (10000)] [--rounds R (5)] [--seed S (6)] [--check-only] [--only NAME]");
                std::process::exit(0);
            }
            other => panic!("unknown argument {other:?} (try --help)"),
        }
    }
    o
}

/// One scenario in every engine's form.
struct Prepared {
    case: gen::Case,
    derived: derive::Derived,
    yaml: String,
    scenario: Scenario,
    rego_json: serde_json::Value,
    rego: regorus::Value,
    cedar: cedar_policy::Request,
}

fn main() {
    let o = options();
    let started = Instant::now();
    let engine = Engine::from_sources(vec![rulec_syntax::SourceFile::new("rules/federal/subset.rules", RULES)]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(engine.rule_set().rules.len(), 4, "subset.rules has the four rules");
    let mut rego = rego::engine(rego::POLICY);
    let mut rego_tz = rego::engine(rego::POLICY_TZ);
    let rego_compiled = rego::engine(rego::POLICY).compile_with_entrypoint(&rego::ALLOW.into()).unwrap_or_else(|e| panic!("compile: {e}"));
    let mut rego_vm = rego::vm(rego::POLICY, rego::ALLOW);
    let mut rego_vm_prepared = rego::vm(rego::POLICY, rego::ALLOW);
    let mut rego_tz_vm = rego::vm(rego::POLICY_TZ, rego::ALLOW_TZ);
    let (policies, schema) = cedar::load();
    let entities = Entities::empty();
    let authorizer = Authorizer::new();
    let rule_of: BTreeMap<String, String> = policies
        .policies()
        .filter_map(|p| p.annotation("rule").map(|r| (p.id().to_string(), r.to_string())))
        .collect();

    let mut rng = gen::Rng::new(o.seed);
    let prepared: Vec<Prepared> = (0..o.scenarios)
        .map(|i| {
            let case = gen::Case::generate(&mut rng, i);
            let derived = derive::derive(&case);
            let yaml = case.yaml();
            let scenario = rulec_scenario::load_scenario(&yaml).unwrap_or_else(|e| panic!("scenario {i}: {e}\n{yaml}")).0;
            let rego_json = rego::input(&case, &derived);
            let rego = regorus::Value::from_json_str(&rego_json.to_string()).expect("rego input");
            let cedar = cedar::request(&case, &derived, &schema);
            Prepared { case, derived, yaml, scenario, rego_json, rego, cedar }
        })
        .collect();
    println!(
        "{} scenarios (seed {}), built in {:.2} s; {} past interactions in all",
        prepared.len(),
        o.seed,
        started.elapsed().as_secs_f64(),
        prepared.iter().map(|p| p.case.past.len()).sum::<usize>()
    );

    // ---------------------------------------------------------------- agreement
    let mut disagreements = 0;
    let mut fired: BTreeMap<String, usize> = BTreeMap::new();
    let mut allowed = 0usize;
    let mut two_zones = 0usize;
    for p in &prepared {
        let mut zones: Vec<&str> = engine.locate(&p.scenario).zones.iter().map(|z| z.name()).collect();
        let mut meant: Vec<&str> = p.derived.zones.iter().map(|z| z.name()).collect();
        zones.sort();
        meant.sort();
        assert_eq!(zones, meant, "scenario {}: rulec's candidate zones are not the generator's\n{}", p.case.index, p.yaml);
        two_zones += usize::from(zones.len() == 2);

        let decision = engine.decide(&p.scenario).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(engine.allows(&p.scenario).unwrap(), decision.result, "scenario {}: Engine::allows disagrees with Engine::decide", p.case.index);
        assert_eq!(engine.screen(&p.scenario).unwrap().allowed(), decision.result, "scenario {}: Engine::screen disagrees with Engine::decide", p.case.index);
        let mut by_rulec: Vec<String> = decision.blocked_by.iter().map(|f| f.rule.clone()).collect();
        by_rulec.sort();

        rego.set_input(p.rego.clone());
        let by_rego = rego::deny_ids(&rego.eval_rule(rego::DENY.into()).unwrap_or_else(|e| panic!("rego: {e}")));
        let rego_allow = rego.eval_rule(rego::ALLOW.into()).unwrap_or_else(|e| panic!("rego: {e}")) == regorus::Value::from(true);
        rego_tz.set_input(p.rego.clone());
        let by_rego_tz = rego::deny_ids(&rego_tz.eval_rule(rego::DENY_TZ.into()).unwrap_or_else(|e| panic!("rego tz: {e}")));
        let rego_tz_allow = rego_tz.eval_rule(rego::ALLOW_TZ.into()).unwrap_or_else(|e| panic!("rego tz: {e}")) == regorus::Value::from(true);
        rego_vm.set_input(p.rego.clone());
        let vm_allow = rego_vm.execute().unwrap_or_else(|e| panic!("rego vm: {e}")) == regorus::Value::from(true);
        rego_tz_vm.set_input(p.rego.clone());
        let tz_vm_allow = rego_tz_vm.execute().unwrap_or_else(|e| panic!("rego tz vm: {e}")) == regorus::Value::from(true);
        let compiled_allow = rego_compiled.eval_with_input(p.rego.clone()).unwrap_or_else(|e| panic!("rego compiled: {e}")) == regorus::Value::from(true);

        let response = authorizer.is_authorized(&p.cedar, &policies, &entities);
        let cedar_allow = response.decision() == CedarDecision::Allow;
        let mut by_cedar: Vec<String> = if cedar_allow {
            Vec::new()
        } else {
            response.diagnostics().reason().map(|id| rule_of.get(&id.to_string()).cloned().unwrap_or_else(|| id.to_string())).collect()
        };
        by_cedar.sort();
        let errors: Vec<String> = response.diagnostics().errors().map(|e| e.to_string()).collect();

        let verdicts = [decision.result, rego_allow, rego_tz_allow, compiled_allow, vm_allow, tz_vm_allow, cedar_allow];
        let agree = verdicts.iter().all(|v| *v == decision.result)
            && by_rego == by_rulec
            && by_rego_tz == by_rulec
            && by_cedar == by_rulec
            && rego_allow == by_rego.is_empty()
            && errors.is_empty();
        if !agree {
            disagreements += 1;
            if disagreements <= 5 {
                println!("\nDISAGREEMENT on scenario {}:", p.case.index);
                println!("  rulec:          allowed={} blocked by {:?}", decision.result, by_rulec);
                println!("  rego:           allowed={rego_allow} deny {by_rego:?}");
                println!("  rego (tz):      allowed={rego_tz_allow} deny {by_rego_tz:?}");
                println!("  rego compiled:  allowed={compiled_allow}; RVM allowed={vm_allow}; RVM (tz) allowed={tz_vm_allow}");
                println!("  cedar:          allowed={cedar_allow} forbid {by_cedar:?} errors {errors:?}");
                println!("--- scenario (rulec YAML)\n{}", p.yaml);
                println!("--- rego input\n{}", p.rego_json);
                println!("--- cedar request\n{}\n", cedar::describe(&p.case, &p.derived));
            }
        }
        allowed += usize::from(decision.result);
        for rule in by_rulec {
            *fired.entry(rule).or_default() += 1;
        }
    }
    println!(
        "agreement: {} of {} scenarios agree (verdict and blocking rules, all engines); {} allowed, {} blocked; {} with two candidate zones",
        prepared.len() - disagreements,
        prepared.len(),
        allowed,
        prepared.len() - allowed,
        two_zones
    );
    let verdicts: Vec<bool> = prepared.iter().map(|p| engine.decide(&p.scenario).unwrap().result).collect();
    let mut histogram = [0usize; 13];
    for p in &prepared {
        histogram[p.derived.calls_7d.clamp(0, 12) as usize] += 1;
    }
    println!("  counted calls in the last 7 calendar days (largest per loan), scenarios with 0..=12: {histogram:?}");
    for (rule, n) in &fired {
        println!("  {rule:<45} blocks {n:>6}");
    }
    if disagreements > 0 {
        eprintln!("{disagreements} disagreements");
        std::process::exit(1);
    }
    if o.check_only {
        return;
    }

    // ---------------------------------------------------------------- timing
    let scenarios: Vec<&Scenario> = prepared.iter().map(|p| &p.scenario).collect();
    let inputs: Vec<&regorus::Value> = prepared.iter().map(|p| &p.rego).collect();
    let requests: Vec<&cedar_policy::Request> = prepared.iter().map(|p| &p.cedar).collect();
    let allow_rule = rego::ALLOW.to_string();
    let allow_tz_rule = rego::ALLOW_TZ.to_string();
    let yes = regorus::Value::from(true);

    // Each run decides the scenarios listed (indices into `prepared`) and counts the allowed.
    type Run<'a> = Box<dyn FnMut(&[usize]) -> usize + 'a>;
    let mut runs: Vec<(&str, Run)> = vec![
        (
            "rulec (Engine::decide)",
            Box::new(|list| list.iter().filter(|&&i| engine.decide(black_box(scenarios[i])).unwrap().result).count()),
        ),
        (
            "rulec, verdict only (Engine::allows)",
            Box::new(|list| list.iter().filter(|&&i| engine.allows(black_box(scenarios[i])).unwrap()).count()),
        ),
        (
            "rulec, every rule (Engine::screen)",
            Box::new(|list| list.iter().filter(|&&i| engine.screen(black_box(scenarios[i])).unwrap().allowed()).count()),
        ),
        (
            "rulec prepare: history index (History::new)",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        let s = black_box(scenarios[i]);
                        black_box(rulec_scenario::History::new(s.interactions(), s.contacts().len(), s.loans().len()));
                        verdicts[i]
                    })
                    .count()
            }),
        ),
        (
            "rulec index + Engine::screen",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        let s = black_box(scenarios[i]);
                        black_box(rulec_scenario::History::new(s.interactions(), s.contacts().len(), s.loans().len()));
                        engine.screen(s).unwrap().allowed()
                    })
                    .count()
            }),
        ),
        (
            "rulec index + Engine::decide",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        let s = black_box(scenarios[i]);
                        black_box(rulec_scenario::History::new(s.interactions(), s.contacts().len(), s.loans().len()));
                        engine.decide(s).unwrap().result
                    })
                    .count()
            }),
        ),
        (
            "Rego prepare: derive.rs + input Value",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        let case = black_box(&prepared[i].case);
                        black_box(regorus::Value::from_json_str(&rego::input(case, &derive::derive(case)).to_string()).unwrap());
                        verdicts[i]
                    })
                    .count()
            }),
        ),
        (
            "Rego RVM + its preparation, timed",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        let case = black_box(&prepared[i].case);
                        let input = regorus::Value::from_json_str(&rego::input(case, &derive::derive(case)).to_string()).unwrap();
                        rego_vm_prepared.set_input(input);
                        rego_vm_prepared.execute().unwrap() == yes
                    })
                    .count()
            }),
        ),
        (
            "Cedar prepare: derive.rs + request",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        let case = black_box(&prepared[i].case);
                        black_box(cedar::request(case, &derive::derive(case), &schema));
                        verdicts[i]
                    })
                    .count()
            }),
        ),
        (
            "Rego, precomputed clock (regorus eval_rule)",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        rego.set_input(black_box(inputs[i]).clone());
                        rego.eval_rule(allow_rule.clone()).unwrap() == yes
                    })
                    .count()
            }),
        ),
        (
            "Rego, own time zones (regorus eval_rule)",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        rego_tz.set_input(black_box(inputs[i]).clone());
                        rego_tz.eval_rule(allow_tz_rule.clone()).unwrap() == yes
                    })
                    .count()
            }),
        ),
        (
            "Rego, precomputed clock (CompiledPolicy)",
            Box::new(|list| list.iter().filter(|&&i| rego_compiled.eval_with_input(black_box(inputs[i]).clone()).unwrap() == yes).count()),
        ),
        (
            "Rego, precomputed clock (RVM bytecode)",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        rego_vm.set_input(black_box(inputs[i]).clone());
                        rego_vm.execute().unwrap() == yes
                    })
                    .count()
            }),
        ),
        (
            "Rego, own time zones (RVM bytecode)",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        rego_tz_vm.set_input(black_box(inputs[i]).clone());
                        rego_tz_vm.execute().unwrap() == yes
                    })
                    .count()
            }),
        ),
        (
            "Cedar, precomputed context (is_authorized)",
            Box::new(|list| {
                list.iter().filter(|&&i| authorizer.is_authorized(black_box(requests[i]), &policies, &entities).decision() == CedarDecision::Allow).count()
            }),
        ),
        (
            "Cedar + its precomputation, timed (derive.rs)",
            Box::new(|list| {
                list.iter()
                    .filter(|&&i| {
                        let case = black_box(&prepared[i].case);
                        let request = cedar::request(case, &derive::derive(case), &schema);
                        authorizer.is_authorized(&request, &policies, &entities).decision() == CedarDecision::Allow
                    })
                    .count()
            }),
        ),
    ];
    if let Some(only) = &o.only {
        runs.retain(|(name, _)| name.contains(only.as_str()));
        assert!(!runs.is_empty(), "--only {only}: no engine of that name");
    }
    let all: Vec<usize> = (0..prepared.len()).collect();
    let (allowed_list, blocked_list): (Vec<usize>, Vec<usize>) = all.iter().partition(|&&i| verdicts[i]);
    let groups: [(&str, &[usize], usize); 3] =
        [("all", &all, allowed), ("allowed", &allowed_list, allowed_list.len()), ("blocked", &blocked_list, 0)];
    // Runs alternate within each round, so that drift in the machine's speed hits them alike.
    let mut seconds: Vec<[Vec<f64>; 3]> = (0..runs.len()).map(|_| Default::default()).collect();
    for round in 0..=o.rounds {
        for (g, (group, list, expected)) in groups.iter().enumerate() {
            for (r, (name, run)) in runs.iter_mut().enumerate() {
                let t = Instant::now();
                let n = black_box(run(list));
                let elapsed = t.elapsed().as_secs_f64();
                assert_eq!(n, *expected, "{name}, {group} scenarios: allowed count changed");
                if round > 0 {
                    seconds[r][g].push(elapsed); // round 0 warms up
                }
            }
        }
    }
    let median_rate = |s: &mut Vec<f64>, n: usize| {
        s.sort_by(f64::total_cmp);
        n as f64 / s[s.len() / 2]
    };
    let rates: Vec<[f64; 3]> = seconds
        .iter_mut()
        .map(|[a, b, c]| [median_rate(a, all.len()), median_rate(b, allowed_list.len()), median_rate(c, blocked_list.len())])
        .collect();
    println!(
        "\none thread, {} scenarios ({} allowed, {} blocked), median of {} rounds after one warm-up round",
        prepared.len(),
        allowed_list.len(),
        blocked_list.len(),
        o.rounds
    );
    // Ratios against rulec's full decision (findings, messages, release times) and against its
    // verdict alone, which is what the peers return.
    println!(
        "{:<44} {:>12} {:>10} {:>9} {:>9} {:>10} {:>10}",
        "engine", "decisions/s", "µs each", "decide ×", "allows ×", "µs allowed", "µs blocked"
    );
    let ratio = |base: Option<usize>, r: usize| match base {
        Some(b) if b != r && runs[b].0.starts_with("rulec") && !runs[r].0.starts_with("rulec") => format!("{:.1}×", rates[b][0] / rates[r][0]),
        _ => "-".to_string(),
    };
    let decide = runs.iter().position(|(n, _)| n.contains("Engine::decide"));
    let allows = runs.iter().position(|(n, _)| n.contains("Engine::allows"));
    for (r, (name, _)) in runs.iter().enumerate() {
        println!(
            "{:<44} {:>12.0} {:>10.2} {:>9} {:>9} {:>10.2} {:>10.2}",
            name,
            rates[r][0],
            1e6 / rates[r][0],
            ratio(decide, r),
            ratio(allows, r),
            1e6 / rates[r][1],
            1e6 / rates[r][2]
        );
    }
}
