//! Checks the files named on the command line together and prints every diagnostic.
fn main() {
    let sources: Vec<rulec_syntax::SourceFile> = std::env::args()
        .skip(1)
        .map(|p| rulec_syntax::SourceFile::new(p.clone(), std::fs::read_to_string(&p).unwrap_or_default()))
        .collect();
    let checked = rulec_check::check_sources(&sources, &rulec_check::CheckOptions::default());
    for d in &checked.diagnostics {
        println!("{}", rulec_syntax::render(&d.diagnostic, &sources[d.file], false));
    }
    println!("{} rules, {} policies", checked.rule_set.rules.len(), checked.rule_set.policies.len());
}
