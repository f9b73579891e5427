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
mod input_errors;
mod fmt;
mod explain;
mod fix;
mod init;
mod lint;
mod project;
mod report;
mod review;
mod test;
mod watch;

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

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let mut cli = cli::Cli::parse();
    files::set_color(cli.global.color);
    let outcome = load_project(&mut cli).and_then(|()| match cli.command {
        cli::Command::Lint(args) => lint::run(&cli.global, args),
        cli::Command::Eval(args) => eval::run(&cli.global, args),
        cli::Command::Test(args) => test::run(&cli.global, args),
        cli::Command::Fmt(args) => fmt::run(&cli.global, args),
        cli::Command::Doc(args) => doc::run(&cli.global, args),
        cli::Command::Lsp => lsp(),
        cli::Command::Serve(args) => serve(&cli.global, args),
        cli::Command::Diff(args) => review::diff(&cli.global, args),
        cli::Command::Replay(args) => review::replay(&cli.global, args),
        cli::Command::Init(args) => init::run(args),
        cli::Command::Explain(args) => explain::run(args),
        cli::Command::Completions(args) => {
            let mut command = <cli::Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut command, "rulec", &mut out);
            files::out(&String::from_utf8_lossy(&out));
            Ok(0)
        }
    });
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
    let (rules, origin) = global.rules_dirs();
    if let Some(missing) = rules.iter().find(|d| !d.is_dir()) {
        return Err(Failure(format!("{}: the rules directory does not exist{}", files::display(missing), global.origin_note(origin, "--rules DIR"))));
    }
    let config = rulec_serve::Config {
        rules,
        default_policy: global.default_policy(),
        watch: args.watch,
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

/// Reads the nearest rulec.toml (unless `--isolated`, or for commands that make or print
/// things without rules), and says on stderr which file it is.
fn load_project(cli: &mut cli::Cli) -> Result<(), Failure> {
    let uses_project = matches!(
        cli.command,
        cli::Command::Lint(_)
            | cli::Command::Eval(_)
            | cli::Command::Test(_)
            | cli::Command::Fmt(_)
            | cli::Command::Doc(_)
            | cli::Command::Serve(_)
            | cli::Command::Diff(_)
            | cli::Command::Replay(_)
    );
    if !cli.global.isolated && uses_project {
        if let Some(path) = project::find() {
            let loaded = project::load(&path)?;
            files::err(&format!("using {}\n", files::display(&path)));
            cli.global.project = Some(loaded);
        }
    }
    Ok(())
}
