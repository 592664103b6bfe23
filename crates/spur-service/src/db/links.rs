//! The unit's links: stored only as the hash of their token, valid to a day, revocable.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, now};

/// A unit's link, as found by its token.
#[derive(Debug, Clone)]
pub struct Link {
    /// The inspection it opens.
    pub inspection_id: i64,
    /// The last day it is valid.
    pub valid_until: NaiveDate,
    /// Whether the inspectors revoked it.
    pub revoked: bool,
}

fn day(r: &rusqlite::Row, i: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = r.get(i)?;
    text.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("inget datum: ”{text}”").into(),
        )
    })
}

/// Creates a link for the unit; the earlier ones are revoked.
pub fn create(
    c: &Connection,
    inspection: i64,
    token_hash: &str,
    valid_until: NaiveDate,
) -> Result<()> {
    revoke(c, inspection)?;
    add(c, inspection, token_hash, valid_until)
}

/// Adds a link for the unit beside the valid ones: the one an e-mail carries, so that
/// a reminder does not end the link in an earlier e-mail.
pub fn add(
    c: &Connection,
    inspection: i64,
    token_hash: &str,
    valid_until: NaiveDate,
) -> Result<()> {
    c.execute(
        "INSERT INTO links (inspection_id, token_hash, valid_until, created) VALUES (?1, ?2, ?3, ?4)",
        params![inspection, token_hash, valid_until.to_string(), now()],
    )?;
    Ok(())
}

/// Revokes every link of the inspection.
pub fn revoke(c: &Connection, inspection: i64) -> Result<()> {
    c.execute(
        "UPDATE links SET revoked = 1 WHERE inspection_id = ?1",
        [inspection],
    )?;
    Ok(())
}

/// Removes the link with this token hash: made for an e-mail that was not sent.
pub fn forget(c: &Connection, token_hash: &str) -> Result<()> {
    c.execute("DELETE FROM links WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// The link with this token hash.
pub fn find(c: &Connection, token_hash: &str) -> Result<Option<Link>> {
    Ok(c.query_row(
        "SELECT inspection_id, valid_until, revoked FROM links WHERE token_hash = ?1",
        [token_hash],
        |r| {
            Ok(Link {
                inspection_id: r.get(0)?,
                valid_until: day(r, 1)?,
                revoked: r.get(2)?,
            })
        },
    )
    .optional()?)
}

/// The last day of the inspection's link, if one is valid on `today`.
pub fn active(c: &Connection, inspection: i64, today: NaiveDate) -> Result<Option<NaiveDate>> {
    Ok(c.query_row(
        "SELECT valid_until FROM links WHERE inspection_id = ?1 AND revoked = 0 AND valid_until >= ?2
         ORDER BY id DESC LIMIT 1",
        params![inspection, today.to_string()],
        |r| day(r, 0),
    )
    .optional()?)
}
