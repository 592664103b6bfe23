//! The report model: everything the PDF shows, built first and handed whole to the
//! Typst template as data (never as markup), in the manner of zola's content model.
//!
//! Its types and the functions that fill them mirror the report's sections in order;
//! the HANDLINGSPLAN section and the plan's effect on each area are in `action_plan`.

// A diagnostic travels once, on the way out to the user: boxing it would buy nothing.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use spur_core::catalog::{Area, Catalog, Grade, Group, Kind, Version};
use spur_core::grading::AreaGrading;
use spur_core::inspection::Inspection;
use spur_core::questionnaire::{Counts, Role, Survey};

/// What a report is marked as on every page, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    /// The report as established: no mark.
    Final,
    /// Still being written: UTKAST.
    Draft,
    /// For the unit's fact-check: PRELIMINÄR.
    Preliminary,
}

impl Marking {
    /// The word across every page.
    pub fn word(self) -> Option<&'static str> {
        match self {
            Marking::Final => None,
            Marking::Draft => Some("UTKAST"),
            Marking::Preliminary => Some("PRELIMINÄR"),
        }
    }
}

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The word across every page (UTKAST, PRELIMINÄR), if any.
    pub mark: Option<&'static str>,
    /// The document title, for the PDF's metadata.
    pub title: String,
    /// The document's date (year, month, day): the report's date, else the visit's.
    pub date: [u32; 3],
    /// The inspected unit.
    pub unit: UnitView,
    /// Dates, inspectors and regulation versions.
    pub inspection: InspectionView,
    /// Styrkor, svagheter, förbättringspotential.
    pub summary: SummaryView,
    /// The grade overview: one row per area.
    pub overview: Vec<OverviewRow>,
    /// Whether any area is graded E, so that the scale reaches E.
    pub any_e: bool,
    /// STRUKTUR and PROCESS with their areas.
    pub groups: Vec<GroupView>,
    /// HANDLINGSPLAN.
    pub plan: PlanView,
}

/// The inspected unit.
#[derive(Debug, Serialize)]
pub struct UnitView {
    /// Name.
    pub name: String,
    /// Vårdgivare.
    pub organisation: String,
    /// Specialty.
    pub specialty: String,
}

/// The inspection's facts, dates written out in Swedish.
#[derive(Debug, Serialize)]
pub struct InspectionView {
    /// Day of the visit.
    pub date: String,
    /// The report's date.
    pub report_date: Option<String>,
    /// The inspectors.
    pub inspectors: Vec<String>,
    /// The graded versions.
    pub versions: Vec<VersionView>,
    /// When the action plan is due.
    pub plan_due: Option<String>,
}

/// A graded regulation version.
#[derive(Debug, Serialize)]
pub struct VersionView {
    /// "2015".
    pub year: String,
    /// "SOSFS 2015:8".
    pub regulation: &'static str,
}

/// The summary lists.
#[derive(Debug, Serialize)]
pub struct SummaryView {
    /// Styrkor.
    pub strengths: Vec<String>,
    /// Svagheter.
    pub weaknesses: Vec<String>,
    /// Förbättringspotential.
    pub improvements: Vec<String>,
}

/// One area's grades in the overview table.
#[derive(Debug, Serialize)]
pub struct OverviewRow {
    /// The area's letter.
    pub id: char,
    /// The area's title.
    pub title: String,
    /// One cell per graded version.
    pub cells: Vec<GradeCell>,
}

/// A grade as the overview shows it.
#[derive(Debug, Serialize)]
pub struct GradeCell {
    /// "2015".
    pub version: String,
    /// The grade before the action plan.
    pub base: Option<Grade>,
    /// The grade after the action plan.
    pub adjusted: Option<Grade>,
    /// The grade that stands.
    pub r#final: Option<Grade>,
    /// Whether the inspectors set the grade.
    pub overridden: bool,
}

/// STRUKTUR or PROCESS.
#[derive(Debug, Serialize)]
pub struct GroupView {
    /// "STRUKTUR" or "PROCESS".
    pub name: &'static str,
    /// The group's areas.
    pub areas: Vec<AreaView>,
}

/// One area's section.
#[derive(Debug, Serialize)]
pub struct AreaView {
    /// Letter.
    pub id: char,
    /// Title.
    pub title: String,
    /// The unit's description and the survey sentences: area A's text, as in seed 004.
    pub description: Option<String>,
    /// The inspectors' free text.
    pub findings: Option<String>,
    /// The föreskrift quoted at the top.
    pub regulation: String,
    /// Indicators grouped by kind, each group with its heading.
    pub kinds: Vec<KindGroup>,
    /// The scale legend, one per distinct scale among the versions.
    pub scales: Vec<ScaleView>,
    /// The grade per version.
    pub grades: Vec<GradeView>,
    /// The inspectors' reason, where they set the grade of every version for the same
    /// reason: told once instead of per version.
    pub override_reason: Option<String>,
    /// "Handlingsplan inkommen. …" sentences.
    pub plan_lines: Vec<String>,
}

