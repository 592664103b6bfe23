//! The follow-up: the unit's reports on each action and the inspectors' confirmation or request for more.

use chrono::NaiveDate;
use rusqlite::Transaction;

use super::{UNIT, change};
use crate::db::follow_ups;
use crate::error::AppError;
use crate::held::{self, Held};
use crate::mail::{self, Named};
use spur_core::plan;
use spur_cycle::notice::{Submission, Turn};
use spur_cycle::workflow::Command;

/// The entries of the accepted plan: the actions followed up.
fn followed_up(held: &Held) -> Vec<String> {
    held.submitted_entries.keys().cloned().collect()
}

/// The unit's report, dated `today`, on the action for `indicator`.
pub fn report_progress(
    tx: &Transaction,
    id: i64,
    indicator: &str,
    status: plan::Progress,
    text: &str,
    today: NaiveDate,
    named: &Named,
) -> Result<(), AppError> {
    let held = held::load(tx, id)?;
    change(
        tx,
        id,
        UNIT,
        &Command::ReportProgress,
        "rapporterade hur en åtgärd går",
    )?;
    if !followed_up(&held).iter().any(|i| i == indicator) {
        return Err(AppError::NotFound);
    }
    let report = plan::Report {
        date: today,
        status,
        text: text.to_string(),
    };
    follow_ups::report(tx, id, indicator, &report)?;
    let what = Submission::Report {
        indicator: indicator.to_string(),
        done: status == plan::Progress::Done,
    };
    mail::tell_inspectors(tx, id, named, &what)
}

/// The inspectors' answer on the action for `indicator`: confirmed as carried out
/// (closing the inspection when it is the last), or more asked with `reason`.
pub fn answer_follow_up(
    tx: &Transaction,
    id: i64,
    who: &str,
    indicator: &str,
    more: Option<&str>,
    today: NaiveDate,
    named: &Named,
) -> Result<(), AppError> {
    let held = held::load(tx, id)?;
    let items = followed_up(&held);
    if !items.iter().any(|i| i == indicator) {
        return Err(AppError::NotFound);
    }
    let (command, answer) = match more {
        Some(reason) => (
            Command::AskForMore {
                reason: reason.to_string(),
            },
            follow_ups::Answer::More(reason.trim().to_string()),
        ),
        None => {
            let latest_done = held
                .reports
                .iter()
                .rev()
                .find(|(i, _)| i == indicator)
                .is_some_and(|(_, r)| r.status == plan::Progress::Done);
            let confirmed = held.confirmed();
            let rest_confirmed = items
                .iter()
                .filter(|i| *i != indicator)
                .all(|i| confirmed.iter().any(|c| c.indicator == *i));
            (
                Command::Confirm {
                    latest_done,
                    rest_confirmed,
                },
                follow_ups::Answer::Confirmed(today),
            )
        }
    };
    let old = held.state.clone();
    let new = change(tx, id, who, &command, "svarade på en uppföljning")?;
    follow_ups::answer(tx, id, indicator, &answer, today, who)?;
    // The last confirmation closes the inspection: the unit is told.
    mail::after_change(tx, id, named, &old, &new)?;
    if let follow_ups::Answer::More(reason) = answer {
        mail::tell_unit(
            tx,
            id,
            named,
            &Turn::MoreAsked(indicator.to_string(), reason),
        )?;
    }
    Ok(())
}
