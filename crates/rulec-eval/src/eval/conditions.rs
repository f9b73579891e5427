//! Whether a condition holds at an instant, and what it saw (for traces and messages).

use super::{Ctx, Seen};
use crate::decision::TraceFigure;
use crate::history::window;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rulec_check::checked::{CaseInstant, CmpOp, Cond, FieldTest, HistoryQuery, Scope, TimeWindow, ValueTest, Who, Window};
use super::message::describe_window;
use rulec_model::{Field, Theme, Vocabulary};
use rulec_scenario::{Case, Interaction};

impl Ctx<'_> {
    // ------------------------------------------------------------ truth

    pub(super) fn holds(&self, cond: &Cond, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        match cond {
            Cond::All(parts) => {
                // Evaluate every part when collecting figures, so the trace shows them all.
                if seen.is_some() {
                    parts.iter().fold(true, |acc, p| self.holds(p, t, seen) && acc)
                } else {
                    parts.iter().all(|p| match p {
                        Cond::Field(test) => self.field_holds(test),
                        _ => self.holds(p, t, seen),
                    })
                }
            }
            Cond::Any(parts) => {
                if seen.is_some() {
                    parts.iter().fold(false, |acc, p| self.holds(p, t, seen) || acc)
                } else {
                    parts.iter().any(|p| match p {
                        Cond::Field(test) => self.field_holds(test),
                        _ => self.holds(p, t, seen),
                    })
                }
            }
            Cond::Not(inner) => !self.holds(inner, t, seen),
            Cond::Field(test) => self.field_holds(test),
            Cond::LocalTime { zone, .. } | Cond::LocalDay { zone, .. } | Cond::FederalHoliday { zone, .. } | Cond::LocalDate { zone, .. } => self.local_holds(cond, zone, t, seen),
            Cond::Consent { name, value, recorded, held } => self.consent_holds(*name, *value, *recorded, held.as_ref(), t, seen),
            Cond::Replies { within } => self.s.request().previous.is_some_and(|p| self.replies(p, Some(self.s.request().contact), t, *within)),
            // Case filters only; `case_matches` evaluates them.
            Cond::CaseElapsed { .. } | Cond::AgeAtCase { .. } => false,
            Cond::Count { query, op, limit } => self.count_holds(query, *op, *limit, t, seen),
            Cond::Exists(query) => self.count_holds(query, CmpOp::Ge, 1, t, seen),
            Cond::CaseExists { filter, per_loan } => self.case_exists(filter.as_deref(), *per_loan, t, seen),
            Cond::DoNotInteract => self.dni_holds(t, seen),
        }
    }

    // The atoms below are kept out of `holds` (`inline(never)`): inlined, their bodies made
    // the frame of every recursive call of `holds` several hundred bytes, and most calls are
    // `and`, `or`, `not` and field tests.

    #[inline(never)]
    fn local_holds(&self, cond: &Cond, zone: &Option<chrono_tz::Tz>, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        let mut any = false;
        for zone in self.zones(zone) {
            let local = self.local(*zone, t);
            let holds = local_atom(cond, local.time(), local.date_naive());
            any |= holds;
            if let (Some(seen), Cond::LocalTime { window, outside, .. }) = (seen.as_deref_mut().filter(|s| s.tracing), cond) {
                seen.figures.push(TraceFigure::LocalTime {
                    timezone: zone.name().to_string(),
                    local_time: local.to_rfc3339(),
                    test: format!("{} {}", if *outside { "outside" } else { "within" }, describe_hours(window)),
                    holds,
                });
            }
        }
        any
    }

    #[inline(never)]
    fn consent_holds(&self, name: rulec_model::ConsentName, value: rulec_model::ConsentValue, recorded: bool, held: Option<&rulec_check::checked::Elapsed>, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        let record = self.s.recorded_consent(name);
        let actual = match record {
            Some(r) => Some(r.value),
            None if recorded => None,
            None => Some(self.s.consent(name)),
        };
        let since = record.and_then(|r| r.updated_at.or(r.created_at));
        let holds = actual == Some(value) && held.is_none_or(|h| self.elapsed_holds(since, h, t));
        if let Some(seen) = seen.as_deref_mut().filter(|s| s.tracing) {
            let shown = actual.map_or("(not recorded)", |v| v.name());
            seen.figures.push(TraceFigure::Consent { name: name.name().to_string(), value: shown.to_string(), holds });
        }
        holds
    }

    #[inline(never)]
    fn case_exists(&self, filter: Option<&Cond>, per_loan: bool, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        // The case named in messages is the matching one with the least id, so that the
        // decision does not depend on the order of `cases` (ids are unique).
        let found = self
            .s
            .cases()
            .iter()
            .filter(|case| filter.is_none_or(|f| self.case_matches(f, case, t)) && (!per_loan || self.case_about_request_loans(case)))
            .min_by(|a, b| a.id.cmp(&b.id));
        if let (Some(case), Some(seen)) = (found, seen.as_deref_mut()) {
            if seen.tracing {
                seen.figures.push(TraceFigure::Case { id: case.id.clone(), case_type: case.case_type.name().to_string() });
            }
            seen.case.get_or_insert_with(|| case.id.clone());
        }
        found.is_some()
    }

    #[inline(never)]
    fn dni_holds(&self, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        let mut active: Vec<_> = self.matching_dnis().filter(|d| d.starts_at.is_none_or(|s| s <= t) && d.expires_at.is_none_or(|e| t < e)).collect();
        // In an order that does not depend on the order of `cases` (the first is named).
        active.sort_by(|a, b| (&a.id, a.starts_at, a.expires_at).cmp(&(&b.id, b.starts_at, b.expires_at)));
        if let Some(seen) = seen.as_deref_mut() {
            for d in &active {
                let id = || d.id.clone().unwrap_or_else(|| "(unnamed)".into());
                if seen.tracing {
                    seen.figures.push(TraceFigure::DoNotInteract { id: id(), expires_at: d.expires_at });
                }
                if seen.dni.is_none() {
                    seen.dni = Some(id());
                }
            }
        }
        !active.is_empty()
    }

    /// A field test outside history and case filters: a bit test for the fields with one
    /// value per decision ([`RequestBits`]), else [`Ctx::request_field`].
    #[inline]
    pub(super) fn field_holds(&self, test: &FieldTest) -> bool {
        match (&test.test, self.request_bits.get(test.field)) {
            (ValueTest::InSet(mask), Some(bit)) => mask & bit != 0,
            _ => self.request_field(test),
        }
    }

    #[inline(never)]
    fn request_field(&self, test: &FieldTest) -> bool {
        let contact = self.s.request_contact();
        let request = self.s.request();
        let value = |index: Option<usize>| in_set(&test.test, index);
        let boolean = |b: bool| matches!(test.test, ValueTest::Bool(expected) if expected == b);
        match test.field {
            Field::RequestChannel => value(Some(request.channel.index())),
            Field::RequestTheme => value(request.theme.map(Vocabulary::index)),
            Field::RequestSubject => value(request.subject.map(Vocabulary::index)),
            Field::RequestIsAutodialed => boolean(request.is_autodialed),
            Field::BorrowerPersonType => value(Some(self.s.borrower().person_type.index())),
            Field::BorrowerAge => match (&test.test, self.borrower_age()) {
                (ValueTest::Int(op, limit), Some(age)) => compare(age, *op, *limit),
                // An unknown age satisfies no comparison: `borrower.age < 18` is false for a
                // borrower whose date of birth is not on file.
                _ => false,
            },
            Field::LoanStatus | Field::LoanDebtType | Field::LoanTimeBarred | Field::LoanDaysPastDue | Field::LoanType => {
                self.loans.iter().any(|&l| loan_field(test, &self.s.loans()[l]))
            }
            _ => contact_field(test, contact),
        }
    }

    fn count_holds(&self, query: &HistoryQuery, op: CmpOp, limit: u32, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        let Some(seen) = seen.as_deref_mut() else {
            // The hot path: count, without collecting what was counted, until a partition holds.
            return self.each_part_count(query, t, |_, count, _| compare(count, op, limit));
        };
        if !seen.tracing {
            // A message needs each partition's count and newest interaction; the lists are
            // kept for the rule's release time, which looks at the same ones.
            let counted = self.counted_parts(query, t);
            let mut any = false;
            for part in counted.parts() {
                let count = part.count();
                let holds = compare(count, op, limit);
                note_count(seen, self, (holds, any), (count, limit), part.loan, part.newest(self));
                any |= holds;
            }
            self.counted_for_message.set(Some((std::ptr::from_ref(query) as usize, t, counted)));
            return any;
        }
        // A trace (`explain`): every partition's figures with the interactions it counted.
        let counted = self.counted_parts(query, t);
        let mut any = false;
        for part in counted.parts() {
            let count = part.count();
            let holds = compare(count, op, limit);
            let listed: Vec<String> = part.oldest(self).take(LISTED_INTERACTIONS).map(|i| self.s.interactions()[i as usize].id.clone()).collect();
            seen.figures.push(TraceFigure::Count {
                count,
                op: op.as_str().to_string(),
                limit,
                window: describe_window(&query.window),
                loan: part.loan.map(|l| self.s.loans()[l].id.clone()),
                unlisted: count.saturating_sub(listed.len() as u32),
                interactions: listed,
                holds,
            });
            note_count(seen, self, (holds, any), (count, limit), part.loan, part.newest(self));
            any |= holds;
        }
        any
    }

    /// Each partition of the query's scope at `t` (as [`Ctx::counted_parts`] makes them), in
    /// the same order: its loan, its count and its newest counted interaction, until `f`
    /// answers true (the answer). Collects nothing, except once the counted interactions that
    /// name no loan for `since the last …` windows counted per loan (each loan's window then
    /// starts where its own does).
    fn each_part_count(&self, query: &HistoryQuery, t: DateTime<Utc>, mut f: impl FnMut(Option<usize>, u32, Option<u32>) -> bool) -> bool {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        // The number and the last of an oldest-first iterator.
        let tally = |it: &mut dyn Iterator<Item = u32>| it.fold((0usize, None), |(n, _), i| (n + 1, Some(i)));
        // The newer of a partition's own newest and the shared newest, as `Part::newest` orders them.
        let newest = |own: Option<u32>, shared: Option<u32>| Part { loan: None, own: own.as_slice(), shared: shared.as_slice() }.newest(self);
        if !self.per_loan(query.scope) {
            let (n, last) = tally(&mut self.counted(self.whole_partition(query.scope), query, t));
            return f(None, count(n), last);
        }
        let shared_partition = &self.history.without_loan[..];
        let start = self.window_start(shared_partition, query, t);
        if !matches!(query.window, Window::SinceLast { .. }) {
            let (shared, shared_last) = tally(&mut self.counted_in(shared_partition, query, start, t));
            return self.loans.iter().any(|&l| {
                let (own, own_last) = tally(&mut self.counted_in(&self.history.by_loan[l], query, start, t));
                f(Some(l), count(own + shared), newest(own_last, shared_last))
            });
        }
        let shared: Vec<u32> = self.counted_in(shared_partition, query, start, t).collect();
        self.loans.iter().any(|&l| {
            let own_partition = &self.history.by_loan[l][..];
            let from = self.window_start(own_partition, query, t).0.max(start.0);
            let skip = shared.partition_point(|&i| Some(self.s.interactions()[i as usize].start_at) <= from);
            let (own, own_last) = tally(&mut self.counted_in(own_partition, query, (from, false), t));
            f(Some(l), count(own + shared.len() - skip), newest(own_last, shared[skip..].last().copied()))
        })
    }

    /// Whether a scope is counted separately for each of the request's loans.
    fn per_loan(&self, scope: Scope) -> bool {
        scope.per_loan && !self.loans.is_empty()
    }

    /// The interactions a query counts at `t`, per partition of its scope: the whole scope, or
    /// each of the request's loans for per-loan scopes. A loan's partition is its own
    /// interactions and those that name no loan (taken to be about every loan); the latter are
    /// collected once, not once per loan, so that this is linear in the history.
    pub(super) fn counted_parts(&self, query: &HistoryQuery, t: DateTime<Utc>) -> Counted {
        if !self.per_loan(query.scope) {
            let own = self.counted(self.whole_partition(query.scope), query, t).collect();
            return Counted { shared: Vec::new(), parts: vec![(None, own, 0)] };
        }
        let shared_partition = &self.history.without_loan[..];
        let start = self.window_start(shared_partition, query, t);
        let shared: Vec<u32> = self.counted_in(shared_partition, query, start, t).collect();
        let since_last = matches!(query.window, Window::SinceLast { .. });
        let parts = self
            .loans
            .iter()
            .map(|&l| {
                let own_partition = &self.history.by_loan[l][..];
                if !since_last {
                    return (Some(l), self.counted_in(own_partition, query, start, t).collect(), 0);
                }
                let from = self.window_start(own_partition, query, t).0.max(start.0);
                let skip = shared.partition_point(|&i| Some(self.s.interactions()[i as usize].start_at) <= from);
                (Some(l), self.counted_in(own_partition, query, (from, false), t).collect(), skip)
            })
            .collect();
        Counted { shared, parts }
    }

    /// The partition of a scope that is not counted per loan: the contact's own interactions for
    /// `to this contact`, else all of them (`to this person` filters them in `counted`).
    fn whole_partition(&self, scope: Scope) -> &[u32] {
        match scope.who {
            Who::Contact if !scope.per_loan => &self.history.by_contact[self.s.request().contact],
            _ => &self.history.all,
        }
    }

    /// Whether a past interaction is inside the scope's `who` (the partition already holds it).
    fn in_scope(&self, who: Who, interaction: &Interaction) -> bool {
        match who {
            Who::Borrower => true,
            Who::Contact => interaction.contact == Some(self.s.request().contact),
            Who::Person => interaction.contact.is_some_and(|c| self.same_person(c, self.s.request().contact)),
        }
    }

    /// The interactions of a partition that the query counts at instant `t`, oldest first
    /// (an iterator, so that the hot path counts without collecting).
    pub(super) fn counted<'p>(&'p self, partition: &'p [u32], query: &'p HistoryQuery, t: DateTime<Utc>) -> impl Iterator<Item = u32> + 'p {
        self.counted_in(partition, query, self.window_start(partition, query, t), t)
    }

    /// The interactions of a partition that the query counts in the window from `start` (an
    /// instant, and whether it is included) to `t`, oldest first.
    fn counted_in<'p>(&'p self, partition: &'p [u32], query: &'p HistoryQuery, start: (Option<DateTime<Utc>>, bool), t: DateTime<Utc>) -> impl Iterator<Item = u32> + 'p {
        window(partition, self.s, start.0, start.1, t).iter().copied().filter(move |&i| {
            let interaction = &self.s.interactions()[i as usize];
            self.in_scope(query.scope.who, interaction) && query.filter.as_ref().is_none_or(|f| self.interaction_matches(f, interaction))
        })
    }

    /// Where a window begins at instant `t`: the instant and whether it is included. Only a
    /// `since the last …` window depends on the partition.
    fn window_start(&self, partition: &[u32], query: &HistoryQuery, t: DateTime<Utc>) -> (Option<DateTime<Utc>>, bool) {
        let zones = &self.location.zones;
        let earliest = |f: &dyn Fn(Tz) -> DateTime<Utc>| zones.iter().map(|z| f(*z)).min();
        match &query.window {
            Window::Rolling { seconds } => (Some(t - Duration::seconds(i64::try_from(*seconds).unwrap_or(i64::MAX / 2_000))), false),
            Window::CalendarDays { days } => {
                if let Some((d, at, start)) = self.calendar_days_start.get() {
                    if (d, at) == (*days, t) {
                        return (start, true);
                    }
                }
                let start = earliest(&|z| {
                    let today = self.local(z, t).date_naive();
                    let first = today - Duration::days(i64::from(*days) - 1);
                    rulec_time::window::start_of_local_day(first, z)
                });
                self.calendar_days_start.set(Some((*days, t, start)));
                (start, true)
            }
            Window::CalendarWeek { starting } => (earliest(&|z| rulec_time::window::start_of_week(t, z, *starting)), true),
            Window::CalendarMonth => (earliest(&|z| rulec_time::window::start_of_month(t, z)), true),
            Window::SinceLast { filter } => {
                let upto = window(partition, self.s, None, true, t);
                let last = upto.iter().rev().find(|&&i| {
                    let interaction = &self.s.interactions()[i as usize];
                    self.in_scope(query.scope.who, interaction) && filter.as_ref().is_none_or(|f| self.interaction_matches(f, interaction))
                });
                (last.map(|&i| self.s.interactions()[i as usize].start_at), false)
            }
        }
    }

    /// When a counted interaction leaves the window (nothing else happening); `None`: never.
    pub(super) fn leave_time(&self, query: &HistoryQuery, interaction: &Interaction, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let zones = &self.location.zones;
        let latest = |f: &dyn Fn(Tz) -> DateTime<Utc>| zones.iter().map(|z| f(*z)).max();
        match &query.window {
            Window::Rolling { seconds } => Some(interaction.start_at + Duration::seconds(i64::try_from(*seconds).unwrap_or(i64::MAX / 2_000))),
            Window::CalendarDays { days } => latest(&|z| {
                let date = z.from_utc_datetime(&interaction.start_at.naive_utc()).date_naive();
                rulec_time::window::start_of_local_day(date + Duration::days(i64::from(*days)), z)
            }),
            Window::CalendarWeek { starting } => latest(&|z| {
                let start = rulec_time::window::start_of_week(t, z, *starting);
                let date = z.from_utc_datetime(&start.naive_utc()).date_naive();
                rulec_time::window::start_of_local_day(date + Duration::days(7), z)
            }),
            Window::CalendarMonth => latest(&|z| {
                let local = self.local(z, t).date_naive();
                let next = if local.month() == 12 {
                    NaiveDate::from_ymd_opt(local.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(local.year(), local.month() + 1, 1)
                };
                rulec_time::window::start_of_local_day(next.unwrap_or(local), z)
            }),
            Window::SinceLast { .. } => None,
        }
    }

    fn interaction_matches(&self, filter: &Cond, interaction: &Interaction) -> bool {
        // Field tests, most of a filter, are made in place rather than by a call each.
        let part_matches = |p: &Cond| match p {
            Cond::Field(test) => self.interaction_field(test, interaction),
            _ => self.interaction_matches(p, interaction),
        };
        match filter {
            Cond::All(parts) => parts.iter().all(part_matches),
            Cond::Any(parts) => parts.iter().any(part_matches),
            Cond::Not(inner) => !self.interaction_matches(inner, interaction),
            Cond::Field(test) => self.interaction_field(test, interaction),
            Cond::Replies { within } => interaction.previous.is_some_and(|p| self.replies(p, interaction.contact, interaction.start_at, *within)),
            // The checker admits only field tests in history filters.
            _ => false,
        }
    }

    /// A field test in a history filter: of the past interaction, or of its contact.
    #[inline]
    fn interaction_field(&self, test: &FieldTest, interaction: &Interaction) -> bool {
        let value = |index: Option<usize>| in_set(&test.test, index);
        match test.field {
            Field::InteractionChannel => value(Some(interaction.channel.index())),
            Field::InteractionDirection => value(Some(interaction.direction.index())),
            Field::InteractionTheme => value(interaction.theme.map(Vocabulary::index)),
            Field::InteractionSubject => value(interaction.subject.map(Vocabulary::index)),
            Field::InteractionStatus => value(Some(interaction.status.index())),
            Field::InteractionIsAutodialed => matches!(test.test, ValueTest::Bool(b) if b == interaction.is_autodialed),
            _ => interaction.contact.is_some_and(|c| contact_field(test, &self.s.contacts()[c])),
        }
    }

    /// Whether a case matches a case filter at instant `t` (the filter may measure time since
    /// the case's instants).
    pub(super) fn case_matches(&self, filter: &Cond, case: &Case, t: DateTime<Utc>) -> bool {
        match filter {
            Cond::All(parts) => parts.iter().all(|p| self.case_matches(p, case, t)),
            Cond::Any(parts) => parts.iter().any(|p| self.case_matches(p, case, t)),
            Cond::Not(inner) => !self.case_matches(inner, case, t),
            Cond::Field(FieldTest { field, test: ValueTest::InSet(mask) }) => {
                let index = match field {
                    Field::CaseType => Some(case.case_type.index()),
                    Field::CaseStatus => Some(case.status.index()),
                    Field::CaseOutcome => case.outcome.map(Vocabulary::index),
                    _ => None,
                };
                index.is_some_and(|i| mask & (1u128 << i) != 0)
            }
            // A case without the instant satisfies neither `at least` nor `less than`.
            Cond::CaseElapsed { instant, elapsed } => case_instant(case, *instant).is_some_and(|at| self.elapsed_holds(Some(at), elapsed, t)),
            Cond::AgeAtCase { instant, op, limit } => {
                case_instant(case, *instant).and_then(|at| self.age_at(at)).is_some_and(|age| compare(age, *op, *limit))
            }
            _ => false,
        }
    }

    fn case_about_request_loans(&self, case: &Case) -> bool {
        case.loans.is_empty() || case.loans.iter().any(|l| self.loans.binary_search(l).is_ok())
    }

    /// Do Not Interacts that match the request's channel, theme, subject and contact, whatever
    /// their dates. An empty list matches everything, except that "all themes" leaves out
    /// `opsAccountCredentials`, as the platform's Do Not Interact documentation states.
    pub(super) fn matching_dnis(&self) -> impl Iterator<Item = &rulec_scenario::DoNotInteract> + '_ {
        let request = self.s.request();
        self.s.cases().iter().flat_map(|c| c.do_not_interact.iter()).filter(move |d| {
            let channel = d.channels.is_empty() || d.channels.contains(&request.channel);
            let theme = if d.themes.is_empty() {
                request.theme != Some(Theme::OpsAccountCredentials)
            } else {
                request.theme.is_some_and(|t| d.themes.contains(&t))
            };
            let subject = d.subjects.is_empty() || request.subject.is_some_and(|s| d.subjects.contains(&s));
            let contact = d.contacts.is_empty() || d.contacts.contains(&request.contact);
            channel && theme && subject && contact
        })
    }

}

