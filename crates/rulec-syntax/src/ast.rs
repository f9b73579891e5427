//! The typed syntax tree of a rule or policy file.
//!
//! Every node carries the [`Span`] of the text it came from. The tree is faithful to the
//! source (clauses in the order written, parentheses kept, singular or plural nouns kept) so
//! that the formatter can print it back; the checker turns it into resolved, typed rules.
//! Equality of two trees "spans aside" is [`File::debug_without_spans`] compared with `==`.

use crate::Span;

/// A parsed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub header: Option<Header>,
    pub items: Vec<Item>,
    /// Every comment of the file, in order, so that tools that print the file keep them.
    pub comments: Vec<Comment>,
}

/// A `#` comment. `##` comments directly before a rule are also its [`RuleDef::doc`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, without the line break.
    pub text: String,
    pub span: Span,
}

/// An identifier as written, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal, unescaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

/// A whole number literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntLit {
    pub value: u64,
    pub span: Span,
}

/// A calendar date `YYYY-MM-DD` as written; the checker validates the ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateLit {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub span: Span,
}

/// A time of day `HH:MM` or `HH:MM:SS` as written; the checker validates the ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeLit {
    pub hour: u32,
    pub minute: u32,
    /// The seconds, when written (`07:30:15`); `None` for `HH:MM`.
    pub second: Option<u32>,
    pub span: Span,
}

/// The first line of a file: whose rules these are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Header {
    /// `jurisdiction MA`: must agree with the file's place under `rules/`.
    Jurisdiction(Ident),
    /// `policy acme_lending`: a lender policy, named like its file.
    Policy(Ident),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Set(SetDef),
    Rule(RuleDef),
    Use(UseDecl),
    Mute(MuteDef),
    Extend(ExtendDecl),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Set(s) => s.span,
            Item::Rule(r) => r.span,
            Item::Use(u) => u.span,
            Item::Mute(m) => m.span,
            Item::Extend(e) => e.span,
        }
    }
}

/// `set collection_themes: theme { opsCollDebt, opsCollLocateBorrower }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetDef {
    pub name: Ident,
    /// What the elements are: `theme`, `channel`, `affiliation`, …
    pub kind: Ident,
    pub elements: Vec<Value>,
    pub span: Span,
}

/// `rule federal.reg_f.call_frequency { … }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDef {
    pub id: Ident,
    /// The `##` comment lines right above the rule, without the `##`.
    pub doc: Vec<String>,
    pub clauses: Vec<Clause>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    pub kind: ClauseKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClauseKind {
    /// `title "…"`
    Title(Str),
    /// `cites "12 CFR 1006.14(b)(2)(i)", "15 U.S.C. 1692d(5)"`
    Cites(Vec<Str>),
    /// `binds collector` / `binds creditor, servicer` / `binds every role`
    Binds(Binds),
    /// `effective from 2021-11-30 until 2030-01-01`
    Effective { from: Option<DateLit>, until: Option<DateLit> },
    /// `locality nyc`: the rule binds only borrowers in that locality of the file's state.
    Locality(Ident),
    /// `applies when …`: the rule is considered only for requests that match.
    Applies(Expr),
    /// `blocks when …` / `warns when …`
    Verdict { severity: SeverityKw, condition: Expr },
    /// `unless …`: an exception; the rule does not fire when it holds.
    Unless(Expr),
    /// `message "…{count}…"`
    Message(Str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binds {
    EveryRole,
    Roles(Vec<Ident>),
}

/// The severity keyword of a verdict clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeverityKw {
    Blocks,
    Warns,
}

/// `use federal, states` (policy files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseDecl {
    pub selections: Vec<Ident>,
    pub span: Span,
}

/// `mute RULE { reason "…" approved by "…" until DATE }` (policy files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MuteDef {
    pub target: RulePattern,
    pub clauses: Vec<MuteClause>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MuteClause {
    Reason(Str, Span),
    ApprovedBy(Str, Span),
    Until(DateLit, Span),
}

impl MuteClause {
    pub fn span(&self) -> Span {
        match self {
            MuteClause::Reason(_, s) | MuteClause::ApprovedBy(_, s) | MuteClause::Until(_, s) => *s,
        }
    }
}

/// `extend federal.reg_f.* to creditor` (policy files): bind more roles than the law does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtendDecl {
    pub target: RulePattern,
    pub roles: Vec<Ident>,
    pub span: Span,
}

/// A rule id, or a prefix ending in `.*` that stands for every rule under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulePattern {
    /// The id, or the prefix without the trailing `.*`.
    pub text: String,
    pub wildcard: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// Kept small (large parts boxed): conditions nest, and every level of `not` and `(` holds one
