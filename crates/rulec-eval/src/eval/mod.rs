//! Deciding a scenario: which rules are in force, which fire, the figures they saw, and when
//! the same request would be allowed.
//!
//! - `conditions`: whether a condition holds at an instant (and the figures it saw), with
//!   `fields` (field tests; the request's one-value fields as bits) and `counts` (counting
//!   past interactions per partition and window);
//! - `release`: when a condition next changes, and from that `releaseAt` / `nextAllowedAt`;
//! - `message`: a fired rule's message with its figures filled in.
//!
//! Release times are derived, not searched for by stepping through time: every atom knows the
//! instants at which it can change (a window opening in some zone, the oldest counted call
//! leaving a window, a Do Not Interact expiring), and `and`/`or`/`not` combine those exactly.

mod conditions;
mod counts;
mod elapsed;
mod fields;
mod message;
mod persons;
mod release;
mod screen;

pub use screen::Screen;
pub(crate) use screen::screen;

use crate::compile::{ChannelGroups, Compiled, InForce};
use crate::decision::*;
use crate::location::Location;
use crate::EvalError;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use rulec_check::checked::{Policy, Rule, Severity};
use rulec_scenario::Scenario;
use message::render_message;
use release::{next_allowed, rule_release};

/// Everything about one scenario that rules look at, computed once.
struct Ctx<'a> {
    s: &'a Scenario,
    location: Location,
    history: &'a rulec_scenario::History,
    /// The loans the request is about, sorted (looked up by binary search); all of the
    /// borrower's loans when it names none. Borrowed from the request when it lists them in
    /// order already (one loan, usually).
    loans: std::borrow::Cow<'a, [usize]>,
    /// Per contact, the person it belongs to; built on first use (`to this person`, replies).
    persons: std::cell::OnceCell<Vec<u32>>,
    /// The last start of a window of calendar days computed: (days, at, start). Rules in force
    /// together often count over the same days at the same instant, and each start costs a
    /// local-to-UTC conversion per candidate zone.
    calendar_days_start: std::cell::Cell<Option<(u32, DateTime<Utc>, Option<DateTime<Utc>>)>>,
    /// `now` in each candidate zone (parallel to `location.zones`): every local-time test at
    /// `now`, the local dates and the decision's `localTimes` read it instead of converting.
    local_now: Vec<DateTime<chrono_tz::Tz>>,
    /// The last other instant converted to a zone's local time: the rules re-tested at a
    /// candidate release instant (`nextAllowedAt`) read the same local time, one after another.
    local_then: std::cell::Cell<Option<(DateTime<Utc>, DateTime<chrono_tz::Tz>)>>,
    /// What the last count for a message or a trace collected, by the address of its query
    /// and the instant: the rule's release time at the same instant counts the same
    /// interactions (see `Compiled::condition`).
    last_counted: std::cell::Cell<Option<(usize, DateTime<Utc>, counts::Counted)>>,
    /// The request's one-value fields as the bits set tests read.
    request_bits: fields::RequestBits,
}

/// What the first history/case/DNI test of a condition saw, for messages, and with `tracing`
/// every test's figures, for traces.
#[derive(Default, Clone)]
struct Seen {
    /// Filled only when `tracing`.
    figures: Vec<TraceFigure>,
    count: Option<(u32, u32)>,
    /// The loan of the count's figures, by index into the scenario's loans.
    loan: Option<usize>,
    last: Option<DateTime<Utc>>,
    case: Option<String>,
    dni: Option<String>,
    /// Whether this is for a trace (`explain`): a decision's message needs only the count,
    /// the loan, the last instant, the case and the Do Not Interact, not the figures.
    tracing: bool,
}

/// The policy a scenario names, resolved; an unknown name is an input error.
fn resolve_policy<'c>(compiled: &'c Compiled, scenario: &Scenario) -> Result<Option<&'c Policy>, EvalError> {
    let Some(name) = scenario.policy() else { return Ok(None) };
    compiled.rule_set.policy(name).map(Some).ok_or_else(|| {
        let names: Vec<&str> = compiled.rule_set.policies.iter().map(|p| p.name.as_str()).collect();
        let hint = match rulec_model::suggest(name, &names) {
            Some(s) => format!(", did you mean '{s}'?"),
            None if names.is_empty() => " (no policy is defined)".to_string(),
            None => format!(" (policies: {})", names.join(", ")),
        };
        EvalError { message: format!("policy: '{name}' is not defined{hint}") }
    })
}

