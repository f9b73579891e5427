//! Helpers shared by the integration tests: fixtures on disk, the real rule files, options.
#![allow(dead_code)]

use chrono::NaiveDate;
use rulec_check::{check_sources, CheckOptions};
use rulec_syntax::render;
use rulec_testkit::catch_panic;
use rulec_syntax::SourceFile;
use std::path::{Path, PathBuf};

/// The date the date-dependent lints (W002, W003) judge by in every test.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid date")
}

pub fn options() -> CheckOptions {
    CheckOptions { today: Some(today()), ..CheckOptions::default() }
}

/// `crates/rulec-check/tests/fixtures`.
pub fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// The workspace's `rules/` directory (the real rule library).
pub fn rules_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules")
}

/// The names of the fixture directories (`E003_unknown_value`, …), sorted.
pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_root())
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    names
}

pub use rulec_testkit::{relative, walk};

/// The `.rules` and `.policy` files of a fixture, each named by its path inside the fixture
/// directory (`rules/states/MA.rules`), in path order.
pub fn load_fixture(name: &str) -> Vec<SourceFile> {
    let dir = fixtures_root().join(name);
    let files: Vec<SourceFile> = walk(&dir)
        .into_iter()
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("rules" | "policy")))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            SourceFile::new(relative(&p, &dir), text)
        })
        .collect();
    assert!(!files.is_empty(), "fixture {name} has no .rules or .policy file");
    files
}

/// The real rule library's files, named `rules/…` as the CLI would name them.
pub fn load_rules_dir() -> Vec<SourceFile> {
    let root = rules_root();
    walk(&root)
        .into_iter()
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("rules" | "policy")))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            SourceFile::new(format!("rules/{}", relative(&p, &root)), text)
        })
        .collect()
}

/// Checks `sources`, renders every diagnostic; returns the panic message if anything panicked.
pub fn check_quietly(sources: &[SourceFile]) -> Option<String> {
    catch_panic(|| {
        let checked = check_sources(sources, &options());
        for d in &checked.diagnostics {
            let source = &sources[d.file];
            let span = d.diagnostic.span;
            assert!(span.start <= span.end && span.end <= source.text.len(), "span {span:?} outside {}", source.path);
            let _ = render(&d.diagnostic, source, false);
            let _ = d.diagnostic.to_record(source);
        }
    })
}
