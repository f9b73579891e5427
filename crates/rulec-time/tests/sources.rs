//! The committed zone tables held against a committed snapshot of their sources
//! (`tests/sources/*.tsv`, written by `gen/generate.py` with the tables; see docs/zones.md).
//!
//! Offline and fast. It fails when a ZIP code's source zone or an area code's source zone is
//! missing from what rulec gives, when an area code of the source is missing, when rulec gives
//! a zone that no source, boundary or reviewed override explains, or when the ZIP codes or area
//! codes given an extra zone pass their budgets. Source errors are allowed only through
//! `gen/source_errors.tsv`, each with its reason.
//!
//! Zones are compared by clock: two zones are the same clock when their UTC offsets agree at
//! every instant from 2020 to 2038 (America/Indiana/Vincennes and America/Indiana/Indianapolis
//! are one clock), which is how the tables write them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use rulec_time::{zone_for_postal_code, zones_for_phone, zones_for_state, Tz, NO_LOCATION_ZONES};

const ZIP_SNAPSHOT: &str = include_str!("sources/zip_zones.tsv");
const AREA_SNAPSHOT: &str = include_str!("sources/area_codes.tsv");
const SOURCE_ERRORS: &str = include_str!("../gen/source_errors.tsv");
const OVERRIDES: &str = include_str!("../gen/overrides.tsv");
const OVERLAYS: &str = include_str!("../gen/overlays.tsv");

/// ZIP codes whose zones in rulec include a clock that no source gives at the ZIP code's own
/// point (each must be explained by a zone line within the buffer or by an override).
const ZIP_EXTRA_BUDGET: usize = 150;
/// Area codes whose zones include a clock libphonenumber does not give them (each must be
/// explained by an overlay partner or an override).
const AREA_EXTRA_BUDGET: usize = 10;

/// Data lines of a tab-separated file: comments and blank lines dropped.
fn lines(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn zone(name: &str) -> Tz {
    name.parse()
        .unwrap_or_else(|_| panic!("{name:?} is not a zone chrono-tz knows"))
}

fn zone_list(field: &str) -> Vec<Tz> {
    if field == "-" {
        Vec::new()
    } else {
        field.split(',').map(zone).collect()
    }
}

/// A zone's UTC offsets (seconds) from 2020 to 2038: daily at 00:00 UTC, hourly on the days
/// the offset changes (every US zone changes on the hour).
fn clock_of(tz: Tz) -> Vec<i32> {
    let offset = |t: DateTime<Utc>| {
        tz.offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc()
    };
    let (mut t, end) = (
        Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2038, 1, 1, 0, 0, 0).unwrap(),
    );
    let mut samples = Vec::new();
    while t < end {
        let (today, tomorrow) = (offset(t), offset(t + Duration::days(1)));
        samples.push(today);
        if today != tomorrow {
            samples.extend((1..24).map(|h| offset(t + Duration::hours(h))));
        }
        t += Duration::days(1);
    }
    samples
}

/// Clocks, memoised; a clock is named by its smallest zone name, for messages.
#[derive(Default)]
struct Clocks {
    of: HashMap<Tz, usize>,
    samples: Vec<Vec<i32>>,
}

impl Clocks {
    fn id(&mut self, tz: Tz) -> usize {
        if let Some(id) = self.of.get(&tz) {
            return *id;
        }
        let samples = clock_of(tz);
        let id = match self.samples.iter().position(|s| *s == samples) {
            Some(id) => id,
            None => {
                self.samples.push(samples);
                self.samples.len() - 1
            }
        };
        self.of.insert(tz, id);
        id
    }

    fn set(&mut self, zones: &[Tz]) -> BTreeSet<usize> {
        zones.iter().map(|z| self.id(*z)).collect()
    }
}

/// (kind, key, zone) of gen/source_errors.tsv.
fn source_errors() -> Vec<(&'static str, &'static str, &'static str)> {
    lines(SOURCE_ERRORS)
        .map(|cols| {
            assert!(
                cols.len() == 4 && !cols[3].is_empty(),
                "source_errors.tsv: every line needs kind, key, zone and a reason: {cols:?}"
            );
            (cols[0], cols[1], cols[2])
        })
        .collect()
}

