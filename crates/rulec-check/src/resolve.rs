//! Name resolution and type checking: from syntax trees to the checked rule set.

use crate::checked::*;
use crate::files::{path_kind, PathKind, LOCALITIES};
use crate::FileDiagnostic;
use chrono::{NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;
use rulec_model::{
    field, fields, suggest, ConsentName, ConsentValue, EnumKind, EnumSet, FieldType, Record, RecordField, Role,
    Vocabulary, Weekday, STATE_JURISDICTIONS,
};
use rulec_syntax::ast::{self, ExprKind, Test};
use rulec_syntax::codes;
use rulec_syntax::{Diagnostic, SourceFile, Span};
use std::collections::HashMap;

/// What lints need to know beyond the checked rules: where things are written, and use counts.
#[derive(Debug, Default)]
pub struct Facts {
    pub sets: Vec<SetFact>,
    /// Parallel to `RuleSet::rules`.
    pub rules: Vec<RuleFact>,
    /// Parallel to each policy's mutes: (policy index, mute index) → span of the mute target.
    pub mutes: Vec<(usize, usize, Span)>,
}

#[derive(Debug)]
pub struct SetFact {
    pub name: String,
    pub origin: Origin,
    pub uses: usize,
}

#[derive(Debug, Default)]
pub struct RuleFact {
    /// The `applies when` clause, if written.
    pub applies_span: Option<Span>,
    /// The `effective` clause, if written.
    pub effective_span: Option<Span>,
    /// Every history window with its length in days (rolling windows rounded up).
    pub windows: Vec<(Span, u64)>,
}

/// The kinds a named set can hold, by the word written after the colon.
pub const SET_KINDS: &[(&str, EnumKind)] = &[
    ("channel", EnumKind::Channel),
    ("theme", EnumKind::Theme),
    ("subject", EnumKind::Subject),
    ("contactType", EnumKind::ContactType),
    ("label", EnumKind::ContactLabel),
    ("affiliation", EnumKind::Affiliation),
    ("contactStatus", EnumKind::ContactStatus),
    ("loanStatus", EnumKind::LoanStatus),
    ("debtType", EnumKind::DebtType),
    ("personType", EnumKind::PersonType),
    ("caseType", EnumKind::CaseType),
    ("caseStatus", EnumKind::CaseStatus),
    ("caseOutcome", EnumKind::CaseOutcome),
    ("direction", EnumKind::Direction),
    ("interactionStatus", EnumKind::InteractionStatus),
    ("day", EnumKind::Weekday),
];

/// Where a condition is written, which decides what bare field names mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    /// `applies when`, `blocks when`, `unless`: the request, its contact, loans and borrower.
    Request,
    /// A history filter: the past interaction and its contact.
    Interaction,
    /// A case filter.
    Case,
}

impl Context {
    fn resolve(self, path: &str) -> Option<&'static RecordField> {
        let (prefix, name) = match path.split_once('.') {
            Some((p, n)) => (Some(p), n),
            None => (None, path),
        };
        match (self, prefix) {
            (Context::Request, None) => field(Record::Request, name),
            (Context::Request, Some("contact")) | (Context::Interaction, Some("contact")) => field(Record::Contact, name),
            (Context::Request, Some("loan")) => field(Record::Loan, name),
            (Context::Request, Some("borrower")) => field(Record::Borrower, name),
            (Context::Interaction, None) => field(Record::Interaction, name),
            (Context::Case, None) => field(Record::Case, name),
            _ => None,
        }
    }

    fn all_paths(self) -> Vec<String> {
        let bare = |r: Record| fields(r).iter().map(|f| f.name.to_string()).collect::<Vec<_>>();
        let prefixed = |p: &str, r: Record| fields(r).iter().map(|f| format!("{p}.{}", f.name)).collect::<Vec<_>>();
        match self {
            Context::Request => [bare(Record::Request), prefixed("contact", Record::Contact), prefixed("loan", Record::Loan), prefixed("borrower", Record::Borrower)].concat(),
            Context::Interaction => [bare(Record::Interaction), prefixed("contact", Record::Contact)].concat(),
            Context::Case => bare(Record::Case),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Context::Request => "the request, its contact (`contact.…`), loans (`loan.…`) or borrower (`borrower.…`)",
            Context::Interaction => "a past interaction or its contact (`contact.…`)",
            Context::Case => "a case",
        }
    }
}

struct SetEntry {
    kind: EnumKind,
    mask: u128,
    index: usize,
}

/// How the file's rules are owned.
#[derive(Clone, Debug)]
enum FileRole {
    Rules(Jurisdiction),
    Policy(String),
    /// Unknown: its rules are still checked, under a placeholder jurisdiction.
    Undetermined,
}

pub struct Resolver<'a> {
    sources: &'a [SourceFile],
    files: &'a [ast::File],
    diagnostics: Vec<FileDiagnostic>,
    sets: HashMap<String, SetEntry>,
    facts: Facts,
    rule_set: RuleSet,
    /// Rule id → (file, span) of its first definition.
    rule_ids: HashMap<String, (usize, Span)>,
    file_roles: Vec<FileRole>,
    current_file: usize,
    current_rule_fact: RuleFact,
}

impl<'a> Resolver<'a> {
    pub fn new(sources: &'a [SourceFile], files: &'a [ast::File]) -> Self {
        Resolver {
            sources,
            files,
            diagnostics: Vec::new(),
            sets: HashMap::new(),
            facts: Facts::default(),
            rule_set: RuleSet::default(),
            rule_ids: HashMap::new(),
            file_roles: Vec::new(),
            current_file: 0,
            current_rule_fact: RuleFact::default(),
        }
    }

    pub fn finish(self) -> (RuleSet, Vec<FileDiagnostic>, Facts) {
        (self.rule_set, self.diagnostics, self.facts)
    }

    /// E012 for a whole number beyond what its place takes, quoted as written (the parser
    /// saturates numbers beyond 64 bits).
    fn too_large(&mut self, lit: &ast::IntLit, what: &str, max: impl std::fmt::Display) {
        let written = self.sources[self.current_file].slice(lit.span).to_string();
        let written = if written.is_empty() { lit.value.to_string() } else { written };
        self.report(
            Diagnostic::error(codes::INVALID_LITERAL, lit.span, format!("{written} is too large for {what}"))
                .with_help(format!("{what} takes at most {max}")),
        );
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(FileDiagnostic { file: self.current_file, diagnostic });
    }

    fn location(&self, file: usize, span: Span) -> String {
        let source = &self.sources[file];
        let (line, column) = source.line_col(span.start);
        format!("{}:{line}:{column}", source.path)
    }

    pub fn run(&mut self) {
        for index in 0..self.files.len() {
            self.current_file = index;
            let role = self.file_role(index);
            self.file_roles.push(role);
        }
        // Sets first: they are visible from every file, in any order.
        for index in 0..self.files.len() {
            self.current_file = index;
            for item in &self.files[index].items {
                if let ast::Item::Set(set) = item {
                    self.define_set(set);
                }
            }
        }
        for index in 0..self.files.len() {
            self.current_file = index;
            let role = self.file_roles[index].clone();
            for item in &self.files[index].items {
                match item {
                    ast::Item::Rule(rule) => self.define_rule(rule, &role),
                    ast::Item::Set(_) => {}
                    ast::Item::Use(u) => self.require_policy(&role, "use", u.span),
                    ast::Item::Mute(m) => self.require_policy(&role, "mute", m.span),
                    ast::Item::Extend(e) => self.require_policy(&role, "extend", e.span),
                }
            }
        }
        // Policies last: their mutes and extensions name rules of any file.
        for index in 0..self.files.len() {
            self.current_file = index;
            if let FileRole::Policy(name) = self.file_roles[index].clone() {
                self.define_policy(index, name);
            }
        }
        self.facts.sets.sort_by_key(|s| (s.origin.file, s.origin.span.start));
    }

