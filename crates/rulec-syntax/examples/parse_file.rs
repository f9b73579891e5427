//! Parses the files named on the command line and prints their diagnostics.
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let source = rulec_syntax::SourceFile::new(path.clone(), text);
        let parsed = rulec_syntax::parse(&source);
        println!("{path}: {} items, {} comments", parsed.file.items.len(), parsed.file.comments.len());
        for d in &parsed.diagnostics {
            println!("{}", rulec_syntax::render(d, &source, false));
        }
    }
}
