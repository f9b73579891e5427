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
    /// For text that is not ASCII: how many characters come before every [`CHAR_MARK`]th
    /// byte, so that a column is counted from the nearest mark rather than from the start of
    /// its line (a long line with many diagnostics stays linear). Empty for ASCII text.
    char_marks: Vec<usize>,
}

/// The spacing of [`SourceFile`]'s character counts, in bytes.
const CHAR_MARK: usize = 1024;

/// How many characters start in `bytes` (UTF-8: every byte that is not a continuation byte).
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let char_marks = if text.is_ascii() {
            Vec::new()
        } else {
            let mut before = 0;
            text.as_bytes()
                .chunks(CHAR_MARK)
                .map(|chunk| {
                    let mark = before;
                    before += chars_in(chunk);
                    mark
                })
                .collect()
        };
        SourceFile { path: path.into(), text, line_starts, char_marks }
    }

    /// The 0-based line of a byte offset.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// How many characters start before a byte offset.
    fn chars_before(&self, offset: usize) -> usize {
        if self.char_marks.is_empty() {
            return offset;
        }
        let block = offset / CHAR_MARK;
        match self.char_marks.get(block) {
            Some(mark) => mark + chars_in(&self.text.as_bytes()[block * CHAR_MARK..offset]),
            None => chars_in(self.text.as_bytes()),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let column = self.chars_before(offset) - self.chars_before(start);
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
