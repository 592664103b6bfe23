//! The sender: one thread that hands the outbox's e-mails to the SMTP server, making
//! each e-mail's link as it goes, and records what became of each.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use rusqlite::Transaction;

use crate::db::outbox;
use crate::db::{Db, DbError, accounts, links, log};
use crate::error::AppError;
use crate::{auth, held, today};
use spur_cycle::notice::Place;

/// How long an e-mail is tried: one older is given up, sent or not, since what it
/// tells is stale by then (a reminder, a turn long begun).
const LONGEST_AGE: chrono::TimeDelta = chrono::TimeDelta::days(3);

/// The wait after the first failure; it doubles with each, up to [`LONGEST_WAIT`].
const FIRST_WAIT: Duration = Duration::from_secs(10);

/// The longest wait between two tries.
const LONGEST_WAIT: Duration = Duration::from_secs(3600);

/// How often the sender looks at the outbox when it has nothing due: an indexed
/// query, cheap enough that an event need not wake the sender itself.
const LOOK_EVERY: Duration = Duration::from_secs(1);

/// How the service reaches its SMTP server.
#[derive(Clone)]
pub struct Smtp {
    /// The server, as given: `smtp://HOST:PORT` or `smtps://HOST:PORT`.
    pub url: String,
    /// The sender's address.
    pub from: String,
    /// User and password, from the environment.
    pub credentials: Option<(String, String)>,
}

impl Smtp {
    /// Why the server's address or the sender's cannot be used, as a sentence naming
    /// the option, if either cannot.
    pub fn check(&self) -> Result<(), String> {
        self.transport().map_err(|why| format!("--smtp: {why}"))?;
        self.sender().map_err(|why| format!("--mail-from: {why}"))?;
        Ok(())
    }

    /// The sender's address.
    fn sender(&self) -> Result<Mailbox, String> {
        self.from.parse().map_err(|_| {
            format!(
                "”{}” är ingen avsändaradress; skriv den som spur@exempel.se eller \"spur <spur@exempel.se>\"",
                self.from
            )
        })
    }

    /// The transport for this server: STARTTLS when offered for `smtp://`, TLS from the
    /// first byte for `smtps://`.
    fn transport(&self) -> Result<SmtpTransport, String> {
        let (scheme, rest) = self
            .url
            .split_once("://")
            .ok_or_else(|| format!("”{}” är ingen smtp://- eller smtps://-adress", self.url))?;
        let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
            Some((host, port)) => (
                host,
                Some(
                    port.parse::<u16>()
                        .map_err(|_| format!("”{port}” är inget portnummer"))?,
                ),
            ),
            None => (rest.trim_end_matches('/'), None),
        };
        if host.is_empty() {
            return Err(format!("”{}” saknar värd", self.url));
        }
        let tls = || TlsParameters::new(host.to_string()).map_err(|e| e.to_string());
        let (tls, default_port) = match scheme {
            "smtp" => (Tls::Opportunistic(tls()?), 25),
            "smtps" => (Tls::Wrapper(tls()?), 465),
            other => return Err(format!("”{other}” är inte smtp eller smtps")),
        };
        let mut builder = SmtpTransport::builder_dangerous(host)
            .port(port.unwrap_or(default_port))
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)));
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }
}

/// Starts the sender: one thread that sends what the outbox holds from `db` through
/// `smtp`, building links from `public_url`, and looks again every second when the
/// outbox has nothing due. E-mails left `sending` by a stopped service become
/// `uncertain` first.
pub fn start_sender(db: Arc<Db>, smtp: &Smtp, public_url: String) -> Result<(), String> {
    let transport = smtp.transport()?;
    let from = smtp.sender()?;
    db.write_now(|tx| outbox::recover(tx))
        .map_err(|e| e.to_string())?;
    let work = Work {
        db,
        transport,
        from,
        public_url,
    };
    std::thread::Builder::new()
        .name("spur-sender".into())
        .spawn(move || {
            loop {
                while work.send_one() {}
                std::thread::sleep(LOOK_EVERY);
            }
        })
        .map_err(|e| format!("avsändartråden: {e}"))?;
    Ok(())
}

