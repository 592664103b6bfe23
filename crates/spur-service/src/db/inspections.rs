//! Inspections: their members, every version of the questionnaire, and their place in
//! the cycle ([`State`]), with every change of stage kept.

use rusqlite::{Connection, OptionalExtension, params};

use super::accounts::Account;
use super::{DbError, Result, now};
use spur_cycle::workflow::{PlanStatus, Stage, State, Waiting};

/// One inspection in the inspector's list.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The row id.
    pub id: i64,
    /// The latest questionnaire's text.
    pub text: String,
    /// The latest questionnaire's draft, when it was saved from the pages (JSON).
    pub draft: Option<String>,
    /// Where it stands.
    pub state: State,
    /// What else tells whose turn it is.
    pub waiting: Waiting,
}

/// The columns of [`Waiting`] for inspection `i`: whether the unit sent in its
/// fact-check, and how many actions not confirmed have a report "done" newer than the
/// inspectors' last answer on them — each waits for a confirmation or a request for
/// more.
const WAITING_COLUMNS: &str = "coalesce((SELECT f.submitted IS NOT NULL FROM fact_checks f WHERE f.inspection_id = i.id), 0),
     (SELECT count(DISTINCT r.indicator) FROM follow_up_reports r
      WHERE r.inspection_id = i.id AND r.status = 'done'
        AND NOT EXISTS (SELECT 1 FROM follow_up_answers a WHERE a.inspection_id = i.id
                        AND a.indicator = r.indicator AND a.verdict = 'confirmed')
        AND r.written > coalesce((SELECT max(a.answered) FROM follow_up_answers a
                                  WHERE a.inspection_id = i.id AND a.indicator = r.indicator), ''))";

fn waiting_of(r: &rusqlite::Row, first: usize) -> rusqlite::Result<Waiting> {
    let reports: i64 = r.get(first + 1)?;
    Ok(Waiting {
        fact_check_submitted: r.get(first)?,
        reports_to_answer: usize::try_from(reports).unwrap_or(0),
    })
}

/// What, beside its state, tells whose turn it is at inspection `id`.
pub fn waiting(c: &Connection, id: i64) -> Result<Waiting> {
    Ok(c.query_row(
        &format!("SELECT {WAITING_COLUMNS} FROM inspections i WHERE i.id = ?1"),
        [id],
        |r| waiting_of(r, 0),
    )?)
}

fn bad_value(column: usize, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("okänt värde ”{value}”").into(),
    )
}

/// Reads a [`State`] from the five columns starting at `first`.
fn state_of(r: &rusqlite::Row, first: usize) -> rusqlite::Result<State> {
    let stage: String = r.get(first)?;
    let plan: String = r.get(first + 1)?;
    let received: Option<String> = r.get(first + 4)?;
    Ok(State {
        stage: Stage::from_key(&stage).ok_or_else(|| bad_value(first, &stage))?,
        plan: PlanStatus::from_key(&plan).ok_or_else(|| bad_value(first + 1, &plan))?,
        plan_version: r.get(first + 2)?,
        submitted: r.get(first + 3)?,
        received: received
            .map(|d| d.parse().map_err(|_| bad_value(first + 4, &d)))
            .transpose()?,
    })
}

const STATE_COLUMNS: &str = "stage, plan_status, plan_version, submitted_plan, plan_received";

/// Creates an inspection, with its creator as member; its first questionnaire is
/// added next, in the same transaction.
pub fn create(c: &Connection, account: &Account) -> Result<i64> {
    c.execute(
        "INSERT INTO inspections (created_by, created) VALUES (?1, ?2)",
        params![account.id, now()],
    )?;
    let id = c.last_insert_rowid();
    c.execute(
        "INSERT INTO members (inspection_id, account_id) VALUES (?1, ?2)",
        params![id, account.id],
    )?;
    Ok(id)
}

/// Keeps an uploaded file as a new version of the questionnaire.
pub fn add_questionnaire(c: &Connection, inspection: i64, text: &str, by: &str) -> Result<()> {
    c.execute(
        "INSERT INTO questionnaires (inspection_id, text, saved_by, saved) VALUES (?1, ?2, ?3, ?4)",
        params![inspection, text, by, now()],
    )?;
    Ok(())
}

/// The text of the latest questionnaire of an inspection.
pub fn questionnaire(c: &Connection, inspection: i64) -> Result<String> {
    Ok(c.query_row(
        "SELECT text FROM questionnaires WHERE inspection_id = ?1 ORDER BY id DESC LIMIT 1",
        [inspection],
        |r| r.get(0),
    )?)
}

/// Where the inspection stands.
pub fn state(c: &Connection, inspection: i64) -> Result<State> {
    Ok(c.query_row(
        &format!("SELECT {STATE_COLUMNS} FROM inspections WHERE id = ?1"),
        [inspection],
        |r| state_of(r, 0),
    )?)
}

