//! The page models: what each page shows, built whole from what the service holds and
//! handed to its template, in the order chosen here.

pub mod accounts;
pub mod confirm;
pub mod confirmation;
pub mod editor;
pub mod fact_check;
pub mod follow_up;
pub mod mail;
pub mod plan;

use serde::Serialize;

use super::db::accounts::Account;
use super::db::fact_checks::{Comment, Sent};
use super::db::inspections::Change;
use super::db::log::Entry;
use super::db::plans::HistoryLine;
use super::held::Held;
use spur_core::catalog::Catalog;
use spur_core::grade_table::{self, Table};
use spur_core::inspection::Inspection;
use spur_core::questionnaire::Unit;
use spur_cycle::fact_check::Readiness;
use spur_cycle::plan_form::{self, Entries, FIELDS, Item};
use spur_cycle::review::{Posted, Verdict};
use spur_cycle::workflow::{self, Command, PlanStatus, Stage};

/// Who is logged in, and the CSRF token of their forms: every inspector's page has it.
#[derive(Debug, Clone, Serialize)]
pub struct Me {
    /// The account.
    pub me: Account,
    /// The session's CSRF token.
    pub csrf: String,
}

/// One row of the inspector's list.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow {
    /// The inspection's id.
    pub id: i64,
    /// The unit's name, or a note that the questionnaire has problems.
    pub unit: String,
    /// The day of the visit.
    pub date: String,
    /// The stage, as people read it.
    pub stage: &'static str,
    /// Whose turn it is.
    pub waiting_on: String,
}

/// The inspector's list of inspections, with the upload form.
#[derive(Debug, Clone, Serialize)]
pub struct ListPage {
    /// The inspector.
    #[serde(flatten)]
    pub me: Me,
    /// The inspections, newest first.
    pub rows: Vec<ListRow>,
    /// An upload's problems, as `spur check` prints them.
    pub problems: Option<String>,
    /// The uploaded file's name.
    pub file_name: String,
    /// Whether the inspector has a calendar feed.
    pub has_feed: bool,
}

/// One submitted plan entry beside its indicator, for the review.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    /// The indicator and the inspectors' comment.
    pub item: Item,
    /// The entry as the unit typed it, field by field in the form's order.
    pub typed: Vec<TypedField>,
    /// Whether the verdict shown (the one posted, else the latest decision) accepts.
    pub accepted: bool,
    /// Whether the verdict shown rejects.
    pub rejected: bool,
    /// The reason shown.
    pub reason: String,
    /// What stops this entry's decision, at its field.
    pub problem: Option<String>,
}

/// One field of a plan entry as typed.
#[derive(Debug, Clone, Serialize)]
pub struct TypedField {
    /// Its label, in seed 004's words.
    pub label: &'static str,
    /// The text.
    pub value: String,
}

/// Everything about one inspection, for its inspectors.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionPage {
    /// The inspector.
    #[serde(flatten)]
    pub me: Me,
    /// The inspection's id.
    pub id: i64,
    /// The six stages, the current one marked.
    pub steps: Vec<Step>,
    /// The unit.
    pub unit: Unit,
    /// The day of the visit.
    pub date: String,
    /// Whether the report may be sent to the unit for its fact-check now.
    pub can_send_for_fact_check: bool,
    /// Whether the report may be established now.
    pub can_establish: bool,
    /// The unit's fact-check, once sent.
    pub fact_check: Option<fact_check::FactCheckView>,
    /// The inspectors' answers to a comment, for its form.
    pub comment_answers: Vec<editor::Choice>,
    /// How many days the unit has for its fact-check.
    pub fact_check_days: i64,
    /// The report stored when it was established (or the final one).
    pub stored: Option<StoredView>,
    /// The follow-up of the accepted plan's actions.
    pub follow_up: Vec<follow_up::Action>,
    /// Whether the inspectors may answer the follow-up now.
    pub can_answer_follow_up: bool,
    /// Whether the report may be opened again now.
    pub can_reopen_report: bool,
    /// Whether a new questionnaire may be uploaded now.
    pub can_upload: bool,
    /// Whether the plan may be given back to the unit now.
    pub can_reopen_plan: bool,
    /// Whether the unit is working on its plan.
    pub with_unit: bool,
    /// The stage as people read it.
    pub stage: &'static str,
    /// Whose turn it is.
    pub waiting_on: String,
    /// The grade table, as `spur grade` shows it, re-graded once a plan is in.
    pub grades: Table,
    /// Whether the report is final.
    pub is_final: bool,
    /// What the report's link reads at this stage.
    pub report_label: &'static str,
    /// The day the plan first came in.
    pub received: Option<String>,
    /// Whether a submitted plan waits for review.
    pub reviewable: bool,
    /// The plan version the review form shows.
    pub review_version: Option<i64>,
    /// The submitted entries.
    pub rows: Vec<ReviewRow>,
    /// The last day of the unit's valid link.
    pub link_until: Option<String>,
    /// The members.
    pub members: Vec<Account>,
    /// Every save of the plan.
    pub history: Vec<Happened>,
    /// Every change of stage.
    pub changes: Vec<Happened>,
    /// The access log.
    pub log: Vec<Happened>,
    /// The unit's contacts and the outbox.
    pub mailing: mail::Mailing,
    /// What went wrong with the last action, for the top of the page.
    pub problems: Vec<Linked>,
    /// What the last action did, when the page follows one.
    pub confirmation: Option<&'static str>,
}

