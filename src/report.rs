//! The report model: everything the PDF shows, built first and handed whole to the
//! Typst template as data (never as markup), in the manner of zola's content model.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::catalog::{Area, Catalog, Grade, Group, Kind, Version};
use crate::grading::{AreaGrading, PlanEffect, VersionGrading};
use crate::load::Inspection;
use crate::plan::PlanItem;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Marked UTKAST on every page.
    pub draft: bool,
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
    /// "Verksamheten".
    pub description: Option<String>,
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
    /// The inspectors' free text.
    pub findings: Option<String>,
    /// The föreskrift quoted at the top.
    pub regulation: String,
    /// Indicators grouped by kind, each group with its heading.
    pub kinds: Vec<KindGroup>,
    /// Indicators not assessed, with their text.
    pub not_assessed: Vec<IndicatorRef>,
    /// The scale legend, one per distinct scale among the versions.
    pub scales: Vec<ScaleView>,
    /// The grade per version.
    pub grades: Vec<GradeView>,
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

/// An indicator named with its text.
#[derive(Debug, Serialize)]
pub struct IndicatorRef {
    /// Id.
    pub id: String,
    /// Wording.
    pub text: String,
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
    /// Why the inspectors set another grade.
    pub override_reason: Option<String>,
    /// The grade after the action plan.
    pub adjusted: Option<Grade>,
    /// The sentences explaining the computed grade.
    pub reasons: Vec<String>,
}

/// HANDLINGSPLAN.
#[derive(Debug, Serialize)]
pub struct PlanView {
    /// Whether the unit's plan has come in.
    pub received: Option<String>,
    /// The items that need a planned action, before the plan has come in.
    pub required: Vec<RequiredItem>,
    /// The planned actions, once the plan has come in.
    pub items: Vec<PlanItemView>,
    /// Required items the plan does not cover.
    pub missing: Vec<RequiredItem>,
}

/// An item that needs a planned action.
#[derive(Debug, Serialize)]
pub struct RequiredItem {
    /// The area's letter.
    pub area: char,
    /// The area's title.
    pub area_title: String,
    /// Indicator id.
    pub id: String,
    /// Wording.
    pub text: String,
    /// The inspectors' comment.
    pub comment: Option<String>,
}

/// A planned action as seed 004 prints it.
#[derive(Debug, Serialize)]
pub struct PlanItemView {
    /// The area's letter.
    pub area: char,
    /// The area's title.
    pub area_title: String,
    /// The indicator's wording.
    pub text: String,
    /// Why the inspectors did not accept the entry.
    pub rejected: Option<String>,
    /// The action as the unit planned it.
    #[serde(flatten)]
    pub action: PlanItem,
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date as Swedish prose: "12 februari 2025".
pub fn swedish_date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// Builds the report of a graded inspection.
pub fn build(catalog: &Catalog, inspection: &Inspection, draft: bool) -> Report {
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
        draft,
        title: format!("Granskningsrapport ST-SPUR: {}", q.unit.name),
        date: {
            let d = q.inspection.report_date.unwrap_or(q.inspection.date);
            [d.year().max(0) as u32, d.month(), d.day()]
        },
        unit: UnitView {
            name: q.unit.name.clone(),
            organisation: q.unit.organisation.clone(),
            specialty: q.unit.specialty.clone(),
            description: q.unit.description.clone(),
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
        groups,
        plan: plan_view(catalog, inspection),
    }
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
            let response = inspection.questionnaire.response(&indicator.id);
            let row = IndicatorRow {
                id: indicator.id.clone(),
                text: indicator.text.clone(),
                note: indicator.note.clone(),
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
            let mut heading = if plural {
                "Kvalitetsindikatorer".to_string()
            } else {
                kind.heading().to_string()
            };
            if mark.len() < versions.len() {
                let years: Vec<String> = mark.iter().map(Version::to_string).collect();
                heading = format!("{heading} (endast {})", years.join(", "));
            }
            groups.push(KindGroup {
                heading,
                indicators,
            });
        }
    }
    groups
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
    // The scale depends only on whether allmänna råd apply: one legend per answer.
    let mut scales: Vec<(bool, ScaleView)> = Vec::new();
    for v in versions {
        let has_rad = area.has_allmanna_rad(*v);
        match scales.iter_mut().find(|(rad, _)| *rad == has_rad) {
            Some((_, s)) => s.versions.push(v.to_string()),
            None => {
                let lines = catalog
                    .scale_for(has_rad)
                    .into_iter()
                    .map(|grade| ScaleLine {
                        grade,
                        text: catalog.grade_text(grade, has_rad).to_string(),
                    })
                    .collect();
                scales.push((
                    has_rad,
                    ScaleView {
                        versions: vec![v.to_string()],
                        lines,
                    },
                ));
            }
        }
    }
    let grades = grading
        .versions
        .iter()
        .map(|v| GradeView {
            version: v.version.to_string(),
            base: v.base(),
            computed: v.computed,
            override_reason: v.override_.as_ref().map(|o| o.reason.clone()),
            adjusted: v.adjusted,
            reasons: v.reasons.clone(),
        })
        .collect();
    AreaView {
        id: area.id,
        title: area.title.clone(),
        findings: input.and_then(|i| i.findings.clone()),
        regulation: area.regulation.clone(),
        kinds: kind_groups(area, versions, inspection),
        not_assessed: grading
            .not_assessed
            .iter()
            .filter_map(|id| area.indicator(id))
            .map(|i| IndicatorRef {
                id: i.id.clone(),
                text: i.text.clone(),
            })
            .collect(),
        scales: scales.into_iter().map(|(_, s)| s).collect(),
        grades,
        plan_lines: plan_lines(inspection, grading),
    }
}

