//! Moving a scenario in time, in its JSON.
//!
//! Two moves: [`advance`] moves the instant of evaluation alone (the request with it), as the
//! evaluator's change points assume ("if nothing else happens"); [`shift`] moves the whole
//! story (history, cases, consents, Do Not Interacts), so that the same situation is judged on
//! another date (a rule's first day in force, a mute's last).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rulec_eval::format_time;
use serde_json::Value as Json;

/// An instant of the scenario format: RFC 3339, or a bare date (00:00 UTC that day).
pub fn parse(value: &Json) -> Option<DateTime<Utc>> {
    let text = value.as_str()?;
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
}

fn move_field(object: &mut Json, key: &str, by: Duration) {
    if let Some(value) = object.get_mut(key) {
        if let Some(t) = parse(value) {
            *value = Json::String(format_time(t + by));
        }
    }
}

fn each(json: &mut Json, key: &str, mut f: impl FnMut(&mut Json)) {
    if let Some(list) = json.get_mut(key).and_then(Json::as_array_mut) {
        list.iter_mut().for_each(&mut f);
    }
}

/// Sets the instant of evaluation to `to` (a request with its own `startAt` keeps its
/// distance from `now`). `now` is the scenario's current instant.
pub fn advance(json: &mut Json, now: DateTime<Utc>, to: DateTime<Utc>) {
    if let Some(request) = json.get_mut("request") {
        move_field(request, "startAt", to - now);
    }
    json["now"] = Json::String(format_time(to));
}

/// Moves every instant of the scenario by `by`: `now`, the request, past interactions, cases,
/// their Do Not Interacts, consents. Dates of birth stay.
pub fn shift(json: &mut Json, now: DateTime<Utc>, by: Duration) {
    advance(json, now, now + by);
    each(json, "interactions", |i| {
        move_field(i, "startAt", by);
        move_field(i, "endAt", by);
    });
    each(json, "consents", |c| {
        move_field(c, "createdAt", by);
        move_field(c, "updatedAt", by);
    });
    each(json, "cases", |c| {
        move_field(c, "createdAt", by);
        move_field(c, "closedAt", by);
        each(c, "doNotInteract", |d| {
            move_field(d, "startsAt", by);
            move_field(d, "expiresAt", by);
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn advancing_moves_now_and_the_request_only() {
        let mut s = json!({"now": "2026-03-10T15:00:00Z", "request": {"startAt": "2026-03-10T15:30:00Z"},
            "interactions": [{"startAt": "2026-03-09T15:00:00Z"}]});
        let now = parse(&s["now"]).unwrap();
        advance(&mut s, now, now + Duration::hours(6));
        assert_eq!(s["now"], "2026-03-10T21:00:00Z");
        assert_eq!(s["request"]["startAt"], "2026-03-10T21:30:00Z");
        assert_eq!(s["interactions"][0]["startAt"], "2026-03-09T15:00:00Z");
    }

    #[test]
    fn shifting_moves_the_whole_story() {
        let mut s = json!({"request": {"startAt": "2026-03-10"}, "interactions": [{"startAt": "2026-03-09T15:00:00Z", "endAt": "2026-03-09T15:05:00Z"}],
            "consents": [{"updatedAt": "2026-01-01T00:00:00Z"}],
            "cases": [{"createdAt": "2026-02-01T00:00:00Z", "doNotInteract": [{"expiresAt": "2026-04-01T00:00:00Z"}]}],
            "borrower": {"dateOfBirth": "1990-01-01"}});
        let now = parse(&s["request"]["startAt"]).unwrap();
        shift(&mut s, now, Duration::days(1));
        assert_eq!(s["now"], "2026-03-11T00:00:00Z");
        assert_eq!(s["interactions"][0]["endAt"], "2026-03-10T15:05:00Z");
        assert_eq!(s["consents"][0]["updatedAt"], "2026-01-02T00:00:00Z");
        assert_eq!(s["cases"][0]["doNotInteract"][0]["expiresAt"], "2026-04-02T00:00:00Z");
        assert_eq!(s["borrower"]["dateOfBirth"], "1990-01-01");
    }
}
