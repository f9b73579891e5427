//! The location tables: state → zones, ZIP prefix and ZIP code → zones, area code → zones.
//!
//! The tables live in `data/*.tsv`, written by `gen/generate.py` from pinned sources (see
//! docs/zones.md), are embedded with `include_str!` and parsed once. A line that does not parse
//! is skipped and recorded in [`Tables::problems`]; a unit test asserts that there are none, so
//! the shipped data always parses fully. Nothing here panics on input.

use std::sync::LazyLock;

use chrono_tz::Tz;

const STATE_ZONES: &str = include_str!("../data/state_zones.tsv");
const POSTAL_PREFIXES: &str = include_str!("../data/postal_prefixes.tsv");
const POSTAL_CODES: &str = include_str!("../data/postal_codes.tsv");
const AREA_CODES: &str = include_str!("../data/area_codes.tsv");

/// The tables' maps: looked up for every decision (an area code, a ZIP code), with keys that
/// are our own data, so a fast fixed hash rather than the default DoS-resistant one.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// The parsed tables.
pub(crate) struct Tables {
    /// USPS code → every zone of the state, most-populous first.
    pub(crate) states: HashMap<&'static str, Vec<Tz>>,
    /// (USPS code, 3-digit ZIP prefix) → the zones of every ZIP code with that prefix.
    pub(crate) postal: HashMap<(&'static str, u16), Vec<Tz>>,
    /// (USPS code, 5-digit ZIP code) → its zones, for the prefixes whose ZIP codes differ.
    pub(crate) postal_codes: HashMap<(&'static str, u32), Vec<Tz>>,
    /// Area code → (USPS code of the state it serves, its zones).
    pub(crate) area_codes: HashMap<u16, (&'static str, Vec<Tz>)>,
    /// Every line that did not parse, as "file:line: message".
    pub(crate) problems: Vec<String>,
}

pub(crate) static TABLES: LazyLock<Tables> = LazyLock::new(Tables::parse);

/// The data lines of a file: (1-based line number, columns), comments and blank lines dropped.
fn data_lines(text: &'static str) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            None
        } else {
            Some((i + 1, line.split('\t').map(str::trim).collect()))
        }
    })
}

fn parse_zone_list(field: &str) -> Result<Vec<Tz>, String> {
    let mut zones = Vec::new();
    for name in field.split(',').map(str::trim) {
        let zone: Tz = name.parse().map_err(|_| format!("unknown zone {name:?}"))?;
        if zones.contains(&zone) {
            return Err(format!("zone {name:?} listed twice"));
        }
        zones.push(zone);
    }
    if zones.is_empty() {
        return Err("no zones".to_string());
    }
    Ok(zones)
}

fn parse_three_digits(field: &str) -> Option<u16> {
    if field.len() == 3 && field.bytes().all(|b| b.is_ascii_digit()) {
        field.parse().ok()
    } else {
        None
    }
}

fn parse_five_digits(field: &str) -> Option<u32> {
    if field.len() == 5 && field.bytes().all(|b| b.is_ascii_digit()) {
        field.parse().ok()
    } else {
        None
    }
}

/// "325" or "750-797" (inclusive).
fn parse_prefix_range(field: &str) -> Option<(u16, u16)> {
    match field.split_once('-') {
        None => parse_three_digits(field).map(|p| (p, p)),
        Some((a, b)) => {
            let (a, b) = (parse_three_digits(a)?, parse_three_digits(b)?);
            (a <= b).then_some((a, b))
        }
    }
}

impl Tables {
    fn parse() -> Tables {
        let mut tables = Tables {
            states: HashMap::default(),
            postal: HashMap::default(),
            postal_codes: HashMap::default(),
            area_codes: HashMap::default(),
            problems: Vec::new(),
        };
        tables.parse_states();
        tables.parse_postal();
        tables.parse_postal_codes();
        tables.parse_area_codes();
        tables
    }

