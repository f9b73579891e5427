//! docs/language.md lists the values of every small vocabulary in two tables (set kinds, and
//! the fields a rule can test); they must list exactly the model's values, so that the
//! reference never drifts from what the checker accepts.

use rulec_model::EnumKind;

fn language_md() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/language.md")).expect("docs/language.md")
}

/// The backquoted words of cell `column` (0 = the key's own cell) of every table row whose first
/// cell is `` `key` ``, in document order.
fn rows(doc: &str, key: &str, column: usize) -> Vec<Vec<String>> {
    let prefix = format!("| `{key}` |");
    doc.lines()
        .filter(|l| l.starts_with(&prefix))
        .map(|line| {
            let cell = line.split('|').nth(1 + column).unwrap_or_default();
            cell.split('`').nth(1).unwrap_or_default().split_whitespace().map(str::to_string).collect()
        })
        .collect()
}

fn names(kind: EnumKind) -> Vec<String> {
    kind.names().iter().map(|n| n.to_string()).collect()
}

#[test]
fn set_kinds_table_lists_every_value() {
    let doc = language_md();
    for &(key, kind) in rulec_check::SET_KINDS {
        // The kinds table: `| kind | values | used with |`; themes and subjects are too many
        // for a cell and have a section of their own.
        let found = rows(&doc, key, 1);
        assert!(!found.is_empty(), "docs/language.md has no row for set kind `{key}`");
        if matches!(kind, EnumKind::Theme | EnumKind::Subject) {
            continue;
        }
        assert_eq!(found[0], names(kind), "docs/language.md, set kind `{key}`");
    }
}

#[test]
fn fields_table_lists_every_value() {
    let doc = language_md();
    for (key, kind) in [
        ("contact.contactType", EnumKind::ContactType),
        ("contact.label", EnumKind::ContactLabel),
        ("contact.affiliation", EnumKind::Affiliation),
        ("contact.status", EnumKind::ContactStatus),
        ("loan.status", EnumKind::LoanStatus),
        ("loan.debtType", EnumKind::DebtType),
        ("borrower.personType", EnumKind::PersonType),
    ] {
        // The fields table: `| field | type | values / default |`.
        let found = rows(&doc, key, 2);
        assert!(!found.is_empty(), "docs/language.md has no row for field `{key}`");
        for values in found {
            assert_eq!(values, names(kind), "docs/language.md, field `{key}`");
        }
    }
}
