//! The service's pages: tera templates from `templates/web/`, built into the binary and
//! compiled once, each fed one typed page model (never a map whose order matters), with
//! everything users wrote escaped (tera escapes every `.html` template).

use std::sync::OnceLock;

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use tera::{Context, Tera};

/// The service's own stylesheet.
pub const STYLESHEET: &str = include_str!("../../../templates/web/spur.css");

/// The questionnaire pages' script: saves a field shortly after it changes.
pub const SCRIPT: &str = include_str!("../../../templates/web/autosave.js");

/// The templates, by name.
const TEMPLATES: [(&str, &str); 29] = [
    (
        "base.html",
        include_str!("../../../templates/web/base.html"),
    ),
    (
        "problems.html",
        include_str!("../../../templates/web/problems.html"),
    ),
    (
        "login.html",
        include_str!("../../../templates/web/login.html"),
    ),
    (
        "forgot.html",
        include_str!("../../../templates/web/forgot.html"),
    ),
    (
        "setup.html",
        include_str!("../../../templates/web/setup.html"),
    ),
    (
        "message.html",
        include_str!("../../../templates/web/message.html"),
    ),
    (
        "people.html",
        include_str!("../../../templates/web/people.html"),
    ),
    (
        "steps.html",
        include_str!("../../../templates/web/steps.html"),
    ),
    (
        "inspection_draft.html",
        include_str!("../../../templates/web/inspection_draft.html"),
    ),
    (
        "confirm.html",
        include_str!("../../../templates/web/confirm.html"),
    ),
    (
        "help.html",
        include_str!("../../../templates/web/help.html"),
    ),
    (
        "given_back.html",
        include_str!("../../../templates/web/given_back.html"),
    ),
    (
        "inspections.html",
        include_str!("../../../templates/web/inspections.html"),
    ),
    (
        "inspection.html",
        include_str!("../../../templates/web/inspection.html"),
    ),
    (
        "link.html",
        include_str!("../../../templates/web/link.html"),
    ),
    (
        "accounts.html",
        include_str!("../../../templates/web/accounts.html"),
    ),
    (
        "account_link.html",
        include_str!("../../../templates/web/account_link.html"),
    ),
    (
        "password.html",
        include_str!("../../../templates/web/password.html"),
    ),
    (
        "calendar_feed.html",
        include_str!("../../../templates/web/calendar_feed.html"),
    ),
    (
        "accessibility.html",
        include_str!("../../../templates/web/accessibility.html"),
    ),
    (
        "unit_item.html",
        include_str!("../../../templates/web/unit_item.html"),
    ),
    (
        "unit_check.html",
        include_str!("../../../templates/web/unit_check.html"),
    ),
    (
        "unit.html",
        include_str!("../../../templates/web/unit.html"),
    ),
    (
        "kept.html",
        include_str!("../../../templates/web/kept.html"),
    ),
    (
        "field.html",
        include_str!("../../../templates/web/field.html"),
    ),
    (
        "unit_follow_up.html",
        include_str!("../../../templates/web/unit_follow_up.html"),
    ),
    (
        "unit_fact_check.html",
        include_str!("../../../templates/web/unit_fact_check.html"),
    ),
    (
        "questionnaire.html",
        include_str!("../../../templates/web/questionnaire.html"),
    ),
    (
        "questionnaire_page.html",
        include_str!("../../../templates/web/questionnaire_page.html"),
    ),
];

/// The compiled templates; a template that does not compile is a fault found by the
/// unit test below, and at start by [`check`].
fn tera() -> Result<&'static Tera, String> {
    static TERA: OnceLock<Result<Tera, String>> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut tera = Tera::default();
        tera.add_raw_templates(TEMPLATES)
            .map_err(|e| format!("sidmallarna kunde inte läsas: {e:?}"))?;
        Ok(tera)
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Compiles the templates, so that a broken one stops the service at start.
pub fn check() -> Result<(), String> {
    tera().map(|_| ())
}

/// The page `name` showing `model`, with `status`.
pub fn render<M: Serialize>(name: &str, model: &M, status: StatusCode) -> Response {
    let page = Context::from_serialize(model)
        .map_err(|e| format!("sidans data ({name}): {e}"))
        .and_then(|context| {
            tera()?
                .render(name, &context)
                .map_err(|e| format!("sidmallen {name}: {e:?}"))
        });
    match page {
        Ok(page) => (status, Html(page)).into_response(),
        Err(why) => {
            eprintln!("spur serve: internt fel: {why}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Internt fel – spur</title></head><body><main><h1>Internt fel</h1><p>Sidan kunde inte visas. Försök igen, och kontakta den som driver tjänsten om felet kvarstår.</p></main></body></html>"),
            )
                .into_response()
        }
    }
}

/// A page that says one thing.
#[derive(Serialize)]
struct Message<'a> {
    title: &'a str,
    text: &'a str,
}

/// A page that says one thing, with `status`.
pub fn message(title: &str, text: &str, status: StatusCode) -> Response {
    render("message.html", &Message { title, text }, status)
}

/// The part of a refusal's page that gives `typed` back.
pub fn given_back(typed: &[crate::given_back::Typed]) -> Result<String, String> {
    #[derive(Serialize)]
    struct Model<'a> {
        typed: &'a [crate::given_back::Typed],
    }
    let context = Context::from_serialize(&Model { typed })
        .map_err(|e| format!("det givna tillbaka: {e}"))?;
    tera()?
        .render("given_back.html", &context)
        .map_err(|e| format!("sidmallen given_back.html: {e:?}"))
}

/// A file to download.
pub fn download(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles_and_escapes_what_users_wrote() {
        check().unwrap();
        let model = Message {
            title: "<script>alert(1)</script>",
            text: "\" onmouseover=\"x",
        };
        let page = tera()
            .unwrap()
            .render("message.html", &Context::from_serialize(&model).unwrap())
            .unwrap();
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("&lt;script&gt;"), "{page}");
        assert!(!page.contains("\" onmouseover"), "{page}");
    }
}
