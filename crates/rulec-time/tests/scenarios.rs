//! Borrower scenarios: DST changes, several zones, boundaries, holidays, calendar starts.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use rulec_model::Weekday;
use rulec_time::window::{
    earliest_date_not, earliest_within, earliest_within_on_dates_not, local, start_of_local_day,
    start_of_month, start_of_week, weekday_of, within_in_all,
};
use rulec_time::{
    is_us_federal_holiday, parse_zone, zone_for_postal_code, zones_for_phone, zones_for_state, Tz,
};

const NY: Tz = Tz::America__New_York;
const CHI: Tz = Tz::America__Chicago;
const DEN: Tz = Tz::America__Denver;
const PHX: Tz = Tz::America__Phoenix;
const LA: Tz = Tz::America__Los_Angeles;
const HNL: Tz = Tz::Pacific__Honolulu;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("valid instant")
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn ns(n: i64) -> TimeDelta {
    TimeDelta::nanoseconds(n)
}

/// The usual 08:00–21:00 window.
fn day() -> (NaiveTime, NaiveTime) {
    (hm(8, 0), hm(21, 0))
}

// --- New York, spring forward: 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z) ------------------

#[test]
fn spring_forward_regular_window() {
    let (s, e) = day();
    // Midnight EST: next 08:00 is EDT (12:00Z), not EST (13:00Z).
    assert_eq!(
        earliest_within(utc(2026, 3, 8, 5, 0, 0), &[NY], s, e),
        Some(utc(2026, 3, 8, 12, 0, 0))
    );
    assert!(within_in_all(utc(2026, 3, 8, 12, 0, 0), &[NY], s, e));
    assert!(!within_in_all(
        utc(2026, 3, 8, 12, 0, 0) - ns(1),
        &[NY],
        s,
        e
    ));
    // 21:00 EDT = 01:00Z next day: inside; a nanosecond later, outside.
    assert!(within_in_all(utc(2026, 3, 9, 1, 0, 0), &[NY], s, e));
    assert!(!within_in_all(
        utc(2026, 3, 9, 1, 0, 0) + ns(1),
        &[NY],
        s,
        e
    ));
    // The day before (EST): 21:00 EST = 02:00Z.
    assert!(within_in_all(utc(2026, 3, 8, 2, 0, 0), &[NY], s, e));
    assert!(!within_in_all(utc(2026, 3, 8, 2, 0, 1), &[NY], s, e));
}

#[test]
fn spring_forward_start_in_skipped_hour() {
    // 02:30 does not exist on 2026-03-08: the window opens at 03:00 EDT (07:00Z).
    let (s, e) = (hm(2, 30), hm(21, 0));
    assert_eq!(
        earliest_within(utc(2026, 3, 8, 6, 0, 0), &[NY], s, e),
        Some(utc(2026, 3, 8, 7, 0, 0))
    );
    assert!(within_in_all(utc(2026, 3, 8, 7, 0, 0), &[NY], s, e));
    assert!(!within_in_all(
        utc(2026, 3, 8, 7, 0, 0) - ns(1),
        &[NY],
        s,
        e
    )); // 01:59:59.999999999 EST
        // The next day it opens at 02:30 EDT again (06:30Z).
    assert_eq!(
        earliest_within(utc(2026, 3, 9, 1, 0, 1), &[NY], s, e),
        Some(utc(2026, 3, 9, 6, 30, 0))
    );
}

#[test]
fn spring_forward_window_entirely_skipped_or_ending_in_the_gap() {
    // [02:00, 02:59] never shows on the clock on 2026-03-08: the next chance is 03-09 02:00 EDT.
    let (s, e) = (hm(2, 0), hm(2, 59));
    assert_eq!(
        earliest_within(utc(2026, 3, 8, 5, 0, 0), &[NY], s, e),
        Some(utc(2026, 3, 9, 6, 0, 0))
    );
    // [01:00, 02:30]: open 01:00 EST until the clock jumps to 03:00 EDT.
    let (s, e) = (hm(1, 0), hm(2, 30));
    assert_eq!(
        earliest_within(utc(2026, 3, 8, 5, 0, 0), &[NY], s, e),
        Some(utc(2026, 3, 8, 6, 0, 0))
    );
    assert!(within_in_all(utc(2026, 3, 8, 7, 0, 0) - ns(1), &[NY], s, e));
    assert!(!within_in_all(utc(2026, 3, 8, 7, 0, 0), &[NY], s, e));
}

