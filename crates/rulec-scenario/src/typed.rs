//! The typed read: a valid JSON scenario straight into a [`Scenario`], without the value tree.
//!
//! Most scenarios a service or a batch reads are valid JSON written by a program. For them the
//! general loader's work — a value tree with every key copied, each field looked up by name, a
//! path built for every read in case it fails — is spent on errors that never come. This read
//! deserializes the text into borrowed records (serde derive: text borrowed from the input,
//! names of the model's lists looked up as they are read) and checks them with the loader's own
//! predicates ([`read::instant`], [`is_any_id`], [`scenario::same_contact`], …), building no
//! message and no path.
//!
//! It **declines** (returns `None`) at the first thing it does not take: a text that is not
//! JSON, an unknown or repeated field, a value of another type, a value the loader would refuse,
//! a document the [`Limits`] could refuse. The loaders then read the text the general way, so
//! every error message is the general loader's, unchanged. What must hold, and is tested over
//! every shipped case and thousands of mutations of them (`typed/tests.rs`): whenever this read
//! returns a scenario, the general loader accepts the same text and builds an equal one.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rulec_model::{
    Affiliation, CaseOutcome, CaseStatus, CaseType, Channel, ConsentName, ConsentValue, ContactLabel,
    ContactStatus, ContactType, DebtType, Direction, InteractionStatus, LoanStatus, PersonType, Role,
    Subject, Theme, Vocabulary,
};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::read::{self, is_any_id, is_blank_id};
use crate::scenario::{designated, distinct, is_country_code, is_state_of, same_contact};
use crate::types::{
    Address, Borrower, Case, Company, Consent, Contact, DoNotInteract, Expect, Interaction, Loan, Request,
    Scenario,
};
use crate::yaml::{self, Limits};

/// The deepest list or object of a scenario the typed records can hold sits 5 levels down
/// (`cases[].doNotInteract[].channels`): the general loader refuses a document only when its
/// `max_depth` is 5 or less, so below this the typed read leaves the text to it.
const DEEPEST_ACCEPTED: usize = 6;

/// Reads a single-scenario JSON text the typed way, or declines (`None`): see the module
/// documentation. [`crate::load_document_with`] and [`crate::load_scenario_with`] try it
/// first; it is public for benchmarks and for callers that want to know which road a text
/// takes.
///
/// ```
/// use rulec_scenario::{typed, Limits};
/// let text = r#"{"now": "2026-03-10T15:00:00Z", "borrower": {"id": "BO-AAAA-1111"},
///   "contacts": [{"id": "CT-AAAA-1111", "contactType": "phone", "value": "+14155552671"}],
///   "request": {"channel": "voice", "theme": "opsCollDebt", "contactId": "CT-AAAA-1111"}}"#;
/// let (scenario, _) = typed::read(text, &Limits::default()).expect("valid JSON takes the typed road");
/// assert_eq!(scenario.request().contact, 0);
/// // A misspelt field: declined, and the general loader says what is wrong.
/// let text = text.replace("contactType", "contactTyp");
/// assert!(typed::read(&text, &Limits::default()).is_none());
/// let errors = rulec_scenario::load_scenario(&text).unwrap_err();
/// assert!(errors.to_string().contains("contacts[0].contactTyp: unknown field, did you mean 'contactType'?"));
/// ```
pub fn read(text: &str, limits: &Limits) -> Option<(Scenario, Option<Expect>)> {
    // Every value of a JSON text takes at least one byte of it, so a text no longer than
    // `max_values` cannot hold more values than the general loader admits.
    if text.len() > limits.max_input_bytes || text.len() > limits.max_values || limits.max_depth < DEEPEST_ACCEPTED {
        return None;
    }
    // Only the texts the general loader gives its JSON reader: the same parser's reading of
    // the same text is what makes the two roads agree.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !yaml::json_first(text) {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let doc = ScenarioDoc::deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    build(doc)
}

