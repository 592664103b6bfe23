//! The unit's pages, reached only through its link: the action-plan form and the
//! report. "Spara" keeps what was typed, valid or not; "Skicka in" checks it with the
//! same code as `spur plan-check` and submits only a valid, complete plan. Nothing
//! typed is lost: a save the service cannot take is shown back to the unit.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use tera::Context;

use super::held;
use super::store::Link;
use super::{App, auth, inspector};
use crate::catalog::Catalog;
use crate::diagnostic::Source;
use crate::plan_form::{self, Entries, FIELDS, Item, Problems};
use crate::{fonts, plan};

/// Who the unit is in the history and the access log.
const UNIT: &str = "enheten";

/// Why a link does not open its inspection.
enum Closed {
    /// No such link: 404, saying nothing of any inspection.
    Unknown,
    /// Revoked by the inspectors.
    Revoked,
    /// Past its last day.
    Expired(String),
}

/// The inspection a link opens, if it still does.
fn opened(app: &App, token: &str) -> Result<Link, Closed> {
    let link = app
        .store
        .link(&auth::hash_token(token))
        .ok()
        .flatten()
        .ok_or(Closed::Unknown)?;
    if link.revoked {
        return Err(Closed::Revoked);
    }
    if link.valid_until < chrono::Local::now().date_naive().to_string() {
        return Err(Closed::Expired(link.valid_until));
    }
    Ok(link)
}

fn closed_text(closed: &Closed) -> String {
    match closed {
        Closed::Unknown => String::new(),
        Closed::Revoked => "Länken har återkallats av granskarna.".into(),
        Closed::Expired(day) => format!("Länken gällde till och med {day}."),
    }
}

fn closed_page(app: &App, closed: &Closed) -> Response {
    match closed {
        Closed::Unknown => app.pages.not_found(),
        other => app.pages.message(
            "Länken gäller inte längre",
            &format!("{} Kontakta granskarna för en ny länk.", closed_text(other)),
            410,
        ),
    }
}

/// One item of the form, with what was typed and the problems found.
#[derive(Serialize)]
struct FormItem {
    item: Item,
    values: HashMap<String, String>,
    problems: HashMap<String, String>,
    rejection: Option<String>,
    /// Date fields shown as a date picker: only where the value is empty or a date,
    /// since a browser would blank out anything else the unit typed.
    date_inputs: HashMap<String, bool>,
}

/// The plan form, with the latest save filled in.
pub async fn form(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    let link = match opened(&app, &token) {
        Ok(l) => l,
        Err(closed) => return closed_page(&app, &closed),
    };
    let _ = app
        .store
        .log(UNIT, "öppnade handlingsplanen", Some(link.inspection_id));
    let saved = app.store.latest_plan(link.inspection_id).ok().flatten();
    let entries = saved
        .as_ref()
        .map(|p| plan_form::entries_of(&Source::new(held::PLAN_FILE, p.text.clone())))
        .unwrap_or_default();
    let message = saved
        .as_ref()
        .map(|p| format!("Senast sparad {}.", local_time(&p.saved)));
    let shown = Shown {
        entries: &entries,
        version: saved.map(|p| p.id),
        problems: &Problems::default(),
        message: message.as_deref(),
    };
    page(&app, &token, &link, &shown, StatusCode::OK)
}

/// A stored time as the unit reads it.
fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// What the plan form shows besides the inspection: the text, the version it was
/// saved as, the problems found and a message.
struct Shown<'a> {
    entries: &'a Entries,
    version: Option<i64>,
    problems: &'a Problems,
    message: Option<&'a str>,
}

/// The plan form for `link`, showing `shown`.
fn page(app: &App, token: &str, link: &Link, shown: &Shown, status: StatusCode) -> Response {
    let Shown {
        entries,
        version,
        problems,
        message,
    } = *shown;
    let Ok(Some(text)) = app.store.questionnaire(link.inspection_id) else {
        return app.pages.not_found();
    };
    let inspection = match app.graded.get(&text) {
        Ok(i) => i,
        Err(_) => return app.pages.fault("frågeformuläret kunde inte läsas"),
    };
    let (state, _) = app
        .store
        .plan_state(link.inspection_id)
        .unwrap_or(("open".into(), None));
    let reviews = app.store.reviews(link.inspection_id).unwrap_or_default();
    let items: Vec<FormItem> = plan_form::items(
        Catalog::embedded(),
        &inspection.questionnaire,
        &inspection.grading,
    )
    .into_iter()
    .map(|item| {
        let typed = entries.get(&item.indicator);
        let values = FIELDS
            .iter()
            .map(|f| {
                (
                    f.to_string(),
                    typed.and_then(|t| t.get(*f)).cloned().unwrap_or_default(),
                )
            })
            .collect();
        let problems = problems
            .fields
            .iter()
            .filter(|p| p.indicator == item.indicator)
            .map(|p| (p.field.clone(), p.message.clone()))
            .collect();
        let rejection = reviews
            .iter()
            .find(|r| r.indicator == item.indicator && !r.accepted)
            .map(|r| r.reason.clone());
        let date_inputs = ["deadline", "follow_up"]
            .into_iter()
            .map(|f| {
                let v = typed.and_then(|t| t.get(f)).map_or("", String::as_str);
                let iso = v.len() == 10 && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok();
                (f.to_string(), v.is_empty() || iso)
            })
            .collect();
        FormItem {
            item,
            values,
            problems,
            rejection,
            date_inputs,
        }
    })
    .collect();
    let q = &inspection.questionnaire;
    let mut context = Context::new();
    context.insert("token", token);
    context.insert("csrf", &auth::link_csrf(token));
    context.insert("unit", &q.unit.name);
    context.insert("date", &q.inspection.date.to_string());
    context.insert("plan_due", &q.inspection.plan_due.map(|d| d.to_string()));
    context.insert("items", &items);
    context.insert("general", &problems.general);
    context.insert("field_problems", &problems.fields);
    context.insert("version", &version);
    context.insert("read_only", &(state != "open"));
    context.insert("final", &(state == "reviewed"));
    context.insert("message", &message);
    insert_labels(&mut context);
    app.pages.render_status("unit.html", &context, status)
}

