//! The unit's plan pages (SPEC §8.5): a task list, one page per plan item, and
//! "Kontrollera och skicka in", all built from one model of the plan as the unit has
//! it, in the order of the plan form (required items first, then recommended ones).

use serde::Serialize;

use super::{Linked, label, unit_may_save};
use crate::held::Held;
use spur_core::catalog::Catalog;
use spur_core::inspection::Inspection;
use spur_cycle::plan_form::{self, Entries, FIELDS, Item, OPTIONAL, Problems, Typed};
use spur_cycle::review::Verdict;
use spur_cycle::workflow::{PlanStatus, Stage};

/// Where one plan item stands, in the words of SPEC §8.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStatus {
    /// Nothing typed yet.
    NotStarted,
    /// Something typed, but a needed field is empty or has a problem.
    InProgress,
    /// Every needed field filled in, without problems.
    Done,
    /// Sent to the inspectors, who have not decided yet.
    Submitted,
    /// Rejected by the inspectors: to change and send again.
    Returned,
    /// Accepted by the inspectors: it stays as it is.
    Accepted,
    /// A recommended item the unit sent in without an action: nothing done, nothing
    /// sent.
    LeftEmpty,
}

impl ItemStatus {
    /// The status as the task list names it.
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::NotStarted => "Ej påbörjad",
            ItemStatus::InProgress => "Pågår",
            ItemStatus::Done => "Klar",
            ItemStatus::Submitted => "Inskickad",
            ItemStatus::Returned => "Åter till er",
            ItemStatus::Accepted => "Godkänd",
            ItemStatus::LeftEmpty => "Frivillig, inte ifylld",
        }
    }

    /// Whether the unit has nothing more to do with the item.
    fn finished(self) -> bool {
        matches!(
            self,
            ItemStatus::Done | ItemStatus::Submitted | ItemStatus::Accepted
        )
    }
}

/// One field of a plan item's page.
#[derive(Debug, Clone, Serialize)]
pub struct FormField {
    /// The field's key in the plan file.
    pub name: &'static str,
    /// Its label.
    pub label: &'static str,
    /// The hint under the label.
    pub hint: Option<String>,
    /// What was typed.
    pub value: String,
    /// What is wrong with it.
    pub problem: Option<String>,
    /// Whether the unit may leave it empty.
    pub optional: bool,
    /// Whether it is entered in a textarea (else an input).
    pub textarea: bool,
    /// The input's type: `date` (a date picker, only where the value is empty or a
    /// date, since a browser blanks anything else) or `text`.
    pub input_type: &'static str,
}

/// One item of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct FormItem {
    /// The indicator, its text and the inspectors' comment.
    pub item: Item,
    /// The fields, in the form's order.
    pub fields: Vec<FormField>,
    /// Why the inspectors rejected the entry.
    pub rejection: Option<String>,
    /// Whether the unit may change the item now.
    pub editable: bool,
    /// Its status, as the task list names it.
    pub status: &'static str,
    /// Whether the unit has nothing more to do with it.
    pub finished: bool,
    /// Whether it came back from the inspectors.
    pub returned: bool,
    /// Whether anything is typed in it.
    pub started: bool,
    /// Its page.
    pub href: String,
}

/// A link to a place on one of the unit's pages, with what it is about.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLink {
    /// Where it goes.
    pub href: String,
    /// What it says.
    pub text: String,
}

/// The unit's plan as its pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitPage {
    /// The link's token, for the forms' addresses.
    pub token: String,
    /// The link's CSRF token.
    pub csrf: String,
    /// The unit's name.
    pub unit: String,
    /// The day of the visit.
    pub date: String,
    /// When the plan is due.
    pub plan_due: Option<String>,
    /// The items.
    pub items: Vec<FormItem>,
    /// The problems that keep the plan from being sent, each linked to its field.
    pub problems: Vec<ItemLink>,
    /// Problems of the plan as a whole.
    pub general: Vec<String>,
    /// The plan version the pages were made from.
    pub version: Option<i64>,
    /// Whether the unit may edit the plan now.
    pub editable: bool,
    /// Whether the plan stage has begun.
    pub plan_open: bool,
    /// Whether the report is final.
    pub is_final: bool,
    /// The rejected items and why, for the top of the task list after a return.
    pub returned: Vec<ItemLink>,
    /// How many items are finished.
    pub finished: usize,
    /// A message about the last action.
    pub message: Option<String>,
}

