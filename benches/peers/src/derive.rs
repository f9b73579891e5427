//! What the harness works out for the peers, from a generated [`Case`] alone (no rulec code):
//! local clock readings and the calendar window for Rego; in addition the per-loan call count,
//! the consent and the Do Not Interact verdict for Cedar. Computed once per scenario, before
//! any timing; none of it is in the timed loops.

use crate::gen::{start_of_local_day, Case, THEME};
use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Tz;

#[derive(Clone, Debug)]
pub struct Derived {
    pub zones: Vec<Tz>,
    /// Seconds since local midnight of `now`, per zone.
    pub local_seconds: Vec<i64>,
    /// Start of "the last 7 calendar days": local midnight six days before today, the earliest
    /// over the zones.
    pub window_start: DateTime<Utc>,
    /// Counted calls (outbound, attempted or connected, voice, in the window, not after now),
    /// the largest count over the request's loans (every loan when it names none).
    pub calls_7d: i64,
    pub autodialed_coll_revoked: bool,
    pub dni_active: bool,
}

pub fn derive(case: &Case) -> Derived {
    let zones = case.zones();
    let now = case.now;
    let local_seconds = zones.iter().map(|z| i64::from(now.with_timezone(z).num_seconds_from_midnight())).collect();
    let window_start = zones
        .iter()
        .map(|z| start_of_local_day(now.with_timezone(z).date_naive() - Duration::days(6), *z))
        .min()
        .expect("at least one zone");
    let loans: Vec<usize> = if case.request_loans.is_empty() { (0..case.loans).collect() } else { case.request_loans.clone() };
    let calls_7d = loans
        .iter()
        .map(|loan| {
            case.past
                .iter()
                .filter(|p| {
                    p.channel == "voice"
                        && p.direction == "outbound"
                        && matches!(p.status, "attempted" | "connected")
                        && p.start >= window_start
                        && p.start <= now
                        && (p.loans.is_empty() || p.loans.contains(loan))
                })
                .count() as i64
        })
        .max()
        .unwrap_or(0);
    let dni_active = case.dnis.iter().any(|d| {
        let channel = d.channels.is_empty() || d.channels.contains(&case.channel);
        let theme = if d.themes.is_empty() { THEME != "opsAccountCredentials" } else { d.themes.contains(&THEME) };
        let contact = d.contacts.is_empty() || d.contacts.contains(&0);
        let started = d.starts.is_none_or(|s| s <= now);
        let not_expired = d.expires.is_none_or(|e| now < e);
        channel && theme && contact && started && not_expired
    });
    Derived {
        zones,
        local_seconds,
        window_start,
        calls_7d,
        autodialed_coll_revoked: case.consent == Some("revoked"),
        dni_active,
    }
}
