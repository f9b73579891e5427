//! Past interactions that a rule counts: built from a count's filter (its channel, direction,
//! status, theme…), placed inside its window, about the request's loan and to the request's
//! contact, so that the count reaches the numbers on both sides of its limit.

use super::fields::{self, contact_value, domain};
use super::witness::{self, Constraints};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rulec_check::checked::{CmpOp, Cond, HistoryQuery, Who, Window};
use rulec_eval::format_time;
use rulec_model::{Field, Record, Vocabulary};
use rulec_scenario::Scenario;
use serde_json::{json, Value as Json};

/// A count test of a rule: `count of … op limit`, or `any …` (at least one).
#[derive(Clone, Debug)]
pub struct CountTest<'r> {
    pub query: &'r HistoryQuery,
    pub op: CmpOp,
    pub limit: u32,
}

/// Every count test of a condition, outside history filters.
pub fn count_tests<'r>(cond: &'r Cond, out: &mut Vec<CountTest<'r>>) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().for_each(|p| count_tests(p, out)),
        Cond::Not(inner) => count_tests(inner, out),
        Cond::Count { query, op, limit } => out.push(CountTest { query, op: *op, limit: *limit }),
        Cond::Exists(query) => out.push(CountTest { query, op: CmpOp::Ge, limit: 1 }),
        _ => {}
    }
}

impl CountTest<'_> {
    /// The counts on both sides of the line the test draws: `>= 3` gives 2 and 3.
    pub fn sides(&self) -> Vec<u32> {
        let l = self.limit;
        match self.op {
            CmpOp::Ge | CmpOp::Lt => vec![l.saturating_sub(1), l],
            CmpOp::Gt | CmpOp::Le => vec![l, l + 1],
            CmpOp::Eq | CmpOp::Ne => vec![l.saturating_sub(1), l, l + 1],
        }
    }

    /// `count >= 3 in the last 7 days`, for labels.
    pub fn describe(&self) -> String {
        format!("count {} {}", self.op.as_str(), self.limit)
    }

    /// The constraints an interaction must meet to be counted, preferring the request's own
    /// channel, theme and subject.
    pub fn witness(&self, s: &Scenario) -> Option<Constraints> {
        let accept = |f: Field| fields::describe(f).is_some_and(|(r, _, _)| matches!(r, Record::Interaction | Record::Contact));
        let prefer = |f: Field| preferred(s, f);
        match &self.query.filter {
            Some(filter) => witness::solve(filter, true, &accept, &prefer),
            None => Some(Constraints::default()),
        }
    }
}

/// What a generated interaction takes when the filter leaves it free: the request's channel,
/// theme and subject, outbound, connected (a call that counts under every reading).
fn preferred(s: &Scenario, field: Field) -> Option<usize> {
    match field {
        Field::InteractionChannel => Some(s.request().channel.index()),
        Field::InteractionTheme => s.request().theme.map(Vocabulary::index),
        Field::InteractionSubject => s.request().subject.map(Vocabulary::index),
        Field::InteractionDirection => Some(rulec_model::Direction::Outbound.index()),
        Field::InteractionStatus => Some(rulec_model::InteractionStatus::Connected.index()),
        Field::InteractionIsAutodialed => Some(usize::from(s.request().is_autodialed)),
        other => fields::current(s, other),
    }
}

/// How far back the window reaches from `now`, in the latest-starting candidate zone (so an
/// interaction placed inside it is inside in every zone).
fn window_span(window: &Window, now: DateTime<Utc>, zones: &[Tz]) -> Duration {
    use rulec_time::window::{start_of_local_day, start_of_month, start_of_week};
    let zones: Vec<Tz> = if zones.is_empty() { vec![Tz::UTC] } else { zones.to_vec() };
    let latest = |f: &dyn Fn(Tz) -> DateTime<Utc>| zones.iter().map(|z| f(*z)).max().unwrap_or(now);
    let start = match window {
        Window::Rolling { seconds } => return Duration::seconds(i64::try_from(*seconds).unwrap_or(i64::MAX / 2).min(730 * 86_400)),
        Window::CalendarDays { days } => latest(&|z| {
            let today = rulec_time::window::local(now, z).date_naive();
            start_of_local_day(today - Duration::days(i64::from(days.saturating_sub(1))), z)
        }),
        Window::CalendarWeek { starting } => latest(&|z| start_of_week(now, z, *starting)),
        Window::CalendarMonth => latest(&|z| start_of_month(now, z)),
        Window::SinceLast { .. } => return Duration::hours(1),
    };
    now - start
}