/// One plan item's page.
#[derive(Debug, Clone, Serialize)]
pub struct ItemPage {
    /// The whole plan, for the unit's name and the form's tokens.
    pub page: UnitPage,
    /// The item.
    pub item: FormItem,
    /// Its place among the items, from 1.
    pub number: usize,
    /// The problems on this page, each linked to its field.
    pub problems: Vec<Linked>,
}

/// The unit's plan pages showing `typed` (the latest save, or what was just posted),
/// with `problems` from checking it as `spur plan-check` does.
pub fn unit(
    token: &str,
    held: &Held,
    inspection: &Inspection,
    typed: &Entries,
    version: Option<i64>,
    problems: &Problems,
    message: Option<String>,
) -> UnitPage {
    let q = &inspection.questionnaire;
    let editable = unit_may_save(held);
    let items: Vec<FormItem> = plan_form::items(Catalog::embedded(), q, &inspection.grading)
        .into_iter()
        .map(|item| {
            form_item(
                token,
                held,
                item,
                typed,
                problems,
                editable,
                q.inspection.date,
            )
        })
        .collect();
    let href =
        |indicator: &str, field: &str| format!("/u/{token}/items/{indicator}#{indicator}-{field}");
    // In the plan's order; a required item nobody has started is one problem, not one
    // per empty field.
    let problems_linked = items
        .iter()
        .flat_map(|i| {
            let indicator = &i.item.indicator;
            if i.item.required && !i.started && i.editable {
                return vec![ItemLink {
                    href: i.href.clone(),
                    text: format!("{indicator}: Ingen åtgärd är ifylld än."),
                }];
            }
            problems
                .fields
                .iter()
                .filter(|p| p.indicator == *indicator)
                .map(|p| ItemLink {
                    href: href(indicator, &p.field),
                    text: format!("{indicator}, {}: {}", label(&p.field), p.message),
                })
                .collect()
        })
        .collect();
    let returned = items
        .iter()
        .filter_map(|i| {
            Some(ItemLink {
                href: href(&i.item.indicator, "action"),
                text: format!("{}: {}", i.item.indicator, i.rejection.as_ref()?),
            })
        })
        .collect();
    UnitPage {
        token: token.to_string(),
        csrf: super::super::auth::link_csrf(token),
        unit: q.unit.name.clone(),
        date: q.inspection.date.to_string(),
        plan_due: q.inspection.plan_due.map(|d| d.to_string()),
        finished: items.iter().filter(|i| i.finished).count(),
        items,
        problems: problems_linked,
        general: problems.general.clone(),
        version,
        editable,
        plan_open: held.state.stage >= Stage::Plan,
        is_final: held.is_final(),
        returned,
        message,
    }
}

