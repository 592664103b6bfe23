//! Statistics across many inspections (SPEC §9): what a yearly summary says, as a
//! typed view for text, JSON, CSV and the PDF alike. Pure functions over graded
//! inspections; [`crate::gather`] finds and reads the files.

// A diagnostic travels once, on the way out to the user: boxing it would buy nothing.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

mod count;
mod csv;
pub mod gather;
mod model;
pub mod pdf;
pub(crate) mod prose;
#[cfg(test)]
mod tests;
mod text;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use spur_core::catalog::Catalog;
use spur_core::inspection::Inspection;

pub use count::swedish_order;
use count::*;
pub use csv::csv;
pub use model::*;
pub use prose::{lead, number, percent, title};
pub use spur_core::inspection::{INTERVAL_YEARS, next_due};
pub use text::text;

/// Summarises `inspections`, each with the file it came from, in the order found.
/// `not_counted` are the files that could not be read or were invalid, and
/// `plans_skipped` the action-plan files passed over. An inspection found twice (same
/// unit, organisation and date) is counted once, at its first file, and the other
/// listed as not counted.
pub fn summarise(
    catalog: &Catalog,
    inspections: &[(String, Inspection)],
    not_counted: &[NotCounted],
    plans_skipped: usize,
    today: NaiveDate,
) -> Summary {
    let mut seen: BTreeMap<(&str, &str, NaiveDate), &str> = BTreeMap::new();
    let mut excluded = not_counted.to_vec();
    let mut counted: Vec<(&str, &Inspection)> = Vec::new();
    for (file, inspection) in inspections {
        let q = &inspection.questionnaire;
        let key = (
            q.unit.name.as_str(),
            q.unit.organisation.as_str(),
            q.inspection.date,
        );
        match seen.get(&key) {
            Some(first) => excluded.push(NotCounted {
                file: file.clone(),
                line: 0,
                column: 0,
                problem: format!(
                    "samma granskning (enhet, vårdgivare och datum) som {first}; räknas en gång"
                ),
                duplicate_of: Some((*first).to_string()),
            }),
            None => {
                seen.insert(key, file);
                counted.push((file, inspection));
            }
        }
    }
    let units = by_unit(&counted);
    let dates = counted.iter().map(|(_, i)| i.questionnaire.inspection.date);
    let period = dates
        .clone()
        .min()
        .zip(dates.max())
        .map(|(first, last)| Period { first, last });
    // The three figures that walk every answer or every unit, side by side on the
    // cores; the rest take a few milliseconds for ten thousand inspections.
    let (unmet, (grades, repeated)) = rayon::join(
        || unmet(catalog, &counted),
        || rayon::join(|| grades(catalog, &counted), || repeated(catalog, &units)),
    );
    Summary {
        today,
        period,
        inspections: counted.len(),
        units: units.len(),
        files: Files {
            counted: counted.len(),
            plans_skipped,
            not_counted: excluded,
        },
        per_year: per_year(&counted),
        per_specialty: per_name(&counted, |i| &i.questionnaire.unit.specialty),
        per_organisation: per_name(&counted, |i| &i.questionnaire.unit.organisation),
        grades,
        unmet,
        deficiencies: deficiencies(&counted),
        plans: plans(&counted, today),
        actions: actions(&counted, today),
        repeated,
        due: due(&units, today),
        survey: survey(&counted),
    }
}
