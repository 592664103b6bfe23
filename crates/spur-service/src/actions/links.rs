//! The unit's link, made on the inspection's page.

use chrono::NaiveDate;
use rusqlite::Transaction;

use crate::db::{links, log};
use crate::error::AppError;
use crate::held;

/// Creates a new link for the unit (the earlier ones stop working); returns its last day.
pub fn create_link(
    tx: &Transaction,
    id: i64,
    who: &str,
    token_hash: &str,
    today: NaiveDate,
) -> Result<NaiveDate, AppError> {
    let valid_until = held::link_valid_until(tx, id, today)?;
    links::create(tx, id, token_hash, valid_until)?;
    log::record(tx, who, "skapade länk till enheten", Some(id))?;
    Ok(valid_until)
}