/// One item as the unit's pages show it.
fn form_item(
    token: &str,
    held: &Held,
    item: Item,
    typed: &Entries,
    problems: &Problems,
    editable: bool,
    visited: chrono::NaiveDate,
) -> FormItem {
    let values = typed.get(&item.indicator);
    let problem = |field: &str| {
        problems
            .fields
            .iter()
            .find(|p| p.indicator == item.indicator && p.field == field)
            .map(|p| p.message.clone())
    };
    let fields: Vec<FormField> = FIELDS
        .iter()
        .map(|f| {
            let value = values.and_then(|v| v.get(*f)).cloned().unwrap_or_default();
            let is_date = value.is_empty()
                || (value.len() == 10
                    && chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d").is_ok());
            FormField {
                name: f,
                label: label(f),
                // The deadline's example is a day after the visit, never one before it.
                hint: match *f {
                    "deadline" => Some(format!(
                        "Ett datum efter granskningsdagen, {}, skrivet ÅÅÅÅ-MM-DD.",
                        spur_core::words::swedish_date(visited)
                    )),
                    _ => plan_form::HINTS
                        .iter()
                        .find(|(h, _)| h == f)
                        .map(|(_, t)| t.to_string()),
                },
                problem: problem(f),
                optional: OPTIONAL.contains(f),
                textarea: *f == "action",
                input_type: match *f {
                    "deadline" | "follow_up" if is_date => "date",
                    _ => "text",
                },
                value,
            }
        })
        .collect();
    let status = status(held, &item, values, &fields, editable);
    FormItem {
        rejection: held
            .decisions
            .iter()
            .find(|d| d.indicator == item.indicator && d.verdict == Verdict::Reject)
            .filter(|_| status == ItemStatus::Returned)
            .map(|d| d.reason.clone()),
        editable: editable && status != ItemStatus::Accepted,
        status: status.label(),
        finished: status.finished(),
        returned: status == ItemStatus::Returned,
        started: values.is_some_and(|v| v.values().any(|t| !t.is_empty())),
        href: format!("/u/{token}/items/{}", item.indicator),
        fields,
        item,
    }
}

/// Where `item` stands, typed as `values` into `fields`.
fn status(
    held: &Held,
    item: &Item,
    values: Option<&Typed>,
    fields: &[FormField],
    editable: bool,
) -> ItemStatus {
    let decision = held
        .decisions
        .iter()
        .find(|d| d.indicator == item.indicator);
    let typed = |f: &str| {
        values
            .and_then(|v| v.get(f))
            .is_some_and(|t| !t.trim().is_empty())
    };
    let empty = !FIELDS.iter().any(|f| typed(f));
    match (held.state.plan, decision.map(|d| d.verdict)) {
        _ if accepted(held, &item.indicator) => return ItemStatus::Accepted,
        (PlanStatus::Returned, Some(Verdict::Reject)) => return ItemStatus::Returned,
        (PlanStatus::Submitted, _) if !editable && empty && !item.required => {
            return ItemStatus::LeftEmpty;
        }
        (PlanStatus::Submitted, _) if !editable => return ItemStatus::Submitted,
        _ => {}
    }
    if empty {
        ItemStatus::NotStarted
    } else if fields
        .iter()
        .all(|f| (f.optional || typed(f.name)) && f.problem.is_none())
    {
        ItemStatus::Done
    } else {
        ItemStatus::InProgress
    }
}

/// Whether the inspectors accepted the entry for `indicator`: it stays as it is.
fn accepted(held: &Held, indicator: &str) -> bool {
    let decision = held.decisions.iter().find(|d| d.indicator == indicator);
    match held.state.plan {
        PlanStatus::Accepted => true,
        PlanStatus::Returned => decision.is_some_and(|d| d.verdict == Verdict::Accept),
        PlanStatus::Open | PlanStatus::Submitted => false,
    }
}

/// The page of the item for `indicator`, when the plan has one. Problems are shown
/// only on an item something has been typed in: an untouched page is not wrong yet.
pub fn item(page: UnitPage, indicator: &str) -> Option<ItemPage> {
    let at = page
        .items
        .iter()
        .position(|i| i.item.indicator == indicator)?;
    let mut item = page.items[at].clone();
    if !item.started {
        item.fields.iter_mut().for_each(|f| f.problem = None);
    }
    let problems = item
        .fields
        .iter()
        .filter_map(|f| {
            Some(Linked {
                target: Some(format!("{indicator}-{}", f.name)),
                text: format!("{}: {}", f.label, f.problem.as_ref()?),
            })
        })
        .collect();
    Some(ItemPage {
        page,
        item,
        number: at + 1,
        problems,
    })
}

/// Where "Spara och fortsätt" on the item for `indicator` goes among the plan's
/// `items`: the next item the unit may change, or, after the last, "Kontrollera och
/// skicka in". A save changes neither the items nor which may change, so this is known
/// before it.
pub fn after(token: &str, held: &Held, items: &[Item], indicator: &str) -> String {
    items
        .iter()
        .skip_while(|i| i.indicator != indicator)
        .skip(1)
        .find(|i| !accepted(held, &i.indicator))
        .map_or_else(
            || format!("/u/{token}/check"),
            |i| format!("/u/{token}/items/{}", i.indicator),
        )
}
