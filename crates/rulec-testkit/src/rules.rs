//! Generated rule files for property tests: syntactically valid text (every construct of the
//! grammar: sets, rules with every clause in any order, conditions nested with `and`, `or`,
//! `not` and parentheses, history and case tests, comments and doc comments), laid out at
//! random ([`mangle`]) so that a formatter has work to do.
//!
//! The files parse; they need not check (names of sets are not resolved, say), which is what the
//! formatter's guarantees are about.

use proptest::prelude::*;

fn one_of(options: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    proptest::sample::select(options).prop_map(str::to_string)
}

fn time() -> impl Strategy<Value = String> + Clone {
    (0u32..24, 0u32..60).prop_map(|(h, m)| format!("{h:02}:{m:02}"))
}

fn date() -> impl Strategy<Value = String> + Clone {
    (2000u32..2100, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

/// A quoted text, with the escapes the language has.
pub fn string() -> impl Strategy<Value = String> + Clone {
    proptest::collection::vec(
        prop_oneof![
            one_of(&["a", "call", " ", "7", "{count}", "{loan}", "é", "日本", "—", ","]),
            one_of(&["\\\"", "\\\\", "\\n", "\\t"]),
        ],
        0..8,
    )
    .prop_map(|parts| format!("\"{}\"", parts.concat()))
}

fn value_set(values: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    proptest::sample::subsequence(values, 1..=values.len().min(4)).prop_map(|v| format!("{{{}}}", v.join(", ")))
}

const CHANNELS: &[&str] = &["voice", "text", "email", "letter"];
const DAYS: &[&str] = &["Monday", "Saturday", "Sunday"];

fn history() -> impl Strategy<Value = String> + Clone {
    let noun = one_of(&["calls", "call", "texts", "interactions", "emails", "letters", "interaction"]);
    let filter = proptest::option::of(one_of(&[
        "where direction is outbound",
        "where status in {attempted, connected}",
        "where direction is outbound and status is connected",
        "where (status is connected or isAutodialed)",
        "where not channel is voice",
    ]));
    let window = prop_oneof![
        (1u32..60).prop_map(|n| format!("in the last {n} calendar days")),
        (1u32..60, one_of(&["minutes", "hours", "days", "hour", "day", "minute"]))
            .prop_map(|(n, u)| format!("in the last {n} {u}")),
        Just("today".to_string()),
        one_of(DAYS).prop_map(|d| format!("this calendar week starting {d}")),
        Just("this calendar month".to_string()),
        Just("since the last call where status is connected".to_string()),
        Just("since the last interaction".to_string()),
    ];
    let scope = proptest::option::of(one_of(&[
        "about this loan",
        "to this contact",
        "for this borrower",
        "to this person",
        "to this person about this loan",
        "about this loan to this contact",
    ]));
    (noun, filter, window, scope).prop_map(|(noun, filter, window, scope)| {
        let mut parts = vec![noun];
        parts.extend(filter);
        parts.push(window);
        parts.extend(scope);
        parts.join(" ")
    })
}

/// One test of the condition language.
pub fn atom() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        one_of(CHANNELS).prop_map(|c| format!("channel is {c}")),
        one_of(CHANNELS).prop_map(|c| format!("channel is not {c}")),
        value_set(CHANNELS).prop_map(|s| format!("channel in {s}")),
        value_set(CHANNELS).prop_map(|s| format!("channel not in {s}")),
        Just("theme in collection_themes".to_string()),
        (one_of(&["within", "outside"]), time(), time()).prop_map(|(op, a, b)| format!("local time is {op} {a} to {b}")),
        (one_of(&["local time", "time in America/New_York", "time in Pacific/Honolulu"]), one_of(&["within", "outside"]), time(), time())
            .prop_map(|(clock, op, a, b)| format!("{clock} is {op} after {a}:30 and before {b}")),
        (one_of(&["day in America/Chicago is Sunday", "date in America/New_York is a federal holiday", "local time is within from 08:00:00 to 21:00"])),
        (one_of(&["at least", "less than"]), 1u32..40, one_of(&["minutes", "hours", "days", "calendar days", "business days", "business day"]))
            .prop_map(|(op, n, unit)| format!("consent autodialedColl is revoked for {op} {n} {unit}")),
        one_of(&["consent electronicComms is recorded consented", "replies to inbound", "replies to inbound within 7 days"]),
        (one_of(&["createdAt", "closedAt"]), one_of(&["at least", "less than"]), 1u32..100)
            .prop_map(|(at, op, n)| format!("any case where {at} is {op} {n} hours ago and borrower.age at createdAt < 18")),
        one_of(DAYS).prop_map(|d| format!("local day is {d}")),
        value_set(DAYS).prop_map(|s| format!("local day in {s}")),
        Just("local date is a federal holiday".to_string()),
        Just("local date is not a federal holiday".to_string()),
        (one_of(&["within", "outside"]), date(), date()).prop_map(|(op, a, b)| format!("local date is {op} {a} to {b}")),
        one_of(&["consent autodialedColl is revoked", "consent contactPersonWork is consented"]),
        (history(), one_of(&[">=", "<=", "!=", ">", "<", "="]), 0u32..100).prop_map(|(h, op, n)| format!("count of {h} {op} {n}")),
        history().prop_map(|h| format!("any {h}")),
        one_of(&["any case", "any cases where caseType is bankruptcy", "any case where caseType is bankruptcy and status in {processing, completed} about this loan"]),
        Just("do not interact is active".to_string()),
        (one_of(&[">=", "<", "="]), 0u32..400).prop_map(|(op, n)| format!("loan.daysPastDue {op} {n}")),
        one_of(&["contact.verified", "isAutodialed is true", "contact.label is work", "borrower.personType is not person"]),
    ]
}

