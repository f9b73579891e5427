//! The checked rule set: every name resolved, every literal validated, every type right.
//!
//! This is what the evaluator compiles; it holds no source text. [`Origin`] points back into
//! the files only for tools (coverage, catalog, diagnostics).

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use rulec_model::Field;
use rulec_model::{Channel, ConsentName, ConsentValue, EnumSet, Role, Vocabulary, Weekday};
pub use rulec_syntax::ast::CmpOp;
use rulec_syntax::Span;

/// All rules and policies of a rule directory, checked together.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub policies: Vec<Policy>,
}

impl RuleSet {
    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The policy with this name.
    pub fn policy(&self, name: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.name == name)
    }
}

/// Where a checked item was written: the file's index in the checked inputs and its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: usize,
    pub span: Span,
}

/// Whose law a rule is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Jurisdiction {
    Federal,
    /// A state or DC, by USPS code.
    State(String),
    /// A locality inside a state; `name` is what decisions report (`NYC`).
    Locality { state: String, name: String },
    /// A lender policy's business rule.
    Policy(String),
}

impl Jurisdiction {
    /// The name decisions report: `federal`, `MA`, `NYC`, `policy:acme_lending`.
    pub fn label(&self) -> String {
        match self {
            Jurisdiction::Federal => "federal".to_string(),
            Jurisdiction::State(code) => code.clone(),
            Jurisdiction::Locality { name, .. } => name.clone(),
            Jurisdiction::Policy(name) => format!("policy:{name}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Block,
    Warn,
}

/// One checked rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub citations: Vec<String>,
    /// The `##` doc comment, one entry per line.
    pub doc: Vec<String>,
    pub jurisdiction: Jurisdiction,
    pub roles: EnumSet<Role>,
    /// First day the rule is in force (inclusive), in the borrower's local date.
    pub effective_from: Option<NaiveDate>,
    /// Last day the rule is in force (inclusive).
    pub effective_until: Option<NaiveDate>,
    pub severity: Severity,
    /// The request must match this for the rule to apply (`applies when`).
    pub applies: Option<Cond>,
    /// The rule fires when this holds (`blocks when` / `warns when`).
    pub condition: Cond,
    /// The rule does not fire when any of these holds (`unless`).
    pub exceptions: Vec<Cond>,
    pub message: Option<Template>,
    pub origin: Origin,
}

impl Rule {
    /// The request channels the rule can apply to: those its `applies when` allows through
    /// top-level conjuncts that test `channel` (every channel when it does not say). The
    /// compiler indexes rules by it; the catalog lists it.
    pub fn channels(&self) -> EnumSet<Channel> {
        let mask = self.applies.as_ref().map_or(u128::MAX, channel_mask);
        Channel::ALL.iter().copied().filter(|c| mask & (1u128 << c.index()) != 0).collect()
    }
}

fn channel_mask(cond: &Cond) -> u128 {
    match cond {
        Cond::All(parts) => parts.iter().fold(u128::MAX, |mask, p| mask & channel_mask(p)),
        Cond::Field(FieldTest { field: Field::RequestChannel, test: ValueTest::InSet(mask) }) => *mask,
        Cond::Not(inner) => match inner.as_ref() {
            Cond::Field(FieldTest { field: Field::RequestChannel, test: ValueTest::InSet(mask) }) => !*mask,
            _ => u128::MAX,
        },
        _ => u128::MAX,
    }
}

/// A condition over the request, the borrower's records and time.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// A test of a field. Which record the field belongs to follows from [`Field`]; inside a
    /// history filter, contact fields are the past interaction's contact.
    Field(FieldTest),
    /// The wall-clock time is inside `window`, or outside it when `outside`. Like every
    /// local-time test, it holds if it holds in at least one of the borrower's candidate zones
    /// (or in `zone` alone, when the rule names a fixed zone), so `outside 08:00 to 21:00` in a
    /// blocking condition blocks unless the instant is inside the window in every zone.
    LocalTime { window: TimeWindow, outside: bool, zone: Option<Tz> },
    /// The local date is (or, `negated`, is not) one of these days of the week, in at least one
    /// zone.
    LocalDay { days: EnumSet<Weekday>, negated: bool, zone: Option<Tz> },
    /// The local date is (or, `negated`, is not) a US federal holiday or its observed day, in
    /// at least one zone.
    FederalHoliday { negated: bool, zone: Option<Tz> },
    /// The local date is within `[start, end]` (or outside it), in at least one zone.
    LocalDate { start: NaiveDate, end: NaiveDate, outside: bool, zone: Option<Tz> },
    /// The borrower's consent has this value (absent consents take the source's default, unless
    /// `recorded`: then only a consent the scenario lists counts), and, with `held`, has had it
    /// for at least (less than) a length of time since it was last recorded.
    Consent { name: ConsentName, value: ConsentValue, recorded: bool, held: Option<Elapsed> },
    /// Case filters only: the case's instant lies at least (less than) a length of time in the
    /// past. A case without that instant satisfies neither.
    CaseElapsed { instant: CaseInstant, elapsed: Elapsed },
    /// Case filters only: the borrower's age in whole years at the case's instant, compared.
    /// Without a date of birth or the instant, no comparison holds.
    AgeAtCase { instant: CaseInstant, op: CmpOp, limit: i64 },
    /// The interaction (in a history filter) or the request (elsewhere) answers an inbound
    /// interaction of the same person (`previousInteractionId`), that began at most `within`
    /// before it when given.
    Replies { within: Option<Period> },
    /// The number of matching past interactions compared with a limit.
    Count { query: HistoryQuery, op: CmpOp, limit: u32 },
    /// At least one matching past interaction.
    Exists(HistoryQuery),
    /// At least one case matching the filter (about the request's loans if `per_loan`).
    CaseExists { filter: Option<Box<Cond>>, per_loan: bool },
    /// An active Do Not Interact that matches the request's channel, theme, subject and contact.
    DoNotInteract,
}

/// Hours of the day: `[start, end]`, or `(start, end)` when `exclusive`, to the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeWindow {
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub exclusive: bool,
}

