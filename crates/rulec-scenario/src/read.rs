//! A small strict reader over [`Value`]: typed accessors that record every problem in a
//! [`Ctx`] and carry on, so one pass reports all errors.
//!
//! Convention: a reader returns `None` when the value is absent or invalid; whenever it returns
//! `None` for a value that was present, it has recorded an error. `null` counts as absent.

use chrono::format::ParseErrorKind;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use rulec_model::{suggest, Vocabulary};

use crate::error::InputError;
use crate::yaml::Value;

/// The most errors listed for one document (or one case of a suite); the rest are counted in
/// a last line, so that a hostile file of a million bad values costs no more than a few.
pub const MAX_LISTED_ERRORS: usize = 1_000;

/// Where errors go while reading.
pub(crate) struct Ctx {
    /// The first [`MAX_LISTED_ERRORS`] errors.
    pub errors: Vec<InputError>,
    /// How many errors were found beyond those listed.
    pub unlisted: usize,
    /// Partial mode (a suite's `defaults`): a required field absent from an object that a case
    /// may still complete by merging is not an error, and cross-references are not resolved.
    pub partial: bool,
    /// How many lists we are inside; partial mode only forgives objects outside lists, since
    /// a case replaces a list wholesale.
    list_depth: usize,
}

impl Ctx {
    pub fn new(partial: bool) -> Self {
        Ctx { errors: Vec::new(), unlisted: 0, partial, list_depth: 0 }
    }

    pub fn error(&mut self, path: &str, message: impl Into<String>) {
        self.error_with(path, || message.into());
    }

    /// Records an error whose message is built only if it is listed: a message with a
    /// did-you-mean costs a search, and a file of a million bad values must not pay it a
    /// million times.
    pub fn error_with(&mut self, path: &str, message: impl FnOnce() -> String) {
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(InputError::new(path, message()));
        } else {
            self.unlisted += 1;
        }
    }

    /// Takes in the errors of another pass (its count of unlisted errors included).
    pub fn absorb(&mut self, errors: impl IntoIterator<Item = InputError>) {
        for error in errors {
            match unlisted_count(&error) {
                Some(n) => self.unlisted += n,
                None => self.error(&error.path, error.message),
            }
        }
    }

    /// How many errors were found, listed or not.
    pub fn count(&self) -> usize {
        self.errors.len() + self.unlisted
    }

    /// The errors, with a last line counting those not listed.
    pub fn into_errors(self) -> Vec<InputError> {
        let mut errors = self.errors;
        if self.unlisted > 0 {
            errors.push(unlisted_line(self.unlisted));
        }
        errors
    }

    /// Is a missing required field to be forgiven here?
    pub fn forgive_missing(&self) -> bool {
        self.partial && self.list_depth == 0
    }

    /// Reads each item of a list (an absent list is empty), tracking list depth.
    pub fn list<'v, T>(
        &mut self,
        path: &str,
        value: Option<&'v Value>,
        mut item: impl FnMut(&mut Ctx, &str, &'v Value) -> T,
    ) -> Vec<T> {
        let Some(value) = value else { return Vec::new() };
        let Value::Seq(items) = value else {
            self.error(path, format!("expected a list, found {}", value.describe()));
            return Vec::new();
        };
        self.list_depth += 1;
        let out = items.iter().enumerate().map(|(i, v)| item(self, &index(path, i), v)).collect();
        self.list_depth -= 1;
        out
    }
}

/// The line that counts errors not listed.
pub(crate) fn unlisted_line(n: usize) -> InputError {
    InputError::new("", format!("… and {n} more error{} (only the first {MAX_LISTED_ERRORS} are listed)", if n == 1 { "" } else { "s" }))
}

/// The count of a line made by [`unlisted_line`].
fn unlisted_count(error: &InputError) -> Option<usize> {
    if !error.path.is_empty() {
        return None;
    }
    let rest = error.message.strip_prefix("… and ")?;
    let (n, tail) = rest.split_once(' ')?;
    tail.ends_with(&format!("(only the first {MAX_LISTED_ERRORS} are listed)")).then_some(())?;
    n.parse().ok()
}

