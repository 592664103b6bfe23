//! The cycle of an inspection (SPEC §8.3) as plain data: the stage it is at, the state
//! of the unit's plan, and each action as a function from the state and a command to
//! the next state or a refusal that says why, in Swedish. No HTTP, no SQL: the service
//! loads the state, asks [`apply`], and stores what it answers in one transaction.

use chrono::NaiveDate;
use thiserror::Error;

use crate::fact_check::Readiness;

/// Where an inspection is in its cycle (SPEC §8.3), in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The inspectors draft the questionnaire.
    Draft,
    /// The unit fact-checks the preliminary report.
    FactCheck,
    /// The inspectors establish the report.
    Established,
    /// The unit writes its action plan; the inspectors review it.
    Plan,
    /// The unit reports on each accepted action; the inspectors confirm.
    FollowUp,
    /// Nothing more to do.
    Closed,
}

impl Stage {
    /// Every stage, in the cycle's order.
    pub const ALL: [Stage; 6] = [
        Stage::Draft,
        Stage::FactCheck,
        Stage::Established,
        Stage::Plan,
        Stage::FollowUp,
        Stage::Closed,
    ];

    /// The name stored in the database (and checked there by a `CHECK`).
    pub fn key(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::FactCheck => "fact_check",
            Stage::Established => "established",
            Stage::Plan => "plan",
            Stage::FollowUp => "follow_up",
            Stage::Closed => "closed",
        }
    }

    /// The stage stored as `key`.
    pub fn from_key(key: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The stage as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Utkast",
            Stage::FactCheck => "Faktagranskning",
            Stage::Established => "Fastställd",
            Stage::Plan => "Handlingsplan",
            Stage::FollowUp => "Uppföljning",
            Stage::Closed => "Avslutad",
        }
    }
}

/// The state of the unit's action plan while the inspection is at [`Stage::Plan`] or
/// later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    /// The unit may edit it (nothing saved yet, or saves not yet submitted).
    Open,
    /// Submitted: the inspectors are to review it; the unit cannot change it.
    Submitted,
    /// Reviewed with at least one rejection: back with the unit.
    Returned,
    /// Every entry accepted.
    Accepted,
}

impl PlanStatus {
    /// Every status.
    pub const ALL: [PlanStatus; 4] = [
        PlanStatus::Open,
        PlanStatus::Submitted,
        PlanStatus::Returned,
        PlanStatus::Accepted,
    ];

    /// The name stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            PlanStatus::Open => "open",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Returned => "returned",
            PlanStatus::Accepted => "accepted",
        }
    }

    /// The status stored as `key`.
    pub fn from_key(key: &str) -> Option<PlanStatus> {
        PlanStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether the unit may change the plan.
    pub fn editable(self) -> bool {
        matches!(self, PlanStatus::Open | PlanStatus::Returned)
    }
}

/// What the service holds about an inspection's place in the cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The stage.
    pub stage: Stage,
    /// The plan's status.
    pub plan: PlanStatus,
    /// The latest kept save of the plan (its row id), if any.
    pub plan_version: Option<i64>,
    /// The plan save last submitted, the one the inspectors review.
    pub submitted: Option<i64>,
    /// The day the plan first came in.
    pub received: Option<NaiveDate>,
}

impl State {
    /// A new inspection: a draft with no plan.
    pub fn new() -> State {
        State {
            stage: Stage::Draft,
            plan: PlanStatus::Open,
            plan_version: None,
            submitted: None,
            received: None,
        }
    }
}

/// What, beside the stage, tells whose turn it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waiting {
    /// Whether the unit has sent in its fact-check.
    pub fact_check_submitted: bool,
    /// Actions whose latest report from the unit came after the inspectors' last answer
    /// on it.
    pub reports_to_answer: usize,
}

/// Whose turn it is at `state`, and to do what, as one sentence (SPEC §8.13): right at
/// every stage and sub-stage, for the list, the inspection's page and the unit's.
pub fn whose_turn(state: &State, waiting: &Waiting) -> String {
    let inspectors = |what: &str| format!("Väntar på granskarna: {what}.");
    let unit = |what: &str| format!("Väntar på enheten: {what}.");
    match (state.stage, state.plan) {
        (Stage::Draft, _) => {
            inspectors("skriva klart rapporten och skicka den till faktagranskning")
        }
        (Stage::FactCheck, _) if waiting.fact_check_submitted => {
            inspectors("svara på enhetens synpunkter och fastställa rapporten")
        }
        (Stage::FactCheck, _) => unit("faktagranska den preliminära rapporten"),
        (Stage::Established, _) => inspectors("fastställa rapporten"),
        (Stage::Plan, PlanStatus::Submitted) => inspectors("granska handlingsplanen"),
        (Stage::Plan, PlanStatus::Returned) => {
            unit("rätta de åtgärder som inte godkändes och skicka in planen igen")
        }
        (Stage::Plan, _) => unit("fylla i och skicka in handlingsplanen"),
        (Stage::FollowUp, _) if waiting.reports_to_answer > 0 => {
            let n = waiting.reports_to_answer;
            let reports = if n == 1 {
                "en rapport".to_string()
            } else {
                format!("{n} rapporter")
            };
            inspectors(&format!("bekräfta eller be om mer, {reports} från enheten"))
        }
        (Stage::FollowUp, _) => unit("genomföra åtgärderna och rapportera dem"),
        (Stage::Closed, _) => "Avslutad: varje åtgärd är bekräftad, inget återstår.".into(),
    }
}