/// A stored moment (RFC 3339, UTC) as the pages write it, in Swedish time:
/// "7 december 2026 kl. 21.01".
pub fn moment(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(at) => spur_core::words::moment(at.with_timezone(&chrono::Utc)),
        // A stored time that does not read is shown as stored rather than hidden.
        Err(_) => at.to_string(),
    }
}

/// A stored report as the inspection's page names it.
#[derive(Debug, Clone, Serialize)]
pub struct StoredView {
    /// Which report.
    pub what: &'static str,
    /// Its PDF's SHA-256, in hex.
    pub sha256: String,
    /// When it was stored (UTC).
    pub made: String,
}

/// One of the cycle's six stages, as the steps show it.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Its name.
    pub label: &'static str,
    /// `done`, `current` or `later`.
    pub state: &'static str,
}

/// The six stages as steps, `now` marked current.
pub fn steps(now: Stage) -> Vec<Step> {
    Stage::ALL
        .into_iter()
        .map(|stage| Step {
            label: stage.label(),
            state: match stage.cmp(&now) {
                std::cmp::Ordering::Less => "done",
                std::cmp::Ordering::Equal => "current",
                std::cmp::Ordering::Greater => "later",
            },
        })
        .collect()
}

/// The inspection's page while its questionnaire cannot be graded yet: the
/// inspection's home from the first day, with its people and what is left to do.
#[derive(Debug, Clone, Serialize)]
pub struct DraftHome {
    /// The inspector.
    #[serde(flatten)]
    pub me: Me,
    /// The inspection's id.
    pub id: i64,
    /// The unit, by the name typed so far.
    pub unit: UnitName,
    /// The stage.
    pub stage: &'static str,
    /// The six stages.
    pub steps: Vec<Step>,
    /// Whose turn it is.
    pub waiting_on: String,
    /// How many problems the questionnaire has left.
    pub left: usize,
    /// The members.
    pub members: Vec<Account>,
    /// The unit's contacts (and the outbox, unused here).
    pub mailing: mail::Mailing,
    /// What went wrong with the last action.
    pub problems: Vec<Linked>,
    /// What the last action did.
    pub confirmation: Option<&'static str>,
}

/// A unit's name, as the pages' `unit.name`.
#[derive(Debug, Clone, Serialize)]
pub struct UnitName {
    /// The name.
    pub name: String,
}

/// The draft home of `held`, whose questionnaire `draft` has `left` problems.
pub fn draft_home(
    me: Me,
    held: &Held,
    unit: String,
    left: usize,
    extras: Extras,
    problems: Vec<Linked>,
) -> DraftHome {
    DraftHome {
        me,
        id: held.id,
        unit: UnitName { name: unit },
        stage: held.state.stage.label(),
        steps: steps(held.state.stage),
        waiting_on: workflow::whose_turn(&held.state, &extras.waiting),
        left,
        members: extras.members,
        mailing: extras.mailing,
        problems,
        confirmation: None,
    }
}

