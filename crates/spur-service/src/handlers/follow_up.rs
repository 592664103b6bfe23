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
use crate::views::confirmation::Done;
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
    let more = form.more.map(|_| reason(&form.reason)).transpose()?;
    let named = app.named(access.id).await?;
    let what = if more.is_some() {
        Done::MoreAsked
    } else {
        Done::Confirmed
    };
    act(&app, &access, what, move |tx, id, who| {
        let more = more.as_deref();
        actions::answer_follow_up(tx, id, who, &indicator, more, today(), &named)
    })
    .await
}

/// What the unit's follow-up page shows besides what is stored: the reports typed on
/// it and not sent, and what became of the one that was.
#[derive(Default)]
struct Back {
    /// The form as posted.
    typed: Option<forms::ProgressReport>,
    /// The report that was not kept, and why.
    problem: Option<NotKept>,
    /// The report that was sent, while others typed wait.
    sent: Option<String>,
    /// What the unit's last action did.
    done: Option<Done>,
}

/// The unit's follow-up page, with what was typed given back.
async fn unit_page(
    app: &Arc<App>,
    link: &UnitLink,
    back: Back,
    status: StatusCode,
) -> Result<Response, AppError> {
    let id = link.inspection;
    let logged = back.typed.is_none();
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
    let mut actions = follow_up::actions(Catalog::embedded(), &held, plan);
    if let Some(form) = &back.typed {
        for action in &mut actions {
            let (status, text) = form.of(&action.indicator);
            action.typed = follow_up::Typed {
                status: status.to_string(),
                text: text.to_string(),
            };
        }
    }
    let page = UnitFollowUpPage {
        token: link.token.clone(),
        csrf: auth::link_csrf(&link.token),
        unit: graded.questionnaire.unit.name.clone(),
        open,
        actions,
        statuses: follow_up::statuses(),
        problem: back.problem,
        sent: back.sent,
        confirmation: back.done.map(Done::message),
    };
    Ok(pages::render("unit_follow_up.html", &page, status))
}

/// The unit's follow-up: each accepted action, its reports and the inspectors'
/// answers, with a form to report on each action not yet confirmed.
pub async fn unit(
    State(app): State<Arc<App>>,
    link: UnitLink,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let back = Back {
        done: Done::from_query(uri.query()),
        ..Back::default()
    };
    unit_page(&app, &link, back, StatusCode::OK).await
}

/// A report of the unit on the action whose button was pressed. Reports typed for
/// other actions on the same page are given back, filled in, until they are sent.
pub async fn unit_post(
    State(app): State<Arc<App>>,
    link: UnitLink,
    CsrfForm(form): CsrfForm<forms::ProgressReport>,
) -> Result<Response, AppError> {
    let indicator = spur_core::typed::capped(&form.indicator, 8);
    let (status, text) = form.of(&indicator);
    let status = Progress::from_key(status);
    let text = typed::normalised(text);
    let problem = match status {
        None => Some("Välj Genomförd eller Pågår.".to_string()),
        Some(_) if text.trim().is_empty() => Some("Skriv vad som har gjorts.".to_string()),
        Some(_) => typed::check(&text, REPORT_CAP, &spur_core::fonts::can_show)
            .err()
            .map(|e| e.to_string()),
    };
    let (Some(status), None) = (status, &problem) else {
        let back = Back {
            problem: problem.map(|why| NotKept {
                indicator: indicator.clone(),
                why,
            }),
            typed: Some(form),
            sent: None,
            done: None,
        };
        return unit_page(&app, &link, back, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let id = link.inspection;
    let named = app.named(id).await?;
    let reported = indicator.clone();
    app.db
        .write(move |tx| {
            actions::report_progress(tx, id, &reported, status, &text, today(), &named)
        })
        .await?;
    let waiting = form.typed.iter().any(|(name, value)| {
        name.starts_with("text-")
            && *name != format!("text-{indicator}")
            && !value.trim().is_empty()
    });
    if !waiting {
        return Ok(Redirect::to(&format!(
            "/u/{}/follow-up?klart={}",
            link.token,
            Done::ReportSent.key()
        ))
        .into_response());
    }
    let mut typed = form;
    typed.typed.remove(&format!("status-{indicator}"));
    typed.typed.remove(&format!("text-{indicator}"));
    let back = Back {
        typed: Some(typed),
        problem: None,
        sent: Some(indicator),
        done: None,
    };
    unit_page(&app, &link, back, StatusCode::OK).await
}

/// Whether the unit's link opens the follow-up rather than the plan.
pub fn opens_follow_up(stage: Stage) -> bool {
    matches!(stage, Stage::FollowUp | Stage::Closed)
}