// --- New York, fall back: 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z) -------------------------

#[test]
fn fall_back_regular_window() {
    let (s, e) = day();
    // Midnight EDT (04:00Z): next 08:00 is EST (13:00Z).
    assert_eq!(
        earliest_within(utc(2026, 11, 1, 4, 0, 0), &[NY], s, e),
        Some(utc(2026, 11, 1, 13, 0, 0))
    );
    assert!(!within_in_all(utc(2026, 11, 1, 12, 0, 0), &[NY], s, e)); // 07:00 EST
    assert!(within_in_all(utc(2026, 11, 2, 2, 0, 0), &[NY], s, e)); // 21:00 EST
    assert!(!within_in_all(
        utc(2026, 11, 2, 2, 0, 0) + ns(1),
        &[NY],
        s,
        e
    ));
}

#[test]
fn fall_back_start_in_repeated_hour() {
    // 01:30 shows twice: 05:30Z (EDT) and 06:30Z (EST). The window opens at the earlier one.
    let (s, e) = (hm(1, 30), hm(21, 0));
    assert_eq!(
        earliest_within(utc(2026, 11, 1, 4, 0, 0), &[NY], s, e),
        Some(utc(2026, 11, 1, 5, 30, 0))
    );
    assert!(within_in_all(utc(2026, 11, 1, 5, 45, 0), &[NY], s, e)); // 01:45 EDT
                                                                     // After the clock goes back it shows 01:00–01:29 EST: before the window's start.
    assert!(!within_in_all(utc(2026, 11, 1, 6, 10, 0), &[NY], s, e));
    assert_eq!(
        earliest_within(utc(2026, 11, 1, 6, 10, 0), &[NY], s, e),
        Some(utc(2026, 11, 1, 6, 30, 0))
    );
    assert!(within_in_all(utc(2026, 11, 1, 6, 30, 0), &[NY], s, e));
}

#[test]
fn fall_back_end_in_repeated_hour() {
    // [00:00, 01:30]: 01:30 shows twice; the window ends at the later one (06:30Z).
    let (s, e) = (hm(0, 0), hm(1, 30));
    assert!(within_in_all(utc(2026, 11, 1, 5, 30, 0), &[NY], s, e)); // 01:30 EDT
    assert!(!within_in_all(utc(2026, 11, 1, 5, 45, 0), &[NY], s, e)); // 01:45 EDT: past the end
    assert_eq!(
        earliest_within(utc(2026, 11, 1, 5, 45, 0), &[NY], s, e),
        Some(utc(2026, 11, 1, 6, 0, 0))
    );
    assert!(within_in_all(utc(2026, 11, 1, 6, 30, 0), &[NY], s, e)); // 01:30 EST
    assert!(!within_in_all(
        utc(2026, 11, 1, 6, 30, 0) + ns(1),
        &[NY],
        s,
        e
    ));
    // Next opening: 2026-11-02 00:00 EST.
    assert_eq!(
        earliest_within(utc(2026, 11, 1, 6, 30, 0) + ns(1), &[NY], s, e),
        Some(utc(2026, 11, 2, 5, 0, 0))
    );
}

// --- Several zones ------------------------------------------------------------------------

/// A borrower with a Los Angeles phone number and a New York address.
fn ny_la_borrower(phone: &str) -> Vec<Tz> {
    let mut zones = zones_for_phone(phone).expect("LA area code").to_vec();
    zones.extend_from_slice(zones_for_state("NY").expect("NY"));
    zones
}

