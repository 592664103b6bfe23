//! The unit's fact-check of the preliminary report (SPEC §8.3): the inspectors send
//! it and answer each comment; the unit, through its link, comments on places in the
//! report and submits, or answers "Inga synpunkter".

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::respond::{act, page_with_problem, reason};
use crate::actions::{self, ByUnit, UNIT};
use crate::db::fact_checks;
use crate::error::AppError;
use crate::extract::{Access, CsrfForm, Segments, UnitLink};
use crate::forms;
use crate::views::confirm::{ConfirmPage, Hidden};
use crate::views::confirmation::Done;
use crate::views::fact_check;
use crate::{App, auth, held, pages, today};
use spur_core::catalog::Catalog;
use spur_core::typed;
use spur_cycle::fact_check::{Answer, Place};

/// The most characters a comment may have.
const COMMENT_CAP: usize = 5_000;

/// "Skicka till faktagranskning".
pub async fn send(
    State(app): State<Arc<App>>,
    access: Access,
    CsrfForm(form): CsrfForm<forms::FactCheckSend>,
) -> Result<Response, AppError> {
    let days = match form.days.trim() {
        "" => Some(spur_cycle::fact_check::DAYS),
        typed => typed
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=MOST_DAYS).contains(d)),
    };
    let Some(days) = days else {
        let problem = format!(
            "Skriv hur många dagar enheten har för faktagranskningen, ett heltal från 1 till {MOST_DAYS}; ”{}” går inte att använda.",
            form.days.trim()
        );
        return page_with_problem(&app, &access, problem, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let graded = match app.graded_now(access.id).await {
        Ok(graded) => graded,
        Err(e) => {
            return super::respond::answer(&app, &access, Done::SentForFactCheck, Err(e)).await;
        }
    };
    act(&app, &access, Done::SentForFactCheck, move |tx, id, who| {
        actions::send_for_fact_check(tx, id, who, today(), days, &graded)
    })
    .await
}

/// The most days a fact-check may be given: two months.
const MOST_DAYS: i64 = 60;

/// The inspectors' answer to one comment.
pub async fn answer(
    State(app): State<Arc<App>>,
    access: Access,
    CsrfForm(form): CsrfForm<forms::CommentAnswer>,
) -> Result<Response, AppError> {
    let comment: i64 = form.comment.parse().map_err(|_| AppError::NotFound)?;
    let Some(answer) = Answer::from_key(&form.answer) else {
        let problem = "Välj ”Rättat” eller ”Ingen ändring” för synpunkten.";
        return page_with_problem(&app, &access, problem, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let reason = reason(&form.reason)?;
    act(&app, &access, Done::CommentAnswered, move |tx, id, who| {
        actions::answer_comment(tx, id, who, comment, answer, &reason)
    })
    .await
}

/// The unit's fact-check page, with a comment given back when `given_back`.
async fn unit_page(
    app: &Arc<App>,
    link: &UnitLink,
    given_back: Option<(Place, String, String)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    unit_page_after(app, link, given_back, status, None).await
}

/// The unit's fact-check page, confirming `done`.
async fn unit_page_after(
    app: &Arc<App>,
    link: &UnitLink,
    given_back: Option<(Place, String, String)>,
    status: StatusCode,
    done: Option<Done>,
) -> Result<Response, AppError> {
    let id = link.inspection;
    let logged = given_back.is_none();
    let (held, sent, comments) = app
        .db
        .write(move |tx| {
            if logged {
                actions::logged_read(tx, UNIT, "läste faktagranskningen", Some(id))?;
            }
            let sent = fact_checks::sent(tx, id)?.ok_or(AppError::NotFound)?;
            Ok::<_, AppError>((held::load(tx, id)?, sent, fact_checks::comments(tx, id)?))
        })
        .await?;
    let (_, graded) = app.graded(held).await?;
    let who = (
        link.token.clone(),
        auth::link_csrf(&link.token),
        graded.questionnaire.unit.name.clone(),
    );
    let mut page = fact_check::for_unit(who, &sent, &comments, given_back);
    page.confirmation = done.map(Done::message);
    Ok(pages::render("unit_fact_check.html", &page, status))
}

/// Takes back one of the unit's saved comments before the fact-check is sent in: the
/// page comes back with its text in the box, to change and save again.
pub async fn take_back(
    State(app): State<Arc<App>>,
    link: UnitLink,
    Segments((_, comment)): Segments<(String, i64)>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let id = link.inspection;
    let (place, text) = app
        .db
        .write(move |tx| actions::take_back_comment(tx, id, comment))
        .await?;
    let back = Some((place, text, String::new()));
    unit_page_after(
        &app,
        &link,
        back,
        StatusCode::OK,
        Some(Done::CommentTakenBack),
    )
    .await
}

/// The page that asks the unit to confirm sending in its fact-check: what is sent,
/// and that it cannot be changed after.
async fn confirm_submission(app: &Arc<App>, link: &UnitLink) -> Result<Response, AppError> {
    let id = link.inspection;
    let comments = app
        .db
        .read(move |c| fact_checks::comments(c, id))
        .await?
        .len();
    let sent = match comments {
        0 => "Ni skickar in utan synpunkter: ni har inga invändningar mot fakta i den preliminära rapporten.".to_string(),
        1 => "Ni skickar in er synpunkt på den preliminära rapporten.".to_string(),
        n => format!("Ni skickar in era {n} synpunkter på den preliminära rapporten."),
    };
    let page = ConfirmPage {
        me: None,
        unit: app.named(id).await?.unit,
        heading: "Skicka in faktagranskningen?",
        what: vec![
            sent,
            "Efter det kan synpunkterna inte ändras. Granskarna svarar på varje synpunkt och fastställer sedan rapporten.".into(),
        ],
        action: format!("/u/{}/fact-check", link.token),
        form_csrf: auth::link_csrf(&link.token),
        hidden: vec![Hidden {
            name: "submit",
            value: "1".into(),
        }],
        button: if comments == 0 {
            "Ja, skicka in utan synpunkter"
        } else {
            "Ja, skicka in"
        },
        back: format!("/u/{}/fact-check", link.token),
    };
    Ok(pages::render("confirm.html", &page, StatusCode::OK))
}

/// The unit's fact-check: the preliminary report, its comments, and the inspectors'
/// answers.
pub async fn unit(
    State(app): State<Arc<App>>,
    link: UnitLink,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let done = Done::from_query(uri.query());
    unit_page_after(&app, &link, None, StatusCode::OK, done).await
}

/// A comment of the unit, or its submission.
pub async fn unit_post(
    State(app): State<Arc<App>>,
    link: UnitLink,
    CsrfForm(form): CsrfForm<forms::UnitComment>,
) -> Result<Response, AppError> {
    let what = if form.submit.is_some() {
        if !form.text.trim().is_empty() {
            // A comment typed but not saved is never dropped by sending in.
            let place = Place::from_key(Catalog::embedded(), &form.place).unwrap_or(Place::Other);
            let why = "Synpunkten i rutan är inte sparad, så inget skickades in. Spara den med ”Spara synpunkten”, eller töm rutan om den inte ska med, och skicka sedan in.";
            let back = Some((place, typed::normalised(&form.text), why.to_string()));
            return unit_page(&app, &link, back, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        if form.confirmed.as_deref() != Some("yes") {
            return confirm_submission(&app, &link).await;
        }
        ByUnit::Submit
    } else {
        let place = Place::from_key(Catalog::embedded(), &form.place).ok_or_else(|| {
            AppError::BadRequest("Välj var i rapporten synpunkten hör hemma.".into())
        })?;
        let text = typed::normalised(&form.text);
        let problem = if text.trim().is_empty() {
            Some("Skriv din synpunkt.".to_string())
        } else {
            typed::check(&text, COMMENT_CAP, &spur_core::fonts::can_show)
                .err()
                .map(|e| e.to_string())
        };
        if let Some(why) = problem {
            let back = Some((place, text, why));
            return unit_page(&app, &link, back, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        ByUnit::Comment(place, text)
    };
    let done = match what {
        ByUnit::Submit => Done::FactCheckSent,
        ByUnit::Comment(..) => Done::CommentSaved,
    };
    let id = link.inspection;
    let named = app.named(id).await?;
    app.db
        .write(move |tx| actions::fact_check_by_unit(tx, id, &named, &what))
        .await?;
    Ok(Redirect::to(&format!(
        "/u/{}/fact-check?klart={}",
        link.token,
        done.key()
    ))
    .into_response())
}
