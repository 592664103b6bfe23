//! The follow-up of an accepted plan: the unit's reports on each action, and the
//! inspectors' answers to them.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::{DbError, Result, now};
use spur_core::plan::{Progress, Report};

/// The inspectors' answer on an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Confirmed as carried out, that day.
    Confirmed(NaiveDate),
    /// More asked of the unit, with why.
    More(String),
}

fn broken(what: &str, value: &str) -> DbError {
    DbError::Sqlite(format!("{what}: okänt värde ”{value}”"))
}

/// Keeps the unit's report on the action for `indicator`.
pub fn report(c: &Connection, inspection: i64, indicator: &str, report: &Report) -> Result<()> {
    c.execute(
        "INSERT INTO follow_up_reports (inspection_id, indicator, date, status, text, written)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            inspection,
            indicator,
            report.date.to_string(),
            report.status.key(),
            report.text,
            now()
        ],
    )?;
    Ok(())
}

/// Every report of the inspection, oldest first, with its indicator.
pub fn reports(c: &Connection, inspection: i64) -> Result<Vec<(String, Report)>> {
    let mut stmt = c.prepare(
        "SELECT indicator, date, status, text FROM follow_up_reports
         WHERE inspection_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([inspection], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (indicator, date, status, text) = row?;
        let report = Report {
            date: date
                .parse()
                .map_err(|_| broken("follow_up_reports.date", &date))?,
            status: Progress::from_key(&status)
                .ok_or_else(|| broken("follow_up_reports.status", &status))?,
            text,
        };
        found.push((indicator, report));
    }
    Ok(found)
}

/// Keeps the inspectors' answer on the action for `indicator`: a confirmation with its
/// day, a request for more dated `today`.
pub fn answer(
    c: &Connection,
    inspection: i64,
    indicator: &str,
    answer: &Answer,
    today: NaiveDate,
    by: &str,
) -> Result<()> {
    let (verdict, reason, date) = match answer {
        Answer::Confirmed(day) => ("confirmed", "", *day),
        Answer::More(reason) => ("more", reason.as_str(), today),
    };
    c.execute(
        "INSERT INTO follow_up_answers (inspection_id, indicator, verdict, reason, date, answered_by, answered)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![inspection, indicator, verdict, reason, date.to_string(), by, now()],
    )?;
    Ok(())
}

/// The latest answer on each action, by indicator.
pub fn answers(c: &Connection, inspection: i64) -> Result<Vec<(String, Answer)>> {
    let mut stmt = c.prepare(
        "SELECT indicator, verdict, reason, date FROM follow_up_answers
         WHERE inspection_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([inspection], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut latest: Vec<(String, Answer)> = Vec::new();
    for row in rows {
        let (indicator, verdict, reason, date) = row?;
        let answer = match verdict.as_str() {
            "confirmed" => Answer::Confirmed(
                date.parse()
                    .map_err(|_| broken("follow_up_answers.date", &date))?,
            ),
            "more" => Answer::More(reason),
            other => return Err(broken("follow_up_answers.verdict", other)),
        };
        latest.retain(|(i, _)| *i != indicator);
        latest.push((indicator, answer));
    }
    Ok(latest)
}
