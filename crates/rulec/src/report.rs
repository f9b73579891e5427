//! Shared by `eval` and `test`: loading the rules into an engine, and the readable report of a
//! decision with its trace.

use crate::files::{self, count, display};
use crate::Failure;
use rulec_check::CheckOptions;
use rulec_eval::{format_time, Decision, Engine, RuleSetId, RuleTrace, TraceFigure, Verdict};
use rulec_syntax::SourceFile;
use std::fmt::Write as _;
use std::path::Path;

/// The rules of a directory, checked and compiled, with their sources (for origins).
pub struct Loaded {
    pub engine: Engine,
    pub sources: Vec<SourceFile>,
}

impl Loaded {
    /// `path:line` where a rule is written.
    pub fn rule_location(&self, rule: &rulec_check::checked::Rule) -> String {
        match self.sources.get(rule.origin.file) {
            Some(source) => {
                let (line, _) = source.line_col(rule.origin.span.start);
                format!("{}:{line}", source.path)
            }
            None => String::new(),
        }
    }
}

/// Loads the rule sources (`--rules`, rulec.toml's `rules`, or ./rules). Errors in the rules
/// are rendered on stderr and fail with exit 2: no decision can be trusted from rules that do
/// not check. Warnings are not shown (that is `rulec lint`'s job).
pub fn load_rules(global: &crate::cli::Global) -> Result<Loaded, Failure> {
    let (dirs, origin) = global.rules_dirs();
    for dir in &dirs {
        if !dir.is_dir() {
            return Err(Failure(format!(
                "{}: the rules directory does not exist{}",
                display(dir),
                global.origin_note(origin, "--rules DIR")
            )));
        }
    }
    let paths = files::discover(&dirs, rulec_eval::files::RULE_FILE_EXTENSIONS)?;
    let mut sources = Vec::with_capacity(paths.len());
    for path in &paths {
        sources.push(SourceFile::new(display(path), files::read(path)?));
    }
    let dir_refs: Vec<&Path> = dirs.iter().map(|dir| dir.as_path()).collect();
    let id = RuleSetId::of_files_below(&dir_refs, paths.iter().zip(&sources).map(|(path, s)| (path.as_path(), s.text.as_bytes())));
    let checked = rulec_check::check_sources(&sources, &CheckOptions::default());
    if checked.has_errors() {
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.diagnostic.is_error())
            .collect();
        let color = files::color_stderr();
        write_diagnostics(errors.iter().copied(), &sources, color, &mut std::io::stderr().lock());
        let shown: Vec<String> = dirs.iter().map(|d| display(d)).collect();
        return Err(Failure(format!(
            "the rules in {} have {} (run `rulec lint`)",
            shown.join(", "),
            count(errors.len(), "error")
        )));
    }
    Ok(Loaded {
        engine: Engine::from_rule_set(checked.rule_set, id),
        sources,
    })
}

/// The decision as a sentence: `ALLOWED`, `ALLOWED with 1 warning`, `BLOCKED by 2 rules`.
pub fn verdict_line(decision: &Decision) -> String {
    if decision.result {
        if decision.warnings.is_empty() {
            "ALLOWED".to_string()
        } else {
            format!("ALLOWED with {}", count(decision.warnings.len(), "warning"))
        }
    } else {
        format!("BLOCKED by {}", count(decision.blocked_by.len(), "rule"))
    }
}

/// The borrower's candidate zones of a decision, for showing instants in people's time.
pub fn zones(decision: &Decision) -> Vec<chrono_tz::Tz> {
    let mut zones: Vec<chrono_tz::Tz> = decision.local_times.iter().filter_map(|t| t.timezone.parse().ok()).collect();
    zones.dedup();
    zones
}

/// An instant in UTC and in each of the borrower's zones:
/// `2026-03-11T04:00:00Z (Wed 00:00 EDT, America/New_York)`.
pub fn instant(t: chrono::DateTime<chrono::Utc>, zones: &[chrono_tz::Tz]) -> String {
    if zones.is_empty() {
        return format_time(t);
    }
    let local: Vec<String> = zones
        .iter()
        .map(|zone| {
            let at = t.with_timezone(zone);
            let seconds = if chrono::Timelike::second(&at) == 0 { "" } else { ":%S" };
            format!("{} {}", at.format(&format!("%a %Y-%m-%d %H:%M{seconds} %Z")), zone.name())
        })
        .collect();
    format!("{} ({})", format_time(t), local.join("; "))
}

