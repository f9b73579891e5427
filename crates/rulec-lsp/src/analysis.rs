//! What an editor asks of a rule set, answered without any protocol: the names written in a
//! file and what each one is, hovers, completions, definitions, references and symbols. Offsets
//! are byte offsets into a file's text; `server.rs` converts them to editor positions.

use rulec_check::checked::RuleSet;
use rulec_check::{check_sources, CheckOptions, Checked, FileDiagnostic};
use rulec_model::{field, fields, EnumKind, FieldType, Record};
use rulec_syntax::ast::{self, ExprKind, Item, SetExpr, Test, Value};
use rulec_syntax::{parse, SourceFile, Span};

/// The rule files of a workspace, checked together.
pub struct Workspace {
    pub sources: Vec<SourceFile>,
    pub checked: Checked,
    /// Per source, the names written in it.
    names: Vec<Vec<Name>>,
    /// Per source, its parsed items (for sets and mutes).
    files: Vec<ast::File>,
}

/// A name written in a file, and what it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub span: Span,
    pub kind: NameKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// `rule ID {`
    RuleDef(String),
    /// A rule id or pattern in a `mute` or `extend`.
    RuleRef { pattern: String, wildcard: bool },
    /// `set NAME: …`
    SetDef(String),
    /// A named set used in a test.
    SetRef(String),
    /// A field such as `contact.label`, with its type when the data model has it.
    Field { path: String, ty: Option<FieldType> },
    /// A value of a closed list (`voice`), with the list when known.
    Value { name: String, kind: Option<EnumKind> },
    /// An IANA zone of a fixed-zone test.
    Zone(String),
}

/// What completes at a place in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub detail: String,
    pub kind: CompletionKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Field,
    Value,
    Set,
    Rule,
    Placeholder,
}

/// A rule, set or mute of a file, for the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: String,
    pub kind: SymbolKind,
    pub span: Span,
    pub name_span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Rule,
    Set,
    Mute,
}

impl Workspace {
    /// Parses and checks the files together. `today` judges expiries (lints).
    pub fn new(sources: Vec<SourceFile>, options: &CheckOptions) -> Workspace {
        let checked = check_sources(&sources, options);
        let files: Vec<ast::File> = sources.iter().map(|s| parse(s).file).collect();
        let names = files.iter().map(names_in).collect();
        Workspace { sources, checked, names, files }
    }

    /// The index of the source with this path.
    pub fn file(&self, path: &str) -> Option<usize> {
        self.sources.iter().position(|s| s.path == path)
    }

    /// The diagnostics of one file.
    pub fn diagnostics(&self, file: usize) -> impl Iterator<Item = &FileDiagnostic> {
        self.checked.diagnostics.iter().filter(move |d| d.file == file)
    }

    pub fn rule_set(&self) -> &RuleSet {
        &self.checked.rule_set
    }

    /// The name under an offset (the end of a name counts, where a cursor stands after it).
    pub fn name_at(&self, file: usize, offset: usize) -> Option<&Name> {
        self.names.get(file)?.iter().find(|n| n.span.start <= offset && offset <= n.span.end)
    }

