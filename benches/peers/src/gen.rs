//! The scenario generator: a seeded PRNG (SplitMix64) and [`Case`], one generated scenario in a
//! neutral form, written out as rulec YAML by [`Case::yaml`]. The Rego input and the Cedar
//! request are built from the same case (`rego.rs`, `cedar.rs`), so the three engines see one
//! scenario each time.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt::Write as _;

/// SplitMix64: small, fast, good enough to vary test data, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// Picks by weight: `items` are `(weight, value)`.
    pub fn weighted<T: Copy>(&mut self, items: &[(u32, T)]) -> T {
        let total: u32 = items.iter().map(|(w, _)| w).sum();
        let mut r = self.below(u64::from(total)) as u32;
        for &(w, v) in items {
            if r < w {
                return v;
            }
            r -= w;
        }
        items[items.len() - 1].1
    }
}

/// Area codes whose one zone (rulec-time's area_codes.tsv) is the zone given.
pub const AREA_CODES: &[(&str, Tz)] = &[
    ("617", Tz::America__New_York),
    ("312", Tz::America__Chicago),
    ("303", Tz::America__Denver),
    ("602", Tz::America__Phoenix),
    ("415", Tz::America__Los_Angeles),
    ("808", Tz::Pacific__Honolulu),
];

pub const LOAN_IDS: [&str; 2] = ["LN-PEER-0001", "LN-PEER-0002"];
/// Contact 0 is the phone the request goes to; contact 1 an e-mail address.
pub const CONTACT_IDS: [&str; 2] = ["CT-CELL-0001", "CT-MAIL-0001"];
pub const BORROWER_ID: &str = "BO-PEER-0001";

/// A past interaction.
#[derive(Clone, Debug)]
pub struct Past {
    pub channel: &'static str,
    pub direction: &'static str,
    pub status: &'static str,
    pub start: DateTime<Utc>,
    /// Indices into [`LOAN_IDS`]; empty = about every loan.
    pub loans: Vec<usize>,
    pub autodialed: bool,
}

impl Past {
    /// Contact index: calls and texts to the phone, e-mails to the address.
    pub fn contact(&self) -> usize {
        usize::from(self.channel == "email")
    }
}

/// A Do Not Interact (all on one case).
#[derive(Clone, Debug)]
pub struct Dni {
    pub channels: Vec<&'static str>,
    pub themes: Vec<&'static str>,
    /// Indices into [`CONTACT_IDS`]; empty = every contact.
    pub contacts: Vec<usize>,
    pub starts: Option<DateTime<Utc>>,
    pub expires: Option<DateTime<Utc>>,
}

/// One generated scenario.
#[derive(Clone, Debug)]
pub struct Case {
    pub index: usize,
    pub now: DateTime<Utc>,
    pub role: &'static str,
    pub area_code: &'static str,
    pub phone_zone: Tz,
    pub borrower_tz: Option<Tz>,
    pub channel: &'static str,
    pub autodialed: bool,
    /// `autodialedColl` as given; `None`: not given (consented by default).
    pub consent: Option<&'static str>,
    /// How many loans the borrower has (1 or 2).
    pub loans: usize,
    /// The request's loans; empty = the request names none (about every loan).
    pub request_loans: Vec<usize>,
    pub past: Vec<Past>,
    pub dnis: Vec<Dni>,
}

pub const THEME: &str = "opsCollDebt";

/// The first instant of a local date in a zone (US zones have no gap at midnight, but be safe).
pub fn start_of_local_day(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    local_to_utc(date.and_time(NaiveTime::MIN), zone)
}

/// A local wall-clock time as an instant: the earlier of two in a fold; in a gap, the same
/// reading an hour later.
pub fn local_to_utc(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => local_to_utc(local + Duration::hours(1), zone),
    }
}

/// 1: the first loan, 2: the second, 3: both, 0: none.
fn loan_set(code: u8) -> Vec<usize> {
    match code {
        1 => vec![0],
        2 => vec![1],
        3 => vec![0, 1],
        _ => vec![],
    }
}

