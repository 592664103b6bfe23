//! The unit's action plan (SPEC §5): its types, and its validation against the
//! inspection it answers.

pub mod file;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::{Catalog, Kind};
use crate::diagnostic::{Diagnostic, Source};
use crate::grading::{Grading, PlanCoverage};
use crate::questionnaire::Questionnaire;
use crate::yaml::{self, Node, Reader};

/// A valid action plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The unit, as named in the inspection.
    pub unit: String,
    /// The inspection's date.
    pub inspection_date: NaiveDate,
    /// The planned actions, in the plan's order.
    pub items: Vec<PlanItem>,
}

/// One planned action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// The indicator the action answers.
    pub indicator: String,
    /// Planerad åtgärd.
    pub action: String,
    /// Datum när åtgärden ska vara genomförd.
    pub deadline: NaiveDate,
    /// The deadline in the unit's own words.
    pub deadline_note: Option<String>,
    /// Ansvarig för genomförandet.
    pub responsible: String,
    /// Datum för uppföljning.
    pub follow_up: NaiveDate,
    /// The follow-up in the unit's own words.
    pub follow_up_note: Option<String>,
    /// Ansvarig för uppföljningen.
    pub follow_up_responsible: String,
    /// The unit's follow-up reports, oldest first.
    pub reports: Vec<Report>,
}

/// How far an action has come, as the unit reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Carried out.
    Done,
    /// Under way.
    Ongoing,
}

impl Progress {
    /// Both, in the order a form offers them.
    pub const ALL: [Progress; 2] = [Progress::Done, Progress::Ongoing];

    /// The YAML word.
    pub fn key(self) -> &'static str {
        match self {
            Progress::Done => "done",
            Progress::Ongoing => "ongoing",
        }
    }

    /// The status a YAML word or form value stands for.
    pub fn from_key(key: &str) -> Option<Progress> {
        Progress::ALL.into_iter().find(|p| p.key() == key)
    }

    /// As people read it.
    pub fn label(self) -> &'static str {
        match self {
            Progress::Done => "Genomförd",
            Progress::Ongoing => "Pågår",
        }
    }
}

/// One follow-up report of the unit on an action (SPEC §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// When it was made.
    pub date: NaiveDate,
    /// How far the action has come.
    pub status: Progress,
    /// What was done, in the unit's words.
    pub text: String,
}

impl PlanItem {
    /// The latest report, if any.
    pub fn latest(&self) -> Option<&Report> {
        self.reports.last()
    }
}

impl Plan {
    /// What the inspectors accepted of the plan, given their rejections.
    pub fn coverage(&self, questionnaire: &Questionnaire) -> PlanCoverage {
        PlanCoverage {
            entries: self.items.iter().map(|i| i.indicator.clone()).collect(),
            rejected: questionnaire
                .action_plan
                .iter()
                .flat_map(|r| &r.rejected)
                .map(|r| r.indicator.clone())
                .collect(),
        }
    }

    /// The entry for an indicator.
    pub fn item(&self, indicator: &str) -> Option<&PlanItem> {
        self.items.iter().find(|i| i.indicator == indicator)
    }
}

/// The outcome of checking a plan.
#[derive(Debug)]
pub struct Checked {
    /// The plan, when every entry is valid.
    pub plan: Option<Plan>,
    /// Invalid entries and fields: these make the plan unusable.
    pub errors: Vec<Diagnostic>,
    /// Required items without an entry: a warning for the inspection, an error for
    /// `plan-check`.
    pub missing: Vec<Diagnostic>,
}

/// The keys of a plan file.
pub const PLAN_KEYS: &[&str] = &["unit", "inspection_date", "items"];
/// The keys of one plan entry that the unit fills in, in the order the template writes
/// them.
pub const ENTRY_KEYS: &[&str] = &[
    "indicator",
    "action",
    "deadline",
    "deadline_note",
    "responsible",
    "follow_up",
    "follow_up_note",
    "follow_up_responsible",
];
/// Every key of one plan entry: [`ENTRY_KEYS`], then the follow-up's `reports`.
pub const ITEM_KEYS: &[&str] = &[
    "indicator",
    "action",
    "deadline",
    "deadline_note",
    "responsible",
    "follow_up",
    "follow_up_note",
    "follow_up_responsible",
    "reports",
];
/// The keys of one follow-up report.
pub const REPORT_KEYS: &[&str] = &["date", "status", "text"];