#[test]
fn new_york_address_los_angeles_phone() {
    let (s, e) = day();
    for phone in ["+1 213 555 0100", "(310) 555-0100"] {
        let zones = ny_la_borrower(phone);
        assert_eq!(zones, vec![LA, NY]);
        // Summer (EDT/PDT): 10:30 Eastern = 14:30Z is 07:30 Pacific.
        assert!(!within_in_all(utc(2026, 7, 1, 14, 30, 0), &zones, s, e));
        assert_eq!(
            earliest_within(utc(2026, 7, 1, 14, 30, 0), &zones, s, e),
            Some(utc(2026, 7, 1, 15, 0, 0))
        );
        assert_eq!(local(utc(2026, 7, 1, 15, 0, 0), NY).time(), hm(11, 0));
        assert_eq!(local(utc(2026, 7, 1, 15, 0, 0), LA).time(), hm(8, 0));
        assert!(within_in_all(utc(2026, 7, 1, 16, 0, 0), &zones, s, e)); // 12:00 Eastern
                                                                         // Evening: New York closes first (21:00 EDT = 01:00Z).
        assert!(within_in_all(utc(2026, 7, 2, 1, 0, 0), &zones, s, e));
        assert!(!within_in_all(utc(2026, 7, 2, 1, 0, 1), &zones, s, e));
        // Winter (EST/PST): 10:30 Eastern = 15:30Z; 11:00 Eastern = 16:00Z.
        assert!(!within_in_all(utc(2026, 1, 15, 15, 30, 0), &zones, s, e));
        assert_eq!(
            earliest_within(utc(2026, 1, 15, 15, 30, 0), &zones, s, e),
            Some(utc(2026, 1, 15, 16, 0, 0))
        );
        assert!(within_in_all(utc(2026, 1, 15, 17, 0, 0), &zones, s, e));
    }
}

#[test]
fn new_york_and_chicago() {
    let (s, e) = day();
    let zones = [NY, CHI];
    // 08:30 Eastern is 07:30 Central.
    assert!(!within_in_all(utc(2026, 7, 1, 12, 30, 0), &zones, s, e));
    assert_eq!(
        earliest_within(utc(2026, 7, 1, 12, 30, 0), &zones, s, e),
        Some(utc(2026, 7, 1, 13, 0, 0))
    );
    // 21:30 Eastern (20:30 Central): New York is closed; next is 09:00 Eastern tomorrow.
    assert!(!within_in_all(utc(2026, 7, 2, 1, 30, 0), &zones, s, e));
    assert_eq!(
        earliest_within(utc(2026, 7, 2, 1, 30, 0), &zones, s, e),
        Some(utc(2026, 7, 2, 13, 0, 0))
    );
}

#[test]
fn florida_zones_and_postal_codes() {
    assert_eq!(zones_for_state("FL"), Some(&[NY, CHI][..]));
    assert_eq!(zone_for_postal_code("FL", "33101"), Some(NY)); // Miami
    assert_eq!(zone_for_postal_code("FL", "32501"), Some(CHI)); // Pensacola
    let (s, e) = day();
    // Without a postal code both zones apply: 08:30 Eastern is 07:30 in Pensacola.
    let both = zones_for_state("FL").expect("FL");
    assert!(!within_in_all(utc(2026, 7, 1, 12, 30, 0), both, s, e));
    assert!(within_in_all(utc(2026, 7, 1, 12, 30, 0), &[NY], s, e));
}

#[test]
fn arizona_against_denver() {
    let (s, e) = day();
    let zones = [PHX, DEN];
    // Summer: Phoenix stays on MST (UTC-7), Denver is on MDT (UTC-6).
    assert!(!within_in_all(utc(2026, 7, 1, 14, 30, 0), &zones, s, e)); // 08:30 MDT, 07:30 MST
    assert_eq!(
        earliest_within(utc(2026, 7, 1, 14, 30, 0), &zones, s, e),
        Some(utc(2026, 7, 1, 15, 0, 0))
    );
    assert!(within_in_all(utc(2026, 7, 2, 3, 0, 0), &zones, s, e)); // 21:00 MDT, 20:00 MST
    assert!(!within_in_all(utc(2026, 7, 2, 3, 0, 1), &zones, s, e));
    // Winter: both on UTC-7, so the windows coincide.
    assert!(within_in_all(utc(2026, 1, 15, 15, 0, 0), &zones, s, e));
    assert!(!within_in_all(
        utc(2026, 1, 15, 15, 0, 0) - ns(1),
        &zones,
        s,
        e
    ));
    assert_eq!(zones_for_phone("602 555 0100"), Some(&[PHX][..]));
    assert_eq!(zones_for_state("AZ"), Some(&[PHX, DEN][..]));
}