/// What the inspection page needs besides [`Held`].
pub struct Extras {
    /// The fact-check, once sent, with the unit's comments.
    pub fact_check: Option<(Sent, Vec<Comment>)>,
    /// Where the fact-check stands.
    pub readiness: Readiness,
    /// The report stored last, if any.
    pub stored: Option<super::db::reports::Stored>,
    /// The valid link's last day.
    pub link_until: Option<chrono::NaiveDate>,
    /// The members.
    pub members: Vec<Account>,
    /// The plan's saves.
    pub history: Vec<HistoryLine>,
    /// The stage changes.
    pub changes: Vec<Change>,
    /// The access log.
    pub log: Vec<Entry>,
    /// The unit's contacts and the outbox.
    pub mailing: mail::Mailing,
    /// Every account's name, to show people by name.
    pub people: People,
    /// What else tells whose turn it is.
    pub waiting: workflow::Waiting,
}

/// Who is who: people are shown by name, and the reader as "du" (SPEC §8.13).
#[derive(Debug, Clone, Default)]
pub struct People {
    /// The reader's address.
    me: String,
    /// Every account's address and name.
    names: Vec<(String, String)>,
}

impl People {
    /// The accounts, read by `me`.
    pub fn new(me: &str, accounts: Vec<Account>) -> People {
        People {
            me: me.to_string(),
            names: accounts.into_iter().map(|a| (a.email, a.name)).collect(),
        }
    }

    /// `who` (an address, "enheten", or what a refused request claimed) as the page
    /// says it: "du", a name, or as stored.
    pub fn name(&self, who: &str) -> String {
        if who == self.me {
            return "du".into();
        }
        self.names
            .iter()
            .find(|(email, _)| email == who)
            .map_or_else(|| who.to_string(), |(_, name)| name.clone())
    }
}

/// One thing that happened, as a history shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Happened {
    /// When, in Swedish time.
    pub at: String,
    /// Who, by name.
    pub who: String,
    /// What.
    pub what: String,
}

/// The label of a plan field.
pub fn label(field: &str) -> &'static str {
    plan_form::LABELS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("", |(_, l)| *l)
}

/// A review form sent back: what was posted, and the problems by indicator.
#[derive(Debug, Clone, Default)]
pub struct SentBack {
    /// What the form posted.
    pub posted: Vec<Posted>,
    /// Each problem, at its indicator.
    pub problems: Vec<(String, String)>,
}

/// What the report is called at `stage`, as the seeds call it: a draft, the
/// preliminary report sent for fact-check, the established report, and the final one
/// with the accepted plan.
pub fn report_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Draft => "Rapportutkast (PDF)",
        Stage::FactCheck => "Preliminär rapport (PDF)",
        Stage::Established | Stage::Plan => "Fastställd rapport (PDF)",
        Stage::FollowUp | Stage::Closed => "Slutlig rapport (PDF)",
    }
}