fn context(scenario: &Scenario) -> Ctx<'_> {
    let named = &scenario.request().loans[..];
    let loans = if named.is_empty() {
        std::borrow::Cow::Owned((0..scenario.loans().len()).collect())
    } else if named.windows(2).all(|w| w[0] < w[1]) {
        std::borrow::Cow::Borrowed(named)
    } else {
        let mut loans = named.to_vec();
        loans.sort_unstable();
        loans.dedup();
        std::borrow::Cow::Owned(loans)
    };
    let location = Location::build(scenario, false);
    let now = scenario.now().naive_utc();
    let local_now = location.zones.iter().map(|z| z.from_utc_datetime(&now)).collect();
    Ctx {
        s: scenario,
        location,
        history: scenario.history(),
        loans,
        persons: std::cell::OnceCell::new(),
        calendar_days_start: std::cell::Cell::new(None),
        local_now,
        local_then: std::cell::Cell::new(None),
        last_counted: std::cell::Cell::new(None),
        request_bits: fields::RequestBits::of(scenario),
    }
}

/// The verdict alone: whether no unmuted blocking rule blocks. Stops at the first rule that
/// does; computes no message, release time or next allowed time. Always equal to
/// `decide(…).result`.
pub fn allows(compiled: &Compiled, scenario: &Scenario) -> Result<bool, EvalError> {
    let policy = resolve_policy(compiled, scenario)?;
    let cx = context(scenario);
    let now = scenario.now();
    let today = cx.local_dates(now);
    let blocks = rules_in_force(compiled, &cx, policy, today).into_iter().any(|index| {
        let rule = &compiled.rule_set.rules[index];
        rule.severity == Severity::Block
            && rule.applies.as_ref().is_none_or(|a| cx.holds(a, now, &mut None))
            && cx.holds(&rule.condition, now, &mut None)
            && !rule.exceptions.iter().any(|e| cx.holds(e, now, &mut None))
            && policy.is_none_or(|p| active_mute(p, index, today).is_none())
    });
    Ok(!blocks)
}

/// Decides a scenario; with `tracing`, [`Decision::trace`] records every rule in force.
/// Without, it is [`Screen::decision`]: the rules are classified first, and only those that
/// fired are tested again for their messages and release times.
pub fn decide(compiled: &Compiled, scenario: &Scenario, tracing: bool) -> Result<Decision, EvalError> {
    if !tracing {
        return Ok(screen(compiled, scenario)?.decision());
    }
    let policy = resolve_policy(compiled, scenario)?;
    let cx = context(scenario);
    let now = scenario.now();
    let today = cx.local_dates(now);

    let in_force = rules_in_force(compiled, &cx, policy, today);
    let mut decision = screen::header(compiled, &cx, now, in_force.len());
    let (mut blocking, mut releases) = (Vec::new(), Vec::new());
    let mut record = |rule: &Rule, verdict: Verdict, reason: &dyn Fn() -> String, figures: Vec<TraceFigure>, release_at: Option<DateTime<Utc>>| {
        decision.trace.push(RuleTrace { rule: rule.id.clone(), jurisdiction: rule.jurisdiction.label(), verdict, reason: reason(), figures, release_at });
    };
    let mut blocked_by = Vec::new();
    let mut warnings = Vec::new();
    let mut muted = Vec::new();
    for &index in &in_force {
        let rule = &compiled.rule_set.rules[index];
        if let Some(applies) = &rule.applies {
            if !cx.holds(applies, now, &mut None) {
                record(rule, Verdict::NotApplicable, &|| "the request is outside the rule's scope (`applies when`)".to_string(), Vec::new(), None);
                continue;
            }
        }
        let mut seen = Seen { tracing: true, ..Seen::default() };
        let fired = cx.holds(compiled.condition(index), now, &mut Some(&mut seen));
        if !fired {
            record(rule, Verdict::Allowed, &|| "its condition does not hold".to_string(), seen.figures, None);
            continue;
        }
        if let Some(n) = rule.exceptions.iter().position(|e| cx.holds(e, now, &mut None)) {
            record(rule, Verdict::Allowed, &|| format!("its condition holds, but exception {} (`unless`) applies", n + 1), seen.figures, None);
            continue;
        }
        let figures = std::mem::take(&mut seen.figures);
        let raw_release = rule_release(compiled, &cx, index, now);
        let release = raw_release.filter(written);
        let message = render_message(rule, &cx, &seen, now);
        let mute = policy.and_then(|p| active_mute(p, index, today));
        match (mute, rule.severity) {
            (Some(mute), _) => {
                record(rule, Verdict::Muted, &|| format!("it fired, but the policy mutes it until {}", mute.until), figures, release);
                muted.push(MutedFinding {
                    rule: rule.id.clone(),
                    citation: rule.citations.first().cloned().unwrap_or_default(),
                    mute: MuteInfo { reason: mute.reason.clone(), until: mute.until.to_string(), approved_by: mute.approved_by.clone() },
                });
            }
            (None, Severity::Block) => {
                record(rule, Verdict::Blocked, &|| "its condition holds".to_string(), figures, release);
                blocked_by.push(finding(rule, message, release));
                blocking.push(index);
                releases.push(raw_release);
            }
            (None, Severity::Warn) => {
                record(rule, Verdict::Warned, &|| "its condition holds (warning only)".to_string(), figures, release);
                warnings.push(finding(rule, message, release));
            }
        }
    }
    (decision.blocked_by, decision.warnings, decision.muted) = (blocked_by, warnings, muted);
    decision.result = decision.blocked_by.is_empty();
    if !decision.result {
        // Any blocking rule in force may block at a later instant, not only those blocking now.
        let candidates: Vec<usize> = in_force
            .iter()
            .copied()
            .filter(|&i| compiled.rule_set.rules[i].severity == Severity::Block && policy.is_none_or(|p| active_mute(p, i, today).is_none()))
            .collect();
        decision.next_allowed_at = next_allowed(compiled, &cx, blocking.iter().copied(), &releases, candidates.iter().copied(), now).filter(written);
    }
    decision.blocked_by.sort_by(|a, b| a.rule.cmp(&b.rule));
    decision.warnings.sort_by(|a, b| a.rule.cmp(&b.rule));
    decision.muted.sort_by(|a, b| a.rule.cmp(&b.rule));
    decision.trace.sort_by(|a, b| a.rule.cmp(&b.rule));
    Ok(decision)
}

