//! US federal legal public holidays (5 U.S.C. 6103) and their observed dates.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// One holiday: its name, and the name used for its observed date when that differs.
struct Holiday {
    name: &'static str,
    observed_name: &'static str,
    date: fn(i32) -> Option<NaiveDate>,
}

fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

fn last_weekday(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    // The 5th such weekday when there is one, else the 4th.
    nth_weekday(year, month, weekday, 5).or_else(|| nth_weekday(year, month, weekday, 4))
}

const HOLIDAYS: &[Holiday] = &[
    Holiday {
        name: "New Year's Day",
        observed_name: "New Year's Day (observed)",
        date: |y| NaiveDate::from_ymd_opt(y, 1, 1),
    },
    Holiday {
        name: "Birthday of Martin Luther King, Jr.",
        observed_name: "Birthday of Martin Luther King, Jr. (observed)",
        // Third Monday in January, first observed in 1986.
        date: |y| {
            if y >= 1986 {
                nth_weekday(y, 1, Weekday::Mon, 3)
            } else {
                None
            }
        },
    },
    Holiday {
        name: "Washington's Birthday",
        observed_name: "Washington's Birthday (observed)",
        date: |y| nth_weekday(y, 2, Weekday::Mon, 3),
    },
    Holiday {
        name: "Memorial Day",
        observed_name: "Memorial Day (observed)",
        date: |y| last_weekday(y, 5, Weekday::Mon),
    },
    Holiday {
        name: "Juneteenth National Independence Day",
        observed_name: "Juneteenth National Independence Day (observed)",
        // Enacted 17 June 2021 and observed that year (Friday 18 June 2021).
        date: |y| {
            if y >= 2021 {
                NaiveDate::from_ymd_opt(y, 6, 19)
            } else {
                None
            }
        },
    },
    Holiday {
        name: "Independence Day",
        observed_name: "Independence Day (observed)",
        date: |y| NaiveDate::from_ymd_opt(y, 7, 4),
    },
    Holiday {
        name: "Labor Day",
        observed_name: "Labor Day (observed)",
        date: |y| nth_weekday(y, 9, Weekday::Mon, 1),
    },
    Holiday {
        name: "Columbus Day",
        observed_name: "Columbus Day (observed)",
        date: |y| nth_weekday(y, 10, Weekday::Mon, 2),
    },
    Holiday {
        name: "Veterans Day",
        observed_name: "Veterans Day (observed)",
        // Fourth Monday in October from 1971 through 1977, November 11 otherwise.
        date: |y| {
            if (1971..=1977).contains(&y) {
                nth_weekday(y, 10, Weekday::Mon, 4)
            } else {
                NaiveDate::from_ymd_opt(y, 11, 11)
            }
        },
    },
    Holiday {
        name: "Thanksgiving Day",
        observed_name: "Thanksgiving Day (observed)",
        date: |y| nth_weekday(y, 11, Weekday::Thu, 4),
    },
    Holiday {
        name: "Christmas Day",
        observed_name: "Christmas Day (observed)",
        date: |y| NaiveDate::from_ymd_opt(y, 12, 25),
    },
];

/// The weekday a holiday on `date` is observed on by the federal government: a Saturday
/// holiday on the Friday before, a Sunday holiday on the Monday after (5 U.S.C. 6103(b),
/// Executive Order 11582).
fn observed(date: NaiveDate) -> Option<NaiveDate> {
    match date.weekday() {
        Weekday::Sat => date.checked_sub_days(Days::new(1)),
        Weekday::Sun => date.checked_add_days(Days::new(1)),
        _ => Some(date),
    }
}

