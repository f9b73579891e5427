//! Time since an event: lengths of time measured from an instant (a consent recorded, a case
//! opened, the borrower's call a reply answers), in exact units, calendar days or business
//! days, judged in the borrower's candidate zones.

use super::Ctx;
use chrono::{DateTime, Days, TimeZone, Utc};
use chrono_tz::Tz;
use rulec_check::checked::{Elapsed, Period};

/// The instant a length of time that began at `start` has passed, in `zone`'s calendar:
/// exact lengths end `seconds` later; `N calendar days` at the start of the local day `N` days
/// after the day of `start`; `N business days` at the start of the local day after the `N`th
/// business day following the day of `start` (the day of the event itself never counts).
pub(crate) fn period_end(start: DateTime<Utc>, period: Period, zone: Tz) -> DateTime<Utc> {
    let day = || zone.from_utc_datetime(&start.naive_utc()).date_naive();
    let last_day = match period {
        Period::Exact { seconds } => {
            return i64::try_from(seconds).ok().and_then(|s| start.checked_add_signed(chrono::Duration::seconds(s))).unwrap_or(DateTime::<Utc>::MAX_UTC);
        }
        Period::CalendarDays(n) => day().checked_add_days(Days::new(u64::from(n))).and_then(|d| d.pred_opt()),
        Period::BusinessDays(n) => rulec_time::business_days_after(day(), n),
    };
    match last_day.and_then(|d| d.succ_opt()) {
        Some(next) => rulec_time::window::start_of_local_day(next, zone),
        None => DateTime::<Utc>::MAX_UTC,
    }
}

impl Ctx<'_> {
    /// When a length of time that began at `start` has passed, over the candidate zones
    /// (earliest, latest): one instant for exact lengths, one per zone's calendar otherwise.
    pub(super) fn period_ends(&self, start: DateTime<Utc>, period: Period) -> (DateTime<Utc>, DateTime<Utc>) {
        if let Period::Exact { .. } = period {
            let end = period_end(start, period, Tz::UTC);
            return (end, end);
        }
        let ends = self.location.zones.iter().map(|z| period_end(start, period, *z));
        let (mut earliest, mut latest) = (DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC);
        for end in ends {
            earliest = earliest.min(end);
            latest = latest.max(end);
        }
        if earliest > latest {
            let end = period_end(start, period, Tz::UTC);
            return (end, end);
        }
        (earliest, latest)
    }

    /// Whether `at least` / `less than` a length of time has passed at `t` since `since`, in at
    /// least one candidate zone (like every local-time test). No instant (`None`): the fact has
    /// held since before any record, so `at least` holds and `less than` does not.
    pub(super) fn elapsed_holds(&self, since: Option<DateTime<Utc>>, elapsed: &Elapsed, t: DateTime<Utc>) -> bool {
        let Some(since) = since else { return elapsed.at_least };
        let (earliest, latest) = self.period_ends(since, elapsed.period);
        if elapsed.at_least {
            t >= earliest
        } else {
            t < latest
        }
    }

    /// The borrower's age in whole years at an instant, the youngest over the candidate zones;
    /// `None` without a date of birth.
    pub(super) fn age_at(&self, at: DateTime<Utc>) -> Option<i64> {
        let born = self.s.borrower().date_of_birth?;
        let age = |date: chrono::NaiveDate| i64::from(date.years_since(born).unwrap_or(0));
        let youngest = self.location.zones.iter().map(|z| age(z.from_utc_datetime(&at.naive_utc()).date_naive())).min();
        Some(youngest.unwrap_or_else(|| age(at.date_naive())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn ten_business_days_skip_weekends_and_holidays_and_end_at_local_midnight() {
        // Revoked Monday 2026-11-02 in New York. Business days after it: Nov 3-6 (4), Nov 9-10
        // (6), Nov 11 is Veterans Day, Nov 12-13 (8), Nov 16-17 (10): the period ends at the
        // start of Wednesday Nov 18, New York time.
        let end = period_end(utc("2026-11-02T15:00:00Z"), Period::BusinessDays(10), Tz::America__New_York);
        assert_eq!(end, utc("2026-11-18T05:00:00Z"));
    }

    #[test]
    fn calendar_days_end_at_local_midnight_across_a_dst_change() {
        // 2026-03-07 in Chicago, plus 2 calendar days: the period ends at the start of March 9,
        // after the spring-forward of March 8 (CDT, UTC-5).
        let end = period_end(utc("2026-03-07T18:00:00Z"), Period::CalendarDays(2), Tz::America__Chicago);
        assert_eq!(end, utc("2026-03-09T05:00:00Z"));
    }

    #[test]
    fn exact_lengths_ignore_the_zone() {
        let start = utc("2026-03-07T18:00:00Z");
        let end = period_end(start, Period::Exact { seconds: 72 * 3600 }, Tz::Pacific__Honolulu);
        assert_eq!(end, utc("2026-03-10T18:00:00Z"));
        assert_eq!(NaiveDate::from_ymd_opt(2026, 3, 10), Some(end.date_naive()));
    }
}
