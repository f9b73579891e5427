//! When conditions change as time passes: each rule's `releaseAt` and the decision's
//! `nextAllowedAt`.

use super::conditions::compare;
use super::{effective, Ctx};
use crate::compile::Compiled;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rulec_check::checked::{CaseInstant, CmpOp, Cond, HistoryQuery, Period};

/// How far ahead a time-of-day atom looks for its next change.
const TIME_HORIZON_DAYS: i64 = 8;
/// How far ahead a date atom (day of week, holiday, date range) looks.
const DATE_HORIZON_DAYS: i64 = 400;
/// The rounds of an "all released at once" fixpoint every scenario gets, before the ones its
/// records add (see [`Ctx::round_budget`]).
const BASE_ROUNDS: usize = 64;

/// When this rule alone stops blocking: its condition's next change, or the end of its
/// effective range if sooner.
pub(super) fn rule_release(compiled: &Compiled, cx: &Ctx<'_>, index: usize, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let rule = &compiled.rule_set.rules[index];
    let by_condition = cx.next_change(&compiled.blocking[index], now, false);
    let by_end = rule.effective_until.and_then(|u| u.succ_opt()).map(|d| cx.latest_start_of_day(d));
    match (by_condition, by_end) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The earliest instant at which no rule blocks: each round moves to the latest release of
/// the rules blocking at the current candidate, then re-checks every blocking rule in force
/// there that may block then, until none blocks. Exact, because before a rule's release that
/// rule still blocks. `releases` are the `blocking` rules' releases at `now` (`rule_release`),
/// computed once for the findings and reused for the first round. `candidates` may leave out
/// rules that failed to fire at `now` in a way that is final (`compile::finality`): those
/// cannot block at any later instant. A rule whose own release is the round's instant is not
/// checked again there: a release is the first instant at which the rule does not block.
pub(super) fn next_allowed(compiled: &Compiled, cx: &Ctx<'_>, blocking: impl Iterator<Item = usize>, releases: &[Option<DateTime<Utc>>], candidates: impl Iterator<Item = usize> + Clone, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let mut t = now;
    // The rules blocking at `t`, each with its release from `t`.
    let mut still: Vec<(usize, DateTime<Utc>)> = Vec::with_capacity(releases.len());
    for (i, release) in blocking.zip(releases) {
        still.push((i, (*release)?));
    }
    debug_assert_eq!(still.len(), releases.len());
    for _ in 0..cx.round_budget() {
        t = still.iter().fold(t, |latest, &(_, release)| latest.max(release));
        let dates = cx.local_dates(t);
        let released = |i: usize| still.iter().any(|&(j, release)| j == i && release == t);
        let mut next = Vec::new();
        for i in candidates.clone() {
            if !released(i) && effective(&compiled.in_force[i], dates) && cx.holds(&compiled.blocking[i], t, &mut None) {
                next.push((i, rule_release(compiled, cx, i, t)?));
            }
        }
        if next.is_empty() {
            return Some(t);
        }
        still = next;
    }
    None
}

impl Ctx<'_> {
    // ------------------------------------------------------------ change over time

    /// How many rounds a release fixpoint may take. Every round moves strictly later, past at
    /// least one change point of the scenario's records (an interaction leaving a window, a Do
    /// Not Interact expiring, a length of time ending) or of the clock (a window opening, two a
    /// day per zone and test); the budget grows with the records, so a chain of releases that
    /// valid input can build (70 back-to-back Do Not Interacts) never runs out of rounds.
    pub(super) fn round_budget(&self) -> usize {
        let dnis: usize = self.s.cases().iter().map(|c| c.do_not_interact.len()).sum();
        let records = self.s.interactions().len() + self.s.cases().len() + dnis + self.s.consents().len();
        BASE_ROUNDS.saturating_add(records.saturating_mul(4))
    }

    /// The earliest instant at or after `t` at which `cond` equals `target`, if nothing else
    /// happens; `None` if that never happens by the passage of time alone.
    pub(super) fn next_change(&self, cond: &Cond, t: DateTime<Utc>, target: bool) -> Option<DateTime<Utc>> {
        // `and`, `or`, `not` and counts answer `t` by themselves when `cond` already equals
        // `target` (a part that does answers `t`, a count compares first): testing the whole
        // condition first would count the same interactions twice.
        let answers_now = matches!(cond, Cond::All(_) | Cond::Any(_) | Cond::Not(_) | Cond::Count { .. } | Cond::Exists(_));
        if !answers_now && self.holds(cond, t, &mut None) == target {
            return Some(t);
        }
        match cond {
            Cond::Not(inner) => self.next_change(inner, t, !target),
            // `all` turning false, or `any` turning true: the first part to do so.
            Cond::All(parts) if !target => parts.iter().filter_map(|p| self.part_change(p, t, false)).min(),
            Cond::Any(parts) if target => parts.iter().filter_map(|p| self.part_change(p, t, true)).min(),
            // `all` turning true or `any` turning false: every part at once. Before the latest
            // first change, some part still has the wrong value; from there, check and repeat.
            Cond::All(parts) | Cond::Any(parts) => {
                let mut at = t;
                for _ in 0..self.round_budget() {
                    let mut latest = at;
                    for p in parts {
                        latest = latest.max(self.part_change(p, at, target)?);
                    }
                    if self.holds(cond, latest, &mut None) == target {
                        return Some(latest);
                    }
                    at = latest;
                }
                None
            }
            Cond::LocalTime { window, zone, .. } => {
                // Local times are judged to the second: an inclusive window is left one second
                // after its end, an exclusive one entered one second after its start.
                let second = Duration::seconds(1);
                let (enter, leave) = if window.exclusive { (second, Duration::zero()) } else { (Duration::zero(), second) };
                self.first_local_instant(self.zones(zone), t, TIME_HORIZON_DAYS, &[(window.start, enter), (window.end, leave)], |c| self.holds(cond, c, &mut None) == target)
            }
            Cond::LocalDay { zone, .. } | Cond::FederalHoliday { zone, .. } | Cond::LocalDate { zone, .. } => {
                self.first_local_instant(self.zones(zone), t, DATE_HORIZON_DAYS, &[(NaiveTime::MIN, Duration::zero())], |c| self.holds(cond, c, &mut None) == target)
            }
            // A length of time since an event ends at one instant per candidate zone.
            Cond::Consent { name, held: Some(held), .. } => {
                let since = self.s.recorded_consent(*name).and_then(|r| r.updated_at.or(r.created_at))?;
                let (earliest, latest) = self.period_ends(since, held.period);
                self.first_at(cond, t, target, vec![earliest, latest])
            }
            Cond::Replies { within: Some(period) } => {
                let previous = self.s.interactions().get(self.s.request().previous?)?;
                let (earliest, latest) = self.period_ends(previous.start_at, *period);
                self.first_at(cond, t, target, vec![earliest, latest])
            }
            Cond::CaseExists { filter: Some(filter), .. } => {
                let mut periods = Vec::new();
                case_periods(filter, &mut periods);
                let mut candidates = Vec::new();
                for case in self.s.cases() {
                    for (instant, period) in &periods {
                        if let Some(at) = super::conditions::case_instant(case, *instant) {
                            let (earliest, latest) = self.period_ends(at, *period);
                            candidates.extend([earliest, latest]);
                        }
                    }
                }
                self.first_at(cond, t, target, candidates)
            }
            Cond::Count { query, op, limit } => self.count_change(query, *op, *limit, t, target),
            Cond::Exists(query) => self.count_change(query, CmpOp::Ge, 1, t, target),
            Cond::DoNotInteract => {
                let dnis: Vec<_> = self.matching_dnis().collect();
                if target {
                    dnis.iter().filter_map(|d| d.starts_at.filter(|s| *s > t)).filter(|s| dnis.iter().all(|d| d.expires_at.is_none_or(|e| *s < e))).min()
                } else {
                    let mut at = t;
                    for _ in 0..self.round_budget() {
                        let active: Vec<_> = dnis.iter().filter(|d| d.starts_at.is_none_or(|s| s <= at) && d.expires_at.is_none_or(|e| at < e)).collect();
                        if active.is_empty() {
                            return Some(at);
                        }
                        let mut latest = at;
                        for d in active {
                            latest = latest.max(d.expires_at?);
                        }
                        at = latest;
                    }
                    None
                }
            }
            // Fields, consents and cases without a length of time do not change by the passage
            // of time; case-filter atoms are handled with their case test.
            Cond::Field(_) | Cond::Consent { .. } | Cond::CaseExists { .. } | Cond::Replies { .. } | Cond::CaseElapsed { .. } | Cond::AgeAtCase { .. } => None,
        }
    }

    /// [`Ctx::next_change`] of a part of `and` or `or`, a field test (most parts) made in
    /// place: a field never changes by the passage of time.
    fn part_change(&self, part: &Cond, t: DateTime<Utc>, target: bool) -> Option<DateTime<Utc>> {
        match part {
            Cond::Field(test) => (self.field_holds(test) == target).then_some(t),
            _ => self.next_change(part, t, target),
        }
    }

    /// Counts only fall as time passes (interactions leave their windows); the change comes at
    /// one of those leaving instants, per partition: the one after which just enough have left.
    fn count_change(&self, query: &HistoryQuery, op: CmpOp, limit: u32, t: DateTime<Utc>, target: bool) -> Option<DateTime<Utc>> {
        let counted = match self.last_counted.take() {
            Some((address, at, counted)) if address == std::ptr::from_ref(query) as usize && at == t => counted,
            _ => self.counted_parts(query, t),
        };
        // When each counted interaction leaves, sorted; `MAX_UTC` for never.
        let leaves = |list: &[u32]| {
            let mut leaves: Vec<DateTime<Utc>> =
                list.iter().map(|&i| self.leave_time(query, &self.s.interactions()[i as usize], t).unwrap_or(DateTime::<Utc>::MAX_UTC)).collect();
            leaves.sort_unstable();
            leaves
        };
        // The interactions that name no loan leave at the same instants for every loan: sorted
        // once. (Per loan, a `since the last …` window may skip the first few of them; those
        // windows never lose an interaction, so which few does not matter.)
        let shared = leaves(counted.shared());
        let shared_total = shared.len();
        // Over several loans, the test holds if it holds for any one of them: it turns true
        // at the first partition's change, false at the last (never, if one never changes).
        let mut change_of_all: Option<DateTime<Utc>> = if target { None } else { Some(t) };
        for part in counted.parts() {
            let count = part.count();
            let change = if compare(count, op, limit) == target {
                Some(t)
            } else {
                let own = leaves(part.own);
                leaves_needed(count, op, limit, target)
                    .and_then(|n| kth_smallest(&own, &shared[shared_total - part.shared.len()..], n as usize))
                    .filter(|leave| *leave != DateTime::<Utc>::MAX_UTC)
                    .map(|leave| leave.max(t))
            };
            change_of_all = match (change_of_all, change) {
                (Some(a), Some(c)) => Some(if target { a.min(c) } else { a.max(c) }),
                (None, Some(c)) if target => Some(c),
                (a, None) if target => a,
                _ => return None,
            };
        }
        change_of_all
    }

    /// The first of these instants after `t` at which `cond` equals `target`.
    fn first_at(&self, cond: &Cond, t: DateTime<Utc>, target: bool, mut candidates: Vec<DateTime<Utc>>) -> Option<DateTime<Utc>> {
        candidates.retain(|c| *c > t);
        candidates.sort();
        candidates.dedup();
        candidates.into_iter().find(|c| self.holds(cond, *c, &mut None) == target)
    }

    /// The first instant from `t` on (`t` itself first) at which some zone's local clock reads
    /// one of `times` (plus an offset), over the next `days` days, that is `wanted`. A time the
    /// clock reads twice (the repeated hour of a fall-back night) is taken at both instants.
    /// The instants are made a day at a time and tested in order as soon as no later day can
    /// come before them, so a change found within a day or two costs those days, not the
    /// whole horizon (400 days for a day-of-week test).
    fn first_local_instant(&self, zones: &[Tz], t: DateTime<Utc>, days: i64, times: &[(NaiveTime, Duration)], mut wanted: impl FnMut(DateTime<Utc>) -> bool) -> Option<DateTime<Utc>> {
        if wanted(t) {
            return Some(t);
        }
        if zones.is_empty() {
            return None;
        }
        let todays: Vec<NaiveDate> = zones.iter().map(|z| self.local(*z, t).date_naive()).collect();
        let mut pending: Vec<DateTime<Utc>> = Vec::new();
        for offset in 0..=days {
            for (zone, today) in zones.iter().zip(&todays) {
                let date = *today + Duration::days(offset);
                for (time, plus) in times {
                    pending.extend(local_instants_of(*zone, date, *time).into_iter().flatten().map(|instant| instant + *plus).filter(|instant| *instant > t));
                }
            }
            pending.sort_unstable();
            pending.dedup();
            // Every instant of a later day is after the UTC midnight that begins this day in
            // each zone's calendar (no zone is a whole day ahead of UTC).
            let bound = todays.iter().map(|d| Utc.from_utc_datetime(&(*d + Duration::days(offset)).and_time(NaiveTime::MIN))).min();
            let ready = match bound {
                Some(bound) if offset < days => pending.partition_point(|c| *c < bound),
                _ => pending.len(),
            };
            if let Some(found) = pending[..ready].iter().copied().find(|c| wanted(*c)) {
                return Some(found);
            }
            pending.drain(..ready);
        }
        None
    }
}

