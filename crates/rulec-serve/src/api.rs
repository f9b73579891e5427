//! The routes: decisions, batches, the catalog, health and metrics.

use crate::state::Service;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;
use subtle::ConstantTimeEq;

/// The OpenAPI 3.1 document of the API, served at `/v1/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// A router and the table of what it serves, so that the OpenAPI document can be checked
/// against the routes themselves (tests/api.rs).
struct Routes {
    router: Router<Arc<Service>>,
    table: Vec<(&'static str, &'static str)>,
}

impl Routes {
    fn new() -> Routes {
        Routes { router: Router::new(), table: Vec::new() }
    }

    fn route(mut self, method: &'static str, path: &'static str, handler: MethodRouter<Arc<Service>>) -> Routes {
        self.table.push((method, path));
        self.router = self.router.route(path, handler);
        self
    }
}

/// What the router serves, as `(method, path)` with `{param}` for a path parameter.
pub fn routes(service: Arc<Service>) -> Vec<(&'static str, &'static str)> {
    build(service).1
}

pub fn router(service: Arc<Service>) -> Router {
    build(service).0
}

fn build(service: Arc<Service>) -> (Router, Vec<(&'static str, &'static str)>) {
    let body_limit = service.config.limits.max_input_bytes;
    let v1 = Routes::new()
        .route("POST", "/v1/decide", post(decide))
        // Streamed, so no bound on the whole body: each line is held to the input limit.
        .route("POST", "/v1/batch", post(batch).layer(DefaultBodyLimit::disable()))
        .route("GET", "/v1/rules", get(rules))
        .route("GET", "/v1/rules/{id}", get(rule))
        .route("GET", "/v1/policies", get(policies));
    let open = Routes::new()
        .route("GET", "/v1/openapi.json", get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }))
        .route("GET", "/healthz", get(|| async { "ok\n" }))
        .route("GET", "/readyz", get(readyz))
        .route("GET", "/metrics", get(metrics))
        .route("GET", "/", get(crate::page::rules))
        .route("GET", "/policies", get(crate::page::policies))
        .route("GET", "/playground", get(crate::page::playground_form))
        .route("POST", "/playground", post(crate::page::playground));
    let mut table = v1.table;
    table.extend(open.table);
    let router = Router::new()
        .merge(v1.router.layer(middleware::from_fn_with_state(service.clone(), guard)))
        .merge(open.router)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(service);
    (router, table)
}

/// The platform's error shape.
fn error(status: StatusCode, message: impl Into<String>, error_type: &str) -> Response {
    (status, Json(json!({"statusCode": status.as_u16(), "message": message.into(), "errorType": error_type}))).into_response()
}

