//! `rulec lint --fix`: applies the fixes diagnostics carry when they are unambiguous, then the
//! formatter, and writes the files that changed.
//!
//! A fix is applied when its diagnostic has exactly one (a did-you-mean with one candidate, the
//! word for `==` or `&&`) and it replaces a word or an operator: a fix whose span holds a quote
//! or a line break, or is empty, is left for a person. Fixes that overlap are not applied in the
//! same pass; passes repeat (at most four) while they change something, because the parser
//! reports one syntax error per clause.

use crate::files::{self, display};
use crate::Failure;
use rulec_check::CheckOptions;
use rulec_syntax::{Fix, SourceFile};
use std::path::PathBuf;

const PASSES: usize = 4;

/// Fixes and formats the `targets`, with the `context` files loaded so that names resolve.
/// Reports on stderr what it changed.
pub fn apply(targets: &[PathBuf], context: &[PathBuf]) -> Result<(), Failure> {
    let target_ids: Vec<PathBuf> = targets.iter().map(|p| files::identity(p)).collect();
    let mut paths: Vec<PathBuf> = context.iter().filter(|p| !target_ids.contains(&files::identity(p))).cloned().collect();
    let first_target = paths.len();
    paths.extend(targets.iter().cloned());
    let mut sources = Vec::with_capacity(paths.len());
    for path in &paths {
        // A file that cannot be read as text is reported by the lint that follows.
        let text = match files::read_rule_text(path)? {
            files::RuleText::Text(text) => text,
            files::RuleText::NotUtf8 { .. } => String::new(),
        };
        sources.push(SourceFile::new(display(path), text));
    }
    let originals: Vec<String> = sources.iter().map(|s| s.text.clone()).collect();
    let mut applied = vec![0usize; sources.len()];

    for _ in 0..PASSES {
        let checked = rulec_check::check_sources(&sources, &CheckOptions::default());
        let mut by_file: Vec<Vec<Fix>> = vec![Vec::new(); sources.len()];
        for d in &checked.diagnostics {
            if d.file < first_target {
                continue;
            }
            if let Some(fix) = &d.diagnostic.fix {
                if applicable(&sources[d.file].text, fix) {
                    by_file[d.file].push(fix.clone());
                }
            }
        }
        let mut changed = false;
        for (i, mut fixes) in by_file.into_iter().enumerate() {
            if fixes.is_empty() {
                continue;
            }
            fixes.sort_by_key(|f| (f.span.start, f.span.end));
            fixes.dedup();
            let mut text = sources[i].text.clone();
            let mut end_of_next = usize::MAX;
            for fix in fixes.iter().rev() {
                if fix.span.end > end_of_next {
                    continue; // overlaps a fix already applied; the next pass sees it again
                }
                text.replace_range(fix.span.start..fix.span.end, &fix.replacement);
                end_of_next = fix.span.start;
                applied[i] += 1;
                changed = true;
            }
            sources[i] = SourceFile::new(sources[i].path.clone(), text);
        }
        if !changed {
            break;
        }
    }

    for i in first_target..sources.len() {
        let mut text = sources[i].text.clone();
        if let Ok(formatted) = rulec_fmt::format_source(&sources[i]) {
            text = formatted;
        }
        if text == originals[i] {
            continue;
        }
        std::fs::write(&paths[i], &text)
            .map_err(|e| Failure(format!("{}: {}", display(&paths[i]), files::io_message(&e))))?;
        let what = if applied[i] > 0 { format!("{} applied, formatted", if applied[i] == 1 { "1 fix".to_string() } else { format!("{} fixes", applied[i]) }) } else { "formatted".to_string() };
        files::err(&format!("fixed {}: {what}\n", sources[i].path));
    }
    Ok(())
}

/// A fix replaces a word or operator on one line (not a quoted text, not nothing).
fn applicable(text: &str, fix: &Fix) -> bool {
    let Some(old) = text.get(fix.span.start..fix.span.end) else { return false };
    !old.is_empty() && !old.contains(['"', '\n', '{', '}']) && !fix.replacement.contains(['"', '\n']) && old != fix.replacement
}
