//! The rule-directory walk on arbitrary trees: directories, files (rule, policy and other),
//! links to `.`, to ancestors, to other entries, to `/dev/zero` and `/dev/null`, broken links
//! and FIFOs, built in a scratch directory. The walk must end (a hang is a timeout), never
//! panic, and when it succeeds list only regular files with a wanted extension, each once (by
//! device and inode), and every rule file written directly into a real directory; reading the
//! rules and loading an engine from them must not panic either.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

#[derive(Arbitrary, Debug)]
struct Entry {
    /// Which directory made so far holds it (the root first).
    parent: u8,
    name: u8,
    extension: u8,
    kind: Kind,
}

#[derive(Arbitrary, Debug)]
enum Kind {
    Dir,
    File(Vec<u8>),
    Link(Target),
    Fifo,
}

#[derive(Arbitrary, Debug)]
enum Target {
    Dot,
    /// `..`, once to three times.
    Up(u8),
    /// An entry made so far (by absolute path).
    Entry(u8),
    DevZero,
    DevNull,
    Missing,
}

const NAMES: &[&str] = &["a", "b", "states", "federal", "policies", "MA", "x"];
const EXTENSIONS: &[&str] = &["", ".rules", ".policy", ".txt"];
const WANTED: &[&str] = &["rules", "policy"];

/// A scratch root per process, emptied for each input, three levels below the process's own
/// directory: a link up three levels from the root stays inside it (and does not walk `/tmp`).
fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("rulec-fuzz-walk-{}", std::process::id())).join("p/q/r/tree")
}

fn process_dir(root: &Path) -> &Path {
    root.ancestors().nth(4).expect("the process's directory")
}

fn build(root: &Path, entries: &[Entry]) -> Vec<PathBuf> {
    let mut dirs = vec![root.to_path_buf()];
    let mut made: Vec<PathBuf> = Vec::new();
    // Rule and policy files written directly into a real directory: the walk must find them.
    let mut expected = Vec::new();
    for e in entries {
        let parent = dirs[e.parent as usize % dirs.len()].clone();
        let path = parent.join(format!("{}{}", NAMES[e.name as usize % NAMES.len()], EXTENSIONS[e.extension as usize % EXTENSIONS.len()]));
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let ok = match &e.kind {
            Kind::Dir => std::fs::create_dir(&path).is_ok_and(|()| {
                dirs.push(path.clone());
                true
            }),
            Kind::File(bytes) => std::fs::write(&path, bytes).is_ok_and(|()| {
                if wanted(&path) {
                    expected.push(path.clone());
                }
                true
            }),
            Kind::Link(target) => {
                let target = match target {
                    Target::Dot => PathBuf::from("."),
                    Target::Up(n) => PathBuf::from(vec![".."; 1 + *n as usize % 3].join("/")),
                    Target::Entry(i) if !made.is_empty() => made[*i as usize % made.len()].clone(),
                    Target::Entry(_) | Target::Missing => PathBuf::from("missing"),
                    Target::DevZero => PathBuf::from("/dev/zero"),
                    Target::DevNull => PathBuf::from("/dev/null"),
                };
                std::os::unix::fs::symlink(target, &path).is_ok()
            }
            Kind::Fifo => {
                let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("no NUL in a path");
                // SAFETY: a valid NUL-terminated path.
                unsafe { libc::mkfifo(c.as_ptr(), 0o600) == 0 }
            }
        };
        if ok {
            made.push(path);
        }
    }
    expected
}

fn wanted(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| WANTED.contains(&e))
}

fuzz_target!(|entries: Vec<Entry>| {
    let root = scratch();
    let _ = std::fs::remove_dir_all(process_dir(&root));
    std::fs::create_dir_all(&root).expect("a scratch root");
    let expected = build(&root, &entries);

    if let Ok(found) = rulec_eval::files::find_files(&root, WANTED) {
        let mut identities = HashSet::new();
        for path in &found {
            assert!(path.starts_with(&root), "{path:?} is outside the root");
            assert!(wanted(path), "{path:?} has another extension");
            let meta = std::fs::metadata(path).expect("a found file exists");
            assert!(meta.is_file(), "{path:?} is not a regular file");
            assert!(identities.insert((meta.dev(), meta.ino())), "{path:?} is listed twice");
        }
        for path in &expected {
            let meta = std::fs::metadata(path).expect("a file written exists");
            assert!(identities.contains(&(meta.dev(), meta.ino())), "{path:?} was not found among {found:?}");
        }
        // Path order, except that a file reached by several paths keeps the first.
        assert!(found.windows(2).all(|w| w[0] < w[1]), "not in path order: {found:?}");
    }
    let _ = rulec_eval::read_rule_dir(&root);
    let _ = rulec_eval::Engine::from_dir(&root);
    let _ = std::fs::remove_dir_all(process_dir(&root));
});
