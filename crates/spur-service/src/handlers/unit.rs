//! The unit's plan pages, reached only through its link (SPEC §8.5): the task list, one
//! page per plan item, and "Kontrollera och skicka in". "Spara och fortsätt" keeps what
//! was typed in an item, exactly, valid or not; "Skicka in" checks the stored plan as
//! `spur plan-check` does and submits only a valid, complete plan. Nothing typed is
//! lost: what cannot be kept is refused at its field or given back as typed.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::actions::{self, Saved, UNIT};
use crate::db::inspections;
use crate::error::{AppError, BUSY};
use crate::extract::{Fields, Form, Segments, UnitLink};
use crate::mail::Named;
use crate::views::confirmation::Done;
use crate::views::plan::{self, UnitPage};
use crate::views::{self, KeptPage};
use crate::{App, auth, held, pages, today};
use spur_core::typed;
use spur_cycle::plan_form::{self, Entries, FIELDS, FieldProblem, Problems};
use spur_cycle::workflow::Stage;

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
            if let Err(e) = typed::check(text, cap(field), &spur_core::fonts::can_show) {
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

/// The unit's plan pages showing the latest save, or `posted` put over it when a save
/// could not be kept (with `refused`, why, at its fields). Loading, grading (cached),
/// checking and building the page are one trip to a blocking thread: under load, each
/// trip waits for a core.
async fn load(
    app: &Arc<App>,
    link: &UnitLink,
    posted: Option<(Entries, Option<i64>, Problems)>,
    message: Option<String>,
) -> Result<UnitPage, AppError> {
    let (id, token, shared) = (link.inspection, link.token.clone(), app.clone());
    app.db
        .read(move |c| {
            let held = held::load(c, id)?;
            let graded = shared.assessed.get(&held).map_err(internal)?;
            let saved = held.latest_plan.as_ref();
            let stored = held.latest_entries.clone();
            let (typed, version, problems, message) = match posted {
                Some((posted, version, refused)) => (
                    plan_form::overlay(stored, posted),
                    version,
                    refused,
                    message,
                ),
                None => {
                    let problems = if views::unit_may_save(&held) {
                        actions::plan_problems(&held, &graded, &stored)
                    } else {
                        Problems::default()
                    };
                    let message = message.or_else(|| {
                        saved.map(|p| format!("Senast sparad {}.", views::moment(&p.saved)))
                    });
                    (stored, held.state.plan_version, problems, message)
                }
            };
            Ok::<_, AppError>(plan::unit(
                &token, &held, &graded, &typed, version, &problems, message,
            ))
        })
        .await
}

/// The task list, the first page a unit's link opens once the plan stage has begun.
/// While the unit fact-checks the report, or follows up its plan, the link opens that.
pub async fn tasks(
    State(app): State<Arc<App>>,
    link: UnitLink,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let id = link.inspection;
    let state = app.db.read(move |c| inspections::state(c, id)).await?;
    if state.stage == Stage::FactCheck {
        return Ok(Redirect::to(&format!("/u/{}/fact-check", link.token)).into_response());
    }
    if super::follow_up::opens_follow_up(state.stage) {
        return Ok(Redirect::to(&format!("/u/{}/follow-up", link.token)).into_response());
    }
    app.db
        .write(move |tx| actions::logged_read(tx, UNIT, "öppnade handlingsplanen", Some(id)))
        .await?;
    let done = Done::from_query(uri.query()).map(|d| d.message().to_string());
    let page = load(&app, &link, None, done).await?;
    Ok(pages::render("unit.html", &page, StatusCode::OK))
}

/// One plan item's page.
pub async fn item(
    State(app): State<Arc<App>>,
    link: UnitLink,
    Segments((_, indicator)): Segments<(String, String)>,
) -> Result<Response, AppError> {
    let page = load(&app, &link, None, None).await?;
    let page = plan::item(page, &indicator).ok_or(AppError::NotFound)?;
    Ok(pages::render("unit_item.html", &page, StatusCode::OK))
}

/// "Kontrollera och skicka in": every answer, each item with a change link, and the
/// problems that keep the plan from being sent.
pub async fn check(State(app): State<Arc<App>>, link: UnitLink) -> Result<Response, AppError> {
    let page = load(&app, &link, None, None).await?;
    Ok(pages::render("unit_check.html", &page, StatusCode::OK))
}

/// Problems of a stored questionnaire: a fault of spur, since it was checked when kept.
fn internal(problems: Vec<spur_core::diagnostic::Diagnostic>) -> AppError {
    AppError::Internal(spur_core::diagnostic::render_all(&problems))
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

/// Puts what was `posted` over the latest save and checks it (a submission) off the
/// request threads, with what the inspectors' e-mail names, then keeps it in one
/// transaction; with the save, where the unit goes after `item`, when an item's page
/// was saved. A post naming an indicator the plan does not have is not found.
async fn prepare_and_save(
    app: &Arc<App>,
    link: &UnitLink,
    posted: Entries,
    based_on: Option<i64>,
    submit: bool,
    item: Option<String>,
) -> Result<(Saved, Option<String>), AppError> {
    let (id, token, shared) = (link.inspection, link.token.clone(), app.clone());
    let (prepared, next, named) = app
        .db
        .read(move |c| {
            let held = held::load(c, id)?;
            let graded = shared.assessed.get(&held).map_err(internal)?;
            let items = plan_form::items(
                spur_core::catalog::Catalog::embedded(),
                &graded.questionnaire,
                &graded.grading,
            );
            if posted
                .keys()
                .any(|p| !items.iter().any(|i| &i.indicator == p))
            {
                return Err(AppError::NotFound);
            }
            let stored = held.latest_entries.clone();
            let entries = plan_form::overlay(stored, posted);
            let next = item.map(|i| plan::after(&token, &held, &items, &i));
            Ok((
                actions::prepare_plan(&held, &graded, &entries, submit),
                next,
                Named::of(id, Some(&graded)),
            ))
        })
        .await?;
    let saved = app
        .db
        .write(move |tx| actions::save_plan(tx, id, prepared, based_on, today(), &named))
        .await?;
    Ok((saved, next))
}

/// A save that was not kept, as the unit is told: what was typed comes back whole.
fn not_kept(error: AppError, typed: &Entries) -> Result<Response, AppError> {
    let (why, status) = match error {
        AppError::Busy => (BUSY.to_string(), StatusCode::SERVICE_UNAVAILABLE),
        AppError::Refused(refusal) => (refusal.to_string(), StatusCode::CONFLICT),
        AppError::Internal(why) => {
            eprintln!("spur serve: internt fel: {why}");
            (
                "Ett fel uppstod i spur, så det du skrev sparades inte.".to_string(),
                StatusCode::INTERNAL_SERVER_ERROR,
            )
        }
        e => return Err(e),
    };
    Ok(kept(why, typed, &Entries::new(), status))
}

/// The link of a post, or, when it no longer opens the inspection, what was typed
/// given back with why.
fn open_link(
    link: Result<UnitLink, AppError>,
    typed: &Entries,
    form: &Fields,
) -> Result<UnitLink, Result<Response, AppError>> {
    match link {
        Ok(link) if form.csrf_ok(&auth::link_csrf(&link.token)) => Ok(link),
        Ok(_) => Err(Err(AppError::Csrf)),
        Err(AppError::LinkClosed(why)) => {
            let why = format!("{why} Kontakta granskarna för en ny länk.");
            Err(Ok(kept(why, typed, &Entries::new(), StatusCode::GONE)))
        }
        Err(e) => Err(Err(e)),
    }
}

/// "Spara och fortsätt" on an item's page: keeps what was typed in that item, valid or
/// not, and goes on to the next item, or to "Kontrollera och skicka in" after the last.
pub async fn save_item(
    State(app): State<Arc<App>>,
    link: Result<UnitLink, AppError>,
    Segments((_, indicator)): Segments<(String, String)>,
    Form(form): Form,
) -> Result<Response, AppError> {
    let mut typed = typed_entries(&form);
    typed.retain(|i, _| *i == indicator);
    let link = match open_link(link, &typed, &form) {
        Ok(link) => link,
        Err(answer) => return answer,
    };
    let based_on = form.get("version").and_then(|v| v.parse::<i64>().ok());
    let problems = unkeepable(&typed);
    if !problems.is_empty() {
        let message = "Inget är sparat: rätta fälten som är markerade nedan och spara igen. Det du skrev står kvar.".to_string();
        let page = load(
            &app,
            &link,
            Some((typed, based_on, problems)),
            Some(message),
        )
        .await?;
        let page = plan::item(page, &indicator).ok_or(AppError::NotFound)?;
        return Ok(pages::render(
            "unit_item.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let item = Some(indicator.clone());
    match prepare_and_save(&app, &link, typed.clone(), based_on, false, item).await {
        Ok((Saved::Kept { .. }, next)) => {
            let next = next.unwrap_or_else(|| format!("/u/{}", link.token));
            Ok(Redirect::to(&next).into_response())
        }
        Ok((Saved::Stale(current), _)) => Ok(kept(
            spur_cycle::workflow::Refusal::Stale.to_string(),
            &typed,
            &current,
            StatusCode::CONFLICT,
        )),
        Err(e) => not_kept(e, &typed),
    }
}

/// "Skicka in" on "Kontrollera och skicka in": checks the stored plan as `spur
/// plan-check` does and submits it when it is valid and complete; otherwise the page
/// comes back with the problems, each linked to its field.
pub async fn submit(
    State(app): State<Arc<App>>,
    link: Result<UnitLink, AppError>,
    Form(form): Form,
) -> Result<Response, AppError> {
    let link = match open_link(link, &Entries::new(), &form) {
        Ok(link) => link,
        Err(answer) => return answer,
    };
    let based_on = form.get("version").and_then(|v| v.parse::<i64>().ok());
    match prepare_and_save(&app, &link, Entries::new(), based_on, true, None)
        .await?
        .0
    {
        Saved::Kept {
            submitted: true, ..
        } => Ok(Redirect::to(&format!(
            "/u/{}?klart={}",
            link.token,
            Done::PlanSubmitted.key()
        ))
        .into_response()),
        Saved::Kept { .. } => {
            let message =
                "Handlingsplanen är inte inskickad: rätta felen nedan och skicka in igen.";
            let page = load(&app, &link, None, Some(message.into())).await?;
            Ok(pages::render(
                "unit_check.html",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Saved::Stale(_) => {
            let message = "Handlingsplanen har ändrats sedan sidan visades, så den skickades inte in. Kontrollera den igen och skicka in.";
            let page = load(&app, &link, None, Some(message.into())).await?;
            Ok(pages::render(
                "unit_check.html",
                &page,
                StatusCode::CONFLICT,
            ))
        }
    }
}
