//! The unit's pages, reached only through its link: the action-plan form and the
//! report. "Spara" keeps what was typed, exactly, valid or not; "Skicka in" checks it
//! as `spur plan-check` does and submits only a valid, complete plan. Nothing typed is
//! lost: what cannot be kept is refused at its field or given back as typed.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::plan_form::{Entries, FIELDS, FieldProblem, Problems};
use crate::service::actions::{self, Saved, UNIT};
use crate::service::db::{inspections, log};
use crate::service::error::{AppError, BUSY};
use crate::service::extract::{Fields, Form, UnitLink};
use crate::service::views::{self, KeptPage};
use crate::service::{App, auth, held, pages, today};
use crate::typed;
use crate::workflow::Stage;

/// The most characters each field of a plan entry may have.
fn cap(field: &str) -> usize {
    match field {
        "action" => 10_000,
        "deadline" | "follow_up" => 100,
        _ => 1_000,
    }
}

/// What the unit typed, by indicator and field, exactly as typed but for line endings.
fn typed_entries(form: &Fields) -> Entries {
    let mut entries = Entries::new();
    for (key, value) in &form.0 {
        if let Some((indicator, field)) = key.split_once('.')
            && FIELDS.contains(&field)
            && indicator.len() <= 8
        {
            entries
                .entry(indicator.to_string())
                .or_default()
                .insert(field.to_string(), typed::normalised(value));
        }
    }
    entries
}

/// The fields the service cannot keep as typed, each with why.
fn unkeepable(entries: &Entries) -> Problems {
    let mut problems = Problems::default();
    for (indicator, fields) in entries {
        for (field, text) in fields {
            if let Err(e) = typed::check(text, cap(field), &crate::fonts::can_show) {
                problems.fields.push(FieldProblem {
                    indicator: indicator.clone(),
                    field: field.clone(),
                    message: e.to_string(),
                });
            }
        }
    }
    problems
}

/// The plan page showing `typed` (or, without it, the latest save). Loading, grading
/// (cached) and building the page are one trip to a blocking thread: under load, each
/// trip waits for a core.
async fn page(
    app: &Arc<App>,
    link: &UnitLink,
    typed: Option<Entries>,
    version: Option<i64>,
    problems: Problems,
    message: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let id = link.inspection;
    // Opening the form is logged; the page that answers a save is not, since the
    // save itself is.
    if typed.is_none() {
        app.db
            .write(move |tx| log::record(tx, UNIT, "öppnade handlingsplanen", Some(id)))
            .await?;
    }
    let (token, shared) = (link.token.clone(), app.clone());
    let page = app
        .db
        .read(move |c| {
            let held = held::load(c, id)?;
            let graded = shared.assessed.get(&held).map_err(internal)?;
            let (typed, version, message) = match typed {
                Some(typed) => (typed, version, message),
                None => {
                    let saved = held.latest_plan.as_ref();
                    let message = message.or_else(|| {
                        saved.map(|p| format!("Senast sparad {}.", local_time(&p.saved)))
                    });
                    let typed = saved.map(|p| views::entries(&p.text)).unwrap_or_default();
                    (typed, held.state.plan_version, message)
                }
            };
            Ok::<_, AppError>(views::unit(
                &token, &held, &graded, &typed, version, &problems, message,
            ))
        })
        .await?;
    Ok(pages::render("unit.html", &page, status))
}

