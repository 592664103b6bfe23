//! An inspection begun outside the service (SPEC §8.3): a questionnaire with
//! `action_plan`, uploaded with its plan file, starts at the stage the files have
//! reached, with the plan, the rejections, the follow-up reports and the confirmations
//! taken into the service's own records, and its reports stored as establishing and
//! accepting would have stored them.

use chrono::NaiveDate;
use rusqlite::Transaction;

use super::db;
use super::db::accounts::Account;
use super::db::follow_ups::{self, Answer};
use super::db::plans::{self, Save, SaveKind};
use super::db::{drafts, inspections, log, reports};
use super::error::AppError;
use super::held::{self, Held};
use spur_core::catalog::Catalog;
use spur_core::diagnostic::{self, Source};
use spur_core::questionnaire::Confirmation;
use spur_core::{fonts, inspection, plan};
use spur_cycle::plan_form::Entries;
use spur_cycle::review::{Decision, Verdict};
use spur_cycle::workflow::{self, PlanStatus, Stage, State};

/// What an uploaded questionnaire starts.
#[derive(Debug, Clone)]
pub enum Start {
    /// A draft: the questionnaire has no `action_plan`.
    Draft,
    /// A plan already in: where the files say the inspection stands.
    Imported(Box<Import>),
}

/// A questionnaire with `action_plan` and its plan, checked, as the service keeps them.
#[derive(Debug, Clone)]
pub struct Import {
    /// The plan file, as uploaded.
    pub plan: String,
    /// The stage and the plan's status the files have reached.
    pub at: (Stage, PlanStatus),
    /// The day the plan came in.
    pub received: NaiveDate,
    /// The inspectors' decisions, once the plan was reviewed.
    pub decisions: Vec<Decision>,
    /// The unit's follow-up reports, oldest first, by indicator.
    pub reports: Vec<(String, plan::Report)>,
    /// The actions confirmed as carried out.
    pub confirmed: Vec<Confirmation>,
}

/// Checks an uploaded questionnaire (`name`) and, when it has `action_plan`, the plan
/// file beside it as `spur check` does with both; the problems as `spur check` prints
/// them, or what the upload starts.
pub fn check(text: &str, name: &str, plan: Option<(&str, &str)>) -> Result<Start, String> {
    let catalog = Catalog::embedded();
    let source = Source::new(name.to_string(), text.to_string());
    let (q, grading) = inspection::questionnaire(catalog, &source, &fonts::can_show)
        .map_err(|problems| diagnostic::render_all(&problems))?;
    let (reference, plan) = match (&q.action_plan, plan) {
        (None, None) => return Ok(Start::Draft),
        (None, Some(_)) => {
            return Err("En handlingsplan laddas upp bara med ett frågeformulär som säger att planen har kommit in. Ta bort handlingsplanen, eller lägg till när den kom in i frågeformuläret.".into());
        }
        (Some(reference), None) => {
            return Err(format!(
                "Frågeformuläret säger att handlingsplanen har kommit in, så den ({}) behövs också: välj den under ”Handlingsplan” och ladda upp igen.",
                reference.file
            ));
        }
        (Some(reference), Some(plan)) => (reference.clone(), plan),
    };
    let (plan_name, plan_text) = plan;
    let plan_source = Source::new(plan_name.to_string(), plan_text.to_string());
    let assessed = inspection::assess(catalog, (q, grading), Some(&plan_source), &fonts::can_show)
        .map_err(|problems| diagnostic::render_all(&problems))?;
    let items = assessed.plan.map(|p| p.items).unwrap_or_default();
    let reports: Vec<(String, plan::Report)> = items
        .iter()
        .flat_map(|i| i.reports.iter().map(|r| (i.indicator.clone(), r.clone())))
        .collect();
    let at = workflow::imported(
        reference.rejected.len(),
        !reports.is_empty() || !reference.confirmed.is_empty(),
        reference.confirmed.len(),
        items.len(),
    );
    let decisions = match at.1 {
        PlanStatus::Submitted | PlanStatus::Open => Vec::new(),
        PlanStatus::Returned | PlanStatus::Accepted => items
            .iter()
            .map(|i| {
                let rejected = reference
                    .rejected
                    .iter()
                    .find(|r| r.indicator == i.indicator);
                Decision {
                    indicator: i.indicator.clone(),
                    verdict: if rejected.is_some() {
                        Verdict::Reject
                    } else {
                        Verdict::Accept
                    },
                    reason: rejected.map(|r| r.reason.clone()).unwrap_or_default(),
                }
            })
            .collect(),
    };
    Ok(Start::Imported(Box::new(Import {
        plan: plan_text.to_string(),
        at,
        received: reference.received,
        decisions,
        reports,
        confirmed: reference.confirmed,
    })))
}

