//! Local-time knowledge for the evaluator: may we call or text this borrower now?
//!
//! * **Where the borrower may be.** [`zones_for_state`], [`zones_for_postal_code`] (and
//!   [`zone_for_postal_code`]) and [`zones_for_phone`] turn an address or a phone number into
//!   the IANA zones the borrower could be living by; [`NO_LOCATION_ZONES`] is the answer when
//!   nothing is known. The tables are data files (`data/*.tsv`) embedded in the crate, generated
//!   by `gen/generate.py` from pinned sources (libphonenumber, a ZIP code dataset, time-zone
//!   boundary polygons) and reviewed overrides; docs/zones.md says how. A table never narrows
//!   a zone set below what a source supports.
//! * **US federal holidays.** [`us_federal_holidays`] and [`is_us_federal_holiday`]
//!   (5 U.S.C. 6103, with Saturday/Sunday observance).
//! * **Window arithmetic.** The [`window`] module answers "is this instant inside the
//!   08:00–21:00 window in every one of these zones?" and "when is the next such instant?",
//!   exactly, through DST changes.
//!
//! ```
//! use chrono::{NaiveTime, TimeZone, Utc};
//! use rulec_time::{window, zone_for_postal_code, zones_for_phone};
//!
//! // A borrower with a Los Angeles phone number and a Miami address.
//! let mut zones = zones_for_phone("+1 213 555 0100").unwrap().to_vec();
//! zones.push(zone_for_postal_code("FL", "33101").unwrap());
//! let (start, end) = (NaiveTime::from_hms_opt(8, 0, 0).unwrap(), NaiveTime::from_hms_opt(21, 0, 0).unwrap());
//! let now = Utc.with_ymd_and_hms(2026, 7, 1, 14, 30, 0).unwrap(); // 10:30 in Miami, 07:30 in LA
//! assert!(!window::within_in_all(now, &zones, start, end));
//! assert_eq!(
//!     window::earliest_within(now, &zones, start, end),
//!     Some(Utc.with_ymd_and_hms(2026, 7, 1, 15, 0, 0).unwrap()) // 08:00 in LA
//! );
//! ```

#![warn(missing_docs)]

mod holidays;
mod tables;
pub mod window;

pub use chrono_tz::Tz;
pub use holidays::{business_days_after, is_business_day, is_us_federal_holiday, us_federal_holidays};
pub use tables::{
    parse_zone, zone_for_postal_code, zones_for_phone, zones_for_postal_code, zones_for_state,
    NO_LOCATION_ZONES,
};
