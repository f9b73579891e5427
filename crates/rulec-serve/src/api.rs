//! The routes: decisions, batches, the catalog, health and metrics.

use crate::state::Service;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;
use subtle::ConstantTimeEq;

pub fn router(service: Arc<Service>) -> Router {
    let body_limit = service.config.limits.max_input_bytes;
    let v1 = Router::new()
        .route("/v1/decide", post(decide))
        .route("/v1/batch", post(batch))
        .route("/v1/rules", get(rules))
        .route("/v1/rules/{id}", get(rule))
        .route("/v1/policies", get(policies))
        .layer(middleware::from_fn_with_state(service.clone(), guard));
    Router::new()
        .merge(v1)
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/", get(crate::page::rules))
        .route("/policies", get(crate::page::policies))
        .route("/playground", get(crate::page::playground_form).post(crate::page::playground))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(service)
}

/// The platform's error shape.
fn error(status: StatusCode, message: impl Into<String>, error_type: &str) -> Response {
    (status, Json(json!({"statusCode": status.as_u16(), "message": message.into(), "errorType": error_type}))).into_response()
}

/// The bearer token, the bound on requests in flight, and the time limit, for every `/v1/` route.
async fn guard(State(service): State<Arc<Service>>, headers: HeaderMap, request: Request, next: Next) -> Response {
    if let Some(token) = &service.config.token {
        let given = headers.get(header::AUTHORIZATION).and_then(|h| h.to_str().ok()).and_then(|h| h.strip_prefix("Bearer ")).unwrap_or("");
        if !bool::from(given.as_bytes().ct_eq(token.as_bytes())) {
            service.metrics.unauthorized.fetch_add(1, Ordering::Relaxed);
            return error(StatusCode::UNAUTHORIZED, "a bearer token is required (Authorization: Bearer …)", "UnauthorizedError");
        }
    }
    let Ok(_permit) = service.in_flight.try_acquire() else {
        service.metrics.rejected_busy.fetch_add(1, Ordering::Relaxed);
        let mut response = error(StatusCode::TOO_MANY_REQUESTS, "too many requests in flight; retry shortly", "TooManyRequestsError");
        response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        return response;
    };
    match tokio::time::timeout(service.config.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            service.metrics.timeouts.fetch_add(1, Ordering::Relaxed);
            error(StatusCode::SERVICE_UNAVAILABLE, "the request took longer than the server's time limit", "TimeoutError")
        }
    }
}

#[derive(Deserialize, Default)]
struct DecideQuery {
    #[serde(default)]
    explain: bool,
    policy: Option<String>,
}