    fn problem(&mut self, file: &str, line: usize, message: impl std::fmt::Display) {
        self.problems.push(format!("{file}:{line}: {message}"));
    }

    fn parse_states(&mut self) {
        const FILE: &str = "state_zones.tsv";
        for (line, cols) in data_lines(STATE_ZONES) {
            let [state, zones] = cols.as_slice() else {
                self.problem(FILE, line, "expected 2 tab-separated columns");
                continue;
            };
            if !rulec_model::USPS_STATE_CODES.contains(state) {
                self.problem(FILE, line, format!("unknown USPS code {state:?}"));
                continue;
            }
            match parse_zone_list(zones) {
                Ok(zones) => {
                    if self.states.insert(state, zones).is_some() {
                        self.problem(FILE, line, format!("{state} listed twice"));
                    }
                }
                Err(e) => self.problem(FILE, line, e),
            }
        }
    }

    /// The state's zones, when it has several and all of `zones` are among them.
    fn multi_zone_state(
        &mut self,
        file: &str,
        line: usize,
        state: &str,
        zones: &str,
    ) -> Option<(&'static str, Vec<Tz>)> {
        let Some((&state, state_zones)) = self.states.get_key_value(state) else {
            self.problem(
                file,
                line,
                format!("state {state:?} is not in state_zones.tsv"),
            );
            return None;
        };
        if state_zones.len() < 2 {
            self.problem(
                file,
                line,
                format!("{state} has one zone; no ZIP codes needed"),
            );
            return None;
        }
        let zones = match parse_zone_list(zones) {
            Ok(zones) => zones,
            Err(e) => {
                self.problem(file, line, e);
                return None;
            }
        };
        if let Some(z) = zones.iter().find(|z| !state_zones.contains(z)) {
            self.problem(file, line, format!("{z} is not among {state}'s zones"));
            return None;
        }
        Some((state, zones))
    }

    fn parse_postal(&mut self) {
        const FILE: &str = "postal_prefixes.tsv";
        for (line, cols) in data_lines(POSTAL_PREFIXES) {
            let [state, prefixes, zones] = cols.as_slice() else {
                self.problem(FILE, line, "expected 3 tab-separated columns");
                continue;
            };
            let Some((state, zones)) = self.multi_zone_state(FILE, line, state, zones) else {
                continue;
            };
            let Some((first, last)) = parse_prefix_range(prefixes) else {
                self.problem(FILE, line, format!("bad prefix or range {prefixes:?}"));
                continue;
            };
            for prefix in first..=last {
                if self.postal.insert((state, prefix), zones.clone()).is_some() {
                    self.problem(FILE, line, format!("{state} {prefix:03} listed twice"));
                }
            }
        }
    }

    fn parse_postal_codes(&mut self) {
        const FILE: &str = "postal_codes.tsv";
        for (line, cols) in data_lines(POSTAL_CODES) {
            let [state, zones, codes] = cols.as_slice() else {
                self.problem(FILE, line, "expected 3 tab-separated columns");
                continue;
            };
            let Some((state, zones)) = self.multi_zone_state(FILE, line, state, zones) else {
                continue;
            };
            for code in codes.split(' ') {
                let Some(zip) = parse_five_digits(code) else {
                    self.problem(FILE, line, format!("bad ZIP code {code:?}"));
                    continue;
                };
                let prefix = u16::try_from(zip / 100).unwrap_or(u16::MAX);
                if self.postal.contains_key(&(state, prefix)) {
                    self.problem(
                        FILE,
                        line,
                        format!("{state} {code}: its prefix is in postal_prefixes.tsv"),
                    );
                } else if self
                    .postal_codes
                    .insert((state, zip), zones.clone())
                    .is_some()
                {
                    self.problem(FILE, line, format!("{state} {code} listed twice"));
                }
            }
        }
    }

