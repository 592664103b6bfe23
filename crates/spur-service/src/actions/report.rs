//! Establishing the report: dated and rendered before the transaction, stored with the change of stage; and the final report once the plan is accepted.

use chrono::NaiveDate;
use rusqlite::Transaction;

use super::change;
use crate::db::{drafts, fact_checks, inspections, reports};
use crate::error::AppError;
use crate::held::{self, Held};
use crate::mail::{self, Named};
use spur_core::catalog::Catalog;
use spur_cycle::draft::Draft;
use spur_cycle::workflow::{self, Command, Refusal};

/// What establishing the report is made from, prepared outside the transaction: the
/// inspection as it will be — the questionnaire dated (`report_date` today when empty,
/// `plan_due` eight weeks on when anything is required and none is set) — and the
/// questionnaire version it was made from.
#[derive(Debug, Clone)]
pub struct Establishing {
    /// The version the report is made from; establishing is refused if another came.
    based_on: i64,
    /// The dated questionnaire, when dating changed it: its file and draft.
    dated: Option<(String, Draft)>,
    /// Whether the report requires any action of the unit.
    anything_required: bool,
    /// The inspection as established, for its report.
    pub held: Held,
}

/// Prepares establishing the report, refusing first if the workflow would.
pub fn prepare_establish(
    c: &rusqlite::Connection,
    id: i64,
    today: NaiveDate,
) -> Result<Establishing, AppError> {
    let latest = drafts::latest(c, id)?;
    let mut held = held::load(c, id)?;
    let inspection = held.assess().map_err(|_| AppError::Unfinished(id))?;
    let anything_required = !inspection.grading.required_items().is_empty();
    let command = Command::Establish {
        anything_required,
        fact_check: fact_checks::readiness(c, id, today)?,
    };
    held.state = workflow::apply(&held.state, &command)?;
    let mut q = inspection.questionnaire.clone();
    q.action_plan = None;
    let undated = q.clone();
    q.inspection.report_date = q.inspection.report_date.or(Some(today));
    if anything_required {
        let due = q
            .inspection
            .plan_due
            .unwrap_or(workflow::default_plan_due(today));
        q.inspection.plan_due = Some(due);
    }
    let dated = (q != undated).then(|| {
        let draft = Draft::from(&q);
        (
            spur_cycle::draft::file::draft(Catalog::embedded(), &draft).text,
            draft,
        )
    });
    if let Some((text, _)) = &dated {
        held.questionnaire = text.clone();
    }
    Ok(Establishing {
        based_on: latest.id,
        dated,
        anything_required,
        held,
    })
}

/// Establishes the report as `prepared`, storing `pdf`, its report: the plan stage
/// begins, or the inspection closes when nothing is asked of the unit.
pub fn establish(
    tx: &Transaction,
    id: i64,
    who: &str,
    today: NaiveDate,
    prepared: &Establishing,
    pdf: &[u8],
    named: &Named,
) -> Result<(), AppError> {
    let latest = drafts::latest(tx, id)?;
    if latest.id != prepared.based_on {
        return Err(Refusal::ChangedMeanwhile.into());
    }
    let command = Command::Establish {
        anything_required: prepared.anything_required,
        fact_check: fact_checks::readiness(tx, id, today)?,
    };
    let old = inspections::state(tx, id)?;
    let new = change(tx, id, who, &command, "fastställde rapporten")?;
    let version = match &prepared.dated {
        Some((text, draft)) => drafts::add(
            tx,
            id,
            drafts::Kind::Dated,
            Some(latest.id),
            text,
            draft,
            who,
        )?,
        None => latest.id,
    };
    reports::store(tx, id, reports::Kind::Established, version, pdf, who)?;
    mail::after_change(tx, id, named, &old, &new)
}

/// The inspection as it will be once plan version `plan_version` is accepted whole,
/// for the final report rendered before the review's transaction; none when the
/// review would be refused anyway.
pub fn prepare_final(
    c: &rusqlite::Connection,
    id: i64,
    plan_version: i64,
) -> Result<Option<Held>, AppError> {
    let mut held = held::load(c, id)?;
    let accepted = Command::Review {
        plan_version,
        all_accepted: true,
    };
    Ok(workflow::apply(&held.state, &accepted).ok().map(|state| {
        held.state = state;
        held
    }))
}
