//! Suites: `defaults` deep-merged under each case, each case validated on its own.

use crate::error::{InputError, InputErrors};
use crate::read::{index, text, Ctx, Fields};
use crate::scenario::{read_scenario, CASE_FIELDS, DEFAULTS_FIELDS};
use crate::types::{Suite, SuiteCase};
use crate::yaml::{Limits, Value};

const SUITE_FIELDS: &[&str] = &["suite", "description", "defaults", "cases"];

/// What is appended to the message of a case error whose value came from `defaults`.
const FROM_DEFAULTS: &str = " (from defaults)";

/// Deep merge: objects merge key by key (the case's value wins, recursively); lists and
/// scalars of the case replace the default's. A `null` in the case replaces the default too,
/// which is how a case removes a default (null counts as absent).
pub fn merge(defaults: &Value, case: &Value) -> Value {
    match (defaults, case) {
        (Value::Map(base), Value::Map(over)) => {
            let mut out: Vec<(String, Value)> = base.clone();
            // Keys are unique in each object: an index keeps merging linear in their number.
            let mut at: std::collections::HashMap<String, usize> =
                out.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect();
            for (k, v) in over {
                match at.get(k) {
                    Some(&i) => out[i].1 = merge(&out[i].1, v),
                    None => {
                        at.insert(k.clone(), out.len());
                        out.push((k.clone(), v.clone()));
                    }
                }
            }
            Value::Map(out)
        }
        (_, over) => over.clone(),
    }
}

enum Seg<'a> {
    Key(&'a str),
    Index,
}

fn segments(rel: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for piece in rel.split('.').filter(|p| !p.is_empty()) {
        let (name, rest) = piece.split_once('[').map_or((piece, ""), |(n, r)| (n, r));
        if !name.is_empty() {
            out.push(Seg::Key(name));
        }
        out.extend(rest.matches(']').map(|_| Seg::Index));
    }
    out
}

/// Did the value at `rel` (a path inside the merged case) come from `defaults`?
fn from_defaults(case: &Value, defaults: &Value, rel: &str) -> bool {
    let (mut c, mut d) = (case, Some(defaults));
    for seg in segments(rel) {
        match seg {
            Seg::Index => return false, // lists come whole from one side; we are in the case's
            Seg::Key(k) => match c {
                Value::Map(_) => match c.get(k) {
                    Some(next) => {
                        c = next;
                        d = d.and_then(|d| d.get(k));
                    }
                    None => return d.and_then(|d| d.get(k)).is_some(),
                },
                _ => return false,
            },
        }
    }
    false
}

/// Reads a suite from the top-level object.
pub(crate) fn read_suite(root: &Value, limits: &Limits) -> Result<Suite, InputErrors> {
    let mut cx = Ctx::new(false);
    let Some(f) = Fields::open(&mut cx, "", root, SUITE_FIELDS) else {
        return Err(InputErrors(cx.into_errors()));
    };
    let name = f.req(&mut cx, "suite", text);
    let description = f.opt(&mut cx, "description", text);

    let empty = Value::Map(Vec::new());
    let errors_before_defaults = cx.count();
    let defaults = match f.get("defaults") {
        None => &empty,
        Some(v @ Value::Map(_)) => {
            // Validate what can be validated without a case: shapes, types, names, formats,
            // required fields inside list items. Not required fields a case may still merge
            // in, nor references.
            let mut partial = Ctx::new(true);
            if let Some(df) = Fields::open(&mut partial, "defaults", v, DEFAULTS_FIELDS) {
                let _ = read_scenario(&mut partial, &df);
            }
            cx.absorb(partial.into_errors());
            v
        }
        Some(other) => {
            cx.error("defaults", format!("expected an object, found {}", other.describe()));
            &empty
        }
    };
    let defaults_ok = cx.count() == errors_before_defaults;

    let mut cases = Vec::new();
    match f.get("cases") {
        None => cx.error("cases", "required field missing"),
        Some(Value::Seq(items)) if items.is_empty() => {
            cx.error("cases", "a suite needs at least one case")
        }
        Some(Value::Seq(items)) if values(defaults).saturating_mul(items.len()) > limits.max_values => {
            // Each case gets its own copy of the defaults: refuse a copy bomb before making it.
            cx.error(
                "defaults",
                format!(
                    "the defaults hold {} values and would be copied into each of the {} cases, over the limit of {} values",
                    values(defaults),
                    items.len(),
                    limits.max_values
                ),
            )
        }
        Some(Value::Seq(items)) => {
            let mut names: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
            for (i, case) in items.iter().enumerate() {
                let mut sc = read_case(i, case, defaults, defaults_ok);
                if let Some(first) = names.get(&sc.name) {
                    let error = InputError::new(
                        format!("cases[{i}].name"),
                        format!("duplicate case name '{}', also used by cases[{first}]", sc.name),
                    );
                    match &mut sc.result {
                        Ok(_) => sc.result = Err(InputErrors(vec![error])),
                        Err(errors) => errors.0.insert(0, error),
                    }
                } else if case.get("name").is_some() {
                    names.insert(sc.name.clone(), i);
                }
                cases.push(sc);
            }
        }
        Some(other) => cx.error("cases", format!("expected a list, found {}", other.describe())),
    }

    if cx.count() > 0 {
        // A broken suite is an error as a whole; the cases' own problems are listed too so
        // one pass shows everything.
        let mut all = cx;
        for case in cases {
            if let Err(case_errors) = case.result {
                all.absorb(case_errors);
            }
        }
        return Err(InputErrors(all.into_errors()));
    }
    Ok(Suite { name: name.unwrap_or_default(), description, cases })
}

