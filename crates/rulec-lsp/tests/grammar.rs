//! The VS Code extension's TextMate grammar (`editors/vscode/syntaxes/rulec.tmLanguage.json`)
//! against every shipped rule file: wherever a keyword of the language stands (outside strings
//! and comments, and not inside a dotted name such as `contact.label`), some pattern of the
//! grammar scopes it. The keywords are read from `grammar/rules.pest`, so a new keyword without a
//! highlighting rule fails here.

use fancy_regex::Regex;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `match` pattern of the grammar, wherever it is.
fn patterns(value: &Value, out: &mut Vec<Regex>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(m)) = map.get("match") {
                out.push(Regex::new(m).unwrap_or_else(|e| panic!("{m}: {e}")));
            }
            map.values().for_each(|v| patterns(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| patterns(v, out)),
        _ => {}
    }
}

/// The words of the language: the `kw_*` rules and the atomic word lists (nouns, units) of the
/// pest grammar.
fn keywords() -> Vec<String> {
    let pest = std::fs::read_to_string(root().join("grammar/rules.pest")).expect("grammar");
    let quoted = Regex::new(r#""([a-z]+)""#).expect("regex");
    let mut words: Vec<String> = pest
        .lines()
        .filter(|l| l.starts_with("kw_") || l.contains("noun") || l.contains("time_unit") || l.contains("day_word") || l.trim_start().starts_with("(\""))
        .flat_map(|l| quoted.captures_iter(l).filter_map(|c| c.ok()).map(|c| c[1].to_string()).collect::<Vec<_>>())
        .collect();
    words.sort();
    words.dedup();
    words
}

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rule_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rules" || e == "policy") {
            out.push(path);
        }
    }
}

/// The parts of a line outside strings and comments, as (start, text) runs.
fn code_runs(line: &str) -> Vec<(usize, &str)> {
    let mut runs = Vec::new();
    let (mut start, mut in_string, mut escaped) = (0, false, false);
    for (i, c) in line.char_indices() {
        if in_string {
            match (c, escaped) {
                ('\\', false) => escaped = true,
                ('"', false) => {
                    in_string = false;
                    start = i + 1;
                }
                _ => escaped = false,
            }
        } else if c == '"' {
            runs.push((start, &line[start..i]));
            in_string = true;
        } else if c == '#' {
            runs.push((start, &line[start..i]));
            return runs;
        }
    }
    if !in_string {
        runs.push((start, &line[start..]));
    }
    runs
}

#[test]
fn every_keyword_of_every_shipped_file_is_scoped() {
    let grammar: Value = serde_json::from_str(&std::fs::read_to_string(root().join("editors/vscode/syntaxes/rulec.tmLanguage.json")).expect("grammar file")).expect("JSON");
    let mut regexes = Vec::new();
    patterns(&grammar, &mut regexes);
    let keywords = keywords();
    assert!(keywords.len() > 80 && keywords.iter().any(|k| k == "replies"), "{keywords:?}");
    let token = Regex::new(r"[A-Za-z_][\w.]*").expect("regex");
    let mut files = Vec::new();
    rule_files(&root().join("rules"), &mut files);
    let mut unscoped = Vec::new();
    let mut seen = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("rule file");
        for (n, line) in text.lines().enumerate() {
            let covered: Vec<(usize, usize)> = regexes.iter().flat_map(|r| r.find_iter(line).filter_map(|m| m.ok()).map(|m| (m.start(), m.end())).collect::<Vec<_>>()).collect();
            for (offset, run) in code_runs(line) {
                for m in token.find_iter(run).filter_map(|m| m.ok()) {
                    if m.as_str().contains('.') || !keywords.iter().any(|k| k == m.as_str()) {
                        continue;
                    }
                    seen += 1;
                    let (start, end) = (offset + m.start(), offset + m.end());
                    if !covered.iter().any(|&(s, e)| s <= start && end <= e) {
                        unscoped.push(format!("{}:{}: `{}` in {line:?}", file.display(), n + 1, m.as_str()));
                    }
                }
            }
        }
    }
    assert!(seen > 1000, "only {seen} keywords seen: is the rules folder there?");
    assert!(unscoped.is_empty(), "{} keywords without a scope:\n{}", unscoped.len(), unscoped.join("\n"));
}
