//! Counting past interactions: the partitions of a query's scope (the scope as a whole, or
//! each of the request's loans), the window at an instant, when a counted interaction leaves
//! it, and the figures a count shows in messages and traces.

use super::conditions::compare;
use super::message::describe_window;
use super::{Ctx, Seen};
use crate::decision::TraceFigure;
use crate::history::window;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rulec_check::checked::{CmpOp, HistoryQuery, Scope, Who, Window};
use rulec_scenario::Interaction;

impl Ctx<'_> {
    pub(super) fn count_holds(&self, query: &HistoryQuery, op: CmpOp, limit: u32, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        let Some(seen) = seen.as_deref_mut() else {
            // The hot path: count, without collecting what was counted, until a partition holds.
            return self.each_part_count(query, t, |_, count, _| compare(count, op, limit));
        };
        // A message needs each partition's count and newest interaction; a trace (`explain`)
        // also the interactions counted. The lists are kept for the rule's release time at the
        // same instant, which looks at the same ones.
        let counted = self.counted_parts(query, t);
        let mut any = false;
        for part in counted.parts() {
            let count = part.count();
            let holds = compare(count, op, limit);
            if seen.tracing {
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
            }
            note_count(seen, self, (holds, any), (count, limit), part.loan, part.newest(self));
            any |= holds;
        }
        self.last_counted.set(Some((std::ptr::from_ref(query) as usize, t, counted)));
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