/// How many values a tree holds (itself included).
fn values(value: &Value) -> usize {
    match value {
        Value::Seq(items) => 1 + items.iter().map(values).sum::<usize>(),
        Value::Map(entries) => 1 + entries.iter().map(|(_, v)| values(v)).sum::<usize>(),
        _ => 1,
    }
}

fn read_case(i: usize, case: &Value, defaults: &Value, defaults_ok: bool) -> SuiteCase {
    let path = index("cases", i);
    let mut cx = Ctx::new(false);
    let fallback_name = path.clone();
    if !matches!(case, Value::Map(_)) {
        cx.error(&path, format!("expected an object, found {}", case.describe()));
        return SuiteCase { name: fallback_name, index: i, description: None, result: Err(InputErrors(cx.into_errors())) };
    }
    let merged = merge(defaults, case);
    let f = Fields::open(&mut cx, &path, &merged, CASE_FIELDS).expect("a merged object is an object");
    let name = f.req(&mut cx, "name", text);
    let description = f.opt(&mut cx, "description", text);
    let read = read_scenario(&mut cx, &f);
    require_expect(&mut cx, &f);

    // Mark, or drop when defaults are already reported broken, the errors whose value came
    // from defaults.
    let mut errors = Vec::new();
    for mut error in cx.into_errors() {
        let rel = error.path.strip_prefix(path.as_str()).unwrap_or(&error.path);
        if from_defaults(case, defaults, rel) {
            if !defaults_ok {
                continue;
            }
            error.message.push_str(FROM_DEFAULTS);
        }
        errors.push(error);
    }
    let result = match read {
        Some(ok) if errors.is_empty() => Ok(ok),
        _ if errors.is_empty() && !defaults_ok => Err(InputErrors::one(
            path.clone(),
            "not checked further: the suite's defaults have errors",
        )),
        _ if errors.is_empty() => Err(InputErrors::one(path.clone(), "invalid case (internal: no error recorded)")),
        _ => Err(InputErrors(errors)),
    };
    SuiteCase { name: name.unwrap_or(fallback_name), index: i, description, result }
}

/// A suite case must assert something: an `expect` with at least `result` (a case that asserts
/// nothing would pass whatever the rules decide).
fn require_expect(cx: &mut Ctx, f: &Fields<'_>) {
    let Some(expect) = f.get("expect") else {
        let message = "required field missing: a suite case says what it expects, at least `expect: {result: true}` or `{result: false}`";
        cx.error(&f.at("expect"), message);
        return;
    };
    // Not an object: read_expect has said so already.
    let no_result = expect.get("result").is_none_or(|r| matches!(r, Value::Null));
    if matches!(expect, Value::Map(_)) && no_result {
        let message = "required field missing: a suite case's expect says at least whether the request is allowed (true or false)";
        cx.error(&format!("{}.result", f.at("expect")), message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::Str(x.into())
    }

    #[test]
    fn origin_of_a_path() {
        let defaults = Value::Map(vec![
            ("borrower".into(), Value::Map(vec![("id".into(), s("bad"))])),
            ("contacts".into(), Value::Seq(vec![Value::Map(vec![("id".into(), s("C1"))])])),
            ("request".into(), Value::Map(vec![("contactId".into(), s("C9"))])),
        ]);
        let case = Value::Map(vec![
            ("contacts".into(), Value::Seq(vec![Value::Map(vec![("id".into(), s("C2"))])])),
            ("request".into(), Value::Map(vec![("channel".into(), s("voice"))])),
        ]);
        assert!(from_defaults(&case, &defaults, ".borrower.id"));
        assert!(from_defaults(&case, &defaults, ".request.contactId"));
        assert!(!from_defaults(&case, &defaults, ".request.channel"));
        assert!(!from_defaults(&case, &defaults, ".contacts[0].id"));
        assert!(!from_defaults(&case, &defaults, ".request.theme"));
        assert!(!from_defaults(&case, &defaults, ""));
    }
}
