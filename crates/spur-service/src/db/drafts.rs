//! Every version of an inspection's questionnaire as the inspectors saved it — an
//! uploaded file as it was, or a form's draft — and the fields two of them changed
//! differently, kept until a person chooses.

use rusqlite::{Connection, OptionalExtension, params};

use super::{DbError, Result, now};
use spur_cycle::draft::{Conflict, Draft, Field, Value};

/// What made a version of the questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An uploaded file, its text as it was.
    Upload,
    /// A save of one of the questionnaire's pages.
    Form,
    /// A person's choice between two texts of one field.
    Choice,
    /// The report's date, set by the service as the report was established.
    Dated,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Upload, Kind::Form, Kind::Choice, Kind::Dated];

    /// The name stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Upload => "upload",
            Kind::Form => "form",
            Kind::Choice => "choice",
            Kind::Dated => "dated",
        }
    }

    /// What the history says of it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Upload => "uppladdad fil",
            Kind::Form => "sparad i formuläret",
            Kind::Choice => "val mellan två texter",
            Kind::Dated => "rapportens datum satt när den fastställdes",
        }
    }
}

/// One kept version.
#[derive(Debug, Clone)]
pub struct Version {
    /// The row id: the version a page sends back with its save.
    pub id: i64,
    /// What made it.
    pub kind: Kind,
    /// The questionnaire file.
    pub text: String,
    /// The draft as typed, for a form's save (JSON).
    pub draft: Option<String>,
    /// Who saved it.
    pub by: String,
    /// When (UTC).
    pub at: String,
}

fn version_of(r: &rusqlite::Row) -> rusqlite::Result<Version> {
    let kind: String = r.get(1)?;
    Ok(Version {
        id: r.get(0)?,
        kind: Kind::ALL
            .into_iter()
            .find(|k| k.key() == kind)
            .ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    format!("okänt värde ”{kind}”").into(),
                )
            })?,
        text: r.get(2)?,
        draft: r.get(3)?,
        by: r.get(4)?,
        at: r.get(5)?,
    })
}

const COLUMNS: &str = "id, kind, text, draft, saved_by, saved";

/// The latest version of the inspection's questionnaire.
pub fn latest(c: &Connection, inspection: i64) -> Result<Version> {
    Ok(c.query_row(
        &format!(
            "SELECT {COLUMNS} FROM questionnaires WHERE inspection_id = ?1 ORDER BY id DESC LIMIT 1"
        ),
        [inspection],
        version_of,
    )?)
}

/// Version `id`, if it is one of this inspection's.
pub fn get(c: &Connection, inspection: i64, id: i64) -> Result<Option<Version>> {
    Ok(c.query_row(
        &format!("SELECT {COLUMNS} FROM questionnaires WHERE inspection_id = ?1 AND id = ?2"),
        params![inspection, id],
        version_of,
    )
    .optional()?)
}

/// Keeps a version written from `draft`, made from version `based_on`; returns its id.
pub fn add(
    c: &Connection,
    inspection: i64,
    kind: Kind,
    based_on: Option<i64>,
    text: &str,
    draft: &Draft,
    by: &str,
) -> Result<i64> {
    let json = draft
        .to_json()
        .map_err(|e| DbError::Sqlite(e.to_string()))?;
    c.execute(
        "INSERT INTO questionnaires (inspection_id, kind, based_on, text, draft, saved_by, saved)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![inspection, kind.key(), based_on, text, json, by, now()],
    )?;
    Ok(c.last_insert_rowid())
}

/// A field two saves changed differently, not yet chosen between.
#[derive(Debug, Clone)]
pub struct Open {
    /// The row id, which the page's choice names.
    pub id: i64,
    /// The field.
    pub field: Field,
    /// The later save's text, kept beside the stored one.
    pub theirs: Value,
    /// Who saved the later text.
    pub by: String,
    /// When (UTC).
    pub at: String,
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| DbError::Sqlite(e.to_string()))
}

/// Keeps `conflict`, found by save `save_id`.
pub fn add_conflict(
    c: &Connection,
    inspection: i64,
    save_id: i64,
    conflict: &Conflict,
) -> Result<()> {
    c.execute(
        "INSERT INTO draft_conflicts (inspection_id, save_id, field, theirs) VALUES (?1, ?2, ?3, ?4)",
        params![inspection, save_id, json(&conflict.field)?, json(&conflict.theirs)?],
    )?;
    Ok(())
}

/// The fields of the inspection still holding two texts, oldest first.
pub fn open(c: &Connection, inspection: i64) -> Result<Vec<Open>> {
    let mut stmt = c.prepare(
        "SELECT d.id, d.field, d.theirs, q.saved_by, q.saved
         FROM draft_conflicts d JOIN questionnaires q ON q.id = d.save_id
         WHERE d.inspection_id = ?1 AND d.resolved IS NULL ORDER BY d.id",
    )?;
    let rows = stmt.query_map([inspection], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (id, field, theirs, by, at) = row?;
        let bad = |e: serde_json::Error| DbError::Sqlite(format!("draft_conflicts {id}: {e}"));
        found.push(Open {
            id,
            field: serde_json::from_str(&field).map_err(bad)?,
            theirs: serde_json::from_str(&theirs).map_err(bad)?,
            by,
            at,
        });
    }
    Ok(found)
}

/// Marks conflict `id` of the inspection chosen; false when it is not an open one.
pub fn resolve(c: &Connection, inspection: i64, id: i64, by: &str) -> Result<bool> {
    let changed = c.execute(
        "UPDATE draft_conflicts SET resolved_by = ?3, resolved = ?4
         WHERE inspection_id = ?1 AND id = ?2 AND resolved IS NULL",
        params![inspection, id, by, now()],
    )?;
    Ok(changed == 1)
}

/// One line of the questionnaire's history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Line {
    /// The version's id.
    pub id: i64,
    /// What made it, as people read it.
    pub kind: &'static str,
    /// Who.
    pub by: String,
    /// When (UTC).
    pub at: String,
}

/// The latest 200 versions, newest first.
pub fn history(c: &Connection, inspection: i64) -> Result<Vec<Line>> {
    let mut stmt = c.prepare(&format!(
        "SELECT {COLUMNS} FROM questionnaires WHERE inspection_id = ?1 ORDER BY id DESC LIMIT 200"
    ))?;
    let rows = stmt.query_map([inspection], version_of)?;
    rows.map(|v| {
        let v = v?;
        Ok(Line {
            id: v.id,
            kind: v.kind.label(),
            by: v.by,
            at: v.at,
        })
    })
    .collect()
}

/// Whether `id` names an open conflict of the inspection, and which.
pub fn open_one(c: &Connection, inspection: i64, id: i64) -> Result<Option<Open>> {
    Ok(open(c, inspection)?.into_iter().find(|o| o.id == id))
}
