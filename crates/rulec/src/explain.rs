//! `rulec explain CODE`: a diagnostic code's documentation, the section of docs/diagnostics.md
//! (embedded at build time, so the CLI and the page say the same thing; a test checks that every
//! code of the registry has its section, under its name, opening with its summary).

use crate::cli::ExplainArgs;
use crate::{files, Failure, Outcome};

const DIAGNOSTICS_MD: &str = include_str!("../../../docs/diagnostics.md");

/// Every code the tool can report: (code, name, summary), the errors then the lints.
pub fn code_table() -> Vec<(&'static str, &'static str, &'static str)> {
    let mut codes: Vec<_> = rulec_syntax::codes::ERRORS.iter().map(|c| (c.code, c.name, c.summary)).collect();
    codes.extend(rulec_check::lints::registry().into_iter().map(|l| (l.code, l.name, l.summary)));
    codes
}

/// The section of docs/diagnostics.md about `code`: its heading line and its text, up to the
/// next section.
pub fn section(code: &str) -> Option<(&'static str, &'static str)> {
    let mut rest = DIAGNOSTICS_MD;
    while let Some(at) = rest.find("\n## ") {
        rest = &rest[at + 1..];
        let heading_end = rest.find('\n').unwrap_or(rest.len());
        let heading = &rest[3..heading_end];
        if heading.split_whitespace().next() == Some(code) {
            let body = &rest[heading_end..];
            let end = body.find("\n## ").unwrap_or(body.len());
            return Some((heading, body[..end].trim()));
        }
    }
    None
}

/// The anchor GitHub gives a heading: `E003 unknown-value` → `e003-unknown-value`.
pub fn anchor(heading: &str) -> String {
    heading.to_lowercase().chars().filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_').collect::<String>().replace(' ', "-")
}

pub fn run(args: ExplainArgs) -> Outcome {
    let code = args.code.trim().to_ascii_uppercase();
    let codes = code_table();
    match codes.iter().find(|(c, _, _)| *c == code).and_then(|(c, _, _)| section(c)) {
        Some((heading, body)) => {
            files::out(&format!("{heading}\n\n{body}\n"));
            Ok(0)
        }
        None => {
            let names: Vec<&str> = codes.iter().map(|(c, _, _)| *c).collect();
            let by_name = codes.iter().find(|(_, n, _)| n.eq_ignore_ascii_case(args.code.trim())).map(|(c, _, _)| *c);
            let hint = by_name
                .or_else(|| rulec_model::suggest(&code, &names))
                .map(|s| format!(", did you mean `{s}`?"))
                .unwrap_or_default();
            Err(Failure(format!(
                "`{}` is not a diagnostic code{hint} (the codes are {}–{} and {}–{})",
                args.code,
                names.first().copied().unwrap_or_default(),
                names.iter().rev().find(|c| c.starts_with('E')).copied().unwrap_or_default(),
                names.iter().find(|c| c.starts_with('W')).copied().unwrap_or_default(),
                names.last().copied().unwrap_or_default(),
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CLI and docs/diagnostics.md are one source: every registered code has its section,
    /// headed `CODE name`, whose first paragraph opens with the registry's summary.
    #[test]
    fn every_code_has_its_section_opening_with_its_summary() {
        for (code, name, summary) in code_table() {
            let (heading, body) = section(code).unwrap_or_else(|| panic!("{code}: no section in docs/diagnostics.md"));
            assert_eq!(heading, format!("{code} {name}"), "{code}: the heading names the code and its name");
            let first: String = body.split("\n\n").next().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(first.starts_with(summary), "{code}: the section opens with the summary\n  summary: {summary}\n  section: {first}");
        }
    }

    #[test]
    fn anchors_are_githubs() {
        assert_eq!(anchor("E003 unknown-value"), "e003-unknown-value");
    }
}
