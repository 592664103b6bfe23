//! `spur render`: one report, or a batch rendered in parallel with one font load.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use spur_core::catalog::Catalog;
use spur_core::diagnostic::{self, Diagnostic, shown};
use spur_core::load;
use spur_core::output::{Outputs, Replace};
use spur_report::Marking;
use spur_report::render::{self, Renderer, Standard};

use super::{Failure, Outcome, eprint};

/// The arguments of `spur render`.
#[derive(clap::Args)]
pub struct Args {
    /// Frågeformulär (ett eller flera)
    #[arg(value_name = "FIL", required = true)]
    files: Vec<PathBuf>,
    /// PDF-fil att skriva (för ett frågeformulär)
    #[arg(short, long, value_name = "UT.pdf", conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Katalog för rapporterna (för ett eller flera frågeformulär); FIL.yaml blir FIL.pdf
    #[arg(long, value_name = "KATALOG")]
    out_dir: Option<PathBuf>,
    /// Märk rapporten UTKAST på varje sida
    #[arg(long, conflicts_with = "preliminary")]
    draft: bool,
    /// Märk rapporten PRELIMINÄR på varje sida: för enhetens faktagranskning
    #[arg(long)]
    preliminary: bool,
    /// Skriv även Typst-källan, data och typsnitt som kompilerades till KATALOG
    #[arg(long, value_name = "KATALOG")]
    typst_dir: Option<PathBuf>,
    /// PDF-standard: a-2a (arkivbeständig och taggad, standard), a-2b, a-2u, a-3a, a-3b, ua-1, 1.7 eller 2.0
    #[arg(long, value_name = "STANDARD", default_value = "a-2a", value_parser = standard_parser())]
    pdf_standard: Standard,
}

fn standard_parser() -> impl clap::builder::TypedValueParser<Value = Standard> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Standard::ALL.map(Standard::name))
        .map(|name| Standard::named(&name).unwrap_or_default())
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
            shown(twice[0])
        ));
    }
    if let Some(dir) = &args.out_dir
        && !dir.is_dir()
    {
        return Err(vec![Diagnostic::file_error(
            &shown(dir),
            "katalogen för rapporterna finns inte",
        )]
        .into());
    }
    if args.typst_dir.is_some() && jobs.len() > 1 {
        return usage("--typst-dir fungerar för ett frågeformulär i taget");
    }
    let renderer = Renderer::new();
    let progress = Progress::new(jobs.len());
    let failures = Mutex::new(Vec::new());
    // On rayon's shared pool, which Typst's own parallel layout also uses: one thread
    // per core in all, not a pool of ours beside Typst's.
    jobs.par_iter().for_each(|(input, out)| {
        let said = match render_one(&renderer, args, input, out) {
            Ok((done, warnings)) => progress.step(&warnings, &done),
            Err(failure) => {
                lock(&failures).push(failure);
                progress.step(&[], "")
            }
        };
        if let Err(failure) = said {
            lock(&failures).push(failure);
        }
    });
    let ended = progress.finish();
    let mut problems = Vec::new();
    let mut refusal = None;
    for failure in failures.into_inner().unwrap_or_else(|e| e.into_inner()) {
        match failure {
            Failure::Invalid(mut found) => problems.append(&mut found),
            other => refusal = refusal.or(Some(other)),
        }
    }
    if let Some(refusal) = refusal {
        // A refusal (exit 2) outranks the other files' problems, which are still shown.
        if !problems.is_empty() {
            eprint(&diagnostic::render_all(&problems))?;
        }
        return Err(refusal);
    }
    if problems.is_empty() {
        ended
    } else {
        Err(problems.into())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn usage(message: &str) -> Outcome {
    Err(Failure::Usage(message.to_string()))
}

/// Renders one questionnaire and commits its PDF, and its Typst directory if asked
/// for, together: either both are written or neither. Returns what to tell the user
/// and the warnings found.
fn render_one(
    renderer: &Renderer,
    args: &Args,
    input: &Path,
    out: &Path,
) -> Result<(String, Vec<Diagnostic>), Failure> {
    let inspection = load::inspection(input)?;
    let marking = match (args.draft, args.preliminary) {
        (true, _) => Marking::Draft,
        (_, true) => Marking::Preliminary,
        _ => Marking::Final,
    };
    let report = spur_report::build(Catalog::embedded(), &inspection, marking);
    let document = renderer.document(&report)?;
    let pdf = render::export(&document, args.pdf_standard)?;
    let mut outputs = Outputs::new();
    for file in &args.files {
        outputs.protect(file);
    }
    if let Some(plan) = load::plan_path(input, &inspection.questionnaire) {
        outputs.protect(&plan);
    }
    outputs.file(out, &pdf, Replace::Yes)?;
    if let Some(dir) = &args.typst_dir {
        outputs.typst_dir(dir, &render::typst_dir_files(&report)?)?;
    }
    outputs.commit()?;
    let done = format!("Skrev {} ({} sidor).", shown(out), document.pages().len());
    Ok((done, inspection.warnings))
}

/// A progress bar on a terminal; plain lines otherwise. Warnings and lines from the
/// workers go through it, one at a time, so that they never cut into the bar.
struct Progress {
    total: usize,
    done: Mutex<usize>,
    bar: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Progress {
            total,
            done: Mutex::new(0),
            bar: total > 1 && std::io::stderr().is_terminal(),
        }
    }

    /// Counts one report done, printing its warnings and, without a bar, `line`.
    fn step(&self, warnings: &[Diagnostic], line: &str) -> Outcome {
        let mut done = lock(&self.done);
        *done += 1;
        let mut text = String::new();
        if self.bar {
            text.push_str("\r\x1b[K");
        }
        if !warnings.is_empty() {
            text.push_str(&diagnostic::render_all(warnings));
        }
        if self.bar {
            let width = 30;
            let filled = *done * width / self.total;
            text.push_str(&format!(
                "[{}{}] {}/{} rapporter",
                "#".repeat(filled),
                " ".repeat(width - filled),
                *done,
                self.total
            ));
        } else if !line.is_empty() {
            text.push_str(line);
            text.push('\n');
        }
        eprint(&text)
    }

    fn finish(&self) -> Outcome {
        if self.bar { eprint("\n") } else { Ok(()) }
    }
}
