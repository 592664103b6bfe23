//! Fill-in skeletons written from `templates/`: the inspector's questionnaire
//! (`spur init`) and the unit's action plan (`spur plan-template`).

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::{Catalog, Group, Indicator, Version};
use crate::grading::Grading;
use crate::plan;
use crate::questionnaire::Questionnaire;

const QUESTIONNAIRE: &str = include_str!("../../../templates/questionnaire.yaml.tera");
const PLAN: &str = include_str!("../../../templates/plan.yaml.tera");

/// An indicator as a skeleton's comments show it.
#[derive(Serialize)]
pub struct IndicatorView<'a> {
    id: &'a str,
    area: char,
    area_title: &'a str,
    /// Its kinds under each regulation, e.g. "föreskrift 2015, allmänt råd 2021".
    pub kinds: String,
    /// Its text, wrapped to the comment's width.
    pub lines: Vec<String>,
    comment: Vec<String>,
}

#[derive(Serialize)]
struct AreaView<'a> {
    id: char,
    title: &'a str,
    group: &'static str,
    indicators: Vec<IndicatorView<'a>>,
}

/// Breaks text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// An indicator as a skeleton's comments show it, under `versions`, with the
/// inspectors' `comment` if any.
pub fn view<'a>(
    catalog: &'a Catalog,
    indicator: &'a Indicator,
    versions: &[Version],
    comment: Option<&str>,
) -> IndicatorView<'a> {
    let area = catalog.area_of(&indicator.id);
    let mut text = indicator.text.clone();
    if let Some(note) = &indicator.note {
        text = format!("{text} ({note})");
    }
    IndicatorView {
        id: &indicator.id,
        area: area.map_or('?', |a| a.id),
        area_title: area.map_or("", |a| a.title.as_str()),
        kinds: indicator.kinds_phrase(versions),
        lines: wrap(&text, 80),
        comment: comment.map(|c| wrap(c, 70)).unwrap_or_default(),
    }
}

/// A skeleton template that failed: a fault of spur, since the templates are part of
/// the binary.
#[derive(Debug, thiserror::Error)]
#[error("mallen {name} kunde inte fyllas i: {reason}")]
pub struct TemplateError {
    /// The template's name.
    pub name: String,
    /// Why, as the template engine put it.
    pub reason: String,
}

/// Renders the template `template`, called `name`, with `context`.
fn render(name: &str, template: &str, context: &tera::Context) -> Result<String, TemplateError> {
    let mut tera = tera::Tera::new();
    tera.add_raw_template(name, template)
        .and_then(|_| tera.render(name, context))
        .map_err(|e| TemplateError {
            name: name.to_string(),
            reason: format!("{e:?}"),
        })
}

/// The questionnaire skeleton: every area and indicator, each indicator's text and
/// kind per version as a comment, dated `today`.
pub fn questionnaire(
    catalog: &Catalog,
    today: NaiveDate,
    file: &str,
) -> Result<String, TemplateError> {
    let areas: Vec<AreaView> = catalog
        .areas
        .iter()
        .map(|area| AreaView {
            id: area.id,
            title: &area.title,
            group: match area.group {
                Group::Struktur => "STRUKTUR",
                Group::Process => "PROCESS",
            },
            indicators: area
                .indicators
                .iter()
                .map(|i| view(catalog, i, &Version::ALL, None))
                .collect(),
        })
        .collect();
    let mut context = tera::Context::new();
    context.insert("areas", &areas);
    context.insert("today", &today.to_string());
    context.insert("file", file);
    context.insert("schema", crate::schema::FILE_NAME);
    render("questionnaire.yaml", QUESTIONNAIRE, &context)
}

