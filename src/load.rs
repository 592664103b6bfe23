//! Reading user files from disk into a graded inspection: the I/O edge of the core.

use std::path::Path;

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Source};
use crate::grading::{self, Grading};
use crate::plan::{self, Plan};
use crate::questionnaire::{self, Questionnaire};
use crate::{fonts, output, yaml};

/// A questionnaire with its action plan, graded.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The questionnaire.
    pub questionnaire: Questionnaire,
    /// The unit's action plan, once it has come in.
    pub plan: Option<Plan>,
    /// The grades, re-graded when a plan has come in.
    pub grading: Grading,
    /// Problems that do not stop the inspection, such as plan entries still missing.
    pub warnings: Vec<Diagnostic>,
}

/// Reads a user's text file, refusing directories, huge files and non-UTF-8 text.
pub fn read_source(path: &Path) -> Result<Source, Diagnostic> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::file_error(
            &shown,
            format!("kan inte läsa filen: {}", output::io_reason(&e)),
        )
    })?;
    if meta.is_dir() {
        return Err(
            Diagnostic::file_error(&shown, "kan inte läsa filen: sökvägen är en katalog")
                .expected("en YAML-fil"),
        );
    }
    if meta.len() > yaml::MAX_FILE_BYTES as u64 {
        let mb = meta.len() / (1024 * 1024);
        return Err(
            Diagnostic::file_error(&shown, format!("filen är för stor ({mb} MB)")).expected(
                &format!("högst {} MB", yaml::MAX_FILE_BYTES / (1024 * 1024)),
            ),
        );
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::file_error(
            &shown,
            format!("kan inte läsa filen: {}", output::io_reason(&e)),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Diagnostic::file_error(
            &shown,
            format!(
                "filen är inte UTF-8-kodad text (ogiltig byte vid position {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .expected("en textfil sparad som UTF-8")
        .hint("spara om filen som UTF-8 i din textredigerare")
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::file_error(&shown, "filen är tom")
            .expected("ett frågeformulär i YAML; «spur init» skriver ett att utgå från"));
    }
    if text.contains('\0') {
        return Err(
            Diagnostic::file_error(&shown, "filen innehåller binära data (NUL-tecken)")
                .expected("en textfil i YAML"),
        );
    }
    Ok(Source::new(shown, text))
}

/// Reads and validates a questionnaire and grades it without its action plan.
pub fn questionnaire(path: &Path) -> Result<(Questionnaire, Grading), Vec<Diagnostic>> {
    let catalog = Catalog::embedded();
    let source = read_source(path).map_err(|d| vec![d])?;
    let questionnaire = questionnaire::parse(&source, catalog, &fonts::can_show)?;
    let grading = grading::grade(catalog, &questionnaire, None);
    Ok((questionnaire, grading))
}

/// Reads an action plan and checks it against the inspection it answers.
pub fn plan(
    path: &Path,
    questionnaire: &Questionnaire,
    grading: &Grading,
) -> Result<plan::Checked, Diagnostic> {
    let source = read_source(path)?;
    Ok(plan::check(
        &source,
        Catalog::embedded(),
        questionnaire,
        grading,
        &fonts::can_show,
    ))
}

/// Reads, validates and grades an inspection and the action plan it refers to.
pub fn inspection(path: &Path) -> Result<Inspection, Vec<Diagnostic>> {
    let (questionnaire, grading) = self::questionnaire(path)?;
    let Some(reference) = &questionnaire.action_plan else {
        return Ok(Inspection {
            questionnaire,
            plan: None,
            grading,
            warnings: Vec::new(),
        });
    };
    let plan_path = path.parent().unwrap_or(Path::new("")).join(&reference.file);
    let checked = plan(&plan_path, &questionnaire, &grading).map_err(|d| {
        vec![d.hint("sökvägen i action_plan.file räknas från frågeformulärets katalog")]
    })?;
    let Some(plan) = checked.plan else {
        return Err(checked.errors);
    };
    let warnings = checked
        .missing
        .into_iter()
        .map(Diagnostic::warning)
        .collect();
    let grading = grading::grade(
        Catalog::embedded(),
        &questionnaire,
        Some(&plan.coverage(&questionnaire)),
    );
    Ok(Inspection {
        questionnaire,
        plan: Some(plan),
        grading,
        warnings,
    })
}