/// Keeps a count's figures for the message when they are the better ones: the loan that fired
/// (or the largest count when none did); on a tie, the least loan id, so that the message does
/// not depend on the order of the loans. `holds_any` is whether this partition's count holds
/// and whether one before it did.
fn note_count(seen: &mut Seen, cx: &Ctx<'_>, (holds, any): (bool, bool), (count, limit): (u32, u32), loan: Option<usize>, newest: Option<u32>) {
    let loan_id = loan.map(|l| cx.s.loans()[l].id.as_str());
    let better = match seen.count {
        None => true,
        Some((c, _)) => (holds && !any) || (holds == any && (count > c || (count == c && loan_id < seen.loan.map(|l| cx.s.loans()[l].id.as_str())))),
    };
    if better {
        seen.count = Some((count, limit));
        seen.loan = loan;
        seen.last = newest.map(|i| cx.s.interactions()[i as usize].start_at);
    }
}

/// How many interactions a count's figure lists (oldest first); the rest are counted in
/// `unlisted`, so that a trace stays linear in the history however many loans count it.
pub const LISTED_INTERACTIONS: usize = 100;

/// The interactions a history query counts at an instant, per partition of its scope (built by
/// [`Ctx::counted_parts`]).
pub(super) struct Counted {
    /// Per-loan scopes: the counted interactions that name no loan, oldest first.
    shared: Vec<u32>,
    /// Per partition: its loan (per-loan scopes), its own counted interactions (oldest first),
    /// and how many of `shared` fall before its window (only `since the last …` windows differ
    /// by loan).
    parts: Vec<(Option<usize>, Vec<u32>, usize)>,
}

