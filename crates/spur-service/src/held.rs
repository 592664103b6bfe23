//! An inspection as the service holds it — the latest questionnaire, its place in the
//! cycle, the plan's saves and the inspectors' decisions — turned, by the same core as
//! the command line, into the graded inspection, the report and the exchange files of
//! SPEC §3 and §5 (written by the typed writer, never cut from text).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::db::plans::{self, Save};
use super::db::{self, follow_ups, inspections};
use spur_core::catalog::Catalog;
use spur_core::diagnostic::{Diagnostic, Source};
use spur_core::fonts;
use spur_core::inspection::{self, Inspection};
use spur_core::plan;
use spur_core::questionnaire::{Confirmation, PlanReference, Rejection};
use spur_cycle::plan_form::{self, Entries};
use spur_cycle::review::{Decision, Verdict};
use spur_cycle::workflow::{PlanStatus, Stage, State};
use spur_report::{Marking, Report};

/// The name the exported plan goes by, which the exported questionnaire names.
pub const PLAN_FILE: &str = "plan.yaml";
/// The name the exported questionnaire goes by.
pub const QUESTIONNAIRE_FILE: &str = "questionnaire.yaml";

/// Everything stored about one inspection that a page, a report or an export needs.
#[derive(Debug, Clone)]
pub struct Held {
    /// The inspection's id.
    pub id: i64,
    /// The latest questionnaire's text, as uploaded or written.
    pub questionnaire: String,
    /// Where it stands.
    pub state: State,
    /// The latest kept save of the plan: what the unit's form shows.
    pub latest_plan: Option<Save>,
    /// What [`Held::latest_plan`] holds, field by field, as the unit's form shows it.
    pub latest_entries: Entries,
    /// The plan last submitted: what the inspectors review and the report prints.
    pub submitted_plan: Option<Submitted>,
    /// What [`Held::submitted_plan`] holds, field by field.
    pub submitted_entries: Entries,
    /// The latest decision on each entry.
    pub decisions: Vec<Decision>,
    /// The unit's follow-up reports, oldest first, by indicator.
    pub reports: Vec<(String, plan::Report)>,
    /// The inspectors' latest answer on each action in the follow-up.
    pub answers: Vec<(String, follow_ups::Answer)>,
}

/// Loads inspection `id`.
pub fn load(c: &Connection, id: i64) -> db::Result<Held> {
    let state = inspections::state(c, id)?;
    let questionnaire = inspections::questionnaire(c, id)?;
    let latest_plan = state.plan_version.map(|v| save(c, v)).transpose()?;
    let submitted = state.submitted.map(|v| save(c, v)).transpose()?;
    Ok(Held {
        id,
        questionnaire,
        state,
        latest_entries: latest_plan
            .as_ref()
            .map_or_else(|| Ok(Entries::new()), entries_of)?,
        latest_plan,
        submitted_entries: submitted
            .as_ref()
            .map_or_else(|| Ok(Entries::new()), entries_of)?,
        submitted_plan: submitted.map(Submitted::of).transpose()?,
        decisions: plans::decisions(c, id)?,
        reports: follow_ups::reports(c, id)?,
        answers: follow_ups::answers(c, id)?,
    })
}

impl Held {
    /// Whether the report is final: the plan accepted (or nothing asked of the unit).
    pub fn is_final(&self) -> bool {
        matches!(self.state.stage, Stage::FollowUp | Stage::Closed)
    }

