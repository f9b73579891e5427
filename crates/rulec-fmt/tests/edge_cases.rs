//! Errors, and layout cases that the fixtures do not show well.

mod common;
use common::check_round_trip;
use rulec_syntax::{parse, SourceFile};

fn fmt(text: &str) -> String {
    check_round_trip("edge.rules", text)
}

#[test]
fn a_file_with_syntax_errors_returns_the_parsers_diagnostics() {
    let broken = [
        // A misspelt clause keyword.
        "jurisdiction MA\nrule ma.x {\n  title \"x\"\n  blocks whn channel is voice\n}\n",
        // A missing closing brace, then a good rule.
        "jurisdiction MA\nrule ma.x {\n  title \"x\"\nrule ma.y {\n  title \"y\"\n}\n",
        // A second header (the parser drops it from the tree: formatting would lose it).
        "jurisdiction MA\nset a: day {Sunday}\njurisdiction NY\n",
        // A bad date and a bad time.
        "policy acme\nmute a.b { until 2027-1-01 }\nrule acme.x { blocks when local time is within 9:00 to 10:00 }\n",
        // An unterminated string.
        "jurisdiction MA\nrule ma.x { title \"x }\n",
    ];
    for text in broken {
        let source = SourceFile::new("broken.rules", text);
        let expected = parse(&source).diagnostics;
        assert!(!expected.is_empty(), "the parser accepts {text:?}");
        match rulec_fmt::format_source(&source) {
            Ok(out) => panic!("formatted a broken file {text:?} into {out:?}"),
            Err(diagnostics) => assert_eq!(diagnostics, expected),
        }
    }
}

#[test]
fn format_file_agrees_with_format_source() {
    let text = "jurisdiction MA\nrule ma.x{title \"x\" # why\nblocks when channel is voice}\n";
    let source = SourceFile::new("ma.rules", text);
    let parsed = parse(&source);
    assert_eq!(
        rulec_fmt::format_file(&parsed.file, text),
        rulec_fmt::format_source(&source).unwrap()
    );
}

#[test]
fn an_empty_file_stays_empty() {
    assert_eq!(fmt(""), "");
    // (A file of blank lines or comments only is a syntax error for the parser.)
}

#[test]
fn crlf_and_tabs_become_lf_and_spaces() {
    let text = "jurisdiction MA\r\n\r\n\r\n# a comment  \r\nrule ma.x {\r\n\ttitle\t\"x\"\t# trailing\t\r\n\r\n\r\n\tblocks when channel is voice\r\n}\r\n";
    assert_eq!(
        fmt(text),
        "jurisdiction MA\n\n# a comment\nrule ma.x {\n  title \"x\" # trailing\n\n  blocks when channel is voice\n}\n"
    );
}

#[test]
fn a_file_without_a_header() {
    assert_eq!(
        fmt("set a: day {Sunday}\nrule x.y {}"),
        "set a: day {Sunday}\n\nrule x.y {}\n"
    );
}

#[test]
fn comments_inside_one_line_declarations_are_hoisted() {
    let text = "jurisdiction # inside the header\n  MA\nuse a, # inside use\n  b\nextend a.* # inside extend\n  to creditor # trailing\n";
    assert_eq!(
        fmt(text),
        "# inside the header\njurisdiction MA\n\n# inside use\nuse a, b\n\n# inside extend\nextend a.* to creditor # trailing\n"
    );
}

#[test]
fn comments_in_a_mute_opener_move_into_the_body() {
    let text = "policy p\nmute # one\n a.b # two\n { # three\n reason \"r\" }\n";
    assert_eq!(
        fmt(text),
        "policy p\n\nmute a.b {\n  # one\n  # two\n  # three\n  reason \"r\"\n}\n"
    );
}

