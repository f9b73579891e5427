//! Finding files under paths, reading them, writing output without panicking.

use crate::Failure;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Files under `paths`: a file is taken as given, a directory is searched recursively for files
/// with one of `extensions` (in path order within each directory given; the walk of
/// [`rulec_eval::files::find_files`], shared with the engine). A file named twice, or by two
/// paths, is kept once. A path that does not exist is an error.
pub fn discover(paths: &[PathBuf], extensions: &[&str]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| Failure(format!("{}: {}", display(path), io_message(&e))))?;
        if meta.is_dir() {
            let found = rulec_eval::files::find_files(path, extensions)
                .map_err(|e| Failure(format!("{}: {}", display(&e.path), e.message)))?;
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(identity(p)));
    Ok(out)
}

/// What identifies a file whatever the path it was named by.
pub fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A path as shown to users: as given, with `/` separators and without a leading `./`.
pub fn display(path: &Path) -> String {
    let text = path.display().to_string().replace('\\', "/");
    match text.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => text,
    }
}

/// Reads a rule or policy file through the size limit; the error names the file.
pub fn read(path: &Path) -> Result<String, Failure> {
    rulec_eval::files::read_rule_file(path).map_err(|e| Failure(format!("{}: {}", display(path), e.message)))
}

/// A rule file's content: text, or bytes that are not UTF-8 (shown lossily, with the offset of
/// the first invalid byte) so that `lint` can report the file and go on with the others.
pub enum RuleText {
    Text(String),
    NotUtf8 { lossy: String, offset: usize, byte: u8 },
}

/// Reads a rule or policy file whatever its encoding (other errors are still failures).
pub fn read_rule_text(path: &Path) -> Result<RuleText, Failure> {
    match rulec_eval::files::read_rule_file(path) {
        Ok(text) => Ok(RuleText::Text(text)),
        Err(e) if e.message.starts_with("not UTF-8") => {
            // Within the size limit: the bounded read above has just passed it.
            let mut bytes = Vec::new();
            std::fs::File::open(path)
                .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, rulec_syntax::MAX_FILE_BYTES as u64), &mut bytes))
                .map_err(|e| Failure(format!("{}: {}", display(path), io_message(&e))))?;
            let offset = std::str::from_utf8(&bytes).err().map_or(0, |e| e.valid_up_to());
            let byte = bytes.get(offset).copied().unwrap_or(0);
            Ok(RuleText::NotUtf8 { lossy: String::from_utf8_lossy(&bytes).into_owned(), offset, byte })
        }
        Err(e) => Err(Failure(format!("{}: {}", display(path), e.message))),
    }
}

/// Reads a scenario or suite file within `limits`: its size is checked before it is read,
/// and it is read through a bound. The error names the file (or `<stdin>` for `None`).
pub fn read_scenario(path: Option<&Path>, limits: &rulec_scenario::Limits) -> Result<String, Failure> {
    let (label, read) = match path {
        None => ("<stdin>".to_string(), rulec_scenario::read_input(std::io::stdin().lock(), None, limits)),
        Some(path) => {
            let file = std::fs::File::open(path)
                .map_err(|e| Failure(format!("{}: {}", display(path), io_message(&e))))?;
            let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
            (display(path), rulec_scenario::read_input(file, size, limits))
        }
    };
    read.map_err(|e| {
        let message = e.to_string();
        let hint = if message.contains("over the limit") { " (raise it with --max-input-bytes)" } else { "" };
        Failure(format!("{label}: {message}{hint}"))
    })
}

/// An I/O error without the `(os error N)` tail.
pub fn io_message(error: &std::io::Error) -> String {
    rulec_eval::files::io_message(error)
}

/// Writes to stdout, ignoring a closed pipe (`rulec … | head` must not panic).
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes to stderr, ignoring errors.
pub fn err(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}

/// Whether stdout is a terminal.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

static COLOR: std::sync::OnceLock<crate::cli::ColorChoice> = std::sync::OnceLock::new();

/// Sets `--color` (once, at start).
pub fn set_color(choice: crate::cli::ColorChoice) {
    let _ = COLOR.set(choice);
}

/// Whether to colour a stream that is (or is not) a terminal: `--color always|never`, or on a
/// terminal with `NO_COLOR` not set.
fn color(is_terminal: bool) -> bool {
    match COLOR.get().copied().unwrap_or(crate::cli::ColorChoice::Auto) {
        crate::cli::ColorChoice::Always => true,
        crate::cli::ColorChoice::Never => false,
        crate::cli::ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Colour on stdout.
pub fn color_stdout() -> bool {
    color(stdout_is_terminal())
}

/// Colour on stderr.
pub fn color_stderr() -> bool {
    color(std::io::stderr().is_terminal())
}

/// `text` in an ANSI colour (`"32"` green, `"31"` red, `"1;31"` bold red) when `on`.
pub fn paint(text: &str, code: &str, on: bool) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// `1 error`, `2 errors`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