/// Why the SMTP server did not take an e-mail, in Swedish, as the inspection's page
/// shows it: lettre's own messages are English. The server's reply code is kept,
/// since it is what its administrator looks up.
fn refusal(e: &lettre::transport::smtp::Error) -> String {
    let code = e
        .status()
        .map(|c| format!(" (svar {c})"))
        .unwrap_or_default();
    if e.is_permanent() {
        format!("e-postservern tog inte emot brevet{code}")
    } else if e.is_transient() {
        format!("e-postservern bad om ett nytt försök senare{code}")
    } else if e.is_timeout() {
        "e-postservern svarade inte i tid".into()
    } else if e.is_tls() {
        "den krypterade förbindelsen med e-postservern kunde inte upprättas".into()
    } else {
        "e-postservern gick inte att nå".into()
    }
}

/// Whether `mail` was written longer than [`LONGEST_AGE`] ago.
fn stale(mail: &outbox::Mail) -> bool {
    chrono::DateTime::parse_from_rfc3339(&mail.created)
        .is_ok_and(|at| chrono::Utc::now() - at.with_timezone(&chrono::Utc) > LONGEST_AGE)
}

/// What the sender's thread works with.
struct Work {
    db: Arc<Db>,
    transport: SmtpTransport,
    from: Mailbox,
    public_url: String,
}

impl Work {
    /// Sends the oldest due e-mail, if any, or gives it up when stale; true if there
    /// was one and the next may be tried at once. A link the e-mail carries is made
    /// here, its token kept only in memory and its hash stored as any link's; if the
    /// server does not take the e-mail, the link is taken back in the same write.
    fn send_one(&self) -> bool {
        let now = crate::db::now();
        let claimed = self.db.write_now(|tx| {
            let Some(mail) = outbox::next_due(tx, &now)? else {
                return Ok::<_, AppError>(None);
            };
            if stale(&mail) {
                outbox::give_up(
                    tx,
                    mail.id,
                    "för gammalt för att skickas: skrivet för mer än tre dagar sedan",
                )?;
                return Ok(Some(None));
            }
            let link = match made_link(tx, &mail, &self.public_url) {
                Ok(link) => link,
                Err(Refused(why)) => {
                    outbox::give_up(tx, mail.id, &why)?;
                    return Ok(Some(None));
                }
            };
            outbox::sending(tx, mail.id)?;
            Ok(Some(Some((mail, link))))
        });
        let (mail, link) = match claimed {
            Ok(Some(Some(claimed))) => claimed,
            Ok(Some(None)) => return true,
            Ok(None) => return false,
            Err(e) => {
                eprintln!("spur serve: utkorgen kunde inte läsas: {e}");
                return false;
            }
        };
        let outcome = match self.message(&mail, link.as_ref().map_or("", |l| &l.address)) {
            Ok(message) => self
                .transport
                .send(&message)
                .map(|_| ())
                .map_err(|e| (refusal(&e), !e.is_permanent())),
            Err(why) => Err((why, false)),
        };
        let recorded = self.db.write_now(|tx| {
            if outcome.is_err()
                && let Some(link) = &link
            {
                link.take_back(tx)?;
            }
            match &outcome {
                Ok(()) => outbox::sent(tx, mail.id),
                Err((why, false)) => outbox::give_up(tx, mail.id, why),
                Err((why, true)) => {
                    let doublings = u32::try_from(mail.attempts).unwrap_or(u32::MAX).min(16);
                    let wait = (FIRST_WAIT * 2u32.pow(doublings)).min(LONGEST_WAIT);
                    let next = chrono::Utc::now()
                        + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                    outbox::retry(
                        tx,
                        mail.id,
                        &next.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                        why,
                    )
                }
            }
            .map_err(AppError::from)
        });
        if let Err(e) = recorded {
            eprintln!("spur serve: e-postens läge kunde inte sparas: {e}");
        }
        outcome.is_ok()
    }

