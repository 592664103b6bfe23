//! Every route of the service, the body caps, and the headers every answer carries.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::error::AppError;
use super::handlers::{
    accessibility, accounts, calendars, fact_check, follow_up, forgot, help, inspections, links,
    questionnaire, reports, reviews, session, unit,
};
use super::{App, MAX_BODY_BYTES, given_back, pages};

/// The most a login or setup form may hold: a few short fields.
const SMALL_BODY_BYTES: usize = 16 * 1024;

/// Every route of the service.
pub fn router(app: Arc<App>) -> Router {
    let small = Router::new()
        .route("/login", get(session::page).post(session::login))
        .route("/forgot-password", get(forgot::page).post(forgot::send))
        .route(
            "/setup/{token}",
            get(session::setup_page).post(session::setup),
        )
        .route(
            "/password/{token}",
            get(accounts::password_page).post(accounts::set_password),
        )
        .layer(DefaultBodyLimit::max(SMALL_BODY_BYTES));
    Router::new()
        .route("/", get(inspections::home))
        .route("/static/spur.css", get(stylesheet))
        .route("/accessibility", get(accessibility::statement))
        .route("/help", get(help::page))
        .route("/accounts", get(accounts::list).post(accounts::add))
        .route(
            "/calendar",
            get(calendars::feed_page).post(calendars::make_feed),
        )
        .route("/calendar/revoke", post(calendars::revoke_feed))
        .route("/calendar/{token}", get(calendars::feed))
        .route("/inspections/{id}/calendar.ics", get(calendars::inspection))
        .route("/u/{token}/calendar.ics", get(calendars::unit))
        .route("/accounts/{id}/password-link", post(accounts::new_link))
        .route("/accounts/{id}/active", post(accounts::set_active))
        .route("/static/autosave.js", get(script))
        .route("/logout", post(session::logout))
        .route(
            "/inspections",
            get(inspections::list).post(inspections::upload),
        )
        .route("/inspections/new", post(questionnaire::start))
        .route("/inspections/{id}", get(inspections::show))
        .route(
            "/inspections/{id}/questionnaire",
            get(questionnaire::overview).post(inspections::new_version),
        )
        .route(
            "/inspections/{id}/questionnaire/{page}",
            get(questionnaire::show).post(questionnaire::save),
        )
        .route(
            "/inspections/{id}/versions/{version}",
            get(questionnaire::version),
        )
        .route("/inspections/{id}/members", post(inspections::add_member))
        .route("/inspections/{id}/contacts", post(inspections::add_contact))
        .route(
            "/inspections/{id}/contacts/{contact}/remove",
            post(inspections::remove_contact),
        )
        .route("/inspections/{id}/fact-check", post(fact_check::send))
        .route(
            "/inspections/{id}/fact-check/answer",
            post(fact_check::answer),
        )
        .route("/inspections/{id}/establish", post(inspections::establish))
        .route("/inspections/{id}/follow-up", post(follow_up::answer))
        .route(
            "/inspections/{id}/reopen-report",
            post(inspections::reopen_report),
        )
        .route(
            "/inspections/{id}/link",
            get(links::shown).post(links::create),
        )
        .route("/inspections/{id}/link/revoke", post(links::revoke))
        .route("/inspections/{id}/review", post(reviews::review))
        .route("/inspections/{id}/reopen", post(reviews::reopen))
        .route("/inspections/{id}/report.pdf", get(reports::inspector_pdf))
        .route(
            "/inspections/{id}/questionnaire.yaml",
            get(reports::questionnaire),
        )
        .route("/inspections/{id}/plan.yaml", get(reports::plan))
        .route("/u/{token}", get(unit::tasks).post(unit::submit))
        .route(
            "/u/{token}/items/{indicator}",
            get(unit::item).post(unit::save_item),
        )
        .route("/u/{token}/check", get(unit::check))
        .route("/u/{token}/report.pdf", get(reports::unit_pdf))
        .route(
            "/u/{token}/fact-check",
            get(fact_check::unit).post(fact_check::unit_post),
        )
        .route(
            "/u/{token}/fact-check/comments/{comment}/take-back",
            post(fact_check::take_back),
        )
        .route(
            "/u/{token}/follow-up",
            get(follow_up::unit).post(follow_up::unit_post),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // The forms that carry typed text; the small ones (login, setup, password,
        // "Glömt lösenordet?") show their fields again themselves, and keep their cap
        // from the first byte.
        .layer(axum::middleware::from_fn(given_back::layer))
        .merge(small)
        .fallback(not_found)
        .method_not_allowed_fallback(not_allowed)
        .layer(axum::middleware::map_response(secure_headers))
        .with_state(app)
}

/// The headers every response carries: a Content-Security-Policy without inline
/// script, no framing, no sniffing, and no Referer (a unit's link is a secret).
async fn secure_headers(mut response: Response) -> Response {
    let headers: &mut HeaderMap = response.headers_mut();
    let mut set = |name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::X_FRAME_OPTIONS, "DENY");
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        pages::SCRIPT,
    )
        .into_response()
}

async fn not_found() -> AppError {
    AppError::NotFound
}

async fn not_allowed() -> Response {
    pages::message(
        "Det går inte att göra så här",
        "Sidan finns, men tar inte emot den här sortens begäran. Gå tillbaka och använd sidans knappar och länkar.",
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
    )
}