    /// Markdown describing the name under an offset.
    pub fn hover(&self, file: usize, offset: usize) -> Option<(Span, String)> {
        let name = self.name_at(file, offset)?;
        let text = match &name.kind {
            NameKind::RuleDef(id) => self.describe_rule(id)?,
            NameKind::RuleRef { pattern, wildcard: false } => {
                let mut text = self.describe_rule(pattern)?;
                if let Some(mute) = self.mute_at(file, offset) {
                    text.push_str(&format!("\n\n**Muted** until {}: {} (approved by {})", mute.2, mute.0, mute.1));
                }
                text
            }
            NameKind::RuleRef { pattern, wildcard: true } => {
                let ids: Vec<&str> = self.rule_set().rules.iter().map(|r| r.id.as_str()).filter(|id| id.starts_with(&format!("{pattern}."))).collect();
                let mut text = format!("`{pattern}.*`: {} rules\n\n{}", ids.len(), ids.iter().map(|i| format!("- `{i}`")).collect::<Vec<_>>().join("\n"));
                if let Some(mute) = self.mute_at(file, offset) {
                    text.push_str(&format!("\n\n**Muted** until {}: {} (approved by {})", mute.2, mute.0, mute.1));
                }
                text
            }
            NameKind::SetDef(set) | NameKind::SetRef(set) => self.describe_set(set)?,
            NameKind::Field { path, ty } => match ty {
                Some(FieldType::Enum(kind)) => format!("`{path}`: {}\n\nValues: {}", kind.describe(), list(kind.names())),
                Some(ty) => format!("`{path}`: {}", ty.describe()),
                None => format!("`{path}`: not a field of the data model"),
            },
            NameKind::Value { name, kind: Some(kind) } => format!("`{name}`: {}\n\nThe list: {}", kind.describe(), list(kind.names())),
            NameKind::Value { name, kind: None } => format!("`{name}`"),
            NameKind::Zone(zone) => format!("`{zone}`: the test is judged in this IANA time zone only, not in the borrower's zones"),
        };
        Some((name.span, text))
    }

    fn describe_rule(&self, id: &str) -> Option<String> {
        let rule = self.rule_set().rule(id)?;
        let mut text = format!("**{}** — {}\n\n", rule.id, rule.title);
        if !rule.citations.is_empty() {
            text.push_str(&format!("Cites: {}\n\n", rule.citations.join("; ")));
        }
        let roles: Vec<&str> = rule.roles.iter().map(|r| rulec_model::Vocabulary::name(r)).collect();
        text.push_str(&format!("Binds: {} · {} · {}", roles.join(", "), rule.jurisdiction.label(), severity(rule)));
        match (rule.effective_from, rule.effective_until) {
            (None, None) => {}
            (from, until) => text.push_str(&format!(
                " · in force {}{}",
                from.map_or(String::new(), |d| format!("from {d} ")),
                until.map_or(String::new(), |d| format!("until {d}"))
            )),
        }
        if !rule.doc.is_empty() {
            text.push_str("\n\n---\n\n");
            text.push_str(&rule.doc.join("\n"));
        }
        Some(text)
    }

