//! Checks parsed rule and policy files against the data model and against each other, and
//! lints them.
//!
//! Parsing knows the language's shape; checking knows what the names mean: every field, value,
//! set, rule id and role is resolved (with a did-you-mean when it is not found), every literal
//! validated, every test type-checked, and the jurisdiction of each file taken from its place
//! under `rules/`. The output is a [`checked::RuleSet`] that the evaluator compiles, and
//! diagnostics as data.
//!
//! ```
//! use rulec_check::{check_sources, CheckOptions};
//! use rulec_syntax::SourceFile;
//! let files = [SourceFile::new("rules/states/MA.rules", r#"
//! rule ma.example {
//!   title "Example"
//!   binds creditor
//!   blocks when theme is opsColDebt
//! }
//! "#)];
//! let checked = check_sources(&files, &CheckOptions::default());
//! let first = &checked.diagnostics[0].diagnostic;
//! assert_eq!(first.code, "E003");
//! assert_eq!(first.help.as_deref(), Some("did you mean `opsCollDebt`?"));
//! ```

pub mod checked;
mod files;
pub mod lints;
mod resolve;
mod suppress;

use chrono::NaiveDate;
use rulec_syntax::{ast, Diagnostic, SourceFile};

pub use files::{path_kind, PathKind};
pub use resolve::SET_KINDS;
pub use suppress::Suppressed;

/// What checking needs besides the files.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The date date-dependent lints judge by (expired mutes, ended rules). `None` skips them,
    /// which keeps checking deterministic; the CLI passes today's date.
    pub today: Option<NaiveDate>,
    /// How many days of past interactions a decision can see; a longer window is linted.
    pub history_horizon_days: u32,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { today: None, history_horizon_days: DEFAULT_HISTORY_HORIZON_DAYS }
    }
}

/// Two years: the longest look-back any shipped rule needs is 30 days, and servicing platforms
/// commonly export two years of interaction history. See docs/diagnostics.md (W007).
pub const DEFAULT_HISTORY_HORIZON_DAYS: u32 = 730;

/// A diagnostic and the index of the file it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDiagnostic {
    pub file: usize,
    pub diagnostic: Diagnostic,
}

/// The outcome of checking: the rule set (of everything that checked) and every diagnostic.
#[derive(Clone, Debug)]
pub struct Checked {
    pub rule_set: checked::RuleSet,
    pub diagnostics: Vec<FileDiagnostic>,
    /// Warnings silenced by a suppression comment in force, with its accountability.
    pub suppressed: Vec<Suppressed>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.diagnostic.is_error())
    }
}

/// Parses and checks files together (names resolve across all of them). Diagnostics are in
/// file order, then source order.
pub fn check_sources(sources: &[SourceFile], options: &CheckOptions) -> Checked {
    let mut diagnostics = Vec::new();
    let mut parsed = Vec::with_capacity(sources.len());
    for (index, source) in sources.iter().enumerate() {
        let result = rulec_syntax::parse(source);
        diagnostics.extend(result.diagnostics.into_iter().map(|diagnostic| FileDiagnostic { file: index, diagnostic }));
        parsed.push(result.file);
    }
    let mut checked = check(sources, &parsed, options);
    diagnostics.append(&mut checked.diagnostics);
    diagnostics.sort_by_key(|d| (d.file, d.diagnostic.span.start, d.diagnostic.severity));
    checked.diagnostics = diagnostics;
    checked
}

/// Checks already parsed files. `sources[i]` is the text of `files[i]`.
pub fn check(sources: &[SourceFile], files: &[ast::File], options: &CheckOptions) -> Checked {
    let mut resolver = resolve::Resolver::new(sources, files);
    resolver.run();
    let (rule_set, mut diagnostics, facts) = resolver.finish();
    diagnostics.extend(lints::run(&rule_set, &facts, options));
    let suppressed = suppress::apply(sources, files, options, &mut diagnostics);
    Checked { rule_set, diagnostics, suppressed }
}
