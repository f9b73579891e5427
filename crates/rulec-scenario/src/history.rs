//! The history index, built once when a scenario is loaded: interactions sorted by start time
//! and partitioned by what rules count over (the borrower, each contact, each loan). A rule's
//! window is then found by binary search and only the interactions inside it are looked at,
//! so a decision costs the same for a borrower with 20 past interactions as with 20,000.
//!
//! Every interaction is listed once per partition it belongs to, so the index is linear in the
//! input: the interactions that name no loan are kept in one list of their own
//! ([`History::without_loan`]), not copied into every loan's.

use crate::types::Interaction;

/// Interaction indices (into [`crate::Scenario::interactions`]), each list sorted by start
/// time, ties broken by id so that input order never changes a result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// Every interaction.
    pub all: Vec<u32>,
    /// Per contact, the interactions with that contact.
    pub by_contact: Vec<Vec<u32>>,
    /// Per loan, the interactions that name it.
    pub by_loan: Vec<Vec<u32>>,
    /// The interactions that name no loan. Each is taken to be about every loan (the
    /// conservative reading for per-debt limits): a per-loan count adds these to the loan's
    /// own.
    pub without_loan: Vec<u32>,
}

impl History {
    /// Indexes interactions (`contact` and `loans` of each are indices below `contacts` and
    /// `loans`). The loader builds it once per scenario; public so that a benchmark can charge
    /// it to the decision (benches/peers).
    pub fn new(interactions: &[Interaction], contacts: usize, loans: usize) -> History {
        let mut all: Vec<u32> = (0..interactions.len() as u32).collect();
        // Ids are unique (the loader and `from_parts` refuse repeats), so no two keys are
        // equal and the unstable sort, which needs no buffer, gives the one order.
        all.sort_unstable_by(|&a, &b| {
            let (ia, ib) = (&interactions[a as usize], &interactions[b as usize]);
            ia.start_at.cmp(&ib.start_at).then_with(|| ia.id.cmp(&ib.id))
        });
        // Each list sized first, so that none grows by copies.
        let (mut contact_sizes, mut loan_sizes, mut unnamed) = (vec![0usize; contacts], vec![0usize; loans], 0);
        for interaction in interactions {
            if let Some(c) = interaction.contact {
                contact_sizes[c] += 1;
            }
            unnamed += usize::from(interaction.loans.is_empty());
            for &l in &interaction.loans {
                loan_sizes[l] += 1;
            }
        }
        let mut by_contact: Vec<Vec<u32>> = contact_sizes.into_iter().map(Vec::with_capacity).collect();
        let mut by_loan: Vec<Vec<u32>> = loan_sizes.into_iter().map(Vec::with_capacity).collect();
        let mut without_loan = Vec::with_capacity(unnamed);
        for &i in &all {
            let interaction = &interactions[i as usize];
            if let Some(c) = interaction.contact {
                by_contact[c].push(i);
            }
            if interaction.loans.is_empty() {
                without_loan.push(i);
            }
            for &l in &interaction.loans {
                // A loan named twice (the loader keeps it once) is still listed once.
                if by_loan[l].last() != Some(&i) {
                    by_loan[l].push(i);
                }
            }
        }
        History { all, by_contact, by_loan, without_loan }
    }
}
