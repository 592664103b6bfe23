//! Who works on an inspection: its co-inspectors and the unit's contacts.

use rusqlite::Transaction;

use crate::db::accounts::{self, Account};
use crate::db::{contacts, inspections, log};
use crate::error::AppError;
use crate::mail::{self, Named};

/// Adds the inspector with `email` to inspection `id`; false if there is no such
/// account (or it is a member already).
pub fn add_member(
    tx: &Transaction,
    id: i64,
    by: &Account,
    email: &str,
    named: &Named,
) -> Result<bool, AppError> {
    let added = inspections::add_member(tx, id, email)?;
    if added {
        log::record(tx, &by.email, &format!("lade till {email}"), Some(id))?;
        if let Some(account) = accounts::active(tx, email)? {
            mail::tell_member(tx, id, named, &account, &by.name)?;
        }
    }
    Ok(added)
}

/// Adds a contact of the unit; false if it has one with that address already.
pub fn add_contact(
    tx: &Transaction,
    id: i64,
    who: &str,
    contact: &contacts::Contact,
) -> Result<bool, AppError> {
    let added = contacts::add(tx, id, contact, who)?;
    if added {
        let what = format!("lade till kontakten {}", contact.email);
        log::record(tx, who, &what, Some(id))?;
    }
    Ok(added)
}

/// Removes contact `contact` of the unit; false if there was none.
pub fn remove_contact(
    tx: &Transaction,
    id: i64,
    who: &str,
    contact: i64,
) -> Result<bool, AppError> {
    let removed = contacts::remove(tx, id, contact)?;
    if removed {
        log::record(tx, who, "tog bort en kontakt", Some(id))?;
    }
    Ok(removed)
}
