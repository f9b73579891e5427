//! `rulec test`: scenario suites against the rules, with coverage.

use crate::cli::{Global, Origin, TestArgs, TestFormat};
use crate::files::{self, display};
use crate::report::{self, Loaded};
use crate::{Failure, Outcome};
use rulec_eval::{format_time, Decision, Verdict};
use rulec_scenario::{Document, Expect, Scenario};
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;

const SCENARIO_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// How one case ended.
enum Status {
    Passed,
    /// The decision does not match `expect`: one line per mismatch.
    Failed(Vec<String>),
    /// The case could not be decided (invalid input, unknown policy): one line per error.
    Error(Vec<String>),
}

struct CaseResult {
    name: String,
    status: Status,
    decision: Option<Decision>,
    /// The line of the case's `name:` in its file, for failure headers.
    line: Option<usize>,
    /// The case's input errors shown where they are in the file (human output).
    located: Option<String>,
}

struct FileResult {
    path: String,
    /// The suite's name; `None` for a single scenario.
    suite: Option<String>,
    /// Errors of the file as a whole (it could not be read as a suite or scenario).
    errors: Vec<String>,
    /// The load errors located and rendered for people.
    rendered: String,
    cases: Vec<CaseResult>,
}

impl FileResult {
    /// The name a report groups the file's cases under.
    fn group(&self) -> String {
        self.suite.clone().unwrap_or_else(|| self.path.clone())
    }
}

struct Totals {
    passed: usize,
    /// Files that could not be loaded (not counted as failed cases).
    unloaded: usize,
    failed: usize,
    errors: usize,
}

pub fn run(global: &Global, mut args: TestArgs) -> Outcome {
    let project = global.project.as_ref();
    let (paths, origin) = if !args.paths.is_empty() {
        (args.paths.clone(), Origin::CommandLine)
    } else if let Some(suites) = project.and_then(|p| p.suites.clone()) {
        (suites, Origin::Project)
    } else {
        (vec![PathBuf::from("tests/scenarios")], Origin::Default)
    };
    for path in &paths {
        if !path.exists() {
            return Err(Failure(format!(
                "{}: No such file or directory{}",
                display(path),
                global.origin_note(origin, "a PATH")
            )));
        }
    }
    if args.format.is_none() {
        args.format = project.and_then(|p| p.formats.test);
    }
    if args.min_coverage.is_none() {
        args.min_coverage = project.and_then(|p| p.test_min_coverage);
    }
    if args.watch {
        return crate::watch::run(global, &args, &paths);
    }
    run_once(global, &args, &paths)
}