/// (state, ZIP codes, area codes, zone) of gen/overrides.tsv.
fn overrides() -> Vec<(&'static str, Vec<&'static str>, Vec<&'static str>, Tz)> {
    lines(OVERRIDES)
        .map(|cols| {
            assert!(
                cols.len() == 7 && !cols[5].is_empty() && !cols[6].is_empty(),
                "overrides.tsv: every line needs place, state, ZIPs, area codes, zone, source, reason: {cols:?}"
            );
            let list = |f: &'static str| if f == "-" { Vec::new() } else { f.split(' ').collect() };
            (cols[1], list(cols[2]), list(cols[3]), zone(cols[4]))
        })
        .collect()
}

/// What rulec's location code does with an address: the ZIP code's one zone, or the state's.
fn zones_of_address(state: &str, zip: &str) -> Vec<Tz> {
    match zone_for_postal_code(state, zip) {
        Some(zone) => vec![zone],
        None => zones_for_state(state)
            .unwrap_or_else(|| panic!("{state} has no zones"))
            .to_vec(),
    }
}

struct ZipRow {
    state: &'static str,
    zip: &'static str,
    truth: Vec<Tz>,
    near: Vec<Tz>,
}

fn zip_rows() -> Vec<ZipRow> {
    let errors = source_errors();
    let mut rows = Vec::new();
    for cols in lines(ZIP_SNAPSHOT).filter(|c| c[0] == "zips") {
        let [_, state, truth, near, zips] = cols.as_slice() else {
            panic!("zip_zones.tsv: bad line {cols:?}")
        };
        for zip in zips.split(' ') {
            let truth = truth
                .split(',')
                .filter(|name| !errors.contains(&("zip", zip, *name)))
                .map(zone)
                .collect();
            rows.push(ZipRow {
                state,
                zip,
                truth,
                near: zone_list(near),
            });
        }
    }
    rows
}

#[test]
fn every_zip_code_gets_every_zone_its_sources_give_and_extras_stay_explained_and_in_budget() {
    let mut clocks = Clocks::default();
    let overrides = overrides();
    let rows = zip_rows();
    assert!(
        rows.len() > 10_000,
        "the snapshot lost its ZIP codes: {}",
        rows.len()
    );
    let (mut missing, mut unexplained, mut extra) = (Vec::new(), Vec::new(), BTreeMap::new());
    for row in &rows {
        let given = clocks.set(&zones_of_address(row.state, row.zip));
        let truth = clocks.set(&row.truth);
        for z in &row.truth {
            if !given.contains(&clocks.id(*z)) {
                missing.push(format!("{} {} lacks {z}", row.state, row.zip));
            }
        }
        let mut explained = clocks.set(&row.near);
        for (state, zips, _, zone) in &overrides {
            if *state == row.state && zips.contains(&row.zip) {
                explained.insert(clocks.id(*zone));
            }
        }
        let beyond: Vec<usize> = given.difference(&truth).copied().collect();
        if !beyond.is_empty() {
            *extra.entry(row.state).or_insert(0usize) += 1;
            if beyond.iter().any(|c| !explained.contains(c)) {
                unexplained.push(format!("{} {}", row.state, row.zip));
            }
        }
    }
    let extra_total: usize = extra.values().sum();
    eprintln!(
        "ZIP codes checked: {}; missing a source zone: {}; with an extra zone: {} {:?} (budget {})",
        rows.len(),
        missing.len(),
        extra_total,
        extra,
        ZIP_EXTRA_BUDGET
    );
    assert!(
        missing.is_empty(),
        "ZIP codes missing a zone their sources give:\n{}",
        missing.join("\n")
    );
    assert!(
        unexplained.is_empty(),
        "ZIP codes given a zone no source, boundary or override explains:\n{}",
        unexplained.join("\n")
    );
    assert!(
        extra_total <= ZIP_EXTRA_BUDGET,
        "{extra_total} ZIP codes with an extra zone, budget {ZIP_EXTRA_BUDGET}"
    );
}

