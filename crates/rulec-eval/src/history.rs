//! The history index: built once per scenario, interactions sorted by time and partitioned by
//! what rules count over (the borrower, each contact, each loan), so that a window is found by
//! binary search and only the interactions inside it are looked at.

use chrono::{DateTime, Utc};
use rulec_scenario::Scenario;

pub struct HistoryIndex {
    /// Indices of interactions that started at or before `now`, by start time.
    pub all: Vec<u32>,
    /// Per contact, the same, restricted to that contact.
    pub by_contact: Vec<Vec<u32>>,
    /// Per loan, the interactions about it. An interaction that names no loan is taken to be
    /// about every loan (the conservative reading for per-debt limits).
    pub by_loan: Vec<Vec<u32>>,
}

impl HistoryIndex {
    pub fn new(scenario: &Scenario) -> HistoryIndex {
        let mut all: Vec<u32> = (0..scenario.interactions.len() as u32)
            .filter(|&i| scenario.interactions[i as usize].start_at <= scenario.now)
            .collect();
        // Ties broken by id so that input order never changes the result.
        all.sort_by(|&a, &b| {
            let (ia, ib) = (&scenario.interactions[a as usize], &scenario.interactions[b as usize]);
            ia.start_at.cmp(&ib.start_at).then_with(|| ia.id.cmp(&ib.id))
        });
        let mut by_contact = vec![Vec::new(); scenario.contacts.len()];
        let mut by_loan = vec![Vec::new(); scenario.loans.len()];
        for &i in &all {
            let interaction = &scenario.interactions[i as usize];
            if let Some(c) = interaction.contact {
                by_contact[c].push(i);
            }
            if interaction.loans.is_empty() {
                by_loan.iter_mut().for_each(|l| l.push(i));
            } else {
                for &l in &interaction.loans {
                    by_loan[l].push(i);
                }
            }
        }
        HistoryIndex { all, by_contact, by_loan }
    }
}

/// The part of a time-sorted partition that starts at or after `from` (and not after `to`).
pub fn window<'p>(partition: &'p [u32], scenario: &Scenario, from: Option<DateTime<Utc>>, inclusive: bool, to: DateTime<Utc>) -> &'p [u32] {
    let at = |i: &u32| scenario.interactions[*i as usize].start_at;
    let start = match from {
        None => 0,
        Some(from) if inclusive => partition.partition_point(|i| at(i) < from),
        Some(from) => partition.partition_point(|i| at(i) <= from),
    };
    let end = partition.partition_point(|i| at(i) <= to);
    &partition[start.min(end)..end]
}
