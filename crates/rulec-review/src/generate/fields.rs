//! Fields of the data model in a scenario: their current value (read from the validated
//! scenario, defaults applied) and how to set one (written into the scenario's JSON, so that
//! the result is again a scenario anyone can run).

use rulec_model::{Field, FieldType, Record, Vocabulary};
use rulec_scenario::Scenario;
use serde_json::Value as Json;

/// The record, name and type of a field.
pub fn describe(field: Field) -> Option<(Record, &'static str, FieldType)> {
    [Record::Request, Record::Contact, Record::Loan, Record::Borrower, Record::Interaction, Record::Case]
        .into_iter()
        .find_map(|record| rulec_model::fields(record).iter().find(|f| f.field == field).map(|f| (record, f.name, f.ty)))
}

/// Every value a field can take, as a bit mask (enums by vocabulary index; yes/no as bit 0 for
/// `false` and bit 1 for `true`); `None` for numbers and free text.
pub fn domain(field: Field) -> Option<u128> {
    match describe(field)?.2 {
        FieldType::Enum(kind) => Some(mask_of_len(kind.names().len())),
        FieldType::Bool => Some(0b11),
        FieldType::Int | FieldType::Text => None,
    }
}

fn mask_of_len(n: usize) -> u128 {
    if n >= 128 {
        u128::MAX
    } else {
        (1u128 << n) - 1
    }
}

/// The JSON spelling of value `index` of a field's domain.
pub fn json_value(field: Field, index: usize) -> Option<Json> {
    match describe(field)?.2 {
        FieldType::Enum(kind) => kind.names().get(index).map(|n| Json::String((*n).to_string())),
        FieldType::Bool => Some(Json::Bool(index == 1)),
        _ => None,
    }
}

/// The name of value `index`, for labels.
pub fn value_name(field: Field, index: usize) -> String {
    match json_value(field, index) {
        Some(Json::String(s)) => s,
        Some(other) => other.to_string(),
        None => index.to_string(),
    }
}

fn b(v: bool) -> Option<usize> {
    Some(usize::from(v))
}

/// The current value of a request-side field (the request, its contact, its first loan, the
/// borrower) as a domain index; `None` when absent or not an enum or yes/no.
pub fn current(s: &Scenario, field: Field) -> Option<usize> {
    let contact = s.request_contact();
    let loan = s.request().loans.first().or(if s.loans().is_empty() { None } else { Some(&0) }).map(|&i| &s.loans()[i]);
    match field {
        Field::RequestChannel => Some(s.request().channel.index()),
        Field::RequestTheme => s.request().theme.map(Vocabulary::index),
        Field::RequestSubject => s.request().subject.map(Vocabulary::index),
        Field::RequestIsAutodialed => b(s.request().is_autodialed),
        Field::ContactType => Some(contact.contact_type.index()),
        Field::ContactLabel => contact.label.map(Vocabulary::index),
        Field::ContactAffiliation => contact.affiliation.map(Vocabulary::index),
        Field::ContactStatus => contact.status.map(Vocabulary::index),
        Field::ContactValid => b(contact.valid),
        Field::ContactVerified => b(contact.verified),
        Field::ContactReceiveTextMessages => b(contact.receive_text_messages),
        Field::ContactAuthorizedThirdParty => b(contact.authorized_third_party),
        Field::ContactPowerOfAttorney => b(contact.power_of_attorney),
        Field::LoanStatus => loan.and_then(|l| l.status).map(Vocabulary::index),
        Field::LoanDebtType => loan.map(|l| l.debt_type.index()),
        Field::LoanTimeBarred => loan.and_then(|l| b(l.time_barred)),
        Field::BorrowerPersonType => Some(s.borrower().person_type.index()),
        _ => None,
    }
}

/// The value of a contact field on any contact, for choosing one.
pub fn contact_value(c: &rulec_scenario::Contact, field: Field) -> Option<usize> {
    match field {
        Field::ContactType => Some(c.contact_type.index()),
        Field::ContactLabel => c.label.map(Vocabulary::index),
        Field::ContactAffiliation => c.affiliation.map(Vocabulary::index),
        Field::ContactStatus => c.status.map(Vocabulary::index),
        Field::ContactValid => b(c.valid),
        Field::ContactVerified => b(c.verified),
        Field::ContactReceiveTextMessages => b(c.receive_text_messages),
        Field::ContactAuthorizedThirdParty => b(c.authorized_third_party),
        Field::ContactPowerOfAttorney => b(c.power_of_attorney),
        _ => None,
    }
}

/// An id as text, whether the JSON wrote it as text or as a number.
fn id_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The JSON object of the contact the request addresses.
pub fn request_contact_mut(json: &mut Json) -> Option<&mut Json> {
    let request = json.get("request")?;
    if request.get("contactDetails").is_some() {
        return json.get_mut("request")?.get_mut("contactDetails");
    }
    let (key, field) = if let Some(id) = request.get("contactId").and_then(id_text) {
        (id, "id")
    } else {
        (request.get("contactExternalId").and_then(id_text)?, "externalId")
    };
    json.get_mut("contacts")?.as_array_mut()?.iter_mut().find(|c| c.get(field).and_then(id_text).as_deref() == Some(key.as_str()))
}

/// The ids of the loans the request names (`loanId` and `loanIds`).
pub fn request_loan_ids(json: &Json) -> Vec<String> {
    let Some(request) = json.get("request") else { return Vec::new() };
    let mut ids: Vec<String> = request.get("loanId").and_then(id_text).into_iter().collect();
    if let Some(list) = request.get("loanIds").and_then(Json::as_array) {
        ids.extend(list.iter().filter_map(id_text));
    }
    ids
}

/// The JSON objects of the loans the request is about (all loans when it names none).
fn request_loans_mut(json: &mut Json) -> Vec<&mut Json> {
    let ids = request_loan_ids(json);
    let Some(loans) = json.get_mut("loans").and_then(Json::as_array_mut) else { return Vec::new() };
    loans
        .iter_mut()
        .filter(|l| {
            ids.is_empty()
                || ["id", "externalId"].iter().any(|k| l.get(*k).and_then(id_text).is_some_and(|v| ids.contains(&v)))
        })
        .collect()
}

/// Sets a request-side field to a JSON value: on the request, its contact, every loan it is
/// about, or the borrower. `false` when the scenario has no such record.
pub fn set(json: &mut Json, field: Field, value: Json) -> bool {
    let Some((record, name, _)) = describe(field) else { return false };
    let put = |object: &mut Json| match object.as_object_mut() {
        Some(map) => {
            map.insert(name.to_string(), value.clone());
            true
        }
        None => false,
    };
    match record {
        Record::Request => json.get_mut("request").is_some_and(put),
        Record::Contact => request_contact_mut(json).is_some_and(put),
        Record::Loan => {
            let loans = request_loans_mut(json);
            let any = !loans.is_empty();
            loans.into_iter().for_each(|l| {
                put(l);
            });
            any
        }
        Record::Borrower => {
            if json.get("borrower").is_none() {
                return false;
            }
            json.get_mut("borrower").is_some_and(put)
        }
        Record::Interaction | Record::Case => false,
    }
}

/// Points the request at another contact (by id), dropping other ways of naming one.
pub fn set_request_contact(json: &mut Json, id: &str) {
    if let Some(request) = json.get_mut("request").and_then(Json::as_object_mut) {
        request.remove("contactDetails");
        request.remove("contactExternalId");
        request.insert("contactId".into(), Json::String(id.to_string()));
    }
}
