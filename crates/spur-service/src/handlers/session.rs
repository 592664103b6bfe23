//! Logging in and out, and the one-time link that creates the first admin. Failed
//! logins slow the next attempt for the same account, also when guesses arrive in
//! parallel: attempts for one address wait their turn.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::actions;
use crate::db::{accounts, log};
use crate::error::AppError;
use crate::extract::{CsrfForm, Form, Inspector, SESSION, cookie};
use crate::forms;
use crate::identity;
use crate::{App, auth, pages};
use spur_core::typed::capped;

/// The cookie that carries the login form's CSRF token before there is a session.
const LOGIN_CSRF: &str = "spur_login";
/// How long a session lasts: a working day.
const SESSION_HOURS: i64 = 12;
/// The longest e-mail address taken: no field of a request is stored longer than the
/// access log keeps (SPEC §8.8), and no real address is longer.
const EMAIL_CHARS: usize = log::FIELD_CHARS;
/// The longest password taken; argon2 gains nothing from more.
const PASSWORD_CHARS: usize = 1024;

/// A cookie header value with the attributes every spur cookie has.
pub fn set_cookie(app: &App, name: &str, value: &str, max_age: i64) -> String {
    let secure = if app.secure_cookies { "; Secure" } else { "" };
    format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}")
}

/// The login page's model.
#[derive(Serialize)]
struct LoginPage<'a> {
    csrf: &'a str,
    problem: Option<&'a str>,
    email: &'a str,
}

fn login_form(app: &App, problem: Option<&str>, email: &str) -> Result<Response, AppError> {
    let csrf = auth::token().ok_or_else(|| AppError::Internal("slumptal saknas".into()))?;
    let page = pages::render(
        "login.html",
        &LoginPage {
            csrf: &csrf,
            problem,
            email,
        },
        StatusCode::OK,
    );
    Ok((
        [(header::SET_COOKIE, set_cookie(app, LOGIN_CSRF, &csrf, 3600))],
        page,
    )
        .into_response())
}

/// The login form, with a fresh CSRF token in a cookie of its own.
pub async fn page(State(app): State<Arc<App>>) -> Result<Response, AppError> {
    login_form(&app, None, "")
}

/// Logs an inspector in; the message never says which part was wrong.
pub async fn login(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<forms::Login>,
) -> Result<Response, AppError> {
    let expected = cookie(&headers, LOGIN_CSRF).unwrap_or_default();
    if !auth::csrf_matches(&form.csrf, &expected) {
        return Err(AppError::Csrf);
    }
    let typed = form.email.trim().to_lowercase();
    let password = form.password.as_str();
    if typed.chars().count() > EMAIL_CHARS || password.chars().count() > PASSWORD_CHARS {
        return login_form(
            &app,
            Some("Fel e-postadress eller lösenord."),
            &capped(&typed, EMAIL_CHARS),
        );
    }
    let turn = app.attempts.turn(&typed);
    let _turn = turn.lock().await;
    let email = typed.clone();
    let (failures, found) = app
        .db
        .read(move |c| {
            Ok::<_, AppError>((
                accounts::recent_failures(c, &email)?,
                accounts::with_hash(c, &email)?,
            ))
        })
        .await?;
    if failures > 0 {
        tokio::time::sleep(Duration::from_millis(250 << failures.min(5))).await;
    }
    let (account, hash) = found.map_or((None, None), |(a, h)| (Some(a), Some(h)));
    let verified = app.passwords.verify(password.to_string(), hash).await?;
    let email = typed.clone();
    match account.filter(|_| verified) {
        Some(account) => start_session(&app, account).await,
        None => {
            app.db
                .write(move |tx| actions::failed_login(tx, &email))
                .await?;
            login_form(&app, Some("Fel e-postadress eller lösenord."), &typed)
        }
    }
}

/// Starts a session for `account` and sends it to its inspections.
pub async fn start_session(
    app: &Arc<App>,
    account: accounts::Account,
) -> Result<Response, AppError> {
    let (Some(token), Some(csrf)) = (auth::token(), auth::token()) else {
        return Err(AppError::Internal("slumptal saknas".into()));
    };
    let expires = (chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let hash = auth::hash_token(&token);
    app.db
        .write(move |tx| actions::start_session(tx, &account, &hash, &csrf, &expires))
        .await?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(app, SESSION, &token, SESSION_HOURS * 3600),
        )],
        Redirect::to("/inspections"),
    )
        .into_response())
}

/// Ends the session.
pub async fn logout(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let hash = inspector.token_hash;
    app.db
        .write(move |tx| actions::end_session(tx, &hash))
        .await?;
    Ok((
        [(header::SET_COOKIE, set_cookie(&app, SESSION, "", 0))],
        Redirect::to("/login"),
    )
        .into_response())
}

/// The first-admin form's model.
#[derive(Serialize, Default)]
struct SetupPage {
    csrf: String,
    token: String,
    problems: Vec<String>,
    email: String,
    name: String,
}

fn setup_token(path: &str) -> Result<String, AppError> {
    let token = path.strip_prefix("/setup/").unwrap_or("");
    if token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(token.to_string())
    } else {
        Err(AppError::NotFound)
    }
}

/// The form that creates the first admin, through the one-time link printed at start.
pub async fn setup_page(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let token = setup_token(uri.path())?;
    let hash = auth::hash_token(&token);
    if !app
        .db
        .read(move |c| accounts::setup_token_valid(c, &hash))
        .await?
    {
        return Err(AppError::NotFound);
    }
    let page = SetupPage {
        csrf: auth::link_csrf(&token),
        token,
        ..SetupPage::default()
    };
    Ok(pages::render("setup.html", &page, StatusCode::OK))
}

/// What is wrong with a new password and its repetition.
pub fn password_problems(password: &str, again: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if password.chars().count() < 12 || password.chars().count() > PASSWORD_CHARS {
        problems.push("Lösenordet ska ha minst 12 och högst 1024 tecken.".into());
    }
    if password != again {
        problems.push("Lösenorden är inte lika.".into());
    }
    problems
}

/// Creates the first admin and logs them in.
pub async fn setup(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    Form(form): Form<forms::Setup>,
) -> Result<Response, AppError> {
    let token = setup_token(uri.path())?;
    if !auth::csrf_matches(&form.csrf, &auth::link_csrf(&token)) {
        return Err(AppError::Csrf);
    }
    let person = identity::person(&form.name, &form.email);
    let mut problems = person.as_ref().err().cloned().unwrap_or_default();
    problems.extend(password_problems(&form.password, &form.password2));
    let (name, email) = match person {
        Ok(person) if problems.is_empty() => person,
        _ => {
            let page = SetupPage {
                csrf: auth::link_csrf(&token),
                token,
                problems,
                email: capped(&form.email.trim().to_lowercase(), EMAIL_CHARS),
                name: capped(form.name.trim(), 200),
            };
            return Ok(pages::render(
                "setup.html",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let hash = app.passwords.hash(form.password.clone()).await?;
    let token_hash = auth::hash_token(&token);
    let account = app
        .db
        .write(move |tx| {
            actions::setup_admin(tx, &token_hash, email.as_str(), name.as_str(), &hash)
        })
        .await?;
    start_session(&app, account).await
}
