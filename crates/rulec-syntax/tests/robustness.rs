//! The parser never panics: on every truncation of every real and fixture file, on thousands of
//! random token soups, and on absurd nesting. Whatever the input, `parse` returns a tree and
//! diagnostics, and every diagnostic renders.
//!
//! A panic is caught (`catch_unwind`) and reported with the file and offset that caused it. A
//! stack overflow cannot be caught, so nesting tests run in a child process (this same test
//! binary, asked to run `nesting_child_process` with the depth in an environment variable).

use rulec_syntax::{parse, render, SourceFile};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every file under `dir`, recursively, sorted.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The real rule files under `rules/` and the checker's fixtures, as (shown path, text).
fn corpus() -> Vec<(String, String)> {
    let root = workspace();
    let mut files = Vec::new();
    for dir in [root.join("rules"), root.join("crates/rulec-check/tests/fixtures")] {
        for path in walk(&dir) {
            if !matches!(path.extension().and_then(|e| e.to_str()), Some("rules" | "policy")) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let shown = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            files.push((shown, text));
        }
    }
    assert!(files.iter().any(|(p, _)| p.starts_with("rules/")), "the real rule library is part of the corpus");
    files
}

/// Parses and renders every diagnostic; returns the panic message if anything panicked.
fn parse_quietly(path: &str, text: &str) -> Option<String> {
    let source = SourceFile::new(path, text);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let parsed = parse(&source);
        for d in &parsed.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "span {:?} outside the text", d.span);
            let _ = render(d, &source, false);
            let _ = d.to_record(&source);
        }
        let _ = parsed.file.debug_without_spans();
    }));
    outcome.err().map(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".to_string())
    })
}

/// The one real file cut at every byte offset, whatever its size.
const EXHAUSTIVE: &str = "rules/federal/reg_f.rules";

/// How many cuts the files of 4 KB and more (other than `EXHAUSTIVE`) get in all, so that the
/// test stays fast however large the rule library grows.
const LARGE_FILE_BUDGET: usize = 2_000;

const PRIMES: &[usize] = &[
    7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 127, 151, 173, 199,
    251, 307, 401, 503, 601, 701, 809, 907, 1009, 2003, 4001, 8009,
];

/// The stride between cuts: 1 for files under 4 KB and for `EXHAUSTIVE`; for the others the
/// smallest prime (at least 7) that keeps their cuts within `budget`.
fn strides(files: &[(String, String)], budget: usize) -> Vec<usize> {
    let large = |path: &str, text: &str| text.len() >= 4096 && path != EXHAUSTIVE;
    let large_bytes: usize = files.iter().filter(|(p, t)| large(p, t)).map(|(_, t)| t.len()).sum();
    let prime = PRIMES.iter().copied().find(|p| large_bytes / p <= budget).unwrap_or(8009);
    files.iter().map(|(p, t)| if large(p, t) { prime } else { 1 }).collect()
}

/// Every `stride`-th char boundary of `text`, and always both ends.
fn cut_points(text: &str, stride: usize) -> Vec<usize> {
    let mut points: Vec<usize> =
        (0..=text.len()).filter(|i| text.is_char_boundary(*i)).enumerate().filter(|(n, _)| n % stride == 0).map(|(_, i)| i).collect();
    if points.last() != Some(&text.len()) {
        points.push(text.len());
    }
    points
}

