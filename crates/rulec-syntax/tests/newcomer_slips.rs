//! The commonest slips of people who know another language get a diagnostic in this language's
//! words, with the fix (`rulec lint --fix` applies it); a byte-order mark is not an error.

use rulec_syntax::{parse, SourceFile};

/// The one diagnostic of a rule whose `blocks when` condition is `condition`: (message, the
/// text its fix replaces, the replacement).
fn slip(condition: &str) -> (String, String, String) {
    let text = format!(
        "jurisdiction MA\n\nrule ma.x {{\n  title \"x\"\n  cites \"c\"\n  binds collector\n  blocks when {condition}\n}}\n"
    );
    let parsed = parse(&SourceFile::new("rules/states/MA.rules", text.clone()));
    assert_eq!(parsed.diagnostics.len(), 1, "{condition}: {:#?}", parsed.diagnostics);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.code, "E001");
    let fix = d.fix.as_ref().unwrap_or_else(|| panic!("{condition}: no fix"));
    (d.message.clone(), text[fix.span.start..fix.span.end].to_string(), fix.replacement.clone())
}

#[test]
fn equality_operators_become_the_test_the_context_needs() {
    let (message, old, new) = slip("channel = text");
    assert_eq!(message, "`=` compares numbers: write `is` here");
    assert_eq!((old.as_str(), new.as_str()), ("=", "is"));

    let (message, old, new) = slip("channel == text");
    assert_eq!(message, "`==` is not an operator of the rule language: write `is`");
    assert_eq!((old.as_str(), new.as_str()), ("==", "is"));

    let (_, old, new) = slip("channel != text");
    assert_eq!((old.as_str(), new.as_str()), ("!=", "is not"));

    let (_, old, new) = slip("theme = {opsCollDebt, opsCollPmt}");
    assert_eq!((old.as_str(), new.as_str()), ("=", "in"));

    let (_, old, new) = slip("theme != {opsCollDebt}");
    assert_eq!((old.as_str(), new.as_str()), ("!=", "not in"));

    // A count compares numbers: `==` is `=` there.
    let (message, old, new) = slip("count of calls in the last 7 days == 7");
    assert_eq!(message, "`==` is not an operator of the rule language: write `=`");
    assert_eq!((old.as_str(), new.as_str()), ("==", "="));
}

#[test]
fn logical_operators_become_words() {
    let (message, old, new) = slip("channel is voice && theme is opsCollDebt");
    assert_eq!(message, "`&&` is not an operator of the rule language: write `and`");
    assert_eq!((old.as_str(), new.as_str()), ("&&", "and"));

    let (_, old, new) = slip("channel is voice || channel is text");
    assert_eq!((old.as_str(), new.as_str()), ("||", "or"));

    let (message, old, new) = slip("!contact.receiveTextMessages");
    assert_eq!(message, "`!` is not an operator of the rule language: write `not`");
    assert_eq!((old.as_str(), new.as_str()), ("!", "not "));
}

#[test]
fn valid_comparisons_are_not_slips() {
    for condition in ["loan.daysPastDue = 30", "loan.daysPastDue != 30", "count of calls in the last 7 days >= 7"] {
        let text = format!("jurisdiction MA\n\nrule ma.x {{\n  title \"x\"\n  cites \"c\"\n  binds collector\n  blocks when {condition}\n}}\n");
        let parsed = parse(&SourceFile::new("rules/states/MA.rules", text));
        assert!(parsed.diagnostics.is_empty(), "{condition}: {:#?}", parsed.diagnostics);
    }
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let text = "\u{FEFF}jurisdiction MA\n\nrule ma.x {\n  title \"x\"\n  cites \"c\"\n  binds collector\n  blocks when channel is voice\n}\n";
    let parsed = parse(&SourceFile::new("rules/states/MA.rules", text));
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    assert!(parsed.file.header.is_some());
    assert_eq!(parsed.file.items.len(), 1);
}