#[test]
fn hawaii() {
    let (s, e) = day();
    assert_eq!(zones_for_state("HI"), Some(&[HNL][..]));
    assert!(within_in_all(utc(2026, 7, 1, 18, 0, 0), &[HNL], s, e)); // 08:00 HST
    assert!(!within_in_all(utc(2026, 7, 1, 17, 59, 59), &[HNL], s, e));
    // With New York (EDT): both open from 18:00Z (14:00 EDT) to 01:00Z (21:00 EDT, 15:00 HST).
    assert_eq!(
        earliest_within(utc(2026, 7, 1, 12, 0, 0), &[NY, HNL], s, e),
        Some(utc(2026, 7, 1, 18, 0, 0))
    );
    assert!(within_in_all(utc(2026, 7, 2, 1, 0, 0), &[NY, HNL], s, e));
    assert!(!within_in_all(utc(2026, 7, 2, 1, 0, 1), &[NY, HNL], s, e));
}

#[test]
fn no_common_instant() {
    // Zones twelve hours apart and a one-hour window: never open in both.
    let west = parse_zone("Etc/GMT+6").expect("zone"); // UTC-6
    let east = parse_zone("Etc/GMT-6").expect("zone"); // UTC+6
    assert_eq!(
        earliest_within(utc(2026, 7, 1, 0, 0, 0), &[west, east], hm(8, 0), hm(9, 0)),
        None
    );
    // An inverted window is never open.
    assert_eq!(
        earliest_within(utc(2026, 7, 1, 0, 0, 0), &[NY], hm(21, 0), hm(8, 0)),
        None
    );
    assert!(!within_in_all(
        utc(2026, 7, 1, 0, 0, 0),
        &[NY],
        hm(21, 0),
        hm(8, 0)
    ));
}

#[test]
fn empty_zone_list() {
    let t = utc(2026, 7, 1, 3, 0, 0);
    assert!(within_in_all(t, &[], hm(8, 0), hm(21, 0)));
    assert_eq!(earliest_within(t, &[], hm(8, 0), hm(21, 0)), Some(t));
    assert_eq!(earliest_date_not(t, &[], |_| true), Some(t));
}

#[test]
fn boundary_instants() {
    let (s, e) = day();
    for zone in [NY, CHI, DEN, PHX, LA, HNL] {
        for d in [date(2026, 1, 15), date(2026, 7, 15)] {
            let at = |h, m, sec| {
                zone.from_local_datetime(&d.and_hms_opt(h, m, sec).expect("time"))
                    .single()
                    .expect("unambiguous")
                    .with_timezone(&Utc)
            };
            assert!(within_in_all(at(8, 0, 0), &[zone], s, e), "{zone} 08:00");
            assert!(within_in_all(at(21, 0, 0), &[zone], s, e), "{zone} 21:00");
            assert!(
                !within_in_all(at(21, 0, 1), &[zone], s, e),
                "{zone} 21:00:01"
            );
            assert!(
                !within_in_all(at(21, 0, 0) + ns(1), &[zone], s, e),
                "{zone} 21:00 + 1ns"
            );
            assert!(
                !within_in_all(at(8, 0, 0) - ns(1), &[zone], s, e),
                "{zone} 08:00 - 1ns"
            );
            assert_eq!(
                earliest_within(at(8, 0, 0), &[zone], s, e),
                Some(at(8, 0, 0))
            );
            assert_eq!(
                earliest_within(at(21, 0, 0), &[zone], s, e),
                Some(at(21, 0, 0))
            );
            assert_eq!(
                earliest_within(at(3, 0, 0), &[zone], s, e),
                Some(at(8, 0, 0))
            );
        }
    }
}

// --- Dates ------------------------------------------------------------------------------------

fn sunday_or_holiday(d: NaiveDate) -> bool {
    weekday_of(d) == Weekday::Sunday || is_us_federal_holiday(d)
}

