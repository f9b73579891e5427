//! Scenario and suite loading never panics on any bytes (invalid UTF-8 replaced), every error
//! it reports has a message, a loaded scenario's parts make it again (`from_parts` accepts
//! what the loader returns), and the typed read never accepts what the general loader refuses
//! nor builds another scenario.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rulec_scenario::{load_document, Document};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some((scenario, expect)) = rulec_scenario::typed::read(&text, &rulec_scenario::Limits::default()) {
        let general = rulec_scenario::load_document_general(&text, &rulec_scenario::Limits::default());
        assert_eq!(general, Ok(Document::Scenario { scenario, expect }), "the typed read and the general loader disagree");
    }
    match load_document(&text) {
        Ok(Document::Scenario { scenario, .. }) => {
            assert!(scenario.request().contact < scenario.contacts().len());
            assert!(scenario.request().loans.iter().all(|&l| l < scenario.loans().len()));
            let interactions = scenario.interactions();
            assert!(scenario.request().previous.is_none_or(|p| p < interactions.len()));
            for (i, x) in interactions.iter().enumerate() {
                assert!(x.previous.is_none_or(|p| p < interactions.len() && p != i));
            }
            for c in scenario.consents() {
                if let (Some(created), Some(updated)) = (c.created_at, c.updated_at) {
                    assert!(created <= updated);
                }
            }
            // What the loader returns, from_parts accepts as it is.
            let again = rulec_scenario::Scenario::from_parts(scenario.clone().into_parts());
            assert_eq!(again.as_ref(), Ok(&scenario), "the parts of a loaded scenario do not make it again");
        }
        Ok(Document::Suite(suite)) => {
            assert!(!suite.cases.is_empty());
            for case in &suite.cases {
                if let Err(errors) = &case.result {
                    assert!(!errors.is_empty());
                }
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                assert!(!e.message.is_empty());
            }
            let _ = errors.to_string();
        }
    }
});
