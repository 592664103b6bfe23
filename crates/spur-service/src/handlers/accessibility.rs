//! "Tillgänglighetsredogörelse", the accessibility statement the law on accessible
//! digital public services asks of every public service; open to everyone.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use crate::pages;

/// The statement's model: the version it speaks for.
#[derive(Debug, Serialize)]
struct Statement {
    /// spur's version.
    version: &'static str,
}

/// The statement.
pub async fn statement() -> Response {
    let model = Statement {
        version: env!("CARGO_PKG_VERSION"),
    };
    pages::render("accessibility.html", &model, StatusCode::OK)
}