/// The instants after `scenario.now()`, up to `until`, at which rule `index`'s whole blocking
/// condition (in scope, condition, no exception) changes value as time passes, at most `max`,
/// in order: the same change points `releaseAt` is derived from.
pub fn change_points(compiled: &Compiled, scenario: &Scenario, index: usize, until: DateTime<Utc>, max: usize) -> Vec<DateTime<Utc>> {
    let cx = context(scenario);
    let cond = &compiled.blocking[index];
    let (mut t, mut value) = (scenario.now(), cx.holds(cond, scenario.now(), &mut None));
    let mut out = Vec::new();
    while out.len() < max {
        // `next_change` answers `t` itself when the condition already has the target value;
        // it has `value` at `t`, so the answer is strictly later.
        match cx.next_change(cond, t, !value) {
            Some(next) if next > t && next <= until => {
                out.push(next);
                (t, value) = (next, !value);
            }
            _ => break,
        }
    }
    out
}

/// Rules of the borrower's jurisdictions (as the policy selects them) and of the policy, for
/// the request's channel, binding the company's role, in force on the local date.
fn rules_in_force<'c>(compiled: &'c Compiled, cx: &Ctx<'_>, policy: Option<&Policy>, today: LocalDates) -> Vec<usize> {
    let (channel, role) = (cx.s.request().channel, cx.s.company().role);
    // A policy that extends rules to other roles needs every rule of the channel; otherwise
    // only those binding the company's role are looked at.
    let extends = policy.is_some_and(|p| !p.extends.is_empty());
    let list = |g: &'c ChannelGroups| -> &'c [u32] { if extends { g.for_channel(channel) } else { g.for_channel_and_role(channel, role) } };
    let selection = policy.and_then(|p| p.uses.as_ref());
    let state_selected = |state: &str| selection.is_none_or(|s| s.all_states || s.states.iter().any(|x| x == state));
    let mut lists: Vec<&[u32]> = Vec::with_capacity(cx.location.jurisdictions.len() + 1);
    if selection.is_none_or(|s| s.federal) {
        lists.push(list(&compiled.federal));
    }
    for &jurisdiction in &cx.location.jurisdictions[1..] {
        if let Some(group) = compiled.states.get(jurisdiction).filter(|_| state_selected(jurisdiction)) {
            lists.push(list(group));
        }
        if let Some((_, group)) = compiled.localities.get(jurisdiction).filter(|(state, _)| state_selected(state)) {
            lists.push(list(group));
        }
    }
    if let Some(group) = policy.and_then(|p| compiled.policy_rules.get(&p.name)) {
        lists.push(list(group));
    }
    let mut rules = Vec::with_capacity(lists.iter().map(|l| l.len()).sum());
    for &index in lists.iter().copied().flatten() {
        let i = index as usize;
        let in_force = &compiled.in_force[i];
        let extended = || policy.is_some_and(|p| p.extends.iter().any(|e| e.rules.contains(&i) && e.roles.contains(role)));
        if (in_force.roles.contains(role) || extended()) && effective(in_force, today) {
            rules.push(i);
        }
    }
    // Each rule is in one jurisdiction's group, so the lists are disjoint; sorted, the rules
    // are tested in the rule set's order whatever the order of the groups.
    rules.sort_unstable();
    debug_assert!(rules.windows(2).all(|w| w[0] < w[1]), "a rule listed in two groups: {rules:?}");
    rules
}

