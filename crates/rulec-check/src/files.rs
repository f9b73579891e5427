//! Whose rules a file holds, from its place under `rules/`.

use std::path::Path;

/// What a file's path says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// Under a `federal/` directory.
    Federal,
    /// `states/XX.rules`.
    State(String),
    /// `policies/NAME.policy` (or any `*.policy`).
    Policy(String),
    /// Anywhere else: the file's header must say.
    Unknown,
}

/// Reads a path the way the rules directory is laid out.
///
/// ```
/// use rulec_check::{path_kind, PathKind};
/// assert_eq!(path_kind("rules/states/MA.rules"), PathKind::State("MA".into()));
/// assert_eq!(path_kind("rules/federal/reg_f.rules"), PathKind::Federal);
/// assert_eq!(path_kind("rules/policies/acme.policy"), PathKind::Policy("acme".into()));
/// assert_eq!(path_kind("fixtures/x.rules"), PathKind::Unknown);
/// ```
pub fn path_kind(path: &str) -> PathKind {
    let normalized = path.replace('\\', "/");
    let path = Path::new(&normalized);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
    let extension = path.extension().and_then(|s| s.to_str()).unwrap_or("");
    let parent = path.parent().and_then(|p| p.file_name()).and_then(|s| s.to_str()).unwrap_or("");
    if extension == "policy" {
        return PathKind::Policy(stem);
    }
    if parent == "states" && stem.len() == 2 && stem.chars().all(|c| c.is_ascii_uppercase()) {
        return PathKind::State(stem);
    }
    if path.components().any(|c| c.as_os_str() == "federal") {
        return PathKind::Federal;
    }
    PathKind::Unknown
}

/// Localities a state file can hold rules for: (state, name in rules, name in decisions).
pub const LOCALITIES: &[(&str, &str, &str)] = &[("NY", "nyc", "NYC")];