#[test]
fn single_zone_states_have_exactly_their_sources_zone() {
    let mut clocks = Clocks::default();
    let mut seen = 0;
    for cols in lines(ZIP_SNAPSHOT).filter(|c| c[0] == "state") {
        let [_, state, truth, _count] = cols.as_slice() else {
            panic!("zip_zones.tsv: bad line {cols:?}")
        };
        let truth = clocks.set(&zone_list(truth));
        let given = clocks.set(zones_for_state(state).expect("state"));
        assert_eq!(
            given, truth,
            "{state}: rulec's zones are not its ZIP codes' one zone"
        );
        seen += 1;
    }
    assert!(seen >= 30, "the snapshot lost its single-zone states");
}

#[test]
fn a_multi_zone_states_zones_all_come_from_its_zip_codes_or_area_codes() {
    let mut clocks = Clocks::default();
    let mut supported: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for row in zip_rows() {
        let set = supported.entry(row.state).or_default();
        for z in row.truth.iter().chain(&row.near) {
            set.insert(clocks.id(*z));
        }
    }
    for (state, zips, _, zone) in overrides() {
        if !zips.is_empty() {
            supported.entry(state).or_default().insert(clocks.id(zone));
        }
    }
    for cols in lines(AREA_SNAPSHOT) {
        for z in zone_list(cols[2]) {
            let id = clocks.id(z);
            supported.entry(cols[1]).or_default().insert(id);
        }
    }
    for (state, set) in &supported {
        let given = clocks.set(zones_for_state(state).expect("state"));
        let beyond: Vec<_> = given.difference(set).collect();
        assert!(
            beyond.is_empty(),
            "{state}: a zone no ZIP code or area code supports"
        );
    }
}

#[test]
fn overrides_are_applied() {
    let mut clocks = Clocks::default();
    for (state, zips, codes, zone) in overrides() {
        let want = clocks.id(zone);
        for zip in zips {
            let given = clocks.set(&zones_of_address(state, zip));
            assert!(
                given.contains(&want),
                "{state} {zip} lacks its override {zone}"
            );
        }
        for code in codes {
            let given = clocks.set(zones_for_phone(&format!("{code}2345678")).expect("area code"));
            assert!(given.contains(&want), "{code} lacks its override {zone}");
        }
    }
}

#[test]
fn every_area_code_of_the_source_is_there_with_its_zones_and_extras_stay_explained() {
    let mut clocks = Clocks::default();
    let errors = source_errors();
    let overrides = overrides();
    let rows: Vec<_> = lines(AREA_SNAPSHOT).collect();
    assert!(rows.len() > 300, "the snapshot lost its area codes");
    let source: HashMap<&str, Vec<Tz>> = rows
        .iter()
        .map(|cols| {
            let npa = cols[0];
            // The snapshot keeps one zone list per code (the union over its prefixes): an
            // allowed error of one of the code's prefixes takes its zone out of that list.
            let zones = cols[2]
                .split(',')
                .filter(|name| {
                    !errors
                        .iter()
                        .any(|(k, key, z)| *k == "phone" && key[1..].starts_with(npa) && z == name)
                })
                .map(zone)
                .collect();
            (npa, zones)
        })
        .collect();
    let (mut missing_codes, mut missing_zones, mut unexplained, mut extra) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for cols in &rows {
        let (npa, partners) = (cols[0], cols[3]);
        let Some(given) = zones_for_phone(&format!("{npa}2345678")) else {
            missing_codes.push(npa);
            continue;
        };
        let given = clocks.set(given);
        let own = clocks.set(&source[npa]);
        for z in &source[npa] {
            if !given.contains(&clocks.id(*z)) {
                missing_zones.push(format!("{npa} lacks {z}"));
            }
        }
        let mut explained = own.clone();
        for partner in partners.split(' ').filter(|p| *p != "-") {
            let partner_zones = source.get(partner).expect("a partner in the snapshot");
            explained.extend(clocks.set(partner_zones));
        }
        for (_, _, codes, zone) in &overrides {
            if codes.contains(&npa) {
                explained.insert(clocks.id(*zone));
            }
        }
        if !given.is_subset(&own) {
            extra.push(npa);
            if !given.is_subset(&explained) {
                unexplained.push(npa);
            }
        }
    }
    eprintln!(
        "area codes checked: {}; missing: {}; missing a source zone: {}; with an extra zone: {} {:?} (budget {})",
        rows.len(),
        missing_codes.len(),
        missing_zones.len(),
        extra.len(),
        extra,
        AREA_EXTRA_BUDGET
    );
    assert!(
        missing_codes.is_empty(),
        "area codes of the source missing: {missing_codes:?}"
    );
    assert!(
        missing_zones.is_empty(),
        "area codes missing a source zone:\n{}",
        missing_zones.join("\n")
    );
    assert!(
        unexplained.is_empty(),
        "area codes with a zone no source, overlay or override explains: {unexplained:?}"
    );
    assert!(
        extra.len() <= AREA_EXTRA_BUDGET,
        "{} area codes with an extra zone, budget {AREA_EXTRA_BUDGET}",
        extra.len()
    );
}

