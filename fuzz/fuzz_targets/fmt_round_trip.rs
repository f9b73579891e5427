//! The formatter's guarantees on any text it accepts: the output parses without diagnostics to
//! the same tree (spans aside) with the same comments, and formatting it again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rulec_syntax::{parse, SourceFile};

const PATHS: &[&str] = &["rules/states/MA.rules", "rules/federal/fuzz.rules", "rules/policies/fuzz.policy"];

fn comments(file: &rulec_syntax::ast::File) -> Vec<String> {
    file.comments.iter().map(|c| c.text.clone()).collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let path = PATHS[which as usize % PATHS.len()];
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let source = SourceFile::new(path, text);
    let Ok(formatted) = rulec_fmt::format_source(&source) else { return };
    let before = parse(&source);
    let after_source = SourceFile::new(path, formatted.clone());
    let after = parse(&after_source);
    assert!(after.diagnostics.is_empty(), "formatted text has diagnostics: {:?}\n--- formatted\n{formatted}", after.diagnostics);
    assert_eq!(before.file.debug_without_spans(), after.file.debug_without_spans(), "tree changed\n--- formatted\n{formatted}");
    assert_eq!(comments(&before.file), comments(&after.file), "comments changed\n--- formatted\n{formatted}");
    let again = rulec_fmt::format_source(&after_source).expect("formatted text formats");
    assert_eq!(again, formatted, "not idempotent");
});