/// The local dates of an instant over the candidate zones: at most two distinct days.
#[derive(Clone, Copy, Debug)]
struct LocalDates {
    earliest: NaiveDate,
    latest: NaiveDate,
}

/// A rule is in force if it is on the local date of any candidate zone: where the borrower's
/// location is uncertain, the stricter reading (a new rule applies from the first zone whose
/// day it is, an ending rule until the last).
fn effective(rule: &InForce, dates: LocalDates) -> bool {
    rule.from.is_none_or(|f| f <= dates.latest) && rule.until.is_none_or(|u| dates.earliest <= u)
}

/// A mute holds only while its `until` date has not passed in any candidate zone: a mute
/// never outlives its expiry anywhere the borrower may be.
fn active_mute(policy: &Policy, rule: usize, dates: LocalDates) -> Option<&rulec_check::checked::Mute> {
    policy.mutes.iter().find(|m| m.rules.contains(&rule) && dates.latest <= m.until)
}

/// Whether an instant can be written in RFC 3339 (a four-digit year), and so read back by
/// rulec: a release after the end of year 9999 is reported as none (`null`).
fn written(t: &DateTime<Utc>) -> bool {
    t.year() <= 9999
}

fn finding(rule: &Rule, message: String, release_at: Option<DateTime<Utc>>) -> Finding {
    Finding {
        rule: rule.id.clone(),
        jurisdiction: rule.jurisdiction.label(),
        citation: rule.citations.first().cloned().unwrap_or_default(),
        citations: rule.citations.clone(),
        title: rule.title.clone(),
        message,
        release_at,
    }
}

impl Ctx<'_> {
    /// The local date used for effective dates and mutes: in the borrower's first candidate zone.
    fn local_dates(&self, t: DateTime<Utc>) -> LocalDates {
        let mut dates = self.location.zones.iter().map(|z| self.local(*z, t).date_naive());
        let first = dates.next().unwrap_or_else(|| t.date_naive());
        dates.fold(LocalDates { earliest: first, latest: first }, |d, x| LocalDates { earliest: d.earliest.min(x), latest: d.latest.max(x) })
    }

    /// The borrower's age in whole years at the instant of evaluation, the youngest over the
    /// candidate zones (on a birthday the borrower may be a year younger in a zone west of
    /// another); `None` without a date of birth.
    fn borrower_age(&self) -> Option<i64> {
        let born = self.s.borrower().date_of_birth?;
        let now = self.s.now();
        let dates: Vec<NaiveDate> = if self.location.zones.is_empty() {
            vec![now.date_naive()]
        } else {
            self.local_now.iter().map(|l| l.date_naive()).collect()
        };
        dates.into_iter().map(|d| i64::from(d.years_since(born).unwrap_or(0))).min()
    }

    /// Instant `t` in `zone`: read from `local_now` when `t` is `now` and the zone a candidate,
    /// else from `local_then` when it is the last one converted.
    fn local(&self, zone: chrono_tz::Tz, t: DateTime<Utc>) -> DateTime<chrono_tz::Tz> {
        if t == self.s.now() {
            if let Some(position) = self.location.zones.iter().position(|z| *z == zone) {
                return self.local_now[position];
            }
        }
        if let Some((at, local)) = self.local_then.get() {
            if at == t && local.timezone() == zone {
                return local;
            }
        }
        let local = zone.from_utc_datetime(&t.naive_utc());
        self.local_then.set(Some((t, local)));
        local
    }

    /// The zones a local-time test is judged in: the rule's fixed zone, else the candidates.
    fn zones<'z>(&'z self, fixed: &'z Option<chrono_tz::Tz>) -> &'z [chrono_tz::Tz] {
        match fixed {
            Some(zone) => std::slice::from_ref(zone),
            None => &self.location.zones,
        }
    }

    /// The latest instant, over the candidate zones, at which a date begins.
    fn latest_start_of_day(&self, date: NaiveDate) -> DateTime<Utc> {
        self.location.zones.iter().map(|z| rulec_time::window::start_of_local_day(date, *z)).max().unwrap_or_else(|| Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)))
    }

}
