//! Calendars (SPEC §8.7): an inspection's dates as `.ics` for its inspectors and
//! through the unit's link, and each inspector's personal feed of every inspection
//! they are a member of, at an address with its own revocable token (a calendar app
//! cannot log in), shown once when made.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::session::set_cookie;
use crate::actions;
use crate::db::{calendars, fact_checks, inspections};
use crate::error::AppError;
use crate::extract::{Access, CsrfForm, Inspector, Segments, UnitLink, cookie};
use crate::views::accounts::FeedPage;
use crate::{App, auth, held, pages};
use spur_cycle::calendar::{self, Dated};

/// The calendar of inspections `ids`, named `name` or, without, after the unit: the
/// dates of each whose questionnaire can be read (a draft with problems has none yet),
/// stamped with when the latest of them changed, so that the same data gives the same
/// bytes.
async fn calendar(
    app: &Arc<App>,
    ids: Vec<i64>,
    name: Option<String>,
) -> Result<Response, AppError> {
    let shared = app.clone();
    let domain = domain(&app.public_url);
    let text = app
        .db
        .read(move |c| {
            let mut all: Vec<(i64, Vec<Dated>)> = Vec::new();
            let mut stamp = String::new();
            let mut name = name;
            for id in ids {
                let held = held::load(c, id)?;
                let Ok(graded) = shared.assessed.get(&held) else {
                    continue;
                };
                let due = fact_checks::sent(c, id)?.map(|s| s.due);
                let source = calendar::Source {
                    id,
                    questionnaire: &graded.questionnaire,
                    plan: graded.plan.as_ref(),
                    fact_check_due: due,
                };
                name.get_or_insert_with(|| format!("ST-SPUR: {}", graded.questionnaire.unit.name));
                all.push((id, calendar::events(&source)));
                stamp = stamp.max(calendars::changed(c, id)?);
            }
            let stamp = chrono::DateTime::parse_from_rfc3339(&stamp)
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or_default();
            let name = name.unwrap_or_else(|| "ST-SPUR".into());
            Ok::<_, AppError>(calendar::ics(&name, &all, &domain, stamp))
        })
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"spur.ics\""),
        ],
        text,
    )
        .into_response())
}

/// The host of the service's public address, the domain of every UID.
fn domain(public_url: &str) -> String {
    let host = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    let host = host.split(['/', ':']).next().unwrap_or(host);
    if host.is_empty() {
        "spur".into()
    } else {
        host.to_string()
    }
}

/// An inspection's dates, for its inspectors.
pub async fn inspection(State(app): State<Arc<App>>, access: Access) -> Result<Response, AppError> {
    calendar(&app, vec![access.id], None).await
}

/// An inspection's dates, through the unit's link.
pub async fn unit(State(app): State<Arc<App>>, link: UnitLink) -> Result<Response, AppError> {
    calendar(&app, vec![link.inspection], None).await
}

/// An inspector's personal feed: every inspection they are a member of.
pub async fn feed(
    State(app): State<Arc<App>>,
    Segments(raw): Segments<String>,
) -> Result<Response, AppError> {
    if raw.len() != 64 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let hash = auth::hash_token(&raw);
    let ids = app
        .db
        .read(move |c| {
            let Some(account) = calendars::feed_account(c, &hash)? else {
                return Ok::<_, AppError>(None);
            };
            let ids = inspections::visible(c, &account)?
                .iter()
                .map(|l| l.id)
                .collect();
            Ok(Some(ids))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    calendar(&app, ids, Some("ST-SPUR: mina granskningar".into())).await
}

/// The cookie that carries a new feed address to the one page that shows it.
const NEW_FEED: &str = "spur_new_feed";

/// Makes the inspector a new feed address (the earlier one stops working), and goes to
/// the page that shows it once: a reload of that page makes no other address.
pub async fn make_feed(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let token = auth::token().ok_or_else(|| AppError::Internal("slumptal saknas".into()))?;
    let hash = auth::hash_token(&token);
    let (id, who) = (inspector.account.id, inspector.account.email.clone());
    app.db
        .write(move |tx| actions::set_feed(tx, id, &who, &hash))
        .await?;
    Ok((
        [(header::SET_COOKIE, set_cookie(&app, NEW_FEED, &token, 600))],
        Redirect::to("/calendar"),
    )
        .into_response())
}

/// The inspector's feed: the address just made, once; after that, whether there is
/// one and how to make a new one.
pub async fn feed_page(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let token = cookie(&headers, NEW_FEED).filter(|t| t.len() == 64);
    let hash = token.as_deref().map(auth::hash_token);
    let account = inspector.account.id;
    let (current, has_feed) = app
        .db
        .read(move |c| {
            let current = match hash {
                Some(hash) => calendars::feed_account(c, &hash)?.is_some_and(|a| a.id == account),
                None => false,
            };
            Ok::<_, AppError>((current, calendars::has_feed(c, account)?))
        })
        .await?;
    let page = FeedPage {
        me: inspector.me(),
        link: token
            .filter(|_| current)
            .map(|t| format!("{}/calendar/{t}", app.public_url)),
        has_feed,
    };
    Ok((
        [(header::SET_COOKIE, set_cookie(&app, NEW_FEED, "", 0))],
        pages::render("calendar_feed.html", &page, StatusCode::OK),
    )
        .into_response())
}

/// Ends the inspector's feed: its address answers 404 from now on.
pub async fn revoke_feed(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let (id, who) = (inspector.account.id, inspector.account.email.clone());
    app.db
        .write(move |tx| actions::revoke_feed(tx, id, &who))
        .await?;
    Ok(Redirect::to("/inspections").into_response())
}

#[cfg(test)]
mod tests {
    use super::domain;

    #[test]
    fn the_uid_domain_is_the_public_host() {
        assert_eq!(domain("https://spur.lipus.se"), "spur.lipus.se");
        assert_eq!(domain("http://127.0.0.1:8391"), "127.0.0.1");
        assert_eq!(
            domain("https://spur.example.se/granskning"),
            "spur.example.se"
        );
        assert_eq!(domain(""), "spur");
    }
}