    /// The graded inspection: the questionnaire, with the submitted plan and the
    /// inspectors' rejections once a plan has come in — what the report and every
    /// page show.
    pub fn assess(&self) -> Result<Inspection, Vec<Diagnostic>> {
        let catalog = Catalog::embedded();
        let source = Source::new(QUESTIONNAIRE_FILE, self.questionnaire.clone());
        let (mut questionnaire, grading) =
            inspection::questionnaire(catalog, &source, &fonts::can_show)?;
        let (Some(received), Some(plan)) = (self.state.received, &self.submitted_plan) else {
            // The service holds the plan itself: an `action_plan` in an uploaded file
            // counts only through what it was taken into.
            questionnaire.action_plan = None;
            return inspection::assess(catalog, (questionnaire, grading), None, &fonts::can_show);
        };
        questionnaire.action_plan = Some(PlanReference {
            file: PLAN_FILE.into(),
            received,
            rejected: self.rejections(),
            confirmed: Vec::new(),
        });
        let plan = Source::new(PLAN_FILE, plan.text.clone());
        let mut assessed = inspection::assess(
            catalog,
            (questionnaire, grading),
            Some(&plan),
            &fonts::can_show,
        )?;
        // The follow-up, kept beside the plan, goes into the files as SPEC §5 has it.
        if let Some(plan) = assessed.plan.as_mut() {
            for item in &mut plan.items {
                item.reports = self
                    .reports
                    .iter()
                    .filter(|(i, _)| *i == item.indicator)
                    .map(|(_, r)| r.clone())
                    .collect();
            }
        }
        if let Some(reference) = assessed.questionnaire.action_plan.as_mut() {
            reference.confirmed = self.confirmed();
        }
        Ok(assessed)
    }

    /// The actions confirmed as carried out, with the day.
    pub fn confirmed(&self) -> Vec<Confirmation> {
        self.answers
            .iter()
            .filter_map(|(indicator, answer)| match answer {
                follow_ups::Answer::Confirmed(date) => Some(Confirmation {
                    indicator: indicator.clone(),
                    date: *date,
                }),
                follow_ups::Answer::More(_) => None,
            })
            .collect()
    }

    /// The rejections in force: those of the latest decisions, unless the plan was
    /// accepted since.
    /// The entries the inspectors did not accept, with their reasons, until the plan
    /// is accepted.
    pub fn rejections(&self) -> Vec<Rejection> {
        if self.state.plan == PlanStatus::Accepted {
            return Vec::new();
        }
        self.decisions
            .iter()
            .filter(|d| d.verdict == Verdict::Reject)
            .map(|d| Rejection {
                indicator: d.indicator.clone(),
                reason: d.reason.clone(),
            })
            .collect()
    }

    /// The SHA-256 of everything the graded inspection and the report are made from:
    /// the key under which both are cached.
    pub fn fingerprint(&self) -> [u8; 32] {
        let mut hash = Sha256::new();
        let mut part = |bytes: &[u8]| {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        };
        part(self.questionnaire.as_bytes());
        part(&[u8::from(self.is_final())]);
        part(self.marking().word().unwrap_or("").as_bytes());
        if let (Some(received), Some(plan)) = (self.state.received, &self.submitted_plan) {
            part(received.to_string().as_bytes());
            part(plan.text.as_bytes());
            for r in self.rejections() {
                part(r.indicator.as_bytes());
                part(r.reason.as_bytes());
            }
            for (indicator, r) in &self.reports {
                part(indicator.as_bytes());
                part(r.date.to_string().as_bytes());
                part(r.status.key().as_bytes());
                part(r.text.as_bytes());
            }
            for c in self.confirmed() {
                part(c.indicator.as_bytes());
                part(c.date.to_string().as_bytes());
            }
        }
        hash.finalize().into()
    }

    /// What the report is marked as: UTKAST while it is written, PRELIMINÄR while the
    /// unit fact-checks it, nothing once established.
    pub fn marking(&self) -> Marking {
        match self.state.stage {
            Stage::Draft => Marking::Draft,
            Stage::FactCheck => Marking::Preliminary,
            _ => Marking::Final,
        }
    }

    /// The report model of `inspection` (this inspection, graded), marked as
    /// [`Held::marking`] says.
    pub fn report(&self, inspection: &Inspection) -> Report {
        spur_report::build(Catalog::embedded(), inspection, self.marking())
    }

    /// The submitted plan's file, once a plan has come in.
    pub fn plan_file(&self) -> Option<&str> {
        self.state.received?;
        self.submitted_plan.as_ref().map(|p| p.text.as_str())
    }
}