    fn parse_area_codes(&mut self) {
        const FILE: &str = "area_codes.tsv";
        for (line, cols) in data_lines(AREA_CODES) {
            let [code, state, zones] = cols.as_slice() else {
                self.problem(FILE, line, "expected 3 tab-separated columns");
                continue;
            };
            let Some(code) = parse_three_digits(code).filter(|c| *c >= 200) else {
                self.problem(FILE, line, format!("bad area code {code:?}"));
                continue;
            };
            let zones = match parse_zone_list(zones) {
                Ok(zones) => zones,
                Err(e) => {
                    self.problem(FILE, line, e);
                    continue;
                }
            };
            let Some(state_zones) = self.states.get(state) else {
                self.problem(
                    FILE,
                    line,
                    format!("state {state:?} is not in state_zones.tsv"),
                );
                continue;
            };
            if let Some(z) = zones.iter().find(|z| !state_zones.contains(z)) {
                self.problem(FILE, line, format!("{z} is not among {state}'s zones"));
                continue;
            }
            if self.area_codes.insert(code, (state, zones)).is_some() {
                self.problem(FILE, line, format!("area code {code} listed twice"));
            }
        }
    }
}

/// Every zone of a state or territory, by USPS code (case-sensitive, upper case), the zone
/// most of its ZIP codes are in first. `None` for an unknown code.
///
/// Where part of a state keeps another zone's time, by law or unofficially (Phenix City,
/// Alabama; Kenton, Oklahoma; Jackpot, Nevada), that zone is listed too: the list is every zone
/// a borrower at an address in the state could be living by. Zones that have kept the same
/// clock since 2020 are listed once (Eastern Indiana as `America/Indiana/Indianapolis`).
///
/// ```
/// use rulec_time::{zones_for_state, Tz};
/// assert_eq!(zones_for_state("FL"), Some(&[Tz::America__New_York, Tz::America__Chicago][..]));
/// assert_eq!(zones_for_state("HI"), Some(&[Tz::Pacific__Honolulu][..]));
/// assert_eq!(zones_for_state("fl"), None);
/// ```
pub fn zones_for_state(state: &str) -> Option<&'static [Tz]> {
    let tables: &'static Tables = &TABLES;
    tables.states.get(state).map(Vec::as_slice)
}

/// The 5 digits of `"32501"` or `"32501-1234"` (surrounding whitespace ignored).
fn zip_digits(postal_code: &str) -> Option<u32> {
    let code = postal_code.trim();
    let bytes = code.as_bytes();
    let well_formed = match bytes.len() {
        5 => bytes.iter().all(u8::is_ascii_digit),
        10 => {
            bytes[..5].iter().all(u8::is_ascii_digit)
                && bytes[5] == b'-'
                && bytes[6..].iter().all(u8::is_ascii_digit)
        }
        _ => false,
    };
    if well_formed {
        parse_five_digits(code.get(..5)?)
    } else {
        None
    }
}

/// The zones of a postal (ZIP) code, only for states that span several zones.
///
/// Accepts `"32501"` and `"32501-1234"` (surrounding whitespace is ignored). A ZIP code gets
/// the zone the boundary polygons give at its coordinates and every zone of its state within
/// a few kilometres (so a ZIP code that straddles a zone line gets both), plus the reviewed
/// overrides. `None` when the state has a single zone (use [`zones_for_state`]), when the code
/// is not in the tables (its prefix mixes zones and the code is unknown, or the prefix is not
/// one of the state's), or when the code is malformed.
///
/// ```
/// use rulec_time::{zones_for_postal_code, Tz};
/// assert_eq!(zones_for_postal_code("FL", "33101"), Some(&[Tz::America__New_York][..])); // Miami
/// assert_eq!(zones_for_postal_code("FL", "32456"), Some(&[Tz::America__New_York][..])); // Port St. Joe
/// assert_eq!(zones_for_postal_code("FL", "32401"), Some(&[Tz::America__Chicago][..])); // Panama City
/// assert_eq!(zones_for_postal_code("NY", "10001"), None); // one-zone state
/// ```
pub fn zones_for_postal_code(state: &str, postal_code: &str) -> Option<&'static [Tz]> {
    let zip = zip_digits(postal_code)?;
    let tables: &'static Tables = &TABLES;
    let (&state, _) = tables.states.get_key_value(state)?;
    let prefix = u16::try_from(zip / 100).ok()?;
    tables
        .postal
        .get(&(state, prefix))
        .or_else(|| tables.postal_codes.get(&(state, zip)))
        .map(Vec::as_slice)
}

