//! The inspectors' personal calendar feeds, each behind a revocable token of its own,
//! and when an inspection last changed, for its calendar's DTSTAMP.

use rusqlite::{Connection, OptionalExtension, params};

use super::accounts::Account;
use super::{Result, now};

/// Gives `account` a feed at `token_hash`; an earlier feed's address stops working.
pub fn set_feed(c: &Connection, account: i64, token_hash: &str) -> Result<()> {
    c.execute(
        "INSERT INTO calendar_feeds (account_id, token_hash, made) VALUES (?1, ?2, ?3)
         ON CONFLICT (account_id) DO UPDATE SET token_hash = excluded.token_hash, made = excluded.made",
        params![account, token_hash, now()],
    )?;
    Ok(())
}

/// Ends `account`'s feed; false if it had none.
pub fn revoke_feed(c: &Connection, account: i64) -> Result<bool> {
    Ok(c.execute(
        "DELETE FROM calendar_feeds WHERE account_id = ?1",
        [account],
    )? > 0)
}

/// Whether `account` has a feed.
pub fn has_feed(c: &Connection, account: i64) -> Result<bool> {
    Ok(c.query_row(
        "SELECT count(*) FROM calendar_feeds WHERE account_id = ?1",
        [account],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// The active account whose feed is at `token_hash`.
pub fn feed_account(c: &Connection, token_hash: &str) -> Result<Option<Account>> {
    Ok(c.query_row(
        "SELECT a.id, a.email, a.name, a.admin FROM calendar_feeds f JOIN accounts a ON a.id = f.account_id
         WHERE f.token_hash = ?1 AND a.active = 1",
        [token_hash],
        |r| {
            Ok(Account {
                id: r.get(0)?,
                email: r.get(1)?,
                name: r.get(2)?,
                admin: r.get(3)?,
            })
        },
    )
    .optional()?)
}

/// When inspection `id` last changed: created, a questionnaire saved, a stage changed.
pub fn changed(c: &Connection, id: i64) -> Result<String> {
    Ok(c.query_row(
        "SELECT max(t) FROM (
             SELECT created AS t FROM inspections WHERE id = ?1
             UNION ALL SELECT saved FROM questionnaires WHERE inspection_id = ?1
             UNION ALL SELECT changed FROM stage_changes WHERE inspection_id = ?1)",
        [id],
        |r| r.get::<_, Option<String>>(0),
    )?
    .unwrap_or_default())
}
