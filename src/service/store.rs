//! The service's embedded SQLite database: versioned migrations, and every read and
//! write the pages need. Nothing is overwritten: every save of a questionnaire or a
//! plan, every review and every access is a new row.
//!
//! About 700 lines because every SQL statement of the service is here, each in a short
//! method of its own, so that the schema and all that touches it are read together.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};

/// The migrations, in order; the database records how many it has run
/// (`PRAGMA user_version`), so each runs once.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    admin INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    expires TEXT NOT NULL
);
CREATE TABLE login_failures (
    email TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created TEXT NOT NULL,
    plan_state TEXT NOT NULL DEFAULT 'open',
    plan_received TEXT
);
CREATE TABLE members (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (inspection_id, account_id)
);
CREATE TABLE questionnaires (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved TEXT NOT NULL
);
CREATE TABLE plan_saves (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    based_on INTEGER,
    kind TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved TEXT NOT NULL
);
CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    valid_until TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    accepted INTEGER NOT NULL,
    reason TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    saved TEXT NOT NULL
);
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    inspection_id INTEGER
);
"#];

/// A failure of the database, in Swedish.
#[derive(Debug, thiserror::Error)]
#[error("databasen: {0}")]
pub struct StoreError(String);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

/// What a store call returns.
pub type Result<T> = std::result::Result<T, StoreError>;

/// The database, one connection shared by the service's requests: SQLite writes one
/// at a time anyway, and every call here is short.
pub struct Store {
    conn: Mutex<Connection>,
}

/// An inspector's account.
#[derive(Debug, Clone, serde::Serialize)]
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

/// A saved version of a plan.
#[derive(Debug, Clone)]
pub struct PlanSave {
    /// The row id, which a form sends back to show which version it was made from.
    pub id: i64,
    /// The plan file's text.
    pub text: String,
    /// Who saved it: an inspector's e-mail or "enheten".
    pub saved_by: String,
    /// When, as an RFC 3339 time.
    pub saved: String,
}

/// One inspection in the inspector's list.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The row id.
    pub id: i64,
    /// The latest questionnaire's text.
    pub text: String,
    /// The plan's state: `open`, `submitted`, `reviewed`.
    pub plan_state: String,
    /// Whether a plan has been saved.
    pub plan_saved: bool,
    /// Whether a link for the unit is valid today.
    pub link_active: bool,
}

/// A unit's link, as found by its token.
#[derive(Debug, Clone)]
pub struct Link {
    /// The inspection it opens.
    pub inspection_id: i64,
    /// The last day it is valid.
    pub valid_until: String,
    /// Whether the inspectors revoked it.
    pub revoked: bool,
}

