//! Accounts in the browser (SPEC §8.2): the admin lists, adds, deactivates and
//! reactivates inspectors and makes one-time links that set a password, shown once;
//! the link's page sets it and logs the inspector in. Anyone but an admin is told
//! that these pages do not exist.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::session::{self, password_problems};
use crate::actions::{self, LinkBy};
use crate::db::accounts::{self, Account};
use crate::error::AppError;
use crate::extract::{Admin, CsrfForm, Form, Inspector, Segments};
use crate::forms;
use crate::identity;
use crate::views::accounts::{AccountsPage, LinkPage, PasswordPage};
use crate::{App, auth, pages};
use spur_core::typed::capped;

/// How long a link made by the admin sets a password: three days, time to read the
/// e-mail it is sent in.
const LINK_HOURS: i64 = 72;

/// The list, with the add form showing `problems` and what was typed.
async fn list_page(
    app: &Arc<App>,
    admin: &Inspector,
    problems: Vec<String>,
    (name, email): (String, String),
) -> Result<Response, AppError> {
    let accounts = app.db.read(accounts::listing).await?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AccountsPage {
        me: admin.me(),
        accounts,
        problems,
        name,
        email,
    };
    Ok(pages::render("accounts.html", &page, status))
}

/// Every account.
pub async fn list(State(app): State<Arc<App>>, Admin(admin): Admin) -> Result<Response, AppError> {
    list_page(&app, &admin, Vec::new(), Default::default()).await
}

/// Makes a password link for `account`: e-mailed to it when the service sends e-mail,
/// else shown here, once.
async fn link_for(
    app: &Arc<App>,
    admin: &Inspector,
    account: Account,
) -> Result<Response, AppError> {
    let (how, shown) = if app.mail_on {
        let event = format!("password:{}:{}", account.id, crate::db::now());
        (LinkBy::Mail(event), None)
    } else {
        let token = auth::token().ok_or_else(|| AppError::Internal("slumptal saknas".into()))?;
        let how = LinkBy::Shown(auth::hash_token(&token));
        (how, Some(format!("{}/password/{token}", app.public_url)))
    };
    let (by, to) = (admin.account.email.clone(), account.clone());
    app.db
        .write(move |tx| actions::password_link(tx, &to, &how, LINK_HOURS, &by))
        .await?;
    let page = LinkPage {
        me: admin.me(),
        account,
        link: shown,
        hours: LINK_HOURS,
    };
    Ok(pages::render("account_link.html", &page, StatusCode::OK))
}

/// Adds an inspector (an admin when asked) without a password, and shows the link
/// that sets it.
pub async fn add(
    State(app): State<Arc<App>>,
    Admin(admin): Admin,
    CsrfForm(form): CsrfForm<forms::NewAccount>,
) -> Result<Response, AppError> {
    // Shown back as typed, when refused.
    let typed = (
        capped(form.name.trim(), 200),
        capped(&form.email.trim().to_lowercase(), 254),
    );
    let (name, email) = match identity::person(&form.name, &form.email) {
        Ok(person) => person,
        Err(problems) => return list_page(&app, &admin, problems, typed).await,
    };
    let is_admin = form.admin.is_some();
    let by = admin.account.email.clone();
    let added = app
        .db
        .write(move |tx| actions::add_account(tx, email.as_str(), name.as_str(), is_admin, &by))
        .await?;
    match added {
        Some(account) => link_for(&app, &admin, account).await,
        None => {
            let problems = vec!["Det finns redan ett konto med den e-postadressen.".into()];
            list_page(&app, &admin, problems, typed).await
        }
    }
}

/// The account `id`, or not found.
async fn account(app: &Arc<App>, id: i64) -> Result<Account, AppError> {
    app.db
        .read(move |c| accounts::get(c, id))
        .await?
        .ok_or(AppError::NotFound)
}

/// A new password link for an account (the earlier one stops working).
pub async fn new_link(
    State(app): State<Arc<App>>,
    Admin(admin): Admin,
    Segments(id): Segments<i64>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let account = account(&app, id).await?;
    link_for(&app, &admin, account).await
}

/// Deactivates an account (its sessions end) or activates it again. An admin cannot
/// deactivate their own account: someone must be left to manage the others.
pub async fn set_active(
    State(app): State<Arc<App>>,
    Admin(admin): Admin,
    Segments(id): Segments<i64>,
    CsrfForm(form): CsrfForm<forms::Active>,
) -> Result<Response, AppError> {
    let active = form.active == "1";
    if !active && id == admin.account.id {
        let problems = vec!["Du kan inte inaktivera ditt eget konto.".to_string()];
        return list_page(&app, &admin, problems, Default::default()).await;
    }
    let account = account(&app, id).await?;
    let by = admin.account.email.clone();
    app.db
        .write(move |tx| actions::set_active(tx, &account, active, &by))
        .await?;
    Ok(Redirect::to("/accounts").into_response())
}

/// The token of a password link's path, or not found.
fn token(raw: &str) -> Result<String, AppError> {
    if raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(raw.to_string())
    } else {
        Err(AppError::NotFound)
    }
}

/// The account a password link sets the password of, or a page saying the link no
/// longer works.
async fn linked(app: &Arc<App>, token: &str) -> Result<Account, AppError> {
    let hash = auth::hash_token(token);
    app.db
        .read(move |c| accounts::password_link(c, &hash))
        .await?
        .ok_or(AppError::LinkClosed(
            "Länken för att välja lösenord är använd, har gått ut eller gäller inte längre.".into(),
        ))
}

/// The form that sets a password through a one-time link.
pub async fn password_page(
    State(app): State<Arc<App>>,
    Segments(raw): Segments<String>,
) -> Result<Response, AppError> {
    let token = token(&raw)?;
    let account = linked(&app, &token).await?;
    let page = PasswordPage {
        account,
        csrf: auth::link_csrf(&token),
        token,
        problems: Vec::new(),
    };
    Ok(pages::render("password.html", &page, StatusCode::OK))
}

/// Sets the password, uses the link up, and logs the inspector in.
pub async fn set_password(
    State(app): State<Arc<App>>,
    Segments(raw): Segments<String>,
    Form(form): Form<forms::NewPassword>,
) -> Result<Response, AppError> {
    let token = token(&raw)?;
    if !auth::csrf_matches(&form.csrf, &auth::link_csrf(&token)) {
        return Err(AppError::Csrf);
    }
    let account = linked(&app, &token).await?;
    let problems = password_problems(&form.password, &form.password2);
    if !problems.is_empty() {
        let page = PasswordPage {
            account,
            csrf: auth::link_csrf(&token),
            token,
            problems,
        };
        return Ok(pages::render(
            "password.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let hash = app.passwords.hash(form.password.clone()).await?;
    let token_hash = auth::hash_token(&token);
    let account = app
        .db
        .write(move |tx| actions::set_password(tx, &token_hash, &hash))
        .await?;
    session::start_session(&app, account).await
}