/// on the stack of the parser, the checker and the formatter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Paren(Box<Expr>),
    /// `local time is within|outside WINDOW`, or `time in ZONE is …` for a fixed zone.
    LocalTime { zone: Option<Ident>, op: WindowOp, window: Box<TimeWindow> },
    /// `local day is Sunday` / `local day in weekend` / `day in ZONE is Sunday`
    LocalDay { zone: Option<Ident>, test: Test },
    /// `local date is [not] a federal holiday`
    FederalHoliday { zone: Option<Ident>, negated: bool },
    /// `local date is within|outside DATE to DATE`
    LocalDate { zone: Option<Ident>, op: WindowOp, start: DateLit, end: DateLit },
    /// `consent autodialedColl is revoked`, `… is recorded consented`,
    /// `… is revoked for at least 10 business days`
    Consent { name: Ident, value: Ident, recorded: bool, held: Option<Box<Elapsed>> },
    /// `createdAt is at least 72 hours ago` (an instant of the record a filter looks at)
    ElapsedSince { field: Ident, elapsed: Elapsed },
    /// `borrower.age at createdAt < 18`
    AgeAt { field: Ident, at: Ident, op: CmpOp, value: IntLit },
    /// `replies to inbound [within N UNIT]`
    Replies { within: Option<(IntLit, ElapsedUnit)> },
    /// `count of calls … >= 7`
    Count { history: Box<History>, op: CmpOp, limit: IntLit },
    /// `any call …`
    Any(Box<History>),
    /// `any case where …`
    AnyCase { plural: bool, filter: Option<Box<Expr>>, per_loan: bool },
    /// `do not interact is active`
    DoNotInteract,
    /// `channel is voice`, `theme in collection_themes`, `contact.verified`
    Compare { field: Ident, test: Option<Test> },
}

/// The hours of a local-time test: `[from] 08:00 to 21:00` includes both ends; `after 08:00
/// and before 21:00` excludes both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeWindow {
    pub start: TimeLit,
    pub end: TimeLit,
    pub exclusive: bool,
    /// `from` was written before an inclusive window (kept for printing).
    pub from_keyword: bool,
}

/// How long ago something happened: `at least 72 hours`, `less than 10 business days`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elapsed {
    pub at_least: bool,
    pub amount: IntLit,
    pub unit: ElapsedUnit,
    pub span: Span,
}

/// The unit of an [`Elapsed`] length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElapsedUnit {
    /// Minutes, hours or 24-hour days.
    Exact(TimeUnit),
    /// `calendar days` (`plural` false: `calendar day`).
    Calendar { plural: bool },
    /// `business days`: weekdays that are not US federal holidays.
    Business { plural: bool },
}

impl ElapsedUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            ElapsedUnit::Exact(unit) => unit.as_str(),
            ElapsedUnit::Calendar { plural: true } => "calendar days",
            ElapsedUnit::Calendar { plural: false } => "calendar day",
            ElapsedUnit::Business { plural: true } => "business days",
            ElapsedUnit::Business { plural: false } => "business day",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowOp {
    Within,
    Outside,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
        }
    }
}

/// What follows a field: `is [not] VALUE`, `[not] in SET`, `>= N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Test {
    Is { negated: bool, value: Value },
    In { negated: bool, set: SetExpr },
    Number { op: CmpOp, value: IntLit },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetExpr {
    Named(Ident),
    Literal { elements: Vec<Value>, span: Span },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Name(Ident),
    Bool(bool, Span),
    Int(IntLit),
    Str(Str),
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Name(i) => i.span,
            Value::Bool(_, s) => *s,
            Value::Int(i) => i.span,
            Value::Str(s) => s.span,
        }
    }
}

/// The past interactions a count or an existence test looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    pub noun: Noun,
    pub filter: Option<Box<Expr>>,
    pub window: Window,
    /// The scopes as written (none: the borrower's whole history).
    pub scopes: Vec<HistoryScope>,
    pub span: Span,
}

/// `interactions`, `calls` (voice), `texts`, `emails`, `letters` (mail); singular or plural.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Noun {
    pub kind: NounKind,
    pub plural: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NounKind {
    Interaction,
    Call,
    Text,
    Email,
    Letter,
}

impl Noun {
    pub fn as_str(self) -> &'static str {
        match (self.kind, self.plural) {
            (NounKind::Interaction, false) => "interaction",
            (NounKind::Interaction, true) => "interactions",
            (NounKind::Call, false) => "call",
            (NounKind::Call, true) => "calls",
            (NounKind::Text, false) => "text",
            (NounKind::Text, true) => "texts",
            (NounKind::Email, false) => "email",
            (NounKind::Email, true) => "emails",
            (NounKind::Letter, false) => "letter",
            (NounKind::Letter, true) => "letters",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Window {
    /// `in the last 24 hours`: a sliding duration ending now.
    Rolling { amount: IntLit, unit: TimeUnit },
    /// `in the last 7 calendar days`: today (day 1) and the days before, in local time.
    CalendarDays(IntLit),
    /// `today`, in local time.
    Today,
    /// `this calendar week starting Sunday`
    CalendarWeek { starting: Ident },
    /// `this calendar month`
    CalendarMonth,
    /// `since the last call where status is connected`
    SinceLast { noun: Noun, filter: Option<Box<Expr>> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Minute,
    Minutes,
    Hour,
    Hours,
    Day,
    Days,
}

impl TimeUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Minute => "minute",
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hour => "hour",
            TimeUnit::Hours => "hours",
            TimeUnit::Day => "day",
            TimeUnit::Days => "days",
        }
    }
    /// The length of one unit in seconds.
    pub fn seconds(self) -> u64 {
        match self {
            TimeUnit::Minute | TimeUnit::Minutes => 60,
            TimeUnit::Hour | TimeUnit::Hours => 3_600,
            TimeUnit::Day | TimeUnit::Days => 86_400,
        }
    }
}

/// Whose interactions are counted (one scope of a history test; `about this loan` combines
/// with one of the others).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryScope {
    /// `for this borrower`
    Borrower,
    /// `to this contact`
    Contact,
    /// `to this person`: every contact of the person the request is addressed to.
    Person,
    /// `about this loan`: per debt, as Regulation F counts.
    Loan,
}
