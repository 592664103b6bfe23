//! `spur user add/list/remove`: inspectors' accounts, from the command line.

use std::io::BufRead;
use std::path::Path;

use spur_service::identity::{Address, Name};
use spur_service::{Db, admin, auth};

use super::{Failure, Outcome, print};

/// The database at `db`, created when `create` allows; a file that is not spur's
/// database is refused in Swedish (SQLite's own words in parentheses).
fn open(db: &Path, create: bool) -> Result<Db, Failure> {
    let refused = |why: String| {
        Failure::Invalid(vec![spur_core::diagnostic::Diagnostic::file_error(
            &db.display().to_string(),
            why,
        )])
    };
    // Reading or removing never makes a database: a mistyped --db is said, not created.
    if !create && !db.is_file() {
        return Err(refused(
            "databasen finns inte; ange tjänstens databasfil med --db".into(),
        ));
    }
    Db::open(db).map_err(|e| refused(format!("filen går inte att öppna som spurs databas ({e})")))
}

/// Adds an account; the password is read from the first line of standard input.
pub fn add(db: &Path, email: &str, name: &str, admin: bool) -> Outcome {
    let email = Address::parse(email)
        .map_err(|why| Failure::Usage(format!("”{}”: {why}", email.trim())))?;
    let name = Name::parse(name).map_err(|why| Failure::Usage(format!("--name: {why}")))?;
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(Failure::Stream)?;
    let password = password.trim_end_matches(['\n', '\r']);
    if password.chars().count() < 12 {
        return Err(Failure::Usage(
            "lösenordet (från standard in) ska ha minst 12 tecken".into(),
        ));
    }
    let hash = auth::hash_password(password)
        .ok_or_else(|| Failure::Internal("lösenordet kunde inte hashas".into()))?;
    let added = open(db, true)?
        .write_now(|tx| admin::add(tx, email.as_str(), name.as_str(), &hash, admin))
        .map_err(|e| Failure::Internal(e.to_string()))?;
    match added {
        Some(_) => print(&format!("Kontot {email} är skapat.\n")),
        None => Err(Failure::Usage(format!(
            "det finns redan ett konto för {email}"
        ))),
    }
}

/// Lists the accounts.
pub fn list(db: &Path) -> Outcome {
    let accounts = open(db, false)?
        .read_now(admin::all)
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let mut text = String::new();
    for a in &accounts {
        let role = if a.admin {
            "administratör"
        } else {
            "granskare"
        };
        text.push_str(&format!("{}\t{}\t{role}\n", a.email, a.name));
    }
    if accounts.is_empty() {
        text.push_str("Inga konton.\n");
    }
    print(&text)
}

/// Removes an account.
pub fn remove(db: &Path, email: &str) -> Outcome {
    let email = email.trim().to_lowercase();
    match open(db, false)?.write_now(|tx| admin::remove(tx, &email)) {
        Ok(true) => print(&format!("Kontot {email} är borttaget.\n")),
        Ok(false) => Err(Failure::Usage(format!("det finns inget konto för {email}"))),
        Err(e) => Err(Failure::Internal(e.to_string())),
    }
}
