//! The command line: commands, flags, help texts.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const MAIN_HELP: &str = "\
Exit codes (every command):
  0  success (lint: clean or warnings only; test: all cases pass; eval: decided; fmt: nothing to do)
  1  findings (lint errors; failed cases or coverage below --min-coverage; fmt --check changes;
     diff/replay: decisions change)
  2  usage or I/O error (bad arguments, unreadable files, rules that do not load, invalid scenario)

Examples:
  rulec lint                          lint every file of ./rules
  rulec test                          run the suites under tests/scenarios
  rulec eval scenario.yaml --explain  decide one scenario and explain why
  rulec fmt --check                   list rule files that are not canonically formatted
  rulec doc                           write the rule catalog, docs/catalog.md
  rulec diff git:main rules           which decisions a change to the rules flips
  rulec replay decisions.log          re-decide a decision log under ./rules
  rulec explain E003                  what a diagnostic code means and how to fix it
  rulec init --library vendor/rulec/rules   start a lender's project (rulec.toml)

Project file: every command reads the nearest rulec.toml (this directory or one above) for the
rule sources, the suites and its defaults, and says on stderr which file it used; flags win over
it, and --isolated ignores it.";

#[derive(Parser, Debug)]
#[command(name = "rulec", version, about = "Lint, test, evaluate and format communication-compliance rules", after_help = MAIN_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug)]
pub struct Global {
    /// A rules directory: every *.rules and *.policy file under it is loaded. Give it more than
    /// once to load several (the shipped library and your own policies) [default: `rules` in
    /// rulec.toml, else ./rules]
    #[arg(long, global = true, value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Ignore rulec.toml (the project file found in this directory or one above)
    #[arg(long, global = true)]
    pub isolated: bool,
    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Largest scenario or suite (file or stdin) read, in bytes [default: 134217728 (128 MiB)]
    #[arg(long, global = true, value_name = "BYTES", help_heading = "Resource limits")]
    pub max_input_bytes: Option<usize>,
    /// Most values a scenario or suite may hold, aliases expanded [default: 10000000]
    #[arg(long, global = true, value_name = "N", help_heading = "Resource limits")]
    pub max_values: Option<usize>,
    /// The project file in use (rulec.toml), read after the command line is parsed.
    #[arg(skip)]
    pub project: Option<crate::project::Project>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Where a list of paths came from, for messages about a missing one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    CommandLine,
    Project,
    Default,
}

impl Global {
    /// The limits of scenario and suite loading: the defaults, less or more as the flags say.
    pub fn scenario_limits(&self) -> rulec_scenario::Limits {
        let defaults = rulec_scenario::Limits::default();
        rulec_scenario::Limits {
            max_input_bytes: self.max_input_bytes.unwrap_or(defaults.max_input_bytes),
            max_values: self.max_values.unwrap_or(defaults.max_values),
            ..defaults
        }
    }

    /// The rule sources: `--rules` (each), else rulec.toml's `rules`, else `./rules`.
    pub fn rules_dirs(&self) -> (Vec<PathBuf>, Origin) {
        if !self.rules.is_empty() {
            (self.rules.clone(), Origin::CommandLine)
        } else if let Some(dirs) = self.project.as_ref().and_then(|p| p.rules.clone()) {
            (dirs, Origin::Project)
        } else {
            (vec![PathBuf::from("rules")], Origin::Default)
        }
    }

    /// Why a path was used, for an error about it: `(the default)`, `(from rulec.toml)`.
    pub fn origin_note(&self, origin: Origin, flag: &str) -> String {
        match origin {
            Origin::CommandLine => String::new(),
            Origin::Project => format!(
                " (from {})",
                self.project.as_ref().map_or("rulec.toml".to_string(), |p| crate::files::display(&p.path))
            ),
            Origin::Default => format!(" (the default; give another with {flag} or in rulec.toml)"),
        }
    }

