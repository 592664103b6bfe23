//! The inspector's pages: the list of inspections, uploading a questionnaire, the
//! grades, the unit's link, reviewing the plan, and the reports and exports. Every
//! request for an inspection is checked against the account: a non-member gets 404.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use super::held::{self, Stage};
use super::pages::download;
use super::session::Inspector;
use super::store::Review;
use super::{App, auth};
use crate::catalog::Catalog;
use crate::diagnostic::{self, Source};
use crate::plan_form::{self, Entries};
use crate::{fonts, grades, inspection, report};

/// `/`: the inspector's list, or the login page.
pub async fn home(inspector: Result<Inspector, Response>) -> Response {
    match inspector {
        Ok(_) => Redirect::to("/inspections").into_response(),
        Err(_) => Redirect::to("/login").into_response(),
    }
}

/// One row of the list.
#[derive(Serialize)]
struct Row {
    id: i64,
    unit: String,
    date: String,
    stage: &'static str,
    waiting_on: &'static str,
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

/// The inspections the inspector is a member of (all, for an admin).
pub async fn list(State(app): State<Arc<App>>, inspector: Inspector) -> Response {
    list_page(&app, &inspector, None, "")
}

fn list_page(app: &App, inspector: &Inspector, problems: Option<String>, name: &str) -> Response {
    let listed = match app.store.inspections(&inspector.account, &today()) {
        Ok(l) => l,
        Err(e) => return app.pages.fault(&e.to_string()),
    };
    let rows: Vec<Row> = listed
        .iter()
        .map(|l| {
            let (unit, date) = match app.graded.get(&l.text) {
                Ok(i) => (
                    i.questionnaire.unit.name.clone(),
                    i.questionnaire.inspection.date.to_string(),
                ),
                Err(_) => ("(frågeformuläret har fel)".into(), String::new()),
            };
            let returned = app
                .store
                .reviews(l.id)
                .is_ok_and(|r| r.iter().any(|r| !r.accepted));
            let stage = Stage::of(&l.plan_state, l.plan_saved, l.link_active, returned);
            Row {
                id: l.id,
                unit,
                date,
                stage: stage.label(),
                waiting_on: stage.waiting_on(),
            }
        })
        .collect();
    let mut context = inspector.context();
    context.insert("rows", &rows);
    context.insert("problems", &problems);
    context.insert("file_name", name);
    let status = if problems.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    app.pages
        .render_status("inspections.html", &context, status)
}

/// The uploaded questionnaire's text and name, or a Swedish reason why not.
async fn uploaded(mut multipart: Multipart, csrf: &str) -> Result<(String, String), String> {
    let mut text = None;
    let mut name = String::from("frågeformulär.yaml");
    let mut sent_csrf = String::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| {
        format!(
            "Filen är för stor eller kom inte fram helt (högst {} MB).",
            super::MAX_BODY_BYTES / (1024 * 1024)
        )
    })? {
        match field.name() {
            Some("csrf") => sent_csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                if let Some(n) = field.file_name() {
                    name = n.to_string();
                }
                let bytes = field.bytes().await.map_err(|_| {
                    format!(
                        "Filen är för stor (högst {} MB).",
                        super::MAX_BODY_BYTES / (1024 * 1024)
                    )
                })?;
                text = Some(String::from_utf8(bytes.to_vec()).map_err(|_| {
                    "Filen är inte UTF-8-kodad text. Spara om den som UTF-8.".to_string()
                })?);
            }
            _ => {}
        }
    }
    if !auth::same(&sent_csrf, csrf) {
        return Err("csrf".into());
    }
    let text = text
        .filter(|t| !t.trim().is_empty())
        .ok_or("Välj en fil att ladda upp.")?;
    Ok((
        text.strip_prefix('\u{feff}').unwrap_or(&text).to_string(),
        name,
    ))
}

/// The problems of a questionnaire as `spur check` prints them, or none.
fn check(text: &str, name: &str) -> Option<String> {
    let source = Source::new(name.to_string(), text.to_string());
    match inspection::questionnaire(Catalog::embedded(), &source, &fonts::can_show) {
        Ok((q, _)) if q.action_plan.is_some() => Some(
            "Frågeformuläret innehåller redan action_plan. Tjänsten lägger själv till handlingsplanen när enheten skickat in den: ta bort blocket och ladda upp igen.".into(),
        ),
        Ok(_) => None,
        Err(problems) => Some(diagnostic::render_all(&problems)),
    }
}

