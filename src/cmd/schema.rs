//! `spur schema`: the questionnaire's JSON Schema.

use std::path::Path;

use spur::catalog::Catalog;
use spur::output::Replace;
use spur::schema;

use super::{Outcome, emit};

/// Writes the schema to `output`, or prints it. An existing file is replaced: the
/// schema is spur's own, regenerated, never a user's work.
pub fn run(output: Option<&Path>) -> Outcome {
    let schema = schema::questionnaire(Catalog::embedded());
    let text = serde_json::to_string_pretty(&schema)?;
    emit(output, &format!("{text}\n"), &[], Replace::Yes)
}