    /// `mail` as a message, with `address` in its link's place.
    fn message(&self, mail: &outbox::Mail, address: &str) -> Result<Message, String> {
        let to: Mailbox = mail
            .recipient
            .parse()
            .map_err(|_| format!("mottagaren ”{}” är ingen e-postadress", mail.recipient))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.letter.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.letter.text(address))
            .map_err(|_| "brevet kunde inte sättas ihop".to_string())
    }
}

/// Why an e-mail's link could not be made, which gives the e-mail up.
struct Refused(String);

/// A link made for one e-mail as it is sent.
struct MadeLink {
    /// The address that goes in the e-mail.
    address: String,
    /// What was stored for it, to take back if the e-mail is not sent.
    stored: Option<Stored>,
}

/// The stored side of a link made for an e-mail.
enum Stored {
    /// A unit's link, by its token's hash.
    Unit(String),
    /// A password link, by its token's hash.
    Password(String),
}

impl MadeLink {
    /// Takes the link back: the e-mail that carried it was not sent.
    fn take_back(&self, tx: &Transaction) -> Result<(), DbError> {
        match &self.stored {
            Some(Stored::Unit(hash)) => links::forget(tx, hash),
            Some(Stored::Password(hash)) => accounts::forget_password_link(tx, hash),
            None => Ok(()),
        }
    }
}

/// The link `mail` carries, made now when it is the unit's or a password link.
fn made_link(
    tx: &Transaction,
    mail: &outbox::Mail,
    public_url: &str,
) -> Result<Option<MadeLink>, Refused> {
    let Some(place) = mail.letter.place() else {
        return Ok(None);
    };
    let fail = |e: &dyn std::fmt::Display| Refused(format!("länken kunde inte göras: {e}"));
    let token = || auth::token().ok_or_else(|| Refused("slumptal saknas".into()));
    Ok(Some(match (place, mail.inspection) {
        (Place::Inspection, Some(id)) => MadeLink {
            address: format!("{public_url}/inspections/{id}"),
            stored: None,
        },
        (Place::Unit, Some(id)) => {
            let token = token()?;
            let hash = auth::hash_token(&token);
            mailed_link(tx, id, &hash, today()).map_err(|e| fail(&e))?;
            MadeLink {
                address: format!("{public_url}/u/{token}"),
                stored: Some(Stored::Unit(hash)),
            }
        }
        (Place::Password, _) => {
            let account = accounts::active(tx, &mail.recipient)
                .map_err(|e| fail(&e))?
                .ok_or_else(|| Refused("kontot är inte längre aktivt".into()))?;
            let hours = mail
                .link_hours
                .ok_or_else(|| Refused("länkens giltighetstid saknas".into()))?;
            let token = token()?;
            let hash = auth::hash_token(&token);
            let expires = (chrono::Utc::now() + chrono::Duration::hours(hours))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            accounts::create_password_link(tx, &hash, account.id, &expires, "spur (e-post)")
                .map_err(|e| fail(&e))?;
            MadeLink {
                address: format!("{public_url}/password/{token}"),
                stored: Some(Stored::Password(hash)),
            }
        }
        (Place::Unit | Place::Inspection, None) => {
            return Err(Refused("brevet hör inte till någon granskning".into()));
        }
    }))
}

/// Adds a link for the unit to be e-mailed, beside the valid ones, valid as long as
/// one made on the page.
fn mailed_link(
    tx: &Transaction,
    id: i64,
    token_hash: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    links::add(tx, id, token_hash, held::link_valid_until(tx, id, today)?)?;
    log::record(
        tx,
        "spur (e-post)",
        "skapade länk till enheten för ett e-postbrev",
        Some(id),
    )?;
    Ok(())
}