/// Parses a JSON text into the typed records and nothing more (no check, no scenario): what a
/// typed parse of the same text costs, for benchmarks to compare with. `false` when the typed
/// read would decline at parsing.
#[doc(hidden)]
pub fn parse_only(text: &str) -> bool {
    serde_json::from_str::<ScenarioDoc<'_>>(text).is_ok()
}

// ---- The records, field for field the format's (docs/scenarios.md). `null` is absent. ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ScenarioDoc<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    now: Option<Text<'a>>,
    #[serde(borrow)]
    company: Option<CompanyDoc<'a>>,
    #[serde(borrow)]
    policy: Option<Text<'a>>,
    #[serde(borrow)]
    borrower: Option<BorrowerDoc<'a>>,
    #[serde(borrow)]
    contacts: Option<Vec<ContactDoc<'a>>>,
    #[serde(borrow)]
    consents: Option<Vec<ConsentDoc<'a>>>,
    #[serde(borrow)]
    loans: Option<Vec<LoanDoc<'a>>>,
    #[serde(borrow)]
    cases: Option<Vec<CaseDoc<'a>>>,
    #[serde(borrow)]
    interactions: Option<Vec<InteractionDoc<'a>>>,
    #[serde(borrow)]
    request: Option<RequestDoc<'a>>,
    #[serde(borrow)]
    expect: Option<ExpectDoc<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CompanyDoc<'a> {
    role: Option<Named<Role>>,
    #[serde(borrow)]
    timezone: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct BorrowerDoc<'a> {
    #[serde(borrow)]
    id: Option<Id<'a>>,
    person_type: Option<Named<PersonType>>,
    #[serde(borrow)]
    timezone: Option<Text<'a>>,
    #[serde(borrow)]
    date_of_birth: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ContactDoc<'a> {
    #[serde(borrow)]
    id: Option<Id<'a>>,
    #[serde(borrow)]
    external_id: Option<Id<'a>>,
    contact_type: Option<Named<ContactType>>,
    label: Option<Named<ContactLabel>>,
    affiliation: Option<Named<Affiliation>>,
    #[serde(borrow)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    value: Option<Text<'a>>,
    #[serde(borrow)]
    address: Option<AddressDoc<'a>>,
    valid: Option<bool>,
    verified: Option<bool>,
    receive_text_messages: Option<bool>,
    authorized_third_party: Option<bool>,
    power_of_attorney: Option<bool>,
    status: Option<Named<ContactStatus>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddressDoc<'a> {
    #[serde(borrow, rename = "addressLine1")]
    address_line1: Option<Text<'a>>,
    #[serde(borrow, rename = "addressLine2")]
    address_line2: Option<Text<'a>>,
    #[serde(borrow)]
    city: Option<Text<'a>>,
    #[serde(borrow)]
    state: Option<Text<'a>>,
    #[serde(borrow, rename = "postalCode")]
    postal_code: Option<Text<'a>>,
    #[serde(borrow, rename = "countryCode")]
    country_code: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ConsentDoc<'a> {
    name: Option<Named<ConsentName>>,
    value: Option<Named<ConsentValue>>,
    #[serde(borrow)]
    created_at: Option<Text<'a>>,
    #[serde(borrow)]
    updated_at: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct LoanDoc<'a> {
    #[serde(borrow)]
    id: Option<Id<'a>>,
    #[serde(borrow)]
    external_id: Option<Id<'a>>,
    status: Option<Named<LoanStatus>>,
    #[serde(borrow)]
    loan_type: Option<Text<'a>>,
    debt_type: Option<Named<DebtType>>,
    time_barred: Option<bool>,
    days_past_due: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CaseDoc<'a> {
    #[serde(borrow)]
    id: Option<Id<'a>>,
    case_type: Option<Named<CaseType>>,
    status: Option<Named<CaseStatus>>,
    outcome: Option<Named<CaseOutcome>>,
    #[serde(borrow)]
    created_at: Option<Text<'a>>,
    #[serde(borrow)]
    closed_at: Option<Text<'a>>,
    #[serde(borrow)]
    loan_ids: Option<Vec<Id<'a>>>,
    #[serde(borrow)]
    do_not_interact: Option<Vec<DoNotInteractDoc<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct DoNotInteractDoc<'a> {
    #[serde(borrow)]
    id: Option<Id<'a>>,
    channels: Option<Vec<Named<Channel>>>,
    themes: Option<Vec<Named<Theme>>>,
    subjects: Option<Vec<Named<Subject>>>,
    #[serde(borrow)]
    contact_ids: Option<Vec<Id<'a>>>,
    #[serde(borrow)]
    starts_at: Option<Text<'a>>,
    #[serde(borrow)]
    expires_at: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct InteractionDoc<'a> {
    #[serde(borrow)]
    id: Option<Id<'a>>,
    channel: Option<Named<Channel>>,
    direction: Option<Named<Direction>>,
    theme: Option<Named<Theme>>,
    subject: Option<Named<Subject>>,
    status: Option<Named<InteractionStatus>>,
    #[serde(borrow)]
    start_at: Option<Text<'a>>,
    #[serde(borrow)]
    end_at: Option<Text<'a>>,
    #[serde(borrow)]
    contact_id: Option<Id<'a>>,
    #[serde(borrow)]
    loan_ids: Option<Vec<Id<'a>>>,
    is_autodialed: Option<bool>,
    #[serde(borrow)]
    previous_interaction_id: Option<Id<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RequestDoc<'a> {
    #[serde(borrow)]
    loan_id: Option<Id<'a>>,
    #[serde(borrow)]
    loan_ids: Option<Vec<Id<'a>>>,
    channel: Option<Named<Channel>>,
    subject: Option<Named<Subject>>,
    theme: Option<Named<Theme>>,
    #[serde(borrow)]
    start_at: Option<Text<'a>>,
    is_autodialed: Option<bool>,
    #[serde(borrow)]
    contact_id: Option<Id<'a>>,
    #[serde(borrow)]
    contact_external_id: Option<Id<'a>>,
    #[serde(borrow)]
    contact_details: Option<ContactDoc<'a>>,
    #[serde(borrow)]
    previous_interaction_id: Option<Id<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectDoc<'a> {
    result: Option<bool>,
    #[serde(borrow)]
    citations: Option<Vec<Text<'a>>>,
    #[serde(borrow)]
    rules: Option<Vec<Text<'a>>>,
    #[serde(borrow)]
    warnings: Option<Vec<Text<'a>>>,
    #[serde(borrow)]
    muted: Option<Vec<Text<'a>>>,
    /// The one field where `null` is a value (the decision's `nextAllowedAt` must be null).
    #[serde(default, deserialize_with = "null_is_a_value")]
    next_allowed_at: Option<Option<String>>,
    exactly: Option<bool>,
}

