//! Counters and a latency histogram, written in the Prometheus text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.1, 1.0];

#[derive(Default)]
pub struct Metrics {
    pub allowed: AtomicU64,
    pub blocked: AtomicU64,
    pub input_errors: AtomicU64,
    pub rejected_busy: AtomicU64,
    pub unauthorized: AtomicU64,
    pub timeouts: AtomicU64,
    pub reloads: AtomicU64,
    pub reload_failures: AtomicU64,
    pub log_failures: AtomicU64,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    /// Microseconds.
    sum_us: AtomicU64,
}

impl Metrics {
    pub fn observe(&self, seconds: f64) {
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_us.fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn decided(&self, allowed: bool) {
        let counter = if allowed { &self.allowed } else { &self.blocked };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition.
    pub fn render(&self, rules: usize, rule_set: &rulec_eval::RuleSetId, load_seconds: f64, loaded_at: i64) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        let _ = writeln!(out, "# HELP rulec_decisions_total Decisions made, by result.\n# TYPE rulec_decisions_total counter");
        let _ = writeln!(out, "rulec_decisions_total{{result=\"allowed\"}} {}", get(&self.allowed));
        let _ = writeln!(out, "rulec_decisions_total{{result=\"blocked\"}} {}", get(&self.blocked));
        for (name, help, value) in [
            ("rulec_input_errors_total", "Scenarios refused as invalid input.", get(&self.input_errors)),
            ("rulec_rejected_busy_total", "Requests answered 429 because too many were in flight.", get(&self.rejected_busy)),
            ("rulec_unauthorized_total", "Requests without the bearer token.", get(&self.unauthorized)),
            ("rulec_timeouts_total", "Requests that ran out of time.", get(&self.timeouts)),
            ("rulec_reloads_total", "Rule sets swapped in by a reload.", get(&self.reloads)),
            ("rulec_reload_failures_total", "Reloads refused because the rules had errors.", get(&self.reload_failures)),
            ("rulec_log_failures_total", "Decisions the log could not record.", get(&self.log_failures)),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}");
        }
        let _ = writeln!(out, "# HELP rulec_decision_seconds Time to decide one scenario (loading included).\n# TYPE rulec_decision_seconds histogram");
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(out, "rulec_decision_seconds_bucket{{le=\"{bound}\"}} {}", get(bucket));
        }
        let _ = writeln!(out, "rulec_decision_seconds_bucket{{le=\"+Inf\"}} {}", get(&self.count));
        let _ = writeln!(out, "rulec_decision_seconds_sum {}", get(&self.sum_us) as f64 / 1e6);
        let _ = writeln!(out, "rulec_decision_seconds_count {}", get(&self.count));
        // The info-metric idiom: the identity in labels, the value 1 (it changes on reload).
        let label = |v: &str| v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
        let _ = writeln!(
            out,
            "# HELP rulec_rule_set_info The rule set in force, as every decision names it (data.ruleSet).\n# TYPE rulec_rule_set_info gauge\nrulec_rule_set_info{{digest=\"{}\",version=\"{}\"}} 1",
            label(&rule_set.digest),
            label(&rule_set.version)
        );
        let _ = writeln!(out, "# HELP rulec_rules Rules in the rule set in force.\n# TYPE rulec_rules gauge\nrulec_rules {rules}");
        let _ = writeln!(out, "# HELP rulec_rules_load_seconds Time the rule set in force took to load.\n# TYPE rulec_rules_load_seconds gauge\nrulec_rules_load_seconds {load_seconds}");
        let _ = writeln!(out, "# HELP rulec_rules_loaded_timestamp_seconds When the rule set in force was loaded.\n# TYPE rulec_rules_loaded_timestamp_seconds gauge\nrulec_rules_loaded_timestamp_seconds {loaded_at}");
        out
    }
}