/// Creates an inspection from an uploaded questionnaire; its problems are shown
/// instead, with their lines.
pub async fn upload(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    multipart: Multipart,
) -> Response {
    let (text, name) = match uploaded(multipart, &inspector.csrf).await {
        Ok(found) => found,
        Err(e) if e == "csrf" => return app.pages.refused_form(),
        Err(e) => return list_page(&app, &inspector, Some(e), ""),
    };
    if let Some(problems) = check(&text, &name) {
        return list_page(&app, &inspector, Some(problems), &name);
    }
    match app.store.create_inspection(&inspector.account, &text) {
        Ok(id) => done(&app, &inspector, id, "skapade granskningen"),
        Err(e) => app.pages.fault(&e.to_string()),
    }
}

/// Checks that the inspector may see inspection `id`; 404 otherwise.
fn visible(app: &App, inspector: &Inspector, id: i64) -> Result<String, Response> {
    match app.store.may_see(id, &inspector.account) {
        Ok(true) => {}
        Ok(false) => return Err(app.pages.not_found()),
        Err(e) => return Err(app.pages.fault(&e.to_string())),
    }
    match app.store.questionnaire(id) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(app.pages.not_found()),
        Err(e) => Err(app.pages.fault(&e.to_string())),
    }
}

/// One plan entry next to its indicator, for review.
#[derive(Serialize)]
struct ReviewRow {
    item: plan_form::Item,
    typed: HashMap<String, String>,
    review: Option<Review>,
}

/// Everything about one inspection.
pub async fn show(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    Path(id): Path<i64>,
) -> Response {
    inspection_page(&app, &inspector, id, None, None)
}

fn inspection_page(
    app: &App,
    inspector: &Inspector,
    id: i64,
    new_link: Option<&str>,
    problems: Option<String>,
) -> Response {
    let text = match visible(app, inspector, id) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let _ = app
        .store
        .log(&inspector.account.email, "läste granskningen", Some(id));
    let inspection = match app.graded.get(&text) {
        Ok(i) => i,
        Err(problems) => return app.pages.fault(&diagnostic::render_all(&problems)),
    };
    let catalog = Catalog::embedded();
    let (plan_state, received) = app.store.plan_state(id).unwrap_or(("open".into(), None));
    let plan = app.store.latest_submitted(id).ok().flatten();
    let saved = app.store.latest_plan(id).ok().flatten();
    let reviews = app.store.reviews(id).unwrap_or_default();
    let link_until = app.store.active_link(id, &today()).ok().flatten();
    let returned = reviews.iter().any(|r| !r.accepted);
    let stage = Stage::of(&plan_state, saved.is_some(), link_until.is_some(), returned);
    let entries: Entries = plan
        .as_ref()
        .map(|p| plan_form::entries_of(&Source::new(held::PLAN_FILE, p.text.clone())))
        .unwrap_or_default();
    let rows: Vec<ReviewRow> =
        plan_form::items(catalog, &inspection.questionnaire, &inspection.grading)
            .into_iter()
            .filter(|item| entries.contains_key(&item.indicator))
            .map(|item| ReviewRow {
                typed: entries[&item.indicator].clone().into_iter().collect(),
                review: reviews
                    .iter()
                    .find(|r| r.indicator == item.indicator)
                    .cloned(),
                item,
            })
            .collect();
    let mut context = inspector.context();
    context.insert("id", &id);
    context.insert("unit", &inspection.questionnaire.unit);
    context.insert(
        "date",
        &inspection.questionnaire.inspection.date.to_string(),
    );
    context.insert("grades", &grades::view(catalog, &inspection));
    context.insert("stage", stage.label());
    context.insert("waiting_on", stage.waiting_on());
    context.insert("plan_state", &plan_state);
    context.insert("received", &received);
    context.insert("rows", &rows);
    context.insert("link_until", &link_until);
    context.insert("new_link", &new_link);
    context.insert("members", &app.store.members(id).unwrap_or_default());
    let history: Vec<(String, String, String)> = app
        .store
        .plan_history(id)
        .unwrap_or_default()
        .into_iter()
        .map(|(_, kind, who, when)| {
            let what = match kind.as_str() {
                "submitted" => "inskickad",
                "refused" => "inte sparad: gjord från en äldre version (texten finns kvar)",
                _ => "sparad",
            };
            (when, what.to_string(), who)
        })
        .collect();
    context.insert("history", &history);
    context.insert("log", &app.store.access_log(id).unwrap_or_default());
    context.insert("problems", &problems);
    app.pages.render("inspection.html", &context)
}

