//! `rulec lint`: diagnostics of rule and policy files in four formats.

use crate::cli::{Global, LintArgs, LintFormat};
use crate::files::{self, count, display};
use crate::{Failure, Outcome};
use rulec_check::{CheckOptions, FileDiagnostic};
use rulec_syntax::{DiagnosticRecord, Severity, SourceFile};
use serde_json::json;
use std::path::PathBuf;

const RULE_EXTENSIONS: &[&str] = &["rules", "policy"];

pub fn run(global: &Global, args: LintArgs) -> Outcome {
    let rules_dir = global.rules_dir();
    let targets = if args.paths.is_empty() {
        vec![rules_dir.clone()]
    } else {
        args.paths.clone()
    };
    let target_files = files::discover(&targets, RULE_EXTENSIONS)?;

    // The context: every file of the rules directory. A missing default `rules` directory is
    // no context when files were named; a named --rules directory must exist.
    let context_files: Vec<PathBuf> =
        if global.rules.is_none() && !args.paths.is_empty() && !rules_dir.exists() {
            Vec::new()
        } else {
            files::discover(std::slice::from_ref(&rules_dir), RULE_EXTENSIONS)?
        };

    // Targets inside the rules directory take their place there (so that which of two
    // duplicates is reported does not depend on the command line); others come after.
    let target_ids: std::collections::HashMap<PathBuf, usize> =
        target_files.iter().enumerate().map(|(i, p)| (files::identity(p), i)).collect();
    let mut ordered: Vec<(PathBuf, bool)> = Vec::new();
    let mut placed = vec![false; target_files.len()];
    for path in &context_files {
        let id = files::identity(path);
        match target_ids.get(&id).copied() {
            Some(i) => {
                placed[i] = true;
                ordered.push((target_files[i].clone(), true));
            }
            None => ordered.push((path.clone(), false)),
        }
    }
    for (i, path) in target_files.iter().enumerate() {
        if !placed[i] {
            ordered.push((path.clone(), true));
        }
    }

    // A file that is not UTF-8 is a finding of that file (shown lossily, checked as empty);
    // every other file is still linted.
    let mut sources = Vec::with_capacity(ordered.len());
    let mut reported = Vec::with_capacity(ordered.len());
    let mut not_text = Vec::new();
    for (path, is_target) in &ordered {
        match files::read_rule_text(path)? {
            files::RuleText::Text(text) => sources.push(SourceFile::new(display(path), text)),
            files::RuleText::NotUtf8 { lossy, offset, byte } => {
                not_text.push((sources.len(), offset, byte));
                sources.push(SourceFile::new(display(path), lossy));
            }
        }
        reported.push(*is_target);
    }

    let today = args
        .today
        .or_else(|| Some(chrono::Local::now().date_naive()));
    let options = CheckOptions {
        today,
        history_horizon_days: args.history_days,
    };
    let checked = if not_text.is_empty() {
        rulec_check::check_sources(&sources, &options)
    } else {
        let mut texts = sources.clone();
        for &(i, _, _) in &not_text {
            texts[i] = SourceFile::new(texts[i].path.clone(), String::new());
        }
        let mut checked = rulec_check::check_sources(&texts, &options);
        for &(i, offset, byte) in &not_text {
            checked.diagnostics.push(not_utf8(i, &sources[i], offset, byte));
        }
        checked.diagnostics.sort_by_key(|d| (d.file, d.diagnostic.span.start));
        checked
    };
    let diagnostics: Vec<&FileDiagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| reported[d.file])
        .collect();

    let errors = diagnostics
        .iter()
        .filter(|d| d.diagnostic.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let file_count = reported.iter().filter(|r| **r).count();

    match args.format {
        LintFormat::Human => {
            let color = files::color_stdout();
            crate::report::write_diagnostics(diagnostics.iter().copied(), &sources, color, &mut std::io::stdout().lock());
            files::err(&format!(
                "{}, {} in {}\n",
                count(errors, "error"),
                count(warnings, "warning"),
                count(file_count, "file")
            ));
        }
        LintFormat::Json => {
            let records: Vec<DiagnosticRecord> = diagnostics
                .iter()
                .map(|d| d.diagnostic.to_record(&sources[d.file]))
                .collect();
            files::out(&(serde_json::to_string_pretty(&records).map_err(Failure::from)? + "\n"));
        }
        LintFormat::Sarif => {
            let records: Vec<DiagnosticRecord> = diagnostics
                .iter()
                .map(|d| d.diagnostic.to_record(&sources[d.file]))
                .collect();
            files::out(
                &(serde_json::to_string_pretty(&sarif(&records)).map_err(Failure::from)? + "\n"),
            );
        }
        LintFormat::Github => {
            let mut text = String::new();
            for d in &diagnostics {
                text.push_str(&github(&d.diagnostic.to_record(&sources[d.file])));
                text.push('\n');
            }
            files::out(&text);
        }
    }

    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    Ok(u8::from(failed))
}

