//! Checking never panics: every truncation of every fixture (checked together with the other
//! files of its directory, so policies still name real rules), truncations at a stride through
//! every real rule file (every offset of the small ones with `RULEC_TRUNCATIONS=full`),
//! thousands of random token soups, and absurd nesting all return diagnostics, and every
//! diagnostic renders.
//!
//! A panic is caught and reported with the file and offset. A stack overflow cannot be caught,
//! so nesting runs in a child process (this test binary running `nesting_child_process`).

mod common;

use common::{check_quietly, fixture_names, load_fixture, load_rules_dir, options};
use rulec_check::check_sources;
use rulec_syntax::{render, SourceFile};
use rulec_testkit::{campaign_cases, campaign_seed, cut_points, run_in_child, strides, token_soup, XorShift};

/// The stride between cuts of each file: 1 for files under 4 KB (unless `all_large`), a stride
/// through the others that keeps their cuts within `budget` (cutting the large files at every
/// offset cost minutes; the fuzz target `parse_check`, seeded with them, covers that ground).
fn file_strides(files: &[SourceFile], budget: usize, all_large: bool) -> Vec<usize> {
    let sizes: Vec<(usize, bool)> =
        files.iter().map(|f| (f.text.len(), !all_large && f.text.len() < 4096)).collect();
    strides(&sizes, budget)
}

/// Cuts file `index` of `sources` at each of its cut points and checks it, alone or with the
/// other files of `sources`; failures are described with `group`.
fn cut_and_check(group: &str, sources: &[SourceFile], index: usize, stride: usize, prefix: bool, with_others: bool, failures: &mut Vec<String>) {
    let SourceFile { path, text, .. } = &sources[index];
    for at in cut_points(text, stride) {
        let piece = SourceFile::new(path.clone(), if prefix { &text[..at] } else { &text[at..] });
        let outcome = if with_others {
            let mut cut = sources.to_vec();
            cut[index] = piece;
            check_quietly(&cut)
        } else {
            check_quietly(std::slice::from_ref(&piece))
        };
        if let Some(message) = outcome {
            let which = if prefix { "prefix" } else { "suffix" };
            let company = if with_others { " (with the other files)" } else { "" };
            failures.push(format!("{group}: {path} {which} at byte {at}{company}: {message}"));
        }
    }
}

