//! Loads and validates can-interact **scenarios** and **suites** (the format: `docs/scenarios.md`).
//!
//! A scenario is YAML or JSON (JSON is YAML: one parser, chosen by nothing but the content).
//! Validation is strict and reports every problem in one pass, each as `path: message`:
//!
//! ```text
//! contacts[2].affilation: unknown field, did you mean 'affiliation'?
//! loans[0].daysPastDue: expected a whole number, found a text
//! request.theme: 'opsColDebt' is not a theme, did you mean 'opsCollDebt'?
//! request.channel: required field missing
//! ```
//!
//! ```
//! let text = r#"
//! now: 2026-03-10T15:00:00Z
//! borrower: {id: BO-AAAA-1111}
//! contacts:
//!   - {id: CT-AAAA-1111, contactType: phone, value: "+14155552671", affiliation: self}
//! request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111}
//! "#;
//! let (scenario, expect) = rulec_scenario::load_scenario(text).unwrap();
//! assert_eq!(scenario.request().contact, 0);
//! assert_eq!(scenario.request().start_at, scenario.now());
//! assert!(expect.is_none());
//!
//! let errors = rulec_scenario::load_scenario("borrower: {id: abc}\nrequest: {}\n").unwrap_err();
//! assert!(errors.to_string().contains("borrower.id: 'abc' is not a valid id"));
//! ```
//!
//! ## Changing a loaded scenario
//!
//! A [`Scenario`] resolves every reference to a position in its lists and indexes its history
//! when it is loaded, so its fields are read through methods and cannot be changed one by one
//! (adding a loan or dropping a contact behind the index's back would make a decision fail).
//! What no index depends on has a setter: [`Scenario::set_now`],
//! [`Scenario::set_request_start`], [`Scenario::set_policy`], [`Scenario::set_name`]. For
//! anything else, take the scenario apart with [`Scenario::into_parts`], change the
//! [`ScenarioParts`] (plain data with public fields) and put it together with
//! [`Scenario::from_parts`], which checks the parts as the loader checks a file and builds the
//! index again, or returns every problem as [`InputErrors`]:
//!
//! ```
//! use rulec_scenario::{Loan, Scenario};
//! let text = r#"
//! now: 2026-03-10T15:00:00Z
//! borrower: {id: BO-AAAA-1111}
//! contacts:
//!   - {id: CT-AAAA-1111, contactType: phone, value: "+14155552671", affiliation: self}
//! request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111}
//! "#;
//! let (mut scenario, _) = rulec_scenario::load_scenario(text).unwrap();
//! scenario.set_now("2026-03-11T15:00:00Z".parse().unwrap());
//!
//! // Add a loan and make the request about it: a new scenario, its history indexed again.
//! let mut parts = scenario.clone().into_parts();
//! parts.loans.push(Loan {
//!     id: "LN-AAAA-1111".into(), external_id: None, status: None, loan_type: None,
//!     debt_type: rulec_model::DebtType::Consumer, time_barred: false, days_past_due: 30,
//! });
//! parts.request.loans = vec![0];
//! let with_loan = Scenario::from_parts(parts).unwrap();
//! assert_eq!(with_loan.request_loans().next().unwrap().id, "LN-AAAA-1111");
//!
//! // Drop the contact the request is addressed to: refused, not a panic later.
//! let mut parts = scenario.into_parts();
//! parts.contacts.clear();
//! let errors = Scenario::from_parts(parts).unwrap_err();
//! assert_eq!(errors.to_string(), "request.contactId: index 0 is out of range: contacts[] has 0");
//! ```
//!
//! Decisions the specification leaves open:
//! - `null` counts as absent everywhere (so `expiresAt: null` is "until removed"), except in
//!   `expect.nextAllowedAt`, where `null` asserts that the decision's `nextAllowedAt` is null.
//! - Date-times are RFC 3339 with an offset. `request.startAt` and `interactions[].startAt` may
//!   also be a bare date (`2026-03-10`), meaning 00:00 UTC that day; other date-times may not.
//! - Ids may be written as whole numbers (`id: 12345`) and are read as their digits.
//! - `daysPastDue` may not be negative; `closedAt`, `endAt`, `expiresAt` and a consent's
//!   `updatedAt` may not be before `createdAt`, `startAt`, `startsAt` and its `createdAt`.
//! - `previousInteractionId` (of an interaction, or of the request) names an interaction of
//!   `interactions[]` by `id`; an interaction may not name itself.
//! - A subject without a theme takes [`rulec_model::Subject::implied_theme`], in the request and
//!   in past interactions alike.
//! - `request.contactDetails` matching: see [`Request::contact_matched`] and the rules on
//!   `same_contact` (phones on digits, a leading US `1` ignored; e-mails ignoring case).
//! - Loan references name a loan's `id` or, failing that, its `externalId`; a loan's
//!   `externalId` that equals another loan's `id` is an error (references would be ambiguous).
//! - `description` is accepted at suite and case level (not in a single scenario, whose fields
//!   are exactly those of the specification).
//! - Resources are bounded by [`Limits`] (input size, default 128 MiB, checked before the text
//!   is read by [`read_input`] and before it is parsed; nesting, 128 levels; values in the
//!   tree, 10 million, aliases expanded): see [`yaml`]. A suite whose `defaults` would be
//!   copied into its cases beyond the value limit is refused too. The `_with` functions take
//!   limits; the others use the defaults.
//! - Suites: `suite` (the name) is required, `cases` must not be empty, case names must be
//!   unique. `defaults` is validated once as far as it can be without a case (its errors are
//!   the suite's, paths `defaults.…`); errors a case gets from a default value (a dangling
//!   reference, say) end with ` (from defaults)`.