impl Counted {
    /// Per-loan scopes: the counted interactions that name no loan, oldest first.
    pub(super) fn shared(&self) -> &[u32] {
        &self.shared
    }

    pub(super) fn parts(&self) -> impl Iterator<Item = Part<'_>> {
        self.parts.iter().map(|(loan, own, skip)| Part { loan: *loan, own, shared: &self.shared[*skip..] })
    }
}

/// One partition's counted interactions: `own` and `shared` together, each oldest first.
pub(super) struct Part<'c> {
    pub(super) loan: Option<usize>,
    pub(super) own: &'c [u32],
    pub(super) shared: &'c [u32],
}

impl Part<'_> {
    pub(super) fn count(&self) -> u32 {
        u32::try_from(self.own.len() + self.shared.len()).unwrap_or(u32::MAX)
    }

    /// Every counted interaction, oldest first (ties by id, as the index sorts them).
    pub(super) fn oldest<'a>(&'a self, cx: &'a Ctx<'_>) -> impl Iterator<Item = u32> + 'a {
        let key = move |i: u32| {
            let interaction = &cx.s.interactions()[i as usize];
            (interaction.start_at, interaction.id.as_str())
        };
        let (mut own, mut shared) = (self.own.iter().copied().peekable(), self.shared.iter().copied().peekable());
        std::iter::from_fn(move || match (own.peek(), shared.peek()) {
            (Some(&a), Some(&b)) if key(b) < key(a) => shared.next(),
            (Some(_), _) => own.next(),
            (None, _) => shared.next(),
        })
    }

    /// The most recent counted interaction.
    pub(super) fn newest(&self, cx: &Ctx<'_>) -> Option<u32> {
        let key = |i: &u32| {
            let interaction = &cx.s.interactions()[*i as usize];
            (interaction.start_at, interaction.id.as_str())
        };
        self.own.last().into_iter().chain(self.shared.last()).max_by_key(|i| key(i)).copied()
    }
}

