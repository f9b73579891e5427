//! Batch screening, one core, against the parse limit (`cargo bench -p rulec-eval --bench batch`),
//! reported in docs/performance.md. One corpus of NDJSON scenarios (Boston and New York
//! borrowers, 10 to 50 past interactions each, about 3 to 9 KB a line) is timed six ways, each
//! counting lines per second:
//! - `parse_typed`: `serde_json` into the typed read's records (`rulec_scenario::typed`), no
//!   check and no scenario: the parse limit of issue #16's target;
//! - `parse_only`: `serde_json` into `serde_json::Value`, nothing else: the limit of any reader
//!   of this JSON that builds a tree;
//! - `load_only`: the scenario loader (`load_document_with`: the typed read for these valid
//!   lines, validated and indexed);
//! - `load_general`: the general loader alone (value tree, every field read with its path), as
//!   every line was read before the typed read, and as a line that fails is read;
//! - `decide`: load, decide with the shipped rules, write the output line
//!   (`Decision::write_json_line`), what `rulec eval --batch` does per line;
//! - `decide_only`: deciding the already loaded scenarios, for the share of evaluation.
//!
//! Run in one process, the rows after `load_general` vary from sample to sample with the
//! allocator's state; for figures to compare, run each row alone (docs/performance.md says how).

use rulec_eval::Engine;
use rulec_scenario::{Document, Limits, Scenario};
use std::path::Path;
use std::sync::OnceLock;

/// The allocator of the `rulec` binary, so that the figures are the batch command's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const LINES: usize = 2_000;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::from_dir(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules"))).unwrap_or_else(|e| panic!("{e}")))
}

/// The corpus: `LINES` compact JSON scenarios, deterministic, some allowed and some blocked.
fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(|| (0..LINES).map(line).collect())
}

fn line(i: usize) -> String {
    let (state, city, zip, area) = if i % 3 == 0 { ("NY", "New York", "10001", "212") } else { ("MA", "Boston", "02108", "617") };
    let history = 10 + (i * 7) % 41;
    let channels = ["voice", "text", "email", "voice"];
    let statuses = ["attempted", "delivered", "delivered", "connected"];
    let interactions: Vec<String> = (0..history)
        .map(|k| {
            let c = (i + k) % 4;
            format!(
                r#"{{"id":"IN-{i:05}-{k:03}","channel":"{}","direction":"outbound","status":"{}","theme":"opsCollDebt","startAt":"2026-02-{:02}T{:02}:{:02}:00Z","contactId":"CT-CELL-0001","loanIds":["LN-BNCH-000{}"],"isAutodialed":{}}}"#,
                channels[c],
                statuses[c],
                1 + (k * 3 + i) % 28,
                13 + (k + i) % 9,
                (k * 7) % 60,
                1 + k % 2,
                k % 5 == 0
            )
        })
        .collect();
    format!(
        r#"{{"now":"2026-03-{:02}T{:02}:{:02}:00Z","company":{{"role":"collector","timezone":"America/New_York"}},"borrower":{{"id":"BO-BNCH-{i:05}","personType":"person"}},"contacts":[{{"id":"CT-HOME-0001","contactType":"address","affiliation":"self","address":{{"addressLine1":"1 Main St","state":"{state}","city":"{city}","postalCode":"{zip}","countryCode":"US"}}}},{{"id":"CT-CELL-0001","contactType":"phone","label":"personal","affiliation":"self","value":"+1{area}5550100","valid":true,"verified":true,"receiveTextMessages":true}},{{"id":"CT-MAIL-0001","contactType":"email","affiliation":"self","value":"borrower{i}@example.com"}}],"consents":[{{"name":"autodialedColl","value":"{}","createdAt":"2025-06-01T00:00:00Z"}}],"loans":[{{"id":"LN-BNCH-0001","status":"active","debtType":"consumer","daysPastDue":{}}},{{"id":"LN-BNCH-0002","status":"active","debtType":"consumer","daysPastDue":0}}],"interactions":[{}],"request":{{"channel":"{}","theme":"opsCollDebt","contactId":"CT-CELL-0001","loanId":"LN-BNCH-0001","isAutodialed":{}}}}}"#,
        1 + i % 28,
        (i * 5) % 24,
        i % 60,
        if i % 4 == 0 { "revoked" } else { "consented" },
        30 + i % 90,
        interactions.join(","),
        if i % 2 == 0 { "voice" } else { "text" },
        i % 3 == 0
    )
}