mod error;
mod history;
mod locate;
mod parts;
mod read;
mod scenario;
mod suite;
mod types;
pub mod typed;
pub mod yaml;

pub use error::{InputError, InputErrors};
pub use locate::{locate, Location, MAX_LOCATED};
pub use yaml::Limits;
pub use suite::merge as merge_defaults;
pub use history::History;
pub use read::is_any_id;
pub use types::{
    Address, Borrower, Case, Company, Consent, Contact, Document, DoNotInteract, Expect, Interaction, Loan,
    Request, Scenario, ScenarioParts, Suite, SuiteCase,
};

use read::{Ctx, Fields};
use yaml::Value;

/// Loads a scenario or a suite: a file with a top-level `request` is a scenario, one with a
/// top-level `cases` (and no `request`) or a top-level `suite` a suite. A scenario may have
/// `cases` of its own: the borrower's cases (bankruptcy, …). Errors of a suite's individual cases are inside
/// [`SuiteCase::result`]; the `Err` here is for problems of the file or of the suite as a whole
/// (it then lists the cases' errors too).
pub fn load_document(text: &str) -> Result<Document, InputErrors> {
    load_document_with(text, &Limits::default())
}

/// [`load_document`] within `limits`.
pub fn load_document_with(text: &str, limits: &Limits) -> Result<Document, InputErrors> {
    match typed::read(text, limits) {
        Some((scenario, expect)) => Ok(Document::Scenario { scenario, expect }),
        None => load_document_general(text, limits),
    }
}

/// [`load_document_with`] without the typed read: the general loader alone, the road every
/// text that the typed read declines takes. For benchmarks and tests that compare the two.
#[doc(hidden)]
pub fn load_document_general(text: &str, limits: &Limits) -> Result<Document, InputErrors> {
    let root = yaml::parse_with(text, limits)?;
    match kind(&root)? {
        Kind::Scenario => {
            let (scenario, expect) = scenario_from(&root)?;
            Ok(Document::Scenario { scenario, expect })
        }
        Kind::Suite => suite::read_suite(&root, limits).map(Document::Suite),
    }
}

/// Loads a single scenario (a file with a top-level `request`) and its optional `expect`.
pub fn load_scenario(text: &str) -> Result<(Scenario, Option<Expect>), InputErrors> {
    load_scenario_with(text, &Limits::default())
}

