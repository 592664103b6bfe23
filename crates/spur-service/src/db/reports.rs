//! The reports as stored when they were established: the PDF, its SHA-256, and the
//! questionnaire version it was made from.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{DbError, Result, now};

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// As established: the grades and the deficiencies, no plan yet.
    Established,
    /// After the plan was accepted: re-graded, with HANDLINGSPLAN.
    Final,
}

impl Kind {
    const ALL: [Kind; 2] = [Kind::Established, Kind::Final];

    /// The name stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Established => "established",
            Kind::Final => "final",
        }
    }

    /// As people read it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Established => "Fastställd rapport",
            Kind::Final => "Slutlig rapport",
        }
    }
}

/// A stored report, without its bytes.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The row id.
    pub id: i64,
    /// Which report.
    pub kind: Kind,
    /// The PDF's SHA-256, in hex.
    pub sha256: String,
    /// When it was stored (UTC).
    pub made: String,
}

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stores `pdf` as the inspection's `kind` report, made from questionnaire version
/// `questionnaire`.
pub fn store(
    c: &Connection,
    inspection: i64,
    kind: Kind,
    questionnaire: i64,
    pdf: &[u8],
    by: &str,
) -> Result<()> {
    c.execute(
        "INSERT INTO reports (inspection_id, kind, questionnaire_id, pdf, sha256, made_by, made)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            inspection,
            kind.key(),
            questionnaire,
            pdf,
            sha256(pdf),
            by,
            now()
        ],
    )?;
    Ok(())
}

/// The report stored last, if any.
pub fn latest(c: &Connection, inspection: i64) -> Result<Option<Stored>> {
    let row: Option<(i64, String, String, String)> = c
        .query_row(
            "SELECT id, kind, sha256, made FROM reports WHERE inspection_id = ?1
             ORDER BY id DESC LIMIT 1",
            [inspection],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    row.map(|(id, kind, sha256, made)| {
        Ok(Stored {
            id,
            kind: Kind::ALL
                .into_iter()
                .find(|k| k.key() == kind)
                .ok_or_else(|| DbError::Sqlite(format!("reports.kind: okänt värde ”{kind}”")))?,
            sha256,
            made,
        })
    })
    .transpose()
}

/// The PDF of stored report `id`, byte for byte.
pub fn pdf(c: &Connection, id: i64) -> Result<Vec<u8>> {
    Ok(c.query_row("SELECT pdf FROM reports WHERE id = ?1", [id], |r| r.get(0))?)
}
