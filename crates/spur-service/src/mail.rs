//! E-mail (SPEC §8.7), the shell around `spur_cycle::notice`: the cycle's events write their
//! e-mails to the outbox in their own transaction ([`tell_unit`], [`tell_inspectors`],
//! [`remind`]), and one sender thread hands them to the SMTP server ([`start_sender`]).

mod sender;

pub use sender::{Smtp, start_sender};

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction};

use super::db::accounts::Account;
use super::db::outbox::{self, NewMail};
use super::db::{Db, DbError, contacts, fact_checks, follow_ups, inspections};
use super::error::AppError;
use super::held::{self, Held};
use spur_core::inspection::Inspection;
use spur_cycle::notice::{self, Addressed, Due, Letter, Submission, Turn, When};
use spur_cycle::workflow::{self, PlanStatus, Stage};

/// What an event's e-mails name: the unit, and the day its plan is due. Made from the
/// graded inspection, which an action's caller has from its cache before the write:
/// the e-mails of an event are written in its transaction, and nothing is graded there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The unit's name, or the inspection's number while its questionnaire cannot be
    /// read.
    pub unit: String,
    /// The day the plan is due, if set.
    pub plan_due: Option<NaiveDate>,
}

impl Named {
    /// Inspection `id`'s names, from its grading when it has one.
    pub fn of(id: i64, graded: Option<&Inspection>) -> Named {
        match graded {
            Some(i) => Named {
                unit: i.questionnaire.unit.name.clone(),
                plan_due: i.questionnaire.inspection.plan_due,
            },
            None => Named {
                unit: format!("granskning {id}"),
                plan_due: None,
            },
        }
    }
}

/// What an inspection's e-mails are made from.
struct About {
    /// What the service holds.
    held: Held,
    /// What its e-mails name.
    named: Named,
}

impl About {
    /// Inspection `id`, with its grading when its files can be read, graded here: for
    /// the reminders, which run on a reader of their own, never inside an event's
    /// transaction.
    fn graded(c: &Connection, id: i64) -> Result<(About, Option<Inspection>), AppError> {
        let held = held::load(c, id)?;
        let graded = held.assess().ok();
        let named = Named::of(id, graded.as_ref());
        Ok((About { held, named }, graded))
    }

    /// Inspection `id`, named by the caller.
    fn named(c: &Connection, id: i64, named: &Named) -> Result<About, AppError> {
        Ok(About {
            held: held::load(c, id)?,
            named: named.clone(),
        })
    }

    fn unit(&self) -> &str {
        &self.named.unit
    }

    fn plan_due(&self) -> Option<NaiveDate> {
        self.named.plan_due
    }
}

/// A key that no other event of inspection `id` has: the events so far, counted.
fn next_event(tx: &Transaction, id: i64, what: &str) -> Result<String, AppError> {
    let seen: i64 = tx
        .query_row(
            "SELECT COUNT(DISTINCT event) FROM outbox WHERE inspection_id = ?1",
            [id],
            |r| r.get(0),
        )
        .map_err(DbError::from)?;
    Ok(format!("{id}:{}:{what}", seen + 1))
}

/// Writes the letter `write` makes to each of the unit's contacts as `event`, greeting
/// each by name and signed by the inspection's inspectors.
fn to_contacts(
    tx: &Transaction,
    id: i64,
    event: &str,
    write: impl Fn(&Addressed) -> Letter,
) -> Result<(), AppError> {
    let inspectors: Vec<String> = inspections::active_members(tx, id)?
        .into_iter()
        .map(|m| m.name)
        .collect();
    for contact in contacts::of(tx, id)? {
        let letter = write(&Addressed {
            to: &contact.name,
            from: &inspectors,
        });
        outbox::add(
            tx,
            &NewMail {
                inspection: Some(id),
                event,
                recipient: &contact.email,
                letter: &letter,
                link_hours: None,
            },
        )?;
    }
    Ok(())
}