fn null_is_a_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// Text, borrowed from the input unless it holds escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor { whole_numbers: false, text: PhantomData })
    }
}

/// An id: text, or a whole number read as its digits (as the general loader reads one).
struct Id<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Id<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor { whole_numbers: true, text: PhantomData }).map(|Text(t)| Id(t))
    }
}

struct TextVisitor<'a> {
    whole_numbers: bool,
    text: PhantomData<&'a str>,
}

impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
    type Value = Text<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'a>, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text<'a>, E> {
        if self.whole_numbers {
            Ok(Text(Cow::Owned(v.to_string())))
        } else {
            Err(E::invalid_type(de::Unexpected::Signed(v), &self))
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text<'a>, E> {
        // Beyond i64 the general loader reports the number as too large.
        match i64::try_from(v) {
            Ok(v) => self.visit_i64(v),
            Err(_) => Err(E::invalid_type(de::Unexpected::Unsigned(v), &self)),
        }
    }
}

/// A name of one of the model's lists (aliases accepted), looked up as it is read.
struct Named<V>(V);

impl<'de, V: Vocabulary> Deserialize<'de> for Named<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor<V>(PhantomData<V>);
        impl<V: Vocabulary> Visitor<'_> for NameVisitor<V> {
            type Value = Named<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(V::KIND.describe())
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Named<V>, E> {
                V::from_name(v).map(Named).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_str(NameVisitor(PhantomData))
    }
}

