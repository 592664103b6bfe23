//! How an inspector's action is answered, shared by the handlers of the inspection's
//! resources: back to the inspection's page, or that page again with the refusal.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::actions;
use crate::db::{
    accounts, contacts, drafts, fact_checks, inspections, links, log, outbox, plans, reports,
};
use crate::error::AppError;
use crate::extract::Access;
use crate::extract::Fields;
use crate::views::confirm::ConfirmPage;
use crate::views::confirmation::Done;
use crate::views::{self, Extras, Linked, SentBack};
use crate::{App, blocking, pages, today};
use spur_core::typed;

/// The most characters a reason may have.
pub const REASON_CHARS: usize = 4000;

/// Builds the inspection page, logging the read.
pub async fn page(
    app: &Arc<App>,
    access: &Access,
    problems: Vec<Linked>,
    sent_back: Option<SentBack>,
    status: StatusCode,
) -> Result<Response, AppError> {
    build(app, access, problems, sent_back, status, None).await
}

/// The inspection page with one problem, not tied to a field, at its top.
pub async fn page_with_problem(
    app: &Arc<App>,
    access: &Access,
    problem: impl Into<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    page(app, access, vec![Linked::general(problem)], None, status).await
}

/// The inspection page after `done`, which it confirms.
pub async fn page_after(
    app: &Arc<App>,
    access: &Access,
    done: Option<Done>,
) -> Result<Response, AppError> {
    build(app, access, Vec::new(), None, StatusCode::OK, done).await
}

async fn build(
    app: &Arc<App>,
    access: &Access,
    problems: Vec<Linked>,
    sent_back: Option<SentBack>,
    status: StatusCode,
    done: Option<Done>,
) -> Result<Response, AppError> {
    let (id, who) = (access.id, access.inspector.account.email.clone());
    let sending = app.mail_on;
    let (held, extras, latest) = app
        .db
        .write(move |tx| {
            let held = actions::read(tx, id, &who, "läste granskningen")?;
            // Read in the page's one snapshot: the draft home counts its problems.
            let latest = drafts::latest(tx, id)?;
            let sent = fact_checks::sent(tx, id)?;
            let extras = Extras {
                fact_check: match sent {
                    Some(sent) => Some((sent, fact_checks::comments(tx, id)?)),
                    None => None,
                },
                readiness: fact_checks::readiness(tx, id, today())?,
                stored: reports::latest(tx, id)?,
                link_until: links::active(tx, id, today())?,
                members: inspections::members(tx, id)?,
                history: plans::history(tx, id)?,
                changes: inspections::changes(tx, id)?,
                log: log::of_inspection(tx, id)?,
                mailing: views::mail::mailing(
                    sending,
                    contacts::of(tx, id)?,
                    outbox::of_inspection(tx, id)?,
                ),
                people: views::People::new(&who, accounts::all(tx)?),
                waiting: inspections::waiting(tx, id)?,
            };
            Ok::<_, AppError>((held, extras, latest))
        })
        .await?;
    let (held, graded) = match app.assessed(held).await? {
        (held, Some(graded)) => (held, graded),
        // Not gradable yet: the inspection's home all the same, with what is left.
        (held, None) => {
            let home = (held, latest, extras, problems);
            return draft_home(app, access, home, status, done).await;
        }
    };
    let me = access.inspector.me();
    let mut page = blocking(move || {
        views::inspection(me, &held, &graded, extras, sent_back.as_ref(), problems)
    })
    .await?;
    page.confirmation = done.map(Done::message);
    Ok(pages::render("inspection.html", &page, status))
}

/// The inspection's page while its questionnaire has problems left.
async fn draft_home(
    app: &Arc<App>,
    access: &Access,
    (held, version, extras, problems): (crate::held::Held, drafts::Version, Extras, Vec<Linked>),
    status: StatusCode,
    done: Option<Done>,
) -> Result<Response, AppError> {
    let me = access.inspector.me();
    let shared = app.clone();
    let mut page = blocking(move || {
        let draft = actions::draft_of(&version)?;
        let left = shared.checks.of(version.id, &draft).len();
        Ok::<_, AppError>(views::draft_home(
            me,
            &held,
            draft.unit_name(),
            left,
            extras,
            problems,
        ))
    })
    .await??;
    page.confirmation = done.map(Done::message);
    Ok(pages::render("inspection_draft.html", &page, status))
}

/// Whether a step's form was sent from its confirmation page.
pub fn confirmed(fields: &Fields) -> bool {
    fields.get("confirmed") == Some("yes")
}

/// The page that asks an inspector to confirm an irreversible step on the inspection:
/// `heading` asks, `what` says what will happen, `button` takes the step at `step`
/// (the inspection's address followed by it).
pub async fn confirm(
    app: &Arc<App>,
    access: &Access,
    heading: &'static str,
    what: Vec<String>,
    step: &str,
    button: &'static str,
) -> Result<Response, AppError> {
    let id = access.id;
    let page = ConfirmPage {
        me: Some(access.inspector.me()),
        unit: app.named(id).await?.unit,
        heading,
        what,
        action: format!("/inspections/{id}/{step}"),
        form_csrf: access.inspector.csrf.clone(),
        hidden: Vec::new(),
        button,
        back: format!("/inspections/{id}"),
    };
    Ok(pages::render("confirm.html", &page, StatusCode::OK))
}

/// Back to the inspection's page after a change, which it confirms.
pub fn done(id: i64, what: Done) -> Response {
    Redirect::to(&format!("/inspections/{id}?klart={}", what.key())).into_response()
}

/// Runs a workflow action from a form; a refusal is shown on the inspection's page.
pub async fn act(
    app: &Arc<App>,
    access: &Access,
    what: Done,
    action: impl FnOnce(&rusqlite::Transaction, i64, &str) -> Result<(), AppError> + Send + 'static,
) -> Result<Response, AppError> {
    let (id, who) = (access.id, access.inspector.account.email.clone());
    let outcome = app.db.write(move |tx| action(tx, id, &who)).await;
    answer(app, access, what, outcome).await
}

/// Back to the inspection's page after an action, or that page with its refusal.
pub async fn answer(
    app: &Arc<App>,
    access: &Access,
    what: Done,
    outcome: Result<(), AppError>,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(done(access.id, what)),
        Err(AppError::Refused(refusal)) => {
            page_with_problem(app, access, refusal.to_string(), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e),
    }
}

/// The reason a form gives, line endings made LF; one over [`REASON_CHARS`] is refused
/// whole, and the page gives it back.
pub fn reason(text: &str) -> Result<String, AppError> {
    let reason = typed::normalised(text);
    let count = reason.chars().count();
    if count > REASON_CHARS {
        return Err(AppError::TooLong(format!(
            "Skälet har {} tecken, och högst {} får plats. Inget sparades. Korta texten och skicka igen.",
            spur_core::words::number(count),
            spur_core::words::number(REASON_CHARS)
        )));
    }
    Ok(reason)
}