impl Default for State {
    fn default() -> State {
        State::new()
    }
}

/// One action on an inspection, with what the rules need to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The inspectors keep a new version of the questionnaire.
    NewQuestionnaire {
        /// Whether it names another unit or inspection date than the stored one.
        identity_changed: bool,
    },
    /// The inspectors send the preliminary report to the unit for its fact-check.
    SendForFactCheck,
    /// The unit adds a comment to the preliminary report, or submits its fact-check.
    FactCheckByUnit {
        /// Whether the unit has submitted its fact-check already.
        submitted: bool,
    },
    /// The inspectors answer one of the unit's comments.
    AnswerComment {
        /// Whether the unit has submitted its fact-check.
        submitted: bool,
    },
    /// The inspectors establish the report.
    Establish {
        /// Whether the report requires any action of the unit.
        anything_required: bool,
        /// Where the unit's fact-check stands.
        fact_check: Readiness,
    },
    /// The inspectors open an established report for changes again.
    ReopenReport {
        /// Why; kept with the change.
        reason: String,
    },
    /// The unit keeps its plan as typed.
    SavePlan {
        /// The save the form was made from.
        based_on: Option<i64>,
        /// The save this one is kept as: the plan's version from now on.
        saved_as: i64,
    },
    /// The unit submits its plan, valid and complete.
    SubmitPlan {
        /// The save the form was made from.
        based_on: Option<i64>,
        /// The save this one is kept as: the plan's version, and the one reviewed.
        saved_as: i64,
        /// Today, the received date if it is the first submission.
        today: NaiveDate,
    },
    /// The inspectors decide on every entry of the submitted plan.
    Review {
        /// The plan save the review form showed.
        plan_version: i64,
        /// Whether every entry was accepted.
        all_accepted: bool,
    },
    /// The unit reports how far an accepted action has come.
    ReportProgress,
    /// The inspectors confirm an action as carried out.
    Confirm {
        /// Whether the unit's latest report on it says `done`.
        latest_done: bool,
        /// Whether every other accepted action is confirmed already.
        rest_confirmed: bool,
    },
    /// The inspectors ask the unit for more on an action.
    AskForMore {
        /// Why; shown to the unit.
        reason: String,
    },
    /// The inspectors give the plan back to the unit without a review.
    ReopenPlan {
        /// Why; kept with the change.
        reason: String,
    },
}

impl Command {
    /// The reason given with the action, kept with the change; empty for actions that
    /// take none.
    pub fn reason(&self) -> &str {
        match self {
            Command::ReopenReport { reason }
            | Command::ReopenPlan { reason }
            | Command::AskForMore { reason } => reason.trim(),
            _ => "",
        }
    }
}