/// One run of the suites under `paths`.
pub fn run_once(global: &Global, args: &TestArgs, paths: &[PathBuf]) -> Outcome {
    let format = args.format.unwrap_or(TestFormat::Human);
    let scenario_files = files::discover(paths, SCENARIO_EXTENSIONS)?;
    if scenario_files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| display(p)).collect();
        return Err(Failure(format!(
            "no scenario files (*.yaml, *.yml, *.json) under {}",
            shown.join(", ")
        )));
    }
    let loaded = report::load_rules(global)?;
    let limits = global.scenario_limits();
    let default_policy = global.default_policy();

    let mut results = Vec::new();
    let mut progress = Progress::new(scenario_files.len());
    for path in &scenario_files {
        let text = files::read_scenario(Some(path), &limits)?;
        let result = run_file(&loaded, display(path), &text, args, default_policy.as_deref(), &limits);
        progress.advance(result.cases.len());
        if !result.cases.is_empty() || !result.errors.is_empty() {
            results.push(result);
        }
    }
    progress.finish();

    let mut totals = Totals {
        passed: 0,
        unloaded: results.iter().filter(|f| !f.errors.is_empty()).count(),
        failed: 0,
        errors: 0,
    };
    for file in &results {
        if !file.errors.is_empty() {
            totals.errors += 1;
        }
        for case in &file.cases {
            match case.status {
                Status::Passed => totals.passed += 1,
                Status::Failed(_) => totals.failed += 1,
                Status::Error(_) => totals.errors += 1,
            }
        }
    }
    let failed = totals.failed + totals.errors - totals.unloaded;
    let mut closing = format!("{} passed, {} failed", totals.passed, failed);
    if totals.unloaded > 0 {
        closing.push_str(&format!(", {} could not be loaded", files::count(totals.unloaded, "file")));
    }
    closing.push('\n');

    let coverage =
        (args.coverage || args.min_coverage.is_some()).then(|| Coverage::of(&loaded, &results));
    let below = match (&coverage, args.min_coverage) {
        (Some(c), Some(min)) if c.percent() < min => Some(format!(
            "coverage {:.1}% is below --min-coverage {min}%\n",
            c.percent()
        )),
        _ => None,
    };

    match format {
        TestFormat::Human => {
            let mut text = human(&results, args.quiet, files::color_stdout());
            if let Some(c) = &coverage {
                text.push('\n');
                text.push_str(&c.human(&loaded));
            }
            if let Some(filter) = &args.filter {
                if results.is_empty() {
                    files::err(&format!("warning: no case name contains '{filter}'\n"));
                }
            }
            if !(args.quiet && text.is_empty()) {
                text.push('\n');
            }
            text.push_str(&closing);
            files::out(&text);
        }
        TestFormat::Json => {
            let mut value = json_report(&results, &totals);
            if let Some(c) = &coverage {
                value["coverage"] = c.json(&loaded);
            }
            files::out(&(serde_json::to_string_pretty(&value).map_err(Failure::from)? + "\n"));
            files::err(&closing);
        }
        TestFormat::Junit => {
            files::out(&junit(&results, &totals));
            if let Some(c) = &coverage {
                files::err(&c.human(&loaded));
            }
            files::err(&closing);
        }
    }
    if let Some(message) = &below {
        files::err(message);
    }
    // A suite that cannot be loaded is an input error (2), not a failing case (1).
    Ok(if totals.unloaded > 0 { 2 } else { u8::from(failed > 0 || below.is_some()) })
}

/// A one-line count of the cases run and the files done out of all, on stderr when it is a
/// terminal (never in CI logs), shown once a run takes long enough to need it.
struct Progress {
    enabled: bool,
    shown: bool,
    done: usize,
    files_done: usize,
    files: usize,
    started: std::time::Instant,
}

impl Progress {
    fn new(files: usize) -> Progress {
        Progress {
            enabled: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            shown: false,
            done: 0,
            files_done: 0,
            files,
            started: std::time::Instant::now(),
        }
    }

    fn advance(&mut self, cases: usize) {
        self.done += cases;
        self.files_done += 1;
        if self.enabled && self.started.elapsed() > std::time::Duration::from_millis(300) {
            self.shown = true;
            files::err(&format!("\r{} cases run, {} of {} files…", self.done, self.files_done, self.files));
        }
    }

    fn finish(&self) {
        if self.shown {
            files::err("\r\x1b[K");
        }
    }
}

fn run_file(loaded: &Loaded, path: String, text: &str, args: &TestArgs, default_policy: Option<&str>, limits: &rulec_scenario::Limits) -> FileResult {
    let matches = |name: &str| args.filter.as_deref().is_none_or(|f| name.contains(f));
    let mut result = FileResult {
        path,
        suite: None,
        errors: Vec::new(),
        rendered: String::new(),
        cases: Vec::new(),
    };
    match rulec_scenario::load_document_with(text, limits) {
        Err(errors) => {
            result.errors = errors.iter().map(|e| e.to_string()).collect();
            result.rendered = crate::input_errors::render(&result.path, text, &errors, false);
        }
        Ok(Document::Scenario { scenario, expect }) => {
            let name = scenario.name().map(str::to_string).unwrap_or_else(|| stem(&result.path));
            if matches(&name) {
                result
                    .cases
                    .push(run_case(loaded, name, scenario, expect, args, default_policy));
            }
        }
        Ok(Document::Suite(suite)) => {
            result.suite = Some(suite.name.clone());
            for case in suite.cases {
                if !matches(&case.name) {
                    continue;
                }
                match case.result {
                    Ok((scenario, expect)) => result
                        .cases
                        .push(run_case(loaded, case.name, scenario, expect, args, default_policy)),
                    Err(errors) => result.cases.push(CaseResult {
                        name: case.name,
                        status: Status::Error(errors.iter().map(|e| e.to_string()).collect()),
                        decision: None,
                        line: None,
                        located: Some(crate::input_errors::render(&result.path, text, &errors, false)),
                    }),
                }
            }
            locate_cases(text, &mut result.cases);
        }
    }
    result
}

