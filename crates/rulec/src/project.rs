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

/// A project file, read and checked; its paths are relative to the working directory.
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
    let cwd = std::env::current_dir().ok()?;
    let mut relative = PathBuf::new();
    let mut dir: &Path = &cwd;
    loop {
        if dir.join(FILE_NAME).is_file() {
            return Some(relative.join(FILE_NAME));
        }
        dir = dir.parent()?;
        relative.push("..");
    }
}

/// Reads and checks the project file at `path`.
pub fn load(path: &Path) -> Result<Project, Failure> {
    let shown = display(path);
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("{shown}: {}", crate::files::io_message(&e))))?;
    parse(&text, path)
}

fn parse(text: &str, path: &Path) -> Result<Project, Failure> {
    let shown = display(path);
    let file: File = toml::from_str(text.strip_prefix('\u{FEFF}').unwrap_or(text)).map_err(|e| {
        let at = e
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(":{line}:{column}")
            })
            .unwrap_or_default();
        Failure(format!("{shown}{at}: {}", e.message()))
    })?;
    let base = path.parent().unwrap_or(Path::new(""));
    let resolve = |list: Option<Vec<String>>| {
        list.map(|items| items.iter().map(|p| base.join(p)).collect::<Vec<_>>())
    };
    let today = match file.lint.today {
        None => None,
        Some(datetime) => match (datetime.date, datetime.time) {
            (Some(d), None) => Some(
                chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                    .ok_or_else(|| Failure(format!("{shown}: [lint] today: {datetime} is not a date")))?,
            ),
            _ => {
                return Err(Failure(format!(
                    "{shown}: [lint] today: expected a date such as 2026-11-22, found {datetime}"
                )))
            }
        },
    };
    Ok(Project {
        path: path.to_path_buf(),
        rules: resolve(file.rules),
        suites: resolve(file.suites),
        policy: file.policy,
        lint_today: today,
        lint_deny_warnings: file.lint.deny_warnings,
        lint_format: value_enum(&shown, "[lint] format", file.lint.format)?,
        help_uri: file.lint.help_uri,
        test_format: value_enum(&shown, "[test] format", file.test.format)?,
        test_min_coverage: file.test.min_coverage,
        eval_format: value_enum(&shown, "[eval] format", file.eval.format)?,
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

    #[test]
    fn paths_are_relative_to_the_file_and_formats_are_checked() {
        let project = parse(
            "rules = [\"vendor/rules\", \"policies\"]\nsuites = [\"tests\"]\npolicy = \"acme\"\n[lint]\ntoday = 2026-11-22\ndeny-warnings = true\nformat = \"sarif\"\n",
            Path::new("../rulec.toml"),
        )
        .unwrap();
        assert_eq!(project.rules.unwrap(), vec![PathBuf::from("../vendor/rules"), PathBuf::from("../policies")]);
        assert_eq!(project.lint_today, chrono::NaiveDate::from_ymd_opt(2026, 11, 22));
        assert_eq!(project.lint_format, Some(crate::cli::LintFormat::Sarif));

        let error = parse("[lint]\nformat = \"sarf\"\n", Path::new("rulec.toml")).unwrap_err();
        assert_eq!(error.0, "rulec.toml: [lint] format: `sarf` is not one of human, json, sarif, github, did you mean `sarif`?");
        let error = parse("rule = [\"x\"]\n", Path::new("rulec.toml")).unwrap_err();
        assert!(error.0.starts_with("rulec.toml:1:1: unknown field `rule`"), "{}", error.0);
        let error = parse("[lint]\ntoday = \"2026-11-22\"\n", Path::new("rulec.toml")).unwrap_err();
        assert!(error.0.starts_with("rulec.toml:2:9: "), "{}", error.0);
    }
}