/// Writes the letter `write` makes to each of the inspection's inspectors as `event`,
/// greeting each by name.
fn to_inspectors(
    tx: &Transaction,
    id: i64,
    event: &str,
    write: impl Fn(&Addressed) -> Letter,
) -> Result<(), AppError> {
    for member in inspections::active_members(tx, id)? {
        let letter = write(&Addressed {
            to: &member.name,
            from: &[],
        });
        outbox::add(
            tx,
            &NewMail {
                inspection: Some(id),
                event,
                recipient: &member.email,
                letter: &letter,
                link_hours: None,
            },
        )?;
    }
    Ok(())
}

/// The date the unit is asked by at `turn`.
fn due_of(tx: &Transaction, about: &About, turn: &Turn) -> Result<Option<NaiveDate>, AppError> {
    Ok(match turn {
        Turn::FactCheck => fact_checks::sent(tx, about.held.id)?.map(|s| s.due),
        Turn::Plan | Turn::Returned(_) | Turn::GivenBack(_) => about.plan_due(),
        Turn::FollowUp | Turn::MoreAsked(..) | Turn::Closed(_) => None,
    })
}

/// Tells the unit's contacts that it is their turn, in the transaction of the change.
pub fn tell_unit(tx: &Transaction, id: i64, named: &Named, turn: &Turn) -> Result<(), AppError> {
    tell_unit_about(tx, &About::named(tx, id, named)?, turn)
}

/// [`tell_unit`] of an inspection already loaded.
fn tell_unit_about(tx: &Transaction, about: &About, turn: &Turn) -> Result<(), AppError> {
    let id = about.held.id;
    let due = due_of(tx, about, turn)?;
    let event = next_event(tx, id, "turn")?;
    to_contacts(tx, id, &event, |to| {
        notice::to_unit(about.unit(), turn, due, to)
    })
}

/// Tells the unit's contacts of the turn a change from `old` to `new` began, if any;
/// a return carries the inspectors' reasons.
pub fn after_change(
    tx: &Transaction,
    id: i64,
    named: &Named,
    old: &workflow::State,
    new: &workflow::State,
) -> Result<(), AppError> {
    match notice::turn(old, new) {
        Some(Turn::Returned(_)) => {
            let about = About::named(tx, id, named)?;
            let reasons = about
                .held
                .rejections()
                .into_iter()
                .map(|r| (r.indicator, r.reason))
                .collect();
            tell_unit_about(tx, &about, &Turn::Returned(reasons))
        }
        Some(turn) => tell_unit(tx, id, named, &turn),
        None => Ok(()),
    }
}

/// Tells the inspectors that the unit submitted `what`.
pub fn tell_inspectors(
    tx: &Transaction,
    id: i64,
    named: &Named,
    what: &Submission,
) -> Result<(), AppError> {
    let event = next_event(tx, id, "submitted")?;
    to_inspectors(tx, id, &event, |to| {
        notice::submitted(&named.unit, what, to)
    })
}

/// Tells `added`, just made a member of inspection `id` by `by` (a name), that they
/// were.
pub fn tell_member(
    tx: &Transaction,
    id: i64,
    named: &Named,
    added: &Account,
    by: &str,
) -> Result<(), AppError> {
    let letter = notice::member_added(
        &named.unit,
        by,
        &Addressed {
            to: &added.name,
            from: &[],
        },
    );
    let event = next_event(tx, id, "member")?;
    outbox::add(
        tx,
        &NewMail {
            inspection: Some(id),
            event: &event,
            recipient: &added.email,
            letter: &letter,
            link_hours: None,
        },
    )?;
    Ok(())
}

/// Writes an e-mail to `account` with a password link valid `hours`, made when it is
/// sent, as `event`; false if that event gave the account an e-mail already.
pub fn password_link(
    tx: &Transaction,
    account: &Account,
    hours: i64,
    event: &str,
) -> Result<bool, AppError> {
    let letter = notice::password_link(&account.name, hours);
    Ok(outbox::add(
        tx,
        &NewMail {
            inspection: None,
            event,
            recipient: &account.email,
            letter: &letter,
            link_hours: Some(hours),
        },
    )?)
}