/// Sets each case's line: the line of its `name:` in the text, in order (a case name the
/// text does not hold plainly, e.g. one built by an anchor, gets none).
fn locate_cases(text: &str, cases: &mut [CaseResult]) {
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    for case in cases {
        let found = lines.iter().enumerate().skip(from).find(|(_, line)| {
            let line = line.trim_start().trim_start_matches("- ").trim_start();
            line.strip_prefix("name:").is_some_and(|value| {
                let value = value.trim();
                value.trim_matches(|c| c == '"' || c == '\'') == case.name
            })
        });
        if let Some((index, _)) = found {
            case.line = Some(index + 1);
            from = index + 1;
        }
    }
}

fn stem(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(path)
        .to_string()
}

fn run_case(
    loaded: &Loaded,
    name: String,
    mut scenario: Scenario,
    expect: Option<Expect>,
    args: &TestArgs,
    default_policy: Option<&str>,
) -> CaseResult {
    if let Some(policy) = &args.policy {
        scenario.set_policy(Some(policy.clone()));
    } else if scenario.policy().is_none() {
        scenario.set_policy(default_policy.map(str::to_string));
    }
    let decision = match loaded.engine.explain(&scenario) {
        Ok(decision) => decision,
        Err(error) => {
            return CaseResult {
                name,
                status: Status::Error(vec![error.message]),
                decision: None,
                line: None,
                located: None,
            }
        }
    };
    let mismatches = match &expect {
        Some(expect) => check(expect, &decision, loaded),
        None => Vec::new(),
    };
    let status = if mismatches.is_empty() {
        Status::Passed
    } else {
        Status::Failed(mismatches)
    };
    CaseResult {
        name,
        status,
        decision: Some(decision),
        line: None,
        located: None,
    }
}