/// The inspection page, with a review form `sent_back` when it had problems.
pub fn inspection(
    me: Me,
    held: &Held,
    inspection: &Inspection,
    extras: Extras,
    sent_back: Option<&SentBack>,
    problems: Vec<Linked>,
) -> InspectionPage {
    let catalog = Catalog::embedded();
    let submitted = &held.submitted_entries;
    let rows = plan_form::items(catalog, &inspection.questionnaire, &inspection.grading)
        .into_iter()
        .filter_map(|item| {
            let typed = submitted.get(&item.indicator)?;
            let shown =
                sent_back.and_then(|s| s.posted.iter().find(|p| p.indicator == item.indicator));
            let decided = held
                .decisions
                .iter()
                .find(|d| d.indicator == item.indicator);
            let (verdict, reason) = match (shown, decided) {
                (Some(p), _) => (p.verdict, p.reason.clone()),
                (None, Some(d)) => (Some(d.verdict), d.reason.clone()),
                (None, None) => (None, String::new()),
            };
            let problem = sent_back.and_then(|s| {
                s.problems
                    .iter()
                    .find(|(i, _)| *i == item.indicator)
                    .map(|(_, p)| p.clone())
            });
            Some(ReviewRow {
                typed: FIELDS
                    .iter()
                    .map(|f| TypedField {
                        label: label(f),
                        value: typed.get(*f).cloned().unwrap_or_default(),
                    })
                    .collect(),
                accepted: verdict == Some(Verdict::Accept),
                rejected: verdict == Some(Verdict::Reject),
                reason,
                problem,
                item,
            })
        })
        .collect();
    let q = &inspection.questionnaire;
    let reviewable = held.state.stage == Stage::Plan && held.state.plan == PlanStatus::Submitted;
    // What the page offers is what the workflow would allow now.
    let allows = |command| workflow::apply(&held.state, &command).is_ok();
    InspectionPage {
        me,
        id: held.id,
        unit: q.unit.clone(),
        date: q.inspection.date.to_string(),
        can_send_for_fact_check: allows(Command::SendForFactCheck),
        can_establish: allows(Command::Establish {
            anything_required: true,
            fact_check: extras.readiness,
        }),
        fact_check: extras.fact_check.as_ref().map(|(sent, comments)| {
            let submitted = sent.submitted.is_some();
            let answerable = allows(Command::AnswerComment { submitted });
            fact_check::for_inspectors(sent, comments, answerable, extras.readiness)
        }),
        comment_answers: fact_check::answers(),
        fact_check_days: spur_cycle::fact_check::DAYS,
        follow_up: match (&inspection.plan, held.is_final()) {
            (Some(plan), true) => follow_up::actions(catalog, held, plan),
            _ => Vec::new(),
        },
        can_answer_follow_up: allows(Command::AskForMore {
            reason: "–".into()
        }),
        stored: extras.stored.map(|s| StoredView {
            what: s.kind.label(),
            sha256: s.sha256,
            made: moment(&s.made),
        }),
        can_reopen_report: allows(Command::ReopenReport {
            reason: "–".into()
        }),
        can_upload: allows(Command::NewQuestionnaire {
            identity_changed: false,
        }),
        can_reopen_plan: allows(Command::ReopenPlan {
            reason: "–".into()
        }),
        with_unit: unit_may_save(held),
        stage: held.state.stage.label(),
        steps: steps(held.state.stage),
        waiting_on: workflow::whose_turn(&held.state, &extras.waiting),
        grades: grade_table::table(catalog, inspection),
        is_final: held.is_final(),
        report_label: report_label(held.state.stage),
        received: held.state.received.map(|d| d.to_string()),
        reviewable,
        review_version: held.state.submitted.filter(|_| reviewable),
        rows,
        link_until: extras.link_until.map(|d| d.to_string()),
        members: extras.members,
        history: extras
            .history
            .iter()
            .map(|h| Happened {
                at: moment(&h.at),
                who: extras.people.name(&h.by),
                what: h.what.to_string(),
            })
            .collect(),
        changes: extras
            .changes
            .iter()
            .map(|c| Happened {
                at: moment(&c.at),
                who: extras.people.name(&c.by),
                what: if c.reason.is_empty() {
                    c.stage.to_string()
                } else {
                    format!("{}: {}", c.stage, c.reason)
                },
            })
            .collect(),
        log: extras
            .log
            .iter()
            .map(|l| Happened {
                at: moment(&l.at),
                who: extras.people.name(&l.who),
                what: l.action.clone(),
            })
            .collect(),
        mailing: extras.mailing,
        problems,
        confirmation: None,
    }
}

/// Whether the unit may save its plan now, as the workflow says.
pub fn unit_may_save(held: &Held) -> bool {
    workflow::plan_editable(&held.state, held.state.plan_version).is_ok()
}

/// A problem in the error summary, linking to its field when it has one.
#[derive(Debug, Clone, Serialize)]
pub struct Linked {
    /// The field's id on the page.
    pub target: Option<String>,
    /// What is wrong, with the indicator and label.
    pub text: String,
}

/// One entry given back after a save that could not be kept.
#[derive(Debug, Clone, Serialize)]
pub struct KeptEntry {
    /// The indicator.
    pub indicator: String,
    /// What was typed, field by field.
    pub fields: Vec<TypedField>,
}

/// What was typed, given back as typed, with why it was not kept.
#[derive(Debug, Clone, Serialize)]
pub struct KeptPage {
    /// Why.
    pub why: String,
    /// What was typed.
    pub typed: Vec<KeptEntry>,
    /// The stored version, when the save was refused as made from an older one.
    pub current: Vec<KeptEntry>,
}

/// Entries as a kept page lists them: only fields with text.
pub fn kept_entries(entries: &Entries) -> Vec<KeptEntry> {
    entries
        .iter()
        .map(|(indicator, typed)| KeptEntry {
            indicator: indicator.clone(),
            fields: FIELDS
                .iter()
                .filter_map(|f| {
                    let value = typed.get(*f).filter(|v| !v.is_empty())?;
                    Some(TypedField {
                        label: label(f),
                        value: value.clone(),
                    })
                })
                .collect(),
        })
        .filter(|e| !e.fields.is_empty())
        .collect()
}

impl Linked {
    /// A problem of the page as a whole.
    pub fn general(text: impl Into<String>) -> Linked {
        Linked {
            target: None,
            text: text.into(),
        }
    }
}