#[test]
fn area_codes_beyond_the_source_are_reviewed_overlays() {
    let in_source: BTreeSet<&str> = lines(AREA_SNAPSHOT).map(|c| c[0]).collect();
    let reviewed: BTreeSet<&str> = lines(OVERLAYS).map(|c| c[0]).collect();
    for npa in 200..1000 {
        let npa = npa.to_string();
        if zones_for_phone(&format!("{npa}2345678")).is_some() && !in_source.contains(npa.as_str())
        {
            assert!(
                reviewed.contains(npa.as_str()),
                "{npa} is in rulec but in no source and not in overlays.tsv"
            );
        }
    }
}

#[test]
fn the_no_location_zones_are_one_of_each_clock_of_every_state_and_territory() {
    let mut clocks = Clocks::default();
    let fallback = clocks.set(NO_LOCATION_ZONES);
    assert_eq!(
        fallback.len(),
        NO_LOCATION_ZONES.len(),
        "two no-location zones share a clock"
    );
    let mut used = BTreeSet::new();
    // The freely associated states (FM, MH, PW) are not US states or territories: no
    // no-location fallback covers them.
    for state in rulec_model::USPS_STATE_CODES.iter().filter(|c| !["FM", "MH", "PW"].contains(c)) {
        for z in zones_for_state(state).expect("state") {
            let id = clocks.id(*z);
            assert!(
                fallback.contains(&id),
                "{state}'s {z} keeps a clock no no-location zone keeps"
            );
            used.insert(id);
        }
    }
    assert_eq!(
        used, fallback,
        "a no-location zone no state or territory uses"
    );
}

#[test]
fn the_clock_comparison_tells_zones_apart_and_together() {
    let mut clocks = Clocks::default();
    let id = |c: &mut Clocks, z| c.id(z);
    assert_eq!(
        id(&mut clocks, Tz::America__Indiana__Vincennes),
        id(&mut clocks, Tz::America__New_York)
    );
    assert_eq!(
        id(&mut clocks, Tz::America__Boise),
        id(&mut clocks, Tz::America__Denver)
    );
    assert_eq!(
        id(&mut clocks, Tz::America__St_Thomas),
        id(&mut clocks, Tz::America__Puerto_Rico)
    );
    // Same offset half the year, different the other half.
    assert_ne!(
        id(&mut clocks, Tz::America__Phoenix),
        id(&mut clocks, Tz::America__Denver)
    );
    assert_ne!(
        id(&mut clocks, Tz::America__Adak),
        id(&mut clocks, Tz::Pacific__Honolulu)
    );
    assert_ne!(
        id(&mut clocks, Tz::America__Chicago),
        id(&mut clocks, Tz::America__New_York)
    );
}
