//! Rule ids whose first segment is a reserved word: Oregon's (`or.`) and Indiana's (`in.`)
//! rules must parse, and a bare reserved word is still not a rule pattern.

use rulec_syntax::{parse, SourceFile};

fn errors(text: &str) -> Vec<String> {
    let parsed = parse(&SourceFile::new("rules/states/OR.rules", text));
    parsed.diagnostics.iter().map(|d| d.message.clone()).collect()
}

#[test]
fn state_prefixes_that_are_reserved_words_parse() {
    let rule = "jurisdiction OR\nrule or.calling_hours {\n  title \"t\"\n  cites \"c\"\n  binds collector\n  blocks when local time is outside 08:00 to 21:00\n}\n";
    assert_eq!(errors(rule), Vec::<String>::new());
    let policy = "policy p\nmute in.call_limit {\n  reason \"r\"\n  approved by \"a\"\n  until 2030-01-01\n}\nextend or.* to creditor\n";
    assert_eq!(errors(policy), Vec::<String>::new());
}

#[test]
fn a_bare_reserved_word_is_not_a_rule_pattern() {
    let policy = "policy p\nextend or to creditor\n";
    assert!(!errors(policy).is_empty());
}
