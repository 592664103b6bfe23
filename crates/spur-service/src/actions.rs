//! Every action of the service, each one transaction: it loads the inspection, asks the
//! workflow core whether the action may happen, and stores the result whole — or
//! returns the refusal, and nothing changes. One file per resource, as the handlers
//! are; this one holds what they share.

mod accounts;
mod calendars;
mod fact_check;
mod follow_up;
mod links;
mod people;
mod plan;
mod questionnaire;
mod report;
#[cfg(test)]
mod tests;

pub use accounts::*;
pub use calendars::*;
pub use fact_check::*;
pub use follow_up::*;
pub use links::*;
pub use people::*;
pub use plan::*;
pub use questionnaire::*;
pub use report::*;

use rusqlite::Transaction;

use crate::db::{inspections, log};
use crate::error::AppError;
use crate::held::{self, Held};
use spur_cycle::workflow::{self, Command};

/// Who the unit is in the history and the access log.
pub const UNIT: &str = "enheten";

/// Runs `command` on inspection `id`: the new state is stored with the change and its
/// reason kept, and `what` logged.
pub fn change(
    tx: &Transaction,
    id: i64,
    who: &str,
    command: &Command,
    what: &str,
) -> Result<workflow::State, AppError> {
    let old = inspections::state(tx, id)?;
    let new = workflow::apply(&old, command)?;
    inspections::set_state(tx, id, &old, &new, who, command.reason())?;
    log::record(tx, who, what, Some(id))?;
    Ok(new)
}

/// Loads the inspection and logs that `who` read `what` of it, in one transaction.
pub fn read(tx: &Transaction, id: i64, who: &str, what: &str) -> Result<Held, AppError> {
    log::record(tx, who, what, Some(id))?;
    Ok(held::load(tx, id)?)
}

pub(crate) fn not_this_inspection() -> AppError {
    AppError::BadRequest(
        "Sidan hör inte till den här granskningens frågeformulär. Öppna sidan igen från granskningen.".into(),
    )
}

/// Records that `who` read `what` (of inspection `id`, if one): the access log's line
/// for a page that is not an inspection's whole.
pub fn logged_read(
    tx: &Transaction,
    who: &str,
    what: &str,
    id: Option<i64>,
) -> Result<(), AppError> {
    Ok(log::record(tx, who, what, id)?)
}
