//! Inspectors' sessions: logging in and out, the one-time link that creates the first
//! admin, session cookies (HttpOnly, SameSite=Strict) and the CSRF token every form
//! carries.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Form;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use tera::Context;

use super::App;
use super::auth;
use super::store::Account;

/// The session cookie's name.
const SESSION: &str = "spur_session";
/// The cookie that carries the login form's CSRF token before there is a session.
const LOGIN_CSRF: &str = "spur_login";
/// How long a session lasts: a working day.
const SESSION_HOURS: i64 = 12;

/// A logged-in inspector, taken from the session cookie; without one, the request is
/// sent to the login page.
pub struct Inspector {
    /// The account.
    pub account: Account,
    /// The session's CSRF token, which every form must send back.
    pub csrf: String,
    token_hash: String,
}

impl Inspector {
    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, app: &App, form: &HashMap<String, String>) -> Result<(), Response> {
        match form.get("csrf") {
            Some(sent) if auth::same(sent, &self.csrf) => Ok(()),
            _ => Err(app.pages.refused_form()),
        }
    }

    /// A template context with the inspector and the CSRF token.
    pub fn context(&self) -> Context {
        let mut context = Context::new();
        context.insert("me", &self.account);
        context.insert("csrf", &self.csrf);
        context
    }
}

impl FromRequestParts<Arc<App>> for Inspector {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Response> {
        let token = cookie(&parts.headers, SESSION)
            .ok_or_else(|| Redirect::to("/login").into_response())?;
        let token_hash = auth::hash_token(&token);
        match app.store.session(&token_hash) {
            Ok(Some((account, csrf))) => Ok(Inspector {
                account,
                csrf,
                token_hash,
            }),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(app.pages.fault(&e.to_string())),
        }
    }
}

/// The value of cookie `name` in the request.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A cookie header value with the attributes every spur cookie has.
fn set_cookie(app: &App, name: &str, value: &str, max_age: i64) -> String {
    let secure = if app.secure_cookies { "; Secure" } else { "" };
    format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}")
}

/// The login form, with a fresh CSRF token in a cookie of its own.
pub async fn login_page(State(app): State<Arc<App>>) -> Response {
    login_form(&app, None, "")
}

fn login_form(app: &App, problem: Option<&str>, email: &str) -> Response {
    let Some(csrf) = auth::token() else {
        return app.pages.fault("slumptal saknas");
    };
    let mut context = Context::new();
    context.insert("csrf", &csrf);
    context.insert("problem", &problem);
    context.insert("email", email);
    let page = app.pages.render("login.html", &context);
    (
        [(header::SET_COOKIE, set_cookie(app, LOGIN_CSRF, &csrf, 3600))],
        page,
    )
        .into_response()
}

/// Logs an inspector in. Each recent failure for the address makes the answer slower,
/// so that guessing passwords takes years; the message never says which part was wrong.
pub async fn login(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let sent = form.get("csrf").map(String::as_str).unwrap_or("");
    if !cookie(&headers, LOGIN_CSRF).is_some_and(|c| auth::same(&c, sent)) {
        return app.pages.refused_form();
    }
    let email = form
        .get("email")
        .map(|e| e.trim().to_lowercase())
        .unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let failures = app.store.recent_failures(&email).unwrap_or(0);
    if failures > 0 {
        let delay = 250u64 << failures.min(5);
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let found = app.store.login(&email).ok().flatten();
    let app2 = app.clone();
    let verified = tokio::task::spawn_blocking(move || match found {
        Some((account, hash)) => auth::verify_password(&password, &hash).then_some(account),
        None => {
            // The same work for an unknown address, so that timing does not tell.
            let _ = auth::verify_password(&password, dummy_hash());
            None
        }
    })
    .await
    .ok()
    .flatten();
    let Some(account) = verified else {
        let _ = app2.store.failed_login(&email);
        let _ = app2.store.log(&email, "misslyckad inloggning", None);
        return login_form(&app2, Some("Fel e-postadress eller lösenord."), &email);
    };
    start_session(&app2, &account)
}

/// An argon2id hash of no one's password, verified against for unknown addresses.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| auth::hash_password("ingen har detta lösenord").unwrap_or_default())
}

fn start_session(app: &App, account: &Account) -> Response {
    let (Some(token), Some(csrf)) = (auth::token(), auth::token()) else {
        return app.pages.fault("slumptal saknas");
    };
    let expires = (chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if let Err(e) = app
        .store
        .create_session(&auth::hash_token(&token), account.id, &csrf, &expires)
    {
        return app.pages.fault(&e.to_string());
    }
    let _ = app.store.log(&account.email, "inloggning", None);
    (
        [(
            header::SET_COOKIE,
            set_cookie(app, SESSION, &token, SESSION_HOURS * 3600),
        )],
        Redirect::to("/inspections"),
    )
        .into_response()
}

/// Ends the session.
pub async fn logout(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(refused) = inspector.check_csrf(&app, &form) {
        return refused;
    }
    let _ = app.store.end_session(&inspector.token_hash);
    (
        [(header::SET_COOKIE, set_cookie(&app, SESSION, "", 0))],
        Redirect::to("/login"),
    )
        .into_response()
}

/// The form that creates the first admin, through the one-time link printed at start.
pub async fn setup_page(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    if !app
        .store
        .setup_token_valid(&auth::hash_token(&token))
        .unwrap_or(false)
    {
        return app.pages.message(
            "Länken gäller inte",
            "Länken för att skapa det första kontot är redan använd eller har gått ut. Logga in i stället.",
            404,
        );
    }
    let mut context = Context::new();
    context.insert("csrf", &auth::link_csrf(&token));
    context.insert("token", &token);
    app.pages.render("setup.html", &context)
}

/// Creates the first admin and logs them in.
pub async fn setup(
    State(app): State<Arc<App>>,
    Path(token): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let sent = form.get("csrf").map(String::as_str).unwrap_or("");
    if !auth::same(sent, &auth::link_csrf(&token)) {
        return app.pages.refused_form();
    }
    let field = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let (email, name) = (field("email").to_lowercase(), field("name"));
    let password = form.get("password").cloned().unwrap_or_default();
    let mut problems = Vec::new();
    if !email.contains('@') {
        problems.push("Ange en e-postadress.");
    }
    if name.is_empty() {
        problems.push("Ange ditt namn.");
    }
    if password.chars().count() < 12 {
        problems.push("Lösenordet ska ha minst 12 tecken.");
    }
    if password != form.get("password2").cloned().unwrap_or_default() {
        problems.push("Lösenorden är inte lika.");
    }
    if !problems.is_empty() {
        let mut context = Context::new();
        context.insert("csrf", &auth::link_csrf(&token));
        context.insert("token", &token);
        context.insert("problems", &problems);
        context.insert("email", &email);
        context.insert("name", &name);
        return app.pages.render("setup.html", &context);
    }
    let Some(hash) = auth::hash_password(&password) else {
        return app.pages.fault("lösenordet kunde inte hashas");
    };
    match app
        .store
        .setup_admin(&auth::hash_token(&token), &email, &name, &hash)
    {
        Ok(Some(id)) => start_session(
            &app,
            &Account {
                id,
                email,
                name,
                admin: true,
            },
        ),
        Ok(None) => app.pages.message(
            "Länken gäller inte",
            "Länken för att skapa det första kontot är redan använd eller har gått ut.",
            404,
        ),
        Err(e) => app.pages.fault(&e.to_string()),
    }
}
