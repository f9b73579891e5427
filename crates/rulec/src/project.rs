//! The project file, `rulec.toml`: a repository's rule sources, suites and the commands'
//! defaults. Every command looks for it in the working directory and each directory above,
//! and uses the first it finds (`--isolated` ignores it). Flags given on the command line win
//! over it; it wins over the built-in defaults.
//!
//! ```toml
//! rules = ["vendor/rulec/rules", "policies"]   # rule sources, relative to this file
//! suites = ["tests"]                           # what `rulec test` runs by default
//! policy = "acme"                              # `--policy` of test and eval
//!
//! [lint]
//! today = 2026-11-22          # the date expiry lints judge by (`--today`); omit for the real date
//! deny-warnings = true
//! format = "human"            # human, json, sarif or github
//! help-uri = "https://example.com/rulec/docs/diagnostics.md"   # SARIF helpUri (+ #anchor)
//!
//! [test]
//! format = "human"            # human, json or junit
//! min-coverage = 100
//!
//! [eval]
//! format = "json"             # human or json
//! ```

use crate::files::display;
use crate::Failure;
use std::path::{Path, PathBuf};

/// A project file, read and checked, its formats parsed as the flags parse them; its paths
/// are relative to the working directory.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// Where the file is, as shown to users (`rulec.toml`, `../rulec.toml`).
    pub path: PathBuf,
    pub rules: Option<Vec<PathBuf>>,
    pub suites: Option<Vec<PathBuf>>,
    pub policy: Option<String>,
    pub lint_today: Option<chrono::NaiveDate>,
    pub lint_deny_warnings: Option<bool>,
    pub lint_format: Option<crate::cli::LintFormat>,
    /// The address of docs/diagnostics.md, for SARIF's `helpUri`.
    pub help_uri: Option<String>,
    pub test_format: Option<crate::cli::TestFormat>,
    pub test_min_coverage: Option<f64>,
    pub eval_format: Option<crate::cli::EvalFormat>,
}

/// The nearest `rulec.toml`, from the working directory up, as a path relative to it.
pub fn find() -> Option<PathBuf> {
    rulec_project::find_above(&std::env::current_dir().ok()?)
}

/// Reads and checks the project file at `path`.
pub fn load(path: &Path) -> Result<Project, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure(format!("{}: {}", display(path), crate::files::io_message(&e))))?;
    parse(&text, path)
}

/// Reads a project file's text; `path` is where it is (its paths are relative to it).
pub fn parse(text: &str, path: &Path) -> Result<Project, Failure> {
    let file = rulec_project::parse(text, path).map_err(|e| Failure(e.render(&display(path))))?;
    with_formats(file)
}

fn with_formats(file: rulec_project::Project) -> Result<Project, Failure> {
    let shown = display(&file.path);
    Ok(Project {
        lint_format: value_enum(&shown, "[lint] format", file.lint_format)?,
        test_format: value_enum(&shown, "[test] format", file.test_format)?,
        eval_format: value_enum(&shown, "[eval] format", file.eval_format)?,
        path: file.path,
        rules: file.rules,
        suites: file.suites,
        policy: file.policy,
        lint_today: file.lint_today,
        lint_deny_warnings: file.lint_deny_warnings,
        help_uri: file.help_uri,
        test_min_coverage: file.test_min_coverage,
    })
}

/// A format named in the file, checked against the flag's values (with a did-you-mean).
fn value_enum<T: clap::ValueEnum>(shown: &str, key: &str, value: Option<String>) -> Result<Option<T>, Failure> {
    let Some(value) = value else { return Ok(None) };
    if let Ok(parsed) = T::from_str(&value, false) {
        return Ok(Some(parsed));
    }
    let names: Vec<String> = T::value_variants()
        .iter()
        .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let hint = rulec_model::suggest(&value, &refs).map(|s| format!(", did you mean `{s}`?")).unwrap_or_default();
    Err(Failure(format!("{shown}: {key}: `{value}` is not one of {}{hint}", refs.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the file says is read by rulec-project (tested there); here, that its formats
    /// become the flags' values and a wrong one is named with the flag's choices.
    #[test]
    fn formats_are_checked_against_the_flags() {
        let project = parse("[lint]\nformat = \"sarif\"\n[test]\nformat = \"junit\"\n", Path::new("../rulec.toml")).unwrap();
        assert_eq!(project.lint_format, Some(crate::cli::LintFormat::Sarif));
        assert_eq!(project.test_format, Some(crate::cli::TestFormat::Junit));

        let error = parse("[lint]\nformat = \"sarf\"\n", Path::new("rulec.toml")).unwrap_err();
        assert_eq!(error.0, "rulec.toml: [lint] format: `sarf` is not one of human, json, sarif, github, did you mean `sarif`?");
        let error = parse("rule = [\"x\"]\n", Path::new("./rulec.toml")).unwrap_err();
        assert!(error.0.starts_with("rulec.toml:1:1: unknown field `rule`"), "{}", error.0);
    }
}