/// Why an action was refused. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    /// The action does not belong to the inspection's stage.
    #[error("Det går inte nu: granskningen är i steget ”{}”.", .0.label())]
    WrongStage(Stage),
    /// The report is established; changing it needs "Öppna igen".
    #[error(
        "Rapporten är fastställd. Välj ”Öppna igen” och ange varför innan frågeformuläret ändras."
    )]
    Established,
    /// The new questionnaire names another unit or date than the plan that came in.
    #[error(
        "Frågeformuläret byter enhetens namn eller granskningsdagen, men enheten har redan skickat in en handlingsplan som anger dem. Behåll namnet och datumet."
    )]
    IdentityAfterPlan,
    /// The plan is with the inspectors, or accepted.
    #[error(
        "Handlingsplanen är inskickad och kan inte ändras förrän granskarna lämnar tillbaka den."
    )]
    PlanLocked,
    /// The form was made from an older save than the stored one.
    #[error(
        "Planen har sparats av någon annan sedan sidan öppnades, så den här versionen sparades inte över den. Båda finns kvar."
    )]
    Stale,
    /// The questionnaire or the plan changed while a new version was being checked.
    #[error(
        "Frågeformuläret eller handlingsplanen ändrades medan den nya versionen kontrollerades, så den sparades inte. Ladda upp den igen."
    )]
    UploadOvertaken,
    /// There is no submitted plan to review.
    #[error("Enheten har inte skickat in någon handlingsplan att granska.")]
    NothingSubmitted,
    /// The unit changed the plan after the review form was made.
    #[error(
        "Enheten har ändrat handlingsplanen sedan sidan öppnades. Granskningen sparades inte: läs den nya versionen och granska den."
    )]
    ReviewOfOldPlan,
    /// A reason is needed.
    #[error("Ange varför.")]
    NoReason,
    /// The report goes to the unit's fact-check before it is established.
    #[error(
        "Rapporten skickas först till enheten för faktagranskning. Välj ”Skicka till faktagranskning”."
    )]
    FactCheckFirst,
    /// The unit's fact-check is still open.
    #[error(
        "Enheten faktagranskar rapporten till och med {0}. Rapporten kan fastställas när enheten skickat in sina synpunkter eller datumet passerat."
    )]
    FactCheckOpen(NaiveDate),
    /// Comments of the unit are left without an answer.
    #[error(
        "{0} av enhetens synpunkter saknar svar. Svara på varje synpunkt innan rapporten fastställs."
    )]
    CommentsUnanswered(usize),
    /// The unit has submitted its fact-check; it cannot be changed.
    #[error("Synpunkterna är redan inskickade och kan inte ändras.")]
    FactCheckSubmitted,
    /// An action is confirmed only on the unit's report that it is done.
    #[error(
        "Åtgärden kan bekräftas först när enheten rapporterat den som genomförd. Be om mer om något saknas."
    )]
    NotDone,
    /// The questionnaire changed while the report was being established.
    #[error(
        "Frågeformuläret ändrades medan rapporten fastställdes, så den fastställdes inte. Läs igenom ändringen och fastställ igen."
    )]
    ChangedMeanwhile,
    /// The unit has not submitted its fact-check yet.
    #[error("Enheten har inte skickat in sina synpunkter än.")]
    FactCheckNotSubmitted,
    /// The new questionnaire does not fit the plan the unit submitted (the plan's
    /// check says why).
    #[error(
        "Den nya versionen stämmer inte med handlingsplanen som enheten skickat in, så den sparades inte: {0}"
    )]
    PlanMismatch(String),
}

