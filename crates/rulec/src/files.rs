//! Finding files under paths, reading them, writing output without panicking.

use crate::Failure;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Files under `paths`: a file is taken as given, a directory is searched recursively for files
/// with one of `extensions` (sorted by path within each directory given). A path that does not
/// exist is an error.
pub fn discover(paths: &[PathBuf], extensions: &[&str]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| Failure(format!("{}: {}", display(path), io_message(&e))))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, extensions, &mut found)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(identity(p)));
    Ok(out)
}

fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure(format!("{}: {}", display(dir), io_message(&e))))?;
    for entry in entries {
        let entry = entry.map_err(|e| Failure(format!("{}: {}", display(dir), io_message(&e))))?;
        let path = entry.path();
        if path.is_dir() {
            walk(&path, extensions, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            out.push(path);
        }
    }
    Ok(())
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

/// Reads a rule or policy file; the error names the file. A file over the parser's size limit
/// is refused before it is read.
pub fn read(path: &Path) -> Result<String, Failure> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > rulec_syntax::MAX_FILE_BYTES as u64 {
        return Err(Failure(format!(
            "{}: the file is {size} bytes, over the limit of {} for a rule file",
            display(path),
            rulec_syntax::describe_bytes(rulec_syntax::MAX_FILE_BYTES)
        )));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Failure(format!("{}: {}", display(path), io_message(&e))))?;
    String::from_utf8(bytes).map_err(|e| {
        Failure(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            display(path),
            e.utf8_error().valid_up_to()
        ))
    })
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
    let text = error.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
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

/// Colour on stdout: a terminal, and `NO_COLOR` not set.
pub fn color_stdout() -> bool {
    stdout_is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Colour on stderr: a terminal, and `NO_COLOR` not set.
pub fn color_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `1 error`, `2 errors`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
