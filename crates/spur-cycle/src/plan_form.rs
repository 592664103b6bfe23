//! The unit's action plan as a web form: which items it asks for, the plan file (SPEC
//! §5) written from what was typed, the typed values read back from such a file, and
//! the plan's problems placed at their fields. Pure functions; the service is the shell.

use std::collections::BTreeMap;

use serde::Serialize;

use spur_core::catalog::Catalog;
use spur_core::diagnostic::{Diagnostic, Source};
use spur_core::grading::Grading;
use spur_core::plan;
use spur_core::plan::file::{PlanEntry, PlanFile};
use spur_core::questionnaire::Questionnaire;
use spur_core::yaml::{self, Value};

/// The fields of one plan entry, in the order the form shows them: the keys the unit
/// fills in after `indicator` (the follow-up's `reports` have their own pages).
pub const FIELDS: &[&str] = plan::ENTRY_KEYS.split_at(1).1;

/// The fields a unit may leave empty: its own words beside a date.
pub const OPTIONAL: [&str; 2] = ["deadline_note", "follow_up_note"];

/// Each field's label, in seed 004's words.
pub const LABELS: [(&str, &str); 7] = [
    ("action", "Planerad åtgärd"),
    ("deadline", "Datum när åtgärden ska vara genomförd"),
    (
        "deadline_note",
        "Datum när åtgärden ska vara genomförd, med egna ord (frivilligt)",
    ),
    ("responsible", "Ansvarig för genomförandet"),
    ("follow_up", "Datum för uppföljning"),
    (
        "follow_up_note",
        "Datum för uppföljning, med egna ord (frivilligt)",
    ),
    ("follow_up_responsible", "Ansvarig för uppföljningen"),
];

/// The hint under a field's label, where one helps (the deadline's names the day of
/// the visit, and is made with it).
pub const HINTS: [(&str, &str); 3] = [
    (
        "deadline_note",
        "Till exempel ”Årsskiftet 26-27”. Rapporten visar då era ord; datumet ovan används för uppföljningen.",
    ),
    (
        "follow_up",
        "På eller efter datumet då åtgärden ska vara genomförd.",
    ),
    (
        "follow_up_note",
        "Till exempel ”Årsskiftet 26-27 samt årligen vid årsskifte”.",
    ),
];

/// What the unit typed for one indicator, field by field, exactly as typed.
pub type Typed = BTreeMap<String, String>;

/// What the unit typed for every indicator of the form.
pub type Entries = BTreeMap<String, Typed>;

/// `stored` with every field in `posted` put in its place: a page that posts one item,
/// or some of its fields, changes only those.
pub fn overlay(mut stored: Entries, posted: Entries) -> Entries {
    for (indicator, fields) in posted {
        stored.entry(indicator).or_default().extend(fields);
    }
    stored
}

/// One item of the form.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The indicator's id, e.g. `D6`.
    pub indicator: String,
    /// The area's letter and title, e.g. "D. Tjänstgöringens upplägg".
    pub area: String,
    /// The indicator's wording.
    pub text: String,
    /// The inspectors' comment on the answer, if any.
    pub comment: Option<String>,
    /// Whether an entry is required (an unmet föreskrift) or only recommended.
    pub required: bool,
}

/// The items of the plan form: the required ones, then the recommended ones, each in
/// catalog order.
pub fn items(catalog: &Catalog, questionnaire: &Questionnaire, grading: &Grading) -> Vec<Item> {
    let required = grading.required_items();
    let recommended = plan::recommended_items(catalog, questionnaire, grading);
    let item = |id: &String, required: bool| {
        let indicator = catalog.indicator(id)?;
        let area = catalog.area_of(id)?;
        Some(Item {
            indicator: id.clone(),
            area: format!("{}. {}", area.id, area.title),
            text: indicator.text.clone(),
            comment: questionnaire.response(id).and_then(|r| r.comment.clone()),
            required,
        })
    };
    required
        .iter()
        .filter_map(|id| item(id, true))
        .chain(recommended.iter().filter_map(|id| item(id, false)))
        .collect()
}

