//! A graded inspection: the questionnaire with its action plan, graded. Built by pure
//! functions from text already read; `load` reads the files.

use chrono::NaiveDate;

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Source};
use crate::grading::{self, Grading};
use crate::plan::{self, Plan};
use crate::questionnaire::{self, Questionnaire};

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

/// Validates the questionnaire in `source` and grades it without its action plan.
/// `glyphs` says whether the report's fonts can show a character.
pub fn questionnaire(
    catalog: &Catalog,
    source: &Source,
    glyphs: &dyn Fn(char) -> bool,
) -> Result<(Questionnaire, Grading), Vec<Diagnostic>> {
    let questionnaire = questionnaire::parse(source, catalog, glyphs)?;
    let grading = grading::grade(catalog, &questionnaire, None);
    Ok((questionnaire, grading))
}

/// The graded inspection: `questionnaire` as [`questionnaire()`] returned it, with
/// `plan`, the text of the action plan it names (`None` when it names none). Invalid
/// plan entries are errors; missing ones are warnings.
pub fn assess(
    catalog: &Catalog,
    (questionnaire, grading): (Questionnaire, Grading),
    plan: Option<&Source>,
    glyphs: &dyn Fn(char) -> bool,
) -> Result<Inspection, Vec<Diagnostic>> {
    let Some(source) = plan else {
        return Ok(Inspection {
            questionnaire,
            plan: None,
            grading,
            warnings: Vec::new(),
        });
    };
    let checked = plan::check(source, catalog, &questionnaire, &grading, glyphs);
    let Some(plan) = checked.plan else {
        return Err(checked.errors);
    };
    let warnings = checked
        .missing
        .into_iter()
        .map(Diagnostic::warning)
        .collect();
    let grading = grading::grade(
        catalog,
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

/// How many years after an inspection the unit is due for the next one.
pub const INTERVAL_YEARS: u32 = 5;

/// The day the next inspection falls due, five years after `date` (28 February after
/// a 29 February).
pub fn next_due(date: NaiveDate) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(12 * INTERVAL_YEARS))
        .unwrap_or(NaiveDate::MAX)
}
