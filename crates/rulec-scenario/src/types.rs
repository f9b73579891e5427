//! The validated scenario, as the evaluator reads it.
//!
//! Every reference of the source (`request.contactId`, `interactions[].loanIds`, …) is resolved
//! to an index into [`Scenario::contacts`] or [`Scenario::loans`]; every default of
//! the format (docs/scenarios.md) is applied. A [`Scenario`] is read-only but for the fields no
//! index depends on; [`ScenarioParts`] is the same data, open, for building a changed one.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rulec_model::{
    Affiliation, CaseOutcome, CaseStatus, CaseType, Channel, ConsentName, ConsentValue, ContactLabel,
    ContactStatus, ContactType, DebtType, Direction, InteractionStatus, LoanStatus, PersonType, Role,
    Subject, Theme,
};

use crate::error::InputErrors;

/// Everything the evaluator needs to answer one can-interact question.
///
/// The fields are read through methods of the same names. A scenario keeps an index of its
/// history and resolves every reference to a position in its lists, so it cannot be edited
/// field by field: [`Scenario::set_now`], [`Scenario::set_request_start`],
/// [`Scenario::set_policy`] and [`Scenario::set_name`] change what no index depends on, and
/// anything else goes through [`Scenario::into_parts`] and [`Scenario::from_parts`], which
/// checks the parts and builds the index again (see the crate documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub(crate) name: Option<String>,
    pub(crate) now: DateTime<Utc>,
    pub(crate) company: Company,
    pub(crate) policy: Option<String>,
    pub(crate) borrower: Borrower,
    pub(crate) contacts: Vec<Contact>,
    pub(crate) consents: Vec<Consent>,
    pub(crate) loans: Vec<Loan>,
    pub(crate) cases: Vec<Case>,
    pub(crate) interactions: Vec<Interaction>,
    pub(crate) history: crate::History,
    pub(crate) request: Request,
}

impl Scenario {
    /// `name`: a label for reports (in a suite, the case's name).
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// `now`: the instant of evaluation (defaults to `request.startAt`).
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// `company`.
    pub fn company(&self) -> &Company {
        &self.company
    }

    /// `policy`: the lender policy to apply; `None` means the regulatory rules alone.
    pub fn policy(&self) -> Option<&str> {
        self.policy.as_deref()
    }

    /// `borrower`.
    pub fn borrower(&self) -> &Borrower {
        &self.borrower
    }

    /// `contacts[]`, in file order, followed by the request's `contactDetails` contact when it
    /// matched no listed contact.
    pub fn contacts(&self) -> &[Contact] {
        &self.contacts
    }

    /// `consents[]` as given (each name at most once): the **recorded** consents; see
    /// [`Scenario::consent`] for defaults.
    pub fn consents(&self) -> &[Consent] {
        &self.consents
    }

    /// `loans[]`.
    pub fn loans(&self) -> &[Loan] {
        &self.loans
    }

    /// `cases[]`.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// `interactions[]`: the borrower's past interactions, in file order.
    pub fn interactions(&self) -> &[Interaction] {
        &self.interactions
    }

    /// The interactions indexed by time, contact and loan.
    pub fn history(&self) -> &crate::History {
        &self.history
    }

    /// `request`: the proposed interaction.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// Decides at another instant: sets `now` (the request's `startAt` stays as it is; see
    /// [`Scenario::set_request_start`]). Interactions dated after `now` stay in the history.
    /// Refused, leaving the scenario as it was, for an instant the loader would not read: a year
    /// outside 0 to 9999, or a leap second.
    pub fn set_now(&mut self, now: DateTime<Utc>) -> Result<(), InputErrors> {
        self.now = crate::parts::instant_at("now", now)?;
        Ok(())
    }

    /// Sets the request's `startAt`; refused as [`Scenario::set_now`] is.
    pub fn set_request_start(&mut self, start_at: DateTime<Utc>) -> Result<(), InputErrors> {
        self.request.start_at = crate::parts::instant_at("request.startAt", start_at)?;
        Ok(())
    }

    /// Sets the lender policy to apply (`None`: the regulatory rules alone).
    pub fn set_policy(&mut self, policy: Option<String>) {
        self.policy = policy;
    }

    /// Sets the label for reports.
    pub fn set_name(&mut self, name: Option<String>) {
        self.name = name;
    }

