//! Accounts and sessions: an admin's additions and password links, a password set by a
//! link, the first admin, logins (and failed ones), and "Glömt lösenordet?".

use rusqlite::Transaction;

use crate::db::accounts::{self, Account};
use crate::db::{log, outbox};
use crate::error::AppError;
use crate::mail;

/// A one-time password link for `to`, made by `by`, valid `hours`: shown on the page
/// (`Shown`, its token's hash given) or e-mailed, made when the e-mail is sent.
pub fn password_link(
    tx: &Transaction,
    to: &Account,
    how: &LinkBy,
    hours: i64,
    by: &str,
) -> Result<(), AppError> {
    match how {
        LinkBy::Shown(token_hash) => {
            let expires = (chrono::Utc::now() + chrono::Duration::hours(hours))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            accounts::create_password_link(tx, token_hash, to.id, &expires, by)?;
        }
        LinkBy::Mail(event) => {
            mail::password_link(tx, to, hours, event)?;
        }
    }
    let what = format!("skapade en lösenordslänk för {}", to.email);
    log::record(tx, by, &what, None)?;
    Ok(())
}

/// How a password link reaches its account.
pub enum LinkBy {
    /// Shown once on the admin's page: the hash of its token.
    Shown(String),
    /// E-mailed as this event, its link made when it is sent.
    Mail(String),
}

/// Adds an inspector without a password; none when the address has an account.
pub fn add_account(
    tx: &Transaction,
    email: &str,
    name: &str,
    admin: bool,
    by: &str,
) -> Result<Option<Account>, AppError> {
    let added = accounts::add(tx, email, name, "", admin)?;
    if let Some(a) = &added {
        log::record(tx, by, &format!("lade till kontot {}", a.email), None)?;
    }
    Ok(added)
}

/// Activates or deactivates `account`.
pub fn set_active(
    tx: &Transaction,
    account: &Account,
    active: bool,
    by: &str,
) -> Result<(), AppError> {
    accounts::set_active(tx, account.id, active)?;
    let what = format!(
        "{} kontot {}",
        if active { "aktiverade" } else { "inaktiverade" },
        account.email
    );
    log::record(tx, by, &what, None)?;
    Ok(())
}

/// Sets the password (argon2 `hash`) of the account whose link has `token_hash`, and
/// uses the link up.
pub fn set_password(tx: &Transaction, token_hash: &str, hash: &str) -> Result<Account, AppError> {
    let account = accounts::use_password_link(tx, token_hash, hash)?;
    log::record(
        tx,
        &account.email,
        "valde lösenord med en engångslänk",
        None,
    )?;
    Ok(account)
}

/// Creates the first admin with the setup link's `token_hash`.
pub fn setup_admin(
    tx: &Transaction,
    token_hash: &str,
    email: &str,
    name: &str,
    hash: &str,
) -> Result<Account, AppError> {
    Ok(accounts::setup_admin(tx, token_hash, email, name, hash)?)
}

/// Starts a session (token hash `hash`, form token `csrf`) for `account`.
pub fn start_session(
    tx: &Transaction,
    account: &Account,
    hash: &str,
    csrf: &str,
    expires: &str,
) -> Result<(), AppError> {
    accounts::start_session(tx, hash, account.id, csrf, expires)?;
    log::record(tx, &account.email, "inloggning", None)?;
    Ok(())
}

/// Ends the session with `token_hash` (and every expired one).
pub fn end_session(tx: &Transaction, token_hash: &str) -> Result<(), AppError> {
    Ok(accounts::end_session(tx, token_hash)?)
}

/// Records a failed login at `email`, which slows the next.
pub fn failed_login(tx: &Transaction, email: &str) -> Result<(), AppError> {
    accounts::failed_login(tx, email)?;
    log::record(tx, email, "misslyckad inloggning", None)?;
    Ok(())
}

/// "Glömt lösenordet?" for `asked`: a link by e-mail valid `hours`, as `event`, unless
/// the address has no active account or a password link for it waits, unused or
/// unsent.
pub fn forgotten(tx: &Transaction, asked: &str, hours: i64, event: &str) -> Result<(), AppError> {
    let Some(account) = accounts::active(tx, asked)? else {
        log::record(tx, asked, "bad om lösenordslänk utan konto", None)?;
        return Ok(());
    };
    if !accounts::has_link(tx, account.id)? && !outbox::password_link_waits(tx, &account.email)? {
        mail::password_link(tx, &account, hours, event)?;
    }
    log::record(tx, asked, "bad om lösenordslänk", None)?;
    Ok(())
}
