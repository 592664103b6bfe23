//! Every action of the service, each one transaction: it loads the inspection, asks the
//! workflow core whether the action may happen, and stores the result whole — or
//! returns the refusal, and nothing changes.

use chrono::NaiveDate;
use rusqlite::Transaction;

use super::db::accounts::Account;
use super::db::plans::{self, SaveKind};
use super::db::{drafts, fact_checks, follow_ups, inspections, links, log, reports};
use super::error::AppError;
use super::held::{self, Held, PLAN_FILE};
use super::mail;
use crate::catalog::Catalog;
use crate::diagnostic::{self, Source};
use crate::draft::form::{self, Choice};
use crate::draft::{self, Draft};
use crate::inspection::Inspection;
use crate::notice::{Submission, Turn};
use crate::plan_form::{self, Entries, Problems};
use crate::review::{self, Posted, Problem};
use crate::workflow::{self, Command, PlanStatus, Refusal};
use crate::{fact_check, fonts, inspection, plan, yaml};

/// Who the unit is in the history and the access log.
pub const UNIT: &str = "enheten";

/// The problems of an uploaded questionnaire as `spur check` prints them, or none.
pub fn check_upload(text: &str, name: &str) -> Option<String> {
    let source = Source::new(name.to_string(), text.to_string());
    match inspection::questionnaire(Catalog::embedded(), &source, &fonts::can_show) {
        Ok((q, _)) if q.action_plan.is_some() => Some(
            "Frågeformuläret innehåller redan action_plan. Tjänsten lägger själv till handlingsplanen när enheten skickat in den: ta bort blocket och ladda upp igen.".into(),
        ),
        Ok(_) => None,
        Err(problems) => Some(diagnostic::render_all(&problems)),
    }
}

/// Runs `command` on inspection `id`: the new state is stored with the change and its
/// reason kept, and `what` logged.
pub fn change(
    tx: &Transaction,
    id: i64,
    who: &str,
    command: &Command,
    what: &str,
) -> Result<workflow::State, AppError> {
    let old = inspections::state(tx, id)?;
    let new = workflow::apply(&old, command)?;
    inspections::set_state(tx, id, &old, &new, who, command.reason())?;
    log::record(tx, who, what, Some(id))?;
    Ok(new)
}

/// Keeps a new version of the questionnaire, once checked, if the stage allows it.
pub fn new_version(tx: &Transaction, id: i64, who: &str, text: &str) -> Result<(), AppError> {
    let old = inspections::questionnaire(tx, id)?;
    let identity = |text: &str| {
        let source = Source::new(held::QUESTIONNAIRE_FILE, text.to_string());
        inspection::questionnaire(Catalog::embedded(), &source, &fonts::can_show)
            .ok()
            .map(|(q, _)| (q.unit.name, q.inspection.date))
    };
    let command = Command::NewQuestionnaire {
        identity_changed: identity(&old) != identity(text),
    };
    change(
        tx,
        id,
        who,
        &command,
        "laddade upp en ny version av frågeformuläret",
    )?;
    plan_still_fits(tx, id, text)?;
    inspections::add_questionnaire(tx, id, text, who)?;
    Ok(())
}

/// Refuses a new questionnaire `text` that the plan already in no longer checks
/// against: every page and PDF of the inspection would fail on it.
fn plan_still_fits(tx: &Transaction, id: i64, text: &str) -> Result<(), AppError> {
    let mut next = held::load(tx, id)?;
    next.questionnaire = text.to_string();
    match next.assess() {
        Ok(_) => Ok(()),
        Err(problems) => {
            let reasons: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
            Err(Refusal::PlanMismatch(reasons.join("; ")).into())
        }
    }
}

/// What establishing the report is made from, prepared outside the transaction: the
/// inspection as it will be — the questionnaire dated (`report_date` today when empty,
/// `plan_due` eight weeks on when anything is required and none is set) — and the
/// questionnaire version it was made from.
#[derive(Debug, Clone)]
pub struct Establishing {
    /// The version the report is made from; establishing is refused if another came.
    based_on: i64,
    /// The dated questionnaire, when dating changed it: its file and draft.
    dated: Option<(String, Draft)>,
    /// Whether the report requires any action of the unit.
    anything_required: bool,
    /// The inspection as established, for its report.
    pub held: Held,
}

