//! `rulec eval --batch`: screening a stream of scenarios, one JSON scenario per line, into one
//! decision per line, in input order, on every core.
//!
//! The input is read in blocks of lines, never whole: a block holds at most [`BLOCK_LINES`]
//! lines and [`BLOCK_BYTES`] bytes (a longer line is a block of its own, up to
//! `--max-input-bytes`), so memory is bounded by bytes whatever the length of the stream and
//! of its lines. Each block is decided in parallel (rayon) and written in order before the next
//! is read.
//! A line that is not a valid scenario is answered in place with the platform's error shape and
//! its line number; the batch goes on.

use crate::cli::{EvalArgs, Global};
use crate::files::{self, display};
use crate::report;
use crate::{Failure, Outcome};
use rayon::prelude::*;
use rulec_eval::Engine;
use rulec_scenario::{Document, Limits};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::Path;
use std::time::Instant;

/// Lines decided together: enough to keep every core busy, few enough to bound memory.
const BLOCK_LINES: usize = 4096;

/// Bytes of input decided together. A scenario costs about 10 to 20 times its size while it is
/// decided, so a block costs a few hundred MiB at most, however long its lines.
const BLOCK_BYTES: usize = 16 * 1024 * 1024;

/// The most threads `--jobs` may ask for.
pub const MAX_JOBS: usize = 256;

/// What a batch run needs besides its input.
struct Batch<'a> {
    engine: &'a Engine,
    limits: &'a Limits,
    args: &'a EvalArgs,
    /// With `--log`: the rule set each record names (see `rulec_review::log`).
    log_rule_set: Option<serde_json::Value>,
}

pub fn run(global: &Global, args: &EvalArgs, input: &str) -> Outcome {
    if args.format == Some(crate::cli::EvalFormat::Human) {
        return Err(Failure("--batch writes NDJSON only; drop --format human".into()));
    }
    let limits = global.scenario_limits();
    let (label, reader): (String, Box<dyn Read>) = if input == "-" {
        ("<stdin>".into(), Box::new(std::io::stdin()))
    } else {
        let path = Path::new(input);
        let file = std::fs::File::open(path).map_err(|e| Failure(format!("{}: {}", display(path), files::io_message(&e))))?;
        (display(path), Box::new(file))
    };
    let loaded = report::load_rules(global)?;
    let mut log = match &args.log {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| Failure(format!("{}: {}", display(path), files::io_message(&e))))?,
        )),
        None => None,
    };
    let log_rule_set = log.as_ref().map(|_| serde_json::to_value(loaded.engine.rule_set_id()).expect("a rule set id is plain strings"));
    let batch = Batch { engine: &loaded.engine, limits: &limits, args, log_rule_set };
    let pool = match args.jobs {
        Some(n) => Some(rayon::ThreadPoolBuilder::new().num_threads(n.clamp(1, MAX_JOBS)).build().map_err(|e| Failure(e.to_string()))?),
        None => None,
    };

    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let progress = std::io::stderr().is_terminal();
    let started = Instant::now();
    let (mut line_number, mut decided, mut invalid) = (0usize, 0usize, 0usize);
    // A line read that did not fit in the last block: the first of the next.
    let mut pending: Option<(usize, Result<Vec<u8>, String>)> = None;
    let mut ended = false;
    loop {
        let mut block: Vec<(usize, Result<Vec<u8>, String>)> = Vec::with_capacity(BLOCK_LINES.min(1024));
        let mut block_bytes = 0usize;
        block.extend(pending.take().inspect(|(_, line)| block_bytes += line.as_ref().map_or(0, Vec::len)));
        while block.len() < BLOCK_LINES && !ended {
            line_number += 1;
            let line = match read_line(&mut reader, limits.max_input_bytes) {
                Ok(None) => {
                    ended = true;
                    break;
                }
                // Blank lines (and a final newline) are not scenarios.
                Ok(Some(Line::Text(bytes))) if bytes.iter().all(u8::is_ascii_whitespace) => continue,
                Ok(Some(Line::Text(bytes))) => Ok(bytes),
                Ok(Some(Line::TooLong)) => Err(format!("the line is longer than {} bytes (--max-input-bytes)", limits.max_input_bytes)),
                Err(e) => return Err(Failure(format!("{label}: line {line_number}: {}", files::io_message(&e)))),
            };
            let size = line.as_ref().map_or(0, Vec::len);
            if !block.is_empty() && block_bytes + size > BLOCK_BYTES {
                pending = Some((line_number, line));
                break;
            }
            block_bytes += size;
            block.push((line_number, line));
        }
        if block.is_empty() {
            break;
        }
        let decide = || block.par_iter().map(|(n, line)| batch.answer(*n, line)).collect::<Vec<_>>();
        let answers = match &pool {
            Some(pool) => pool.install(decide),
            None => decide(),
        };
        for (text, ok, record) in answers {
            if let (Some(log), Some(record)) = (log.as_mut(), record) {
                log.write_all(record.as_bytes())
                    .and_then(|_| log.write_all(b"\n"))
                    .map_err(|e| Failure(format!("{}: {}", args.log.as_deref().map(display).unwrap_or_default(), files::io_message(&e))))?;
            }
            if ok {
                decided += 1;
            } else {
                invalid += 1;
            }
            if out.write_all(text.as_bytes()).and_then(|_| out.write_all(b"\n")).is_err() {
                // The reader of our output went away (`| head`): stop quietly.
                return Ok(if invalid > 0 { 2 } else { 0 });
            }
        }
        let _ = out.flush();
        if progress {
            let seconds = started.elapsed().as_secs_f64().max(1e-9);
            files::err(&format!(
                "\r{} decided, {} invalid, {:.0} scenarios/s",
                decided,
                invalid,
                (decided + invalid) as f64 / seconds
            ));
        }
        if pending.is_none() && (ended || reader.fill_buf().map(|b| b.is_empty()).unwrap_or(true)) {
            break;
        }
    }
    let _ = out.flush();
    if let Some(log) = log.as_mut() {
        log.flush().map_err(|e| Failure(format!("{}: {}", args.log.as_deref().map(display).unwrap_or_default(), files::io_message(&e))))?;
    }
    if progress {
        files::err("\n");
    }
    if invalid > 0 {
        files::err(&format!("{label}: {} invalid\n", files::count(invalid, "line")));
        return Ok(2);
    }
    Ok(0)
}

