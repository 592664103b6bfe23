//! An inspector's personal calendar feed: made at a new token, or ended.

use rusqlite::Transaction;

use crate::db::{calendars, log};
use crate::error::AppError;

/// Gives account `id` a feed at the token with `hash` (an earlier one stops working).
pub fn set_feed(tx: &Transaction, id: i64, who: &str, hash: &str) -> Result<(), AppError> {
    calendars::set_feed(tx, id, hash)?;
    log::record(tx, who, "skapade en kalenderprenumeration", None)?;
    Ok(())
}

/// Ends account `id`'s feed.
pub fn revoke_feed(tx: &Transaction, id: i64, who: &str) -> Result<(), AppError> {
    calendars::revoke_feed(tx, id)?;
    log::record(tx, who, "återkallade sin kalenderprenumeration", None)?;
    Ok(())
}
