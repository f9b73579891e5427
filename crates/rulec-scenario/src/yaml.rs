//! Text to [`Value`]: the only module that touches `serde_yaml` (and `serde_json`).
//!
//! `serde_yaml` is deprecated upstream but is the parser this workspace chose; keeping it behind
//! this one module (and behind our own [`Value`] tree) means it can be replaced without touching
//! the validation code. JSON is YAML, so the format is never chosen by file name: a text whose
//! first non-blank character is `{` or `[` is first read by `serde_json` (a streaming parser:
//! large exports from other systems cost only their tree), and if it is not valid JSON it is
//! read as YAML, which gives the same tree for the same document and its own error messages.
//!
//! Both parsers feed one builder (a serde visitor), so the tree is built once, in one pass, and
//! the limits of [`Limits`] are enforced while it is built, before anything beyond them is
//! allocated.
//!
//! What the conversion guarantees:
//! - map order is kept, and every map key is a string (a non-string key is an error);
//! - a duplicate key is an error;
//! - `<<` merge keys are applied, anchors and aliases are expanded; every value of the expanded
//!   tree counts against [`Limits::max_values`], so an alias bomb ("billion laughs") is refused
//!   after at most that many values, whatever its shape (the parser's own repetition limit
//!   stops the classic form earlier);
//! - YAML tags (`!foo`) are an error;
//! - numbers become [`Value::Int`] when they are whole and fit an `i64`, [`Value::Float`] when
//!   written with a fraction or exponent; a whole number beyond `i64` is an error;
//! - input over [`Limits::max_input_bytes`] is rejected before parsing, and nesting deeper than
//!   [`Limits::max_depth`] is an error, never a stack overflow.
//!
//! YAML 1.2 rules apply to plain scalars: `yes`/`no`/`on`/`off` are text, not booleans, and
//! `2026-03-10T15:00:00Z` is text (the validators parse date-times from text).

use crate::error::{InputError, InputErrors};
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

/// The largest input accepted by default, in bytes (128 MiB). See [`Limits::max_input_bytes`].
pub const MAX_INPUT_BYTES: usize = 128 * 1024 * 1024;

/// The deepest nesting of lists and objects accepted (also the most the parsers allow).
pub const MAX_DEPTH: usize = 128;

/// The most values a document may hold by default, aliases expanded (10 million).
pub const MAX_VALUES: usize = 10_000_000;

/// Resource limits of loading a scenario or suite. Every limit is checked before the memory it
/// guards is allocated: the size before the text is read (see [`crate::read_input`]) or parsed,
/// nesting before the parser recurses, the value count as the tree is built.
///
/// The defaults admit a scenario with a million past interactions written as compact JSON
/// (about 100 MB, 6 million values) and refuse a 200 MB file unread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest input, in bytes (default [`MAX_INPUT_BYTES`], 128 MiB).
    pub max_input_bytes: usize,
    /// The deepest nesting of `[`/`{` and block lists and objects (default and maximum
    /// [`MAX_DEPTH`], 128: the parsers refuse deeper nesting themselves).
    pub max_depth: usize,
    /// The most values (scalars, lists and objects, keys not counted) in the parsed tree,
    /// aliases and merge keys expanded (default [`MAX_VALUES`]). About 60 bytes of memory each.
    pub max_values: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_input_bytes: MAX_INPUT_BYTES, max_depth: MAX_DEPTH, max_values: MAX_VALUES }
    }
}

/// `134217728 bytes (128 MiB)`, or the bytes alone when not a whole number of MiB.
pub(crate) fn describe_bytes(n: usize) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{n} bytes ({} MiB)", n / (1024 * 1024))
    } else {
        format!("{n} bytes")
    }
}

/// The error of an input over the size limit; `size` is what is known of its size.
pub(crate) fn too_large(size: u64, limits: &Limits) -> InputErrors {
    InputErrors::one(
        "",
        format!("the input is {size} bytes, over the limit of {}", describe_bytes(limits.max_input_bytes)),
    )
}

/// A parsed YAML or JSON document, independent of the parser.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~`, or an empty value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number written with a fraction or an exponent.
    Float(f64),
    /// Text (YAML plain or quoted scalars that are not null, booleans or numbers).
    Str(String),
    /// A list.
    Seq(Vec<Value>),
    /// An object, in document order; keys are unique.
    Map(Vec<(String, Value)>),
}

