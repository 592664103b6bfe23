//! The inspector's inspections: the list, uploading a questionnaire, one inspection's
//! page, a new version, co-inspectors, establishing and reopening the report.

use std::sync::Arc;

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::respond::{act, answer, confirmed, done, page_after, page_with_problem, reason};
use crate::actions::{self, check_upload};
use crate::db::{calendars, contacts, inspections};
use crate::error::AppError;
use crate::extract::{Access, CsrfForm, Inspector, Segments, UploadForm};
use crate::forms;
use crate::identity::{Address, NAME_CHARS, Name};
use crate::import::{self, Import, Start};
use crate::views::confirmation::Done;
use crate::views::{ListPage, ListRow};
use crate::{App, MAX_BODY_BYTES, auth, blocking, held, mail, pages, today};
use spur_cycle::workflow::Command;

/// `/`: the inspector's list, or the login page.
pub async fn home(inspector: Result<Inspector, AppError>) -> Redirect {
    match inspector {
        Ok(_) => Redirect::to("/inspections"),
        Err(_) => Redirect::to("/login"),
    }
}

/// The list page, with an upload's problems if any.
async fn list_page(
    app: &Arc<App>,
    inspector: &Inspector,
    problems: Option<String>,
    file_name: String,
) -> Result<Response, AppError> {
    let account = inspector.account.clone();
    let (rows, has_feed) = app
        .db
        .read(move |c| {
            let listed = inspections::visible(c, &account)?;
            let has_feed = calendars::has_feed(c, account.id)?;
            Ok::<_, AppError>((
                listed
                    .into_iter()
                    .map(|l| {
                        let (unit, date) = listed_as(&l);
                        ListRow {
                            id: l.id,
                            unit,
                            date,
                            stage: l.state.stage.label(),
                            waiting_on: spur_cycle::workflow::whose_turn(&l.state, &l.waiting),
                        }
                    })
                    .collect::<Vec<_>>(),
                has_feed,
            ))
        })
        .await?;
    let status = if problems.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ListPage {
        me: inspector.me(),
        rows,
        problems,
        file_name,
        has_feed,
    };
    Ok(pages::render("inspections.html", &page, status))
}

/// The unit's name and the day of the visit as the list shows them: from the draft
/// as typed in the pages, else from the uploaded file.
fn listed_as(l: &inspections::Listed) -> (String, String) {
    use spur_cycle::draft::{Draft, Field};
    if let Some(draft) = l.draft.as_deref().and_then(|j| Draft::from_json(j).ok()) {
        return (draft.unit_name(), draft.text(&Field::Date).to_string());
    }
    let source = spur_core::diagnostic::Source::new(held::QUESTIONNAIRE_FILE, l.text.clone());
    match spur_core::questionnaire::parse(&source, spur_core::catalog::Catalog::embedded(), &|_| {
        true
    }) {
        Ok(q) => (q.unit.name, q.inspection.date.to_string()),
        Err(_) => ("(frågeformuläret har fel)".into(), String::new()),
    }
}

/// The inspections the inspector is a member of (all, for an admin).
pub async fn list(State(app): State<Arc<App>>, inspector: Inspector) -> Result<Response, AppError> {
    list_page(&app, &inspector, None, String::new()).await
}

/// An uploaded file: its name (as sent, capped) and its text.
struct File {
    /// The name.
    name: String,
    /// The text, without a byte-order mark.
    text: String,
}

/// An upload form's files, or why they cannot be read.
enum Upload {
    /// The questionnaire, and the plan file when one was chosen.
    Files {
        questionnaire: File,
        plan: Option<File>,
    },
    /// Why it was not taken, and the file's name (as sent, capped).
    Problem { why: String, name: String },
}

/// Reads an upload form, with its questionnaire (`file`) and, optionally, its plan
/// (`plan`): its CSRF token must be the session's.
async fn uploaded(mut multipart: Multipart, csrf: &str) -> Result<Upload, AppError> {
    let too_large = || Upload::Problem {
        why: format!(
            "Filen är för stor eller kom inte fram helt (högst {} MB).",
            MAX_BODY_BYTES / (1024 * 1024)
        ),
        name: String::new(),
    };
    let mut files: [Option<File>; 2] = [None, None];
    let mut sent_csrf = String::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Ok(too_large()),
        };
        let slot = match field.name() {
            Some("csrf") => {
                sent_csrf = field.text().await.map_err(|_| AppError::Csrf)?;
                continue;
            }
            Some("file") => 0,
            Some("plan") => 1,
            _ => continue,
        };
        let fallback = ["frågeformulär.yaml", "handlingsplan.yaml"][slot];
        let name = field.file_name().map_or_else(
            || fallback.to_string(),
            |n| spur_core::typed::capped(n, 200),
        );
        let Ok(bytes) = field.bytes().await else {
            return Ok(too_large());
        };
        let Ok(text) = String::from_utf8(bytes.to_vec()) else {
            return Ok(Upload::Problem {
                why: format!("Filen {name} är inte UTF-8-kodad text. Spara om den som UTF-8."),
                name,
            });
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
        files[slot] = Some(File { name, text }).filter(|f| !f.text.trim().is_empty());
    }
    if !auth::csrf_matches(&sent_csrf, csrf) {
        return Err(AppError::Csrf);
    }
    let [questionnaire, plan] = files;
    let Some(questionnaire) = questionnaire else {
        return Ok(Upload::Problem {
            why: "Välj en fil att ladda upp.".into(),
            name: String::new(),
        });
    };
    Ok(Upload::Files {
        questionnaire,
        plan,
    })
}