fn local_atom(cond: &Cond, time: NaiveTime, date: NaiveDate) -> bool {
    match cond {
        Cond::LocalTime { window, outside, .. } => window.contains(time) != *outside,
        Cond::LocalDay { days, negated, .. } => days.contains(rulec_time::window::weekday_of(date)) != *negated,
        Cond::FederalHoliday { negated, .. } => rulec_time::is_us_federal_holiday(date) != *negated,
        Cond::LocalDate { start, end, outside, .. } => (*start <= date && date <= *end) != *outside,
        _ => false,
    }
}

/// An enum field's value (its index, absent: `None`) against a set test; absent is in no set.
/// The request's enum fields that have one value per decision (its channel, theme and
/// subject, its contact's type, label, affiliation and status, the borrower's person type),
/// each as the bit its value has in a set test (`InSet`): most rules' scope tests these.
pub(super) struct RequestBits {
    /// By `Field as usize`; 0 for an absent value (in no set).
    bits: [u128; 32],
}

const SINGLE_VALUED: [Field; 8] = [
    Field::RequestChannel,
    Field::RequestTheme,
    Field::RequestSubject,
    Field::ContactType,
    Field::ContactLabel,
    Field::ContactAffiliation,
    Field::ContactStatus,
    Field::BorrowerPersonType,
];