/// The plan file for what was typed: every required item, and each recommended one
/// where something was typed; notes left empty are no notes. The typed writer makes
/// the file, so every value reads back exactly as typed, whatever it looks like.
pub fn plan_file(questionnaire: &Questionnaire, items: &[Item], entries: &Entries) -> PlanFile {
    let written = items.iter().filter_map(|item| {
        let typed = entries.get(&item.indicator);
        let value = |field: &str| {
            typed
                .and_then(|t| t.get(field))
                .cloned()
                .unwrap_or_default()
        };
        if !item.required && FIELDS.iter().all(|f| value(f).trim().is_empty()) {
            return None;
        }
        let note = |field: &str| Some(value(field)).filter(|v| !v.trim().is_empty());
        Some(PlanEntry {
            indicator: item.indicator.clone(),
            action: value("action"),
            deadline: value("deadline"),
            deadline_note: note("deadline_note"),
            responsible: value("responsible"),
            follow_up: value("follow_up"),
            follow_up_note: note("follow_up_note"),
            follow_up_responsible: value("follow_up_responsible"),
            // The plan's form is filled in before any follow-up: it has no reports.
            reports: Vec::new(),
        })
    });
    PlanFile {
        unit: questionnaire.unit.name.clone(),
        inspection_date: questionnaire.inspection.date,
        items: written.collect(),
    }
}

/// What a plan file holds, field by field, as the form shows it; values that are not
/// text (a date written unquoted) are shown as written. A file that is not a plan (not
/// YAML, or without its list of `items`) is refused with why: a stored plan that cannot
/// be read must never show as an empty form.
pub fn entries_of(source: &Source) -> Result<Entries, String> {
    let mut entries = Entries::new();
    let root = yaml::parse(source).map_err(|d| d.message)?;
    let Value::Map(top) = &root.value else {
        return Err("filen är ingen handlingsplan: den saknar nycklar".into());
    };
    let items = top
        .iter()
        .find(|(k, _)| k.key_text() == "items")
        .map(|(_, v)| v);
    let Some(Value::Seq(items)) = items.map(|n| &n.value) else {
        return Err("filen är ingen handlingsplan: listan items saknas".into());
    };
    for item in items {
        let Value::Map(fields) = &item.value else {
            continue;
        };
        let text = |key: &str| {
            fields
                .iter()
                .find(|(k, _)| k.key_text() == key)
                .map(|(_, v)| match &v.value {
                    Value::Str(s) => s.clone(),
                    Value::Null => String::new(),
                    _ => v.key_text(),
                })
        };
        let Some(indicator) = text("indicator") else {
            continue;
        };
        let typed: Typed = FIELDS
            .iter()
            .filter_map(|f| Some((f.to_string(), text(f)?)))
            .collect();
        entries.insert(indicator, typed);
    }
    Ok(entries)
}

/// The plan's problems, for the form: those of a field (indicator, field, message),
/// and those of the plan as a whole.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Problems {
    /// Problems at a field.
    pub fields: Vec<FieldProblem>,
    /// Problems of the whole plan, such as a required item left without an action.
    pub general: Vec<String>,
}

/// A problem at one field of the form.
#[derive(Debug, Clone, Serialize)]
pub struct FieldProblem {
    /// The indicator of the entry.
    pub indicator: String,
    /// The field, a plan key.
    pub field: String,
    /// What is wrong, in Swedish.
    pub message: String,
}

impl Problems {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }
}

/// Places the problems of `plan` (as [`plan_file`] made it) at the fields they
/// concern: a problem's path `items[N].field` names the N-th entry written.
pub fn problems(plan: &PlanFile, items: &[Item], problems: &[Diagnostic]) -> Problems {
    let written: Vec<&str> = plan.items.iter().map(|e| e.indicator.as_str()).collect();
    let mut found = Problems::default();
    for d in problems {
        let located = d
            .path
            .strip_prefix("items[")
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(index, rest)| {
                let indicator = written.get(index.parse::<usize>().ok()?)?;
                let field = rest.strip_prefix('.').unwrap_or("action");
                let field = if FIELDS.contains(&field) {
                    field
                } else {
                    "action"
                };
                Some((indicator.to_string(), field.to_string()))
            });
        match located {
            Some((indicator, field)) => found.fields.push(FieldProblem {
                indicator,
                field,
                message: sentence(&d.message),
            }),
            None => found.general.push(sentence(&d.message)),
        }
    }
    // Items that the form shows but did not write cannot have problems of their own.
    found
        .fields
        .retain(|p| items.iter().any(|i| i.indicator == p.indicator));
    found
}

