//! `spur serve`: the web service of SPEC §8, a thin shell over the core. The cycle's
//! rules are `spur_cycle::workflow` and `spur_cycle::review`; here are the database (`db`), the
//! actions that run those rules in one transaction each (`actions`), what the service
//! holds turned into graded inspections, reports and files (`held`), the page models
//! (`views`), the extractors that check every request (`extract`), the handlers, one
//! file per resource (`handlers`), the routes (`router`), and the heavy work kept off
//! the request threads (`work`).

// A diagnostic travels once, on the way out to the user: boxing it would buy nothing.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

mod actions;
pub mod auth;
mod checks;
pub mod db;
mod error;
mod extract;
mod forms;
mod given_back;
mod handlers;
pub mod held;
pub mod identity;
mod import;
pub mod mail;
mod pages;
mod router;
mod views;
mod work;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use db::accounts::Account;
pub use db::{Db, DbError};
pub use router::router;

/// The most a request body may hold: a questionnaire is tens of kilobytes.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What every request shares.
pub struct App {
    /// The database.
    pub db: Arc<Db>,
    /// PDFs, rendered a few at a time and cached.
    pdfs: work::Pdfs,
    /// Password hashing, a few at a time.
    passwords: work::Passwords,
    /// Login attempts in flight, per account.
    attempts: auth::Attempts,
    /// Graded inspections, by what they are made from.
    assessed: held::Assessed,
    /// The problems of questionnaire versions, by version.
    checks: checks::Checks,
    /// Whether cookies are marked Secure (the service runs behind TLS).
    secure_cookies: bool,
    /// The address links are built from, without a trailing slash.
    public_url: String,
    /// Whether e-mail is sent (the service has an SMTP server).
    mail_on: bool,
}

impl App {
    /// The service over an opened database, making links from `public_url`; cookies are
    /// marked Secure when it is an https address, as behind a TLS proxy.
    pub fn new(db: Db, public_url: &str) -> Result<App, String> {
        let secure_cookies = public_url.starts_with("https://");
        pages::check()?;
        Ok(App {
            db: Arc::new(db),
            pdfs: work::Pdfs::start()?,
            passwords: work::Passwords::default(),
            attempts: auth::Attempts::default(),
            assessed: held::Assessed::default(),
            checks: checks::Checks::default(),
            secure_cookies,
            public_url: public_url.trim_end_matches('/').to_string(),
            mail_on: false,
        })
    }

    /// The address links are built from, without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }
}

impl App {
    /// `held` graded, from the cache when nothing it is made from changed, on a
    /// blocking thread.
    async fn graded(
        self: &Arc<Self>,
        held: held::Held,
    ) -> Result<(held::Held, Arc<spur_core::inspection::Inspection>), error::AppError> {
        let (held, graded) = self.assessed(held).await?;
        let graded = graded.ok_or(error::AppError::Unfinished(held.id))?;
        Ok((held, graded))
    }

    /// `held` with its grading, none while its questionnaire cannot be graded: for a
    /// page that shows the inspection either way.
    async fn assessed(
        self: &Arc<Self>,
        held: held::Held,
    ) -> Result<(held::Held, Option<Arc<spur_core::inspection::Inspection>>), error::AppError> {
        let app = self.clone();
        blocking(move || {
            let graded = app.assessed.get(&held).ok();
            (held, graded)
        })
        .await
    }

    /// Inspection `id` as stored now, graded (cached): read before an action's write,
    /// so that nothing is graded inside its transaction.
    async fn graded_now(
        self: &Arc<Self>,
        id: i64,
    ) -> Result<Arc<spur_core::inspection::Inspection>, error::AppError> {
        let held = self
            .db
            .read(move |c| Ok::<_, error::AppError>(held::load(c, id)?))
            .await?;
        Ok(self.graded(held).await?.1)
    }

    /// What inspection `id`'s e-mails name, from its grading (cached) when its
    /// questionnaire can be read: read before the write of an action that tells anyone.
    async fn named(self: &Arc<Self>, id: i64) -> Result<mail::Named, error::AppError> {
        match self.graded_now(id).await {
            Ok(graded) => Ok(mail::Named::of(id, Some(&graded))),
            Err(error::AppError::Unfinished(_)) => Ok(mail::Named::of(id, None)),
            Err(e) => Err(e),
        }
    }
}

/// Runs `f` on a blocking thread: CPU work never runs on the threads that serve
/// requests.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, error::AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| error::AppError::Internal(format!("arbetstråden avbröts: {e}")))
}

/// Today, in the service's time zone.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// How the service is started.
pub struct Options<'a> {
    /// The database file.
    pub db: &'a Path,
    /// Where to listen.
    pub addr: SocketAddr,
    /// The address links are built from; by default the one listened on.
    pub public_url: Option<&'a str>,
    /// The SMTP server e-mails are sent through; without, the outbox only fills.
    pub smtp: Option<mail::Smtp>,
}

