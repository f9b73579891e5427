//! From text to [`ast::File`], reporting every syntax error it can find.
//!
//! pest stops at the first error, so the file is cut into items first (at lines that start
//! with a top-level keyword) and each item is parsed alone; a rule that fails is parsed again
//! clause by clause. One typo therefore costs one diagnostic, and the rest of the file is still
//! read and checked. pest's pairs never leave this module.

use crate::ast::*;
use crate::codes;
use crate::{Diagnostic, SourceFile, Span};
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/rules.pest"]
struct Grammar;

/// The result of parsing one file: the tree of everything that parsed, and the errors.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub file: File,
    pub diagnostics: Vec<Diagnostic>,
}

/// How deeply parentheses and braces may nest in one item. Rules need a handful of levels;
/// the limit keeps pest's recursive descent (and ours over the tree) far from the stack's end.
pub const MAX_NESTING: usize = 64;

/// The largest rule or policy file read by default, in bytes (16 MiB: a hundred thousand
/// rules of the shipped kind take about 13 MB).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// Resource limits of parsing one file. The CLI and `rulec_eval::read_rule_dir` check a file's
/// size against [`MAX_FILE_BYTES`] before reading it; [`parse_with`] checks the text against
/// [`Limits::max_file_bytes`] for text that arrives another way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest file, in bytes (default [`MAX_FILE_BYTES`], 16 MiB).
    pub max_file_bytes: usize,
    /// How deeply `(`/`{` may nest in one item (default and maximum [`MAX_NESTING`], 64: the
    /// limit can be lowered, not raised, as it keeps recursion far from the stack's end).
    pub max_nesting: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_bytes: MAX_FILE_BYTES, max_nesting: MAX_NESTING }
    }
}

/// `16777216 bytes (16 MiB)`, or the bytes alone when not a whole number of MiB.
pub fn describe_bytes(n: usize) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{n} bytes ({} MiB)", n / (1024 * 1024))
    } else {
        format!("{n} bytes")
    }
}

/// Words that start a top-level item; the item splitter cuts before them.
const ITEM_KEYWORDS: &[&str] = &["jurisdiction", "policy", "set", "rule", "use", "mute", "extend"];
/// Words that start a clause of a rule; the clause splitter cuts before them.
const CLAUSE_KEYWORDS: &[&str] =
    &["title", "cites", "binds", "effective", "locality", "applies", "blocks", "warns", "unless", "message"];

/// Parses a rule or policy file. Never panics; every error becomes a diagnostic.
pub fn parse(source: &SourceFile) -> Parsed {
    parse_with(source, &Limits::default())
}

/// Parses a rule or policy file within `limits`: a file over [`Limits::max_file_bytes`] is one
/// E001 diagnostic and is not read further; nesting over [`Limits::max_nesting`] in an item is
/// one E001 diagnostic for that item.
pub fn parse_with(source: &SourceFile, limits: &Limits) -> Parsed {
    let text = source.text.as_str();
    if text.len() > limits.max_file_bytes {
        let diagnostic = Diagnostic::error(
            codes::SYNTAX,
            Span::new(0, 0),
            format!("the file is {} bytes, over the limit of {}", text.len(), describe_bytes(limits.max_file_bytes)),
        )
        .with_label_text("too large")
        .with_help("split the rules into several files");
        return Parsed { file: File { header: None, items: Vec::new(), comments: Vec::new() }, diagnostics: vec![diagnostic] };
    }
    let max_nesting = limits.max_nesting.min(MAX_NESTING);
    let comments = scan_comments(text);
    let mut file = File { header: None, items: Vec::new(), comments };
    let mut diagnostics = Vec::new();

    // A UTF-8 byte-order mark (some Windows editors write one) is not part of the text.
    let start = if text.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
    for (index, chunk) in split(text, Span::new(start, text.len()), ITEM_KEYWORDS, Misspelled::InColumnZero).into_iter().enumerate() {
        let chunk_text = &text[chunk.start..chunk.end];
        let first_word = leading_word(chunk_text);
        if first_word.is_empty() && chunk_text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
            // Only comments and blank lines: nothing to parse (they are in `file.comments`).
            continue;
        }
        if let Some(at) = too_deep(chunk_text, max_nesting) {
            diagnostics.push(
                Diagnostic::error(codes::SYNTAX, Span::new(chunk.start + at, chunk.start + at + 1), format!("parentheses nest deeper than {max_nesting} levels"))
                    .with_label_text("too deep")
                    .with_help("split the condition into named sets or simpler tests"),
            );
            continue;
        }
        let is_header = matches!(first_word, "jurisdiction" | "policy");
        let entry = if is_header { Rule::header_entry } else { Rule::item_entry };
        match Grammar::parse(entry, chunk_text) {
            Ok(mut pairs) => {
                let b = Builder { base: chunk.start, doc_source: text, comments: &file.comments };
                let Some(entry_pair) = pairs.next() else { continue };
                for pair in entry_pair.into_inner() {
                    match pair.as_rule() {
                        Rule::EOI => {}
                        Rule::jurisdiction_decl | Rule::policy_decl => {
                            let header = b.header(pair);
                            if index == 0 && file.header.is_none() {
                                file.header = Some(header);
                            } else {
                                diagnostics.push(
                                    Diagnostic::error(
                                        codes::MISPLACED_ITEM,
                                        b.span(chunk_pair_span(chunk, chunk_text)),
                                        format!("`{first_word}` must be the first line of the file"),
                                    )
                                    .with_help("a file has one header, before its sets and rules"),
                                );
                            }
                        }
                        _ => file.items.push(b.item(pair)),
                    }
                }
            }
            Err(error) => {
                if first_word == "rule" {
                    diagnostics.extend(recover_rule(text, chunk, error));
                } else {
                    diagnostics.push(syntax_error(text, chunk.start, &error));
                }
            }
        }
    }
    Parsed { file, diagnostics }
}

fn chunk_pair_span(chunk: Span, chunk_text: &str) -> Span {
    Span::new(0, chunk_text.trim_end().len().min(chunk.len()))
}

