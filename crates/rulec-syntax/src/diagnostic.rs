//! Diagnostics are data: a code, a severity, a message, a primary span, labels and help.
//! Rendering for people ([`render`], through miette) and records for machines
//! ([`DiagnosticRecord`], for JSON and SARIF) are separate views of the same value.

use crate::{SourceFile, Span};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A secondary mark in the same file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding about one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code: `E…` errors (see [`crate::codes`]), `W…` lints.
    pub code: &'static str,
    pub severity: Severity,
    /// What is wrong, in the language's words.
    pub message: String,
    /// Where: the file is the one the diagnostic is reported for.
    pub span: Span,
    /// The text under the primary span (empty: the message is repeated).
    pub primary_label: String,
    pub labels: Vec<Label>,
    /// How to fix it, e.g. a did-you-mean.
    pub help: Option<String>,
    /// Context that lives elsewhere ("first defined in rules/federal/reg_f.rules:12:6").
    pub notes: Vec<String>,
    /// A fix a tool can apply without asking: the text that replaces a span (an unambiguous
    /// did-you-mean replaces the misspelt name).
    pub fix: Option<Fix>,
}

/// An edit that resolves a diagnostic: replace `span` (in the diagnostic's file) with
/// `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            span,
            primary_label: String::new(),
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, span, message) }
    }

    pub fn with_label_text(mut self, text: impl Into<String>) -> Self {
        self.primary_label = text.into();
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into() });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Records the replacement that fixes the diagnostic.
    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Fix { span, replacement: replacement.into() });
        self
    }

    /// Adds help when there is some.
    pub fn with_help_opt(self, help: Option<String>) -> Self {
        match help {
            Some(help) => self.with_help(help),
            None => self,
        }
    }

    /// Adds `help: did you mean `x`?` when there is a suggestion, and the fix that writes `x`
    /// in place of the primary span (which must be the misspelt name itself).
    pub fn with_suggestion(self, suggestion: Option<&str>) -> Self {
        match suggestion {
            Some(s) => {
                let fix = Fix { span: self.span, replacement: s.to_string() };
                Diagnostic { fix: Some(fix), ..self.with_help(format!("did you mean `{s}`?")) }
            }
            None => self,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The machine-readable view, with positions as 1-based lines and columns.
    pub fn to_record(&self, file: &SourceFile) -> DiagnosticRecord {
        let (line, column) = file.line_col(self.span.start);
        let (end_line, end_column) = file.line_col(self.span.end);
        DiagnosticRecord {
            code: self.code,
            severity: self.severity,
            message: self.message.clone(),
            path: file.path.clone(),
            line,
            column,
            end_line,
            end_column,
            labels: self
                .labels
                .iter()
                .map(|l| {
                    let (line, column) = file.line_col(l.span.start);
                    LabelRecord { line, column, message: l.message.clone() }
                })
                .collect(),
            help: self.help.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// A diagnostic as JSON and SARIF writers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiagnosticRecord {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    #[serde(rename = "endLine")]
    pub end_line: usize,
    #[serde(rename = "endColumn")]
    pub end_column: usize,
    pub labels: Vec<LabelRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LabelRecord {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The bridge to miette: a diagnostic together with its source text.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: Excerpts<'a>,
    help: Option<String>,
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

/// The most of a span a rendered diagnostic marks, in bytes: a longer span is marked from its
/// start.
const MAX_MARKED: usize = 400;
/// How far a snippet reaches on either side of what it marks, in bytes, on a long line.
const MARGIN: usize = 80;
/// Two labels are shown in one snippet only when that snippet spans at most this many bytes;
/// otherwise each gets its own.
const MAX_MERGED: usize = 4 * MAX_MARKED;

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        // Input errors of scenarios have no code of their own: no code line for them.
        (!self.diagnostic.code.is_empty()).then(|| Box::new(self.diagnostic.code) as Box<dyn std::fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let d = self.diagnostic;
        let text = self.source.file.text.as_str();
        let clamp = move |s: Span| {
            let start = floor_boundary(text, s.start.min(text.len()));
            let end = floor_boundary(text, s.end.min(text.len()).min(start + MAX_MARKED)).max(start);
            (start, end - start)
        };
        let primary_text = if d.primary_label.is_empty() { None } else { Some(d.primary_label.clone()) };
        let primary = miette::LabeledSpan::new_primary_with_span(primary_text, clamp(d.span));
        let others = d
            .labels
            .iter()
            .map(move |l| miette::LabeledSpan::new_with_span(Some(l.message.clone()), clamp(l.span)));
        Some(Box::new(std::iter::once(primary).chain(others)))
    }
}

/// The largest char boundary at or before `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or after `i`.
fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A source file as miette reads it, one snippet at a time: the lines around a span, with a
/// line longer than the margins cut to [`MARGIN`] bytes on either side of the span. Each
/// snippet costs its own size (the line index finds it), not the file's, so a diagnostic on a
/// 60 KB line renders in a few hundred bytes, and a file of many diagnostics renders in time
/// linear in their number.
struct Excerpts<'a> {
    file: &'a SourceFile,
}

impl miette::SourceCode for Excerpts<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let file = self.file;
        let text = file.text.as_str();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() || span.len() > MAX_MERGED {
            return Err(miette::MietteError::OutOfBounds);
        }
        let first = file.line_index(start);
        let last = file.line_index(end.saturating_sub(1).max(start));
        let context_first = first.saturating_sub(context_lines_before);
        let context_last = (last + context_lines_after).min(file.line_starts.len() - 1);
        // Whole lines around the span, unless that reaches too far: then from (and to) the
        // margin around the span, on its own line.
        // Without context lines, from the span itself (as miette's own sources do: the
        // header's line and column are the span's).
        let mut from = if context_lines_before == 0 { start } else { file.line_starts[context_first] };
        if start - from > MARGIN * (context_lines_before + 1) {
            from = floor_boundary(text, start.saturating_sub(MARGIN).max(file.line_starts[first]));
        }
        let line_end = |line: usize| file.line_starts.get(line + 1).copied().unwrap_or(text.len());
        let mut to = line_end(context_last);
        if to - end > MARGIN * (context_lines_after + 1) {
            let own_line_end = line_end(last);
            let own_line_end = if text[..own_line_end].ends_with('\n') { own_line_end - 1 } else { own_line_end };
            to = ceil_boundary(text, (end + MARGIN).min(own_line_end).max(end));
        }
        let line = file.line_index(from);
        let column = from - file.line_starts[line];
        let line_count = file.line_index(to.saturating_sub(1).max(from)) + 1;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            file.path.clone(),
            &text.as_bytes()[from..to],
            (from, to - from).into(),
            line,
            column,
            line_count,
        )))
    }
}

/// Renders a diagnostic for people: the message, the source lines with the span marked, the
/// labels, help and notes. `color` adds ANSI colours (use it on a terminal only). The cost is
/// the size of what is shown, not of the file (see [`Excerpts`]).
pub fn render(diagnostic: &Diagnostic, file: &SourceFile, color: bool) -> String {
    let mut help = diagnostic.help.clone();
    for note in &diagnostic.notes {
        help = Some(match help {
            Some(h) => format!("{h}\nnote: {note}"),
            None => format!("note: {note}"),
        });
    }
    let report = Report { diagnostic, source: Excerpts { file }, help };
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        // Rendering into a String cannot fail on I/O; fall back to the plain form regardless.
        let (line, column) = file.line_col(diagnostic.span.start);
        out = format!("{}:{line}:{column}: {}", file.path, diagnostic.message);
    }
    out
}
