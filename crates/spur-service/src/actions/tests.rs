//! The actions against a real SQLite database in memory: each one transaction that
//! happens whole or is refused with nothing changed.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::*;
use crate::db::accounts::{self, Account};
use crate::db::{self, inspections, plans};
use crate::error::AppError;
use crate::held;
use crate::mail::Named;
use spur_core::catalog::Catalog;
use spur_core::diagnostic::Source;
use spur_core::inspection::Inspection;
use spur_core::{fonts, inspection};
use spur_cycle::plan_form::Entries;
use spur_cycle::workflow::{Command, PlanStatus, Refusal, Stage};

const BOO: &str = include_str!("../../../../fixtures/boo-vardcentral.yaml");

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Boo's questionnaire as the service keeps it: without its plan.
fn boo_text() -> String {
    let catalog = Catalog::embedded();
    let source = Source::new("boo.yaml", BOO.to_string());
    let (mut q, _) = inspection::questionnaire(catalog, &source, &fonts::can_show).unwrap();
    q.action_plan = None;
    spur_cycle::draft::file::questionnaire(catalog, &q)
}

/// Boo as the service grades it from [`boo_text`].
fn graded_boo() -> Inspection {
    let source = Source::new("boo.yaml", boo_text());
    let read = inspection::questionnaire(Catalog::embedded(), &source, &fonts::can_show).unwrap();
    inspection::assess(Catalog::embedded(), read, None, &fonts::can_show).unwrap()
}

/// What Boo's e-mails name.
fn boo() -> Named {
    Named::of(1, Some(&graded_boo()))
}

fn anna(c: &Connection) -> Account {
    accounts::add(c, "anna@example.se", "Anna Lindqvist", "", false)
        .unwrap()
        .unwrap()
}

/// Boo, established: the unit's plan is due.
fn established(c: &mut Connection) -> (i64, Account) {
    let tx = c.transaction().unwrap();
    let anna = anna(&tx);
    let id = start_from_file(&tx, &anna, &boo_text()).unwrap();
    send_for_fact_check(&tx, id, &anna.email, day("2025-03-01"), 14, &graded_boo()).unwrap();
    fact_check_by_unit(&tx, id, &boo(), &ByUnit::Submit).unwrap();
    let command = Command::Establish {
        anything_required: true,
        fact_check: db::fact_checks::readiness(&tx, id, day("2025-03-02")).unwrap(),
    };
    change(&tx, id, &anna.email, &command, "fastställde rapporten").unwrap();
    tx.commit().unwrap();
    (id, anna)
}

/// What a unit typed: one action for E1, `action`.
fn typed(action: &str) -> Entries {
    let fields = [
        ("action", action),
        ("deadline", "2025-09-01"),
        ("responsible", "Studierektor"),
        ("follow_up", "2025-10-01"),
        ("follow_up_responsible", "Verksamhetschef"),
    ];
    let fields = fields.map(|(f, v)| (f.to_string(), v.to_string()));
    Entries::from([("E1".to_string(), fields.into_iter().collect())])
}

fn prepared(action: &str) -> Prepared {
    Prepared {
        entries: typed(action),
        file: None,
    }
}

#[test]
fn a_refused_change_stores_nothing_and_says_why() {
    let mut c = db::in_memory();
    let tx = c.transaction().unwrap();
    let anna = anna(&tx);
    let id = start_from_file(&tx, &anna, &boo_text()).unwrap();
    let before = inspections::state(&tx, id).unwrap();
    let command = Command::ReopenReport {
        reason: "Fel i område D".into(),
    };
    let refused = change(&tx, id, &anna.email, &command, "öppnade rapporten igen");
    assert!(
        matches!(
            refused,
            Err(AppError::Refused(Refusal::WrongStage(Stage::Draft)))
        ),
        "{refused:?}"
    );
    assert_eq!(inspections::state(&tx, id).unwrap(), before);
    assert!(inspections::changes(&tx, id).unwrap().is_empty());
}

#[test]
fn a_plan_save_becomes_the_plans_version_through_the_workflow() {
    let mut c = db::in_memory();
    let (id, _) = established(&mut c);
    let tx = c.transaction().unwrap();
    assert_eq!(inspections::state(&tx, id).unwrap().stage, Stage::Plan);
    let kept = save_plan(&tx, id, prepared("first"), None, day("2025-04-01"), &boo()).unwrap();
    assert!(matches!(kept, Saved::Kept { submitted: false }));
    let state = inspections::state(&tx, id).unwrap();
    let first = state.plan_version.expect("the save is the plan's version");
    // What was typed is kept as typed; no plan file is written before a submission.
    let kept = plans::get(&tx, first).unwrap().unwrap();
    assert_eq!((kept.entries, kept.text), (Some(typed("first")), None));
    let held = held::load(&tx, id).unwrap();
    assert_eq!(held.latest_entries["E1"]["action"], "first");
    assert_eq!((state.plan, state.submitted), (PlanStatus::Open, None));
}

