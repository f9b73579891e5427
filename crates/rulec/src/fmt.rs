//! `rulec fmt`: canonical formatting in place, or `--check`.

use crate::cli::{FmtArgs, Global};
use crate::files::{self, count, display};
use crate::{Failure, Outcome};
use rulec_syntax::SourceFile;

pub fn run(global: &Global, args: FmtArgs) -> Outcome {
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        if args.paths.len() > 1 {
            return Err(Failure("`-` (stdin) cannot be given with other paths".into()));
        }
        return stdin(&args);
    }
    let paths = if args.paths.is_empty() {
        let (dirs, origin) = global.rules_dirs();
        for dir in &dirs {
            if !dir.exists() {
                return Err(Failure(format!(
                    "{}: the rules directory does not exist{}",
                    display(dir),
                    global.origin_note(origin, "a PATH or --rules DIR")
                )));
            }
        }
        dirs
    } else {
        args.paths.clone()
    };
    let targets = files::discover(&paths, rulec_eval::files::RULE_FILE_EXTENSIONS)?;
    let color = files::color_stderr();
    let mut io_failed = false;
    let mut unformattable = 0usize;
    let mut changed = Vec::new();
    let mut unchanged = 0usize;
    for path in &targets {
        let shown = display(path);
        let text = match files::read(path) {
            Ok(text) => text,
            Err(failure) => {
                files::err(&format!("error: {}\n", failure.0));
                io_failed = true;
                continue;
            }
        };
        let source = SourceFile::new(shown.clone(), text);
        match rulec_fmt::format_source(&source) {
            Err(diagnostics) => {
                let mut text = String::new();
                for d in &diagnostics {
                    text.push_str(&rulec_syntax::render(d, &source, color));
                    if !text.ends_with('\n') {
                        text.push('\n');
                    }
                    text.push('\n');
                }
                text.push_str(&format!(
                    "error: {shown}: not formatted, it has syntax errors\n"
                ));
                files::err(&text);
                unformattable += 1;
            }
            Ok(formatted) if formatted == source.text => unchanged += 1,
            Ok(formatted) => {
                if args.diff {
                    files::out(&unified_diff(&shown, &source.text, &formatted));
                    changed.push(shown);
                    continue;
                }
                if !args.check {
                    if let Err(e) = std::fs::write(path, formatted) {
                        files::err(&format!("error: {shown}: {}\n", files::io_message(&e)));
                        io_failed = true;
                        continue;
                    }
                }
                files::out(&format!("{shown}\n"));
                changed.push(shown);
            }
        }
    }
    let verb = if args.check || args.diff {
        "would be reformatted"
    } else {
        "reformatted"
    };
    let mut summary = format!(
        "{} {verb}, {} already formatted",
        count(changed.len(), "file"),
        unchanged
    );
    if unformattable > 0 {
        summary.push_str(&format!(", {} with syntax errors", unformattable));
    }
    files::err(&(summary + "\n"));
    if io_failed {
        Ok(2)
    } else if unformattable > 0 || ((args.check || args.diff) && !changed.is_empty()) {
        Ok(1)
    } else {
        Ok(0)
    }
}

/// `rulec fmt -`: stdin formatted to stdout (with --check or --diff: nothing but the verdict
/// or the diff). Syntax errors go to stderr, exit 1, and nothing to stdout.
fn stdin(args: &FmtArgs) -> Outcome {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)
        .map_err(|e| Failure(format!("<stdin>: {}", files::io_message(&e))))?;
    let source = SourceFile::new("<stdin>", text);
    match rulec_fmt::format_source(&source) {
        Err(diagnostics) => {
            let mut out = String::new();
            for d in &diagnostics {
                out.push_str(&rulec_syntax::render(d, &source, files::color_stderr()));
                out.push('\n');
            }
            out.push_str("error: <stdin>: not formatted, it has syntax errors\n");
            files::err(&out);
            Ok(1)
        }
        Ok(formatted) if args.diff => {
            files::out(&unified_diff("<stdin>", &source.text, &formatted));
            Ok(u8::from(formatted != source.text))
        }
        Ok(formatted) if args.check => Ok(u8::from(formatted != source.text)),
        Ok(formatted) => {
            files::out(&formatted);
            Ok(0)
        }
    }
}

/// A unified diff of a file before and after formatting (empty when they are the same).
fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}