/// The indicators for which an action is recommended but not required: unmet allmänna
/// råd under a graded version that are not also a required föreskrift.
pub fn recommended_items(
    catalog: &Catalog,
    questionnaire: &Questionnaire,
    grading: &Grading,
) -> Vec<String> {
    let required: BTreeSet<String> = grading.required_items().into_iter().collect();
    let mut items = Vec::new();
    for area in &catalog.areas {
        for indicator in &area.indicators {
            let unmet = questionnaire
                .response(&indicator.id)
                .is_some_and(|r| r.answer.is_unmet());
            let rad = questionnaire
                .inspection
                .regulations
                .iter()
                .any(|v| indicator.kind(*v) == Some(Kind::AllmannaRad));
            if unmet && rad && !required.contains(&indicator.id) {
                items.push(indicator.id.clone());
            }
        }
    }
    items
}

/// Checks a plan against the inspection it answers. `grading` is the inspection's
/// grading; its unmet föreskrifter are the required items.
pub fn check(
    source: &Source,
    catalog: &Catalog,
    questionnaire: &Questionnaire,
    grading: &Grading,
    glyphs: &dyn Fn(char) -> bool,
) -> Checked {
    match yaml::parse(source) {
        Ok(root) => check_tree(source, &root, catalog, questionnaire, grading, glyphs),
        Err(d) => Checked {
            plan: None,
            errors: vec![d],
            missing: Vec::new(),
        },
    }
}

/// [`check`] of the plan as typed in the service's form, without writing and reading
/// its file: the same checks on the same values, so the problems are the file's, at
/// the same paths (`items[2].deadline`); only their lines are not a file's.
pub fn check_file(
    file: &file::PlanFile,
    catalog: &Catalog,
    questionnaire: &Questionnaire,
    grading: &Grading,
    glyphs: &dyn Fn(char) -> bool,
) -> Checked {
    let source = Source::new("plan.yaml", String::new());
    let root = file.to_node();
    check_tree(&source, &root, catalog, questionnaire, grading, glyphs)
}

/// [`check`] of a plan already read into `root`.
fn check_tree(
    source: &Source,
    root: &Node,
    catalog: &Catalog,
    questionnaire: &Questionnaire,
    grading: &Grading,
    glyphs: &dyn Fn(char) -> bool,
) -> Checked {
    let mut r = Reader::new(source).with_glyphs(glyphs);
    r.check_keys(root);
    let required = grading.required_items();
    let recommended = recommended_items(catalog, questionnaire, grading);
    let mut missing = Vec::new();
    let plan = decode(
        &mut r,
        root,
        catalog,
        questionnaire,
        &required,
        &recommended,
        &mut missing,
    );
    let errors = r.diagnostics;
    Checked {
        plan: plan.filter(|_| errors.is_empty()),
        errors,
        missing,
    }
}