fn allowed_word(result: bool) -> &'static str {
    if result {
        "true (allowed)"
    } else {
        "false (blocked)"
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// Every way the decision differs from `expect`, one line each: what was expected, and what
/// came.
fn check(expect: &Expect, decision: &Decision, loaded: &Loaded) -> Vec<String> {
    let mut out = Vec::new();
    let rule_set = loaded.engine.rule_set();
    if let Some(expected) = expect.result {
        if expected != decision.result {
            out.push(format!(
                "result: expected {}, got {}",
                allowed_word(expected),
                allowed_word(decision.result)
            ));
        }
    }
    let mut blocking_citations: Vec<String> = Vec::new();
    for citation in decision.blocked_by.iter().flat_map(|f| &f.citations) {
        if !blocking_citations.contains(citation) {
            blocking_citations.push(citation.clone());
        }
    }
    if let Some(citations) = &expect.citations {
        for citation in citations {
            if !blocking_citations.contains(citation) {
                let mut line = format!(
                    "citations: expected '{citation}' among the blocking rules' citations, got {}",
                    list(&blocking_citations)
                );
                let all: Vec<&str> = rule_set
                    .rules
                    .iter()
                    .flat_map(|r| r.citations.iter().map(String::as_str))
                    .collect();
                if !all.contains(&citation.as_str()) {
                    line.push_str("; no rule cites it");
                    if let Some(s) = rulec_model::suggest(citation, &all) {
                        let _ = write!(line, ", did you mean '{s}'?");
                    }
                }
                out.push(line);
            }
        }
        if expect.exactly {
            out.extend(unexpected("citations", "blocking rules' citations", citations, &blocking_citations));
        }
    }
    let ids = |findings: &[rulec_eval::Finding]| -> Vec<String> { findings.iter().map(|f| f.rule.clone()).collect() };
    let muted: Vec<String> = decision.muted.iter().map(|m| m.rule.clone()).collect();
    let lists = [
        ("rules", "to block", "blocking rules", &expect.rules, ids(&decision.blocked_by)),
        ("warnings", "to warn", "warning rules", &expect.warnings, ids(&decision.warnings)),
        ("muted", "to be reported muted", "muted rules", &expect.muted, muted),
    ];
    for (field, verb, noun, expected, got) in lists {
        let Some(expected) = expected else { continue };
        for rule in expected {
            if rule_set.rule(rule).is_none() {
                let all: Vec<&str> = rule_set.rules.iter().map(|r| r.id.as_str()).collect();
                let hint = rulec_model::suggest(rule, &all)
                    .map(|s| format!(", did you mean '{s}'?"))
                    .unwrap_or_default();
                out.push(format!("{field}: '{rule}' is not a rule of the rule set{hint}"));
            } else if !got.contains(rule) {
                out.push(format!("{field}: expected '{rule}' {verb}, {noun}: {}", list(&got)));
            }
        }
        if expect.exactly {
            out.extend(unexpected(field, noun, expected, &got));
        }
    }
    if let Some(expected) = expect.next_allowed_at {
        if expected != decision.next_allowed_at {
            let show = |t: Option<chrono::DateTime<chrono::Utc>>| {
                t.map_or("null".to_string(), format_time)
            };
            out.push(format!(
                "nextAllowedAt: expected {}, got {}",
                show(expected),
                show(decision.next_allowed_at)
            ));
        }
    }
    out
}

/// With `exactly: true`: the line naming what the decision reports beyond the list expected.
fn unexpected(field: &str, noun: &str, expected: &[String], got: &[String]) -> Option<String> {
    let extra: Vec<String> = got.iter().filter(|g| !expected.contains(g)).cloned().collect();
    (!extra.is_empty()).then(|| {
        format!(
            "{field}: expected exactly {}, {noun} also include {} (exactly: true)",
            bracketed(expected),
            extra.join(", ")
        )
    })
}

/// `[a, b]`, or `[]`.
fn bracketed(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// The details of a case that did not pass: what went wrong, the decision and its trace.
fn failure_details(case: &CaseResult, indent: &str) -> String {
    let mut s = String::new();
    match &case.status {
        Status::Passed => {}
        Status::Failed(lines) => {
            for line in lines {
                let _ = writeln!(s, "{indent}{line}");
            }
        }
        Status::Error(lines) => {
            let _ = writeln!(s, "{indent}the case could not be decided:");
            match &case.located {
                Some(located) => {
                    for line in located.trim_end().lines() {
                        let _ = writeln!(s, "{}", format!("{indent}  {line}").trim_end());
                    }
                }
                None => {
                    for line in lines {
                        let _ = writeln!(s, "{indent}  {line}");
                    }
                }
            }
        }
    }
    if let Some(decision) = &case.decision {
        let _ = writeln!(s, "{indent}decision: {}", report::verdict_line(decision));
        for f in &decision.blocked_by {
            let _ = writeln!(
                s,
                "{indent}  blocked by {} ({}): {}",
                f.rule, f.citation, f.message
            );
        }
        for f in &decision.warnings {
            let _ = writeln!(
                s,
                "{indent}  warned by {} ({}): {}",
                f.rule, f.citation, f.message
            );
        }
        for m in &decision.muted {
            let _ = writeln!(
                s,
                "{indent}  muted {} ({}) until {}",
                m.rule, m.citation, m.mute.until
            );
        }
        let next = decision
            .next_allowed_at
            .map_or("null".to_string(), format_time);
        let _ = writeln!(s, "{indent}  nextAllowedAt: {next}");
        let _ = writeln!(s, "{indent}trace:");
        s.push_str(&report::trace_text(&decision.trace, &format!("{indent}  "), &report::zones(decision)));
    }
    s
}

/// One line per file and per case (with `quiet`, only the files and cases that failed), then
/// the failures' details.
fn human(results: &[FileResult], quiet: bool, color: bool) -> String {
    let mut s = String::new();
    let mut failures = String::new();
    for file in results {
        let failed = !file.errors.is_empty() || file.cases.iter().any(|c| !matches!(c.status, Status::Passed));
        if quiet && !failed {
            continue;
        }
        match &file.suite {
            Some(name) => {
                let _ = writeln!(s, "{} — {name}", file.path);
            }
            None => {
                let _ = writeln!(s, "{}", file.path);
            }
        }
        if !file.errors.is_empty() {
            let _ = writeln!(s, "  ERROR the file could not be loaded ({})", files::count(file.errors.len(), "error"));
            let _ = writeln!(failures, "\n--- {} (could not be loaded)\n", file.path);
            failures.push_str(file.rendered.trim_end());
            failures.push('\n');
        }
        for case in &file.cases {
            let mark = match case.status {
                Status::Passed if quiet => continue,
                Status::Passed => files::paint("ok   ", "32", color),
                Status::Failed(_) => files::paint("FAIL ", "1;31", color),
                Status::Error(_) => files::paint("ERROR", "1;31", color),
            };
            let _ = writeln!(s, "  {mark} {}", case.name);
            if !matches!(case.status, Status::Passed) {
                let _ = writeln!(
                    failures,
                    "\n--- {} › {} ({}{})",
                    file.group(),
                    case.name,
                    file.path,
                    case.line.map_or(String::new(), |l| format!(":{l}"))
                );
                failures.push_str(&failure_details(case, "  "));
            }
        }
    }
    if !failures.is_empty() {
        s.push_str("\nfailures:\n");
        s.push_str(&failures);
    }
    s
}

fn json_report(results: &[FileResult], totals: &Totals) -> serde_json::Value {
    let files: Vec<serde_json::Value> = results
        .iter()
        .map(|file| {
            let cases: Vec<serde_json::Value> = file
                .cases
                .iter()
                .map(|case| {
                    let (status, lines): (&str, &[String]) = match &case.status {
                        Status::Passed => ("passed", &[]),
                        Status::Failed(lines) => ("failed", lines),
                        Status::Error(lines) => ("error", lines),
                    };
                    let mut value = json!({ "name": case.name, "status": status });
                    if !lines.is_empty() {
                        value[if status == "failed" {
                            "failures"
                        } else {
                            "errors"
                        }] = json!(lines);
                    }
                    if let Some(decision) = &case.decision {
                        value["decision"] = decision.to_json();
                        if status != "passed" {
                            value["trace"] =
                                serde_json::to_value(&decision.trace).unwrap_or_default();
                        }
                    }
                    value
                })
                .collect();
            let mut value = json!({ "path": file.path, "suite": file.suite, "cases": cases });
            if !file.errors.is_empty() {
                value["errors"] = json!(file.errors);
            }
            value
        })
        .collect();
    json!({
        "passed": totals.passed,
        "failed": totals.failed + totals.errors,
        "files": files,
    })
}

/// Escapes text for XML content and attributes; characters XML 1.0 cannot hold become U+FFFD.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An attribute value: escaped, line breaks kept as character references.
fn xml_attr(text: &str) -> String {
    xml(text).replace('\n', "&#10;").replace('\t', "&#9;")
}

fn junit(results: &[FileResult], totals: &Totals) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"rulec\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        totals.passed + totals.failed + totals.errors,
        totals.failed,
        totals.errors
    );
    for file in results {
        let failures = file
            .cases
            .iter()
            .filter(|c| matches!(c.status, Status::Failed(_)))
            .count();
        let mut errors = file
            .cases
            .iter()
            .filter(|c| matches!(c.status, Status::Error(_)))
            .count();
        let mut tests = file.cases.len();
        if !file.errors.is_empty() {
            errors += 1;
            tests += 1;
        }
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" file=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">",
            xml_attr(&file.group()),
            xml_attr(&file.path)
        );
        let classname = xml_attr(&file.group());
        if !file.errors.is_empty() {
            let _ = writeln!(
                s,
                "    <testcase name=\"(file)\" classname=\"{classname}\" file=\"{}\">",
                xml_attr(&file.path)
            );
            let _ = writeln!(
                s,
                "      <error message=\"{}\" type=\"InvalidInput\">{}</error>",
                xml_attr(&file.errors[0]),
                xml(&(file.errors.join("\n") + "\n"))
            );
            let _ = writeln!(s, "    </testcase>");
        }
        for case in &file.cases {
            let open = format!(
                "    <testcase name=\"{}\" classname=\"{classname}\" file=\"{}\"",
                xml_attr(&case.name),
                xml_attr(&file.path)
            );
            match &case.status {
                Status::Passed => {
                    let _ = writeln!(s, "{open}/>");
                }
                Status::Failed(lines) | Status::Error(lines) => {
                    let (tag, kind) = if matches!(case.status, Status::Failed(_)) {
                        ("failure", "ExpectationFailed")
                    } else {
                        ("error", "InvalidInput")
                    };
                    let first = lines.first().cloned().unwrap_or_default();
                    let _ = writeln!(s, "{open}>");
                    let _ = writeln!(
                        s,
                        "      <{tag} message=\"{}\" type=\"{kind}\">{}</{tag}>",
                        xml_attr(&first),
                        xml(&failure_details(case, ""))
                    );
                    let _ = writeln!(s, "    </testcase>");
                }
            }
        }
        let _ = writeln!(s, "  </testsuite>");
    }
    s.push_str("</testsuites>\n");
    s
}

