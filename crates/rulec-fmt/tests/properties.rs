//! The formatter's guarantees as properties over generated rule files (every construct of the
//! grammar, laid out at random): the output parses to the same tree (spans aside) with the same
//! comments, and formatting it again changes nothing.

use proptest::prelude::*;
use rulec_syntax::{parse, SourceFile};
use rulec_testkit::rules::{mangle, rule_file};

const PATH: &str = "rules/states/MA.rules";

fn comments(file: &rulec_syntax::ast::File) -> Vec<String> {
    file.comments.iter().map(|c| c.text.clone()).collect()
}

proptest! {
    // PROPTEST_CASES=N runs a longer campaign.
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    #[test]
    fn formatting_is_idempotent_and_keeps_the_tree(text in rule_file(), seed in any::<u64>()) {
        let text = mangle(&text, seed);
        let source = SourceFile::new(PATH, text.clone());
        let before = parse(&source);
        prop_assert!(before.diagnostics.is_empty(), "the generator wrote invalid text: {:?}\n{text}", before.diagnostics);
        let formatted = rulec_fmt::format_source(&source).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        let after_source = SourceFile::new(PATH, formatted.clone());
        let after = parse(&after_source);
        prop_assert!(after.diagnostics.is_empty(), "{:?}\n--- formatted\n{formatted}", after.diagnostics);
        prop_assert_eq!(before.file.debug_without_spans(), after.file.debug_without_spans(), "--- formatted\n{}", formatted);
        prop_assert_eq!(comments(&before.file), comments(&after.file));
        let again = rulec_fmt::format_source(&after_source).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        prop_assert_eq!(again, formatted);
    }
}
