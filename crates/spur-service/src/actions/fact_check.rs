//! The unit's fact-check of the preliminary report and the inspectors' answers to its comments.

use chrono::NaiveDate;
use rusqlite::Transaction;

use super::{UNIT, change};
use crate::db::{fact_checks, inspections};
use crate::error::AppError;
use crate::mail::{self, Named};
use spur_core::inspection::Inspection;
use spur_cycle::fact_check;
use spur_cycle::notice::Submission;
use spur_cycle::workflow::{Command, Refusal};

/// Sends the preliminary report to the unit for its fact-check, due in
/// [`fact_check::DAYS`] days. The questionnaire must be valid: the unit reads its report.
pub fn send_for_fact_check(
    tx: &Transaction,
    id: i64,
    who: &str,
    today: NaiveDate,
    days: i64,
    graded: &Inspection,
) -> Result<(), AppError> {
    let old = inspections::state(tx, id)?;
    let new = change(
        tx,
        id,
        who,
        &Command::SendForFactCheck,
        "skickade rapporten till faktagranskning",
    )?;
    let due = today + chrono::Duration::days(days);
    fact_checks::send(tx, id, due, who)?;
    mail::after_change(tx, id, &Named::of(id, Some(graded)), &old, &new)
}

/// What the unit does in its fact-check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ByUnit {
    /// A comment on a place in the report, as typed.
    Comment(fact_check::Place, String),
    /// Submits the comments given (with none: "Inga synpunkter").
    Submit,
}

/// The unit's comment or submission, if its fact-check is open.
pub fn fact_check_by_unit(
    tx: &Transaction,
    id: i64,
    named: &Named,
    what: &ByUnit,
) -> Result<(), AppError> {
    let submitted = fact_checks::sent(tx, id)?.is_some_and(|s| s.submitted.is_some());
    let (note, command) = match what {
        ByUnit::Comment(..) => (
            "lämnade en synpunkt",
            Command::FactCheckByUnit { submitted },
        ),
        ByUnit::Submit => (
            "skickade in faktagranskningen",
            Command::FactCheckByUnit { submitted },
        ),
    };
    change(tx, id, UNIT, &command, note)?;
    match what {
        ByUnit::Comment(place, text) => fact_checks::comment(tx, id, *place, text)?,
        ByUnit::Submit => {
            fact_checks::submit(tx, id)?;
            mail::tell_inspectors(tx, id, named, &Submission::FactCheck)?;
        }
    }
    Ok(())
}

/// Takes back the unit's comment `comment` before the fact-check is sent in, and gives
/// back its place and text, to change and save again.
pub fn take_back_comment(
    tx: &Transaction,
    id: i64,
    comment: i64,
) -> Result<(fact_check::Place, String), AppError> {
    let submitted = fact_checks::sent(tx, id)?.is_some_and(|s| s.submitted.is_some());
    change(
        tx,
        id,
        UNIT,
        &Command::FactCheckByUnit { submitted },
        "tog tillbaka en synpunkt",
    )?;
    fact_checks::remove_comment(tx, id, comment)?.ok_or(AppError::NotFound)
}

/// The inspectors' answer to comment `comment`: "Rättat", or "Ingen ändring" with a
/// reason.
pub fn answer_comment(
    tx: &Transaction,
    id: i64,
    who: &str,
    comment: i64,
    answer: fact_check::Answer,
    reason: &str,
) -> Result<(), AppError> {
    if answer == fact_check::Answer::Unchanged && reason.trim().is_empty() {
        return Err(Refusal::NoReason.into());
    }
    let submitted = fact_checks::sent(tx, id)?.is_some_and(|s| s.submitted.is_some());
    change(
        tx,
        id,
        who,
        &Command::AnswerComment { submitted },
        "svarade på en synpunkt",
    )?;
    if !fact_checks::answer(tx, id, comment, answer, reason.trim(), who)? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