/// `path.key` (or `key` at the root).
pub(crate) fn key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `path[i]`.
pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// `a, b, c`, or the first `max` of them and `… (N more)`.
pub(crate) fn list_names<S: AsRef<str>>(names: &[S], max: usize) -> String {
    let mut out: Vec<&str> = names.iter().take(max).map(AsRef::as_ref).collect();
    let more;
    if names.len() > max {
        more = format!("… ({} more)", names.len() - max);
        out.push(&more);
    }
    out.join(", ")
}

/// The fields of one object, checked against the names it may have.
pub(crate) struct Fields<'v> {
    pub path: String,
    entries: &'v [(String, Value)],
}

impl<'v> Fields<'v> {
    /// Opens an object: reports a non-object and every unknown key (with did-you-mean over
    /// `known`). `None` when the value is not an object.
    pub fn open(cx: &mut Ctx, path: &str, value: &'v Value, known: &[&str]) -> Option<Fields<'v>> {
        let Value::Map(entries) = value else {
            cx.error(path, format!("expected an object, found {}", value.describe()));
            return None;
        };
        for (name, _) in entries {
            if !known.contains(&name.as_str()) {
                cx.error_with(&key(path, name), || match suggest(name, known) {
                    Some(s) => format!("unknown field, did you mean '{s}'?"),
                    None => format!("unknown field (expected one of: {})", known.join(", ")),
                });
            }
        }
        Some(Fields { path: path.to_string(), entries })
    }

    /// The value of a field; `null` counts as absent.
    pub fn get(&self, name: &str) -> Option<&'v Value> {
        self.raw(name).filter(|v| !matches!(v, Value::Null))
    }

    /// The value of a field, `null` included.
    pub fn raw(&self, name: &str) -> Option<&'v Value> {
        self.entries.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Is the field present and not null?
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The path of a field.
    pub fn at(&self, name: &str) -> String {
        key(&self.path, name)
    }

    /// An optional field read with `read`.
    pub fn opt<T>(
        &self,
        cx: &mut Ctx,
        name: &str,
        read: impl FnOnce(&mut Ctx, &str, &'v Value) -> Option<T>,
    ) -> Option<T> {
        let value = self.get(name)?;
        read(cx, &self.at(name), value)
    }

    /// A required field read with `read`; absence is reported (unless forgiven in partial mode).
    pub fn req<T>(
        &self,
        cx: &mut Ctx,
        name: &str,
        read: impl FnOnce(&mut Ctx, &str, &'v Value) -> Option<T>,
    ) -> Option<T> {
        match self.get(name) {
            Some(value) => read(cx, &self.at(name), value),
            None => {
                if !cx.forgive_missing() {
                    cx.error(&self.at(name), "required field missing");
                }
                None
            }
        }
    }
}

fn expected(cx: &mut Ctx, path: &str, what: &str, value: &Value) {
    let hint = match (what, value) {
        ("a text", Value::Int(_) | Value::Float(_) | Value::Bool(_)) => " (write it in quotes)",
        ("a yes/no value", Value::Str(s))
            if matches!(s.to_ascii_lowercase().as_str(), "yes" | "no" | "true" | "false" | "on" | "off") =>
        {
            " (write true or false, without quotes)"
        }
        _ => "",
    };
    cx.error(path, format!("expected {what}, found {}{hint}", value.describe()));
}

/// Text.
pub(crate) fn text(cx: &mut Ctx, path: &str, value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.clone()),
        other => {
            expected(cx, path, "a text", other);
            None
        }
    }
}

/// An identifier: non-empty text; a whole number is accepted and read as its digits
/// (YAML users write `id: 12345`).
pub(crate) fn ident(cx: &mut Ctx, path: &str, value: &Value) -> Option<String> {
    let s = match value {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        other => {
            expected(cx, path, "an id (text)", other);
            return None;
        }
    };
    if is_blank_id(&s) {
        cx.error(path, "an id must not be empty");
        return None;
    }
    Some(s)
}

