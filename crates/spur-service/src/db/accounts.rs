//! Inspectors' accounts, their sessions, the one-time link that creates the first
//! admin, the one-time links that set a password, and failed logins.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{DbError, Result, now};

/// An inspector's account.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// The row id.
    pub id: i64,
    /// The e-mail address, the login name.
    pub email: String,
    /// The inspector's name.
    pub name: String,
    /// Whether the account manages accounts and sees every inspection.
    pub admin: bool,
}

fn account_of(r: &rusqlite::Row) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        admin: r.get(3)?,
    })
}

/// Adds an account; `None` if the e-mail already has one.
pub fn add(
    c: &Connection,
    email: &str,
    name: &str,
    hash: &str,
    admin: bool,
) -> Result<Option<Account>> {
    let added = c.execute(
        "INSERT INTO accounts (email, name, password_hash, admin, created) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (email) DO NOTHING",
        params![email, name, hash, admin, now()],
    )?;
    Ok((added > 0).then(|| Account {
        id: c.last_insert_rowid(),
        email: email.into(),
        name: name.into(),
        admin,
    }))
}

/// Every account, by e-mail.
pub fn all(c: &Connection) -> Result<Vec<Account>> {
    let mut stmt = c.prepare("SELECT id, email, name, admin FROM accounts ORDER BY email")?;
    let rows = stmt.query_map([], account_of)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Removes the account with `email`; false if there is none.
pub fn remove(c: &Connection, email: &str) -> Result<bool> {
    Ok(c.execute("DELETE FROM accounts WHERE email = ?1", [email])? > 0)
}

/// How many accounts there are.
pub fn count(c: &Connection) -> Result<i64> {
    Ok(c.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?)
}

/// The active account with `email` and its password hash, if it has one.
pub fn with_hash(c: &Connection, email: &str) -> Result<Option<(Account, String)>> {
    Ok(c.query_row(
        "SELECT id, email, name, admin, password_hash FROM accounts
         WHERE email = ?1 AND active = 1 AND password_hash != ''",
        [email],
        |r| Ok((account_of(r)?, r.get(4)?)),
    )
    .optional()?)
}

/// The active account with `email`, with or without a password yet.
pub fn active(c: &Connection, email: &str) -> Result<Option<Account>> {
    Ok(c.query_row(
        "SELECT id, email, name, admin FROM accounts WHERE email = ?1 AND active = 1",
        [email],
        account_of,
    )
    .optional()?)
}

/// The failed logins for `email` in the last 15 minutes.
pub fn recent_failures(c: &Connection, email: &str) -> Result<i64> {
    let since = (chrono::Utc::now() - chrono::Duration::minutes(15)).to_rfc3339();
    Ok(c.query_row(
        "SELECT count(*) FROM login_failures WHERE email = ?1 AND at >= ?2",
        params![email, since],
        |r| r.get(0),
    )?)
}

/// Counts a failed login for `email` (already capped in length), pruning old ones.
pub fn failed_login(c: &Connection, email: &str) -> Result<()> {
    let since = (chrono::Utc::now() - chrono::Duration::minutes(15)).to_rfc3339();
    c.execute("DELETE FROM login_failures WHERE at < ?1", [&since])?;
    c.execute(
        "INSERT INTO login_failures (email, at) VALUES (?1, ?2)",
        params![email, chrono::Utc::now().to_rfc3339()],
    )?;
    Ok(())
}

/// Starts a session.
pub fn start_session(
    c: &Connection,
    token_hash: &str,
    account: i64,
    csrf: &str,
    expires: &str,
) -> Result<()> {
    c.execute(
        "INSERT INTO sessions (token_hash, account_id, csrf, expires) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, account, csrf, expires],
    )?;
    Ok(())
}

/// The account and CSRF token of an unexpired session.
pub fn session(c: &Connection, token_hash: &str) -> Result<Option<(Account, String)>> {
    Ok(c.query_row(
        "SELECT a.id, a.email, a.name, a.admin, s.csrf FROM sessions s JOIN accounts a ON a.id = s.account_id
         WHERE s.token_hash = ?1 AND s.expires > ?2 AND a.active = 1",
        params![token_hash, now()],
        |r| Ok((account_of(r)?, r.get(4)?)),
    )
    .optional()?)
}

/// Ends a session, and any that have expired.
pub fn end_session(c: &Connection, token_hash: &str) -> Result<()> {
    c.execute(
        "DELETE FROM sessions WHERE token_hash = ?1 OR expires <= ?2",
        params![token_hash, now()],
    )?;
    Ok(())
}

/// Records a one-time link that creates the first admin.
pub fn create_setup_token(c: &Connection, token_hash: &str, expires: &str) -> Result<()> {
    c.execute(
        "INSERT INTO setup_tokens (token_hash, expires) VALUES (?1, ?2)",
        params![token_hash, expires],
    )?;
    Ok(())
}

/// Whether a setup link is valid: unused, unexpired, and still no account.
pub fn setup_token_valid(c: &Connection, token_hash: &str) -> Result<bool> {
    let found: i64 = c.query_row(
        "SELECT count(*) FROM setup_tokens WHERE token_hash = ?1 AND expires > ?2",
        params![token_hash, now()],
        |r| r.get(0),
    )?;
    Ok(found > 0 && count(c)? == 0)
}

/// Uses a setup link up: creates the first admin, once; `Missing` if the link is
/// used, expired, or an account exists.
pub fn setup_admin(
    c: &Connection,
    token_hash: &str,
    email: &str,
    name: &str,
    hash: &str,
) -> Result<Account> {
    let used = c.execute(
        "DELETE FROM setup_tokens WHERE token_hash = ?1 AND expires > ?2",
        params![token_hash, now()],
    )?;
    if used == 0 || count(c)? > 0 {
        return Err(DbError::Missing);
    }
    c.execute("DELETE FROM setup_tokens", [])?;
    add(c, email, name, hash, true)?.ok_or(DbError::Missing)
}

/// An account as the admin's list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// The account.
    pub account: Account,
    /// Whether it may log in.
    pub active: bool,
    /// Whether a password is set.
    pub has_password: bool,
}

