//! `data.ruleSet`: which rules made a decision, so that an auditor can tell two decisions made
//! by the same rules apart from two made by different ones, and replay either.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The identity of a loaded rule set: `{"digest": "sha256:…", "version": "rulec 0.1.0"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleSetId {
    /// `sha256:` and the hex SHA-256 of every rule and policy file's name and bytes, in name
    /// order (see [`RuleSetId::of_files`]).
    pub digest: String,
    /// The evaluator that decided: `rulec` and its version.
    pub version: String,
}

impl RuleSetId {
    /// The identity of rule files given as `(name, bytes)`, where a file's name is its path
    /// below the rules directory it was read from, with `/` between folders
    /// (`states/MA.rules`): the same files give the same digest wherever the directory is, and
    /// whether they come from a folder or a git revision.
    ///
    /// The digest is SHA-256 over, for each file in byte order of its name (files of equal
    /// name, from different directories, in the order given): the name, a NUL byte, the
    /// file's length in bytes as decimal digits, a NUL byte, and the file's bytes. The length
    /// makes the encoding unambiguous: moving bytes from one file to the next changes it.
    ///
    /// ```
    /// use rulec_eval::RuleSetId;
    /// let id = RuleSetId::of_files([("states/MA.rules", &b"rule ..."[..]), ("federal/f.rules", &b""[..])]);
    /// assert!(id.digest.starts_with("sha256:"));
    /// // Order given does not matter; names and bytes do.
    /// assert_eq!(id, RuleSetId::of_files([("federal/f.rules", &b""[..]), ("states/MA.rules", &b"rule ..."[..])]));
    /// assert_ne!(id, RuleSetId::of_files([("states/NY.rules", &b"rule ..."[..]), ("federal/f.rules", &b""[..])]));
    /// ```
    pub fn of_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> RuleSetId {
        let mut files: Vec<(String, &[u8])> = files
            .into_iter()
            .map(|(name, bytes)| (name.replace('\\', "/"), bytes))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut hasher = Sha256::new();
        for (name, bytes) in &files {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(bytes.len().to_string().as_bytes());
            hasher.update([0]);
            hasher.update(bytes);
        }
        let hex: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        RuleSetId {
            digest: format!("sha256:{hex}"),
            version: format!("rulec {}", env!("CARGO_PKG_VERSION")),
        }
    }

    /// A file's name for the digest: its path below `dir` with `/` between folders (the path
    /// as given when it is not below `dir`).
    pub fn name_below(dir: &std::path::Path, path: &std::path::Path) -> String {
        path.strip_prefix(dir)
            .unwrap_or(path)
            .display()
            .to_string()
            .replace('\\', "/")
    }

    /// The identity of files read from rule folders: each file named by its path below the
    /// first of `dirs` that holds it ([`RuleSetId::name_below`]).
    pub fn of_files_below<'a>(dirs: &[&std::path::Path], files: impl IntoIterator<Item = (&'a std::path::Path, &'a [u8])>) -> RuleSetId {
        let named: Vec<(String, &[u8])> = files
            .into_iter()
            .map(|(path, bytes)| {
                let dir = dirs.iter().copied().find(|dir| path.starts_with(dir)).unwrap_or(std::path::Path::new(""));
                (RuleSetId::name_below(dir, path), bytes)
            })
            .collect();
        RuleSetId::of_files(named.iter().map(|(name, bytes)| (name.as_str(), *bytes)))
    }
}

#[cfg(test)]
mod tests {
    use super::RuleSetId;

    #[test]
    fn the_digest_depends_on_names_and_bytes_only() {
        let a = RuleSetId::of_files([
            ("states/MA.rules", &b"x"[..]),
            ("federal/f.rules", &b"y"[..]),
        ]);
        assert!(a.digest.starts_with("sha256:") && a.digest.len() == 7 + 64, "{}", a.digest);
        assert_eq!(a, RuleSetId::of_files([("states/MA.rules", &b"x"[..]), ("federal/f.rules", &b"y"[..])]));
        assert_ne!(
            a,
            RuleSetId::of_files([
                ("states/MA.rules", &b"x "[..]),
                ("federal/f.rules", &b"y"[..])
            ])
        );
        assert_ne!(
            a,
            RuleSetId::of_files([
                ("states/NY.rules", &b"x"[..]),
                ("federal/f.rules", &b"y"[..])
            ])
        );
        // The length is hashed: moving bytes from one file to the next changes the digest.
        assert_ne!(
            RuleSetId::of_files([("a", &b"xy"[..]), ("b", &b""[..])]),
            RuleSetId::of_files([("a", &b"x"[..]), ("b", &b"y"[..])])
        );
        // Windows separators name the same file.
        assert_eq!(
            a,
            RuleSetId::of_files([
                ("states\\MA.rules", &b"x"[..]),
                ("federal\\f.rules", &b"y"[..])
            ])
        );
    }

    #[test]
    fn the_digest_follows_the_documented_encoding() {
        // printf 'a.rules\0001\000x' | sha256sum
        assert_eq!(
            RuleSetId::of_files([("a.rules", &b"x"[..])]).digest,
            "sha256:e6f7ac12b2e1101cc56b067b172314649b7d7681bfc12b213b8b2efad68fc0b9"
        );
    }

    #[test]
    fn the_digest_of_no_file_is_the_sha256_of_nothing() {
        // A value anyone can check with `sha256sum < /dev/null`.
        assert_eq!(
            RuleSetId::of_files([]).digest,
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