/// The questionnaire file as exported: the graded questionnaire in spur's own layout,
/// naming the plan once one has come in.
pub fn questionnaire_file(inspection: &Inspection) -> String {
    spur_cycle::draft::file::questionnaire(Catalog::embedded(), &inspection.questionnaire)
}

/// How many graded inspections are kept; beyond it the cache starts afresh.
const ASSESSED_KEPT: usize = 64;

/// Graded inspections by [`Held::fingerprint`]: every page of an inspection shows the
/// same grading, and a unit saving its plan asks for it often.
#[derive(Default)]
pub struct Assessed {
    by_key: Mutex<HashMap<[u8; 32], Arc<Inspection>>>,
}

impl Assessed {
    /// `held` graded, once per fingerprint.
    pub fn get(&self, held: &Held) -> Result<Arc<Inspection>, Vec<Diagnostic>> {
        let key = held.fingerprint();
        let lock = || self.by_key.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().get(&key) {
            return Ok(found.clone());
        }
        let graded = Arc::new(held.assess()?);
        let mut cache = lock();
        if cache.len() >= ASSESSED_KEPT {
            cache.clear();
        }
        cache.insert(key, graded.clone());
        Ok(graded)
    }
}

/// The last day of a unit link made `today`, from the unit's deadline at the
/// inspection's stage (see [`spur_cycle::workflow::link_valid_until`]).
pub fn link_valid_until(
    c: &Connection,
    id: i64,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, db::DbError> {
    let held = load(c, id)?;
    let graded = held.assess().ok();
    // The unit's current deadline is its stage's: the fact-check's last day, the plan's,
    // or the last day an action is followed up.
    let deadline = match held.state.stage {
        Stage::FactCheck => db::fact_checks::sent(c, id)?.map(|s| s.due),
        Stage::Established | Stage::Plan => {
            graded.and_then(|i| i.questionnaire.inspection.plan_due)
        }
        Stage::FollowUp => graded
            .as_ref()
            .and_then(|i| i.plan.as_ref())
            .and_then(|p| p.items.iter().map(|i| i.follow_up.max(i.deadline)).max()),
        Stage::Draft | Stage::Closed => None,
    };
    Ok(spur_cycle::workflow::link_valid_until(today, deadline))
}

/// The entries of a stored plan file, field by field; a file that cannot be read is an
/// error, never an empty plan.
pub fn entries(text: &str) -> db::Result<Entries> {
    plan_form::entries_of(&Source::new(PLAN_FILE, text.to_string()))
        .map_err(|why| db::DbError::Unreadable(format!("handlingsplanen: {why}")))
}

/// What `save` holds, field by field: as typed, or read from its file (a submission
/// or a save from before the form kept what was typed).
pub fn entries_of(save: &Save) -> db::Result<Entries> {
    match (&save.entries, &save.text) {
        (Some(entries), _) => Ok(entries.clone()),
        (None, Some(text)) => entries(text),
        (None, None) => Err(db::DbError::Unreadable(format!(
            "handlingsplanens version {} är tom",
            save.id
        ))),
    }
}

/// The plan as submitted: its file, which the inspectors review and the report prints.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// The save's id: the version a review form binds to.
    pub id: i64,
    /// The plan file.
    pub text: String,
}

impl Submitted {
    /// The submitted `save`, which always has its file.
    fn of(save: Save) -> db::Result<Submitted> {
        let text = save.text.ok_or_else(|| {
            db::DbError::Unreadable(format!(
                "den inskickade handlingsplanen (version {}) saknar sin fil",
                save.id
            ))
        })?;
        Ok(Submitted { id: save.id, text })
    }
}

/// Plan save `version`, which the inspection's state names: its absence is a fault.
fn save(c: &Connection, version: i64) -> db::Result<Save> {
    plans::get(c, version)?.ok_or_else(|| {
        db::DbError::Unreadable(format!("handlingsplanens version {version} saknas"))
    })
}
