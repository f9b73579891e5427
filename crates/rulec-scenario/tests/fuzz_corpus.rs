//! Replays the committed corpus of the `scenario_load` fuzz target on stable: every input loads
//! or is refused with errors, never a panic, a loaded scenario's parts make it again, and the
//! typed read agrees with the general loader wherever it accepts an input.

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
            let limits = rulec_scenario::Limits::default();
            if let Some((scenario, expect)) = rulec_scenario::typed::read(&text, &limits) {
                let general = rulec_scenario::load_document_general(&text, &limits);
                assert_eq!(general, Ok(rulec_scenario::Document::Scenario { scenario, expect }), "the typed read disagrees");
            }
            match rulec_scenario::load_document(&text) {
                Err(errors) => assert!(!errors.is_empty()),
                Ok(rulec_scenario::Document::Scenario { scenario, .. }) => {
                    let again = rulec_scenario::Scenario::from_parts(scenario.clone().into_parts());
                    assert_eq!(again.as_ref(), Ok(&scenario), "from_parts refuses or changes a loaded scenario");
                }
                Ok(rulec_scenario::Document::Suite(_)) => {}
            }
        }) {
            failures.push(format!("{}: {message}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} inputs panicked:\n{}", failures.len(), inputs.len(), failures.join("\n"));
}
