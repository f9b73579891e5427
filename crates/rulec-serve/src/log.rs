//! The decision log: one JSON line per decision (the record `rulec eval --batch --log` writes
//! and `rulec replay` reads), appended and flushed before the answer goes out, rotated by size.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct DecisionLog {
    path: PathBuf,
    max_bytes: u64,
    file: Mutex<(BufWriter<File>, u64)>,
}

impl DecisionLog {
    /// Opens (or creates) the log for appending; past `max_bytes` it is renamed `FILE.1` (the
    /// previous `FILE.1` is replaced) and a new file started.
    pub fn open(path: &Path, max_bytes: u64) -> std::io::Result<DecisionLog> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let size = file.metadata()?.len();
        Ok(DecisionLog { path: path.to_path_buf(), max_bytes, file: Mutex::new((BufWriter::new(file), size)) })
    }

    /// Appends one record and flushes it: a decision is logged before it is answered.
    /// The record is `rulec eval --batch --log`'s (`rulec_review::log`): the time, the rule set,
    /// the scenario as received, the `?policy=` that replaced its own, the decision.
    pub fn append(&self, scenario: &str, decision: &serde_json::Value, policy: Option<&str>, rule_set_id: &serde_json::Value) -> std::io::Result<()> {
        let overrides = rulec_review::log::Overrides { now: None, policy: policy.map(str::to_string) };
        let mut line = rulec_review::log::decided(scenario, decision, &overrides, rule_set_id, chrono::Utc::now()).into_bytes();
        line.push(b'\n');
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if guard.1 > 0 && guard.1 + line.len() as u64 > self.max_bytes {
            guard.0.flush()?;
            let rotated = PathBuf::from(format!("{}.1", self.path.display()));
            std::fs::rename(&self.path, rotated)?;
            let file = OpenOptions::new().create(true).append(true).open(&self.path)?;
            *guard = (BufWriter::new(file), 0);
        }
        guard.0.write_all(&line)?;
        guard.0.flush()?;
        guard.1 += line.len() as u64;
        Ok(())
    }

    pub fn flush(&self) -> std::io::Result<()> {
        self.file.lock().unwrap_or_else(|e| e.into_inner()).0.flush()
    }
}
