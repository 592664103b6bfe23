//! The plan's validation against the inspection it answers.

use super::*;
use crate::grading::grade;
use crate::testing::{parse_text, questionnaire_text};

fn inspection() -> (Questionnaire, Grading) {
    let q = parse_text(&questionnaire_text(
        "[2015, 2021]",
        &[("D6", "no"), ("E7", "partly"), ("D7", "no"), ("B8", "no")],
        "",
    ))
    .unwrap();
    let g = grade(Catalog::embedded(), &q, None);
    (q, g)
}

fn item(id: &str, deadline: &str, follow_up: &str) -> String {
    format!(
        "  - indicator: {id}\n    action: Uppdatera IUP.\n    deadline: {deadline}\n    responsible: ST-chef\n    follow_up: {follow_up}\n    follow_up_responsible: Verksamhetschef\n"
    )
}

fn check_text(text: &str) -> Checked {
    let (q, g) = inspection();
    check(
        &Source::new("plan.yaml", text.to_string()),
        Catalog::embedded(),
        &q,
        &g,
        &|_| true,
    )
}

const HEAD: &str = "unit: Testenheten\ninspection_date: 2025-02-12\nitems:\n";

#[test]
fn a_complete_plan_is_valid_and_covers_the_required_items() {
    let c = check_text(&format!(
        "{HEAD}{}{}{}",
        item("D6", "2026-05-31", "2026-12-31"),
        item("E7", "2026-05-31", "2026-05-31"),
        item("D7", "2026-01-01", "2026-06-01")
    ));
    assert!(
        c.errors.is_empty() && c.missing.is_empty(),
        "{:#?}",
        c.errors
    );
    let plan = c.plan.unwrap();
    assert_eq!(plan.items.len(), 3);
    assert_eq!(plan.item("D6").unwrap().responsible, "ST-chef");
}

#[test]
fn missing_required_items_are_listed_separately() {
    let c = check_text(&format!("{HEAD}{}", item("D6", "2026-05-31", "2026-12-31")));
    assert!(c.errors.is_empty());
    assert_eq!(c.missing.len(), 1);
    assert!(
        c.missing[0].message.starts_with("åtgärd saknas för E7"),
        "{}",
        c.missing[0].message
    );
    assert!(c.plan.is_some());
}

#[test]
fn every_entry_rule_is_checked() {
    let text = format!(
        "unit: Annan enhet\ninspection_date: 2025-02-13\nitems:\n{}{}{}{}{}",
        item("D6", "2025-02-12", "2026-12-31"),
        item("D6", "2026-05-31", "2026-12-31"),
        item("E7", "2026-05-31", "2026-04-30"),
        item("B8", "2026-05-31", "2026-12-31"),
        "  - indicator: D7\n    action: ''\n    deadline: ''\n    responsible: ''\n    follow_up: ''\n    follow_up_responsible: ''\n",
    );
    let c = check_text(&text);
    let messages: Vec<&str> = c.errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "handlingsplanen gäller ”Annan enhet”, men granskningen gäller ”Testenheten”",
            "granskningen gjordes 2025-02-12, inte 2025-02-13",
            "åtgärden ska vara genomförd 2025-02-12, men granskningen gjordes 2025-02-12",
            "indikatorn ”D6” har redan en post i planen",
            "uppföljningen 2026-04-30 ligger före tidsgränsen 2026-05-31",
            "indikatorn ”B8” kräver ingen åtgärd",
            "texten är tom",
            "texten är tom",
            "texten är tom",
            "datum saknas",
            "datum saknas",
        ]
    );
    assert!(c.plan.is_none());
    assert!(c.errors.iter().all(|d| d.line > 0));
}

#[test]
fn unmet_allmanna_rad_are_recommended_not_required() {
    let (q, g) = inspection();
    assert_eq!(recommended_items(Catalog::embedded(), &q, &g), vec!["D7"]);
    assert_eq!(g.required_items(), vec!["D6", "E7"]);
}

/// A plan file as the form makes it, with `deadline` for D6 and `action` for D7.
fn typed_file(deadline: &str, action: &str) -> file::PlanFile {
    let entry = |id: &str, deadline: &str, action: &str| file::PlanEntry {
        indicator: id.into(),
        action: action.into(),
        deadline: deadline.into(),
        deadline_note: Some("Årsskiftet 25-26".into()),
        responsible: "ST-chef".into(),
        follow_up: "2025-12-01".into(),
        follow_up_note: None,
        follow_up_responsible: "Verksamhetschef".into(),
        reports: Vec::new(),
    };
    file::PlanFile {
        unit: "Testenheten".into(),
        inspection_date: NaiveDate::from_ymd_opt(2025, 2, 12).unwrap(),
        items: vec![
            entry("D6", deadline, "Uppdatera IUP."),
            entry("D7", "2025-09-01", action),
            entry("no", "2025-09-01", "yes"),
        ],
    }
}

#[test]
fn the_typed_check_finds_what_the_files_check_finds_at_the_same_paths() {
    let (q, g) = inspection();
    let catalog = Catalog::embedded();
    for (deadline, action) in [
        ("2025-09-01", "Handledarutbildning."),
        ("31 maj", ""),
        ("2025-01-01", "  \u{1b}"),
    ] {
        let typed = typed_file(deadline, action);
        let text = file::write(&typed);
        let by_file = check(&Source::new("plan.yaml", text), catalog, &q, &g, &|_| true);
        let by_type = check_file(&typed, catalog, &q, &g, &|_| true);
        let said = |c: &Checked| -> Vec<(String, String)> {
            c.errors
                .iter()
                .chain(&c.missing)
                .map(|d| (d.path.clone(), d.message.clone()))
                .collect()
        };
        assert_eq!(said(&by_type), said(&by_file), "{deadline:?} {action:?}");
        assert!(
            !said(&by_file).is_empty(),
            "{deadline:?}: the plan lacks E7 and B8"
        );
        assert_eq!(by_type.plan, by_file.plan);
    }
}
