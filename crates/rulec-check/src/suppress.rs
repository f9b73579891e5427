//! Suppressions: a lint warning silenced in the file, with the same accountability as a mute.
//!
//! ```text
//! # suppress W005 reason "kept for the 2027 amendment" approved by "J. Doe, Compliance" until 2027-03-31
//! set collection_themes_2027 { … }
//! ```
//!
//! The comment covers the warnings of its code on the item right below it (a rule, set, mute,
//! `use` or `extend`), up to and including its `until` day; after that the warnings are back,
//! with a note naming the suppression. W008 warns 30 days before it ends. Only warnings can be
//! suppressed, and not W002 or W008 (those are about accountability itself: renew the mute).
//! A comment counts as a suppression when its text starts with `suppress` and a code; any
//! other comment is prose.

use crate::lints::expiring_mute;
use crate::{CheckOptions, FileDiagnostic};
use chrono::NaiveDate;
use rulec_syntax::{ast, codes, Diagnostic, SourceFile, Span};

/// A suppression in force: what it silenced, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    pub diagnostic: FileDiagnostic,
    pub reason: String,
    pub approved_by: String,
    pub until: NaiveDate,
}

struct Suppression {
    file: usize,
    comment: Span,
    code: String,
    reason: String,
    approved_by: String,
    until: NaiveDate,
    /// The item it covers.
    scope: Span,
}

/// Codes a suppression may not name: they keep mutes and suppressions accountable.
const NOT_SUPPRESSIBLE: &[&str] = &["W002", "W008"];

/// Reads every suppression comment, takes the warnings they cover out of `diagnostics`, and
/// reports bad or ending suppressions.
pub(crate) fn apply(
    sources: &[SourceFile],
    files: &[ast::File],
    options: &CheckOptions,
    diagnostics: &mut Vec<FileDiagnostic>,
) -> Vec<Suppressed> {
    let mut suppressions = Vec::new();
    let mut found = Vec::new();
    for (index, (source, file)) in sources.iter().zip(files).enumerate() {
        for comment in &file.comments {
            match read(index, source, file, comment) {
                None => {}
                Some(Ok(s)) => suppressions.push(s),
                Some(Err(d)) => found.push(FileDiagnostic { file: index, diagnostic: d }),
            }
        }
    }
    let mut suppressed = Vec::new();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for mut d in diagnostics.drain(..) {
        let cover = suppressions.iter().find(|s| {
            s.file == d.file && s.code == d.diagnostic.code && s.scope.start <= d.diagnostic.span.start && d.diagnostic.span.start < s.scope.end.max(s.scope.start + 1)
        });
        match cover {
            Some(s) if options.today.is_none_or(|today| s.until >= today) => suppressed.push(Suppressed {
                diagnostic: d,
                reason: s.reason.clone(),
                approved_by: s.approved_by.clone(),
                until: s.until,
            }),
            Some(s) => {
                let (line, _) = sources[s.file].line_col(s.comment.start);
                d.diagnostic = d.diagnostic.with_note(format!("the suppression at line {line} ended on {}", s.until));
                kept.push(d);
            }
            None => kept.push(d),
        }
    }
    if let Some(today) = options.today {
        for s in &suppressions {
            if let Some(left) = expiring_mute::days_left(s.until, today) {
                found.push(FileDiagnostic {
                    file: s.file,
                    diagnostic: Diagnostic::warning(
                        expiring_mute::INFO.code,
                        s.comment,
                        format!("the suppression of {} ends {} (its last day is {})", s.code, expiring_mute::when(left), s.until),
                    )
                    .with_label_text("the warnings are back the day after")
                    .with_help("renew it with a new `until` and approval, or fix what it suppresses"),
                });
            }
        }
    }
    kept.extend(found);
    *diagnostics = kept;
    suppressed
}

/// A comment read as a suppression: `None` when it is prose.
fn read(file_index: usize, source: &SourceFile, file: &ast::File, comment: &ast::Comment) -> Option<Result<Suppression, Diagnostic>> {
    let text = comment.text.trim_start();
    let rest = text.strip_prefix("suppress ")?.trim_start();
    let code_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let code = &rest[..code_end];
    let is_code = code.len() == 4 && code.starts_with(['W', 'E']) && code[1..].chars().all(|c| c.is_ascii_digit());
    if !is_code {
        return None;
    }
    let span = comment.span;
    let warnings: Vec<&str> = crate::lints::registry().into_iter().map(|l| l.code).filter(|c| !NOT_SUPPRESSIBLE.contains(c)).collect();
    if !warnings.contains(&code) {
        let why = if code.starts_with('E') {
            "errors cannot be suppressed: a rule with an error is not understood".to_string()
        } else if NOT_SUPPRESSIBLE.contains(&code) {
            format!("{code} cannot be suppressed: renew or delete the mute or suppression it is about")
        } else {
            format!("{code} is not a warning code")
        };
        return Some(Err(Diagnostic::error(codes::UNKNOWN_VALUE, span, why).with_label_text("not a warning that can be suppressed")));
    }
    let rest = &rest[code_end..];
    let reason = quoted_after(rest, "reason");
    let approved_by = quoted_after(rest, "approved by");
    let until_text = rest.split("until").nth(1).map(|t| t.split_whitespace().next().unwrap_or("").to_string());
    let (Some(reason), Some(approved_by), Some(until_text)) = (reason, approved_by, until_text) else {
        return Some(Err(Diagnostic::error(codes::INCOMPLETE_MUTE, span, format!("the suppression of {code} lacks its reason, approver or expiry"))
            .with_label_text("incomplete suppression")
            .with_help(format!("write `# suppress {code} reason \"…\" approved by \"…\" until YYYY-MM-DD`"))));
    };
    let Ok(until) = NaiveDate::parse_from_str(&until_text, "%Y-%m-%d") else {
        return Some(Err(Diagnostic::error(codes::INVALID_LITERAL, span, format!("`{until_text}` is not a date such as 2027-03-31"))
            .with_label_text("the suppression's `until`")));
    };
    let Some(item) = file.items.iter().map(ast::Item::span).filter(|s| s.start >= span.end).min_by_key(|s| s.start) else {
        return Some(Err(Diagnostic::error(codes::MISPLACED_ITEM, span, "a suppression stands right above the item it is about; nothing follows it")
            .with_label_text("covers nothing")));
    };
    // Only blank lines and comments may stand between the suppression and its item.
    let between = &source.text[span.end.min(item.start)..item.start];
    if between.lines().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')) {
        return Some(Err(Diagnostic::error(codes::MISPLACED_ITEM, span, "a suppression stands right above the item it is about").with_label_text("covers nothing")));
    }
    Some(Ok(Suppression { file: file_index, comment: span, code: code.to_string(), reason, approved_by, until, scope: item }))
}

/// The quoted text after `keyword` (`reason "…"`).
fn quoted_after(text: &str, keyword: &str) -> Option<String> {
    let at = text.find(&format!("{keyword} \""))?;
    let start = at + keyword.len() + 2;
    let end = text[start..].find('"')?;
    Some(text[start..start + end].to_string()).filter(|s| !s.trim().is_empty())
}
