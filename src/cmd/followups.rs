//! `spur followups`: planned actions across inspections, overdue first.

use std::path::PathBuf;

use chrono::NaiveDate;
use spur_core::catalog::Catalog;
use spur_core::diagnostic::shown;
use spur_core::load;
use spur_cycle::deadlines;

use super::{Outcome, print, warn};
use crate::Format;

/// Lists the follow-ups of every inspection given; a file that fails is reported and
/// the others are still listed.
pub fn run(files: &[PathBuf], today: Option<NaiveDate>, format: Format) -> Outcome {
    let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut inspections = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        match load::inspection(file) {
            Ok(inspection) => {
                warn(&inspection.warnings)?;
                inspections.push((shown(file), inspection));
            }
            Err(mut errors) => problems.append(&mut errors),
        }
    }
    let list = deadlines::collect(Catalog::embedded(), &inspections, today);
    let text = match format {
        Format::Text => deadlines::text(&list),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&list)?),
    };
    print(&text)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.into())
    }
}