impl Value {
    /// The noun used in "expected …, found …" messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a yes/no value",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a decimal number",
            Value::Str(_) => "a text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "an object",
        }
    }

    /// The value of a key, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Parses YAML or JSON text into a [`Value`] with the default [`Limits`].
pub fn parse(text: &str) -> Result<Value, InputErrors> {
    parse_with(text, &Limits::default())
}

/// Parses YAML or JSON text into a [`Value`].
///
/// Errors have an empty path (they concern the text, not a field); syntax errors start with
/// `line L, column C: `. Errors found while building the tree (non-string keys, tags, numbers
/// out of range, nesting, duplicate keys) carry the path of the offending value.
pub fn parse_with(text: &str, limits: &Limits) -> Result<Value, InputErrors> {
    if text.len() > limits.max_input_bytes {
        return Err(too_large(text.len() as u64, limits));
    }
    // A byte-order mark may open a YAML or JSON text; it is not part of the document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Valid JSON first, in one pass: the scans below look for what valid JSON cannot hold
    // (tags, directives) or what the builder refuses itself as it descends (nesting deeper than
    // the limit), so a JSON text that builds without any error needs neither. Any problem sends
    // the text down the full road below, so its errors read exactly as they always have.
    let json = match json_first(text).then(|| build_json(text, limits)) {
        Some((Ok(value), state)) if state.fatal.is_none() && state.errors.is_empty() => return Ok(value),
        json => json,
    };
    let max_depth = limits.max_depth.min(MAX_DEPTH);
    if let Some((line, column)) = too_deeply_bracketed(text, max_depth) {
        return Err(InputErrors::one(
            "",
            format!("line {line}, column {column}: nested deeper than {max_depth} levels"),
        ));
    }
    if let Some((line, column, tag)) = unsupported_tag(text) {
        let message = if tag == "%TAG" {
            "YAML %TAG directives are not supported".to_string()
        } else {
            format!("the YAML tag {tag} is not supported (a scenario holds text, numbers, yes/no values, lists and objects; write the value itself)")
        };
        return Err(InputErrors::one("", format!("line {line}, column {column}: {message}")));
    }
    // The JSON reader's build above, kept: its errors are reported once the scans found nothing.
    if let Some((result, state)) = json {
        if let Some(fatal) = state.fatal {
            return Err(InputErrors(vec![fatal]));
        }
        if let Ok(value) = result {
            return state.finish(value);
        }
        // Not JSON (YAML flow style, say): read it as YAML below, for YAML's messages.
    }
    let state = RefCell::new(State::new(limits));
    let result = Seed { state: &state, path: &Path::Root, depth: 0 }.deserialize(serde_yaml::Deserializer::from_str(text));
    let state = state.into_inner();
    if let Some(fatal) = state.fatal {
        return Err(InputErrors(vec![fatal]));
    }
    match result {
        Ok(value) => state.finish(value),
        Err(error) if error.to_string().contains("more than one document") => Err(after_the_document(text)),
        Err(error) => Err(syntax_error(error, text, max_depth)),
    }
}

/// The 1-based line and column where `walk` stops: it walks the parser's events to a place
/// and stops there with [`crate::locate::FOUND`], whose position the parser fills in (see
/// [`crate::locate`]; only asked for when there are errors to locate).
pub(crate) fn position_of(text: &str, walk: crate::locate::Walk<'_>) -> Option<(usize, usize)> {
    let error = walk.deserialize(serde_yaml::Deserializer::from_str(text)).err()?;
    if !error.to_string().contains(crate::locate::FOUND) {
        return None;
    }
    error.location().map(|at| (at.line(), at.column()))
}

/// The YAML reader says "more than one document" for any text after a complete one (JSON
/// followed by anything, a stray bracket): say what is there instead. A second document is
/// named as such only when a `---` or `...` line is there to start it.
fn after_the_document(text: &str) -> InputErrors {
    if text.trim_start().starts_with(['{', '[']) {
        if let Err(e) = serde_json::from_str::<de::IgnoredAny>(text) {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_string();
            let hint = if message == "trailing characters" {
                " after the end of the document (a scenario or suite is one document; for one scenario per line use `rulec eval --batch`)"
            } else {
                ""
            };
            return InputErrors::one("", format!("line {}, column {}: {message}{hint}", e.line(), e.column()));
        }
    }
    let separator = text.lines().enumerate().skip(1).find(|(_, l)| l.starts_with("---") || l.starts_with("..."));
    match separator {
        Some((i, _)) => InputErrors::one("", format!("line {}, column 1: a second YAML document starts here; a scenario or suite is one document", i + 1)),
        None => InputErrors::one("", "not valid YAML or JSON: text after the end of the document"),
    }
}