#[test]
fn a_save_from_an_older_version_is_kept_beside_the_newer_one() {
    let mut c = db::in_memory();
    let (id, _) = established(&mut c);
    let tx = c.transaction().unwrap();
    save_plan(&tx, id, prepared("first"), None, day("2025-04-01"), &boo()).unwrap();
    let first = inspections::state(&tx, id).unwrap().plan_version;
    save_plan(
        &tx,
        id,
        prepared("second"),
        first,
        day("2025-04-02"),
        &boo(),
    )
    .unwrap();
    let second = inspections::state(&tx, id).unwrap().plan_version;
    // A page opened before "second" was saved saves from "first".
    let stale = save_plan(&tx, id, prepared("third"), first, day("2025-04-03"), &boo()).unwrap();
    // The page comes back with the newer save, to be typed over.
    let Saved::Stale(current) = stale else {
        panic!("a save from an older version was not refused as stale");
    };
    assert_eq!(current["E1"]["action"], "second");
    assert_eq!(inspections::state(&tx, id).unwrap().plan_version, second);
    let kinds: Vec<&str> = plans::history(&tx, id)
        .unwrap()
        .iter()
        .map(|h| h.what)
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
}

#[test]
fn a_plan_save_outside_the_plan_stage_is_refused_and_not_kept() {
    let mut c = db::in_memory();
    let tx = c.transaction().unwrap();
    let anna = anna(&tx);
    let id = start_from_file(&tx, &anna, &boo_text()).unwrap();
    let refused = save_plan(&tx, id, prepared("early"), None, day("2025-04-01"), &boo());
    assert!(
        matches!(
            refused,
            Err(AppError::Refused(Refusal::WrongStage(Stage::Draft)))
        ),
        "{:?}",
        refused.err()
    );
    assert!(plans::history(&tx, id).unwrap().is_empty());
}

#[test]
fn a_stored_plan_that_cannot_be_read_is_an_error_not_an_empty_form() {
    let mut c = db::in_memory();
    let (id, _) = established(&mut c);
    let tx = c.transaction().unwrap();
    save_plan(&tx, id, prepared("first"), None, day("2025-04-01"), &boo()).unwrap();
    let version = inspections::state(&tx, id).unwrap().plan_version;
    tx.execute(
        "UPDATE plan_saves SET entries = '{\"E1\": ' WHERE id = ?1",
        [version],
    )
    .unwrap();
    let loaded = held::load(&tx, id);
    assert!(
        matches!(&loaded, Err(db::DbError::Unreadable(why)) if why.contains("handlingsplanen")),
        "{:?}",
        loaded.map(|h| h.latest_entries)
    );
}

#[test]
fn a_new_version_checked_before_another_came_is_refused_and_not_kept() {
    let mut c = db::in_memory();
    let tx = c.transaction().unwrap();
    let anna = anna(&tx);
    let id = start_from_file(&tx, &anna, &boo_text()).unwrap();
    let second = boo_text().replace("Boo Vårdcentral", "Boo vårdcentral");
    let third = boo_text().replace("Boo Vårdcentral", "Boo VC");
    let late = prepare_new_version(&tx, id, third).unwrap();
    let first_come = prepare_new_version(&tx, id, second.clone()).unwrap();
    new_version(&tx, id, &anna.email, &first_come).unwrap();
    let refused = new_version(&tx, id, &anna.email, &late);
    assert!(
        matches!(refused, Err(AppError::Refused(Refusal::UploadOvertaken))),
        "{refused:?}"
    );
    assert_eq!(inspections::questionnaire(&tx, id).unwrap(), second);
}

#[test]
fn a_deactivated_account_loses_its_mail_feed_and_password_link_for_good() {
    use crate::db::{calendars, outbox};
    let mut c = db::in_memory();
    let (id, anna) = established(&mut c);
    let tx = c.transaction().unwrap();
    let per = add_account(&tx, "per@example.se", "Per Ekström", false, &anna.email)
        .unwrap()
        .unwrap();
    let named = crate::mail::Named::of(id, None);
    assert!(add_member(&tx, id, &anna, "per@example.se", &named).unwrap());
    set_feed(&tx, per.id, &per.email, "feed-hash").unwrap();
    password_link(
        &tx,
        &per,
        &LinkBy::Shown("link-hash".into()),
        72,
        &anna.email,
    )
    .unwrap();
    set_active(&tx, &per, false, &anna.email).unwrap();
    set_active(&tx, &per, true, &anna.email).unwrap();
    // Back, but without what the deactivation ended.
    assert!(calendars::feed_account(&tx, "feed-hash").unwrap().is_none());
    assert!(accounts::password_link(&tx, "link-hash").unwrap().is_none());
    set_active(&tx, &per, false, &anna.email).unwrap();
    save_plan(&tx, id, prepared("first"), None, day("2025-04-01"), &boo()).unwrap();
    let submitted = Prepared {
        entries: typed("first"),
        file: Some("unit: Boo".into()),
    };
    let version = inspections::state(&tx, id).unwrap().plan_version;
    save_plan(&tx, id, submitted, version, day("2025-04-02"), &boo()).unwrap();
    let told: Vec<String> = outbox::of_inspection(&tx, id)
        .unwrap()
        .iter()
        .filter(|m| {
            m.letter
                .subject
                .contains("har skickat in sin handlingsplan")
        })
        .map(|m| m.recipient.clone())
        .collect();
    assert_eq!(
        told,
        ["anna@example.se"],
        "a deactivated member is told nothing"
    );
}