    // ------------------------------------------------------------ files

    fn file_role(&mut self, index: usize) -> FileRole {
        let kind = path_kind(&self.sources[index].path);
        let path = self.sources[index].path.clone();
        match (&self.files[index].header, kind) {
            (None, PathKind::Federal) => FileRole::Rules(Jurisdiction::Federal),
            (None, PathKind::State(code)) => {
                if STATE_JURISDICTIONS.contains(&code.as_str()) {
                    self.state_role(&code, None)
                } else {
                    // The file's name is its only claim: report at its start.
                    self.report(
                        Diagnostic::error(codes::UNKNOWN_VALUE, Span::new(0, 0), format!("the file is named for `{code}`, which is not a state or DC"))
                            .with_label_text("state files are named by USPS code")
                            .with_suggestion(suggest(&code, STATE_JURISDICTIONS))
                            .with_help("rename the file to one of the 50 states or DC, such as rules/states/MA.rules"),
                    );
                    FileRole::Undetermined
                }
            }
            (None, PathKind::Policy(name)) => FileRole::Policy(name),
            (None, PathKind::Unknown) => {
                if !self.files[index].items.is_empty() {
                    let span = self.files[index].items[0].span();
                    self.report(
                        Diagnostic::error(codes::MISPLACED_ITEM, Span::new(span.start, span.start), "cannot tell whose rules these are")
                            .with_help("put the file under rules/federal/ or at rules/states/XX.rules, or begin it with `jurisdiction XX` or `policy NAME`"),
                    );
                }
                FileRole::Undetermined
            }
            (Some(ast::Header::Jurisdiction(name)), kind) => {
                let claimed = name.name.clone();
                let valid = claimed == "federal" || STATE_JURISDICTIONS.contains(&claimed.as_str());
                if !valid {
                    let mut candidates: Vec<&str> = STATE_JURISDICTIONS.to_vec();
                    candidates.push("federal");
                    self.report(
                        Diagnostic::error(codes::UNKNOWN_VALUE, name.span, format!("`{claimed}` is not a jurisdiction"))
                            .with_label_text("expected `federal` or a state's USPS code such as `MA`")
                            .with_suggestion(suggest(&claimed, &candidates)),
                    );
                }
                let from_path = match &kind {
                    PathKind::Federal => Some("federal".to_string()),
                    PathKind::State(code) => Some(code.clone()),
                    _ => None,
                };
                if let PathKind::Policy(_) = kind {
                    self.report(
                        Diagnostic::error(codes::MISPLACED_ITEM, name.span, "a policy file cannot declare a jurisdiction")
                            .with_help("begin a policy file with `policy NAME`"),
                    );
                }
                if let Some(expected) = from_path.filter(|e| *e != claimed) {
                    self.report(
                        Diagnostic::error(
                            codes::JURISDICTION_MISMATCH,
                            name.span,
                            format!("this file's place says `{expected}`, but it claims `{claimed}`"),
                        )
                        .with_label_text(format!("{path} holds rules of `{expected}`"))
                        .with_help(format!("write `jurisdiction {expected}` or move the file")),
                    );
                    return self.role_for(&expected);
                }
                if !valid {
                    return FileRole::Undetermined;
                }
                self.role_for(&claimed)
            }
            (Some(ast::Header::Policy(name)), kind) => {
                match kind {
                    PathKind::Policy(stem) if stem != name.name => {
                        self.report(
                            Diagnostic::error(
                                codes::MISPLACED_ITEM,
                                name.span,
                                format!("the policy is named `{}` but its file is `{stem}.policy`", name.name),
                            )
                            .with_help(format!("a policy is named like its file: write `policy {stem}`")),
                        );
                    }
                    PathKind::Federal | PathKind::State(_) => {
                        self.report(
                            Diagnostic::error(codes::MISPLACED_ITEM, name.span, "a policy cannot live among the regulatory rules")
                                .with_help("move it to rules/policies/NAME.policy"),
                        );
                    }
                    _ => {}
                }
                FileRole::Policy(name.name.clone())
            }
        }
    }

    fn role_for(&mut self, jurisdiction: &str) -> FileRole {
        if jurisdiction == "federal" {
            FileRole::Rules(Jurisdiction::Federal)
        } else {
            self.state_role(jurisdiction, None)
        }
    }

    fn state_role(&mut self, code: &str, span: Option<Span>) -> FileRole {
        if !STATE_JURISDICTIONS.contains(&code) {
            if let Some(span) = span {
                self.report(Diagnostic::error(codes::UNKNOWN_VALUE, span, format!("`{code}` is not a state")));
            }
        }
        FileRole::Rules(Jurisdiction::State(code.to_string()))
    }

    fn require_policy(&mut self, role: &FileRole, what: &str, span: Span) {
        if !matches!(role, FileRole::Policy(_)) {
            self.report(
                Diagnostic::error(codes::MISPLACED_ITEM, Span::new(span.start, span.start + what.len()), format!("`{what}` belongs in a policy file"))
                    .with_help("lender policies live in rules/policies/NAME.policy and begin with `policy NAME`"),
            );
        }
    }

    // ------------------------------------------------------------ sets

    fn define_set(&mut self, set: &ast::SetDef) {
        let origin = Origin { file: self.current_file, span: set.name.span };
        if let Some(existing) = self.sets.get(&set.name.name) {
            let first = &self.facts.sets[existing.index];
            let note = format!("first defined at {}", self.location(first.origin.file, first.origin.span));
            self.report(
                Diagnostic::error(codes::DUPLICATE_DEFINITION, set.name.span, format!("set `{}` is defined twice", set.name.name))
                    .with_note(note),
            );
            return;
        }
        let Some(&(_, kind)) = SET_KINDS.iter().find(|(name, _)| *name == set.kind.name) else {
            let names: Vec<&str> = SET_KINDS.iter().map(|(n, _)| *n).collect();
            self.report(
                Diagnostic::error(codes::UNKNOWN_VALUE, set.kind.span, format!("`{}` is not a kind of set", set.kind.name))
                    .with_label_text(format!("expected one of: {}", names.join(", ")))
                    .with_suggestion(suggest(&set.kind.name, &names)),
            );
            return;
        };
        let mask = self.enum_mask(kind, &set.elements);
        let index = self.facts.sets.len();
        self.facts.sets.push(SetFact { name: set.name.name.clone(), origin, uses: 0 });
        self.sets.insert(set.name.name.clone(), SetEntry { kind, mask, index });
    }

    /// The mask of a list of names of one vocabulary; unknown names are reported.
    fn enum_mask(&mut self, kind: EnumKind, values: &[ast::Value]) -> u128 {
        let mut mask = 0u128;
        for value in values {
            match value {
                ast::Value::Name(name) => match kind.index_of(&name.name) {
                    Some(i) => mask |= 1u128 << i,
                    None => self.report(unknown_value(kind, name)),
                },
                other => self.report(
                    Diagnostic::error(codes::TYPE_MISMATCH, other.span(), format!("expected {}, found {}", kind.describe(), describe_value(other)))
                        .with_help(format!("write a name such as {}", kind.examples())),
                ),
            }
        }
        mask
    }

