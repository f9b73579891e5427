//! The decision (the shape docs/scenarios.md describes) and the trace behind it.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// The answer to one can-interact question.
///
/// The fields of this struct and of those inside it are declared in the byte order of their JSON
/// names, so that [`Decision::write_json`], which writes straight from the struct, gives the same
/// bytes as the key-sorted [`Decision::to_json`] (tests/decisions.rs holds them equal, and
/// rulec-serve's API test does for every shipped suite case).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub blocked_by: Vec<Finding>,
    /// `federal`, then the states, then localities (`NYC`).
    pub jurisdictions: Vec<&'static str>,
    pub local_times: Vec<LocalTime>,
    /// Rules that would have blocked but are muted by the policy: always reported.
    pub muted: Vec<MutedFinding>,
    /// The earliest instant at which all rules together would allow the same request if
    /// nothing else happened; `None` when time alone never releases it (or nothing blocks).
    #[serde(serialize_with = "ser_opt_time")]
    pub next_allowed_at: Option<DateTime<Utc>>,
    /// True when no unmuted rule blocks.
    pub result: bool,
    /// Which rules decided: the digest of the rule files and the evaluator's version.
    #[serde(serialize_with = "ser_rule_set")]
    pub rule_set: std::sync::Arc<crate::RuleSetId>,
    /// How many rules were in force for this borrower and company role.
    pub rules_evaluated: usize,
    pub warnings: Vec<Finding>,
    /// Why each rule in force did or did not fire (not part of the JSON decision).
    #[serde(skip)]
    pub trace: Vec<RuleTrace>,
}

