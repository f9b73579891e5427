//! `rulec lint`: diagnostics of rule and policy files in four formats.

use crate::cli::{Global, LintArgs, LintFormat, Origin};
use crate::files::{self, count, display};
use crate::{Failure, Outcome};
use rulec_check::{CheckOptions, FileDiagnostic};
use rulec_syntax::{DiagnosticRecord, Severity, SourceFile};
use serde_json::json;
use std::path::PathBuf;

pub fn run(global: &Global, args: LintArgs) -> Outcome {
    let (rules_dirs, origin) = global.rules_dirs();
    let targets = if args.paths.is_empty() {
        rules_dirs.clone()
    } else {
        args.paths.clone()
    };
    for dir in &rules_dirs {
        if !dir.exists() && !(origin == Origin::Default && !args.paths.is_empty()) {
            return Err(Failure(format!(
                "{}: the rules directory does not exist{}",
                display(dir),
                global.origin_note(origin, "--rules DIR")
            )));
        }
    }
    let target_files = files::discover(&targets, rulec_eval::files::RULE_FILE_EXTENSIONS)?;

    // The context: every file of the rule sources. A missing default `rules` directory is no
    // context when files were named.
    let existing: Vec<PathBuf> = rules_dirs.iter().filter(|d| d.exists()).cloned().collect();
    let context_files: Vec<PathBuf> = files::discover(&existing, rulec_eval::files::RULE_FILE_EXTENSIONS)?;

    if args.fix {
        crate::fix::apply(&target_files, &context_files)?;
    }

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

    let project = global.project.as_ref();
    for code in &args.deny {
        let known = code_table();
        if !known.iter().any(|(c, _, _)| c.eq_ignore_ascii_case(code) && c.starts_with('W')) {
            let warnings: Vec<&str> = known.iter().map(|(c, _, _)| *c).filter(|c| c.starts_with('W')).collect();
            let hint = rulec_model::suggest(&code.to_ascii_uppercase(), &warnings).map(|s| format!(", did you mean `{s}`?")).unwrap_or_default();
            return Err(Failure(format!("--deny {code}: not a warning code (the warnings are {}){hint}", warnings.join(", "))));
        }
    }
    let today = args
        .today
        .or_else(|| project.and_then(|p| p.lint_today))
        .or_else(|| Some(chrono::Local::now().date_naive()));
    let format = args.format.or_else(|| project.and_then(|p| p.formats.lint)).unwrap_or(LintFormat::Human);
    let deny_warnings = args.deny_warnings || project.and_then(|p| p.lint_deny_warnings).unwrap_or(false);
    let options = CheckOptions {
        today,
        history_horizon_days: args.history_days,
    };
    let texts_checked: Option<Vec<SourceFile>> = (!not_text.is_empty()).then(|| {
        let mut texts = sources.clone();
        for &(i, _, _) in &not_text {
            texts[i] = SourceFile::new(texts[i].path.clone(), String::new());
        }
        texts
    });
    let checked = match &texts_checked {
        None => rulec_check::check_sources(&sources, &options),
        Some(texts) => {
        let mut checked = rulec_check::check_sources(texts, &options);
        for &(i, offset, byte) in &not_text {
            checked.diagnostics.push(not_utf8(i, &sources[i], offset, byte));
        }
        checked.diagnostics.sort_by_key(|d| (d.file, d.diagnostic.span.start));
        checked
        }
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

    match format {
        LintFormat::Human => {
            let color = files::color_stdout();
            crate::report::write_diagnostics(diagnostics.iter().copied(), &sources, color, &mut std::io::stdout().lock());
            let suppressed = checked.suppressed.iter().filter(|s| reported[s.diagnostic.file]).count();
            let suppressed = if suppressed > 0 { format!(" ({suppressed} suppressed)") } else { String::new() };
            files::err(&format!(
                "{}, {}{suppressed} in {}\n",
                count(errors, "error"),
                count(warnings, "warning"),
                count(file_count, "file")
            ));
            expiry_notes(&sources, &options, &checked, &reported, texts_checked.as_deref());
            if let (None, Some(pinned)) = (args.today, project.and_then(|p| p.lint_today)) {
                files::err(&format!(
                    "note: expiries judged as of {pinned}, the `[lint] today` of {}\n",
                    display(&project.map(|p| p.path.clone()).unwrap_or_default())
                ));
            }
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
                &(serde_json::to_string_pretty(&sarif(&records, project.and_then(|p| p.help_uri.as_deref()))).map_err(Failure::from)? + "\n"),
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

    let denied = diagnostics
        .iter()
        .filter(|d| d.diagnostic.severity == Severity::Warning && args.deny.iter().any(|c| c.eq_ignore_ascii_case(d.diagnostic.code)))
        .count();
    let failed = errors > 0 || (deny_warnings && warnings > 0) || denied > 0;
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

use crate::explain::code_table;

/// When the date judged by is not the real one (`--today`, or pinned in rulec.toml), the mutes
/// and suppressions that have ended or end within 30 days by the real date, as notes on stderr
/// that fail nothing: CI stays reproducible and still gives notice.
fn expiry_notes(sources: &[SourceFile], options: &CheckOptions, judged: &rulec_check::Checked, reported: &[bool], texts: Option<&[SourceFile]>) {
    let real = chrono::Local::now().date_naive();
    if options.today == Some(real) {
        return;
    }
    let by_real = rulec_check::check_sources(texts.unwrap_or(sources), &CheckOptions { today: Some(real), ..options.clone() });
    let is_expiry = |code: &str| code == "W002" || code == "W008";
    let known: Vec<(usize, usize, &str)> = judged.diagnostics.iter().map(|d| (d.file, d.diagnostic.span.start, d.diagnostic.code)).collect();
    for d in &by_real.diagnostics {
        if !is_expiry(d.diagnostic.code) || !reported[d.file] || known.contains(&(d.file, d.diagnostic.span.start, d.diagnostic.code)) {
            continue;
        }
        let (line, column) = sources[d.file].line_col(d.diagnostic.span.start);
        files::err(&format!(
            "note: by today's date ({real}): {}:{line}:{column}: {} [{}]\n",
            sources[d.file].path, d.diagnostic.message, d.diagnostic.code
        ));
    }
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

/// SARIF 2.1.0: one run, the tool's every code as a rule (with its documentation, the section
/// of docs/diagnostics.md, and `helpUri` when rulec.toml gives the page's address), one result
/// per diagnostic.
fn sarif(records: &[DiagnosticRecord], help_uri: Option<&str>) -> serde_json::Value {
    let codes = code_table();
    let rules: Vec<serde_json::Value> = codes
        .iter()
        .map(|(code, name, summary)| {
            let level = if code.starts_with('W') {
                "warning"
            } else {
                "error"
            };
            let mut rule = json!({
                "id": code,
                "name": name,
                "shortDescription": { "text": summary },
                "defaultConfiguration": { "level": level },
            });
            if let Some((heading, body)) = crate::explain::section(code) {
                rule["help"] = json!({ "text": format!("{summary} (`rulec explain {code}` prints the rest)"), "markdown": format!("## {heading}\n\n{body}") });
                if let Some(base) = help_uri {
                    rule["helpUri"] = json!(format!("{base}#{}", crate::explain::anchor(heading)));
                }
            }
            rule
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