/// As the interactions of a count leave its window one by one, the count falls from `count`
/// to `count - 1`, `count - 2`, …: how many must leave before `compare(count, op, limit)` equals
/// `target`; `None` if that never happens before none is left. (The largest such value below
/// `count` is one of these five candidates, whatever the comparison.)
fn leaves_needed(count: u32, op: CmpOp, limit: u32, target: bool) -> Option<u32> {
    let candidates = [count.checked_sub(1), count.checked_sub(2), limit.checked_add(1), Some(limit), limit.checked_sub(1)];
    candidates.into_iter().flatten().filter(|&v| v < count && compare(v, op, limit) == target).max().map(|v| count - v)
}

/// The `k`th smallest (from 1) of two sorted lists taken together, by binary search.
fn kth_smallest<T: Ord + Copy>(a: &[T], b: &[T], k: usize) -> Option<T> {
    if k == 0 || k > a.len() + b.len() {
        return None;
    }
    // Take `i` from `a` and `k - i` from `b`: the least `i` whose next element of `a` is not
    // below the last one taken from `b`.
    let (mut low, mut high) = (k.saturating_sub(b.len()), k.min(a.len()));
    while low < high {
        let i = low + (high - low) / 2;
        if a[i] < b[k - i - 1] {
            low = i + 1;
        } else {
            high = i;
        }
    }
    let (i, j) = (low, k - low);
    let from_a = i.checked_sub(1).map(|x| a[x]);
    let from_b = j.checked_sub(1).map(|x| b[x]);
    from_a.max(from_b)
}