/// [`load_scenario`] within `limits`.
pub fn load_scenario_with(text: &str, limits: &Limits) -> Result<(Scenario, Option<Expect>), InputErrors> {
    if let Some(read) = typed::read(text, limits) {
        return Ok(read);
    }
    let root = yaml::parse_with(text, limits)?;
    match kind(&root)? {
        Kind::Scenario => scenario_from(&root),
        Kind::Suite => Err(InputErrors::one(
            "",
            "expected a single scenario (a top-level 'request'), found a suite (a top-level 'cases')",
        )),
    }
}

/// Reads the text of a scenario or suite from `reader` without holding more than
/// `limits.max_input_bytes` of it: `size` (a file's length, when known) is checked before
/// anything is read, and the reader is read through a bound of one byte past the limit, so a
/// stream without a known size is refused as soon as it passes the limit. The text must be
/// UTF-8. Errors have an empty path.
///
/// ```
/// use rulec_scenario::{read_input, Limits};
/// let limits = Limits { max_input_bytes: 8, ..Limits::default() };
/// assert_eq!(read_input(&b"now: 1"[..], None, &limits).unwrap(), "now: 1");
/// let error = read_input(&b"0123456789"[..], None, &limits).unwrap_err();
/// assert_eq!(error.to_string(), "the input is more than 8 bytes, over the limit of 8 bytes");
/// let error = read_input(std::io::empty(), Some(200_000_000), &Limits::default()).unwrap_err();
/// assert_eq!(error.to_string(), "the input is 200000000 bytes, over the limit of 134217728 bytes (128 MiB)");
/// ```
pub fn read_input(reader: impl std::io::Read, size: Option<u64>, limits: &Limits) -> Result<String, InputErrors> {
    use std::io::Read as _;
    let max = limits.max_input_bytes;
    if let Some(size) = size.filter(|&s| s > max as u64) {
        return Err(yaml::too_large(size, limits));
    }
    let capacity = size.map_or(0, |s| s as usize).min(max);
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputErrors::one("", format!("the input cannot be read: {e}")))?;
    if bytes.len() > max {
        return Err(InputErrors::one(
            "",
            format!("the input is more than {max} bytes, over the limit of {}", yaml::describe_bytes(max)),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..offset]);
        let line = text.matches('\n').count() + 1;
        InputErrors::one("", format!("not UTF-8 text (invalid byte at offset {offset}, line {line})"))
    })
}

enum Kind {
    Scenario,
    Suite,
}

fn kind(root: &Value) -> Result<Kind, InputErrors> {
    let Value::Map(entries) = root else {
        let found = match root {
            Value::Null => "an empty document",
            other => other.describe(),
        };
        return Err(InputErrors::one(
            "",
            format!("expected a scenario (an object with a top-level 'request') or a suite (an object with a top-level 'cases'), found {found}"),
        ));
    };
    // A scenario may have `cases` of its own (the borrower's legal cases), so `request` decides;
    // a top-level `suite` name marks a suite even when a stray `request` is there too.
    if root.get("suite").is_some() {
        return Ok(Kind::Suite);
    }
    if root.get("request").is_some() {
        return Ok(Kind::Scenario);
    }
    if root.get("cases").is_some() {
        return Ok(Kind::Suite);
    }
    let hint = entries
        .iter()
        .find_map(|(k, _)| rulec_model::suggest(k, &["request", "cases"]).map(|s| (k, s)))
        .map(|(k, s)| format!("; is '{k}' meant to be '{s}'?"))
        .unwrap_or_default();
    Err(InputErrors::one(
        "",
        format!("the file has neither a top-level 'request' (a scenario) nor 'cases' (a suite){hint}"),
    ))
}

fn scenario_from(root: &Value) -> Result<(Scenario, Option<Expect>), InputErrors> {
    let mut cx = Ctx::new(false);
    let read = Fields::open(&mut cx, "", root, scenario::SCENARIO_FIELDS)
        .and_then(|f| scenario::read_scenario(&mut cx, &f));
    match read {
        Some(ok) if cx.count() == 0 => Ok(ok),
        _ if cx.count() == 0 => Err(InputErrors::one("", "invalid scenario (internal: no error recorded)")),
        _ => Err(InputErrors(cx.into_errors())),
    }
}