/// One scenario's answer: the decision envelope, or the error shape and its status.
fn decide_one(service: &Service, text: &str, query: &DecideQuery) -> (StatusCode, Value) {
    let started = Instant::now();
    let loaded = service.rules();
    let bad = |message: String| {
        service.metrics.input_errors.fetch_add(1, Ordering::Relaxed);
        (StatusCode::BAD_REQUEST, json!({"statusCode": 400, "message": message, "errorType": "ValidationError"}))
    };
    let mut scenario = match rulec_scenario::load_document_with(text, &service.config.limits) {
        Ok(rulec_scenario::Document::Scenario { scenario, .. }) => scenario,
        Ok(rulec_scenario::Document::Suite(suite)) => return bad(format!("the body is a suite ('{}'), not a single scenario", suite.name)),
        Err(errors) => return bad(errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")),
    };
    if let Some(policy) = &query.policy {
        scenario.set_policy(Some(policy.clone()));
    }
    let decided = if query.explain { loaded.engine.explain(&scenario) } else { loaded.engine.decide(&scenario) };
    let decision = match decided {
        Ok(d) => d,
        Err(e) => return bad(e.message),
    };
    let mut value = decision.to_json();
    if query.explain {
        value["trace"] = serde_json::to_value(&decision.trace).unwrap_or(Value::Null);
    }
    service.metrics.decided(decision.result);
    service.metrics.observe(started.elapsed().as_secs_f64());
    service.log(text, &value);
    (StatusCode::OK, value)
}

async fn decide(State(service): State<Arc<Service>>, Query(query): Query<DecideQuery>, body: Bytes) -> Response {
    let Ok(text) = std::str::from_utf8(&body) else {
        service.metrics.input_errors.fetch_add(1, Ordering::Relaxed);
        return error(StatusCode::BAD_REQUEST, "the body is not UTF-8 text", "ValidationError");
    };
    let text = text.to_string();
    let worker = service.clone();
    let (status, value) = match tokio::task::spawn_blocking(move || decide_one(&worker, &text, &query)).await {
        Ok(answer) => answer,
        Err(_) => return error(StatusCode::INTERNAL_SERVER_ERROR, "the decision failed", "InternalError"),
    };
    // The same bytes `rulec eval --format json` prints.
    let text = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    (status, [(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// NDJSON in, NDJSON out: one line per input line, in order; a bad line answers with the error
/// shape (and `line`) in its place.
async fn batch(State(service): State<Arc<Service>>, Query(query): Query<DecideQuery>, body: Bytes) -> Response {
    let worker = service.clone();
    let out = tokio::task::spawn_blocking(move || {
        let mut out = String::new();
        for (n, line) in body.split(|&b| b == b'\n').enumerate() {
            let line = std::str::from_utf8(line).unwrap_or("\u{fffd}").trim();
            if line.is_empty() {
                continue;
            }
            let (status, mut value) = decide_one(&worker, line, &query);
            if status != StatusCode::OK {
                value["line"] = json!(n + 1);
            }
            out.push_str(&serde_json::to_string(&value).unwrap_or_default());
            out.push('\n');
        }
        out
    })
    .await
    .unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/x-ndjson")], out).into_response()
}

/// A rule as the catalog shows it.
pub(crate) fn rule_json(rule: &rulec_check::checked::Rule) -> Value {
    let roles: Vec<&str> = rule.roles.iter().map(rulec_model::Vocabulary::name).collect();
    let channels: Vec<&str> = rule.channels().iter().map(rulec_model::Vocabulary::name).collect();
    let unsure: Vec<&String> = rule.doc.iter().skip_while(|l| !l.trim_start().starts_with("## Unsure") && !l.trim_start().starts_with("Unsure:")).collect();
    json!({
        "id": rule.id,
        "title": rule.title,
        "citations": rule.citations,
        "jurisdiction": rule.jurisdiction.label(),
        "severity": match rule.severity { rulec_check::checked::Severity::Block => "blocks", rulec_check::checked::Severity::Warn => "warns" },
        "roles": roles,
        "channels": channels,
        "effectiveFrom": rule.effective_from.map(|d| d.to_string()),
        "effectiveUntil": rule.effective_until.map(|d| d.to_string()),
        "doc": rule.doc.join("\n"),
        "unsure": unsure.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("\n"),
        "origin": {"file": rule.origin.file, "offset": rule.origin.span.start},
    })
}

async fn rules(State(service): State<Arc<Service>>) -> Response {
    let loaded = service.rules();
    let list: Vec<Value> = loaded.engine.rule_set().rules.iter().map(rule_json).collect();
    Json(json!({"rules": list})).into_response()
}

async fn rule(State(service): State<Arc<Service>>, Path(id): Path<String>) -> Response {
    let loaded = service.rules();
    match loaded.engine.rule_set().rule(&id) {
        Some(rule) => Json(rule_json(rule)).into_response(),
        None => {
            let ids: Vec<&str> = loaded.engine.rule_set().rules.iter().map(|r| r.id.as_str()).collect();
            let hint = rulec_model::suggest(&id, &ids).map_or(String::new(), |s| format!(", did you mean '{s}'?"));
            error(StatusCode::NOT_FOUND, format!("no rule '{id}'{hint}"), "NotFoundError")
        }
    }
}

async fn policies(State(service): State<Arc<Service>>) -> Response {
    let loaded = service.rules();
    Json(json!({"policies": policies_json(loaded.engine.rule_set())})).into_response()
}

/// Each policy with its mutes and its own rules.
pub(crate) fn policies_json(rule_set: &rulec_check::checked::RuleSet) -> Vec<Value> {
    rule_set
        .policies
        .iter()
        .map(|p| {
            let mutes: Vec<Value> = p
                .mutes
                .iter()
                .map(|m| {
                    let rules: Vec<&str> = m.rules.iter().map(|&i| rule_set.rules[i].id.as_str()).collect();
                    json!({"pattern": m.pattern, "rules": rules, "reason": m.reason, "approvedBy": m.approved_by, "until": m.until.to_string()})
                })
                .collect();
            let own: Vec<&str> = p.rules.iter().map(|&i| rule_set.rules[i].id.as_str()).collect();
            json!({"name": p.name, "mutes": mutes, "rules": own})
        })
        .collect()
}

async fn readyz(State(service): State<Arc<Service>>) -> Response {
    match service.reload_error() {
        None => (StatusCode::OK, "ready\n").into_response(),
        // Still serving the previous rules: ready, but say that the new ones were refused.
        Some(e) => (StatusCode::OK, format!("ready (serving the previous rules; the last reload was refused: {e})\n")).into_response(),
    }
}

async fn metrics(State(service): State<Arc<Service>>) -> Response {
    let loaded = service.rules();
    let text = service.metrics.render(loaded.engine.rule_set().rules.len(), loaded.load_time.as_secs_f64(), loaded.loaded_at.timestamp());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}
