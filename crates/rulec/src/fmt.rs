//! `rulec fmt`: canonical formatting in place, or `--check`.

use crate::cli::{FmtArgs, Global};
use crate::files::{self, count, display};
use crate::Outcome;
use rulec_syntax::SourceFile;

pub fn run(global: &Global, args: FmtArgs) -> Outcome {
    let paths = if args.paths.is_empty() {
        vec![global.rules_dir()]
    } else {
        args.paths.clone()
    };
    let targets = files::discover(&paths, &["rules", "policy"])?;
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
    let verb = if args.check {
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
    } else if unformattable > 0 || (args.check && !changed.is_empty()) {
        Ok(1)
    } else {
        Ok(0)
    }
}
