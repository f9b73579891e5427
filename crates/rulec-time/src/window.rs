//! Exact window and calendar arithmetic across several zones, correct through DST changes.
//!
//! # The model
//!
//! A time-of-day window is `[start, end]` of local wall-clock time, both ends inclusive as
//! instants: with the window `[08:00, 21:00]`, local 21:00:00 is inside and
//! 21:00:00.000000001 is not. An instant is *within* the window in a zone when the zone's
//! wall clock shows a time `t` with `start <= t <= end` at that instant; with several zones it
//! is within only if it is within in every zone.
//!
//! Around DST changes this reads as follows:
//! * a start time the clock skips (02:30 on a spring-forward night in New York) begins at the
//!   first instant that exists after it (03:00 EDT);
//! * a start time the clock shows twice (01:30 on a fall-back night) begins at the earlier
//!   occurrence, and an end time shown twice ends at the later occurrence;
//! * while the clock is set back, the instants at which it shows a time before `start` are
//!   outside: with `[01:30, 21:00]` on a fall-back night, 01:30–01:59 EDT is inside, 01:00–01:29
//!   EST is outside, and from 01:30 EST on it is inside again. [`within_in_all`] and
//!   [`earliest_within`] agree on every instant.
//!
//! [`earliest_within`] and [`earliest_date_not`] compute each zone's allowed instants as UTC
//! intervals (one per local date within each stretch of constant UTC offset), intersect them
//! across zones, and return the first point at or after `from`. The results are exact to the
//! nanosecond. A zone's offset changes are found by reading its offset at one-hour steps and
//! bisecting to the nanosecond where it differs, which assumes no zone changes its offset
//! twice within one hour and back (we know of no such pair of changes in the tz database).

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use rulec_model::{Vocabulary, Weekday};

/// How far [`earliest_within`] looks ahead.
pub const WITHIN_HORIZON_DAYS: u64 = 14;
/// How far [`earliest_date_not`] and [`earliest_within_on_dates_not`] look ahead.
pub const DATE_HORIZON_DAYS: u64 = 400;

const ONE_NS: TimeDelta = TimeDelta::nanoseconds(1);
/// The step for finding offset changes; no zone changes its offset twice within an hour.
const SCAN_STEP: TimeDelta = TimeDelta::hours(1);

/// A closed interval of instants.
type Interval = (DateTime<Utc>, DateTime<Utc>);

/// The local wall-clock time of an instant in a zone.
///
/// (Reading the local date or time of the result panics inside chrono for instants within a
/// day of chrono's representable limits; the other functions here never do.)
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use rulec_time::{window::local, Tz};
/// let t = Utc.with_ymd_and_hms(2026, 7, 1, 16, 0, 0).unwrap();
/// assert_eq!(local(t, Tz::America__New_York).to_rfc3339(), "2026-07-01T12:00:00-04:00");
/// ```
pub fn local(instant: DateTime<Utc>, zone: Tz) -> DateTime<Tz> {
    instant.with_timezone(&zone)
}

/// Is the instant within `[start, end]` of local time in every zone? True for an empty zone
/// list; false in every zone when `start > end` (overnight windows are not supported).
///
/// ```
/// use chrono::{NaiveTime, TimeZone, Utc};
/// use rulec_time::{window::within_in_all, Tz};
/// let (start, end) = (NaiveTime::from_hms_opt(8, 0, 0).unwrap(), NaiveTime::from_hms_opt(21, 0, 0).unwrap());
/// let zones = [Tz::America__New_York, Tz::America__Los_Angeles];
/// // 10:30 in New York is 07:30 in Los Angeles.
/// assert!(!within_in_all(Utc.with_ymd_and_hms(2026, 7, 1, 14, 30, 0).unwrap(), &zones, start, end));
/// // 12:00 in New York is 09:00 in Los Angeles.
/// assert!(within_in_all(Utc.with_ymd_and_hms(2026, 7, 1, 16, 0, 0).unwrap(), &zones, start, end));
/// ```
pub fn within_in_all(
    instant: DateTime<Utc>,
    zones: &[Tz],
    start: NaiveTime,
    end: NaiveTime,
) -> bool {
    zones.iter().all(|zone| {
        local_naive(instant, *zone).is_some_and(|local| {
            let t = local.time();
            start <= t && t <= end
        })
    })
}

