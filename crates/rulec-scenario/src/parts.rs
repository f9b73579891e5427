//! The check of [`ScenarioParts`] before they become a [`crate::Scenario`]: what the loader
//! guarantees of a scenario it returns, and the evaluator relies on, checked on the typed data.
//! Paths and wording follow the loader's, so an error reads the same whichever way the scenario
//! was made.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Timelike, Utc};

use crate::error::{InputError, InputErrors};
use crate::scenario::rfc3339;
use rulec_model::Vocabulary as _;
use crate::types::ScenarioParts;

/// Every problem of `parts`, or `Ok` when they make a scenario.
pub(crate) fn check(parts: &ScenarioParts) -> Result<(), InputErrors> {
    let mut errors = Vec::new();
    let mut error = |path: String, message: String| errors.push(InputError::new(path, message));
    let (contacts, loans, interactions) = (parts.contacts.len(), parts.loans.len(), parts.interactions.len());

    instant(&mut error, "now", Some(parts.now));
    let request = &parts.request;
    index(&mut error, "request.contactId", request.contact, contacts, "contacts");
    indices(&mut error, "request.loanIds", &request.loans, loans, "loans");
    if let Some(p) = request.previous {
        index(&mut error, "request.previousInteractionId", p, interactions, "interactions");
    }
    instant(&mut error, "request.startAt", Some(request.start_at));
    if request.subject.is_none() && request.theme.is_none() {
        error("request.theme".into(), "required field missing (a request needs a theme, a subject or both)".into());
    }

    ids(&mut error, "contacts", "id", parts.contacts.iter().map(|c| c.id.as_deref()));
    ids(&mut error, "contacts", "externalId", parts.contacts.iter().map(|c| c.external_id.as_deref()));
    ids(&mut error, "loans", "id", parts.loans.iter().map(|l| Some(l.id.as_str())));
    ids(&mut error, "loans", "externalId", parts.loans.iter().map(|l| l.external_id.as_deref()));
    let loan_ids: HashMap<&str, usize> = parts.loans.iter().enumerate().map(|(i, l)| (l.id.as_str(), i)).collect();
    for (j, loan) in parts.loans.iter().enumerate() {
        if let Some(i) = loan.external_id.as_deref().and_then(|e| loan_ids.get(e)).filter(|&&i| i != j) {
            error(
                format!("loans[{j}].externalId"),
                format!("'{}' is also the id of loans[{i}]; a loan reference would be ambiguous", loan.external_id.as_deref().unwrap_or_default()),
            );
        }
        if loan.days_past_due < 0 {
            error(format!("loans[{j}].daysPastDue"), format!("{} is negative", loan.days_past_due));
        }
    }

    let mut seen_consents = HashMap::new();
    for (i, consent) in parts.consents.iter().enumerate() {
        if let Some(first) = seen_consents.insert(consent.name, i) {
            error(format!("consents[{i}].name"), format!("'{}' is recorded twice, also by consents[{first}]", consent.name.name()));
        }
        let path = format!("consents[{i}]");
        ordered(&mut error, &path, ("createdAt", consent.created_at), ("updatedAt", consent.updated_at));
    }

    ids(&mut error, "cases", "id", parts.cases.iter().map(|c| Some(c.id.as_str())));
    for (i, case) in parts.cases.iter().enumerate() {
        let path = format!("cases[{i}]");
        indices(&mut error, &format!("{path}.loanIds"), &case.loans, loans, "loans");
        ordered(&mut error, &path, ("createdAt", case.created_at), ("closedAt", case.closed_at));
        for (j, dni) in case.do_not_interact.iter().enumerate() {
            let path = format!("{path}.doNotInteract[{j}]");
            indices(&mut error, &format!("{path}.contactIds"), &dni.contacts, contacts, "contacts");
            ordered(&mut error, &path, ("startsAt", dni.starts_at), ("expiresAt", dni.expires_at));
        }
    }

    if u32::try_from(interactions).is_err() {
        error("interactions".into(), format!("{interactions} interactions, over the {} the history index holds", u32::MAX));
    }
    ids(&mut error, "interactions", "id", parts.interactions.iter().map(|c| Some(c.id.as_str())));
    for (i, interaction) in parts.interactions.iter().enumerate() {
        let path = format!("interactions[{i}]");
        if let Some(c) = interaction.contact {
            index(&mut error, &format!("{path}.contactId"), c, contacts, "contacts");
        }
        indices(&mut error, &format!("{path}.loanIds"), &interaction.loans, loans, "loans");
        match interaction.previous {
            Some(p) if p == i => error(format!("{path}.previousInteractionId"), "is this interaction itself; an interaction cannot follow itself".into()),
            Some(p) => index(&mut error, &format!("{path}.previousInteractionId"), p, interactions, "interactions"),
            None => {}
        }
        ordered(&mut error, &path, ("startAt", Some(interaction.start_at)), ("endAt", interaction.end_at));
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(InputErrors(errors))
    }
}