/// The inspectors' decision on one plan entry.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Review {
    /// The indicator.
    pub indicator: String,
    /// Accepted, or rejected with the reason.
    pub accepted: bool,
    /// Why it was rejected (or a note on acceptance).
    pub reason: String,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Store {
    /// Opens the database at `path`, creating and migrating it as needed, in WAL mode
    /// with foreign keys enforced.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds an account; its e-mail must be new.
    pub fn add_account(&self, email: &str, name: &str, hash: &str, admin: bool) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO accounts (email, name, password_hash, admin, created) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![email, name, hash, admin, now()],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// Every account, by e-mail.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, email, name, admin FROM accounts ORDER BY email")?;
        let rows = stmt.query_map([], account_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes the account with `email`; false if there is none.
    pub fn remove_account(&self, email: &str) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM accounts WHERE email = ?1", [email])?
            > 0)
    }

    /// How many accounts there are.
    pub fn account_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?)
    }

    /// The account with `email` and its password hash.
    pub fn login(&self, email: &str) -> Result<Option<(Account, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, email, name, admin, password_hash FROM accounts WHERE email = ?1",
                [email],
                |r| Ok((account_of(r)?, r.get(4)?)),
            )
            .optional()?)
    }

    /// Counts a failed login for `email`, and returns the failures of the last 15 minutes.
    pub fn failed_login(&self, email: &str) -> Result<i64> {
        let conn = self.conn();
        let since = (chrono::Utc::now() - chrono::Duration::minutes(15)).to_rfc3339();
        conn.execute("DELETE FROM login_failures WHERE at < ?1", [&since])?;
        conn.execute(
            "INSERT INTO login_failures (email, at) VALUES (?1, ?2)",
            params![email, chrono::Utc::now().to_rfc3339()],
        )?;
        Ok(conn.query_row(
            "SELECT count(*) FROM login_failures WHERE email = ?1",
            [email],
            |r| r.get(0),
        )?)
    }

    /// The failed logins for `email` in the last 15 minutes.
    pub fn recent_failures(&self, email: &str) -> Result<i64> {
        let since = (chrono::Utc::now() - chrono::Duration::minutes(15)).to_rfc3339();
        Ok(self.conn().query_row(
            "SELECT count(*) FROM login_failures WHERE email = ?1 AND at >= ?2",
            params![email, since],
            |r| r.get(0),
        )?)
    }

    /// Starts a session.
    pub fn create_session(
        &self,
        token_hash: &str,
        account: i64,
        csrf: &str,
        expires: &str,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO sessions (token_hash, account_id, csrf, expires) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, account, csrf, expires],
        )?;
        Ok(())
    }

    /// The account and CSRF token of an unexpired session.
    pub fn session(&self, token_hash: &str) -> Result<Option<(Account, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT a.id, a.email, a.name, a.admin, s.csrf FROM sessions s JOIN accounts a ON a.id = s.account_id
                 WHERE s.token_hash = ?1 AND s.expires > ?2",
                params![token_hash, now()],
                |r| Ok((account_of(r)?, r.get(4)?)),
            )
            .optional()?)
    }

    /// Ends a session.
    pub fn end_session(&self, token_hash: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    /// Records a one-time link that creates the first admin.
    pub fn create_setup_token(&self, token_hash: &str, expires: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO setup_tokens (token_hash, expires) VALUES (?1, ?2)",
            params![token_hash, expires],
        )?;
        Ok(())
    }

    /// Whether a setup link is valid (unused, unexpired, and still no account).
    pub fn setup_token_valid(&self, token_hash: &str) -> Result<bool> {
        let conn = self.conn();
        let found: i64 = conn.query_row(
            "SELECT count(*) FROM setup_tokens WHERE token_hash = ?1 AND expires > ?2",
            params![token_hash, now()],
            |r| r.get(0),
        )?;
        let accounts: i64 = conn.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?;
        Ok(found > 0 && accounts == 0)
    }

    /// Uses a setup link up: creates the first admin, once.
    pub fn setup_admin(
        &self,
        token_hash: &str,
        email: &str,
        name: &str,
        hash: &str,
    ) -> Result<Option<i64>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let used = tx.execute(
            "DELETE FROM setup_tokens WHERE token_hash = ?1 AND expires > ?2",
            params![token_hash, now()],
        )?;
        let accounts: i64 = tx.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?;
        if used == 0 || accounts > 0 {
            return Ok(None);
        }
        tx.execute(
            "INSERT INTO accounts (email, name, password_hash, admin, created) VALUES (?1, ?2, ?3, 1, ?4)",
            params![email, name, hash, now()],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute("DELETE FROM setup_tokens", [])?;
        tx.commit()?;
        Ok(Some(id))
    }

    /// Creates an inspection from its first questionnaire, with its creator as member.
    pub fn create_inspection(&self, account: &Account, text: &str) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO inspections (created_by, created) VALUES (?1, ?2)",
            params![account.id, now()],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO members (inspection_id, account_id) VALUES (?1, ?2)",
            params![id, account.id],
        )?;
        tx.execute(
            "INSERT INTO questionnaires (inspection_id, text, saved_by, saved) VALUES (?1, ?2, ?3, ?4)",
            params![id, text, account.email, now()],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Keeps a new version of an inspection's questionnaire.
    pub fn add_questionnaire(&self, inspection: i64, text: &str, by: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO questionnaires (inspection_id, text, saved_by, saved) VALUES (?1, ?2, ?3, ?4)",
            params![inspection, text, by, now()],
        )?;
        Ok(())
    }

    /// The latest questionnaire of an inspection.
    pub fn questionnaire(&self, inspection: i64) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT text FROM questionnaires WHERE inspection_id = ?1 ORDER BY id DESC LIMIT 1",
                [inspection],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Whether `account` may see the inspection: a member, or an admin.
    pub fn may_see(&self, inspection: i64, account: &Account) -> Result<bool> {
        let conn = self.conn();
        let exists: i64 = conn.query_row(
            "SELECT count(*) FROM inspections WHERE id = ?1",
            [inspection],
            |r| r.get(0),
        )?;
        if exists == 0 {
            return Ok(false);
        }
        if account.admin {
            return Ok(true);
        }
        let member: i64 = conn.query_row(
            "SELECT count(*) FROM members WHERE inspection_id = ?1 AND account_id = ?2",
            params![inspection, account.id],
            |r| r.get(0),
        )?;
        Ok(member > 0)
    }

    /// Adds the account with `email` to the inspection; false if there is no such account.
    pub fn add_member(&self, inspection: i64, email: &str) -> Result<bool> {
        Ok(self.conn().execute(
            "INSERT OR IGNORE INTO members (inspection_id, account_id) SELECT ?1, id FROM accounts WHERE email = ?2",
            params![inspection, email],
        )? > 0
            || self.is_member_email(inspection, email)?)
    }

    fn is_member_email(&self, inspection: i64, email: &str) -> Result<bool> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM members m JOIN accounts a ON a.id = m.account_id WHERE m.inspection_id = ?1 AND a.email = ?2",
            params![inspection, email],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// The inspection's members' names.
    pub fn members(&self, inspection: i64) -> Result<Vec<Account>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT a.id, a.email, a.name, a.admin FROM members m JOIN accounts a ON a.id = m.account_id
             WHERE m.inspection_id = ?1 ORDER BY a.name",
        )?;
        let rows = stmt.query_map([inspection], account_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The inspections `account` may see, newest first.
    pub fn inspections(&self, account: &Account, today: &str) -> Result<Vec<Listed>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT i.id, (SELECT text FROM questionnaires q WHERE q.inspection_id = i.id ORDER BY q.id DESC LIMIT 1),
                    i.plan_state,
                    EXISTS (SELECT 1 FROM plan_saves p WHERE p.inspection_id = i.id AND p.kind != 'refused'),
                    EXISTS (SELECT 1 FROM links l WHERE l.inspection_id = i.id AND l.revoked = 0 AND l.valid_until >= ?3)
             FROM inspections i
             WHERE ?2 OR EXISTS (SELECT 1 FROM members m WHERE m.inspection_id = i.id AND m.account_id = ?1)
             ORDER BY i.id DESC",
        )?;
        let rows = stmt.query_map(params![account.id, account.admin, today], |r| {
            Ok(Listed {
                id: r.get(0)?,
                text: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                plan_state: r.get(2)?,
                plan_saved: r.get(3)?,
                link_active: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The plan's state and the day it was received.
    pub fn plan_state(&self, inspection: i64) -> Result<(String, Option<String>)> {
        Ok(self.conn().query_row(
            "SELECT plan_state, plan_received FROM inspections WHERE id = ?1",
            [inspection],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Sets the plan's state; `received` is kept unless a new day is given.
    pub fn set_plan_state(
        &self,
        inspection: i64,
        state: &str,
        received: Option<&str>,
    ) -> Result<()> {
        self.conn().execute(
            "UPDATE inspections SET plan_state = ?2, plan_received = coalesce(?3, plan_received) WHERE id = ?1",
            params![inspection, state, received],
        )?;
        Ok(())
    }

    /// The latest plan save that was accepted (not refused as stale).
    pub fn latest_plan(&self, inspection: i64) -> Result<Option<PlanSave>> {
        self.latest_save(inspection, "kind != 'refused'")
    }

    /// The latest plan the unit submitted: the one reviewed, reported and exported.
    pub fn latest_submitted(&self, inspection: i64) -> Result<Option<PlanSave>> {
        self.latest_save(inspection, "kind = 'submitted'")
    }

    /// The latest plan save whose kind meets `condition` (a fixed SQL condition, never
    /// user input).
    fn latest_save(&self, inspection: i64, condition: &str) -> Result<Option<PlanSave>> {
        let sql = format!(
            "SELECT id, text, saved_by, saved FROM plan_saves WHERE inspection_id = ?1 AND {condition}
             ORDER BY id DESC LIMIT 1"
        );
        Ok(self
            .conn()
            .query_row(&sql, [inspection], |r| {
                Ok(PlanSave {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    saved_by: r.get(2)?,
                    saved: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// Keeps a plan as saved. When `based_on` is not the latest save, the text is kept
    /// as refused and `Ok(None)` returned: the form was made from an older version.
    pub fn save_plan(
        &self,
        inspection: i64,
        text: &str,
        based_on: Option<i64>,
        kind: &str,
        by: &str,
    ) -> Result<Option<i64>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let latest: Option<i64> = tx
            .query_row(
                "SELECT id FROM plan_saves WHERE inspection_id = ?1 AND kind != 'refused' ORDER BY id DESC LIMIT 1",
                [inspection],
                |r| r.get(0),
            )
            .optional()?;
        let stale = latest != based_on;
        tx.execute(
            "INSERT INTO plan_saves (inspection_id, text, based_on, kind, saved_by, saved) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![inspection, text, based_on, if stale { "refused" } else { kind }, by, now()],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok((!stale).then_some(id))
    }

    /// Every plan save, oldest first: (id, kind, who, when).
    pub fn plan_history(&self, inspection: i64) -> Result<Vec<(i64, String, String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, kind, saved_by, saved FROM plan_saves WHERE inspection_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([inspection], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Creates a link for the unit; the earlier ones are revoked.
    pub fn create_link(&self, inspection: i64, token_hash: &str, valid_until: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE links SET revoked = 1 WHERE inspection_id = ?1",
            [inspection],
        )?;
        tx.execute(
            "INSERT INTO links (inspection_id, token_hash, valid_until, created) VALUES (?1, ?2, ?3, ?4)",
            params![inspection, token_hash, valid_until, now()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Revokes every link of the inspection.
    pub fn revoke_links(&self, inspection: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE links SET revoked = 1 WHERE inspection_id = ?1",
            [inspection],
        )?;
        Ok(())
    }

    /// The link with this token hash.
    pub fn link(&self, token_hash: &str) -> Result<Option<Link>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT inspection_id, valid_until, revoked FROM links WHERE token_hash = ?1",
                [token_hash],
                |r| {
                    Ok(Link {
                        inspection_id: r.get(0)?,
                        valid_until: r.get(1)?,
                        revoked: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// The last day of the inspection's valid link, if one is valid on `today`.
    pub fn active_link(&self, inspection: i64, today: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT valid_until FROM links WHERE inspection_id = ?1 AND revoked = 0 AND valid_until >= ?2
                 ORDER BY id DESC LIMIT 1",
                params![inspection, today],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records the inspectors' decision on an entry.
    pub fn review(
        &self,
        inspection: i64,
        indicator: &str,
        accepted: bool,
        reason: &str,
        by: &str,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO reviews (inspection_id, indicator, accepted, reason, reviewed_by, saved) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![inspection, indicator, accepted, reason, by, now()],
        )?;
        Ok(())
    }

    /// The latest decision on each entry, by indicator.
    pub fn reviews(&self, inspection: i64) -> Result<Vec<Review>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT indicator, accepted, reason FROM reviews r WHERE inspection_id = ?1
             AND id = (SELECT max(id) FROM reviews r2 WHERE r2.inspection_id = r.inspection_id AND r2.indicator = r.indicator)
             ORDER BY indicator",
        )?;
        let rows = stmt.query_map([inspection], |r| {
            Ok(Review {
                indicator: r.get(0)?,
                accepted: r.get(1)?,
                reason: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records who read or changed what.
    pub fn log(&self, who: &str, action: &str, inspection: Option<i64>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO access_log (at, who, action, inspection_id) VALUES (?1, ?2, ?3, ?4)",
            params![now(), who, action, inspection],
        )?;
        Ok(())
    }

    /// The access log of an inspection, newest first.
    pub fn access_log(&self, inspection: i64) -> Result<Vec<(String, String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT at, who, action FROM access_log WHERE inspection_id = ?1 ORDER BY id DESC LIMIT 200",
        )?;
        let rows = stmt.query_map([inspection], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes a consistent copy of the database to `target` (SQLite's own backup).
    pub fn backup(&self, target: &Path) -> Result<()> {
        self.conn()
            .execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
        Ok(())
    }

    /// Whether the database file is intact.
    pub fn integrity(&self) -> Result<String> {
        Ok(self
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

fn account_of(r: &rusqlite::Row) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        admin: r.get(3)?,
    })
}
