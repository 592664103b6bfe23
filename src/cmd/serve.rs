//! `spur serve`: starts the web service and prints its address; on a first start with
//! no account, a one-time link that creates the first admin; with `--demo`, a
//! temporary database holding the fixtures, with demo logins and a unit's link.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use spur_service::{App, admin, auth};

use super::{Failure, Outcome, print};

/// The fixtures the demo starts with, and whether each is established (so that the
/// unit has a plan to write): Boo is, the two others are drafts.
const DEMO: [(&str, bool); 3] = [
    (include_str!("../../fixtures/boo-vardcentral.yaml"), true),
    (
        include_str!("../../fixtures/vardcentralen-norrby.yaml"),
        false,
    ),
    (
        include_str!("../../fixtures/medicinkliniken-2021.yaml"),
        false,
    ),
];

/// How `spur serve` was asked to run.
pub struct Args<'a> {
    /// The database file.
    pub db: Option<&'a Path>,
    /// Where to listen.
    pub addr: SocketAddr,
    /// The address links are built from.
    pub public_url: Option<&'a str>,
    /// A temporary database with the fixtures.
    pub demo: bool,
    /// The SMTP server's address and the sender's, if e-mail is sent.
    pub smtp: Option<(String, String)>,
}

/// The SMTP server of `--smtp` and `--mail-from`, with the credentials of the
/// environment (never the command line, which other users can read).
fn smtp(given: &Option<(String, String)>) -> Option<spur_service::mail::Smtp> {
    let (url, from) = given.clone()?;
    let user = std::env::var("SPUR_SMTP_USER").ok();
    let password = std::env::var("SPUR_SMTP_PASSWORD").ok();
    Some(spur_service::mail::Smtp {
        url,
        from,
        credentials: user.zip(password),
    })
}

/// Serves until Ctrl-C or SIGTERM.
pub fn run(args: &Args) -> Outcome {
    let temp = if args.demo {
        Some(
            tempfile::tempdir()
                .map_err(|e| Failure::Internal(format!("tillfällig katalog: {e}")))?,
        )
    } else {
        None
    };
    let db: PathBuf = match (&temp, args.db) {
        (Some(dir), _) => dir.path().join("demo.sqlite"),
        (None, Some(db)) => db.to_path_buf(),
        (None, None) => PathBuf::from("spur.sqlite"),
    };
    // Large stacks: a hostile file's nesting is refused by the YAML reader's depth
    // budget, and the stacks leave room beyond it in every build. The blocking threads
    // (database, grading, Typst) are bounded: each keeps its own allocator heap, so
    // hundreds of them would hold hundreds of megabytes, and two cores gain nothing
    // from more than a few.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(8 * 1024 * 1024)
        .max_blocking_threads(4)
        .build()
        .map_err(|e| {
            Failure::Internal(format!("tjänstens körmiljö (tokio) kunde inte starta: {e}"))
        })?;
    let smtp = smtp(&args.smtp);
    if let Some(smtp) = &smtp {
        smtp.check().map_err(Failure::Usage)?;
    }
    let options = spur_service::Options {
        db: &db,
        addr: args.addr,
        public_url: args.public_url,
        smtp,
    };
    let demo = args.demo;
    let started = runtime.block_on(spur_service::serve(options, |bound, app| {
        announce(bound, app, demo).map_err(|e| match e {
            Failure::Internal(why) => why,
            _ => "utdata kunde inte skrivas".to_string(),
        })
    }));
    started.map_err(|e| {
        Failure::Invalid(vec![spur_core::diagnostic::Diagnostic::file_error(
            &db.display().to_string(),
            e,
        )])
    })
}

/// Prints where the service listens, and what a first user needs to begin.
fn announce(bound: SocketAddr, app: &App, demo: bool) -> Outcome {
    // Links are made from the address people reach the service at, as the e-mails'.
    let url = app.public_url();
    let mut text = format!("spur lyssnar på http://{bound}  (avsluta med Ctrl-C)\n");
    if demo {
        text.push_str(&seed_demo(app, url)?);
    } else if app.db.read_now(admin::count).map_err(internal)? == 0 {
        let path = admin::setup_link(&app.db).map_err(Failure::Internal)?;
        text.push_str(&format!(
            "Inga konton finns ännu. Skapa det första (administratör) här, inom ett dygn:\n  {url}{path}\n"
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
    for (email, name, is_admin) in [
        ("anna.lindqvist@example.se", "Anna Lindqvist", true),
        ("per.ekstrom@example.se", "Per Ekström", false),
    ] {
        let password = auth::token().ok_or_else(|| Failure::Internal("slumptal saknas".into()))?
            [..16]
            .to_string();
        let hash =
            auth::hash_password(&password).ok_or_else(|| Failure::Internal("lösenord".into()))?;
        let account = app
            .db
            .write_now(|tx| admin::add(tx, email, name, &hash, is_admin))
            .map_err(internal)?
            .ok_or_else(|| Failure::Internal(format!("kontot {email} fanns redan")))?;
        first.get_or_insert(account);
        text.push_str(&format!("  {email}  lösenord: {password}\n"));
    }
    let Some(anna) = first else {
        return Ok(text);
    };
    for (fixture, establish) in DEMO {
        let token = auth::token().ok_or_else(|| Failure::Internal("slumptal saknas".into()))?;
        let link = establish.then_some(token.as_str());
        admin::start_inspection(&app.db, &anna, fixture, link).map_err(Failure::Internal)?;
        if establish {
            text.push_str(&format!(
                "Boo Vårdcentrals länk (för enheten):\n  {url}/u/{token}\n"
            ));
        }
    }
    Ok(text)
}
