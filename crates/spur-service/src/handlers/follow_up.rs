//! The follow-up of an accepted plan (SPEC §5): the unit, through its link, reports
//! how each action has come along; the inspectors confirm it as carried out or ask for
//! more with a reason. When the last action is confirmed, the inspection is closed.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::respond::{act, reason};
use crate::actions::{self, UNIT};
use crate::error::AppError;
use crate::extract::{Access, CsrfForm, UnitLink};
use crate::forms;
use crate::views::follow_up::{self, NotKept, UnitFollowUpPage};
use crate::{App, auth, held, pages, today};
use spur_core::catalog::Catalog;
use spur_core::plan::Progress;
use spur_core::typed;
use spur_cycle::workflow::{self, Command, Stage};

/// The most characters a report may have.
const REPORT_CAP: usize = 5_000;

/// The inspectors' answer on one action: "Bekräfta" or "Begär mer" with a reason.
pub async fn answer(
    State(app): State<Arc<App>>,
    access: Access,
    CsrfForm(form): CsrfForm<forms::FollowUpAnswer>,
) -> Result<Response, AppError> {
    let indicator = spur_core::typed::capped(&form.indicator, 8);
    let more = form.more.map(|_| reason(&form.reason));
    let named = app.named(access.id).await?;
    act(&app, &access, move |tx, id, who| {
        let more = more.as_deref();
        actions::answer_follow_up(tx, id, who, &indicator, more, today(), &named)
    })
    .await
}

/// The unit's follow-up page, with a report given back when `problem`.
async fn unit_page(
    app: &Arc<App>,
    link: &UnitLink,
    problem: Option<NotKept>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let id = link.inspection;
    let logged = problem.is_none();
    let held = app
        .db
        .write(move |tx| {
            if logged {
                actions::logged_read(tx, UNIT, "läste uppföljningen", Some(id))?;
            }
            Ok::<_, AppError>(held::load(tx, id)?)
        })
        .await?;
    if !held.is_final() {
        return Err(AppError::NotFound);
    }
    let open = workflow::apply(&held.state, &Command::ReportProgress).is_ok();
    let (held, graded) = app.graded(held).await?;
    let plan = graded.plan.as_ref().ok_or(AppError::NotFound)?;
    let page = UnitFollowUpPage {
        token: link.token.clone(),
        csrf: auth::link_csrf(&link.token),
        unit: graded.questionnaire.unit.name.clone(),
        open,
        actions: follow_up::actions(Catalog::embedded(), &held, plan),
        statuses: follow_up::statuses(),
        problem,
    };
    Ok(pages::render("unit_follow_up.html", &page, status))
}

/// The unit's follow-up: each accepted action, its reports and the inspectors'
/// answers, with a form to report on each action not yet confirmed.
pub async fn unit(State(app): State<Arc<App>>, link: UnitLink) -> Result<Response, AppError> {
    unit_page(&app, &link, None, StatusCode::OK).await
}

/// A report of the unit on one action.
pub async fn unit_post(
    State(app): State<Arc<App>>,
    link: UnitLink,
    CsrfForm(form): CsrfForm<forms::ProgressReport>,
) -> Result<Response, AppError> {
    let indicator = spur_core::typed::capped(&form.indicator, 8);
    let status = Progress::from_key(&form.status);
    let text = typed::normalised(&form.text);
    let problem = match status {
        None => Some("Välj Genomförd eller Pågår.".to_string()),
        Some(_) if text.trim().is_empty() => Some("Skriv vad som har gjorts.".to_string()),
        Some(_) => typed::check(&text, REPORT_CAP, &spur_core::fonts::can_show)
            .err()
            .map(|e| e.to_string()),
    };
    let (Some(status), None) = (status, &problem) else {
        let back = problem.map(|why| NotKept { indicator, why });
        return unit_page(&app, &link, back, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let id = link.inspection;
    let named = app.named(id).await?;
    app.db
        .write(move |tx| {
            actions::report_progress(tx, id, &indicator, status, &text, today(), &named)
        })
        .await?;
    Ok(Redirect::to(&format!("/u/{}/follow-up", link.token)).into_response())
}

/// Whether the unit's link opens the follow-up rather than the plan.
pub fn opens_follow_up(stage: Stage) -> bool {
    matches!(stage, Stage::FollowUp | Stage::Closed)
}
