//! Finding files under a directory and reading rule files: the one walk that
//! [`crate::Engine::from_dir`] and the `rulec` command line share.
//!
//! A rules directory is input like any other, and may be hostile: the walk follows symbolic
//! links but enters each directory once (by device and inode), so links to `.` neither loop
//! nor repeat files; it refuses special files (FIFOs, sockets, devices) that carry a wanted
//! extension, since reading one may block or never end; and a rule file is read through a
//! bound, so a file whose size reads 0 (a link to `/dev/zero`, a file in `/proc`) or that grows
//! while read stops one byte past the limit.

use std::collections::HashSet;
use std::fs::Metadata;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The extensions of the files a rules folder is made of: rule files and policies.
pub const RULE_FILE_EXTENSIONS: &[&str] = &["rules", "policy"];

/// Whether a path names a rule file or a policy, by its extension (what the walk of a rules
/// folder reads, and what file watchers react to).
pub fn is_rule_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| RULE_FILE_EXTENSIONS.contains(&e))
}

/// A file or directory that could not be found, walked or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for FileError {}

impl FileError {
    fn io(path: &Path, error: &std::io::Error) -> FileError {
        FileError { path: path.to_path_buf(), message: io_message(error) }
    }
}

/// An I/O error without the `(os error N)` tail.
pub fn io_message(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// What identifies a file or directory whatever the path it is reached by.
#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = PathBuf;

#[cfg(unix)]
fn identity(meta: &Metadata, _path: &Path) -> Identity {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &Metadata, path: &Path) -> Identity {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// What a special file is, for messages.
fn special_kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// Every file under `dir` whose extension is one of `extensions`, in path order (component by
/// component, as [`Path`] compares). Symbolic links are followed; a directory reached again (by
/// a link to itself or an ancestor, or by two paths) is not walked again, and a file reached by
/// several paths is listed once, by the first. A special file with one of the extensions, a
/// broken link with one, or a directory that cannot be read is an error. The walk keeps its own
/// stack, so deep nesting cannot overflow the thread's.
pub fn find_files(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, FileError> {
    let wanted = |path: &Path| path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e));
    let mut seen: HashSet<Identity> = HashSet::new();
    let mut found = Vec::new();
    // Paths still to look at, the next one last.
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            // A broken link is only a problem when its name says it is a wanted file.
            Err(_) if path != dir && !wanted(&path) && std::fs::symlink_metadata(&path).is_ok() => continue,
            Err(e) => return Err(FileError::io(&path, &e)),
        };
        if meta.is_dir() {
            if !seen.insert(identity(&meta, &path)) {
                continue;
            }
            let mut entries = Vec::new();
            for entry in std::fs::read_dir(&path).map_err(|e| FileError::io(&path, &e))? {
                entries.push(entry.map_err(|e| FileError::io(&path, &e))?.path());
            }
            entries.sort_unstable_by(|a, b| b.cmp(a));
            stack.extend(entries);
        } else if wanted(&path) {
            if !meta.is_file() {
                let message = format!("{}; a file the walk reads must be a regular file", special_kind(&meta));
                return Err(FileError { path, message });
            }
            if seen.insert(identity(&meta, &path)) {
                found.push(path);
            }
        }
    }
    Ok(found)
}

/// Reads a rule or policy file: at most [`rulec_syntax::MAX_FILE_BYTES`], refused before
/// reading when its size says it is larger, and read through a bound in any case (a size of 0
/// may hide endless content); it must be UTF-8 text.
pub fn read_rule_file(path: &Path) -> Result<String, FileError> {
    let max = rulec_syntax::MAX_FILE_BYTES;
    let limit = rulec_syntax::describe_bytes(max);
    let over = |size: String| FileError { path: path.to_path_buf(), message: format!("the file is {size} bytes, over the limit of {limit} for a rule file") };
    let file = std::fs::File::open(path).map_err(|e| FileError::io(path, &e))?;
    let meta = file.metadata().map_err(|e| FileError::io(path, &e))?;
    if meta.is_dir() {
        return Err(FileError { path: path.to_path_buf(), message: "a directory, not a rule file".to_string() });
    }
    if meta.is_file() && meta.len() > max as u64 {
        return Err(over(meta.len().to_string()));
    }
    let mut bytes = Vec::new();
    file.take(max as u64 + 1).read_to_end(&mut bytes).map_err(|e| FileError::io(path, &e))?;
    if bytes.len() > max {
        return Err(over(format!("more than {max}")));
    }
    String::from_utf8(bytes).map_err(|e| FileError {
        path: path.to_path_buf(),
        message: format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn rule_files_and_policies_are_known_by_their_extension() {
        assert!(is_rule_file(Path::new("rules/states/MA.rules")));
        assert!(is_rule_file(Path::new("/abs/acme.policy")));
        assert!(!is_rule_file(Path::new("tests/scenarios/MA.yaml")));
        assert!(!is_rule_file(Path::new("rules")));
        assert!(!is_rule_file(Path::new("MA.rules.bak")));
    }

    /// A scratch directory, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir().join(format!("rulec-files-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("states")).expect("scratch directory");
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn names(dir: &Path, found: &[PathBuf]) -> Vec<String> {
        found.iter().map(|p| p.strip_prefix(dir).unwrap().display().to_string()).collect()
    }

    #[test]
    fn links_to_the_directory_are_walked_once() {
        let s = Scratch::new("loops");
        std::fs::write(s.0.join("states/MA.rules"), "").unwrap();
        std::fs::write(s.0.join("b.policy"), "").unwrap();
        std::fs::write(s.0.join("notes.txt"), "").unwrap();
        symlink(".", s.0.join("here")).unwrap();
        symlink(".", s.0.join("again")).unwrap();
        symlink("..", s.0.join("states/up")).unwrap();
        symlink("b.policy", s.0.join("a.policy")).unwrap();
        symlink("missing", s.0.join("broken")).unwrap();
        let found = find_files(&s.0, &["rules", "policy"]).unwrap();
        assert_eq!(names(&s.0, &found), ["a.policy", "states/MA.rules"]);
    }

    #[test]
    fn special_files_and_broken_rule_files_are_refused() {
        let s = Scratch::new("special");
        symlink("/dev/null", s.0.join("null.rules")).unwrap();
        let err = find_files(&s.0, &["rules"]).unwrap_err();
        assert_eq!(err.message, "a character device; a file the walk reads must be a regular file");
        std::fs::remove_file(s.0.join("null.rules")).unwrap();
        symlink("missing", s.0.join("gone.rules")).unwrap();
        let err = find_files(&s.0, &["rules"]).unwrap_err();
        assert_eq!(err.message, "No such file or directory");
    }

    #[test]
    fn a_file_whose_size_reads_zero_is_read_through_the_bound() {
        let err = read_rule_file(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(err.message, "the file is more than 16777216 bytes, over the limit of 16777216 bytes (16 MiB) for a rule file");
    }
}