/// A message as a sentence: capital first letter, full stop.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let rest: String = chars.collect();
    let mut s = first + &rest;
    if !s.ends_with(['.', '?', '!']) {
        s.push('.');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use spur_core::fonts;
    use spur_core::grading;
    use spur_core::testing::{parse_text, questionnaire_text};

    #[test]
    fn the_form_asks_each_field_of_an_entry_once_and_no_follow_up() {
        let labelled: Vec<&str> = LABELS.iter().map(|(f, _)| *f).collect();
        assert_eq!(FIELDS, labelled.as_slice());
        assert!(!FIELDS.contains(&"reports") && !FIELDS.contains(&"indicator"));
        assert_eq!(&plan::ITEM_KEYS[..plan::ENTRY_KEYS.len()], plan::ENTRY_KEYS);
        assert_eq!(plan::ITEM_KEYS.last(), Some(&"reports"));
    }

    #[test]
    fn an_overlay_changes_only_the_fields_posted() {
        let stored = Entries::from([
            (
                "D6".into(),
                typed(&[("action", "Gammal"), ("responsible", "ST-chef")]),
            ),
            ("E1".into(), typed(&[("action", "Orörd")])),
        ]);
        let posted = Entries::from([
            ("D6".into(), typed(&[("action", "Ny"), ("deadline", "")])),
            ("H1".into(), typed(&[("action", "Första")])),
        ]);
        let merged = overlay(stored, posted);
        assert_eq!(
            merged["D6"],
            typed(&[
                ("action", "Ny"),
                ("deadline", ""),
                ("responsible", "ST-chef")
            ])
        );
        assert_eq!(merged["E1"], typed(&[("action", "Orörd")]));
        assert_eq!(merged["H1"], typed(&[("action", "Första")]));
    }

    fn inspection() -> (Questionnaire, Grading) {
        let text = questionnaire_text("[2015, 2021]", &[("D6", "no"), ("D7", "no")], "");
        let q = parse_text(&text).unwrap();
        let g = grading::grade(Catalog::embedded(), &q, None);
        (q, g)
    }

    fn typed(pairs: &[(&str, &str)]) -> Typed {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_asks_for_required_then_recommended_items() {
        let (q, g) = inspection();
        let items = items(Catalog::embedded(), &q, &g);
        let shown: Vec<(&str, bool)> = items
            .iter()
            .map(|i| (i.indicator.as_str(), i.required))
            .collect();
        assert_eq!(shown, [("D6", true), ("D7", false)]);
    }

    #[test]
    fn what_was_typed_comes_back_exactly_and_checks_as_a_plan() {
        let (q, g) = inspection();
        let items = items(Catalog::embedded(), &q, &g);
        let odd = "Rad ett\n  \"citat\" \\ #inte kommentar: 0701234567 <script>";
        let mut entries = Entries::new();
        entries.insert(
            "D6".into(),
            typed(&[
                ("action", odd),
                ("deadline", "2026-05-31"),
                ("deadline_note", "Vårterminen"),
                ("responsible", "007"),
                ("follow_up", "2026-12-31"),
                ("follow_up_responsible", "ST-chef"),
            ]),
        );
        let text = plan::file::write(&plan_file(&q, &items, &entries));
        let source = Source::new("plan.yaml", text.clone());
        let back = entries_of(&source).unwrap();
        assert_eq!(back["D6"]["action"], odd);
        assert_eq!(back["D6"]["responsible"], "007");
        assert!(!back.contains_key("D7"), "en tom rekommenderad post skrevs");
        let checked = plan::check(&source, Catalog::embedded(), &q, &g, &fonts::can_show);
        assert!(checked.errors.is_empty(), "{:?}", checked.errors);
        assert!(checked.missing.is_empty());
    }

    #[test]
    fn problems_land_at_their_fields() {
        let (q, g) = inspection();
        let items = items(Catalog::embedded(), &q, &g);
        let mut entries = Entries::new();
        entries.insert(
            "D6".into(),
            typed(&[
                ("deadline", "2025-01-01"),
                ("follow_up", "31 maj"),
                ("action", "Gör något"),
            ]),
        );
        let file = plan_file(&q, &items, &entries);
        let source = Source::new("plan.yaml", plan::file::write(&file));
        let checked = plan::check(&source, Catalog::embedded(), &q, &g, &|_| true);
        let found = problems(&file, &items, &checked.errors);
        let at: Vec<(&str, &str)> = found
            .fields
            .iter()
            .map(|p| (p.indicator.as_str(), p.field.as_str()))
            .collect();
        for expected in [
            ("D6", "deadline"),
            ("D6", "follow_up"),
            ("D6", "responsible"),
            ("D6", "follow_up_responsible"),
        ] {
            assert!(at.contains(&expected), "{expected:?} saknas i {at:?}");
        }
        assert!(found.fields.iter().all(|p| p.message.ends_with('.')));
    }
}