/// A rule that failed as a whole is parsed clause by clause, so that every bad clause is
/// reported. If every clause parses, the fault is in the frame (`rule id {` … `}`), and the
/// whole-item error says where.
fn recover_rule(text: &str, chunk: Span, item_error: pest::error::Error<Rule>) -> Vec<Diagnostic> {
    let chunk_text = &text[chunk.start..chunk.end];
    let item_error_at = chunk.start + error_offset(&item_error);
    let Some(open) = find_unquoted(chunk_text, '{') else {
        return vec![syntax_error(text, chunk.start, &item_error)];
    };
    let body_start = chunk.start + open + 1;
    let body_end = chunk.start + find_last_unquoted(chunk_text, '}').filter(|c| *c > open).unwrap_or(chunk_text.len());
    let mut diagnostics = Vec::new();
    if item_error_at < body_start {
        diagnostics.push(syntax_error(text, chunk.start, &item_error));
    }
    for clause in split(text, Span::new(body_start, body_end), CLAUSE_KEYWORDS, Misspelled::AtAnyIndent) {
        let clause_text = &text[clause.start..clause.end];
        if clause_text.trim().is_empty() {
            continue;
        }
        if let Err(error) = Grammar::parse(Rule::clause_entry, clause_text) {
            diagnostics.push(syntax_error(text, clause.start, &error));
        }
    }
    if diagnostics.is_empty() {
        diagnostics.push(syntax_error(text, chunk.start, &item_error));
    }
    diagnostics
}

fn error_offset(error: &pest::error::Error<Rule>) -> usize {
    match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// Turns pest's error into one in the language's words.
fn syntax_error(text: &str, base: usize, error: &pest::error::Error<Rule>) -> Diagnostic {
    let at = base + error_offset(error);
    if let Some(slip) = newcomer_slip(text, at) {
        return slip;
    }
    let found_span = token_at(text, at);
    let found = match text.get(found_span.start..found_span.end) {
        // Control characters (a NUL, say) are shown escaped: printed raw they are invisible.
        Some(t) if t.chars().any(char::is_control) && t.trim() == t => format!("`{}`", t.escape_debug()),
        Some(t) if !t.is_empty() => format!("`{t}`"),
        _ => "the end of the file".to_string(),
    };
    let expected = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            describe_expected(positives)
        }
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    let word = text.get(found_span.start..found_span.end).unwrap_or("");
    let suggestion = if expected.starts_with("a clause") {
        rulec_model::suggest(word, CLAUSE_KEYWORDS)
    } else if expected.contains("`rule`") {
        rulec_model::suggest(word, ITEM_KEYWORDS)
    } else {
        None
    };
    Diagnostic::error(codes::SYNTAX, found_span, format!("expected {expected}, found {found}"))
        .with_label_text(format!("expected {expected}"))
        .with_suggestion(suggestion)
}

/// Operators of other languages, written where the rule language has a word: `&&`, `||` and
/// `!` (`and`, `or`, `not`); `=`, `==` and `!=` before a value (`is`, `is not`), before a set
/// (`in`, `not in`), or `==` before a number (`=`). The diagnostic's fix is the word.
fn newcomer_slip(text: &str, at: usize) -> Option<Diagnostic> {
    let at = at.min(text.len());
    let at = at + (text[at..].len() - text[at..].trim_start().len());
    let rest = &text[at..];
    let slip = |span: Span, op: &str, word: &str, help: &str| {
        let shown = word.trim();
        let message = match op {
            "=" | "!=" => format!("`{op}` compares numbers: write `{shown}` here"),
            _ => format!("`{op}` is not an operator of the rule language: write `{shown}`"),
        };
        Diagnostic::error(codes::SYNTAX, span, message)
            .with_label_text(format!("write `{shown}`"))
            .with_help(help.to_string())
            .with_fix(span, word)
    };
    const LOGIC: &str = "conditions combine with the words `and`, `or` and `not`";
    for (op, word) in [("&&", "and"), ("||", "or"), ("&", "and"), ("|", "or")] {
        if rest.starts_with(op) {
            return Some(slip(Span::new(at, at + op.len()), op, word, LOGIC));
        }
    }
    if rest.starts_with('!') && !rest.starts_with("!=") {
        return Some(slip(Span::new(at, at + 1), "!", "not ", LOGIC));
    }
    // An equality operator just before the error (`channel = text` fails at `text`: `=` compares
    // numbers), or at it (`==`).
    let before = text[..at].trim_end();
    let (op, span, value) = if rest.starts_with("==") {
        ("==", Span::new(at, at + 2), rest[2..].trim_start())
    } else if rest.starts_with('=') && before.ends_with('=') && !before.ends_with(">=") && !before.ends_with("<=") && !before.ends_with("!=") {
        ("==", Span::new(before.len() - 1, at + 1), rest[1..].trim_start())
    } else if before.ends_with("!=") {
        ("!=", Span::new(before.len() - 2, before.len()), rest)
    } else if before.ends_with('=') && !before.ends_with(">=") && !before.ends_with("<=") {
        ("=", Span::new(before.len() - 1, before.len()), rest)
    } else {
        return None;
    };
    const TESTS: &str = "a value is tested with `is` (`channel is voice`), a set with `in` (`theme in {opsCollDebt, opsCollPmt}`), a number with `=`, `<`, `<=`, `>`, `>=` or `!=`";
    let negated = op == "!=";
    let word = match value.chars().next() {
        Some(c) if c.is_ascii_digit() => {
            if op == "==" {
                "="
            } else {
                return None;
            }
        }
        Some('{') => {
            if negated {
                "not in"
            } else {
                "in"
            }
        }
        Some(c) if c.is_alphabetic() => {
            if negated {
                "is not"
            } else {
                "is"
            }
        }
        _ => return None,
    };
    Some(slip(span, op, word, TESTS))
}

/// The span of the word or symbol starting at `at` (empty at the end of the text).
fn token_at(text: &str, at: usize) -> Span {
    let at = at.min(text.len());
    let at = at + (text[at..].len() - text[at..].trim_start().len());
    let rest = &text[at..];
    let mut chars = rest.char_indices();
    let len = match chars.next() {
        None => 0,
        Some((_, c)) if c.is_alphanumeric() || c == '_' => rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '.' || *c == ':' || *c == '-'))
            .map_or(rest.len(), |(i, _)| i),
        Some((_, '"')) => rest[1..].find(['"', '\n']).map_or(rest.len(), |i| i + 2).min(rest.len()),
        Some((_, c)) => c.len_utf8(),
    };
    Span::new(at, at + len)
}