#[test]
fn doc_comments_stay_on_their_rule() {
    let text = "jurisdiction MA\nset a: day {Sunday} ## not a doc comment (trailing)\n## doc 1\n## doc 2\nrule ma.x {}\n## not doc\n\nrule ma.y {}\n";
    let out = fmt(text);
    assert_eq!(
        out,
        "jurisdiction MA\n\nset a: day {Sunday} ## not a doc comment (trailing)\n\n## doc 1\n## doc 2\nrule ma.x {}\n\n## not doc\n\nrule ma.y {}\n"
    );
    let parsed = parse(&SourceFile::new("x.rules", out));
    let docs: Vec<Vec<String>> = parsed
        .file
        .items
        .iter()
        .filter_map(|i| match i {
            rulec_syntax::ast::Item::Rule(r) => Some(r.doc.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        docs,
        vec![vec!["doc 1".to_string(), "doc 2".to_string()], vec![]]
    );
}

#[test]
fn a_set_at_the_limit_of_the_one_line_form() {
    // 3 elements and exactly 100 columns: one line; one more character: one element per line.
    let name = "x".repeat(100 - "set s: theme {a, b, }".len());
    let at_limit = format!("set s: theme {{a, b, {name}}}");
    assert_eq!(at_limit.chars().count(), 100);
    assert_eq!(fmt(&at_limit), format!("{at_limit}\n"));
    let over = format!("set s: theme {{a, b, {name}y}}");
    assert_eq!(
        fmt(&over),
        format!("set s: theme {{\n  a,\n  b,\n  {name}y,\n}}\n")
    );
    // 4 short elements: one per line.
    assert_eq!(
        fmt("set s: theme {a, b, c, d}"),
        "set s: theme {\n  a,\n  b,\n  c,\n  d,\n}\n"
    );
}

#[test]
fn a_condition_at_the_limit_of_the_width() {
    let prefix = "  blocks when channel is voice and loan.";
    let field = "f".repeat(100 - prefix.len() - " >= 1".len());
    let at_limit = format!("rule x.y {{\n{prefix}{field} >= 1\n}}\n");
    assert_eq!(fmt(&at_limit), at_limit);
    let over = format!("rule x.y {{\n{prefix}{field}f >= 1\n}}\n");
    assert_eq!(
        fmt(&over),
        format!("rule x.y {{\n  blocks when channel is voice\n      and loan.{field}f >= 1\n}}\n")
    );
}

#[test]
fn a_history_whose_window_and_scope_do_not_fit_together() {
    // The window (with a one-operand filter) fits on its line, but not with the scope.
    let set = "{attempted, connected, delivered, failed, canceled, voicemail, unknown}";
    let text = format!("rule x.y {{\n  unless any call since the last letter where status in {set} about this loan\n}}\n");
    assert_eq!(
        fmt(&text),
        format!("rule x.y {{\n  unless any call\n      since the last letter where status in {set}\n      about this loan\n}}\n")
    );
}

#[test]
fn long_history_filters_break_four_deeper_than_the_window() {
    let text = "rule x.y {\n  blocks when channel is voice and count of calls where status is connected and direction is outbound and theme in collection_themes since the last letter where status is delivered and direction is outbound and theme in collection_themes and contact.verified is true >= 2\n}\n";
    assert_eq!(
        fmt(text),
        "rule x.y {
  blocks when channel is voice
      and count of calls where status is connected
          and direction is outbound
          and theme in collection_themes
      since the last letter where status is delivered
          and direction is outbound
          and theme in collection_themes
          and contact.verified is true
      >= 2
}
"
    );
}

#[test]
fn strings_are_re_escaped() {
    let out = fmt("rule x.y { message \"a\\\"b\\\\c\\nd\\te\\qf\" }");
    assert_eq!(
        out,
        "rule x.y {\n  message \"a\\\"b\\\\c\\nd\\te\\qf\"\n}\n".replace("\\q", "q")
    );
}

/// Found by the `fmt_round_trip` fuzz target: a comment on its own line between a set element
/// and its comma, and a comment after the comma. The second used to join the element's line,
/// ahead of the first: comments changed order.
#[test]
fn a_comment_between_an_element_and_its_comma_keeps_its_place() {
    let text = "set collection_themes: theme {\n  opsCollDebt, # trailing\n  opsServicing\n\n  # between\n  , # after the comma\n  # before the brace\n}\n";
    let out = fmt(text);
    assert_eq!(
        out,
        "set collection_themes: theme {\n  opsCollDebt, # trailing\n  opsServicing,\n\n  # between\n  # after the comma\n  # before the brace\n}\n"
    );
}

#[test]
fn the_second_edition_constructs_print_as_written_and_round_trip() {
    // Loosely laid out; every construct keeps its own words (`from`, `after … and before`,
    // seconds, the zone, `recorded`, the length and its unit, the scopes in their order).
    let text = "jurisdiction DC\nrule dc.x {\n  title \"x\"\n  binds every role\n  blocks when time   in America/New_York is outside after 08:00 and before 21:00:30\n    or local time is within from 08:00 to 21:00\n    or day in America/New_York is Sunday\n    or date in America/New_York is a federal holiday\n    or consent electronicComms is recorded consented for less than 7 calendar days\n    or consent autodialedColl is revoked for at least 10 business days\n    or any case where createdAt is at least 72 hours ago and borrower.age at createdAt < 18\n    or count of calls where not replies to inbound within 7 days in the last 7 days about this loan to this person >= 4\n  unless replies to inbound\n}\n";
    let out = fmt(text);
    for words in [
        "time in America/New_York is outside after 08:00 and before 21:00:30",
        "local time is within from 08:00 to 21:00",
        "day in America/New_York is Sunday",
        "date in America/New_York is a federal holiday",
        "consent electronicComms is recorded consented for less than 7 calendar days",
        "consent autodialedColl is revoked for at least 10 business days",
        "createdAt is at least 72 hours ago and borrower.age at createdAt < 18",
        "not replies to inbound within 7 days",
        "about this loan to this person >= 4",
        "unless replies to inbound\n",
    ] {
        assert!(out.contains(words), "{words:?} not in\n{out}");
    }
}
