//! Deciding a scenario: which rules are in force, which fire, the figures they saw, and when
//! the same request would be allowed.
//!
//! Release times are derived, not searched for by stepping through time: every atom knows the
//! instants at which it can change (a window opening in some zone, the oldest counted call
//! leaving a window, a Do Not Interact expiring), and `and`/`or`/`not` combine those exactly.

use crate::compile::Compiled;
use crate::decision::*;
use crate::history::window;
use crate::location::Location;
use crate::EvalError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rulec_check::checked::{CmpOp, Cond, FieldTest, HistoryQuery, Policy, Rule, Scope, Severity, TemplatePart, ValueTest, Window};
use rulec_check::checked::Figure as FigureName;
use rulec_model::{Field, Theme, Vocabulary};
use rulec_scenario::{Case, Interaction, Scenario};

/// How far ahead a time-of-day atom looks for its next change.
const TIME_HORIZON_DAYS: i64 = 8;
/// How far ahead a date atom (day of week, holiday, date range) looks.
const DATE_HORIZON_DAYS: i64 = 400;
/// Bound on the rounds of the "all released at once" fixpoint.
const MAX_ROUNDS: usize = 64;

/// Everything about one scenario that rules look at, computed once.
struct Ctx<'a> {
    s: &'a Scenario,
    location: Location,
    history: &'a rulec_scenario::History,
    /// The loans the request is about; all of the borrower's loans when it names none.
    loans: Vec<usize>,
}

/// What the first history/case/DNI test of a condition saw, for messages.
#[derive(Default, Clone)]
struct Seen {
    figures: Vec<TraceFigure>,
    count: Option<(u32, u32)>,
    loan: Option<String>,
    last: Option<DateTime<Utc>>,
    case: Option<String>,
    dni: Option<String>,
}

/// The policy a scenario names, resolved; an unknown name is an input error.
fn resolve_policy<'c>(compiled: &'c Compiled, scenario: &Scenario) -> Result<Option<&'c Policy>, EvalError> {
    let Some(name) = &scenario.policy else { return Ok(None) };
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
    let loans = if scenario.request.loans.is_empty() { (0..scenario.loans.len()).collect() } else { scenario.request.loans.clone() };
    Ctx { s: scenario, location: Location::build(scenario, false), history: scenario.history(), loans }
}

