//! `rulec eval`: one decision.

use crate::cli::{EvalArgs, EvalFormat, Global};
use crate::files::{self, display};
use crate::report;
use crate::{Failure, Outcome};
use rulec_scenario::Document;
use serde_json::json;
use std::path::Path;

pub fn run(global: &Global, mut args: EvalArgs) -> Outcome {
    args.default_policy = global.default_policy();
    if args.format.is_none() && args.batch.is_none() {
        args.format = global.project.as_ref().and_then(|p| p.formats.eval);
    }
    let scenario_path = match (&args.batch, &args.scenario) {
        (Some(input), _) => return crate::batch::run(global, &args, input),
        (None, Some(path)) => path.clone(),
        (None, None) => return Err(Failure("give a SCENARIO file, or --batch FILE".into())),
    };
    // --explain asks for the readable report; without it a pipe gets JSON, a terminal a summary.
    let format = args
        .format
        .unwrap_or(if args.explain || files::stdout_is_terminal() {
            EvalFormat::Human
        } else {
            EvalFormat::Json
        });
    let json = format == EvalFormat::Json;

    // The scenario is read first: an unreadable file is a usage error whatever the rules.
    let limits = global.scenario_limits();
    let (label, text) = if scenario_path == "-" {
        ("<stdin>".to_string(), files::read_scenario(None, &limits)?)
    } else {
        let path = Path::new(&scenario_path);
        (display(path), files::read_scenario(Some(path), &limits)?)
    };

    let loaded = report::load_rules(global)?;

    let mut scenario = match rulec_scenario::load_document_with(&text, &limits) {
        Ok(Document::Scenario { scenario, .. }) => scenario,
        Ok(Document::Suite(suite)) => {
            let message = format!(
                "{label} is a suite ('{}', {} cases), not a single scenario; run it with `rulec test {label}`",
                suite.name,
                suite.cases.len()
            );
            if json {
                print_error_shape(&message)?;
            }
            files::err(&format!("error: {message}\n"));
            return Ok(2);
        }
        Err(errors) => {
            if json {
                print_error_shape(&errors.to_string())?;
            }
            files::err(&format!(
                "error: {label}: invalid scenario ({})\n\n{}",
                files::count(errors.len(), "error"),
                crate::input_errors::render(&label, &text, &errors, files::color_stderr())
            ));
            return Ok(2);
        }
    };
    if let Err(message) = apply_overrides(&mut scenario, &args) {
        return input_error(json, &label, &[message]);
    }
    let decided = if args.explain { loaded.engine.explain(&scenario) } else { loaded.engine.decide(&scenario) };
    let decision = match decided {
        Ok(decision) => decision,
        Err(error) => return input_error(json, &label, &[error.message]),
    };

    if json {
        let mut value = decision.to_json();
        if args.explain {
            value["trace"] = serde_json::to_value(&decision.trace).map_err(Failure::from)?;
        }
        files::out(&(serde_json::to_string_pretty(&value).map_err(Failure::from)? + "\n"));
    } else {
        let mut text = String::new();
        if let Some(name) = scenario.name() {
            text.push_str(&format!("scenario: {name} ({label})\n"));
        } else {
            text.push_str(&format!("scenario: {label}\n"));
        }
        text.push_str(&format!("now: {}\n", report::instant(scenario.now(), &report::zones(&decision))));
        if let Some(policy) = scenario.policy() {
            text.push_str(&format!("policy: {policy}\n"));
        }
        text.push('\n');
        text.push_str(&report::explain(&decision, args.explain));
        if args.explain {
            let skipped = report::skipped_rules(&decision, loaded.engine.rule_set(), &scenario);
            if !skipped.is_empty() {
                text.push_str("\nnot in force for this request:\n");
                text.push_str(&skipped);
            }
        }
        files::out(&text);
    }
    Ok(0)
}

/// An invalid scenario: exit 2; the errors on stderr, and the platform's error shape on stdout
/// in the JSON format.
fn input_error(json: bool, label: &str, lines: &[String]) -> Outcome {
    if json {
        print_error_shape(&lines.join("\n"))?;
    }
    let mut text = format!(
        "error: {label}: invalid scenario ({})\n",
        files::count(lines.len(), "error")
    );
    for line in lines {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    files::err(&text);
    Ok(2)
}

/// `{"statusCode": 400, "message": …, "errorType": "ValidationError"}` on stdout.
fn print_error_shape(message: &str) -> Result<(), Failure> {
    files::out(&(serde_json::to_string_pretty(&error_shape(message)).map_err(Failure::from)? + "\n"));
    Ok(())
}

/// The platform's error shape: `{"statusCode": 400, "message": …, "errorType": "ValidationError"}`.
pub fn error_shape(message: &str) -> serde_json::Value {
    json!({ "statusCode": 400, "message": message, "errorType": "ValidationError" })
}

/// `--now` and `--policy`, which replace the scenario's own; rulec.toml's `policy` for a
/// scenario that names none. An error for a `--now` the scenario cannot hold (its year in UTC
/// outside 0 to 9999).
pub fn apply_overrides(scenario: &mut rulec_scenario::Scenario, args: &EvalArgs) -> Result<(), String> {
    if let Some(now) = args.now {
        scenario
            .set_now(now.with_timezone(&chrono::Utc))
            .map_err(|e| format!("--now {}: {}", now.to_rfc3339(), e.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ")))?;
    }
    if let Some(policy) = &args.policy {
        scenario.set_policy(Some(policy.clone()));
    } else if scenario.policy().is_none() {
        scenario.set_policy(args.default_policy.clone());
    }
    Ok(())
}

/// The decision, with its trace when `explain`.
pub fn decide(engine: &rulec_eval::Engine, scenario: &rulec_scenario::Scenario, explain: bool) -> Result<rulec_eval::Decision, rulec_eval::EvalError> {
    if explain {
        engine.explain(scenario)
    } else {
        engine.decide(scenario)
    }
}

/// The decision envelope of scenarios.md, with a top-level `trace` when `explain`.
pub fn decision_json(decision: &rulec_eval::Decision, explain: bool) -> Result<serde_json::Value, serde_json::Error> {
    let mut value = decision.to_json();
    if explain {
        value["trace"] = serde_json::to_value(&decision.trace)?;
    }
    Ok(value)
}