/// The one zone a postal (ZIP) code settles: [`zones_for_postal_code`] when it gives exactly
/// one zone, otherwise `None` (the state's zones then apply, which for a ZIP code that
/// straddles a line are the same clocks).
///
/// ```
/// use rulec_time::{zone_for_postal_code, Tz};
/// assert_eq!(zone_for_postal_code("FL", "33101"), Some(Tz::America__New_York)); // Miami
/// assert_eq!(zone_for_postal_code("FL", "32501-1234"), Some(Tz::America__Chicago)); // Pensacola
/// assert_eq!(zone_for_postal_code("NY", "10001"), None); // one-zone state
/// ```
pub fn zone_for_postal_code(state: &str, postal_code: &str) -> Option<Tz> {
    match zones_for_postal_code(state, postal_code)? {
        [zone] => Some(*zone),
        _ => None,
    }
}

/// The zones of a borrower with no location at all: one of each clock used in the 50 states,
/// DC and the territories (Puerto Rico and the Virgin Islands, Guam and the Northern Mariana
/// Islands, American Samoa), so that a local-time rule holds only at times convenient
/// everywhere a US borrower could be. A test checks that every zone of every state and
/// territory keeps the clock of one of these.
pub const NO_LOCATION_ZONES: &[Tz] = &[
    Tz::America__Puerto_Rico,
    Tz::America__New_York,
    Tz::America__Chicago,
    Tz::America__Denver,
    Tz::America__Phoenix,
    Tz::America__Los_Angeles,
    Tz::America__Anchorage,
    Tz::America__Adak,
    Tz::Pacific__Honolulu,
    Tz::Pacific__Pago_Pago,
    Tz::Pacific__Guam,
];

/// The 10 national digits of a NANP number, or `None` when it is not one.
///
/// Accepts `+1` followed by ten digits, `1` followed by ten digits, or ten digits, with
/// spaces, dashes, dots and parentheses anywhere. The area code and the exchange must both
/// start with 2–9.
pub(crate) fn nanp_digits(number: &str) -> Option<[u8; 10]> {
    let trimmed = number.trim();
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let (mut digits, mut len) = ([0u8; 11], 0);
    for c in rest.chars() {
        match c {
            '0'..='9' => {
                if len == 11 {
                    return None;
                }
                digits[len] = c as u8 - b'0';
                len += 1;
            }
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    let digits = &digits[..len];
    let national: &[u8] = match (plus, len) {
        (true, 11) | (false, 11) if digits[0] == 1 => &digits[1..],
        (false, 10) => digits,
        _ => return None,
    };
    let national: [u8; 10] = national.try_into().ok()?;
    if national[0] < 2 || national[3] < 2 {
        return None;
    }
    Some(national)
}

/// The zones of a US phone number's area code.
///
/// Accepts E.164 `"+14155552671"`, `"14155552671"` and `"4155552671"`, with spaces, dashes,
/// dots or parentheses (`"(415) 555-2671"`). `None` for a number outside the NANP, a
/// toll-free or other non-geographic code, a code not in the table (Canadian and non-US
/// Caribbean codes among them), or a malformed number.
///
/// The area code says where the number was issued, not where its holder lives: callers
/// combine it with the address.
///
/// ```
/// use rulec_time::{zones_for_phone, Tz};
/// assert_eq!(zones_for_phone("+1 (415) 555-2671"), Some(&[Tz::America__Los_Angeles][..]));
/// assert_eq!(
///     zones_for_phone("850-555-0123"),
///     Some(&[Tz::America__Chicago, Tz::America__New_York][..])
/// );
/// assert_eq!(zones_for_phone("+1 800 555 0123"), None); // toll-free
/// assert_eq!(zones_for_phone("+44 20 7946 0958"), None); // not NANP
/// ```
pub fn zones_for_phone(number: &str) -> Option<&'static [Tz]> {
    let d = nanp_digits(number)?;
    let code = u16::from(d[0]) * 100 + u16::from(d[1]) * 10 + u16::from(d[2]);
    let tables: &'static Tables = &TABLES;
    tables
        .area_codes
        .get(&code)
        .map(|(_, zones)| zones.as_slice())
}

/// Every zone name chrono-tz knows, for did-you-mean suggestions.
static ZONE_NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect());