fn secs(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Case {
    /// The candidate zones the generator meant: the phone's area code and `borrower.timezone`.
    pub fn zones(&self) -> Vec<Tz> {
        let mut zones = vec![self.phone_zone];
        if let Some(z) = self.borrower_tz.filter(|z| *z != self.phone_zone) {
            zones.push(z);
        }
        zones
    }

    pub fn generate(rng: &mut Rng, index: usize) -> Case {
        let (area_code, phone_zone) = rng.pick(AREA_CODES);
        let borrower_tz = match rng.below(10) {
            0..=3 => None,
            4..=5 => Some(phone_zone),
            _ => Some(rng.pick(AREA_CODES).1),
        };
        let zones: Vec<Tz> = {
            let mut z = vec![phone_zone];
            z.extend(borrower_tz.filter(|t| *t != phone_zone));
            z
        };

        // The local date: any day of 2026, or one of the weeks after a DST change.
        let date = if rng.chance(0.3) {
            let first = if rng.chance(0.5) { NaiveDate::from_ymd_opt(2026, 3, 7) } else { NaiveDate::from_ymd_opt(2026, 10, 31) };
            first.unwrap() + Duration::days(rng.below(9) as i64)
        } else {
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(rng.below(365) as i64)
        };
        // The local time, in one of the candidate zones: often exactly on or next to a boundary.
        let aim = rng.pick(&zones);
        let seconds = if rng.chance(0.3) {
            rng.pick(&[28_799, 28_800, 28_801, 75_599, 75_600, 75_601, 0, 86_399, 27_000, 77_400])
        } else {
            rng.below(86_400) as u32
        };
        let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).unwrap();
        let now = local_to_utc(date.and_time(time), aim);

        let role = rng.weighted(&[(85, "collector"), (10, "creditor"), (5, "servicer")]);
        let channel = rng.weighted(&[(75, "voice"), (25, "text")]);
        let autodialed = rng.chance(0.5);
        let consent = rng.weighted(&[(45, None), (35, Some("revoked")), (20, Some("consented"))]);
        let loans = 1 + rng.below(2) as usize;
        let request_loans = loan_set(if loans == 1 {
            rng.weighted(&[(85, 1u8), (15, 0)])
        } else {
            rng.weighted(&[(50, 1u8), (15, 2), (20, 3), (15, 0)])
        });

        // Past interactions: 0-12 over the last 10 days; "heavy" histories are mostly counted
        // calls, so that the 7-in-7 limit is often near its edge.
        let heavy = rng.chance(0.45);
        let n = if heavy { 6 + rng.below(7) } else { rng.below(13) } as usize;
        let mut past = Vec::with_capacity(n);
        for _ in 0..n {
            let channel = if heavy {
                rng.weighted(&[(95, "voice"), (5, "text")])
            } else {
                rng.weighted(&[(70, "voice"), (15, "text"), (15, "email")])
            };
            let direction = if rng.chance(if heavy { 0.95 } else { 0.8 }) { "outbound" } else { "inbound" };
            let status = if heavy {
                rng.weighted(&[(60, "attempted"), (30, "connected"), (5, "failed"), (5, "canceled")])
            } else {
                rng.pick(&["attempted", "connected", "delivered", "failed", "canceled"])
            };
            let start = match rng.below(100) {
                // On the edge of the 7-calendar-day window in one of the zones.
                0..=11 => {
                    let z = rng.pick(&zones);
                    let today = now.with_timezone(&z).date_naive();
                    start_of_local_day(today - Duration::days(6), z) + Duration::seconds(rng.pick(&[-1, 0, 1]))
                }
                12..=14 => now + Duration::seconds(1 + rng.below(7_200) as i64),
                15..=17 => now,
                _ => now - Duration::seconds(rng.below(10 * 86_400) as i64),
            };
            let loans_of = loan_set(if loans == 1 {
                rng.weighted(&[(85, 1u8), (15, 0)])
            } else if heavy {
                rng.weighted(&[(70, 1u8), (10, 2), (10, 3), (10, 0)])
            } else {
                rng.weighted(&[(45, 1u8), (30, 2), (12, 3), (13, 0)])
            });
            past.push(Past { channel, direction, status, start, loans: loans_of, autodialed: rng.chance(0.3) });
        }

        let mut dnis = Vec::new();
        if rng.chance(0.5) {
            for _ in 0..(if rng.chance(0.8) { 1 } else { 2 }) {
                let day = |rng: &mut Rng| Duration::seconds(1 + rng.below(30 * 86_400) as i64);
                let (starts, expires) = match rng.below(100) {
                    0..=44 => (Some(now - day(rng)), if rng.chance(0.7) { Some(now + day(rng)) } else { None }),
                    45..=64 => {
                        let expires = now - day(rng);
                        (Some(expires - day(rng)), Some(expires))
                    }
                    65..=74 => (Some(now + day(rng)), None),
                    75..=82 => (Some(now), Some(now + day(rng))),
                    83..=90 => (Some(now - day(rng)), Some(now)),
                    91..=94 => (Some(now - day(rng)), Some(now + Duration::seconds(1))),
                    95..=97 => (Some(now + Duration::seconds(1)), None),
                    _ => (None, if rng.chance(0.5) { Some(now + day(rng)) } else { None }),
                };
                let channels = rng.weighted(&[(60, 0u8), (15, 1), (10, 2), (10, 3), (5, 4)]);
                let channels = match channels {
                    1 => vec!["voice"],
                    2 => vec!["text"],
                    3 => vec!["email"],
                    4 => vec!["voice", "text"],
                    _ => vec![],
                };
                let themes = rng.weighted(&[(80, 0u8), (10, 1), (10, 2)]);
                let themes = match themes {
                    1 => vec!["opsCollDebt"],
                    2 => vec!["opsServicing"],
                    _ => vec![],
                };
                let contacts = rng.weighted(&[(75, 0u8), (15, 1), (10, 2)]);
                let contacts = match contacts {
                    1 => vec![0],
                    2 => vec![1],
                    _ => vec![],
                };
                dnis.push(Dni { channels, themes, contacts, starts, expires });
            }
        }

        Case { index, now, role, area_code, phone_zone, borrower_tz, channel, autodialed, consent, loans, request_loans, past, dnis }
    }

    /// The scenario as rulec reads it (YAML, through `rulec_scenario::load_scenario`).
    pub fn yaml(&self) -> String {
        let mut y = String::with_capacity(2048);
        let _ = writeln!(y, "name: peers-{:05}", self.index);
        let _ = writeln!(y, "now: {}", secs(self.now));
        let _ = writeln!(y, "company: {{role: {}}}", self.role);
        match self.borrower_tz {
            Some(z) => {
                let _ = writeln!(y, "borrower: {{id: {BORROWER_ID}, timezone: {}}}", z.name());
            }
            None => {
                let _ = writeln!(y, "borrower: {{id: {BORROWER_ID}}}");
            }
        }
        let _ = writeln!(y, "contacts:");
        let _ = writeln!(
            y,
            "  - {{id: {}, contactType: phone, label: personal, affiliation: self, receiveTextMessages: true, value: \"+1{}5550100\"}}",
            CONTACT_IDS[0], self.area_code
        );
        let _ = writeln!(y, "  - {{id: {}, contactType: email, label: personal, affiliation: self, value: \"borrower@example.com\"}}", CONTACT_IDS[1]);
        let loans: Vec<String> = LOAN_IDS[..self.loans].iter().map(|l| format!("{{id: {l}}}")).collect();
        let _ = writeln!(y, "loans: [{}]", loans.join(", "));
        if let Some(v) = self.consent {
            let _ = writeln!(y, "consents: [{{name: autodialedColl, value: {v}}}]");
        }
        if !self.dnis.is_empty() {
            let _ = writeln!(y, "cases:\n  - id: CS-PEER-0001\n    caseType: generic\n    status: processing\n    doNotInteract:");
            for (i, d) in self.dnis.iter().enumerate() {
                let _ = write!(y, "      - {{id: DN-PEER-{:04}", i + 1);
                if !d.channels.is_empty() {
                    let _ = write!(y, ", channels: [{}]", d.channels.join(", "));
                }
                if !d.themes.is_empty() {
                    let _ = write!(y, ", themes: [{}]", d.themes.join(", "));
                }
                if !d.contacts.is_empty() {
                    let ids: Vec<&str> = d.contacts.iter().map(|&c| CONTACT_IDS[c]).collect();
                    let _ = write!(y, ", contactIds: [{}]", ids.join(", "));
                }
                if let Some(s) = d.starts {
                    let _ = write!(y, ", startsAt: {}", secs(s));
                }
                if let Some(e) = d.expires {
                    let _ = write!(y, ", expiresAt: {}", secs(e));
                }
                let _ = writeln!(y, "}}");
            }
        }
        let _ = write!(y, "request: {{channel: {}, theme: {THEME}, contactId: {}, isAutodialed: {}", self.channel, CONTACT_IDS[0], self.autodialed);
        match self.request_loans.as_slice() {
            [] => {}
            [l] => {
                let _ = write!(y, ", loanId: {}", LOAN_IDS[*l]);
            }
            ls => {
                let ids: Vec<&str> = ls.iter().map(|&l| LOAN_IDS[l]).collect();
                let _ = write!(y, ", loanIds: [{}]", ids.join(", "));
            }
        }
        let _ = writeln!(y, "}}");
        if self.past.is_empty() {
            let _ = writeln!(y, "interactions: []");
        } else {
            let _ = writeln!(y, "interactions:");
            for (i, p) in self.past.iter().enumerate() {
                let _ = write!(
                    y,
                    "  - {{id: IN-PEER-{:04}, channel: {}, direction: {}, status: {}, theme: {THEME}, startAt: {}, contactId: {}, isAutodialed: {}",
                    i + 1,
                    p.channel,
                    p.direction,
                    p.status,
                    secs(p.start),
                    CONTACT_IDS[p.contact()],
                    p.autodialed
                );
                if !p.loans.is_empty() {
                    let ids: Vec<&str> = p.loans.iter().map(|&l| LOAN_IDS[l]).collect();
                    let _ = write!(y, ", loanIds: [{}]", ids.join(", "));
                }
                let _ = writeln!(y, "}}");
            }
        }
        y
    }
}
