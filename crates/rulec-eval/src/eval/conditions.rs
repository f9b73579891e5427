//! Whether a condition holds at an instant, and what it saw (for traces and messages).

use super::fields::{contact_field, in_set, is_bool};
use super::{Ctx, Seen};
use crate::decision::TraceFigure;
use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use rulec_check::checked::{CaseInstant, CmpOp, Cond, FieldTest, TimeWindow, ValueTest};
use rulec_model::{Field, Theme, Vocabulary};
use rulec_scenario::{Case, Interaction};

impl Ctx<'_> {
    // ------------------------------------------------------------ truth

    pub(super) fn holds(&self, cond: &Cond, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        match cond {
            Cond::All(parts) => {
                // Evaluate every part when collecting figures, so the trace shows them all.
                if seen.is_some() {
                    parts.iter().fold(true, |acc, p| self.holds(p, t, seen) && acc)
                } else {
                    parts.iter().all(|p| match p {
                        Cond::Field(test) => self.field_holds(test),
                        _ => self.holds(p, t, seen),
                    })
                }
            }
            Cond::Any(parts) => {
                if seen.is_some() {
                    parts.iter().fold(false, |acc, p| self.holds(p, t, seen) || acc)
                } else {
                    parts.iter().any(|p| match p {
                        Cond::Field(test) => self.field_holds(test),
                        _ => self.holds(p, t, seen),
                    })
                }
            }
            Cond::Not(inner) => !self.holds(inner, t, seen),
            Cond::Field(test) => self.field_holds(test),
            Cond::LocalTime { zone, .. } | Cond::LocalDay { zone, .. } | Cond::FederalHoliday { zone, .. } | Cond::LocalDate { zone, .. } => self.local_holds(cond, zone, t, seen),
            Cond::Consent { name, value, recorded, held } => self.consent_holds(*name, *value, *recorded, held.as_ref(), t, seen),
            Cond::Replies { within } => self.s.request().previous.is_some_and(|p| self.replies(p, Some(self.s.request().contact), t, *within)),
            // Case filters only; `case_matches` evaluates them.
            Cond::CaseElapsed { .. } | Cond::AgeAtCase { .. } => false,
            Cond::Count { query, op, limit } => self.count_holds(query, *op, *limit, t, seen),
            Cond::Exists(query) => self.count_holds(query, CmpOp::Ge, 1, t, seen),
            Cond::CaseExists { filter, per_loan } => self.case_exists(filter.as_deref(), *per_loan, t, seen),
            Cond::DoNotInteract => self.dni_holds(t, seen),
        }
    }

    // The atoms below are kept out of `holds` (`inline(never)`): inlined, their bodies made
    // the frame of every recursive call of `holds` several hundred bytes, and most calls are
    // `and`, `or`, `not` and field tests.

    #[inline(never)]
    fn local_holds(&self, cond: &Cond, zone: &Option<chrono_tz::Tz>, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        let mut any = false;
        for zone in self.zones(zone) {
            let local = self.local(*zone, t);
            let holds = local_atom(cond, local.time(), local.date_naive());
            any |= holds;
            if let (Some(seen), Cond::LocalTime { window, outside, .. }) = (seen.as_deref_mut().filter(|s| s.tracing), cond) {
                seen.figures.push(TraceFigure::LocalTime {
                    timezone: zone.name().to_string(),
                    local_time: local.to_rfc3339(),
                    test: format!("{} {}", if *outside { "outside" } else { "within" }, describe_hours(window)),
                    holds,
                });
            }
        }
        any
    }

    #[inline(never)]
    fn consent_holds(&self, name: rulec_model::ConsentName, value: rulec_model::ConsentValue, recorded: bool, held: Option<&rulec_check::checked::Elapsed>, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        let record = self.s.recorded_consent(name);
        let actual = match record {
            Some(r) => Some(r.value),
            None if recorded => None,
            None => Some(self.s.consent(name)),
        };
        let since = record.and_then(|r| r.updated_at.or(r.created_at));
        let holds = actual == Some(value) && held.is_none_or(|h| self.elapsed_holds(since, h, t));
        if let Some(seen) = seen.as_deref_mut().filter(|s| s.tracing) {
            let shown = actual.map_or("(not recorded)", |v| v.name());
            seen.figures.push(TraceFigure::Consent { name: name.name().to_string(), value: shown.to_string(), holds });
        }
        holds
    }

    #[inline(never)]
    fn case_exists(&self, filter: Option<&Cond>, per_loan: bool, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        // The case named in messages is the matching one with the least id, so that the
        // decision does not depend on the order of `cases` (ids are unique).
        let found = self
            .s
            .cases()
            .iter()
            .filter(|case| filter.is_none_or(|f| self.case_matches(f, case, t)) && (!per_loan || self.case_about_request_loans(case)))
            .min_by(|a, b| a.id.cmp(&b.id));
        if let (Some(case), Some(seen)) = (found, seen.as_deref_mut()) {
            if seen.tracing {
                seen.figures.push(TraceFigure::Case { id: case.id.clone(), case_type: case.case_type.name().to_string() });
            }
            seen.case.get_or_insert_with(|| case.id.clone());
        }
        found.is_some()
    }

    #[inline(never)]
    fn dni_holds(&self, t: DateTime<Utc>, seen: &mut Option<&mut Seen>) -> bool {
        let mut active: Vec<_> = self.matching_dnis().filter(|d| d.starts_at.is_none_or(|s| s <= t) && d.expires_at.is_none_or(|e| t < e)).collect();
        // In an order that does not depend on the order of `cases` (the first is named).
        active.sort_by(|a, b| (&a.id, a.starts_at, a.expires_at).cmp(&(&b.id, b.starts_at, b.expires_at)));
        if let Some(seen) = seen.as_deref_mut() {
            for d in &active {
                let id = || d.id.clone().unwrap_or_else(|| "(unnamed)".into());
                if seen.tracing {
                    seen.figures.push(TraceFigure::DoNotInteract { id: id(), expires_at: d.expires_at });
                }
                if seen.dni.is_none() {
                    seen.dni = Some(id());
                }
            }
        }
        !active.is_empty()
    }

    /// Whether a past interaction matches a history filter.
    pub(super) fn interaction_matches(&self, filter: &Cond, interaction: &Interaction) -> bool {
        // Field tests, most of a filter, are made in place rather than by a call each.
        let part_matches = |p: &Cond| match p {
            Cond::Field(test) => self.interaction_field(test, interaction),
            _ => self.interaction_matches(p, interaction),
        };
        match filter {
            Cond::All(parts) => parts.iter().all(part_matches),
            Cond::Any(parts) => parts.iter().any(part_matches),
            Cond::Not(inner) => !self.interaction_matches(inner, interaction),
            Cond::Field(test) => self.interaction_field(test, interaction),
            Cond::Replies { within } => interaction.previous.is_some_and(|p| self.replies(p, interaction.contact, interaction.start_at, *within)),
            // The checker admits only field tests in history filters.
            _ => false,
        }
    }

    /// A field test in a history filter: of the past interaction, or of its contact.
    #[inline]
    fn interaction_field(&self, test: &FieldTest, interaction: &Interaction) -> bool {
        let value = |index: Option<usize>| in_set(&test.test, index);
        match test.field {
            Field::InteractionChannel => value(Some(interaction.channel.index())),
            Field::InteractionDirection => value(Some(interaction.direction.index())),
            Field::InteractionTheme => value(interaction.theme.map(Vocabulary::index)),
            Field::InteractionSubject => value(interaction.subject.map(Vocabulary::index)),
            Field::InteractionStatus => value(Some(interaction.status.index())),
            Field::InteractionIsAutodialed => is_bool(&test.test, interaction.is_autodialed),
            _ => interaction.contact.is_some_and(|c| contact_field(test, &self.s.contacts()[c])),
        }
    }

    /// Whether a case matches a case filter at instant `t` (the filter may measure time since
    /// the case's instants).
    pub(super) fn case_matches(&self, filter: &Cond, case: &Case, t: DateTime<Utc>) -> bool {
        match filter {
            Cond::All(parts) => parts.iter().all(|p| self.case_matches(p, case, t)),
            Cond::Any(parts) => parts.iter().any(|p| self.case_matches(p, case, t)),
            Cond::Not(inner) => !self.case_matches(inner, case, t),
            Cond::Field(FieldTest { field, test: ValueTest::InSet(mask) }) => {
                let index = match field {
                    Field::CaseType => Some(case.case_type.index()),
                    Field::CaseStatus => Some(case.status.index()),
                    Field::CaseOutcome => case.outcome.map(Vocabulary::index),
                    _ => None,
                };
                index.is_some_and(|i| mask & (1u128 << i) != 0)
            }
            // A case without the instant satisfies neither `at least` nor `less than`.
            Cond::CaseElapsed { instant, elapsed } => case_instant(case, *instant).is_some_and(|at| self.elapsed_holds(Some(at), elapsed, t)),
            Cond::AgeAtCase { instant, op, limit } => {
                case_instant(case, *instant).and_then(|at| self.age_at(at)).is_some_and(|age| compare(age, *op, *limit))
            }
            _ => false,
        }
    }

    fn case_about_request_loans(&self, case: &Case) -> bool {
        case.loans.is_empty() || case.loans.iter().any(|l| self.loans.binary_search(l).is_ok())
    }

    /// Do Not Interacts that match the request's channel, theme, subject and contact, whatever
    /// their dates. An empty list matches everything, except that "all themes" leaves out
    /// `opsAccountCredentials`, as the platform's Do Not Interact documentation states.
    pub(super) fn matching_dnis(&self) -> impl Iterator<Item = &rulec_scenario::DoNotInteract> + '_ {
        let request = self.s.request();
        self.s.cases().iter().flat_map(|c| c.do_not_interact.iter()).filter(move |d| {
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

}

fn local_atom(cond: &Cond, time: NaiveTime, date: NaiveDate) -> bool {
    match cond {
        Cond::LocalTime { window, outside, .. } => window.contains(time) != *outside,
        Cond::LocalDay { days, negated, .. } => days.contains(rulec_time::window::weekday_of(date)) != *negated,
        Cond::FederalHoliday { negated, .. } => rulec_time::is_us_federal_holiday(date) != *negated,
        Cond::LocalDate { start, end, outside, .. } => (*start <= date && date <= *end) != *outside,
        _ => false,
    }
}

/// An enum field's value (its index, absent: `None`) against a set test; absent is in no set.
pub(super) fn compare<T: Ord>(value: T, op: CmpOp, limit: T) -> bool {
    match op {
        CmpOp::Lt => value < limit,
        CmpOp::Le => value <= limit,
        CmpOp::Gt => value > limit,
        CmpOp::Ge => value >= limit,
        CmpOp::Eq => value == limit,
        CmpOp::Ne => value != limit,
    }
}

/// A case's instant, when the case has it.
pub(super) fn case_instant(case: &Case, instant: CaseInstant) -> Option<DateTime<Utc>> {
    match instant {
        CaseInstant::Created => case.created_at,
        CaseInstant::Closed => case.closed_at,
    }
}

/// How a trace shows a window of hours: `08:00-21:00` (both ends inside) or `after 08:00 and
/// before 21:00`.
fn describe_hours(window: &TimeWindow) -> String {
    let time = |t: NaiveTime| if t.second() == 0 { t.format("%H:%M").to_string() } else { t.format("%H:%M:%S").to_string() };
    if window.exclusive {
        format!("after {} and before {}", time(window.start), time(window.end))
    } else {
        format!("{}-{}", time(window.start), time(window.end))
    }
}