/// Parses an IANA zone name (exact, case-sensitive, as the tz database spells it).
///
/// On failure the message names the input and, when one is close, suggests a zone.
///
/// ```
/// use rulec_time::{parse_zone, Tz};
/// assert_eq!(parse_zone("America/New_York"), Ok(Tz::America__New_York));
/// let err = parse_zone("America/New_Yrok").unwrap_err();
/// assert!(err.contains("did you mean \"America/New_York\""), "{err}");
/// ```
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    if let Ok(zone) = name.parse::<Tz>() {
        return Ok(zone);
    }
    // Zone names are at most ~32 characters; don't run edit distances on long garbage.
    let suggestion = if name.chars().count() <= 64 {
        rulec_model::suggest(name, ZONE_NAMES.as_slice())
    } else {
        None
    };
    Err(match suggestion {
        Some(s) => format!("unknown time zone {name:?}; did you mean {s:?}?"),
        None => format!(
            "unknown time zone {name:?} (expected an IANA name such as \"America/New_York\")"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Tz::*;

    #[test]
    fn every_data_file_parses_fully() {
        assert!(
            TABLES.problems.is_empty(),
            "data problems:\n{}",
            TABLES.problems.join("\n")
        );
        // Every data line produced an entry (no line silently dropped).
        assert_eq!(TABLES.states.len(), data_lines(STATE_ZONES).count());
        assert_eq!(TABLES.area_codes.len(), data_lines(AREA_CODES).count());
        let prefix_count: usize = data_lines(POSTAL_PREFIXES)
            .map(|(_, cols)| {
                let (a, b) = parse_prefix_range(cols[1]).expect("range");
                usize::from(b - a + 1)
            })
            .sum();
        assert_eq!(TABLES.postal.len(), prefix_count);
        let code_count: usize = data_lines(POSTAL_CODES)
            .map(|(_, cols)| cols[2].split(' ').count())
            .sum();
        assert_eq!(TABLES.postal_codes.len(), code_count);
    }

    #[test]
    fn every_zone_name_in_the_data_resolves_in_chrono_tz() {
        let zone_fields = [
            (STATE_ZONES, 1),
            (POSTAL_PREFIXES, 2),
            (POSTAL_CODES, 1),
            (AREA_CODES, 2),
        ];
        for (text, column) in zone_fields {
            for (line, cols) in data_lines(text) {
                for name in cols[column].split(',') {
                    assert!(
                        name.parse::<Tz>().is_ok(),
                        "line {line}: {name:?} does not resolve"
                    );
                }
            }
        }
    }

    #[test]
    fn a_data_problem_is_reported_not_ignored() {
        let mut tables = Tables {
            states: HashMap::default(),
            postal: HashMap::default(),
            postal_codes: HashMap::default(),
            area_codes: HashMap::default(),
            problems: Vec::new(),
        };
        tables
            .states
            .insert("FL", vec![America__New_York, America__Chicago]);
        tables.states.insert("GA", vec![America__New_York]);
        for (state, zones) in [
            ("GA", "America/New_York"),
            ("ZZ", "America/New_York"),
            ("FL", "America/Denver"),
            ("FL", "America/Nowhere"),
        ] {
            assert!(tables.multi_zone_state("t.tsv", 7, state, zones).is_none());
        }
        assert_eq!(tables.problems.len(), 4, "{:?}", tables.problems);
        assert!(tables.problems.iter().all(|p| p.starts_with("t.tsv:7: ")));
        assert!(tables
            .multi_zone_state("t.tsv", 8, "FL", "America/Chicago,America/New_York")
            .is_some());
    }

    #[test]
    fn military_codes_name_no_zone() {
        for code in rulec_model::USPS_MILITARY_CODES {
            assert_eq!(zones_for_state(code), None);
        }
        assert_eq!(zones_for_state("PW"), Some(&[Tz::Pacific__Palau][..]));
    }

    #[test]
    fn every_usps_code_has_zones() {
        for code in rulec_model::USPS_STATE_CODES {
            let zones = zones_for_state(code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(!zones.is_empty());
        }
        assert_eq!(TABLES.states.len(), rulec_model::USPS_STATE_CODES.len());
    }

    #[test]
    fn every_state_has_an_area_code_and_multi_zone_states_have_zip_codes() {
        // The freely associated states dial their own country codes (+691, +692, +680).
        for code in rulec_model::USPS_STATE_CODES.iter().filter(|c| !["FM", "MH", "PW"].contains(c)) {
            assert!(
                TABLES.area_codes.values().any(|(s, _)| s == code),
                "{code} has no area code"
            );
        }
        // The freely associated states have no ZIP zones in the sources (FM and MH span zones).
        for (state, zones) in TABLES.states.iter().filter(|(s, _)| !["FM", "MH", "PW"].contains(*s)) {
            let has_zips = TABLES.postal.keys().any(|(s, _)| s == state)
                || TABLES.postal_codes.keys().any(|(s, _)| s == state);
            assert_eq!(zones.len() > 1, has_zips, "{state}");
        }
    }

    #[test]
    fn state_examples() {
        assert_eq!(
            zones_for_state("FL"),
            Some(&[America__New_York, America__Chicago][..])
        );
        assert_eq!(
            zones_for_state("TX"),
            Some(&[America__Chicago, America__Denver][..])
        );
        assert_eq!(
            zones_for_state("AZ"),
            Some(&[America__Phoenix, America__Denver][..])
        );
        assert_eq!(zones_for_state("HI"), Some(&[Pacific__Honolulu][..]));
        assert_eq!(zones_for_state("CA"), Some(&[America__Los_Angeles][..]));
        let ak = zones_for_state("AK").expect("AK");
        assert_eq!(ak[0], America__Anchorage);
        assert!(ak.contains(&America__Adak));
        let ind = zones_for_state("IN").expect("IN");
        assert_eq!(ind[0], America__Indiana__Indianapolis);
        assert!(ind.contains(&America__Chicago));
        for (state, zone) in [
            ("KY", America__Chicago),
            ("TN", America__New_York),
            ("MI", America__Menominee),
            ("ND", America__Denver),
            ("SD", America__Denver),
            ("NE", America__Denver),
            ("KS", America__Denver),
            ("ID", America__Los_Angeles),
            ("OR", America__Boise),
            ("NV", America__Denver),
        ] {
            assert!(
                zones_for_state(state).expect(state).contains(&zone),
                "{state} lacks {zone}"
            );
        }
        assert_eq!(zones_for_state("ZZ"), None);
        assert_eq!(zones_for_state(""), None);
        assert_eq!(zones_for_state("tx"), None);
    }

    #[test]
    fn postal_examples() {
        assert_eq!(zone_for_postal_code("FL", "33101"), Some(America__New_York));
        assert_eq!(zone_for_postal_code("FL", "32501"), Some(America__Chicago));
        assert_eq!(
            zone_for_postal_code("FL", "32501-1234"),
            Some(America__Chicago)
        );
        assert_eq!(
            zone_for_postal_code("FL", " 32501 "),
            Some(America__Chicago)
        );
        assert_eq!(zone_for_postal_code("FL", "32301"), Some(America__New_York)); // Tallahassee
                                                                                  // Prefix 324 mixes zones: its ZIP codes are listed one by one.
        assert_eq!(zone_for_postal_code("FL", "32401"), Some(America__Chicago)); // Panama City
        assert_eq!(zone_for_postal_code("FL", "32456"), Some(America__New_York)); // Port St. Joe
        assert_eq!(zone_for_postal_code("FL", "32490"), None); // not a ZIP code: the state applies
        assert_eq!(zones_for_postal_code("FL", "32490"), None);
        assert_eq!(zone_for_postal_code("TX", "79901"), Some(America__Denver)); // El Paso
        assert_eq!(zone_for_postal_code("TX", "75201"), Some(America__Chicago)); // Dallas
        assert_eq!(zone_for_postal_code("TX", "79830"), Some(America__Chicago)); // Alpine, in 798
                                                                                 // A ZIP code on a zone line has both zones, and settles none.
        assert_eq!(
            zones_for_postal_code("FL", "32321"), // Bristol, by the Apalachicola
            Some(&[America__New_York, America__Chicago][..])
        );
        assert_eq!(zone_for_postal_code("FL", "32321"), None);
        // Places that keep another zone's time (overrides.tsv, or the polygons).
        assert_eq!(
            zones_for_postal_code("OK", "73946"), // Kenton
            Some(&[America__Chicago, America__Denver][..])
        );
        assert_eq!(
            zones_for_postal_code("AL", "36867"), // Phenix City
            Some(&[America__Chicago, America__New_York][..])
        );
        assert_eq!(zone_for_postal_code("NV", "89883"), Some(America__Denver)); // West Wendover
        assert_eq!(zone_for_postal_code("AK", "99546"), Some(America__Adak)); // Adak
        assert_eq!(zone_for_postal_code("NE", "69211"), Some(America__Denver)); // Cody, Cherry County
        assert_eq!(
            zone_for_postal_code("IN", "46201"),
            Some(America__Indiana__Indianapolis)
        );
        assert_eq!(zone_for_postal_code("IN", "46402"), Some(America__Chicago)); // Gary
        assert_eq!(
            zone_for_postal_code("ID", "83814"),
            Some(America__Los_Angeles)
        );
        assert_eq!(zone_for_postal_code("ID", "83702"), Some(America__Boise));
        assert_eq!(zone_for_postal_code("SD", "57701"), Some(America__Denver)); // Rapid City
                                                                                // Wrong state for the prefix, single-zone state, malformed codes.
        assert_eq!(zone_for_postal_code("GA", "33101"), None);
        assert_eq!(zone_for_postal_code("NY", "10001"), None);
        assert_eq!(zone_for_postal_code("ZZ", "33101"), None);
        for bad in [
            "",
            "3310",
            "331011",
            "33101-",
            "33101-12",
            "33101-12345",
            "3310a",
            "33101 1234",
            "٣٣١٠١",
            "33101—1234",
        ] {
            assert_eq!(zone_for_postal_code("FL", bad), None, "{bad:?}");
        }
    }

    #[test]
    fn postal_entries_only_for_multi_zone_states_and_inside_their_zones() {
        let prefixes = TABLES.postal.iter().map(|((s, _), z)| (s, z));
        let codes = TABLES.postal_codes.iter().map(|((s, _), z)| (s, z));
        for (state, zip_zones) in prefixes.chain(codes) {
            let zones = zones_for_state(state).expect("state");
            assert!(zones.len() > 1, "{state}");
            assert!(
                zip_zones.iter().all(|z| zones.contains(z)),
                "{state} {zip_zones:?}"
            );
        }
    }

    #[test]
    fn phone_examples() {
        let la = Some(&[America__Los_Angeles][..]);
        assert_eq!(zones_for_phone("+14155552671"), la);
        assert_eq!(zones_for_phone("14155552671"), la);
        assert_eq!(zones_for_phone("4155552671"), la);
        assert_eq!(zones_for_phone("+1 (415) 555-2671"), la);
        assert_eq!(zones_for_phone("1-415-555-2671"), la);
        assert_eq!(zones_for_phone("415.555.2671"), la);
        assert_eq!(zones_for_phone("(213) 555-0100"), la);
        assert_eq!(zones_for_phone("310 555 0100"), la);
        assert_eq!(
            zones_for_phone("212 555 0100"),
            Some(&[America__New_York][..])
        );
        assert_eq!(
            zones_for_phone("808 555 0100"),
            Some(&[Pacific__Honolulu][..])
        );
        assert_eq!(
            zones_for_phone("928 555 0100"),
            Some(&[America__Phoenix, America__Denver][..])
        );
        assert_eq!(
            zones_for_phone("787 555 0100"),
            Some(&[America__Puerto_Rico][..])
        );
        for toll_free in ["800", "833", "844", "855", "866", "877", "888"] {
            assert_eq!(zones_for_phone(&format!("+1{toll_free}5550100")), None);
        }
        for non_geo in [
            "500", "521", "533", "544", "566", "577", "588", "600", "700", "710", "900",
        ] {
            assert_eq!(
                zones_for_phone(&format!("{non_geo}5550100")),
                None,
                "{non_geo}"
            );
        }
        // Canadian: not listed.
        assert_eq!(zones_for_phone("+1 416 555 0100"), None);
        for bad in [
            "",
            "+",
            "+1",
            "415555267",
            "415555267123",
            "+4155552671",
            "+24155552671",
            "+44 20 7946 0958",
            "24155552671",
            "0155552671",
            "1155552671",
            "4151552671",
            "415-555-2671 x12",
            "415555267١",
            "+1+4155552671",
            "4155552671+",
            "\u{0}",
        ] {
            assert_eq!(zones_for_phone(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn area_codes_not_listed_for_non_geographic_codes() {
        for code in [800, 833, 844, 855, 866, 877, 888, 500, 600, 700, 900] {
            assert!(!TABLES.area_codes.contains_key(&code), "{code}");
        }
        for code in TABLES.area_codes.keys() {
            assert!((200..1000).contains(code));
            assert_ne!(code % 100, 11, "N11 code {code}");
        }
        // 5XX personal-communications codes (the "easily recognizable" ones and 521-529).
        for code in [500, 533, 544, 566, 577, 588].into_iter().chain(521..=529) {
            assert!(!TABLES.area_codes.contains_key(&code), "{code}");
        }
    }

    #[test]
    fn parse_zone_suggests() {
        assert_eq!(parse_zone("America/Chicago"), Ok(America__Chicago));
        assert_eq!(parse_zone("UTC"), Ok(UTC));
        let err = parse_zone("america/chicago").unwrap_err();
        assert!(err.contains("\"America/Chicago\""), "{err}");
        let err = parse_zone("Amerika/Denver").unwrap_err();
        assert!(err.contains("\"America/Denver\""), "{err}");
        let err = parse_zone("nonsense zone").unwrap_err();
        assert!(err.contains("unknown time zone"), "{err}");
        assert!(!err.contains("did you mean"), "{err}");
        assert!(parse_zone("").is_err());
        assert!(parse_zone(&"x".repeat(100_000)).is_err());
    }
}