/// The earliest instant at or after `from` that is within `[start, end]` in every zone, or
/// `None` if there is none in the next 14 days (say, zones twelve hours apart and a one-hour
/// window) or if `start > end`. With no zones, `from` itself.
///
/// DST is handled exactly; see the [module documentation](self).
///
/// ```
/// use chrono::{NaiveTime, TimeZone, Utc};
/// use rulec_time::{window::earliest_within, Tz};
/// let (start, end) = (NaiveTime::from_hms_opt(8, 0, 0).unwrap(), NaiveTime::from_hms_opt(21, 0, 0).unwrap());
/// let zones = [Tz::America__New_York, Tz::America__Los_Angeles];
/// let at_1030_eastern = Utc.with_ymd_and_hms(2026, 7, 1, 14, 30, 0).unwrap();
/// // 11:00 Eastern = 08:00 Pacific.
/// assert_eq!(
///     earliest_within(at_1030_eastern, &zones, start, end),
///     Some(Utc.with_ymd_and_hms(2026, 7, 1, 15, 0, 0).unwrap())
/// );
/// ```
pub fn earliest_within(
    from: DateTime<Utc>,
    zones: &[Tz],
    start: NaiveTime,
    end: NaiveTime,
) -> Option<DateTime<Utc>> {
    if start > end {
        return None;
    }
    earliest_in_all(from, WITHIN_HORIZON_DAYS, zones, &|date| {
        Some((date.and_time(start), date.and_time(end)))
    })
}

/// The earliest instant at or after `from` at which, in every zone, the local date is not
/// `excluded` (e.g. "is a Sunday or a federal holiday", or "is within
/// 2026-12-24..=2027-01-01"). `None` if there is none within 400 days. With no zones, `from`.
///
/// The result is `from` itself when every zone's local date is allowed then; otherwise it is
/// the start of a local day in one of the zones (see [`start_of_local_day`]).
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rulec_time::{is_us_federal_holiday, window::{earliest_date_not, weekday_of}, Tz};
/// use rulec_model::Weekday;
/// let closed = |d: NaiveDate| weekday_of(d) == Weekday::Sunday || is_us_federal_holiday(d);
/// // Sunday 6 September 2026, 10:00 in New York; Monday is Labor Day.
/// let sunday = Utc.with_ymd_and_hms(2026, 9, 6, 14, 0, 0).unwrap();
/// assert_eq!(
///     earliest_date_not(sunday, &[Tz::America__New_York], closed),
///     Some(Utc.with_ymd_and_hms(2026, 9, 8, 4, 0, 0).unwrap()) // Tuesday 00:00 EDT
/// );
/// ```
pub fn earliest_date_not(
    from: DateTime<Utc>,
    zones: &[Tz],
    excluded: impl Fn(NaiveDate) -> bool,
) -> Option<DateTime<Utc>> {
    earliest_in_all(from, DATE_HORIZON_DAYS, zones, &|date| {
        if excluded(date) {
            None
        } else {
            whole_day(date)
        }
    })
}

/// The earliest instant at or after `from` that is within `[start, end]` in every zone *and*
/// at which no zone's local date is `excluded`: [`earliest_within`] and [`earliest_date_not`]
/// at once. `None` if there is none within 400 days or if `start > end`.
///
/// ```
/// use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
/// use rulec_time::{is_us_federal_holiday, window::{earliest_within_on_dates_not, weekday_of}, Tz};
/// use rulec_model::Weekday;
/// let (start, end) = (NaiveTime::from_hms_opt(8, 0, 0).unwrap(), NaiveTime::from_hms_opt(21, 0, 0).unwrap());
/// let closed = |d: NaiveDate| weekday_of(d) == Weekday::Sunday || is_us_federal_holiday(d);
/// // Saturday 5 September 2026, 22:00 in New York: next is Tuesday 08:00 EDT.
/// let t = Utc.with_ymd_and_hms(2026, 9, 6, 2, 0, 0).unwrap();
/// assert_eq!(
///     earliest_within_on_dates_not(t, &[Tz::America__New_York], start, end, closed),
///     Some(Utc.with_ymd_and_hms(2026, 9, 8, 12, 0, 0).unwrap())
/// );
/// ```
pub fn earliest_within_on_dates_not(
    from: DateTime<Utc>,
    zones: &[Tz],
    start: NaiveTime,
    end: NaiveTime,
    excluded: impl Fn(NaiveDate) -> bool,
) -> Option<DateTime<Utc>> {
    if start > end {
        return None;
    }
    earliest_in_all(from, DATE_HORIZON_DAYS, zones, &|date| {
        if excluded(date) {
            None
        } else {
            Some((date.and_time(start), date.and_time(end)))
        }
    })
}

