//! Persons: which contacts belong to one person, for "to this person" counts (Regulation F
//! counts calls "to a particular person") and for replies to a person's own call.
//!
//! The borrower's own contacts (affiliation `self`) are one person. A third party's contacts are
//! one person per affiliation and name (names compared without case or repeated spaces). A
//! contact with no name, or no affiliation, is a person of its own: nothing shows it is anyone
//! else.

use super::Ctx;
use chrono::{DateTime, Utc};
use rulec_check::checked::Period;
use rulec_model::{Affiliation, Direction, Vocabulary};
use rulec_scenario::Contact;
use std::collections::HashMap;

/// Per contact, a person number: 0 for the borrower, then one per third party.
fn person_numbers(contacts: &[Contact]) -> Vec<u32> {
    let mut named: HashMap<(usize, String), u32> = HashMap::new();
    let mut next = contacts.len() as u32 + 1;
    contacts
        .iter()
        .enumerate()
        .map(|(i, contact)| {
            let name = contact.name.as_deref().map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase());
            match (contact.affiliation, name) {
                (Some(Affiliation::SelfParty), _) => 0,
                (Some(affiliation), Some(name)) if !name.is_empty() => *named.entry((affiliation.index(), name)).or_insert_with(|| {
                    next += 1;
                    next
                }),
                _ => i as u32 + 1,
            }
        })
        .collect()
}

impl Ctx<'_> {
    /// Whether two contacts (indices into the scenario's contacts) are the same person.
    pub(super) fn same_person(&self, a: usize, b: usize) -> bool {
        let persons = self.persons.get_or_init(|| person_numbers(self.s.contacts()));
        a == b || persons.get(a).is_some_and(|p| persons.get(b) == Some(p))
    }

    /// Whether an interaction (or the request) to contact `to` at instant `at`, naming
    /// `previous` as the interaction it follows, replies to that person's own inbound contact:
    /// the previous interaction is inbound, from the same person, not later, and (with
    /// `within`) less than that long before `at` in at least one candidate zone. Without a
    /// known contact on either side, nothing shows it is the same person.
    pub(super) fn replies(&self, previous: usize, to: Option<usize>, at: DateTime<Utc>, within: Option<Period>) -> bool {
        let Some(prev) = self.s.interactions().get(previous) else { return false };
        let same = matches!((prev.contact, to), (Some(a), Some(b)) if self.same_person(a, b));
        same && prev.direction == Direction::Inbound && prev.start_at <= at && within.is_none_or(|p| at < self.period_ends(prev.start_at, p).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rulec_model::ContactType;

    fn contact(affiliation: Option<Affiliation>, name: Option<&str>) -> Contact {
        Contact {
            id: None,
            external_id: None,
            contact_type: ContactType::Phone,
            label: None,
            affiliation,
            name: name.map(str::to_string),
            value: None,
            address: None,
            valid: true,
            verified: false,
            receive_text_messages: false,
            authorized_third_party: false,
            power_of_attorney: false,
            status: None,
        }
    }

    #[test]
    fn the_borrower_is_one_person_and_third_parties_one_per_affiliation_and_name() {
        let contacts = [
            contact(Some(Affiliation::SelfParty), None),
            contact(Some(Affiliation::SelfParty), Some("Ann Lee")),
            contact(Some(Affiliation::Spouse), Some("Bo  Lee")),
            contact(Some(Affiliation::Spouse), Some("bo lee")),
            contact(Some(Affiliation::Parent), Some("Bo Lee")),
            contact(Some(Affiliation::Spouse), None),
            contact(Some(Affiliation::Spouse), None),
            contact(None, Some("Bo Lee")),
        ];
        let p = person_numbers(&contacts);
        assert_eq!(p[0], p[1], "the borrower's contacts are one person");
        assert_eq!(p[2], p[3], "the same spouse by name, whatever the case and spacing");
        assert_ne!(p[2], p[4], "another affiliation is another person");
        assert_ne!(p[5], p[6], "unnamed third-party contacts are persons of their own");
        assert_ne!(p[7], p[2], "a contact without an affiliation is a person of its own");
        assert_ne!(p[0], p[2]);
    }
}
