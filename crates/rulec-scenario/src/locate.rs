//! Where an [`InputError`] is in the text: line, column and byte span, plus a plain-language
//! hint where the message alone would puzzle (a tab, a value YAML read as something else).
//!
//! Loading never pays for this: a caller that has errors asks [`locate`] for them. Syntax
//! errors carry their position in the message (`line L, column C: …`); a validation error
//! has only a path (`contacts[2].affilation`), which is found again in the text by walking the
//! parser's events to it (see [`crate::yaml::position_of`]). An unknown field points at its
//! key, a bad value at the value, a missing field at the object's key (the deepest part of the
//! path the text holds). An error whose value came from a suite's `defaults` points there.

use crate::error::{InputError, InputErrors};
use crate::yaml::{self, Value};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// How many errors of one text are located: each costs a parse of the text, and a reader
/// looks at the first ones (the rest are listed without a position).
pub const MAX_LOCATED: usize = 20;

/// Where an error is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offset in the text as given (a byte-order mark included).
    pub offset: usize,
    /// Length in bytes of what is pointed at (the key, the scalar, or one character).
    pub len: usize,
    /// A plain-language hint, when the message alone would puzzle.
    pub help: Option<String>,
}

/// The location of each error of `errors` in `text`, in order (`None` where it cannot be
/// found, and beyond the first [`MAX_LOCATED`]).
pub fn locate(text: &str, errors: &InputErrors) -> Vec<Option<Location>> {
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let body = &text[bom..];
    // The tree tells how much of each path the document holds; parsed once, only if needed.
    let mut tree: Option<Option<Value>> = None;
    errors
        .iter()
        .enumerate()
        .map(|(i, error)| {
            if i >= MAX_LOCATED {
                return None;
            }
            let mut at = if error.path.is_empty() {
                syntax_position(error).map(|(line, column)| at_position(body, line, column))
            } else {
                let tree = tree.get_or_insert_with(|| yaml::parse(body).ok());
                tree.as_ref().and_then(|tree| locate_path(body, tree, error))
            }?;
            at.help = help(body, error, &at);
            at.offset += bom;
            Some(at)
        })
        .collect()
}

/// `line L, column C: …` at the start of a syntax error's message.
fn syntax_position(error: &InputError) -> Option<(usize, usize)> {
    let rest = error.message.strip_prefix("line ")?;
    let (line, rest) = rest.split_once(", column ")?;
    let (column, _) = rest.split_once(": ")?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// The location of a 1-based line and column, pointing at the token there.
fn at_position(text: &str, line: usize, column: usize) -> Location {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let line_text = text[line_start.min(text.len())..].split('\n').next().unwrap_or("");
    let offset = line_start
        + line_text.char_indices().nth(column.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i);
    let offset = offset.min(text.len());
    Location { line, column, offset, len: token_len(&text[offset..]), help: None }
}

/// The length of the scalar or key starting here (to the end of a quoted text, or up to a
/// `: `, `,`, `]`, `}`, ` #` or the line's end); one character at least, none at the end.
fn token_len(rest: &str) -> usize {
    let Some(first) = rest.chars().next() else { return 0 };
    if first == '"' || first == '\'' {
        let end = rest[1..].find([first, '\n']).map_or(rest.len(), |i| i + 2);
        return end.min(rest.len());
    }
    if matches!(first, '\n' | '\t' | '{' | '[' | '-' | '|' | '>') {
        return first.len_utf8();
    }
    let line = rest.split('\n').next().unwrap_or(rest);
    let mut end = line.len();
    for stop in [": ", ",", "]", "}", " #"] {
        if let Some(i) = line.find(stop) {
            end = end.min(i);
        }
    }
    if line.ends_with(':') && end == line.len() {
        end -= 1;
    }
    line[..end].trim_end().len().max(first.len_utf8())
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `cases[3].request.channel` → `cases`, 3, `request`, `channel`.
fn steps(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            steps.push(Step::Key(key.to_string()));
        }
        while let Some(rest) = indexes.strip_prefix('[') {
            let (n, after) = rest.split_once(']')?;
            steps.push(Step::Index(n.parse().ok()?));
            indexes = after;
        }
    }
    Some(steps)
}

