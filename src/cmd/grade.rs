//! `spur grade`: the grade table with its explanations, for people or for programs.

use std::path::Path;

use spur::catalog::Catalog;
use spur::{grades, load};

use super::{Outcome, print, warn};
use crate::Format;

/// Prints the grades of the inspection in `file`.
pub fn run(file: &Path, format: Format) -> Outcome {
    let inspection = load::inspection(file)?;
    warn(&inspection.warnings)?;
    let catalog = Catalog::embedded();
    let text = match format {
        Format::Text => grades::text(catalog, &inspection),
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&grades::view(catalog, &inspection))?
        ),
    };
    print(&text)
}