/// A condition: atoms under `not`, parentheses, `and` and `or`, a few levels deep.
pub fn condition() -> impl Strategy<Value = String> + Clone {
    atom().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("not {c}")),
            inner.clone().prop_map(|c| format!("({c})")),
            proptest::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join(" and ")),
            proptest::collection::vec(inner, 2..4).prop_map(|v| v.join(" or ")),
        ]
    })
}

fn comment() -> impl Strategy<Value = String> + Clone {
    one_of(&["# a note", "#", "# TODO: check (b)(2)", "#\tindented # twice", "# \"quoted\" {braces}"])
}

fn clause() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        string().prop_map(|s| format!("title {s}")),
        proptest::collection::vec(string(), 1..3).prop_map(|v| format!("cites {}", v.join(", "))),
        one_of(&["binds collector", "binds every role", "binds creditor, servicer", "binds collector, creditor, servicer"]),
        prop_oneof![
            date().prop_map(|d| format!("effective from {d}")),
            date().prop_map(|d| format!("effective until {d}")),
            (date(), date()).prop_map(|(a, b)| format!("effective from {a} until {b}")),
        ],
        one_of(&["locality nyc", "locality boston"]),
        condition().prop_map(|c| format!("applies when {c}")),
        condition().prop_map(|c| format!("blocks when {c}")),
        condition().prop_map(|c| format!("warns when {c}")),
        condition().prop_map(|c| format!("unless {c}")),
        string().prop_map(|s| format!("message {s}")),
        comment(),
    ]
}

/// A rule with its clauses (any, in any order: the formatter never reorders).
pub fn rule() -> impl Strategy<Value = String> + Clone {
    (0u32..1000, proptest::collection::vec(clause(), 0..7), proptest::option::of(comment())).prop_map(|(n, clauses, doc)| {
        let mut out = String::new();
        if let Some(doc) = doc {
            out.push_str(&format!("#{doc}\n"));
        }
        out.push_str(&format!("rule ma.rule_{n} {{\n"));
        for clause in clauses {
            out.push_str(&format!("  {clause}\n"));
        }
        out.push_str("}\n");
        out
    })
}

fn set() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        value_set(CHANNELS).prop_map(|s| format!("set some_channels: channel {s}\n")),
        value_set(&["opsCollDebt", "opsCollLocateBorrower", "opsServicing"]).prop_map(|s| format!("set collection_themes: theme {s}\n")),
        Just("set nothing: channel {}\n".to_string()),
    ]
}

/// A state rule file (`jurisdiction MA`, or no header) of sets, rules and comments, in the
/// canonical-ish layout of one space between tokens; see [`mangle`] for the rest.
pub fn rule_file() -> impl Strategy<Value = String> + Clone {
    let item = prop_oneof![4 => rule(), 1 => set(), 1 => comment().prop_map(|c| format!("{c}\n"))];
    (proptest::option::of(comment()), any::<bool>(), proptest::collection::vec(item, 0..5)).prop_map(|(lead, header, items)| {
        let mut out = String::new();
        if let Some(lead) = lead {
            out.push_str(&format!("{lead}\n\n"));
        }
        if header {
            out.push_str("jurisdiction MA\n\n");
        }
        for item in items {
            out.push_str(&item);
            out.push('\n');
        }
        out
    })
}

/// A layout of `text` that means the same: each space between tokens (outside texts and
/// comments) kept, doubled, made a tab, or made a line break with some indent, as `seed` says;
/// lines indented at random; line ends `\n` or `\r\n`. A line break never lands before a word
/// that would start a new clause or item (the parser cuts there), and never inside an item's
/// first line.
pub fn mangle(text: &str, seed: u64) -> String {
    let mut rng = crate::XorShift::new(seed);
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, true),
            None => (line, false),
        };
        let trimmed = body.trim_start();
        if !trimmed.is_empty() {
            out.push_str(["", " ", "    ", "\t", "  "][rng.below(5)]);
        }
        let first_line_of_item = !body.starts_with(' ') && !trimmed.starts_with('#');
        let mut in_string = false;
        let mut escaped = false;
        let mut in_comment = false;
        let chars: Vec<char> = trimmed.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if in_comment {
                out.push(c);
                continue;
            }
            if in_string {
                out.push(c);
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
                continue;
            }
            match c {
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                '#' => {
                    in_comment = true;
                    out.push(c);
                }
                ' ' => {
                    let next_word: String = chars[i + 1..].iter().take_while(|c| c.is_alphanumeric() || **c == '_').collect();
                    let breakable = !first_line_of_item && !RISKY_LINE_STARTS.contains(&next_word.as_str());
                    match rng.below(8) {
                        0 => out.push_str("  "),
                        1 => out.push('\t'),
                        2 | 3 if breakable => out.push_str(["\n      ", "\n  ", "\n        "][rng.below(3)]),
                        _ => out.push(' '),
                    }
                }
                _ => out.push(c),
            }
        }
        if rng.below(6) == 0 {
            out.push_str("   ");
        }
        if end {
            out.push_str(if rng.below(4) == 0 { "\r\n" } else { "\n" });
            if rng.below(8) == 0 {
                out.push('\n');
            }
        }
    }
    out
}

/// Words the parser cuts before when they start a line (clause and item keywords).
const RISKY_LINE_STARTS: &[&str] = &[
    "title", "cites", "binds", "effective", "locality", "applies", "blocks", "warns", "unless", "message",
    "jurisdiction", "policy", "set", "rule", "use", "mute", "extend",
];
