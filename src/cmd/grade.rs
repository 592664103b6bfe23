//! `spur grade`: the grade table with its explanations, for people or for programs.

use std::path::Path;

use spur_core::catalog::Catalog;
use spur_core::{grade_table, load};

use super::{Outcome, print, warn};
use crate::Format;

/// Prints the grades of the inspection in `file`.
pub fn run(file: &Path, format: Format) -> Outcome {
    let inspection = load::inspection(file)?;
    warn(&inspection.warnings)?;
    let catalog = Catalog::embedded();
    let text = match format {
        Format::Text => grade_table::text(catalog, &inspection),
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&grade_table::view(catalog, &inspection))?
        ),
    };
    print(&text)
}
