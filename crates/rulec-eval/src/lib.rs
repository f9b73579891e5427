//! The evaluator: answers "may we contact this borrower now, this way, about this?" for a
//! scenario, with the rules that block, the figures they saw, and the earliest instant the
//! same request would be allowed.
//!
//! Load a rule set once (it is `Send + Sync`), then decide as many scenarios as you like;
//! deciding does no I/O and never reads the wall clock (the instant is the scenario's `now`).
//!
//! ```
//! use rulec_eval::Engine;
//! use rulec_syntax::SourceFile;
//!
//! let engine = Engine::from_sources(vec![SourceFile::new("rules/federal/example.rules", r#"
//! rule federal.example.quiet_hours {
//!   title "No contact outside 08:00-21:00"
//!   cites "12 CFR 1006.6(b)(1)(i)"
//!   binds every role
//!   blocks when local time is outside 08:00 to 21:00
//! }
//! "#)]).expect("rules check");
//!
//! let (scenario, _expect) = rulec_scenario::load_scenario(r#"
//! now: 2026-03-10T03:00:00Z
//! borrower: {id: BO-AAAA-1111, timezone: America/New_York}
//! contacts: [{id: CT-AAAA-1111, contactType: phone, value: "+16175550100", affiliation: self}]
//! request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111}
//! "#).expect("valid scenario");
//!
//! let decision = engine.decide(&scenario).expect("known policy");
//! assert!(!decision.result);
//! assert_eq!(decision.blocked_by[0].rule, "federal.example.quiet_hours");
//! assert_eq!(decision.next_allowed_at.unwrap().to_rfc3339(), "2026-03-10T12:00:00+00:00");
//! ```

mod compile;
mod decision;
mod eval;
pub mod files;
mod history;
mod location;
mod rule_set_id;

use rulec_check::checked::RuleSet;
use rulec_check::{CheckOptions, FileDiagnostic};
use rulec_scenario::Scenario;
use rulec_syntax::SourceFile;
use std::path::Path;

pub use decision::{format_time, Decision, Finding, LocalTime, MuteInfo, MutedFinding, RuleTrace, TraceFigure, Verdict};
pub use eval::Screen;
pub use location::{Location, ZoneSource};
pub use rule_set_id::RuleSetId;

/// A compiled rule set, ready to decide scenarios. Cheap to share between threads.
#[derive(Debug)]
pub struct Engine {
    compiled: compile::Compiled,
}

