//! Rule sources: a folder, or `git:REV` (`git:REV:PATH`), the rules as they were at a revision
//! of the repository, read with `git ls-tree` and `git cat-file` (no checkout, no work tree
//! touched).

use crate::ReviewError;
use rulec_eval::Engine;
use rulec_syntax::SourceFile;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where a rule set comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSource {
    /// Every `*.rules` and `*.policy` file under each folder (a project's several sources).
    Dirs(Vec<PathBuf>),
    /// The same files under each of `paths` (relative to the current directory) at a
    /// revision.
    Git { rev: String, paths: Vec<String> },
}

impl RuleSource {
    /// `git:REV`, `git:REV:PATH`, or a folder. With `git:REV` the folders are `default_dirs`
    /// (the rule sources in use: `--rules`, rulec.toml's `rules` at that revision, `rules`),
    /// read at that revision.
    pub fn parse(text: &str, default_dirs: &[PathBuf]) -> RuleSource {
        match text.strip_prefix("git:") {
            Some(rest) => match rest.split_once(':') {
                Some((rev, path)) if !path.is_empty() => RuleSource::Git { rev: rev.to_string(), paths: vec![path.to_string()] },
                _ => RuleSource::Git {
                    rev: rest.trim_end_matches(':').to_string(),
                    paths: default_dirs.iter().map(|d| d.display().to_string()).collect(),
                },
            },
            None => RuleSource::Dirs(vec![PathBuf::from(text)]),
        }
    }

    /// As the user wrote it: `rules`, `git:HEAD~1:rules`; several folders joined with `+`.
    pub fn label(&self) -> String {
        match self {
            RuleSource::Dirs(dirs) => dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(" + "),
            RuleSource::Git { rev, paths } => paths.iter().map(|p| format!("git:{rev}:{p}")).collect::<Vec<_>>().join(" + "),
        }
    }
}

/// A rule set, loaded and compiled, with what identifies it.
pub struct RuleSide {
    /// The source as the user wrote it.
    pub label: String,
    pub engine: Engine,
    /// The files, as read (paths as shown in diagnostics).
    pub sources: Vec<SourceFile>,
}

impl RuleSide {
    /// Reads and checks a rule source. Rules with errors do not load: no decision made from
    /// them could be trusted.
    pub fn load(source: &RuleSource) -> Result<RuleSide, ReviewError> {
        let (mut files, mut relative, mut labels) = (Vec::new(), Vec::new(), Vec::new());
        let mut add = |(f, r): (Vec<SourceFile>, Vec<String>), label: String| {
            files.extend(f);
            relative.extend(r);
            labels.push(label);
        };
        match source {
            RuleSource::Dirs(dirs) => {
                for dir in dirs {
                    add(read_dir(dir)?, dir.display().to_string());
                }
            }
            RuleSource::Git { rev, paths } => {
                for path in paths {
                    if outside_repository(rev, path)? {
                        add(read_dir(Path::new(path))?, path.clone());
                    } else {
                        add(read_git(rev, path)?, format!("git:{rev}:{path}"));
                    }
                }
            }
        }
        // An empty folder is an empty rule set (every rule of the other side is new); no
        // folder at all is a mistake.
        if labels.is_empty() {
            return Err(ReviewError("no rule sources given".to_string()));
        }
        let label = labels.join(" + ");
        let id = rulec_eval::RuleSetId::of_files(files.iter().zip(&relative).map(|(f, r)| (r.as_str(), f.text.as_bytes())));
        let engine = Engine::from_sources_with_id(files.clone(), id).map_err(|e| ReviewError(format!("{label}: {e}")))?;
        Ok(RuleSide { label, engine, sources: files })
    }

    /// A rule set already in memory (tests, embedding); paths are taken as relative.
    pub fn from_sources(label: &str, files: Vec<SourceFile>) -> Result<RuleSide, ReviewError> {
        let engine = Engine::from_sources(files.clone()).map_err(|e| ReviewError(format!("{label}: {e}")))?;
        Ok(RuleSide { label: label.to_string(), engine, sources: files })
    }

    /// `sha256:…`, the digest of `data.ruleSet` ([`rulec_eval::RuleSetId::of_files`]): each
    /// file named by its path below the source's folder, so a folder and a revision holding
    /// the same files have the same one.
    pub fn digest(&self) -> &str {
        &self.engine.rule_set_id().digest
    }
}

