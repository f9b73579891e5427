//! Replays the committed corpus of the `parse_check` fuzz target (`fuzz/corpus/parse_check`) on
//! stable: every input parses and checks without a panic, and every diagnostic renders. The
//! first byte of an input picks where the file sits, as in the target.

mod common;

use common::check_quietly;
use rulec_syntax::SourceFile;
use rulec_testkit::{walk, workspace_root};

const PATHS: &[&str] = &[
    "rules/states/MA.rules",
    "rules/federal/fuzz.rules",
    "rules/policies/fuzz.policy",
    "rules/states/NY.rules",
    "elsewhere/fuzz.rules",
];

#[test]
fn the_parse_check_corpus_checks_without_panic() {
    let inputs = walk(&workspace_root().join("fuzz/corpus/parse_check"));
    assert!(!inputs.is_empty(), "the corpus is committed");
    let mut failures = Vec::new();
    for path in &inputs {
        let data = std::fs::read(path).expect("readable");
        let Some((&which, rest)) = data.split_first() else { continue };
        let source = SourceFile::new(PATHS[which as usize % PATHS.len()], String::from_utf8_lossy(rest).into_owned());
        if let Some(message) = check_quietly(std::slice::from_ref(&source)) {
            failures.push(format!("{}: {message}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} inputs panicked:\n{}", failures.len(), inputs.len(), failures.join("\n"));
}