    fn describe_set(&self, name: &str) -> Option<String> {
        self.files.iter().flat_map(|f| &f.items).find_map(|item| match item {
            Item::Set(set) if set.name.name == name => {
                let members: Vec<String> = set.elements.iter().map(value_text).collect();
                Some(format!("set `{name}`: {}\n\n{}", set.kind.name, members.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")))
            }
            _ => None,
        })
    }

    /// The mute whose target is under an offset: (reason, approver, until).
    fn mute_at(&self, file: usize, offset: usize) -> Option<(String, String, String)> {
        self.files.get(file)?.items.iter().find_map(|item| match item {
            Item::Mute(m) if m.target.span.start <= offset && offset <= m.target.span.end => {
                let mut mute = (String::new(), String::new(), String::new());
                for clause in &m.clauses {
                    match clause {
                        ast::MuteClause::Reason(s, _) => mute.0 = s.value.clone(),
                        ast::MuteClause::ApprovedBy(s, _) => mute.1 = s.value.clone(),
                        ast::MuteClause::Until(d, _) => mute.2 = format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
                    }
                }
                Some(mute)
            }
            _ => None,
        })
    }

    /// Where the set or rule named under an offset is defined: (file, span of its name).
    pub fn definition(&self, file: usize, offset: usize) -> Option<(usize, Span)> {
        let name = self.name_at(file, offset)?;
        match &name.kind {
            NameKind::SetRef(set) | NameKind::SetDef(set) => self.find(|k| matches!(k, NameKind::SetDef(s) if s == set)).next(),
            NameKind::RuleRef { pattern, wildcard: false } | NameKind::RuleDef(pattern) => {
                self.find(|k| matches!(k, NameKind::RuleDef(id) if id == pattern)).next()
            }
            _ => None,
        }
    }

    /// Every place the set or rule named under an offset is written, its definition included.
    pub fn references(&self, file: usize, offset: usize) -> Vec<(usize, Span)> {
        let Some(name) = self.name_at(file, offset) else { return Vec::new() };
        match &name.kind {
            NameKind::SetRef(set) | NameKind::SetDef(set) => {
                self.find(|k| matches!(k, NameKind::SetDef(s) | NameKind::SetRef(s) if s == set)).collect()
            }
            NameKind::RuleRef { pattern: id, wildcard: false } | NameKind::RuleDef(id) => self
                .find(|k| match k {
                    NameKind::RuleDef(d) => d == id,
                    NameKind::RuleRef { pattern, wildcard } => pattern == id || (*wildcard && id.starts_with(&format!("{pattern}."))),
                    _ => false,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn find<'a>(&'a self, wanted: impl Fn(&NameKind) -> bool + 'a) -> impl Iterator<Item = (usize, Span)> + 'a {
        self.names.iter().enumerate().flat_map(move |(f, names)| names.iter().filter(|n| wanted(&n.kind)).map(move |n| (f, n.span)).collect::<Vec<_>>())
    }

    /// The rules, sets and mutes of a file.
    pub fn symbols(&self, file: usize) -> Vec<Symbol> {
        let Some(parsed) = self.files.get(file) else { return Vec::new() };
        parsed
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Rule(r) => Some(Symbol {
                    name: r.id.name.clone(),
                    detail: self.rule_set().rule(&r.id.name).map_or(String::new(), |rule| rule.title.clone()),
                    kind: SymbolKind::Rule,
                    span: r.span,
                    name_span: r.id.span,
                }),
                Item::Set(s) => Some(Symbol { name: s.name.name.clone(), detail: s.kind.name.clone(), kind: SymbolKind::Set, span: s.span, name_span: s.name.span }),
                Item::Mute(m) => Some(Symbol {
                    name: format!("mute {}{}", m.target.text, if m.target.wildcard { ".*" } else { "" }),
                    detail: String::new(),
                    kind: SymbolKind::Mute,
                    span: m.span,
                    name_span: m.target.span,
                }),
                _ => None,
            })
            .collect()
    }

    /// What completes at an offset, judged from the text before it on its line.
    pub fn completions(&self, file: usize, offset: usize) -> Vec<Completion> {
        let Some(source) = self.sources.get(file) else { return Vec::new() };
        let text = &source.text[..offset.min(source.text.len())];
        let line = text.rsplit('\n').next().unwrap_or("");
        complete(line, self)
    }

    fn set_names(&self, kind: Option<&str>) -> Vec<(String, String)> {
        self.files
            .iter()
            .flat_map(|f| &f.items)
            .filter_map(|item| match item {
                Item::Set(s) if kind.is_none_or(|k| s.kind.name == k) => Some((s.name.name.clone(), s.kind.name.clone())),
                _ => None,
            })
            .collect()
    }
}

fn severity(rule: &rulec_check::checked::Rule) -> &'static str {
    match rule.severity {
        rulec_check::checked::Severity::Block => "blocks",
        rulec_check::checked::Severity::Warn => "warns",
    }
}

fn list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Name(i) => i.name.clone(),
        Value::Bool(b, _) => b.to_string(),
        Value::Int(i) => i.value.to_string(),
        Value::Str(s) => format!("\"{}\"", s.value),
    }
}

// ---------------------------------------------------------------- names in a file

/// Which record bare field names belong to.
#[derive(Clone, Copy)]
enum Context {
    Request,
    Interaction,
    Case,
}

/// The type of a field path in a context (`contact.label` anywhere but a case filter).
fn field_type(path: &str, context: Context) -> Option<FieldType> {
    let (record, name) = match (path.split_once('.'), context) {
        (Some(("contact", n)), Context::Request | Context::Interaction) => (Record::Contact, n),
        (Some(("loan", n)), Context::Request) => (Record::Loan, n),
        (Some(("borrower", n)), Context::Request | Context::Case) => (Record::Borrower, n),
        (None, Context::Request) => (Record::Request, path),
        (None, Context::Interaction) => (Record::Interaction, path),
        (None, Context::Case) => (Record::Case, path),
        _ => return None,
    };
    field(record, name).map(|f| f.ty)
}

fn names_in(file: &ast::File) -> Vec<Name> {
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            Item::Set(set) => {
                out.push(Name { span: set.name.span, kind: NameKind::SetDef(set.name.name.clone()) });
                let kind = rulec_check::SET_KINDS.iter().find(|(k, _)| *k == set.kind.name).map(|(_, kind)| *kind);
                values(&set.elements, kind, &mut out);
            }
            Item::Rule(rule) => {
                out.push(Name { span: rule.id.span, kind: NameKind::RuleDef(rule.id.name.clone()) });
                for clause in &rule.clauses {
                    if let ast::ClauseKind::Applies(e) | ast::ClauseKind::Verdict { condition: e, .. } | ast::ClauseKind::Unless(e) = &clause.kind {
                        expr(e, Context::Request, &mut out);
                    }
                }
            }
            Item::Mute(m) => out.push(Name { span: m.target.span, kind: NameKind::RuleRef { pattern: m.target.text.clone(), wildcard: m.target.wildcard } }),
            Item::Extend(x) => out.push(Name { span: x.target.span, kind: NameKind::RuleRef { pattern: x.target.text.clone(), wildcard: x.target.wildcard } }),
            Item::Use(_) => {}
        }
    }
    out
}