/// An id that is empty or only spaces, which no reference could name.
pub(crate) fn is_blank_id(id: &str) -> bool {
    id.trim().is_empty()
}

/// A boolean.
pub(crate) fn boolean(cx: &mut Ctx, path: &str, value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        other => {
            expected(cx, path, "a yes/no value", other);
            None
        }
    }
}

/// A whole number that is not negative.
pub(crate) fn count(cx: &mut Ctx, path: &str, value: &Value) -> Option<i64> {
    match value {
        Value::Int(i) if *i >= 0 => Some(*i),
        Value::Int(i) => {
            cx.error(path, format!("expected a whole number of at least 0, found {i}"));
            None
        }
        other => {
            expected(cx, path, "a whole number", other);
            None
        }
    }
}

/// A name from one of the model's lists (aliases accepted).
pub(crate) fn name<V: Vocabulary>(cx: &mut Ctx, path: &str, value: &Value) -> Option<V> {
    let noun = V::KIND.describe();
    let Value::Str(s) = value else {
        expected(cx, path, noun, value);
        return None;
    };
    if let Some(v) = V::from_name(s) {
        return Some(v);
    }
    cx.error_with(path, || match suggest(s, V::NAMES) {
        Some(close) => format!("'{s}' is not {noun}, did you mean '{close}'?"),
        None => format!("'{s}' is not {noun} (expected one of: {})", V::NAMES.join(", ")),
    });
    None
}

const DATE_TIME_EXAMPLE: &str = "e.g. 2026-03-10T15:00:00Z or 2026-03-10T11:00:00-04:00";

/// An RFC 3339 date-time with an offset. With `date_only`, a bare date (`2026-03-10`) is
/// accepted and means 00:00 UTC that day.
pub(crate) fn date_time(cx: &mut Ctx, path: &str, value: &Value, date_only: bool) -> Option<DateTime<Utc>> {
    let Value::Str(s) = value else {
        expected(cx, path, "a date-time", value);
        return None;
    };
    let s = s.trim();
    let message = match read_instant(s) {
        Instant::At(t) => return Some(t),
        Instant::Date(d) if date_only => return Some(midnight(d)),
        Instant::OutOfRange => format!("'{s}' is not a valid date-time: a field is out of range"),
        Instant::Date(_) => {
            format!("'{s}' is a date without a time; expected a date-time with an offset ({DATE_TIME_EXAMPLE})")
        }
        Instant::Malformed => {
            let without_offset = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
                .iter()
                .any(|f| NaiveDateTime::parse_from_str(s, f).is_ok());
            if without_offset {
                format!("'{s}' has no UTC offset; add Z or ±hh:mm ({DATE_TIME_EXAMPLE})")
            } else if looks_out_of_range(s) {
                format!("'{s}' is not a valid date-time: a field is out of range")
            } else {
                format!("'{s}' is not a date-time ({DATE_TIME_EXAMPLE})")
            }
        }
    };
    cx.error(path, message);
    None
}

/// 00:00 UTC on a date.
fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// What a date-time text (already trimmed) reads as: the one definition of the instants the
/// loader accepts, shared by [`date_time`] (which words the errors) and [`instant`].
pub(crate) enum Instant {
    /// RFC 3339 with an offset (a leap second read as the instant after it).
    At(DateTime<Utc>),
    /// An RFC 3339 shape with a field out of range.
    OutOfRange,
    /// A bare date, accepted where a date alone means 00:00 UTC.
    Date(NaiveDate),
    /// Anything else.
    Malformed,
}

pub(crate) fn read_instant(s: &str) -> Instant {
    if let Some(t) = whole_second_utc(s) {
        return Instant::At(t);
    }
    match DateTime::parse_from_rfc3339(s) {
        Ok(t) => Instant::At(without_leap_second(t.with_timezone(&Utc))),
        Err(e) if matches!(e.kind(), ParseErrorKind::OutOfRange | ParseErrorKind::Impossible) => Instant::OutOfRange,
        Err(_) => match calendar_date(s) {
            Some(d) => Instant::Date(d),
            None => Instant::Malformed,
        },
    }
}

