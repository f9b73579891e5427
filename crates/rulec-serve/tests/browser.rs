//! The review page in a real browser: headless Chromium submits the playground's form with a
//! shipped scenario, and the page it gets back shows the decision and the week timeline. A
//! screenshot is kept at `target/tmp/browser/playground.png` (docs/serve.md).
//!
//! Chromium is Debian's `chromium` (or `RULEC_CHROMIUM=/path/to/chrome`); `.ci/run` installs
//! it. Without it the test says so and passes, except under CI (`CI` set), where it fails.

use rulec_serve::{router, Config, Service};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Chromium to drive: `RULEC_CHROMIUM`, else the first of the usual names on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("RULEC_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Runs Chromium headless on `url` with `args`, killed past 90 s; its stdout.
fn run_chromium(chromium: &Path, profile: &Path, args: &[String], url: &str) -> String {
    let mut child = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        // Time for the form's submission and the answer to load.
        .arg("--virtual-time-budget=10000")
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: cannot run: {e}", chromium.display()));
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut out);
        out
    });
    let started = Instant::now();
    while child.try_wait().expect("waits").is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("Chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().expect("stdout read")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_playground_decides_a_shipped_scenario_in_chromium() {
    let Some(chromium) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "Chromium was not found (install Debian's `chromium`, or set RULEC_CHROMIUM); CI must run this test");
        eprintln!("skipped: Chromium was not found (install Debian's `chromium`, or set RULEC_CHROMIUM=/path/to/chrome)");
        return;
    };
    let config = Config {
        rules: vec![repo().join("rules")],
        default_policy: None,
        watch: false,
        addr: "127.0.0.1:0".parse().expect("address"),
        token: None,
        log: None,
        max_in_flight: 16,
        timeout: Duration::from_secs(30),
        limits: rulec_scenario::Limits::default(),
    };
    let service = Arc::new(Service::start(config).expect("the shipped rules load"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("loopback");
    let addr = listener.local_addr().expect("address");
    let server = tokio::spawn(async move { axum::serve(listener, router(service)).await });

    // A page that fills the playground's form with the tour's scenario and submits it, as a
    // person pressing "Decide" does (the review page itself has no JavaScript).
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let scenario = std::fs::read_to_string(repo().join("examples/tour/eighth_call.yaml")).expect("tour scenario");
    let harness = dir.join("submit.html");
    std::fs::write(
        &harness,
        format!(
            r#"<!doctype html><form method="post" action="http://{addr}/playground"><textarea name="scenario">{}</textarea><input name="policy" value=""></form><script>document.forms[0].submit()</script>"#,
            html_escape(&scenario)
        ),
    )
    .expect("harness");
    let url = format!("file://{}", harness.display());
    let screenshot = dir.join("playground.png");
    let _ = std::fs::remove_file(&screenshot);
    let (chrome, profile) = (chromium.clone(), dir.join("profile"));
    let (dom, ()) = tokio::task::spawn_blocking(move || {
        let dom = run_chromium(&chrome, &profile, &["--dump-dom".into()], &url);
        run_chromium(&chrome, &profile, &["--window-size=1400,1600".into(), format!("--screenshot={}", screenshot.display())], &url);
        (dom, ())
    })
    .await
    .expect("chromium ran");
    server.abort();

    // The answer page: blocked by the call-frequency rule, its release, and the week drawn
    // for the borrower's zone with the blocked spans.
    assert!(dom.contains(r#"id="decision" class="block">Blocked"#), "the decision is shown: {dom}");
    assert!(dom.contains("federal.reg_f.call_frequency") && dom.contains("12 CFR 1006.14(b)(2)(i)(A)"), "{dom}");
    assert!(dom.contains("Next allowed at <strong>2026-03-11T12:00:00Z</strong>"), "{dom}");
    assert!(dom.contains(r#"aria-label="week timeline""#) && dom.contains("America/New_York"), "the timeline is shown: {dom}");
    assert!(dom.contains(r#"class="blocked""#), "{dom}");

    let png = std::fs::read(dir.join("playground.png")).expect("a screenshot was written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let (width, height) = (u32::from_be_bytes(png[16..20].try_into().expect("width")), u32::from_be_bytes(png[20..24].try_into().expect("height")));
    assert_eq!((width, height), (1400, 1600));
    eprintln!("screenshot: {}", dir.join("playground.png").display());
}