fn values(elements: &[Value], kind: Option<EnumKind>, out: &mut Vec<Name>) {
    for v in elements {
        if let Value::Name(i) = v {
            out.push(Name { span: i.span, kind: NameKind::Value { name: i.name.clone(), kind } });
        }
    }
}

fn test(t: &Test, kind: Option<EnumKind>, out: &mut Vec<Name>) {
    match t {
        Test::Is { value, .. } => values(std::slice::from_ref(value), kind, out),
        Test::In { set: SetExpr::Named(n), .. } => out.push(Name { span: n.span, kind: NameKind::SetRef(n.name.clone()) }),
        Test::In { set: SetExpr::Literal { elements, .. }, .. } => values(elements, kind, out),
        Test::Number { .. } => {}
    }
}

fn expr(e: &ast::Expr, context: Context, out: &mut Vec<Name>) {
    let zone = |z: &Option<ast::Ident>, out: &mut Vec<Name>| {
        if let Some(z) = z {
            out.push(Name { span: z.span, kind: NameKind::Zone(z.name.clone()) });
        }
    };
    match &e.kind {
        ExprKind::Or(parts) | ExprKind::And(parts) => parts.iter().for_each(|p| expr(p, context, out)),
        ExprKind::Not(inner) | ExprKind::Paren(inner) => expr(inner, context, out),
        ExprKind::Compare { field, test: t } => {
            let ty = field_type(&field.name, context);
            out.push(Name { span: field.span, kind: NameKind::Field { path: field.name.clone(), ty } });
            let kind = match ty {
                Some(FieldType::Enum(kind)) => Some(kind),
                _ => None,
            };
            if let Some(t) = t {
                test(t, kind, out);
            }
        }
        ExprKind::LocalTime { zone: z, .. } | ExprKind::FederalHoliday { zone: z, .. } | ExprKind::LocalDate { zone: z, .. } => zone(z, out),
        ExprKind::LocalDay { zone: z, test: t } => {
            zone(z, out);
            test(t, Some(EnumKind::Weekday), out);
        }
        ExprKind::Consent { name, value, .. } => {
            out.push(Name { span: name.span, kind: NameKind::Value { name: name.name.clone(), kind: Some(EnumKind::ConsentName) } });
            out.push(Name { span: value.span, kind: NameKind::Value { name: value.name.clone(), kind: Some(EnumKind::ConsentValue) } });
        }
        ExprKind::Count { history, .. } | ExprKind::Any(history) => {
            if let Some(f) = &history.filter {
                expr(f, Context::Interaction, out);
            }
            if let ast::Window::SinceLast { filter: Some(f), .. } = &history.window {
                expr(f, Context::Interaction, out);
            }
        }
        ExprKind::AnyCase { filter: Some(f), .. } => expr(f, Context::Case, out),
        ExprKind::AgeAt { field, .. } => out.push(Name { span: field.span, kind: NameKind::Field { path: field.name.clone(), ty: Some(FieldType::Int) } }),
        _ => {}
    }
}