/// Prepares establishing the report, refusing first if the workflow would.
pub fn prepare_establish(
    c: &rusqlite::Connection,
    id: i64,
    today: NaiveDate,
) -> Result<Establishing, AppError> {
    let latest = drafts::latest(c, id)?;
    let mut held = held::load(c, id)?;
    let inspection = held.assess().map_err(|_| AppError::Unfinished(id))?;
    let anything_required = !inspection.grading.required_items().is_empty();
    let command = Command::Establish {
        anything_required,
        fact_check: fact_checks::readiness(c, id, today)?,
    };
    held.state = workflow::apply(&held.state, &command)?;
    let mut q = inspection.questionnaire.clone();
    q.action_plan = None;
    let undated = q.clone();
    q.inspection.report_date = q.inspection.report_date.or(Some(today));
    if anything_required {
        let due = q
            .inspection
            .plan_due
            .unwrap_or(workflow::default_plan_due(today));
        q.inspection.plan_due = Some(due);
    }
    let dated = (q != undated).then(|| {
        let draft = Draft::from(&q);
        (yaml::write::draft(Catalog::embedded(), &draft).text, draft)
    });
    if let Some((text, _)) = &dated {
        held.questionnaire = text.clone();
    }
    Ok(Establishing {
        based_on: latest.id,
        dated,
        anything_required,
        held,
    })
}

/// Establishes the report as `prepared`, storing `pdf`, its report: the plan stage
/// begins, or the inspection closes when nothing is asked of the unit.
pub fn establish(
    tx: &Transaction,
    id: i64,
    who: &str,
    today: NaiveDate,
    prepared: &Establishing,
    pdf: &[u8],
) -> Result<(), AppError> {
    let latest = drafts::latest(tx, id)?;
    if latest.id != prepared.based_on {
        return Err(Refusal::ChangedMeanwhile.into());
    }
    let command = Command::Establish {
        anything_required: prepared.anything_required,
        fact_check: fact_checks::readiness(tx, id, today)?,
    };
    let old = inspections::state(tx, id)?;
    let new = change(tx, id, who, &command, "fastställde rapporten")?;
    let version = match &prepared.dated {
        Some((text, draft)) => drafts::add(
            tx,
            id,
            drafts::Kind::Dated,
            Some(latest.id),
            text,
            draft,
            who,
        )?,
        None => latest.id,
    };
    reports::store(tx, id, reports::Kind::Established, version, pdf, who)?;
    mail::after_change(tx, id, &old, &new)
}

/// Sends the preliminary report to the unit for its fact-check, due in
/// [`fact_check::DAYS`] days. The questionnaire must be valid: the unit reads its report.
pub fn send_for_fact_check(
    tx: &Transaction,
    id: i64,
    who: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    held::load(tx, id)?
        .assess()
        .map_err(|_| AppError::Unfinished(id))?;
    let old = inspections::state(tx, id)?;
    let new = change(
        tx,
        id,
        who,
        &Command::SendForFactCheck,
        "skickade rapporten till faktagranskning",
    )?;
    let due = today + chrono::Duration::days(fact_check::DAYS);
    fact_checks::send(tx, id, due, who)?;
    mail::after_change(tx, id, &old, &new)
}

/// What the unit does in its fact-check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ByUnit {
    /// A comment on a place in the report, as typed.
    Comment(fact_check::Place, String),
    /// Submits the comments given (with none: "Inga synpunkter").
    Submit,
}

/// The unit's comment or submission, if its fact-check is open.
pub fn fact_check_by_unit(tx: &Transaction, id: i64, what: &ByUnit) -> Result<(), AppError> {
    let submitted = fact_checks::sent(tx, id)?.is_some_and(|s| s.submitted.is_some());
    let (note, command) = match what {
        ByUnit::Comment(..) => (
            "lämnade en synpunkt",
            Command::FactCheckByUnit { submitted },
        ),
        ByUnit::Submit => (
            "skickade in faktagranskningen",
            Command::FactCheckByUnit { submitted },
        ),
    };
    change(tx, id, UNIT, &command, note)?;
    match what {
        ByUnit::Comment(place, text) => fact_checks::comment(tx, id, *place, text)?,
        ByUnit::Submit => {
            fact_checks::submit(tx, id)?;
            mail::tell_inspectors(tx, id, &Submission::FactCheck)?;
        }
    }
    Ok(())
}