/// The verdict alone: whether no unmuted blocking rule blocks. Stops at the first rule that
/// does; computes no message, release time or next allowed time. Always equal to
/// `decide(…).result`.
pub fn allows(compiled: &Compiled, scenario: &Scenario) -> Result<bool, EvalError> {
    let policy = resolve_policy(compiled, scenario)?;
    let cx = context(scenario);
    let now = scenario.now;
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
pub fn decide(compiled: &Compiled, scenario: &Scenario, tracing: bool) -> Result<Decision, EvalError> {
    let policy = resolve_policy(compiled, scenario)?;
    let cx = context(scenario);
    let now = scenario.now;
    let today = cx.local_dates(now);

    let mut decision = Decision {
        result: true,
        blocked_by: Vec::new(),
        warnings: Vec::new(),
        muted: Vec::new(),
        jurisdictions: cx.location.jurisdictions.clone(),
        local_times: cx
            .location
            .zones
            .iter()
            .map(|z| LocalTime { timezone: z.name().to_string(), local_time: z.from_utc_datetime(&now.naive_utc()).to_rfc3339() })
            .collect(),
        next_allowed_at: None,
        rules_evaluated: 0,
        trace: Vec::new(),
    };

    let in_force = rules_in_force(compiled, &cx, policy, today);
    decision.rules_evaluated = in_force.len();
    let mut blocking = Vec::new();
    // Without a trace, a rule that does not fire costs no allocation: its condition is first
    // tested without recording figures, and tested again with them only if it fires (for the
    // message).
    let mut record = |rule: &Rule, verdict: Verdict, reason: &dyn Fn() -> String, figures: Vec<TraceFigure>, release_at: Option<DateTime<Utc>>| {
        if tracing {
            decision.trace.push(RuleTrace { rule: rule.id.clone(), jurisdiction: rule.jurisdiction.label(), verdict, reason: reason(), figures, release_at });
        }
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
        let mut seen = Seen::default();
        let fired = if tracing { cx.holds(&rule.condition, now, &mut Some(&mut seen)) } else { cx.holds(&rule.condition, now, &mut None) };
        if !fired {
            record(rule, Verdict::Allowed, &|| "its condition does not hold".to_string(), seen.figures, None);
            continue;
        }
        if let Some(n) = rule.exceptions.iter().position(|e| cx.holds(e, now, &mut None)) {
            record(rule, Verdict::Allowed, &|| format!("its condition holds, but exception {} (`unless`) applies", n + 1), seen.figures, None);
            continue;
        }
        if !tracing {
            cx.holds(&rule.condition, now, &mut Some(&mut seen));
        }
        let figures = std::mem::take(&mut seen.figures);
        let release = rule_release(compiled, &cx, index, now);
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
        decision.next_allowed_at = next_allowed(compiled, &cx, &blocking, &candidates, now);
    }
    decision.blocked_by.sort_by(|a, b| a.rule.cmp(&b.rule));
    decision.warnings.sort_by(|a, b| a.rule.cmp(&b.rule));
    decision.muted.sort_by(|a, b| a.rule.cmp(&b.rule));
    decision.trace.sort_by(|a, b| a.rule.cmp(&b.rule));
    Ok(decision)
}

/// Rules of the borrower's jurisdictions (as the policy selects them) and of the policy, for
/// the request's channel, binding the company's role, in force on the local date.
fn rules_in_force(compiled: &Compiled, cx: &Ctx<'_>, policy: Option<&Policy>, today: LocalDates) -> Vec<usize> {
    let channel = cx.s.request.channel;
    let selection = policy.and_then(|p| p.uses.as_ref());
    let mut groups = Vec::new();
    if selection.is_none_or(|s| s.federal) {
        groups.push(&compiled.federal);
    }
    for jurisdiction in &cx.location.jurisdictions[1..] {
        let state_selected = |state: &str| selection.is_none_or(|s| s.all_states || s.states.iter().any(|x| x == state));
        if let Some(group) = compiled.states.get(jurisdiction) {
            if state_selected(jurisdiction) {
                groups.push(group);
            }
        }
        if let Some((state, group)) = compiled.localities.get(jurisdiction) {
            if state_selected(state) {
                groups.push(group);
            }
        }
    }
    if let Some(group) = policy.and_then(|p| compiled.policy_rules.get(&p.name)) {
        groups.push(group);
    }
    let role = cx.s.company.role;
    let mut rules: Vec<usize> = groups
        .into_iter()
        .flat_map(|g| g.for_channel(channel).iter().map(|&i| i as usize))
        .filter(|&i| {
            let rule = &compiled.rule_set.rules[i];
            let extended = policy.is_some_and(|p| p.extends.iter().any(|e| e.rules.contains(&i) && e.roles.contains(role)));
            (rule.roles.contains(role) || extended) && effective(rule, today)
        })
        .collect();
    rules.sort_unstable();
    rules.dedup();
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
fn effective(rule: &Rule, dates: LocalDates) -> bool {
    rule.effective_from.is_none_or(|f| f <= dates.latest) && rule.effective_until.is_none_or(|u| dates.earliest <= u)
}

/// A mute holds only while its `until` date has not passed in any candidate zone: a mute
/// never outlives its expiry anywhere the borrower may be.
fn active_mute(policy: &Policy, rule: usize, dates: LocalDates) -> Option<&rulec_check::checked::Mute> {
    policy.mutes.iter().find(|m| m.rules.contains(&rule) && dates.latest <= m.until)
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

/// When this rule alone stops blocking: its condition's next change, or the end of its
/// effective range if sooner.
fn rule_release(compiled: &Compiled, cx: &Ctx<'_>, index: usize, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
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
/// there, until none blocks. Exact, because before a rule's release that rule still blocks.
fn next_allowed(compiled: &Compiled, cx: &Ctx<'_>, blocking: &[usize], candidates: &[usize], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let mut t = now;
    let mut still: Vec<usize> = blocking.to_vec();
    for _ in 0..MAX_ROUNDS {
        let mut latest = t;
        for &i in &still {
            latest = latest.max(rule_release(compiled, cx, i, t)?);
        }
        t = latest;
        still = candidates
            .iter()
            .copied()
            .filter(|&i| {
                let rule = &compiled.rule_set.rules[i];
                effective(rule, cx.local_dates(t)) && cx.holds(&compiled.blocking[i], t, &mut None)
            })
            .collect();
        if still.is_empty() {
            return Some(t);
        }
    }
    None
}

fn render_message(rule: &Rule, cx: &Ctx<'_>, seen: &Seen, now: DateTime<Utc>) -> String {
    let Some(template) = &rule.message else { return rule.title.clone() };
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => out.push_str(text),
            TemplatePart::Figure(figure) => out.push_str(&match figure {
                FigureName::Count => seen.count.map_or("?".into(), |c| c.0.to_string()),
                FigureName::Limit => seen.count.map_or("?".into(), |c| c.1.to_string()),
                FigureName::Loan => seen.loan.clone().unwrap_or_else(|| {
                    // Sorted, so that the message does not depend on the order of the lists.
                    let mut ids: Vec<String> = cx.loans.iter().map(|&l| cx.s.loans[l].id.clone()).collect();
                    ids.sort();
                    if ids.is_empty() {
                        "(none on file)".to_string()
                    } else {
                        ids.join(", ")
                    }
                }),
                FigureName::Last => seen.last.map_or("?".into(), format_time),
                FigureName::LocalTimes => cx
                    .location
                    .zones
                    .iter()
                    .map(|z| format!("{} in {}", z.from_utc_datetime(&now.naive_utc()).format("%H:%M %Z"), z.name()))
                    .collect::<Vec<_>>()
                    .join(", "),
                FigureName::Channel => cx.s.request.channel.name().to_string(),
                FigureName::Theme => cx.s.request.theme.map_or("(none)".into(), |t| t.name().to_string()),
                FigureName::Case => seen.case.clone().unwrap_or_else(|| "?".into()),
                FigureName::DoNotInteract => seen.dni.clone().unwrap_or_else(|| "?".into()),
            }),
        }
    }
    out
}

impl Ctx<'_> {
    /// The local date used for effective dates and mutes: in the borrower's first candidate zone.
    fn local_dates(&self, t: DateTime<Utc>) -> LocalDates {
        let mut dates = self.location.zones.iter().map(|z| z.from_utc_datetime(&t.naive_utc()).date_naive());
        let first = dates.next().unwrap_or_else(|| t.date_naive());
        dates.fold(LocalDates { earliest: first, latest: first }, |d, x| LocalDates { earliest: d.earliest.min(x), latest: d.latest.max(x) })
    }

    /// The borrower's age in whole years at the instant of evaluation, the youngest over the
    /// candidate zones (on a birthday the borrower may be a year younger in a zone west of
    /// another); `None` without a date of birth.
    fn borrower_age(&self) -> Option<i64> {
        let born = self.s.borrower.date_of_birth?;
        let now = self.s.now;
        let dates: Vec<NaiveDate> = if self.location.zones.is_empty() {
            vec![now.date_naive()]
        } else {
            self.location.zones.iter().map(|z| z.from_utc_datetime(&now.naive_utc()).date_naive()).collect()
        };
        dates.into_iter().map(|d| i64::from(d.years_since(born).unwrap_or(0))).min()
    }

    /// The latest instant, over the candidate zones, at which a date begins.
    fn latest_start_of_day(&self, date: NaiveDate) -> DateTime<Utc> {
        self.location.zones.iter().map(|z| rulec_time::window::start_of_local_day(date, *z)).max().unwrap_or_else(|| Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)))
    }

    // ------------------------------------------------------------ truth

    fn holds(&self, cond: &Cond, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        match cond {
            Cond::All(parts) => {
                // Evaluate every part when collecting figures, so the trace shows them all.
                if seen.is_some() {
                    parts.iter().fold(true, |acc, p| self.holds(p, t, seen) && acc)
                } else {
                    parts.iter().all(|p| self.holds(p, t, seen))
                }
            }
            Cond::Any(parts) => {
                if seen.is_some() {
                    parts.iter().fold(false, |acc, p| self.holds(p, t, seen) || acc)
                } else {
                    parts.iter().any(|p| self.holds(p, t, seen))
                }
            }
            Cond::Not(inner) => !self.holds(inner, t, seen),
            Cond::Field(test) => self.request_field(test),
            Cond::LocalTime { .. } | Cond::LocalDay { .. } | Cond::FederalHoliday { .. } | Cond::LocalDate { .. } => {
                let mut any = false;
                for zone in &self.location.zones {
                    let local = zone.from_utc_datetime(&t.naive_utc());
                    let holds = local_atom(cond, local.time(), local.date_naive());
                    any |= holds;
                    if let (Some(seen), Cond::LocalTime { start, end, outside }) = (seen.as_deref_mut(), cond) {
                        seen.figures.push(TraceFigure::LocalTime {
                            timezone: zone.name().to_string(),
                            local_time: local.to_rfc3339(),
                            test: format!("{} {}-{}", if *outside { "outside" } else { "within" }, start.format("%H:%M"), end.format("%H:%M")),
                            holds,
                        });
                    }
                }
                any
            }
            Cond::Consent { name, value } => {
                let actual = self.s.consent(*name);
                let holds = actual == *value;
                if let Some(seen) = seen.as_deref_mut() {
                    seen.figures.push(TraceFigure::Consent { name: name.name().to_string(), value: actual.name().to_string(), holds });
                }
                holds
            }
            Cond::Count { query, op, limit } => self.count_holds(query, *op, *limit, t, seen),
            Cond::Exists(query) => self.count_holds(query, CmpOp::Ge, 1, t, seen),
            Cond::CaseExists { filter, per_loan } => {
                // The case named in messages is the matching one with the least id, so that the
                // decision does not depend on the order of `cases` (ids are unique).
                let found = self
                    .s
                    .cases
                    .iter()
                    .filter(|case| filter.as_ref().is_none_or(|f| case_matches(f, case)) && (!per_loan || self.case_about_request_loans(case)))
                    .min_by(|a, b| a.id.cmp(&b.id));
                if let (Some(case), Some(seen)) = (found, seen.as_deref_mut()) {
                    seen.figures.push(TraceFigure::Case { id: case.id.clone(), case_type: case.case_type.name().to_string() });
                    seen.case.get_or_insert_with(|| case.id.clone());
                }
                found.is_some()
            }
            Cond::DoNotInteract => {
                let mut active: Vec<_> = self.matching_dnis().filter(|d| d.starts_at.is_none_or(|s| s <= t) && d.expires_at.is_none_or(|e| t < e)).collect();
                // In an order that does not depend on the order of `cases` (the first is named).
                active.sort_by(|a, b| (&a.id, a.starts_at, a.expires_at).cmp(&(&b.id, b.starts_at, b.expires_at)));
                if let Some(seen) = seen.as_deref_mut() {
                    for d in &active {
                        let id = d.id.clone().unwrap_or_else(|| "(unnamed)".into());
                        seen.figures.push(TraceFigure::DoNotInteract { id: id.clone(), expires_at: d.expires_at });
                        seen.dni.get_or_insert(id);
                    }
                }
                !active.is_empty()
            }
        }
    }

    fn request_field(&self, test: &FieldTest) -> bool {
        let contact = self.s.request_contact();
        let request = &self.s.request;
        let value = |index: Option<usize>| in_set(&test.test, index);
        let boolean = |b: bool| matches!(test.test, ValueTest::Bool(expected) if expected == b);
        match test.field {
            Field::RequestChannel => value(Some(request.channel.index())),
            Field::RequestTheme => value(request.theme.map(Vocabulary::index)),
            Field::RequestSubject => value(request.subject.map(Vocabulary::index)),
            Field::RequestIsAutodialed => boolean(request.is_autodialed),
            Field::BorrowerPersonType => value(Some(self.s.borrower.person_type.index())),
            Field::BorrowerAge => match (&test.test, self.borrower_age()) {
                (ValueTest::Int(op, limit), Some(age)) => compare(age, *op, *limit),
                // An unknown age satisfies no comparison: `borrower.age < 18` is false for a
                // borrower whose date of birth is not on file.
                _ => false,
            },
            Field::LoanStatus | Field::LoanDebtType | Field::LoanTimeBarred | Field::LoanDaysPastDue | Field::LoanType => {
                self.loans.iter().any(|&l| loan_field(test, &self.s.loans[l]))
            }
            _ => contact_field(test, contact),
        }
    }

    fn count_holds(&self, query: &HistoryQuery, op: CmpOp, limit: u32, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        if seen.is_none() {
            // The hot path: count, without collecting what was counted.
            return self.any_partition(query.scope, |partition| {
                let count = self.counted(partition, query, t).count();
                compare(u32::try_from(count).unwrap_or(u32::MAX), op, limit)
            });
        }
        let mut any = false;
        for (partition, loan) in self.partitions(query.scope) {
            let counted: Vec<u32> = self.counted(partition, query, t).collect();
            let count = counted.len() as u32;
            let holds = compare(count, op, limit);
            if let Some(seen) = seen.as_deref_mut() {
                let loan_id = loan.map(|l| self.s.loans[l].id.clone());
                seen.figures.push(TraceFigure::Count {
                    count,
                    op: op.as_str().to_string(),
                    limit,
                    window: describe_window(&query.window),
                    loan: loan_id.clone(),
                    interactions: counted.iter().map(|&i| self.s.interactions()[i as usize].id.clone()).collect(),
                    holds,
                });
                // The message shows the loan that fired (or the largest count when none did); on a
                // tie, the least loan id, so that it does not depend on the order of the loans.
                let better = match seen.count {
                    None => true,
                    Some((c, _)) => (holds && !any) || (holds == any && (count > c || (count == c && loan_id < seen.loan))),
                };
                if better {
                    seen.count = Some((count, limit));
                    seen.loan = loan_id;
                    seen.last = counted.last().map(|&i| self.s.interactions()[i as usize].start_at);
                }
            }
            any |= holds;
            if any && seen.is_none() {
                return true;
            }
        }
        any
    }

    /// Whether `test` holds for any partition of the scope (without allocating).
    fn any_partition(&self, scope: Scope, mut test: impl FnMut(&[u32]) -> bool) -> bool {
        match scope {
            Scope::Borrower => test(&self.history.all),
            Scope::Contact => test(&self.history.by_contact[self.s.request.contact]),
            Scope::Loan if self.loans.is_empty() => test(&self.history.all),
            Scope::Loan => self.loans.iter().any(|&l| test(&self.history.by_loan[l])),
        }
    }

    /// The partitions a scope counts over, with the loan each is for.
    fn partitions(&self, scope: Scope) -> Vec<(&[u32], Option<usize>)> {
        match scope {
            Scope::Borrower => vec![(&self.history.all[..], None)],
            Scope::Contact => vec![(&self.history.by_contact[self.s.request.contact][..], None)],
            Scope::Loan if self.loans.is_empty() => vec![(&self.history.all[..], None)],
            Scope::Loan => self.loans.iter().map(|&l| (&self.history.by_loan[l][..], Some(l))).collect(),
        }
    }

    /// The interactions of a partition that the query counts at instant `t`, oldest first
    /// (an iterator, so that the hot path counts without collecting).
    fn counted<'p>(&'p self, partition: &'p [u32], query: &'p HistoryQuery, t: DateTime<Utc>) -> impl Iterator<Item = u32> + 'p {
        let (from, inclusive) = self.window_start(partition, query, t);
        window(partition, self.s, from, inclusive, t)
            .iter()
            .copied()
            .filter(move |&i| query.filter.as_ref().is_none_or(|f| self.interaction_matches(f, &self.s.interactions()[i as usize])))
    }

    /// Where a window begins at instant `t`: the instant and whether it is included.
    fn window_start(&self, partition: &[u32], query: &HistoryQuery, t: DateTime<Utc>) -> (Option<DateTime<Utc>>, bool) {
        let zones = &self.location.zones;
        let earliest = |f: &dyn Fn(Tz) -> DateTime<Utc>| zones.iter().map(|z| f(*z)).min();
        match &query.window {
            Window::Rolling { seconds } => (Some(t - Duration::seconds(i64::try_from(*seconds).unwrap_or(i64::MAX / 2_000))), false),
            Window::CalendarDays { days } => (
                earliest(&|z| {
                    let today = z.from_utc_datetime(&t.naive_utc()).date_naive();
                    let first = today - Duration::days(i64::from(*days) - 1);
                    rulec_time::window::start_of_local_day(first, z)
                }),
                true,
            ),
            Window::CalendarWeek { starting } => (earliest(&|z| rulec_time::window::start_of_week(t, z, *starting)), true),
            Window::CalendarMonth => (earliest(&|z| rulec_time::window::start_of_month(t, z)), true),
            Window::SinceLast { filter } => {
                let upto = window(partition, self.s, None, true, t);
                let last = upto
                    .iter()
                    .rev()
                    .find(|&&i| filter.as_ref().is_none_or(|f| self.interaction_matches(f, &self.s.interactions()[i as usize])));
                (last.map(|&i| self.s.interactions()[i as usize].start_at), false)
            }
        }
    }

    /// When a counted interaction leaves the window (nothing else happening); `None`: never.
    fn leave_time(&self, query: &HistoryQuery, interaction: &Interaction, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let zones = &self.location.zones;
        let latest = |f: &dyn Fn(Tz) -> DateTime<Utc>| zones.iter().map(|z| f(*z)).max();
        match &query.window {
            Window::Rolling { seconds } => Some(interaction.start_at + Duration::seconds(i64::try_from(*seconds).unwrap_or(i64::MAX / 2_000))),
            Window::CalendarDays { days } => latest(&|z| {
                let date = z.from_utc_datetime(&interaction.start_at.naive_utc()).date_naive();
                rulec_time::window::start_of_local_day(date + Duration::days(i64::from(*days)), z)
            }),
            Window::CalendarWeek { starting } => latest(&|z| {
                let start = rulec_time::window::start_of_week(t, z, *starting);
                let date = z.from_utc_datetime(&start.naive_utc()).date_naive();
                rulec_time::window::start_of_local_day(date + Duration::days(7), z)
            }),
            Window::CalendarMonth => latest(&|z| {
                let local = z.from_utc_datetime(&t.naive_utc()).date_naive();
                let next = if local.month() == 12 {
                    NaiveDate::from_ymd_opt(local.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(local.year(), local.month() + 1, 1)
                };
                rulec_time::window::start_of_local_day(next.unwrap_or(local), z)
            }),
            Window::SinceLast { .. } => None,
        }
    }

    fn interaction_matches(&self, filter: &Cond, interaction: &Interaction) -> bool {
        match filter {
            Cond::All(parts) => parts.iter().all(|p| self.interaction_matches(p, interaction)),
            Cond::Any(parts) => parts.iter().any(|p| self.interaction_matches(p, interaction)),
            Cond::Not(inner) => !self.interaction_matches(inner, interaction),
            Cond::Field(test) => {
                let value = |index: Option<usize>| in_set(&test.test, index);
                match test.field {
                    Field::InteractionChannel => value(Some(interaction.channel.index())),
                    Field::InteractionDirection => value(Some(interaction.direction.index())),
                    Field::InteractionTheme => value(interaction.theme.map(Vocabulary::index)),
                    Field::InteractionSubject => value(interaction.subject.map(Vocabulary::index)),
                    Field::InteractionStatus => value(Some(interaction.status.index())),
                    Field::InteractionIsAutodialed => matches!(test.test, ValueTest::Bool(b) if b == interaction.is_autodialed),
                    _ => interaction.contact.is_some_and(|c| contact_field(test, &self.s.contacts[c])),
                }
            }
            // The checker admits only field tests in history filters.
            _ => false,
        }
    }

    fn case_about_request_loans(&self, case: &Case) -> bool {
        case.loans.is_empty() || case.loans.iter().any(|l| self.loans.contains(l))
    }

    /// Do Not Interacts that match the request's channel, theme, subject and contact, whatever
    /// their dates. An empty list matches everything, except that "all themes" leaves out
    /// `opsAccountCredentials`, as the platform's Do Not Interact documentation states.
    fn matching_dnis(&self) -> impl Iterator<Item = &rulec_scenario::DoNotInteract> + '_ {
        let request = &self.s.request;
        self.s.cases.iter().flat_map(|c| c.do_not_interact.iter()).filter(move |d| {
            let channel = d.channels.is_empty() || d.channels.contains(&request.channel);
            let theme = if d.themes.is_empty() {
                request.theme != Some(Theme::OpsAccountCredentials)
            } else {
                request.theme.is_some_and(|t| d.themes.contains(&t))
            };
            let subject = d.subjects.is_empty() || request.subject.is_some_and(|s| d.subjects.contains(&s));
            let contact = d.contacts.is_empty() || d.contacts.contains(&request.contact);
            channel && theme && subject && contact
        })
    }

    // ------------------------------------------------------------ change over time

    /// The earliest instant at or after `t` at which `cond` equals `target`, if nothing else
    /// happens; `None` if that never happens by the passage of time alone.
    fn next_change(&self, cond: &Cond, t: DateTime<Utc>, target: bool) -> Option<DateTime<Utc>> {
        if self.holds(cond, t, &mut None) == target {
            return Some(t);
        }
        match cond {
            Cond::Not(inner) => self.next_change(inner, t, !target),
            // `all` turning false, or `any` turning true: the first part to do so.
            Cond::All(parts) if !target => parts.iter().filter_map(|p| self.next_change(p, t, false)).min(),
            Cond::Any(parts) if target => parts.iter().filter_map(|p| self.next_change(p, t, true)).min(),
            // `all` turning true or `any` turning false: every part at once. Before the latest
            // first change, some part still has the wrong value; from there, check and repeat.
            Cond::All(parts) | Cond::Any(parts) => {
                let mut at = t;
                for _ in 0..MAX_ROUNDS {
                    let mut latest = at;
                    for p in parts {
                        latest = latest.max(self.next_change(p, at, target)?);
                    }
                    if self.holds(cond, latest, &mut None) == target {
                        return Some(latest);
                    }
                    at = latest;
                }
                None
            }
            Cond::LocalTime { start, end, .. } => {
                let one_past_end = Duration::nanoseconds(1);
                let candidates = self.local_instants(t, TIME_HORIZON_DAYS, &[(*start, Duration::zero()), (*end, one_past_end)]);
                candidates.into_iter().find(|c| self.holds(cond, *c, &mut None) == target)
            }
            Cond::LocalDay { .. } | Cond::FederalHoliday { .. } | Cond::LocalDate { .. } => {
                let candidates = self.local_instants(t, DATE_HORIZON_DAYS, &[(NaiveTime::MIN, Duration::zero())]);
                candidates.into_iter().find(|c| self.holds(cond, *c, &mut None) == target)
            }
            Cond::Count { query, op, limit } => self.count_change(query, *op, *limit, t, target),
            Cond::Exists(query) => self.count_change(query, CmpOp::Ge, 1, t, target),
            Cond::DoNotInteract => {
                let dnis: Vec<_> = self.matching_dnis().collect();
                if target {
                    dnis.iter().filter_map(|d| d.starts_at.filter(|s| *s > t)).filter(|s| dnis.iter().all(|d| d.expires_at.is_none_or(|e| *s < e))).min()
                } else {
                    let mut at = t;
                    for _ in 0..MAX_ROUNDS {
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
            // Fields, consents and cases do not change by the passage of time.
            Cond::Field(_) | Cond::Consent { .. } | Cond::CaseExists { .. } => None,
        }
    }

    /// Counts only fall as time passes (interactions leave their windows); the change comes at
    /// one of those leaving instants, per partition.
    fn count_change(&self, query: &HistoryQuery, op: CmpOp, limit: u32, t: DateTime<Utc>, target: bool) -> Option<DateTime<Utc>> {
        let mut per_partition = Vec::new();
        for (partition, _) in self.partitions(query.scope) {
            let counted: Vec<u32> = self.counted(partition, query, t).collect();
            let mut leaves: Vec<Option<DateTime<Utc>>> = counted.iter().map(|&i| self.leave_time(query, &self.s.interactions()[i as usize], t)).collect();
            leaves.sort_by_key(|l| l.unwrap_or(DateTime::<Utc>::MAX_UTC));
            let mut count = counted.len() as u32;
            let mut change = if compare(count, op, limit) == target { Some(t) } else { None };
            for leave in leaves {
                if change.is_some() {
                    break;
                }
                let Some(leave) = leave else { break };
                count -= 1;
                if compare(count, op, limit) == target {
                    change = Some(leave.max(t));
                }
            }
            per_partition.push(change);
        }
        // Over several loans, the test holds if it holds for any one of them.
        if target {
            per_partition.into_iter().flatten().min()
        } else {
            per_partition.into_iter().try_fold(t, |acc, c| c.map(|c| acc.max(c)))
        }
    }

    /// Instants from `t` on at which some zone's local clock reads one of `times` (plus an
    /// offset), over the next `days` days, sorted; `t` itself first.
    fn local_instants(&self, t: DateTime<Utc>, days: i64, times: &[(NaiveTime, Duration)]) -> Vec<DateTime<Utc>> {
        let mut out = vec![t];
        for zone in &self.location.zones {
            let today = zone.from_utc_datetime(&t.naive_utc()).date_naive();
            for offset in 0..=days {
                let date = today + Duration::days(offset);
                for (time, plus) in times {
                    let instant = local_instant(*zone, date, *time) + *plus;
                    if instant > t {
                        out.push(instant);
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
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

fn local_atom(cond: &Cond, time: NaiveTime, date: NaiveDate) -> bool {
    match cond {
        Cond::LocalTime { start, end, outside } => (*start <= time && time <= *end) != *outside,
        Cond::LocalDay { days, negated } => days.contains(rulec_time::window::weekday_of(date)) != *negated,
        Cond::FederalHoliday { negated } => rulec_time::is_us_federal_holiday(date) != *negated,
        Cond::LocalDate { start, end, outside } => (*start <= date && date <= *end) != *outside,
        _ => false,
    }
}

/// An enum field's value (its index, absent: `None`) against a set test; absent is in no set.
fn in_set(test: &ValueTest, index: Option<usize>) -> bool {
    matches!((test, index), (ValueTest::InSet(mask), Some(i)) if mask & (1u128 << i) != 0)
}

fn compare<T: Ord>(value: T, op: CmpOp, limit: T) -> bool {
    match op {
        CmpOp::Lt => value < limit,
        CmpOp::Le => value <= limit,
        CmpOp::Gt => value > limit,
        CmpOp::Ge => value >= limit,
        CmpOp::Eq => value == limit,
        CmpOp::Ne => value != limit,
    }
}

fn contact_field(test: &FieldTest, contact: &rulec_scenario::Contact) -> bool {
    let value = |index: Option<usize>| in_set(&test.test, index);
    let boolean = |b: bool| matches!(test.test, ValueTest::Bool(expected) if expected == b);
    match test.field {
        Field::ContactType => value(Some(contact.contact_type.index())),
        Field::ContactLabel => value(contact.label.map(Vocabulary::index)),
        Field::ContactAffiliation => value(contact.affiliation.map(Vocabulary::index)),
        Field::ContactStatus => value(contact.status.map(Vocabulary::index)),
        Field::ContactValid => boolean(contact.valid),
        Field::ContactVerified => boolean(contact.verified),
        Field::ContactReceiveTextMessages => boolean(contact.receive_text_messages),
        Field::ContactAuthorizedThirdParty => boolean(contact.authorized_third_party),
        Field::ContactPowerOfAttorney => boolean(contact.power_of_attorney),
        _ => false,
    }
}

fn loan_field(test: &FieldTest, loan: &rulec_scenario::Loan) -> bool {
    match (test.field, &test.test) {
        (Field::LoanStatus, ValueTest::InSet(mask)) => loan.status.is_some_and(|s| mask & (1u128 << s.index()) != 0),
        (Field::LoanDebtType, ValueTest::InSet(mask)) => mask & (1u128 << loan.debt_type.index()) != 0,
        (Field::LoanTimeBarred, ValueTest::Bool(b)) => loan.time_barred == *b,
        (Field::LoanDaysPastDue, ValueTest::Int(op, limit)) => compare(loan.days_past_due, *op, *limit),
        (Field::LoanType, ValueTest::TextIn(list)) => loan.loan_type.as_ref().is_some_and(|t| list.contains(t)),
        _ => false,
    }
}

fn case_matches(filter: &Cond, case: &Case) -> bool {
    match filter {
        Cond::All(parts) => parts.iter().all(|p| case_matches(p, case)),
        Cond::Any(parts) => parts.iter().any(|p| case_matches(p, case)),
        Cond::Not(inner) => !case_matches(inner, case),
        Cond::Field(FieldTest { field, test: ValueTest::InSet(mask) }) => {
            let index = match field {
                Field::CaseType => Some(case.case_type.index()),
                Field::CaseStatus => Some(case.status.index()),
                Field::CaseOutcome => case.outcome.map(Vocabulary::index),
                _ => None,
            };
            index.is_some_and(|i| mask & (1u128 << i) != 0)
        }
        _ => false,
    }
}

fn describe_window(window: &Window) -> String {
    match window {
        Window::Rolling { seconds } if seconds % 86_400 == 0 => format!("in the last {} days", seconds / 86_400),
        Window::Rolling { seconds } if seconds % 3_600 == 0 => format!("in the last {} hours", seconds / 3_600),
        Window::Rolling { seconds } => format!("in the last {} minutes", seconds / 60),
        Window::CalendarDays { days: 1 } => "today".to_string(),
        Window::CalendarDays { days } => format!("in the last {days} calendar days"),
        Window::CalendarWeek { starting } => format!("this calendar week starting {}", starting.name()),
        Window::CalendarMonth => "this calendar month".to_string(),
        Window::SinceLast { .. } => "since the last matching interaction".to_string(),
    }
}