/// The action-plan skeleton for the unit: one empty entry per required item, then the
/// recommended ones commented out. `None` when nothing is required or recommended.
pub fn plan(
    catalog: &Catalog,
    questionnaire: &Questionnaire,
    grading: &Grading,
) -> Result<Option<String>, TemplateError> {
    let versions = &questionnaire.inspection.regulations;
    let views = |ids: Vec<String>| -> Vec<IndicatorView> {
        ids.iter()
            .filter_map(|id| catalog.indicator(id))
            .map(|i| {
                view(
                    catalog,
                    i,
                    versions,
                    questionnaire
                        .response(&i.id)
                        .and_then(|r| r.comment.as_deref()),
                )
            })
            .collect()
    };
    let items = views(grading.required_items());
    if items.is_empty() {
        return Ok(None);
    }
    let recommended = views(plan::recommended_items(catalog, questionnaire, grading));
    let mut context = tera::Context::new();
    context.insert("unit", &questionnaire.unit.name);
    context.insert(
        "unit_yaml",
        &serde_json::to_string(&questionnaire.unit.name).map_err(|e| TemplateError {
            name: "plan.yaml".into(),
            reason: e.to_string(),
        })?,
    );
    context.insert("date", &questionnaire.inspection.date.to_string());
    context.insert(
        "plan_due",
        &questionnaire.inspection.plan_due.map(|d| d.to_string()),
    );
    context.insert("items", &items);
    context.insert("recommended", &recommended);
    render("plan.yaml", PLAN, &context).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Source;
    use crate::grading::grade;
    use crate::testing::{parse_text, questionnaire_text};

    #[test]
    fn the_questionnaire_skeleton_lists_every_indicator_and_passes_once_answered() {
        let c = Catalog::embedded();
        let text = questionnaire(
            c,
            NaiveDate::from_ymd_opt(2025, 2, 12).unwrap(),
            "granskning.yaml",
        )
        .unwrap();
        for area in &c.areas {
            for i in &area.indicators {
                assert!(text.contains(&format!("      {}:\n", i.id)), "{}", i.id);
            }
        }
        assert!(text.contains("# E7, föreskrift 2021, allmänt råd 2015:"));
        let unfilled =
            crate::questionnaire::parse(&Source::new("s.yaml", text.clone()), c, &|_| true)
                .unwrap_err();
        assert_eq!(unfilled.len(), 75);
        let mut filled = String::new();
        for line in text.lines() {
            filled.push_str(line);
            if line
                .trim_start()
                .chars()
                .next()
                .is_some_and(|ch| ch.is_ascii_uppercase())
                && line.ends_with(':')
                && line.starts_with("      ")
            {
                filled.push_str(" yes");
            }
            filled.push('\n');
        }
        let q = crate::questionnaire::parse(&Source::new("s.yaml", filled), c, &|_| true).unwrap();
        assert_eq!(q.inspection.date.to_string(), "2025-02-12");
    }

    #[test]
    fn the_plan_skeleton_has_one_empty_entry_per_required_item() {
        let q = parse_text(&questionnaire_text(
            "[2015, 2021]",
            &[
                ("H9", "{answer: no, comment: \"Ingen bedömning.\\nAlls.\"}"),
                ("D6", "no"),
                ("D7", "no"),
            ],
            "",
        ))
        .unwrap();
        let g = grade(Catalog::embedded(), &q, None);
        let text = plan(Catalog::embedded(), &q, &g).unwrap().unwrap();
        let entries: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("  - indicator: "))
            .collect();
        assert_eq!(entries, vec!["  - indicator: D6", "  - indicator: H9"]);
        assert!(text.contains("#  - indicator: D7"));
        assert!(
            text.contains("  # Granskarnas kommentar: Ingen bedömning.\n  #   Alls.\n"),
            "{text}"
        );
        assert!(text.contains("unit: \"Testenheten\"\ninspection_date: 2025-02-12\n"));
        assert_eq!(text.lines().filter(|l| *l == "    action: \"\"").count(), 2);
    }

    #[test]
    fn no_plan_skeleton_when_nothing_is_required() {
        let q = parse_text(&questionnaire_text("[2015]", &[("D7", "no")], "")).unwrap();
        let g = grade(Catalog::embedded(), &q, None);
        assert!(plan(Catalog::embedded(), &q, &g).unwrap().is_none());
    }
}
