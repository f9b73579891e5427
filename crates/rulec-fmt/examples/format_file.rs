//! Prints the canonical form of the rule or policy file named on the command line, or its
//! syntax errors: `cargo run -p rulec-fmt --example format_file -- rules/federal/reg_f.rules`.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: format_file FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let source = rulec_syntax::SourceFile::new(path, text);
    match rulec_fmt::format_source(&source) {
        Ok(formatted) => print!("{formatted}"),
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{}", rulec_syntax::render(d, &source, false));
            }
            std::process::exit(1);
        }
    }
}