    /// The scenario taken apart, to be changed and put together again with
    /// [`Scenario::from_parts`].
    pub fn into_parts(self) -> ScenarioParts {
        ScenarioParts {
            name: self.name,
            now: self.now,
            company: self.company,
            policy: self.policy,
            borrower: self.borrower,
            contacts: self.contacts,
            consents: self.consents,
            loans: self.loans,
            cases: self.cases,
            interactions: self.interactions,
            request: self.request,
        }
    }

    /// A scenario from its parts, checked as the loader checks a file (every reference in
    /// range and listed once, an interaction does not follow itself, no id used twice in a
    /// list, each consent recorded once, instants between the years 0 and 9999, ranges in
    /// order, `daysPastDue` not negative), with its history index built. Errors are every
    /// problem found, each at its path in the scenario format (`request.contactId`,
    /// `interactions[2].loanIds[0]`).
    pub fn from_parts(parts: ScenarioParts) -> Result<Scenario, InputErrors> {
        crate::parts::check(&parts)?;
        let history = crate::History::new(&parts.interactions, parts.contacts.len(), parts.loans.len());
        Ok(Scenario {
            name: parts.name,
            now: parts.now,
            company: parts.company,
            policy: parts.policy,
            borrower: parts.borrower,
            contacts: parts.contacts,
            consents: parts.consents,
            loans: parts.loans,
            cases: parts.cases,
            interactions: parts.interactions,
            history,
            request: parts.request,
        })
    }

    /// The value of a consent: as given in `consents[]`, else the source's default
    /// ([`ConsentName::default_value`]: `electronicComms` and `autodialedColl` consented, the
    /// others revoked).
    pub fn consent(&self, name: ConsentName) -> ConsentValue {
        self.recorded_consent(name).map_or_else(|| name.default_value(), |c| c.value)
    }

    /// The consent as the scenario records it; `None` when `consents[]` does not list it (its
    /// value is then the source's default, which some laws do not accept as consent given).
    pub fn recorded_consent(&self, name: ConsentName) -> Option<&Consent> {
        self.consents.iter().find(|c| c.name == name)
    }

    /// The contact the request is addressed to.
    pub fn request_contact(&self) -> &Contact {
        &self.contacts[self.request.contact]
    }

    /// The loans the request is about (possibly none).
    pub fn request_loans(&self) -> impl Iterator<Item = &Loan> + '_ {
        self.request.loans.iter().map(|&i| &self.loans[i])
    }
}

/// A [`Scenario`] taken apart ([`Scenario::into_parts`]): plain data to change at will and put
/// together again with [`Scenario::from_parts`], which refuses parts that do not make a
/// scenario.
///
/// References between the lists are positions: [`Request::contact`] is an index into
/// `contacts`, [`Interaction::loans`] indices into `loans`, and so on. Removing an element
/// moves the ones after it, so references to them must be moved too; `from_parts` checks that
/// each is in range, not that it still means what it meant. To add or remove records by id,
/// editing the source document and loading it again is simpler.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioParts {
    /// `name`: a label for reports.
    pub name: Option<String>,
    /// `now`: the instant of evaluation.
    pub now: DateTime<Utc>,
    /// `company`.
    pub company: Company,
    /// `policy`: the lender policy to apply; `None` means the regulatory rules alone.
    pub policy: Option<String>,
    /// `borrower`.
    pub borrower: Borrower,
    /// `contacts[]` (with the request's `contactDetails` contact, if it was added).
    pub contacts: Vec<Contact>,
    /// `consents[]`, each name at most once.
    pub consents: Vec<Consent>,
    /// `loans[]`.
    pub loans: Vec<Loan>,
    /// `cases[]`.
    pub cases: Vec<Case>,
    /// `interactions[]`.
    pub interactions: Vec<Interaction>,
    /// `request`.
    pub request: Request,
}

/// A recorded consent (`consents[]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Consent {
    /// `name`.
    pub name: ConsentName,
    /// `value`.
    pub value: ConsentValue,
    /// `createdAt`: when the consent was first recorded.
    pub created_at: Option<DateTime<Utc>>,
    /// `updatedAt`: when its value last changed (not before `createdAt`): the instant a
    /// revocation or a consent took effect, for rules that count from it.
    pub updated_at: Option<DateTime<Utc>>,
}

/// `company`: the lender's side.
#[derive(Clone, Debug, PartialEq)]
pub struct Company {
    /// `company.role`, default `creditor`.
    pub role: Role,
    /// `company.timezone`: the lender's zone, used only where a rule says so.
    pub timezone: Option<Tz>,
}