/// The US federal legal public holidays (5 U.S.C. 6103) whose legal date falls in `year`,
/// sorted by date.
///
/// Each holiday appears on its legal date; when that is a Saturday or Sunday a second entry,
/// named "… (observed)", gives the weekday federal offices close instead: a Saturday holiday
/// is observed on the Friday before, a Sunday holiday on the Monday after. The observed Friday
/// of New Year's Day can fall in the previous year (1 January 2022 was a Saturday, observed
/// Friday 31 December 2021), so the list for 2022 starts with 2021-12-31.
///
/// The holidays: New Year's Day, Birthday of Martin Luther King, Jr. (third Monday of January,
/// from 1986), Washington's Birthday (third Monday of February), Memorial Day (last Monday of
/// May), Juneteenth National Independence Day (19 June, from 2021), Independence Day, Labor
/// Day (first Monday of September), Columbus Day (second Monday of October), Veterans Day
/// (11 November; fourth Monday of October 1971–1977), Thanksgiving Day (fourth Thursday of
/// November), Christmas Day.
///
/// Inauguration Day (20 January after a presidential election) is a holiday only for federal
/// employees in the Washington, D.C. area, so it is not included.
///
/// The Monday-holiday rules are those in force since 1971; years before that are computed
/// with the same rules and are not historically accurate. Dates outside chrono's range are
/// skipped.
///
/// ```
/// use chrono::NaiveDate;
/// use rulec_time::us_federal_holidays;
/// let h = us_federal_holidays(2026);
/// let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
/// assert!(h.contains(&(d(7, 4), "Independence Day")));
/// assert!(h.contains(&(d(7, 3), "Independence Day (observed)"))); // July 4 2026 is a Saturday
/// assert!(h.contains(&(d(9, 7), "Labor Day")));
/// ```
pub fn us_federal_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut out = Vec::with_capacity(HOLIDAYS.len() + 2);
    for holiday in HOLIDAYS {
        let Some(date) = (holiday.date)(year) else {
            continue;
        };
        out.push((date, holiday.name));
        if let Some(obs) = observed(date).filter(|o| *o != date) {
            out.push((obs, holiday.observed_name));
        }
    }
    out.sort();
    out
}

/// Whether a date is a business day: a weekday that is not a US federal holiday (legal or
/// observed date).
pub fn is_business_day(date: NaiveDate) -> bool {
    use chrono::Datelike;
    !matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) && !is_us_federal_holiday(date)
}

/// The `n`th business day after `date` (`date` itself never counts); `n = 0` gives `date`.
/// `None` past the calendar's end.
pub fn business_days_after(date: NaiveDate, n: u32) -> Option<NaiveDate> {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = day.succ_opt()?;
        if is_business_day(day) {
            left -= 1;
        }
    }
    Some(day)
}