/// The sentence(s) on how the action plan affected an area, one per version unless
/// they agree.
fn plan_lines(inspection: &Inspection, grading: &AreaGrading) -> Vec<String> {
    if inspection.plan.is_none() {
        return Vec::new();
    }
    let line = |v: &VersionGrading| -> Option<String> {
        let (missing, rejected) = match v.plan_effect()? {
            PlanEffect::Adjusted(grade) => {
                return Some(format!(
                    "Handlingsplan inkommen. Gradering justerad till {grade}."
                ));
            }
            PlanEffect::Kept { missing, rejected } => (missing, rejected),
        };
        let mut parts = vec!["Handlingsplan inkommen.".to_string()];
        if !missing.is_empty() {
            parts.push(format!("Åtgärd saknas för {}.", missing.join(", ")));
        }
        if !rejected.is_empty() {
            parts.push(format!("Åtgärd inte godtagen för {}.", rejected.join(", ")));
        }
        if missing.is_empty() && rejected.is_empty() {
            parts.push("Området saknar C i graderingsskalan, så graderingen kvarstår.".into());
        }
        Some(parts.join(" "))
    };
    let lines: Vec<(Version, String)> = grading
        .versions
        .iter()
        .filter_map(|v| line(v).map(|l| (v.version, l)))
        .collect();
    let all_same =
        lines.len() == grading.versions.len() && lines.windows(2).all(|w| w[0].1 == w[1].1);
    if all_same {
        lines.into_iter().take(1).map(|(_, l)| l).collect()
    } else {
        lines
            .into_iter()
            .map(|(v, l)| format!("{v}: {l}"))
            .collect()
    }
}