/// `n` interactions meeting `constraints` (with `overrides` on top), spread evenly inside the
/// test's window before `now`, added to the scenario's JSON. Ids are `ext-review-N`.
pub fn add_interactions(json: &mut Json, s: &Scenario, zones: &[Tz], test: &CountTest<'_>, constraints: &Constraints, overrides: &[(Field, usize)], n: u32) {
    let prefer = |f: Field| preferred(s, f);
    let mut values = constraints.choose(&prefer);
    for (f, v) in overrides {
        match values.iter_mut().find(|(g, _)| g == f) {
            Some(slot) => slot.1 = *v,
            None => values.push((*f, *v)),
        }
    }
    let value = |f: Field| values.iter().find(|(g, _)| *g == f).map(|(_, v)| *v).or_else(|| preferred(s, f));
    let contact = contact_for(s, test.query.scope.who, &values);
    let loans = fields::request_loan_ids(json);
    let loan = loans.first().cloned().or_else(|| s.loans().first().map(|l| l.id.clone()));
    let span = window_span(&test.query.window, s.now(), zones);
    let existing = json.get("interactions").and_then(Json::as_array).map_or(0, Vec::len);
    let mut added = Vec::new();
    for i in 0..n {
        // Evenly inside the window, the oldest first, never at its very edge nor at `now`.
        let back = (span.num_seconds() * i64::from(n - i) / i64::from(n + 1)).max(i64::from(n - i));
        let mut record = json!({
            "id": format!("ext-review-{}", existing + i as usize + 1),
            "channel": fields::value_name(Field::InteractionChannel, value(Field::InteractionChannel).unwrap_or(0)),
            "direction": fields::value_name(Field::InteractionDirection, value(Field::InteractionDirection).unwrap_or(0)),
            "status": fields::value_name(Field::InteractionStatus, value(Field::InteractionStatus).unwrap_or(0)),
            "startAt": format_time(s.now() - Duration::seconds(back)),
        });
        for (f, key) in [(Field::InteractionTheme, "theme"), (Field::InteractionSubject, "subject")] {
            if let Some(v) = value(f) {
                record[key] = Json::String(fields::value_name(f, v));
            }
        }
        if value(Field::InteractionIsAutodialed) == Some(1) {
            record["isAutodialed"] = Json::Bool(true);
        }
        if let Some(id) = &contact {
            record["contactId"] = Json::String(id.clone());
        }
        if let Some(loan) = &loan {
            record["loanIds"] = json!([loan]);
        }
        added.push(record);
    }
    match json.get_mut("interactions").and_then(Json::as_array_mut) {
        Some(list) => list.extend(added),
        None => json["interactions"] = Json::Array(added),
    }
}

/// The contact generated interactions are with: the request's, unless the count is over the
/// borrower's whole history and the filter needs a contact the request's is not (a spouse, a
/// work number): then the first contact that fits.
fn contact_for(s: &Scenario, who: Who, values: &[(Field, usize)]) -> Option<String> {
    let request = s.request_contact();
    let fits = |c: &rulec_scenario::Contact| {
        values.iter().filter(|(f, _)| fields::describe(*f).is_some_and(|(r, _, _)| r == Record::Contact)).all(|(f, v)| contact_value(c, *f) == Some(*v))
    };
    if who != Who::Borrower || fits(request) {
        return request.id.clone();
    }
    s.contacts().iter().find(|c| fits(c) && c.id.is_some()).and_then(|c| c.id.clone()).or_else(|| request.id.clone())
}

/// The interaction fields a count's filter tells apart, with the masks it uses on each.
pub fn filter_masks(test: &CountTest<'_>, out: &mut Vec<(Field, u128)>) {
    let accept = |f: Field| fields::describe(f).is_some_and(|(r, _, _)| r == Record::Interaction) && domain(f).is_some();
    if let Some(filter) = &test.query.filter {
        witness::masks(filter, &accept, out);
    }
}