/// The unit's dates still to be met at the inspection's stage.
fn dues(tx: &Connection, about: &About, graded: Option<&Inspection>) -> Result<Vec<Due>, AppError> {
    let held = &about.held;
    let due = |key: String, date: NaiveDate, what: String| Due { key, date, what };
    let mut dues = Vec::new();
    match (held.state.stage, held.state.plan) {
        (Stage::FactCheck, _) => {
            if let Some(sent) = fact_checks::sent(tx, held.id)?
                && sent.submitted.is_none()
            {
                dues.push(due(
                    "fact-check".into(),
                    sent.due,
                    "lämna synpunkter på den preliminära rapporten".into(),
                ));
            }
        }
        (Stage::Plan, PlanStatus::Open | PlanStatus::Returned) => {
            if let Some(date) = about.plan_due() {
                dues.push(due(
                    "plan-due".into(),
                    date,
                    "skicka in handlingsplanen".into(),
                ));
            }
        }
        (Stage::FollowUp, _) => {
            let answers = follow_ups::answers(tx, held.id)?;
            let confirmed = |ind: &str| {
                answers
                    .iter()
                    .any(|(i, a)| i == ind && matches!(a, follow_ups::Answer::Confirmed(_)))
            };
            let plan = graded.and_then(|i| i.plan.as_ref());
            for item in plan.map(|p| p.items.as_slice()).unwrap_or_default() {
                // Reported done, the action waits for the inspectors, not the unit.
                let reported_done = item
                    .reports
                    .last()
                    .is_some_and(|r| r.status == spur_core::plan::Progress::Done);
                if confirmed(&item.indicator) || reported_done {
                    continue;
                }
                dues.push(due(
                    format!("deadline-{}", item.indicator),
                    item.deadline,
                    format!("genomföra åtgärden för {}", item.indicator),
                ));
                dues.push(due(
                    format!("follow-up-{}", item.indicator),
                    item.follow_up,
                    format!("rapportera vad som gjorts för {}", item.indicator),
                ));
            }
        }
        _ => {}
    }
    Ok(dues)
}

/// The day the unit's contacts were last told of a task at their turn, if ever.
fn told(tx: &Connection, id: i64) -> Result<Option<NaiveDate>, AppError> {
    let last: Option<String> = tx
        .query_row(
            "SELECT MAX(created) FROM outbox WHERE inspection_id = ?1 AND event LIKE '%:turn'",
            [id],
            |r| r.get(0),
        )
        .map_err(DbError::from)?;
    Ok(last.and_then(|at| at.get(..10)?.parse().ok()))
}

/// A reminder found due, to be written.
struct Reminder {
    /// The inspection.
    id: i64,
    /// Its state when the reminder was found: one written after a change is stale.
    state: workflow::State,
    /// The event: the inspection, the date, its kind and whether before or after.
    event: String,
    /// The unit's name.
    unit: String,
    /// Before the date, or after it passed (then the inspectors are told too).
    when: When,
    /// The date.
    due: Due,
}

/// The reminders due on `today` for every inspection at the unit's turn, found on a
/// reader's connection: the inspections are graded here, not while holding the writer.
fn due_reminders(c: &Connection, today: NaiveDate) -> Result<Vec<Reminder>, AppError> {
    let ids: Vec<i64> = {
        let mut statement = c
            .prepare("SELECT id FROM inspections WHERE stage IN (?1, ?2, ?3) ORDER BY id")
            .map_err(DbError::from)?;
        let turns = [Stage::FactCheck, Stage::Plan, Stage::FollowUp].map(Stage::key);
        let rows = statement
            .query_map(turns, |r| r.get(0))
            .map_err(DbError::from)?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(DbError::from)?
    };
    let mut found = Vec::new();
    for id in ids {
        let (about, graded) = About::graded(c, id)?;
        let dues = dues(c, &about, graded.as_ref())?;
        let unit = about.unit();
        for (when, due) in notice::reminders(today, &dues, told(c, id)?) {
            found.push(Reminder {
                id,
                state: about.held.state.clone(),
                event: format!("{id}:reminder:{}:{}:{}", due.key, due.date, when.key()),
                unit: unit.to_string(),
                when,
                due: due.clone(),
            });
        }
    }
    Ok(found)
}

