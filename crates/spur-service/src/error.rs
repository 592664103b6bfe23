//! Every way a request can fail, and the Swedish page each becomes. A page never names
//! anything internal: faults of spur are logged to standard error and shown as one
//! sentence.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::db::DbError;
use super::pages;
use super::work::WorkError;
use spur_cycle::workflow::Refusal;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page, or one the account or link may not see (the same answer, so that
    /// existence is not told).
    #[error("sidan finns inte")]
    NotFound,
    /// Not logged in: to the login page.
    #[error("inte inloggad")]
    LoginRequired,
    /// A form without this session's or link's CSRF token.
    #[error("formuläret saknar sin kontrollkod")]
    Csrf,
    /// The unit's link is revoked or past its last day.
    #[error("länken gäller inte")]
    LinkClosed(String),
    /// The workflow refused the action; nothing changed.
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// What was sent cannot be read: a malformed id, a mistyped or oversized body.
    #[error("{0}")]
    BadRequest(String),
    /// A text over its cap: refused whole, never cut, and given back on the page.
    #[error("{0}")]
    TooLong(String),
    /// The request body is over the cap.
    #[error("för stort")]
    TooLarge,
    /// The database was busy for too long, or the PDF queue is full: try again.
    #[error("upptagen")]
    Busy,
    /// The inspection's questionnaire has problems left, so it has no grades, report or
    /// link yet: to its overview, which lists them.
    #[error("frågeformuläret har fel att rätta")]
    Unfinished(i64),
    /// A fault of spur: logged, not shown.
    #[error("{0}")]
    Internal(String),
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Busy => AppError::Busy,
            DbError::Missing => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<WorkError> for AppError {
    fn from(e: WorkError) -> Self {
        match e {
            WorkError::Full => AppError::Busy,
            WorkError::Failed(why) => AppError::Internal(why),
        }
    }
}

/// The page for a busy service; also what a kept text is shown with.
pub const BUSY: &str = "Tjänsten är upptagen just nu, så det du skickade sparades inte. Försök igen om en liten stund.";

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, text) = match &self {
            AppError::LoginRequired => return Redirect::to("/login").into_response(),
            AppError::Unfinished(id) => {
                return Redirect::to(&format!("/inspections/{id}/questionnaire")).into_response();
            }
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Sidan finns inte",
                "Sidan finns inte, eller så har du inte behörighet till den.".to_string(),
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "Formuläret kunde inte tas emot",
                "Formuläret var för gammalt eller kom inte från den här sidan. Gå tillbaka, ladda om sidan och försök igen.".to_string(),
            ),
            AppError::LinkClosed(why) => (
                StatusCode::GONE,
                "Länken gäller inte längre",
                format!("{why} Kontakta granskarna för en ny länk."),
            ),
            AppError::Refused(refusal) => (
                StatusCode::CONFLICT,
                "Det gick inte",
                refusal.to_string(),
            ),
            AppError::BadRequest(why) => (
                StatusCode::BAD_REQUEST,
                "Begäran kunde inte läsas",
                why.clone(),
            ),
            AppError::TooLong(why) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Det du skrev sparades inte",
                why.clone(),
            ),
            AppError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Det du skickade var för stort",
                format!(
                    "Det du skickade var större än tjänsten tar emot (högst {} MB) och sparades inte. Gå tillbaka i webbläsaren: texten finns kvar där. Korta den eller dela upp den och försök igen.",
                    super::MAX_BODY_BYTES / (1024 * 1024)
                ),
            ),
            AppError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "Försök igen", BUSY.to_string()),
            AppError::Internal(why) => {
                eprintln!("spur serve: internt fel: {why}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internt fel",
                    "Ett fel uppstod i spur, inte i det du gjorde. Försök igen, och kontakta den som driver tjänsten om felet kvarstår.".to_string(),
                )
            }
        };
        let mut response = pages::message(title, &text, status);
        if matches!(self, AppError::Busy) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        response
    }
}