#[test]
fn earliest_date_skips_sunday_and_labor_day() {
    // Sunday 2026-09-06; Monday 2026-09-07 is Labor Day.
    assert!(is_us_federal_holiday(date(2026, 9, 7)));
    let sunday_noon_ny = utc(2026, 9, 6, 16, 0, 0);
    assert_eq!(
        earliest_date_not(sunday_noon_ny, &[NY], sunday_or_holiday),
        Some(utc(2026, 9, 8, 4, 0, 0))
    );
    // With Los Angeles too: Tuesday must have begun in both, i.e. 00:00 PDT = 07:00Z.
    assert_eq!(
        earliest_date_not(sunday_noon_ny, &[NY, LA], sunday_or_holiday),
        Some(utc(2026, 9, 8, 7, 0, 0))
    );
    // Saturday 22:00 in Los Angeles is already Sunday in New York.
    let saturday_night_la = utc(2026, 9, 6, 5, 0, 0);
    assert_eq!(
        earliest_date_not(saturday_night_la, &[LA], sunday_or_holiday),
        Some(saturday_night_la)
    );
    assert_eq!(
        earliest_date_not(saturday_night_la, &[NY, LA], sunday_or_holiday),
        Some(utc(2026, 9, 8, 7, 0, 0))
    );
    // Combined with the window: Tuesday 08:00 Pacific (11:00 Eastern).
    let (s, e) = day();
    assert_eq!(
        earliest_within_on_dates_not(sunday_noon_ny, &[NY, LA], s, e, sunday_or_holiday),
        Some(utc(2026, 9, 8, 15, 0, 0))
    );
}

#[test]
fn earliest_date_outside_a_blackout_range() {
    let blackout = |d: NaiveDate| (date(2026, 12, 24)..=date(2027, 1, 1)).contains(&d);
    let before = utc(2026, 12, 20, 12, 0, 0);
    assert_eq!(earliest_date_not(before, &[NY], blackout), Some(before));
    assert_eq!(
        earliest_date_not(utc(2026, 12, 25, 12, 0, 0), &[NY], blackout),
        Some(utc(2027, 1, 2, 5, 0, 0))
    );
    assert_eq!(
        earliest_date_not(utc(2026, 12, 25, 12, 0, 0), &[HNL], blackout),
        Some(utc(2027, 1, 2, 10, 0, 0))
    );
    // 23:30 EST on 23 December is already the 24th in UTC but not in New York.
    let late = utc(2026, 12, 24, 4, 30, 0);
    assert_eq!(earliest_date_not(late, &[NY], blackout), Some(late));
    // Everything excluded: none within 400 days.
    assert_eq!(earliest_date_not(before, &[NY], |_| true), None);
}

#[test]
fn earliest_date_across_spring_forward_midnight() {
    // Havana skips midnight on 2026-03-08; the 8th begins at 01:00 CDT (05:00Z).
    let havana = Tz::America__Havana;
    let not_before_8th = |d: NaiveDate| d < date(2026, 3, 8);
    assert_eq!(
        earliest_date_not(utc(2026, 3, 7, 12, 0, 0), &[havana], not_before_8th),
        Some(utc(2026, 3, 8, 5, 0, 0))
    );
}

#[test]
fn start_of_local_day_when_midnight_is_skipped_or_repeated() {
    use chrono::LocalResult;
    let havana = Tz::America__Havana;
    let santiago = Tz::America__Santiago;
    // Confirm chrono-tz models these transitions.
    assert!(matches!(
        havana.from_local_datetime(&date(2026, 3, 8).and_time(NaiveTime::MIN)),
        LocalResult::None
    ));
    assert!(matches!(
        santiago.from_local_datetime(&date(2026, 9, 6).and_time(NaiveTime::MIN)),
        LocalResult::None
    ));
    // Skipped midnight: the day begins at the first instant that exists (01:00 local).
    assert_eq!(
        start_of_local_day(date(2026, 3, 8), havana),
        utc(2026, 3, 8, 5, 0, 0)
    );
    assert_eq!(local(utc(2026, 3, 8, 5, 0, 0), havana).time(), hm(1, 0));
    assert_eq!(
        start_of_local_day(date(2026, 9, 6), santiago),
        utc(2026, 9, 6, 4, 0, 0)
    );
    assert_eq!(local(utc(2026, 9, 6, 4, 0, 0), santiago).time(), hm(1, 0));
    // The instant before belongs to the previous local date.
    assert_eq!(
        local(utc(2026, 9, 6, 4, 0, 0) - ns(1), santiago).date_naive(),
        date(2026, 9, 5)
    );
    // Repeated midnight (Havana falls back 01:00 CDT -> 00:00 CST on 2026-11-01): the earlier.
    assert!(matches!(
        havana.from_local_datetime(&date(2026, 11, 1).and_time(NaiveTime::MIN)),
        LocalResult::Ambiguous(..)
    ));
    assert_eq!(
        start_of_local_day(date(2026, 11, 1), havana),
        utc(2026, 11, 1, 4, 0, 0)
    );
    // Santiago falls back at 24:00 -03 on 2026-04-04 (03:00Z) to 23:00 -04: the last hour of
    // the 4th repeats and the 5th begins once, at 00:00 -04.
    assert_eq!(
        start_of_local_day(date(2026, 4, 5), santiago),
        utc(2026, 4, 5, 4, 0, 0)
    );
    assert_eq!(
        local(utc(2026, 4, 5, 3, 0, 0), santiago).date_naive(),
        date(2026, 4, 4)
    );
    // Ordinary days.
    assert_eq!(
        start_of_local_day(date(2026, 3, 8), NY),
        utc(2026, 3, 8, 5, 0, 0)
    );
    assert_eq!(
        start_of_local_day(date(2026, 3, 9), NY),
        utc(2026, 3, 9, 4, 0, 0)
    );
}