fn check_truncations(prefix: bool) {
    let mut failures = Vec::new();
    // Each fixture file at every offset, checked with the other files of its fixture (a
    // policy's mutes still name the fixture's rules).
    for name in fixture_names() {
        let sources = load_fixture(&name);
        for index in 0..sources.len() {
            cut_and_check(&name, &sources, index, 1, prefix, true, &mut failures);
        }
    }
    // The real library: each file alone, then a coarse pass with the whole library around the
    // cut file. By default a stride through every file (1,000 cuts alone, 20 with the library);
    // RULEC_TRUNCATIONS=full cuts the small files at every offset and checks 100 cuts with the
    // library (minutes in a debug build: CI runs the default, whose ground the fuzz target
    // parse_check, seeded with these files, covers further).
    let full = std::env::var("RULEC_TRUNCATIONS").is_ok_and(|v| v == "full");
    let library = load_rules_dir();
    assert!(library.iter().any(|f| f.path == "rules/federal/reg_f.rules"), "the shipped rules are in the corpus");
    for (index, stride) in file_strides(&library, 1_000, !full).into_iter().enumerate() {
        cut_and_check("rules", &library, index, stride, prefix, false, &mut failures);
    }
    for (index, stride) in file_strides(&library, if full { 100 } else { 20 }, true).into_iter().enumerate() {
        cut_and_check("rules", &library, index, stride, prefix, true, &mut failures);
    }
    assert!(failures.is_empty(), "check panicked on {} truncations:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_prefix_checks_without_panic() {
    check_truncations(true);
}

#[test]
fn every_suffix_checks_without_panic() {
    check_truncations(false);
}

/// Words and symbols of the language and of the data model, and things that are neither.
const TOKENS: &[&str] = &[
    "jurisdiction", "policy", "set", "rule", "use", "mute", "extend", "MA", "NY", "ZZ", "federal", "states", "acme",
    "title", "cites", "binds", "every", "role", "effective", "from", "until", "locality", "nyc", "applies",
    "when", "blocks", "warns", "unless", "message", "reason", "approved", "by",
    "and", "or", "not", "is", "in", "to", "local", "time", "day", "date", "within", "outside", "a", "federal",
    "holiday", "consent", "autodialedColl", "contactPersonWork", "consented", "revoked", "count", "of", "any",
    "where", "the", "last", "calendar", "days", "today", "this", "week", "starting", "Sunday", "sunday",
    "month", "since", "about", "loan", "contact", "for", "borrower", "do", "interact", "active", "case",
    "cases", "caseType", "bankruptcy", "calls", "call", "texts", "interactions", "letters", "emails", "hours",
    "minutes", "channel", "voice", "text", "theme", "opsCollDebt", "opsColDebt", "contact.label", "work",
    "contact.affilation", "contact.verified", "loan.daysPastDue", "loan.loanType", "borrower.personType",
    "isAutodialed", "true", "false", "collector", "creditor", "servicer", "status", "connected", "direction",
    "outbound", "collection_themes", "theme", "channel", "day",
    "federal.reg_f.call_frequency", "ma.x", "ma.y", "federal.reg_f.*", "ma.*", "x", "_", "0", "1", "7", "731",
    "4294967296", "18446744073709551616", "08:00", "21:00", "25:61", "00:00", "2026-11-22", "2026-02-30",
    "2021-11-30", "0000-00-00", "\"text\"", "\"{count} calls\"", "\"{limt}\"", "\"{\"", "\"{}\"", "\"}\"",
    "\"{case}\"", "\"unterminated", "\"\\", "{", "}", "(", ")", ",", ":", ".", ".*", ">=", "<=", "!=", ">",
    "<", "=", "#", "##", "\"", "\\", "\n", "\n\n", "\r\n", "\t", " ", "\0", "é", "日本", "🙂", "\u{200B}",
];

/// Templates that make the soup reach the checker: a valid frame with random insides.
const PREFIXES: &[&str] = &[
    "rule ma.x {\n  title \"t\"\n  cites \"c\"\n  binds creditor\n  blocks when ",
    "set s: theme { opsCollDebt }\nrule ma.x {\n  title \"t\"\n  binds creditor\n  applies when ",
    "mute ma.x {\n  reason \"r\"\n  approved by \"a\"\n",
];

#[test]
fn random_token_soup_checks_without_panic() {
    // RULEC_FUZZ_CASES and RULEC_FUZZ_SEED run a longer or different campaign by hand.
    let cases = campaign_cases(2_000);
    let mut rng = XorShift::new(campaign_seed(0xD1B5_4A32_D192_ED03));
    // A real rule for mutes and duplicates to find, and the soup in a state file and a policy.
    let reg_f = SourceFile::new("rules/federal/reg_f.rules", include_str!("../../../rules/federal/reg_f.rules"));
    let mut failures = Vec::new();
    for case in 0..cases {
        let text = token_soup(&mut rng, PREFIXES, TOKENS, 50);
        // Policies are checked with a real rule file, for their mutes to find.
        let sources = if case % 3 == 0 {
            vec![reg_f.clone(), SourceFile::new("rules/policies/acme.policy", text.clone())]
        } else {
            vec![SourceFile::new("rules/states/MA.rules", text.clone())]
        };
        let path = &sources[sources.len() - 1].path;
        if let Some(message) = check_quietly(&sources) {
            failures.push(format!("case {case} ({path}) {text:?}: {message}"));
        }
    }
    assert!(failures.is_empty(), "check panicked on {} random inputs:\n{}", failures.len(), failures.join("\n"));
}

/// Conditions with extreme values: the checker's arithmetic must not overflow.
#[test]
fn extreme_numbers_check_without_panic() {
    for condition in [
        "count of calls in the last 18446744073709551615 minutes >= 18446744073709551615",
        "count of calls in the last 99999999999999999999999 days >= 1",
        "count of calls in the last 18446744073709551615 calendar days >= 4294967296",
        "loan.daysPastDue >= 18446744073709551615",
        "loan.daysPastDue is 99999999999999999999",
        "local date is within 9999-12-31 to 0000-01-01",
        "local date is within 2026-02-29 to 2026-13-01",
        "local time is within 00:00 to 99:99",
        "count of calls in the last 0 hours = 0",
    ] {
        let text = format!("rule ma.x {{\n  title \"t\"\n  cites \"c\"\n  binds creditor\n  blocks when {condition}\n}}\n");
        let sources = [SourceFile::new("rules/states/MA.rules", text)];
        assert_eq!(check_quietly(&sources), None, "{condition}");
    }
}

/// A rule whose `blocks when` is wrapped in `depth` parentheses.
fn nested_rule(depth: usize) -> String {
    format!(
        "jurisdiction MA\nrule ma.nested {{\n  title \"t\"\n  cites \"c\"\n  binds creditor\n  blocks when {}channel is voice{}\n}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    )
}

/// `not not not … channel is voice`: a nesting the checker keeps (parentheses are dropped).
fn negated_rule(depth: usize) -> String {
    format!(
        "jurisdiction MA\nrule ma.nested {{\n  title \"t\"\n  cites \"c\"\n  binds creditor\n  blocks when {}channel is voice\n}}\n",
        "not ".repeat(depth)
    )
}

const DEPTH_VAR: &str = "RULEC_CHECK_NESTING_DEPTH";
const SHAPE_VAR: &str = "RULEC_CHECK_NESTING_SHAPE";

/// The child's side: checks a nested rule on a thread with a main thread's 8 MiB of stack.
/// Without the variable (an ordinary test run) it does nothing.
#[test]
fn nesting_child_process() {
    let Ok(depth) = std::env::var(DEPTH_VAR) else { return };
    let depth: usize = depth.parse().expect("a depth");
    let negated = std::env::var(SHAPE_VAR).is_ok_and(|s| s == "not");
    let messages = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let text = if negated { negated_rule(depth) } else { nested_rule(depth) };
            let sources = [SourceFile::new("rules/states/MA.rules", text)];
            let checked = check_sources(&sources, &options());
            for d in &checked.diagnostics {
                let _ = render(&d.diagnostic, &sources[d.file], false);
            }
            checked.diagnostics.iter().map(|d| d.diagnostic.message.clone()).collect::<Vec<_>>()
        })
        .expect("spawn")
        .join()
        .expect("no panic");
    println!("NESTING depth={depth} diagnostics={messages:?}");
}