/// Decodes the plan; entries still missing go to `missing`, not to the errors.
fn decode(
    r: &mut Reader,
    root: &Node,
    catalog: &Catalog,
    questionnaire: &Questionnaire,
    required: &[String],
    recommended: &[String],
    missing: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    let f = r.fields(root, "", PLAN_KEYS)?;
    let unit = f
        .required(r, "unit", "enhetens namn, som i granskningen")
        .and_then(|n| {
            let unit = r.text(n, "unit")?;
            if unit != questionnaire.unit.name {
                r.error(
                    n,
                    "unit",
                    format!(
                        "handlingsplanen gäller ”{unit}”, men granskningen gäller ”{}”",
                        questionnaire.unit.name
                    ),
                    &format!("unit: {}", questionnaire.unit.name),
                );
            }
            Some(unit)
        });
    let date = questionnaire.inspection.date;
    let inspection_date = f
        .required(r, "inspection_date", "granskningsdatum, ÅÅÅÅ-MM-DD")
        .and_then(|n| {
            let d = r.date(n, "inspection_date")?;
            if d != date {
                r.error(
                    n,
                    "inspection_date",
                    format!("granskningen gjordes {date}, inte {d}"),
                    &format!("inspection_date: {date}"),
                );
            }
            Some(d)
        });
    let items_node = f.required(r, "items", "en lista med en åtgärd per brist");
    let mut items = Vec::new();
    let mut seen = BTreeSet::new();
    if let Some(list) = items_node.and_then(|n| {
        r.seq(
            n,
            "items",
            "en lista med åtgärder (rader som börjar med ”- indicator:”)",
        )
    }) {
        for (i, node) in list.iter().enumerate() {
            let path = format!("items[{i}]");
            let expected = Expected {
                catalog,
                inspection_date: date,
                required,
                recommended,
            };
            if let Some(item) = decode_item(r, node, &path, &expected, &mut seen) {
                items.push((item, node, path));
            }
        }
    }
    confirmed_are_done(r, questionnaire, &items, f.key("items").unwrap_or(root));
    let items: Vec<PlanItem> = items.into_iter().map(|(item, ..)| item).collect();
    let at = f.key("items").unwrap_or(root);
    for id in required {
        if !seen.contains(id) {
            let text = catalog.indicator(id).map_or("", |i| i.text.as_str());
            missing.push(
                Diagnostic::error(
                    r.source(),
                    at.span,
                    "items",
                    format!("åtgärd saknas för {id}: ”{text}”"),
                )
                .expected(&format!("en post med indicator: {id}")),
            );
        }
    }
    Some(Plan {
        unit: unit?,
        inspection_date: inspection_date?,
        items,
    })
}

/// Refuses each confirmation of the questionnaire (`action_plan.confirmed`) whose
/// action is not in the plan, or whose latest report is not `done` (SPEC §5): the
/// problem is the plan's, at the entry (or at `items`, `at`, when there is none).
fn confirmed_are_done(
    r: &mut Reader,
    questionnaire: &Questionnaire,
    items: &[(PlanItem, &Node, String)],
    at: &Node,
) {
    let confirmed = questionnaire.action_plan.iter().flat_map(|p| &p.confirmed);
    for c in confirmed {
        match items.iter().find(|(i, ..)| i.indicator == c.indicator) {
            None => r.error(
                at,
                "items",
                format!(
                    "frågeformuläret bekräftar åtgärden för {} ({}), men planen har ingen post för {}",
                    c.indicator, c.date, c.indicator
                ),
                &format!("en post med indicator: {}", c.indicator),
            ),
            Some((item, node, path)) if item.latest().map(|l| l.status) != Some(Progress::Done) => {
                r.error(
                    node,
                    path,
                    format!(
                        "frågeformuläret bekräftar åtgärden för {} ({}), men planens senaste rapport för den är inte ”done”",
                        c.indicator, c.date
                    ),
                    "en rapport med status: done innan åtgärden bekräftas",
                );
            }
            Some(_) => {}
        }
    }
}

/// What each entry of a plan is checked against.
struct Expected<'a> {
    catalog: &'a Catalog,
    inspection_date: NaiveDate,
    /// The indicators that need an entry.
    required: &'a [String],
    /// The indicators that may have one.
    recommended: &'a [String],
}

