//! The service's embedded SQLite database: a small pool of connections (WAL, so reads
//! go on while one writes), versioned migrations, and typed errors. Every action is one
//! transaction, begun as a writer so that two actions never deadlock on an upgrade;
//! the calls run on blocking threads, never on the threads that serve requests.
//!
//! One file per resource holds its rows and statements: `accounts`, `inspections`,
//! `plans`, `links`, `log`.

pub mod accounts;
pub mod calendars;
pub mod contacts;
pub mod drafts;
pub mod fact_checks;
pub mod follow_ups;
pub mod inspections;
pub mod links;
pub mod log;
pub mod outbox;
pub mod plans;
pub mod reports;

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};

/// The migrations, in order; the database records how many it has run
/// (`PRAGMA user_version`), so each runs once.
const MIGRATIONS: &[&str] = &[
    include_str!("db/001_first.sql"),
    include_str!("db/002_typed_workflow.sql"),
    include_str!("db/003_drafts.sql"),
    include_str!("db/004_fact_check.sql"),
    include_str!("db/005_reports.sql"),
    include_str!("db/006_follow_up.sql"),
    include_str!("db/007_accounts.sql"),
    include_str!("db/008_mail.sql"),
    include_str!("db/009_plan_entries.sql"),
    include_str!("db/010_outbox_parts.sql"),
];

/// How many connections the pool holds: a writer and readers beside it.
const CONNECTIONS: usize = 4;

/// How long a statement waits for another writer before the action is refused as busy.
const BUSY_WAIT: Duration = Duration::from_secs(2);

/// How long a statement sleeps between its tries while another writer holds the
/// database. SQLite's own busy timeout sleeps 1, 2, 5, 10, 15 … ms between tries, so a
/// write that lost a race by a millisecond waited 18 ms: the tail of every save.
const BUSY_STEP: Duration = Duration::from_micros(200);

/// SQLite's busy handler: `tries` so far; true to try again after a short sleep.
fn busy(tries: i32) -> bool {
    let waited = BUSY_STEP.saturating_mul(u32::try_from(tries).unwrap_or(u32::MAX));
    if waited >= BUSY_WAIT {
        return false;
    }
    std::thread::sleep(BUSY_STEP);
    true
}

/// A failure of the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// Another writer held the database for longer than [`BUSY_WAIT`].
    #[error("databasen är upptagen")]
    Busy,
    /// A row the action needs is not there.
    #[error("raden finns inte")]
    Missing,
    /// Anything else SQLite reports: a fault of spur or of the disk.
    #[error("databasen: {0}")]
    Sqlite(String),
    /// Something stored cannot be read back: a fault of spur or of the disk, never
    /// shown as if nothing were stored.
    #[error("det sparade går inte att läsa: {0}")]
    Unreadable(String),
    /// The blocking task running the call ended without an answer.
    #[error("databasens arbetstråd avbröts")]
    Lost,
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => DbError::Busy,
            _ if matches!(e, rusqlite::Error::QueryReturnedNoRows) => DbError::Missing,
            _ => DbError::Sqlite(e.to_string()),
        }
    }
}

/// What a database call returns.
pub type Result<T> = std::result::Result<T, DbError>;

/// The database: a pool of open connections.
pub struct Db {
    idle: Mutex<Vec<Connection>>,
    freed: Condvar,
}

/// A connection taken from the pool, given back when dropped.
struct Taken<'a> {
    db: &'a Db,
    conn: Option<Connection>,
}

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.db
                .idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(conn);
            self.db.freed.notify_one();
        }
    }
}

fn connect(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // What is deleted is overwritten, not left on a free page for a copy of the files
    // to show: a used password link's hash, an ended session's, a removed contact.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // The WAL is copied back into the database by [`Db::checkpoint`], off the path of
    // any request: a commit that checkpoints itself waits for the disk's sync.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.busy_handler(Some(busy))?;
    Ok(conn)
}

impl Db {
    /// Opens the database at `path`, creating and migrating it as needed.
    pub fn open(path: &Path) -> Result<Db> {
        let mut first = connect(path)?;
        migrate(&mut first)?;
        let mut idle = vec![first];
        for _ in 1..CONNECTIONS {
            idle.push(connect(path)?);
        }
        Ok(Db {
            idle: Mutex::new(idle),
            freed: Condvar::new(),
        })
    }