/// The inspectors' answer to comment `comment`: "Rättat", or "Ingen ändring" with a
/// reason.
pub fn answer_comment(
    tx: &Transaction,
    id: i64,
    who: &str,
    comment: i64,
    answer: fact_check::Answer,
    reason: &str,
) -> Result<(), AppError> {
    if answer == fact_check::Answer::Unchanged && reason.trim().is_empty() {
        return Err(Refusal::NoReason.into());
    }
    let submitted = fact_checks::sent(tx, id)?.is_some_and(|s| s.submitted.is_some());
    change(
        tx,
        id,
        who,
        &Command::AnswerComment { submitted },
        "svarade på en synpunkt",
    )?;
    if !fact_checks::answer(tx, id, comment, answer, reason.trim(), who)? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Creates a new link for the unit (the earlier ones stop working); returns its last day.
pub fn create_link(
    tx: &Transaction,
    id: i64,
    who: &str,
    token_hash: &str,
    today: NaiveDate,
) -> Result<NaiveDate, AppError> {
    let held = held::load(tx, id)?;
    let due = held
        .assess()
        .ok()
        .and_then(|i| i.questionnaire.inspection.plan_due);
    let valid_until = workflow::link_valid_until(today, due);
    links::create(tx, id, token_hash, valid_until)?;
    log::record(tx, who, "skapade länk till enheten", Some(id))?;
    Ok(valid_until)
}

/// Adds a link for the unit to be e-mailed, beside the valid ones, valid as long as
/// one made on the page.
pub fn mailed_link(
    tx: &Transaction,
    id: i64,
    token_hash: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let due = held::load(tx, id)?
        .assess()
        .ok()
        .and_then(|i| i.questionnaire.inspection.plan_due);
    links::add(tx, id, token_hash, workflow::link_valid_until(today, due))?;
    log::record(
        tx,
        "spur (e-post)",
        "skapade länk till enheten för ett e-postbrev",
        Some(id),
    )?;
    Ok(())
}

/// Gives the plan back to the unit without a review, for `reason`; its contacts are
/// told why.
pub fn give_plan_back(tx: &Transaction, id: i64, who: &str, reason: &str) -> Result<(), AppError> {
    let command = Command::ReopenPlan {
        reason: reason.to_string(),
    };
    change(tx, id, who, &command, "öppnade planen för enheten igen")?;
    mail::tell_unit(tx, id, &Turn::GivenBack(reason.trim().to_string()))
}

/// What became of the inspectors' review.
pub enum Reviewed {
    /// Kept.
    Done,
    /// Not kept: the problems, by indicator, with what was posted.
    Problems(Vec<(String, Problem)>),
}

/// Keeps the inspectors' decisions on plan version `plan_version`, if it is still the
/// submitted one and every entry has a complete decision.
pub fn review(
    tx: &Transaction,
    id: i64,
    who: &str,
    plan_version: i64,
    posted: &[Posted],
    final_pdf: Option<&[u8]>,
) -> Result<Reviewed, AppError> {
    let held = held::load(tx, id)?;
    let plan = held
        .submitted_plan
        .as_ref()
        .filter(|p| p.id == plan_version)
        .ok_or(match held.submitted_plan {
            Some(_) => Refusal::ReviewOfOldPlan,
            None => Refusal::NothingSubmitted,
        })?;
    let entries: Vec<String> = super::views::entries(&plan.text).into_keys().collect();
    let decisions = match review::decide(&entries, posted) {
        Ok(d) => d,
        Err(problems) => return Ok(Reviewed::Problems(problems)),
    };
    let command = Command::Review {
        plan_version,
        all_accepted: decisions
            .iter()
            .all(|d| d.verdict == review::Verdict::Accept),
    };
    let state = change(tx, id, who, &command, "granskade handlingsplanen")?;
    plans::review(tx, id, plan_version, &decisions, who)?;
    mail::after_change(tx, id, &held.state, &state)?;
    if state.plan == PlanStatus::Accepted {
        let pdf = final_pdf.ok_or_else(|| {
            AppError::Internal("den slutliga rapporten skapades inte före granskningen".into())
        })?;
        let version = drafts::latest(tx, id)?.id;
        reports::store(tx, id, reports::Kind::Final, version, pdf, who)?;
    }
    Ok(Reviewed::Done)
}

/// The inspection as it will be once plan version `plan_version` is accepted whole,
/// for the final report rendered before the review's transaction; none when the
/// review would be refused anyway.
pub fn prepare_final(
    c: &rusqlite::Connection,
    id: i64,
    plan_version: i64,
) -> Result<Option<Held>, AppError> {
    let mut held = held::load(c, id)?;
    let accepted = Command::Review {
        plan_version,
        all_accepted: true,
    };
    Ok(workflow::apply(&held.state, &accepted).ok().map(|state| {
        held.state = state;
        held
    }))
}

/// A plan save made ready outside the transaction: the file to keep and, when the
/// unit submits, its problems.
pub struct Prepared {
    /// The plan file.
    pub text: String,
    /// Whether to submit it: asked for, and valid and complete.
    pub submit: bool,
    /// Why it cannot be submitted, when submitting was asked for.
    pub problems: Problems,
}

/// Writes the plan file for what the unit typed (`held` graded as `inspection`) and,
/// when `submit` is asked, checks it as `spur plan-check` does.
pub fn prepare_plan(
    held: &Held,
    inspection: &Inspection,
    entries: &Entries,
    submit: bool,
) -> Prepared {
    let catalog = Catalog::embedded();
    let q = &inspection.questionnaire;
    let items = plan_form::items(catalog, q, &inspection.grading);
    let entries = kept_accepted(held, entries);
    let file = plan_form::plan_file(q, &items, &entries);
    let text = yaml::write::plan(&file);
    let problems = if submit {
        let checked = plan::check(
            &Source::new(PLAN_FILE, text.clone()),
            catalog,
            q,
            &inspection.grading,
            &fonts::can_show,
        );
        let mut all = checked.errors;
        all.extend(checked.missing);
        plan_form::problems(&file, &items, &all)
    } else {
        Problems::default()
    };
    Prepared {
        text,
        submit: submit && problems.is_empty(),
        problems,
    }
}

/// What became of the unit's save.
pub enum Saved {
    /// Kept (and, when asked, submitted).
    Kept {
        /// Whether it was submitted: asked for, and the plan valid and complete.
        submitted: bool,
    },
    /// Made from an older version: kept beside the stored one, which is returned.
    Stale(Entries),
}

/// Keeps the prepared plan, made from version `based_on`, if the plan may change now;
/// a save made from an older version is kept beside the stored one.
pub fn save_plan(
    tx: &Transaction,
    id: i64,
    prepared: Prepared,
    based_on: Option<i64>,
    today: NaiveDate,
) -> Result<Saved, AppError> {
    let state = inspections::state(tx, id)?;
    let command = if prepared.submit {
        Command::SubmitPlan { based_on, today }
    } else {
        Command::SavePlan { based_on }
    };
    let new = match workflow::apply(&state, &command) {
        Ok(new) => new,
        Err(Refusal::Stale) => {
            plans::insert(tx, id, &prepared.text, based_on, SaveKind::Refused, UNIT)?;
            log::record(
                tx,
                UNIT,
                "sparade från en äldre version (båda finns kvar)",
                Some(id),
            )?;
            let current = match state.plan_version {
                Some(v) => plans::get(tx, v)?.map(|p| super::views::entries(&p.text)),
                None => None,
            };
            return Ok(Saved::Stale(current.unwrap_or_default()));
        }
        Err(refusal) => return Err(refusal.into()),
    };
    let submitted = prepared.submit;
    let kind = if submitted {
        SaveKind::Submitted
    } else {
        SaveKind::Saved
    };
    let version = plans::insert(tx, id, &prepared.text, based_on, kind, UNIT)?;
    let new = workflow::State {
        plan_version: Some(version),
        submitted: if submitted {
            Some(version)
        } else {
            new.submitted
        },
        ..new
    };
    inspections::set_state(tx, id, &state, &new, UNIT, "")?;
    let what = if submitted {
        "skickade in handlingsplanen"
    } else {
        "sparade handlingsplanen"
    };
    log::record(tx, UNIT, what, Some(id))?;
    if submitted {
        mail::tell_inspectors(tx, id, &Submission::Plan)?;
    }
    Ok(Saved::Kept { submitted })
}

/// What the unit typed, with every entry the inspectors accepted taken as it was
/// submitted: after a return, accepted entries stay as they are whatever is posted.
fn kept_accepted(held: &Held, entries: &Entries) -> Entries {
    let mut kept = entries.clone();
    if held.state.plan != workflow::PlanStatus::Returned {
        return kept;
    }
    let submitted = held
        .submitted_plan
        .as_ref()
        .map(|p| super::views::entries(&p.text))
        .unwrap_or_default();
    for d in held
        .decisions
        .iter()
        .filter(|d| d.verdict == review::Verdict::Accept)
    {
        match submitted.get(&d.indicator) {
            Some(entry) => kept.insert(d.indicator.clone(), entry.clone()),
            None => kept.remove(&d.indicator),
        };
    }
    kept
}

/// Loads the inspection and logs that `who` read `what` of it, in one transaction.
pub fn read(tx: &Transaction, id: i64, who: &str, what: &str) -> Result<Held, AppError> {
    log::record(tx, who, what, Some(id))?;
    Ok(held::load(tx, id)?)
}

/// A version's draft: a form's as stored, an uploaded file's read from its text.
pub fn draft_of(version: &drafts::Version) -> Result<Draft, AppError> {
    let broken = |why: String| AppError::Internal(format!("version {}: {why}", version.id));
    match &version.draft {
        Some(json) => Draft::from_json(json).map_err(broken),
        None => {
            let source = Source::new(held::QUESTIONNAIRE_FILE, version.text.clone());
            crate::questionnaire::parse(&source, Catalog::embedded(), &fonts::can_show)
                .map(|q| Draft::from(&q))
                .map_err(|p| broken(diagnostic::render_all(&p)))
        }
    }
}

/// Starts an inspection from an empty questionnaire, to be written in the browser.
pub fn start_draft(tx: &Transaction, account: &Account) -> Result<i64, AppError> {
    let id = inspections::create(tx, account)?;
    let empty = Draft::new();
    let text = yaml::write::draft(Catalog::embedded(), &empty).text;
    drafts::add(
        tx,
        id,
        drafts::Kind::Form,
        None,
        &text,
        &empty,
        &account.email,
    )?;
    log::record(tx, &account.email, "skapade granskningen", Some(id))?;
    Ok(id)
}

/// What a save of a questionnaire page did.
#[derive(Debug)]
pub struct DraftSaved {
    /// The version now stored.
    pub version: i64,
    /// The stored draft.
    pub draft: Draft,
    /// Whether the save was made from the version stored until now: then the page
    /// that sent it shows exactly what is stored.
    pub current: bool,
    /// How many fields now hold two texts because of this save.
    pub conflicts: usize,
    /// The file written for the new version, when the save made one.
    pub written: Option<yaml::write::Written>,
}

/// What became of a questionnaire page's form.
#[derive(Debug)]
pub enum PageSaved {
    /// Kept.
    Saved(DraftSaved),
    /// Not kept: texts the service cannot keep, at their fields, and the page's draft
    /// with what was typed, to give it back.
    Refused {
        /// The version the page was made from.
        version: i64,
        /// What the page shows: the version with the typed texts.
        shown: Draft,
        /// Why, at each field.
        problems: Vec<(draft::Field, crate::typed::TextProblem)>,
    },
}

/// Reads the form of questionnaire page `page` against the version it was made from,
/// and saves it (see [`save_draft`]) or gives it back with its problems.
pub fn save_page(
    tx: &Transaction,
    id: i64,
    who: &str,
    page: draft::Page,
    pairs: &[(String, String)],
) -> Result<PageSaved, AppError> {
    let unreadable = || {
        AppError::BadRequest(
            "Sidan skickade inte med vilken version av frågeformuläret den visade. Öppna sidan igen från granskningen.".into(),
        )
    };
    let version = pairs
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(unreadable)?;
    let Some(base) = drafts::get(tx, id, version)? else {
        return Err(not_this_inspection());
    };
    let shown = draft_of(&base)?;
    match form::read(Catalog::embedded(), page, &shown, pairs) {
        Ok(posted) => Ok(PageSaved::Saved(save_draft(
            tx, id, who, posted, &base, &shown,
        )?)),
        Err(form::Refused::Unreadable) => Err(unreadable()),
        Err(form::Refused::Texts(problems, values)) => {
            let mut typed = shown;
            for (field, value) in values {
                typed.set(field, value);
            }
            Ok(PageSaved::Refused {
                version,
                shown: typed,
                problems,
            })
        }
    }
}

fn not_this_inspection() -> AppError {
    AppError::BadRequest(
        "Sidan hör inte till den här granskningens frågeformulär. Öppna sidan igen från granskningen.".into(),
    )
}

/// Saves a questionnaire page: the fields its person changed are merged into the
/// stored draft; a field changed meanwhile by someone else to another text keeps both.
/// A choice between two texts is made in the same transaction. `shown` is the draft of
/// version `base`, which the page showed.
fn save_draft(
    tx: &Transaction,
    id: i64,
    who: &str,
    posted: form::Posted,
    base: &drafts::Version,
    shown: &Draft,
) -> Result<DraftSaved, AppError> {
    let latest = drafts::latest(tx, id)?;
    let stored = if latest.id == base.id {
        shown.clone()
    } else {
        draft_of(&latest)?
    };
    let (choice, based_on) = (posted.choice, posted.version);
    let (mut merged, conflicts) = draft::merge(&stored, posted.changes(shown));
    let mut kind = drafts::Kind::Form;
    if let Some(choice) = choice {
        let (conflict, theirs) = match choice {
            Choice::Theirs(c) => (c, true),
            Choice::Stored(c) => (c, false),
        };
        let Some(open) = drafts::open_one(tx, id, conflict)? else {
            return Err(AppError::BadRequest(
                "Texterna är redan valda mellan, av dig eller en annan granskare. Ladda om sidan."
                    .into(),
            ));
        };
        drafts::resolve(tx, id, conflict, who)?;
        if theirs {
            merged.set(open.field, open.theirs);
        }
        kind = drafts::Kind::Choice;
    }
    let identity = |d: &Draft| {
        (
            d.text(&draft::Field::Name).to_string(),
            d.text(&draft::Field::Date).to_string(),
        )
    };
    let command = Command::NewQuestionnaire {
        identity_changed: identity(&stored) != identity(&merged),
    };
    let state = change(tx, id, who, &command, "sparade frågeformuläret")?;
    if merged == stored && conflicts.is_empty() {
        return Ok(DraftSaved {
            version: latest.id,
            draft: merged,
            current: based_on == latest.id,
            conflicts: 0,
            written: None,
        });
    }
    let written = yaml::write::draft(Catalog::embedded(), &merged);
    if state.received.is_some() {
        plan_still_fits(tx, id, &written.text)?;
    }
    let version = drafts::add(tx, id, kind, Some(based_on), &written.text, &merged, who)?;
    for conflict in &conflicts {
        drafts::add_conflict(tx, id, version, conflict)?;
    }
    Ok(DraftSaved {
        version,
        draft: merged,
        current: based_on == latest.id,
        conflicts: conflicts.len(),
        written: Some(written),
    })
}

/// The entries of the accepted plan: the actions followed up.
fn followed_up(held: &Held) -> Vec<String> {
    held.submitted_plan
        .as_ref()
        .map(|p| super::views::entries(&p.text).into_keys().collect())
        .unwrap_or_default()
}

/// The unit's report, dated `today`, on the action for `indicator`.
pub fn report_progress(
    tx: &Transaction,
    id: i64,
    indicator: &str,
    status: plan::Progress,
    text: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let held = held::load(tx, id)?;
    change(
        tx,
        id,
        UNIT,
        &Command::ReportProgress,
        "rapporterade hur en åtgärd går",
    )?;
    if !followed_up(&held).iter().any(|i| i == indicator) {
        return Err(AppError::NotFound);
    }
    let report = plan::Report {
        date: today,
        status,
        text: text.to_string(),
    };
    follow_ups::report(tx, id, indicator, &report)?;
    mail::tell_inspectors(tx, id, &Submission::Report(indicator.to_string()))
}

/// The inspectors' answer on the action for `indicator`: confirmed as carried out
/// (closing the inspection when it is the last), or more asked with `reason`.
pub fn answer_follow_up(
    tx: &Transaction,
    id: i64,
    who: &str,
    indicator: &str,
    more: Option<&str>,
    today: NaiveDate,
) -> Result<(), AppError> {
    let held = held::load(tx, id)?;
    let items = followed_up(&held);
    if !items.iter().any(|i| i == indicator) {
        return Err(AppError::NotFound);
    }
    let (command, answer) = match more {
        Some(reason) => (
            Command::AskForMore {
                reason: reason.to_string(),
            },
            follow_ups::Answer::More(reason.trim().to_string()),
        ),
        None => {
            let latest_done = held
                .reports
                .iter()
                .rev()
                .find(|(i, _)| i == indicator)
                .is_some_and(|(_, r)| r.status == plan::Progress::Done);
            let confirmed = held.confirmed();
            let rest_confirmed = items
                .iter()
                .filter(|i| *i != indicator)
                .all(|i| confirmed.iter().any(|c| c.indicator == *i));
            (
                Command::Confirm {
                    latest_done,
                    rest_confirmed,
                },
                follow_ups::Answer::Confirmed(today),
            )
        }
    };
    change(tx, id, who, &command, "svarade på en uppföljning")?;
    follow_ups::answer(tx, id, indicator, &answer, today, who)?;
    if let follow_ups::Answer::More(reason) = answer {
        mail::tell_unit(tx, id, &Turn::MoreAsked(indicator.to_string(), reason))?;
    }
    Ok(())
}
