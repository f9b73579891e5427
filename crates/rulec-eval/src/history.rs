//! Windows over the history index that the scenario loader built ([`rulec_scenario::History`]):
//! found by binary search, so only the interactions inside a window are looked at.

use chrono::{DateTime, Utc};
use rulec_scenario::Scenario;

/// The part of a time-sorted partition that starts at or after `from` and not after `to`.
/// Interactions dated after the scenario's `now` (scheduled ones) are never counted, whatever
/// instant a release computation looks at: "if nothing else happens meanwhile".
pub fn window<'p>(partition: &'p [u32], scenario: &Scenario, from: Option<DateTime<Utc>>, inclusive: bool, to: DateTime<Utc>) -> &'p [u32] {
    let at = |i: &u32| scenario.interactions()[*i as usize].start_at;
    let start = match from {
        None => 0,
        Some(from) if inclusive => partition.partition_point(|i| at(i) < from),
        Some(from) => partition.partition_point(|i| at(i) <= from),
    };
    let to = to.min(scenario.now());
    let end = partition.partition_point(|i| at(i) <= to);
    &partition[start.min(end)..end]
}
