//! `spur stats`: what many inspections say together, as text, JSON, CSV or a PDF.

use std::path::PathBuf;

use chrono::NaiveDate;
use spur_core::catalog::Catalog;
use spur_core::diagnostic::{self, Diagnostic, shown};
use spur_core::output::{Outputs, Replace};
use spur_report::render::Standard;
use spur_stats as stats;
use spur_stats::gather;

use super::{Failure, Outcome, eprint, print};

/// What `spur stats` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Läsbar text
    Text,
    /// JSON, för program
    Json,
    /// CSV för kalkylprogram: graderingsfördelningen
    Csv,
}

/// The arguments of `spur stats`.
#[derive(clap::Args)]
pub struct Args {
    /// Frågeformulär eller kataloger; kataloger genomsöks rekursivt efter YAML-filer
    #[arg(value_name = "SÖKVÄG", required = true)]
    paths: Vec<PathBuf>,
    /// Dagens datum, ÅÅÅÅ-MM-DD (annars systemets datum): vad som är försenat och står på tur
    #[arg(long, value_name = "DATUM")]
    today: Option<NaiveDate>,
    /// Utdataformat på standard ut: text (läsbar, standard), json (för program) eller csv (graderingsfördelningen för kalkylprogram); med -o skrivs det bara om det anges
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<Format>,
    /// Skriv sammanställningen som PDF (Årssammanställning ST-SPUR)
    #[arg(short, long, value_name = "UT.pdf")]
    output: Option<PathBuf>,
}

/// Summarises the inspections under the given paths. Files that cannot be counted are
/// listed in the summary and, with their first problem, on standard error; then the
/// command fails (exit 1) after writing everything else.
pub fn run(args: &Args) -> Outcome {
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut gathered = gather::gather(&args.paths);
    let summary = stats::summarise(
        Catalog::embedded(),
        &gathered.inspections,
        &gathered.not_counted(),
        gathered.plans.len(),
        today,
    );
    if let Some(out) = &args.output {
        let pdf = stats::pdf::Renderer::new().pdf(&summary, Standard::default())?;
        let mut outputs = Outputs::new();
        for path in args.paths.iter().chain(&gathered.read) {
            outputs.protect(path);
        }
        outputs.file(out, &pdf, Replace::Yes)?;
        outputs.commit()?;
        eprint(&format!("Skrev {}.\n", shown(out)))?;
    }
    let format = match (args.format, &args.output) {
        (Some(format), _) => Some(format),
        (None, None) => Some(Format::Text),
        (None, Some(_)) => None,
    };
    match format {
        Some(Format::Text) => print(&stats::text(&summary))?,
        Some(Format::Json) => print(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?,
        Some(Format::Csv) => print(&stats::csv(&summary))?,
        None => {}
    }
    let duplicates: Vec<Diagnostic> = summary
        .files
        .not_counted
        .iter()
        .filter(|n| n.duplicate_of.is_some())
        .map(|n| Diagnostic::file_error(&n.file, n.problem.clone()).warning())
        .collect();
    if !duplicates.is_empty() {
        eprint(&diagnostic::render_all(&duplicates))?;
    }
    let invalid = std::mem::take(&mut gathered.invalid);
    // The command ends here: the system takes back the memory of ten thousand
    // inspections at once, a tenth of a second faster than their destructors would,
    // one string at a time.
    std::mem::forget(gathered);
    std::mem::forget(summary);
    let first: Vec<Diagnostic> = invalid
        .into_iter()
        .filter_map(|(_, problems)| {
            let at = problems.iter().position(Diagnostic::is_error).unwrap_or(0);
            problems.into_iter().nth(at)
        })
        .collect();
    if first.is_empty() {
        Ok(())
    } else {
        Err(Failure::Invalid(first))
    }
}