fn check_truncations(prefix: bool) {
    let mut failures = Vec::new();
    let files = corpus();
    assert!(files.iter().any(|(p, _)| p == EXHAUSTIVE), "{EXHAUSTIVE} is cut at every offset");
    let strides = strides(&files, LARGE_FILE_BUDGET);
    for ((path, text), stride) in files.iter().zip(strides) {
        for at in cut_points(text, stride) {
            let piece = if prefix { &text[..at] } else { &text[at..] };
            if let Some(message) = parse_quietly(path, piece) {
                failures.push(format!("{path} {} at byte {at}: {message}", if prefix { "prefix" } else { "suffix" }));
            }
        }
    }
    assert!(failures.is_empty(), "parse panicked on {} truncations:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_prefix_parses_without_panic() {
    check_truncations(true);
}

#[test]
fn every_suffix_parses_without_panic() {
    check_truncations(false);
}

/// Deterministic xorshift64*: no dependency, the same strings on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Words and symbols of the language, and things that are not.
const TOKENS: &[&str] = &[
    // headers and items
    "jurisdiction", "policy", "set", "rule", "use", "mute", "extend", "MA", "NY", "federal", "states", "acme",
    // clauses
    "title", "cites", "binds", "every", "role", "effective", "from", "until", "locality", "nyc", "applies",
    "when", "blocks", "warns", "unless", "message", "reason", "approved", "by",
    // conditions
    "and", "or", "not", "is", "in", "to", "local", "time", "day", "date", "within", "outside", "a", "holiday",
    "consent", "autodialedColl", "revoked", "count", "of", "any", "where", "the", "last", "calendar", "days",
    "today", "this", "week", "starting", "Sunday", "month", "since", "about", "loan", "contact", "for",
    "borrower", "do", "interact", "active", "case", "cases", "caseType", "bankruptcy", "calls", "call",
    "texts", "interactions", "letters", "emails", "hours", "minutes", "day", "channel", "voice", "theme",
    "opsCollDebt", "opsColDebt", "contact.label", "contact.affilation", "loan.daysPastDue", "isAutodialed",
    "true", "false", "collector", "creditor", "servicer", "status", "connected", "direction", "outbound",
    // names and literals
    "federal.reg_f.call_frequency", "ma.x", "federal.reg_f.*", "x", "_", "collection_themes", "0", "7",
    "18446744073709551616", "08:00", "21:00", "25:61", "2026-11-22", "2026-02-30", "0000-00-00", "99:99",
    "\"text\"", "\"{count} calls\"", "\"{limt}\"", "\"unterminated", "\"esc\\\"aped\"", "\"\\", "\"{\"",
    // symbols
    "{", "}", "(", ")", ",", ":", ".", ".*", "*", ">=", "<=", "!=", ">", "<", "=", ">>", "#", "##", "# note",
    "\"", "\\", "-", "/",
    // whitespace and oddities
    "\n", "\n\n", "\r\n", "\t", " ", "\0", "é", "日本", "🙂", "\u{200B}", "\u{FEFF}", "Ⅻ", "\u{301}",
];

fn random_text(rng: &mut XorShift) -> String {
    let mut out = String::new();
    // Some inputs start like a real file, so that the soup reaches deeper into the grammar.
    match rng.below(4) {
        0 => out.push_str("jurisdiction MA\nrule ma.x {\n  title \"t\"\n  binds creditor\n  blocks when "),
        1 => out.push_str("policy acme\nmute federal.reg_f.call_frequency {\n"),
        _ => {}
    }
    for _ in 0..rng.below(60) {
        out.push_str(TOKENS[rng.below(TOKENS.len())]);
        match rng.below(5) {
            0 => {}
            1 => out.push('\n'),
            _ => out.push(' '),
        }
    }
    if rng.below(2) == 0 {
        out.push_str("\n}\n");
    }
    out
}

#[test]
fn random_token_soup_parses_without_panic() {
    // RULEC_FUZZ_CASES and RULEC_FUZZ_SEED run a longer or different campaign by hand.
    let cases: usize = std::env::var("RULEC_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(5_000);
    let seed: u64 = std::env::var("RULEC_FUZZ_SEED").ok().and_then(|c| c.parse().ok()).unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rng = XorShift(seed.max(1));
    let mut failures = Vec::new();
    for case in 0..cases {
        let text = random_text(&mut rng);
        if let Some(message) = parse_quietly("rules/states/MA.rules", &text) {
            failures.push(format!("case {case} {text:?}: {message}"));
        }
    }
    assert!(failures.is_empty(), "parse panicked on {} random inputs:\n{}", failures.len(), failures.join("\n"));
}

/// A rule whose `blocks when` condition is wrapped in `depth` parentheses.
fn nested_rule(depth: usize) -> String {
    format!(
        "jurisdiction MA\nrule ma.nested {{\n  title \"t\"\n  binds creditor\n  blocks when {}channel is voice{}\n}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    )
}

const DEPTH_VAR: &str = "RULEC_SYNTAX_NESTING_DEPTH";

/// The child's side: parses a nested rule on a thread with a main thread's 8 MiB of stack and
/// prints the outcome. Without the variable (an ordinary test run) it does nothing.
#[test]
fn nesting_child_process() {
    let Ok(depth) = std::env::var(DEPTH_VAR) else { return };
    let depth: usize = depth.parse().expect("a depth");
    let outcome = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let source = SourceFile::new("rules/states/MA.rules", nested_rule(depth));
            let parsed = parse(&source);
            let rendered: Vec<String> = parsed.diagnostics.iter().map(|d| render(d, &source, false)).collect();
            (parsed.file.items.len(), parsed.diagnostics.iter().map(|d| d.message.clone()).collect::<Vec<_>>(), rendered.len())
        })
        .expect("spawn")
        .join()
        .expect("no panic");
    println!("NESTING depth={depth} items={} diagnostics={:?}", outcome.0, outcome.1);
}

/// Runs `nesting_child_process` at `depth` in a child process; returns whether it exited
/// normally, and its output.
fn nest_in_child(depth: usize) -> (bool, String) {
    // The running binary itself: on Linux through /proc, which still works when a concurrent
    // build has replaced the file on disk.
    let proc_exe = Path::new("/proc/self/exe");
    let exe = if proc_exe.exists() { proc_exe.to_path_buf() } else { std::env::current_exe().expect("the test binary") };
    let output = std::process::Command::new(exe)
        .args(["nesting_child_process", "--exact", "--nocapture", "--test-threads=1"])
        .env(DEPTH_VAR, depth.to_string())
        .output()
        .expect("run the test binary");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success() && text.contains("NESTING depth="), text)
}

#[test]
fn shallow_nesting_parses() {
    let source = SourceFile::new("rules/states/MA.rules", nested_rule(32));
    let parsed = parse(&source);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.file.items.len(), 1);
}

/// 5,000 parentheses: pest's own stack guard stops it, and the result is a diagnostic.
#[test]
fn five_thousand_parentheses_return_without_overflow() {
    let (ok, output) = nest_in_child(5_000);
    assert!(ok, "parsing 5000 nested parentheses crashed:\n{output}");
}

/// Depths between what the grammar accepts and what pest's stack guard refuses: pest parses
/// them, then building the tree recurses once more per level and overflows the stack.
#[test]
fn moderate_nesting_returns_without_overflow() {
    let mut crashed = Vec::new();
    for depth in [100, 200, 400, 600, 800, 1_000, 1_500, 2_000] {
        let (ok, _) = nest_in_child(depth);
        if !ok {
            crashed.push(depth);
        }
    }
    assert!(crashed.is_empty(), "parsing crashed (stack overflow) at nesting depths {crashed:?}");
}
