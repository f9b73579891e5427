//! The service's API, in-process (every endpoint and error path) and over loopback HTTP.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use rulec_serve::{router, Config, Service};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn config(rules: PathBuf) -> Config {
    Config {
        rules: vec![rules],
        default_policy: None,
        watch: false,
        addr: "127.0.0.1:0".parse().expect("address"),
        token: None,
        log: None,
        max_in_flight: 16,
        timeout: Duration::from_secs(30),
        limits: rulec_scenario::Limits::default(),
    }
}

fn service(config: Config) -> Arc<Service> {
    Arc::new(Service::start(config).expect("the shipped rules load"))
}

async fn call(service: &Arc<Service>, method: &str, uri: &str, body: &str, token: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = router(service.clone()).oneshot(request.body(Body::from(body.to_string())).expect("request")).await.expect("answered");
    let status = response.status();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8(bytes.to_vec()).expect("utf-8"))
}

fn tour(name: &str) -> String {
    std::fs::read_to_string(repo().join("examples/tour").join(name)).expect("tour scenario")
}

#[tokio::test]
async fn decide_answers_what_eval_prints() {
    let service = service(config(repo().join("rules")));
    for name in ["eighth_call.yaml", "callback.yaml"] {
        let text = tour(name);
        let (status, body) = call(&service, "POST", "/v1/decide", &text, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // `rulec eval --format json`: the decision envelope, pretty-printed, one newline.
        let (scenario, _) = rulec_scenario::load_scenario(&text).expect("loads");
        let engine = rulec_eval::Engine::from_dir(&repo().join("rules")).expect("loads");
        let expected = serde_json::to_string_pretty(&engine.decide(&scenario).expect("decides").to_json()).expect("json") + "\n";
        assert_eq!(body, expected, "{name}");
    }
    let (_, explained) = call(&service, "POST", "/v1/decide?explain=true", &tour("eighth_call.yaml"), None).await;
    let explained: Value = serde_json::from_str(&explained).expect("json");
    assert!(explained["trace"].as_array().is_some_and(|t| !t.is_empty()));
}

#[tokio::test]
async fn input_errors_are_400_in_the_platforms_shape() {
    let service = service(config(repo().join("rules")));
    let typo = tour("eighth_call.yaml").replace("channel:", "chanel:");
    let (status, body) = call(&service, "POST", "/v1/decide", &typo, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(error["statusCode"], 400);
    assert_eq!(error["errorType"], "ValidationError");
    assert!(error["message"].as_str().is_some_and(|m| m.contains("chanel")), "{body}");
    let (status, body) = call(&service, "POST", "/v1/decide?policy=acme_lendng", &tour("eighth_call.yaml"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("did you mean 'acme_lending'"), "{body}");
    let (status, _) = call(&service, "POST", "/v1/decide", "\u{0}not a scenario", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, metrics) = call(&service, "GET", "/metrics", "", None).await;
    assert!(metrics.contains("rulec_input_errors_total 3"), "{metrics}");
}

#[tokio::test]
async fn batch_answers_each_line_in_its_place() {
    let service = service(config(repo().join("rules")));
    let lines = std::fs::read_to_string(repo().join("examples/tour/borrowers.ndjson")).expect("tour batch");
    let (status, body) = call(&service, "POST", "/v1/batch", &lines, None).await;
    assert_eq!(status, StatusCode::OK);
    let answers: Vec<Value> = body.lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    assert_eq!(answers.len(), lines.lines().filter(|l| !l.trim().is_empty()).count());
    assert_eq!(answers[0]["data"]["result"], true);
    assert_eq!(answers[1]["data"]["result"], false);
    assert_eq!(answers[3]["statusCode"], 400, "the misspelt line answers with an error in its place");
    assert_eq!(answers[3]["line"], 4);
}

#[tokio::test]
async fn the_catalog_and_the_policies() {
    let service = service(config(repo().join("rules")));
    let (status, body) = call(&service, "GET", "/v1/rules", "", None).await;
    assert_eq!(status, StatusCode::OK);
    let rules: Value = serde_json::from_str(&body).expect("json");
    assert!(rules["rules"].as_array().is_some_and(|r| r.len() > 100));
    let (status, body) = call(&service, "GET", "/v1/rules/federal.reg_f.call_frequency", "", None).await;
    assert_eq!(status, StatusCode::OK);
    let rule: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(rule["jurisdiction"], "federal");
    assert!(rule["citations"][0].as_str().is_some_and(|c| c.starts_with("12 CFR 1006.14")));
    let (status, body) = call(&service, "GET", "/v1/rules/federal.reg_f.call_frequncy", "", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("did you mean 'federal.reg_f.call_frequency'"), "{body}");
    let (_, body) = call(&service, "GET", "/v1/policies", "", None).await;
    let policies: Value = serde_json::from_str(&body).expect("json");
    let acme = policies["policies"].as_array().and_then(|p| p.iter().find(|p| p["name"] == "acme_lending")).expect("acme_lending");
    assert!(acme["mutes"][0]["reason"].as_str().is_some_and(|r| !r.is_empty()));
}

#[tokio::test]
async fn a_token_is_required_when_configured_and_busy_is_429() {
    let mut guarded = config(repo().join("rules"));
    guarded.token = Some("s3cret".into());
    let service = service(guarded);
    let (status, _) = call(&service, "GET", "/v1/rules", "", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = call(&service, "GET", "/v1/rules", "", Some("s3creT")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = call(&service, "GET", "/v1/rules", "", Some("s3cret")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(&service, "GET", "/healthz", "", None).await;
    assert_eq!(status, StatusCode::OK, "health needs no token");

    let mut full = config(repo().join("rules"));
    full.max_in_flight = 0;
    let service = self::service(full);
    let (status, body) = call(&service, "POST", "/v1/decide", &tour("eighth_call.yaml"), None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[tokio::test]
async fn a_broken_reload_is_refused_and_the_old_rules_keep_serving() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&repo().join("rules"), &dir);
    let mut with_log = config(dir.clone());
    let log = dir.join("decisions.ndjson");
    with_log.log = Some((log.clone(), 1 << 20));
    let service = service(with_log);
    let ma = dir.join("states/MA.rules");
    let good = std::fs::read_to_string(&ma).expect("MA");
    std::fs::write(&ma, good.replace("binds ", "bnds ")).expect("break MA");
    let refused = service.reload().expect_err("a rule set with errors is refused");
    assert!(refused.contains("MA.rules"), "{refused}");
    let (_, ready) = call(&service, "GET", "/readyz", "", None).await;
    assert!(ready.contains("reload was refused"), "{ready}");
    let (status, _) = call(&service, "POST", "/v1/decide", &tour("eighth_call.yaml"), None).await;
    assert_eq!(status, StatusCode::OK, "the previous rules keep serving");
    std::fs::write(&ma, good).expect("repair MA");
    service.reload().expect("a good rule set is swapped in");
    let (_, ready) = call(&service, "GET", "/readyz", "", None).await;
    assert_eq!(ready, "ready\n");
    // The decision was logged with its scenario and the rules that made it, as `rulec eval
    // --batch --log` logs it.
    let logged = std::fs::read_to_string(&log).expect("log");
    let record: Value = serde_json::from_str(logged.lines().next().expect("a record")).expect("json");
    assert_eq!(record["decision"]["data"]["result"], false);
    assert!(record["scenario"].is_object(), "the YAML body is logged as its JSON: {record}");
    assert!(record["ruleSet"]["digest"].as_str().is_some_and(|d| d.starts_with("sha256:")), "{record}");
    assert_eq!(record["ruleSet"], record["decision"]["data"]["ruleSet"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_decision_log_rotates_by_size() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-log-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join("log.ndjson");
    let log = rulec_serve::DecisionLog::open(&path, 400).expect("opens");
    for i in 0..5 {
        log.append(&format!("{{\"n\": {i}}}"), &serde_json::json!({"status": 200}), None, &serde_json::json!({"digest": "sha256:ab"})).expect("appends");
    }
    let current = std::fs::read_to_string(&path).expect("log");
    let rotated = std::fs::read_to_string(dir.join("log.ndjson.1")).expect("rotated log");
    assert!(current.len() <= 400 && rotated.len() <= 400);
    assert_eq!(current.lines().count() + rotated.lines().count() >= 2, true);
    assert!(current.contains("\"n\":4"), "the newest record is in the current file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_loopback_http() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let service = service(config(repo().join("rules")));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("loopback");
    let addr = listener.local_addr().expect("address");
    let server = tokio::spawn(async move { axum::serve(listener, router(service)).await });
    let body = tour("eighth_call.yaml");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connects");
    let request = format!("POST /v1/decide HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"result\": false"), "{response}");
    server.abort();
}

#[tokio::test]
async fn the_review_page_lists_rules_and_policies_and_the_playground_draws_the_week() {
    let service = service(config(repo().join("rules")));
    let (status, page) = call(&service, "GET", "/?q=1006.14", "", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("federal.reg_f.call_frequency") && !page.contains("ma.call_frequency"), "the search keeps what matches");
    let (_, policies) = call(&service, "GET", "/policies", "", None).await;
    assert!(policies.contains("acme_lending") && policies.contains("Chief Compliance Officer"), "{policies}");
    let (_, form) = call(&service, "GET", "/playground", "", None).await;
    assert!(form.contains("<textarea name=\"scenario\""));

    // 07:30 in Albany: blocked until 08:00; the week shows the nights blocked in New York time.
    let scenario = "now: 2026-03-10T11:30:00Z\ncompany: {role: collector}\nborrower: {id: BO-AAAA-1111}\ncontacts:\n  - {id: CT-CELL-0001, contactType: phone, label: personal, affiliation: self, value: \"+15185550100\"}\nrequest: {channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001}\n";
    let body: String = url_encode(&[("scenario", scenario), ("policy", "")]);
    let response = router(service.clone())
        .oneshot(Request::builder().method("POST").uri("/playground").header("content-type", "application/x-www-form-urlencoded").body(Body::from(body)).expect("request"))
        .await
        .expect("answered");
    let page = String::from_utf8(response.into_body().collect().await.expect("body").to_bytes().to_vec()).expect("utf-8");
    assert!(page.contains("id=\"decision\" class=\"block\">Blocked"), "{page}");
    assert!(page.contains("Next allowed at <strong>2026-03-10T12:00:00Z</strong>"), "{page}");
    assert!(page.contains("<svg") && page.contains("America/New_York"), "a row per candidate zone");
    // The morning, six whole nights and the last evening, blocked by the inconvenient-time rule
    // (sampled every 15 minutes: the night shows from 21:15).
    assert_eq!(page.matches("class=\"blocked\"").count(), 8, "{page}");
    assert!(page.contains("federal.reg_f.inconvenient_time: Tue 21:15 – Wed 08:00"), "{page}");
    assert!(page.contains("federal.reg_f.inconvenient_time: Tue 07:30 – Tue 08:00"), "{page}");

    let broken = url_encode(&[("scenario", "request: {}"), ("policy", "")]);
    let response = router(service)
        .oneshot(Request::builder().method("POST").uri("/playground").header("content-type", "application/x-www-form-urlencoded").body(Body::from(broken)).expect("request"))
        .await
        .expect("answered");
    let page = String::from_utf8(response.into_body().collect().await.expect("body").to_bytes().to_vec()).expect("utf-8");
    assert!(page.contains("Not a valid scenario"), "{page}");
}

fn url_encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

/// A scratch folder under the target directory, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// The shipped library in one folder and the policies in another, as a lender's project has
/// them (`--rules vendor/rulec/rules --rules policies`).
fn two_sources(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let (library, own) = (dir.join("library"), dir.join("policies"));
    copy_dir(&repo().join("rules/federal"), &library.join("federal"));
    copy_dir(&repo().join("rules/states"), &library.join("states"));
    copy_dir(&repo().join("rules/policies"), &own);
    (library, own)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[tokio::test]
async fn several_rule_sources_are_served_together_and_reloaded_together() {
    let (library, own) = two_sources("sources");
    let mut two = config(library.clone());
    two.rules.push(own.clone());
    let service = service(two);
    let (_, policies) = call(&service, "GET", "/v1/policies", "", None).await;
    assert!(policies.contains("\"acme_lending\""), "the policy of the second source is served: {policies}");
    let (status, body) = call(&service, "POST", "/v1/decide?policy=acme_lending", &tour("eighth_call.yaml"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The decision names the rule set of both sources, as `rulec --rules A --rules B eval` does.
    let engine = rulec_eval::Engine::from_dirs(&[&library, &own]).expect("loads");
    assert_eq!(json(&body)["data"]["ruleSet"]["digest"], engine.rule_set_id().digest.as_str());

    // A reload reads both sources anew.
    let acme = own.join("acme_lending.policy");
    let text = std::fs::read_to_string(&acme).expect("policy");
    std::fs::write(&acme, text.replace("until 2027-06-30", "until 2027-05-31")).expect("edit");
    service.reload().expect("reloads");
    let (_, policies) = call(&service, "GET", "/v1/policies", "", None).await;
    assert!(policies.contains("2027-05-31") && !policies.contains("2027-06-30"), "{policies}");
    let (_, metrics) = call(&service, "GET", "/metrics", "", None).await;
    let digest = rulec_eval::Engine::from_dirs(&[&library, &own]).expect("loads").rule_set_id().digest.clone();
    assert!(metrics.contains(&format!("rulec_rule_set_info{{digest=\"{digest}\",version=\"rulec {}\"}} 1", env!("CARGO_PKG_VERSION"))), "{metrics}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_reloads_when_a_rule_file_changes() {
    let (library, own) = two_sources("watch");
    let mut watched = config(library);
    watched.rules.push(own.clone());
    watched.watch = true;
    let service = service(watched);
    let _watcher = rulec_serve::watch(service.clone()).expect("watches");
    let acme = own.join("acme_lending.policy");
    let text = std::fs::read_to_string(&acme).expect("policy");
    std::fs::write(&acme, text.replace("until 2027-06-30", "until 2027-04-30")).expect("edit");
    // Bounded wait for the watcher (events settle for 200 ms, then the rules load).
    let mut seen = String::new();
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        seen = call(&service, "GET", "/v1/policies", "", None).await.1;
        if seen.contains("2027-04-30") {
            break;
        }
    }
    assert!(seen.contains("2027-04-30"), "the edited policy was not reloaded within 10 s: {seen}");
    // A broken edit is refused; the previous rules keep serving and /readyz says why.
    std::fs::write(&acme, text.replace("policy acme_lending", "policy acme lending")).expect("break");
    let mut ready = String::new();
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        ready = call(&service, "GET", "/readyz", "", None).await.1;
        if ready.contains("refused") {
            break;
        }
    }
    assert!(ready.contains("acme_lending.policy"), "{ready}");
    let (status, _) = call(&service, "POST", "/v1/decide?policy=acme_lending", &tour("eighth_call.yaml"), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_projects_policy_applies_to_scenarios_that_name_none_and_is_logged() {
    let dir = scratch("default-policy");
    let mut with_policy = config(repo().join("rules"));
    with_policy.default_policy = Some("acme_lending".into());
    with_policy.log = Some((dir.join("log.ndjson"), 1 << 20));
    let service = service(with_policy);
    let (_, defaulted) = call(&service, "POST", "/v1/decide", &tour("eighth_call.yaml"), None).await;
    let (_, named) = call(&service, "POST", "/v1/decide?policy=acme_lending", &tour("eighth_call.yaml"), None).await;
    assert_eq!(defaulted, named);
    let plain = self::service(config(repo().join("rules")));
    let (_, without) = call(&plain, "POST", "/v1/decide", &tour("eighth_call.yaml"), None).await;
    assert_ne!(without, defaulted, "acme_lending changes this decision (its mute is reported)");
    // The log says which policy replaced the scenario's, so that `rulec replay` decides alike.
    let log = std::fs::read_to_string(dir.join("log.ndjson")).expect("log");
    let record = json(log.lines().next().expect("a record"));
    assert_eq!(record["overrides"]["policy"], "acme_lending", "{record}");
}

/// The body of a request that the test sends a piece at a time.
fn streamed_body() -> (tokio::sync::mpsc::Sender<Result<axum::body::Bytes, std::io::Error>>, Body) {
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    let stream = futures_util::stream::unfold(receiver, |mut r: tokio::sync::mpsc::Receiver<Result<axum::body::Bytes, std::io::Error>>| async move { r.recv().await.map(|x| (x, r)) });
    (sender, Body::from_stream(stream))
}

/// The next piece of a streamed answer, within 10 s (a server that waits for the whole body
/// fails here instead of hanging).
async fn next_piece(body: &mut Body) -> Option<String> {
    let frame = tokio::time::timeout(Duration::from_secs(10), body.frame()).await.expect("an answer before the body ends")?;
    Some(String::from_utf8(frame.expect("frame").into_data().expect("data").to_vec()).expect("utf-8"))
}

#[tokio::test]
async fn batch_answers_each_line_as_it_arrives() {
    let service = service(config(repo().join("rules")));
    let input = std::fs::read_to_string(repo().join("examples/tour/borrowers.ndjson")).expect("tour batch");
    let lines: Vec<&str> = input.lines().collect();
    let (sender, body) = streamed_body();
    let response = router(service).oneshot(Request::builder().method("POST").uri("/v1/batch").body(body).expect("request")).await.expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    let mut answers = response.into_body();
    // The first line and half the second: the first is answered while the rest is unsent.
    let (head, tail) = lines[1].split_at(20);
    sender.send(Ok(format!("{}\n{head}", lines[0]).into())).await.expect("sends");
    let first = next_piece(&mut answers).await.expect("an answer");
    assert_eq!(first.lines().count(), 1, "{first}");
    assert_eq!(json(first.trim())["data"]["result"], true);
    sender.send(Ok(format!("{tail}\n").into())).await.expect("sends");
    let second = next_piece(&mut answers).await.expect("an answer");
    assert_eq!(json(second.trim())["data"]["result"], false, "the line cut across two chunks is decided whole");
    // The last line, without a final newline, is answered when the body ends.
    sender.send(Ok(lines[2].to_string().into())).await.expect("sends");
    drop(sender);
    let rest = next_piece(&mut answers).await.expect("an answer");
    assert_eq!(rest.lines().count(), 1);
    assert!(next_piece(&mut answers).await.is_none(), "one answer per line, then the end");
}

#[tokio::test]
async fn a_batch_is_bounded_per_line_not_as_a_whole() {
    let input = std::fs::read_to_string(repo().join("examples/tour/borrowers.ndjson")).expect("tour batch");
    let first = input.lines().next().expect("a line");
    let mut small = config(repo().join("rules"));
    small.limits.max_input_bytes = first.len() + 10;
    let service = service(small);
    // Forty lines, far more than the limit together; one of them too long alone.
    let mut body = String::new();
    for n in 1..=40 {
        if n == 7 {
            body.push_str(&"x".repeat(first.len() * 3));
        } else {
            body.push_str(first);
        }
        body.push('\n');
    }
    let (status, answers) = call(&service, "POST", "/v1/batch", &body, None).await;
    assert_eq!(status, StatusCode::OK);
    let answers: Vec<Value> = answers.lines().map(json).collect();
    assert_eq!(answers.len(), 40);
    assert_eq!(answers[6]["statusCode"], 400);
    assert_eq!(answers[6]["line"], 7);
    assert!(answers[6]["message"].as_str().is_some_and(|m| m.contains("longer than the input limit")), "{}", answers[6]);
    assert!(answers.iter().enumerate().all(|(i, a)| i == 6 || a["status"] == 200), "every other line is decided");
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_routes_served() {
    let service = service(config(repo().join("rules")));
    let (status, served_doc) = call(&service, "GET", "/v1/openapi.json", "", None).await;
    assert_eq!(status, StatusCode::OK);
    let doc = json(&served_doc);
    assert_eq!(doc, json(rulec_serve::OPENAPI));
    assert_eq!(doc["openapi"], "3.1.0");
    let documented: std::collections::BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| item.as_object().expect("path item").keys().map(move |method| (method.to_uppercase(), path.clone())))
        .collect();
    let served: std::collections::BTreeSet<(String, String)> = rulec_serve::routes(service.clone()).into_iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, served, "documented (left) and served (right) routes differ");
    // Every reference points into the document.
    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => map.iter().for_each(|(k, v)| if k == "$ref" { out.extend(v.as_str()) } else { refs(v, out) }),
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 10);
    for reference in found {
        assert!(reference.strip_prefix('#').and_then(|p| doc.pointer(p)).is_some(), "{reference} points nowhere");
    }
    // And each documented GET answers (a path parameter filled with a real id).
    for (method, path) in &served {
        if method == "GET" {
            let (status, _) = call(&service, "GET", &path.replace("{id}", "federal.reg_f.call_frequency"), "", None).await;
            assert_eq!(status, StatusCode::OK, "{path}");
        }
    }
}

/// Every case of every shipped suite, posted as JSON to /v1/decide, answers byte for byte what
/// `rulec eval --format json` prints for it: the same rules (read as the CLI reads them), the
/// case as the suite loader reads it, the envelope pretty-printed with one newline.
#[tokio::test]
async fn every_shipped_suite_case_is_decided_as_eval_decides_it() {
    let service = service(config(repo().join("rules")));
    let engine = rulec_eval::Engine::from_dir(&repo().join("rules")).expect("loads");
    let limits = rulec_scenario::Limits::default();
    let mut files = Vec::new();
    let mut folders = vec![repo().join("tests/scenarios")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut compared = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("suite");
        let label = path.display().to_string();
        let items = rulec_review::corpus::load_file(&label, &text, &limits).expect("a shipped suite loads").items;
        let scenarios: Vec<rulec_scenario::Scenario> = match rulec_scenario::load_document_with(&text, &limits).expect("loads") {
            rulec_scenario::Document::Suite(suite) => suite.cases.into_iter().map(|c| c.result.expect("a shipped case is valid").0).collect(),
            rulec_scenario::Document::Scenario { scenario, .. } => vec![scenario],
        };
        assert_eq!(items.len(), scenarios.len(), "{label}");
        for (item, scenario) in items.iter().zip(&scenarios) {
            let expected = match engine.decide(scenario) {
                Ok(decision) => serde_json::to_string_pretty(&decision.to_json()).expect("json") + "\n",
                Err(e) => panic!("{}: {e}", item.name),
            };
            let (status, body) = call(&service, "POST", "/v1/decide", &item.json.to_string(), None).await;
            assert_eq!(status, StatusCode::OK, "{}: {body}", item.name);
            assert_eq!(body, expected, "{}", item.name);
            compared += 1;
        }
    }
    assert!(compared > 500, "only {compared} cases compared");
}