/// What an uploaded questionnaire, and the plan beside it, start; or why they cannot.
/// Checking files of up to 2 MB is CPU work: off the request threads.
async fn checked(
    questionnaire: File,
    plan: Option<File>,
) -> Result<Result<(String, Start), (String, String)>, AppError> {
    blocking(move || {
        let plan = plan.as_ref().map(|p| (p.name.as_str(), p.text.as_str()));
        match import::check(&questionnaire.text, &questionnaire.name, plan) {
            Ok(start) => Ok((questionnaire.text, start)),
            Err(why) => Err((why, questionnaire.name)),
        }
    })
    .await
}

/// Creates the inspection of files that already have a plan, its reports rendered first
/// and stored with it.
async fn imported(
    app: &Arc<App>,
    inspector: &Inspector,
    text: String,
    import: Import,
) -> Result<i64, AppError> {
    let established = import::established(&text);
    let (established, graded) = app.graded(established).await?;
    let key = established.fingerprint();
    let first = app
        .pdfs
        .pdf(key, move || Ok(established.report(&graded)))
        .await?;
    let last = match import::accepted(&text, &import)? {
        Some(held) => {
            let (held, graded) = app.graded(held).await?;
            let key = held.fingerprint();
            Some(app.pdfs.pdf(key, move || Ok(held.report(&graded))).await?)
        }
        None => None,
    };
    let account = inspector.account.clone();
    app.db
        .write(move |tx| {
            import::store(
                tx,
                &account,
                &text,
                &import,
                &first,
                last.as_deref().map(Vec::as_slice),
            )
        })
        .await
}

/// Creates an inspection from an uploaded questionnaire (and its plan, when it has
/// one); its problems are shown instead.
pub async fn upload(
    State(app): State<Arc<App>>,
    inspector: Inspector,
    UploadForm(multipart): UploadForm,
) -> Result<Response, AppError> {
    let (questionnaire, plan) = match uploaded(multipart, &inspector.csrf).await? {
        Upload::Files {
            questionnaire,
            plan,
        } => (questionnaire, plan),
        Upload::Problem { why, name } => return list_page(&app, &inspector, Some(why), name).await,
    };
    let (text, start) = match checked(questionnaire, plan).await? {
        Ok(found) => found,
        Err((why, name)) => return list_page(&app, &inspector, Some(why), name).await,
    };
    if let Start::Imported(import) = start {
        let id = imported(&app, &inspector, text, *import).await?;
        return Ok(Redirect::to(&format!("/inspections/{id}")).into_response());
    }
    let account = inspector.account.clone();
    let id = app
        .db
        .write(move |tx| actions::start_from_file(tx, &account, &text))
        .await?;
    Ok(Redirect::to(&format!("/inspections/{id}")).into_response())
}

/// Everything about one inspection.
pub async fn show(
    State(app): State<Arc<App>>,
    access: Access,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    page_after(&app, &access, Done::from_query(uri.query())).await
}

