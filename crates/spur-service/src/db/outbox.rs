//! The outbox (SPEC §8.7): every e-mail is a row first, written in the transaction of
//! the event it tells of, and sent from here by the sender. A row goes `queued` →
//! `sending` → `sent`; one found `sending` at a start may have reached the SMTP server
//! before the crash, so it becomes `uncertain` and is never sent again: each e-mail
//! goes out at most once.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{DbError, Result, now};
use spur_cycle::notice::{Letter, Place};

/// A link's place as stored.
fn place_key(place: Option<Place>) -> &'static str {
    match place {
        None => "none",
        Some(Place::Unit) => "unit",
        Some(Place::Password) => "password",
        Some(Place::Inspection) => "inspection",
    }
}

fn place_of(key: &str) -> Option<Option<Place>> {
    [
        None,
        Some(Place::Unit),
        Some(Place::Password),
        Some(Place::Inspection),
    ]
    .into_iter()
    .find(|p| place_key(*p) == key)
}

/// Where an e-mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    /// Waiting to be sent (again, after a failure, at its next try).
    Queued,
    /// Handed to the SMTP server now.
    Sending,
    /// Accepted by the SMTP server.
    Sent,
    /// Being handed over when the service stopped: perhaps sent, never sent again.
    Uncertain,
    /// Given up after its tries.
    Failed,
}

impl MailState {
    fn key(self) -> &'static str {
        match self {
            MailState::Queued => "queued",
            MailState::Sending => "sending",
            MailState::Sent => "sent",
            MailState::Uncertain => "uncertain",
            MailState::Failed => "failed",
        }
    }

    fn from_key(key: &str) -> Option<MailState> {
        use MailState::*;
        [Queued, Sending, Sent, Uncertain, Failed]
            .into_iter()
            .find(|s| s.key() == key)
    }
}

/// An e-mail to keep.
#[derive(Debug, Clone)]
pub struct NewMail<'a> {
    /// The inspection it concerns, if any.
    pub inspection: Option<i64>,
    /// The event, unique with the recipient.
    pub event: &'a str,
    /// The address.
    pub recipient: &'a str,
    /// What it says, with the place of its link.
    pub letter: &'a Letter,
    /// How long a password link is valid, for a letter that carries one.
    pub link_hours: Option<i64>,
}

/// A kept e-mail.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The row id.
    pub id: i64,
    /// The inspection it concerns, if any.
    pub inspection: Option<i64>,
    /// The event.
    pub event: String,
    /// The address.
    pub recipient: String,
    /// What it says, with the place of its link.
    pub letter: Letter,
    /// How long a password link is valid.
    pub link_hours: Option<i64>,
    /// Where it stands.
    pub state: MailState,
    /// How many times it was handed to an SMTP server.
    pub attempts: i64,
    /// Why the last try failed.
    pub last_error: Option<String>,
    /// When it was written (UTC).
    pub created: String,
    /// When the server accepted it (UTC).
    pub sent: Option<String>,
}

const COLUMNS: &str = "id, inspection_id, event, recipient, link, link_hours, subject, body, after, state, attempts, last_error, created, sent";

fn mail_of(r: &Row) -> rusqlite::Result<Mail> {
    let bad = |i: usize, what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("okänt värde: ”{what}”").into(),
        )
    };
    let link: String = r.get(4)?;
    let place = place_of(&link).ok_or_else(|| bad(4, &link))?;
    let after: Option<String> = r.get(8)?;
    let state: String = r.get(9)?;
    Ok(Mail {
        id: r.get(0)?,
        inspection: r.get(1)?,
        event: r.get(2)?,
        recipient: r.get(3)?,
        link_hours: r.get(5)?,
        letter: Letter {
            subject: r.get(6)?,
            before: r.get(7)?,
            // The table's CHECK keeps a link's place and the text after it together.
            link: place.map(|p| (p, after.unwrap_or_default())),
        },
        state: MailState::from_key(&state).ok_or_else(|| bad(9, &state))?,
        attempts: r.get(10)?,
        last_error: r.get(11)?,
        created: r.get(12)?,
        sent: r.get(13)?,
    })
}

/// Keeps `mail`, queued to be sent now; false if this event already gave its
/// recipient an e-mail.
pub fn add(c: &Connection, mail: &NewMail) -> Result<bool> {
    let at = now();
    let added = c.execute(
        "INSERT INTO outbox (inspection_id, event, recipient, link, link_hours, subject, body, after, state, next_try, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'queued', ?9, ?9)
         ON CONFLICT (event, recipient) DO NOTHING",
        params![
            mail.inspection,
            mail.event,
            mail.recipient,
            place_key(mail.letter.place()),
            mail.link_hours,
            mail.letter.subject,
            mail.letter.before,
            mail.letter.link.as_ref().map(|(_, after)| after),
            at
        ],
    )?;
    Ok(added == 1)
}

/// The oldest e-mail due to be sent at `at`.
pub fn next_due(c: &Connection, at: &str) -> Result<Option<Mail>> {
    Ok(c.query_row(
        &format!(
            "SELECT {COLUMNS} FROM outbox WHERE state = 'queued' AND next_try <= ?1 ORDER BY next_try, id LIMIT 1"
        ),
        [at],
        mail_of,
    )
    .optional()?)
}

/// Marks e-mail `id` as being handed over now, counting the try.
pub fn sending(c: &Connection, id: i64) -> Result<()> {
    let changed = c.execute(
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?1 AND state = 'queued'",
        [id],
    )?;
    if changed == 1 {
        Ok(())
    } else {
        Err(DbError::Missing)
    }
}

/// E-mail `id` was accepted by the server.
pub fn sent(c: &Connection, id: i64) -> Result<()> {
    c.execute(
        "UPDATE outbox SET state = 'sent', sent = ?2, last_error = NULL WHERE id = ?1",
        params![id, now()],
    )?;
    Ok(())
}

/// E-mail `id` failed with `error` and is tried again at `next_try`.
pub fn retry(c: &Connection, id: i64, next_try: &str, error: &str) -> Result<()> {
    c.execute(
        "UPDATE outbox SET state = 'queued', next_try = ?2, last_error = ?3 WHERE id = ?1",
        params![id, next_try, error],
    )?;
    Ok(())
}

/// E-mail `id` is given up after its last failure, `error`.
pub fn give_up(c: &Connection, id: i64, error: &str) -> Result<()> {
    c.execute(
        "UPDATE outbox SET state = 'failed', last_error = ?2 WHERE id = ?1",
        params![id, error],
    )?;
    Ok(())
}

/// At a start: e-mails left `sending` by a stopped service become `uncertain`, never
/// sent again. Returns how many.
pub fn recover(c: &Connection) -> Result<usize> {
    Ok(c.execute(
        "UPDATE outbox SET state = 'uncertain' WHERE state = 'sending'",
        [],
    )?)
}

/// The e-mails of inspection `inspection`, newest first.
pub fn of_inspection(c: &Connection, inspection: i64) -> Result<Vec<Mail>> {
    let mut statement = c.prepare(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE inspection_id = ?1 ORDER BY id DESC"
    ))?;
    let rows = statement.query_map([inspection], mail_of)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Whether an e-mail with a password link to `recipient` waits to be sent.
pub fn password_link_waits(c: &Connection, recipient: &str) -> Result<bool> {
    Ok(c.query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE recipient = ?1 AND link = 'password' AND state IN ('queued', 'sending'))",
        [recipient],
        |r| r.get(0),
    )?)
}
