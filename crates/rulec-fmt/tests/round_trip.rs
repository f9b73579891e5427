//! The formatter's guarantees on every rule file of the repository and every fixture:
//! no diagnostics, same tree, same comments, idempotent.

mod common;
use common::*;

#[test]
fn every_repository_rule_file_round_trips() {
    let files = rule_files(&rules_dir());
    // The directory is written by others as this runs; it has at least the federal rules.
    assert!(
        !files.is_empty(),
        "no rule file under {}",
        rules_dir().display()
    );
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        check_round_trip(&path.display().to_string(), &text);
    }
}

#[test]
fn every_fixture_round_trips() {
    let files = rule_files(&fixtures_dir());
    assert!(
        files.len() >= 6,
        "fixtures missing under {}",
        fixtures_dir().display()
    );
    for path in files {
        let text = std::fs::read_to_string(&path).expect("fixture readable");
        check_round_trip(&path.display().to_string(), &text);
    }
}

/// Layout changes that keep a file valid: the formatter's guarantees must hold on them too.
fn mangled(text: &str) -> Vec<(&'static str, String)> {
    let lines: Vec<&str> = text.lines().collect();
    vec![
        (
            "reindented",
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| format!("{}{}\n", " ".repeat(i * 7 % 5), l.trim_start()))
                .collect(),
        ),
        (
            "crlf-tabs",
            lines.iter().map(|l| format!("\t{l}  \r\n")).collect(),
        ),
        (
            "blank-lines",
            lines.iter().map(|l| format!("{l}\n\n\n")).collect(),
        ),
        // A trailing comment on every line (strings never span lines, so this is safe).
        (
            "trailing-comments",
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| format!("{l} # t{i}\n"))
                .collect(),
        ),
        // A comment line between every two lines (also inside clauses and conditions).
        (
            "own-line-comments",
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| format!("{l}\n  # o{i}\n"))
                .collect(),
        ),
    ]
}

#[test]
fn mangled_files_round_trip() {
    let mut files = rule_files(&fixtures_dir());
    files.extend(rule_files(&rules_dir()));
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (how, variant) in mangled(&text) {
            check_round_trip(&format!("{} ({how})", path.display()), &variant);
        }
    }
}
