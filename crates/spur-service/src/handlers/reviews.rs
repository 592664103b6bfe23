//! The inspectors' review of the submitted plan, bound to the version the form showed;
//! and giving the plan back to the unit.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::respond::{REASON_CHARS, act, done, page, page_with_problem, reason};
use crate::App;
use crate::actions::{self, Reviewed};
use crate::error::AppError;
use crate::extract::{Access, CsrfForm, Fields};
use crate::forms;
use crate::views::confirmation::Done;
use crate::views::{Linked, SentBack};
use spur_core::typed;
use spur_cycle::review::{Posted, Verdict};

/// What the review form posted, per entry: `D6.decision`, `D6.reason`.
fn posted(form: &Fields) -> Vec<Posted> {
    let mut found: Vec<Posted> = Vec::new();
    for (key, value) in &form.0 {
        let Some((indicator, field)) = key.split_once('.') else {
            continue;
        };
        let at = match found.iter().position(|p| p.indicator == indicator) {
            Some(at) => at,
            None => {
                found.push(Posted {
                    indicator: indicator.to_string(),
                    ..Posted::default()
                });
                found.len() - 1
            }
        };
        match field {
            "decision" => found[at].verdict = Verdict::from_key(value),
            "reason" => found[at].reason = typed::normalised(value),
            _ => {}
        }
    }
    found
}

/// When every entry is accepted, the final report (re-graded, with HANDLINGSPLAN),
/// rendered before the review's transaction so that the review stores it with the
/// acceptance.
async fn final_report(
    app: &Arc<App>,
    id: i64,
    version: i64,
    posted: &[Posted],
) -> Result<Option<Arc<Vec<u8>>>, AppError> {
    let all_accepted =
        !posted.is_empty() && posted.iter().all(|p| p.verdict == Some(Verdict::Accept));
    if !all_accepted {
        return Ok(None);
    }
    let Some(held) = app
        .db
        .read(move |c| actions::prepare_final(c, id, version))
        .await?
    else {
        return Ok(None);
    };
    let (held, graded) = app.graded(held).await?;
    let key = held.fingerprint();
    Ok(Some(
        app.pdfs.pdf(key, move || Ok(held.report(&graded))).await?,
    ))
}

/// Accepts or rejects each entry of the submitted plan. Every entry needs a verdict and
/// a rejection a reason; until then nothing is kept and the page shows every decision
/// made, with the problem at its entry.
pub async fn review(
    State(app): State<Arc<App>>,
    access: Access,
    CsrfForm(form): CsrfForm,
) -> Result<Response, AppError> {
    let version = form
        .get("version")
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or_else(|| {
            AppError::BadRequest(
                "Formuläret saknar handlingsplanens version. Ladda om sidan och granska igen."
                    .into(),
            )
        })?;
    let posted = posted(&form);
    let mut problems: Vec<(String, String)> = posted
        .iter()
        .filter_map(|p| {
            typed::check(&p.reason, REASON_CHARS, &spur_core::fonts::can_show)
                .err()
                .map(|e| (p.indicator.clone(), e.to_string()))
        })
        .collect();
    if problems.is_empty() {
        let final_pdf = final_report(&app, access.id, version, &posted).await?;
        let (id, who, sent) = (
            access.id,
            access.inspector.account.email.clone(),
            posted.clone(),
        );
        let named = app.named(id).await?;
        match app
            .db
            .write(move |tx| {
                actions::review(
                    tx,
                    id,
                    &who,
                    version,
                    &sent,
                    final_pdf.as_deref().map(|p| p.as_slice()),
                    &named,
                )
            })
            .await
        {
            Ok(Reviewed::Done) => return Ok(done(access.id, Done::Reviewed)),
            Ok(Reviewed::Problems(found)) => {
                problems = found.into_iter().map(|(i, p)| (i, p.to_string())).collect();
            }
            Err(AppError::Refused(refusal)) => {
                let why = refusal.to_string();
                return page_with_problem(&app, &access, why, StatusCode::CONFLICT).await;
            }
            Err(e) => return Err(e),
        }
    }
    let summary = problems
        .iter()
        .map(|(i, p)| Linked {
            target: Some(format!("{i}-decision")),
            text: format!("{i}: {p}"),
        })
        .collect();
    page(
        &app,
        &access,
        summary,
        Some(SentBack { posted, problems }),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Gives the plan back to the unit, with a reason.
pub async fn reopen(
    State(app): State<Arc<App>>,
    access: Access,
    CsrfForm(form): CsrfForm<forms::Reason>,
) -> Result<Response, AppError> {
    let reason = reason(&form.reason)?;
    let named = app.named(access.id).await?;
    act(&app, &access, Done::PlanGivenBack, move |tx, id, who| {
        actions::give_plan_back(tx, id, who, &named, &reason)
    })
    .await
}