/// Problems of a stored questionnaire: a fault of spur, since it was checked when kept.
fn internal(problems: Vec<crate::diagnostic::Diagnostic>) -> AppError {
    AppError::Internal(crate::diagnostic::render_all(&problems))
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

/// The plan form, with the latest save filled in.
pub async fn form(State(app): State<Arc<App>>, link: UnitLink) -> Result<Response, AppError> {
    // While the unit fact-checks the report, its link opens the fact-check.
    let id = link.inspection;
    let state = app.db.read(move |c| inspections::state(c, id)).await?;
    if state.stage == Stage::FactCheck {
        return Ok(Redirect::to(&format!("/u/{}/fact-check", link.token)).into_response());
    }
    if super::follow_up::opens_follow_up(state.stage) {
        return Ok(Redirect::to(&format!("/u/{}/follow-up", link.token)).into_response());
    }
    page(
        &app,
        &link,
        None,
        None,
        Problems::default(),
        None,
        StatusCode::OK,
    )
    .await
}

/// What was typed, given back as typed, with why it was not kept.
fn kept(why: String, typed: &Entries, current: &Entries, status: StatusCode) -> Response {
    let page = KeptPage {
        why,
        typed: views::kept_entries(typed),
        current: views::kept_entries(current),
    };
    pages::render("kept.html", &page, status)
}

/// Makes the plan file off the request threads, then keeps it in one transaction.
async fn prepare_and_save(
    app: &Arc<App>,
    id: i64,
    entries: Entries,
    based_on: Option<i64>,
    submit: bool,
) -> Result<Saved, AppError> {
    let shared = app.clone();
    let prepared = app
        .db
        .read(move |c| {
            let held = held::load(c, id)?;
            let graded = shared.assessed.get(&held).map_err(internal)?;
            Ok::<_, AppError>(actions::prepare_plan(&held, &graded, &entries, submit))
        })
        .await?;
    app.db
        .write(move |tx| actions::save_plan(tx, id, prepared, based_on, today()))
        .await
}

/// "Spara" or "Skicka in".
pub async fn save(
    State(app): State<Arc<App>>,
    link: Result<UnitLink, AppError>,
    Form(form): Form,
) -> Result<Response, AppError> {
    let entries = typed_entries(&form);
    let link = match link {
        Ok(link) => link,
        Err(AppError::LinkClosed(why)) => {
            let why = format!("{why} Kontakta granskarna för en ny länk.");
            return Ok(kept(why, &entries, &Entries::new(), StatusCode::GONE));
        }
        Err(e) => return Err(e),
    };
    if !form.csrf_ok(&auth::link_csrf(&link.token)) {
        return Err(AppError::Csrf);
    }
    let based_on = form.get("version").and_then(|v| v.parse::<i64>().ok());
    let problems = unkeepable(&entries);
    if !problems.is_empty() {
        let message = "Inget är sparat: rätta fälten som är markerade nedan och spara igen. Det du skrev står kvar.".to_string();
        return page(
            &app,
            &link,
            Some(entries),
            based_on,
            problems,
            Some(message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let submit = form.get("submit").is_some();
    let id = link.inspection;
    let saved = prepare_and_save(&app, id, entries.clone(), based_on, submit).await;
    match saved {
        Ok(Saved::Kept {
            submitted: true, ..
        }) => Ok(Redirect::to(&format!("/u/{}", link.token)).into_response()),
        Ok(Saved::Kept {
            version, problems, ..
        }) => {
            let (message, status) = if submit {
                (
                    "Handlingsplanen är sparad men inte inskickad: rätta felen nedan och skicka in igen.",
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
            } else {
                (
                    "Handlingsplanen är sparad. Den är inte inskickad förrän du väljer «Skicka in».",
                    StatusCode::OK,
                )
            };
            page(
                &app,
                &link,
                Some(entries),
                Some(version),
                problems,
                Some(message.into()),
                status,
            )
            .await
        }
        Ok(Saved::Stale(current)) => Ok(kept(
            crate::workflow::Refusal::Stale.to_string(),
            &entries,
            &current,
            StatusCode::CONFLICT,
        )),
        Err(AppError::Busy) => Ok(kept(
            BUSY.into(),
            &entries,
            &Entries::new(),
            StatusCode::SERVICE_UNAVAILABLE,
        )),
        Err(AppError::Refused(refusal)) => Ok(kept(
            refusal.to_string(),
            &entries,
            &Entries::new(),
            StatusCode::CONFLICT,
        )),
        Err(AppError::Internal(why)) => {
            eprintln!("spur serve: internt fel: {why}");
            Ok(kept(
                "Ett fel uppstod i spur, så det du skrev sparades inte.".into(),
                &entries,
                &Entries::new(),
                StatusCode::INTERNAL_SERVER_ERROR,
            ))
        }
        Err(e) => Err(e),
    }
}