    fn take(&self) -> Taken<'_> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(conn) = idle.pop() {
                return Taken {
                    db: self,
                    conn: Some(conn),
                };
            }
            idle = self.freed.wait(idle).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Runs `f` on a connection outside any transaction: for what SQLite refuses
    /// inside one (`VACUUM INTO`, a checkpoint that should not wait for itself).
    fn outside_transaction<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let taken = self.take();
        f(taken.conn.as_ref().ok_or(DbError::Lost)?)
    }

    /// Runs `f` in one read transaction on this thread, so that all it reads is one
    /// snapshot: a page never shows half of a change committed while it was read.
    pub fn read_now<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        // Nothing was written: the commit only lets the snapshot go.
        self.transaction(TransactionBehavior::Deferred, |tx| f(tx))
    }

    /// Runs `f` in one write transaction on this thread: committed if `f` succeeds,
    /// rolled back whole if it fails.
    pub fn write_now<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&Transaction) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.transaction(TransactionBehavior::Immediate, f)
    }

    /// Runs `f` in a transaction that begins as `behavior` says; committed if `f`
    /// succeeds, rolled back (dropped) if it fails.
    fn transaction<T, E: From<DbError>>(
        &self,
        behavior: TransactionBehavior,
        f: impl FnOnce(&Transaction) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let mut taken = self.take();
        let conn = taken.conn.as_mut().ok_or(DbError::Lost)?;
        let tx = conn
            .transaction_with_behavior(behavior)
            .map_err(DbError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(DbError::from)?;
        Ok(value)
    }

    /// [`Db::read_now`] on a blocking thread.
    pub async fn read<T: Send + 'static, E: From<DbError> + Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Connection) -> std::result::Result<T, E> + Send + 'static,
    ) -> std::result::Result<T, E> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.read_now(f))
            .await
            .map_err(|_| DbError::Lost)?
    }

    /// [`Db::write_now`] on a blocking thread.
    pub async fn write<T: Send + 'static, E: From<DbError> + Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Transaction) -> std::result::Result<T, E> + Send + 'static,
    ) -> std::result::Result<T, E> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.write_now(f))
            .await
            .map_err(|_| DbError::Lost)?
    }

    /// Copies what the WAL holds back into the database, without waiting for readers
    /// or writers (a passive checkpoint); the service runs it every few seconds.
    pub fn checkpoint(&self) -> Result<()> {
        self.outside_transaction(|c| {
            c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
            Ok::<_, DbError>(())
        })
    }

    /// Writes a consistent copy of the database to `target` (SQLite's own backup).
    pub fn backup(&self, target: &Path) -> Result<()> {
        self.outside_transaction(|c| {
            c.execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
            Ok::<_, DbError>(())
        })
    }

    /// Whether the database file is intact: SQLite's own answer.
    pub fn integrity(&self) -> Result<String> {
        self.outside_transaction(|c| {
            Ok::<_, DbError>(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
        })
    }
}

/// Runs the migrations not yet run, each in its own transaction.
fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        // Rebuilding tables needs the foreign keys off for the moment (SQLite's own
        // recipe); they are checked whole before the migration commits.
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        let tx = conn.transaction()?;
        tx.execute_batch(migration)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        let broken: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            return Err(DbError::Sqlite(format!(
                "migrering {} lämnar {broken} rader utan sin förälder",
                i + 1
            )));
        }
        tx.commit()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    Ok(())
}

/// A migrated database in memory, for the tests of the layers that take a connection.
#[cfg(test)]
pub fn in_memory() -> Connection {
    let mut conn = Connection::open_in_memory().expect("SQLite opens a database in memory");
    migrate(&mut conn).expect("the migrations run on an empty database");
    conn.pragma_update(None, "foreign_keys", "ON")
        .expect("foreign keys can be switched on");
    conn
}

/// Now, as stored: an RFC 3339 time in UTC, to the millisecond.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_sees_one_snapshot_though_a_write_commits_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("spur.sqlite")).unwrap();
        let (before, after) = db
            .read_now(|c| {
                let before = accounts::count(c)?;
                db.write_now(|tx| accounts::add(tx, "per@example.se", "Per", "x", false))?;
                Ok::<_, DbError>((before, accounts::count(c)?))
            })
            .unwrap();
        assert_eq!(before, after);
        assert_eq!(db.read_now(accounts::count).unwrap(), before + 1);
    }

    #[test]
    fn a_plan_saved_before_the_typed_entries_keeps_its_file_through_the_migration() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (i, migration) in MIGRATIONS[..8].iter().enumerate() {
            conn.execute_batch(migration).unwrap();
            conn.pragma_update(None, "user_version", (i + 1) as i64)
                .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO inspections (id, created, stage) VALUES (1, '2025-01-01', 'plan');
             INSERT INTO plan_saves (inspection_id, text, kind, saved_by, saved)
                 VALUES (1, 'unit: Boo', 'submitted', 'enheten', '2025-04-01');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let (text, entries): (Option<String>, Option<String>) = conn
            .query_row("SELECT text, entries FROM plan_saves", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((text.as_deref(), entries), (Some("unit: Boo"), None));
        // A submission without its file is refused by the table itself.
        let refused = conn.execute(
            "INSERT INTO plan_saves (inspection_id, entries, kind, saved_by, saved)
             VALUES (1, '{}', 'submitted', 'enheten', '2025-04-02')",
            [],
        );
        assert!(refused.is_err());
    }

    #[test]
    fn a_kept_e_mail_becomes_typed_parts_and_a_waiting_password_token_is_dropped() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (i, migration) in MIGRATIONS[..9].iter().enumerate() {
            conn.execute_batch(migration).unwrap();
            conn.pragma_update(None, "user_version", (i + 1) as i64)
                .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO outbox (event, recipient, link, subject, body, secret, state, next_try, created) VALUES
                ('a', 'eva@boo.se', 'unit', 'S', 'Hej\n[länken, som bara står i själva e-postbrevet]\nSlut', NULL, 'queued', 'x', 'x'),
                ('b', 'anna@lipus.se', 'none', 'S', 'Hej\n[granskningens adress i spur]\nspur', NULL, 'sent', 'x', 'x'),
                ('c', 'per@lipus.se', 'password', 'S', 'Hej\n[länken, som bara står i själva e-postbrevet]\n', 'TOKEN', 'queued', 'x', 'x');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let rows: Vec<(String, String, Option<String>, String)> = conn
            .prepare("SELECT link, body, after, state FROM outbox ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let row = |link: &str, body: &str, after: Option<&str>, state: &str| {
            (
                link.into(),
                body.into(),
                after.map(Into::into),
                state.into(),
            )
        };
        assert_eq!(
            rows,
            [
                row("unit", "Hej\n", Some("\nSlut"), "queued"),
                row("inspection", "Hej\n", Some("\nspur"), "sent"),
                row("password", "Hej\n", Some("\n"), "failed"),
            ]
        );
    }
}