    // ------------------------------------------------------------ rules

    fn define_rule(&mut self, rule: &ast::RuleDef, role: &FileRole) {
        let id = rule.id.name.clone();
        if let Some(&(file, span)) = self.rule_ids.get(&id) {
            let note = format!("first defined at {}", self.location(file, span));
            self.report(
                Diagnostic::error(codes::DUPLICATE_RULE, rule.id.span, format!("rule `{id}` is defined twice"))
                    .with_label_text("rule ids are unique across all files")
                    .with_note(note),
            );
            return;
        }
        self.rule_ids.insert(id.clone(), (self.current_file, rule.id.span));
        self.current_rule_fact = RuleFact::default();
        // Diagnostics are only added: this rule's errors are among those after this point.
        let diagnostics_before = self.diagnostics.len();

        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        let mut title = None;
        let mut citations = Vec::new();
        let mut roles = None;
        let mut effective = (None, None);
        let mut locality: Option<&ast::Ident> = None;
        let mut applies = None;
        let mut verdict = None;
        let mut exceptions = Vec::new();
        let mut message = None;

        for clause in &rule.clauses {
            let name = clause_name(&clause.kind);
            if name != "unless" {
                if let Some(first) = seen.get(name) {
                    let first = *first;
                    self.report(
                        Diagnostic::error(codes::DUPLICATE_DEFINITION, clause.span, format!("`{name}` is written twice in rule `{id}`"))
                            .with_label(first, "first written here"),
                    );
                    continue;
                }
                seen.insert(name, clause.span);
            }
            match &clause.kind {
                ast::ClauseKind::Title(s) => title = Some(s.value.clone()),
                ast::ClauseKind::Cites(list) => citations = list.iter().map(|s| s.value.clone()).collect(),
                ast::ClauseKind::Binds(binds) => roles = Some(self.roles(binds)),
                ast::ClauseKind::Effective { from, until } => {
                    self.current_rule_fact.effective_span = Some(clause.span);
                    let from_date = from.as_ref().and_then(|d| self.date(d));
                    let until_date = until.as_ref().and_then(|d| self.date(d));
                    if let (Some(f), Some(u), Some(fl), Some(ul)) = (from_date, until_date, from, until) {
                        if u < f {
                            self.report(
                                Diagnostic::error(codes::INVERTED_WINDOW, fl.span.to(ul.span), "the rule's effective range ends before it starts")
                                    .with_label(ul.span, format!("{u} is before {f}")),
                            );
                        }
                    }
                    effective = (from_date, until_date);
                }
                ast::ClauseKind::Locality(ident) => locality = Some(ident),
                ast::ClauseKind::Applies(expr) => {
                    self.current_rule_fact.applies_span = Some(clause.span);
                    applies = Some(self.cond(expr, Context::Request));
                }
                ast::ClauseKind::Verdict { severity, condition } => {
                    let severity = match severity {
                        ast::SeverityKw::Blocks => Severity::Block,
                        ast::SeverityKw::Warns => Severity::Warn,
                    };
                    verdict = Some((severity, self.cond(condition, Context::Request), condition));
                }
                ast::ClauseKind::Unless(expr) => exceptions.push(self.cond(expr, Context::Request)),
                ast::ClauseKind::Message(s) => message = Some(s),
            }
        }

        let missing: Vec<&str> = [("title", title.is_some()), ("binds", roles.is_some()), ("blocks when", verdict.is_some())]
            .iter()
            .filter(|(_, present)| !present)
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
            self.report(
                Diagnostic::error(codes::MISSING_CLAUSE, rule.id.span, format!("rule `{id}` lacks {list}"))
                    .with_help("every rule has a `title`, the roles it `binds`, and a `blocks when` or `warns when` condition"),
            );
        }