/// Which fields [`RequestBits`] holds, one bit per `Field as usize`.
const SINGLE_VALUED_MASK: u32 = {
    let mut mask = 0;
    let mut i = 0;
    while i < SINGLE_VALUED.len() {
        mask |= 1 << SINGLE_VALUED[i] as u32;
        i += 1;
    }
    mask
};

impl RequestBits {
    pub(super) fn of(s: &rulec_scenario::Scenario) -> RequestBits {
        let (request, contact) = (s.request(), s.request_contact());
        let mut bits = [0u128; 32];
        let mut set = |field: Field, index: Option<usize>| bits[field as usize] = index.map_or(0, |i| 1u128 << i);
        set(Field::RequestChannel, Some(request.channel.index()));
        set(Field::RequestTheme, request.theme.map(Vocabulary::index));
        set(Field::RequestSubject, request.subject.map(Vocabulary::index));
        set(Field::ContactType, Some(contact.contact_type.index()));
        set(Field::ContactLabel, contact.label.map(Vocabulary::index));
        set(Field::ContactAffiliation, contact.affiliation.map(Vocabulary::index));
        set(Field::ContactStatus, contact.status.map(Vocabulary::index));
        set(Field::BorrowerPersonType, Some(s.borrower().person_type.index()));
        RequestBits { bits }
    }

