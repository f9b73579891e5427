//! Replays the committed corpus of the `fmt_round_trip` fuzz target on stable: whatever the
//! formatter accepts comes out parsing to the same tree with the same comments, and formatting
//! it again changes nothing.

use rulec_syntax::{parse, SourceFile};
use rulec_testkit::{walk, workspace_root};

const PATHS: &[&str] = &["rules/states/MA.rules", "rules/federal/fuzz.rules", "rules/policies/fuzz.policy"];

#[test]
fn the_fmt_round_trip_corpus_round_trips() {
    let inputs = walk(&workspace_root().join("fuzz/corpus/fmt_round_trip"));
    assert!(!inputs.is_empty(), "the corpus is committed");
    for path in &inputs {
        let data = std::fs::read(path).expect("readable");
        let Some((&which, rest)) = data.split_first() else { continue };
        let Ok(text) = std::str::from_utf8(rest) else { continue };
        let file = PATHS[which as usize % PATHS.len()];
        let source = SourceFile::new(file, text);
        let Ok(formatted) = rulec_fmt::format_source(&source) else { continue };
        let after_source = SourceFile::new(file, formatted.clone());
        let after = parse(&after_source);
        let shown = path.display();
        assert!(after.diagnostics.is_empty(), "{shown}: {:?}", after.diagnostics);
        assert_eq!(parse(&source).file.debug_without_spans(), after.file.debug_without_spans(), "{shown}");
        assert_eq!(rulec_fmt::format_source(&after_source).ok().as_deref(), Some(formatted.as_str()), "{shown}: not idempotent");
    }
}