#[test]
fn week_and_month_starts_across_dst() {
    // Tuesday 2026-03-10 noon in New York.
    let t = utc(2026, 3, 10, 16, 0, 0);
    assert_eq!(
        start_of_week(t, NY, Weekday::Sunday),
        utc(2026, 3, 8, 5, 0, 0)
    ); // 00:00 EST
    assert_eq!(
        start_of_week(t, NY, Weekday::Monday),
        utc(2026, 3, 9, 4, 0, 0)
    ); // 00:00 EDT
    assert_eq!(
        start_of_week(t, NY, Weekday::Tuesday),
        utc(2026, 3, 10, 4, 0, 0)
    );
    assert_eq!(
        start_of_week(t, NY, Weekday::Wednesday),
        utc(2026, 3, 4, 5, 0, 0)
    );
    assert_eq!(start_of_month(t, NY), utc(2026, 3, 1, 5, 0, 0));
    assert_eq!(
        start_of_month(utc(2026, 11, 15, 12, 0, 0), NY),
        utc(2026, 11, 1, 4, 0, 0)
    );
    // Havana: March 2026's week starting Sunday the 8th begins at 01:00 CDT.
    assert_eq!(
        start_of_week(
            utc(2026, 3, 10, 16, 0, 0),
            Tz::America__Havana,
            Weekday::Sunday
        ),
        utc(2026, 3, 8, 5, 0, 0)
    );
    assert_eq!(weekday_of(date(2026, 3, 8)), Weekday::Sunday);
}

// --- Consistency and robustness ---------------------------------------------------------------