// ---- From the records to a scenario: every check of the general loader, no messages. ----

/// `Some(None)` for an absent value, `Some(Some(..))` for one that converts, `None` (decline)
/// for one that does not.
fn optional<T, U>(value: Option<T>, convert: impl FnOnce(T) -> Option<U>) -> Option<Option<U>> {
    match value {
        None => Some(None),
        Some(v) => convert(v).map(Some),
    }
}

fn text(t: Text<'_>) -> String {
    t.0.into_owned()
}

fn id(i: Id<'_>) -> Option<String> {
    (!is_blank_id(&i.0)).then(|| i.0.into_owned())
}

/// An id's text to look up (no copy), as [`id`] reads it.
fn id_text<'i>(i: &'i Id<'_>) -> Option<&'i str> {
    (!is_blank_id(&i.0)).then_some(&*i.0)
}

fn at(t: &Text<'_>, date_only: bool) -> Option<DateTime<Utc>> {
    read::instant(t.0.trim(), date_only)
}

fn zone(t: &Text<'_>) -> Option<Tz> {
    t.0.parse::<Tz>().ok()
}

fn named<V>(list: Option<Vec<Named<V>>>) -> Vec<V> {
    list.map_or_else(Vec::new, |l| l.into_iter().map(|n| n.0).collect())
}

/// `later` not before `earlier`, when both are given.
fn ordered(earlier: Option<DateTime<Utc>>, later: Option<DateTime<Utc>>) -> bool {
    !matches!((earlier, later), (Some(a), Some(b)) if b < a)
}

/// Up to this many values, lookups and repeats are found by scanning; beyond, by hashing.
const SCANNED: usize = 16;

/// The ids of one list, for resolving references and finding repeats.
struct Ids<'s> {
    values: Vec<Option<&'s str>>,
    /// Beyond [`SCANNED`] ids: each id's position, by a fast hash (per-process seed).
    positions: Option<std::collections::HashMap<&'s str, usize, foldhash::fast::RandomState>>,
}

impl<'s> Ids<'s> {
    /// `None` when a value is given twice (the general loader reports it).
    fn distinct(values: Vec<Option<&'s str>>) -> Option<Ids<'s>> {
        if values.len() <= SCANNED {
            for (j, v) in values.iter().enumerate() {
                if v.is_some() && values[..j].contains(v) {
                    return None;
                }
            }
            return Some(Ids { values, positions: None });
        }
        let mut positions = std::collections::HashMap::with_capacity_and_hasher(values.len(), foldhash::fast::RandomState::default());
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                if positions.insert(*v, i).is_some() {
                    return None;
                }
            }
        }
        Some(Ids { values, positions: Some(positions) })
    }

    fn find(&self, id: &str) -> Option<usize> {
        match &self.positions {
            Some(positions) => positions.get(id).copied(),
            None => self.values.iter().position(|v| *v == Some(id)),
        }
    }
}

/// A loan reference: a loan's `id`, else its `externalId`.
fn loan_ref(ids: &Ids<'_>, external: &Ids<'_>, reference: Id<'_>) -> Option<usize> {
    let reference = id_text(&reference)?;
    ids.find(reference).or_else(|| external.find(reference))
}

fn loan_list(ids: &Ids<'_>, external: &Ids<'_>, list: Option<Vec<Id<'_>>>) -> Option<Vec<usize>> {
    let list = list.unwrap_or_default();
    let resolved = list.into_iter().map(|r| loan_ref(ids, external, r)).collect::<Option<Vec<_>>>()?;
    Some(distinct(resolved))
}

