//! `rulec diff` and `rulec replay`: thin shells over `rulec_review` (files found and read
//! here, decided and rendered there).

use crate::cli::{DiffArgs, FailOn, Global, Origin, ReplayArgs, ReviewFormat, ReviewReportArgs};
use crate::files::{self, display};
use crate::{Failure, Outcome};
use rulec_review::{Kind, Options, Report, RuleSide, RuleSource};
use std::path::PathBuf;

const SCENARIO_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "ndjson", "jsonl"];

pub fn diff(global: &Global, args: DiffArgs) -> Outcome {
    let limits = global.scenario_limits();
    let old = RuleSide::load(&source(global, &args.old)?).map_err(Failure::from)?;
    let new = RuleSide::load(&source(global, &args.new)?).map_err(Failure::from)?;
    // The project's suites, as `rulec test` runs them, else tests/scenarios: the corpus when no
    // scenario is named, and the seeds of the generated scenarios when no --seeds is given.
    let suites = global.project.as_ref().and_then(|p| p.suites.clone()).unwrap_or_else(|| vec![PathBuf::from("tests/scenarios")]);
    let paths = if args.scenarios.is_empty() { existing(&suites) } else { args.scenarios.clone() };
    let (given, skipped) = load(&paths, &limits)?;
    let options = options(&args.report, !args.no_generate, limits);
    let seeds = match &args.seeds {
        _ if !options.generate => Vec::new(),
        Some(dir) if dir.is_dir() => load(std::slice::from_ref(dir), &limits)?.0,
        Some(dir) => return Err(Failure(format!("{}: the seed suites folder does not exist", display(dir)))),
        None => load(&existing(&suites), &limits)?.0,
    };
    let report = rulec_review::diff(&old, &new, given, &seeds, skipped, &options);
    finish(&report, &args.report)
}

pub fn replay(global: &Global, args: ReplayArgs) -> Outcome {
    let limits = global.scenario_limits();
    let new = RuleSide::load(&RuleSource::Dirs(global.rules_dirs().0)).map_err(Failure::from)?;
    let text = files::read_scenario(Some(&args.log), &limits)?;
    let label = display(&args.log);
    // Read as NDJSON whatever the file is called: a log is one record per line.
    let loaded = rulec_review::corpus::load_ndjson(&label, &text, &limits).map_err(Failure::from)?;
    let options = options(&args.report, false, limits);
    let report = rulec_review::replay(&label, &new, loaded.items, loaded.skipped, &options);
    finish(&report, &args.report)
}

/// A side of `rulec diff`: `worktree` (the rule sources in use, as they are on disk),
/// `git:REV` (the same sources at REV), `git:REV:PATH`, or a folder.
fn source(global: &Global, text: &str) -> Result<RuleSource, Failure> {
    if text == WORKTREE {
        return Ok(RuleSource::Dirs(global.rules_dirs().0));
    }
    let defaults = match text.strip_prefix("git:") {
        Some(rest) if !rest.trim_end_matches(':').contains(':') => sources_at(global, rest.trim_end_matches(':'))?,
        _ => Vec::new(),
    };
    Ok(RuleSource::parse(text, &defaults))
}

/// The spelling of "the rule sources in use, on disk".
const WORKTREE: &str = "worktree";

/// The rule sources at a revision: `--rules`, else the `rules` of rulec.toml as the file was at
/// that revision (the sources a change of rulec.toml adds or drops are compared too; the
/// current file's when it did not exist then), else `rules`.
fn sources_at(global: &Global, rev: &str) -> Result<Vec<PathBuf>, Failure> {
    let (dirs, origin) = global.rules_dirs();
    let Some(project) = global.project.as_ref().filter(|_| origin == Origin::Project) else { return Ok(dirs) };
    match rulec_review::git_show(rev, &project.path).map_err(Failure::from)? {
        Some(text) => {
            // Only the rule sources of the old file matter: its output formats are not used
            // at that revision, so they are not checked against today's flags.
            let then = rulec_project::parse(&text, &project.path)
                .map_err(|e| Failure(format!("git:{rev}: {}", e.render(&display(&project.path)))))?;
            Ok(then.rules.unwrap_or_else(|| vec![PathBuf::from("rules")]))
        }
        None => Ok(dirs),
    }
}

fn options(args: &ReviewReportArgs, generate: bool, limits: rulec_scenario::Limits) -> Options {
    Options { generate, examples: args.examples, limits, ..Options::default() }
}

fn existing(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().filter(|p| p.exists()).cloned().collect()
}

/// Every scenario of the files under `paths`, and how many log records had no decision.
fn load(paths: &[PathBuf], limits: &rulec_scenario::Limits) -> Result<(Vec<rulec_review::Item>, usize), Failure> {
    let mut items = Vec::new();
    let mut skipped = 0;
    for path in files::discover(paths, SCENARIO_EXTENSIONS)? {
        let text = files::read_scenario(Some(&path), limits)?;
        let loaded = rulec_review::corpus::load_file(&display(&path), &text, limits).map_err(Failure::from)?;
        items.extend(loaded.items);
        skipped += loaded.skipped;
    }
    Ok((items, skipped))
}

fn finish(report: &Report, args: &ReviewReportArgs) -> Outcome {
    let explain = |d: &rulec_eval::Decision| crate::report::explain(d, true);
    let text = match args.format {
        ReviewFormat::Human => rulec_review::render::human(report, args.explain.then_some(&explain as _)),
        ReviewFormat::Json => serde_json::to_string_pretty(&rulec_review::render::json(report)).map_err(Failure::from)? + "\n",
        ReviewFormat::Markdown => rulec_review::render::markdown(report, &explain),
    };
    files::out(&text);
    let on = match args.fail_on {
        FailOn::Any => None,
        FailOn::AllowedToBlocked => Some(Kind::AllowedToBlocked),
        FailOn::BlockedToAllowed => Some(Kind::BlockedToAllowed),
    };
    Ok(u8::from(report.fails(on)))
}
