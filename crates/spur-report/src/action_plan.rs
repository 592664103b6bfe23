//! The report's HANDLINGSPLAN: before the plan, what the unit is asked to act on; after
//! it, the actions as the unit wrote them; and the sentence on each area's grade that
//! says what the plan did.

use serde::Serialize;

use super::{graded_e, only_mark, shown_date, swedish_date};
use spur_core::catalog::{Catalog, Version};
use spur_core::grading::{AreaGrading, PlanEffect, VersionGrading};
use spur_core::inspection::Inspection;
use spur_core::plan::{self, PlanItem};

/// HANDLINGSPLAN.
#[derive(Debug, Serialize)]
pub struct PlanView {
    /// Whether the unit's plan has come in.
    pub received: Option<String>,
    /// Before the plan has come in: per area, what needs action.
    pub request: Vec<RequestArea>,
    /// Whether any item of the request is required (not only recommended).
    pub any_required: bool,
    /// The planned actions, once the plan has come in.
    pub items: Vec<PlanItemView>,
    /// Required items the plan does not cover.
    pub missing: Vec<RequiredItem>,
}

/// One area's items in the request for an action plan.
#[derive(Debug, Serialize)]
pub struct RequestArea {
    /// The area's letter.
    pub area: char,
    /// The area's title.
    pub area_title: String,
    /// Whether the area is graded E: immediate action is required.
    pub urgent: bool,
    /// Unmet föreskrifter: action required.
    pub required: Vec<RequiredItem>,
    /// Unmet allmänna råd: action recommended.
    pub recommended: Vec<RequiredItem>,
}

/// An item that needs, or is recommended, a planned action.
#[derive(Debug, Clone, Serialize)]
pub struct RequiredItem {
    /// The area's letter.
    pub area: char,
    /// The area's title.
    pub area_title: String,
    /// Indicator id.
    pub id: String,
    /// Wording.
    pub text: String,
    /// "endast 2021" where the item is required under some graded versions only.
    pub only: Option<String>,
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
    /// Whether the entry answers an unmet allmänt råd: recommended, not required.
    pub recommended: bool,
    /// Why the inspectors did not accept the entry.
    pub rejected: Option<String>,
    /// "Datum när åtgärden ska vara genomförd" as the unit wrote it.
    pub deadline_shown: String,
    /// "Datum för uppföljning" as the unit wrote it.
    pub follow_up_shown: String,
    /// The action as the unit planned it.
    #[serde(flatten)]
    pub action: PlanItem,
}

/// The sentence(s) on how the action plan affected an area, one per version unless
/// they agree.
pub(super) fn plan_lines(inspection: &Inspection, grading: &AreaGrading) -> Vec<String> {
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
            parts.push(format!("Åtgärd inte godkänd för {}.", rejected.join(", ")));
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

/// The HANDLINGSPLAN section: the request for a plan, or the plan as it came in.
pub(super) fn plan_view(catalog: &Catalog, inspection: &Inspection) -> PlanView {
    let q = &inspection.questionnaire;
    let versions = &q.inspection.regulations;
    let item = |id: &String| {
        let area = catalog.area_of(id)?;
        let indicator = area.indicator(id)?;
        let under: Vec<Version> = inspection
            .grading
            .area(area.id)?
            .versions
            .iter()
            .filter(|v| v.required.contains(id))
            .map(|v| v.version)
            .collect();
        Some(RequiredItem {
            area: area.id,
            area_title: area.title.clone(),
            id: id.clone(),
            text: indicator.text.clone(),
            only: if under.is_empty() {
                None
            } else {
                only_mark(&under, versions)
            },
            comment: q.response(id).and_then(|r| r.comment.clone()),
        })
    };
    let required: Vec<String> = inspection.grading.required_items();
    let recommended = plan::recommended_items(catalog, q, &inspection.grading);
    let Some(plan) = &inspection.plan else {
        let required: Vec<RequiredItem> = required.iter().filter_map(item).collect();
        let recommended: Vec<RequiredItem> = recommended.iter().filter_map(item).collect();
        let request = catalog
            .areas
            .iter()
            .filter_map(|area| {
                let mine = |items: &[RequiredItem]| -> Vec<RequiredItem> {
                    items
                        .iter()
                        .filter(|i| i.area == area.id)
                        .cloned()
                        .collect()
                };
                let (required, recommended) = (mine(&required), mine(&recommended));
                if required.is_empty() && recommended.is_empty() {
                    return None;
                }
                Some(RequestArea {
                    area: area.id,
                    area_title: area.title.clone(),
                    urgent: inspection.grading.area(area.id).is_some_and(graded_e),
                    required,
                    recommended,
                })
            })
            .collect();
        return PlanView {
            received: None,
            request,
            any_required: !required.is_empty(),
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
        .filter_map(|entry| {
            let area = catalog.area_of(&entry.indicator)?;
            Some(PlanItemView {
                area: area.id,
                area_title: area.title.clone(),
                text: area.indicator(&entry.indicator)?.text.clone(),
                recommended: !required.contains(&entry.indicator),
                rejected: rejected(&entry.indicator),
                deadline_shown: shown_date(entry.deadline, entry.deadline_note.as_deref()),
                follow_up_shown: shown_date(entry.follow_up, entry.follow_up_note.as_deref()),
                action: entry.clone(),
            })
        })
        .collect();
    items.sort_by_key(|i| {
        (
            i.area,
            spur_core::grading::indicator_number(&i.action.indicator),
        )
    });
    let missing = required
        .iter()
        .filter(|id| plan.item(id).is_none())
        .filter_map(item)
        .collect();
    PlanView {
        received: q.action_plan.as_ref().map(|r| swedish_date(r.received)),
        request: Vec::new(),
        any_required: !required.is_empty(),
        items,
        missing,
    }
}