/// E001 for a file that is not UTF-8, at its first invalid byte (U+FFFD in the lossy text).
fn not_utf8(file: usize, source: &SourceFile, offset: usize, byte: u8) -> FileDiagnostic {
    let (line, column) = source.line_col(offset);
    let span = rulec_syntax::Span::new(offset, (offset + '\u{FFFD}'.len_utf8()).min(source.text.len()));
    FileDiagnostic {
        file,
        diagnostic: rulec_syntax::Diagnostic::error(
            rulec_syntax::codes::SYNTAX,
            span,
            format!("the file is not UTF-8 text: byte 0x{byte:02X} at line {line}, column {column}"),
        )
        .with_label_text("not UTF-8")
        .with_help("save the file as UTF-8; it is not checked until then"),
    }
}

/// Every code the tool can report: the errors, then the lints.
fn code_table() -> Vec<(&'static str, &'static str, &'static str)> {
    let mut codes: Vec<_> = rulec_syntax::codes::ERRORS
        .iter()
        .map(|c| (c.code, c.name, c.summary))
        .collect();
    codes.extend(
        rulec_check::lints::registry()
            .into_iter()
            .map(|l| (l.code, l.name, l.summary)),
    );
    codes
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The message with its help and notes, for formats that have one text field.
fn full_message(record: &DiagnosticRecord) -> String {
    let mut text = record.message.clone();
    if let Some(help) = &record.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    for note in &record.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    text
}

/// SARIF 2.1.0: one run, the tool's every code as a rule, one result per diagnostic.
fn sarif(records: &[DiagnosticRecord]) -> serde_json::Value {
    let codes = code_table();
    let rules: Vec<serde_json::Value> = codes
        .iter()
        .map(|(code, name, summary)| {
            let level = if code.starts_with('W') {
                "warning"
            } else {
                "error"
            };
            json!({
                "id": code,
                "name": name,
                "shortDescription": { "text": summary },
                "defaultConfiguration": { "level": level },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = records
        .iter()
        .map(|r| {
            let mut result = json!({
                "ruleId": r.code,
                "level": level(r.severity),
                "message": { "text": full_message(r) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": r.path },
                        "region": {
                            "startLine": r.line,
                            "startColumn": r.column,
                            "endLine": r.end_line,
                            "endColumn": r.end_column,
                        }
                    }
                }],
            });
            if let Some(index) = codes.iter().position(|(c, _, _)| *c == r.code) {
                result["ruleIndex"] = json!(index);
            }
            if !r.labels.is_empty() {
                result["relatedLocations"] = r
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        json!({
                            "id": i,
                            "message": { "text": l.message },
                            "physicalLocation": {
                                "artifactLocation": { "uri": r.path },
                                "region": { "startLine": l.line, "startColumn": l.column }
                            }
                        })
                    })
                    .collect();
            }
            result
        })
        .collect();
    json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "rulec",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// A GitHub Actions workflow command: `::error file=…,line=…,col=…,title=E003::message`.
fn github(record: &DiagnosticRecord) -> String {
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        level(record.severity),
        escape_property(&record.path),
        record.line,
        record.column,
        record.end_line,
        record.end_column,
        escape_property(record.code),
        escape_data(&full_message(record)),
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
