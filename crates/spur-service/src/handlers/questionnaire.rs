//! The questionnaire in the browser (SPEC §8.4): a new inspection from an empty
//! questionnaire, the overview, each page, and its saves — by the page's own button,
//! or field by field from its script, answered with JSON.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::actions::{self, PageSaved};
use crate::db::accounts;
use crate::db::drafts::{self, Line, Open};
use crate::db::{inspections, log};
use crate::error::AppError;
use crate::extract::{Access, CsrfForm, EditedPage, Inspector};
use crate::views::editor::{self, Shown};
use crate::views::{People, moment};
use crate::{App, blocking, checks, pages};
use spur_core::catalog::Catalog;
use spur_core::grade_table::TableRow;
use spur_core::typed::TextProblem;
use spur_cycle::draft::{self, Draft, Page};
use spur_cycle::workflow::{self, Command};

/// "Skriv i webbläsaren": an inspection started from an empty questionnaire.
pub async fn start(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let account = inspector.account.clone();
    let id = app
        .db
        .write(move |tx| actions::start_draft(tx, &account))
        .await?;
    Ok(Redirect::to(&format!("/inspections/{id}/questionnaire")).into_response())
}

/// What the questionnaire's pages are made from, as stored.
struct Loaded {
    version: drafts::Version,
    draft: Draft,
    open: Vec<Open>,
    editable: bool,
    history: Vec<Line>,
    /// Who is who, to show people by name.
    people: People,
}

impl Loaded {
    /// What the pages of inspection `id` show, with the stored version's `problems`.
    fn shown<'a>(&'a self, id: i64, problems: &'a [draft::Located]) -> Shown<'a> {
        Shown {
            id,
            version: self.version.id,
            draft: &self.draft,
            problems,
            open: &self.open,
            editable: self.editable,
            people: &self.people,
        }
    }
}

/// Loads the inspection's questionnaire, logging the read; its history too when
/// `with_history`. The stored draft is read back after the transaction, so that a
/// page load holds the writer only for its few statements.
async fn load(app: &Arc<App>, access: &Access, with_history: bool) -> Result<Loaded, AppError> {
    let (id, who, db) = (
        access.id,
        access.inspector.account.email.clone(),
        app.db.clone(),
    );
    blocking(move || {
        let (version, open, editable, history, people) = db.write_now(|tx| {
            log::record(tx, &who, "läste frågeformuläret", Some(id))?;
            let state = inspections::state(tx, id)?;
            let unchanged = Command::NewQuestionnaire {
                identity_changed: false,
            };
            let history = if with_history {
                drafts::history(tx, id)?
            } else {
                Vec::new()
            };
            Ok::<_, AppError>((
                drafts::latest(tx, id)?,
                drafts::open(tx, id)?,
                workflow::apply(&state, &unchanged).is_ok(),
                history,
                People::new(&who, accounts::all(tx)?),
            ))
        })?;
        Ok(Loaded {
            draft: actions::draft_of(&version)?,
            version,
            open,
            editable,
            history,
            people,
        })
    })
    .await?
}

/// "Senast sparad …" of a version.
fn saved_line(version: &drafts::Version, people: &People) -> String {
    let at = moment(&version.at);
    format!("Senast sparad {at} av {}.", people.name(&version.by))
}

/// The overview: every page with its status, the problems and the grades.
pub async fn overview(State(app): State<Arc<App>>, access: Access) -> Result<Response, AppError> {
    let loaded = load(&app, &access, true).await?;
    let (me, id) = (access.inspector.me(), access.id);
    let page = blocking(move || {
        let problems = app.checks.of(loaded.version.id, &loaded.draft);
        editor::overview(me, &loaded.shown(id, &problems), loaded.history.clone())
    })
    .await?;
    Ok(pages::render("questionnaire.html", &page, StatusCode::OK))
}

/// One page of the questionnaire.
pub async fn show(
    State(app): State<Arc<App>>,
    access: Access,
    EditedPage(page): EditedPage,
) -> Result<Response, AppError> {
    let loaded = load(&app, &access, false).await?;
    render_page(&app, &access, page, loaded, Refusal::None, StatusCode::OK).await
}

