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

/// A project file as `rulec_project` reads it (its paths relative to the working directory;
/// its fields are reached through it), with its output formats parsed as the flags parse them.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub file: rulec_project::Project,
    pub formats: Formats,
}

/// The `format` of each section, as the flag's value.
#[derive(Debug, Clone, Default)]
pub struct Formats {
    pub lint: Option<crate::cli::LintFormat>,
    pub test: Option<crate::cli::TestFormat>,
    pub eval: Option<crate::cli::EvalFormat>,
}

impl std::ops::Deref for Project {
    type Target = rulec_project::Project;

    fn deref(&self) -> &rulec_project::Project {
        &self.file
    }
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
    let formats = Formats {
        lint: value_enum(&shown, "[lint] format", file.lint_format.clone())?,
        test: value_enum(&shown, "[test] format", file.test_format.clone())?,
        eval: value_enum(&shown, "[eval] format", file.eval_format.clone())?,
    };
    Ok(Project { file, formats })
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
        assert_eq!(project.formats.lint, Some(crate::cli::LintFormat::Sarif));
        assert_eq!(project.formats.test, Some(crate::cli::TestFormat::Junit));

        let error = parse("[lint]\nformat = \"sarf\"\n", Path::new("rulec.toml")).unwrap_err();
        assert_eq!(error.0, "rulec.toml: [lint] format: `sarf` is not one of human, json, sarif, github, did you mean `sarif`?");
        let error = parse("rule = [\"x\"]\n", Path::new("./rulec.toml")).unwrap_err();
        assert!(error.0.starts_with("rulec.toml:1:1: unknown field `rule`"), "{}", error.0);
    }
}
