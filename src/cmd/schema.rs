//! `spur schema`: the questionnaire's JSON Schema.

use std::path::Path;

use spur_core::catalog::Catalog;
use spur_core::output::Replace;
use spur_core::schema;

use super::{Outcome, emit};

/// Writes the schema to `output`, or prints it. An existing file is replaced: the
/// schema is spur's own, regenerated, never a user's work.
pub fn run(output: Option<&Path>) -> Outcome {
    let schema = schema::questionnaire(Catalog::embedded());
    let text = serde_json::to_string_pretty(&schema)?;
    emit(output, &format!("{text}\n"), &[], Replace::Yes)
}
