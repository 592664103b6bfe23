//! `spur check`: validates a questionnaire and the action plan it refers to.

use std::path::Path;

use spur_core::diagnostic::shown;
use spur_core::load;

use super::{Outcome, print, warn};

/// Prints every problem; succeeds when there is none but warnings.
pub fn run(file: &Path) -> Outcome {
    let inspection = load::inspection(file)?;
    warn(&inspection.warnings)?;
    let areas = inspection.questionnaire.areas.len();
    let plan = if inspection.plan.is_some() {
        " och handlingsplanen"
    } else {
        ""
    };
    print(&format!(
        "{}: frågeformuläret{plan} är giltigt ({areas} områden).\n",
        shown(file)
    ))
}