/// Indicators of one kind, e.g. "Föreskrift (endast 2021)".
#[derive(Debug, Serialize)]
pub struct KindGroup {
    /// The heading.
    pub heading: String,
    /// The indicators.
    pub indicators: Vec<IndicatorRow>,
}

/// An indicator and what the inspectors found.
#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    /// Id.
    pub id: String,
    /// Wording.
    pub text: String,
    /// A remark on the wording.
    pub note: Option<String>,
    /// "Uppfylld", "Ej uppfylld", …
    pub result: String,
    /// Whether the indicator is not met.
    pub unmet: bool,
    /// The inspectors' comment.
    pub comment: Option<String>,
}

/// A scale legend and the versions it applies to.
#[derive(Debug, Serialize)]
pub struct ScaleView {
    /// The versions, e.g. ["2015", "2021"].
    pub versions: Vec<String>,
    /// One line per grade on the scale.
    pub lines: Vec<ScaleLine>,
}

/// One grade of a legend.
#[derive(Debug, Serialize)]
pub struct ScaleLine {
    /// The grade.
    pub grade: Grade,
    /// Its text.
    pub text: String,
}

/// An area's grade under one version.
#[derive(Debug, Serialize)]
pub struct GradeView {
    /// "2015".
    pub version: String,
    /// The grade before the action plan.
    pub base: Option<Grade>,
    /// The grade the rules give.
    pub computed: Option<Grade>,
    /// Whether the inspectors set the grade.
    pub overridden: bool,
    /// Why the inspectors set the grade, where the area does not give one reason for
    /// all versions.
    pub override_reason: Option<String>,
    /// The grade after the action plan.
    pub adjusted: Option<Grade>,
    /// The sentences explaining the computed grade.
    pub reasons: Vec<String>,
}

pub use spur_core::words::swedish_date;

/// The area whose text is the unit's description ("Verksamheten"), as in seed 004.
const DESCRIBED_AREA: char = 'A';

/// Builds the report of a graded inspection.
pub fn build(catalog: &Catalog, inspection: &Inspection, marking: Marking) -> Report {
    let q = &inspection.questionnaire;
    let versions = &q.inspection.regulations;
    let overview = inspection
        .grading
        .areas
        .iter()
        .filter_map(|g| {
            let area = catalog.area(g.id)?;
            let cells = g
                .versions
                .iter()
                .map(|v| GradeCell {
                    version: v.version.to_string(),
                    base: v.base(),
                    adjusted: v.adjusted,
                    r#final: v.final_grade(),
                    overridden: v.override_.is_some(),
                })
                .collect();
            Some(OverviewRow {
                id: area.id,
                title: area.title.clone(),
                cells,
            })
        })
        .collect();
    let groups = [(Group::Struktur, "STRUKTUR"), (Group::Process, "PROCESS")]
        .into_iter()
        .map(|(group, name)| GroupView {
            name,
            areas: catalog
                .areas
                .iter()
                .filter(|a| a.group == group)
                .filter_map(|a| {
                    Some(area_view(
                        catalog,
                        inspection,
                        a,
                        inspection.grading.area(a.id)?,
                    ))
                })
                .collect(),
        })
        .collect();
    Report {
        mark: marking.word(),
        title: format!("Granskningsrapport ST-SPUR: {}", q.unit.name),
        date: {
            let d = q.inspection.report_date.unwrap_or(q.inspection.date);
            [d.year().max(0) as u32, d.month(), d.day()]
        },
        unit: UnitView {
            name: q.unit.name.clone(),
            organisation: q.unit.organisation.clone(),
            specialty: q.unit.specialty.clone(),
        },
        inspection: InspectionView {
            date: swedish_date(q.inspection.date),
            report_date: q.inspection.report_date.map(swedish_date),
            inspectors: q.inspection.inspectors.clone(),
            versions: versions
                .iter()
                .map(|v| VersionView {
                    year: v.to_string(),
                    regulation: v.regulation(),
                })
                .collect(),
            plan_due: q.inspection.plan_due.map(swedish_date),
        },
        summary: SummaryView {
            strengths: q.summary.strengths.clone(),
            weaknesses: q.summary.weaknesses.clone(),
            improvements: q.summary.improvements.clone(),
        },
        overview,
        any_e: inspection.grading.areas.iter().any(graded_e),
        groups,
        plan: plan_view(catalog, inspection),
    }
}