/// A small deterministic generator (no dependencies).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn earliest_within_agrees_with_within_in_all() {
    let zones = [
        NY,
        CHI,
        DEN,
        PHX,
        LA,
        HNL,
        Tz::America__Anchorage,
        Tz::America__Adak,
        Tz::America__Havana,
        Tz::America__Santiago,
        Tz::Australia__Lord_Howe,
        Tz::Pacific__Chatham,
        Tz::Asia__Kathmandu,
        Tz::Europe__London,
        Tz::Asia__Tehran,
        Tz::America__St_Johns,
    ];
    // Instants near 2026's transitions and elsewhere.
    let bases = [
        utc(2026, 3, 7, 0, 0, 0),
        utc(2026, 3, 28, 0, 0, 0),
        utc(2026, 4, 4, 0, 0, 0),
        utc(2026, 9, 5, 0, 0, 0),
        utc(2026, 10, 3, 0, 0, 0),
        utc(2026, 10, 31, 0, 0, 0),
        utc(2026, 6, 1, 0, 0, 0),
    ];
    let mut rng = Lcg(42);
    for _ in 0..300 {
        let n = 1 + rng.below(3) as usize;
        let picked: Vec<Tz> = (0..n)
            .map(|_| zones[rng.below(zones.len() as u64) as usize])
            .collect();
        let a = NaiveTime::from_num_seconds_from_midnight_opt(rng.below(86_400) as u32, 0)
            .expect("time");
        let b = NaiveTime::from_num_seconds_from_midnight_opt(rng.below(86_400) as u32, 0)
            .expect("time");
        let (s, e) = if a <= b { (a, b) } else { (b, a) };
        let from = bases[rng.below(bases.len() as u64) as usize]
            + TimeDelta::seconds(rng.below(3 * 86_400) as i64);
        match earliest_within(from, &picked, s, e) {
            Some(t) => {
                assert!(t >= from);
                assert!(
                    within_in_all(t, &picked, s, e),
                    "{picked:?} [{s}, {e}] from {from}: {t} not within"
                );
                if t > from {
                    assert!(
                        !within_in_all(t - ns(1), &picked, s, e),
                        "{picked:?} [{s}, {e}] from {from}: {t} not earliest"
                    );
                    // Sample instants in between: none may be within.
                    let span = (t - from).num_seconds().max(1) as u64;
                    for _ in 0..50 {
                        let probe = from + TimeDelta::seconds(rng.below(span) as i64);
                        if probe < t {
                            assert!(
                                !within_in_all(probe, &picked, s, e),
                                "{picked:?} [{s}, {e}] from {from}: {probe} within before {t}"
                            );
                        }
                    }
                }
            }
            None => {
                // Sample the horizon: nothing may be within.
                for _ in 0..200 {
                    let probe = from + TimeDelta::seconds(rng.below(14 * 86_400) as i64);
                    assert!(
                        !within_in_all(probe, &picked, s, e),
                        "{picked:?} [{s}, {e}] from {from}: {probe} within but None"
                    );
                }
            }
        }
    }
}

#[test]
fn earliest_date_not_agrees_with_local_dates() {
    let zones = [
        NY,
        LA,
        HNL,
        Tz::America__Havana,
        Tz::America__Santiago,
        Tz::Asia__Tokyo,
        Tz::Pacific__Kiritimati,
    ];
    let mut rng = Lcg(7);
    for _ in 0..200 {
        let n = 1 + rng.below(3) as usize;
        let picked: Vec<Tz> = (0..n)
            .map(|_| zones[rng.below(zones.len() as u64) as usize])
            .collect();
        let from = utc(2026, 1, 1, 0, 0, 0) + TimeDelta::seconds(rng.below(365 * 86_400) as i64);
        let modulus = 2 + rng.below(5) as i32;
        let excluded = move |d: NaiveDate| {
            use chrono::Datelike;
            d.ordinal() as i32 % modulus != 0 || weekday_of(d) == Weekday::Sunday
        };
        let allowed =
            |t: DateTime<Utc>| picked.iter().all(|z| !excluded(local(t, *z).date_naive()));
        if let Some(t) = earliest_date_not(from, &picked, excluded) {
            assert!(t >= from && allowed(t), "{picked:?} from {from}: {t}");
            if t > from {
                assert!(
                    !allowed(t - ns(1)),
                    "{picked:?} from {from}: {t} not earliest"
                );
            }
        }
    }
}

#[test]
fn extreme_inputs_do_not_panic() {
    let (s, e) = day();
    let zones = [NY, Tz::America__Santiago, Tz::Pacific__Kiritimati, Tz::UTC];
    for from in [
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
        DateTime::<Utc>::MAX_UTC - TimeDelta::days(3),
    ] {
        let _ = within_in_all(from, &zones, s, e);
        let _ = earliest_within(from, &zones, s, e);
        let _ = earliest_within(
            from,
            &zones,
            NaiveTime::MIN,
            NaiveTime::from_hms_nano_opt(23, 59, 59, 1_999_999_999).expect("leap"),
        );
        let _ = earliest_date_not(from, &zones, |_| false);
        let _ = earliest_within_on_dates_not(from, &zones, s, e, sunday_or_holiday);
        for zone in zones {
            let _ = start_of_week(from, zone, Weekday::Sunday);
            let _ = start_of_month(from, zone);
            let _ = local(from, zone);
        }
    }
    for d in [
        NaiveDate::MIN,
        NaiveDate::MAX,
        NaiveDate::MIN.checked_add_days(Days::new(1)).expect("d"),
    ] {
        for zone in zones {
            let _ = start_of_local_day(d, zone);
        }
        let _ = is_us_federal_holiday(d);
    }
}
