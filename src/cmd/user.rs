//! `spur user add/list/remove`: inspectors' accounts, from the command line.

use std::io::BufRead;
use std::path::Path;

use spur_service::{Db, admin, auth};

use super::{Failure, Outcome, print};

fn open(db: &Path) -> Result<Db, Failure> {
    Db::open(db).map_err(|e| {
        Failure::Invalid(vec![spur_core::diagnostic::Diagnostic::file_error(
            &db.display().to_string(),
            e.to_string(),
        )])
    })
}

/// Adds an account; the password is read from the first line of standard input.
pub fn add(db: &Path, email: &str, name: &str, admin: bool) -> Outcome {
    let email = email.trim().to_lowercase();
    if !email.contains('@') || email.chars().count() > 254 {
        return Err(Failure::Usage(format!("«{email}» är ingen e-postadress")));
    }
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
    let added = open(db)?
        .write_now(|tx| admin::add(tx, &email, name.trim(), &hash, admin))
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
    let accounts = open(db)?
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
    match open(db)?.write_now(|tx| admin::remove(tx, &email)) {
        Ok(true) => print(&format!("Kontot {email} är borttaget.\n")),
        Ok(false) => Err(Failure::Usage(format!("det finns inget konto för {email}"))),
        Err(e) => Err(Failure::Internal(e.to_string())),
    }
}