        let jurisdiction = self.rule_jurisdiction(rule, role, locality);
        let template = message.and_then(|m| self.template(m, verdict.as_ref().map(|v| &v.1)));
        let fact = std::mem::take(&mut self.current_rule_fact);
        let (Some(title), Some(roles), Some((severity, condition, _))) = (title, roles, verdict) else {
            return;
        };
        // A rule with errors is not part of the checked set: nothing half-understood is run.
        if self.diagnostics[diagnostics_before..].iter().any(|d| d.diagnostic.is_error()) {
            return;
        }
        let index = self.rule_set.rules.len();
        self.rule_set.rules.push(Rule {
            id,
            title,
            citations,
            doc: rule.doc.clone(),
            jurisdiction,
            roles,
            effective_from: effective.0,
            effective_until: effective.1,
            severity,
            applies,
            condition,
            exceptions,
            message: template,
            origin: Origin { file: self.current_file, span: rule.id.span },
        });
        self.facts.rules.push(fact);
        debug_assert_eq!(self.facts.rules.len(), index + 1);
    }

    fn rule_jurisdiction(&mut self, rule: &ast::RuleDef, role: &FileRole, locality: Option<&ast::Ident>) -> Jurisdiction {
        let mut jurisdiction = match role {
            FileRole::Rules(j) => j.clone(),
            FileRole::Policy(name) => Jurisdiction::Policy(name.clone()),
            FileRole::Undetermined => Jurisdiction::Federal,
        };
        let mut prefix = match &jurisdiction {
            Jurisdiction::Federal => "federal".to_string(),
            Jurisdiction::State(code) => code.to_lowercase(),
            Jurisdiction::Locality { name, .. } => name.to_lowercase(),
            Jurisdiction::Policy(name) => name.clone(),
        };
        if let Some(loc) = locality {
            let state = match &jurisdiction {
                Jurisdiction::State(code) => Some(code.clone()),
                _ => None,
            };
            match LOCALITIES.iter().find(|(s, n, _)| Some(*s) == state.as_deref() && *n == loc.name) {
                Some((s, n, label)) => {
                    jurisdiction = Jurisdiction::Locality { state: s.to_string(), name: label.to_string() };
                    prefix = n.to_string();
                }
                None => {
                    let known: Vec<&str> = LOCALITIES.iter().filter(|(s, _, _)| Some(*s) == state.as_deref()).map(|(_, n, _)| *n).collect();
                    let help = if known.is_empty() {
                        "no locality is known in this file's jurisdiction".to_string()
                    } else {
                        format!("localities here: {}", known.join(", "))
                    };
                    self.report(
                        Diagnostic::error(codes::UNKNOWN_VALUE, loc.span, format!("`{}` is not a locality of this jurisdiction", loc.name))
                            .with_help(help),
                    );
                }
            }
        }
        if !matches!(role, FileRole::Undetermined) && !rule.id.name.starts_with(&format!("{prefix}.")) {
            self.report(
                Diagnostic::error(codes::JURISDICTION_MISMATCH, rule.id.span, format!("rule id `{}` does not start with `{prefix}.`", rule.id.name))
                    .with_label_text(format!("rules of `{}` are named `{prefix}.…`", jurisdiction.label()))
                    .with_help("a rule's id begins with its jurisdiction, so ids stay unique and say whose law they are"),
            );
        }
        jurisdiction
    }

    fn roles(&mut self, binds: &ast::Binds) -> EnumSet<Role> {
        match binds {
            ast::Binds::EveryRole => EnumSet::all(),
            ast::Binds::Roles(list) => self.role_list(list),
        }
    }

    fn role_list(&mut self, list: &[ast::Ident]) -> EnumSet<Role> {
        let mut set = EnumSet::empty();
        for ident in list {
            match Role::from_name(&ident.name) {
                Some(r) => set.insert(r),
                None => self.report(unknown_value(EnumKind::Role, ident)),
            }
        }
        set
    }

    fn date(&mut self, lit: &ast::DateLit) -> Option<NaiveDate> {
        let date = NaiveDate::from_ymd_opt(lit.year as i32, lit.month, lit.day);
        if date.is_none() {
            self.report(
                Diagnostic::error(codes::INVALID_LITERAL, lit.span, format!("{:04}-{:02}-{:02} is not a calendar date", lit.year, lit.month, lit.day))
                    .with_help("write a date as YYYY-MM-DD, e.g. 2026-03-10"),
            );
        }
        date
    }

    fn time(&mut self, lit: &ast::TimeLit) -> Option<NaiveTime> {
        // `from_hms_opt` takes second 60 (a leap second); a rule's time of day never names one.
        let second = lit.second.unwrap_or(0);
        let time = if second < 60 { NaiveTime::from_hms_opt(lit.hour, lit.minute, second) } else { None };
        if time.is_none() {
            let written = match lit.second {
                Some(s) => format!("{:02}:{:02}:{s:02}", lit.hour, lit.minute),
                None => format!("{:02}:{:02}", lit.hour, lit.minute),
            };
            self.report(
                Diagnostic::error(codes::INVALID_LITERAL, lit.span, format!("{written} is not a time of day"))
                    .with_help("write a time as HH:MM or HH:MM:SS, from 00:00 to 23:59:59"),
            );
        }
        time
    }

    fn template(&mut self, message: &ast::Str, condition: Option<&Cond>) -> Option<Template> {
        let mut parts = Vec::new();
        let text = &message.value;
        let mut rest = text.as_str();
        let mut ok = true;
        // Outside placeholders, a brace is an error: a message has no literal braces.
        let stray_close = |rest: &str, upto: usize| rest[..upto].contains('}');
        while let Some(open) = rest.find('{') {
            if stray_close(rest, open) {
                break;
            }
            if open > 0 {
                parts.push(TemplatePart::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                self.report(
                    Diagnostic::error(codes::UNKNOWN_PLACEHOLDER, message.span, "a `{` in the message is never closed")
                        .with_help("placeholders are written `{count}`"),
                );
                return None;
            };
            let name = &after[..close];
            match Figure::ALL.iter().find(|(n, _)| *n == name) {
                Some(&(_, figure)) => {
                    if let Some(requirement) = condition.and_then(|c| missing_requirement(figure, c)) {
                        ok = false;
                        self.report(
                            Diagnostic::error(codes::UNKNOWN_PLACEHOLDER, message.span, format!("`{{{name}}}` needs {requirement} in the rule's condition"))
                                .with_label_text(format!("`{{{name}}}` has nothing to show")),
                        );
                    }
                    parts.push(TemplatePart::Figure(figure));
                }
                None => {
                    ok = false;
                    let names: Vec<&str> = Figure::ALL.iter().map(|(n, _)| *n).collect();
                    self.report(
                        Diagnostic::error(codes::UNKNOWN_PLACEHOLDER, message.span, format!("`{{{name}}}` is not a figure a message can show"))
                            .with_label_text(format!("known: {}", names.iter().map(|n| format!("{{{n}}}")).collect::<Vec<_>>().join(" ")))
                            // A hint only: the diagnostic's span is the whole message, not the name.
                            .with_help_opt(suggest(name, &names).map(|s| format!("did you mean `{{{s}}}`?"))),
                    );
                }
            }
            rest = &after[close + 1..];
        }
        if stray_close(rest, rest.find('{').unwrap_or(rest.len())) {
            self.report(
                Diagnostic::error(codes::UNKNOWN_PLACEHOLDER, message.span, "a `}` in the message has no `{` before it")
                    .with_help("placeholders are written `{count}`; a message cannot contain a literal brace"),
            );
            return None;
        }
        if !rest.is_empty() {
            parts.push(TemplatePart::Text(rest.to_string()));
        }
        ok.then_some(Template { parts })
    }

    // ------------------------------------------------------------ conditions

    fn cond(&mut self, expr: &ast::Expr, context: Context) -> Cond {
        match &expr.kind {
            ExprKind::Or(parts) => Cond::Any(parts.iter().map(|p| self.cond(p, context)).collect()),
            ExprKind::And(parts) => Cond::All(parts.iter().map(|p| self.cond(p, context)).collect()),
            ExprKind::Not(inner) => Cond::Not(Box::new(self.cond(inner, context))),
            ExprKind::Paren(inner) => self.cond(inner, context),
            ExprKind::Compare { field, test } => self.compare(field, test.as_ref(), context),
            ExprKind::Replies { .. } | ExprKind::ElapsedSince { .. } | ExprKind::AgeAt { .. } => self.time_atom(expr, context),
            other => {
                if context != Context::Request {
                    let what = match other {
                        ExprKind::LocalTime { .. } | ExprKind::LocalDay { .. } | ExprKind::FederalHoliday { .. } | ExprKind::LocalDate { .. } => "a local-time test",
                        ExprKind::Consent { .. } => "a consent test",
                        ExprKind::Count { .. } | ExprKind::Any(_) => "a history test",
                        ExprKind::AnyCase { .. } => "a case test",
                        ExprKind::Replies { .. } => "a reply test",
                        _ => "a Do Not Interact test",
                    };
                    let place = if context == Context::Interaction { "history filter" } else { "case filter" };
                    self.report(
                        Diagnostic::error(codes::INVALID_FILTER, expr.span, format!("{what} cannot stand in a {place}"))
                            .with_help(format!("a {place} tests the fields of {}", context.describe())),
                    );
                    return Cond::All(Vec::new());
                }
                self.request_atom(expr, other)
            }
        }
    }

    /// Replies, and time since or age at a case's instant: the atoms whose place (request, history
    /// or case filter) decides their meaning. Kept out of `cond`, which recurses once per `not`
    /// and `(`, so that its stack frame stays small.
    #[inline(never)]
    fn time_atom(&mut self, expr: &ast::Expr, context: Context) -> Cond {
        match &expr.kind {
                ExprKind::Replies { within } => Cond::Replies { within: within.as_ref().map(|(amount, unit)| self.period(amount, *unit)) },
                ExprKind::ElapsedSince { field, elapsed } if context == Context::Case => match self.case_instant(field) {
                    Some(instant) => Cond::CaseElapsed { instant, elapsed: self.elapsed(elapsed) },
                    None => Cond::All(Vec::new()),
                },
                ExprKind::AgeAt { field, at, op, value } if context == Context::Case => {
                    if field.name != "borrower.age" {
                        self.report(
                            Diagnostic::error(codes::UNKNOWN_FIELD, field.span, format!("`{}` cannot be taken at an instant", field.name))
                                .with_label_text("only `borrower.age` is measured at a case's instant")
                                .with_suggestion(suggest(&field.name, &["borrower.age"])),
                        );
                    }
                    let instant = self.case_instant(at);
                    if i64::try_from(value.value).is_err() {
                        self.too_large(value, "a number", i64::MAX as u64);
                    }
                    match instant {
                        Some(instant) if field.name == "borrower.age" => Cond::AgeAtCase { instant, op: *op, limit: int_value(value) },
                        _ => Cond::All(Vec::new()),
                    }
                }
                ExprKind::ElapsedSince { .. } | ExprKind::AgeAt { .. } => {
                    let what = if matches!(expr.kind, ExprKind::AgeAt { .. }) { "an age at a case's instant" } else { "a time since a case's instant" };
                    self.report(
                        Diagnostic::error(codes::INVALID_FILTER, expr.span, format!("{what} can only stand in a case filter"))
                            .with_help("write it inside `any case where …`, e.g. `any case where caseType is attorneyRepresentation and createdAt is at least 72 hours ago`"),
                    );
                    Cond::All(Vec::new())
                }
                _ => Cond::All(Vec::new()),
        }
    }

    /// `createdAt` / `closedAt`, the instants a case filter measures from.
    fn case_instant(&mut self, field: &ast::Ident) -> Option<CaseInstant> {
        match field.name.as_str() {
            "createdAt" => Some(CaseInstant::Created),
            "closedAt" => Some(CaseInstant::Closed),
            other => {
                self.report(
                    Diagnostic::error(codes::UNKNOWN_FIELD, field.span, format!("`{other}` is not an instant of a case"))
                        .with_label_text("a case's instants are `createdAt` and `closedAt`")
                        .with_suggestion(suggest(other, &["createdAt", "closedAt"])),
                );
                None
            }
        }
    }

    fn elapsed(&mut self, elapsed: &ast::Elapsed) -> Elapsed {
        Elapsed { at_least: elapsed.at_least, period: self.period(&elapsed.amount, elapsed.unit) }
    }

    /// A length of time; zero is refused (`at least 0` always holds, `less than 0` never), and
    /// so is anything over 1,000 years.
    fn period(&mut self, amount: &ast::IntLit, unit: ast::ElapsedUnit) -> Period {
        if amount.value == 0 {
            self.report(Diagnostic::error(codes::INVALID_LITERAL, amount.span, "a length of zero says nothing").with_help("write at least 1"));
        }
        let max_days = MAX_WINDOW_SECONDS / 86_400;
        match unit {
            ast::ElapsedUnit::Exact(unit) => {
                let seconds = amount.value.saturating_mul(unit.seconds());
                if seconds > MAX_WINDOW_SECONDS {
                    self.too_large(amount, "a length", format!("{} {} (1,000 years)", MAX_WINDOW_SECONDS / unit.seconds(), unit.as_str()));
                }
                Period::Exact { seconds: seconds.min(MAX_WINDOW_SECONDS) }
            }
            ast::ElapsedUnit::Calendar { .. } | ast::ElapsedUnit::Business { .. } => {
                if amount.value > max_days {
                    self.too_large(amount, "a length", format!("{max_days} days (1,000 years)"));
                }
                let days = u32::try_from(amount.value.min(max_days)).unwrap_or(u32::MAX);
                if matches!(unit, ast::ElapsedUnit::Calendar { .. }) {
                    Period::CalendarDays(days)
                } else {
                    Period::BusinessDays(days)
                }
            }
        }
    }

    /// A fixed zone named by a rule (`time in America/New_York …`).
    fn zone(&mut self, zone: Option<&ast::Ident>) -> Option<Tz> {
        let zone = zone?;
        match zone.name.parse::<Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect();
                self.report(
                    Diagnostic::error(codes::UNKNOWN_VALUE, zone.span, format!("`{}` is not a time zone", zone.name))
                        .with_label_text("zones are IANA names such as `America/New_York`")
                        .with_suggestion(suggest(&zone.name, &names)),
                );
                None
            }
        }
    }

    #[inline(never)]
    fn request_atom(&mut self, expr: &ast::Expr, kind: &ExprKind) -> Cond {
        match kind {
            ExprKind::LocalTime { zone, op, window } => {
                let zone = self.zone(zone.as_ref());
                let (start, end) = (&window.start, &window.end);
                let (s, e) = (self.time(start), self.time(end));
                if let (Some(s), Some(e)) = (s, e) {
                    let empty = if window.exclusive { e <= s } else { e < s };
                    if empty {
                        let show = |t: NaiveTime| if t.second() == 0 { t.format("%H:%M").to_string() } else { t.format("%H:%M:%S").to_string() };
                        let (s, e) = (show(s), show(e));
                        let message = if window.exclusive {
                            format!("the window after {s} and before {e} holds no instant")
                        } else {
                            format!("the window ends at {e} before it starts at {s}")
                        };
                        self.report(
                            Diagnostic::error(codes::INVERTED_WINDOW, start.span.to(end.span), message)
                                .with_help("windows do not cross midnight: write the allowed hours, e.g. `local time is outside 08:00 to 21:00`"),
                        );
                    }
                }
                let window = TimeWindow { start: s.unwrap_or(NaiveTime::MIN), end: e.unwrap_or(NaiveTime::MIN), exclusive: window.exclusive };
                Cond::LocalTime { window, outside: *op == ast::WindowOp::Outside, zone }
            }
            ExprKind::LocalDay { zone, test } => {
                let zone = self.zone(zone.as_ref());
                let (mask, negated) = self.enum_test(EnumKind::Weekday, "local day", test, expr.span);
                Cond::LocalDay { days: EnumSet::from_bits(mask), negated, zone }
            }
            ExprKind::FederalHoliday { zone, negated } => Cond::FederalHoliday { negated: *negated, zone: self.zone(zone.as_ref()) },
            ExprKind::LocalDate { zone, op, start, end } => {
                let zone = self.zone(zone.as_ref());
                let (s, e) = (self.date(start), self.date(end));
                if let (Some(s), Some(e)) = (s, e) {
                    if e < s {
                        self.report(Diagnostic::error(codes::INVERTED_WINDOW, start.span.to(end.span), format!("the date range ends on {e} before it starts on {s}")));
                    }
                }
                Cond::LocalDate { start: s.unwrap_or(NaiveDate::MIN), end: e.unwrap_or(NaiveDate::MIN), outside: *op == ast::WindowOp::Outside, zone }
            }
            ExprKind::Consent { name, value, recorded, held } => {
                let consent = ConsentName::from_name(&name.name);
                if consent.is_none() {
                    self.report(unknown_value(EnumKind::ConsentName, name));
                }
                let consent_value = ConsentValue::from_name(&value.name);
                if consent_value.is_none() {
                    self.report(unknown_value(EnumKind::ConsentValue, value));
                }
                let held = held.as_ref().map(|h| self.elapsed(h));
                match (consent, consent_value) {
                    (Some(n), Some(v)) => Cond::Consent { name: n, value: v, recorded: *recorded, held },
                    _ => Cond::All(Vec::new()),
                }
            }
            ExprKind::Count { history, op, limit } => {
                let query = self.history(history);
                let limit = match u32::try_from(limit.value) {
                    Ok(l) => l,
                    Err(_) => {
                        self.too_large(limit, "a count", u64::from(u32::MAX));
                        u32::MAX
                    }
                };
                Cond::Count { query, op: *op, limit }
            }
            ExprKind::Any(history) => Cond::Exists(self.history(history)),
            ExprKind::AnyCase { filter, per_loan, .. } => Cond::CaseExists {
                filter: filter.as_ref().map(|f| Box::new(self.cond(f, Context::Case))),
                per_loan: *per_loan,
            },
            ExprKind::DoNotInteract => Cond::DoNotInteract,
            // Or/And/Not/Paren/Compare are handled by `cond`.
            _ => Cond::All(Vec::new()),
        }
    }

    fn history(&mut self, history: &ast::History) -> HistoryQuery {
        let filter = self.history_filter(history.noun, history.filter.as_deref());
        let window = match &history.window {
            ast::Window::Rolling { amount, unit } => {
                if amount.value == 0 {
                    self.report(Diagnostic::error(codes::INVALID_LITERAL, amount.span, "a window of zero length never holds anything"));
                }
                let seconds = amount.value.saturating_mul(unit.seconds());
                if seconds > MAX_WINDOW_SECONDS {
                    let unit_name = match unit.seconds() {
                        60 => "minutes",
                        3_600 => "hours",
                        _ => "days",
                    };
                    self.too_large(amount, "a window", format!("{} {unit_name} (1,000 years)", MAX_WINDOW_SECONDS / unit.seconds()));
                }
                self.current_rule_fact.windows.push((history.span, seconds.div_ceil(86_400)));
                Window::Rolling { seconds }
            }
            ast::Window::CalendarDays(days) => {
                if days.value == 0 {
                    self.report(Diagnostic::error(codes::INVALID_LITERAL, days.span, "a window of zero days never holds anything").with_help("today alone is `in the last 1 calendar days` or `today`"));
                }
                if days.value > MAX_WINDOW_SECONDS / 86_400 {
                    self.too_large(days, "a window", format!("{} days (1,000 years)", MAX_WINDOW_SECONDS / 86_400));
                }
                self.current_rule_fact.windows.push((history.span, days.value));
                Window::CalendarDays { days: u32::try_from(days.value).unwrap_or(u32::MAX) }
            }
            ast::Window::Today => Window::CalendarDays { days: 1 },
            ast::Window::CalendarWeek { starting } => {
                let day = Weekday::from_name(&starting.name);
                if day.is_none() {
                    self.report(unknown_value(EnumKind::Weekday, starting));
                }
                self.current_rule_fact.windows.push((history.span, 7));
                Window::CalendarWeek { starting: day.unwrap_or(Weekday::Monday) }
            }
            ast::Window::CalendarMonth => {
                self.current_rule_fact.windows.push((history.span, 31));
                Window::CalendarMonth
            }
            ast::Window::SinceLast { noun, filter } => Window::SinceLast { filter: self.history_filter(*noun, filter.as_deref()) },
        };
        let scope = self.scope(history);
        HistoryQuery { filter, window, scope }
    }

    /// The scopes of a history test: at most one of `for this borrower`, `to this contact` and
    /// `to this person`, and `about this loan` once, in either order.
    fn scope(&mut self, history: &ast::History) -> Scope {
        let mut scope = Scope { who: Who::Borrower, per_loan: false };
        let mut who_written: Option<ast::HistoryScope> = None;
        let name = |s: ast::HistoryScope| match s {
            ast::HistoryScope::Borrower => "for this borrower",
            ast::HistoryScope::Contact => "to this contact",
            ast::HistoryScope::Person => "to this person",
            ast::HistoryScope::Loan => "about this loan",
        };
        for &written in &history.scopes {
            let conflict = match written {
                ast::HistoryScope::Loan => {
                    let twice = scope.per_loan;
                    scope.per_loan = true;
                    twice.then_some(written)
                }
                who => {
                    let before = who_written.replace(who);
                    scope.who = match who {
                        ast::HistoryScope::Contact => Who::Contact,
                        ast::HistoryScope::Person => Who::Person,
                        _ => Who::Borrower,
                    };
                    before
                }
            };
            if let Some(before) = conflict {
                let message = if before == written {
                    format!("`{}` is written twice", name(written))
                } else {
                    format!("`{}` and `{}` cannot both scope one history test", name(before), name(written))
                };
                self.report(
                    Diagnostic::error(codes::INVALID_SCOPE, history.span, message)
                        .with_help("count over the borrower, a contact or a person, and add `about this loan` to count per loan"),
                );
            }
        }
        scope
    }

    /// A history filter with the noun's channel folded in (`calls` = channel voice).
    fn history_filter(&mut self, noun: ast::Noun, filter: Option<&ast::Expr>) -> Option<Box<Cond>> {
        use rulec_model::{Channel, Field};
        let channel = match noun.kind {
            ast::NounKind::Interaction => None,
            ast::NounKind::Call => Some(Channel::Voice),
            ast::NounKind::Text => Some(Channel::Text),
            ast::NounKind::Email => Some(Channel::Email),
            ast::NounKind::Letter => Some(Channel::Mail),
        };
        let channel_test = channel.map(|c| Cond::Field(FieldTest { field: Field::InteractionChannel, test: ValueTest::InSet(1u128 << c.index()) }));
        let filter = filter.map(|f| self.cond(f, Context::Interaction));
        match (channel_test, filter) {
            (None, None) => None,
            (Some(c), None) => Some(Box::new(c)),
            (None, Some(f)) => Some(Box::new(f)),
            (Some(c), Some(f)) => Some(Box::new(Cond::All(vec![c, f]))),
        }
    }

    fn compare(&mut self, path: &ast::Ident, test: Option<&Test>, context: Context) -> Cond {
        let Some(record_field) = context.resolve(&path.name) else {
            let paths = context.all_paths();
            let candidates: Vec<&str> = paths.iter().map(String::as_str).collect();
            let label = match path.name.split_once('.') {
                Some(("contact", _)) => "not a field of a contact".to_string(),
                Some(("loan", _)) => "not a field of a loan".to_string(),
                Some(("borrower", _)) => "not a field of the borrower".to_string(),
                _ => format!("not a field of {}", context.describe()),
            };
            self.report(
                Diagnostic::error(codes::UNKNOWN_FIELD, path.span, format!("unknown field `{}`", path.name))
                    .with_label_text(label)
                    .with_suggestion(suggest(&path.name, &candidates)),
            );
            return Cond::All(Vec::new());
        };
        let field = record_field.field;
        let name = path.name.as_str();
        let span = path.span;
        match record_field.ty {
            FieldType::Enum(kind) => match test {
                None => {
                    self.report(
                        Diagnostic::error(codes::TYPE_MISMATCH, span, format!("`{name}` is {}, not a yes/no value", kind.describe()))
                            .with_help(format!("compare it: `{name} is {}`", kind.names()[0])),
                    );
                    Cond::All(Vec::new())
                }
                Some(test) => {
                    let (mask, negated) = self.enum_test(kind, name, test, span);
                    negate_if(negated, Cond::Field(FieldTest { field, test: ValueTest::InSet(mask) }))
                }
            },
            FieldType::Bool => match test {
                None => Cond::Field(FieldTest { field, test: ValueTest::Bool(true) }),
                Some(Test::Is { negated, value: ast::Value::Bool(b, _) }) => Cond::Field(FieldTest { field, test: ValueTest::Bool(*b != *negated) }),
                Some(other) => {
                    self.report(type_mismatch(name, record_field.ty, other).with_help(format!("write `{name}`, `{name} is false` or `not {name}`")));
                    Cond::All(Vec::new())
                }
            },
            FieldType::Int => match test {
                Some(Test::Number { op, value }) => {
                    if i64::try_from(value.value).is_err() {
                        self.too_large(value, "a number", i64::MAX as u64);
                    }
                    Cond::Field(FieldTest { field, test: ValueTest::Int(*op, int_value(value)) })
                }
                Some(Test::Is { negated, value: ast::Value::Int(v) }) => {
                    if i64::try_from(v.value).is_err() {
                        self.too_large(v, "a number", i64::MAX as u64);
                    }
                    Cond::Field(FieldTest { field, test: ValueTest::Int(if *negated { ast::CmpOp::Ne } else { ast::CmpOp::Eq }, int_value(v)) })
                }
                other => {
                    self.report(type_mismatch_opt(name, record_field.ty, other, span).with_help(format!("compare it with a number: `{name} >= 30`")));
                    Cond::All(Vec::new())
                }
            },
            FieldType::Text => match test {
                Some(Test::Is { negated, value: ast::Value::Str(s) }) => negate_if(*negated, Cond::Field(FieldTest { field, test: ValueTest::TextIn(vec![s.value.clone()]) })),
                Some(Test::In { negated, set: ast::SetExpr::Literal { elements, .. } }) if elements.iter().all(|e| matches!(e, ast::Value::Str(_))) => {
                    let texts = elements.iter().filter_map(|e| if let ast::Value::Str(s) = e { Some(s.value.clone()) } else { None }).collect();
                    negate_if(*negated, Cond::Field(FieldTest { field, test: ValueTest::TextIn(texts) }))
                }
                other => {
                    self.report(type_mismatch_opt(name, record_field.ty, other, span).with_help(format!("compare it with quoted text: `{name} is \"heloc\"`")));
                    Cond::All(Vec::new())
                }
            },
        }
    }

    /// `is [not] V` / `[not] in S` on an enum: the mask of accepted values and the negation.
    fn enum_test(&mut self, kind: EnumKind, name: &str, test: &Test, span: Span) -> (u128, bool) {
        match test {
            Test::Is { negated, value: ast::Value::Name(ident) } => match kind.index_of(&ident.name) {
                Some(i) => (1u128 << i, *negated),
                None => {
                    self.report(unknown_value(kind, ident));
                    (0, *negated)
                }
            },
            Test::In { negated, set: ast::SetExpr::Literal { elements, .. } } => (self.enum_mask(kind, elements), *negated),
            Test::In { negated, set: ast::SetExpr::Named(set_name) } => match self.sets.get(&set_name.name) {
                Some(entry) if entry.kind == kind => {
                    let mask = entry.mask;
                    self.facts.sets[entry.index].uses += 1;
                    (mask, *negated)
                }
                Some(entry) => {
                    let (entry_kind, index) = (entry.kind, entry.index);
                    self.facts.sets[index].uses += 1;
                    self.report(
                        Diagnostic::error(codes::TYPE_MISMATCH, set_name.span, format!("set `{}` holds {}, but `{name}` is {}", set_name.name, plural(entry_kind), kind.describe()))
                            .with_label(span, kind.describe()),
                    );
                    (0, *negated)
                }
                None => {
                    let names: Vec<&str> = self.sets.keys().map(String::as_str).collect();
                    let suggestion = suggest(&set_name.name, &names).map(str::to_string);
                    self.report(
                        Diagnostic::error(codes::UNKNOWN_SET, set_name.span, format!("no set is named `{}`", set_name.name))
                            .with_suggestion(suggestion.as_deref()),
                    );
                    (0, *negated)
                }
            },
            other => {
                self.report(type_mismatch(name, FieldType::Enum(kind), other).with_help(format!("write `{name} is {}` or `{name} in {{…}}`", kind.names()[0])));
                (0, false)
            }
        }
    }

    // ------------------------------------------------------------ policies

    fn define_policy(&mut self, file: usize, name: String) {
        let mut policy = Policy {
            name: name.clone(),
            uses: None,
            mutes: Vec::new(),
            extends: Vec::new(),
            // Rules are defined file by file in file order, so this file's are one run of the
            // list: found by binary search, not by a scan per policy (quadratic in files).
            rules: {
                let rules = &self.rule_set.rules;
                let (from, to) = (rules.partition_point(|r| r.origin.file < file), rules.partition_point(|r| r.origin.file <= file));
                (from..to).filter(|&i| matches!(&rules[i].jurisdiction, Jurisdiction::Policy(n) if *n == name)).collect()
            },
            origin: Origin { file, span: self.files[file].header.as_ref().map_or(Span::default(), |h| match h {
                ast::Header::Policy(i) | ast::Header::Jurisdiction(i) => i.span,
            }) },
        };
        let policy_index = self.rule_set.policies.len();
        for item in &self.files[file].items {
            match item {
                ast::Item::Use(decl) => {
                    if policy.uses.is_some() {
                        self.report(Diagnostic::error(codes::DUPLICATE_DEFINITION, decl.span, "`use` is written twice in this policy"));
                    }
                    policy.uses = Some(self.selection(decl));
                }
                ast::Item::Mute(mute) => {
                    if let Some(m) = self.mute(mute) {
                        self.facts.mutes.push((policy_index, policy.mutes.len(), mute.target.span));
                        policy.mutes.push(m);
                    }
                }
                ast::Item::Extend(extend) => {
                    let rules = self.pattern_targets(&extend.target, "extend");
                    let roles = self.role_list(&extend.roles);
                    policy.extends.push(Extension { pattern: pattern_text(&extend.target), rules, roles, origin: Origin { file, span: extend.target.span } });
                }
                _ => {}
            }
        }
        self.rule_set.policies.push(policy);
    }

    fn selection(&mut self, decl: &ast::UseDecl) -> Selection {
        let mut selection = Selection::default();
        for ident in &decl.selections {
            match ident.name.as_str() {
                "federal" => selection.federal = true,
                "states" => selection.all_states = true,
                code if STATE_JURISDICTIONS.contains(&code) => selection.states.push(code.to_string()),
                other => {
                    let mut candidates: Vec<&str> = vec!["federal", "states"];
                    candidates.extend_from_slice(STATE_JURISDICTIONS);
                    self.report(
                        Diagnostic::error(codes::UNKNOWN_VALUE, ident.span, format!("`{other}` is not a rule set"))
                            .with_label_text("expected `federal`, `states` or a state's code such as `MA`")
                            .with_suggestion(suggest(other, &candidates)),
                    );
                }
            }
        }
        selection
    }

    fn mute(&mut self, mute: &ast::MuteDef) -> Option<Mute> {
        let rules = self.pattern_targets(&mute.target, "mute");
        let mut reason = None;
        let mut approved = None;
        let mut until = None;
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        for clause in &mute.clauses {
            let key = match clause {
                ast::MuteClause::Reason(..) => "reason",
                ast::MuteClause::ApprovedBy(..) => "approved by",
                ast::MuteClause::Until(..) => "until",
            };
            if let Some(first) = seen.get(key) {
                let first = *first;
                self.report(
                    Diagnostic::error(codes::DUPLICATE_DEFINITION, clause.span(), format!("`{key}` is written twice in this mute")).with_label(first, "first written here"),
                );
                continue;
            }
            seen.insert(key, clause.span());
            match clause {
                ast::MuteClause::Reason(s, _) => reason = Some(s.value.clone()),
                ast::MuteClause::ApprovedBy(s, _) => approved = Some(s.value.clone()),
                ast::MuteClause::Until(d, _) => until = self.date(d),
            }
        }
        for (key, value) in [("reason", reason.as_ref().map(|r| r.trim().is_empty())), ("approved by", approved.as_ref().map(|a| a.trim().is_empty()))] {
            if value == Some(true) {
                self.report(Diagnostic::error(codes::INCOMPLETE_MUTE, mute.target.span, format!("the mute's `{key}` is empty")).with_help("a mute must say why and who approved it"));
            }
        }
        let missing: Vec<&str> = [("reason", seen.contains_key("reason")), ("approved by", seen.contains_key("approved by")), ("until", seen.contains_key("until"))]
            .iter()
            .filter(|(_, p)| !p)
            .map(|(k, _)| *k)
            .collect();
        if !missing.is_empty() {
            let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
            self.report(
                Diagnostic::error(codes::INCOMPLETE_MUTE, mute.target.span, format!("the mute of `{}` lacks {list}", pattern_text(&mute.target)))
                    .with_help("every mute carries a reason, an approver and an expiry: `reason \"…\"`, `approved by \"…\"`, `until 2027-01-01`"),
            );
        }
        Some(Mute {
            pattern: pattern_text(&mute.target),
            rules,
            reason: reason?,
            approved_by: approved?,
            until: until?,
            origin: Origin { file: self.current_file, span: mute.target.span },
        })
    }

    /// The rules a mute or extend pattern names; an unknown one is an error.
    fn pattern_targets(&mut self, pattern: &ast::RulePattern, what: &str) -> Vec<usize> {
        let prefix = format!("{}.", pattern.text);
        let matches: Vec<usize> = self
            .rule_set
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| if pattern.wildcard { r.id.starts_with(&prefix) } else { r.id == pattern.text })
            .map(|(i, _)| i)
            .collect();
        if matches.is_empty() {
            // A rule that failed to check is still a known id: do not pile an error on it.
            if !pattern.wildcard && self.rule_ids.contains_key(&pattern.text) {
                return matches;
            }
            let ids: Vec<&str> = self.rule_ids.keys().map(String::as_str).collect();
            let suggestion = suggest(&pattern.text, &ids).map(str::to_string);
            let message = if pattern.wildcard {
                format!("no rule id starts with `{}.`", pattern.text)
            } else {
                format!("no rule is named `{}`", pattern.text)
            };
            self.report(
                Diagnostic::error(codes::UNKNOWN_RULE, pattern.span, message)
                    .with_label_text(format!("cannot {what} a rule that does not exist"))
                    .with_suggestion(suggestion.as_deref()),
            );
        }
        matches
    }
}

