//! Reading one scenario (a single-scenario file, or a suite case after merging) from a
//! [`Value`] tree.

use chrono::{DateTime, Utc};
use rulec_model::{
    suggest, Affiliation, CaseOutcome, CaseStatus, CaseType, Channel, ConsentName, ConsentValue,
    ContactLabel, ContactStatus, ContactType, DebtType, Direction, InteractionStatus, LoanStatus,
    PersonType, Role, Subject, Theme, USPS_MILITARY_CODES, USPS_STATE_CODES,
};

use crate::read::{
    boolean, count, date, date_time, ident, index, is_any_id, key, list_names, name, text,
    time_zone, Ctx, Fields,
};
use crate::types::{
    Address, Borrower, Case, Company, Consent, Contact, DoNotInteract, Expect, Interaction, Loan, Request,
    Scenario,
};
use crate::yaml::Value;
use std::collections::HashMap;

/// The fields of a single-scenario file.
pub(crate) const SCENARIO_FIELDS: &[&str] = &[
    "name", "now", "company", "policy", "borrower", "contacts", "consents", "loans", "cases",
    "interactions", "request", "expect",
];

/// The fields of a suite case: a scenario's, plus `description`.
pub(crate) const CASE_FIELDS: &[&str] = &[
    "name", "description", "now", "company", "policy", "borrower", "contacts", "consents", "loans",
    "cases", "interactions", "request", "expect",
];

/// The fields a suite's `defaults` may set: a scenario's, less `name`.
pub(crate) const DEFAULTS_FIELDS: &[&str] = &[
    "now", "company", "policy", "borrower", "contacts", "consents", "loans", "cases",
    "interactions", "request", "expect",
];

const COMPANY_FIELDS: &[&str] = &["role", "timezone"];
const BORROWER_FIELDS: &[&str] = &["id", "personType", "timezone", "dateOfBirth"];
const CONTACT_FIELDS: &[&str] = &[
    "id", "externalId", "contactType", "label", "affiliation", "name", "value", "address", "valid",
    "verified", "receiveTextMessages", "authorizedThirdParty", "powerOfAttorney", "status",
];
const ADDRESS_FIELDS: &[&str] =
    &["addressLine1", "addressLine2", "city", "state", "postalCode", "countryCode"];
const CONSENT_FIELDS: &[&str] = &["name", "value", "createdAt", "updatedAt"];
const LOAN_FIELDS: &[&str] =
    &["id", "externalId", "status", "loanType", "debtType", "timeBarred", "daysPastDue"];
const CASE_RECORD_FIELDS: &[&str] =
    &["id", "caseType", "status", "outcome", "createdAt", "closedAt", "loanIds", "doNotInteract"];
const DNI_FIELDS: &[&str] =
    &["id", "channels", "themes", "subjects", "contactIds", "startsAt", "expiresAt"];
const INTERACTION_FIELDS: &[&str] = &[
    "id", "channel", "direction", "theme", "subject", "status", "startAt", "endAt", "contactId",
    "loanIds", "isAutodialed", "previousInteractionId",
];
const REQUEST_FIELDS: &[&str] = &[
    "loanId", "loanIds", "channel", "subject", "theme", "startAt", "isAutodialed", "contactId",
    "contactExternalId", "contactDetails", "previousInteractionId",
];
const EXPECT_FIELDS: &[&str] =
    &["result", "citations", "rules", "warnings", "muted", "nextAllowedAt", "exactly"];

/// How many ids a "does not name" message lists before eliding.
const LISTED_IDS: usize = 10;

