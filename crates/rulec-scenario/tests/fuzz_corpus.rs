//! Replays the committed corpus of the `scenario_load` fuzz target on stable: every input loads
//! or is refused with errors, never a panic.

use rulec_testkit::{catch_panic, walk, workspace_root};

#[test]
fn the_scenario_load_corpus_loads_without_panic() {
    let inputs = walk(&workspace_root().join("fuzz/corpus/scenario_load"));
    assert!(!inputs.is_empty(), "the corpus is committed");
    let mut failures = Vec::new();
    for path in &inputs {
        let data = std::fs::read(path).expect("readable");
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some(message) = catch_panic(|| {
            if let Err(errors) = rulec_scenario::load_document(&text) {
                assert!(!errors.is_empty());
            }
        }) {
            failures.push(format!("{}: {message}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} inputs panicked:\n{}", failures.len(), inputs.len(), failures.join("\n"));
}
