//! The location tables: state → zones, ZIP prefix → zone, area code → zones.
//!
//! The tables live in `data/*.tsv`, are embedded with `include_str!` and parsed once. A line
//! that does not parse is skipped and recorded in [`Tables::problems`]; a unit test asserts
//! that there are none, so the shipped data always parses fully. Nothing here panics on input.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono_tz::Tz;

const STATE_ZONES: &str = include_str!("../data/state_zones.tsv");
const POSTAL_PREFIXES: &str = include_str!("../data/postal_prefixes.tsv");
const AREA_CODES: &str = include_str!("../data/area_codes.tsv");

/// The parsed tables.
pub(crate) struct Tables {
    /// USPS code → every zone of the state, most-populous first.
    pub(crate) states: HashMap<&'static str, Vec<Tz>>,
    /// (USPS code, 3-digit ZIP prefix) → the one zone that prefix settles.
    pub(crate) postal: HashMap<(&'static str, u16), Tz>,
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
            states: HashMap::new(),
            postal: HashMap::new(),
            area_codes: HashMap::new(),
            problems: Vec::new(),
        };
        tables.parse_states();
        tables.parse_postal();
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

    fn parse_postal(&mut self) {
        const FILE: &str = "postal_prefixes.tsv";
        for (line, cols) in data_lines(POSTAL_PREFIXES) {
            let [state, prefixes, zone] = cols.as_slice() else {
                self.problem(FILE, line, "expected 3 tab-separated columns");
                continue;
            };
            let Some(state_zones) = self.states.get(state) else {
                self.problem(
                    FILE,
                    line,
                    format!("state {state:?} is not in state_zones.tsv"),
                );
                continue;
            };
            if state_zones.len() < 2 {
                self.problem(
                    FILE,
                    line,
                    format!("{state} has one zone; no prefixes needed"),
                );
                continue;
            }
            let Ok(zone) = zone.parse::<Tz>() else {
                self.problem(FILE, line, format!("unknown zone {zone:?}"));
                continue;
            };
            if !state_zones.contains(&zone) {
                self.problem(FILE, line, format!("{zone} is not among {state}'s zones"));
                continue;
            }
            let Some((first, last)) = parse_prefix_range(prefixes) else {
                self.problem(FILE, line, format!("bad prefix or range {prefixes:?}"));
                continue;
            };
            for prefix in first..=last {
                if self.postal.insert((state, prefix), zone).is_some() {
                    self.problem(FILE, line, format!("{state} {prefix:03} listed twice"));
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
/// most of its population uses first. `None` for an unknown code.
///
/// Where part of a state keeps another zone's time unofficially (Phenix City, Alabama;
/// Kenton, Oklahoma; Jackpot, Nevada) that zone is listed too: the list is every zone a
/// borrower at an address in the state could be living by.
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

/// The one zone a postal (ZIP) code settles, only for states that span several zones.
///
/// Accepts `"32501"` and `"32501-1234"` (surrounding whitespace is ignored). `None` when the
/// state has a single zone (use [`zones_for_state`]), when the code's 3-digit prefix straddles
/// a zone boundary or is not in the table, when the prefix is not one of the state's, or when
/// the code is malformed.
///
/// ```
/// use rulec_time::{zone_for_postal_code, Tz};
/// assert_eq!(zone_for_postal_code("FL", "33101"), Some(Tz::America__New_York)); // Miami
/// assert_eq!(zone_for_postal_code("FL", "32501-1234"), Some(Tz::America__Chicago)); // Pensacola
/// assert_eq!(zone_for_postal_code("FL", "32456"), None); // Port St. Joe: prefix 324 straddles
/// assert_eq!(zone_for_postal_code("NY", "10001"), None); // one-zone state
/// ```
pub fn zone_for_postal_code(state: &str, postal_code: &str) -> Option<Tz> {
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
    if !well_formed {
        return None;
    }
    let prefix = parse_three_digits(code.get(..3)?)?;
    let tables: &'static Tables = &TABLES;
    let (&state, _) = tables.states.get_key_value(state)?;
    tables.postal.get(&(state, prefix)).copied()
}

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
    let mut digits = Vec::with_capacity(11);
    for c in rest.chars() {
        match c {
            '0'..='9' => {
                if digits.len() == 11 {
                    return None;
                }
                digits.push(c as u8 - b'0');
            }
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    let national: &[u8] = match (plus, digits.len()) {
        (true, 11) | (false, 11) if digits[0] == 1 => &digits[1..],
        (false, 10) => &digits,
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
    }

    #[test]
    fn every_zone_name_in_the_data_resolves_in_chrono_tz() {
        for text in [STATE_ZONES, POSTAL_PREFIXES, AREA_CODES] {
            for (line, cols) in data_lines(text) {
                let field = cols.last().expect("a column");
                for name in field.split(',') {
                    assert!(
                        name.parse::<Tz>().is_ok(),
                        "line {line}: {name:?} does not resolve"
                    );
                }
            }
        }
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
    fn every_state_has_an_area_code_and_multi_zone_states_have_prefixes() {
        // The freely associated states dial their own country codes (+691, +692, +680).
        for code in rulec_model::USPS_STATE_CODES.iter().filter(|c| !["FM", "MH", "PW"].contains(c)) {
            assert!(
                TABLES.area_codes.values().any(|(s, _)| s == code),
                "{code} has no area code"
            );
        }
        for state in [
            "FL", "TX", "KS", "NE", "SD", "ND", "TN", "KY", "IN", "MI", "ID", "OR",
        ] {
            assert!(
                TABLES.postal.keys().any(|(s, _)| *s == state),
                "{state} has no prefixes"
            );
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
        assert_eq!(zone_for_postal_code("FL", "32401"), None); // 324 straddles
        assert_eq!(zone_for_postal_code("TX", "79901"), Some(America__Denver)); // El Paso
        assert_eq!(zone_for_postal_code("TX", "75201"), Some(America__Chicago)); // Dallas
        assert_eq!(zone_for_postal_code("TX", "79830"), None); // 798 straddles
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
    fn postal_prefixes_only_for_multi_zone_states_and_inside_their_zones() {
        for ((state, prefix), zone) in &TABLES.postal {
            let zones = zones_for_state(state).expect("state");
            assert!(zones.len() > 1, "{state} {prefix}");
            assert!(zones.contains(zone), "{state} {prefix} {zone}");
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
