//! Writes a generated corpus of realistic, valid questionnaires with their action
//! plans: `cargo run --example corpus -- KATALOG [ANTAL] [FRÖ] [SLUTDATUM]`.
//! The same seed gives the same files on every machine.

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("användning: cargo run --example corpus -- KATALOG [ANTAL] [FRÖ] [SLUTDATUM]");
        return ExitCode::from(2);
    };
    let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(12);
    let end = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default());
    let corpus = corpus::generate(seed, n, 0, end);
    if let Err(e) = corpus.write(&dir) {
        eprintln!("fel: kunde inte skriva {}: {e}", dir.display());
        return ExitCode::from(1);
    }
    eprintln!(
        "Skrev {} frågeformulär och {} handlingsplaner till {}.",
        corpus.inspections.len(),
        corpus
            .inspections
            .iter()
            .filter(|g| g.plan.is_some())
            .count(),
        dir.display()
    );
    ExitCode::SUCCESS
}
