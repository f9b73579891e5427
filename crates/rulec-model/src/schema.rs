//! Which fields each record of the data model has, and their types: what the rule checker
//! resolves `contact.label` or `loan.daysPastDue` against.

use crate::EnumKind;

/// The type of a field, as the checker sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    Bool,
    Int,
    Text,
    Enum(EnumKind),
}

impl FieldType {
    /// The noun used in messages: "a channel", "a yes/no value".
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::Bool => "a yes/no value",
            FieldType::Int => "a whole number",
            FieldType::Text => "a text",
            FieldType::Enum(kind) => kind.describe(),
        }
    }
}

/// The records a rule can look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Record {
    /// The proposed interaction (`request`).
    Request,
    /// The contacted contact (`request.contactId` resolved), or the contact of a past interaction.
    Contact,
    /// A loan the request is about.
    Loan,
    /// The borrower.
    Borrower,
    /// A past interaction (inside a history filter).
    Interaction,
    /// A case (inside a case filter).
    Case,
}

impl Record {
    /// The prefix a rule writes before the field (`contact.label`); the request's own fields
    /// and those of the filtered record are written bare.
    pub fn prefix(self) -> &'static str {
        match self {
            Record::Request => "request",
            Record::Contact => "contact",
            Record::Loan => "loan",
            Record::Borrower => "borrower",
            Record::Interaction => "interaction",
            Record::Case => "case",
        }
    }
}

/// Every field a rule can name, one variant per (record, field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    RequestChannel,
    RequestTheme,
    RequestSubject,
    RequestIsAutodialed,
    ContactType,
    ContactLabel,
    ContactAffiliation,
    ContactStatus,
    ContactValid,
    ContactVerified,
    ContactReceiveTextMessages,
    ContactAuthorizedThirdParty,
    ContactPowerOfAttorney,
    LoanStatus,
    LoanDebtType,
    LoanTimeBarred,
    LoanDaysPastDue,
    LoanType,
    BorrowerPersonType,
    BorrowerAge,
    InteractionChannel,
    InteractionDirection,
    InteractionTheme,
    InteractionSubject,
    InteractionStatus,
    InteractionIsAutodialed,
    CaseType,
    CaseStatus,
    CaseOutcome,
}

/// One field of one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordField {
    pub record: Record,
    pub name: &'static str,
    pub ty: FieldType,
    pub field: Field,
}

const fn f(record: Record, name: &'static str, ty: FieldType, field: Field) -> RecordField {
    RecordField { record, name, ty, field }
}

use EnumKind as K;
use FieldType::{Bool, Enum, Int, Text};

static REQUEST: &[RecordField] = &[
    f(Record::Request, "channel", Enum(K::Channel), Field::RequestChannel),
    f(Record::Request, "theme", Enum(K::Theme), Field::RequestTheme),
    f(Record::Request, "subject", Enum(K::Subject), Field::RequestSubject),
    f(Record::Request, "isAutodialed", Bool, Field::RequestIsAutodialed),
];

static CONTACT: &[RecordField] = &[
    f(Record::Contact, "contactType", Enum(K::ContactType), Field::ContactType),
    f(Record::Contact, "label", Enum(K::ContactLabel), Field::ContactLabel),
    f(Record::Contact, "affiliation", Enum(K::Affiliation), Field::ContactAffiliation),
    f(Record::Contact, "status", Enum(K::ContactStatus), Field::ContactStatus),
    f(Record::Contact, "valid", Bool, Field::ContactValid),
    f(Record::Contact, "verified", Bool, Field::ContactVerified),
    f(Record::Contact, "receiveTextMessages", Bool, Field::ContactReceiveTextMessages),
    f(Record::Contact, "authorizedThirdParty", Bool, Field::ContactAuthorizedThirdParty),
    f(Record::Contact, "powerOfAttorney", Bool, Field::ContactPowerOfAttorney),
];

static LOAN: &[RecordField] = &[
    f(Record::Loan, "status", Enum(K::LoanStatus), Field::LoanStatus),
    f(Record::Loan, "debtType", Enum(K::DebtType), Field::LoanDebtType),
    f(Record::Loan, "timeBarred", Bool, Field::LoanTimeBarred),
    f(Record::Loan, "daysPastDue", Int, Field::LoanDaysPastDue),
    f(Record::Loan, "loanType", Text, Field::LoanType),
];

static BORROWER: &[RecordField] =
    &[f(Record::Borrower, "personType", Enum(K::PersonType), Field::BorrowerPersonType), f(Record::Borrower, "age", Int, Field::BorrowerAge)];

static INTERACTION: &[RecordField] = &[
    f(Record::Interaction, "channel", Enum(K::Channel), Field::InteractionChannel),
    f(Record::Interaction, "direction", Enum(K::Direction), Field::InteractionDirection),
    f(Record::Interaction, "theme", Enum(K::Theme), Field::InteractionTheme),
    f(Record::Interaction, "subject", Enum(K::Subject), Field::InteractionSubject),
    f(Record::Interaction, "status", Enum(K::InteractionStatus), Field::InteractionStatus),
    f(Record::Interaction, "isAutodialed", Bool, Field::InteractionIsAutodialed),
];

static CASE: &[RecordField] = &[
    f(Record::Case, "caseType", Enum(K::CaseType), Field::CaseType),
    f(Record::Case, "status", Enum(K::CaseStatus), Field::CaseStatus),
    f(Record::Case, "outcome", Enum(K::CaseOutcome), Field::CaseOutcome),
];

/// The fields of a record.
pub fn fields(record: Record) -> &'static [RecordField] {
    match record {
        Record::Request => REQUEST,
        Record::Contact => CONTACT,
        Record::Loan => LOAN,
        Record::Borrower => BORROWER,
        Record::Interaction => INTERACTION,
        Record::Case => CASE,
    }
}

impl Field {
    /// How a rule writes the field: `channel`, `contact.label`, `loan.daysPastDue` (fields of
    /// the request, of a past interaction and of a case are written bare).
    pub fn path(self) -> String {
        for record in [Record::Request, Record::Contact, Record::Loan, Record::Borrower, Record::Interaction, Record::Case] {
            if let Some(f) = fields(record).iter().find(|f| f.field == self) {
                return match record {
                    Record::Contact | Record::Loan | Record::Borrower => format!("{}.{}", record.prefix(), f.name),
                    _ => f.name.to_string(),
                };
            }
        }
        format!("{self:?}")
    }
}

/// Looks a field of a record up by name.
pub fn field(record: Record, name: &str) -> Option<&'static RecordField> {
    fields(record).iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lookup() {
        assert_eq!(field(Record::Contact, "label").unwrap().ty, Enum(EnumKind::ContactLabel));
        assert!(field(Record::Contact, "affilation").is_none());
        assert_eq!(field(Record::Loan, "daysPastDue").unwrap().ty, Int);
    }
}