/// A new version of the questionnaire.
pub async fn new_version(
    State(app): State<Arc<App>>,
    access: Access,
    UploadForm(multipart): UploadForm,
) -> Result<Response, AppError> {
    let problem = match uploaded(multipart, &access.inspector.csrf).await? {
        Upload::Files {
            questionnaire,
            plan: None,
        } => blocking(move || {
            match check_upload(&questionnaire.text, &questionnaire.name) {
                Some(why) => Err(why),
                None => Ok(questionnaire.text),
            }
        })
        .await?,
        Upload::Files { plan: Some(_), .. } => Err("En ny version av frågeformuläret laddas upp utan handlingsplan: planen är redan enhetens i tjänsten.".into()),
        Upload::Problem { why, .. } => Err(why),
    };
    let text = match problem {
        Ok(text) => text,
        Err(p) => {
            return page_with_problem(&app, &access, p, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let id = access.id;
    let prepared = app
        .db
        .read(move |c| actions::prepare_new_version(c, id, text))
        .await;
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => return answer(&app, &access, Done::NewVersion, Err(e)).await,
    };
    act(&app, &access, Done::NewVersion, move |tx, id, who| {
        actions::new_version(tx, id, who, &prepared)
    })
    .await
}

/// Adds a co-inspector by e-mail.
pub async fn add_member(
    State(app): State<Arc<App>>,
    access: Access,
    CsrfForm(form): CsrfForm<forms::Email>,
) -> Result<Response, AppError> {
    let (id, by) = (access.id, access.inspector.account.clone());
    let problem = match Address::parse(&form.email) {
        Err(problem) => problem.to_string(),
        Ok(email) => {
            let shown = email.to_string();
            let named = app.named(id).await?;
            let added = app
                .db
                .write(move |tx| actions::add_member(tx, id, &by, email.as_str(), &named))
                .await?;
            if added {
                return Ok(done(id, Done::MemberAdded));
            }
            format!("Det finns inget konto för {shown}.")
        }
    };
    page_with_problem(&app, &access, problem, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// The contact a form names, or what is wrong with it: a name and an address as every
/// person's are ([`Name`], [`Address`]), and the role kept as typed unless too long or
/// holding control characters.
fn contact_of(form: &forms::Contact) -> Result<contacts::Contact, String> {
    let name = Name::parse(&form.name).map_err(|p| format!("Namn: {p}"))?;
    let role = form.role.trim().to_string();
    spur_core::typed::check(&role, NAME_CHARS, &|_| true).map_err(|p| format!("Roll: {p}"))?;
    let email = Address::parse(&form.email).map_err(|p| format!("E-post: {p}"))?;
    Ok(contacts::Contact {
        id: 0,
        name: name.as_str().to_string(),
        role,
        email: email.to_string(),
    })
}

/// Records a contact of the unit (SPEC §8.7): name, role and e-mail address; the
/// cycle's e-mails to the unit go to its contacts.
pub async fn add_contact(
    State(app): State<Arc<App>>,
    access: Access,
    CsrfForm(form): CsrfForm<forms::Contact>,
) -> Result<Response, AppError> {
    let (id, who) = (access.id, access.inspector.account.email.clone());
    let added = match contact_of(&form) {
        Err(problem) => Err(problem),
        Ok(contact) => {
            let email = contact.email.clone();
            app.db
                .write(move |tx| actions::add_contact(tx, id, &who, &contact))
                .await?
                .then_some(())
                .ok_or(format!("{email} finns redan bland enhetens kontakter."))
        }
    };
    match added {
        Ok(()) => Ok(done(id, Done::ContactAdded)),
        Err(problem) => {
            page_with_problem(&app, &access, problem, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// Removes a contact of the unit; it gets no more e-mails.
pub async fn remove_contact(
    State(app): State<Arc<App>>,
    access: Access,
    Segments((_, contact)): Segments<(i64, i64)>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let (id, who) = (access.id, access.inspector.account.email.clone());
    let removed = app
        .db
        .write(move |tx| actions::remove_contact(tx, id, &who, contact))
        .await?;
    if removed {
        Ok(done(id, Done::ContactRemoved))
    } else {
        Err(AppError::NotFound)
    }
}

/// "Fastställ rapporten": the report is dated and rendered first, outside the
/// transaction, then stored with the change of stage; a refusal comes before any
/// rendering.
pub async fn establish(
    State(app): State<Arc<App>>,
    access: Access,
    CsrfForm(form): CsrfForm,
) -> Result<Response, AppError> {
    let id = access.id;
    let prepared = app
        .db
        .read(move |c| actions::prepare_establish(c, id, today()))
        .await;
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => return answer(&app, &access, Done::Established, Err(e)).await,
    };
    if !confirmed(&form) {
        let what = vec![
            "Rapporten blir den fastställda rapporten från granskningen, och dagens datum blir rapportens datum.".into(),
            "Frågeformuläret kan sedan bara ändras om rapporten öppnas igen. Kräver rapporten åtgärder blir det enhetens tur att fylla i handlingsplanen, och kontaktpersonerna får e-post.".into(),
        ];
        return super::respond::confirm(
            &app,
            &access,
            "Fastställa rapporten?",
            what,
            "establish",
            "Ja, fastställ rapporten",
        )
        .await;
    }
    let (held, graded) = app.graded(prepared.held.clone()).await?;
    let key = held.fingerprint();
    let named = mail::Named::of(id, Some(&graded));
    let pdf = app.pdfs.pdf(key, move || Ok(held.report(&graded))).await?;
    act(&app, &access, Done::Established, move |tx, id, who| {
        actions::establish(tx, id, who, today(), &prepared, &pdf, &named)
    })
    .await
}

/// "Öppna igen", with a reason.
pub async fn reopen_report(
    State(app): State<Arc<App>>,
    access: Access,
    CsrfForm(form): CsrfForm<forms::Reason>,
) -> Result<Response, AppError> {
    let command = Command::ReopenReport {
        reason: reason(&form.reason)?,
    };
    act(&app, &access, Done::ReportReopened, move |tx, id, who| {
        actions::change(tx, id, who, &command, "öppnade rapporten igen").map(|_| ())
    })
    .await
}