/// Decodes one entry; `seen` holds the indicators of the entries before it.
fn decode_item(
    r: &mut Reader,
    node: &Node,
    path: &str,
    expected: &Expected,
    seen: &mut BTreeSet<String>,
) -> Option<PlanItem> {
    let Expected {
        catalog,
        inspection_date,
        required,
        recommended,
    } = *expected;
    let f = r.fields(node, path, ITEM_KEYS)?;
    let indicator = f
        .required(r, "indicator", "indikatorns id, t.ex. D6")
        .and_then(|n| {
            let id = r.text(n, &f.path("indicator"))?;
            let needed = required.contains(&id) || recommended.contains(&id);
            if catalog.indicator(&id).is_none() {
                r.error(
                    n,
                    &f.path("indicator"),
                    format!("okänd indikator ”{id}”"),
                    "ett indikator-id ur granskningen, t.ex. D6",
                );
            } else if !needed {
                r.error(
                    n,
                    &f.path("indicator"),
                    format!("indikatorn ”{id}” kräver ingen åtgärd"),
                    &format!("en av {}", list_or_none(required)),
                );
            } else if !seen.insert(id.clone()) {
                r.error(
                    n,
                    &f.path("indicator"),
                    format!("indikatorn ”{id}” har redan en post i planen"),
                    "en post per indikator",
                );
            } else {
                return Some(id);
            }
            None
        });
    let mut text = |key: &str, what: &str| {
        f.required(r, key, what)
            .and_then(|n| r.text(n, &f.path(key)))
    };
    let action = text("action", "den planerade åtgärden");
    let responsible = text("responsible", "vem som ansvarar för genomförandet");
    let follow_up_responsible = text(
        "follow_up_responsible",
        "vem som ansvarar för uppföljningen",
    );
    let deadline_note = r.optional_text(f.get("deadline_note"), &f.path("deadline_note"));
    let follow_up_note = r.optional_text(f.get("follow_up_note"), &f.path("follow_up_note"));
    let deadline = f.required(r, "deadline", "datum när åtgärden ska vara genomförd").and_then(|n| {
        let d = r.date(n, &f.path("deadline"))?;
        if d <= inspection_date {
            r.error(n, &f.path("deadline"), format!("åtgärden ska vara genomförd {d}, men granskningen gjordes {inspection_date}"), "ett datum efter granskningsdagen");
        }
        Some(d)
    });
    let follow_up = f
        .required(r, "follow_up", "datum för uppföljning")
        .and_then(|n| {
            let d = r.date(n, &f.path("follow_up"))?;
            if let Some(deadline) = deadline
                && d < deadline
            {
                r.error(
                    n,
                    &f.path("follow_up"),
                    format!("uppföljningen {d} ligger före tidsgränsen {deadline}"),
                    "ett datum på eller efter deadline",
                );
            }
            Some(d)
        });
    let reports = match f.get("reports") {
        Some(n) => decode_reports(r, n, &f.path("reports"), inspection_date),
        None => Some(Vec::new()),
    };
    Some(PlanItem {
        indicator: indicator?,
        action: action?,
        deadline: deadline?,
        deadline_note,
        responsible: responsible?,
        follow_up: follow_up?,
        follow_up_note,
        follow_up_responsible: follow_up_responsible?,
        reports: reports?,
    })
}

/// Decodes an entry's follow-up reports: each dated after the inspection and on or
/// after the one before it, `done` or `ongoing`, with a text.
fn decode_reports(
    r: &mut Reader,
    node: &Node,
    path: &str,
    inspection_date: NaiveDate,
) -> Option<Vec<Report>> {
    let items = r.seq(node, path, "en lista med rapporter: {date, status, text}")?;
    let mut reports = Vec::new();
    let mut whole = true;
    let mut previous = inspection_date;
    for (i, item) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let Some(g) = r.fields(item, &at, REPORT_KEYS) else {
            whole = false;
            continue;
        };
        let date = g
            .required(r, "date", "rapportens datum, ÅÅÅÅ-MM-DD")
            .and_then(|n| {
                let d = r.date(n, &g.path("date"))?;
                if d < previous {
                    r.error(
                        n,
                        &g.path("date"),
                        format!("rapporten är daterad {d}, före {previous}"),
                        "rapporterna i tidsordning, den äldsta först, efter granskningsdagen",
                    );
                    return None;
                }
                previous = d;
                Some(d)
            });
        let status = g.required(r, "status", "done eller ongoing").and_then(|n| {
            let word = n.key_text();
            let found = Progress::from_key(&word);
            if found.is_none() {
                r.error(
                    n,
                    &g.path("status"),
                    format!("okänd status ”{word}”"),
                    "done (genomförd) eller ongoing (pågår)",
                );
            }
            found
        });
        let text = g
            .required(r, "text", "vad som har gjorts")
            .and_then(|n| r.text(n, &g.path("text")));
        match (date, status, text) {
            (Some(date), Some(status), Some(text)) => reports.push(Report { date, status, text }),
            _ => whole = false,
        }
    }
    whole.then_some(reports)
}

/// The ids as a list, or a Swedish "none" when there are none.
fn list_or_none(ids: &[String]) -> String {
    if ids.is_empty() {
        "inga (inget krävs)".into()
    } else {
        ids.join(", ")
    }
}

#[cfg(test)]
mod tests;
