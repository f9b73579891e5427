//! Text to [`Value`]: the only module that touches `serde_yaml`.
//!
//! `serde_yaml` is deprecated upstream but is the parser this workspace chose; keeping it behind
//! this one module (and behind our own [`Value`] tree) means it can be replaced without touching
//! the validation code. JSON is YAML, so JSON documents go through the same parser: the format is
//! never chosen by file name.
//!
//! What the conversion guarantees:
//! - map order is kept, and every map key is a string (a non-string key is an error);
//! - a duplicate key is an error (the parser reports it);
//! - `<<` merge keys are applied, anchors and aliases are expanded (with the parser's own limit
//!   on repetition, which stops "billion laughs" documents);
//! - YAML tags (`!foo`) are an error;
//! - numbers become [`Value::Int`] when they are whole and fit an `i64`, [`Value::Float`] when
//!   written with a fraction or exponent; a whole number beyond `i64` is an error;
//! - input over [`MAX_INPUT_BYTES`] is rejected before parsing, and nesting deeper than
//!   [`MAX_DEPTH`] is an error, never a stack overflow.
//!
//! YAML 1.2 rules apply to plain scalars: `yes`/`no`/`on`/`off` are text, not booleans, and
//! `2026-03-10T15:00:00Z` is text (the validators parse date-times from text).

use crate::error::{InputError, InputErrors};

/// The largest input accepted, in bytes (64 MiB).
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// The deepest nesting of lists and objects accepted.
pub const MAX_DEPTH: usize = 128;

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

/// Parses YAML or JSON text into a [`Value`].
///
/// Errors have an empty path (they concern the text, not a field); syntax errors start with
/// `line L, column C: `. Errors found while converting (non-string keys, tags, nesting) carry
/// the path of the offending value.
pub fn parse(text: &str) -> Result<Value, InputErrors> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputErrors::one(
            "",
            format!(
                "the input is {} bytes, over the limit of {} bytes (64 MiB)",
                text.len(),
                MAX_INPUT_BYTES
            ),
        ));
    }
    if let Some((line, column)) = too_deeply_bracketed(text) {
        return Err(InputErrors::one(
            "",
            format!("line {line}, column {column}: nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    let mut raw: serde_yaml::Value = serde_yaml::from_str(text).map_err(syntax_error)?;
    raw.apply_merge().map_err(syntax_error)?;
    let mut errors = Vec::new();
    let value = convert(&raw, "", 0, &mut errors);
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(InputErrors(errors))
    }
}

/// A cheap scan before parsing: where `[`/`{` brackets nest deeper than [`MAX_DEPTH`]. The
/// parser spends quadratic time on deeply nested flow mappings before its own depth limit
/// stops it, so hostile nesting is refused here first. Quoted scalars (a quote that follows a
/// space, a line start or a flow indicator) and comments are skipped; brackets inside plain or
/// block scalars are counted, so a text holding more than 128 unclosed brackets is refused
/// too (a false alarm no real scenario raises).
fn too_deeply_bracketed(text: &str) -> Option<(usize, usize)> {
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
                if depth > MAX_DEPTH {
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

fn syntax_error(error: serde_yaml::Error) -> InputErrors {
    let text = error.to_string();
    if let Some(key) = text.strip_prefix("duplicate entry with key ") {
        // The parser locates duplicates at the start of the enclosing document, which misleads.
        return InputErrors::one("", format!("duplicate key {key} in an object"));
    }
    let message = match error.location() {
        Some(at) => {
            let suffix = format!(" at line {} column {}", at.line(), at.column());
            let mut text = text.replacen(&suffix, "", 1);
            if text == "recursion limit exceeded" {
                text = format!("nested deeper than {MAX_DEPTH} levels");
            }
            format!("line {}, column {}: {}", at.line(), at.column(), text)
        }
        None => format!("not valid YAML or JSON: {text}"),
    };
    InputErrors::one("", message)
}

fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn convert(raw: &serde_yaml::Value, path: &str, depth: usize, errors: &mut Vec<InputError>) -> Value {
    use serde_yaml::Value as Y;
    match raw {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if n.is_f64() {
                Value::Float(n.as_f64().unwrap_or(f64::NAN))
            } else {
                errors.push(InputError::new(path, format!("the number {n} is too large")));
                Value::Null
            }
        }
        Y::String(s) => Value::Str(s.clone()),
        Y::Sequence(_) | Y::Mapping(_) if depth >= MAX_DEPTH => {
            errors.push(InputError::new(path, format!("nested deeper than {MAX_DEPTH} levels")));
            Value::Null
        }
        Y::Sequence(items) => Value::Seq(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| convert(item, &format!("{path}[{i}]"), depth + 1, errors))
                .collect(),
        ),
        Y::Mapping(map) => {
            let mut entries = Vec::with_capacity(map.len());
            for (key, value) in map {
                match key {
                    Y::String(key) => {
                        let value = convert(value, &join_key(path, key), depth + 1, errors);
                        entries.push((key.clone(), value));
                    }
                    other => {
                        let found = match other {
                            Y::Null => "null",
                            Y::Bool(_) => "a yes/no value",
                            Y::Number(_) => "a number",
                            Y::Sequence(_) => "a list",
                            Y::Mapping(_) => "an object",
                            Y::Tagged(_) => "a tagged value",
                            Y::String(_) => "a text",
                        };
                        let shown = match other {
                            Y::Bool(b) => format!(" ({b})"),
                            Y::Number(n) => format!(" ({n})"),
                            _ => String::new(),
                        };
                        errors.push(InputError::new(
                            path,
                            format!("keys must be text, found {found}{shown} (write the key in quotes)"),
                        ));
                    }
                }
            }
            Value::Map(entries)
        }
        Y::Tagged(tagged) => {
            errors.push(InputError::new(path, format!("YAML tags are not supported (found {})", tagged.tag)));
            Value::Null
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracket_scan() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(too_deeply_bracketed(&deep(128)), None);
        assert_eq!(too_deeply_bracketed(&deep(129)), Some((1, 129)));
        let quoted = format!("a: '{}'\nb: \"{}\\\"\"\n# {}\n", "[".repeat(200), "{".repeat(200), "[".repeat(200));
        assert_eq!(too_deeply_bracketed(&quoted), None);
        assert_eq!(too_deeply_bracketed(&format!("x: it's\ny: {}", deep(200))), Some((2, 132)));
        assert!(parse(&quoted).is_ok());
    }

    #[test]
    fn depth_limit_of_the_conversion() {
        // Nesting the parser accepts (128 levels) converts; the conversion's own limit is the
        // same number, so it only guards against a parser that allowed more.
        let v = parse(&format!("{}1{}", "[".repeat(127), "]".repeat(127))).unwrap();
        let mut depth = 0;
        let mut at = &v;
        while let Value::Seq(items) = at {
            depth += 1;
            at = &items[0];
        }
        assert_eq!(depth, 127);
        let mut errors = Vec::new();
        let mut raw = serde_yaml::Value::Null;
        for _ in 0..200 {
            raw = serde_yaml::Value::Sequence(vec![raw]);
        }
        let _ = convert(&raw, "", 0, &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].to_string(), format!("{}: nested deeper than 128 levels", "[0]".repeat(128)));
    }
}