fn build(doc: ScenarioDoc<'_>) -> Option<(Scenario, Option<Expect>)> {
    let name = doc.name.map(text);
    let now = optional(doc.now, |t| at(&t, false))?;
    let company = match doc.company {
        None => Company { role: Role::Creditor, timezone: None },
        Some(c) => Company {
            role: c.role.map_or(Role::Creditor, |r| r.0),
            timezone: optional(c.timezone, |t| zone(&t))?,
        },
    };
    let policy = doc.policy.map(text);
    let borrower = doc.borrower?;
    let borrower = Borrower {
        id: id(borrower.id?).filter(|i| is_any_id(i))?,
        person_type: borrower.person_type.map_or(PersonType::Person, |p| p.0),
        timezone: optional(borrower.timezone, |t| zone(&t))?,
        date_of_birth: optional(borrower.date_of_birth, |t| read::calendar_date(t.0.trim()))?,
    };

    let mut contacts = doc.contacts.unwrap_or_default().into_iter().map(|c| contact(c, true)).collect::<Option<Vec<_>>>()?;
    let consents = consents(doc.consents.unwrap_or_default())?;
    let loans = doc.loans.unwrap_or_default().into_iter().map(loan).collect::<Option<Vec<_>>>()?;

    let loan_ids = Ids::distinct(loans.iter().map(|l| Some(l.id.as_str())).collect())?;
    let loan_external = Ids::distinct(loans.iter().map(|l| l.external_id.as_deref()).collect())?;
    // A loan's externalId that is another loan's id would make references ambiguous.
    for (j, loan) in loans.iter().enumerate() {
        if loan.external_id.as_deref().and_then(|e| loan_ids.find(e)).is_some_and(|i| i != j) {
            return None;
        }
    }

    // The request comes before cases and interactions: its contactDetails may add a contact.
    let request = doc.request?;
    let mut request_loans = Vec::new();
    if let Some(reference) = request.loan_id {
        request_loans.push(loan_ref(&loan_ids, &loan_external, reference)?);
    }
    request_loans.extend(loan_list(&loan_ids, &loan_external, request.loan_ids)?);
    let request_loans = distinct(request_loans);
    let channel = request.channel?.0;
    let subject = request.subject.map(|s| s.0);
    let theme = request.theme.map(|t| t.0);
    if subject.is_none() && theme.is_none() {
        return None;
    }
    let request_start = optional(request.start_at, |t| at(&t, true))?;
    let given = [request.contact_id.is_some(), request.contact_external_id.is_some(), request.contact_details.is_some()];
    if given.iter().filter(|&&g| g).count() != 1 {
        return None;
    }
    let (contact_index, contact_matched) = {
        let ids = Ids::distinct(contacts.iter().map(|c| c.id.as_deref()).collect())?;
        let external = Ids::distinct(contacts.iter().map(|c| c.external_id.as_deref()).collect())?;
        if let Some(reference) = request.contact_id {
            (ids.find(id_text(&reference)?)?, false)
        } else if let Some(reference) = request.contact_external_id {
            (external.find(id_text(&reference)?)?, false)
        } else {
            let details = contact(request.contact_details?, false)?;
            let matches: Vec<usize> = (0..contacts.len()).filter(|&i| same_contact(&contacts[i], &details)).collect();
            match designated(&matches, |i| contacts.get(i), &details).ok()? {
                Some(i) => (i, true),
                None => {
                    // A new contact whose id is a listed contact's would be an error.
                    if details.id.as_deref().is_some_and(|d| ids.find(d).is_some()) {
                        return None;
                    }
                    contacts.push(details);
                    (contacts.len() - 1, false)
                }
            }
        }
    };
    let request_previous = request.previous_interaction_id;

    let contact_ids = Ids::distinct(contacts.iter().map(|c| c.id.as_deref()).collect())?;
    let cases = doc
        .cases
        .unwrap_or_default()
        .into_iter()
        .map(|c| case(c, &contact_ids, &loan_ids, &loan_external))
        .collect::<Option<Vec<_>>>()?;
    Ids::distinct(cases.iter().map(|c| Some(c.id.as_str())).collect())?;

    // Read straight into the scenario's list (no list of pairs to split), the ids they name
    // beside it until every interaction's id is known.
    let docs = doc.interactions.unwrap_or_default();
    let (mut interactions, mut previous) = (Vec::with_capacity(docs.len()), Vec::with_capacity(docs.len()));
    for x in docs {
        let (read, names) = interaction(x, &contact_ids, &loan_ids, &loan_external)?;
        interactions.push(read);
        previous.push(names);
    }
    let interaction_ids = Ids::distinct(interactions.iter().map(|x| Some(x.id.as_str())).collect())?;
    let previous = previous
        .into_iter()
        .enumerate()
        .map(|(i, p)| optional(p, |p| interaction_ids.find(id_text(&p)?).filter(|&found| found != i)))
        .collect::<Option<Vec<_>>>()?;
    let request_previous = optional(request_previous, |p| interaction_ids.find(id_text(&p)?))?;
    for (interaction, previous) in interactions.iter_mut().zip(previous) {
        interaction.previous = previous;
    }

    let expect = optional(doc.expect, expect)?;
    // The evaluator never reads the wall clock: `now` or the request's startAt must be given.
    let now = now.or(request_start)?;
    let request = Request {
        loans: request_loans,
        channel,
        subject,
        theme: theme.or_else(|| subject.and_then(Subject::implied_theme)),
        start_at: request_start.unwrap_or(now),
        is_autodialed: request.is_autodialed.unwrap_or(false),
        contact: contact_index,
        contact_matched,
        previous: request_previous,
    };
    let history = crate::History::new(&interactions, contacts.len(), loans.len());
    let scenario = Scenario {
        name,
        now,
        company,
        policy,
        borrower,
        contacts,
        consents,
        loans,
        cases,
        interactions,
        history,
        request,
    };
    Some((scenario, expect))
}

