//! The grades of an inspection as `spur grade` shows them: a typed view in the shape of
//! SPEC §7 for programs, and a text table with reasons for people. A web page shows
//! the same view.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::Grade;
use crate::catalog::{Catalog, Version};
use crate::grading::{Grading, PlanEffect, VersionGrading};
use crate::inspection::Inspection;
use crate::questionnaire::Override;

/// Every area's grades, per graded version (SPEC §7).
#[derive(Debug, Clone, Serialize)]
pub struct Grades {
    /// The unit's name.
    pub unit: String,
    /// The day of the inspection.
    pub inspection_date: NaiveDate,
    /// The areas, A–H.
    pub areas: Vec<AreaGrades>,
}

/// One area's grades.
#[derive(Debug, Clone, Serialize)]
pub struct AreaGrades {
    /// The area's letter.
    pub id: char,
    /// The area's title.
    pub title: String,
    /// Indicators answered `not_assessed`.
    pub not_assessed: Vec<String>,
    /// The grades per graded version (`"2015"`, `"2021"`); versions not graded are absent.
    pub grades: BTreeMap<String, VersionGrades>,
}

/// The grades of one area under one version.
#[derive(Debug, Clone, Serialize)]
pub struct VersionGrades {
    /// The grade the rules give; none where no föreskrift was assessed.
    pub computed: Option<Grade>,
    /// The inspectors' grade and reason, if they set one.
    #[serde(rename = "override")]
    pub override_: Option<Override>,
    /// The grade after the action plan, if the plan moved it.
    pub adjusted: Option<Grade>,
    /// Adjusted, else the override's, else computed.
    #[serde(rename = "final")]
    pub final_grade: Option<Grade>,
    /// Swedish sentences naming the indicators that decided the grade.
    pub reasons: Vec<String>,
}

/// The grades of `inspection`, for programs.
pub fn view(catalog: &Catalog, inspection: &Inspection) -> Grades {
    let q = &inspection.questionnaire;
    let areas = inspection
        .grading
        .areas
        .iter()
        .map(|area| AreaGrades {
            id: area.id,
            title: catalog
                .area(area.id)
                .map_or(String::new(), |a| a.title.clone()),
            not_assessed: area.not_assessed.clone(),
            grades: area
                .versions
                .iter()
                .map(|v| {
                    let grades = VersionGrades {
                        computed: v.computed,
                        override_: v.override_.clone(),
                        adjusted: v.adjusted,
                        final_grade: v.final_grade(),
                        reasons: v.reasons.clone(),
                    };
                    (v.version.to_string(), grades)
                })
                .collect(),
        })
        .collect();
    Grades {
        unit: q.unit.name.clone(),
        inspection_date: q.inspection.date,
        areas,
    }
}

/// The grade table as a page shows it: the same cells as `spur grade`, versions in
/// the questionnaire's order, areas A–H.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// The graded versions, as column headings ("2015", "2021").
    pub versions: Vec<String>,
    /// One row per area.
    pub rows: Vec<TableRow>,
    /// Whether any cell holds the inspectors' grade (marked `*`).
    pub any_override: bool,
}

/// One area's row of the grade table.
#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    /// The area's letter.
    pub id: char,
    /// The area's title.
    pub title: String,
    /// One cell per version, in the order of [`Table::versions`].
    pub cells: Vec<TableCell>,
}

/// One grade of the table with what decided it.
#[derive(Debug, Clone, Serialize)]
pub struct TableCell {
    /// The version.
    pub version: String,
    /// The cell as `spur grade` prints it: "D", "B*", "D → C".
    pub grade: String,
    /// The reasons, the inspectors' own and the plan's included.
    pub reasons: Vec<String>,
}

/// The grade table of `inspection` for a page.
pub fn table(catalog: &Catalog, inspection: &Inspection) -> Table {
    let versions = &inspection.questionnaire.inspection.regulations;
    table_of(
        catalog,
        &inspection.grading,
        versions,
        inspection.plan.is_some(),
    )
}

/// The grade table of `grading` under `versions`, `plan_in` once a plan has come in.
pub fn table_of(
    catalog: &Catalog,
    grading: &Grading,
    versions: &[Version],
    plan_in: bool,
) -> Table {
    let rows = grading
        .areas
        .iter()
        .map(|area| TableRow {
            id: area.id,
            title: catalog
                .area(area.id)
                .map_or(String::new(), |a| a.title.clone()),
            cells: area
                .versions
                .iter()
                .map(|v| TableCell {
                    version: v.version.to_string(),
                    grade: cell(v),
                    reasons: reasons(v, plan_in),
                })
                .collect(),
        })
        .collect();
    Table {
        versions: versions.iter().map(|v| v.to_string()).collect(),
        rows,
        any_override: grading
            .areas
            .iter()
            .flat_map(|a| &a.versions)
            .any(|v| v.override_.is_some()),
    }
}

/// A grade as one cell: "D", "D → C" after a plan, "B*" when the inspectors set it.
pub fn cell(v: &VersionGrading) -> String {
    let base = v.base().map_or("–".to_string(), |g| g.to_string());
    let mark = if v.override_.is_some() { "*" } else { "" };
    match v.adjusted {
        Some(adjusted) => format!("{base}{mark} → {adjusted}"),
        None => format!("{base}{mark}"),
    }
}

/// The terminal table: areas × versions, then each grade's reasons.
pub fn text(catalog: &Catalog, inspection: &Inspection) -> String {
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
            let _ = writeln!(out, "  {}: {}", same.join(" och "), cell(v));
            for reason in reasons(v, inspection.plan.is_some()) {
                let _ = writeln!(out, "    - {reason}");
            }
            shown.push(v);
        }
        if !area.not_assessed.is_empty() {
            let _ = writeln!(out, "  Ej bedömt: {}", area.not_assessed.join(", "));
        }
    }
    out
}

/// The sentences that explain one grade: the rules' reasons, the inspectors' grade,
/// and what the plan did once one has come in.
fn reasons(v: &VersionGrading, plan_in: bool) -> Vec<String> {
    let mut out = v.reasons.clone();
    if let Some(o) = &v.override_ {
        let computed = v.computed.map_or("ingen".to_string(), |g| g.to_string());
        out.push(format!(
            "Granskarnas betyg {} (beräknat {computed}): {}",
            o.grade, o.reason
        ));
    }
    match v.plan_effect().filter(|_| plan_in) {
        Some(PlanEffect::Adjusted(grade)) => {
            out.push(format!(
                "Handlingsplan inkommen. Gradering justerad till {grade}."
            ));
        }
        Some(PlanEffect::Kept { missing, rejected }) => {
            let mut why = Vec::new();
            if !missing.is_empty() {
                why.push(format!("åtgärd saknas för {}", missing.join(", ")));
            }
            if !rejected.is_empty() {
                why.push(format!("åtgärd inte godkänd för {}", rejected.join(", ")));
            }
            if why.is_empty() {
                why.push("området saknar C i skalan".into());
            }
            out.push(format!(
                "Handlingsplan inkommen; graderingen kvarstår: {}.",
                why.join("; ")
            ));
        }
        None => {}
    }
    out
}

/// Whether two versions were graded alike for the same reasons, so they are shown once.
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
