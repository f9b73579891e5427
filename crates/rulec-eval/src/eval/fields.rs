//! Field tests outside history and case filters: the request's, its contact's, its loans' and
//! the borrower's fields. The one-value enum fields are turned into bits once per decision.

use super::conditions::compare;
use super::Ctx;
use rulec_check::checked::{FieldTest, ValueTest};
use rulec_model::{Field, Vocabulary};

impl Ctx<'_> {
    /// A field test outside history and case filters: a bit test for the fields with one
    /// value per decision ([`RequestBits`]), else [`Ctx::request_field`].
    #[inline]
    pub(super) fn field_holds(&self, test: &FieldTest) -> bool {
        match (&test.test, self.request_bits.get(test.field)) {
            (ValueTest::InSet(mask), Some(bit)) => mask & bit != 0,
            _ => self.request_field(test),
        }
    }

    #[inline(never)]
    fn request_field(&self, test: &FieldTest) -> bool {
        let (contact, request) = (self.s.request_contact(), self.s.request());
        let value = |index: Option<usize>| in_set(&test.test, index);
        match test.field {
            Field::RequestChannel => value(Some(request.channel.index())),
            Field::RequestTheme => value(request.theme.map(Vocabulary::index)),
            Field::RequestSubject => value(request.subject.map(Vocabulary::index)),
            Field::RequestIsAutodialed => is_bool(&test.test, request.is_autodialed),
            Field::BorrowerPersonType => value(Some(self.s.borrower().person_type.index())),
            Field::BorrowerAge => match (&test.test, self.borrower_age()) {
                (ValueTest::Int(op, limit), Some(age)) => compare(age, *op, *limit),
                // An unknown age satisfies no comparison: `borrower.age < 18` is false for a
                // borrower whose date of birth is not on file.
                _ => false,
            },
            Field::LoanStatus | Field::LoanDebtType | Field::LoanTimeBarred | Field::LoanDaysPastDue | Field::LoanType => {
                self.loans.iter().any(|&l| loan_field(test, &self.s.loans()[l]))
            }
            _ => contact_field(test, contact),
        }
    }
}

/// The request's enum fields that have one value per decision (its channel, theme and
/// subject, its contact's type, label, affiliation and status, the borrower's person type),
/// each as the bit its value has in a set test (`InSet`): most rules' scope tests these.
pub(super) struct RequestBits {
    /// By `Field as usize`; 0 for an absent value (in no set).
    bits: [u128; 32],
}

const SINGLE_VALUED: [Field; 8] = [
    Field::RequestChannel,
    Field::RequestTheme,
    Field::RequestSubject,
    Field::ContactType,
    Field::ContactLabel,
    Field::ContactAffiliation,
    Field::ContactStatus,
    Field::BorrowerPersonType,
];

/// Which fields [`RequestBits`] holds, one bit per `Field as usize`.
const SINGLE_VALUED_MASK: u32 = {
    let mut mask = 0;
    let mut i = 0;
    while i < SINGLE_VALUED.len() {
        mask |= 1 << SINGLE_VALUED[i] as u32;
        i += 1;
    }
    mask
};

impl RequestBits {
    pub(super) fn of(s: &rulec_scenario::Scenario) -> RequestBits {
        let (request, contact) = (s.request(), s.request_contact());
        let mut bits = [0u128; 32];
        let mut set = |field: Field, index: Option<usize>| bits[field as usize] = index.map_or(0, |i| 1u128 << i);
        set(Field::RequestChannel, Some(request.channel.index()));
        set(Field::RequestTheme, request.theme.map(Vocabulary::index));
        set(Field::RequestSubject, request.subject.map(Vocabulary::index));
        set(Field::ContactType, Some(contact.contact_type.index()));
        set(Field::ContactLabel, contact.label.map(Vocabulary::index));
        set(Field::ContactAffiliation, contact.affiliation.map(Vocabulary::index));
        set(Field::ContactStatus, contact.status.map(Vocabulary::index));
        set(Field::BorrowerPersonType, Some(s.borrower().person_type.index()));
        RequestBits { bits }
    }

    /// The bit of `field`'s value, if `field` is one of those held.
    #[inline]
    fn get(&self, field: Field) -> Option<u128> {
        (SINGLE_VALUED_MASK >> field as u32 & 1 == 1).then(|| self.bits[field as usize])
    }
}

pub(super) fn in_set(test: &ValueTest, index: Option<usize>) -> bool {
    matches!((test, index), (ValueTest::InSet(mask), Some(i)) if mask & (1u128 << i) != 0)
}

/// Whether a boolean field's value is the one tested.
pub(super) fn is_bool(test: &ValueTest, value: bool) -> bool {
    matches!(test, ValueTest::Bool(expected) if *expected == value)
}

pub(super) fn contact_field(test: &FieldTest, contact: &rulec_scenario::Contact) -> bool {
    let value = |index: Option<usize>| in_set(&test.test, index);
    let boolean = |b: bool| is_bool(&test.test, b);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario whose request leaves out or gives the optional fields (`theme` or `subject`,
    /// the contact's `label` and `status`), to test both kinds of value.
    fn scenario(request_extra: &str, contact_extra: &str) -> rulec_scenario::Scenario {
        let text = format!(
            "now: 2026-03-10T15:00:00Z\ncompany: {{role: collector}}\nborrower: {{id: BO-AAAA-1111, personType: business}}\n\
             contacts:\n  - {{id: CT-CELL-0001, contactType: phone, affiliation: spouse, value: \"+16175550100\"{contact_extra}}}\n\
             loans: [{{id: LN-AAAA-0001}}]\nrequest: {{channel: text, contactId: CT-CELL-0001{request_extra}}}\n"
        );
        rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}")).0
    }

    #[test]
    fn request_bits_answer_every_set_test_as_the_fields_do() {
        let scenarios = [
            scenario(", subject: statement", ""),
            scenario(", theme: opsCollDebt", ", label: work, status: archived"),
        ];
        // Every one-value set of each field, the empty set and the set of everything.
        let masks: Vec<u128> = (0..128).map(|i| 1u128 << i).chain([0, u128::MAX]).collect();
        for s in &scenarios {
            let cx = super::super::context(s);
            for field in SINGLE_VALUED {
                for &mask in &masks {
                    let test = FieldTest { field, test: ValueTest::InSet(mask) };
                    assert_eq!(cx.field_holds(&test), cx.request_field(&test), "{field:?} {mask:#x}");
                }
            }
        }
    }
}