/// Stores the inspection's new state; a change of stage or plan status is kept with
/// who made it, when, and why.
pub fn set_state(
    c: &Connection,
    inspection: i64,
    old: &State,
    new: &State,
    by: &str,
    reason: &str,
) -> Result<()> {
    c.execute(
        "UPDATE inspections SET stage = ?2, plan_status = ?3, plan_version = ?4, submitted_plan = ?5, plan_received = ?6
         WHERE id = ?1",
        params![
            inspection,
            new.stage.key(),
            new.plan.key(),
            new.plan_version,
            new.submitted,
            new.received.map(|d| d.to_string())
        ],
    )?;
    if (old.stage, old.plan) != (new.stage, new.plan) {
        c.execute(
            "INSERT INTO stage_changes (inspection_id, stage, plan_status, reason, changed_by, changed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![inspection, new.stage.key(), new.plan.key(), reason, by, now()],
        )?;
    }
    Ok(())
}

/// One kept change of stage.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    /// The stage it went to, as people read it.
    pub stage: &'static str,
    /// Why, when a reason was asked for.
    pub reason: String,
    /// Who.
    pub by: String,
    /// When (UTC).
    pub at: String,
}

/// Every change of stage, oldest first.
pub fn changes(c: &Connection, inspection: i64) -> Result<Vec<Change>> {
    let mut stmt = c.prepare(
        "SELECT stage, reason, changed_by, changed FROM stage_changes WHERE inspection_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([inspection], |r| {
        let stage: String = r.get(0)?;
        Ok(Change {
            stage: Stage::from_key(&stage)
                .ok_or_else(|| bad_value(0, &stage))?
                .label(),
            reason: r.get(1)?,
            by: r.get(2)?,
            at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether `account` may see the inspection: a member, or an admin. `Missing` when
/// there is no such inspection.
pub fn may_see(c: &Connection, inspection: i64, account: &Account) -> Result<bool> {
    let member: Option<bool> = c
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM members WHERE inspection_id = ?1 AND account_id = ?2)
             FROM inspections WHERE id = ?1",
            params![inspection, account.id],
            |r| r.get(0),
        )
        .optional()?;
    match member {
        None => Err(DbError::Missing),
        Some(member) => Ok(member || account.admin),
    }
}

/// Adds the account with `email` as a member; false if there is no such account.
pub fn add_member(c: &Connection, inspection: i64, email: &str) -> Result<bool> {
    let account: Option<i64> = c
        .query_row("SELECT id FROM accounts WHERE email = ?1", [email], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(account) = account else {
        return Ok(false);
    };
    c.execute(
        "INSERT OR IGNORE INTO members (inspection_id, account_id) VALUES (?1, ?2)",
        params![inspection, account],
    )?;
    Ok(true)
}

/// The inspection's members, by name.
pub fn members(c: &Connection, inspection: i64) -> Result<Vec<Account>> {
    members_by(c, inspection, MEMBERS)
}

/// The inspection's members whose accounts are active: those its e-mails go to.
pub fn active_members(c: &Connection, inspection: i64) -> Result<Vec<Account>> {
    members_by(c, inspection, ACTIVE_MEMBERS)
}

const MEMBERS: &str =
    "SELECT a.id, a.email, a.name, a.admin FROM members m JOIN accounts a ON a.id = m.account_id
     WHERE m.inspection_id = ?1 ORDER BY a.name, a.email";

const ACTIVE_MEMBERS: &str =
    "SELECT a.id, a.email, a.name, a.admin FROM members m JOIN accounts a ON a.id = m.account_id
     WHERE m.inspection_id = ?1 AND a.active = 1 ORDER BY a.name, a.email";

/// The members `query` (one of the two above) finds.
fn members_by(c: &Connection, inspection: i64, query: &str) -> Result<Vec<Account>> {
    let mut stmt = c.prepare(query)?;
    let rows = stmt.query_map([inspection], |r| {
        Ok(Account {
            id: r.get(0)?,
            email: r.get(1)?,
            name: r.get(2)?,
            admin: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The inspections `account` may see, newest first.
pub fn visible(c: &Connection, account: &Account) -> Result<Vec<Listed>> {
    let mut stmt = c.prepare(&format!(
        "SELECT i.id, q.text, q.draft, {STATE_COLUMNS}, {WAITING_COLUMNS}
         FROM inspections i
         JOIN questionnaires q ON q.id = (SELECT max(id) FROM questionnaires WHERE inspection_id = i.id)
         WHERE ?2 OR EXISTS (SELECT 1 FROM members m WHERE m.inspection_id = i.id AND m.account_id = ?1)
         ORDER BY i.id DESC"
    ))?;
    let rows = stmt.query_map(params![account.id, account.admin], |r| {
        Ok(Listed {
            id: r.get(0)?,
            text: r.get(1)?,
            draft: r.get(2)?,
            state: state_of(r, 3)?,
            waiting: waiting_of(r, 8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
