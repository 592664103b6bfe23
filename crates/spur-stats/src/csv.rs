//! The grade distribution as CSV for a spreadsheet (SPEC §9): UTF-8, `;`-separated as
//! Swedish Excel expects, one row per area, version and grade.

use std::fmt::Write as _;

use super::{GradeCounts, Summary};
use spur_core::catalog::Version;

/// The header row, exactly as SPEC §9 gives it.
pub const HEADER: &str = "område;regelverk;betyg;före_plan;slutligt";

/// Every area (A–H) × version (2015, 2021) × grade (A–E, `-`), with the number of
/// inspections whose base and final grade it is; zero rows included, so that the
/// sheet always has the same shape.
pub fn csv(summary: &Summary) -> String {
    let mut out = format!("{HEADER}\n");
    for area in &summary.grades {
        for version in Version::ALL {
            let key = version.to_string();
            let empty = super::Distribution {
                graded: 0,
                base: GradeCounts::default(),
                final_: GradeCounts::default(),
            };
            let d = area.versions.get(&key).unwrap_or(&empty);
            for (slot, grade) in GradeCounts::KEYS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{};{key};{grade};{};{}",
                    area.id, d.base.0[slot], d.final_.0[slot]
                );
            }
        }
    }
    out
}