impl Batch<'_> {
    /// The output line for an input line, whether it was decided, and its decision log record
    /// (with `--log`).
    fn answer(&self, line_number: usize, line: &Result<Vec<u8>, String>) -> (String, bool, Option<String>) {
        let input = || line.as_ref().map_or_else(|_| String::new(), |b| String::from_utf8_lossy(b).into_owned());
        match self.decide(line) {
            // Without --log or --explain no JSON tree is needed: the decision is written as text.
            Ok(decision) if self.log_rule_set.is_none() && !self.args.explain => {
                let mut text = Vec::with_capacity(1024);
                decision.write_json_line(&mut text);
                (String::from_utf8(text).expect("JSON is UTF-8"), true, None)
            }
            Ok(decision) => {
                let value = match crate::eval::decision_json(&decision, self.args.explain) {
                    Ok(value) => value,
                    Err(e) => return self.invalid(line_number, &input(), e.to_string()),
                };
                let record = self.log_rule_set.as_ref().map(|rule_set| {
                    let overrides = rulec_review::log::Overrides {
                        now: self.args.now.map(|n| n.with_timezone(&chrono::Utc)),
                        policy: self.args.policy.clone(),
                    };
                    rulec_review::log::decided(&input(), &value, &overrides, rule_set, chrono::Utc::now())
                });
                (value.to_string(), true, record)
            }
            Err(message) => self.invalid(line_number, &input(), message),
        }
    }

    /// The output line and log record of a line that could not be decided.
    fn invalid(&self, line_number: usize, input: &str, message: String) -> (String, bool, Option<String>) {
        let record = self.log_rule_set.as_ref().map(|r| rulec_review::log::invalid(line_number, input, &message, r, chrono::Utc::now()));
        let mut error = crate::eval::error_shape(&message);
        error["line"] = line_number.into();
        (error.to_string(), false, record)
    }

    fn decide(&self, line: &Result<Vec<u8>, String>) -> Result<rulec_eval::Decision, String> {
        let bytes = line.as_ref().map_err(Clone::clone)?;
        let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text (invalid byte at offset {})", e.valid_up_to()))?;
        let mut scenario = match rulec_scenario::load_document_with(text, self.limits) {
            Ok(Document::Scenario { scenario, .. }) => scenario,
            Ok(Document::Suite(suite)) => {
                return Err(format!("a suite ('{}'), not a scenario; run suites with `rulec test`", suite.name))
            }
            Err(errors) => return Err(errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")),
        };
        crate::eval::apply_overrides(&mut scenario, self.args)?;
        crate::eval::decide(self.engine, &scenario, self.args.explain).map_err(|e| e.message)
    }
}

enum Line {
    Text(Vec<u8>),
    /// Longer than the limit: the rest of it was read and dropped, never held.
    TooLong,
}

/// One line without its `\n` (and `\r`), read through a bound; `None` at the end of input.
fn read_line(reader: &mut impl BufRead, max: usize) -> std::io::Result<Option<Line>> {
    let mut bytes = Vec::new();
    let read = reader.by_ref().take(max as u64 + 1).read_until(b'\n', &mut bytes)?;
    if read == 0 {
        return Ok(None);
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    } else if bytes.len() > max {
        // Skip to the end of this line without keeping it.
        loop {
            let buffer = reader.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            match buffer.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    reader.consume(i + 1);
                    break;
                }
                None => {
                    let n = buffer.len();
                    reader.consume(n);
                }
            }
        }
        return Ok(Some(Line::TooLong));
    }
    Ok(Some(Line::Text(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_through_a_bound() {
        let mut input = std::io::Cursor::new(b"ab\r\ncdefgh\nij".to_vec());
        let mut lines = Vec::new();
        while let Some(line) = read_line(&mut input, 4).unwrap() {
            lines.push(match line {
                Line::Text(b) => String::from_utf8(b).unwrap(),
                Line::TooLong => "<too long>".into(),
            });
        }
        assert_eq!(lines, ["ab", "<too long>", "ij"]);
    }
}