fn describe_expected(positives: &[Rule]) -> String {
    let clause_rules = [
        Rule::kw_title, Rule::kw_cites, Rule::kw_binds, Rule::kw_effective, Rule::kw_locality,
        Rule::kw_applies, Rule::severity, Rule::kw_blocks, Rule::kw_warns, Rule::kw_unless, Rule::kw_message,
        Rule::title_clause, Rule::cites_clause, Rule::binds_clause, Rule::effective_clause,
        Rule::locality_clause, Rule::applies_clause, Rule::verdict_clause, Rule::unless_clause,
        Rule::message_clause,
    ];
    let condition_rules = [
        Rule::local_time_test, Rule::local_day_test, Rule::local_date_test, Rule::consent_test,
        Rule::count_test, Rule::any_test, Rule::case_test, Rule::dni_test, Rule::comparison,
        Rule::reply_test, Rule::elapsed_test, Rule::age_at_test, Rule::kw_replies,
        Rule::field_path, Rule::kw_local, Rule::kw_consent, Rule::kw_count, Rule::kw_any, Rule::kw_do,
        Rule::negated, Rule::kw_not, Rule::paren, Rule::open_paren, Rule::neg, Rule::conj, Rule::expr,
    ];
    let window_rules = [
        Rule::calendar_days, Rule::rolling, Rule::today, Rule::calendar_week, Rule::calendar_month,
        Rule::since_last, Rule::kw_today, Rule::kw_this, Rule::kw_since,
    ];
    let item_rules = [
        Rule::item_entry, Rule::set_def, Rule::rule_def, Rule::use_decl, Rule::mute_def, Rule::extend_decl,
        Rule::kw_set, Rule::kw_rule, Rule::kw_use, Rule::kw_mute, Rule::kw_extend,
    ];
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    if positives.iter().any(|r| item_rules.contains(r)) {
        push("an item (`rule`, `set`, `use`, `mute` or `extend`)".into());
    }
    let has_clause = positives.iter().any(|r| clause_rules.contains(r));
    let has_condition = positives.iter().any(|r| condition_rules.contains(r));
    let has_window = positives.iter().any(|r| window_rules.contains(r));
    for rule in positives {
        if clause_rules.contains(rule) {
            if has_clause {
                push("a clause (`title`, `cites`, `binds`, `effective`, `applies when`, `blocks when`, `warns when`, `unless`, `message`)".into());
            }
        } else if condition_rules.contains(rule) {
            if has_condition {
                push("a condition such as `channel is voice` or `local time is outside 08:00 to 21:00`".into());
            }
        } else if window_rules.contains(rule) || *rule == Rule::kw_in {
            if has_window && *rule != Rule::kw_in {
                push("a window such as `in the last 7 days`, `today` or `since the last call`".into());
            } else if *rule == Rule::kw_in {
                push(if has_window { "a window such as `in the last 7 days`, `today` or `since the last call`".into() } else { "`in`".into() });
            }
        } else if item_rules.contains(rule) {
            // Described once, above.
        } else if let Some(text) = describe_rule(*rule) {
            push(text.to_string());
        }
    }
    match out.len() {
        0 => "something else".to_string(),
        1 => out.remove(0),
        _ => {
            let last = out.pop().unwrap_or_default();
            format!("{} or {last}", out.join(", "))
        }
    }
}

/// What a grammar rule is called in the language's own words.
fn describe_rule(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::ident | Rule::set_name => "a name",
        Rule::rule_id => "a rule id such as `federal.reg_f.call_frequency`",
        Rule::rule_pattern => "a rule id, or a prefix ending in `.*`",
        Rule::field_path => "a field such as `channel` or `contact.label`",
        Rule::string => "a quoted text",
        Rule::int => "a whole number",
        Rule::date => "a date such as `2026-03-10`",
        Rule::time => "a time such as `08:00` or `07:30:00`",
        Rule::zone_name | Rule::zone => "a time zone such as `America/New_York`",
        Rule::inclusive_window => "hours such as `08:00 to 21:00`",
        Rule::exclusive_window | Rule::kw_after => "hours such as `after 08:00 and before 21:00`",
        Rule::kw_before => "`before`",
        Rule::elapsed | Rule::elapsed_op | Rule::kw_at => "a length such as `at least 72 hours` or `less than 10 business days`",
        Rule::kw_least => "`least`",
        Rule::kw_less => "`less`",
        Rule::kw_than => "`than`",
        Rule::kw_ago => "`ago`",
        Rule::elapsed_unit | Rule::calendar_unit | Rule::business_unit | Rule::day_word => {
            "a unit (`minutes`, `hours`, `days`, `calendar days`, `business days`)"
        }
        Rule::kw_business => "`business`",
        Rule::held_for => "`for at least …` or `for less than …`",
        Rule::recorded | Rule::kw_recorded => "`recorded`",
        Rule::kw_inbound => "`inbound`",
        Rule::kw_person | Rule::scope_person => "`to this person`",
        Rule::jurisdiction_decl | Rule::kw_jurisdiction => "`jurisdiction`",
        Rule::policy_decl | Rule::kw_policy => "`policy`",
        Rule::set_def | Rule::kw_set => "`set`",
        Rule::rule_def | Rule::kw_rule => "`rule`",
        Rule::use_decl | Rule::kw_use => "`use`",
        Rule::mute_def | Rule::kw_mute => "`mute`",
        Rule::extend_decl | Rule::kw_extend => "`extend`",
        Rule::reason_clause | Rule::kw_reason => "`reason`",
        Rule::approved_clause | Rule::kw_approved => "`approved by`",
        Rule::until_clause | Rule::kw_until | Rule::effective_until => "`until`",
        Rule::effective_from | Rule::kw_from => "`from`",
        Rule::every_role | Rule::kw_every => "`every role`",
        Rule::role_list => "a role (`creditor`, `servicer`, `collector`)",
        Rule::kw_when => "`when`",
        Rule::kw_to => "`to`",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_is => "`is`",
        Rule::kw_not | Rule::negation => "`not`",
        Rule::kw_in | Rule::in_test => "`in`",
        Rule::is_test => "`is`",
        Rule::number_test | Rule::cmp_op => "a comparison such as `>= 7`",
        Rule::kw_time => "`time`",
        Rule::kw_day => "`day`",
        Rule::kw_date => "`date`",
        Rule::window_op | Rule::kw_within | Rule::kw_outside => "`within` or `outside`",
        Rule::holiday_test | Rule::kw_a => "`a federal holiday`",
        Rule::date_range => "`within` or `outside` a date range",
        Rule::kw_federal => "`federal`",
        Rule::kw_holiday => "`holiday`",
        Rule::kw_of => "`of`",
        Rule::history | Rule::noun => "what to count: `interactions`, `calls`, `texts`, `emails` or `letters`",
        Rule::case_noun => "`case`",
        Rule::filter | Rule::kw_where => "`where`",
        Rule::kw_the => "`the`",
        Rule::kw_last => "`last`",
        Rule::kw_calendar => "`calendar`",
        Rule::kw_days | Rule::time_unit => "a unit (`minutes`, `hours`, `days`, `calendar days`)",
        Rule::kw_week => "`week`",
        Rule::kw_starting => "`starting`",
        Rule::kw_month => "`month`",
        Rule::scope_loan | Rule::kw_about => "`about this loan`",
        Rule::scope_contact => "`to this contact`",
        Rule::scope_borrower | Rule::kw_for => "`for this borrower`",
        Rule::kw_loan => "`loan`",
        Rule::kw_contact => "`contact`",
        Rule::kw_borrower => "`borrower`",
        Rule::kw_interact => "`interact`",
        Rule::kw_active => "`active`",
        Rule::value | Rule::kw_true | Rule::kw_false => "a value such as `voice`, `true` or `30`",
        Rule::set_literal => "a set such as `{voice, text}`",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::open_paren => "`(`",
        Rule::close_paren => "`)`",
        Rule::colon => "`:`",
        Rule::comma => "`,`",
        _ => return None,
    })
}