/// Whether an area is graded E under some version, by the rules or by the inspectors.
fn graded_e(grading: &AreaGrading) -> bool {
    grading
        .versions
        .iter()
        .any(|v| v.computed == Some(Grade::E) || v.base() == Some(Grade::E))
}

/// "10 ST-läkare", "2 studierektorer", "verksamhetschef": a role with its count, as
/// seed 004 writes it.
fn counted(role: Role, n: u32) -> String {
    match (role, n) {
        (Role::StLakare, n) => format!("{n} ST-läkare"),
        (Role::Handledare, n) => format!("{n} handledare"),
        (Role::Studierektorer, 1) => "1 studierektor".into(),
        (Role::Studierektorer, n) => format!("{n} studierektorer"),
        (Role::Verksamhetschef, 1) => "verksamhetschef".into(),
        (Role::Verksamhetschef, n) => format!("{n} verksamhetschefer"),
        (Role::Ledning, 1) => "1 person med chefs-/ledningsansvar".into(),
        (Role::Ledning, n) => format!("{n} personer med chefs-/ledningsansvar"),
    }
}

/// A role with no one answering: "inget svar från verksamhetschef".
fn uncounted(role: Role) -> &'static str {
    match role {
        Role::StLakare => "ST-läkare",
        Role::Handledare => "handledare",
        Role::Studierektorer => "studierektor",
        Role::Verksamhetschef => "verksamhetschef",
        Role::Ledning => "personer med chefs-/ledningsansvar",
    }
}

/// "a, b samt c".
fn enumerate(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} samt {last}", init.join(", ")),
    }
}

/// Seed 004's sentences on the survey and the visit: "Enkät inför
/// granskningstillfället besvarad av 10 ST-läkare, 12 handledare samt 2
/// studierektorer, inget svar från verksamhetschef. Vid granskningstillfället deltog 6
/// ST-läkare, 8 handledare samt 3 personer med chefs-/ledningsansvar." A role asked
/// nobody (asked 0) is not said to have given no answer.
pub fn survey_text(survey: &Survey) -> Option<String> {
    let present = |counts: &Counts| -> Vec<String> {
        counts
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(role, n)| counted(*role, *n))
            .collect()
    };
    let silent: Vec<&str> = survey
        .answered
        .iter()
        .filter(|(role, n)| {
            **n == 0
                && survey
                    .asked
                    .as_ref()
                    .is_none_or(|asked| asked.get(role) != Some(&0))
        })
        .map(|(role, _)| uncounted(*role))
        .collect();
    let answered = present(&survey.answered);
    let mut sentences = Vec::new();
    let no_answer = format!("inget svar från {}", silent.join(" eller "));
    match (answered.is_empty(), silent.is_empty()) {
        (false, true) => sentences.push(format!(
            "Enkät inför granskningstillfället besvarad av {}.",
            enumerate(&answered)
        )),
        (false, false) => sentences.push(format!(
            "Enkät inför granskningstillfället besvarad av {}, {no_answer}.",
            enumerate(&answered)
        )),
        (true, false) => sentences.push(format!("Enkät inför granskningstillfället: {no_answer}.")),
        (true, true) => {}
    }
    let interviewed = survey.interviewed.as_ref().map(present).unwrap_or_default();
    if !interviewed.is_empty() {
        sentences.push(format!(
            "Vid granskningstillfället deltog {}.",
            enumerate(&interviewed)
        ));
    }
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

/// Area A's text: the unit's description, the survey sentences closing its last
/// paragraph as in seed 004.
fn description(unit: Option<&str>, survey: Option<String>) -> Option<String> {
    match (unit, survey) {
        (Some(d), Some(s)) => Some(format!("{d} {s}")),
        (Some(d), None) => Some(d.to_string()),
        (None, s) => s,
    }
}

/// A date field of the plan as the report prints it: the unit's own words where it
/// gave them (seed 004 prints "Årsskiftet 26-27 samt årligen vid årsskifte"), else the
/// ISO date.
pub fn shown_date(date: NaiveDate, note: Option<&str>) -> String {
    note.map_or_else(|| date.to_string(), str::to_string)
}

/// "endast 2021" for a set of versions that is not all the graded ones.
fn only_mark(under: &[Version], versions: &[Version]) -> Option<String> {
    (under.len() < versions.len()).then(|| {
        let years: Vec<String> = under.iter().map(Version::to_string).collect();
        format!("endast {}", years.join(", "))
    })
}