/// Opens the database and serves until Ctrl-C or SIGTERM. `ready` is told the address
/// actually bound (port 0 picks one) and gets the service to prepare its first use.
pub async fn serve(
    options: Options<'_>,
    ready: impl FnOnce(SocketAddr, &App) -> Result<(), String>,
) -> Result<(), String> {
    let db = Db::open(options.db).map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|e| {
            format!(
                "kan inte lyssna på {}: {}",
                options.addr,
                spur_core::output::io_reason(&e)
            )
        })?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let public_url = options
        .public_url
        .map(str::to_string)
        .unwrap_or_else(|| format!("http://{bound}"));
    let mut app = App::new(db, &public_url)?;
    app.mail_on = options.smtp.is_some();
    let app = Arc::new(app);
    if let Some(smtp) = &options.smtp {
        mail::start_sender(app.db.clone(), smtp, app.public_url.clone())?;
    }
    ready(bound, &app)?;
    tokio::spawn(remind_daily(app.db.clone()));
    tokio::spawn(prune_daily(app.db.clone()));
    tokio::spawn(checkpoint_often(app.db.clone()));
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("tjänsten avbröts: {e}"))
}

/// Writes the reminders due (SPEC §8.7) at start and every hour, so that a new day's
/// are written within an hour of midnight; each is written once.
async fn remind_daily(db: Arc<Db>) {
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        let db = db.clone();
        let written = tokio::task::spawn_blocking(move || mail::remind(&db, today())).await;
        match written {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => eprintln!("spur serve: påminnelserna kunde inte skrivas: {e}"),
            Err(e) => eprintln!("spur serve: påminnelsernas arbetstråd avbröts: {e}"),
        }
    }
}

/// Prunes the access log at start and once a day (SPEC §8.8).
async fn prune_daily(db: Arc<Db>) {
    let mut every_day = tokio::time::interval(Duration::from_secs(24 * 3600));
    loop {
        every_day.tick().await;
        if let Err(e) = db.write(|tx| db::log::prune(tx)).await {
            eprintln!("spur serve: åtkomstloggen kunde inte rensas: {e}");
        }
    }
}

/// Copies the WAL back into the database every two seconds, so that no request's
/// commit does it (see [`Db::checkpoint`]).
async fn checkpoint_often(db: Arc<Db>) {
    let mut every = tokio::time::interval(Duration::from_secs(2));
    loop {
        every.tick().await;
        let shared = db.clone();
        match tokio::task::spawn_blocking(move || shared.checkpoint()).await {
            Ok(Ok(())) | Ok(Err(DbError::Busy)) => {}
            Ok(Err(e)) => eprintln!("spur serve: databasens logg kunde inte föras över: {e}"),
            Err(e) => eprintln!("spur serve: databasens logg kunde inte föras över: {e}"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}

/// What the command line does to a service's database beside the pages: accounts, the
/// first admin's link, and the demo's inspections.
pub mod admin {
    use super::db::{self, accounts, fact_checks, links};
    use super::error::AppError;
    use super::{actions, auth, mail, today};
    use spur_core::catalog::Catalog;
    use spur_core::diagnostic::Source;
    use spur_core::{fonts, inspection};
    use spur_cycle::workflow::Command;

    pub use super::db::accounts::{Account, add, all, count, remove};

    /// Records a one-time link (valid a day) that creates the first admin; returns
    /// its path.
    pub fn setup_link(db: &db::Db) -> Result<String, String> {
        let token = auth::token().ok_or("slumptal saknas")?;
        let expires = (chrono::Utc::now() + chrono::Duration::hours(24)).to_rfc3339();
        db.write_now(|tx| accounts::create_setup_token(tx, &auth::hash_token(&token), &expires))
            .map_err(|e| e.to_string())?;
        Ok(format!("/setup/{token}"))
    }

    /// Starts an inspection from `fixture` (a questionnaire file, its `action_plan`
    /// dropped and the rest written anew by the typed writer); with `link`, the report
    /// is established and the unit gets a link with that token. Returns its id.
    pub fn start_inspection(
        db: &db::Db,
        owner: &Account,
        fixture: &str,
        link: Option<&str>,
    ) -> Result<i64, String> {
        let catalog = Catalog::embedded();
        let source = Source::new("demo.yaml", fixture.to_string());
        let (mut q, _) = inspection::questionnaire(catalog, &source, &fonts::can_show)
            .map_err(|p| spur_core::diagnostic::render_all(&p))?;
        q.action_plan = None;
        let text = spur_cycle::draft::file::questionnaire(catalog, &q);
        let graded = inspection::questionnaire(
            catalog,
            &Source::new("demo.yaml", text.clone()),
            &fonts::can_show,
        )
        .and_then(|read| inspection::assess(catalog, read, None, &fonts::can_show))
        .map_err(|p| spur_core::diagnostic::render_all(&p))?;
        db.write_now(|tx| {
            let id = actions::start_from_file(tx, owner, &text)?;
            let Some(token) = link else {
                return Ok(id);
            };
            // The report went through the unit's fact-check without comments.
            actions::send_for_fact_check(
                tx,
                id,
                &owner.email,
                today(),
                spur_cycle::fact_check::DAYS,
                &graded,
            )?;
            let named = mail::Named::of(id, Some(&graded));
            actions::fact_check_by_unit(tx, id, &named, &actions::ByUnit::Submit)?;
            let command = Command::Establish {
                anything_required: !graded.grading.required_items().is_empty(),
                fact_check: fact_checks::readiness(tx, id, today())?,
            };
            actions::change(tx, id, &owner.email, &command, "fastställde rapporten")?;
            let until = crate::held::link_valid_until(tx, id, today())?;
            links::create(tx, id, &auth::hash_token(token), until)?;
            Ok(id)
        })
        .map_err(|e: AppError| e.to_string())
    }
}