/// The first instant of a local date in a zone: local midnight, the earlier midnight when the
/// clock shows midnight twice, or the first instant that exists after midnight when DST skips
/// it (America/Havana and America/Santiago spring forward at midnight).
///
/// For dates at the very ends of chrono's range, where the instant cannot be represented, the
/// result is clamped to the representable range.
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rulec_time::{window::start_of_local_day, Tz};
/// let d = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
/// assert_eq!(start_of_local_day(d, Tz::America__New_York), Utc.with_ymd_and_hms(2026, 3, 8, 5, 0, 0).unwrap());
/// // Havana springs forward at midnight that day: the day begins at 01:00 CDT.
/// assert_eq!(start_of_local_day(d, Tz::America__Havana), Utc.with_ymd_and_hms(2026, 3, 8, 5, 0, 0).unwrap());
/// ```
pub fn start_of_local_day(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    match zone.from_local_datetime(&midnight) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => first_instant_showing(zone, midnight),
    }
}

/// Start of the calendar week containing the instant in the zone, weeks beginning on
/// `first_day` (the [`start_of_local_day`] of that day).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use rulec_model::Weekday;
/// use rulec_time::{window::start_of_week, Tz};
/// // Wednesday 1 July 2026, noon in New York; weeks starting Monday begin 29 June 00:00 EDT.
/// let t = Utc.with_ymd_and_hms(2026, 7, 1, 16, 0, 0).unwrap();
/// assert_eq!(
///     start_of_week(t, Tz::America__New_York, Weekday::Monday),
///     Utc.with_ymd_and_hms(2026, 6, 29, 4, 0, 0).unwrap()
/// );
/// ```
pub fn start_of_week(instant: DateTime<Utc>, zone: Tz, first_day: Weekday) -> DateTime<Utc> {
    let date = local_date(instant, zone);
    let back = (weekday_of(date).index() + 7 - first_day.index()) % 7;
    let first = date
        .checked_sub_days(Days::new(back as u64))
        .unwrap_or(NaiveDate::MIN);
    start_of_local_day(first, zone)
}

/// Start of the calendar month containing the instant in the zone.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use rulec_time::{window::start_of_month, Tz};
/// // 1 March 2026 03:00 UTC is still 28 February in Chicago.
/// let t = Utc.with_ymd_and_hms(2026, 3, 1, 3, 0, 0).unwrap();
/// assert_eq!(
///     start_of_month(t, Tz::America__Chicago),
///     Utc.with_ymd_and_hms(2026, 2, 1, 6, 0, 0).unwrap()
/// );
/// ```
pub fn start_of_month(instant: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
    let date = local_date(instant, zone);
    let first = date.with_day(1).unwrap_or(date);
    start_of_local_day(first, zone)
}

/// Weekday of a date as the model's [`Weekday`].
///
/// ```
/// use chrono::NaiveDate;
/// use rulec_model::Weekday;
/// use rulec_time::window::weekday_of;
/// assert_eq!(weekday_of(NaiveDate::from_ymd_opt(2026, 7, 4).unwrap()), Weekday::Saturday);
/// ```
pub fn weekday_of(date: NaiveDate) -> Weekday {
    match date.weekday() {
        chrono::Weekday::Mon => Weekday::Monday,
        chrono::Weekday::Tue => Weekday::Tuesday,
        chrono::Weekday::Wed => Weekday::Wednesday,
        chrono::Weekday::Thu => Weekday::Thursday,
        chrono::Weekday::Fri => Weekday::Friday,
        chrono::Weekday::Sat => Weekday::Saturday,
        chrono::Weekday::Sun => Weekday::Sunday,
    }
}

// ---------------------------------------------------------------------------------------------
// The interval machinery.

/// The whole of a local date as a closed local interval.
fn whole_day(date: NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let last = NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999)?;
    Some((date.and_time(NaiveTime::MIN), date.and_time(last)))
}