/// Per rule: cases where it fired (blocked, was muted, or warned) and where it applied and
/// allowed.
struct Coverage {
    rows: Vec<(usize, usize, usize)>,
}

impl Coverage {
    fn of(loaded: &Loaded, results: &[FileResult]) -> Coverage {
        let rules = &loaded.engine.rule_set().rules;
        let mut rows: Vec<(usize, usize, usize)> = (0..rules.len()).map(|i| (i, 0, 0)).collect();
        let index: std::collections::HashMap<&str, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        for case in results.iter().flat_map(|f| &f.cases) {
            let Some(decision) = &case.decision else {
                continue;
            };
            for t in &decision.trace {
                let Some(&i) = index.get(t.rule.as_str()) else {
                    continue;
                };
                match t.verdict {
                    Verdict::Blocked | Verdict::Muted | Verdict::Warned => rows[i].1 += 1,
                    Verdict::Allowed => rows[i].2 += 1,
                    Verdict::NotApplicable => {}
                }
            }
        }
        Coverage { rows }
    }

    fn covered(&self) -> usize {
        self.rows
            .iter()
            .filter(|(_, b, a)| *b > 0 && *a > 0)
            .count()
    }

    /// Covered rules over all rules, in percent (100 for an empty rule set).
    fn percent(&self) -> f64 {
        if self.rows.is_empty() {
            100.0
        } else {
            self.covered() as f64 * 100.0 / self.rows.len() as f64
        }
    }