/// What the page says was not kept.
enum Refusal {
    /// Nothing.
    None,
    /// Texts refused at their fields, given back.
    Texts(Vec<(draft::Field, TextProblem)>),
    /// A choice between two texts, not made, and why.
    Choice(&'static str),
}

/// The page built from `loaded`, with what was `refused`.
async fn render_page(
    app: &Arc<App>,
    access: &Access,
    page: Page,
    loaded: Loaded,
    refused: Refusal,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (me, id, app) = (access.inspector.me(), access.id, app.clone());
    let model = blocking(move || {
        let (texts, choice) = match refused {
            Refusal::None => (Vec::new(), None),
            Refusal::Texts(texts) => (texts, None),
            Refusal::Choice(why) => (Vec::new(), Some(why)),
        };
        // Texts given back were never stored: they are checked as typed.
        let problems = if texts.is_empty() {
            app.checks.of(loaded.version.id, &loaded.draft)
        } else {
            Arc::new(checks::problems(&loaded.draft))
        };
        let saved = saved_line(&loaded.version, &loaded.people);
        let mut model = editor::page(me, &loaded.shown(id, &problems), page, &texts, saved);
        if let Some(why) = choice {
            model.refused = Some(why.to_string());
        }
        model
    })
    .await?;
    Ok(pages::render("questionnaire_page.html", &model, status))
}

/// What the page's script is told after a save.
#[derive(Serialize)]
struct Autosaved {
    /// The version stored now, for the next save.
    version: i64,
    /// "Senast sparad …".
    saved: String,
    /// Whether someone else saved the questionnaire since the page was opened.
    others: bool,
    /// Fields that now hold two texts because of this save.
    conflicts: usize,
    /// The area's grades as they stand.
    grades: Option<TableRow>,
    /// Why the area has no grades yet.
    ungraded: Option<&'static str>,
    /// Texts that were not kept, by field name.
    refused: Vec<(String, String)>,
}

fn json(status: StatusCode, body: &Autosaved) -> Result<Response, AppError> {
    let text = serde_json::to_string(body).map_err(|e| AppError::Internal(format!("JSON: {e}")))?;
    Ok((
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response())
}

/// A save of one page: by its button (answered with the page again), or by its
/// script (answered with JSON).
pub async fn save(
    State(app): State<Arc<App>>,
    access: Access,
    EditedPage(page): EditedPage,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm,
) -> Result<Response, AppError> {
    let from_script = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let next = form.get("next").is_some();
    let (id, who) = (access.id, access.inspector.account.email.clone());
    let pairs = form.0;
    let outcome = app
        .db
        .write(move |tx| actions::save_page(tx, id, &who, page, &pairs))
        .await?;
    match (outcome, from_script) {
        (PageSaved::Saved(saved), true) => {
            let app = app.clone();
            let body = blocking(move || {
                let problems = match saved.written {
                    Some(written) => app.checks.of_written(saved.version, written),
                    None => app.checks.of(saved.version, &saved.draft),
                };
                let shown = Shown {
                    id,
                    version: saved.version,
                    draft: &saved.draft,
                    problems: &problems,
                    open: &[],
                    editable: true,
                    people: &People::default(),
                };
                let (grades, ungraded) = editor::area_grades(&shown, page);
                Autosaved {
                    version: saved.version,
                    saved: format!("Sparat {}.", moment(&crate::db::now())),
                    others: !saved.current,
                    conflicts: saved.conflicts,
                    grades,
                    ungraded,
                    refused: Vec::new(),
                }
            })
            .await?;
            json(StatusCode::OK, &body)
        }
        (
            PageSaved::Saved(actions::DraftSaved {
                choice_refused: Some(why),
                ..
            }),
            false,
        ) => {
            let loaded = load(&app, &access, false).await?;
            render_page(
                &app,
                &access,
                page,
                loaded,
                Refusal::Choice(why),
                StatusCode::CONFLICT,
            )
            .await
        }
        (PageSaved::Saved(_), false) => {
            let target = match (next, page.after(Catalog::embedded())) {
                (true, Some(following)) => following,
                _ => page,
            };
            Ok(
                Redirect::to(&format!("/inspections/{id}/questionnaire/{}", target.key()))
                    .into_response(),
            )
        }
        (PageSaved::Refused { problems, .. }, true) => json(
            StatusCode::UNPROCESSABLE_ENTITY,
            &Autosaved {
                version: 0,
                saved: String::new(),
                others: false,
                conflicts: 0,
                grades: None,
                ungraded: None,
                refused: problems
                    .iter()
                    .map(|(f, p)| (f.name(), p.to_string()))
                    .collect(),
            },
        ),
        (
            PageSaved::Refused {
                version,
                shown,
                problems,
            },
            false,
        ) => {
            let mut loaded = load(&app, &access, false).await?;
            loaded.draft = shown;
            if let Some(v) = app.db.read(move |c| drafts::get(c, id, version)).await? {
                loaded.version = v;
            }
            render_page(
                &app,
                &access,
                page,
                loaded,
                Refusal::Texts(problems),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// One kept version of the questionnaire, as it was saved: an uploaded file exactly as
/// uploaded, a form's save as written. The version is named by the last part of the
/// address and must be one of this inspection's.
pub async fn version(
    State(app): State<Arc<App>>,
    access: Access,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let wanted: i64 = uri
        .path()
        .rsplit('/')
        .next()
        .and_then(|last| last.strip_suffix(".yaml"))
        .and_then(|n| n.parse().ok())
        .ok_or(AppError::NotFound)?;
    let (id, who) = (access.id, access.inspector.account.email.clone());
    let found = app
        .db
        .write(move |tx| {
            let what = format!("hämtade version {wanted} av frågeformuläret");
            actions::logged_read(tx, &who, &what, Some(id))?;
            Ok::<_, AppError>(drafts::get(tx, id, wanted)?)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(pages::download(
        found.text.into_bytes(),
        "application/yaml; charset=utf-8",
        &format!("frageformular-version-{wanted}.yaml"),
    ))
}
