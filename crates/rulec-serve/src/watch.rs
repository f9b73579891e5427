//! `--watch`: reloads the rules when a rule or policy file under the rule sources changes, as
//! SIGHUP does (a rule set with errors is refused and the previous one keeps serving).

use crate::state::Service;
use notify::{RecursiveMode, Watcher};
use std::sync::Arc;
use std::time::Duration;

/// Changes that arrive within this time of each other make one reload (an editor's save, a
/// `git checkout`, are several events).
const SETTLE: Duration = Duration::from_millis(200);

/// Starts watching the service's rule sources; watching stops when the returned watcher is
/// dropped.
pub fn watch(service: Arc<Service>) -> Result<notify::RecommendedWatcher, String> {
    let (sender, changes) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, notify::EventKind::Access(_)) && event.paths.iter().any(|p| rulec_eval::files::is_rule_file(p)) {
                let _ = sender.send(());
            }
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    for dir in &service.config.rules {
        watcher.watch(dir, RecursiveMode::Recursive).map_err(|e| format!("{}: cannot watch: {e}", dir.display()))?;
    }
    std::thread::spawn(move || {
        while changes.recv().is_ok() {
            while changes.recv_timeout(SETTLE).is_ok() {}
            match service.reload() {
                Ok(()) => eprintln!("rulec serve: a rule file changed; rules reloaded"),
                Err(e) => eprintln!("rulec serve: a rule file changed; reload refused, the previous rules keep serving: {e}"),
            }
        }
    });
    Ok(watcher)
}

