//! The unit's contacts for an inspection (SPEC §8.7): recorded by its inspectors, held
//! by the service, not in the questionnaire; they get the cycle's e-mails to the unit.

use rusqlite::{Connection, params};

use super::{Result, now};

/// A contact of the unit.
#[derive(Debug, Clone)]
pub struct Contact {
    /// The row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Role at the unit, e.g. "studierektor".
    pub role: String,
    /// E-mail address.
    pub email: String,
}

/// Adds a contact; false if the inspection has one with that address already.
pub fn add(c: &Connection, inspection: i64, contact: &Contact, by: &str) -> Result<bool> {
    let added = c.execute(
        "INSERT INTO contacts (inspection_id, name, role, email, added_by, added) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (inspection_id, email) DO NOTHING",
        params![inspection, contact.name, contact.role, contact.email, by, now()],
    )?;
    Ok(added == 1)
}

/// Removes contact `id` of the inspection; false if there was none.
pub fn remove(c: &Connection, inspection: i64, id: i64) -> Result<bool> {
    Ok(c.execute(
        "DELETE FROM contacts WHERE inspection_id = ?1 AND id = ?2",
        params![inspection, id],
    )? == 1)
}

/// The inspection's contacts, in the order they were added.
pub fn of(c: &Connection, inspection: i64) -> Result<Vec<Contact>> {
    let mut statement = c.prepare(
        "SELECT id, name, role, email FROM contacts WHERE inspection_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([inspection], |r| {
        Ok(Contact {
            id: r.get(0)?,
            name: r.get(1)?,
            role: r.get(2)?,
            email: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
