//! The inspection page's e-mail part (SPEC §8.7): the unit's contacts, and the outbox
//! with each e-mail's state.

use serde::Serialize;

use super::moment;
use crate::db::contacts::Contact;
use crate::db::outbox::{Mail, MailState};
use spur_cycle::notice::Place;

/// One contact of the unit, with its remove button's address.
#[derive(Debug, Clone, Serialize)]
pub struct ContactRow {
    /// The row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Address.
    pub email: String,
}

/// One e-mail in the outbox.
#[derive(Debug, Clone, Serialize)]
pub struct MailRow {
    /// The address.
    pub recipient: String,
    /// The subject line.
    pub subject: String,
    /// The text, with a link's place held: the link itself is only in the e-mail.
    pub body: String,
    /// Where it stands, in Swedish.
    pub state: &'static str,
    /// When it was written.
    pub created: String,
    /// How many times it was tried.
    pub attempts: i64,
    /// Why the last try failed.
    pub error: Option<String>,
}

/// The e-mail part of the page.
#[derive(Debug, Clone, Serialize)]
pub struct Mailing {
    /// Whether the service sends e-mail (it was started with `--smtp`).
    pub sending: bool,
    /// The unit's contacts.
    pub contacts: Vec<ContactRow>,
    /// The inspection's e-mails, newest first.
    pub outbox: Vec<MailRow>,
}

/// A state as the page says it; without a server, a queued e-mail is one that would
/// have been sent.
fn label(state: MailState, sending: bool) -> &'static str {
    match state {
        MailState::Queued if sending => "Väntar på att skickas",
        MailState::Queued => "Skickas inte: ingen e-postserver är inställd",
        MailState::Sending => "Skickas nu",
        MailState::Sent => "Skickat",
        MailState::Uncertain => {
            "Kanske skickat: tjänsten stoppades medan det skickades, så det skickas inte igen"
        }
        MailState::Failed => "Kunde inte skickas",
    }
}

/// The e-mail part of an inspection's page.
pub fn mailing(sending: bool, contacts: Vec<Contact>, outbox: Vec<Mail>) -> Mailing {
    Mailing {
        sending,
        contacts: contacts
            .into_iter()
            .map(|c| ContactRow {
                id: c.id,
                name: c.name,
                role: c.role,
                email: c.email,
            })
            .collect(),
        outbox: outbox
            .into_iter()
            .map(|m| MailRow {
                state: label(m.state, sending),
                created: moment(&m.created),
                recipient: m.recipient,
                body: m.letter.text(m.letter.place().map_or("", Place::shown)),
                subject: m.letter.subject,
                attempts: m.attempts,
                error: m.last_error,
            })
            .collect(),
    }
}
