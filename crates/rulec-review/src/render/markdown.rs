//! The report as a pull-request comment: the summary, a table by rule and by jurisdiction,
//! then examples of each kind of change with the scenario and both decisions explained, folded.

use super::{by_jurisdiction, by_rule, change_lines, corpus_line, headline, logged_line, same_rules_warning, short_digest, side_line, Counts, Explain};
use crate::outcome::Kind;
use crate::{Mode, Report};
use std::fmt::Write as _;

/// The markdown comment; the first line is a heading a bot can find its own comment by.
pub fn markdown(report: &Report, explain: Explain<'_>) -> String {
    let mut s = String::new();
    let title = if report.mode == Mode::Diff { "Rule change review" } else { "Decision log replay" };
    let _ = writeln!(s, "### {title}\n");
    let digests = |d: &[String]| d.iter().map(|x| format!("`{}`", short_digest(x))).collect::<Vec<_>>().join(", ");
    let _ = writeln!(s, "`{}` ({}) → `{}` ({})\n", report.old.source, digests(&report.old.digests), report.new.source, digests(&report.new.digests));
    if let Some(line) = logged_line(report) {
        let _ = writeln!(s, "{}.\n", capitalized(&line));
    }
    let _ = writeln!(s, "**{}**, over {}.\n", capitalized(&headline(report)), corpus_line(report));
    if let Some(warning) = same_rules_warning(report) {
        let _ = writeln!(s, "> [!WARNING]\n> {}.\n", capitalized(&warning));
    }
    if report.mode == Mode::Diff {
        let lines = change_lines(report);
        if lines.is_empty() {
            let _ = writeln!(s, "No rule changes that can change a decision (layout, order and comments are not changes).\n");
        } else {
            let _ = writeln!(s, "Rule changes:\n");
            let c = &report.changes;
            for id in &c.added {
                let _ = writeln!(s, "- added `{id}`");
            }
            for id in &c.removed {
                let _ = writeln!(s, "- removed `{id}`");
            }
            for r in &c.changed {
                let _ = writeln!(s, "- changed `{}`: {}", r.rule, r.what.join(", "));
            }
            for p in &c.policies {
                let rules = p.rules.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ");
                let _ = writeln!(s, "- policy `{}`: {}{}", p.policy, p.what.join(", "), if rules.is_empty() { String::new() } else { format!(" ({rules})") });
            }
            s.push('\n');
        }
    }
    if report.flips.is_empty() {
        return s;
    }
    table(&mut s, "Rule", &by_rule(report), Some(report));
    table(&mut s, "Borrower's jurisdiction", &by_jurisdiction(report), None);
    for kind in Kind::ALL {
        let n = report.count(kind);
        if n == 0 {
            continue;
        }
        let _ = writeln!(s, "#### {} ({n})\n", capitalized(kind.title()));
        let mut shown = 0;
        for flip in report.flips.iter().filter(|f| f.kind() == kind) {
            let Some((old, new)) = &flip.explained else { continue };
            shown += 1;
            let rules = flip.rules.iter().map(|r| format!("<code>{r}</code>")).collect::<Vec<_>>().join(", ");
            let _ = writeln!(s, "<details><summary>{rules} · {}{}</summary>\n", super::human::generated(flip), escape(&flip.name));
            let _ = writeln!(s, "Before: {}  \nAfter: {}\n", escape(&side_line(&flip.old)), escape(&side_line(&flip.new)));
            let pretty = serde_json::to_string_pretty(&flip.scenario).unwrap_or_default();
            let _ = writeln!(s, "Scenario (`rulec eval --explain` reads it as it is):\n\n```json\n{pretty}\n```\n");
            let _ = writeln!(s, "Before (`{}`):\n\n```text", report.old.source);
            match old {
                Some(d) => s.push_str(&explain(d)),
                None => {
                    let _ = writeln!(s, "logged: {}", side_line(&flip.old));
                }
            }
            let _ = writeln!(s, "```\n\nAfter (`{}`):\n\n```text", report.new.source);
            s.push_str(&explain(new));
            let _ = writeln!(s, "```\n\n</details>\n");
        }
        if n > shown {
            let _ = writeln!(s, "…and {} more (`--format json` lists them all).\n", n - shown);
        }
    }
    s
}

fn table(s: &mut String, first: &str, rows: &std::collections::BTreeMap<String, Counts>, report: Option<&Report>) {
    let _ = writeln!(s, "| {first} | Allowed → blocked | Blocked → allowed | Other |");
    let _ = writeln!(s, "|---|--:|--:|--:|");
    for (key, c) in rows {
        let label = match report.and_then(|r| r.rule_jurisdictions.get(key)) {
            Some(j) => format!("`{key}` ({j})"),
            None => key.clone(),
        };
        let _ = writeln!(s, "| {label} | {} | {} | {} |", c.allowed_to_blocked, c.blocked_to_allowed, c.other);
    }
    s.push('\n');
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Text inside HTML (`<summary>`) and table cells.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|")
}
