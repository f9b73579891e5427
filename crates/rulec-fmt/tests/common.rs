//! Shared by the integration tests: where the files are, and the round-trip check.
#![allow(dead_code)]

use rulec_syntax::{parse, SourceFile};
use std::path::{Path, PathBuf};

/// The repository's `rules/` directory.
pub fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules")
}

/// This crate's fixtures.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every `*.rules` and `*.policy` file under `dir`, recursively, sorted.
pub fn rule_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("rules" | "policy")
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Formats `text` and checks every guarantee of the formatter; returns the formatted text.
/// Panics with a message naming `name` on the first broken guarantee.
pub fn check_round_trip(name: &str, text: &str) -> String {
    let source = SourceFile::new(name, text);
    let original = parse(&source);
    assert!(
        original.diagnostics.is_empty(),
        "{name}: the input has diagnostics:\n{}",
        original
            .diagnostics
            .iter()
            .map(|d| rulec_syntax::render(d, &source, false))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let once = rulec_fmt::format_source(&source)
        .unwrap_or_else(|_| panic!("{name}: format_source failed"));

    let formatted_source = SourceFile::new(name, once.clone());
    let reparsed = parse(&formatted_source);
    assert!(
        reparsed.diagnostics.is_empty(),
        "{name}: the formatted text has diagnostics:\n{}\n--- formatted ---\n{once}",
        reparsed
            .diagnostics
            .iter()
            .map(|d| rulec_syntax::render(d, &formatted_source, false))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // (b) Same tree, spans aside (doc comments included).
    let before = original.file.debug_without_spans();
    let after = reparsed.file.debug_without_spans();
    if before != after {
        let first_diff = before
            .lines()
            .zip(after.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name}: the formatted text parses to a different tree (first differing debug line {first_diff}: {:?} vs {:?})\n--- formatted ---\n{once}",
            before.lines().nth(first_diff),
            after.lines().nth(first_diff)
        );
    }
    // (c) The same comments, same texts, same order.
    let texts = |file: &rulec_syntax::ast::File| {
        file.comments
            .iter()
            .map(|c| c.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        texts(&original.file),
        texts(&reparsed.file),
        "{name}: the comments differ\n--- formatted ---\n{once}"
    );
    // (a) Idempotent.
    let twice = rulec_fmt::format_source(&formatted_source)
        .unwrap_or_else(|_| panic!("{name}: second format failed"));
    assert_eq!(once, twice, "{name}: formatting is not idempotent");
    // The text-level rules of the layout.
    check_layout(name, &once);
    once
}

/// LF only, no trailing spaces, one final newline, no two blank lines in a row, no blank line
/// after `{` or before `}`.
pub fn check_layout(name: &str, text: &str) {
    assert!(!text.contains('\r'), "{name}: CR in the output");
    if text.is_empty() {
        return;
    }
    assert!(
        text.ends_with('\n') && !text.ends_with("\n\n"),
        "{name}: the output must end with exactly one newline"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        !lines[0].is_empty(),
        "{name}: the output starts with a blank line"
    );
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line.trim_end(), *line, "{name}:{}: trailing spaces", i + 1);
        assert!(
            !line.contains('\t') || line.contains('"') || line.contains('#'),
            "{name}:{}: a tab",
            i + 1
        );
        if line.is_empty() {
            let previous = lines[i - 1];
            let next = lines.get(i + 1).copied().unwrap_or("x");
            assert!(
                !previous.is_empty(),
                "{name}:{}: two blank lines in a row",
                i + 1
            );
            let previous_code = previous.split(" #").next().unwrap_or(previous);
            assert!(
                !previous_code.ends_with('{'),
                "{name}:{}: a blank line after `{{`",
                i + 1
            );
            assert!(
                next.trim() != "}" && !next.trim().starts_with("} #"),
                "{name}:{}: a blank line before `}}`",
                i + 1
            );
        }
    }
}