/// The digest of `data.ruleSet` ([`rulec_eval::RuleSetId::of_files`]): a folder and a revision
/// holding the same files have the same one.
pub fn digest<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    rulec_eval::RuleSetId::of_files(files).digest
}

/// The files of a folder and their paths relative to it.
fn read_dir(dir: &Path) -> Result<(Vec<SourceFile>, Vec<String>), ReviewError> {
    if !dir.is_dir() {
        return Err(ReviewError(format!("{}: not a folder of rules (give a folder, worktree or git:REV)", dir.display())));
    }
    let files = rulec_eval::read_rule_dir(dir).map_err(|e| ReviewError(e.to_string()))?;
    let relative = files
        .iter()
        .map(|f| rulec_eval::RuleSetId::name_below(dir, Path::new(&f.path)))
        .collect();
    Ok((files, relative))
}

/// Whether `path` is a folder on disk outside the repository of the current directory (a
/// library installed elsewhere, named by an absolute path in rulec.toml): it is not versioned
/// here, so every revision reads it as it is on disk. `rev` must still be a revision.
fn outside_repository(rev: &str, path: &str) -> Result<bool, ReviewError> {
    let Ok(folder) = std::fs::canonicalize(path) else { return Ok(false) };
    let label = format!("git:{rev}:{path}");
    let top = run_git(&["rev-parse", "--show-toplevel"], &label)?;
    let top = std::fs::canonicalize(String::from_utf8_lossy(&top).trim()).map_err(|e| ReviewError(format!("{label}: {e}")))?;
    if folder.starts_with(&top) {
        return Ok(false);
    }
    verify_commit(rev)?;
    Ok(true)
}