/// Reads a scenario from an opened object (the caller chose which top-level fields are known).
/// Returns `None` when an error was recorded, and always in partial mode.
pub(crate) fn read_scenario(cx: &mut Ctx, f: &Fields<'_>) -> Option<(Scenario, Option<Expect>)> {
    let errors_before = cx.count();
    let scenario_name = f.opt(cx, "name", text);
    let now = f.opt(cx, "now", |cx, p, v| date_time(cx, p, v, false));
    let company = match f.get("company") {
        Some(v) => read_company(cx, &f.at("company"), v),
        None => Some(Company { role: Role::Creditor, timezone: None }),
    };
    let policy = f.opt(cx, "policy", text);
    let borrower = f.req(cx, "borrower", read_borrower);

    // Contacts, with their ids kept even where a contact is invalid, so that references to it
    // do not add errors of their own.
    let contact_reads = cx.list(&f.at("contacts"), f.get("contacts"), |cx, p, v| read_contact(cx, p, v, true));
    let mut contact_ids: Vec<Option<String>> = contact_reads.iter().map(|c| c.id.clone()).collect();
    let contact_external: Vec<Option<String>> = contact_reads.iter().map(|c| c.external_id.clone()).collect();
    unique(cx, &f.at("contacts"), "id", &contact_ids);
    unique(cx, &f.at("contacts"), "externalId", &contact_external);
    let mut contacts: Vec<Option<Contact>> = contact_reads.into_iter().map(|c| c.contact).collect();

    let consents = read_consents(cx, f);

    let loan_reads = cx.list(&f.at("loans"), f.get("loans"), read_loan);
    let loan_ids: Vec<Option<String>> = loan_reads.iter().map(|l| l.id.clone()).collect();
    let loan_external: Vec<Option<String>> = loan_reads.iter().map(|l| l.external_id.clone()).collect();
    unique(cx, &f.at("loans"), "id", &loan_ids);
    unique(cx, &f.at("loans"), "externalId", &loan_external);
    let loan_id_index = Index::new(&loan_ids);
    for (j, ext) in loan_external.iter().enumerate() {
        let Some(ext) = ext else { continue };
        if let Some(i) = loan_id_index.get(ext) {
            if i != j {
                cx.error(
                    &key(&index(&f.at("loans"), j), "externalId"),
                    format!("'{ext}' is also the id of {}; a loan reference would be ambiguous", index(&f.at("loans"), i)),
                );
            }
        }
    }
    let loans: Vec<Option<Loan>> = loan_reads.into_iter().map(|l| l.loan).collect();
    let loan_refs = LoanRefs { ids: loan_id_index, external: Index::new(&loan_external) };

    // The request comes before cases and interactions: its contactDetails may add a contact.
    let request_read = f.req(cx, "request", |cx, p, v| {
        read_request(cx, p, v, &mut contacts, &mut contact_ids, &contact_external, &loan_refs)
    });

    let contact_refs = ContactRefs { ids: Index::new(&contact_ids), external: Index::new(&contact_external) };
    let cases = cx.list(&f.at("cases"), f.get("cases"), |cx, p, v| read_case(cx, p, v, &contact_refs, &loan_refs));
    let case_ids: Vec<Option<String>> = cases.iter().map(|c| c.0.clone()).collect();
    unique(cx, &f.at("cases"), "id", &case_ids);
    let interactions =
        cx.list(&f.at("interactions"), f.get("interactions"), |cx, p, v| read_interaction(cx, p, v, &contact_refs, &loan_refs));
    let interaction_ids: Vec<Option<String>> = interactions.iter().map(|c| c.0.clone()).collect();
    unique(cx, &f.at("interactions"), "id", &interaction_ids);
    let interaction_index = Index::new(&interaction_ids);
    let mut interactions: Vec<Option<Interaction>> = interactions
        .into_iter()
        .enumerate()
        .map(|(i, (_, interaction, previous_id))| {
            let previous = match previous_id {
                None => Some(None),
                Some(id) => {
                    let p = key(&index(&f.at("interactions"), i), "previousInteractionId");
                    resolve_previous(cx, &p, &id, &interaction_index, Some(i)).map(Some)
                }
            };
            let mut interaction = interaction?;
            interaction.previous = previous?;
            Some(interaction)
        })
        .collect();
    let request_previous = match request_read.as_ref().and_then(|r| r.previous_id.clone()) {
        None => Some(None),
        Some(id) => resolve_previous(cx, &key(&f.at("request"), "previousInteractionId"), &id, &interaction_index, None).map(Some),
    };

    let expect = f.opt(cx, "expect", read_expect);

    // now / request.startAt.
    let request_has_start = f.get("request").and_then(|r| r.get("startAt")).is_some_and(|v| !matches!(v, Value::Null));
    if !f.has("now") && !request_has_start && !cx.partial {
        cx.error(&f.at("now"), "required when request.startAt is absent (the evaluator never reads the wall clock)");
    }

    if cx.partial || cx.count() > errors_before {
        return None;
    }
    let request_read = request_read?;
    let now = now.or(request_read.start_at)?;
    let request = Request {
        loans: request_read.loans,
        channel: request_read.channel?,
        subject: request_read.subject,
        theme: request_read.theme,
        start_at: request_read.start_at.unwrap_or(now),
        is_autodialed: request_read.is_autodialed,
        contact: request_read.contact?,
        contact_matched: request_read.contact_matched,
        previous: request_previous?,
    };
    let contacts = contacts.into_iter().collect::<Option<Vec<_>>>()?;
    let loans = loans.into_iter().collect::<Option<Vec<_>>>()?;
    let interactions = interactions.drain(..).collect::<Option<Vec<_>>>()?;
    let history = crate::History::new(&interactions, contacts.len(), loans.len());
    let scenario = Scenario {
        name: scenario_name,
        now,
        company: company?,
        policy,
        borrower: borrower?,
        contacts,
        consents,
        loans,
        cases: cases.into_iter().map(|c| c.1).collect::<Option<Vec<_>>>()?,
        interactions,
        history,
        request,
    };
    Some((scenario, expect))
}

fn read_company(cx: &mut Ctx, path: &str, v: &Value) -> Option<Company> {
    let f = Fields::open(cx, path, v, COMPANY_FIELDS)?;
    let role = f.opt(cx, "role", name::<Role>).unwrap_or(Role::Creditor);
    let timezone = f.opt(cx, "timezone", time_zone);
    Some(Company { role, timezone })
}

