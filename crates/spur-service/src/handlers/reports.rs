//! The report as PDF — the draft, or the final re-graded report once the plan is
//! accepted — for the inspectors and through the unit's link, and the exchange files.
//! The PDF is rendered off the request threads and served from the cache while the
//! inspection is unchanged.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::actions::{self, UNIT};
use crate::db::reports;
use crate::error::AppError;
use crate::extract::{Access, UnitLink};
use crate::held::{self, Held, PLAN_FILE, QUESTIONNAIRE_FILE};
use crate::{App, blocking, pages};
use spur_core::{diagnostic, plan};
use spur_cycle::workflow::Stage;
use spur_report::Marking;

/// Loads inspection `id`, logging that `who` fetched `what`.
async fn held(app: &Arc<App>, id: i64, who: String, what: &'static str) -> Result<Held, AppError> {
    app.db
        .write(move |tx| actions::read(tx, id, &who, what))
        .await
}

/// The PDF of what `held` holds: once established, the report stored then, byte for
/// byte; before, rendered, from the cache while nothing it is made from changed.
async fn pdf(app: &Arc<App>, held: Held) -> Result<Response, AppError> {
    let name = match held.marking() {
        Marking::Final => "rapport.pdf",
        Marking::Preliminary => "preliminar-rapport.pdf",
        Marking::Draft => "utkast.pdf",
    };
    // The final report replaces the established one once the plan is accepted.
    let wanted = if held.is_final() && held.state.received.is_some() {
        reports::Kind::Final
    } else {
        reports::Kind::Established
    };
    if held.state.stage >= Stage::Established {
        let id = held.id;
        let stored = app
            .db
            .read(move |c| match reports::latest(c, id)? {
                Some(s) if s.kind == wanted => reports::pdf(c, s.id).map(Some),
                _ => Ok(None),
            })
            .await?;
        if let Some(pdf) = stored {
            return Ok(pages::download(pdf, "application/pdf", name));
        }
    }
    let key = held.fingerprint();
    let app2 = app.clone();
    let pdf = app
        .pdfs
        .pdf(key, move || {
            let graded = app2
                .assessed
                .get(&held)
                .map_err(|p| diagnostic::render_all(&p))?;
            Ok(held.report(&graded))
        })
        .await?;
    Ok(pages::download(pdf.to_vec(), "application/pdf", name))
}

/// The report, for the inspectors.
pub async fn inspector_pdf(
    State(app): State<Arc<App>>,
    access: Access,
) -> Result<Response, AppError> {
    let held = held(
        &app,
        access.id,
        access.inspector.account.email,
        "hämtade rapporten",
    )
    .await?;
    pdf(&app, held).await
}

/// The report, through the unit's link.
pub async fn unit_pdf(State(app): State<Arc<App>>, link: UnitLink) -> Result<Response, AppError> {
    let held = held(&app, link.inspection, UNIT.into(), "hämtade rapporten").await?;
    // The inspectors' draft is theirs: the unit sees the report from the fact-check on.
    if held.state.stage == Stage::Draft {
        return Err(AppError::NotFound);
    }
    pdf(&app, held).await
}

/// The questionnaire as a file, naming the plan once one has come in.
pub async fn questionnaire(
    State(app): State<Arc<App>>,
    access: Access,
) -> Result<Response, AppError> {
    let held = held(
        &app,
        access.id,
        access.inspector.account.email,
        "exporterade frågeformuläret",
    )
    .await?;
    // A draft with problems goes out as it is stored, so that `spur check` of the
    // file shows the same problems as the pages.
    let stored = held.questionnaire.clone();
    let text = match app.graded(held).await {
        Ok((_, graded)) => blocking(move || held::questionnaire_file(&graded)).await?,
        Err(AppError::Unfinished(_)) => stored,
        Err(e) => return Err(e),
    };
    Ok(pages::download(
        text.into_bytes(),
        "application/yaml; charset=utf-8",
        QUESTIONNAIRE_FILE,
    ))
}

/// The submitted plan as a file.
pub async fn plan(State(app): State<Arc<App>>, access: Access) -> Result<Response, AppError> {
    let held = held(
        &app,
        access.id,
        access.inspector.account.email,
        "exporterade handlingsplanen",
    )
    .await?;
    // With follow-up reports the plan is written anew to carry them (SPEC §5); before,
    // it goes out as the unit submitted it.
    let text = match held.plan_file() {
        Some(_) if !held.reports.is_empty() => {
            let (_, graded) = app.graded(held).await?;
            let plan = graded.plan.as_ref().ok_or(AppError::NotFound)?;
            Some(plan::file::write(&plan::file::PlanFile::from(plan)))
        }
        Some(text) => Some(text.to_string()),
        None => None,
    };
    match text {
        Some(text) => Ok(pages::download(
            text.into_bytes(),
            "application/yaml; charset=utf-8",
            PLAN_FILE,
        )),
        None => Ok(pages::message(
            "Ingen handlingsplan",
            "Enheten har inte skickat in någon handlingsplan ännu.",
            StatusCode::NOT_FOUND,
        )),
    }
}
