//! `spur schema`: the questionnaire's JSON Schema.

use spur::catalog::Catalog;
use spur::schema;

use super::{Outcome, print};

/// Prints the schema.
pub fn run() -> Outcome {
    let schema = schema::questionnaire(Catalog::embedded());
    let text = serde_json::to_string_pretty(&schema)?;
    print(&format!("{text}\n"))
}
