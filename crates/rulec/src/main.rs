//! `rulec`: lint, test, evaluate and format communication-compliance rules.
//!
//! Exit codes are the same for every command: 0 success, 1 the command's finding (lint errors,
//! failed cases, files that need formatting), 2 usage or I/O errors (a missing file, invalid
//! arguments, rules that do not load for `eval`/`test`, an invalid scenario for `eval`).
//! For `diff` and `replay`, 1 means some decision changes.

mod batch;
mod cli;
mod doc;
mod eval;
mod files;
mod fmt;
mod lint;
mod report;
mod review;
mod test;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// A command's outcome: its exit status (0, 1 or 2).
pub type Outcome = Result<u8, Failure>;

/// A usage or I/O error: printed as `error: …` on stderr, exit 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl<T: std::fmt::Display> From<T> for Failure {
    fn from(message: T) -> Self {
        Failure(message.to_string())
    }
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let outcome = match cli.command {
        cli::Command::Lint(args) => lint::run(&cli.global, args),
        cli::Command::Eval(args) => eval::run(&cli.global, args),
        cli::Command::Test(args) => test::run(&cli.global, args),
        cli::Command::Fmt(args) => fmt::run(&cli.global, args),
        cli::Command::Doc(args) => doc::run(&cli.global, args),
        cli::Command::Lsp => lsp(),
        cli::Command::Serve(args) => serve(&cli.global, args),
        cli::Command::Diff(args) => review::diff(&cli.global, args),
        cli::Command::Replay(args) => review::replay(&cli.global, args),
    };
    let code = match outcome {
        Ok(code) => code,
        Err(Failure(message)) => {
            let _ = std::io::stdout().flush();
            eprintln!("error: {message}");
            2
        }
    };
    let _ = std::io::stdout().flush();
    ExitCode::from(code)
}

/// `rulec lsp`: the language server, until the editor closes the connection.
fn lsp() -> Result<u8, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build()?;
    runtime.block_on(rulec_lsp::serve_stdio());
    Ok(0)
}

/// `rulec serve`: the decision service, until SIGINT or SIGTERM.
fn serve(global: &cli::Global, args: cli::ServeArgs) -> Result<u8, Failure> {
    let token = match &args.token_file {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?.trim().to_string()),
        None => None,
    };
    let config = rulec_serve::Config {
        rules: global.rules_dir(),
        addr: args.addr,
        token,
        log: args.log.map(|path| (path, args.log_max_bytes)),
        max_in_flight: args.max_in_flight,
        timeout: std::time::Duration::from_millis(args.timeout_ms),
        limits: global.scenario_limits(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(rulec_serve::serve(config))?;
    Ok(0)
}
