//! `spur plan-template` and `spur plan-check`: the unit's side of the action plan.

use std::path::Path;

use spur::catalog::Catalog;
use spur::diagnostic::Diagnostic;
use spur::{load, skeleton};

use super::{Outcome, emit};

/// Writes the action-plan skeleton for the inspection in `file`.
pub fn template(file: &Path, output: Option<&Path>) -> Outcome {
    let inspection = load::inspection(file)?;
    let catalog = Catalog::embedded();
    match skeleton::plan(catalog, &inspection.questionnaire, &inspection.grading) {
        Some(text) => emit(output, &text),
        None => {
            eprintln!(
                "{}: inga föreskrifter är ouppfyllda, så ingen handlingsplan krävs. Ingen fil skrevs.",
                file.display()
            );
            Ok(())
        }
    }
}

/// Checks a plan against its inspection; a missing entry is an error here.
pub fn check(plan_file: &Path, inspection_file: &Path) -> Outcome {
    let (questionnaire, grading) = load::questionnaire(inspection_file)?;
    let checked = load::plan(plan_file, &questionnaire, &grading).map_err(|d| vec![d])?;
    let mut problems: Vec<Diagnostic> = checked.errors;
    problems.extend(checked.missing);
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let count = checked.plan.map_or(0, |p| p.items.len());
    println!(
        "{}: handlingsplanen är komplett ({count} åtgärder).",
        plan_file.display()
    );
    Ok(())
}