fn locate_path(text: &str, tree: &Value, error: &InputError) -> Option<Location> {
    let mut steps = steps(&error.path)?;
    // A case's error from a value of the suite's defaults: point at the default.
    if error.message.ends_with(" (from defaults)") {
        if let [Step::Key(cases), Step::Index(_), rest @ ..] = steps.as_slice() {
            if cases == "cases" {
                steps = std::iter::once(Step::Key("defaults".to_string())).chain(rest.iter().cloned()).collect();
            }
        }
    }
    // The deepest part of the path the document holds: all of it but for a missing field.
    let mut held = 0;
    let mut value = tree;
    for step in &steps {
        let next = match (step, value) {
            (Step::Key(k), Value::Map(_)) => value.get(k),
            (Step::Index(i), Value::Seq(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(next) => {
                value = next;
                held += 1;
            }
            None => break,
        }
    }
    let whole = held == steps.len();
    let unknown = error.message.starts_with("unknown field") || error.message.starts_with("duplicate");
    // A scalar value is pointed at itself; a key whose value is an object or list, or whose
    // field is unknown, or under which a field is missing, at the key.
    let at_key = !whole || unknown || matches!(value, Value::Map(_) | Value::Seq(_) | Value::Null);
    let steps = &steps[..held];
    let (line, column) = yaml::position_of(text, Walk { steps, at_key })?;
    let mut at = at_position(text, line, column);
    if held == 0 {
        at.len = 0;
    }
    Some(at)
}

/// Hints for what YAML does that surprises: a tab, a number or yes/no value where a text
/// was meant.
fn help(text: &str, error: &InputError, at: &Location) -> Option<String> {
    let here = &text[at.offset.min(text.len())..];
    let message = &error.message;
    if message.contains("cannot start any token") && here.starts_with('\t')
        || message.contains("tab") && here.starts_with('\t')
    {
        return Some("YAML indents with spaces only: replace the tab with spaces".to_string());
    }
    let token = &here[..at.len.min(here.len())];
    if message.contains("expected a text, found a whole number") || message.contains("expected a text, found a decimal number") {
        let digits = token.trim_start_matches(['+', '-']);
        let mut help = format!("YAML reads `{token}` as a number; write it in quotes (\"{token}\") to keep it as text");
        if digits.starts_with('0') && digits.len() > 1 {
            help.push_str(", leading zeros included");
        }
        return Some(help);
    }
    if message.contains("expected a yes/no value, found a text")
        && matches!(token.to_ascii_lowercase().as_str(), "yes" | "no" | "on" | "off" | "y" | "n")
    {
        return Some(format!("YAML 1.2 reads `{token}` as text; write true or false"));
    }
    if message.contains("expected a text, found a yes/no value") {
        return Some(format!("YAML reads `{token}` as true or false; write it in quotes (\"{token}\") to keep it as text"));
    }
    None
}

/// Walks the parser's events along `steps` and stops there with an error, whose position
/// the parser fills in: the key of the last step (or its value), or the document's start.
pub(crate) struct Walk<'s> {
    steps: &'s [Step],
    at_key: bool,
}

/// The error that marks the place found.
pub(crate) const FOUND: &str = "rulec-scenario: located";

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Step::Key(wanted), rest)) = self.steps.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        // The key is read with a seed that stops on the wanted key when it is the target.
        while let Some(matched) = map.next_key_seed(KeyIs { wanted, stop: rest.is_empty() && self.at_key })? {
            if matched {
                return map.next_value_seed(Walk { steps: rest, at_key: self.at_key });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Step::Index(wanted), rest)) = self.steps.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        for _ in 0..*wanted {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Walk { steps: rest, at_key: self.at_key }).map(drop)
    }

    // A scalar is the target when no step is left; otherwise the path does not go on.
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
}

impl Walk<'_> {
    fn scalar<E: de::Error>(&self) -> Result<(), E> {
        if self.steps.is_empty() {
            Err(E::custom(FOUND))
        } else {
            Ok(())
        }
    }
}

/// Reads a key: true when it is the wanted one, or stops there when that is the target.
struct KeyIs<'w> {
    wanted: &'w str,
    stop: bool,
}

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        if key == self.wanted && self.stop {
            return Err(E::custom(FOUND));
        }
        Ok(key == self.wanted)
    }
    fn visit_i64<E: de::Error>(self, key: i64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
    fn visit_u64<E: de::Error>(self, key: u64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
    fn visit_bool<E: de::Error>(self, key: bool) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}
