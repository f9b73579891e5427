//! The project file, `rulec.toml`: a repository's rule sources, suites and the commands'
//! defaults. `rulec` looks for it in the working directory and each directory above and uses
//! the first it finds; the language server reads the one at the workspace root. Both read it
//! here, so a file one accepts the other accepts, and an error says the same thing in both.
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
//!
//! The output formats are kept as written: which names are valid is the command line's
//! business (its flags define them), so it checks them against its own list.
//!
//! ```
//! use std::path::{Path, PathBuf};
//! let project = rulec_project::parse("rules = [\"rules\", \"policies\"]\n", Path::new("repo/rulec.toml")).unwrap();
//! assert_eq!(project.rules, Some(vec![PathBuf::from("repo/rules"), PathBuf::from("repo/policies")]));
//! let error = rulec_project::parse("rule = [\"rules\"]\n", Path::new("rulec.toml")).unwrap_err();
//! assert_eq!((error.line, error.column), (Some(1), Some(1)));
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The project file's name.
pub const FILE_NAME: &str = "rulec.toml";

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    rules: Option<Vec<String>>,
    suites: Option<Vec<String>>,
    policy: Option<String>,
    #[serde(default)]
    lint: LintSection,
    #[serde(default)]
    test: TestSection,
    #[serde(default)]
    eval: EvalSection,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LintSection {
    today: Option<toml::value::Datetime>,
    deny_warnings: Option<bool>,
    format: Option<String>,
    help_uri: Option<String>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TestSection {
    format: Option<String>,
    min_coverage: Option<f64>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct EvalSection {
    format: Option<String>,
}

/// A project file, read and checked. Its paths are joined to the file's folder, so they are
/// relative to wherever the file's own path was given from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Project {
    /// Where the file is, as it was given.
    pub path: PathBuf,
    pub rules: Option<Vec<PathBuf>>,
    pub suites: Option<Vec<PathBuf>>,
    pub policy: Option<String>,
    pub lint_today: Option<chrono::NaiveDate>,
    pub lint_deny_warnings: Option<bool>,
    /// As written; see the crate's documentation.
    pub lint_format: Option<String>,
    /// The address of the diagnostics documentation, for SARIF's `helpUri`.
    pub help_uri: Option<String>,
    pub test_format: Option<String>,
    pub test_min_coverage: Option<f64>,
    pub eval_format: Option<String>,
}

/// Why a project file could not be read: where (line and column, 1-based, when the TOML
/// reader knows) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl ProjectError {
    /// `shown:line:column: message`, with the path spelt as the caller shows paths.
    pub fn render(&self, shown: &str) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{shown}:{line}:{column}: {}", self.message),
            _ => format!("{shown}: {}", self.message),
        }
    }
}

impl std::fmt::Display for ProjectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(&self.path.display().to_string()))
    }
}

impl std::error::Error for ProjectError {}

/// The nearest project file from `dir` up, as a path relative to `dir` (`rulec.toml`,
/// `../rulec.toml`).
pub fn find_above(dir: &Path) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    let mut dir = dir;
    loop {
        if dir.join(FILE_NAME).is_file() {
            return Some(relative.join(FILE_NAME));
        }
        dir = dir.parent()?;
        relative.push("..");
    }
}

/// Reads and checks the project file at `path`.
pub fn load(path: &Path) -> Result<Project, ProjectError> {
    let text = std::fs::read_to_string(path).map_err(|e| ProjectError { path: path.to_path_buf(), line: None, column: None, message: io_message(&e) })?;
    parse(&text, path)
}

/// Reads a project file's text; `path` is where it is (its paths are relative to it).
pub fn parse(text: &str, path: &Path) -> Result<Project, ProjectError> {
    let error = |line, column, message| ProjectError { path: path.to_path_buf(), line, column, message };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let file: File = toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        error(line, column, e.message().to_string())
    })?;
    let base = path.parent().unwrap_or(Path::new(""));
    let resolve = |list: Option<Vec<String>>| list.map(|items| items.iter().map(|p| base.join(p)).collect::<Vec<_>>());
    let lint_today = match file.lint.today {
        None => None,
        Some(datetime) => match (datetime.date, datetime.time) {
            (Some(d), None) => Some(
                chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                    .ok_or_else(|| error(None, None, format!("[lint] today: {datetime} is not a date")))?,
            ),
            _ => return Err(error(None, None, format!("[lint] today: expected a date such as 2026-11-22, found {datetime}"))),
        },
    };
    Ok(Project {
        path: path.to_path_buf(),
        rules: resolve(file.rules),
        suites: resolve(file.suites),
        policy: file.policy,
        lint_today,
        lint_deny_warnings: file.lint.deny_warnings,
        lint_format: file.lint.format,
        help_uri: file.lint.help_uri,
        test_format: file.test.format,
        test_min_coverage: file.test.min_coverage,
        eval_format: file.eval.format,
    })
}

/// An I/O error without the `(os error N)` tail.
fn io_message(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_joined_to_the_file_folder() {
        let project = parse(
            "rules = [\"vendor/rules\", \"policies\"]\nsuites = [\"tests\"]\npolicy = \"acme\"\n[lint]\ntoday = 2026-11-22\ndeny-warnings = true\nformat = \"sarif\"\n",
            Path::new("../rulec.toml"),
        )
        .unwrap();
        assert_eq!(project.rules.unwrap(), vec![PathBuf::from("../vendor/rules"), PathBuf::from("../policies")]);
        assert_eq!(project.suites.unwrap(), vec![PathBuf::from("../tests")]);
        assert_eq!(project.lint_today, chrono::NaiveDate::from_ymd_opt(2026, 11, 22));
        assert_eq!(project.lint_format.as_deref(), Some("sarif"));
    }

    #[test]
    fn errors_say_where() {
        let error = parse("rule = [\"x\"]\n", Path::new("rulec.toml")).unwrap_err();
        assert!(error.to_string().starts_with("rulec.toml:1:1: unknown field `rule`"), "{error}");
        let error = parse("[lint]\ntoday = \"2026-11-22\"\n", Path::new("rulec.toml")).unwrap_err();
        assert!(error.to_string().starts_with("rulec.toml:2:9: "), "{error}");
        let error = parse("[lint]\ntoday = 2026-11-22T10:00:00\n", Path::new("p/rulec.toml")).unwrap_err();
        assert_eq!(error.render("p/rulec.toml"), "p/rulec.toml: [lint] today: expected a date such as 2026-11-22, found 2026-11-22T10:00:00");
        let error = load(Path::new("/nonexistent/rulec.toml")).unwrap_err();
        assert_eq!(error.to_string(), "/nonexistent/rulec.toml: No such file or directory");
    }

    #[test]
    fn a_byte_order_mark_is_allowed() {
        assert_eq!(parse("\u{FEFF}policy = \"acme\"\n", Path::new("rulec.toml")).unwrap().policy.as_deref(), Some("acme"));
        let error = parse("\u{FEFF}policy = 1\n", Path::new("rulec.toml")).unwrap_err();
        assert_eq!((error.line, error.column), (Some(1), Some(10)), "{error}");
    }
}