    /// The bit of `field`'s value, if `field` is one of those held.
    #[inline]
    fn get(&self, field: Field) -> Option<u128> {
        (SINGLE_VALUED_MASK >> field as u32 & 1 == 1).then(|| self.bits[field as usize])
    }
}

fn in_set(test: &ValueTest, index: Option<usize>) -> bool {
    matches!((test, index), (ValueTest::InSet(mask), Some(i)) if mask & (1u128 << i) != 0)
}

pub(super) fn compare<T: Ord>(value: T, op: CmpOp, limit: T) -> bool {
    match op {
        CmpOp::Lt => value < limit,
        CmpOp::Le => value <= limit,
        CmpOp::Gt => value > limit,
        CmpOp::Ge => value >= limit,
        CmpOp::Eq => value == limit,
        CmpOp::Ne => value != limit,
    }
}

fn contact_field(test: &FieldTest, contact: &rulec_scenario::Contact) -> bool {
    let value = |index: Option<usize>| in_set(&test.test, index);
    let boolean = |b: bool| matches!(test.test, ValueTest::Bool(expected) if expected == b);
    match test.field {
        Field::ContactType => value(Some(contact.contact_type.index())),
        Field::ContactLabel => value(contact.label.map(Vocabulary::index)),
        Field::ContactAffiliation => value(contact.affiliation.map(Vocabulary::index)),
        Field::ContactStatus => value(contact.status.map(Vocabulary::index)),
        Field::ContactValid => boolean(contact.valid),
        Field::ContactVerified => boolean(contact.verified),
        Field::ContactReceiveTextMessages => boolean(contact.receive_text_messages),
        Field::ContactAuthorizedThirdParty => boolean(contact.authorized_third_party),
        Field::ContactPowerOfAttorney => boolean(contact.power_of_attorney),
        _ => false,
    }
}