fn load(text: &str) -> Scenario {
    match rulec_scenario::load_document_with(text, &Limits::default()) {
        Ok(Document::Scenario { scenario, .. }) => scenario,
        Ok(Document::Suite(_)) => panic!("a suite"),
        Err(e) => panic!("{e}\n{text}"),
    }
}

fn items() -> divan::counter::ItemsCount {
    divan::counter::ItemsCount::new(LINES)
}

/// The corpus's size, so that the figures read as bytes per second too.
fn bytes() -> divan::counter::BytesCount {
    divan::counter::BytesCount::new(corpus().iter().map(String::len).sum::<usize>())
}

/// serde_json into the typed records, nothing more: the typed parse limit.
#[divan::bench(sample_count = 10)]
fn parse_typed(bencher: divan::Bencher) {
    let corpus = corpus();
    assert!(corpus.iter().all(|l| rulec_scenario::typed::parse_only(l)));
    bencher.counter(items()).counter(bytes()).bench(|| {
        for line in corpus {
            divan::black_box(rulec_scenario::typed::parse_only(divan::black_box(line)));
        }
    });
}

/// The general loader, for lines the typed read declines (and as every line was read before it).
#[divan::bench(sample_count = 10)]
fn load_general(bencher: divan::Bencher) {
    let corpus = corpus();
    bencher.counter(items()).counter(bytes()).bench(|| {
        for line in corpus {
            let loaded = rulec_scenario::load_document_general(divan::black_box(line), &Limits::default());
            divan::black_box(loaded.expect("valid"));
        }
    });
}

/// serde_json into its own value tree: the parse limit of a reader that builds a tree.
#[divan::bench(sample_count = 10)]
fn parse_only(bencher: divan::Bencher) {
    let corpus = corpus();
    bencher.counter(items()).counter(bytes()).bench(|| {
        for line in corpus {
            divan::black_box(serde_json::from_str::<serde_json::Value>(divan::black_box(line)).expect("JSON"));
        }
    });
}

/// The scenario loader alone.
#[divan::bench(sample_count = 10)]
fn load_only(bencher: divan::Bencher) {
    let corpus = corpus();
    bencher.counter(items()).counter(bytes()).bench(|| {
        for line in corpus {
            divan::black_box(load(divan::black_box(line)));
        }
    });
}

/// What the batch does per line: load, decide, write the output line.
#[divan::bench(sample_count = 10)]
fn decide(bencher: divan::Bencher) {
    let (engine, corpus) = (engine(), corpus());
    let (allowed, blocked) = corpus.iter().map(|l| engine.decide(&load(l)).expect("decides").result).fold((0, 0), |(a, b), r| if r { (a + 1, b) } else { (a, b + 1) });
    assert!(allowed > LINES / 10 && blocked > LINES / 10, "the corpus must mix allowed ({allowed}) and blocked ({blocked}) scenarios");
    let mut out = Vec::with_capacity(1 << 20);
    bencher.counter(items()).counter(bytes()).bench_local(|| {
        out.clear();
        for line in corpus {
            engine.decide(&load(divan::black_box(line))).expect("decides").write_json_line(&mut out);
            out.push(b'\n');
        }
        divan::black_box(out.len())
    });
}

/// Deciding the loaded scenarios alone: evaluation's share of the batch.
#[divan::bench(sample_count = 10)]
fn decide_only(bencher: divan::Bencher) {
    let engine = engine();
    let scenarios: Vec<Scenario> = corpus().iter().map(|l| load(l)).collect();
    bencher.counter(items()).bench(|| {
        for s in &scenarios {
            divan::black_box(engine.decide(divan::black_box(s)).expect("decides"));
        }
    });
}
