//! The workflow's actions, each tried from every stage it may and may not run in.

use super::*;

#[test]
fn an_imported_plan_starts_where_its_files_say_it_is() {
    use PlanStatus::*;
    assert_eq!(imported(0, false, 0, 7), (Stage::Plan, Submitted));
    assert_eq!(imported(1, false, 0, 7), (Stage::Plan, Returned));
    // A rejection outweighs a follow-up the files should not have had.
    assert_eq!(imported(1, true, 2, 7), (Stage::Plan, Returned));
    assert_eq!(imported(0, true, 0, 7), (Stage::FollowUp, Accepted));
    assert_eq!(imported(0, true, 6, 7), (Stage::FollowUp, Accepted));
    assert_eq!(imported(0, true, 7, 7), (Stage::Closed, Accepted));
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn establish(anything_required: bool) -> Command {
    Command::Establish {
        anything_required,
        fact_check: Readiness::Done,
    }
}

/// A report sent to the unit's fact-check.
fn at_fact_check() -> State {
    apply(&State::new(), &Command::SendForFactCheck).unwrap()
}

fn at_plan() -> State {
    apply(&at_fact_check(), &establish(true)).unwrap()
}

fn saved(state: &State, version: i64) -> State {
    apply(
        state,
        &Command::SavePlan {
            based_on: state.plan_version,
            saved_as: version,
        },
    )
    .unwrap()
}

fn submitted(state: &State, version: i64) -> State {
    apply(
        state,
        &Command::SubmitPlan {
            based_on: state.plan_version,
            saved_as: version,
            today: day("2025-05-02"),
        },
    )
    .unwrap()
}

#[test]
fn stored_names_read_back_and_are_distinct() {
    for s in Stage::ALL {
        assert_eq!(Stage::from_key(s.key()), Some(s));
    }
    for s in PlanStatus::ALL {
        assert_eq!(PlanStatus::from_key(s.key()), Some(s));
    }
    assert_eq!(Stage::from_key("Draft"), None);
    assert_eq!(PlanStatus::from_key(""), None);
}

#[test]
fn establishing_starts_the_plan_or_closes_when_nothing_is_required() {
    assert_eq!(at_plan().stage, Stage::Plan);
    let closed = apply(&at_fact_check(), &establish(false)).unwrap();
    assert_eq!(closed.stage, Stage::Closed);
    assert_eq!(
        apply(&closed, &establish(true)),
        Err(Refusal::WrongStage(Stage::Closed))
    );
}

#[test]
fn the_report_is_established_only_after_the_units_fact_check() {
    let draft = State::new();
    let not_sent = Command::Establish {
        anything_required: true,
        fact_check: Readiness::NotSent,
    };
    assert_eq!(apply(&draft, &not_sent), Err(Refusal::FactCheckFirst));
    let sent = at_fact_check();
    assert_eq!(sent.stage, Stage::FactCheck);
    assert_eq!(
        apply(&sent, &Command::SendForFactCheck),
        Err(Refusal::WrongStage(Stage::FactCheck))
    );
    let due = day("2025-03-24");
    let waiting = Command::Establish {
        anything_required: true,
        fact_check: Readiness::Waiting { due },
    };
    assert_eq!(apply(&sent, &waiting), Err(Refusal::FactCheckOpen(due)));
    let unanswered = Command::Establish {
        anything_required: true,
        fact_check: Readiness::Unanswered(2),
    };
    assert_eq!(
        apply(&sent, &unanswered),
        Err(Refusal::CommentsUnanswered(2))
    );
    // The inspectors may still correct the questionnaire while the unit reads it.
    let new = Command::NewQuestionnaire {
        identity_changed: false,
    };
    assert!(apply(&sent, &new).is_ok());
}

#[test]
fn the_unit_comments_until_it_submits_and_the_inspectors_answer_after() {
    let sent = at_fact_check();
    let open = Command::FactCheckByUnit { submitted: false };
    assert_eq!(apply(&sent, &open), Ok(sent.clone()));
    assert_eq!(
        apply(&sent, &Command::FactCheckByUnit { submitted: true }),
        Err(Refusal::FactCheckSubmitted)
    );
    assert_eq!(
        apply(&State::new(), &open),
        Err(Refusal::WrongStage(Stage::Draft))
    );
    assert_eq!(
        apply(&sent, &Command::AnswerComment { submitted: false }),
        Err(Refusal::FactCheckNotSubmitted)
    );
    assert!(apply(&sent, &Command::AnswerComment { submitted: true }).is_ok());
    assert_eq!(
        apply(&at_plan(), &Command::AnswerComment { submitted: true }),
        Err(Refusal::WrongStage(Stage::Plan))
    );
}

#[test]
fn the_follow_up_closes_when_the_last_done_action_is_confirmed() {
    let plan = submitted(&saved(&at_plan(), 1), 1);
    let following = apply(
        &plan,
        &Command::Review {
            plan_version: 1,
            all_accepted: true,
        },
    )
    .unwrap();
    assert_eq!(following.stage, Stage::FollowUp);
    assert!(apply(&following, &Command::ReportProgress).is_ok());
    assert_eq!(
        apply(&plan, &Command::ReportProgress),
        Err(Refusal::WrongStage(Stage::Plan))
    );
    let confirm = |latest_done, rest_confirmed| Command::Confirm {
        latest_done,
        rest_confirmed,
    };
    assert_eq!(
        apply(&following, &confirm(false, true)),
        Err(Refusal::NotDone)
    );
    assert_eq!(
        apply(&following, &confirm(true, false)).unwrap().stage,
        Stage::FollowUp
    );
    let closed = apply(&following, &confirm(true, true)).unwrap();
    assert_eq!(closed.stage, Stage::Closed);
    assert_eq!(
        apply(&closed, &Command::ReportProgress),
        Err(Refusal::WrongStage(Stage::Closed))
    );
    let more = |reason: &str| Command::AskForMore {
        reason: reason.into(),
    };
    assert_eq!(apply(&following, &more(" ")), Err(Refusal::NoReason));
    assert_eq!(
        apply(&following, &more("Visa checklistan.")),
        Ok(following.clone())
    );
}

#[test]
fn a_report_opened_again_is_established_again_without_a_new_fact_check() {
    let reopened = apply(
        &at_plan(),
        &Command::ReopenReport {
            reason: "Fel i D6.".into(),
        },
    )
    .unwrap();
    assert_eq!(reopened.stage, Stage::Draft);
    assert_eq!(
        apply(&reopened, &establish(true)).unwrap().stage,
        Stage::Plan
    );
}

#[test]
fn the_unit_saves_only_at_the_plan_stage_and_only_from_the_latest_version() {
    let save = |based_on| Command::SavePlan {
        based_on,
        saved_as: 9,
    };
    assert_eq!(
        apply(&State::new(), &save(None)),
        Err(Refusal::WrongStage(Stage::Draft))
    );
    let one = saved(&at_plan(), 1);
    assert_eq!(apply(&one, &save(None)), Err(Refusal::Stale));
    assert_eq!(plan_editable(&one, None), Err(Refusal::Stale));
    assert!(apply(&one, &save(Some(1))).is_ok());
    let sent = submitted(&one, 2);
    assert_eq!(sent.plan, PlanStatus::Submitted);
    assert_eq!(sent.received, Some(day("2025-05-02")));
    assert_eq!(apply(&sent, &save(Some(2))), Err(Refusal::PlanLocked));
}

#[test]
fn a_save_makes_its_version_the_plans_and_a_submission_the_reviewed_one() {
    let one = saved(&at_plan(), 1);
    assert_eq!((one.plan_version, one.submitted), (Some(1), None));
    let sent = submitted(&one, 2);
    assert_eq!((sent.plan_version, sent.submitted), (Some(2), Some(2)));
    let returned = apply(
        &sent,
        &Command::Review {
            plan_version: 2,
            all_accepted: false,
        },
    )
    .unwrap();
    // A save after a return is the plan's version; the reviewed one stays until the
    // next submission.
    let three = saved(&returned, 3);
    assert_eq!((three.plan_version, three.submitted), (Some(3), Some(2)));
}

#[test]
fn a_review_binds_to_the_version_it_showed_and_the_stage() {
    let sent = submitted(&saved(&at_plan(), 1), 2);
    let review = |state: &State, version, all_accepted| {
        apply(
            state,
            &Command::Review {
                plan_version: version,
                all_accepted,
            },
        )
    };
    assert_eq!(review(&sent, 1, true), Err(Refusal::ReviewOfOldPlan));
    let returned = review(&sent, 2, false).unwrap();
    assert_eq!(returned.plan, PlanStatus::Returned);
    assert_eq!(returned.stage, Stage::Plan);
    // A plan already back with the unit has nothing to be given back.
    assert_eq!(
        apply(
            &returned,
            &Command::ReopenPlan {
                reason: "Fel datum".into()
            }
        ),
        Err(Refusal::WrongStage(Stage::Plan))
    );
    // A second, conflicting review of the same version finds nothing to review.
    assert_eq!(review(&returned, 2, true), Err(Refusal::NothingSubmitted));
    // The unit resubmits version 3 with changed text: a form made from 2 is refused.
    let again = submitted(&saved(&returned, 3), 4);
    assert_eq!(again.received, Some(day("2025-05-02")));
    assert_eq!(review(&again, 2, true), Err(Refusal::ReviewOfOldPlan));
    let accepted = review(&again, 4, true).unwrap();
    assert_eq!(
        (accepted.stage, accepted.plan),
        (Stage::FollowUp, PlanStatus::Accepted)
    );
    // Reopened, the plan is not reviewable until submitted again.
    let reopened = apply(
        &again,
        &Command::ReopenPlan {
            reason: "Fel datum".into(),
        },
    )
    .unwrap();
    assert_eq!(review(&reopened, 4, true), Err(Refusal::NothingSubmitted));
    assert_eq!(
        apply(&again, &Command::ReopenPlan { reason: " ".into() }),
        Err(Refusal::NoReason)
    );
}

#[test]
fn an_established_report_changes_only_after_reopening_and_keeps_its_identity() {
    let plan = saved(&at_plan(), 1);
    let new = |identity_changed| Command::NewQuestionnaire { identity_changed };
    assert_eq!(apply(&plan, &new(false)), Err(Refusal::Established));
    let reopened = apply(
        &plan,
        &Command::ReopenReport {
            reason: "Fel i D6".into(),
        },
    )
    .unwrap();
    assert_eq!(reopened.stage, Stage::Draft);
    assert!(apply(&reopened, &new(false)).is_ok());
    assert_eq!(
        apply(&reopened, &new(true)),
        Err(Refusal::IdentityAfterPlan)
    );
    assert!(apply(&State::new(), &new(true)).is_ok());
    assert_eq!(
        apply(&State::new(), &Command::ReopenReport { reason: "x".into() }),
        Err(Refusal::WrongStage(Stage::Draft))
    );
}

#[test]
fn a_link_lasts_a_month_past_the_deadline_and_at_least_a_week() {
    let today = day("2026-11-30");
    assert_eq!(
        link_valid_until(today, Some(day("2026-12-31"))),
        day("2027-01-30")
    );
    assert_eq!(
        link_valid_until(today, Some(day("2026-01-01"))),
        day("2026-12-07")
    );
    assert_eq!(link_valid_until(today, None), day("2026-12-30"));
    assert_eq!(default_plan_due(day("2025-02-12")), day("2025-04-09"));
}

#[test]
fn whose_turn_is_right_at_every_stage_and_sub_stage() {
    let at = |stage: Stage, plan: PlanStatus| State {
        stage,
        plan,
        ..State::new()
    };
    let none = Waiting::default();
    let sent_in = Waiting {
        fact_check_submitted: true,
        ..none
    };
    let reports = |n| Waiting {
        reports_to_answer: n,
        ..none
    };
    let open = PlanStatus::Open;
    let cases = [
        (
            at(Stage::Draft, open),
            none,
            "Väntar på granskarna: skriva klart",
        ),
        (
            at(Stage::FactCheck, open),
            none,
            "Väntar på enheten: faktagranska",
        ),
        (
            at(Stage::FactCheck, open),
            sent_in,
            "Väntar på granskarna: svara på enhetens synpunkter",
        ),
        (
            at(Stage::Established, open),
            none,
            "Väntar på granskarna: fastställa",
        ),
        (at(Stage::Plan, open), none, "Väntar på enheten: fylla i"),
        (
            at(Stage::Plan, PlanStatus::Submitted),
            none,
            "Väntar på granskarna: granska handlingsplanen",
        ),
        (
            at(Stage::Plan, PlanStatus::Returned),
            none,
            "Väntar på enheten: rätta de åtgärder",
        ),
        (
            at(Stage::FollowUp, PlanStatus::Accepted),
            none,
            "Väntar på enheten: genomföra åtgärderna",
        ),
        (
            at(Stage::FollowUp, PlanStatus::Accepted),
            reports(1),
            "Väntar på granskarna: bekräfta eller be om mer, en rapport från enheten.",
        ),
        (
            at(Stage::FollowUp, PlanStatus::Accepted),
            reports(3),
            "3 rapporter från enheten",
        ),
        (
            at(Stage::Closed, PlanStatus::Accepted),
            none,
            "Avslutad: varje åtgärd är bekräftad",
        ),
    ];
    for (state, waiting, says) in cases {
        let turn = whose_turn(&state, &waiting);
        assert!(turn.contains(says), "{state:?} {waiting:?}: {turn}");
    }
}