/// What the unit typed, by indicator and field, exactly as typed.
fn typed(form: &HashMap<String, String>) -> Entries {
    let mut entries = Entries::new();
    for (key, value) in form {
        if let Some((indicator, field)) = key.split_once('.')
            && FIELDS.contains(&field)
        {
            entries
                .entry(indicator.to_string())
                .or_default()
                .insert(field.to_string(), value.clone());
        }
    }
    entries
}

/// "Spara" or "Skicka in".
pub async fn save(
    State(app): State<Arc<App>>,
    Path(token): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let entries = typed(&form);
    let link = match opened(&app, &token) {
        Ok(l) => l,
        Err(Closed::Unknown) => return app.pages.not_found(),
        Err(closed) => return kept(&app, &closed_text(&closed), &entries, None),
    };
    if !form
        .get("csrf")
        .is_some_and(|c| auth::same(c, &auth::link_csrf(&token)))
    {
        return app.pages.refused_form();
    }
    let id = link.inspection_id;
    let (state, _) = app.store.plan_state(id).unwrap_or(("open".into(), None));
    if state != "open" {
        return kept(
            &app,
            "Handlingsplanen är redan inskickad och kan inte ändras förrän granskarna öppnar den igen.",
            &entries,
            None,
        );
    }
    let Ok(Some(text)) = app.store.questionnaire(id) else {
        return app.pages.not_found();
    };
    let Ok(inspection) = app.graded.get(&text) else {
        return app.pages.fault("frågeformuläret kunde inte läsas");
    };
    let items = plan_form::items(
        Catalog::embedded(),
        &inspection.questionnaire,
        &inspection.grading,
    );
    let plan_text = plan_form::plan_text(&inspection.questionnaire, &items, &entries);
    let based_on = form.get("version").and_then(|v| v.parse().ok());
    let submit = form.contains_key("submit");
    let problems = if submit {
        let source = Source::new(held::PLAN_FILE, plan_text.clone());
        let checked = plan::check(
            &source,
            Catalog::embedded(),
            &inspection.questionnaire,
            &inspection.grading,
            &fonts::can_show,
        );
        let mut all = checked.errors;
        all.extend(checked.missing);
        plan_form::problems(&plan_text, &items, &all)
    } else {
        Problems::default()
    };
    let kind = if submit && problems.is_empty() {
        "submitted"
    } else {
        "saved"
    };
    let saved = match app.store.save_plan(id, &plan_text, based_on, kind, UNIT) {
        Ok(Some(saved)) => saved,
        Ok(None) => {
            let current = app.store.latest_plan(id).ok().flatten();
            let current =
                current.map(|p| plan_form::entries_of(&Source::new(held::PLAN_FILE, p.text)));
            return kept(
                &app,
                "Planen har sparats av någon annan sedan du öppnade sidan, så din version sparades inte över den. Båda finns kvar. Nedan ser du vad du skrev och den sparade versionen; öppna sidan igen och för över det som behövs.",
                &entries,
                current.as_ref(),
            );
        }
        Err(e) => return app.pages.fault(&e.to_string()),
    };
    let _ = app.store.log(
        UNIT,
        if kind == "submitted" {
            "skickade in handlingsplanen"
        } else {
            "sparade handlingsplanen"
        },
        Some(id),
    );
    if kind == "submitted" {
        let today = chrono::Local::now().date_naive().to_string();
        let _ = app.store.set_plan_state(id, "submitted", Some(&today));
        return Redirect::to(&format!("/u/{token}")).into_response();
    }
    let (message, status) = if submit {
        (
            "Handlingsplanen är sparad men inte inskickad: rätta felen nedan och skicka in igen."
                .to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    } else {
        (
            "Handlingsplanen är sparad. Den är inte inskickad förrän du väljer «Skicka in»."
                .to_string(),
            StatusCode::OK,
        )
    };
    let shown = Shown {
        entries: &entries,
        version: Some(saved),
        problems: &problems,
        message: Some(&message),
    };
    page(&app, &token, &link, &shown, status)
}

/// What the unit typed, given back when it could not be saved.
fn kept(app: &App, why: &str, entries: &Entries, current: Option<&Entries>) -> Response {
    let mut context = Context::new();
    context.insert("why", why);
    context.insert("typed", entries);
    context.insert("current", &current);
    insert_labels(&mut context);
    app.pages
        .render_status("kept.html", &context, StatusCode::CONFLICT)
}

/// The fields of a plan entry with their labels and hints.
fn insert_labels(context: &mut Context) {
    let labels: HashMap<&str, &str> = plan_form::LABELS.into_iter().collect();
    let hints: HashMap<&str, &str> = plan_form::HINTS.into_iter().collect();
    context.insert("fields", &FIELDS);
    context.insert("labels", &labels);
    context.insert("hints", &hints);
}

/// The report, as far as it has come: the draft, or the final report.
pub async fn report_pdf(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    let link = match opened(&app, &token) {
        Ok(l) => l,
        Err(closed) => return closed_page(&app, &closed),
    };
    let Ok(Some(text)) = app.store.questionnaire(link.inspection_id) else {
        return app.pages.not_found();
    };
    let _ = app
        .store
        .log(UNIT, "hämtade rapporten", Some(link.inspection_id));
    inspector::report(&app, link.inspection_id, &text)
}
