//! Follow-up of action plans across inspections: what is due, what is late.

use chrono::NaiveDate;
use serde::Serialize;

use spur_core::catalog::Catalog;
use spur_core::inspection::Inspection;
use spur_core::plan::{PlanItem, Progress};

/// Everything to follow up on a given day.
#[derive(Debug, Serialize)]
pub struct Followups {
    /// The day the list was made for.
    pub today: NaiveDate,
    /// Units whose plan is overdue: `plan_due` has passed and no plan has come in.
    pub plans_overdue: Vec<PlanOverdue>,
    /// Planned actions of inspections not closed, overdue first, then by deadline.
    pub items: Vec<FollowupItem>,
    /// Inspections closed: every planned action confirmed as carried out.
    pub closed: Vec<Closed>,
}

/// A unit that has not sent its plan in time.
#[derive(Debug, Serialize)]
pub struct PlanOverdue {
    /// The unit.
    pub unit: String,
    /// The questionnaire it comes from.
    pub file: String,
    /// When the plan was due.
    pub plan_due: NaiveDate,
}

/// One planned action to follow up.
#[derive(Debug, Serialize)]
pub struct FollowupItem {
    /// The unit.
    pub unit: String,
    /// The questionnaire it comes from.
    pub file: String,
    /// The indicator's wording.
    pub text: String,
    /// Whether the deadline passed without a `done` report, or the follow-up date
    /// without the inspectors' confirmation.
    pub overdue: bool,
    /// The day the inspectors confirmed the action as carried out, if they have.
    pub confirmed: Option<NaiveDate>,
    /// The action as planned.
    #[serde(flatten)]
    pub action: PlanItem,
}

/// An inspection whose every planned action the inspectors confirmed: Avslutad.
#[derive(Debug, Clone, Serialize)]
pub struct Closed {
    /// The unit's name.
    pub unit: String,
    /// The questionnaire's file.
    pub file: String,
    /// The day the last action was confirmed.
    pub last_confirmed: NaiveDate,
}

/// Collects the follow-ups of the given inspections (with the file each came from).
pub fn collect(
    catalog: &Catalog,
    inspections: &[(String, Inspection)],
    today: NaiveDate,
) -> Followups {
    let mut plans_overdue = Vec::new();
    let mut items = Vec::new();
    let mut closed = Vec::new();
    for (file, inspection) in inspections {
        let q = &inspection.questionnaire;
        let Some(plan) = &inspection.plan else {
            if let Some(due) = q.inspection.plan_due.filter(|d| *d < today)
                && !inspection.grading.required_items().is_empty()
            {
                plans_overdue.push(PlanOverdue {
                    unit: q.unit.name.clone(),
                    file: file.clone(),
                    plan_due: due,
                });
            }
            continue;
        };
        let confirmations = q.action_plan.iter().flat_map(|p| &p.confirmed);
        let confirmed_on = |indicator: &str| {
            confirmations
                .clone()
                .find(|c| c.indicator == indicator)
                .map(|c| c.date)
        };
        let days: Option<Vec<NaiveDate>> = plan
            .items
            .iter()
            .map(|i| confirmed_on(&i.indicator))
            .collect();
        if let Some(last) = days.and_then(|d| d.into_iter().max()) {
            closed.push(Closed {
                unit: q.unit.name.clone(),
                file: file.clone(),
                last_confirmed: last,
            });
            continue;
        }
        for item in &plan.items {
            let confirmed = confirmed_on(&item.indicator);
            items.push(FollowupItem {
                unit: q.unit.name.clone(),
                file: file.clone(),
                text: catalog
                    .indicator(&item.indicator)
                    .map_or(String::new(), |i| i.text.clone()),
                overdue: overdue(item, confirmed, today),
                confirmed,
                action: item.clone(),
            });
        }
    }
    plans_overdue.sort_by(|a, b| (a.plan_due, &a.unit).cmp(&(b.plan_due, &b.unit)));
    items.sort_by(|a, b| order(a).cmp(&order(b)));
    closed.sort_by(|a, b| (a.last_confirmed, &a.unit).cmp(&(b.last_confirmed, &b.unit)));
    Followups {
        today,
        plans_overdue,
        items,
        closed,
    }
}

/// Whether an action is late on `today` (SPEC §5): its deadline passed without a
/// `done` report, or its follow-up date without the inspectors' confirmation.
fn overdue(item: &PlanItem, confirmed: Option<NaiveDate>, today: NaiveDate) -> bool {
    if confirmed.is_some() {
        return false;
    }
    let done = item.latest().is_some_and(|r| r.status == Progress::Done);
    (item.deadline < today && !done) || item.follow_up < today
}

/// Overdue first, then by deadline, unit and indicator.
fn order(i: &FollowupItem) -> (bool, NaiveDate, &str, Option<char>, u32) {
    let id = &i.action.indicator;
    (
        !i.overdue,
        i.action.deadline,
        &i.unit,
        id.chars().next(),
        spur_core::grading::indicator_number(id),
    )
}

/// The list as text for a terminal.
pub fn text(followups: &Followups) -> String {
    let mut out = format!("Uppföljning av handlingsplaner per {}\n", followups.today);
    if !followups.plans_overdue.is_empty() {
        out.push_str("\nHANDLINGSPLAN SAKNAS\n");
        for p in &followups.plans_overdue {
            out.push_str(&format!(
                "  ! {}: handlingsplanen skulle ha kommit in senast {} ({})\n",
                p.unit, p.plan_due, p.file
            ));
        }
    }
    // Late, coming, confirmed: the section an item is listed in.
    let section = |i: &FollowupItem| match (i.overdue, i.confirmed) {
        (true, _) => 0,
        (false, None) => 1,
        (false, Some(_)) => 2,
    };
    let titles = [
        "FÖRSENADE ÅTGÄRDER",
        "KOMMANDE ÅTGÄRDER",
        "BEKRÄFTADE ÅTGÄRDER",
    ];
    for (n, title) in titles.into_iter().enumerate() {
        let items: Vec<&FollowupItem> =
            followups.items.iter().filter(|i| section(i) == n).collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}\n"));
        for item in items {
            let i = &item.action;
            let mark = if item.overdue { "!" } else { " " };
            let note =
                |n: &Option<String>| n.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
            out.push_str(&format!(
                "{mark} {}  {}  {}: {}\n",
                i.deadline, item.unit, i.indicator, item.text
            ));
            out.push_str(&format!(
                "    Genomförs senast {}{}, ansvarig: {}\n",
                i.deadline,
                note(&i.deadline_note),
                i.responsible
            ));
            out.push_str(&format!(
                "    Uppföljning {}{}, ansvarig: {}\n",
                i.follow_up,
                note(&i.follow_up_note),
                i.follow_up_responsible
            ));
            if let Some(report) = i.latest() {
                let text = report.text.replace('\n', "\n      ");
                out.push_str(&format!(
                    "    Senaste rapport {}: {}. {text}\n",
                    report.date,
                    report.status.label()
                ));
            }
            if let Some(day) = item.confirmed {
                out.push_str(&format!("    Bekräftad av granskarna {day}\n"));
            }
        }
    }
    if !followups.closed.is_empty() {
        out.push_str("\nAVSLUTADE GRANSKNINGAR\n");
        for c in &followups.closed {
            out.push_str(&format!(
                "  {}: avslutad, varje åtgärd bekräftad som genomförd, den sista {} ({})\n",
                c.unit, c.last_confirmed, c.file
            ));
        }
    }
    if followups.items.is_empty() && followups.plans_overdue.is_empty() {
        out.push_str("\nInga åtgärder att följa upp.\n");
    }
    out
}