    /// rulec.toml's `policy`: the policy of scenarios that name none.
    pub fn default_policy(&self) -> Option<String> {
        self.project.as_ref().and_then(|p| p.policy.clone())
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse, type-check and lint rule and policy files
    Lint(LintArgs),
    /// Decide one scenario: the decision JSON, or a readable report with --explain
    Eval(EvalArgs),
    /// Run scenario suites against the rules
    Test(TestArgs),
    /// Format rule and policy files canonically (comments kept)
    Fmt(FmtArgs),
    /// Write the rule catalog (docs/catalog.md) from the rule files
    Doc(DocArgs),
    /// Run the language server on stdin/stdout, for editors (see docs/editors.md)
    Lsp,
    /// Serve decisions over HTTP (see docs/serve.md)
    Serve(ServeArgs),
    /// Which decisions a change to the rules flips: decide scenarios under two rule sets
    Diff(DiffArgs),
    /// Re-decide a decision log (eval --batch --log) under the project's rule sources
    Replay(ReplayArgs),
    /// Start a lender's rules project: rulec.toml, a policy, a suite and CI workflows
    Init(InitArgs),
    /// Print the documentation of a diagnostic code (E001, W002, …)
    Explain(ExplainArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

const SERVE_HELP: &str = "\
POST /v1/decide answers what `rulec eval --format json` prints; POST /v1/batch takes NDJSON;
GET /v1/rules, /v1/rules/{id}, /v1/policies, /v1/openapi.json, /healthz, /readyz, /metrics.
The rules are every --rules directory (or rulec.toml's `rules`), checked together. SIGHUP, or a
changed rule file with --watch, reloads them (a rule set with errors is refused and the old one
keeps serving); SIGINT/SIGTERM finish the requests in flight and flush the decision log.

Examples:
  rulec serve                                     127.0.0.1:8080, the rules under ./rules
  rulec --rules vendor/rulec/rules --rules policies serve --watch
  rulec serve --addr 0.0.0.0:9000 --token-file /run/secrets/rulec --log decisions.ndjson";

#[derive(Args, Debug)]
#[command(after_help = SERVE_HELP)]
pub struct ServeArgs {
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// A file holding the bearer token every /v1/ request must carry
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Append every decision (scenario, decision, time) to this NDJSON file
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Rotate the decision log to FILE.1 past this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    pub log_max_bytes: u64,
    /// Requests decided at once; more are answered 429
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub max_in_flight: usize,
    /// The time limit of one request, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// Reload the rules when a rule or policy file under the rule sources changes
    #[arg(long)]
    pub watch: bool,
}

const LINT_HELP: &str = "\
Every file of the --rules directory is loaded, so that names defined elsewhere resolve; only the
files given (default: the whole --rules directory) are reported. Directories are searched for
*.rules and *.policy files. A summary line goes to stderr in the human format.

Exit codes: 0 clean or warnings only, 1 errors (or warnings with --deny-warnings), 2 usage/IO.

Examples:
  rulec lint                                    lint everything under ./rules
  rulec lint rules/states/MA.rules              report one file (the rest is context)
  rulec lint --format sarif > rulec.sarif       for code-scanning tools
  rulec lint --format github                    annotations in a GitHub Actions log
  rulec lint --deny-warnings --today 2026-06-01 fail on lints, judging expiries on a fixed day";

#[derive(Args, Debug)]
#[command(after_help = LINT_HELP)]
pub struct LintArgs {
    /// Files or directories to report on (default: the --rules directory)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format [default: human, or `[lint] format` in rulec.toml]
    #[arg(long, value_enum)]
    pub format: Option<LintFormat>,
    /// Exit 1 on warnings as well as errors [or `[lint] deny-warnings` in rulec.toml]
    #[arg(long)]
    pub deny_warnings: bool,
    /// Exit 1 on the warnings of this code (W003…); give it more than once
    #[arg(long, value_name = "CODE")]
    pub deny: Vec<String>,
    /// Apply the unambiguous fixes (the did-you-means, `is` for `=`…), then format the files
    #[arg(long)]
    pub fix: bool,
    /// The date expiry lints judge by (expired mutes, ended rules), YYYY-MM-DD [default:
    /// `[lint] today` in rulec.toml, else today]
    #[arg(long, value_name = "DATE")]
    pub today: Option<chrono::NaiveDate>,
    /// How many days of interaction history decisions can see; longer windows are linted
    #[arg(long, value_name = "N", default_value_t = rulec_check::DEFAULT_HISTORY_HORIZON_DAYS)]
    pub history_days: u32,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LintFormat {
    /// Rendered diagnostics with the source lines (colour on a terminal)
    Human,
    /// An array of diagnostic records
    Json,
    /// SARIF 2.1.0, for code-scanning tools
    Sarif,
    /// GitHub Actions workflow annotations (::error file=…)
    Github,
}

const EVAL_HELP: &str = "\
The scenario is YAML or JSON (a file with a top-level `request`); `-` reads it from stdin.
Without --format, the output is the decision JSON when stdout is not a terminal and a readable
summary on a terminal. --explain adds the trace: every rule in force, its verdict, why, and the
figures it saw. With --format json --explain the JSON gets a top-level \"trace\" array.

Invalid input (exit 2) is reported on stderr and, in the JSON format, on stdout as
{\"statusCode\": 400, \"message\": \"…\", \"errorType\": \"ValidationError\"}.

With --batch FILE (or `-` for stdin), every line of the input is a scenario in JSON and every
line of the output (NDJSON, in input order) is its decision envelope, compact; --explain adds the
trace to each. A line that is not a valid scenario gets, in its place, {\"line\": N,
\"statusCode\": 400, \"message\": \"…\", \"errorType\": \"ValidationError\"} and the batch goes on.
Blank lines are skipped. The input is streamed in blocks of at most 4096 lines and 16 MiB
decided on every core (--jobs), so memory stays bounded however long it is and however long
its lines; each line may be up to --max-input-bytes. On a terminal, progress is shown on
stderr.

Exit codes: 0 decided (allowed or blocked; with --batch: every line), 2 invalid scenario (with
--batch: at least one invalid line), unknown policy, rules that do not load, or I/O error.

Examples:
  rulec eval scenario.yaml                       the decision JSON (on a pipe)
  rulec eval scenario.yaml --explain             why it was blocked and when it will be allowed
  rulec eval - --format json < scenario.json     read stdin
  rulec eval scenario.yaml --now 2026-03-10T18:00:00Z --policy acme_lending
  rulec eval --batch borrowers.ndjson > decisions.ndjson
  rulec eval --batch borrowers.ndjson --log decisions.log > decisions.ndjson";

#[derive(Args, Debug)]
#[command(after_help = EVAL_HELP)]
pub struct EvalArgs {
    /// The scenario file (`-` for stdin)
    #[arg(value_name = "SCENARIO", required_unless_present = "batch", conflicts_with = "batch")]
    pub scenario: Option<String>,
    /// Decide a stream of scenarios, one JSON scenario per line (`-` for stdin), writing one
    /// decision per line in input order
    #[arg(long, value_name = "FILE")]
    pub batch: Option<String>,
    /// Threads for --batch, 1 to 256 [default: one per core]
    #[arg(long, value_name = "N", requires = "batch", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=crate::batch::MAX_JOBS as u64))]
    pub jobs: Option<usize>,
    /// Output format [default: `[eval] format` in rulec.toml, else json when stdout is not a
    /// terminal, human on a terminal]
    #[arg(long, value_enum)]
    pub format: Option<EvalFormat>,
    /// A readable report with the trace of every rule in force
    #[arg(long)]
    pub explain: bool,
    /// Decide at this instant instead of the scenario's `now` (RFC 3339)
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Apply this lender policy instead of the scenario's `policy`
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
    /// With --batch: also write a decision log, one record per line (the scenario as received,
    /// the decision, the rule set, the time), for `rulec replay`
    #[arg(long, value_name = "FILE", requires = "batch")]
    pub log: Option<PathBuf>,
    /// The policy of scenarios that name none (rulec.toml's `policy`).
    #[arg(skip)]
    pub default_policy: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalFormat {
    /// A readable report
    Human,
    /// The decision envelope of scenarios.md
    Json,
}

const TEST_HELP: &str = "\
Every *.yaml, *.yml and *.json file under the paths is a suite (top-level `cases`) or a single
scenario (top-level `request`, optional `expect`). Every suite case must have an `expect` with at
least `result` (a case that asserts nothing is an error, not a pass). Each case is decided and its
`expect` checked: `result`, `citations` (each among the blocking rules' citations), `rules`,
`warnings`, `muted` (rule ids that must block, warn, be reported muted; unknown ids fail the
case), `nextAllowedAt` (null: must be null); with `exactly: true` every list given must be
exactly what the decision reports. A failure says what was expected and what came. An invalid
case fails on its own; the others still run. The last line of the human output is
`N passed, M failed` (on stderr for json and junit). The format: docs/scenarios.md.

Coverage counts, for every rule of the --rules directory, the cases where it blocked (or was
muted, or warned) and the cases where it applied and allowed. Covered means at least one of each.

Exit codes: 0 all cases pass, 1 failures (or coverage below --min-coverage), 2 usage/IO (no
scenario files, unreadable files, rules that do not load).

Examples:
  rulec test                                    run tests/scenarios against ./rules
  rulec test tests/scenarios/ma.yaml --filter frequency
  rulec test --format junit > report.xml        for CI test reports
  rulec test --coverage --min-coverage 90       fail if fewer than 90% of rules are covered";

#[derive(Args, Debug)]
#[command(after_help = TEST_HELP)]
pub struct TestArgs {
    /// Scenario files or directories [default: `suites` in rulec.toml, else tests/scenarios]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format [default: human, or `[test] format` in rulec.toml]
    #[arg(long, value_enum)]
    pub format: Option<TestFormat>,
    /// Print only failures and the summary
    #[arg(short, long)]
    pub quiet: bool,
    /// Run again whenever a rule or suite file changes (the suites a change affects)
    #[arg(long)]
    pub watch: bool,
    /// Report, for every rule, how many cases made it block and allow
    #[arg(long)]
    pub coverage: bool,
    /// Fail (exit 1) when coverage is below PCT percent (implies --coverage)
    #[arg(long, value_name = "PCT")]
    pub min_coverage: Option<f64>,
    /// Run only the cases whose name contains TEXT
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Apply this lender policy to every case instead of the case's `policy` (rulec.toml's
    /// `policy` is the policy of cases that name none)
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestFormat {
    /// One line per case, failures with expected/got and the trace
    Human,
    /// One JSON document with every case and its decision
    Json,
    /// JUnit XML: a testsuite per file, a testcase per case
    Junit,
}

const FMT_HELP: &str = "\
Rewrites files in place (only those that change) in the canonical layout; comments are kept and
formatting twice changes nothing. Directories are searched for *.rules and *.policy files. With
--check nothing is written: the files that would change are listed on stdout; with --diff, what
would change is printed as a unified diff. `-` reads stdin and writes the formatted text to
stdout.

Exit codes: 0 nothing to do (or all rewritten), 1 --check/--diff found changes or a file has
syntax errors (it is left alone; the errors go to stderr), 2 unreadable or unwritable files.

Examples:
  rulec fmt                          format every file under ./rules
  rulec fmt --check                  in CI: fail if a file is not formatted
  rulec fmt --diff                   show what would change
  rulec fmt - < MA.rules             format stdin to stdout (for editors)
  rulec fmt rules/states/MA.rules    one file";

#[derive(Args, Debug)]
#[command(after_help = FMT_HELP)]
pub struct FmtArgs {
    /// Files or directories, or `-` to format stdin to stdout (default: the rule sources)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit 1 if any
    #[arg(long)]
    pub check: bool,
    /// Write nothing; print what would change as a unified diff and exit 1 if anything would
    #[arg(long, conflicts_with = "check")]
    pub diff: bool,
}

const DOC_HELP: &str = "\
The catalog lists every jurisdiction with a file under --rules (states without rules of their
own included) and, for every rule, its title, citations, roles, channels, severity, dates in
force and confidence note (the rule's `## Unsure:` doc paragraph). It is generated, never edited:
CI runs `rulec doc --check`.

Exit codes: 0 written (or up to date with --check), 1 --check found the file stale, 2 rules that
do not load or I/O errors.

Examples:
  rulec doc                        write docs/catalog.md
  rulec doc --check                in CI: fail if docs/catalog.md is stale
  rulec doc --out -                print the catalog";

#[derive(Args, Debug)]
#[command(after_help = DOC_HELP)]
pub struct DocArgs {
    /// Where to write the catalog (`-` for stdout)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 if the file differs from what would be written
    #[arg(long)]
    pub check: bool,
}

impl DocArgs {
    pub fn out_is_stdout(&self) -> bool {
        self.out.as_deref().is_some_and(|p| p.as_os_str() == "-")
    }
}

const DIFF_HELP: &str = "\
OLD and NEW are rule sources:
  worktree      the project's rule sources as they are on disk: --rules, else the `rules` of
                rulec.toml, else ./rules (every folder, when there are several)
  git:REV       the same sources as they were at a commit, branch or tag, read from the
                repository without a checkout; with rulec.toml, its `rules` as the file was at
                REV (the current file's when it did not exist then); --rules wins
  git:REV:PATH  one folder at REV
  FOLDER        every rule and policy file under a folder
Rules are compared by meaning: reformatting, reordering or moving rules changes nothing.

The corpus is decided under both: the SCENARIOS given (suites, single scenarios, NDJSON lines of
`eval --batch` input or of a decision log; default: rulec.toml's `suites`, else tests/scenarios), and scenarios generated
around every added, removed or changed rule (and every rule a changed policy mutes, extends or
selects), from the cases of the --seeds suites in the rule's jurisdiction: on both sides of each
instant its condition changes (a window opening in each candidate zone, a counted interaction
leaving its window, a grace period ending), of each count limit, of each class of values of a
field it tests, of its first and last day in force and a mute's last day, and in each role. At
most 4 seeds and 48 scenarios per seed for each rule, 50000 in all.

A decision changes when its result, blocking rules, warnings, muted rules or nextAllowedAt do.
Messages and titles are wording: a change to them alone is listed, never counted as a flip.

Exit codes: 0 no decision changes (or none of the --fail-on kind), 1 some do, 2 usage/IO (rules
that do not load, an invalid scenario, an unknown revision).

Examples:
  rulec diff git:main worktree                    this branch's rules (on disk) against main's
  rulec diff git:main rules                       the same for the one folder ./rules
  rulec diff git:HEAD~1 git:HEAD --format markdown > review.md
  rulec diff rules rules-new my-cases.yaml --no-generate
  rulec diff git:main rules --fail-on allowed-to-blocked   fail CI only when something newly blocks";

#[derive(Args, Debug)]
#[command(after_help = DIFF_HELP)]
pub struct DiffArgs {
    /// The rules before the change: worktree, git:REV, git:REV:PATH or a folder
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The rules after the change
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Suites, scenarios, NDJSON files or folders to decide [default: `suites` in rulec.toml, else tests/scenarios]
    #[arg(value_name = "SCENARIOS")]
    pub scenarios: Vec<PathBuf>,
    /// Suites whose cases generated scenarios start from [default: `suites` in rulec.toml, else tests/scenarios]
    #[arg(long, value_name = "DIR")]
    pub seeds: Option<PathBuf>,
    /// Decide the given scenarios only; generate none
    #[arg(long)]
    pub no_generate: bool,
    #[command(flatten)]
    pub report: ReviewReportArgs,
}

#[derive(Args, Debug)]
pub struct ReviewReportArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReviewFormat::Human)]
    pub format: ReviewFormat,
    /// Exit 1 only for changes of this kind
    #[arg(long, value_enum, default_value_t = FailOn::Any, value_name = "KIND")]
    pub fail_on: FailOn,
    /// Human format: add both decisions' traces for the first changes of each kind
    #[arg(long)]
    pub explain: bool,
    /// Changes of each kind shown with both decisions explained (markdown, --explain)
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub examples: usize,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewFormat {
    /// A summary, tables by rule and jurisdiction, a line per changed decision
    Human,
    /// One JSON document with every changed decision and its scenario
    Json,
    /// A pull-request comment: summary tables, then examples with both decisions explained
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// A decision allowed under OLD is blocked under NEW
    AllowedToBlocked,
    /// A decision blocked under OLD is allowed under NEW
    BlockedToAllowed,
    /// Any change of a decision
    Any,
}

const REPLAY_HELP: &str = "\
LOG is a decision log written by `rulec eval --batch --log`: one record per decision with the
scenario as received and the decision made. Each scenario is decided again under the project's
rule sources (--rules, else the `rules` of rulec.toml, else ./rules; all of them when there are
several), with the --now and --policy the batch was given, and compared with the decision
logged, as `rulec diff` compares two rule sets. Records of lines that were invalid when logged
are counted and skipped. Under the rules that made the log, nothing changes.

Exit codes: 0 no decision changes (or none of the --fail-on kind), 1 some do, 2 usage/IO.

Examples:
  rulec replay decisions.log                       under rulec.toml's rules (or ./rules)
  rulec replay decisions.log --rules rules-new --format markdown";

#[derive(Args, Debug)]
#[command(after_help = REPLAY_HELP)]
pub struct ReplayArgs {
    /// The decision log
    #[arg(value_name = "LOG")]
    pub log: PathBuf,
    #[command(flatten)]
    pub report: ReviewReportArgs,
}

const INIT_HELP: &str = "\
Writes, in DIR (default: the working directory), a lender's rules project:
  rulec.toml                   the rule sources (the shipped library given with --library, and
                               policies/), the suites, the defaults of the commands
  policies/NAME.policy         the lender's policy: one business rule and one mute
  tests/NAME.yaml              a suite that tests both
  .github/workflows/rules.yml  CI: lint (SARIF, uploaded to code scanning) and test (JUnit)
  .github/workflows/rule-review.yml
                               on a pull request, `rulec diff` of the rule changes as a comment
An existing file is never overwritten (exit 2, nothing written).

Examples:
  rulec init --library vendor/rulec/rules --policy acme
  rulec lint && rulec test";

#[derive(Args, Debug)]
#[command(after_help = INIT_HELP)]
pub struct InitArgs {
    /// Where to create the project
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// The shipped rule library (its `rules` directory: a vendored or installed copy)
    #[arg(long, value_name = "DIR")]
    pub library: PathBuf,
    /// The policy's name (letters, digits and `_`)
    #[arg(long, value_name = "NAME", default_value = "lender")]
    pub policy: String,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A diagnostic code such as E003 or W002, or its name (unknown-value)
    #[arg(value_name = "CODE")]
    pub code: String,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  rulec completions bash > ~/.local/share/bash-completion/completions/rulec\n  rulec completions zsh > ~/.zfunc/_rulec\n  rulec completions fish > ~/.config/fish/completions/rulec.fish")]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