/// A reference to position `i` of a list of `len` `what`.
fn index(error: &mut impl FnMut(String, String), path: &str, i: usize, len: usize, what: &str) {
    if i >= len {
        error(path.into(), format!("index {i} is out of range: {what}[] has {len}"));
    }
}

/// References to positions of a list, each at most once.
fn indices(error: &mut impl FnMut(String, String), path: &str, list: &[usize], len: usize, what: &str) {
    let mut first = HashMap::new();
    for (k, &i) in list.iter().enumerate() {
        index(error, &format!("{path}[{k}]"), i, len, what);
        if let Some(j) = first.insert(i, k) {
            error(format!("{path}[{k}]"), format!("{what}[{i}] is listed twice, also at {path}[{j}]"));
        }
    }
}

/// The ids of a list, each used once.
fn ids<'a>(error: &mut impl FnMut(String, String), list: &str, field: &str, values: impl Iterator<Item = Option<&'a str>>) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (j, value) in values.enumerate() {
        let Some(value) = value else { continue };
        if let Some(&i) = first.get(value) {
            error(format!("{list}[{j}].{field}"), format!("duplicate {field} '{value}', also used by {list}[{i}]"));
        } else {
            first.insert(value, j);
        }
    }
}

/// Both instants readable and writable (RFC 3339: years 0 to 9999, no leap second), and the
/// later one not before the earlier.
fn ordered(
    error: &mut impl FnMut(String, String),
    path: &str,
    (earlier_name, earlier): (&str, Option<DateTime<Utc>>),
    (later_name, later): (&str, Option<DateTime<Utc>>),
) {
    let a = instant(error, &format!("{path}.{earlier_name}"), earlier);
    let b = instant(error, &format!("{path}.{later_name}"), later);
    if let (Some(a), Some(b)) = (a, b) {
        if b < a {
            error(format!("{path}.{later_name}"), format!("{} is before {earlier_name} ({})", rfc3339(b), rfc3339(a)));
        }
    }
}

/// `t` when it is an instant the loader could have read, else the error at `path`.
pub(crate) fn instant_at(path: &str, t: DateTime<Utc>) -> Result<DateTime<Utc>, InputErrors> {
    let mut errors = Vec::new();
    match instant(&mut |path, message| errors.push(InputError::new(path, message)), path, Some(t)) {
        Some(t) => Ok(t),
        None => Err(InputErrors(errors)),
    }
}

/// `t` when it is an instant the loader could have read: a year from 0 to 9999 and no leap
/// second (the loader reads `23:59:60` as the next second).
fn instant(error: &mut impl FnMut(String, String), path: &str, t: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    let t = t?;
    if !(0..=9999).contains(&t.year()) {
        error(path.into(), format!("the year {} is out of range (0 to 9999)", t.year()));
        return None;
    }
    if t.nanosecond() >= 1_000_000_000 {
        error(path.into(), format!("{} is a leap second; use the second after it", rfc3339(t)));
        return None;
    }
    Some(t)
}