fn read_borrower(cx: &mut Ctx, path: &str, v: &Value) -> Option<Borrower> {
    let f = Fields::open(cx, path, v, BORROWER_FIELDS)?;
    let id = f.req(cx, "id", |cx, p, v| {
        let id = ident(cx, p, v)?;
        if is_any_id(&id) {
            Some(id)
        } else {
            cx.error(p, format!("'{id}' is not a valid id (expected ext-…, XX-XXXX-XXXX or digits)"));
            None
        }
    });
    let person_type = f.opt(cx, "personType", name::<PersonType>).unwrap_or(PersonType::Person);
    let timezone = f.opt(cx, "timezone", time_zone);
    let date_of_birth = f.opt(cx, "dateOfBirth", date);
    Some(Borrower { id: id?, person_type, timezone, date_of_birth })
}

struct ContactRead {
    id: Option<String>,
    external_id: Option<String>,
    contact: Option<Contact>,
}

fn read_contact(cx: &mut Ctx, path: &str, v: &Value, id_required: bool) -> ContactRead {
    let Some(f) = Fields::open(cx, path, v, CONTACT_FIELDS) else {
        return ContactRead { id: None, external_id: None, contact: None };
    };
    let id = if id_required { f.req(cx, "id", ident) } else { f.opt(cx, "id", ident) };
    let external_id = f.opt(cx, "externalId", ident);
    let contact_type = f.req(cx, "contactType", name::<ContactType>);
    let label = f.opt(cx, "label", name::<ContactLabel>);
    let affiliation = f.opt(cx, "affiliation", name::<Affiliation>);
    let contact_name = f.opt(cx, "name", text);
    let value = f.opt(cx, "value", text);
    let address = match f.get("address") {
        Some(v) => read_address(cx, &f.at("address"), v).map(Some),
        None => Some(None),
    };
    let valid = f.opt(cx, "valid", boolean).unwrap_or(true);
    let verified = f.opt(cx, "verified", boolean).unwrap_or(false);
    let receive_text_messages = f.opt(cx, "receiveTextMessages", boolean).unwrap_or(false);
    let authorized_third_party = f.opt(cx, "authorizedThirdParty", boolean).unwrap_or(false);
    let power_of_attorney = f.opt(cx, "powerOfAttorney", boolean).unwrap_or(false);
    let status = f.opt(cx, "status", name::<ContactStatus>);
    let contact = (|| {
        if id_required && id.is_none() {
            return None;
        }
        Some(Contact {
            id: id.clone(),
            external_id: external_id.clone(),
            contact_type: contact_type?,
            label,
            affiliation,
            name: contact_name,
            value,
            address: address?,
            valid,
            verified,
            receive_text_messages,
            authorized_third_party,
            power_of_attorney,
            status,
        })
    })();
    ContactRead { id, external_id, contact }
}

fn read_address(cx: &mut Ctx, path: &str, v: &Value) -> Option<Address> {
    let f = Fields::open(cx, path, v, ADDRESS_FIELDS)?;
    let address_line1 = f.opt(cx, "addressLine1", text);
    let address_line2 = f.opt(cx, "addressLine2", text);
    let city = f.opt(cx, "city", text);
    let postal_code = f.opt(cx, "postalCode", text);
    let country_ok;
    let country_code = match f.get("countryCode") {
        None => {
            country_ok = true;
            "US".to_string()
        }
        Some(v) => {
            let code = text(cx, &f.at("countryCode"), v);
            country_ok = match &code {
                Some(c) if is_country_code(c) => true,
                Some(c) => {
                    let hint = if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
                        format!(", did you mean '{}'?", c.to_ascii_uppercase())
                    } else {
                        " (expected two capital letters, ISO 3166-1, e.g. US)".to_string()
                    };
                    cx.error(&f.at("countryCode"), format!("'{c}' is not a country code{hint}"));
                    false
                }
                None => false,
            };
            code.unwrap_or_default()
        }
    };
    let state = f.opt(cx, "state", |cx, p, v| {
        let state = text(cx, p, v)?;
        if !is_state_of(&country_code, &state) {
            cx.error_with(p, || match suggest(&state, &[USPS_STATE_CODES, USPS_MILITARY_CODES].concat()) {
                Some(close) => format!("'{state}' is not a USPS state code, did you mean '{close}'?"),
                None => format!("'{state}' is not a USPS state code (expected two capital letters such as MA, NY or DC)"),
            });
            return None;
        }
        Some(state)
    });
    if !country_ok || (f.has("state") && state.is_none()) {
        return None;
    }
    Some(Address { address_line1, address_line2, city, state, postal_code, country_code })
}

/// An ISO 3166-1 country code as the format writes it: two capital letters.
pub(crate) fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// Is `state` a state of `country`? Only US states are checked (USPS codes, military ones
/// included); any other country's is taken as given.
pub(crate) fn is_state_of(country: &str, state: &str) -> bool {
    country != "US" || USPS_STATE_CODES.contains(&state) || USPS_MILITARY_CODES.contains(&state)
}

