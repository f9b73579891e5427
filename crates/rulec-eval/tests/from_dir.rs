//! `Engine::from_dir` walks the rules directory the way `rulec` does: a link back to the
//! directory adds nothing (it once doubled every file: thousands of "defined twice" errors).

#[cfg(unix)]
#[test]
fn a_link_to_the_directory_adds_nothing() {
    let rules = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules")).canonicalize().expect("rules");
    let dir = std::env::temp_dir().join(format!("rulec-from-dir-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    for entry in std::fs::read_dir(&rules).expect("rules").flatten() {
        std::os::unix::fs::symlink(entry.path(), dir.join(entry.file_name())).expect("link");
    }
    std::os::unix::fs::symlink(".", dir.join("again")).expect("link");
    let linked = rulec_eval::Engine::from_dir(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    let linked = linked.unwrap_or_else(|e| panic!("{e}"));
    let direct = rulec_eval::Engine::from_dir(&rules).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(linked.rule_set().rules.len(), direct.rule_set().rules.len());
}
