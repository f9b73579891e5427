//! The registry of error codes. Each code is stable: tools and suppressions refer to it.
//! Lint (warning) codes live with their lints in `rulec-check`.
//! `docs/diagnostics.md` documents every code; a test checks that none is missing there.

/// A diagnostic code with its one-line meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
}

macro_rules! codes {
    ($( $konst:ident = $code:literal, $name:literal, $summary:literal; )+) => {
        $( #[doc = $summary] pub const $konst: &str = $code; )+
        /// Every error code, in order.
        pub const ERRORS: &[CodeInfo] = &[ $( CodeInfo { code: $code, name: $name, summary: $summary } ),+ ];
    };
}

codes! {
    SYNTAX = "E001", "syntax", "The text does not follow the grammar of the rule language.";
    UNKNOWN_FIELD = "E002", "unknown-field", "A field that the data model does not have.";
    UNKNOWN_VALUE = "E003", "unknown-value", "A value that is not in the list the field takes (a channel, a theme, …).";
    UNKNOWN_SET = "E004", "unknown-set", "A named set that no file defines.";
    UNKNOWN_RULE = "E005", "unknown-rule", "A mute or extend names a rule that no file defines.";
    TYPE_MISMATCH = "E006", "type-mismatch", "A value or test of the wrong type for the field (a number compared with a channel).";
    INVERTED_WINDOW = "E007", "inverted-window", "A time or date window whose end precedes its start.";
    DUPLICATE_RULE = "E008", "duplicate-rule", "Two rules share an id; ids are unique across all files.";
    JURISDICTION_MISMATCH = "E009", "jurisdiction-mismatch", "A file claims a jurisdiction its place under rules/ contradicts, or a rule id does not start with its jurisdiction.";
    INCOMPLETE_MUTE = "E010", "incomplete-mute", "A mute lacks its reason, approver or expiry; all three are required.";
    UNKNOWN_PLACEHOLDER = "E011", "unknown-placeholder", "A message template names a figure the rule does not compute.";
    INVALID_LITERAL = "E012", "invalid-literal", "A date, time or number out of range (`25:61`, `2026-02-30`).";
    DUPLICATE_DEFINITION = "E013", "duplicate-definition", "A set defined twice, or a clause written twice in one rule.";
    MISSING_CLAUSE = "E014", "missing-clause", "A rule lacks a clause it must have (`title`, `binds`, `blocks when`/`warns when`).";
    MISPLACED_ITEM = "E015", "misplaced-item", "A declaration in a file of the wrong kind (`mute` in a rule file, `rule` without a header) or a header that disagrees with the file's name.";
    INVALID_FILTER = "E016", "invalid-filter", "A test that cannot stand where it is written (a history count inside a history filter).";
    INVALID_SCOPE = "E017", "invalid-scope", "A history test whose scopes cannot combine (`to this contact to this person`), or a scope written twice.";
}
