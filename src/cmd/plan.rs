//! `spur plan-template` and `spur plan-check`: the unit's side of the action plan.

use std::path::Path;

use spur_core::catalog::Catalog;
use spur_core::diagnostic::{Diagnostic, shown};
use spur_core::{load, skeleton};

use super::{Outcome, emit, eprint, print, replace_if};

/// Writes the action-plan skeleton for the inspection in `file`, never over that file
/// or the plan it names, and over another existing file only if `force`.
pub fn template(file: &Path, output: Option<&Path>, force: bool) -> Outcome {
    let inspection = load::inspection(file)?;
    let catalog = Catalog::embedded();
    let plan = load::plan_path(file, &inspection.questionnaire);
    let inputs: Vec<&Path> = std::iter::once(file).chain(plan.as_deref()).collect();
    match skeleton::plan(catalog, &inspection.questionnaire, &inspection.grading)? {
        Some(text) => emit(output, &text, &inputs, replace_if(force)),
        None => eprint(&format!(
            "{}: inga föreskrifter är ouppfyllda, så ingen handlingsplan krävs. Ingen fil skrevs.\n",
            shown(file)
        )),
    }
}

/// Checks a plan against its inspection; a missing entry is an error here.
pub fn check(plan_file: &Path, inspection_file: &Path) -> Outcome {
    let (questionnaire, grading) = load::questionnaire(inspection_file)?;
    let checked = load::plan(plan_file, &questionnaire, &grading)?;
    let mut problems: Vec<Diagnostic> = checked.errors;
    problems.extend(checked.missing);
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let count = checked.plan.map_or(0, |p| p.items.len());
    print(&format!(
        "{}: handlingsplanen är komplett ({count} åtgärder).\n",
        shown(plan_file)
    ))
}