/// After a change to inspection `id`: logs `what` and shows the inspection again.
fn done(app: &App, inspector: &Inspector, id: i64, what: &str) -> Response {
    let _ = app.store.log(&inspector.account.email, what, Some(id));
    Redirect::to(&format!("/inspections/{id}")).into_response()
}

/// A form posted for inspection `id`: visible to the inspector, with its CSRF token.
fn posted(
    app: &App,
    inspector: &Inspector,
    id: i64,
    form: &HashMap<String, String>,
) -> Result<String, Response> {
    let text = visible(app, inspector, id)?;
    inspector.check_csrf(app, form)?;
    Ok(text)
}

/// A new version of the questionnaire.
pub async fn new_version(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Response {
    if let Err(r) = visible(&app, &inspector, id) {
        return r;
    }
    let (text, name) = match uploaded(multipart, &inspector.csrf).await {
        Ok(found) => found,
        Err(e) if e == "csrf" => return app.pages.refused_form(),
        Err(e) => return inspection_page(&app, &inspector, id, None, Some(e)),
    };
    if let Some(problems) = check(&text, &name) {
        return inspection_page(&app, &inspector, id, None, Some(problems));
    }
    if let Err(e) = app
        .store
        .add_questionnaire(id, &text, &inspector.account.email)
    {
        return app.pages.fault(&e.to_string());
    }
    done(
        &app,
        &inspector,
        id,
        "laddade upp en ny version av frågeformuläret",
    )
}

/// Adds a co-inspector by e-mail.
pub async fn add_member(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = posted(&app, &inspector, id, &form) {
        return r;
    }
    let email = form
        .get("email")
        .map(|e| e.trim().to_lowercase())
        .unwrap_or_default();
    match app.store.add_member(id, &email) {
        Ok(true) => done(&app, &inspector, id, &format!("lade till {email}")),
        Ok(false) => inspection_page(
            &app,
            &inspector,
            id,
            None,
            Some(format!("Det finns inget konto för {email}.")),
        ),
        Err(e) => app.pages.fault(&e.to_string()),
    }
}

/// Creates the unit's link (earlier links stop working) and shows it once, to copy.
pub async fn create_link(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let text = match posted(&app, &inspector, id, &form) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let Some(token) = auth::token() else {
        return app.pages.fault("slumptal saknas");
    };
    // Valid to 30 days after the plan is due (SPEC §8), and never already expired.
    let due = app.graded.get(&text).ok().map(|i| {
        let details = &i.questionnaire.inspection;
        details
            .plan_due
            .unwrap_or(details.date + chrono::Duration::days(60))
    });
    let base = due.unwrap_or_else(|| chrono::Local::now().date_naive());
    let valid_until = (base + chrono::Duration::days(30)).max(chrono::Local::now().date_naive());
    if let Err(e) = app
        .store
        .create_link(id, &auth::hash_token(&token), &valid_until.to_string())
    {
        return app.pages.fault(&e.to_string());
    }
    let _ = app.store.log(
        &inspector.account.email,
        "skapade länk till enheten",
        Some(id),
    );
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if app.secure_cookies { "https" } else { "http" };
    let url = format!("{scheme}://{host}/u/{token}");
    inspection_page(&app, &inspector, id, Some(&url), None)
}

/// Revokes the unit's link.
pub async fn revoke_link(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = posted(&app, &inspector, id, &form) {
        return r;
    }
    if let Err(e) = app.store.revoke_links(id) {
        return app.pages.fault(&e.to_string());
    }
    done(&app, &inspector, id, "återkallade länken")
}

/// Accepts or rejects each entry of the submitted plan; a rejection needs a reason.
/// With every entry accepted the plan is reviewed and the report final; otherwise the
/// plan goes back to the unit.
pub async fn review(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = posted(&app, &inspector, id, &form) {
        return r;
    }
    let Ok(Some(plan)) = app.store.latest_submitted(id) else {
        return inspection_page(
            &app,
            &inspector,
            id,
            None,
            Some("Enheten har inte skickat in någon handlingsplan.".into()),
        );
    };
    let entries = plan_form::entries_of(&Source::new(held::PLAN_FILE, plan.text));
    let mut decisions = Vec::new();
    for indicator in entries.keys() {
        let decision = form
            .get(&format!("{indicator}.decision"))
            .map(String::as_str);
        let reason = form
            .get(&format!("{indicator}.reason"))
            .map(|r| r.trim().to_string())
            .unwrap_or_default();
        match decision {
            Some("accept") => decisions.push((indicator.clone(), true, reason)),
            Some("reject") if !reason.is_empty() => {
                decisions.push((indicator.clone(), false, reason))
            }
            Some("reject") => {
                return inspection_page(
                    &app,
                    &inspector,
                    id,
                    None,
                    Some(format!("Ange varför åtgärden för {indicator} inte godtas.")),
                );
            }
            _ => {
                return inspection_page(
                    &app,
                    &inspector,
                    id,
                    None,
                    Some(format!("Godta eller avslå åtgärden för {indicator}.")),
                );
            }
        }
    }
    for (indicator, accepted, reason) in &decisions {
        if let Err(e) = app
            .store
            .review(id, indicator, *accepted, reason, &inspector.account.email)
        {
            return app.pages.fault(&e.to_string());
        }
    }
    let state = if decisions.iter().all(|(_, accepted, _)| *accepted) {
        "reviewed"
    } else {
        "open"
    };
    let _ = app.store.set_plan_state(id, state, None);
    done(&app, &inspector, id, "granskade handlingsplanen")
}

/// Opens the plan for the unit again.
pub async fn reopen(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = posted(&app, &inspector, id, &form) {
        return r;
    }
    let _ = app.store.set_plan_state(id, "open", None);
    done(&app, &inspector, id, "öppnade planen för enheten igen")
}

/// The questionnaire and plan texts as exported, once a plan has been received.
pub fn exported(app: &App, id: i64, text: &str) -> (String, Option<String>) {
    let (_, received) = app.store.plan_state(id).unwrap_or(("open".into(), None));
    let received = received.and_then(|d| d.parse().ok());
    let plan = app
        .store
        .latest_submitted(id)
        .ok()
        .flatten()
        .filter(|_| received.is_some());
    let reviews = app.store.reviews(id).unwrap_or_default();
    (
        held::questionnaire_export(text, received, &reviews),
        plan.map(|p| p.text),
    )
}

/// The report as PDF: the draft, or the re-graded report once a plan has come in.
pub fn report(app: &App, id: i64, text: &str) -> Response {
    let (questionnaire, plan) = exported(app, id, text);
    let final_ = app.store.plan_state(id).is_ok_and(|(s, _)| s == "reviewed");
    let inspection = match held::assess(&questionnaire, plan.as_deref()) {
        Ok(i) => i,
        Err(problems) => return app.pages.fault(&diagnostic::render_all(&problems)),
    };
    let model = report::build(Catalog::embedded(), &inspection, !final_);
    match app.renderer.pdf(&model, crate::render::Standard::default()) {
        Ok(pdf) => download(
            pdf,
            "application/pdf",
            if final_ { "rapport.pdf" } else { "utkast.pdf" },
        ),
        Err(e) => app.pages.fault(&e.to_string()),
    }
}

/// The report, for the inspector.
pub async fn report_pdf(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    Path(id): Path<i64>,
) -> Response {
    let text = match visible(&app, &inspector, id) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let _ = app
        .store
        .log(&inspector.account.email, "hämtade rapporten", Some(id));
    report(&app, id, &text)
}

/// The questionnaire as a file, with `action_plan` once a plan has come in.
pub async fn export_questionnaire(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    Path(id): Path<i64>,
) -> Response {
    let text = match visible(&app, &inspector, id) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let _ = app.store.log(
        &inspector.account.email,
        "exporterade frågeformuläret",
        Some(id),
    );
    let (questionnaire, _) = exported(&app, id, &text);
    download(
        questionnaire.into_bytes(),
        "application/yaml; charset=utf-8",
        held::QUESTIONNAIRE_FILE,
    )
}

/// The latest plan as a file.
pub async fn export_plan(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    Path(id): Path<i64>,
) -> Response {
    if let Err(r) = visible(&app, &inspector, id) {
        return r;
    }
    let _ = app.store.log(
        &inspector.account.email,
        "exporterade handlingsplanen",
        Some(id),
    );
    match app.store.latest_submitted(id) {
        Ok(Some(plan)) => download(
            plan.text.into_bytes(),
            "application/yaml; charset=utf-8",
            held::PLAN_FILE,
        ),
        Ok(None) => app.pages.message(
            "Ingen handlingsplan",
            "Enheten har inte skickat in någon handlingsplan ännu.",
            404,
        ),
        Err(e) => app.pages.fault(&e.to_string()),
    }
}
