//! `spur serve`: starts the web service and prints its address; on a first start with
//! no account, a one-time link that creates the first admin; with `--demo`, a
//! temporary database holding the fixtures, with demo logins and a unit's link.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use spur::service::{self, App};

use super::{Failure, Outcome, print};

/// The fixtures the demo starts with: Boo without its plan (so the unit has one to
/// write), and the two others.
const DEMO: [(&str, &str); 3] = [
    (
        "boo-vardcentral.yaml",
        include_str!("../../fixtures/boo-vardcentral.yaml"),
    ),
    (
        "vardcentralen-norrby.yaml",
        include_str!("../../fixtures/vardcentralen-norrby.yaml"),
    ),
    (
        "medicinkliniken-2021.yaml",
        include_str!("../../fixtures/medicinkliniken-2021.yaml"),
    ),
];

/// Serves until Ctrl-C or SIGTERM.
pub fn run(db: Option<&Path>, addr: SocketAddr, demo: bool, secure_cookies: bool) -> Outcome {
    let temp = if demo {
        Some(
            tempfile::tempdir()
                .map_err(|e| Failure::Internal(format!("tillfällig katalog: {e}")))?,
        )
    } else {
        None
    };
    let db: PathBuf = match (&temp, db) {
        (Some(dir), _) => dir.path().join("demo.sqlite"),
        (None, Some(db)) => db.to_path_buf(),
        (None, None) => PathBuf::from("spur.sqlite"),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Internal(format!("tjänstens körmiljö (tokio) kunde inte starta: {e}")))?;
    let started = runtime.block_on(service::serve(&db, addr, secure_cookies, |bound, app| {
        announce(bound, app, demo).map_err(|_| "utdata kunde inte skrivas".to_string())
    }));
    started.map_err(|e| {
        Failure::Invalid(vec![spur::diagnostic::Diagnostic::file_error(
            &db.display().to_string(),
            e,
        )])
    })
}

/// Prints where the service listens, and what a first user needs to begin.
fn announce(bound: SocketAddr, app: &App, demo: bool) -> Outcome {
    let url = format!("http://{bound}");
    let mut text = format!("spur lyssnar på {url}  (avsluta med Ctrl-C)\n");
    if demo {
        text.push_str(&seed_demo(app, &url)?);
    } else if app.store.account_count().map_err(internal)? == 0 {
        let token = service::token().ok_or_else(|| Failure::Internal("slumptal saknas".into()))?;
        let expires = (chrono::Utc::now() + chrono::Duration::hours(24)).to_rfc3339();
        app.store
            .create_setup_token(&spur::service::hash_token(&token), &expires)
            .map_err(internal)?;
        text.push_str(&format!(
            "Inga konton finns ännu. Skapa det första (administratör) här, inom ett dygn:\n  {url}/setup/{token}\n"
        ));
    }
    print(&text)
}

fn internal(e: impl std::fmt::Display) -> Failure {
    Failure::Internal(e.to_string())
}

/// Fills a fresh database with demo accounts and the fixtures; returns what to print.
fn seed_demo(app: &App, url: &str) -> Result<String, Failure> {
    let mut text = String::from("Demoläge: en tillfällig databas med exemplen. Inloggningar:\n");
    let mut first = None;
    for (email, name, admin) in [
        ("anna.lindqvist@example.se", "Anna Lindqvist", true),
        ("per.ekstrom@example.se", "Per Ekström", false),
    ] {
        let password = service::token()
            .ok_or_else(|| Failure::Internal("slumptal saknas".into()))?[..16]
            .to_string();
        let hash = service::hash_password(&password)
            .ok_or_else(|| Failure::Internal("lösenord".into()))?;
        let id = app
            .store
            .add_account(email, name, &hash, admin)
            .map_err(internal)?;
        first.get_or_insert(spur::service::Account {
            id,
            email: email.into(),
            name: name.into(),
            admin,
        });
        text.push_str(&format!("  {email}  lösenord: {password}\n"));
    }
    let Some(anna) = first else {
        return Ok(text);
    };
    for (name, fixture) in DEMO {
        let questionnaire = match fixture.find("\naction_plan:") {
            Some(cut) => &fixture[..=cut],
            None => fixture,
        };
        let id = app
            .store
            .create_inspection(&anna, questionnaire)
            .map_err(internal)?;
        if name.starts_with("boo") {
            let token =
                service::token().ok_or_else(|| Failure::Internal("slumptal saknas".into()))?;
            let until =
                (chrono::Local::now().date_naive() + chrono::Duration::days(60)).to_string();
            app.store
                .create_link(id, &spur::service::hash_token(&token), &until)
                .map_err(internal)?;
            text.push_str(&format!(
                "Boo Vårdcentrals länk (för enheten):\n  {url}/u/{token}\n"
            ));
        }
    }
    Ok(text)
}