fn read_consents(cx: &mut Ctx, f: &Fields<'_>) -> Vec<Consent> {
    let path = f.at("consents");
    let reads = cx.list(&path, f.get("consents"), |cx, p, v| {
        let f = Fields::open(cx, p, v, CONSENT_FIELDS)?;
        let consent = f.req(cx, "name", name::<ConsentName>);
        let value = f.req(cx, "value", name::<ConsentValue>);
        let created_at = f.opt(cx, "createdAt", |cx, p, v| date_time(cx, p, v, false));
        let updated_at = f.opt(cx, "updatedAt", |cx, p, v| date_time(cx, p, v, false));
        // A value changed before it was first recorded is a contradiction, not a date to guess.
        let ordered = not_before(cx, &f, ("createdAt", created_at), ("updatedAt", updated_at));
        Some((consent, value, created_at, updated_at, ordered))
    });
    let mut out = Vec::new();
    let mut seen: Vec<(ConsentName, usize)> = Vec::new();
    for (i, read) in reads.into_iter().enumerate() {
        let Some((consent, value, created_at, updated_at, ordered)) = read else { continue };
        if let Some(consent) = consent {
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == consent) {
                cx.error(
                    &key(&index(&path, i), "name"),
                    format!("duplicate consent '{consent}', also given by {}", index(&path, *first)),
                );
                continue;
            }
            seen.push((consent, i));
            if let (Some(value), true) = (value, ordered) {
                out.push(Consent { name: consent, value, created_at, updated_at });
            }
        }
    }
    out
}

/// Resolves `previousInteractionId` references once every interaction's id is known: a
/// dangling id, or an interaction that names itself, is an input error naming both ends.
fn resolve_previous(cx: &mut Ctx, path: &str, id: &str, ids: &Index<'_>, own: Option<usize>) -> Option<usize> {
    match ids.get(id) {
        Some(i) if Some(i) == own => {
            cx.error(path, format!("'{id}' is this interaction's own id; an interaction cannot follow itself"));
            None
        }
        Some(i) => Some(i),
        None => {
            cx.error_with(path, || {
                let have = if ids.present.is_empty() {
                    "no interaction is listed".to_string()
                } else {
                    format!("interactions have ids {}", list_names(&ids.present, LISTED_IDS))
                };
                format!("'{id}' does not name an interaction in interactions[] ({have}){}", did_you_mean(id, &ids.present))
            });
            None
        }
    }
}

struct LoanRead {
    id: Option<String>,
    external_id: Option<String>,
    loan: Option<Loan>,
}

fn read_loan(cx: &mut Ctx, path: &str, v: &Value) -> LoanRead {
    let Some(f) = Fields::open(cx, path, v, LOAN_FIELDS) else {
        return LoanRead { id: None, external_id: None, loan: None };
    };
    let id = f.req(cx, "id", ident);
    let external_id = f.opt(cx, "externalId", ident);
    let status = f.opt(cx, "status", name::<LoanStatus>);
    let loan_type = f.opt(cx, "loanType", text);
    let debt_type = f.opt(cx, "debtType", name::<DebtType>).unwrap_or(DebtType::Consumer);
    let time_barred = f.opt(cx, "timeBarred", boolean).unwrap_or(false);
    let days_past_due = f.opt(cx, "daysPastDue", count).unwrap_or(0);
    let loan = id.clone().map(|id| Loan {
        id,
        external_id: external_id.clone(),
        status,
        loan_type,
        debt_type,
        time_barred,
        days_past_due,
    });
    LoanRead { id, external_id, loan }
}

/// Reports every repeated value of an id-like field of a list, naming both positions.
fn unique(cx: &mut Ctx, list_path: &str, field: &str, values: &[Option<String>]) {
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(values.len());
    for (j, value) in values.iter().enumerate() {
        let Some(value) = value else { continue };
        match first.get(value.as_str()) {
            Some(&i) => cx.error(
                &key(&index(list_path, j), field),
                format!("duplicate {field} '{value}', also used by {}", index(list_path, i)),
            ),
            None => {
                first.insert(value, j);
            }
        }
    }
}

/// The ids of a list, indexed for lookups: the first position of each value, and the distinct
/// values in order (for messages).
pub(crate) struct Index<'a> {
    positions: HashMap<&'a str, usize>,
    present: Vec<&'a str>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(values: &'a [Option<String>]) -> Self {
        let mut positions = HashMap::with_capacity(values.len());
        let mut present = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                if !positions.contains_key(v.as_str()) {
                    positions.insert(v.as_str(), i);
                    present.push(v.as_str());
                }
            }
        }
        Index { positions, present }
    }

    fn get(&self, id: &str) -> Option<usize> {
        self.positions.get(id).copied()
    }
}

struct ContactRefs<'a> {
    ids: Index<'a>,
    external: Index<'a>,
}

struct LoanRefs<'a> {
    ids: Index<'a>,
    external: Index<'a>,
}

/// Above this many candidates a dangling reference gets no did-you-mean: comparing it with
/// every id would make a file of many bad references quadratic.
const SUGGEST_AMONG_AT_MOST: usize = 1_000;

fn did_you_mean(value: &str, candidates: &[&str]) -> String {
    if candidates.len() > SUGGEST_AMONG_AT_MOST {
        return String::new();
    }
    match suggest(value, candidates) {
        Some(close) => format!(", did you mean '{close}'?"),
        None => String::new(),
    }
}