/// Writes the reminders due on `today` for every inspection at the unit's turn: each
/// to the unit's contacts, and a passed date also to the inspectors. A reminder's event
/// names its inspection, date and kind, so it is written once however often this runs;
/// one whose inspection changed since it was found is left to the next run. Returns
/// how many reminders were due.
pub fn remind(db: &Db, today: NaiveDate) -> Result<usize, AppError> {
    let found = db.read_now(|c| due_reminders(c, today))?;
    db.write_now(|tx| {
        for reminder in &found {
            if inspections::state(tx, reminder.id)? != reminder.state {
                continue;
            }
            let (unit, due) = (&reminder.unit, &reminder.due);
            to_contacts(tx, reminder.id, &reminder.event, |to| {
                notice::reminder_to_unit(unit, reminder.when, due, to)
            })?;
            if reminder.when == When::Passed {
                let event = format!("{}:inspectors", reminder.event);
                to_inspectors(tx, reminder.id, &event, |to| {
                    notice::passed_to_inspectors(unit, due, to)
                })?;
            }
        }
        Ok::<_, AppError>(())
    })?;
    Ok(found.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{self, ByUnit};
    use crate::db::{self, accounts};
    use spur_core::catalog::Catalog;
    use spur_core::diagnostic::Source;

    const BOO: &str = include_str!("../../../fixtures/boo-vardcentral.yaml");

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn contact(name: &str, email: &str) -> contacts::Contact {
        contacts::Contact {
            id: 0,
            name: name.into(),
            role: "studierektor".into(),
            email: email.into(),
        }
    }

    #[test]
    fn each_event_tells_each_party_once_in_its_transaction() {
        let mut c = db::in_memory();
        let tx = c.transaction().unwrap();
        let anna = accounts::add(&tx, "anna@example.se", "Anna Lindqvist", "", false)
            .unwrap()
            .unwrap();
        let catalog = Catalog::embedded();
        let source = Source::new("boo.yaml", BOO.to_string());
        let (mut q, _) = spur_core::inspection::questionnaire(catalog, &source, &|_| true).unwrap();
        q.action_plan = None;
        let text = spur_cycle::draft::file::questionnaire(catalog, &q);
        let id = actions::start_from_file(&tx, &anna, &text).unwrap();
        let read =
            spur_core::inspection::questionnaire(catalog, &Source::new("q.yaml", text), &|_| true)
                .unwrap();
        let graded = spur_core::inspection::assess(catalog, read, None, &|_| true).unwrap();
        for (name, email) in [
            ("Eva", "eva@boo.example.se"),
            ("Olle", "olle@boo.example.se"),
        ] {
            contacts::add(&tx, id, &contact(name, email), &anna.email).unwrap();
        }
        actions::send_for_fact_check(&tx, id, &anna.email, day("2025-03-01"), 14, &graded).unwrap();
        let named = Named::of(id, Some(&graded));
        actions::fact_check_by_unit(&tx, id, &named, &ByUnit::Submit).unwrap();
        let mails = outbox::of_inspection(&tx, id).unwrap();
        let mut to: Vec<(&str, &str)> = mails
            .iter()
            .map(|m| (m.recipient.as_str(), m.letter.subject.as_str()))
            .collect();
        to.sort();
        assert_eq!(
            to,
            [
                (
                    "anna@example.se",
                    "Boo Vårdcentral har faktagranskat rapporten"
                ),
                (
                    "eva@boo.example.se",
                    "Preliminär rapport att faktagranska: Boo Vårdcentral"
                ),
                (
                    "olle@boo.example.se",
                    "Preliminär rapport att faktagranska: Boo Vårdcentral"
                ),
            ],
            "{mails:#?}"
        );
        // The unit's e-mails carry their link's place, never a link made here.
        assert!(
            mails.iter().all(|m| !m.letter.text("").contains("/u/")),
            "{mails:#?}"
        );
    }
}