fn pattern_text(pattern: &ast::RulePattern) -> String {
    if pattern.wildcard {
        format!("{}.*", pattern.text)
    } else {
        pattern.text.clone()
    }
}

fn clause_name(kind: &ast::ClauseKind) -> &'static str {
    match kind {
        ast::ClauseKind::Title(_) => "title",
        ast::ClauseKind::Cites(_) => "cites",
        ast::ClauseKind::Binds(_) => "binds",
        ast::ClauseKind::Effective { .. } => "effective",
        ast::ClauseKind::Locality(_) => "locality",
        ast::ClauseKind::Applies(_) => "applies when",
        ast::ClauseKind::Verdict { .. } => "blocks when",
        ast::ClauseKind::Unless(_) => "unless",
        ast::ClauseKind::Message(_) => "message",
    }
}

fn negate_if(negated: bool, cond: Cond) -> Cond {
    if negated {
        Cond::Not(Box::new(cond))
    } else {
        cond
    }
}

/// The longest window a history test may look back: 1,000 years (the checker's arithmetic
/// and the evaluator's date arithmetic stay far from overflow below it).
const MAX_WINDOW_SECONDS: u64 = 1_000 * 366 * 86_400;

fn int_value(lit: &ast::IntLit) -> i64 {
    i64::try_from(lit.value).unwrap_or(i64::MAX)
}

