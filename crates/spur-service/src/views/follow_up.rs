//! The page models of the follow-up (SPEC §5, §8.5): each accepted action with the
//! unit's latest report and the inspectors' answer, for the unit and the inspectors.

use serde::Serialize;

use super::editor::Choice;
use crate::db::follow_ups::Answer;
use crate::held::Held;
use spur_core::catalog::Catalog;
use spur_core::plan::{Plan, Progress};

/// One accepted action in the follow-up.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// The indicator.
    pub indicator: String,
    /// The indicator's text.
    pub text: String,
    /// Planerad åtgärd.
    pub action: String,
    /// When it is to be done.
    pub deadline: String,
    /// When it is followed up.
    pub follow_up: String,
    /// The unit's reports, oldest first: date, status, text.
    pub reports: Vec<ReportView>,
    /// The day the inspectors confirmed it, if they have.
    pub confirmed: Option<String>,
    /// What the inspectors asked for more, if that is their latest answer.
    pub more: Option<String>,
    /// The report typed on the page but not sent, given back: its status key and text.
    pub typed: Typed,
    /// Whether the unit's latest report says it is done: only then can it be confirmed.
    pub latest_done: bool,
}

/// A report typed on the unit's page and not sent yet.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Typed {
    /// `done`, `ongoing` or empty.
    pub status: String,
    /// The text, as typed.
    pub text: String,
}

/// One report as the pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// Its day.
    pub date: String,
    /// Genomförd or Pågår.
    pub status: &'static str,
    /// The unit's text, as typed.
    pub text: String,
}

/// The unit's follow-up page.
#[derive(Debug, Clone, Serialize)]
pub struct UnitFollowUpPage {
    /// The link's token, for the forms' addresses.
    pub token: String,
    /// The link's CSRF token.
    pub csrf: String,
    /// The unit's name.
    pub unit: String,
    /// Whether reports may be made now.
    pub open: bool,
    /// The actions, in the plan's order.
    pub actions: Vec<Action>,
    /// The two statuses, for each form.
    pub statuses: Vec<Choice>,
    /// A report not kept, and why.
    pub problem: Option<NotKept>,
    /// What was just sent, while other reports typed on the page wait to be sent.
    pub sent: Option<String>,
    /// What the unit's last action did, when the page follows one.
    pub confirmation: Option<&'static str>,
}

/// A report not kept: the action it was for, and why.
#[derive(Debug, Clone, Serialize)]
pub struct NotKept {
    /// The action's indicator.
    pub indicator: String,
    /// Why.
    pub why: String,
}

/// The actions of the accepted `plan` as `held` follows them up.
pub fn actions(catalog: &Catalog, held: &Held, plan: &Plan) -> Vec<Action> {
    plan.items
        .iter()
        .map(|item| {
            let answer = held
                .answers
                .iter()
                .find(|(i, _)| *i == item.indicator)
                .map(|(_, a)| a);
            Action {
                indicator: item.indicator.clone(),
                text: catalog
                    .indicator(&item.indicator)
                    .map_or(String::new(), |i| i.text.clone()),
                action: item.action.clone(),
                deadline: item.deadline.to_string(),
                follow_up: item.follow_up.to_string(),
                reports: item
                    .reports
                    .iter()
                    .map(|r| ReportView {
                        date: r.date.to_string(),
                        status: r.status.label(),
                        text: r.text.clone(),
                    })
                    .collect(),
                confirmed: match answer {
                    Some(Answer::Confirmed(day)) => Some(day.to_string()),
                    _ => None,
                },
                more: match answer {
                    Some(Answer::More(reason)) => Some(reason.clone()),
                    _ => None,
                },
                typed: Typed::default(),
                latest_done: item
                    .reports
                    .last()
                    .is_some_and(|r| r.status == Progress::Done),
            }
        })
        .collect()
}

/// The statuses a report may have, for its form.
pub fn statuses() -> Vec<Choice> {
    Progress::ALL
        .into_iter()
        .map(|p| Choice {
            value: p.key().into(),
            label: p.label().into(),
            checked: false,
        })
        .collect()
}
