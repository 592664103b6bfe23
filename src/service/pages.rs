//! The service's pages: tera templates from `templates/web/`, built into the binary,
//! with everything users wrote escaped (tera escapes every `.html` template).

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use tera::{Context, Tera};

/// The service's own stylesheet.
pub const STYLESHEET: &str = include_str!("../../templates/web/spur.css");

/// The templates, by name.
const TEMPLATES: [(&str, &str); 8] = [
    ("base.html", include_str!("../../templates/web/base.html")),
    ("login.html", include_str!("../../templates/web/login.html")),
    ("setup.html", include_str!("../../templates/web/setup.html")),
    (
        "message.html",
        include_str!("../../templates/web/message.html"),
    ),
    (
        "inspections.html",
        include_str!("../../templates/web/inspections.html"),
    ),
    (
        "inspection.html",
        include_str!("../../templates/web/inspection.html"),
    ),
    ("unit.html", include_str!("../../templates/web/unit.html")),
    ("kept.html", include_str!("../../templates/web/kept.html")),
];

/// The compiled templates.
pub struct Pages {
    tera: Tera,
}

impl Pages {
    /// Compiles the templates; a failure is a fault of spur, reported at start.
    pub fn new() -> Result<Pages, String> {
        let mut tera = Tera::default();
        tera.add_raw_templates(TEMPLATES)
            .map_err(|e| format!("sidmallarna kunde inte läsas: {e:?}"))?;
        Ok(Pages { tera })
    }

    /// A page from template `name`.
    pub fn render(&self, name: &str, context: &Context) -> Response {
        self.render_status(name, context, StatusCode::OK)
    }

    /// A page from template `name`, with `status`.
    pub fn render_status(&self, name: &str, context: &Context, status: StatusCode) -> Response {
        match self.tera.render(name, context) {
            Ok(page) => (status, Html(page)).into_response(),
            Err(e) => self.fault(&format!("sidmallen {name}: {e:?}")),
        }
    }

    /// A page that says one thing.
    pub fn message(&self, title: &str, text: &str, status: u16) -> Response {
        let mut context = Context::new();
        context.insert("title", title);
        context.insert("text", text);
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
        self.render_status("message.html", &context, status)
    }

    /// 404: also the answer for an inspection the account may not see, so that its
    /// existence is not told.
    pub fn not_found(&self) -> Response {
        self.message(
            "Sidan finns inte",
            "Sidan finns inte, eller så har du inte behörighet till den.",
            404,
        )
    }

    /// A form without its valid CSRF token.
    pub fn refused_form(&self) -> Response {
        self.message(
            "Formuläret kunde inte tas emot",
            "Formuläret var för gammalt eller kom inte från den här sidan. Gå tillbaka, ladda om sidan och försök igen.",
            403,
        )
    }

    /// A fault of spur itself.
    pub fn fault(&self, what: &str) -> Response {
        let text = format!(
            "Ett fel uppstod i spur, inte i det du skrev: {what}. Försök igen, och kontakta den som driver tjänsten om felet kvarstår."
        );
        self.message("Internt fel", &text, 500)
    }
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
        let pages = Pages::new().unwrap();
        let mut context = Context::new();
        context.insert("title", "<script>alert(1)</script>");
        context.insert("text", "\" onmouseover=\"x");
        let page = pages.tera.render("message.html", &context).unwrap();
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("&lt;script&gt;"), "{page}");
        assert!(!page.contains("\" onmouseover"), "{page}");
    }
}