// ---------------------------------------------------------------- completion

const CLAUSE_KEYWORDS: &[(&str, &str)] = &[
    ("title", "one line naming the obligation"),
    ("cites", "the sources"),
    ("binds", "the company roles the rule binds"),
    ("effective from", "the first day in force"),
    ("applies when", "which requests the rule looks at"),
    ("blocks when", "when it forbids the request"),
    ("warns when", "when it only warns"),
    ("unless", "an exception"),
    ("message", "what a decision shows"),
];

const CONDITION_KEYWORDS: &[(&str, &str)] = &[
    ("local time is outside", "hours in the borrower's zones"),
    ("local day is", "a day of the week"),
    ("local date is a federal holiday", "US federal holidays"),
    ("time in America/New_York is outside", "hours in a fixed zone"),
    ("consent", "a consent's value"),
    ("count of", "a count of past interactions"),
    ("any", "a past interaction or a case"),
    ("do not interact is active", "an active Do Not Interact"),
    ("replies to inbound", "answers the person's own call"),
    ("not", "negation"),
];

/// Completions for the text of a line up to the cursor.
fn complete(line: &str, ws: &Workspace) -> Vec<Completion> {
    let trimmed = line.trim_start();
    let item = |label: &str, detail: &str, kind| Completion { label: label.to_string(), detail: detail.to_string(), kind };
    // Inside a message: placeholders after an open brace.
    if trimmed.starts_with("message ") && line.rfind('{').is_some_and(|i| !line[i..].contains('}')) {
        return rulec_check::checked::Figure::ALL.iter().map(|(n, _)| item(n, "a figure the evaluator fills in", CompletionKind::Placeholder)).collect();
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let ends_with_space = line.ends_with(' ') || line.ends_with('{') || line.ends_with(',');
    // The words before the one being typed.
    let before: &[&str] = if ends_with_space { &words } else { &words[..words.len().saturating_sub(1)] };
    let last = |n: usize| before.len().checked_sub(n).map(|i| before[i]);
    // Rule ids after `mute` and `extend`.
    if matches!(last(1), Some("mute" | "extend")) {
        return ws.rule_set().rules.iter().map(|r| item(&r.id, &r.title, CompletionKind::Rule)).collect();
    }
    // Consents.
    if last(1) == Some("consent") {
        return EnumKind::ConsentName.names().iter().map(|n| item(n, "a consent", CompletionKind::Value)).collect();
    }
    if last(2) == Some("consent") && last(0).is_none() || (last(3) == Some("consent") && last(1) == Some("is")) {
        let mut out: Vec<Completion> = EnumKind::ConsentValue.names().iter().map(|n| item(n, "a consent value", CompletionKind::Value)).collect();
        out.push(item("recorded", "only a consent the scenario lists", CompletionKind::Keyword));
        return out;
    }
    // Values after `FIELD is [not]` or `FIELD [not] in {…`; set names after `in`.
    let in_braces = line.rfind('{').is_some_and(|i| !line[i..].contains('}'));
    let field_before = before.iter().rev().find_map(|w| {
        let w = w.trim_start_matches('(');
        [Context::Request, Context::Interaction, Context::Case].into_iter().find_map(|c| match field_type(w, c) {
            Some(FieldType::Enum(kind)) => Some((w, kind)),
            _ => None,
        })
    });
    let field_before = field_before.or_else(|| (before.ends_with(&["local", "day", "is"]) || before.ends_with(&["local", "day", "in"])).then_some(("local day", EnumKind::Weekday)));
    if let Some((field, kind)) = field_before {
        let after_is = matches!(last(1), Some("is")) || (last(1) == Some("not") && last(2) == Some("is"));
        if after_is || in_braces {
            return kind.names().iter().map(|n| item(n, kind.describe(), CompletionKind::Value)).collect();
        }
        if last(1) == Some("in") {
            let kind_word = rulec_check::SET_KINDS.iter().find(|(_, k)| *k == kind).map(|(w, _)| *w);
            return ws.set_names(kind_word).into_iter().map(|(n, k)| item(&n, &format!("a set of {k}"), CompletionKind::Set)).collect();
        }
        let _ = field;
    }
    // A clause at the start of a line inside a rule; otherwise fields and condition words.
    if before.is_empty() {
        return CLAUSE_KEYWORDS.iter().map(|(k, d)| item(k, d, CompletionKind::Keyword)).collect();
    }
    let mut out: Vec<Completion> = CONDITION_KEYWORDS.iter().map(|(k, d)| item(k, d, CompletionKind::Keyword)).collect();
    for (prefix, record) in [("", Record::Request), ("contact.", Record::Contact), ("loan.", Record::Loan), ("borrower.", Record::Borrower)] {
        out.extend(fields(record).iter().map(|f| item(&format!("{prefix}{}", f.name), f.ty.describe(), CompletionKind::Field)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(text: &str) -> Workspace {
        Workspace::new(vec![SourceFile::new("rules/states/MA.rules", text)], &CheckOptions::default())
    }

    const MA: &str = "jurisdiction MA\n\nset ma_channels: channel {voice, text}\n\n## Why.\nrule ma.calls {\n  title \"Calls\"\n  cites \"940 CMR 7.04\"\n  binds creditor\n  applies when channel in ma_channels and contact.label is home\n  blocks when local time is outside 08:00 to 21:00\n}\n";

    #[test]
    fn names_know_what_they_name() {
        let ws = workspace(MA);
        let at = |needle: &str| MA.find(needle).expect("in the text") + 1;
        assert_eq!(ws.name_at(0, at("ma_channels and")).map(|n| n.kind.clone()), Some(NameKind::SetRef("ma_channels".into())));
        assert_eq!(ws.name_at(0, at("home")).map(|n| n.kind.clone()), Some(NameKind::Value { name: "home".into(), kind: Some(EnumKind::ContactLabel) }));
        let (_, hover) = ws.hover(0, at("ma.calls")).expect("a hover on the rule id");
        assert!(hover.contains("**ma.calls** — Calls") && hover.contains("940 CMR 7.04") && hover.contains("Why."), "{hover}");
        assert_eq!(ws.definition(0, at("ma_channels and")).map(|(_, s)| &MA[s.start..s.end]), Some("ma_channels"));
        assert_eq!(ws.references(0, at("ma_channels:")).len(), 2);
    }

    #[test]
    fn completion_offers_what_fits_the_place() {
        let ws = workspace(MA);
        let labels = |line: &str| complete(line, &ws).into_iter().map(|c| c.label).collect::<Vec<_>>();
        assert!(labels("  applies when channel is ").contains(&"voice".to_string()));
        assert!(labels("  applies when contact.label in ").contains(&"ma_channels".to_string()) == false, "a set of channels is not offered for a label");
        assert!(labels("  applies when channel in ").contains(&"ma_channels".to_string()));
        assert!(labels("  ").contains(&"blocks when".to_string()));
        assert!(labels("  message \"{").contains(&"count".to_string()));
        assert!(labels("mute ").contains(&"ma.calls".to_string()));
    }
}
