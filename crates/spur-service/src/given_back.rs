//! Nothing typed is lost to a refusal (SPEC §8.8, §8.13): whatever refuses a form — a
//! stage moved on, a link closed, a busy database, a text over its cap, someone else
//! first — the page that says so gives back, whole, every text the form carried that
//! the page does not already show. One layer over every route, so that no handler can
//! forget it.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::AppError;
use crate::{MAX_BODY_BYTES, pages};

/// Fields that carry no one's text, or a secret that is never shown.
const NOT_TYPED: &[&str] = &["csrf", "password", "password2", "version"];

/// One text given back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Typed {
    /// What the field was, in Swedish.
    pub label: &'static str,
    /// The text, as typed (line breaks as LF).
    pub text: String,
}

/// The field's name as a person reads it.
fn label(name: &str) -> &'static str {
    match name.rsplit(['-', '.']).next().unwrap_or(name) {
        "reason" => "Skäl",
        "comment" | "text" => "Text",
        "name" => "Namn",
        "role" => "Roll",
        "email" => "E-postadress",
        _ => "Det du skrev",
    }
}

/// Whether `value` is a choice's key or a button's value rather than a person's text:
/// a short word of ASCII letters, digits, `-` and `_`.
fn keyword(value: &str) -> bool {
    value.len() <= 16
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `page` shows `text`, escaped as the templates escape it. Should the escape
/// fail, the text counts as not shown: given back once too often rather than lost.
fn shows(page: &str, text: &str) -> bool {
    let mut out = Vec::with_capacity(text.len());
    tera::escape_html(text, &mut out).is_ok() && page.contains(&*String::from_utf8_lossy(&out))
}

/// The texts of form `body` that `page` does not show, in the form's order.
pub fn missing(body: &[u8], page: &str) -> Vec<Typed> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    pairs
        .into_iter()
        .filter(|(name, _)| !NOT_TYPED.contains(&name.as_str()))
        .map(|(name, value)| (name, value.replace("\r\n", "\n")))
        .filter(|(_, value)| !value.trim().is_empty() && !keyword(value.trim()))
        .filter(|(_, value)| !shows(page, value))
        .map(|(name, text)| Typed {
            label: label(&name),
            text,
        })
        .collect()
}

/// The layer: a refused form's page, with its texts given back.
pub async fn layer(request: Request, next: Next) -> Response {
    let form = request.method() == Method::POST
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return AppError::TooLarge.into_response();
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if response.status().as_u16() < 400 || !html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(page) = to_bytes(body, usize::MAX).await else {
        return AppError::Internal("sidan kunde inte läsas om".into()).into_response();
    };
    let page = String::from_utf8_lossy(&page);
    let typed = missing(&bytes, &page);
    let page = match (typed.is_empty(), page.rfind("</main>")) {
        (false, Some(end)) => match pages::given_back(&typed) {
            Ok(block) => format!("{}{block}{}", &page[..end], &page[end..]),
            Err(why) => return AppError::Internal(why).into_response(),
        },
        _ => page.into_owned(),
    };
    let mut response = Response::from_parts(parts, Body::from(page));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_the_page_does_not_show_is_given_back_and_a_key_or_secret_never() {
        let body = b"csrf=abc&version=7&answer=partly&reason=Vi+har+%3Cb%3Einte%3C%2Fb%3E%0D%0Ahunnit&password=hemligt+l%C3%B6senord&comment-3=Visas+redan";
        let page = "<main><p>Visas redan</p></main>";
        assert_eq!(
            missing(body, page),
            [Typed {
                label: "Skäl",
                text: "Vi har <b>inte</b>\nhunnit".into(),
            }]
        );
    }
}