impl TimeWindow {
    /// Whether a local time (to the second: fractions are dropped) is inside the window.
    pub fn contains(&self, time: NaiveTime) -> bool {
        use chrono::Timelike;
        let time = time.with_nanosecond(0).unwrap_or(time);
        if self.exclusive {
            self.start < time && time < self.end
        } else {
            self.start <= time && time <= self.end
        }
    }
}

/// A length of time after an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    /// Minutes, hours or 24-hour days, as seconds.
    Exact { seconds: u64 },
    /// Whole local calendar days: it ends at the start of the local day `N` days after the
    /// event's day.
    CalendarDays(u32),
    /// Business days (weekdays that are not US federal holidays, local): it ends at the start
    /// of the local day after the `N`th business day that follows the event's day.
    BusinessDays(u32),
}

/// `at least N UNIT` / `less than N UNIT` since an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Elapsed {
    pub at_least: bool,
    pub period: Period,
}

/// The instants of a case that a case filter can measure from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseInstant {
    /// `createdAt`: when the case was opened (a notice received).
    Created,
    /// `closedAt`.
    Closed,
}

/// A field compared with a value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldTest {
    pub field: Field,
    pub test: ValueTest,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValueTest {
    /// An enum field's value is in the set (bit `i` = the value at index `i` of its vocabulary).
    /// An absent value (a request without a theme) is in no set.
    InSet(u128),
    Bool(bool),
    Int(CmpOp, i64),
    TextIn(Vec<String>),
}

/// Which past interactions a count or existence test looks at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HistoryQuery {
    /// Over interaction fields (and the interaction's contact); the noun's channel is folded in.
    pub filter: Option<Box<Cond>>,
    pub window: Window,
    pub scope: Scope,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Window {
    /// The last `seconds` before the instant of evaluation.
    Rolling { seconds: u64 },
    /// Today and the `days - 1` local calendar days before it (today is day 1).
    CalendarDays { days: u32 },
    /// The current local calendar week, starting on that day.
    CalendarWeek { starting: Weekday },
    /// The current local calendar month.
    CalendarMonth,
    /// Since the most recent interaction matching the filter (in the same scope); when none
    /// exists, all of the history.
    SinceLast { filter: Option<Box<Cond>> },
}

/// Whose interactions a history test counts: `who`, and with `per_loan` separately for each of
/// the request's loans (Regulation F's "per debt": the test holds if it holds for any one loan).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Scope {
    pub who: Who,
    pub per_loan: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Who {
    /// Every interaction of the borrower.
    Borrower,
    /// Interactions with the contacted contact.
    Contact,
    /// Interactions with any contact of the person the request is addressed to (the borrower's
    /// own contacts are one person; a third party's, one per affiliation and name).
    Person,
}

/// A message with `{placeholders}` for the figures the evaluator saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplatePart {
    Text(String),
    Figure(Figure),
}

/// The figures a message can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Figure {
    /// The count of the first `count of` test.
    Count,
    /// The limit of the first `count of` test.
    Limit,
    /// The loan the history test fired for (or the request's loans).
    Loan,
    /// When the most recent matching interaction started.
    Last,
    /// The local time in each candidate zone.
    LocalTimes,
    Channel,
    Theme,
    /// The matching case's id.
    Case,
    /// The matching Do Not Interact's id.
    DoNotInteract,
}

impl Figure {
    pub const ALL: &'static [(&'static str, Figure)] = &[
        ("count", Figure::Count),
        ("limit", Figure::Limit),
        ("loan", Figure::Loan),
        ("last", Figure::Last),
        ("local_times", Figure::LocalTimes),
        ("channel", Figure::Channel),
        ("theme", Figure::Theme),
        ("case", Figure::Case),
        ("dni", Figure::DoNotInteract),
    ];
}

/// A lender policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub name: String,
    /// Which regulatory rule sets apply; `None` (no `use`): all of them.
    pub uses: Option<Selection>,
    pub mutes: Vec<Mute>,
    pub extends: Vec<Extension>,
    /// Indices into [`RuleSet::rules`] of the policy's own business rules.
    pub rules: Vec<usize>,
    pub origin: Origin,
}

/// `use federal, states` / `use federal, MA`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub federal: bool,
    pub all_states: bool,
    pub states: Vec<String>,
}

/// A muted rule, with the accountability every mute must carry.
#[derive(Clone, Debug, PartialEq)]
pub struct Mute {
    pub pattern: String,
    /// Indices into [`RuleSet::rules`].
    pub rules: Vec<usize>,
    pub reason: String,
    pub approved_by: String,
    /// Last day the mute holds (inclusive); after it the rule is back in force.
    pub until: NaiveDate,
    pub origin: Origin,
}

/// `extend federal.reg_f.* to creditor`: these rules also bind these roles under the policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Extension {
    pub pattern: String,
    pub rules: Vec<usize>,
    pub roles: EnumSet<Role>,
    pub origin: Origin,
}