/// The instant a date-time text (already trimmed) means, when the loader accepts it; with
/// `date_only`, a bare date means 00:00 UTC that day.
pub(crate) fn instant(s: &str, date_only: bool) -> Option<DateTime<Utc>> {
    match read_instant(s) {
        Instant::At(t) => Some(t),
        Instant::Date(d) if date_only => Some(midnight(d)),
        _ => None,
    }
}

/// A calendar date `YYYY-MM-DD` (already trimmed).
pub(crate) fn calendar_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The usual shape of an instant, `YYYY-MM-DDTHH:MM:SSZ`, read digit by digit: chrono's
/// general RFC 3339 parser costs as much as the rest of an interaction's reading. `None` for
/// any other text (an offset, a fraction, a leap second, lower-case `t` or `z`) and for a field
/// out of range: chrono reads those, and words what is wrong.
fn whole_second_utc(s: &str) -> Option<DateTime<Utc>> {
    let b: &[u8; 20] = s.as_bytes().try_into().ok()?;
    let punctuation = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'Z')];
    if punctuation.iter().any(|&(i, c)| b[i] != c) {
        return None;
    }
    let number = |from: usize, to: usize| b[from..to].iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')));
    let date = NaiveDate::from_ymd_opt(i32::try_from(number(0, 4)?).ok()?, number(5, 7)?, number(8, 10)?)?;
    let time = chrono::NaiveTime::from_hms_opt(number(11, 13)?, number(14, 16)?, number(17, 19)?)?;
    Some(date.and_time(time).and_utc())
}

/// A leap second (`23:59:60`) is read as the first instant after it (`00:00:00`): instants are
/// UTC without leap seconds, so windows and release times computed from it stay ordered and a
/// release is never a second early.
fn without_leap_second(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Timelike;
    if t.nanosecond() < 1_000_000_000 {
        return t;
    }
    t.with_nanosecond(0).and_then(|whole| whole.checked_add_signed(chrono::Duration::seconds(1))).unwrap_or(t)
}

/// A string with the shape of a date-time or a date whose fields are impossible
/// (`2026-02-30`, `25:00`) is reported as out of range rather than malformed.
fn looks_out_of_range(s: &str) -> bool {
    // A year of four digits or more (`99999-01-01` is out of range, not malformed).
    let year = s.bytes().take_while(u8::is_ascii_digit).count().max(4);
    let b = &s.as_bytes()[(year - 4).min(s.len())..];
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10)
}

/// A calendar date `YYYY-MM-DD`.
pub(crate) fn date(cx: &mut Ctx, path: &str, value: &Value) -> Option<NaiveDate> {
    let Value::Str(s) = value else {
        expected(cx, path, "a date", value);
        return None;
    };
    let s = s.trim();
    match calendar_date(s) {
        Some(d) => Some(d),
        None if looks_out_of_range(s) && s.len() == 10 + s.bytes().take_while(u8::is_ascii_digit).count().saturating_sub(4) => {
            cx.error(path, format!("'{s}' is not a valid date: a field is out of range"));
            None
        }
        None => {
            cx.error(path, format!("'{s}' is not a date (expected YYYY-MM-DD, e.g. 1980-04-23)"));
            None
        }
    }
}

/// An IANA time zone name.
pub(crate) fn time_zone(cx: &mut Ctx, path: &str, value: &Value) -> Option<Tz> {
    let Value::Str(s) = value else {
        expected(cx, path, "a time zone name", value);
        return None;
    };
    if let Ok(tz) = s.parse::<Tz>() {
        return Some(tz);
    }
    cx.error_with(path, || {
        let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        match suggest(s, &names) {
            Some(close) => format!("'{s}' is not an IANA time zone, did you mean '{close}'?"),
            None => format!("'{s}' is not an IANA time zone (e.g. America/New_York, America/Chicago)"),
        }
    });
    None
}

