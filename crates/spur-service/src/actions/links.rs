//! The unit's link, made on the inspection's page.

use chrono::NaiveDate;
use rusqlite::Transaction;

use crate::db::{links, log};
use crate::error::AppError;

/// Creates a new link for the unit, valid until `valid_until` (the earlier ones stop
/// working).
pub fn create_link(
    tx: &Transaction,
    id: i64,
    who: &str,
    token_hash: &str,
    valid_until: NaiveDate,
) -> Result<(), AppError> {
    links::create(tx, id, token_hash, valid_until)?;
    log::record(tx, who, "skapade länk till enheten", Some(id))?;
    Ok(())
}

/// Ends the unit's links of inspection `id`.
pub fn revoke_link(tx: &Transaction, id: i64, who: &str) -> Result<(), AppError> {
    links::revoke(tx, id)?;
    log::record(tx, who, "återkallade länken", Some(id))?;
    Ok(())
}
