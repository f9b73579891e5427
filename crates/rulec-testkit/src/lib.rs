//! Test helpers shared by the crates of rulec (a dev-dependency only; never published).
//!
//! - the repository's files: [`workspace_root`], [`walk`], [`rule_files`];
//! - never-panics tests: [`catch_panic`], [`cut_points`], [`strides`];
//! - tests that may overflow the stack, run in a child process: [`run_in_child`];
//! - random token soups from a fixed seed: [`XorShift`], [`token_soup`];
//! - generated, valid rule files for property tests: [`rules`];
//! - ten times the shipped library, for the scaling benchmarks: [`library`].

pub mod library;
pub mod rules;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The workspace's root directory (two levels above any crate's manifest directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every file under `dir`, recursively, sorted by path (an unreadable directory is skipped).
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The `*.rules` and `*.policy` files under `dir`, sorted by path.
pub fn rule_files(dir: &Path) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("rules" | "policy")))
        .collect()
}

/// `path` relative to `base`, with `/` separators.
pub fn relative(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// Runs `f`; the panic message if it panicked.
pub fn catch_panic(f: impl FnOnce()) -> Option<String> {
    catch_unwind(AssertUnwindSafe(f)).err().map(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".to_string())
    })
}

/// Every `stride`-th char boundary of `text`, and always both ends.
pub fn cut_points(text: &str, stride: usize) -> Vec<usize> {
    let mut points: Vec<usize> = (0..=text.len())
        .filter(|i| text.is_char_boundary(*i))
        .enumerate()
        .filter(|(n, _)| n % stride.max(1) == 0)
        .map(|(_, i)| i)
        .collect();
    if points.last() != Some(&text.len()) {
        points.push(text.len());
    }
    points
}

const PRIMES: &[usize] = &[
    7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 127, 151, 173, 199,
    251, 307, 401, 503, 601, 701, 809, 907, 1009, 2003, 4001, 8009, 16001, 32003, 64007,
];

/// The stride between cuts of each file, given each file's size and whether it is cut at every
/// offset (`exhaustive`): 1 for those; for the others, the smallest prime (at least 7) that keeps
/// all their cuts together within `budget`, so that a test stays fast however large the rule
/// library grows.
pub fn strides(files: &[(usize, bool)], budget: usize) -> Vec<usize> {
    let sampled: usize = files.iter().filter(|(_, exhaustive)| !exhaustive).map(|(len, _)| len).sum();
    let prime = PRIMES.iter().copied().find(|p| sampled / p <= budget).unwrap_or(64007);
    files.iter().map(|(_, exhaustive)| if *exhaustive { 1 } else { prime }).collect()
}

/// Runs the test `test` of the running test binary in a child process with `env` set, and
/// returns whether it exited normally and printed `marker`, and its output. A stack overflow
/// cannot be caught in-process; in a child it is a failed exit.
pub fn run_in_child(test: &str, env: &[(&str, String)], marker: &str) -> (bool, String) {
    // The running binary itself: on Linux through /proc, which still works when a concurrent
    // build has replaced the file on disk.
    let proc_exe = Path::new("/proc/self/exe");
    let exe = if proc_exe.exists() { proc_exe.to_path_buf() } else { std::env::current_exe().expect("the test binary") };
    let mut command = std::process::Command::new(exe);
    command.args([test, "--exact", "--nocapture", "--test-threads=1"]);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("run the test binary");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success() && text.contains(marker), text)
}

/// Deterministic xorshift64*: the same sequence on every run for a seed.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// A random text: one of `prefixes` (or none: each prefix and "none" equally likely), then up
/// to `max_tokens` of `tokens`, separated by nothing, a space or a line break, and a closing
/// `}` half the time.
pub fn token_soup(rng: &mut XorShift, prefixes: &[&str], tokens: &[&str], max_tokens: usize) -> String {
    let mut out = String::new();
    let pick = rng.below(prefixes.len() + 2);
    if let Some(prefix) = prefixes.get(pick) {
        out.push_str(prefix);
    }
    for _ in 0..rng.below(max_tokens) {
        out.push_str(tokens[rng.below(tokens.len())]);
        match rng.below(5) {
            0 => {}
            1 => out.push('\n'),
            _ => out.push(' '),
        }
    }
    if rng.below(2) == 0 {
        out.push_str("\n}\n");
    }
    out
}

/// How many cases a randomized campaign runs: `RULEC_FUZZ_CASES`, else `default`.
pub fn campaign_cases(default: usize) -> usize {
    std::env::var("RULEC_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(default)
}

/// The seed of a randomized campaign: `RULEC_FUZZ_SEED`, else `default`.
pub fn campaign_seed(default: u64) -> u64 {
    std::env::var("RULEC_FUZZ_SEED").ok().and_then(|c| c.parse().ok()).unwrap_or(default)
}
