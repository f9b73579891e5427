//! The rule language of rulec: its grammar, typed syntax tree, parser and diagnostics.
//!
//! This crate reads text and nothing else: it knows the language's shape, not what the names
//! in it mean (that is `rulec-check`'s work). Errors are [`Diagnostic`]s, plain data that
//! [`render`] shows to people and [`DiagnosticRecord`] serializes for machines.
//!
//! ```
//! use rulec_syntax::{parse, SourceFile};
//! let source = SourceFile::new("rules/states/MA.rules", r#"
//! jurisdiction MA
//! rule ma.example {
//!   title "An example"
//!   blocks when channel is voice and local day is Sunday
//! }
//! "#);
//! let parsed = parse(&source);
//! assert!(parsed.diagnostics.is_empty());
//! assert_eq!(parsed.file.items.len(), 1);
//! ```

pub mod ast;
pub mod codes;
mod diagnostic;
mod parser;

pub use diagnostic::{render, Diagnostic, DiagnosticRecord, Fix, Label, LabelRecord, Severity};
pub use parser::{describe_bytes, parse, parse_with, Limits, Parsed, MAX_FILE_BYTES, MAX_NESTING};

/// A byte range of a source file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
    pub fn len(self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

// Printed as `Span(3..7)` so that trees can be compared "spans aside" by erasing that pattern.
impl std::fmt::Debug for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Span({}..{})", self.start, self.end)
    }
}

/// A file's path (as shown to users) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile { path: path.into(), text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The text a span covers (empty if the span is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

impl ast::File {
    /// The tree's debug form with every span erased, for comparing two parses of differently
    /// laid out text (the formatter's round-trip guarantee).
    pub fn debug_without_spans(&self) -> String {
        let text = format!("{:#?}", ast::File { comments: Vec::new(), ..self.clone() });
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(i) = rest.find("Span(") {
            out.push_str(&rest[..i]);
            let after = &rest[i..];
            let close = after.find(')').map_or(after.len(), |c| c + 1);
            out.push_str("Span");
            rest = &after[close..];
        }
        out.push_str(rest);
        out
    }
}