fn plural(kind: EnumKind) -> String {
    let noun = kind.describe().split_once(' ').map_or(kind.describe(), |(_, n)| n);
    if noun.ends_with('s') {
        noun.to_string()
    } else {
        format!("{noun}s")
    }
}

fn describe_value(value: &ast::Value) -> String {
    match value {
        ast::Value::Name(i) => format!("the name `{}`", i.name),
        ast::Value::Bool(b, _) => format!("`{b}`"),
        ast::Value::Int(i) => format!("the number {}", i.value),
        ast::Value::Str(s) => format!("the text \"{}\"", s.value),
    }
}

fn unknown_value(kind: EnumKind, ident: &ast::Ident) -> Diagnostic {
    let suggestion = suggest(&ident.name, kind.names());
    let diagnostic = Diagnostic::error(codes::UNKNOWN_VALUE, ident.span, format!("`{}` is not {}", ident.name, kind.describe()));
    match suggestion {
        Some(s) => diagnostic.with_label_text(format!("not {}", kind.describe())).with_suggestion(Some(s)),
        None => diagnostic.with_label_text(format!("expected {} such as {}", kind.describe(), kind.examples())),
    }
}

fn type_mismatch(name: &str, ty: FieldType, test: &Test) -> Diagnostic {
    let (span, found) = match test {
        Test::Is { value, .. } => (value.span(), describe_value(value)),
        Test::In { set: ast::SetExpr::Named(i), .. } => (i.span, format!("the set `{}`", i.name)),
        Test::In { set: ast::SetExpr::Literal { span, .. }, .. } => (*span, "a set".to_string()),
        Test::Number { op, value } => (value.span, format!("a comparison `{} {}`", op.as_str(), value.value)),
    };
    Diagnostic::error(codes::TYPE_MISMATCH, span, format!("`{name}` is {}, but it is compared with {found}", ty.describe()))
        .with_label_text(format!("not {}", ty.describe()))
}

