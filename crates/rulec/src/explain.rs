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
    let asked = args.code.trim();
    match codes.iter().find(|(c, n, _)| *c == code || n.eq_ignore_ascii_case(asked)).and_then(|(c, _, _)| section(c)) {
        Some((heading, body)) => {
            files::out(&format!("{heading}\n\n{body}\n"));
            Ok(0)
        }
        None => {
            let names: Vec<&str> = codes.iter().map(|(c, _, _)| *c).collect();
            let names_by_name: Vec<&str> = codes.iter().map(|(_, n, _)| *n).collect();
            let by_name = rulec_model::suggest(asked, &names_by_name)
                .and_then(|n| codes.iter().find(|(_, name, _)| *name == n))
                .map(|(c, _, _)| *c);
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
    /// headed `CODE name`, and every section is about a registered code.
    #[test]
    fn every_code_has_its_section_and_every_section_a_code() {
        let table = code_table();
        for (code, name, _) in &table {
            let (heading, body) = section(code).unwrap_or_else(|| panic!("{code}: no section in docs/diagnostics.md"));
            assert_eq!(heading, format!("{code} {name}"), "{code}: the heading names the code and its name");
            assert!(body.contains("Example"), "{code}: the section has its example");
        }
        let headings = DIAGNOSTICS_MD.lines().filter_map(|l| l.strip_prefix("## "));
        for heading in headings {
            let code = heading.split_whitespace().next().unwrap_or("");
            assert!(table.iter().any(|(c, _, _)| *c == code), "docs/diagnostics.md: section `{heading}` is not a registered code");
        }
    }

    #[test]
    fn anchors_are_githubs() {
        assert_eq!(anchor("E003 unknown-value"), "e003-unknown-value");
    }
}