fn plan_view(catalog: &Catalog, inspection: &Inspection) -> PlanView {
    let q = &inspection.questionnaire;
    let required_item = |id: &String| {
        let area = catalog.area_of(id)?;
        let indicator = area.indicator(id)?;
        Some(RequiredItem {
            area: area.id,
            area_title: area.title.clone(),
            id: id.clone(),
            text: indicator.text.clone(),
            comment: q.response(id).and_then(|r| r.comment.clone()),
        })
    };
    let required: Vec<String> = inspection.grading.required_items();
    let Some(plan) = &inspection.plan else {
        return PlanView {
            received: None,
            required: required.iter().filter_map(required_item).collect(),
            items: Vec::new(),
            missing: Vec::new(),
        };
    };
    let rejected = |id: &str| {
        q.action_plan
            .iter()
            .flat_map(|r| &r.rejected)
            .find(|r| r.indicator == id)
            .map(|r| r.reason.clone())
    };
    let mut items: Vec<PlanItemView> = plan
        .items
        .iter()
        .filter_map(|item| {
            let area = catalog.area_of(&item.indicator)?;
            Some(PlanItemView {
                area: area.id,
                area_title: area.title.clone(),
                text: area.indicator(&item.indicator)?.text.clone(),
                rejected: rejected(&item.indicator),
                action: item.clone(),
            })
        })
        .collect();
    items.sort_by_key(|i| {
        (
            i.area,
            crate::grading::indicator_number(&i.action.indicator),
        )
    });
    let missing = required
        .iter()
        .filter(|id| plan.item(id).is_none())
        .filter_map(required_item)
        .collect();
    PlanView {
        received: q.action_plan.as_ref().map(|r| swedish_date(r.received)),
        required: Vec::new(),
        items,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::grade;
    use crate::questionnaire::tests::{parse_text, questionnaire_text};

    fn report(regulations: &str, answers: &[(&str, &str)]) -> Report {
        let q = parse_text(&questionnaire_text(regulations, answers, "")).unwrap();
        let grading = grade(Catalog::embedded(), &q, None);
        let inspection = Inspection {
            questionnaire: q,
            plan: None,
            grading,
            warnings: Vec::new(),
        };
        build(Catalog::embedded(), &inspection, false)
    }

    fn area(r: &Report, id: char) -> &AreaView {
        r.groups
            .iter()
            .flat_map(|g| &g.areas)
            .find(|a| a.id == id)
            .unwrap()
    }

    fn headings(r: &Report, id: char) -> Vec<&str> {
        area(r, id)
            .kinds
            .iter()
            .map(|k| k.heading.as_str())
            .collect()
    }

    #[test]
    fn indicators_are_grouped_by_kind_with_version_marks() {
        let r = report("[2015, 2021]", &[]);
        assert_eq!(
            headings(&r, 'E'),
            vec![
                "Föreskrift",
                "Föreskrift (endast 2021)",
                "Allmänna råd",
                "Allmänna råd (endast 2015)",
                "Kvalitetsindikatorer"
            ]
        );
        let only_2021: Vec<&str> = area(&r, 'E').kinds[1]
            .indicators
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(only_2021, vec!["E6", "E7"]);
        assert_eq!(
            headings(&r, 'G'),
            vec![
                "Föreskrift",
                "Föreskrift (endast 2015)",
                "Allmänna råd",
                "Kvalitetsindikatorer",
                "Kvalitetsindikator (endast 2021)"
            ]
        );
    }

    #[test]
    fn a_single_version_report_has_no_marks_and_omits_what_does_not_apply() {
        let r = report("[2021]", &[]);
        let g = area(&r, 'G');
        assert!(g.kinds.iter().all(|k| !k.heading.contains("endast")));
        assert!(
            g.kinds
                .iter()
                .flat_map(|k| &k.indicators)
                .all(|i| i.id != "G5")
        );
    }

    #[test]
    fn the_scale_has_no_c_without_allmanna_rad() {
        let r = report("[2015, 2021]", &[("A1", "{answer: no, serious: true}")]);
        let a = area(&r, 'A');
        assert_eq!(a.scales.len(), 1);
        assert_eq!(a.scales[0].versions, vec!["2015", "2021"]);
        let grades: Vec<Grade> = a.scales[0].lines.iter().map(|l| l.grade).collect();
        assert_eq!(grades, vec![Grade::A, Grade::B, Grade::D, Grade::E]);
        let d: Vec<Grade> = area(&r, 'D').scales[0]
            .lines
            .iter()
            .map(|l| l.grade)
            .collect();
        assert_eq!(d, Grade::ALL.to_vec());
    }

    #[test]
    fn before_a_plan_the_required_items_are_listed() {
        let r = report("[2015, 2021]", &[("H9", "no"), ("D6", "partly")]);
        let ids: Vec<&str> = r.plan.required.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, vec!["D6", "H9"]);
        assert!(r.plan.received.is_none());
        assert_eq!(
            area(&r, 'D').kinds[0].indicators[5].result,
            "Delvis uppfylld"
        );
    }

    #[test]
    fn dates_are_written_in_swedish() {
        assert_eq!(
            swedish_date(NaiveDate::from_ymd_opt(2025, 2, 12).unwrap()),
            "12 februari 2025"
        );
    }
}
