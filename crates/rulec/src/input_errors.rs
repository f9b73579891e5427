//! Scenario and suite errors for people: each located one like a rule diagnostic (file, line,
//! column, the lines around it with the place marked, a hint), the others as `file: path: message`.

use rulec_scenario::InputErrors;
use rulec_syntax::{Diagnostic, SourceFile, Span};

/// The errors of `text` (read from `label`), each followed by a blank line.
pub fn render(label: &str, text: &str, errors: &InputErrors, color: bool) -> String {
    let located = rulec_scenario::locate(text, errors);
    let file = located.iter().any(Option::is_some).then(|| SourceFile::new(label, text));
    let mut out = String::new();
    for (error, at) in errors.iter().zip(located) {
        match (at, &file) {
            (Some(at), Some(file)) => {
                let span = Span::new(at.offset, at.offset + at.len);
                let diagnostic = Diagnostic::error("", span, error.to_string()).with_help_opt(at.help);
                out.push_str(rulec_syntax::render(&diagnostic, file, color).trim_end());
            }
            _ => out.push_str(&format!("{label}: {error}")),
        }
        out.push_str("\n\n");
    }
    out
}