fn loan_field(test: &FieldTest, loan: &rulec_scenario::Loan) -> bool {
    match (test.field, &test.test) {
        (Field::LoanStatus, ValueTest::InSet(mask)) => loan.status.is_some_and(|s| mask & (1u128 << s.index()) != 0),
        (Field::LoanDebtType, ValueTest::InSet(mask)) => mask & (1u128 << loan.debt_type.index()) != 0,
        (Field::LoanTimeBarred, ValueTest::Bool(b)) => loan.time_barred == *b,
        (Field::LoanDaysPastDue, ValueTest::Int(op, limit)) => compare(loan.days_past_due, *op, *limit),
        (Field::LoanType, ValueTest::TextIn(list)) => loan.loan_type.as_ref().is_some_and(|t| list.contains(t)),
        _ => false,
    }
}


/// A case's instant, when the case has it.
pub(super) fn case_instant(case: &Case, instant: CaseInstant) -> Option<DateTime<Utc>> {
    match instant {
        CaseInstant::Created => case.created_at,
        CaseInstant::Closed => case.closed_at,
    }
}

/// How a trace shows a window of hours: `08:00-21:00` (both ends inside) or `after 08:00 and
/// before 21:00`.
fn describe_hours(window: &TimeWindow) -> String {
    let time = |t: NaiveTime| if t.second() == 0 { t.format("%H:%M").to_string() } else { t.format("%H:%M:%S").to_string() };
    if window.exclusive {
        format!("after {} and before {}", time(window.start), time(window.end))
    } else {
        format!("{}-{}", time(window.start), time(window.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario whose request leaves out or gives the optional fields (`theme` or `subject`,
    /// the contact's `label` and `status`), to test both kinds of value.
    fn scenario(request_extra: &str, contact_extra: &str) -> rulec_scenario::Scenario {
        let text = format!(
            "now: 2026-03-10T15:00:00Z\ncompany: {{role: collector}}\nborrower: {{id: BO-AAAA-1111, personType: business}}\n\
             contacts:\n  - {{id: CT-CELL-0001, contactType: phone, affiliation: spouse, value: \"+16175550100\"{contact_extra}}}\n\
             loans: [{{id: LN-AAAA-0001}}]\nrequest: {{channel: text, contactId: CT-CELL-0001{request_extra}}}\n"
        );
        rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}")).0
    }

    #[test]
    fn request_bits_answer_every_set_test_as_the_fields_do() {
        let scenarios = [
            scenario(", subject: statement", ""),
            scenario(", theme: opsCollDebt", ", label: work, status: archived"),
        ];
        // Every one-value set of each field, the empty set and the set of everything.
        let masks: Vec<u128> = (0..128).map(|i| 1u128 << i).chain([0, u128::MAX]).collect();
        for s in &scenarios {
            let cx = super::super::context(s);
            for field in SINGLE_VALUED {
                for &mask in &masks {
                    let test = FieldTest { field, test: ValueTest::InSet(mask) };
                    assert_eq!(cx.field_holds(&test), cx.request_field(&test), "{field:?} {mask:#x}");
                }
            }
        }
    }
}
