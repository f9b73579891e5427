//! `rulec test --watch`: runs the suites, then again whenever a file changes. A changed rule or
//! policy file can change any decision, so every suite runs again; a changed suite file runs
//! alone. Stops with Ctrl-C.

use crate::cli::{Global, TestArgs};
use crate::files::{self, display};
use crate::{Failure, Outcome};
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Changes that arrive within this time of each other make one run (an editor's save is
/// several events).
const SETTLE: Duration = Duration::from_millis(200);

pub fn run(global: &Global, args: &TestArgs, suites: &[PathBuf]) -> Outcome {
    let (rules_dirs, _) = global.rules_dirs();
    let (sender, events) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, notify::EventKind::Access(_)) {
                let _ = sender.send(event.paths);
            }
        }
    })
    .map_err(|e| Failure(format!("cannot watch files: {e}")))?;
    for path in rules_dirs.iter().chain(suites) {
        watcher
            .watch(path, RecursiveMode::Recursive)
            .map_err(|e| Failure(format!("{}: cannot watch: {e}", display(path))))?;
    }

    report(crate::test::run_once(global, args, suites));
    let rule_roots: Vec<PathBuf> = rules_dirs.iter().map(|p| files::identity(p)).collect();
    loop {
        files::err("watching for changes (Ctrl-C to stop)…\n");
        let Ok(first) = events.recv() else { return Ok(0) };
        let mut changed: Vec<PathBuf> = first;
        while let Ok(more) = events.recv_timeout(SETTLE) {
            changed.extend(more);
        }
        let rules_changed = changed.iter().any(|p| rulec_eval::files::is_rule_file(p));
        let suites_changed: Vec<PathBuf> = changed
            .iter()
            .filter(|p| is_suite_file(p) && p.exists() && !under_any(p, &rule_roots))
            .map(|p| relative(p))
            .collect();
        let run_now: Vec<PathBuf> = if rules_changed {
            suites.to_vec()
        } else if !suites_changed.is_empty() {
            let mut unique = suites_changed;
            unique.sort();
            unique.dedup();
            unique
        } else {
            continue;
        };
        let shown: Vec<String> = changed.iter().map(|p| display(&relative(p))).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        files::err(&format!("\n── changed: {}\n", shown.join(", ")));
        report(crate::test::run_once(global, args, &run_now));
    }
}

/// An error of one run is shown; watching goes on.
fn report(outcome: Outcome) {
    if let Err(Failure(message)) = outcome {
        files::err(&format!("error: {message}\n"));
    }
}


fn is_suite_file(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
}

fn under_any(path: &Path, roots: &[PathBuf]) -> bool {
    let path = files::identity(path);
    roots.iter().any(|root| path.starts_with(root))
}

/// An absolute path from the watcher, shown relative to the working directory when it is under it.
fn relative(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}
