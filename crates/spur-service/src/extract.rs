//! What a handler takes from a request, checked before it runs: the logged-in
//! inspector, an inspection the inspector may see, the unit's link, an id in the path,
//! and a form that carries its CSRF token. Each refuses with an [`AppError`], so the
//! framework's own English refusals never reach a person.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::db::accounts::Account;
use super::db::{inspections, links, log};
use super::error::AppError;
use super::{App, auth};

/// The session cookie's name.
pub const SESSION: &str = "spur_session";

/// The CSRF token a form posted in this request must carry, put in the request's
/// extensions by the extractor that knows it (the session's or the link's).
#[derive(Clone)]
struct ExpectedCsrf(String);

/// The value of cookie `name` in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A logged-in inspector, from the session cookie; without one, to the login page.
pub struct Inspector {
    /// The account.
    pub account: Account,
    /// The session's CSRF token, which every form must send back.
    pub csrf: String,
    /// The hash of the session's token.
    pub token_hash: String,
}

impl FromRequestParts<Arc<App>> for Inspector {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, AppError> {
        let token = cookie(&parts.headers, SESSION).ok_or(AppError::LoginRequired)?;
        let token_hash = auth::hash_token(&token);
        let hash = token_hash.clone();
        let (account, csrf) = app
            .db
            .read(move |c| super::db::accounts::session(c, &hash))
            .await?
            .ok_or(AppError::LoginRequired)?;
        parts.extensions.insert(ExpectedCsrf(csrf.clone()));
        Ok(Inspector {
            account,
            csrf,
            token_hash,
        })
    }
}

/// A logged-in admin. Anyone else is told what a page that does not exist tells, and
/// the attempt is logged.
pub struct Admin(pub Inspector);

impl FromRequestParts<Arc<App>> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, AppError> {
        let inspector = Inspector::from_request_parts(parts, app).await?;
        if inspector.account.admin {
            return Ok(Admin(inspector));
        }
        let who = inspector.account.email.clone();
        let what = format!("nekades kontohanteringen ({})", parts.uri.path());
        app.db
            .write(move |tx| super::db::log::record(tx, &who, &what, None))
            .await?;
        Err(AppError::NotFound)
    }
}

/// The first segment after `prefix` in the request's path.
fn segment<'a>(parts: &'a Parts, prefix: &str) -> Option<&'a str> {
    parts
        .uri
        .path()
        .strip_prefix(prefix)
        .map(|rest| rest.split('/').next().unwrap_or(""))
}

/// An inspection the logged-in inspector may see: a member, or an admin. Any other
/// id, malformed or not, is 404, and the refusal is logged.
pub struct Access {
    /// The inspector.
    pub inspector: Inspector,
    /// The inspection's id.
    pub id: i64,
}

