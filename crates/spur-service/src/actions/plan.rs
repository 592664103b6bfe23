//! The unit's action plan: its saves and submission, the inspectors' review, and giving it back.

use chrono::NaiveDate;
use rusqlite::Transaction;

use super::{UNIT, change};
use crate::db::plans::{self, SaveKind};
use crate::db::{DbError, drafts, inspections, log, reports};
use crate::error::AppError;
use crate::held::{self, Held};
use crate::mail::{self, Named};
use spur_core::catalog::Catalog;
use spur_core::inspection::Inspection;
use spur_core::plan::file::PlanFile;
use spur_core::{fonts, plan};
use spur_cycle::notice::{Submission, Turn};
use spur_cycle::plan_form::{self, Entries, Problems};
use spur_cycle::review::{self, Posted, Problem};
use spur_cycle::workflow::{self, Command, PlanStatus, Refusal};

/// Gives the plan back to the unit without a review, for `reason`; its contacts are
/// told why.
pub fn give_plan_back(
    tx: &Transaction,
    id: i64,
    who: &str,
    named: &Named,
    reason: &str,
) -> Result<(), AppError> {
    let command = Command::ReopenPlan {
        reason: reason.to_string(),
    };
    change(tx, id, who, &command, "öppnade planen för enheten igen")?;
    mail::tell_unit(tx, id, named, &Turn::GivenBack(reason.trim().to_string()))
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
    named: &Named,
) -> Result<Reviewed, AppError> {
    let held = held::load(tx, id)?;
    // The review binds to the version its form showed.
    match &held.submitted_plan {
        Some(plan) if plan.id == plan_version => {}
        Some(_) => return Err(Refusal::ReviewOfOldPlan.into()),
        None => return Err(Refusal::NothingSubmitted.into()),
    }
    let entries: Vec<String> = held.submitted_entries.keys().cloned().collect();
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
    mail::after_change(tx, id, named, &held.state, &state)?;
    if state.plan == PlanStatus::Accepted {
        let pdf = final_pdf.ok_or_else(|| {
            AppError::Internal("den slutliga rapporten skapades inte före granskningen".into())
        })?;
        let version = drafts::latest(tx, id)?.id;
        reports::store(tx, id, reports::Kind::Final, version, pdf, who)?;
    }
    Ok(Reviewed::Done)
}

/// A plan save made ready outside the transaction: what the unit typed and, when it
/// submits a valid and complete plan, the plan file.
pub struct Prepared {
    /// What the unit typed, field by field, with accepted entries kept as accepted.
    pub entries: Entries,
    /// The plan file: written only for a submission, when the plan is valid and
    /// complete.
    pub file: Option<String>,
}

impl Prepared {
    /// Whether the save submits the plan.
    pub fn submits(&self) -> bool {
        self.file.is_some()
    }
}

/// The problems of what the unit typed (`held` graded as `inspection`), as `spur
/// plan-check` would find them in its file, at the form's fields; checked on the typed
/// values, with no file written or read.
pub fn plan_problems(held: &Held, inspection: &Inspection, entries: &Entries) -> Problems {
    checked(held, inspection, entries).1
}

/// What the unit typed with accepted entries kept, as a plan file, and its problems.
fn checked(
    held: &Held,
    inspection: &Inspection,
    entries: &Entries,
) -> (PlanFile, Problems, Entries) {
    let catalog = Catalog::embedded();
    let q = &inspection.questionnaire;
    let items = plan_form::items(catalog, q, &inspection.grading);
    let entries = kept_accepted(held, entries);
    let file = plan_form::plan_file(q, &items, &entries);
    let checked = plan::check_file(&file, catalog, q, &inspection.grading, &fonts::can_show);
    let mut all = checked.errors;
    all.extend(checked.missing);
    let problems = plan_form::problems(&file, &items, &all);
    (file, problems, entries)
}

/// Makes the unit's save ready: what it typed and, when `submit` is asked and the plan
/// is valid and complete, the plan file, which is written only then.
pub fn prepare_plan(
    held: &Held,
    inspection: &Inspection,
    entries: &Entries,
    submit: bool,
) -> Prepared {
    if !submit {
        return Prepared {
            entries: kept_accepted(held, entries),
            file: None,
        };
    }
    let (file, problems, entries) = checked(held, inspection, entries);
    Prepared {
        entries,
        file: problems.is_empty().then(|| plan::file::write(&file)),
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
    named: &Named,
) -> Result<Saved, AppError> {
    let state = inspections::state(tx, id)?;
    match workflow::plan_editable(&state, based_on) {
        Ok(()) => {}
        Err(Refusal::Stale) => {
            let kept = plans::Kept {
                entries: Some(&prepared.entries),
                text: None,
            };
            plans::insert(tx, id, &kept, based_on, SaveKind::Refused, UNIT)?;
            log::record(
                tx,
                UNIT,
                "sparade från en äldre version (båda finns kvar)",
                Some(id),
            )?;
            let current = match state.plan_version {
                Some(v) => held::entries_of(&plans::get(tx, v)?.ok_or(DbError::Missing)?)?,
                None => Entries::new(),
            };
            return Ok(Saved::Stale(current));
        }
        Err(refusal) => return Err(refusal.into()),
    }
    let submitted = prepared.submits();
    let kind = if submitted {
        SaveKind::Submitted
    } else {
        SaveKind::Saved
    };
    let kept = plans::Kept {
        entries: Some(&prepared.entries),
        text: prepared.file.as_deref(),
    };
    let saved_as = plans::insert(tx, id, &kept, based_on, kind, UNIT)?;
    let command = if submitted {
        Command::SubmitPlan {
            based_on,
            saved_as,
            today,
        }
    } else {
        Command::SavePlan { based_on, saved_as }
    };
    let new = workflow::apply(&state, &command)?;
    inspections::set_state(tx, id, &state, &new, UNIT, "")?;
    let what = if submitted {
        "skickade in handlingsplanen"
    } else {
        "sparade handlingsplanen"
    };
    log::record(tx, UNIT, what, Some(id))?;
    if submitted {
        mail::tell_inspectors(tx, id, named, &Submission::Plan)?;
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
    let submitted = &held.submitted_entries;
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
