//! The service's state: the loaded rules (swapped whole on reload), the limits, the metrics and
//! the decision log.

use crate::log::DecisionLog;
use crate::metrics::Metrics;
use rulec_eval::Engine;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How the service runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// The rule sources: every `*.rules` and `*.policy` file under each, checked together (as
    /// `--rules` given more than once, or rulec.toml's `rules`). A reload reads them all anew.
    pub rules: Vec<PathBuf>,
    /// The policy of scenarios that name none and get no `?policy=` (rulec.toml's `policy`),
    /// as `rulec eval` applies it.
    pub default_policy: Option<String>,
    /// Reload when a rule or policy file under the sources changes (`--watch`).
    pub watch: bool,
    pub addr: SocketAddr,
    /// A bearer token every `/v1/` request must carry.
    pub token: Option<String>,
    /// Where decisions are appended, and the size at which the file is rotated to `FILE.1`.
    pub log: Option<(PathBuf, u64)>,
    /// Requests decided at once; more are answered 429.
    pub max_in_flight: usize,
    /// How long one request may take.
    pub timeout: Duration,
    /// The scenario loader's limits, for every body.
    pub limits: rulec_scenario::Limits,
}

/// A rule set as loaded.
pub struct Loaded {
    pub engine: Engine,
    pub loaded_at: chrono::DateTime<chrono::Utc>,
    pub load_time: Duration,
    /// `{"digest", "version"}`: the rule set every decision and log record names.
    pub rule_set_id: serde_json::Value,
}

pub struct Service {
    pub config: Config,
    loaded: RwLock<Arc<Loaded>>,
    /// Why the last reload was refused (shown by `/readyz`), cleared by a good one.
    reload_error: Mutex<Option<String>>,
    pub metrics: Metrics,
    pub in_flight: InFlight,
    log: Option<DecisionLog>,
}

/// The bound on requests answered at once. A request that finds it full is refused (429), never
/// queued, so a counter does the work of a semaphore without the semaphore's lock on every
/// release.
pub struct InFlight {
    count: AtomicUsize,
    max: usize,
}

/// One request counted in flight, until it is dropped.
pub struct InFlightPermit<'a>(&'a InFlight);

impl InFlight {
    /// A permit, or `None` when `max` requests are already in flight.
    pub fn try_enter(&self) -> Option<InFlightPermit<'_>> {
        let mut count = self.count.load(Ordering::Relaxed);
        loop {
            if count >= self.max {
                return None;
            }
            match self.count.compare_exchange_weak(count, count + 1, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => return Some(InFlightPermit(self)),
                Err(now) => count = now,
            }
        }
    }
}

impl Drop for InFlightPermit<'_> {
    fn drop(&mut self) {
        self.0.count.fetch_sub(1, Ordering::Release);
    }
}

fn load(dirs: &[PathBuf]) -> Result<Loaded, String> {
    if dirs.is_empty() {
        return Err("no rules directory was given".into());
    }
    if let Some(missing) = dirs.iter().find(|d| !d.is_dir()) {
        return Err(format!("{}: the rules directory does not exist", missing.display()));
    }
    let started = Instant::now();
    let dirs: Vec<&std::path::Path> = dirs.iter().map(PathBuf::as_path).collect();
    let engine = Engine::from_dirs(&dirs).map_err(|e| e.to_string())?;
    let rule_set_id = serde_json::to_value(engine.rule_set_id()).unwrap_or(serde_json::Value::Null);
    Ok(Loaded { engine, loaded_at: chrono::Utc::now(), load_time: started.elapsed(), rule_set_id })
}

impl Service {
    /// Loads the rules and opens the log; fails on a rule set with errors.
    pub fn start(config: Config) -> Result<Service, String> {
        let loaded = load(&config.rules)?;
        let log = match &config.log {
            Some((path, max)) => Some(DecisionLog::open(path, *max).map_err(|e| format!("{}: {e}", path.display()))?),
            None => None,
        };
        Ok(Service {
            in_flight: InFlight { count: AtomicUsize::new(0), max: config.max_in_flight },
            config,
            loaded: RwLock::new(Arc::new(loaded)),
            reload_error: Mutex::new(None),
            metrics: Metrics::default(),
            log,
        })
    }

    /// The rules in force now (a reload does not disturb a decision already holding them).
    pub fn rules(&self) -> Arc<Loaded> {
        self.loaded.read().map_or_else(|e| e.into_inner().clone(), |l| l.clone())
    }

    /// Loads the rules anew and swaps them in; with errors, keeps the old ones.
    pub fn reload(&self) -> Result<(), String> {
        let result = load(&self.config.rules);
        let mut error = self.reload_error.lock().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok(loaded) => {
                *self.loaded.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(loaded);
                *error = None;
                self.metrics.reloads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Ok(())
            }
            Err(message) => {
                *error = Some(message.clone());
                self.metrics.reload_failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Err(message)
            }
        }
    }

    pub fn reload_error(&self) -> Option<String> {
        self.reload_error.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Appends a decision to the log, if there is one: the record of `rulec eval --batch --log`
    /// (`policy` is the `?policy=` that replaced the scenario's own), for `rulec replay`.
    pub fn log(&self, scenario: &str, decision: &serde_json::Value, policy: Option<&str>, rule_set_id: &serde_json::Value) {
        if let Some(log) = &self.log {
            if let Err(e) = log.append(scenario, decision, policy, rule_set_id) {
                eprintln!("rulec serve: the decision log could not be written: {e}");
                self.metrics.log_failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    /// Whether decisions are logged (then each is turned into JSON for its record).
    pub fn logs_decisions(&self) -> bool {
        self.log.is_some()
    }

    pub fn flush_log(&self) {
        if let Some(log) = &self.log {
            let _ = log.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_flight_refuses_past_the_bound_and_frees_a_place_when_a_request_ends() {
        let bound = InFlight { count: AtomicUsize::new(0), max: 2 };
        let first = bound.try_enter().expect("a first place");
        let second = bound.try_enter().expect("a second place");
        assert!(bound.try_enter().is_none(), "a third request is refused at a bound of two");
        drop(first);
        let third = bound.try_enter().expect("the place the first request left");
        assert!(bound.try_enter().is_none());
        drop((second, third));
        assert_eq!(bound.count.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_bound_of_zero_refuses_every_request() {
        assert!(InFlight { count: AtomicUsize::new(0), max: 0 }.try_enter().is_none());
    }
}