/// Every account, by name, with whether it is active and has a password.
pub fn listing(c: &Connection) -> Result<Vec<Listed>> {
    let mut stmt = c.prepare(
        "SELECT id, email, name, admin, active, password_hash != '' FROM accounts ORDER BY name, email",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Listed {
            account: account_of(r)?,
            active: r.get(4)?,
            has_password: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The account with row id `id`.
pub fn get(c: &Connection, id: i64) -> Result<Option<Account>> {
    Ok(c.query_row(
        "SELECT id, email, name, admin FROM accounts WHERE id = ?1",
        [id],
        account_of,
    )
    .optional()?)
}

/// Lets the account log in, or not; deactivating ends its sessions. False if there is
/// no such account.
pub fn set_active(c: &Connection, id: i64, active: bool) -> Result<bool> {
    let changed = c.execute(
        "UPDATE accounts SET active = ?2 WHERE id = ?1",
        params![id, active],
    )?;
    if !active {
        // The account's rights end with it, and do not come back when it is activated
        // again: its sessions, its calendar feed's address, its unused password links.
        c.execute("DELETE FROM sessions WHERE account_id = ?1", [id])?;
        c.execute("DELETE FROM calendar_feeds WHERE account_id = ?1", [id])?;
        c.execute("DELETE FROM password_links WHERE account_id = ?1", [id])?;
    }
    Ok(changed > 0)
}

/// Records a one-time link that sets the password of account `id`, replacing any
/// earlier one: only the newest link works.
pub fn create_password_link(
    c: &Connection,
    token_hash: &str,
    id: i64,
    expires: &str,
    by: &str,
) -> Result<()> {
    c.execute("DELETE FROM password_links WHERE account_id = ?1", [id])?;
    c.execute(
        "INSERT INTO password_links (token_hash, account_id, expires, made_by, made) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, id, expires, by, now()],
    )?;
    Ok(())
}

/// Whether account `id` has an unexpired, unused password link.
pub fn has_link(c: &Connection, id: i64) -> Result<bool> {
    Ok(c.query_row(
        "SELECT EXISTS (SELECT 1 FROM password_links WHERE account_id = ?1 AND expires > ?2)",
        params![id, now()],
        |r| r.get(0),
    )?)
}

/// Removes the password link with this token hash: made for an e-mail that was not
/// sent.
pub fn forget_password_link(c: &Connection, token_hash: &str) -> Result<()> {
    c.execute(
        "DELETE FROM password_links WHERE token_hash = ?1",
        [token_hash],
    )?;
    Ok(())
}

/// The active account an unexpired, unused password link sets the password of.
pub fn password_link(c: &Connection, token_hash: &str) -> Result<Option<Account>> {
    Ok(c.query_row(
        "SELECT a.id, a.email, a.name, a.admin FROM password_links l JOIN accounts a ON a.id = l.account_id
         WHERE l.token_hash = ?1 AND l.expires > ?2 AND a.active = 1",
        params![token_hash, now()],
        account_of,
    )
    .optional()?)
}

/// Uses a password link up: sets the password and ends the account's other sessions,
/// once; `Missing` if the link is used, expired or its account inactive.
pub fn use_password_link(c: &Connection, token_hash: &str, hash: &str) -> Result<Account> {
    let account = password_link(c, token_hash)?.ok_or(DbError::Missing)?;
    c.execute(
        "DELETE FROM password_links WHERE account_id = ?1",
        [account.id],
    )?;
    c.execute(
        "UPDATE accounts SET password_hash = ?2 WHERE id = ?1",
        params![account.id, hash],
    )?;
    c.execute("DELETE FROM sessions WHERE account_id = ?1", [account.id])?;
    Ok(account)
}