/// Resolves a contact `id`; `None` (and an error, outside partial mode) when nothing matches.
fn contact_by_id(cx: &mut Ctx, path: &str, id: &str, refs: &ContactRefs<'_>) -> Option<usize> {
    if cx.partial {
        return None;
    }
    if let Some(i) = refs.ids.get(id) {
        return Some(i);
    }
    let ids = &refs.ids.present;
    cx.error_with(path, || {
        let have = if ids.is_empty() {
            "no contact has an id".to_string()
        } else {
            format!("contacts have ids {}", list_names(ids, LISTED_IDS))
        };
        format!("'{id}' does not name a contact ({have}){}", did_you_mean(id, ids))
    });
    None
}

/// Resolves a contact `externalId`.
fn contact_by_external_id(cx: &mut Ctx, path: &str, id: &str, refs: &ContactRefs<'_>) -> Option<usize> {
    if cx.partial {
        return None;
    }
    if let Some(i) = refs.external.get(id) {
        return Some(i);
    }
    let ids = &refs.external.present;
    cx.error_with(path, || {
        let have = if ids.is_empty() {
            "no contact has an externalId".to_string()
        } else {
            format!("contacts have externalIds {}", list_names(ids, LISTED_IDS))
        };
        format!("'{id}' does not name a contact ({have}){}", did_you_mean(id, ids))
    });
    None
}

/// Resolves a loan reference by `id`, else by `externalId`.
fn loan_ref(cx: &mut Ctx, path: &str, id: &str, refs: &LoanRefs<'_>) -> Option<usize> {
    if cx.partial {
        return None;
    }
    if let Some(i) = refs.ids.get(id) {
        return Some(i);
    }
    if let Some(i) = refs.external.get(id) {
        return Some(i);
    }
    let (ids, external) = (&refs.ids.present, &refs.external.present);
    cx.error_with(path, || {
        let have = match (ids.is_empty(), external.is_empty()) {
            (true, true) => "there are no loans".to_string(),
            (false, true) => format!("loans have ids {}", list_names(ids, LISTED_IDS)),
            (true, false) => format!("loans have externalIds {}", list_names(external, LISTED_IDS)),
            (false, false) => format!(
                "loans have ids {} and externalIds {}",
                list_names(ids, LISTED_IDS),
                list_names(external, LISTED_IDS)
            ),
        };
        let all: Vec<&str> = ids.iter().chain(external.iter()).copied().collect();
        format!("'{id}' does not name a loan ({have}){}", did_you_mean(id, &all))
    });
    None
}

/// A list of loan references (absent = empty); `None` when any is unresolved. The list is a
/// set: a loan named twice (by its id, or once by id and once by externalId) is kept once, so
/// that an interaction naming it twice counts once.
fn loan_list(cx: &mut Ctx, f: &Fields<'_>, field: &str, refs: &LoanRefs<'_>) -> Option<Vec<usize>> {
    let resolved = cx.list(&f.at(field), f.get(field), |cx, p, v| {
        let id = ident(cx, p, v)?;
        loan_ref(cx, p, &id, refs)
    });
    resolved.into_iter().collect::<Option<Vec<_>>>().map(distinct)
}

/// The distinct values of a list, in the order of their first occurrence. A short list (an
/// interaction's one or two loans) is checked by scanning what is kept, a long one by a set.
pub(crate) fn distinct(mut values: Vec<usize>) -> Vec<usize> {
    if values.len() <= 16 {
        let mut kept = 0;
        for i in 0..values.len() {
            if !values[..kept].contains(&values[i]) {
                values[kept] = values[i];
                kept += 1;
            }
        }
        values.truncate(kept);
        return values;
    }
    let mut seen = std::collections::HashSet::with_capacity(values.len());
    values.retain(|v| seen.insert(*v));
    values
}

fn enum_list<V: rulec_model::Vocabulary>(cx: &mut Ctx, f: &Fields<'_>, field: &str) -> Option<Vec<V>> {
    let values = cx.list(&f.at(field), f.get(field), name::<V>);
    values.into_iter().collect()
}

/// Reports `later` before `earlier`.
fn not_before(
    cx: &mut Ctx,
    f: &Fields<'_>,
    (earlier_name, earlier): (&str, Option<DateTime<Utc>>),
    (later_name, later): (&str, Option<DateTime<Utc>>),
) -> bool {
    if let (Some(a), Some(b)) = (earlier, later) {
        if b < a {
            cx.error(
                &f.at(later_name),
                format!("{} is before {earlier_name} ({})", rfc3339(b), rfc3339(a)),
            );
            return false;
        }
    }
    true
}

pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

fn read_case(
    cx: &mut Ctx,
    path: &str,
    v: &Value,
    contacts: &ContactRefs<'_>,
    loans: &LoanRefs<'_>,
) -> (Option<String>, Option<Case>) {
    let Some(f) = Fields::open(cx, path, v, CASE_RECORD_FIELDS) else { return (None, None) };
    let id = f.req(cx, "id", ident);
    let case_type = f.req(cx, "caseType", name::<CaseType>);
    let status = f.req(cx, "status", name::<CaseStatus>);
    let outcome = f.opt(cx, "outcome", name::<CaseOutcome>);
    let created_at = f.opt(cx, "createdAt", |cx, p, v| date_time(cx, p, v, false));
    let closed_at = f.opt(cx, "closedAt", |cx, p, v| date_time(cx, p, v, false));
    let ordered = not_before(cx, &f, ("createdAt", created_at), ("closedAt", closed_at));
    let case_loans = loan_list(cx, &f, "loanIds", loans);
    let dnis = cx.list(&f.at("doNotInteract"), f.get("doNotInteract"), |cx, p, v| read_dni(cx, p, v, contacts));
    let dni_ids: Vec<Option<String>> = dnis.iter().map(|d| d.0.clone()).collect();
    unique(cx, &f.at("doNotInteract"), "id", &dni_ids);
    let case = (|| {
        if !ordered {
            return None;
        }
        Some(Case {
            id: id.clone()?,
            case_type: case_type?,
            status: status?,
            outcome,
            created_at,
            closed_at,
            loans: case_loans?,
            do_not_interact: dnis.into_iter().map(|d| d.1).collect::<Option<Vec<_>>>()?,
        })
    })();
    (id, case)
}