impl FromRequestParts<Arc<App>> for Access {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, AppError> {
        let inspector = Inspector::from_request_parts(parts, app).await?;
        let id = segment(parts, "/inspections/")
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or(AppError::NotFound)?;
        let account = inspector.account.clone();
        let seen = app
            .db
            .read(move |c| inspections::may_see(c, id, &account))
            .await;
        match seen {
            Ok(true) => Ok(Access { inspector, id }),
            Ok(false) => {
                let who = inspector.account.email.clone();
                let what = format!("nekades åtkomst: {} {}", parts.method, parts.uri.path());
                app.db
                    .write(move |tx| log::record(tx, &who, &what, Some(id)))
                    .await?;
                Err(AppError::NotFound)
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// The questionnaire page an address names (`/inspections/{id}/questionnaire/{page}`);
/// any other is 404.
pub struct EditedPage(pub spur_cycle::draft::Page);

impl<S: Send + Sync> FromRequestParts<S> for EditedPage {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let key = parts.uri.path().rsplit('/').next().unwrap_or("");
        spur_cycle::draft::Page::from_key(spur_core::catalog::Catalog::embedded(), key)
            .map(EditedPage)
            .ok_or(AppError::NotFound)
    }
}

/// A unit's link that still opens its inspection.
pub struct UnitLink {
    /// The token, as in the URL.
    pub token: String,
    /// The inspection it opens.
    pub inspection: i64,
}

impl FromRequestParts<Arc<App>> for UnitLink {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, AppError> {
        let token = segment(parts, "/u/").unwrap_or("").to_string();
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let hash = auth::hash_token(&token);
        let link = app
            .db
            .read(move |c| links::find(c, &hash))
            .await?
            .ok_or(AppError::NotFound)?;
        let closed = if link.revoked {
            Some((
                "återkallad",
                "Länken har återkallats av granskarna.".to_string(),
            ))
        } else if link.valid_until < super::today() {
            Some((
                "utgången",
                format!("Länken gällde till och med {}.", link.valid_until),
            ))
        } else {
            None
        };
        if let Some((word, why)) = closed {
            // Logged without the address, which holds the link's token.
            let what = format!("nekades: länken är {word} ({})", parts.method);
            let id = link.inspection_id;
            app.db
                .write(move |tx| log::record(tx, crate::actions::UNIT, &what, Some(id)))
                .await?;
            return Err(AppError::LinkClosed(why));
        }
        parts
            .extensions
            .insert(ExpectedCsrf(auth::link_csrf(&token)));
        Ok(UnitLink {
            token,
            inspection: link.inspection_id,
        })
    }
}

/// A posted form's fields, in the order sent, exactly as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`, or empty.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    /// Whether the form carries the CSRF token `expected`.
    pub fn csrf_ok(&self, expected: &str) -> bool {
        auth::csrf_matches(self.text("csrf"), expected)
    }
}

/// The parts a route names in its path (`/accounts/{id}/active`); one that does not
/// read as its type (no number, or not UTF-8) is a Swedish 404, not the framework's
/// English refusal.
pub struct Segments<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for Segments<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(parts)| Segments(parts))
            .map_err(|_| AppError::NotFound)
    }
}

/// A form body read as `T` (a typed form, or [`Fields`] where the names are data),
/// refused in Swedish when it is too large or cannot be read. A field the form lacks
/// is the type's default: an empty text, as a browser sends an empty input.
pub struct Form<T = Fields>(pub T);

/// What the form's body said, or why it could not be read.
async fn form_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(not_a_form());
    }
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            not_a_form()
        }
    })
}

fn not_a_form() -> AppError {
    AppError::BadRequest(
        "Formuläret kom inte fram som ett formulär från tjänstens sidor. Gå tillbaka och försök igen.".into(),
    )
}

/// `body` read as `T`.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    serde_urlencoded::from_bytes(body).map_err(|_| not_a_form())
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        decode(&form_body(req, state).await?).map(Form)
    }
}

/// A form that carries the CSRF token of the session or link it was made for, read as
/// `T` once the token is found right. Put it after the extractor that knows that token
/// ([`Inspector`], [`Access`], [`UnitLink`]).
pub struct CsrfForm<T = Fields>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let expected = req
            .extensions()
            .get::<ExpectedCsrf>()
            .map(|e| e.0.clone())
            .unwrap_or_default();
        let body = form_body(req, state).await?;
        if !decode::<Fields>(&body)?.csrf_ok(&expected) {
            return Err(AppError::Csrf);
        }
        decode(&body).map(CsrfForm)
    }
}

/// An upload form (`multipart/form-data`): the framework's refusal of a body that is
/// not one (no boundary, another type) becomes a Swedish page.
pub struct UploadForm(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for UploadForm {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(UploadForm)
            .map_err(|_| {
                AppError::BadRequest(
                    "Filen kom inte fram som ett formulär med filer från tjänstens sidor. Gå tillbaka, välj filen och försök igen.".into(),
                )
            })
    }
}