/// The kind groups of an area: a group per kind, split where an indicator has that
/// kind under some graded versions only ("Föreskrift (endast 2021)").
fn kind_groups(area: &Area, versions: &[Version], inspection: &Inspection) -> Vec<KindGroup> {
    let mut groups: Vec<KindGroup> = Vec::new();
    for kind in Kind::ALL {
        let mut by_mark: Vec<(Vec<Version>, Vec<IndicatorRow>)> = Vec::new();
        for indicator in &area.indicators {
            let under: Vec<Version> = versions
                .iter()
                .copied()
                .filter(|v| indicator.kind(*v) == Some(kind))
                .collect();
            if under.is_empty() {
                continue;
            }
            let absent_somewhere = versions.iter().any(|v| indicator.kind(*v).is_none());
            let response = inspection.questionnaire.response(&indicator.id);
            let row = IndicatorRow {
                id: indicator.id.clone(),
                text: indicator.text.clone(),
                note: indicator.note.clone().filter(|_| absent_somewhere),
                result: response
                    .map_or("", |r| {
                        if r.serious {
                            "Ej uppfylld – allvarlig brist"
                        } else {
                            r.answer.label()
                        }
                    })
                    .to_string(),
                unmet: response.is_some_and(|r| r.answer.is_unmet()),
                comment: response.and_then(|r| r.comment.clone()),
            };
            match by_mark.iter_mut().find(|(m, _)| *m == under) {
                Some((_, rows)) => rows.push(row),
                None => by_mark.push((under, vec![row])),
            }
        }
        by_mark.sort_by_key(|(m, _)| (m.len() != versions.len(), m.clone()));
        for (mark, indicators) in by_mark {
            let plural = kind == Kind::Kvalitetsindikator && indicators.len() > 1;
            let name = if plural {
                "Kvalitetsindikatorer"
            } else {
                kind.heading()
            };
            let heading = match only_mark(&mark, versions) {
                Some(only) => format!("{name} ({only})"),
                None => name.to_string(),
            };
            groups.push(KindGroup {
                heading,
                indicators,
            });
        }
    }
    groups
}

/// The scale legends of an area: one per distinct scale among the graded versions
/// (the scale depends only on whether allmänna råd apply). Seed 004 shows A–D, or A,
/// B, D without allmänna råd; the E line is added only where the area is graded E.
fn scales(catalog: &Catalog, area: &Area, grading: &AreaGrading) -> Vec<ScaleView> {
    let with_e = graded_e(grading);
    let mut scales: Vec<(bool, ScaleView)> = Vec::new();
    for v in &grading.versions {
        let has_rad = area.has_allmanna_rad(v.version);
        match scales.iter_mut().find(|(rad, _)| *rad == has_rad) {
            Some((_, s)) => s.versions.push(v.version.to_string()),
            None => {
                let lines = catalog
                    .scale_for(has_rad)
                    .into_iter()
                    .filter(|g| with_e || *g != Grade::E)
                    .map(|grade| ScaleLine {
                        grade,
                        text: catalog.grade_text(grade, has_rad).to_string(),
                    })
                    .collect();
                scales.push((
                    has_rad,
                    ScaleView {
                        versions: vec![v.version.to_string()],
                        lines,
                    },
                ));
            }
        }
    }
    scales.into_iter().map(|(_, s)| s).collect()
}

fn area_view(
    catalog: &Catalog,
    inspection: &Inspection,
    area: &Area,
    grading: &AreaGrading,
) -> AreaView {
    let q = &inspection.questionnaire;
    let versions = &q.inspection.regulations;
    let input = q.area(area.id);
    let reasons: Vec<Option<&str>> = grading
        .versions
        .iter()
        .map(|v| v.override_.as_ref().map(|o| o.reason.as_str()))
        .collect();
    let shared_reason = match reasons.as_slice() {
        [Some(first), rest @ ..] if !rest.is_empty() && rest.iter().all(|r| r == &Some(*first)) => {
            Some(first.to_string())
        }
        _ => None,
    };
    let grades = grading
        .versions
        .iter()
        .map(|v| GradeView {
            version: v.version.to_string(),
            base: v.base(),
            computed: v.computed,
            overridden: v.override_.is_some(),
            override_reason: v
                .override_
                .as_ref()
                .map(|o| o.reason.clone())
                .filter(|_| shared_reason.is_none()),
            adjusted: v.adjusted,
            reasons: v.reasons.clone(),
        })
        .collect();
    AreaView {
        id: area.id,
        title: area.title.clone(),
        description: if area.id == DESCRIBED_AREA {
            description(
                q.unit.description.as_deref(),
                q.survey.as_ref().and_then(survey_text),
            )
        } else {
            None
        },
        findings: input.and_then(|i| i.findings.clone()),
        regulation: area.regulation.clone(),
        kinds: kind_groups(area, versions, inspection),
        scales: scales(catalog, area, grading),
        grades,
        override_reason: shared_reason,
        plan_lines: plan_lines(inspection, grading),
    }
}

mod action_plan;
pub mod render;
#[cfg(test)]
mod tests;

pub use action_plan::{PlanItemView, PlanView, RequestArea, RequiredItem};
use action_plan::{plan_lines, plan_view};