/// `borrower`.
#[derive(Clone, Debug, PartialEq)]
pub struct Borrower {
    /// `borrower.id`, an AnyId (`ext-…`, `XX-XXXX-XXXX` or digits).
    pub id: String,
    /// `borrower.personType`, default `person`.
    pub person_type: PersonType,
    /// `borrower.timezone`: a known local zone, in addition to the zones of addresses.
    pub timezone: Option<Tz>,
    /// `borrower.dateOfBirth`.
    pub date_of_birth: Option<NaiveDate>,
}

/// A contact object (`contacts[]`, or `request.contactDetails`).
#[derive(Clone, Debug, PartialEq)]
pub struct Contact {
    /// `id`: required in `contacts[]`, optional in `request.contactDetails`.
    pub id: Option<String>,
    /// `externalId`: the lender's identifier.
    pub external_id: Option<String>,
    /// `contactType` (required).
    pub contact_type: ContactType,
    /// `label`.
    pub label: Option<ContactLabel>,
    /// `affiliation`: whose contact this is.
    pub affiliation: Option<Affiliation>,
    /// `name`: the third party's full name.
    pub name: Option<String>,
    /// `value`: the phone number, e-mail address, … (addresses use `address`).
    pub value: Option<String>,
    /// `address`: the mailing address.
    pub address: Option<Address>,
    /// `valid`, default true.
    pub valid: bool,
    /// `verified`, default false.
    pub verified: bool,
    /// `receiveTextMessages`, default false.
    pub receive_text_messages: bool,
    /// `authorizedThirdParty`, default false.
    pub authorized_third_party: bool,
    /// `powerOfAttorney`, default false.
    pub power_of_attorney: bool,
    /// `status`.
    pub status: Option<ContactStatus>,
}

/// `contacts[].address`.
#[derive(Clone, Debug, PartialEq)]
pub struct Address {
    /// `addressLine1`.
    pub address_line1: Option<String>,
    /// `addressLine2`.
    pub address_line2: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// `state`: a USPS code (checked against `rulec_model::USPS_STATE_CODES` when the country
    /// is `US`).
    pub state: Option<String>,
    /// `postalCode`.
    pub postal_code: Option<String>,
    /// `countryCode`: two capital letters, default `US`.
    pub country_code: String,
}

/// `loans[]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Loan {
    /// `id` (required).
    pub id: String,
    /// `externalId`.
    pub external_id: Option<String>,
    /// `status`.
    pub status: Option<LoanStatus>,
    /// `loanType`: free text.
    pub loan_type: Option<String>,
    /// `debtType`, default `consumer`.
    pub debt_type: DebtType,
    /// `timeBarred`, default false.
    pub time_barred: bool,
    /// `daysPastDue`, default 0 (never negative).
    pub days_past_due: i64,
}

/// `cases[]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// `id` (required).
    pub id: String,
    /// `caseType` (required).
    pub case_type: CaseType,
    /// `status` (required).
    pub status: CaseStatus,
    /// `outcome`: `None` while undecided.
    pub outcome: Option<CaseOutcome>,
    /// `createdAt`.
    pub created_at: Option<DateTime<Utc>>,
    /// `closedAt` (not before `createdAt`).
    pub closed_at: Option<DateTime<Utc>>,
    /// `loanIds`, resolved: indices into [`Scenario::loans`], each once.
    pub loans: Vec<usize>,
    /// `doNotInteract[]`.
    pub do_not_interact: Vec<DoNotInteract>,
}

/// `cases[].doNotInteract[]`. An empty list means "all" (all channels, themes, …).
#[derive(Clone, Debug, PartialEq)]
pub struct DoNotInteract {
    /// `id`.
    pub id: Option<String>,
    /// `channels` (empty = all).
    pub channels: Vec<Channel>,
    /// `themes` (empty = all).
    pub themes: Vec<Theme>,
    /// `subjects` (empty = all).
    pub subjects: Vec<Subject>,
    /// `contactIds`, resolved: indices into [`Scenario::contacts`], each once (empty = all).
    pub contacts: Vec<usize>,
    /// `startsAt`.
    pub starts_at: Option<DateTime<Utc>>,
    /// `expiresAt`: `None` (absent or null) = until removed.
    pub expires_at: Option<DateTime<Utc>>,
}