fn release(at: Option<chrono::DateTime<chrono::Utc>>, zones: &[chrono_tz::Tz]) -> String {
    match at {
        Some(t) => instant(t, zones),
        None => "never by the passage of time alone".to_string(),
    }
}

/// Diagnostics rendered for people, each followed by a blank line, written as each is rendered
/// (a file of many diagnostics is never held whole); write errors (a closed pipe) stop it.
pub fn write_diagnostics<'a>(
    diagnostics: impl IntoIterator<Item = &'a rulec_check::FileDiagnostic>,
    sources: &[SourceFile],
    color: bool,
    out: &mut impl std::io::Write,
) {
    let mut out = std::io::BufWriter::new(out);
    for d in diagnostics {
        let mut text = rulec_syntax::render(&d.diagnostic, &sources[d.file], color);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
        if std::io::Write::write_all(&mut out, text.as_bytes()).is_err() {
            return;
        }
    }
    let _ = std::io::Write::flush(&mut out);
}

/// A blocking or warning rule: id, jurisdiction, citations, title and message.
fn write_finding(s: &mut String, f: &rulec_eval::Finding) {
    let _ = writeln!(
        s,
        "  {} ({}) — {}",
        f.rule,
        f.jurisdiction,
        f.citations.join("; ")
    );
    let _ = writeln!(s, "    {}", f.title);
    let _ = writeln!(s, "    {}", f.message);
}

/// The readable report: the decision, then (with `trace`) every rule in force.
pub fn explain(decision: &Decision, trace: bool) -> String {
    let zones = zones(decision);
    let mut s = String::new();
    let _ = writeln!(s, "result: {}", verdict_line(decision));
    if !decision.blocked_by.is_empty() {
        let _ = writeln!(s, "\nblocked by:");
        for f in &decision.blocked_by {
            write_finding(&mut s, f);
            let _ = writeln!(s, "    allowed again at: {}", release(f.release_at, &zones));
        }
    }
    if !decision.warnings.is_empty() {
        let _ = writeln!(s, "\nwarnings:");
        for f in &decision.warnings {
            write_finding(&mut s, f);
        }
    }
    if !decision.muted.is_empty() {
        let _ = writeln!(s, "\nmuted (would have blocked):");
        for m in &decision.muted {
            let _ = writeln!(s, "  {} — {}", m.rule, m.citation);
            let _ = writeln!(
                s,
                "    muted until {}, approved by {}",
                m.mute.until, m.mute.approved_by
            );
            let _ = writeln!(s, "    reason: {}", m.mute.reason);
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "jurisdictions: {}", decision.jurisdictions.join(", "));
    let _ = writeln!(s, "local times:");
    for t in &decision.local_times {
        let _ = writeln!(s, "  {:<22} {}", t.timezone, t.local_time);
    }
    let next = if decision.result {
        "now".to_string()
    } else {
        release(decision.next_allowed_at, &zones)
    };
    let _ = writeln!(s, "next allowed at: {next}");
    let _ = writeln!(s, "rules evaluated: {}", decision.rules_evaluated);
    if trace {
        let _ = writeln!(s, "\ntrace:");
        s.push_str(&trace_text(&decision.trace, "  ", &zones));
    }
    s
}

/// One block per rule in force: verdict, id, why, the figures it saw.
pub fn trace_text(trace: &[RuleTrace], indent: &str, zones: &[chrono_tz::Tz]) -> String {
    let mut s = String::new();
    for t in trace {
        let _ = writeln!(
            s,
            "{indent}{:<14} {} ({})",
            verdict_name(t.verdict),
            t.rule,
            t.jurisdiction
        );
        if !t.reason.is_empty() {
            let _ = writeln!(s, "{indent}{:<14} {}", "", t.reason);
        }
        for figure in &t.figures {
            let _ = writeln!(s, "{indent}{:<14} · {}", "", figure_text(figure, zones));
        }
        if matches!(t.verdict, Verdict::Blocked | Verdict::Muted) {
            let _ = writeln!(
                s,
                "{indent}{:<14} allowed again at: {}",
                "",
                release(t.release_at, zones)
            );
        }
    }
    s
}

pub fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::NotApplicable => "not applicable",
        Verdict::Allowed => "allowed",
        Verdict::Blocked => "BLOCKED",
        Verdict::Warned => "WARNED",
        Verdict::Muted => "MUTED",
    }
}

fn holds(h: bool) -> &'static str {
    if h {
        "holds"
    } else {
        "does not hold"
    }
}

