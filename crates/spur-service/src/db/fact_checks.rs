//! The unit's fact-check: when it was sent and is due, when the unit submitted it,
//! and its comments with the inspectors' answers.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{DbError, Result, now};
use spur_core::catalog::Catalog;
use spur_cycle::fact_check::{self, Answer, Place, Readiness};

/// A fact-check as sent.
#[derive(Debug, Clone)]
pub struct Sent {
    /// Its last day.
    pub due: NaiveDate,
    /// When the unit submitted it (UTC), if it has.
    pub submitted: Option<String>,
}

/// One comment of the unit, with the inspectors' answer once given.
#[derive(Debug, Clone)]
pub struct Comment {
    /// The row id, which the answer form names.
    pub id: i64,
    /// Where in the report it belongs.
    pub place: Place,
    /// The unit's text, as typed.
    pub text: String,
    /// The answer, with its reason, once given.
    pub answer: Option<(Answer, String)>,
}

fn broken(what: &str, value: &str) -> DbError {
    DbError::Sqlite(format!("{what}: okänt värde ”{value}”"))
}

/// Records that the report was sent for fact-check, due on `due`.
pub fn send(c: &Connection, inspection: i64, due: NaiveDate, by: &str) -> Result<()> {
    c.execute(
        "INSERT INTO fact_checks (inspection_id, due, sent_by, sent) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (inspection_id) DO UPDATE SET due = ?2, sent_by = ?3, sent = ?4, submitted = NULL",
        params![inspection, due.to_string(), by, now()],
    )?;
    Ok(())
}

/// The fact-check of an inspection, if it was sent.
pub fn sent(c: &Connection, inspection: i64) -> Result<Option<Sent>> {
    let row: Option<(String, Option<String>)> = c
        .query_row(
            "SELECT due, submitted FROM fact_checks WHERE inspection_id = ?1",
            [inspection],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(due, submitted)| {
        Ok(Sent {
            due: due.parse().map_err(|_| broken("fact_checks.due", &due))?,
            submitted,
        })
    })
    .transpose()
}

/// Records the unit's submission.
pub fn submit(c: &Connection, inspection: i64) -> Result<()> {
    c.execute(
        "UPDATE fact_checks SET submitted = ?2 WHERE inspection_id = ?1 AND submitted IS NULL",
        params![inspection, now()],
    )?;
    Ok(())
}

/// Keeps a comment of the unit.
pub fn comment(c: &Connection, inspection: i64, place: Place, text: &str) -> Result<()> {
    c.execute(
        "INSERT INTO fact_check_comments (inspection_id, place, text, written) VALUES (?1, ?2, ?3, ?4)",
        params![inspection, place.key(), text, now()],
    )?;
    Ok(())
}

/// Removes the unit's comment `id`, unanswered, and gives back its place and text;
/// none when the inspection has no such comment, or it is answered.
pub fn remove_comment(c: &Connection, inspection: i64, id: i64) -> Result<Option<(Place, String)>> {
    let found = comments(c, inspection)?.into_iter().find(|k| k.id == id);
    let Some(comment) = found else {
        return Ok(None);
    };
    let removed = c.execute(
        "DELETE FROM fact_check_comments WHERE inspection_id = ?1 AND id = ?2 AND answer IS NULL",
        params![inspection, id],
    )?;
    Ok((removed == 1).then_some((comment.place, comment.text)))
}

/// Keeps the inspectors' answer to comment `id`; false when the inspection has no such
/// comment.
pub fn answer(
    c: &Connection,
    inspection: i64,
    id: i64,
    answer: Answer,
    reason: &str,
    by: &str,
) -> Result<bool> {
    let changed = c.execute(
        "UPDATE fact_check_comments SET answer = ?3, reason = ?4, answered_by = ?5, answered = ?6
         WHERE inspection_id = ?1 AND id = ?2",
        params![inspection, id, answer.key(), reason, by, now()],
    )?;
    Ok(changed == 1)
}

/// The unit's comments, in the order written.
pub fn comments(c: &Connection, inspection: i64) -> Result<Vec<Comment>> {
    let catalog = Catalog::embedded();
    let mut stmt = c.prepare(
        "SELECT id, place, text, answer, reason FROM fact_check_comments
         WHERE inspection_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([inspection], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (id, place, text, answer, reason) = row?;
        let place = Place::from_key(catalog, &place)
            .ok_or_else(|| broken("fact_check_comments.place", &place))?;
        let answer = match answer {
            Some(a) => Some((
                Answer::from_key(&a).ok_or_else(|| broken("fact_check_comments.answer", &a))?,
                reason,
            )),
            None => None,
        };
        found.push(Comment {
            id,
            place,
            text,
            answer,
        });
    }
    Ok(found)
}

/// Whether the fact-check lets the report be established, on `today`.
pub fn readiness(c: &Connection, inspection: i64, today: NaiveDate) -> Result<Readiness> {
    let sent = sent(c, inspection)?;
    let unanswered: i64 = c.query_row(
        "SELECT count(*) FROM fact_check_comments WHERE inspection_id = ?1 AND answer IS NULL",
        [inspection],
        |r| r.get(0),
    )?;
    Ok(fact_check::readiness(
        sent.as_ref().map(|s| s.due),
        sent.as_ref().is_some_and(|s| s.submitted.is_some()),
        usize::try_from(unanswered).unwrap_or(usize::MAX),
        today,
    ))
}