fn contact(c: ContactDoc<'_>, id_required: bool) -> Option<Contact> {
    let contact_id = optional(c.id, id)?;
    if id_required && contact_id.is_none() {
        return None;
    }
    Some(Contact {
        id: contact_id,
        external_id: optional(c.external_id, id)?,
        contact_type: c.contact_type?.0,
        label: c.label.map(|l| l.0),
        affiliation: c.affiliation.map(|a| a.0),
        name: c.name.map(text),
        value: c.value.map(text),
        address: optional(c.address, address)?,
        valid: c.valid.unwrap_or(true),
        verified: c.verified.unwrap_or(false),
        receive_text_messages: c.receive_text_messages.unwrap_or(false),
        authorized_third_party: c.authorized_third_party.unwrap_or(false),
        power_of_attorney: c.power_of_attorney.unwrap_or(false),
        status: c.status.map(|s| s.0),
    })
}

fn address(a: AddressDoc<'_>) -> Option<Address> {
    let country_code = match a.country_code {
        None => "US".to_string(),
        Some(c) if is_country_code(&c.0) => text(c),
        Some(_) => return None,
    };
    let state = optional(a.state, |s| is_state_of(&country_code, &s.0).then(|| text(s)))?;
    Some(Address {
        address_line1: a.address_line1.map(text),
        address_line2: a.address_line2.map(text),
        city: a.city.map(text),
        state,
        postal_code: a.postal_code.map(text),
        country_code,
    })
}

fn consents(docs: Vec<ConsentDoc<'_>>) -> Option<Vec<Consent>> {
    let mut out: Vec<Consent> = Vec::with_capacity(docs.len());
    for c in docs {
        let name = c.name?.0;
        if out.iter().any(|o| o.name == name) {
            return None;
        }
        let created_at = optional(c.created_at, |t| at(&t, false))?;
        let updated_at = optional(c.updated_at, |t| at(&t, false))?;
        if !ordered(created_at, updated_at) {
            return None;
        }
        out.push(Consent { name, value: c.value?.0, created_at, updated_at });
    }
    Some(out)
}