/// The case-filter lengths of time (`createdAt is at least 72 hours ago`) in a filter.
fn case_periods(filter: &Cond, out: &mut Vec<(CaseInstant, Period)>) {
    match filter {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().for_each(|p| case_periods(p, out)),
        Cond::Not(inner) => case_periods(inner, out),
        Cond::CaseElapsed { instant, elapsed } => out.push((*instant, elapsed.period)),
        _ => {}
    }
}

/// Every instant at which a zone's clock reads `time` on `date`: one, two in a fall-back
/// night's repeated hour, and in a spring-forward gap the first instant after the gap.
/// One local-to-UTC conversion in the usual case (a time the clock reads once), no list.
fn local_instants_of(zone: Tz, date: NaiveDate, time: NaiveTime) -> [Option<DateTime<Utc>>; 2] {
    match zone.from_local_datetime(&date.and_time(time)) {
        chrono::LocalResult::Ambiguous(first, second) => [Some(first.with_timezone(&Utc)), Some(second.with_timezone(&Utc))],
        chrono::LocalResult::Single(local) if time != NaiveTime::MIN => [Some(local.with_timezone(&Utc)), None],
        _ => [Some(local_instant(zone, date, time)), None],
    }
}

/// A local date and time in a zone as an instant: a time skipped by a DST change is taken at
/// the first instant after the gap; a repeated one at its first occurrence.
fn local_instant(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    if time == NaiveTime::MIN {
        return rulec_time::window::start_of_local_day(date, zone);
    }
    let naive = date.and_time(time);
    for minutes in 0..=180 {
        if let Some(local) = zone.from_local_datetime(&(naive + Duration::minutes(minutes))).earliest() {
            return if minutes == 0 { local.with_timezone(&Utc) } else { (local - Duration::seconds(i64::from(local.second()))).with_timezone(&Utc) };
        }
    }
    Utc.from_utc_datetime(&naive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_needed_is_the_first_count_down_that_reaches_the_target() {
        for op in [CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge, CmpOp::Eq, CmpOp::Ne] {
            for count in 0..12u32 {
                for limit in 0..12u32 {
                    for target in [false, true] {
                        let stepped = (1..=count).find(|n| compare(count - n, op, limit) == target);
                        assert_eq!(leaves_needed(count, op, limit, target), stepped, "{count} {op:?} {limit} → {target}");
                    }
                }
            }
        }
    }

    #[test]
    fn kth_smallest_of_two_sorted_lists() {
        let lists: [&[u32]; 6] = [&[], &[1], &[2, 2], &[1, 3, 5, 7], &[0, 4, 4, 9, 10], &[6]];
        for a in lists {
            for b in lists {
                let mut merged: Vec<u32> = a.iter().chain(b).copied().collect();
                merged.sort_unstable();
                for k in 0..=merged.len() + 1 {
                    let expected = k.checked_sub(1).and_then(|i| merged.get(i)).copied();
                    assert_eq!(kth_smallest(a, b, k), expected, "{a:?} {b:?} k={k}");
                }
            }
        }
    }
}