// ---------------------------------------------------------------- scanning

/// Every `#` comment outside string literals.
fn scan_comments(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'\n' => in_string = false,
            b'#' if !in_string => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let end_trimmed = i + text[i..end].trim_end().len();
                comments.push(Comment { text: text[i + 1..end_trimmed].to_string(), span: Span::new(i, end_trimmed) });
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    comments
}

/// `text` without the whitespace and comments at its end. Strings never span lines, so a `#`
/// outside quotes on the last line starts a comment.
fn without_trailing_trivia(text: &str) -> &str {
    let mut text = text.trim_end();
    loop {
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        let mut in_string = false;
        let mut comment_at = None;
        let mut chars = text[line_start..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '#' if !in_string => {
                    comment_at = Some(line_start + i);
                    break;
                }
                _ => {}
            }
        }
        match comment_at {
            Some(at) => text = text[..at].trim_end(),
            None => return text,
        }
    }
}

/// Where a word that is one edit or two away from a keyword also starts a piece.
#[derive(Clone, Copy)]
enum Misspelled {
    /// Items: only in column 0, where nothing else can begin a line outside braces.
    InColumnZero,
    /// Clauses: at any indent (clauses are indented inside the rule's braces).
    AtAnyIndent,
}

/// Cuts `range` before every line whose first word is one of `keywords` and that is either
/// outside all braces or starts in column 0 (so a missing `}` does not swallow the next rule).
/// Leading comments and blank lines stay with the piece that follows them.
fn split(text: &str, range: Span, keywords: &[&str], misspelled: Misspelled) -> Vec<Span> {
    let mut cuts = vec![range.start];
    let mut depth: i64 = 0;
    let mut line_start = range.start;
    // Only comments and blank lines since the last cut: they belong to what follows.
    let mut nothing_yet = true;
    while line_start < range.end {
        let line_end = text[line_start..range.end].find('\n').map_or(range.end, |n| line_start + n + 1);
        let line = &text[line_start..line_end];
        let indent = line.len() - line.trim_start().len();
        let word = leading_word(line);
        let trimmed = line.trim_start();
        let is_trivia = trimmed.is_empty() || trimmed.starts_with('#');
        // A misspelled keyword (`rlue`) at the start of a line outside braces begins an item
        // too, so that the error is reported there, with a did-you-mean, and does not swallow
        // the item before it.
        let placed = match misspelled {
            Misspelled::InColumnZero => indent == 0,
            Misspelled::AtAnyIndent => true,
        };
        let misspelled = placed && depth <= 0 && !keywords.contains(&word) && rulec_model::suggest(word, keywords).is_some();
        if !nothing_yet && (keywords.contains(&word) || misspelled) && (depth <= 0 || indent == 0) {
            // Comment lines right above the keyword go with it (they are its doc comment).
            cuts.push(trivia_start(text, *cuts.last().unwrap_or(&range.start), line_start));
            depth = 0;
        }
        if !is_trivia {
            nothing_yet = false;
        }
        depth += brace_balance(line);
        line_start = line_end;
    }
    cuts.push(range.end);
    cuts.windows(2).map(|w| Span::new(w[0], w[1])).filter(|s| !s.is_empty()).collect()
}

/// Where the run of comment and blank lines that ends at `line_start` begins (not before `floor`).
fn trivia_start(text: &str, floor: usize, line_start: usize) -> usize {
    let mut start = line_start;
    while start > floor {
        let previous = text[floor..start - 1].rfind('\n').map_or(floor, |i| floor + i + 1);
        let trimmed = text[previous..start].trim();
        if !trimmed.starts_with('#') {
            break;
        }
        start = previous;
    }
    start
}

/// The offset of the first `(` or `{` (outside strings and comments) that opens level
/// `max + 1`, if any.
fn too_deep(text: &str, max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            '\n' => {
                in_comment = false;
                in_string = false;
            }
            _ if in_comment => {}
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => in_comment = true,
            '(' | '{' if !in_string => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            ')' | '}' if !in_string => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// `{` minus `}` on a line, outside strings and comments.
fn brace_balance(line: &str) -> i64 {
    let mut balance = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => break,
            '{' if !in_string => balance += 1,
            '}' if !in_string => balance -= 1,
            _ => {}
        }
    }
    balance
}

/// The first word of a text after whitespace and comment lines.
fn leading_word(text: &str) -> &str {
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let end = trimmed.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(trimmed.len());
        return &trimmed[..end];
    }
    ""
}

fn find_unquoted(text: &str, needle: char) -> Option<usize> {
    let mut in_string = false;
    let mut in_comment = false;
    for (i, c) in text.char_indices() {
        match c {
            '\n' => {
                in_comment = false;
                in_string = false;
            }
            _ if in_comment => {}
            '"' => in_string = !in_string,
            '#' if !in_string => in_comment = true,
            c if c == needle && !in_string => return Some(i),
            _ => {}
        }
    }
    None
}

