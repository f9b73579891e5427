//! The parser never panics: on every truncation of every small fixture file and on truncations
//! at a stride through every real rule file, on thousands of
//! random token soups, and on absurd nesting. Whatever the input, `parse` returns a tree and
//! diagnostics, and every diagnostic renders.
//!
//! A panic is caught (`catch_unwind`) and reported with the file and offset that caused it. A
//! stack overflow cannot be caught, so nesting tests run in a child process (this same test
//! binary, asked to run `nesting_child_process` with the depth in an environment variable).

use rulec_syntax::{parse, render, SourceFile};
use rulec_testkit::{campaign_cases, campaign_seed, catch_panic, cut_points, rule_files, run_in_child, strides, token_soup, workspace_root, XorShift};

/// The real rule files under `rules/` and the checker's fixtures, as (shown path, text).
fn corpus() -> Vec<(String, String)> {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in [root.join("rules"), root.join("crates/rulec-check/tests/fixtures")] {
        for path in rule_files(&dir) {
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
    catch_panic(|| {
        let parsed = parse(&source);
        for d in &parsed.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "span {:?} outside the text", d.span);
            let _ = render(d, &source, false);
            let _ = d.to_record(&source);
        }
        let _ = parsed.file.debug_without_spans();
    })
}

/// How many cuts the files of 4 KB and more get in all, so that the test stays fast however
/// large the rule library grows (cutting the large files at every offset cost minutes; the
/// fuzz targets `parse_check` and `fmt_round_trip`, seeded with these files, mutate them at
/// every offset and more: see docs/reliability.md).
const LARGE_FILE_BUDGET: usize = 2_000;

fn check_truncations(prefix: bool) {
    let mut failures = Vec::new();
    let files = corpus();
    assert!(files.iter().any(|(p, _)| p == "rules/federal/reg_f.rules"), "the shipped rules are in the corpus");
    // Files under 4 KB are cut at every offset, the others at a stride.
    let sizes: Vec<(usize, bool)> = files.iter().map(|(_, t)| (t.len(), t.len() < 4096)).collect();
    let strides = strides(&sizes, LARGE_FILE_BUDGET);
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

/// Some inputs start like a real file, so that the soup reaches deeper into the grammar.
const PREFIXES: &[&str] = &[
    "jurisdiction MA\nrule ma.x {\n  title \"t\"\n  binds creditor\n  blocks when ",
    "policy acme\nmute federal.reg_f.call_frequency {\n",
];

#[test]
fn random_token_soup_parses_without_panic() {
    // RULEC_FUZZ_CASES and RULEC_FUZZ_SEED run a longer or different campaign by hand.
    let mut rng = XorShift::new(campaign_seed(0x9E37_79B9_7F4A_7C15));
    let cases = campaign_cases(5_000);
    let mut failures = Vec::new();
    for case in 0..cases {
        let text = token_soup(&mut rng, PREFIXES, TOKENS, 60);
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
    run_in_child("nesting_child_process", &[(DEPTH_VAR, depth.to_string())], "NESTING depth=")
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
