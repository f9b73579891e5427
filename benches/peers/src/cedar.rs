//! The Cedar side: policies/subset.cedar validated against policies/subset.cedarschema, and one
//! `Request` per scenario whose context the harness precomputed (`derive.rs`).

use crate::derive::Derived;
use crate::gen::{Case, BORROWER_ID};
use cedar_policy::{Context, EntityUid, PolicySet, Request, RestrictedExpression, Schema, ValidationMode, Validator};
use std::str::FromStr;

pub const POLICY: &str = include_str!("../policies/subset.cedar");
pub const SCHEMA: &str = include_str!("../policies/subset.cedarschema");

pub fn load() -> (PolicySet, Schema) {
    let policies = PolicySet::from_str(POLICY).unwrap_or_else(|e| panic!("subset.cedar: {e:?}"));
    let (schema, warnings) = Schema::from_cedarschema_str(SCHEMA).unwrap_or_else(|e| panic!("subset.cedarschema: {e:?}"));
    for w in warnings {
        eprintln!("subset.cedarschema: {w}");
    }
    let result = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
    if !result.validation_passed() {
        panic!("subset.cedar does not validate against its schema: {result}");
    }
    (policies, schema)
}

pub fn context_pairs(case: &Case, d: &Derived) -> Vec<(String, RestrictedExpression)> {
    let first = d.local_seconds[0];
    let second = d.local_seconds.get(1).copied().unwrap_or(first);
    vec![
        ("channel".into(), RestrictedExpression::new_string(case.channel.into())),
        ("is_autodialed".into(), RestrictedExpression::new_bool(case.autodialed)),
        ("local_seconds_1".into(), RestrictedExpression::new_long(first)),
        ("local_seconds_2".into(), RestrictedExpression::new_long(second)),
        ("calls_7d".into(), RestrictedExpression::new_long(d.calls_7d)),
        ("autodialed_coll_revoked".into(), RestrictedExpression::new_bool(d.autodialed_coll_revoked)),
        ("dni_active".into(), RestrictedExpression::new_bool(d.dni_active)),
    ]
}

/// A textual form of the context, for reports.
pub fn describe(case: &Case, d: &Derived) -> String {
    let second = d.local_seconds.get(1).copied().unwrap_or(d.local_seconds[0]);
    format!(
        "principal {}, context {{channel: {:?}, is_autodialed: {}, local_seconds_1: {}, local_seconds_2: {}, calls_7d: {}, autodialed_coll_revoked: {}, dni_active: {}}}",
        principal(case),
        case.channel,
        case.autodialed,
        d.local_seconds[0],
        second,
        d.calls_7d,
        d.autodialed_coll_revoked,
        d.dni_active
    )
}

fn principal(case: &Case) -> String {
    let kind = match case.role {
        "collector" => "Collector",
        "creditor" => "Creditor",
        _ => "Servicer",
    };
    format!("{kind}::\"acme\"")
}

pub fn request(case: &Case, d: &Derived, schema: &Schema) -> Request {
    let principal = EntityUid::from_str(&principal(case)).expect("principal");
    let action = EntityUid::from_str("Action::\"interact\"").expect("action");
    let resource = EntityUid::from_str(&format!("Borrower::\"{BORROWER_ID}\"")).expect("resource");
    let context = Context::from_pairs(context_pairs(case, d)).expect("context");
    Request::new(principal, action, resource, context, Some(schema)).unwrap_or_else(|e| panic!("request: {e}"))
}