fn read_dni(cx: &mut Ctx, path: &str, v: &Value, contacts: &ContactRefs<'_>) -> (Option<String>, Option<DoNotInteract>) {
    let Some(f) = Fields::open(cx, path, v, DNI_FIELDS) else { return (None, None) };
    let id = f.opt(cx, "id", ident);
    let channels = enum_list::<Channel>(cx, &f, "channels");
    let themes = enum_list::<Theme>(cx, &f, "themes");
    let subjects = enum_list::<Subject>(cx, &f, "subjects");
    let dni_contacts = cx
        .list(&f.at("contactIds"), f.get("contactIds"), |cx, p, v| {
            let id = ident(cx, p, v)?;
            contact_by_id(cx, p, &id, contacts)
        })
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .map(distinct);
    let starts_at = f.opt(cx, "startsAt", |cx, p, v| date_time(cx, p, v, false));
    let expires_at = f.opt(cx, "expiresAt", |cx, p, v| date_time(cx, p, v, false));
    let ordered = not_before(cx, &f, ("startsAt", starts_at), ("expiresAt", expires_at));
    let dni = (|| {
        if !ordered {
            return None;
        }
        Some(DoNotInteract {
            id: id.clone(),
            channels: channels?,
            themes: themes?,
            subjects: subjects?,
            contacts: dni_contacts?,
            starts_at,
            expires_at,
        })
    })();
    (id, dni)
}

fn read_interaction(
    cx: &mut Ctx,
    path: &str,
    v: &Value,
    contacts: &ContactRefs<'_>,
    loans: &LoanRefs<'_>,
) -> (Option<String>, Option<Interaction>, Option<String>) {
    let Some(f) = Fields::open(cx, path, v, INTERACTION_FIELDS) else { return (None, None, None) };
    let id = f.req(cx, "id", ident);
    let channel = f.req(cx, "channel", name::<Channel>);
    let direction = f.req(cx, "direction", name::<Direction>);
    let theme = f.opt(cx, "theme", name::<Theme>);
    let subject = f.opt(cx, "subject", name::<Subject>);
    let status = f.req(cx, "status", name::<InteractionStatus>);
    let start_at = f.req(cx, "startAt", |cx, p, v| date_time(cx, p, v, true));
    let end_at = f.opt(cx, "endAt", |cx, p, v| date_time(cx, p, v, false));
    let ordered = not_before(cx, &f, ("startAt", start_at), ("endAt", end_at));
    let contact = match f.get("contactId") {
        None => Some(None),
        Some(v) => {
            let p = f.at("contactId");
            ident(cx, &p, v).and_then(|id| contact_by_id(cx, &p, &id, contacts)).map(Some)
        }
    };
    let interaction_loans = loan_list(cx, &f, "loanIds", loans);
    let is_autodialed = f.opt(cx, "isAutodialed", boolean).unwrap_or(false);
    let previous_id = f.opt(cx, "previousInteractionId", ident);
    let interaction = (|| {
        if !ordered {
            return None;
        }
        Some(Interaction {
            id: id.clone()?,
            channel: channel?,
            direction: direction?,
            theme: theme.or_else(|| subject.and_then(Subject::implied_theme)),
            subject,
            status: status?,
            start_at: start_at?,
            end_at,
            contact: contact?,
            loans: interaction_loans?,
            is_autodialed,
            previous: None,
        })
    })();
    (id, interaction, previous_id)
}

/// The request as read, before `now` is known.
struct RequestRead {
    loans: Vec<usize>,
    channel: Option<Channel>,
    subject: Option<Subject>,
    theme: Option<Theme>,
    start_at: Option<DateTime<Utc>>,
    is_autodialed: bool,
    contact: Option<usize>,
    contact_matched: bool,
    /// `previousInteractionId`, resolved once the interactions are read.
    previous_id: Option<String>,
}

const CONTACT_REFS: [&str; 3] = ["contactId", "contactExternalId", "contactDetails"];