fn figure_text(figure: &TraceFigure, zones: &[chrono_tz::Tz]) -> String {
    match figure {
        TraceFigure::Count {
            count,
            op,
            limit,
            window,
            loan,
            interactions,
            unlisted,
            holds: h,
        } => {
            let mut text = format!("count {count} {op} {limit} {window}");
            if let Some(loan) = loan {
                let _ = write!(text, " about loan {loan}");
            }
            let _ = write!(text, ": {}", holds(*h));
            if !interactions.is_empty() {
                let more = if *unlisted > 0 { format!(", … and {unlisted} more") } else { String::new() };
                let _ = write!(text, " [{}{more}]", interactions.join(", "));
            }
            text
        }
        TraceFigure::LocalTime {
            timezone,
            local_time,
            test,
            holds: h,
        } => {
            format!("{timezone} {local_time}: {test}: {}", holds(*h))
        }
        TraceFigure::Consent {
            name,
            value,
            holds: h,
        } => format!("consent {name} is {value}: {}", holds(*h)),
        TraceFigure::Case { id, case_type } => format!("case {id} ({case_type})"),
        TraceFigure::DoNotInteract { id, expires_at } => match expires_at {
            Some(t) => format!("do not interact {id}, expires at {}", instant(*t, zones)),
            None => format!("do not interact {id}, until removed"),
        },
    }
}

/// The rules of the decision's jurisdictions (and of its policy) that were not in force for
/// the request, each with why: its channels, the roles it binds, its dates, or the policy's
/// `use`. `--explain` lists them after the trace, so that a rule is never silently absent.
pub fn skipped_rules(decision: &Decision, rule_set: &rulec_check::checked::RuleSet, scenario: &rulec_scenario::Scenario) -> String {
    let in_trace: std::collections::HashSet<&str> = decision.trace.iter().map(|t| t.rule.as_str()).collect();
    let policy = scenario.policy().map(|p| format!("policy:{p}"));
    let channel = scenario.request().channel;
    let role = scenario.company().role;
    let mut s = String::new();
    for rule in &rule_set.rules {
        let label = rule.jurisdiction.label();
        let concerned = decision.jurisdictions.contains(&label.as_str()) || policy.as_deref() == Some(label.as_str());
        if !concerned || in_trace.contains(rule.id.as_str()) {
            continue;
        }
        let channels = rule.channels();
        let why = if !channels.contains(channel) {
            let list: Vec<String> = channels.iter().map(|c| c.to_string()).collect();
            format!("applies to {} only; the request is {channel}", list.join(", "))
        } else if !rule.roles.contains(role) {
            let list: Vec<String> = rule.roles.iter().map(|r| r.to_string()).collect();
            format!("binds {}; the company is a {role}", list.join(", "))
        } else if rule.effective_from.is_some() || rule.effective_until.is_some() {
            let from = rule.effective_from.map_or("the start".to_string(), |d| d.to_string());
            let until = rule.effective_until.map_or("no end".to_string(), |d| d.to_string());
            format!("in force from {from} until {until}, not on the day of the request")
        } else {
            "not selected for this request (the policy's `use`, or its locality)".to_string()
        };
        let _ = writeln!(s, "  {:<14} {} ({label})", "skipped", rule.id);
        let _ = writeln!(s, "  {:<14} {why}", "");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::instant;
    use chrono::{TimeZone, Utc};

    /// Instants are shown in each zone's own offset, across the DST change (New York springs
    /// forward at 07:00 UTC on 2026-03-08; Phoenix has no DST).
    #[test]
    fn instants_in_the_borrower_s_zones_across_dst() {
        let zones = [chrono_tz::America::New_York, chrono_tz::America::Phoenix];
        let before = Utc.with_ymd_and_hms(2026, 3, 8, 6, 59, 59).unwrap();
        assert_eq!(
            instant(before, &zones),
            "2026-03-08T06:59:59Z (Sun 2026-03-08 01:59:59 EST America/New_York; Sat 2026-03-07 23:59:59 MST America/Phoenix)"
        );
        let after = Utc.with_ymd_and_hms(2026, 3, 8, 7, 0, 0).unwrap();
        assert_eq!(
            instant(after, &zones),
            "2026-03-08T07:00:00Z (Sun 2026-03-08 03:00 EDT America/New_York; Sun 2026-03-08 00:00 MST America/Phoenix)"
        );
        assert_eq!(instant(after, &[]), "2026-03-08T07:00:00Z");
    }
}
