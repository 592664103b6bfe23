//! `spur grade`: the grade table with its explanations, for people or for programs.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};
use spur::catalog::Catalog;
use spur::grading::{PlanEffect, VersionGrading};
use spur::load::{self, Inspection};

use super::{Outcome, print, warn};
use crate::Format;

/// Prints the grades of the inspection in `file`.
pub fn run(file: &Path, format: Format) -> Outcome {
    let inspection = load::inspection(file)?;
    warn(&inspection.warnings)?;
    let catalog = Catalog::embedded();
    let text = match format {
        Format::Text => text(catalog, &inspection),
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&json(catalog, &inspection))?
        ),
    };
    print(&text)
}

/// A grade as one cell: "D", "D → C" after a plan, "B*" when the inspectors set it.
fn cell(v: &VersionGrading) -> String {
    let base = v.base().map_or("–".to_string(), |g| g.to_string());
    let mark = if v.override_.is_some() { "*" } else { "" };
    match v.adjusted {
        Some(adjusted) => format!("{base}{mark} → {adjusted}"),
        None => format!("{base}{mark}"),
    }
}

/// The terminal table: areas × versions, then each grade's reasons.
fn text(catalog: &Catalog, inspection: &Inspection) -> String {
    let q = &inspection.questionnaire;
    let versions = &q.inspection.regulations;
    let mut out = format!("{} – granskning {}\n\n", q.unit.name, q.inspection.date);
    let width = catalog
        .areas
        .iter()
        .map(|a| a.title.chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    let _ = write!(out, "{:<w$}", "Område", w = width + 3);
    for v in versions {
        let _ = write!(out, "  {:<8}", v.to_string());
    }
    out.push('\n');
    for area in &inspection.grading.areas {
        let title = catalog.area(area.id).map_or("", |a| a.title.as_str());
        let short: String = title.chars().take(width).collect();
        let _ = write!(out, "{}  {short:<width$} ", area.id);
        for v in &area.versions {
            let _ = write!(out, "  {:<8}", cell(v));
        }
        out.push('\n');
    }
    if inspection
        .grading
        .areas
        .iter()
        .flat_map(|a| &a.versions)
        .any(|v| v.override_.is_some())
    {
        out.push_str("\n* satt av granskarna\n");
    }
    for area in &inspection.grading.areas {
        let title = catalog.area(area.id).map_or("", |a| a.title.as_str());
        let _ = writeln!(out, "\n{}. {title}", area.id);
        let mut shown: Vec<&VersionGrading> = Vec::new();
        for v in &area.versions {
            if shown.iter().any(|s| same_outcome(s, v)) {
                continue;
            }
            let same: Vec<String> = area
                .versions
                .iter()
                .filter(|o| same_outcome(o, v))
                .map(|o| o.version.to_string())
                .collect();
            let computed = v.computed.map_or("ingen".to_string(), |g| g.to_string());
            let _ = writeln!(out, "  {}: {}", same.join(" och "), cell(v));
            for reason in &v.reasons {
                let _ = writeln!(out, "    - {reason}");
            }
            if let Some(o) = &v.override_ {
                let _ = writeln!(
                    out,
                    "    - Granskarnas betyg {} (beräknat {computed}): {}",
                    o.grade, o.reason
                );
            }
            match v.plan_effect().filter(|_| inspection.plan.is_some()) {
                Some(PlanEffect::Adjusted(grade)) => {
                    let _ = writeln!(
                        out,
                        "    - Handlingsplan inkommen. Gradering justerad till {grade}."
                    );
                }
                Some(PlanEffect::Kept { missing, rejected }) => {
                    let mut why = Vec::new();
                    if !missing.is_empty() {
                        why.push(format!("åtgärd saknas för {}", missing.join(", ")));
                    }
                    if !rejected.is_empty() {
                        why.push(format!("åtgärd inte godtagen för {}", rejected.join(", ")));
                    }
                    if why.is_empty() {
                        why.push("området saknar C i skalan".into());
                    }
                    let _ = writeln!(
                        out,
                        "    - Handlingsplan inkommen; graderingen kvarstår: {}.",
                        why.join("; ")
                    );
                }
                None => {}
            }
            shown.push(v);
        }
        if !area.not_assessed.is_empty() {
            let _ = writeln!(out, "  Ej bedömt: {}", area.not_assessed.join(", "));
        }
    }
    out
}

fn same_outcome(a: &VersionGrading, b: &VersionGrading) -> bool {
    (
        a.computed,
        &a.override_,
        a.adjusted,
        &a.reasons,
        &a.missing,
        &a.rejected,
    ) == (
        b.computed,
        &b.override_,
        b.adjusted,
        &b.reasons,
        &b.missing,
        &b.rejected,
    )
}

/// The machine-readable grades, in the shape of SPEC §7.
fn json(catalog: &Catalog, inspection: &Inspection) -> Value {
    let q = &inspection.questionnaire;
    let areas: Vec<Value> = inspection
        .grading
        .areas
        .iter()
        .map(|area| {
            let grades: serde_json::Map<String, Value> = area
                .versions
                .iter()
                .map(|v| {
                    let grade = json!({
                        "computed": v.computed,
                        "override": v.override_,
                        "adjusted": v.adjusted,
                        "final": v.final_grade(),
                        "reasons": v.reasons,
                    });
                    (v.version.to_string(), grade)
                })
                .collect();
            json!({
                "id": area.id.to_string(),
                "title": catalog.area(area.id).map(|a| a.title.as_str()),
                "not_assessed": area.not_assessed,
                "grades": grades,
            })
        })
        .collect();
    json!({"unit": q.unit.name, "inspection_date": q.inspection.date.to_string(), "areas": areas})
}