/// Why a rule set could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// A file or directory could not be read.
    Io { path: String, message: String },
    /// The rules have errors; `diagnostics` index into `sources`.
    Invalid { sources: Vec<SourceFile>, diagnostics: Vec<FileDiagnostic> },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io { path, message } => write!(f, "{path}: {message}"),
            LoadError::Invalid { sources, diagnostics } => {
                let errors: Vec<&FileDiagnostic> = diagnostics.iter().filter(|d| d.diagnostic.is_error()).collect();
                write!(f, "the rules have {} error{}", errors.len(), if errors.len() == 1 { "" } else { "s" })?;
                for d in errors {
                    let source = &sources[d.file];
                    let (line, column) = source.line_col(d.diagnostic.span.start);
                    write!(f, "\n{}:{line}:{column}: {}", source.path, d.diagnostic.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// A scenario the rule set cannot decide (it names a policy that does not exist).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub message: String,
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

impl Engine {
    /// Reads every `*.rules` and `*.policy` file under each of `dirs` (recursively, in path
    /// order), checks them together and compiles them. The rule set's [`RuleSetId`] names each
    /// file by its path below its directory.
    pub fn from_dirs(dirs: &[&Path]) -> Result<Engine, LoadError> {
        let mut sources = Vec::new();
        for dir in dirs {
            sources.extend(read_rule_dir(dir)?);
        }
        let id = RuleSetId::of_files_below(dirs, sources.iter().map(|s| (Path::new(&s.path), s.text.as_bytes())));
        Engine::from_sources_with_id(sources, id)
    }

    /// [`Engine::from_dirs`] of one directory.
    pub fn from_dir(dir: &Path) -> Result<Engine, LoadError> {
        Engine::from_dirs(&[dir])
    }

    /// Checks and compiles rule files held in memory; their paths, as given, name them in the
    /// [`RuleSetId`].
    pub fn from_sources(sources: Vec<SourceFile>) -> Result<Engine, LoadError> {
        let id = RuleSetId::of_files(sources.iter().map(|s| (s.path.as_str(), s.text.as_bytes())));
        Engine::from_sources_with_id(sources, id)
    }

    /// Checks and compiles rule files held in memory, read from the files `id` names (its
    /// names may differ from the paths shown in diagnostics: see [`RuleSetId::of_files`]).
    pub fn from_sources_with_id(sources: Vec<SourceFile>, id: RuleSetId) -> Result<Engine, LoadError> {
        let checked = rulec_check::check_sources(&sources, &CheckOptions::default());
        if checked.has_errors() {
            return Err(LoadError::Invalid { sources, diagnostics: checked.diagnostics });
        }
        Ok(Engine::from_rule_set(checked.rule_set, id))
    }

    /// Compiles an already checked rule set, read from the files `id` names.
    pub fn from_rule_set(rule_set: RuleSet, id: RuleSetId) -> Engine {
        Engine { compiled: compile::Compiled::new(rule_set, id) }
    }

    /// Which files the rules were read from, as every decision reports it (`data.ruleSet`).
    pub fn rule_set_id(&self) -> &RuleSetId {
        &self.compiled.id
    }

    /// The checked rules behind the engine (ids, titles, citations, origins).
    pub fn rule_set(&self) -> &RuleSet {
        &self.compiled.rule_set
    }

    /// Decides one scenario. [`Decision::trace`] is left empty: this is the call to make on a
    /// hot path (a rule that does not fire allocates nothing).
    pub fn decide(&self, scenario: &Scenario) -> Result<Decision, EvalError> {
        eval::decide(&self.compiled, scenario, false)
    }

    /// The verdict alone: `true` when no unmuted blocking rule blocks the request. The same as
    /// [`Engine::decide`]'s `result`, without the findings, messages, release times and next
    /// allowed time: a screen that needs only yes or no stops at the first blocking rule.
    pub fn allows(&self, scenario: &Scenario) -> Result<bool, EvalError> {
        eval::allows(&self.compiled, scenario)
    }

    /// The verdict and the rules behind it, every rule in force tested (no shortcut), with
    /// nothing else computed: [`Screen::next_allowed_at`] and [`Screen::decision`] (messages,
    /// `releaseAt`) are derived on request. A blocked request costs about what an allowed one
    /// does; [`Engine::decide`] is `screen(…)?.decision()`.
    ///
    /// ```
    /// # use rulec_eval::Engine;
    /// # use rulec_syntax::SourceFile;
    /// let engine = Engine::from_sources(vec![SourceFile::new("rules/federal/hours.rules", r#"
    /// rule federal.example.hours {
    ///   title "Calls outside 08:00-21:00"
    ///   cites "example"
    ///   binds every role
    ///   blocks when local time is outside 08:00 to 21:00
    /// }
    /// "#)]).unwrap();
    /// let (scenario, _) = rulec_scenario::load_scenario(r#"
    /// now: 2026-03-10T03:00:00Z
    /// borrower: {id: BO-AAAA-1111, timezone: America/New_York}
    /// contacts: [{id: CT-AAAA-1111, contactType: phone, value: "+16175550100", affiliation: self}]
    /// request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111}
    /// "#).unwrap();
    /// let screen = engine.screen(&scenario).unwrap();
    /// assert!(!screen.allowed());
    /// assert_eq!(screen.blocked_by(), ["federal.example.hours"]);
    /// // Only when asked for:
    /// assert_eq!(screen.next_allowed_at().unwrap().to_rfc3339(), "2026-03-10T12:00:00+00:00");
    /// ```
    pub fn screen<'a>(&'a self, scenario: &'a Scenario) -> Result<Screen<'a>, EvalError> {
        eval::screen(&self.compiled, scenario)
    }

    /// Decides one scenario and records, in [`Decision::trace`], every rule in force: its
    /// verdict, why, and the figures it saw. The decision is the same as [`Engine::decide`]'s.
    pub fn explain(&self, scenario: &Scenario) -> Result<Decision, EvalError> {
        eval::decide(&self.compiled, scenario, true)
    }

    /// The instants after the scenario's `now`, up to `until`, at which the rule `rule` (an id)
    /// would change between blocking and not blocking if nothing else happened (its scope, its
    /// condition and its exceptions together; effective dates and mutes aside), in order, at
    /// most `max`. These are the change points `releaseAt` and `nextAllowedAt` are derived
    /// from: a window opening in some candidate zone, a counted interaction leaving its
    /// window, a Do Not Interact expiring. Tools that explore a rule's boundaries (`rulec
    /// diff`) place scenarios on both sides of each. Empty for an id not in the rule set.
    ///
    /// ```
    /// # use rulec_eval::Engine;
    /// # use rulec_syntax::SourceFile;
    /// let engine = Engine::from_sources(vec![SourceFile::new("rules/federal/hours.rules", r#"
    /// rule federal.example.hours {
    ///   title "Calls outside 08:00-21:00"
    ///   cites "example"
    ///   binds every role
    ///   blocks when local time is outside 08:00 to 21:00
    /// }
    /// "#)]).unwrap();
    /// let (scenario, _) = rulec_scenario::load_scenario(r#"
    /// now: 2026-03-10T15:00:00Z
    /// borrower: {id: BO-AAAA-1111, timezone: America/New_York}
    /// contacts: [{id: CT-AAAA-1111, contactType: phone, value: "+16175550100", affiliation: self}]
    /// request: {channel: voice, theme: opsCollDebt, contactId: CT-AAAA-1111}
    /// "#).unwrap();
    /// let until = scenario.now() + chrono::Duration::days(1);
    /// let points: Vec<String> = engine.change_points(&scenario, "federal.example.hours", until, 4)
    ///     .into_iter().map(rulec_eval::format_time).collect();
    /// // It blocks from one second after 21:00 EDT and allows again at 08:00 the next morning.
    /// assert_eq!(points, ["2026-03-11T01:00:01Z", "2026-03-11T12:00:00Z"]);
    /// ```
    pub fn change_points(&self, scenario: &Scenario, rule: &str, until: chrono::DateTime<chrono::Utc>, max: usize) -> Vec<chrono::DateTime<chrono::Utc>> {
        match self.compiled.rule_set.rules.iter().position(|r| r.id == rule) {
            Some(index) => eval::change_points(&self.compiled, scenario, index, until, max),
            None => Vec::new(),
        }
    }

    /// Where the borrower may be: candidate zones (with why each is a candidate) and
    /// jurisdictions.
    pub fn locate(&self, scenario: &Scenario) -> Location {
        Location::of(scenario)
    }
}

/// Every `*.rules` and `*.policy` file under a directory, in path order, read into memory
/// (the walk and the reading of [`files`]: links followed but no directory walked twice,
/// special files refused, each file read through the size limit). Paths are shown as the
/// directory path joined with the file's path below it.
pub fn read_rule_dir(dir: &Path) -> Result<Vec<SourceFile>, LoadError> {
    let io = |e: files::FileError| LoadError::Io { path: e.path.display().to_string(), message: e.message };
    files::find_files(dir, files::RULE_FILE_EXTENSIONS)
        .map_err(io)?
        .into_iter()
        .map(|path| Ok(SourceFile::new(path.display().to_string(), files::read_rule_file(&path).map_err(io)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }
}
