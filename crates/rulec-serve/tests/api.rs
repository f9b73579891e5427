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
        rules,
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
    // The decision was logged with its scenario.
    let logged = std::fs::read_to_string(&log).expect("log");
    let record: Value = serde_json::from_str(logged.lines().next().expect("a record")).expect("json");
    assert_eq!(record["decision"]["data"]["result"], false);
    assert!(record["scenario"].is_string() || record["scenario"].is_object());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_decision_log_rotates_by_size() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-log-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join("log.ndjson");
    let log = rulec_serve::DecisionLog::open(&path, 300).expect("opens");
    for i in 0..5 {
        log.append(&format!("{{\"n\": {i}}}"), &serde_json::json!({"status": 200})).expect("appends");
    }
    let current = std::fs::read_to_string(&path).expect("log");
    let rotated = std::fs::read_to_string(dir.join("log.ndjson.1")).expect("rotated log");
    assert!(current.len() <= 300 && rotated.len() <= 300);
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
