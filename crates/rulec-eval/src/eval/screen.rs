//! The verdict first, the rest on demand: which rules block, warn or are muted is decided
//! without rendering a message or deriving a release time; `releaseAt`, `nextAllowedAt` and
//! the messages are computed only when asked for (`Screen::next_allowed_at`,
//! `Screen::decision`). A screen that needs the verdict and the blocking rules pays the same
//! for a blocked request as for an allowed one.

use super::message::{needs_what_was_seen, render_message};
use super::release::{next_allowed, rule_release};
use super::{active_mute, context, finding, resolve_policy, rules_in_force, written, Ctx, LocalDates, Seen};
use crate::compile::Compiled;
use crate::decision::{Decision, LocalTime, MuteInfo, MutedFinding};
use crate::EvalError;
use chrono::{DateTime, Utc};
use rulec_check::checked::{Policy, Severity};
use rulec_scenario::Scenario;

/// What became of a rule that fired (in scope, condition holding, no exception applying).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Blocked,
    Warned,
    Muted,
}

/// Every rule in force tested once, with no shortcut: the verdict, the rules that block, warn
/// or are muted. See [`crate::Engine::screen`].
pub struct Screen<'a> {
    compiled: &'a Compiled,
    cx: Ctx<'a>,
    policy: Option<&'a Policy>,
    today: LocalDates,
    /// The rules in force; the first `may_block` are the unmuted blocking rules that do not
    /// fire now but may later, as time passes (they did not fail in a final way, see
    /// `compile::finality`): `nextAllowedAt` checks them again at each candidate instant.
    in_force: Vec<usize>,
    may_block: usize,
    /// The rules that fired, by index in the rule set (ascending), with what became of each.
    fired: Vec<(usize, Outcome)>,
}

pub(crate) fn screen<'a>(compiled: &'a Compiled, scenario: &'a Scenario) -> Result<Screen<'a>, EvalError> {
    let policy = resolve_policy(compiled, scenario)?;
    let cx = context(scenario);
    let now = scenario.now();
    let today = cx.local_dates(now);
    let mut in_force = rules_in_force(compiled, &cx, policy, today);
    let (mut fired, mut may_block) = (Vec::new(), 0);
    for position in 0..in_force.len() {
        let index = in_force[position];
        let rule = &compiled.rule_set.rules[index];
        // In scope, condition, no exception; when one fails, whether that is final.
        let finality = &compiled.finality[index];
        let (fires, settled) = if !rule.applies.as_ref().is_none_or(|a| cx.holds(a, now, &mut None)) {
            (false, finality.out_of_scope)
        } else if !cx.holds(&rule.condition, now, &mut None) {
            (false, finality.condition_false)
        } else if rule.exceptions.iter().any(|e| cx.holds(e, now, &mut None)) {
            (false, finality.exception_holds)
        } else {
            (true, false)
        };
        let muted = || policy.and_then(|p| active_mute(p, index, today)).is_some();
        let outcome = match (fires, rule.severity) {
            (true, _) if muted() => Outcome::Muted,
            (true, Severity::Block) => Outcome::Blocked,
            (true, Severity::Warn) => Outcome::Warned,
            (false, Severity::Block) if !settled && !muted() => {
                // Kept at the front of `in_force` (the rule swapped back was tested already):
                // no allocation for them on the allowed path.
                in_force.swap(may_block, position);
                may_block += 1;
                continue;
            }
            (false, _) => continue,
        };
        fired.push((index, outcome));
    }
    Ok(Screen { compiled, cx, policy, today, in_force, may_block, fired })
}

impl<'a> Screen<'a> {
    /// True when no unmuted blocking rule blocks: [`Decision::result`].
    pub fn allowed(&self) -> bool {
        !self.fired.iter().any(|&(_, o)| o == Outcome::Blocked)
    }

