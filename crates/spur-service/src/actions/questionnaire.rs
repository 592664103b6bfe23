//! The questionnaire's versions, uploaded or written page by page in the browser, each save merged into the stored draft.

use rusqlite::{Connection, Transaction};

use super::{change, not_this_inspection};
use crate::db::accounts::Account;
use crate::db::{drafts, inspections, log};
use crate::error::AppError;
use crate::held;
use spur_core::catalog::Catalog;
use spur_core::diagnostic::{self, Source};
use spur_core::{fonts, inspection};
use spur_cycle::draft::form::{self, Choice};
use spur_cycle::draft::{self, Draft};
use spur_cycle::workflow::{Command, Refusal};

/// The problems of an uploaded questionnaire as `spur check` prints them, or none.
pub fn check_upload(text: &str, name: &str) -> Option<String> {
    let source = Source::new(name.to_string(), text.to_string());
    match inspection::questionnaire(Catalog::embedded(), &source, &fonts::can_show) {
        Ok((q, _)) if q.action_plan.is_some() => Some(
            "Frågeformuläret innehåller redan en handlingsplan. Tjänsten lägger själv till handlingsplanen när enheten skickat in den: ta bort den delen ur filen och ladda upp igen.".into(),
        ),
        Ok(_) => None,
        Err(problems) => Some(diagnostic::render_all(&problems)),
    }
}

/// A new version of the questionnaire, checked outside the transaction: whether it
/// changes whose or which day's inspection it is, and that the plan already in still
/// checks against it. What it was checked against goes with it.
pub struct NewVersion {
    text: String,
    replaces: String,
    submitted: Option<i64>,
    identity_changed: bool,
}

/// Checks new version `text` of inspection `id`'s questionnaire, on a reader: grading
/// never runs inside the write.
pub fn prepare_new_version(c: &Connection, id: i64, text: String) -> Result<NewVersion, AppError> {
    let replaces = inspections::questionnaire(c, id)?;
    let identity = |text: &str| {
        let source = Source::new(held::QUESTIONNAIRE_FILE, text.to_string());
        inspection::questionnaire(Catalog::embedded(), &source, &fonts::can_show)
            .ok()
            .map(|(q, _)| (q.unit.name, q.inspection.date))
    };
    let identity_changed = identity(&replaces) != identity(&text);
    let submitted = inspections::state(c, id)?.submitted;
    plan_still_fits(c, id, &text)?;
    Ok(NewVersion {
        text,
        replaces,
        submitted,
        identity_changed,
    })
}

/// Keeps a new version of the questionnaire, checked, if the stage allows it and
/// nothing it was checked against changed meanwhile.
pub fn new_version(
    tx: &Transaction,
    id: i64,
    who: &str,
    prepared: &NewVersion,
) -> Result<(), AppError> {
    let unchanged = inspections::questionnaire(tx, id)? == prepared.replaces
        && inspections::state(tx, id)?.submitted == prepared.submitted;
    if !unchanged {
        return Err(Refusal::UploadOvertaken.into());
    }
    let command = Command::NewQuestionnaire {
        identity_changed: prepared.identity_changed,
    };
    change(
        tx,
        id,
        who,
        &command,
        "laddade upp en ny version av frågeformuläret",
    )?;
    inspections::add_questionnaire(tx, id, &prepared.text, who)?;
    Ok(())
}

/// Refuses a new questionnaire `text` that the plan already in no longer checks
/// against: every page and PDF of the inspection would fail on it.
fn plan_still_fits(c: &Connection, id: i64, text: &str) -> Result<(), AppError> {
    let mut next = held::load(c, id)?;
    next.questionnaire = text.to_string();
    match next.assess() {
        Ok(_) => Ok(()),
        Err(problems) => {
            let reasons: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
            Err(Refusal::PlanMismatch(reasons.join("; ")).into())
        }
    }
}

/// A version's draft: a form's as stored, an uploaded file's read from its text.
pub fn draft_of(version: &drafts::Version) -> Result<Draft, AppError> {
    let broken = |why: String| AppError::Internal(format!("version {}: {why}", version.id));
    match &version.draft {
        Some(json) => Draft::from_json(json).map_err(broken),
        None => {
            let source = Source::new(held::QUESTIONNAIRE_FILE, version.text.clone());
            spur_core::questionnaire::parse(&source, Catalog::embedded(), &fonts::can_show)
                .map(|q| Draft::from(&q))
                .map_err(|p| broken(diagnostic::render_all(&p)))
        }
    }
}

/// Starts an inspection from an uploaded questionnaire, already checked.
pub fn start_from_file(tx: &Transaction, account: &Account, text: &str) -> Result<i64, AppError> {
    let id = inspections::create(tx, account)?;
    inspections::add_questionnaire(tx, id, text, &account.email)?;
    log::record(tx, &account.email, "skapade granskningen", Some(id))?;
    Ok(id)
}

/// Starts an inspection from an empty questionnaire, to be written in the browser.
pub fn start_draft(tx: &Transaction, account: &Account) -> Result<i64, AppError> {
    let id = inspections::create(tx, account)?;
    let empty = Draft::new();
    let text = spur_cycle::draft::file::draft(Catalog::embedded(), &empty).text;
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
    pub written: Option<spur_cycle::draft::file::Written>,
    /// Why a choice between two texts sent with the save was not made.
    pub choice_refused: Option<&'static str>,
}

/// A choice refused because another inspector chose first.
const CHOSEN_ALREADY: &str = "Valet mellan texterna gjordes inte: du eller en annan granskare har redan valt. Det du ändrat i övrigt på sidan är sparat. Se efter vilken text fältet har nu.";

/// A choice refused because the field was saved again since the page was opened.
const CHOICE_STALE: &str = "Valet mellan texterna gjordes inte: fältet har sparats igen sedan sidan öppnades, så valet gällde texter som inte längre står där. Det du ändrat i övrigt på sidan är sparat. Välj igen bland texterna som visas nu.";

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
        problems: Vec<(draft::Field, spur_core::typed::TextProblem)>,
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
    let mut choice_refused = None;
    if let Some(choice) = choice {
        let (conflict, theirs) = match choice {
            Choice::Theirs(c) => (c, true),
            Choice::Stored(c) => (c, false),
        };
        // A choice is made on the pair the page showed: refused if someone chose first,
        // or if the field was saved again since, so that a newer text is never put
        // back by an older page. The page's other changes are kept either way.
        match drafts::open_one(tx, id, conflict)? {
            None => choice_refused = Some(CHOSEN_ALREADY),
            Some(open) if stored.get(&open.field) != shown.get(&open.field) => {
                choice_refused = Some(CHOICE_STALE);
            }
            Some(open) => {
                drafts::resolve(tx, id, conflict, who)?;
                if theirs {
                    merged.set(open.field, open.theirs);
                }
                kind = drafts::Kind::Choice;
            }
        }
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
            choice_refused,
        });
    }
    let written = spur_cycle::draft::file::draft(Catalog::embedded(), &merged);
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
        choice_refused,
    })
}
