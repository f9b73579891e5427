//! Input errors: what is wrong, and where.

use std::fmt;

/// One problem in a scenario or suite file.
///
/// `path` locates the value: `contacts[2].affilation`, `cases[0].doNotInteract[1].channels[0]`,
/// in a suite prefixed with the case (`cases[3].request.channel`). It is empty for problems of
/// the text as a whole (syntax errors, size limit, neither scenario nor suite).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl InputError {
    /// An error at a path.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError { path: path.into(), message: message.into() }
    }
}

/// `path: message`, or the message alone when the path is empty.
impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for InputError {}

/// Every problem found in one pass over an input, in the order found (never empty when
/// returned as an error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputErrors(pub Vec<InputError>);

impl InputErrors {
    /// A single error.
    pub fn one(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputErrors(vec![InputError::new(path, message)])
    }

    /// The errors.
    pub fn iter(&self) -> std::slice::Iter<'_, InputError> {
        self.0.iter()
    }

    /// How many errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there is none (never for a returned error).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One `path: message` per line (no trailing newline).
impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

impl<'a> IntoIterator for &'a InputErrors {
    type Item = &'a InputError;
    type IntoIter = std::slice::Iter<'a, InputError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for InputErrors {
    type Item = InputError;
    type IntoIter = std::vec::IntoIter<InputError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