/// `interactions[]`: a past interaction.
#[derive(Clone, Debug, PartialEq)]
pub struct Interaction {
    /// `id` (required).
    pub id: String,
    /// `channel` (required).
    pub channel: Channel,
    /// `direction` (required).
    pub direction: Direction,
    /// `theme`; when absent and the subject implies one ([`Subject::implied_theme`]), that one.
    pub theme: Option<Theme>,
    /// `subject`.
    pub subject: Option<Subject>,
    /// `status` (required).
    pub status: InteractionStatus,
    /// `startAt` (required; a bare date means 00:00 UTC).
    pub start_at: DateTime<Utc>,
    /// `endAt` (not before `startAt`).
    pub end_at: Option<DateTime<Utc>>,
    /// `contactId`, resolved: an index into [`Scenario::contacts`].
    pub contact: Option<usize>,
    /// `loanIds`, resolved: indices into [`Scenario::loans`], each once.
    pub loans: Vec<usize>,
    /// `isAutodialed`, default false.
    pub is_autodialed: bool,
    /// `previousInteractionId`, resolved: the interaction this one follows or answers (an
    /// index into [`Scenario::interactions`]).
    pub previous: Option<usize>,
}

/// `request`: the can-interact body.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// `loanId` and `loanIds` together (union, `loanId` first, no repeats), resolved: indices
    /// into [`Scenario::loans`]. Empty when the request names no loan.
    pub loans: Vec<usize>,
    /// `channel` (required).
    pub channel: Channel,
    /// `subject`.
    pub subject: Option<Subject>,
    /// `theme`; when absent, the subject's implied theme if it has one. At least one of
    /// `subject` and `theme` was given.
    pub theme: Option<Theme>,
    /// `startAt`, default `now` (a bare date means 00:00 UTC).
    pub start_at: DateTime<Utc>,
    /// `isAutodialed`, default false.
    pub is_autodialed: bool,
    /// The contact addressed: an index into [`Scenario::contacts`], from `contactId`,
    /// `contactExternalId` or `contactDetails`.
    pub contact: usize,
    /// True when `contactDetails` was given and matched an existing contact (same type and
    /// value); false when it was appended as a new contact, and when the contact was named by
    /// `contactId` or `contactExternalId`.
    pub contact_matched: bool,
    /// Extension `previousInteractionId`, resolved: the past interaction this proposed one
    /// answers (returning the borrower's call, replying to a message).
    pub previous: Option<usize>,
}

/// `expect`: what a scenario or suite case asserts about the decision. A list that is `None` was
/// not given (nothing is asserted about it); `Some(vec![])` was given empty.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Expect {
    /// `result`: the expected `data.result` (required in a suite case).
    pub result: Option<bool>,
    /// `citations`: each must appear among the blocking rules' citations.
    pub citations: Option<Vec<String>>,
    /// `rules`: rule ids that must block.
    pub rules: Option<Vec<String>>,
    /// `warnings`: rule ids that must warn.
    pub warnings: Option<Vec<String>>,
    /// `muted`: rule ids that must be reported muted.
    pub muted: Option<Vec<String>>,
    /// `nextAllowedAt`: `None` = not asserted, `Some(None)` = expected `null`.
    pub next_allowed_at: Option<Option<DateTime<Utc>>>,
    /// `exactly` (default false): every list given is exact — what the decision reports is
    /// exactly what is listed, nothing more.
    pub exactly: bool,
}

/// A loaded file: a single scenario, or a suite.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // one per file; the shape is the evaluator's API
pub enum Document {
    /// A file with a top-level `request`.
    Scenario {
        scenario: Scenario,
        expect: Option<Expect>,
    },
    /// A file with a top-level `cases`.
    Suite(Suite),
}

/// A suite: cases for regression testing, sharing `defaults`.
#[derive(Clone, Debug, PartialEq)]
pub struct Suite {
    /// `suite`: the suite's name (required).
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// `cases[]`, in file order, each validated on its own.
    pub cases: Vec<SuiteCase>,
}

/// One case of a suite: `defaults` deep-merged under the case, then validated as a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct SuiteCase {
    /// `name` (required; when missing, the case's path `cases[i]` stands in and `result` holds
    /// the error).
    pub name: String,
    /// The position in `cases[]`.
    pub index: usize,
    /// `description`.
    pub description: Option<String>,
    /// The scenario and its expectation, or every error of this case (paths start with
    /// `cases[i].`). One bad case does not hide the others.
    pub result: Result<(Scenario, Option<Expect>), InputErrors>,
}