fn find_last_unquoted(text: &str, needle: char) -> Option<usize> {
    let mut last = None;
    let mut offset = 0;
    while let Some(i) = find_unquoted(&text[offset..], needle) {
        last = Some(offset + i);
        offset += i + needle.len_utf8();
    }
    last
}

// ---------------------------------------------------------------- building the tree

struct Builder<'a> {
    /// Where the parsed piece starts in the file.
    base: usize,
    /// The whole file, for doc comments above a rule.
    doc_source: &'a str,
    comments: &'a [Comment],
}

impl Builder<'_> {
    fn span(&self, local: Span) -> Span {
        Span::new(self.base + local.start, self.base + local.end)
    }

    /// A pair's span, without the whitespace pest keeps at its end when a trailing repetition
    /// (`(kw_and ~ neg)*`) matched nothing: a span ends where its text ends.
    fn pair_span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let end = s.start() + without_trailing_trivia(s.as_str()).len();
        Span::new(self.base + s.start(), self.base + end)
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident { name: pair.as_str().to_string(), span: self.pair_span(&pair) }
    }

    fn string(&self, pair: Pair<Rule>) -> Str {
        let raw = pair.as_str();
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        let mut value = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some(other) => value.push(other),
                    None => {}
                }
            } else {
                value.push(c);
            }
        }
        Str { value, span: self.pair_span(&pair) }
    }

    fn int(&self, pair: Pair<Rule>) -> IntLit {
        // Digits only by the grammar; an overflowing number saturates and the checker's range
        // checks report it.
        let value = pair.as_str().parse::<u64>().unwrap_or(u64::MAX);
        IntLit { value, span: self.pair_span(&pair) }
    }

    fn date(&self, pair: Pair<Rule>) -> DateLit {
        let text = pair.as_str();
        let num = |r: std::ops::Range<usize>| text.get(r).and_then(|t| t.parse().ok()).unwrap_or(0);
        DateLit { year: num(0..4), month: num(5..7), day: num(8..10), span: self.pair_span(&pair) }
    }

    fn time(&self, pair: Pair<Rule>) -> TimeLit {
        let text = pair.as_str();
        let num = |r: std::ops::Range<usize>| text.get(r).and_then(|t| t.parse().ok()).unwrap_or(0);
        let second = if text.len() > 5 { Some(num(6..8)) } else { None };
        TimeLit { hour: num(0..2), minute: num(3..5), second, span: self.pair_span(&pair) }
    }

    fn header(&self, pair: Pair<Rule>) -> Header {
        let rule = pair.as_rule();
        let name = pair.into_inner().find(|p| p.as_rule() == Rule::ident).map(|p| self.ident(p));
        let name = name.unwrap_or(Ident { name: String::new(), span: Span::default() });
        if rule == Rule::jurisdiction_decl {
            Header::Jurisdiction(name)
        } else {
            Header::Policy(name)
        }
    }

    fn item(&self, pair: Pair<Rule>) -> Item {
        let span = self.pair_span(&pair);
        match pair.as_rule() {
            Rule::set_def => {
                let mut idents = pair.clone().into_inner().filter(|p| p.as_rule() == Rule::ident);
                let name = idents.next().map(|p| self.ident(p));
                let kind = idents.next().map(|p| self.ident(p));
                let elements = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::set_literal)
                    .map(|p| self.values(p))
                    .unwrap_or_default();
                Item::Set(SetDef {
                    name: name.unwrap_or_else(|| self.empty_ident(span)),
                    kind: kind.unwrap_or_else(|| self.empty_ident(span)),
                    elements,
                    span,
                })
            }
            Rule::rule_def => {
                let mut id = None;
                let mut clauses = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::rule_id => id = Some(self.ident(p)),
                        Rule::open_brace | Rule::close_brace | Rule::kw_rule => {}
                        _ => clauses.push(self.clause(p)),
                    }
                }
                Item::Rule(RuleDef {
                    id: id.unwrap_or_else(|| self.empty_ident(span)),
                    doc: self.doc_comment(span.start),
                    clauses,
                    span,
                })
            }
            Rule::use_decl => Item::Use(UseDecl {
                selections: pair.into_inner().filter(|p| p.as_rule() == Rule::ident).map(|p| self.ident(p)).collect(),
                span,
            }),
            Rule::mute_def => {
                let mut target = None;
                let mut clauses = Vec::new();
                for p in pair.into_inner() {
                    let pspan = self.pair_span(&p);
                    match p.as_rule() {
                        Rule::rule_pattern => target = Some(self.pattern(p)),
                        Rule::reason_clause => {
                            if let Some(s) = p.into_inner().find(|q| q.as_rule() == Rule::string) {
                                clauses.push(MuteClause::Reason(self.string(s), pspan));
                            }
                        }
                        Rule::approved_clause => {
                            if let Some(s) = p.into_inner().find(|q| q.as_rule() == Rule::string) {
                                clauses.push(MuteClause::ApprovedBy(self.string(s), pspan));
                            }
                        }
                        Rule::until_clause => {
                            if let Some(d) = p.into_inner().find(|q| q.as_rule() == Rule::date) {
                                clauses.push(MuteClause::Until(self.date(d), pspan));
                            }
                        }
                        _ => {}
                    }
                }
                Item::Mute(MuteDef { target: target.unwrap_or_else(|| self.empty_pattern(span)), clauses, span })
            }
            Rule::extend_decl => {
                let mut target = None;
                let mut roles = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::rule_pattern => target = Some(self.pattern(p)),
                        Rule::role_list => roles = self.idents(p),
                        _ => {}
                    }
                }
                Item::Extend(ExtendDecl { target: target.unwrap_or_else(|| self.empty_pattern(span)), roles, span })
            }
            // The grammar's `item` has exactly the alternatives above.
            _ => Item::Use(UseDecl { selections: Vec::new(), span }),
        }
    }

    fn empty_ident(&self, span: Span) -> Ident {
        Ident { name: String::new(), span: Span::new(span.start, span.start) }
    }

    fn empty_pattern(&self, span: Span) -> RulePattern {
        RulePattern { text: String::new(), wildcard: false, span: Span::new(span.start, span.start) }
    }

    fn pattern(&self, pair: Pair<Rule>) -> RulePattern {
        let text = pair.as_str();
        let span = self.pair_span(&pair);
        match text.strip_suffix(".*") {
            Some(prefix) => RulePattern { text: prefix.to_string(), wildcard: true, span },
            None => RulePattern { text: text.to_string(), wildcard: false, span },
        }
    }

    fn idents(&self, pair: Pair<Rule>) -> Vec<Ident> {
        pair.into_inner().filter(|p| p.as_rule() == Rule::ident).map(|p| self.ident(p)).collect()
    }

    /// The `##` lines directly above a rule (no blank line in between).
    fn doc_comment(&self, rule_start: usize) -> Vec<String> {
        let mut doc = Vec::new();
        let mut boundary = self.doc_source[..rule_start].rfind('\n').map_or(0, |i| i + 1);
        for comment in self.comments.iter().rev().filter(|c| c.span.end <= rule_start) {
            let line_start = self.doc_source[..comment.span.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = comment.span.end;
            let own_line = self.doc_source[line_start..comment.span.start].trim().is_empty();
            let next_line_start = self.doc_source[line_end..].find('\n').map_or(self.doc_source.len(), |i| line_end + i + 1);
            if !own_line || !comment.text.starts_with('#') || next_line_start != boundary {
                break;
            }
            doc.push(comment.text[1..].strip_prefix(' ').unwrap_or(&comment.text[1..]).to_string());
            boundary = line_start;
        }
        doc.reverse();
        doc
    }

    fn clause(&self, pair: Pair<Rule>) -> Clause {
        let span = self.pair_span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let kind = match rule {
            Rule::title_clause => ClauseKind::Title(self.first_string(&mut inner)),
            Rule::cites_clause => {
                ClauseKind::Cites(inner.filter(|p| p.as_rule() == Rule::string).map(|p| self.string(p)).collect())
            }
            Rule::binds_clause => {
                let binds = inner
                    .find(|p| matches!(p.as_rule(), Rule::every_role | Rule::role_list))
                    .map(|p| if p.as_rule() == Rule::every_role { Binds::EveryRole } else { Binds::Roles(self.idents(p)) })
                    .unwrap_or(Binds::Roles(Vec::new()));
                ClauseKind::Binds(binds)
            }
            Rule::effective_clause => {
                let mut from = None;
                let mut until = None;
                for p in inner {
                    let date = p.clone().into_inner().find(|q| q.as_rule() == Rule::date).map(|d| self.date(d));
                    match p.as_rule() {
                        Rule::effective_from => from = date,
                        Rule::effective_until => until = date,
                        _ => {}
                    }
                }
                ClauseKind::Effective { from, until }
            }
            Rule::locality_clause => ClauseKind::Locality(
                inner.find(|p| p.as_rule() == Rule::ident).map(|p| self.ident(p)).unwrap_or_else(|| self.empty_ident(span)),
            ),
            Rule::applies_clause => ClauseKind::Applies(self.first_expr(inner, span)),
            Rule::verdict_clause => {
                let severity = inner
                    .clone()
                    .find(|p| p.as_rule() == Rule::severity)
                    .map(|p| if p.as_str() == "warns" { SeverityKw::Warns } else { SeverityKw::Blocks })
                    .unwrap_or(SeverityKw::Blocks);
                ClauseKind::Verdict { severity, condition: self.first_expr(inner, span) }
            }
            Rule::unless_clause => ClauseKind::Unless(self.first_expr(inner, span)),
            _ => ClauseKind::Message(self.first_string(&mut inner)),
        };
        Clause { kind, span }
    }

    fn first_string(&self, inner: &mut pest::iterators::Pairs<Rule>) -> Str {
        inner
            .find(|p| p.as_rule() == Rule::string)
            .map(|p| self.string(p))
            .unwrap_or(Str { value: String::new(), span: Span::default() })
    }

    fn first_expr(&self, mut inner: pest::iterators::Pairs<Rule>, span: Span) -> Expr {
        inner
            .find(|p| p.as_rule() == Rule::expr)
            .map(|p| self.expr(p))
            .unwrap_or(Expr { kind: ExprKind::And(Vec::new()), span })
    }

    fn expr(&self, pair: Pair<Rule>) -> Expr {
        let span = self.pair_span(&pair);
        match pair.as_rule() {
            Rule::expr | Rule::conj => {
                let is_or = pair.as_rule() == Rule::expr;
                let parts: Vec<Expr> = pair
                    .into_inner()
                    .filter(|p| !matches!(p.as_rule(), Rule::kw_or | Rule::kw_and))
                    .map(|p| self.expr(p))
                    .collect();
                if parts.len() == 1 {
                    parts.into_iter().next().unwrap_or(Expr { kind: ExprKind::And(Vec::new()), span })
                } else if is_or {
                    Expr { kind: ExprKind::Or(parts), span }
                } else {
                    Expr { kind: ExprKind::And(parts), span }
                }
            }
            Rule::neg => match pair.into_inner().next() {
                Some(p) => self.expr(p),
                None => Expr { kind: ExprKind::And(Vec::new()), span },
            },
            Rule::negated => {
                let inner = pair.into_inner().find(|p| p.as_rule() == Rule::neg).map(|p| self.expr(p));
                Expr { kind: ExprKind::Not(Box::new(inner.unwrap_or(Expr { kind: ExprKind::And(Vec::new()), span }))), span }
            }
            Rule::paren => {
                let inner = pair.into_inner().find(|p| p.as_rule() == Rule::expr).map(|p| self.expr(p));
                Expr { kind: ExprKind::Paren(Box::new(inner.unwrap_or(Expr { kind: ExprKind::And(Vec::new()), span }))), span }
            }
            _ => Expr { kind: self.atom(pair), span },
        }
    }

    // Not inlined into `expr`, which recurses once per `not` and `(`: its frame stays small.
    #[inline(never)]
    fn atom(&self, pair: Pair<Rule>) -> ExprKind {
        let rule = pair.as_rule();
        let inner: Vec<Pair<Rule>> = pair.into_inner().collect();
        let find = |r: Rule| inner.iter().find(|p| p.as_rule() == r).cloned();
        let op_of = |p: Option<Pair<Rule>>| match p.map(|p| p.as_str().to_string()).as_deref() {
            Some("outside") => WindowOp::Outside,
            _ => WindowOp::Within,
        };
        match rule {
            Rule::local_time_test => {
                let zone = self.zone(find(Rule::zone));
                let window = inner
                    .iter()
                    .find(|p| matches!(p.as_rule(), Rule::inclusive_window | Rule::exclusive_window))
                    .map(|p| self.time_window(p.clone()))
                    .unwrap_or_else(|| TimeWindow { start: zero_time(), end: zero_time(), exclusive: false, from_keyword: false });
                ExprKind::LocalTime { zone, op: op_of(find(Rule::window_op)), window: Box::new(window) }
            }
            Rule::local_day_test => ExprKind::LocalDay { zone: self.zone(find(Rule::zone)), test: self.test(&inner) },
            Rule::local_date_test => {
                let zone = self.zone(find(Rule::zone));
                if let Some(h) = find(Rule::holiday_test) {
                    ExprKind::FederalHoliday { zone, negated: h.into_inner().any(|p| p.as_rule() == Rule::negation) }
                } else {
                    let range: Vec<Pair<Rule>> = find(Rule::date_range).map(|p| p.into_inner().collect()).unwrap_or_default();
                    let op = op_of(range.iter().find(|p| p.as_rule() == Rule::window_op).cloned());
                    let mut dates = range.into_iter().filter(|p| p.as_rule() == Rule::date).map(|p| self.date(p));
                    let zero = DateLit { year: 0, month: 0, day: 0, span: Span::default() };
                    let start = dates.next().unwrap_or_else(|| zero.clone());
                    let end = dates.next().unwrap_or(zero);
                    ExprKind::LocalDate { zone, op, start, end }
                }
            }
            Rule::consent_test => {
                let mut idents = inner.iter().filter(|p| p.as_rule() == Rule::ident).cloned().map(|p| self.ident(p));
                let name = idents.next().unwrap_or(Ident { name: String::new(), span: Span::default() });
                let value = idents.next().unwrap_or(Ident { name: String::new(), span: Span::default() });
                let held = find(Rule::held_for).and_then(|p| p.into_inner().find(|q| q.as_rule() == Rule::elapsed)).map(|p| Box::new(self.elapsed(p)));
                ExprKind::Consent { name, value, recorded: find(Rule::recorded).is_some(), held }
            }
            Rule::elapsed_test => ExprKind::ElapsedSince {
                field: find(Rule::field_path).map(|p| self.ident(p)).unwrap_or(Ident { name: String::new(), span: Span::default() }),
                elapsed: find(Rule::elapsed).map(|p| self.elapsed(p)).unwrap_or_else(|| Elapsed {
                    at_least: true,
                    amount: IntLit { value: 0, span: Span::default() },
                    unit: ElapsedUnit::Exact(TimeUnit::Days),
                    span: Span::default(),
                }),
            },
            Rule::age_at_test => {
                let mut fields = inner.iter().filter(|p| p.as_rule() == Rule::field_path).cloned().map(|p| self.ident(p));
                let empty = || Ident { name: String::new(), span: Span::default() };
                ExprKind::AgeAt {
                    field: fields.next().unwrap_or_else(empty),
                    at: fields.next().unwrap_or_else(empty),
                    op: find(Rule::cmp_op).map(|p| cmp_op(p.as_str())).unwrap_or(CmpOp::Eq),
                    value: find(Rule::int).map(|p| self.int(p)).unwrap_or(IntLit { value: 0, span: Span::default() }),
                }
            }
            Rule::reply_test => ExprKind::Replies {
                within: find(Rule::int).map(|amount| {
                    let unit = find(Rule::elapsed_unit).map(|u| self.elapsed_unit(u)).unwrap_or(ElapsedUnit::Exact(TimeUnit::Days));
                    (self.int(amount), unit)
                }),
            },
            Rule::count_test => {
                let history = self.history(find(Rule::history));
                let op = find(Rule::cmp_op).map(|p| cmp_op(p.as_str())).unwrap_or(CmpOp::Ge);
                let limit = find(Rule::int).map(|p| self.int(p)).unwrap_or(IntLit { value: 0, span: Span::default() });
                ExprKind::Count { history: Box::new(history), op, limit }
            }
            Rule::any_test => ExprKind::Any(Box::new(self.history(find(Rule::history)))),
            Rule::case_test => ExprKind::AnyCase {
                plural: find(Rule::case_noun).is_some_and(|p| p.as_str() == "cases"),
                filter: find(Rule::filter).map(|p| Box::new(self.filter(p))),
                per_loan: find(Rule::scope_loan).is_some(),
            },
            Rule::dni_test => ExprKind::DoNotInteract,
            _ => {
                // comparison
                let field = find(Rule::field_path).map(|p| self.ident(p)).unwrap_or(Ident { name: String::new(), span: Span::default() });
                let test = if inner.len() > 1 { Some(self.test(&inner)) } else { None };
                ExprKind::Compare { field, test }
            }
        }
    }

    fn zone(&self, pair: Option<Pair<Rule>>) -> Option<Ident> {
        pair.and_then(|p| p.into_inner().find(|q| q.as_rule() == Rule::zone_name)).map(|p| self.ident(p))
    }

    fn time_window(&self, pair: Pair<Rule>) -> TimeWindow {
        let exclusive = pair.as_rule() == Rule::exclusive_window;
        let inner: Vec<Pair<Rule>> = pair.into_inner().collect();
        let from_keyword = inner.iter().any(|p| p.as_rule() == Rule::kw_from);
        let mut times = inner.into_iter().filter(|p| p.as_rule() == Rule::time).map(|p| self.time(p));
        let start = times.next().unwrap_or_else(zero_time);
        let end = times.next().unwrap_or_else(zero_time);
        TimeWindow { start, end, exclusive, from_keyword }
    }

    fn elapsed(&self, pair: Pair<Rule>) -> Elapsed {
        let span = self.pair_span(&pair);
        let inner: Vec<Pair<Rule>> = pair.into_inner().collect();
        let at_least = inner.iter().find(|p| p.as_rule() == Rule::elapsed_op).is_none_or(|p| p.as_str().starts_with("at"));
        let amount = inner.iter().find(|p| p.as_rule() == Rule::int).cloned().map(|p| self.int(p)).unwrap_or(IntLit { value: 0, span });
        let unit = inner.into_iter().find(|p| p.as_rule() == Rule::elapsed_unit).map(|p| self.elapsed_unit(p)).unwrap_or(ElapsedUnit::Exact(TimeUnit::Days));
        Elapsed { at_least, amount, unit, span }
    }

    fn elapsed_unit(&self, pair: Pair<Rule>) -> ElapsedUnit {
        let Some(p) = pair.into_inner().next() else { return ElapsedUnit::Exact(TimeUnit::Days) };
        let plural = p.as_str().ends_with('s');
        match p.as_rule() {
            Rule::calendar_unit => ElapsedUnit::Calendar { plural },
            Rule::business_unit => ElapsedUnit::Business { plural },
            _ => ElapsedUnit::Exact(time_unit(p.as_str())),
        }
    }

    fn test(&self, pairs: &[Pair<Rule>]) -> Test {
        for p in pairs {
            let negated = p.clone().into_inner().any(|q| q.as_rule() == Rule::negation);
            match p.as_rule() {
                Rule::in_test => {
                    let set = p
                        .clone()
                        .into_inner()
                        .find_map(|q| match q.as_rule() {
                            Rule::set_name => q.into_inner().next().map(|i| SetExpr::Named(self.ident(i))),
                            Rule::set_literal => {
                                Some(SetExpr::Literal { span: self.pair_span(&q), elements: self.values(q) })
                            }
                            _ => None,
                        })
                        .unwrap_or(SetExpr::Literal { elements: Vec::new(), span: self.pair_span(p) });
                    return Test::In { negated, set };
                }
                Rule::is_test => {
                    let value = p
                        .clone()
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::value)
                        .map(|q| self.value(q))
                        .unwrap_or(Value::Bool(true, self.pair_span(p)));
                    return Test::Is { negated, value };
                }
                Rule::number_test => {
                    let inner: Vec<Pair<Rule>> = p.clone().into_inner().collect();
                    let op = inner.iter().find(|q| q.as_rule() == Rule::cmp_op).map(|q| cmp_op(q.as_str())).unwrap_or(CmpOp::Eq);
                    let value = inner
                        .into_iter()
                        .find(|q| q.as_rule() == Rule::int)
                        .map(|q| self.int(q))
                        .unwrap_or(IntLit { value: 0, span: Span::default() });
                    return Test::Number { op, value };
                }
                _ => {}
            }
        }
        Test::Is { negated: false, value: Value::Bool(true, Span::default()) }
    }

    fn values(&self, set_literal: Pair<Rule>) -> Vec<Value> {
        set_literal.into_inner().filter(|p| p.as_rule() == Rule::value).map(|p| self.value(p)).collect()
    }

    fn value(&self, pair: Pair<Rule>) -> Value {
        let span = self.pair_span(&pair);
        match pair.into_inner().next() {
            Some(p) => match p.as_rule() {
                Rule::kw_true => Value::Bool(true, span),
                Rule::kw_false => Value::Bool(false, span),
                Rule::int => Value::Int(self.int(p)),
                Rule::string => Value::Str(self.string(p)),
                _ => Value::Name(self.ident(p)),
            },
            None => Value::Bool(true, span),
        }
    }

    fn filter(&self, pair: Pair<Rule>) -> Expr {
        let span = self.pair_span(&pair);
        pair.into_inner().find(|p| p.as_rule() == Rule::expr).map(|p| self.expr(p)).unwrap_or(Expr { kind: ExprKind::And(Vec::new()), span })
    }

    fn history(&self, pair: Option<Pair<Rule>>) -> History {
        let Some(pair) = pair else {
            return History {
                noun: Noun { kind: NounKind::Interaction, plural: true },
                filter: None,
                window: Window::Today,
                scopes: Vec::new(),
                span: Span::default(),
            };
        };
        let span = self.pair_span(&pair);
        let mut noun = Noun { kind: NounKind::Interaction, plural: true };
        let mut filter = None;
        let mut window = Window::Today;
        let mut scopes = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::noun => noun = parse_noun(p.as_str()),
                Rule::filter => filter = Some(Box::new(self.filter(p))),
                Rule::scope_loan => scopes.push(HistoryScope::Loan),
                Rule::scope_contact => scopes.push(HistoryScope::Contact),
                Rule::scope_person => scopes.push(HistoryScope::Person),
                Rule::scope_borrower => scopes.push(HistoryScope::Borrower),
                _ => window = self.window(p),
            }
        }
        History { noun, filter, window, scopes, span }
    }

    fn window(&self, pair: Pair<Rule>) -> Window {
        let rule = pair.as_rule();
        let inner: Vec<Pair<Rule>> = pair.into_inner().collect();
        let find = |r: Rule| inner.iter().find(|p| p.as_rule() == r).cloned();
        let int = || find(Rule::int).map(|p| self.int(p)).unwrap_or(IntLit { value: 0, span: Span::default() });
        match rule {
            Rule::calendar_days => Window::CalendarDays(int()),
            Rule::rolling => Window::Rolling {
                amount: int(),
                unit: find(Rule::time_unit).map_or(TimeUnit::Days, |p| time_unit(p.as_str())),
            },
            Rule::calendar_week => Window::CalendarWeek {
                starting: find(Rule::ident).map(|p| self.ident(p)).unwrap_or(Ident { name: String::new(), span: Span::default() }),
            },
            Rule::calendar_month => Window::CalendarMonth,
            Rule::since_last => Window::SinceLast {
                noun: find(Rule::noun).map(|p| parse_noun(p.as_str())).unwrap_or(Noun { kind: NounKind::Interaction, plural: false }),
                filter: find(Rule::filter).map(|p| Box::new(self.filter(p))),
            },
            _ => Window::Today,
        }
    }
}

fn parse_noun(text: &str) -> Noun {
    let plural = text.ends_with('s');
    let kind = match text.trim_end_matches('s') {
        "call" => NounKind::Call,
        "text" => NounKind::Text,
        "email" => NounKind::Email,
        "letter" => NounKind::Letter,
        _ => NounKind::Interaction,
    };
    Noun { kind, plural }
}

fn time_unit(text: &str) -> TimeUnit {
    match text {
        "minute" => TimeUnit::Minute,
        "minutes" => TimeUnit::Minutes,
        "hour" => TimeUnit::Hour,
        "hours" => TimeUnit::Hours,
        "day" => TimeUnit::Day,
        _ => TimeUnit::Days,
    }
}

fn zero_time() -> TimeLit {
    TimeLit { hour: 0, minute: 0, second: None, span: Span::default() }
}

fn cmp_op(text: &str) -> CmpOp {
    match text {
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        ">=" => CmpOp::Ge,
        "!=" => CmpOp::Ne,
        _ => CmpOp::Eq,
    }
}