/// Does `id` match AnyId: `^ext-.+`, `^[A-Z][A-Z0-9]-[A-Z0-9]+-[A-Z0-9]+$` or `^\d+$`?
pub fn is_any_id(id: &str) -> bool {
    if let Some(rest) = id.strip_prefix("ext-") {
        return !rest.is_empty();
    }
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let upper_or_digit = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    let parts: Vec<&str> = id.split('-').collect();
    match parts.as_slice() {
        [prefix, middle, last] => {
            let p = prefix.as_bytes();
            p.len() == 2
                && p[0].is_ascii_uppercase()
                && upper_or_digit(p[1])
                && !middle.is_empty()
                && middle.bytes().all(upper_or_digit)
                && !last.is_empty()
                && last.bytes().all(upper_or_digit)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_id() {
        for ok in ["ext-1", "ext-abc def", "BO-AAAA-1111", "B0-1-2", "12345", "0"] {
            assert!(is_any_id(ok), "{ok}");
        }
        for bad in ["ext-", "abc", "bo-AAAA-1111", "BOX-A-1", "BO-A", "BO-A-1-2", "BO--1", "BO-a-1", "", "1a", "０"] {
            assert!(!is_any_id(bad), "{bad}");
        }
    }

    #[test]
    fn the_usual_instant_shape_reads_as_chrono_reads_it() {
        let chrono_utc = |s: &str| DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc));
        let mut taken = 0;
        for year in [0, 1, 999, 1969, 1970, 2000, 2024, 2026, 2100, 9999] {
            for month in 0..=13 {
                for day in [0, 1, 28, 29, 30, 31, 32] {
                    for (hour, minute, second) in [(0, 0, 0), (23, 59, 59), (24, 0, 0), (12, 60, 0), (12, 0, 60), (12, 0, 61), (9, 5, 7)] {
                        let s = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
                        // Taken exactly when chrono reads it to a whole second (a leap second
                        // is left to chrono and `without_leap_second`), to the same instant.
                        let expected = chrono_utc(&s).filter(|_| second < 60);
                        assert_eq!(whole_second_utc(&s), expected, "{s}");
                        taken += usize::from(expected.is_some());
                        // Any other spelling is left to chrono.
                        for other in [s.to_lowercase(), s.replace('Z', "+00:00"), s.replace('Z', ".5Z"), format!(" {s}"), format!("O{}", &s[1..])] {
                            assert_eq!(whole_second_utc(&other), None, "{other}");
                        }
                    }
                }
            }
        }
        assert!(taken > 1000, "{taken}");
    }

    #[test]
    fn date_times() {
        let mut cx = Ctx::new(false);
        let v = |s: &str| Value::Str(s.into());
        let t = date_time(&mut cx, "x", &v("2026-03-10T11:00:00-04:00"), false).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-10T15:00:00+00:00");
        let d = date_time(&mut cx, "x", &v("2026-03-10"), true).unwrap();
        assert_eq!(d.to_rfc3339(), "2026-03-10T00:00:00+00:00");
        assert!(cx.errors.is_empty());
        let leap = date_time(&mut cx, "x", &v("2016-12-31T23:59:60Z"), false).unwrap();
        assert_eq!(leap.to_rfc3339(), "2017-01-01T00:00:00+00:00", "a leap second is read as the instant after it");
        assert!(date_time(&mut cx, "x", &v("2026-03-10"), false).is_none());
        assert!(date_time(&mut cx, "x", &v("2026-02-30T10:00:00Z"), false).is_none());
        assert!(date_time(&mut cx, "x", &v("2026-03-10T10:00:00"), false).is_none());
        assert!(date_time(&mut cx, "x", &v("soon"), false).is_none());
        let messages: Vec<String> = cx.errors.iter().map(|e| e.message.clone()).collect();
        assert!(messages[0].contains("date without a time"), "{messages:?}");
        assert!(messages[1].contains("out of range"), "{messages:?}");
        assert!(messages[2].contains("no UTC offset"), "{messages:?}");
        assert!(messages[3].contains("is not a date-time"), "{messages:?}");
    }
}
