//! Load test of `rulec serve` over loopback: decisions per second and the p50/p99 latency of
//! `POST /v1/decide` at 1, 16 and 64 concurrent keep-alive clients, the server and the clients
//! in this one process (they share the machine's cores). Bounded: each level runs
//! `RULEC_LOAD_SECONDS` (default 5) after a 0.5 s warm-up, and at most 2,000,000 requests.
//! Only 127.0.0.1 is ever addressed. Figures: docs/performance.md, "rulec serve".
//!
//! `cargo bench -p rulec-serve --bench load`

use rulec_serve::{router, Config, Service};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const LEVELS: [usize; 3] = [1, 16, 64];
const MAX_REQUESTS: u64 = 2_000_000;
const WARM_UP: Duration = Duration::from_millis(500);

fn main() {
    // `cargo test --benches` runs this too: only `cargo bench` (which passes --bench) loads.
    if !std::env::args().any(|a| a == "--bench") {
        println!("load: run with `cargo bench -p rulec-serve --bench load`");
        return;
    }
    let seconds: f64 = std::env::var("RULEC_LOAD_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let scenario = std::fs::read_to_string(repo.join("examples/tour/borrowers.ndjson")).expect("tour batch").lines().next().expect("a scenario").to_string();
    let config = Config {
        rules: vec![repo.join("rules")],
        default_policy: None,
        watch: false,
        addr: "127.0.0.1:0".parse().expect("address"),
        token: None,
        log: None,
        max_in_flight: 1024,
        timeout: Duration::from_secs(10),
        limits: rulec_scenario::Limits::default(),
    };
    let service = Arc::new(Service::start(config).expect("the shipped rules load"));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("loopback");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, router(service)).await });
        let request = Arc::new(format!("POST /v1/decide HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{scenario}", scenario.len()).into_bytes());
        println!("rulec serve, POST /v1/decide over loopback ({} cores, {seconds} s a level, body {} bytes)", std::thread::available_parallelism().map_or(0, |n| n.get()), scenario.len());
        println!("{:>8} {:>12} {:>10} {:>10} {:>10}", "clients", "decisions/s", "p50 ms", "p99 ms", "max ms");
        for clients in LEVELS {
            let stop = Arc::new(AtomicBool::new(false));
            let measuring = Arc::new(AtomicBool::new(false));
            let sent = Arc::new(AtomicU64::new(0));
            let tasks: Vec<_> = (0..clients)
                .map(|_| {
                    let (stop, measuring, sent, request) = (stop.clone(), measuring.clone(), sent.clone(), request.clone());
                    tokio::spawn(async move {
                        let stream = TcpStream::connect(addr).await.expect("connects");
                        stream.set_nodelay(true).expect("nodelay");
                        let mut stream = BufReader::new(stream);
                        let mut latencies = Vec::new();
                        let mut line = String::new();
                        let mut body = Vec::new();
                        while !stop.load(Ordering::Relaxed) && sent.fetch_add(1, Ordering::Relaxed) < MAX_REQUESTS {
                            let started = Instant::now();
                            stream.get_mut().write_all(&request).await.expect("writes");
                            let mut length = 0;
                            let mut status_ok = false;
                            loop {
                                line.clear();
                                stream.read_line(&mut line).await.expect("reads");
                                if line.starts_with("HTTP/1.1 ") {
                                    status_ok = line.starts_with("HTTP/1.1 200");
                                } else if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                                    length = value.trim().parse().expect("length");
                                } else if line == "\r\n" {
                                    break;
                                }
                            }
                            body.resize(length, 0);
                            stream.read_exact(&mut body).await.expect("body");
                            assert!(status_ok, "a decision failed: {}", String::from_utf8_lossy(&body));
                            if measuring.load(Ordering::Relaxed) {
                                latencies.push(started.elapsed().as_micros() as u32);
                            }
                        }
                        latencies
                    })
                })
                .collect();
            tokio::time::sleep(WARM_UP).await;
            measuring.store(true, Ordering::Relaxed);
            let started = Instant::now();
            tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
            measuring.store(false, Ordering::Relaxed);
            let elapsed = started.elapsed().as_secs_f64();
            stop.store(true, Ordering::Relaxed);
            let mut latencies: Vec<u32> = Vec::new();
            for task in tasks {
                latencies.extend(task.await.expect("client"));
            }
            latencies.sort_unstable();
            let at = |q: f64| latencies.get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1))).copied().unwrap_or(0) as f64 / 1000.0;
            println!("{clients:>8} {:>12.0} {:>10.3} {:>10.3} {:>10.3}", latencies.len() as f64 / elapsed, at(0.5), at(0.99), at(1.0));
        }
    });
}