fn read_request(
    cx: &mut Ctx,
    path: &str,
    v: &Value,
    contacts: &mut Vec<Option<Contact>>,
    contact_ids: &mut Vec<Option<String>>,
    contact_external: &[Option<String>],
    loans: &LoanRefs<'_>,
) -> Option<RequestRead> {
    let f = Fields::open(cx, path, v, REQUEST_FIELDS)?;
    let mut loan_indices = Vec::new();
    let mut loans_ok = true;
    if let Some(v) = f.get("loanId") {
        let p = f.at("loanId");
        match ident(cx, &p, v).and_then(|id| loan_ref(cx, &p, &id, loans)) {
            Some(i) => loan_indices.push(i),
            None => loans_ok = false,
        }
    }
    match loan_list(cx, &f, "loanIds", loans) {
        Some(list) => {
            loan_indices.extend(list);
            loan_indices = distinct(loan_indices);
        }
        None => loans_ok = false,
    }
    let channel = f.req(cx, "channel", name::<Channel>);
    let subject = f.opt(cx, "subject", name::<Subject>);
    let theme = f.opt(cx, "theme", name::<Theme>);
    if !f.has("subject") && !f.has("theme") && !cx.forgive_missing() {
        cx.error(&f.at("theme"), "required field missing (a request needs a theme, a subject or both)");
    }
    let start_at = f.opt(cx, "startAt", |cx, p, v| date_time(cx, p, v, true));
    let is_autodialed = f.opt(cx, "isAutodialed", boolean).unwrap_or(false);
    let previous_id = f.opt(cx, "previousInteractionId", ident);

    // The contact: exactly one of contactId, contactExternalId, contactDetails.
    let given: Vec<&str> = CONTACT_REFS.iter().copied().filter(|k| f.has(k)).collect();
    let mut contact = None;
    let mut contact_matched = false;
    match given.as_slice() {
        [] if !cx.forgive_missing() => {
            cx.error(
                &f.at("contactId"),
                "required field missing (a request names its contact with exactly one of contactId, contactExternalId, contactDetails)",
            );
        }
        [_, _, ..] if !cx.partial => {
            cx.error(
                &f.path,
                format!(
                    "{} are {} given; a request names its contact with exactly one of contactId, contactExternalId, contactDetails",
                    join_and(&given),
                    if given.len() == 2 { "both" } else { "all" }
                ),
            );
        }
        _ => {}
    }
    if let Some(v) = f.get("contactId") {
        let p = f.at("contactId");
        let refs = ContactRefs { ids: Index::new(contact_ids), external: Index::new(contact_external) };
        contact = ident(cx, &p, v).and_then(|id| contact_by_id(cx, &p, &id, &refs));
    }
    if let Some(v) = f.get("contactExternalId") {
        let p = f.at("contactExternalId");
        let refs = ContactRefs { ids: Index::new(contact_ids), external: Index::new(contact_external) };
        contact = ident(cx, &p, v).and_then(|id| contact_by_external_id(cx, &p, &id, &refs));
    }
    if let Some(v) = f.get("contactDetails") {
        let p = f.at("contactDetails");
        let details = read_contact(cx, &p, v, false);
        if let (Some(details), false) = (details.contact, cx.partial) {
            let matches: Vec<usize> = (0..contacts.len())
                .filter(|&i| contacts[i].as_ref().is_some_and(|c| same_contact(c, &details)))
                .collect();
            match designated(&matches, |i| contacts[i].as_ref(), &details) {
                Ok(Some(i)) => {
                    contact = Some(i);
                    contact_matched = true;
                }
                Err(several) => {
                    let named: Vec<String> = several
                        .iter()
                        .take(LISTED_IDS)
                        .map(|&i| match contacts[i].as_ref().and_then(|c| c.id.as_deref()) {
                            Some(id) => format!("contacts[{i}] ({id})"),
                            None => format!("contacts[{i}]"),
                        })
                        .collect();
                    cx.error(
                        &p,
                        format!(
                            "matches {} contacts with this {} ({}); give contactId to say which is meant, or an affiliation or label that only one of them has",
                            several.len(),
                            if matches!(details.contact_type, ContactType::Address) { "address" } else { "value" },
                            list_names(&named, LISTED_IDS)
                        ),
                    );
                }
                Ok(None) => {
                    if let Some(id) = &details.id {
                        if let Some(i) = contact_ids.iter().position(|c| c.as_deref() == Some(id.as_str())) {
                            cx.error(
                                &key(&p, "id"),
                                format!(
                                    "'{id}' is the id of contacts[{i}], whose type or value differs; give contactId to use that contact, or another id"
                                ),
                            );
                        }
                    }
                    contact = Some(contacts.len());
                    contact_ids.push(details.id.clone());
                    contacts.push(Some(details));
                }
            }
        }
    }
    if !loans_ok {
        return None;
    }
    Some(RequestRead {
        loans: loan_indices,
        channel,
        subject,
        theme: theme.or_else(|| subject.and_then(Subject::implied_theme)),
        start_at,
        is_autodialed,
        contact,
        contact_matched,
        previous_id,
    })
}

