//! `spur render`: one report, or a batch rendered in parallel with one font load.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use spur::catalog::Catalog;
use spur::diagnostic::Diagnostic;
use spur::render::{self, Renderer};
use spur::{load, output, report};

use super::{Failure, Outcome, warn};

/// The arguments of `spur render`.
#[derive(clap::Args)]
pub struct Args {
    /// Frågeformulär (ett eller flera)
    #[arg(value_name = "FIL", required = true, help_heading = "Argument")]
    files: Vec<PathBuf>,
    /// PDF-fil att skriva (för ett frågeformulär)
    #[arg(short, long, value_name = "UT.pdf", conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Katalog för rapporterna (för ett eller flera frågeformulär); FIL.yaml blir FIL.pdf
    #[arg(long, value_name = "KATALOG")]
    out_dir: Option<PathBuf>,
    /// Märk rapporten UTKAST på varje sida
    #[arg(long)]
    draft: bool,
    /// Skriv även Typst-källan, data och typsnitt som kompilerades till KATALOG
    #[arg(long, value_name = "KATALOG")]
    typst_dir: Option<PathBuf>,
    /// PDF-standard: a-2a (arkivbeständig och taggad), a-2b, a-2u, a-3a, a-3b, ua-1, 1.7 eller 2.0
    #[arg(long, value_name = "STANDARD", default_value = render::DEFAULT_STANDARD, value_parser = standard_names())]
    pdf_standard: String,
}

fn standard_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(render::STANDARDS.iter().map(|(name, _)| *name))
}

/// Renders every questionnaire given; failures are reported per file and the others
/// still rendered.
pub fn run(args: &Args) -> Outcome {
    let jobs: Vec<(PathBuf, PathBuf)> = match (&args.output, &args.out_dir) {
        (Some(out), None) if args.files.len() == 1 => vec![(args.files[0].clone(), out.clone())],
        (None, Some(dir)) => args
            .files
            .iter()
            .map(|f| {
                let stem = f
                    .file_stem()
                    .map_or_else(|| "rapport".into(), |s| s.to_os_string());
                (f.clone(), dir.join(stem).with_extension("pdf"))
            })
            .collect(),
        (Some(_), _) => {
            return usage("-o fungerar för ett frågeformulär; ange --out-dir för flera");
        }
        (None, None) => return usage("ange -o UT.pdf eller --out-dir KATALOG"),
    };
    let mut outputs: Vec<&PathBuf> = jobs.iter().map(|(_, out)| out).collect();
    outputs.sort();
    if let Some(twice) = outputs.windows(2).find(|w| w[0] == w[1]) {
        return usage(&format!(
            "två frågeformulär skulle skrivas till samma fil {}",
            twice[0].display()
        ));
    }
    if let Some(dir) = &args.out_dir
        && !dir.is_dir()
    {
        return Err(vec![Diagnostic::file_error(
            &dir.display().to_string(),
            "katalogen för rapporterna finns inte",
        )]
        .into());
    }
    if args.typst_dir.is_some() && jobs.len() > 1 {
        return usage("--typst-dir fungerar för ett frågeformulär i taget");
    }
    let renderer = Renderer::new();
    let progress = Progress::new(jobs.len());
    let next = AtomicUsize::new(0);
    let problems = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((input, out)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let result = render_one(&renderer, args, input, out);
                    progress.step();
                    match result {
                        Ok(done) => progress.say(&done),
                        Err(mut errors) => problems
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .append(&mut errors),
                    }
                }
            });
        }
    });
    progress.finish();
    let problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.into())
    }
}

fn usage(message: &str) -> Outcome {
    Err(Failure::Usage(message.to_string()))
}

fn render_one(
    renderer: &Renderer,
    args: &Args,
    input: &Path,
    out: &Path,
) -> Result<String, Vec<Diagnostic>> {
    let inspection = load::inspection(input)?;
    warn(&inspection.warnings);
    let report = report::build(Catalog::embedded(), &inspection, args.draft);
    let fail = |e: render::RenderError| {
        vec![Diagnostic::file_error(
            &input.display().to_string(),
            e.to_string(),
        )]
    };
    let document = renderer.document(&report).map_err(fail)?;
    let pdf = render::export(&document, &args.pdf_standard).map_err(fail)?;
    output::write_atomic(out, &pdf).map_err(|d| vec![d])?;
    if let Some(dir) = &args.typst_dir {
        render::export_typst_dir(&report, dir).map_err(fail)?;
    }
    Ok(format!(
        "Skrev {} ({} sidor).",
        out.display(),
        document.pages().len()
    ))
}

/// A progress bar on a terminal; plain lines otherwise.
struct Progress {
    total: usize,
    done: AtomicUsize,
    bar: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Progress {
            total,
            done: AtomicUsize::new(0),
            bar: total > 1 && std::io::stderr().is_terminal(),
        }
    }

    fn step(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.bar {
            let width = 30;
            let filled = done * width / self.total;
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "\r[{}{}] {done}/{} rapporter",
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.total
            );
            let _ = err.flush();
        }
    }

    fn say(&self, line: &str) {
        if !self.bar {
            eprintln!("{line}");
        }
    }

    fn finish(&self) {
        if self.bar {
            eprintln!();
        }
    }
}
