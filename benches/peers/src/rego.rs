//! The Rego side: one regorus input document per scenario (see policies/subset.rego for what
//! it holds), and the engine with both policies loaded.

use crate::derive::Derived;
use crate::gen::{Case, CONTACT_IDS, LOAN_IDS, THEME};
use serde_json::{json, Value as Json};

pub const POLICY: &str = include_str!("../policies/subset.rego");
pub const POLICY_TZ: &str = include_str!("../policies/subset_tz.rego");
pub const ALLOW: &str = "data.rulec.subset.allow";
pub const DENY: &str = "data.rulec.subset.deny";
pub const ALLOW_TZ: &str = "data.rulec.subset_tz.allow";
pub const DENY_TZ: &str = "data.rulec.subset_tz.deny";

const NS: i64 = 1_000_000_000;

/// The input document, as JSON (for printing) and as a regorus value (built once).
pub fn input(case: &Case, derived: &Derived) -> Json {
    let loans = |ls: &[usize]| ls.iter().map(|&l| LOAN_IDS[l]).collect::<Vec<_>>();
    let consents = match case.consent {
        Some(v) => json!({ "autodialedColl": v }),
        None => json!({}),
    };
    let interactions: Vec<Json> = case
        .past
        .iter()
        .enumerate()
        .map(|(i, p)| {
            json!({
                "id": format!("IN-PEER-{:04}", i + 1),
                "channel": p.channel,
                "direction": p.direction,
                "status": p.status,
                "theme": THEME,
                "contact_id": CONTACT_IDS[p.contact()],
                "is_autodialed": p.autodialed,
                "start_s": p.start.timestamp(),
                "start_ns": p.start.timestamp() * NS,
                "loan_ids": loans(&p.loans),
            })
        })
        .collect();
    let dnis: Vec<Json> = case
        .dnis
        .iter()
        .enumerate()
        .map(|(i, d)| {
            json!({
                "id": format!("DN-PEER-{:04}", i + 1),
                "channels": d.channels,
                "themes": d.themes,
                "subjects": [],
                "contact_ids": d.contacts.iter().map(|&c| CONTACT_IDS[c]).collect::<Vec<_>>(),
                "starts_s": d.starts.map(|t| t.timestamp()),
                "expires_s": d.expires.map(|t| t.timestamp()),
            })
        })
        .collect();
    json!({
        "role": case.role,
        "channel": case.channel,
        "theme": THEME,
        "subject": null,
        "contact_id": CONTACT_IDS[0],
        "is_autodialed": case.autodialed,
        "loan_ids": loans(&case.request_loans),
        "all_loan_ids": LOAN_IDS[..case.loans],
        "consents": consents,
        "now_s": case.now.timestamp(),
        "now_ns": case.now.timestamp() * NS,
        // Precomputed for policies/subset.rego (subset_tz.rego uses `zones` and `now_ns`):
        "local_seconds": derived.local_seconds,
        "window_start_s": derived.window_start.timestamp(),
        "zones": derived.zones.iter().map(|z| z.name()).collect::<Vec<_>>(),
        "interactions": interactions,
        "dnis": dnis,
    })
}

/// An engine with one policy loaded: [`POLICY`] or [`POLICY_TZ`].
pub fn engine(policy: &str) -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine.add_policy("policy.rego".into(), policy.into()).unwrap_or_else(|e| panic!("{e}"));
    engine
}

/// The ids in a `deny` set, sorted.
pub fn deny_ids(value: &regorus::Value) -> Vec<String> {
    match value {
        regorus::Value::Set(set) => {
            let mut ids: Vec<String> = set.iter().map(|v| v.as_string().map(|s| s.to_string()).unwrap_or_else(|_| v.to_string())).collect();
            ids.sort();
            ids
        }
        other => panic!("deny is not a set: {other}"),
    }
}

/// The policy compiled to RVM bytecode, in a VM ready for `set_input` + `execute`.
pub fn vm(policy: &str, entry_point: &str) -> regorus::rvm::RegoVM {
    let compiled = engine(policy).compile_with_entrypoint(&entry_point.into()).unwrap_or_else(|e| panic!("{e}"));
    let program = regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[entry_point])
        .unwrap_or_else(|e| panic!("RVM: {e}"));
    let mut vm = regorus::rvm::RegoVM::new();
    vm.load_program(program);
    vm
}
