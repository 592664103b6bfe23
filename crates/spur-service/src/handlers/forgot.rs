//! "Glömt lösenordet?" (SPEC §8.2): an inspector asks for a link that sets a new
//! password, e-mailed to the account's address, valid one hour and once. The answer is
//! the same whether the address has an account or not, so the page tells nobody which
//! addresses do. While a link sent this way is unused and valid, asking again sends
//! nothing, so the form cannot flood anyone's inbox.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::session::set_cookie;
use crate::actions;
use crate::error::AppError;
use crate::extract::{Form, cookie};
use crate::forms;
use crate::identity::Address;
use crate::{App, auth, pages};
use spur_core::typed::capped;

/// The cookie holding the form's CSRF token: nobody is logged in here.
const FORGOT_CSRF: &str = "spur_forgot";

/// How long the e-mailed link is valid.
const RESET_HOURS: i64 = 1;

/// The page: the form, or what happens now.
#[derive(Serialize)]
struct ForgotPage {
    csrf: String,
    /// Whether the service sends e-mail at all.
    mail_on: bool,
    /// The address asked for, once the form is sent.
    sent_to: Option<String>,
    problems: Vec<&'static str>,
    /// How long the link is valid, in words.
    valid_for: String,
}

fn forgot_page(
    app: &App,
    sent_to: Option<String>,
    problems: Vec<&'static str>,
) -> Result<Response, AppError> {
    let csrf = auth::token().ok_or_else(|| AppError::Internal("slumptal saknas".into()))?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ForgotPage {
        csrf: csrf.clone(),
        mail_on: app.mail_on,
        sent_to,
        problems,
        valid_for: spur_cycle::notice::hours(RESET_HOURS),
    };
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(app, FORGOT_CSRF, &csrf, 3600),
        )],
        pages::render("forgot.html", &page, status),
    )
        .into_response())
}

/// The form.
pub async fn page(State(app): State<Arc<App>>) -> Result<Response, AppError> {
    forgot_page(&app, None, Vec::new())
}

/// Sends a password link to the address if it has an active account; says the same
/// either way.
pub async fn send(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<forms::Email>,
) -> Result<Response, AppError> {
    let expected = cookie(&headers, FORGOT_CSRF).unwrap_or_default();
    if !auth::csrf_matches(&form.csrf, &expected) {
        return Err(AppError::Csrf);
    }
    let typed = form.email.trim();
    if typed.is_empty() {
        return forgot_page(&app, None, vec!["Skriv e-postadressen du loggar in med."]);
    }
    // What is no address has no account: the same answer, and nothing looked up (an
    // address cut to its first 254 characters could be another's).
    if app.mail_on
        && let Ok(address) = Address::parse(typed)
    {
        let event = format!("password:{}", crate::db::now());
        app.db
            .write(move |tx| actions::forgotten(tx, address.as_str(), RESET_HOURS, &event))
            .await?;
    }
    forgot_page(&app, Some(capped(typed, 254).to_lowercase()), Vec::new())
}