/// A rule that blocked or warned.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule's first citation.
    pub citation: String,
    /// Every citation of the rule.
    pub citations: Vec<String>,
    pub jurisdiction: String,
    pub message: String,
    /// When this rule alone would allow the same request; `None`: never by time alone.
    #[serde(serialize_with = "ser_opt_time")]
    pub release_at: Option<DateTime<Utc>>,
    pub rule: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MutedFinding {
    pub citation: String,
    pub mute: MuteInfo,
    pub rule: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MuteInfo {
    pub approved_by: String,
    pub reason: String,
    /// Last day the mute holds, `YYYY-MM-DD`.
    pub until: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalTime {
    /// RFC 3339 with the zone's offset: `2026-03-10T11:00:00-04:00`.
    pub local_time: String,
    /// The zone's IANA name.
    pub timezone: &'static str,
}

/// What happened to one rule in force.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleTrace {
    pub rule: String,
    pub jurisdiction: String,
    pub verdict: Verdict,
    /// Why the rule did not apply or did not fire, in words.
    pub reason: String,
    /// The figures the rule saw.
    pub figures: Vec<TraceFigure>,
    #[serde(serialize_with = "ser_opt_time")]
    pub release_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// The request is outside the rule's scope (`applies when`).
    NotApplicable,
    /// The rule applied and its condition did not hold (or an exception did).
    Allowed,
    Blocked,
    Warned,
    /// It would have blocked (or warned), but the policy mutes it.
    Muted,
}

/// A figure a rule saw, for the trace and the message.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TraceFigure {
    /// A history count (an existence test is a count compared with 1).
    #[serde(rename_all = "camelCase")]
    Count {
        count: u32,
        op: String,
        limit: u32,
        /// The window, in words: "in the last 7 calendar days".
        window: String,
        /// The loan counted, for per-loan counts.
        #[serde(skip_serializing_if = "Option::is_none")]
        loan: Option<String>,
        /// Ids of the counted interactions, oldest first: the first 100 (`LISTED_INTERACTIONS`).
        interactions: Vec<String>,
        /// How many counted interactions are not listed in `interactions`.
        #[serde(skip_serializing_if = "is_zero")]
        unlisted: u32,
        holds: bool,
    },
    /// A local-time test in one zone.
    #[serde(rename_all = "camelCase")]
    LocalTime { timezone: String, local_time: String, test: String, holds: bool },
    #[serde(rename_all = "camelCase")]
    Consent { name: String, value: String, holds: bool },
    #[serde(rename_all = "camelCase")]
    Case { id: String, case_type: String },
    #[serde(rename_all = "camelCase")]
    DoNotInteract {
        id: String,
        #[serde(serialize_with = "ser_opt_time")]
        expires_at: Option<DateTime<Utc>>,
    },
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// `2026-03-12T13:00:00Z`: whole seconds unless the instant has a fraction.
pub fn format_time(t: DateTime<Utc>) -> String {
    with_time_text(t, str::to_string)
}

/// Hands [`format_time`]'s text of `t` to `f` without allocating it when it can.
pub(crate) fn with_time_text<R>(t: DateTime<Utc>, f: impl FnOnce(&str) -> R) -> R {
    match whole_second_text(t) {
        Some(bytes) => f(std::str::from_utf8(&bytes).expect("ASCII digits")),
        None => f(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
    }
}

/// [`format_time`]'s text of an instant in the years 0 to 9999 on a whole second (every
/// instant a decision writes, in practice), written digit by digit: chrono's general
/// formatter costs more than the rest of a small decision's output. `None` otherwise.
fn whole_second_text(t: DateTime<Utc>) -> Option<[u8; 20]> {
    let mut out = *b"0000-00-00T00:00:00Z";
    put_date_time(&mut out, &t)?;
    Some(out)
}

/// A local time as `to_rfc3339` writes it (`2026-03-10T11:00:00-04:00`), for a decision's
/// `localTimes`; digit by digit like [`whole_second_text`] when the instant is on a whole
/// second in the years 0 to 9999 and the offset is whole minutes, else chrono's text.
pub(crate) fn local_time_text(local: DateTime<chrono_tz::Tz>) -> String {
    use chrono::Offset;
    let offset = local.offset().fix().local_minus_utc();
    let mut out = *b"0000-00-00T00:00:00+00:00";
    if offset % 60 != 0 || put_date_time(&mut out, &local).is_none() {
        return local.to_rfc3339();
    }
    let minutes = offset.unsigned_abs() / 60;
    out[19] = if offset < 0 { b'-' } else { b'+' };
    put_digits(&mut out, 20, 2, minutes / 60);
    put_digits(&mut out, 23, 2, minutes % 60);
    String::from_utf8(out.to_vec()).expect("ASCII digits")
}

/// Writes `YYYY-MM-DDTHH:MM:SS` of `t` (its own calendar and clock) at the start of `out`;
/// `None` for a year outside 0 to 9999 or a fraction of a second.
fn put_date_time<Tz: chrono::TimeZone>(out: &mut [u8], t: &DateTime<Tz>) -> Option<()> {
    use chrono::{Datelike, Timelike};
    let year = u32::try_from(t.year()).ok().filter(|&y| y <= 9999)?;
    if t.nanosecond() != 0 {
        return None;
    }
    put_digits(out, 0, 4, year);
    put_digits(out, 5, 2, t.month());
    put_digits(out, 8, 2, t.day());
    put_digits(out, 11, 2, t.hour());
    put_digits(out, 14, 2, t.minute());
    put_digits(out, 17, 2, t.second());
    Some(())
}

fn put_digits(out: &mut [u8], at: usize, width: usize, mut n: u32) {
    for i in (at..at + width).rev() {
        out[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

fn ser_rule_set<S: serde::Serializer>(id: &std::sync::Arc<crate::RuleSetId>, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&**id, s)
}

fn ser_opt_time<S: serde::Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => with_time_text(*t, |text| s.serialize_str(text)),
        None => s.serialize_none(),
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    data: &'a Decision,
    message: String,
    status: u16,
}

impl Decision {
    /// The platform's response envelope: `{"status": 200, "message": …, "data": decision}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "status": 200, "message": self.summary(), "data": self })
    }

    /// The envelope of [`Decision::to_json`] as `rulec eval --format json` prints it (pretty,
    /// keys sorted, a final newline), written straight into `out` without building the JSON
    /// tree first: what a server or a batch writes for every decision.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        // Writing into memory cannot fail, and every value here serializes.
        serde_json::to_writer_pretty(&mut *out, &self.envelope()).expect("a decision serializes");
        out.push(b'\n');
    }

    /// The envelope of [`Decision::to_json`] on one line, as `to_json().to_string()` gives it
    /// (keys sorted, no spaces, no final newline), written straight into `out`: a batch's
    /// output line.
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        serde_json::to_writer(&mut *out, &self.envelope()).expect("a decision serializes");
    }

    /// The envelope's fields are declared in their names' byte order, the order of the tree's
    /// sorted keys, so that it serializes to the same bytes as [`Decision::to_json`].
    fn envelope(&self) -> Envelope<'_> {
        Envelope { data: self, message: self.summary(), status: 200 }
    }

    /// The envelope's `message`: `allowed`, `allowed with 1 warning`, `blocked by 2 rules`.
    fn summary(&self) -> String {
        if self.result {
            if self.warnings.is_empty() {
                "allowed".to_string()
            } else {
                format!("allowed with {} warning{}", self.warnings.len(), plural(self.warnings.len()))
            }
        } else {
            format!("blocked by {} rule{}", self.blocked_by.len(), plural(self.blocked_by.len()))
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

    /// The digit-by-digit text is chrono's, wherever it is used.
    #[test]
    fn instants_are_written_as_chrono_writes_them() {
        let mut instants: Vec<DateTime<Utc>> = Vec::new();
        for year in [-1, 0, 1, 9, 10, 99, 999, 1000, 1970, 2026, 9998, 9999, 10000] {
            for (month, day, h, m, s) in [(1, 1, 0, 0, 0), (2, 28, 9, 5, 7), (12, 31, 23, 59, 59), (7, 4, 12, 30, 1)] {
                instants.push(Utc.with_ymd_and_hms(year, month, day, h, m, s).unwrap());
            }
        }
        let base = Utc.with_ymd_and_hms(2026, 3, 8, 6, 59, 59).unwrap();
        instants.extend((0..1000).map(|i| base + chrono::Duration::seconds(i * 86_413 + i * i)));
        instants.push(base + chrono::Duration::milliseconds(1));
        instants.push(base + chrono::Duration::nanoseconds(1));
        for t in instants {
            let chrono_text = t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
            assert_eq!(super::format_time(t), chrono_text);
            let mut ours = serde_json::Serializer::new(Vec::new());
            super::ser_opt_time(&Some(t), &mut ours).unwrap();
            assert_eq!(String::from_utf8(ours.into_inner()).unwrap(), format!("\"{chrono_text}\""));
        }
    }

    /// A local time's text is chrono's `to_rfc3339`, in zones west and east of Greenwich, with
    /// half-hour and 45-minute offsets, around DST changes, and before standard time (local
    /// mean time, offsets with seconds, which take chrono's road).
    #[test]
    fn local_times_are_written_as_chrono_writes_them() {
        use chrono_tz::Tz;
        let zones = [Tz::America__New_York, Tz::Pacific__Honolulu, Tz::Asia__Kolkata, Tz::Asia__Kathmandu, Tz::Europe__London, Tz::UTC, Tz::America__St_Johns, Tz::Pacific__Chatham];
        let base = Utc.with_ymd_and_hms(2026, 3, 8, 6, 59, 59).unwrap();
        let mut instants: Vec<DateTime<Utc>> = (0..400).map(|i| base + chrono::Duration::seconds(i * 86_413 + i * i)).collect();
        instants.extend([1800, 1883, 1, 9999].map(|y| Utc.with_ymd_and_hms(y, 6, 1, 12, 0, 0).unwrap()));
        instants.push(base + chrono::Duration::milliseconds(250));
        for zone in zones {
            for t in &instants {
                let local = t.with_timezone(&zone);
                assert_eq!(super::local_time_text(local), local.to_rfc3339(), "{zone} at {t}");
            }
        }
    }
}