/// The inspection as it stood when its report was established (`text` is its
/// questionnaire), for the established report.
pub fn established(text: &str) -> Held {
    Held {
        id: 0,
        questionnaire: text.to_string(),
        state: State {
            stage: Stage::Established,
            ..State::new()
        },
        latest_plan: None,
        latest_entries: Entries::new(),
        submitted_plan: None,
        submitted_entries: Entries::new(),
        decisions: Vec::new(),
        reports: Vec::new(),
        answers: Vec::new(),
    }
}

/// The inspection as it stood when its plan was accepted, for the final report; none
/// when the files show no acceptance.
pub fn accepted(text: &str, import: &Import) -> db::Result<Option<Held>> {
    if import.at.1 != PlanStatus::Accepted {
        return Ok(None);
    }
    let entries = held::entries(&import.plan)?;
    let save = Save {
        id: 0,
        text: Some(import.plan.clone()),
        entries: None,
        saved: String::new(),
    };
    let submitted = held::Submitted {
        id: 0,
        text: import.plan.clone(),
    };
    Ok(Some(Held {
        id: 0,
        questionnaire: text.to_string(),
        state: State {
            stage: Stage::FollowUp,
            plan: PlanStatus::Accepted,
            plan_version: Some(0),
            submitted: Some(0),
            received: Some(import.received),
        },
        latest_plan: Some(save),
        latest_entries: entries.clone(),
        submitted_plan: Some(submitted),
        submitted_entries: entries,
        decisions: import.decisions.clone(),
        reports: Vec::new(),
        answers: Vec::new(),
    }))
}

/// Creates the inspection of `import` in one transaction: the questionnaire as
/// uploaded, the plan as submitted, the stage the files have reached (kept as a change
/// with who and why), the decisions, reports and confirmations, and the reports
/// rendered beforehand.
pub fn store(
    tx: &Transaction,
    account: &Account,
    text: &str,
    import: &Import,
    established: &[u8],
    accepted: Option<&[u8]>,
) -> Result<i64, AppError> {
    let who = account.email.as_str();
    let id = inspections::create(tx, account)?;
    inspections::add_questionnaire(tx, id, text, who)?;
    let questionnaire = drafts::latest(tx, id)?.id;
    log::record(
        tx,
        who,
        "skapade granskningen med en handlingsplan",
        Some(id),
    )?;
    let kept = plans::Kept {
        entries: None,
        text: Some(&import.plan),
    };
    let plan = plans::insert(tx, id, &kept, None, SaveKind::Submitted, who)?;
    let (stage, status) = import.at;
    let new = State {
        stage,
        plan: status,
        plan_version: Some(plan),
        submitted: Some(plan),
        received: Some(import.received),
    };
    let old = inspections::state(tx, id)?;
    let why = "Inläst från filerna: frågeformulär och handlingsplan.";
    inspections::set_state(tx, id, &old, &new, who, why)?;
    if !import.decisions.is_empty() {
        plans::review(tx, id, plan, &import.decisions, who)?;
    }
    for (indicator, report) in &import.reports {
        follow_ups::report(tx, id, indicator, report)?;
    }
    let today = super::today();
    for c in &import.confirmed {
        let answer = Answer::Confirmed(c.date);
        follow_ups::answer(tx, id, &c.indicator, &answer, today, who)?;
    }
    reports::store(
        tx,
        id,
        reports::Kind::Established,
        questionnaire,
        established,
        who,
    )?;
    if let Some(pdf) = accepted {
        reports::store(tx, id, reports::Kind::Final, questionnaire, pdf, who)?;
    }
    Ok(id)
}