fn nest_in_child(depth: usize, shape: &str) -> (bool, String) {
    run_in_child("nesting_child_process", &[(DEPTH_VAR, depth.to_string()), (SHAPE_VAR, shape.to_string())], "NESTING depth=")
}

#[test]
fn five_thousand_parentheses_return_without_overflow() {
    let (ok, output) = nest_in_child(5_000, "paren");
    assert!(ok, "checking 5000 nested parentheses crashed:\n{output}");
}

#[test]
fn shallow_nesting_checks() {
    let sources = [SourceFile::new("rules/states/MA.rules", nested_rule(32))];
    let checked = check_sources(&sources, &options());
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert_eq!(checked.rule_set.rules.len(), 1);
}

#[test]
fn moderate_nesting_returns_without_overflow() {
    let crashed: Vec<usize> =
        [100, 200, 400, 600, 800, 1_000, 1_500, 2_000].into_iter().filter(|d| !nest_in_child(*d, "paren").0).collect();
    assert!(crashed.is_empty(), "checking crashed (stack overflow) at nesting depths {crashed:?}");
}

#[test]
fn deep_negation_returns_without_overflow() {
    let crashed: Vec<usize> = [100, 1_000, 5_000].into_iter().filter(|d| !nest_in_child(*d, "not").0).collect();
    assert!(crashed.is_empty(), "checking crashed (stack overflow) at `not` depths {crashed:?}");
}
