//! The unit's link: made only by an explicit POST, shown once on the page it redirects
//! to (the token travels there in a short-lived cookie for that one page, and the
//! database keeps only its hash), and revocable. Reloading never makes another.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use super::respond::done;
use super::session::set_cookie;
use crate::db::links;
use crate::error::AppError;
use crate::extract::{Access, CsrfForm, cookie};
use crate::views::confirmation::Done;
use crate::{App, actions, auth, held, pages, today};

/// The cookie that carries a new link to the one page that shows it.
const NEW_LINK: &str = "spur_new_link";

/// Creates the unit's link (earlier links stop working) and redirects to the page that
/// shows it once.
pub async fn create(
    State(app): State<Arc<App>>,
    access: Access,
    CsrfForm(form): CsrfForm,
) -> Result<Response, AppError> {
    let id = access.id;
    let current = app
        .db
        .read(move |c| crate::db::links::active(c, id, today()))
        .await?;
    if let Some(until) = current
        && !super::respond::confirmed(&form)
    {
        let what = vec![
            format!(
                "Enheten har en länk som gäller till och med {until}. En ny länk ersätter den: den gamla slutar fungera direkt, också i e-post som redan skickats."
            ),
            "Den nya länken visas en gång, så att du kan skicka den till enheten.".into(),
        ];
        return super::respond::confirm(
            &app,
            &access,
            "Skapa en ny länk till enheten?",
            what,
            "link",
            "Ja, skapa en ny länk",
        )
        .await;
    }
    let token = auth::token().ok_or_else(|| AppError::Internal("slumptal saknas".into()))?;
    let (id, who, hash) = (
        access.id,
        access.inspector.account.email.clone(),
        auth::hash_token(&token),
    );
    // The link lasts as long as the unit's deadline at the stage, read and graded on a
    // reader before the write, which only stores.
    let valid_until = app
        .db
        .read(move |c| held::link_valid_until(c, id, today()))
        .await?;
    app.db
        .write(move |tx| actions::create_link(tx, id, &who, &hash, valid_until))
        .await?;
    Ok((
        [(header::SET_COOKIE, set_cookie(&app, NEW_LINK, &token, 600))],
        Redirect::to(&format!("/inspections/{id}/link")),
    )
        .into_response())
}

/// The page that shows a new link once.
#[derive(Serialize)]
struct LinkPage {
    id: i64,
    url: Option<String>,
    valid_until: Option<String>,
}

/// Shows the link just made, once; after that (a reload), says that it was shown.
pub async fn shown(
    State(app): State<Arc<App>>,
    access: Access,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = access.id;
    let token = cookie(&headers, NEW_LINK).filter(|t| t.len() == 64);
    let hash = token.as_deref().map(auth::hash_token);
    let found = match hash {
        Some(hash) => app.db.read(move |c| links::find(c, &hash)).await?,
        None => None,
    };
    let found = found.filter(|l| l.inspection_id == id && !l.revoked);
    let page = LinkPage {
        id,
        url: found
            .as_ref()
            .zip(token.as_ref())
            .map(|(_, t)| format!("{}/u/{t}", app.public_url)),
        valid_until: found.map(|l| l.valid_until.to_string()),
    };
    Ok((
        [(header::SET_COOKIE, set_cookie(&app, NEW_LINK, "", 0))],
        pages::render("link.html", &page, StatusCode::OK),
    )
        .into_response())
}

/// Revokes the unit's link.
pub async fn revoke(
    State(app): State<Arc<App>>,
    access: Access,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let (id, who) = (access.id, access.inspector.account.email.clone());
    app.db
        .write(move |tx| actions::revoke_link(tx, id, &who))
        .await?;
    Ok(done(id, Done::LinkRevoked))
}
