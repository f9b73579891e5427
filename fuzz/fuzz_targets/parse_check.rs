//! Rule parsing and checking never panic, and every diagnostic's span lies inside the text and
//! renders. The first byte picks where the file sits (a state file, a federal file, a policy,
//! a file outside `rules/`); the rest is the text (invalid UTF-8 replaced, as a lossy reader
//! would). Policies are checked together with the shipped Regulation F rules so their mutes resolve.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rulec_check::{check_sources, CheckOptions};
use rulec_syntax::{render, SourceFile};
use std::sync::OnceLock;

const PATHS: &[&str] = &[
    "rules/states/MA.rules",
    "rules/federal/fuzz.rules",
    "rules/policies/fuzz.policy",
    "rules/states/NY.rules",
    "elsewhere/fuzz.rules",
];

/// The rule files a fuzzed policy is checked with: Regulation F, enough for its mutes and
/// extends to resolve (the whole library made each policy input ten times slower).
fn library() -> &'static [SourceFile] {
    static LIBRARY: OnceLock<Vec<SourceFile>> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/federal/reg_f.rules");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        vec![SourceFile::new("rules/federal/reg_f.rules", text)]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let path = PATHS[which as usize % PATHS.len()];
    let text = String::from_utf8_lossy(rest).into_owned();
    let mut sources = Vec::new();
    if path.ends_with(".policy") {
        sources.extend(library().iter().cloned());
    }
    sources.push(SourceFile::new(path, text));
    let checked = check_sources(&sources, &CheckOptions::default());
    for d in &checked.diagnostics {
        let source = &sources[d.file];
        let span = d.diagnostic.span;
        assert!(span.start <= span.end && span.end <= source.text.len(), "span {span:?} outside {}", source.path);
        let _ = render(&d.diagnostic, source, false);
        let _ = d.diagnostic.to_record(source);
    }
    if !checked.has_errors() {
        // A rule set that checks compiles.
        let _ = rulec_eval::Engine::from_rule_set(checked.rule_set, rulec_eval::RuleSetId::of_files([]));
    }
});