fn loan(l: LoanDoc<'_>) -> Option<Loan> {
    let days_past_due = l.days_past_due.unwrap_or(0);
    if days_past_due < 0 {
        return None;
    }
    Some(Loan {
        id: id(l.id?)?,
        external_id: optional(l.external_id, id)?,
        status: l.status.map(|s| s.0),
        loan_type: l.loan_type.map(text),
        debt_type: l.debt_type.map_or(DebtType::Consumer, |d| d.0),
        time_barred: l.time_barred.unwrap_or(false),
        days_past_due,
    })
}

fn case(c: CaseDoc<'_>, contacts: &Ids<'_>, loans: &Ids<'_>, loan_external: &Ids<'_>) -> Option<Case> {
    let created_at = optional(c.created_at, |t| at(&t, false))?;
    let closed_at = optional(c.closed_at, |t| at(&t, false))?;
    if !ordered(created_at, closed_at) {
        return None;
    }
    let do_not_interact = c
        .do_not_interact
        .unwrap_or_default()
        .into_iter()
        .map(|d| do_not_interact(d, contacts))
        .collect::<Option<Vec<_>>>()?;
    Ids::distinct(do_not_interact.iter().map(|d| d.id.as_deref()).collect())?;
    Some(Case {
        id: id(c.id?)?,
        case_type: c.case_type?.0,
        status: c.status?.0,
        outcome: c.outcome.map(|o| o.0),
        created_at,
        closed_at,
        loans: loan_list(loans, loan_external, c.loan_ids)?,
        do_not_interact,
    })
}

fn do_not_interact(d: DoNotInteractDoc<'_>, contacts: &Ids<'_>) -> Option<DoNotInteract> {
    let starts_at = optional(d.starts_at, |t| at(&t, false))?;
    let expires_at = optional(d.expires_at, |t| at(&t, false))?;
    if !ordered(starts_at, expires_at) {
        return None;
    }
    let named_contacts = d.contact_ids.unwrap_or_default().into_iter().map(|c| contacts.find(id_text(&c)?)).collect::<Option<Vec<_>>>()?;
    Some(DoNotInteract {
        id: optional(d.id, id)?,
        channels: named(d.channels),
        themes: named(d.themes),
        subjects: named(d.subjects),
        contacts: distinct(named_contacts),
        starts_at,
        expires_at,
    })
}

/// An interaction, and the `previousInteractionId` it names (resolved once every id is known).
fn interaction<'a>(
    x: InteractionDoc<'a>,
    contacts: &Ids<'_>,
    loans: &Ids<'_>,
    loan_external: &Ids<'_>,
) -> Option<(Interaction, Option<Id<'a>>)> {
    let start_at = at(&x.start_at?, true)?;
    let end_at = optional(x.end_at, |t| at(&t, false))?;
    if !ordered(Some(start_at), end_at) {
        return None;
    }
    let subject = x.subject.map(|s| s.0);
    let interaction = Interaction {
        id: id(x.id?)?,
        channel: x.channel?.0,
        direction: x.direction?.0,
        theme: x.theme.map(|t| t.0).or_else(|| subject.and_then(Subject::implied_theme)),
        subject,
        status: x.status?.0,
        start_at,
        end_at,
        contact: optional(x.contact_id, |c| contacts.find(id_text(&c)?))?,
        loans: loan_list(loans, loan_external, x.loan_ids)?,
        is_autodialed: x.is_autodialed.unwrap_or(false),
        previous: None,
    };
    Some((interaction, x.previous_interaction_id))
}

fn expect(e: ExpectDoc<'_>) -> Option<Expect> {
    let texts = |list: Option<Vec<Text<'_>>>| list.map(|l| l.into_iter().map(text).collect());
    let next_allowed_at = match e.next_allowed_at {
        None => None,
        Some(None) => Some(None),
        Some(Some(t)) => Some(Some(read::instant(t.trim(), false)?)),
    };
    Some(Expect {
        result: e.result,
        citations: texts(e.citations),
        rules: texts(e.rules),
        warnings: texts(e.warnings),
        muted: texts(e.muted),
        next_allowed_at,
        exactly: e.exactly.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests;