/// The core YAML tags, whose meaning the tree keeps (`!!str 123` is the text `123`).
const CORE_TAGS: &[&str] = &["str", "int", "float", "bool", "null", "seq", "map"];

/// Where a value carries a YAML tag the tree cannot keep: a tag of the standard `!!` namespace
/// other than the core ones (`!!binary`, which the YAML reader would hand over as its base64
/// text, `!!timestamp`, `!!set`, `!!omap`, …), the same written verbatim (`!<tag:yaml.org,
/// 2002:binary>`), or a `%TAG` directive (which could rename them). Local tags (`!foo`) are left
/// to the builder, which refuses them. Tags are looked for where a value begins (at a line's
/// start, after `:`, `-`, `?`, `[`, `{`, `,` or an anchor), outside quotes and comments, in one
/// pass.
fn unsupported_tag(text: &str) -> Option<(usize, usize, String)> {
    if !text.contains("!!") && !text.contains("!<") && !text.contains("%TAG") {
        return None;
    }
    let bytes = text.as_bytes();
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let prev = if i == 0 { b'\n' } else { bytes[i - 1] };
        match (quote, b) {
            (_, b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"') if prev.is_ascii_whitespace() || matches!(prev, b'[' | b'{' | b',' | b':') => quote = Some(b),
            (None, b'#') if prev.is_ascii_whitespace() => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            (None, b'%') if i == line_start && text[i..].starts_with("%TAG") => return Some((line, 1, "%TAG".to_string())),
            (None, b'!') if starts_value(&text[line_start..i]) => {
                let rest = &text[i..];
                let end = if rest.starts_with("!<") {
                    rest.find('>').map_or(rest.len(), |e| e + 1)
                } else {
                    rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}')).unwrap_or(rest.len())
                };
                let tag = &rest[..end];
                let name = tag
                    .strip_prefix("!!")
                    .or_else(|| tag.strip_prefix("!<tag:yaml.org,2002:").and_then(|t| t.strip_suffix('>')));
                let refused = match name {
                    Some(name) => !CORE_TAGS.contains(&name),
                    None => tag.starts_with("!<") && !tag.starts_with("!<!"),
                };
                if refused {
                    return Some((line, text[line_start..i].chars().count() + 1, tag.to_string()));
                }
                i += end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Does a value begin after this much of a line? At its start, after an indicator (`key:`,
/// `- `, `? `, `[`, `{`, `,`), or after an anchor that itself begins one (`&a !!binary x`).
fn starts_value(before: &str) -> bool {
    let mut before = before.trim_end();
    if let Some((head, last)) = before.rsplit_once(|c: char| c.is_whitespace()).or(Some(("", before))) {
        if last.starts_with('&') {
            before = head.trim_end();
        }
    }
    before.is_empty() || before.ends_with([':', '-', '?', '[', '{', ','])
}

/// The value tree of a JSON text, built by the JSON reader with the limits counted as it goes,
/// and the state the build left (its errors, or the one that stopped it).
fn build_json(text: &str, limits: &Limits) -> (Result<Value, serde_json::Error>, State) {
    let state = RefCell::new(State::new(limits));
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Seed { state: &state, path: &Path::Root, depth: 0 }.deserialize(&mut de).and_then(|value| de.end().map(|()| value));
    (result, state.into_inner())
}

/// Is the text for the JSON reader? It must look like JSON, and hold no run of 19 digits or
/// more: the JSON reader turns whole numbers beyond 64 bits into decimals, where the YAML
/// reader reports them as out of range (a long id in quotes just takes the YAML road).
pub(crate) fn json_first(text: &str) -> bool {
    text.trim_start().starts_with(['{', '[']) && !has_digit_run(text.as_bytes(), BEYOND_64_BITS)
}

/// Whole numbers of this many digits may not fit 64 bits.
const BEYOND_64_BITS: usize = 19;

/// Does `bytes` hold `run` digits in a row? Every `run`-th byte is looked at, and only a
/// digit there is looked around: any `run` bytes in a row hold exactly one of the bytes looked
/// at, so a text of mostly short numbers is scanned about `run` times faster than byte by byte
/// (this scan runs on every JSON text the loader reads).
fn has_digit_run(bytes: &[u8], run: usize) -> bool {
    let mut p = run - 1;
    while p < bytes.len() {
        if !bytes[p].is_ascii_digit() {
            p += run;
            continue;
        }
        let start = bytes[..p].iter().rposition(|b| !b.is_ascii_digit()).map_or(0, |i| i + 1);
        let end = bytes[p..].iter().position(|b| !b.is_ascii_digit()).map_or(bytes.len(), |i| p + i);
        if end - start >= run {
            return true;
        }
        // A later run starts after `end`, so it holds a byte at `end + run` or further on.
        p = end + run;
    }
    false
}

/// A cheap scan before parsing: where `[`/`{` brackets nest deeper than `max_depth`. The
/// parser spends quadratic time on deeply nested flow mappings before its own depth limit
/// stops it, so hostile nesting is refused here first. Quoted scalars (a quote that follows a
/// space, a line start or a flow indicator) and comments are skipped; brackets inside plain or
/// block scalars are counted, so a text holding more than 128 unclosed brackets is refused
/// too (a false alarm no real scenario raises).
fn too_deeply_bracketed(text: &str, max_depth: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1usize, 0usize);
    let mut prev = '\n';
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '#' if prev.is_whitespace() => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        column = 0;
                        break;
                    }
                }
                prev = '\n';
                continue;
            }
            '\'' | '"' if prev.is_whitespace() || matches!(prev, '[' | '{' | ',' | ':') => {
                let mut escaped = false;
                for q in chars.by_ref() {
                    column += 1;
                    if q == '\n' {
                        line += 1;
                        column = 0;
                    }
                    if c == '"' && q == '\\' && !escaped {
                        escaped = true;
                        continue;
                    }
                    if q == c && !escaped {
                        break;
                    }
                    escaped = false;
                }
            }
            '[' | '{' => {
                depth += 1;
                if depth > max_depth {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    None
}

fn syntax_error(error: serde_yaml::Error, source: &str, max_depth: usize) -> InputErrors {
    let text = error.to_string();
    // The reader's errors (a control character, say) carry a byte position and the location
    // of the document's start: locate them by the position instead.
    if let Some((message, position)) = text.rsplit_once(" at position ") {
        if let Ok(position) = position.split_whitespace().next().unwrap_or("").parse::<usize>() {
            let before = source.get(..position.min(source.len())).unwrap_or(source);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return InputErrors::one("", format!("line {line}, column {column}: {message}"));
        }
    }
    let message = match error.location() {
        Some(at) => {
            let suffix = format!(" at line {} column {}", at.line(), at.column());
            let mut text = text.replacen(&suffix, "", 1);
            if text == "recursion limit exceeded" {
                text = format!("nested deeper than {max_depth} levels");
            }
            format!("line {}, column {}: {}", at.line(), at.column(), text)
        }
        None => format!("not valid YAML or JSON: {text}"),
    };
    InputErrors::one("", message)
}

// ---------------------------------------------------------------- the builder

/// Where a value is, built lazily: only rendered when an error needs it.
enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// The builder's state, shared by every level.
struct State {
    values: usize,
    max_values: usize,
    max_depth: usize,
    /// Errors after which building goes on (every one of them is reported).
    errors: Vec<InputError>,
    /// The error that stopped building (a limit, a duplicate key, a bad merge).
    fatal: Option<InputError>,
}

impl State {
    fn new(limits: &Limits) -> Self {
        State {
            values: 0,
            max_values: limits.max_values,
            max_depth: limits.max_depth.min(MAX_DEPTH),
            errors: Vec::new(),
            fatal: None,
        }
    }

    fn finish(self, value: Value) -> Result<Value, InputErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(InputErrors(self.errors))
        }
    }
}

