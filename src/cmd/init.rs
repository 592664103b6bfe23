//! `spur init`: the questionnaire skeleton.

use std::path::Path;

use spur_core::catalog::Catalog;
use spur_core::skeleton;

use super::{Outcome, emit, replace_if};

/// Writes the skeleton to `output` (an existing file only if `force`), or to standard
/// output.
pub fn run(output: Option<&Path>, force: bool) -> Outcome {
    let today = chrono::Local::now().date_naive();
    let name = output.map_or("granskning.yaml".to_string(), |p| p.display().to_string());
    emit(
        output,
        &skeleton::questionnaire(Catalog::embedded(), today, &name)?,
        &[],
        replace_if(force),
    )
}
