//! "Hjälp" (SPEC §8.13): how the cycle goes, for inspectors and for units; open to
//! everyone, since the unit has no account.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use crate::pages;

/// The page has nothing that changes.
#[derive(Debug, Serialize)]
struct Help {}

/// The help page.
pub async fn page() -> Response {
    pages::render("help.html", &Help {}, StatusCode::OK)
}