/// The bearer token, the bound on requests in flight, and the time limit, for every `/v1/` route.
/// The headers are read from the request itself: a `HeaderMap` argument would be a copy of them
/// made for every request.
async fn guard(State(service): State<Arc<Service>>, request: Request, next: Next) -> Response {
    if let Some(token) = &service.config.token {
        let given = request.headers().get(header::AUTHORIZATION).and_then(|h| h.to_str().ok()).and_then(|h| h.strip_prefix("Bearer ")).unwrap_or("");
        if !bool::from(given.as_bytes().ct_eq(token.as_bytes())) {
            service.metrics.unauthorized.fetch_add(1, Ordering::Relaxed);
            return error(StatusCode::UNAUTHORIZED, "a bearer token is required (Authorization: Bearer …)", "UnauthorizedError");
        }
    }
    let Some(_permit) = service.in_flight.try_enter() else {
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

/// What a scenario is answered with: its decision, to be written straight into the body, or a
/// JSON value (the error shape; a decision with its trace; a decision the log has needed as JSON).
enum Answer {
    Decision(Box<rulec_eval::Decision>),
    Json(Value),
}

impl Answer {
    fn into_json(self) -> Value {
        match self {
            Answer::Decision(decision) => decision.to_json(),
            Answer::Json(value) => value,
        }
    }
}

/// One scenario's answer: the decision envelope, or the error shape and its status.
fn decide_one(service: &Service, text: &str, query: &DecideQuery) -> (StatusCode, Answer) {
    let started = Instant::now();
    let loaded = service.rules();
    let bad = |message: String| {
        service.metrics.input_errors.fetch_add(1, Ordering::Relaxed);
        (StatusCode::BAD_REQUEST, Answer::Json(json!({"statusCode": 400, "message": message, "errorType": "ValidationError"})))
    };
    let mut scenario = match rulec_scenario::load_document_with(text, &service.config.limits) {
        Ok(rulec_scenario::Document::Scenario { scenario, .. }) => scenario,
        Ok(rulec_scenario::Document::Suite(suite)) => return bad(format!("the body is a suite ('{}'), not a single scenario", suite.name)),
        Err(errors) => return bad(errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")),
    };
    // `?policy=`, else rulec.toml's policy for a scenario that names none (as `rulec eval`);
    // the log records it, so that a replay decides what was decided.
    let replaced = query.policy.clone().or_else(|| scenario.policy().is_none().then(|| service.config.default_policy.clone()).flatten());
    if replaced.is_some() {
        scenario.set_policy(replaced.clone());
    }
    let decided = if query.explain { loaded.engine.explain(&scenario) } else { loaded.engine.decide(&scenario) };
    let decision = match decided {
        Ok(d) => d,
        Err(e) => return bad(e.message),
    };
    service.metrics.decided(decision.result);
    service.metrics.observe(started.elapsed().as_secs_f64());
    if !query.explain && !service.logs_decisions() {
        return (StatusCode::OK, Answer::Decision(Box::new(decision)));
    }
    let mut value = decision.to_json();
    if query.explain {
        value["trace"] = serde_json::to_value(&decision.trace).unwrap_or(Value::Null);
    }
    service.log(text, &value, replaced.as_deref(), &loaded.rule_set_id);
    (StatusCode::OK, Answer::Json(value))
}

/// The largest body decided on the async worker that received it (see `decide`).
const INLINE_BODY_BYTES: usize = 64 * 1024;

async fn decide(State(service): State<Arc<Service>>, Query(query): Query<DecideQuery>, body: Bytes) -> Response {
    let Ok(text) = std::str::from_utf8(&body) else {
        service.metrics.input_errors.fetch_add(1, Ordering::Relaxed);
        return error(StatusCode::BAD_REQUEST, "the body is not UTF-8 text", "ValidationError");
    };
    // A small body is decided where it arrived: loading and deciding it take tens of
    // microseconds, less than handing it to the blocking pool and back. A large one goes to the
    // pool, so that it cannot hold up the requests sharing this worker.
    let (status, answer) = if body.len() <= INLINE_BODY_BYTES {
        decide_one(&service, text, &query)
    } else {
        let text = text.to_string();
        let worker = service.clone();
        match tokio::task::spawn_blocking(move || decide_one(&worker, &text, &query)).await {
            Ok(answer) => answer,
            Err(_) => return error(StatusCode::INTERNAL_SERVER_ERROR, "the decision failed", "InternalError"),
        }
    };
    // The same bytes `rulec eval --format json` prints.
    let body = match answer {
        Answer::Decision(decision) => {
            let mut body = Vec::with_capacity(2048);
            decision.write_json(&mut body);
            body
        }
        Answer::Json(value) => (serde_json::to_string_pretty(&value).unwrap_or_default() + "\n").into_bytes(),
    };
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Output blocks a batch may have decided ahead of a slow reader: with the input read a chunk
/// at a time, this bounds a batch's memory however long it is.
const BATCH_QUEUE: usize = 8;

/// NDJSON in, NDJSON out, streamed: the body is read a chunk at a time, each chunk's complete
/// lines decided in order and their answers sent before the next chunk is read. A bad line
/// answers with the error shape (and `line`) in its place; a line longer than the input limit
/// is answered so without being held.
async fn batch(State(service): State<Arc<Service>>, Query(query): Query<DecideQuery>, body: Body) -> Response {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(BATCH_QUEUE);
    tokio::spawn(decide_stream(service, Arc::new(query), body, sender));
    let answers = futures_util::stream::unfold(receiver, |mut receiver| async move { receiver.recv().await.map(|block| (block, receiver)) });
    ([(header::CONTENT_TYPE, "application/x-ndjson")], Body::from_stream(answers)).into_response()
}

/// An input line: its number, and its bytes (`None` past the input limit).
type Line = (usize, Option<Vec<u8>>);

/// Cuts a body into lines as its chunks arrive, holding at most one unfinished line, itself at
/// most the input limit.
struct LineSplitter {
    max: usize,
    pending: Vec<u8>,
    too_long: bool,
    number: usize,
}

impl LineSplitter {
    fn push(&mut self, chunk: &[u8], lines: &mut Vec<Line>) {
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            self.add(&rest[..end]);
            self.finish(lines);
            rest = &rest[end + 1..];
        }
        self.add(rest);
    }

    fn add(&mut self, part: &[u8]) {
        if self.too_long || self.pending.len() + part.len() > self.max {
            self.too_long = true;
            self.pending = Vec::new();
        } else {
            self.pending.extend_from_slice(part);
        }
    }

    fn finish(&mut self, lines: &mut Vec<Line>) {
        self.number += 1;
        let line = if self.too_long { None } else { Some(std::mem::take(&mut self.pending)) };
        lines.push((self.number, line));
        self.too_long = false;
    }

    /// The last line, when the body does not end with a newline.
    fn end(&mut self, lines: &mut Vec<Line>) {
        if self.too_long || !self.pending.is_empty() {
            self.finish(lines);
        }
    }
}

async fn decide_stream(service: Arc<Service>, query: Arc<DecideQuery>, body: Body, sender: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>) {
    use futures_util::StreamExt;
    let mut chunks = body.into_data_stream();
    let mut splitter = LineSplitter { max: service.config.limits.max_input_bytes, pending: Vec::new(), too_long: false, number: 0 };
    loop {
        let mut lines = Vec::new();
        let last = match chunks.next().await {
            Some(Ok(chunk)) => {
                splitter.push(&chunk, &mut lines);
                false
            }
            // The client went away mid-body: nobody reads the rest.
            Some(Err(_)) => return,
            None => {
                splitter.end(&mut lines);
                true
            }
        };
        if !lines.is_empty() {
            let (worker, query) = (service.clone(), query.clone());
            let Ok(block) = tokio::task::spawn_blocking(move || answer_lines(&worker, &query, lines)).await else { return };
            if !block.is_empty() && sender.send(Ok(Bytes::from(block))).await.is_err() {
                return;
            }
        }
        if last {
            return;
        }
    }
}

/// The answer lines of a block of input lines, in order.
fn answer_lines(service: &Service, query: &DecideQuery, lines: Vec<Line>) -> String {
    let mut out = String::new();
    for (n, line) in lines {
        let (status, mut value) = match line.as_deref().map(std::str::from_utf8) {
            None => {
                service.metrics.input_errors.fetch_add(1, Ordering::Relaxed);
                let message = format!("the line is longer than the input limit ({} bytes)", service.config.limits.max_input_bytes);
                (StatusCode::BAD_REQUEST, json!({"statusCode": 400, "message": message, "errorType": "ValidationError"}))
            }
            Some(Err(_)) => {
                service.metrics.input_errors.fetch_add(1, Ordering::Relaxed);
                (StatusCode::BAD_REQUEST, json!({"statusCode": 400, "message": "the line is not UTF-8 text", "errorType": "ValidationError"}))
            }
            Some(Ok(text)) if text.trim().is_empty() => continue,
            Some(Ok(text)) => {
                let (status, answer) = decide_one(service, text.trim(), query);
                (status, answer.into_json())
            }
        };
        if status != StatusCode::OK {
            value["line"] = json!(n);
        }
        out.push_str(&serde_json::to_string(&value).unwrap_or_default());
        out.push('\n');
    }
    out
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
    let text = service.metrics.render(loaded.engine.rule_set().rules.len(), loaded.engine.rule_set_id(), loaded.load_time.as_secs_f64(), loaded.loaded_at.timestamp());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}