/// The local wall-clock date and time of an instant, or `None` at the very ends of chrono's
/// range where it cannot be represented (chrono's own accessors panic there).
fn local_naive(instant: DateTime<Utc>, zone: Tz) -> Option<NaiveDateTime> {
    let offset = zone.offset_from_utc_datetime(&instant.naive_utc()).fix();
    instant.naive_utc().checked_add_offset(offset)
}

/// The local date of an instant; the UTC date where the local one cannot be represented.
fn local_date(instant: DateTime<Utc>, zone: Tz) -> NaiveDate {
    local_naive(instant, zone)
        .unwrap_or(instant.naive_utc())
        .date()
}

/// The zone's UTC offset at an instant, in seconds.
fn offset_seconds(zone: Tz, instant: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&instant.naive_utc())
        .fix()
        .local_minus_utc()
}

/// The first instant in `(after, upto]` whose offset differs from `offset`, given that the
/// offset at `after` is `offset` and the offset at `upto` is not.
fn first_change(zone: Tz, after: DateTime<Utc>, upto: DateTime<Utc>, offset: i32) -> DateTime<Utc> {
    let (mut lo, mut hi) = (after, upto);
    while let Some(gap) = (hi - lo).num_nanoseconds() {
        if gap <= 1 {
            break;
        }
        let mid = lo + TimeDelta::nanoseconds(gap / 2);
        if offset_seconds(zone, mid) == offset {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// The stretches of constant UTC offset covering `[lo, hi]`: closed intervals with their
/// offset in seconds, in order.
fn constant_offset_stretches(
    zone: Tz,
    lo: DateTime<Utc>,
    hi: DateTime<Utc>,
) -> Vec<(Interval, i32)> {
    let mut out = Vec::new();
    let mut stretch_start = lo;
    let mut offset = offset_seconds(zone, lo);
    let mut t = lo;
    while t < hi {
        let next = t
            .checked_add_signed(SCAN_STEP)
            .filter(|n| *n < hi)
            .unwrap_or(hi);
        if offset_seconds(zone, next) == offset {
            t = next;
            continue;
        }
        let change = first_change(zone, t, next, offset);
        out.push(((stretch_start, change - ONE_NS), offset));
        stretch_start = change;
        offset = offset_seconds(zone, change);
        t = change;
    }
    out.push(((stretch_start, hi), offset));
    out
}

/// Appends an interval that starts no earlier than the last one, merging it when they touch.
fn push_merged(out: &mut Vec<Interval>, (start, end): Interval) {
    if let Some(last) = out.last_mut() {
        if last
            .1
            .checked_add_signed(ONE_NS)
            .is_none_or(|after| start <= after)
        {
            if end > last.1 {
                last.1 = end;
            }
            return;
        }
    }
    out.push((start, end));
}

/// The instants in `[lo, hi]` at which the zone's wall clock lies in the closed local
/// interval `local_window(date)` of the current local date, as sorted, disjoint, closed
/// intervals.
fn zone_intervals(
    zone: Tz,
    lo: DateTime<Utc>,
    hi: DateTime<Utc>,
    local_window: &dyn Fn(NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)>,
) -> Vec<Interval> {
    let mut out = Vec::new();
    for ((a, z), offset) in constant_offset_stretches(zone, lo, hi) {
        let offset = TimeDelta::seconds(i64::from(offset));
        let (Some(first), Some(last)) = (
            a.naive_utc().checked_add_signed(offset),
            z.naive_utc().checked_add_signed(offset),
        ) else {
            continue;
        };
        let mut date = first.date();
        loop {
            if let Some((l1, l2)) = local_window(date) {
                // Out of chrono's range only at its very ends: a start before the range
                // clamps to the stretch's start, an end after it to the stretch's end, and
                // anything else means the interval misses the stretch.
                let u1 = match l1.checked_sub_signed(offset) {
                    Some(n) => Some(n.and_utc()),
                    None => (offset > TimeDelta::zero()).then_some(a),
                };
                let u2 = match l2.checked_sub_signed(offset) {
                    Some(n) => Some(n.and_utc()),
                    None => (offset < TimeDelta::zero()).then_some(z),
                };
                if let (Some(u1), Some(u2)) = (u1, u2) {
                    let (s, e) = (u1.max(a), u2.min(z));
                    if s <= e {
                        push_merged(&mut out, (s, e));
                    }
                }
            }
            if date >= last.date() {
                break;
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
    }
    out
}

/// The intersection of two sorted lists of disjoint closed intervals.
fn intersect(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        let (s, e) = (x.0.max(y.0), x.1.min(y.1));
        if s <= e {
            out.push((s, e));
        }
        if x.1 < y.1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The first instant in `[from, from + horizon_days]` at which every zone's wall clock lies
/// in that zone's `local_window` for its current local date.
fn earliest_in_all(
    from: DateTime<Utc>,
    horizon_days: u64,
    zones: &[Tz],
    local_window: &dyn Fn(NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)>,
) -> Option<DateTime<Utc>> {
    let hi = from
        .checked_add_days(Days::new(horizon_days))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let mut zones = zones.to_vec();
    zones.sort_by_key(|z| z.name());
    zones.dedup();
    let mut acc: Option<Vec<Interval>> = None;
    for zone in zones {
        let intervals = zone_intervals(zone, from, hi, local_window);
        let next = match acc {
            None => intervals,
            Some(prev) => intersect(&prev, &intervals),
        };
        if next.is_empty() {
            return None;
        }
        acc = Some(next);
    }
    match acc {
        None => Some(from),
        Some(intervals) => intervals.first().map(|(s, _)| (*s).max(from)),
    }
}

/// The first instant at which the zone's wall clock shows `wall` or later, searching a day
/// either side of `wall` read as UTC (offsets are well under a day). Used when DST skips
/// `wall`, so the wall clock is increasing across the search range.
fn first_instant_showing(zone: Tz, wall: NaiveDateTime) -> DateTime<Utc> {
    let guess = wall.and_utc();
    let span = TimeDelta::hours(26);
    let lo = guess
        .checked_sub_signed(span)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let hi = guess
        .checked_add_signed(span)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let shows_at_least = |t: DateTime<Utc>| local_naive(t, zone).is_some_and(|l| l >= wall);
    if shows_at_least(lo) || !shows_at_least(hi) {
        return guess; // Only at the ends of chrono's range.
    }
    let (mut lo, mut hi) = (lo, hi);
    while let Some(gap) = (hi - lo).num_nanoseconds() {
        if gap <= 1 {
            break;
        }
        let mid = lo + TimeDelta::nanoseconds(gap / 2);
        if shows_at_least(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("valid instant")
    }

    #[test]
    fn stretches_split_at_transitions() {
        let zone = Tz::America__New_York;
        let stretches =
            constant_offset_stretches(zone, utc(2026, 3, 1, 0, 0, 0), utc(2026, 3, 15, 0, 0, 0));
        assert_eq!(stretches.len(), 2);
        assert_eq!(stretches[0].0 .1, utc(2026, 3, 8, 7, 0, 0) - ONE_NS);
        assert_eq!(stretches[1].0 .0, utc(2026, 3, 8, 7, 0, 0));
        assert_eq!((stretches[0].1, stretches[1].1), (-5 * 3600, -4 * 3600));
        let utc_only = constant_offset_stretches(
            Tz::UTC,
            utc(2026, 1, 1, 0, 0, 0),
            utc(2026, 12, 31, 0, 0, 0),
        );
        assert_eq!(utc_only.len(), 1);
    }

    #[test]
    fn intersect_and_merge() {
        let t = |h| utc(2026, 1, 1, h, 0, 0);
        let a = vec![(t(1), t(3)), (t(5), t(8))];
        let b = vec![(t(2), t(6)), (t(7), t(7))];
        assert_eq!(
            intersect(&a, &b),
            vec![(t(2), t(3)), (t(5), t(6)), (t(7), t(7))]
        );
        let mut out = vec![(t(1), t(2) - ONE_NS)];
        push_merged(&mut out, (t(2), t(4)));
        assert_eq!(out, vec![(t(1), t(4))]);
        push_merged(&mut out, (t(4) + ONE_NS + ONE_NS, t(5)));
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn weekday_mapping_is_iso_order() {
        let monday = NaiveDate::from_ymd_opt(2026, 6, 29).expect("date");
        for i in 0..7u64 {
            let d = monday.checked_add_days(Days::new(i)).expect("date");
            assert_eq!(weekday_of(d).index() as u64, i);
        }
    }
}
