//! The action plan file (SPEC §5) as the unit typed it, and its writing: every value
//! through the YAML writer, so that it reads back exactly as typed.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Plan, Report};
use crate::yaml::write::{Field, entry, sequence_entry, text};
use crate::yaml::{Node, Value};

/// An action plan file as typed: strings, since the web form keeps what cannot be
/// read yet (a date typed as "31 maj") for the check to point at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanFile {
    /// The unit, as named in the inspection.
    pub unit: String,
    /// The inspection's date.
    pub inspection_date: NaiveDate,
    /// The entries, in the plan's order.
    pub items: Vec<PlanEntry>,
}

/// One entry of a [`PlanFile`], its fields in the order of [`crate::plan::ITEM_KEYS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanEntry {
    /// The indicator the action answers.
    pub indicator: String,
    /// Planerad åtgärd.
    pub action: String,
    /// When the action is to be done, ideally ÅÅÅÅ-MM-DD.
    pub deadline: String,
    /// The deadline in the unit's own words.
    pub deadline_note: Option<String>,
    /// Ansvarig för genomförandet.
    pub responsible: String,
    /// When it is followed up, ideally ÅÅÅÅ-MM-DD.
    pub follow_up: String,
    /// The follow-up in the unit's own words.
    pub follow_up_note: Option<String>,
    /// Ansvarig för uppföljningen.
    pub follow_up_responsible: String,
    /// The unit's follow-up reports, oldest first.
    pub reports: Vec<Report>,
}

impl From<&Plan> for PlanFile {
    fn from(plan: &Plan) -> Self {
        let items = plan
            .items
            .iter()
            .map(|i| PlanEntry {
                indicator: i.indicator.clone(),
                action: i.action.clone(),
                deadline: i.deadline.to_string(),
                deadline_note: i.deadline_note.clone(),
                responsible: i.responsible.clone(),
                follow_up: i.follow_up.to_string(),
                follow_up_note: i.follow_up_note.clone(),
                follow_up_responsible: i.follow_up_responsible.clone(),
                reports: i.reports.clone(),
            })
            .collect();
        PlanFile {
            unit: plan.unit.clone(),
            inspection_date: plan.inspection_date,
            items,
        }
    }
}

/// The action plan file, its entries' keys in the order of [`crate::plan::ITEM_KEYS`].
pub fn write(plan: &PlanFile) -> String {
    let mut out = String::from(
        "# Handlingsplan efter ST-SPUR-granskning. Kontrollera den med:\n\
         #   spur plan-check <denna fil> --inspection <granskningens fil>\n",
    );
    text(&mut out, 0, "unit", &plan.unit);
    let date = plan.inspection_date.to_string();
    entry(&mut out, "", "inspection_date", &date);
    let empty = if plan.items.is_empty() { "[]" } else { "" };
    entry(&mut out, "", "items", empty);
    for i in &plan.items {
        let fields: Vec<_> = [
            ("indicator", Some(&i.indicator[..])),
            ("action", Some(&i.action)),
            ("deadline", Some(&i.deadline)),
            ("deadline_note", i.deadline_note.as_deref()),
            ("responsible", Some(&i.responsible)),
            ("follow_up", Some(&i.follow_up)),
            ("follow_up_note", i.follow_up_note.as_deref()),
            ("follow_up_responsible", Some(&i.follow_up_responsible)),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key, Field::Text(value?))))
        .collect();
        sequence_entry(&mut out, 2, &fields);
        if !i.reports.is_empty() {
            entry(&mut out, "    ", "reports", "");
            for report in &i.reports {
                let date = report.date.to_string();
                let fields = [
                    ("date", Field::Word(&date)),
                    ("status", Field::Word(report.status.key())),
                    ("text", Field::Text(&report.text)),
                ];
                sequence_entry(&mut out, 6, &fields);
            }
        }
    }
    out
}

impl PlanFile {
    /// The tree [`write()`]'s text reads back as, built without the text: every value a
    /// string as typed, under the keys in the file's order. Spans are empty: the tree
    /// was never a file.
    pub fn to_node(&self) -> Node {
        let items = self.items.iter().map(PlanEntry::to_node).collect();
        map(vec![
            ("unit", string(&self.unit)),
            ("inspection_date", string(&self.inspection_date.to_string())),
            ("items", node(Value::Seq(items))),
        ])
    }
}

impl PlanEntry {
    fn to_node(&self) -> Node {
        let mut fields = vec![
            ("indicator", string(&self.indicator)),
            ("action", string(&self.action)),
            ("deadline", string(&self.deadline)),
        ];
        fields.extend(
            self.deadline_note
                .as_deref()
                .map(|n| ("deadline_note", string(n))),
        );
        fields.push(("responsible", string(&self.responsible)));
        fields.push(("follow_up", string(&self.follow_up)));
        fields.extend(
            self.follow_up_note
                .as_deref()
                .map(|n| ("follow_up_note", string(n))),
        );
        fields.push(("follow_up_responsible", string(&self.follow_up_responsible)));
        if !self.reports.is_empty() {
            let reports = self
                .reports
                .iter()
                .map(|r| {
                    map(vec![
                        ("date", string(&r.date.to_string())),
                        ("status", string(r.status.key())),
                        ("text", string(&r.text)),
                    ])
                })
                .collect();
            fields.push(("reports", node(Value::Seq(reports))));
        }
        map(fields)
    }
}

fn node(value: Value) -> Node {
    Node {
        value,
        span: (0, 0),
        written: String::new(),
    }
}

fn string(text: &str) -> Node {
    node(Value::Str(text.to_string()))
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    node(Value::Map(
        entries.into_iter().map(|(k, v)| (string(k), v)).collect(),
    ))
}