    /// The ids of the rules that block the request, sorted (as in [`Decision::blocked_by`]).
    pub fn blocked_by(&self) -> Vec<&'a str> {
        self.ids(Outcome::Blocked)
    }

    /// The ids of the rules that warn, sorted (as in [`Decision::warnings`]).
    pub fn warnings(&self) -> Vec<&'a str> {
        self.ids(Outcome::Warned)
    }

    /// The ids of the rules that fired but are muted by the policy, sorted.
    pub fn muted(&self) -> Vec<&'a str> {
        self.ids(Outcome::Muted)
    }

    /// How many rules were in force: [`Decision::rules_evaluated`].
    pub fn rules_evaluated(&self) -> usize {
        self.in_force.len()
    }

    fn ids(&self, outcome: Outcome) -> Vec<&'a str> {
        let rules = &self.compiled.rule_set.rules;
        let mut ids: Vec<&'a str> = self.fired.iter().filter(|&&(_, o)| o == outcome).map(|&(i, _)| rules[i].id.as_str()).collect();
        ids.sort_unstable();
        ids
    }

    /// The earliest instant at which all rules together would allow the same request if
    /// nothing else happened ([`Decision::next_allowed_at`]); `None` when nothing blocks or
    /// time alone never releases it. Derived on each call.
    pub fn next_allowed_at(&self) -> Option<DateTime<Utc>> {
        if self.allowed() {
            return None;
        }
        let now = self.cx.s.now();
        let releases: Vec<_> = self.rules(Outcome::Blocked).map(|i| rule_release(self.compiled, &self.cx, i, now)).collect();
        self.next_allowed_from(&releases)
    }

    /// [`Screen::next_allowed_at`] given the blocking rules' releases at `now`, in the order
    /// of `fired`.
    fn next_allowed_from(&self, releases: &[Option<DateTime<Utc>>]) -> Option<DateTime<Utc>> {
        // Any blocking rule in force may block at a later instant, not only those blocking now,
        // except those whose "no" is settled (see `compile::finality`).
        let candidates = self.in_force[..self.may_block].iter().copied().chain(self.rules(Outcome::Blocked));
        next_allowed(self.compiled, &self.cx, self.rules(Outcome::Blocked), releases, candidates, self.cx.s.now()).filter(written)
    }

    fn rules(&self, outcome: Outcome) -> impl Iterator<Item = usize> + Clone + '_ {
        self.fired.iter().filter(move |&&(_, o)| o == outcome).map(|&(i, _)| i)
    }

    /// The full decision, with messages, release times and the next allowed time: the same
    /// as [`crate::Engine::decide`].
    pub fn decision(&self) -> Decision {
        let (compiled, cx, now) = (self.compiled, &self.cx, self.cx.s.now());
        let mut decision = header(compiled, cx, now, self.in_force.len());
        // The blocking rules' releases, reused as the first round of `nextAllowedAt`.
        let mut releases = Vec::new();
        for &(index, outcome) in &self.fired {
            let rule = &compiled.rule_set.rules[index];
            if outcome == Outcome::Muted {
                let mute = self.policy.and_then(|p| active_mute(p, index, self.today)).expect("a muted rule has an active mute");
                decision.muted.push(MutedFinding {
                    rule: rule.id.clone(),
                    citation: rule.citations.first().cloned().unwrap_or_default(),
                    mute: MuteInfo { reason: mute.reason.clone(), until: mute.until.to_string(), approved_by: mute.approved_by.clone() },
                });
                continue;
            }
            // Tested again, now recording what the message needs, if it shows any of it.
            let mut seen = Seen::default();
            if needs_what_was_seen(rule) {
                cx.holds(compiled.condition(index), now, &mut Some(&mut seen));
            }
            let release = rule_release(compiled, cx, index, now);
            let found = finding(rule, render_message(rule, cx, &seen, now), release.filter(written));
            match outcome {
                Outcome::Blocked => {
                    decision.blocked_by.push(found);
                    releases.push(release);
                }
                _ => decision.warnings.push(found),
            }
        }
        decision.result = decision.blocked_by.is_empty();
        if !decision.result {
            decision.next_allowed_at = self.next_allowed_from(&releases);
        }
        decision.blocked_by.sort_by(|a, b| a.rule.cmp(&b.rule));
        decision.warnings.sort_by(|a, b| a.rule.cmp(&b.rule));
        decision.muted.sort_by(|a, b| a.rule.cmp(&b.rule));
        decision
    }
}

/// A decision with nothing found yet: where the borrower may be, the local times there, how
/// many rules are in force and which rule set decides.
pub(super) fn header(compiled: &Compiled, cx: &Ctx<'_>, now: DateTime<Utc>, rules_evaluated: usize) -> Decision {
    Decision {
        result: true,
        blocked_by: Vec::new(),
        warnings: Vec::new(),
        muted: Vec::new(),
        jurisdictions: cx.location.jurisdictions.clone(),
        local_times: cx.location.zones.iter().map(|z| LocalTime { timezone: z.name(), local_time: crate::decision::local_time_text(cx.local(*z, now)) }).collect(),
        next_allowed_at: None,
        rules_evaluated,
        rule_set: compiled.id.clone(),
        trace: Vec::new(),
    }
}