/// Which of the contacts that `contactDetails` matches it designates, whatever their order:
/// the one whose id the details give; else the matches are narrowed by each of the details'
/// `affiliation` and `label` that some of them share. `Ok(None)`: no match (a new contact);
/// `Err`: several remain, an input error (the borrower's phone and a relative's may be one
/// number, and which of them is called decides what the rules see).
pub(crate) fn designated<'c>(
    matches: &[usize],
    contact: impl Fn(usize) -> Option<&'c Contact>,
    details: &Contact,
) -> Result<Option<usize>, Vec<usize>> {
    let mut remaining = matches.to_vec();
    let narrow = |remaining: &mut Vec<usize>, keep: &dyn Fn(&Contact) -> bool| {
        let narrowed: Vec<usize> = remaining.iter().copied().filter(|&i| contact(i).is_some_and(keep)).collect();
        if !narrowed.is_empty() {
            *remaining = narrowed;
        }
    };
    if let Some(id) = &details.id {
        narrow(&mut remaining, &|c| c.id.as_ref() == Some(id));
    }
    if let Some(affiliation) = details.affiliation {
        narrow(&mut remaining, &|c| c.affiliation == Some(affiliation));
    }
    if let Some(label) = details.label {
        narrow(&mut remaining, &|c| c.label == Some(label));
    }
    match remaining.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        _ => Err(remaining),
    }
}

fn join_and(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Does a request's `contactDetails` designate an existing contact? Same `contactType`, and:
/// phone and whatsApp values equal on digits only (a leading US country code `1` on an
/// 11-digit number ignored); email values equal ignoring case and surrounding spaces;
/// fbMessenger values by the email rule when both contain `@`, else by the phone rule;
/// addresses by `value` when both have one, else by their address fields (ignoring case and
/// repeated spaces). Empty values never match.
pub(crate) fn same_contact(existing: &Contact, details: &Contact) -> bool {
    if existing.contact_type != details.contact_type {
        return false;
    }
    let (a, b) = (existing.value.as_deref(), details.value.as_deref());
    match existing.contact_type {
        ContactType::Phone | ContactType::WhatsApp => same_phone(a, b),
        ContactType::Email => same_email(a, b),
        ContactType::FbMessenger => match (a, b) {
            (Some(x), Some(y)) if x.contains('@') && y.contains('@') => same_email(a, b),
            _ => same_phone(a, b),
        },
        ContactType::Address => match (a, b) {
            (Some(x), Some(y)) => {
                let (x, y) = (normalize_text(x), normalize_text(y));
                !x.is_empty() && x == y
            }
            _ => match (&existing.address, &details.address) {
                (Some(x), Some(y)) => same_address(x, y),
                _ => false,
            },
        },
    }
}

fn phone_digits(value: &str) -> String {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('1') {
        Some(national) if digits.len() == 11 => national.to_string(),
        _ => digits,
    }
}

fn same_phone(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (a, b) = (phone_digits(a), phone_digits(b));
            !a.is_empty() && a == b
        }
        _ => false,
    }
}

fn same_email(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
            !a.is_empty() && a == b
        }
        _ => false,
    }
}

fn normalize_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn same_address(a: &Address, b: &Address) -> bool {
    let norm = |s: &Option<String>| s.as_deref().map(normalize_text).unwrap_or_default();
    let fields = |x: &Address| {
        [
            norm(&x.address_line1),
            norm(&x.address_line2),
            norm(&x.city),
            norm(&x.state),
            norm(&x.postal_code),
            x.country_code.to_lowercase(),
        ]
    };
    let (fa, fb) = (fields(a), fields(b));
    let substantive = !fa[0].is_empty() || !fa[4].is_empty();
    substantive && fa == fb
}

fn read_expect(cx: &mut Ctx, path: &str, v: &Value) -> Option<Expect> {
    let f = Fields::open(cx, path, v, EXPECT_FIELDS)?;
    let result = f.opt(cx, "result", boolean);
    // A list: `None` when not given, `Some(None)` when invalid.
    let texts = |cx: &mut Ctx, field: &str| -> Option<Option<Vec<String>>> {
        let value = f.get(field)?;
        let items = cx.list(&f.at(field), Some(value), text);
        Some(items.into_iter().collect())
    };
    let citations = texts(cx, "citations");
    let rules = texts(cx, "rules");
    let warnings = texts(cx, "warnings");
    let muted = texts(cx, "muted");
    let next_allowed_at = match f.raw("nextAllowedAt") {
        None => Some(None),
        Some(Value::Null) => Some(Some(None)),
        Some(v) => date_time(cx, &f.at("nextAllowedAt"), v, false).map(|t| Some(Some(t))),
    };
    let exactly = f.opt(cx, "exactly", boolean).unwrap_or(false);
    let given = |list: Option<Option<Vec<String>>>| match list {
        None => Some(None),
        Some(read) => read.map(Some),
    };
    Some(Expect {
        result,
        citations: given(citations)?,
        rules: given(rules)?,
        warnings: given(warnings)?,
        muted: given(muted)?,
        next_allowed_at: next_allowed_at?,
        exactly,
    })
}

#[cfg(test)]
mod tests {
    use super::distinct;

    #[test]
    fn distinct_keeps_first_occurrences_in_order() {
        assert_eq!(distinct(vec![]), Vec::<usize>::new());
        assert_eq!(distinct(vec![3, 1, 3, 2, 1]), vec![3, 1, 2]);
        // Past the scanned length, through the set: the same answer.
        let long: Vec<usize> = (0..40).map(|i| (i * 7) % 13).collect();
        let mut expected = Vec::new();
        for v in &long {
            if !expected.contains(v) {
                expected.push(*v);
            }
        }
        assert_eq!(distinct(long), expected);
    }
}