/// Up to this many keys, an object's keys are checked for duplicates by scanning them.
const SCANNED_KEYS: usize = 16;

/// Builds one value at `path`, `depth` levels down.
#[derive(Clone, Copy)]
struct Seed<'s, 'p> {
    state: &'s RefCell<State>,
    path: &'p Path<'p>,
    depth: usize,
}

impl Seed<'_, '_> {
    /// Counts one value against the budget.
    fn count<E: de::Error>(&self) -> Result<(), E> {
        let mut state = self.state.borrow_mut();
        state.values += 1;
        if state.values > state.max_values {
            let message = format!(
                "the document has more than {} values (aliases expanded), over the limit",
                state.max_values
            );
            return Err(self.fail(&mut state, String::new(), message));
        }
        Ok(())
    }

    /// Records the error that stops building, and the error to stop the parser with.
    fn fail<E: de::Error>(&self, state: &mut State, path: String, message: String) -> E {
        if state.fatal.is_none() {
            state.fatal = Some(InputError::new(path, message));
        }
        E::custom("stopped")
    }

    fn error(&self, message: String) {
        self.state.borrow_mut().errors.push(InputError::new(self.path.to_string(), message));
    }

    fn nest<E: de::Error>(&self) -> Result<(), E> {
        if self.depth >= self.state.borrow().max_depth {
            let mut state = self.state.borrow_mut();
            let message = format!("nested deeper than {} levels", state.max_depth);
            return Err(self.fail(&mut state, self.path.to_string(), message));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.count()?;
        match i64::try_from(v) {
            Ok(i) => Ok(Value::Int(i)),
            Err(_) => {
                self.error(out_of_range(&v.to_string()));
                Ok(Value::Null)
            }
        }
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.count()?;
        match i64::try_from(v) {
            Ok(i) => Ok(Value::Int(i)),
            Err(_) => {
                self.error(out_of_range(&v.to_string()));
                Ok(Value::Null)
            }
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.count()?;
        match i64::try_from(v) {
            Ok(i) => Ok(Value::Int(i)),
            Err(_) => {
                self.error(out_of_range(&v.to_string()));
                Ok(Value::Null)
            }
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.count()?;
        self.nest()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            let path = Path::Index(self.path, items.len());
            let seed = Seed { state: self.state, path: &path, depth: self.depth + 1 };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.count()?;
        self.nest()?;
        let mut entries: Vec<(String, Value)> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        // The keys so far: the entries themselves while the object is small (a scan, no
        // hashing, no copies), a set once it is large (an object of a million keys stays linear).
        let mut seen: Option<HashSet<String>> = None;
        while let Some(key) = map.next_key_seed(KeySeed(self))? {
            match key {
                Key::Text(key) => {
                    let duplicate = match &mut seen {
                        Some(seen) => !seen.insert(key.clone()),
                        None if entries.len() < SCANNED_KEYS => entries.iter().any(|(k, _)| *k == key),
                        None => {
                            let set = seen.insert(entries.iter().map(|(k, _)| k.clone()).collect());
                            !set.insert(key.clone())
                        }
                    };
                    if duplicate {
                        let mut state = self.state.borrow_mut();
                        let message = format!("duplicate key {key:?} in an object");
                        return Err(self.fail(&mut state, self.path.to_string(), message));
                    }
                    let path = Path::Key(self.path, &key);
                    let value = map.next_value_seed(Seed { state: self.state, path: &path, depth: self.depth + 1 })?;
                    entries.push((key, value));
                }
                Key::Other { found, shown } => {
                    self.error(format!("keys must be text, found {found}{shown} (write the key in quotes)"));
                    // The value is built (and counted) but dropped.
                    let _ = map.next_value_seed(Seed { state: self.state, path: self.path, depth: self.depth + 1 })?;
                }
            }
        }
        if let Some(at) = entries.iter().position(|(k, _)| k == "<<") {
            let mut seen: HashSet<String> = entries.iter().map(|(k, _)| k.clone()).collect();
            let (_, merged) = entries.remove(at);
            let sources = match merged {
                Value::Map(m) => vec![m],
                Value::Seq(items) => {
                    let mut maps = Vec::with_capacity(items.len());
                    for item in items {
                        match item {
                            Value::Map(m) => maps.push(m),
                            other => {
                                let mut state = self.state.borrow_mut();
                                let message = format!("a `<<` merge list holds {}; it may only hold objects", other.describe());
                                return Err(self.fail(&mut state, Path::Key(self.path, "<<").to_string(), message));
                            }
                        }
                    }
                    maps
                }
                Value::Null if self.state.borrow().fatal.is_none() && !self.state.borrow().errors.is_empty() => Vec::new(),
                other => {
                    let mut state = self.state.borrow_mut();
                    let message = format!("a `<<` merge key needs an object or a list of objects, found {}", other.describe());
                    return Err(self.fail(&mut state, Path::Key(self.path, "<<").to_string(), message));
                }
            };
            for source in sources {
                for (k, v) in source {
                    if seen.insert(k.clone()) {
                        entries.push((k, v));
                    }
                }
            }
        }
        Ok(Value::Map(entries))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents) = data.variant::<String>()?;
        let path = self.path;
        // The tagged value is built (and counted) but dropped.
        let _ = contents.newtype_variant_seed(self)?;
        let tag = format!("!{}", tag.trim_start_matches('!'));
        self.state.borrow_mut().errors.push(InputError::new(path.to_string(), format!("YAML tags are not supported (found {tag})")));
        Ok(Value::Null)
    }
}

/// The message for a whole number beyond `i64`.
fn out_of_range(number: &str) -> String {
    if number.starts_with('-') {
        format!("the number {number} is too small (whole numbers go down to {})", i64::MIN)
    } else {
        format!("the number {number} is too large (whole numbers go up to {})", i64::MAX)
    }
}

/// A map key: text, or what it is instead.
enum Key {
    Text(String),
    Other { found: &'static str, shown: String },
}

/// Reads a key; a list or object key is built (and counted) by the seed, then dropped.
struct KeySeed<'s, 'p>(Seed<'s, 'p>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(Key::Text(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(Key::Text(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
        Ok(Key::Other { found: "a yes/no value", shown: format!(" ({v})") })
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
        Ok(Key::Other { found: "a number", shown: format!(" ({v})") })
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
        Ok(Key::Other { found: "a number", shown: format!(" ({v})") })
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Key, E> {
        Ok(Key::Other { found: "a number", shown: format!(" ({v})") })
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Key, E> {
        Ok(Key::Other { found: "a number", shown: format!(" ({v})") })
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
        let shown = if v.is_finite() { format!(" ({v:?})") } else { String::new() };
        Ok(Key::Other { found: "a number", shown })
    }
    fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
        Ok(Key::Other { found: "null", shown: String::new() })
    }
    fn visit_none<E: de::Error>(self) -> Result<Key, E> {
        Ok(Key::Other { found: "null", shown: String::new() })
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Key, A::Error> {
        self.0.visit_seq(seq)?;
        Ok(Key::Other { found: "a list", shown: String::new() })
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Key, A::Error> {
        self.0.visit_map(map)?;
        Ok(Key::Other { found: "an object", shown: String::new() })
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Key, A::Error> {
        let (_, contents) = data.variant::<de::IgnoredAny>()?;
        contents.newtype_variant_seed(self.0)?;
        Ok(Key::Other { found: "a tagged value", shown: String::new() })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn digit_runs_are_found_wherever_they_are() {
        let naive = |b: &[u8], run: usize| b.split(|c| !c.is_ascii_digit()).any(|digits| digits.len() >= run);
        // Every placement of runs of 17 to 21 digits among other bytes and shorter runs.
        let pieces = ["", "x", "12", "2026-03-10T15:00:00Z", "1234567890123456"];
        for run_length in 17..=21 {
            let digits = "7".repeat(run_length);
            for before in pieces {
                for after in pieces {
                    for pad in 0..25 {
                        let text = format!("{}{before}{digits}{after}", "a".repeat(pad));
                        assert_eq!(super::has_digit_run(text.as_bytes(), 19), naive(text.as_bytes(), 19), "{text}");
                        let split = format!("{text}{}", "9".repeat(pad % 20));
                        assert_eq!(super::has_digit_run(split.as_bytes(), 19), naive(split.as_bytes(), 19), "{split}");
                    }
                }
            }
        }
    }

    use super::*;

    #[test]
    fn bracket_scan() {
        let scan = |t: &str| too_deeply_bracketed(t, MAX_DEPTH);
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(scan(&deep(128)), None);
        assert_eq!(scan(&deep(129)), Some((1, 129)));
        let quoted = format!("a: '{}'\nb: \"{}\\\"\"\n# {}\n", "[".repeat(200), "{".repeat(200), "[".repeat(200));
        assert_eq!(scan(&quoted), None);
        assert_eq!(scan(&format!("x: it's\ny: {}", deep(200))), Some((2, 132)));
        assert!(parse(&quoted).is_ok());
    }

    #[test]
    fn duplicate_keys_in_small_and_large_objects() {
        // Small objects are checked by scanning their keys, large ones through a set: the same
        // answer and the same message either way, in JSON and YAML, before and after the switch.
        let object = |n: usize, extra: &str| format!("{{{}{extra}}}", (0..n).map(|i| format!("\"k{i}\": {i}")).collect::<Vec<_>>().join(", "));
        for n in [1, 15, 16, 17, 40] {
            let Value::Map(entries) = parse(&object(n, "")).unwrap() else { panic!("an object") };
            assert_eq!(entries.len(), n);
            for k in [0, n - 1] {
                let text = object(n, &format!(", \"k{k}\": 0"));
                assert_eq!(parse(&text).unwrap_err().to_string(), format!("duplicate key \"k{k}\" in an object"), "{n} keys");
                let yaml = text.replace(['{', '}'], "").replace(", ", "\n").replace('"', "");
                assert_eq!(parse(&yaml).unwrap_err().to_string(), format!("duplicate key \"k{k}\" in an object"), "{n} keys, YAML");
            }
        }
        // A merge adds only the keys the object does not have, whatever its size.
        let keys = (0..20).map(|i| format!("k{i}: {i}")).collect::<Vec<_>>().join(", ");
        let merged = parse(&format!("base: &b {{k0: x, z: y}}\nthis: {{<<: *b, {keys}}}")).unwrap();
        let Some(Value::Map(entries)) = merged.get("this") else { panic!("an object") };
        assert_eq!(entries.len(), 21);
        assert_eq!(merged.get("this").and_then(|t| t.get("k0")), Some(&Value::Int(0)));
        assert_eq!(merged.get("this").and_then(|t| t.get("z")), Some(&Value::Str("y".into())));
    }

    #[test]
    fn depth_limit_of_the_builder() {
        // Nesting the scan accepts (128 brackets) builds; block nesting has the same limit.
        let v = parse(&format!("{}1{}", "[".repeat(127), "]".repeat(127))).unwrap();
        let mut depth = 0;
        let mut at = &v;
        while let Value::Seq(items) = at {
            depth += 1;
            at = &items[0];
        }
        assert_eq!(depth, 127);
        let limits = Limits { max_depth: 3, ..Limits::default() };
        let errors = parse_with("a:\n  b:\n    c:\n      d: 1\n", &limits).unwrap_err();
        assert_eq!(errors.to_string(), "a.b.c: nested deeper than 3 levels");
        let errors = parse_with("[[[[1]]]]", &limits).unwrap_err();
        assert_eq!(errors.to_string(), "line 1, column 4: nested deeper than 3 levels");
    }

    #[test]
    fn json_and_yaml_give_the_same_tree() {
        let json = r#"{"a": [1, -2, 3.5, "x", null, true, {"b": "c"}], "d": {}}"#;
        let yaml = "a: [1, -2, 3.5, x, null, true, {b: c}]\nd: {}\n";
        assert!(json_first(json));
        assert_eq!(parse(json).unwrap(), parse(yaml).unwrap());
        // Not JSON, but YAML flow style: read as YAML.
        assert_eq!(parse("{a: [1, -2, 3.5, x, null, true, {b: c}], d: {}}").unwrap(), parse(yaml).unwrap());
    }

    #[test]
    fn numbers_beyond_64_bits() {
        for text in ["{\"n\": 9223372036854775808}", "n: 9223372036854775808", "n: 99999999999999999999999"] {
            assert_eq!(
                parse(text).unwrap_err().to_string(),
                format!("n: the number {} is too large (whole numbers go up to 9223372036854775807)", &text[text.find(": ").unwrap() + 2..].trim_end_matches('}')),
                "{text}"
            );
        }
        assert_eq!(
            parse("n: -99999999999999999999999").unwrap_err().to_string(),
            "n: the number -99999999999999999999999 is too small (whole numbers go down to -9223372036854775808)"
        );
        assert_eq!(parse("{\"n\": 9223372036854775807}").unwrap().get("n"), Some(&Value::Int(i64::MAX)));
    }

    #[test]
    fn the_value_budget_counts_expanded_aliases() {
        let limits = Limits { max_values: 100, ..Limits::default() };
        let flat = format!("a: &a [{}]\nb: [{}]\n", ["x"; 20].join(","), ["*a"; 10].join(","));
        let errors = parse_with(&flat, &limits).unwrap_err();
        assert_eq!(errors.to_string(), "the document has more than 100 values (aliases expanded), over the limit");
        assert!(parse(&flat).is_ok());
        let json = format!("[{}]", vec!["1"; 101].join(","));
        assert_eq!(parse_with(&json, &limits).unwrap_err().len(), 1);
    }

    #[test]
    fn merge_keys() {
        let v = parse("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n").unwrap();
        assert_eq!(
            v.get("c"),
            Some(&Value::Map(vec![("y".into(), Value::Int(3)), ("x".into(), Value::Int(1))]))
        );
        let errors = parse("c:\n  <<: 1\n").unwrap_err();
        assert_eq!(errors.to_string(), "c.<<: a `<<` merge key needs an object or a list of objects, found a whole number");
    }

    #[test]
    fn standard_tags_that_the_tree_would_lose_are_refused() {
        for (text, at) in [
            ("a: !!binary aGVsbG8=\n", "line 1, column 4: the YAML tag !!binary"),
            ("a:\n  - x\n  - !!timestamp 2026-03-10\n", "line 3, column 5: the YAML tag !!timestamp"),
            ("a: &x !!set {b: null}\n", "line 1, column 7: the YAML tag !!set"),
            ("a: [1, !!binary aGk=]\n", "line 1, column 8: the YAML tag !!binary"),
            ("a: !<tag:yaml.org,2002:binary> aGk=\n", "line 1, column 4: the YAML tag !<tag:yaml.org,2002:binary>"),
            ("%TAG !e! tag:yaml.org,2002:\n---\na: !e!binary aGk=\n", "line 1, column 1: YAML %TAG directives"),
        ] {
            let message = parse(text).unwrap_err().to_string();
            assert!(message.starts_with(at), "{text:?}: {message}");
        }
        // Core tags keep their meaning; tags inside text, quotes and comments are not tags.
        assert_eq!(parse("a: !!str 123\n").unwrap().get("a"), Some(&Value::Str("123".into())));
        assert_eq!(parse("a: !!int \"7\"\n").unwrap().get("a"), Some(&Value::Int(7)));
        for text in ["a: wow !!binary\n", "a: 'x !!binary'\nb: \"!!binary\"\n", "a: 1 # !!binary\n", "{\"a\": \"!!binary x\"}"] {
            assert!(parse(text).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn a_byte_order_mark_and_text_after_the_document() {
        assert_eq!(parse("\u{feff}a: 1\n").unwrap(), parse("a: 1\n").unwrap());
        assert_eq!(parse("\u{feff}{\"a\": 1}").unwrap(), parse("a: 1\n").unwrap());
        assert_eq!(
            parse("{\"a\": 1} garbage").unwrap_err().to_string(),
            "line 1, column 10: trailing characters after the end of the document (a scenario or suite is one document; for one scenario per line use `rulec eval --batch`)"
        );
        assert!(parse("{\"a\": 1}\n{\"b\": 2}\n").unwrap_err().to_string().starts_with("line 2, column 1: trailing characters"));
        assert_eq!(parse("a: 1\n---\nb: 2\n").unwrap_err().to_string(), "line 2, column 1: a second YAML document starts here; a scenario or suite is one document");
    }

    #[test]
    fn keys_and_tags() {
        assert_eq!(
            parse("1: a\n? [x]\n: b\n").unwrap_err().to_string(),
            "keys must be text, found a number (1) (write the key in quotes)\nkeys must be text, found a list (write the key in quotes)"
        );
        assert_eq!(parse("a: {b: !t x}").unwrap_err().to_string(), "a.b: YAML tags are not supported (found !t)");
        assert_eq!(parse("a: 1\na: 2").unwrap_err().to_string(), "duplicate key \"a\" in an object");
        assert_eq!(parse("{\"a\": {\"b\": 1, \"b\": 2}}").unwrap_err().to_string(), "a: duplicate key \"b\" in an object");
    }
}