fn type_mismatch_opt(name: &str, ty: FieldType, test: Option<&Test>, span: Span) -> Diagnostic {
    match test {
        Some(t) => type_mismatch(name, ty, t),
        None => Diagnostic::error(codes::TYPE_MISMATCH, span, format!("`{name}` is {}, not a yes/no value", ty.describe())),
    }
}

/// Why a figure cannot be shown for this condition, if it cannot.
fn missing_requirement(figure: Figure, condition: &Cond) -> Option<&'static str> {
    let has = |pred: &dyn Fn(&Cond) -> bool| cond_any(condition, pred);
    match figure {
        Figure::Count | Figure::Limit => (!has(&|c| matches!(c, Cond::Count { .. }))).then_some("a `count of` test"),
        Figure::Last => (!has(&|c| matches!(c, Cond::Count { .. } | Cond::Exists(_)))).then_some("a `count of` or `any` history test"),
        Figure::Case => (!has(&|c| matches!(c, Cond::CaseExists { .. }))).then_some("an `any case` test"),
        Figure::DoNotInteract => (!has(&|c| matches!(c, Cond::DoNotInteract))).then_some("a `do not interact is active` test"),
        _ => None,
    }
}

/// Does any node of the condition satisfy the predicate?
pub fn cond_any(cond: &Cond, pred: &dyn Fn(&Cond) -> bool) -> bool {
    if pred(cond) {
        return true;
    }
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().any(|p| cond_any(p, pred)),
        Cond::Not(inner) => cond_any(inner, pred),
        _ => false,
    }
}