/// True when `date` is a US federal holiday (see [`us_federal_holidays`]) or the weekday on
/// which one is observed. Both the Saturday holiday and its observed Friday count, and so do
/// the Sunday holiday and its observed Monday.
///
/// ```
/// use chrono::NaiveDate;
/// use rulec_time::is_us_federal_holiday;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert!(is_us_federal_holiday(d(2021, 12, 31))); // New Year's Day 2022, observed
/// assert!(is_us_federal_holiday(d(2026, 7, 3)));
/// assert!(!is_us_federal_holiday(d(2026, 7, 6)));
/// ```
pub fn is_us_federal_holiday(date: NaiveDate) -> bool {
    // The dates of `us_federal_holidays`, tested one by one without building the list: a
    // count of business days asks this of every day it passes.
    let in_year = |year: i32| HOLIDAYS.iter().any(|h| (h.date)(year).is_some_and(|legal| legal == date || observed(legal) == Some(date)));
    let year = date.year();
    // Only New Year's Day of the following year can be observed in this year (on 31 December).
    in_year(year) || (date.month() == 12 && date.day() == 31 && year.checked_add(1).is_some_and(in_year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn holidays_2026() {
        let expected = vec![
            (d(2026, 1, 1), "New Year's Day"),
            (d(2026, 1, 19), "Birthday of Martin Luther King, Jr."),
            (d(2026, 2, 16), "Washington's Birthday"),
            (d(2026, 5, 25), "Memorial Day"),
            (d(2026, 6, 19), "Juneteenth National Independence Day"),
            (d(2026, 7, 3), "Independence Day (observed)"),
            (d(2026, 7, 4), "Independence Day"),
            (d(2026, 9, 7), "Labor Day"),
            (d(2026, 10, 12), "Columbus Day"),
            (d(2026, 11, 11), "Veterans Day"),
            (d(2026, 11, 26), "Thanksgiving Day"),
            (d(2026, 12, 25), "Christmas Day"),
        ];
        assert_eq!(us_federal_holidays(2026), expected);
    }

    #[test]
    fn holidays_2027() {
        let expected = vec![
            (d(2027, 1, 1), "New Year's Day"),
            (d(2027, 1, 18), "Birthday of Martin Luther King, Jr."),
            (d(2027, 2, 15), "Washington's Birthday"),
            (d(2027, 5, 31), "Memorial Day"),
            (
                d(2027, 6, 18),
                "Juneteenth National Independence Day (observed)",
            ),
            (d(2027, 6, 19), "Juneteenth National Independence Day"),
            (d(2027, 7, 4), "Independence Day"),
            (d(2027, 7, 5), "Independence Day (observed)"),
            (d(2027, 9, 6), "Labor Day"),
            (d(2027, 10, 11), "Columbus Day"),
            (d(2027, 11, 11), "Veterans Day"),
            (d(2027, 11, 25), "Thanksgiving Day"),
            (d(2027, 12, 24), "Christmas Day (observed)"),
            (d(2027, 12, 25), "Christmas Day"),
        ];
        assert_eq!(us_federal_holidays(2027), expected);
        // New Year's Day 2028 is a Saturday: observed Friday 31 December 2027.
        assert!(is_us_federal_holiday(d(2027, 12, 31)));
        assert_eq!(
            us_federal_holidays(2028)[0],
            (d(2027, 12, 31), "New Year's Day (observed)")
        );
    }

    #[test]
    fn a_holiday_is_a_date_of_its_years_list_or_the_next_years() {
        // Every day of 1965-2105 (the Monday-holiday changes of 1971, Veterans Day's return
        // in 1978, Juneteenth from 2021), against the documented lists.
        let mut day = d(1965, 1, 1);
        while day < d(2106, 1, 1) {
            let listed = [day.year(), day.year() + 1].iter().any(|&y| us_federal_holidays(y).iter().any(|(date, _)| *date == day));
            assert_eq!(is_us_federal_holiday(day), listed, "{day}");
            day = day.succ_opt().expect("in range");
        }
    }

    #[test]
    fn juneteenth_from_2021() {
        assert!(!us_federal_holidays(2020)
            .iter()
            .any(|(_, n)| n.starts_with("Juneteenth")));
        assert!(!is_us_federal_holiday(d(2020, 6, 19)));
        // 19 June 2021 was a Saturday, observed Friday 18 June.
        assert!(is_us_federal_holiday(d(2021, 6, 18)));
        assert!(is_us_federal_holiday(d(2021, 6, 19)));
    }

    #[test]
    fn new_year_observed_in_previous_year() {
        assert!(is_us_federal_holiday(d(2021, 12, 31)));
        assert!(!us_federal_holidays(2021)
            .iter()
            .any(|(date, _)| *date == d(2021, 12, 31)));
        assert_eq!(
            us_federal_holidays(2022)[0],
            (d(2021, 12, 31), "New Year's Day (observed)")
        );
        assert!(!is_us_federal_holiday(d(2025, 12, 31)));
        assert!(!is_us_federal_holiday(d(2022, 1, 3)));
    }

    #[test]
    fn sunday_holiday_observed_monday() {
        // Christmas 2022 was a Sunday.
        assert!(is_us_federal_holiday(d(2022, 12, 25)));
        assert!(is_us_federal_holiday(d(2022, 12, 26)));
        assert!(!is_us_federal_holiday(d(2022, 12, 23)));
    }

    #[test]
    fn inauguration_day_excluded_and_mlk_from_1986() {
        assert!(!is_us_federal_holiday(d(2021, 1, 20))); // Inauguration Day 2021, a Wednesday
        assert!(!us_federal_holidays(1985)
            .iter()
            .any(|(_, n)| n.contains("King")));
        assert!(us_federal_holidays(1986)
            .iter()
            .any(|(_, n)| n.contains("King")));
        assert!(is_us_federal_holiday(d(1975, 10, 27))); // Veterans Day, fourth Monday of October
        assert!(!is_us_federal_holiday(d(1975, 11, 11)));
    }

    #[test]
    fn extreme_years_do_not_panic() {
        for year in [i32::MIN, -262_144, -262_143, 0, 262_142, 262_143, i32::MAX] {
            let _ = us_federal_holidays(year);
        }
        for date in [NaiveDate::MIN, NaiveDate::MAX] {
            let _ = is_us_federal_holiday(date);
        }
    }
}