/// The files under `path` at `rev`. Paths shown are `REV:PATH/…` (git's own spelling of a
/// file at a revision); relative paths are below `path`.
fn read_git(rev: &str, path: &str) -> Result<(Vec<SourceFile>, Vec<String>), ReviewError> {
    let label = format!("git:{rev}:{path}");
    check_spelling(rev, &label)?;
    let listing = run_git(&["ls-tree", "-r", "-z", "--full-name", "--name-only", rev, "--", path], &label)?;
    let mut names: Vec<String> = listing
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .filter(|n| rulec_eval::files::is_rule_file(Path::new(n)))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(ReviewError(format!("{label}: no *.rules or *.policy file under `{path}` at {rev}")));
    }
    let contents = cat_files(rev, &names, &label)?;
    // Relative to the folder: the part of the full name after the folder's own full name.
    let prefix = String::from_utf8_lossy(&run_git(&["rev-parse", "--show-prefix"], &label)?).trim().to_string();
    let folder = full_folder(&prefix, path);
    let mut files = Vec::with_capacity(names.len());
    let mut relative = Vec::with_capacity(names.len());
    for (name, bytes) in names.iter().zip(contents) {
        let text = String::from_utf8(bytes)
            .map_err(|e| ReviewError(format!("{rev}:{name}: not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to())))?;
        relative.push(name.strip_prefix(&folder).unwrap_or(name).trim_start_matches('/').to_string());
        files.push(SourceFile::new(format!("{rev}:{name}"), text));
    }
    Ok((files, relative))
}

/// A folder named relative to the current directory, as git names it from the top of the
/// repository: `prefix` is where the current directory is (`git rev-parse --show-prefix`).
fn full_folder(prefix: &str, asked: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in prefix.split('/').chain(asked.split(['/', '\\'])) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Every file's bytes in one `git cat-file --batch`.
fn cat_files(rev: &str, names: &[String], label: &str) -> Result<Vec<Vec<u8>>, ReviewError> {
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ReviewError(format!("{label}: cannot run git: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let request: String = names.iter().map(|n| format!("{rev}:{n}\n")).collect();
    // Written from a thread: git answers while it reads, and a full pipe would stall both.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut contents = Vec::with_capacity(names.len());
    for name in names {
        let mut header = String::new();
        out.read_line(&mut header).map_err(|e| ReviewError(format!("{label}: git cat-file: {e}")))?;
        let size = header
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|_| header.contains(" blob "))
            .ok_or_else(|| ReviewError(format!("{label}: git cannot read {rev}:{name} ({})", header.trim_end())))?;
        if size > rulec_syntax::MAX_FILE_BYTES {
            return Err(ReviewError(format!(
                "{rev}:{name}: the file is {size} bytes, over the limit of {} for a rule file",
                rulec_syntax::describe_bytes(rulec_syntax::MAX_FILE_BYTES)
            )));
        }
        let mut bytes = vec![0; size + 1];
        out.read_exact(&mut bytes).map_err(|e| ReviewError(format!("{label}: git cat-file: {e}")))?;
        bytes.pop(); // the newline after the contents
        contents.push(bytes);
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(contents)
}

/// The text of `path` (relative to the current directory) at `rev`; `None` when the
/// revision has no such file. For rulec.toml as it was at a revision.
pub fn git_show(rev: &str, path: &Path) -> Result<Option<String>, ReviewError> {
    let label = format!("git:{rev}:{}", path.display());
    check_spelling(rev, &label)?;
    // `./` makes git read the path from the current directory, not the repository's top.
    let spelled = if path.is_absolute() || path.starts_with("..") { path.display().to_string() } else { format!("./{}", path.display()) };
    let object = format!("{rev}:{spelled}");
    let exists = Command::new("git").args(["cat-file", "-e", &object]).stdin(Stdio::null()).stderr(Stdio::null()).status();
    match exists {
        Ok(status) if status.success() => {}
        Ok(_) => {
            // Distinguish a missing file from a missing revision: the latter is an error.
            verify_commit(rev)?;
            return Ok(None);
        }
        Err(e) => return Err(ReviewError(format!("{label}: cannot run git: {e}"))),
    }
    let bytes = run_git(&["cat-file", "blob", &object], &label)?;
    String::from_utf8(bytes).map(Some).map_err(|_| ReviewError(format!("{rev}:{}: not UTF-8 text", path.display())))
}

/// `rev` is given to git as a revision: refused when empty or spelled like an option.
fn check_spelling(rev: &str, label: &str) -> Result<(), ReviewError> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(ReviewError(format!("{label}: expected a revision after `git:` (a commit, branch or tag)")));
    }
    Ok(())
}

/// Whether `rev` names a commit of this repository; the error says it does not.
fn verify_commit(rev: &str) -> Result<(), ReviewError> {
    let not_a_revision = || ReviewError(format!("git:{rev}: not a revision of this repository"));
    check_spelling(rev, "").map_err(|_| not_a_revision())?;
    run_git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")], &format!("git:{rev}")).map(drop).map_err(|_| not_a_revision())
}

/// Runs git in the current directory; its stdout, or an error with its stderr.
fn run_git(args: &[&str], label: &str) -> Result<Vec<u8>, ReviewError> {
    let output = Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| ReviewError(format!("{label}: cannot run git: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("git failed").trim_start_matches("fatal: ");
        return Err(ReviewError(format!("{label}: {reason}")));
    }
    Ok(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_read_from_their_spelling() {
        let rules = [PathBuf::from("rules")];
        assert_eq!(RuleSource::parse("rules-new", &rules), RuleSource::Dirs(vec!["rules-new".into()]));
        assert_eq!(RuleSource::parse("git:HEAD~1", &rules), RuleSource::Git { rev: "HEAD~1".into(), paths: vec!["rules".into()] });
        assert_eq!(RuleSource::parse("git:main:lib/rules", &rules), RuleSource::Git { rev: "main".into(), paths: vec!["lib/rules".into()] });
        assert_eq!(RuleSource::parse("git:v1:lib/rules", &rules).label(), "git:v1:lib/rules");
        let project = [PathBuf::from("vendor/rules"), PathBuf::from("policies")];
        let both = RuleSource::parse("git:main", &project);
        assert_eq!(both, RuleSource::Git { rev: "main".into(), paths: vec!["vendor/rules".into(), "policies".into()] });
        assert_eq!(both.label(), "git:main:vendor/rules + git:main:policies");
    }

    #[test]
    fn a_folder_as_git_names_it() {
        assert_eq!(full_folder("", "rules"), "rules");
        assert_eq!(full_folder("", "./rules/"), "rules");
        assert_eq!(full_folder("crates/x/", "../../rules"), "rules");
        assert_eq!(full_folder("sub/", "."), "sub");
    }
}
