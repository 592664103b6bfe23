//! The unit's plan: every save kept (those refused as made from an older version too),
//! and the inspectors' decisions, each bound to the plan version it was made on.

use rusqlite::{Connection, OptionalExtension, params};

use super::{DbError, Result, now};
use spur_cycle::plan_form::Entries;
use spur_cycle::review::{Decision, Verdict};

/// What a plan save was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    /// Kept as typed.
    Saved,
    /// Kept and submitted to the inspectors.
    Submitted,
    /// Made from an older version: kept beside the stored one, not over it.
    Refused,
}

impl SaveKind {
    /// The name stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            SaveKind::Saved => "saved",
            SaveKind::Submitted => "submitted",
            SaveKind::Refused => "refused",
        }
    }

    fn from_key(key: &str) -> Option<SaveKind> {
        [SaveKind::Saved, SaveKind::Submitted, SaveKind::Refused]
            .into_iter()
            .find(|k| k.key() == key)
    }

    /// What the history says of it.
    pub fn label(self) -> &'static str {
        match self {
            SaveKind::Saved => "sparad",
            SaveKind::Submitted => "inskickad",
            SaveKind::Refused => {
                "inte sparad över den senare versionen: gjord från en äldre (texten finns kvar)"
            }
        }
    }
}

/// A kept version of the plan.
#[derive(Debug, Clone)]
pub struct Save {
    /// The row id: the version a form sends back.
    pub id: i64,
    /// The plan file, for a submitted save or one that came in a file.
    pub text: Option<String>,
    /// What the unit typed, field by field, for a save made in the form.
    pub entries: Option<Entries>,
    /// When (UTC).
    pub saved: String,
}

/// What a save keeps: what was typed, the file, or both (a submission).
pub struct Kept<'a> {
    /// What the unit typed, field by field.
    pub entries: Option<&'a Entries>,
    /// The plan file.
    pub text: Option<&'a str>,
}

/// Keeps a save; returns its id.
pub fn insert(
    c: &Connection,
    inspection: i64,
    kept: &Kept,
    based_on: Option<i64>,
    kind: SaveKind,
    by: &str,
) -> Result<i64> {
    let entries = kept
        .entries
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| DbError::Sqlite(format!("handlingsplanen kunde inte sparas: {e}")))?;
    c.execute(
        "INSERT INTO plan_saves (inspection_id, text, entries, based_on, kind, saved_by, saved) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![inspection, kept.text, entries, based_on, kind.key(), by, now()],
    )?;
    Ok(c.last_insert_rowid())
}

/// The save with this id.
pub fn get(c: &Connection, id: i64) -> Result<Option<Save>> {
    let row = c
        .query_row(
            "SELECT id, text, entries, saved FROM plan_saves WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((id, text, entries, saved)) = row else {
        return Ok(None);
    };
    let entries = entries
        .map(|json| serde_json::from_str(&json))
        .transpose()
        .map_err(|e| DbError::Unreadable(format!("handlingsplanens version {id}: {e}")))?;
    Ok(Some(Save {
        id,
        text,
        entries,
        saved,
    }))
}

/// One line of the plan's history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryLine {
    /// When (UTC).
    pub at: String,
    /// What the save was, as people read it.
    pub what: &'static str,
    /// Who.
    pub by: String,
}

/// The latest 200 saves, newest first.
pub fn history(c: &Connection, inspection: i64) -> Result<Vec<HistoryLine>> {
    let mut stmt = c.prepare(
        "SELECT kind, saved_by, saved FROM plan_saves WHERE inspection_id = ?1 ORDER BY id DESC LIMIT 200",
    )?;
    let rows = stmt.query_map([inspection], |r| {
        let kind: String = r.get(0)?;
        Ok(HistoryLine {
            what: SaveKind::from_key(&kind).map_or("okänd", SaveKind::label),
            by: r.get(1)?,
            at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Keeps the inspectors' decisions on plan version `plan_save`.
pub fn review(
    c: &Connection,
    inspection: i64,
    plan_save: i64,
    decisions: &[Decision],
    by: &str,
) -> Result<()> {
    let mut stmt = c.prepare(
        "INSERT INTO reviews (inspection_id, plan_save_id, indicator, verdict, reason, reviewed_by, saved)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let at = now();
    for d in decisions {
        stmt.execute(params![
            inspection,
            plan_save,
            d.indicator,
            d.verdict.key(),
            d.reason,
            by,
            at
        ])?;
    }
    Ok(())
}

/// The latest decision on each entry, by indicator.
pub fn decisions(c: &Connection, inspection: i64) -> Result<Vec<Decision>> {
    let mut stmt = c.prepare(
        "SELECT indicator, verdict, reason FROM reviews r WHERE inspection_id = ?1
         AND id = (SELECT max(id) FROM reviews r2 WHERE r2.inspection_id = r.inspection_id AND r2.indicator = r.indicator)
         ORDER BY indicator",
    )?;
    let rows = stmt.query_map([inspection], |r| {
        let verdict: String = r.get(1)?;
        Ok(Decision {
            indicator: r.get(0)?,
            verdict: Verdict::from_key(&verdict).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    format!("okänt beslut ”{verdict}”").into(),
                )
            })?,
            reason: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