/// The state after `command`, or why it is refused.
pub fn apply(state: &State, command: &Command) -> Result<State, Refusal> {
    let mut next = state.clone();
    match command {
        Command::NewQuestionnaire { identity_changed } => {
            if state.stage >= Stage::Established {
                return Err(Refusal::Established);
            }
            if *identity_changed && state.plan_version.is_some() {
                return Err(Refusal::IdentityAfterPlan);
            }
        }
        Command::SendForFactCheck => {
            if state.stage != Stage::Draft {
                return Err(Refusal::WrongStage(state.stage));
            }
            next.stage = Stage::FactCheck;
        }
        Command::FactCheckByUnit { submitted } => {
            if state.stage != Stage::FactCheck {
                return Err(Refusal::WrongStage(state.stage));
            }
            if *submitted {
                return Err(Refusal::FactCheckSubmitted);
            }
        }
        Command::AnswerComment { submitted } => {
            if state.stage != Stage::FactCheck {
                return Err(Refusal::WrongStage(state.stage));
            }
            if !submitted {
                return Err(Refusal::FactCheckNotSubmitted);
            }
        }
        Command::Establish {
            anything_required,
            fact_check,
        } => {
            // A report opened again after it was established has had its fact-check.
            if !matches!(
                state.stage,
                Stage::Draft | Stage::FactCheck | Stage::Established
            ) {
                return Err(Refusal::WrongStage(state.stage));
            }
            match fact_check {
                Readiness::NotSent => return Err(Refusal::FactCheckFirst),
                Readiness::Waiting { due } => return Err(Refusal::FactCheckOpen(*due)),
                Readiness::Unanswered(n) => return Err(Refusal::CommentsUnanswered(*n)),
                Readiness::Done => {}
            }
            next.stage = match (anything_required, state.plan) {
                (false, _) => Stage::Closed,
                (true, PlanStatus::Accepted) => Stage::FollowUp,
                (true, _) => Stage::Plan,
            };
        }
        Command::ReopenReport { reason } => {
            if reason.trim().is_empty() {
                return Err(Refusal::NoReason);
            }
            // Avslutad is read-only (SPEC §8.3): nothing is reopened once every action
            // is confirmed.
            if state.stage < Stage::Established || state.stage == Stage::Closed {
                return Err(Refusal::WrongStage(state.stage));
            }
            next.stage = Stage::Draft;
        }
        Command::SavePlan { based_on, saved_as } => {
            plan_editable(state, *based_on)?;
            next.plan_version = Some(*saved_as);
        }
        Command::SubmitPlan {
            based_on,
            saved_as,
            today,
        } => {
            plan_editable(state, *based_on)?;
            next.plan = PlanStatus::Submitted;
            next.plan_version = Some(*saved_as);
            next.submitted = Some(*saved_as);
            next.received = state.received.or(Some(*today));
        }
        Command::Review {
            plan_version,
            all_accepted,
        } => {
            if state.stage != Stage::Plan {
                return Err(Refusal::WrongStage(state.stage));
            }
            if state.plan != PlanStatus::Submitted {
                return Err(Refusal::NothingSubmitted);
            }
            if state.submitted != Some(*plan_version) || state.plan_version != Some(*plan_version) {
                return Err(Refusal::ReviewOfOldPlan);
            }
            if *all_accepted {
                next.plan = PlanStatus::Accepted;
                next.stage = Stage::FollowUp;
            } else {
                next.plan = PlanStatus::Returned;
            }
        }
        Command::ReportProgress => {
            if state.stage != Stage::FollowUp {
                return Err(Refusal::WrongStage(state.stage));
            }
        }
        Command::Confirm {
            latest_done,
            rest_confirmed,
        } => {
            if state.stage != Stage::FollowUp {
                return Err(Refusal::WrongStage(state.stage));
            }
            if !latest_done {
                return Err(Refusal::NotDone);
            }
            if *rest_confirmed {
                next.stage = Stage::Closed;
            }
        }
        Command::AskForMore { reason } => {
            if reason.trim().is_empty() {
                return Err(Refusal::NoReason);
            }
            if state.stage != Stage::FollowUp {
                return Err(Refusal::WrongStage(state.stage));
            }
        }
        Command::ReopenPlan { reason } => {
            if reason.trim().is_empty() {
                return Err(Refusal::NoReason);
            }
            // A plan the unit may already edit has nothing to be given back.
            if !matches!(state.stage, Stage::Plan | Stage::FollowUp) || state.plan.editable() {
                return Err(Refusal::WrongStage(state.stage));
            }
            next.stage = Stage::Plan;
            next.plan = PlanStatus::Open;
        }
    }
    Ok(next)
}

/// Whether the unit may save a plan made from `based_on` now: asked before the save is
/// stored, since a save refused as stale is kept too (SPEC §8.8), beside the newer one.
pub fn plan_editable(state: &State, based_on: Option<i64>) -> Result<(), Refusal> {
    if state.stage != Stage::Plan {
        return Err(Refusal::WrongStage(state.stage));
    }
    if !state.plan.editable() {
        return Err(Refusal::PlanLocked);
    }
    if based_on != state.plan_version {
        return Err(Refusal::Stale);
    }
    Ok(())
}

/// The last day a new unit link is valid (SPEC §8.2): 30 days after the unit's current
/// deadline, and never less than 7 days after it was made.
pub fn link_valid_until(today: NaiveDate, deadline: Option<NaiveDate>) -> NaiveDate {
    let earliest = today + chrono::Duration::days(7);
    deadline
        .map(|d| d + chrono::Duration::days(30))
        .unwrap_or(today + chrono::Duration::days(30))
        .max(earliest)
}

/// Where an inspection begun outside the service stands when its questionnaire comes
/// with `action_plan` and the plan beside it (SPEC §8.3): a plan with rejections is back
/// with the unit; one followed up (a report or a confirmation) was accepted, and is
/// closed once every one of its `items` is confirmed; any other waits for the
/// inspectors' review. The files record rejections, not acceptance, so a plan is taken
/// as accepted only where the follow-up shows it was.
pub fn imported(
    rejected: usize,
    followed_up: bool,
    confirmed: usize,
    items: usize,
) -> (Stage, PlanStatus) {
    if rejected > 0 {
        (Stage::Plan, PlanStatus::Returned)
    } else if followed_up && confirmed >= items {
        (Stage::Closed, PlanStatus::Accepted)
    } else if followed_up {
        (Stage::FollowUp, PlanStatus::Accepted)
    } else {
        (Stage::Plan, PlanStatus::Submitted)
    }
}

/// When the plan is due if the questionnaire does not say: eight weeks after `from`.
pub fn default_plan_due(from: NaiveDate) -> NaiveDate {
    from + chrono::Duration::weeks(8)
}

#[cfg(test)]
mod tests;
