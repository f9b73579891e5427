//! The report for a terminal.

use super::{by_jurisdiction, by_rule, change_lines, corpus_line, headline, logged_line, same_rules_warning, short_digest, side_line, Counts, Explain};
use crate::{Mode, Report};
use std::fmt::Write as _;

/// The summary, the tables, every changed decision in a line or three, and with `explain` the
/// traces of the first of each kind.
pub fn human(report: &Report, explain: Option<Explain<'_>>) -> String {
    let mut s = String::new();
    let verb = if report.mode == Mode::Diff { "diff" } else { "replay" };
    let digests = |d: &[String]| d.iter().map(|x| short_digest(x)).collect::<Vec<_>>().join(", ");
    let _ = writeln!(s, "rulec {verb}: {} ({}) → {} ({})", report.old.source, digests(&report.old.digests), report.new.source, digests(&report.new.digests));
    if report.mode == Mode::Diff {
        let lines = change_lines(report);
        if lines.is_empty() {
            let _ = writeln!(s, "rule changes: none that can change a decision (layout, order and comments are not changes)");
        } else {
            let _ = writeln!(s, "rule changes:");
            for line in lines {
                let _ = writeln!(s, "  {line}");
            }
        }
    }
    if let Some(line) = logged_line(report) {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "corpus: {}", corpus_line(report));
    let _ = writeln!(s, "result: {}", headline(report));
    if let Some(warning) = same_rules_warning(report) {
        let _ = writeln!(s, "WARNING: {warning}");
    }
    if report.flips.is_empty() {
        return s;
    }
    table(&mut s, "by rule", &by_rule(report), Some(report));
    table(&mut s, "by jurisdiction", &by_jurisdiction(report), None);
    let _ = writeln!(s, "\nchanged decisions:");
    for flip in &report.flips {
        let kinds: Vec<&str> = flip.kinds.iter().map(|k| k.name()).collect();
        let _ = writeln!(s, "  {} [{}] {}{}", kinds.join(", "), flip.rules.join(", "), generated(flip), flip.name);
        let _ = writeln!(s, "      old: {}", side_line(&flip.old));
        let _ = writeln!(s, "      new: {}", side_line(&flip.new));
    }
    if let Some(explain) = explain {
        for flip in report.flips.iter().filter(|f| f.explained.is_some()) {
            let (old, new) = flip.explained.as_ref().expect("filtered");
            let _ = writeln!(s, "\n{} [{}] {}{}", flip.kind().name(), flip.rules.join(", "), generated(flip), flip.name);
            let _ = writeln!(s, "scenario: {}", flip.scenario);
            let _ = writeln!(s, "\n--- old ({})", report.old.source);
            match old {
                Some(d) => s.push_str(&explain(d)),
                None => {
                    let _ = writeln!(s, "logged: {}", side_line(&flip.old));
                }
            }
            let _ = writeln!(s, "\n--- new ({})", report.new.source);
            s.push_str(&explain(new));
        }
    }
    s
}

/// `generated from ` before the seed's name, for generated scenarios.
pub(crate) fn generated(flip: &crate::Flip) -> &'static str {
    match flip.origin {
        crate::Origin::Generated { .. } => "generated from ",
        crate::Origin::Given { .. } => "",
    }
}

fn table(s: &mut String, title: &str, rows: &std::collections::BTreeMap<String, Counts>, report: Option<&Report>) {
    let _ = writeln!(s, "\n{title}:");
    let labels: Vec<(String, &Counts)> = rows
        .iter()
        .map(|(key, c)| match report.and_then(|r| r.rule_jurisdictions.get(key)) {
            Some(j) => (format!("{key} ({j})"), c),
            None => (key.clone(), c),
        })
        .collect();
    let width = labels.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
    let _ = writeln!(s, "  {:<width$}  {:>17}  {:>17}  {:>5}", "", "allowed → blocked", "blocked → allowed", "other");
    for (label, c) in labels {
        let _ = writeln!(s, "  {label:<width$}  {:>17}  {:>17}  {:>5}", c.allowed_to_blocked, c.blocked_to_allowed, c.other);
    }
}