    fn state(blocked: usize, allowed: usize) -> &'static str {
        match (blocked > 0, allowed > 0) {
            (true, true) => "covered",
            (true, false) => "never allows",
            (false, true) => "never blocks",
            (false, false) => "not exercised",
        }
    }

    fn human(&self, loaded: &Loaded) -> String {
        let rules = &loaded.engine.rule_set().rules;
        let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(4).max(4);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "coverage: {} of {} rules blocked and allowed at least once ({:.1}%)",
            self.covered(),
            self.rows.len(),
            self.percent()
        );
        let _ = writeln!(s, "  {:<width$}  blocked  allowed", "rule");
        for &(i, blocked, allowed) in &self.rows {
            let _ = writeln!(
                s,
                "  {:<width$}  {blocked:>7}  {allowed:>7}  {}",
                rules[i].id,
                Self::state(blocked, allowed)
            );
        }
        let unexercised: Vec<usize> = self
            .rows
            .iter()
            .filter(|(_, b, a)| *b == 0 && *a == 0)
            .map(|r| r.0)
            .collect();
        if !unexercised.is_empty() {
            let _ = writeln!(s, "rules no case exercises:");
            for i in unexercised {
                let _ = writeln!(s, "  {} ({})", rules[i].id, loaded.rule_location(&rules[i]));
            }
        }
        s
    }

    fn json(&self, loaded: &Loaded) -> serde_json::Value {
        let rules = &loaded.engine.rule_set().rules;
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|&(i, blocked, allowed)| {
                json!({
                    "rule": rules[i].id,
                    "jurisdiction": rules[i].jurisdiction.label(),
                    "location": loaded.rule_location(&rules[i]),
                    "blocked": blocked,
                    "allowed": allowed,
                    "covered": blocked > 0 && allowed > 0,
                })
            })
            .collect();
        let unexercised: Vec<&str> = self
            .rows
            .iter()
            .filter(|(_, b, a)| *b == 0 && *a == 0)
            .map(|r| rules[r.0].id.as_str())
            .collect();
        json!({
            "rules": rows,
            "unexercised": unexercised,
            "covered": self.covered(),
            "total": self.rows.len(),
            "percent": (self.percent() * 10.0).round() / 10.0,
        })
    }
}
