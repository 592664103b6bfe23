//! `spur serve`: the web service of SPEC §8. A unit fills in its action plan in a
//! browser; the inspector uploads the questionnaire, reviews the plan and downloads
//! the reports. The files of SPEC §3 and §5 stay the exchange format: the service
//! keeps the questionnaire and the plan as those files' text, and builds every page
//! and PDF with the same core as the command line.

mod auth;
mod held;
mod inspector;
mod pages;
mod session;
mod store;
mod unit;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use auth::{hash_password, hash_token, token};
pub use store::{Account, Store, StoreError};

use crate::render::Renderer;

/// The most a request body may hold: a questionnaire is tens of kilobytes.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What every request shares.
pub struct App {
    /// The database.
    pub store: Store,
    /// The page templates.
    pages: pages::Pages,
    /// One Typst engine, fonts loaded once, for every PDF.
    renderer: Renderer,
    /// Questionnaires graded once, for every page that shows them.
    graded: held::Graded,
    /// Whether cookies are marked Secure (the service runs behind TLS).
    secure_cookies: bool,
}

impl App {
    /// The service state over an opened database.
    pub fn new(store: Store, secure_cookies: bool) -> Result<App, String> {
        Ok(App {
            store,
            pages: pages::Pages::new()?,
            renderer: Renderer::new(),
            graded: held::Graded::default(),
            secure_cookies,
        })
    }
}

/// Every route of the service.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(inspector::home))
        .route("/static/spur.css", get(stylesheet))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route(
            "/setup/{token}",
            get(session::setup_page).post(session::setup),
        )
        .route("/inspections", get(inspector::list).post(inspector::upload))
        .route("/inspections/{id}", get(inspector::show))
        .route(
            "/inspections/{id}/questionnaire",
            post(inspector::new_version),
        )
        .route("/inspections/{id}/members", post(inspector::add_member))
        .route("/inspections/{id}/link", post(inspector::create_link))
        .route(
            "/inspections/{id}/link/revoke",
            post(inspector::revoke_link),
        )
        .route("/inspections/{id}/review", post(inspector::review))
        .route("/inspections/{id}/reopen", post(inspector::reopen))
        .route("/inspections/{id}/report.pdf", get(inspector::report_pdf))
        .route(
            "/inspections/{id}/questionnaire.yaml",
            get(inspector::export_questionnaire),
        )
        .route("/inspections/{id}/plan.yaml", get(inspector::export_plan))
        .route("/u/{token}", get(unit::form).post(unit::save))
        .route("/u/{token}/report.pdf", get(unit::report_pdf))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(secure_headers))
        .with_state(app)
}

/// The headers every response carries: a Content-Security-Policy without inline
/// script, no framing, no sniffing, and no Referer (a unit's link is a secret).
async fn secure_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        pages::STYLESHEET,
    )
        .into_response()
}

async fn not_found(axum::extract::State(app): axum::extract::State<Arc<App>>) -> Response {
    app.pages.not_found()
}

/// Opens the database at `db` and serves on `addr` until Ctrl-C or SIGTERM. `ready`
/// is told the address actually bound (port 0 picks one) and whether accounts exist.
pub async fn serve(
    db: &Path,
    addr: SocketAddr,
    secure_cookies: bool,
    ready: impl FnOnce(SocketAddr, &App) -> Result<(), String>,
) -> Result<(), String> {
    let store = Store::open(db).map_err(|e| e.to_string())?;
    let app = Arc::new(App::new(store, secure_cookies)?);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        format!(
            "kan inte lyssna på {addr}: {}",
            crate::output::io_reason(&e)
        )
    })?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    ready(bound, &app)?;
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("tjänsten avbröts: {e}"))
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
