//! The report model, built from questionnaires in memory.

use super::*;
use spur_core::grading::grade;
use spur_core::testing::{parse_text, questionnaire_text};

fn report(regulations: &str, answers: &[(&str, &str)]) -> Report {
    let q = parse_text(&questionnaire_text(regulations, answers, "")).unwrap();
    let grading = grade(Catalog::embedded(), &q, None);
    let inspection = Inspection {
        questionnaire: q,
        plan: None,
        grading,
        warnings: Vec::new(),
    };
    build(Catalog::embedded(), &inspection, Marking::Final)
}

fn area(r: &Report, id: char) -> &AreaView {
    r.groups
        .iter()
        .flat_map(|g| &g.areas)
        .find(|a| a.id == id)
        .unwrap()
}

fn headings(r: &Report, id: char) -> Vec<&str> {
    area(r, id)
        .kinds
        .iter()
        .map(|k| k.heading.as_str())
        .collect()
}

#[test]
fn indicators_are_grouped_by_kind_with_version_marks() {
    let r = report("[2015, 2021]", &[]);
    assert_eq!(
        headings(&r, 'E'),
        vec![
            "Föreskrift",
            "Föreskrift (endast 2021)",
            "Allmänna råd",
            "Allmänna råd (endast 2015)",
            "Kvalitetsindikatorer"
        ]
    );
    let only_2021: Vec<&str> = area(&r, 'E').kinds[1]
        .indicators
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(only_2021, vec!["E6", "E7"]);
    assert_eq!(
        headings(&r, 'G'),
        vec![
            "Föreskrift",
            "Föreskrift (endast 2015)",
            "Allmänna råd",
            "Kvalitetsindikatorer",
            "Kvalitetsindikator (endast 2021)"
        ]
    );
}

#[test]
fn a_single_version_report_has_no_marks_and_omits_what_does_not_apply() {
    let r = report("[2021]", &[]);
    let g = area(&r, 'G');
    assert!(g.kinds.iter().all(|k| !k.heading.contains("endast")));
    assert!(
        g.kinds
            .iter()
            .flat_map(|k| &k.indicators)
            .all(|i| i.id != "G5")
    );
}

fn scale_grades(r: &Report, id: char) -> Vec<Grade> {
    area(r, id).scales[0]
        .lines
        .iter()
        .map(|l| l.grade)
        .collect()
}

#[test]
fn the_scale_has_no_c_without_allmanna_rad_and_e_only_where_graded_e() {
    let r = report("[2015, 2021]", &[("A1", "{answer: no, serious: true}")]);
    let a = area(&r, 'A');
    assert_eq!(a.scales.len(), 1);
    assert_eq!(a.scales[0].versions, vec!["2015", "2021"]);
    assert_eq!(
        scale_grades(&r, 'A'),
        vec![Grade::A, Grade::B, Grade::D, Grade::E]
    );
    assert_eq!(
        scale_grades(&r, 'D'),
        vec![Grade::A, Grade::B, Grade::C, Grade::D]
    );
    assert_eq!(scale_grades(&r, 'C'), vec![Grade::A, Grade::B, Grade::D]);
    assert!(r.any_e);
    let r = report("[2015, 2021]", &[("D6", "no")]);
    assert!(!r.any_e);
    assert!(r.groups.iter().flat_map(|g| &g.areas).all(|a| {
        a.scales
            .iter()
            .flat_map(|s| &s.lines)
            .all(|l| l.grade != Grade::E)
    }));
}

#[test]
fn a_note_on_how_another_version_stands_is_shown_only_where_that_version_is_graded() {
    let note = |regulations: &str| {
        let r = report(regulations, &[]);
        area(&r, 'E')
            .kinds
            .iter()
            .flat_map(|k| &k.indicators)
            .find(|i| i.id == "E6")
            .and_then(|i| i.note.clone())
    };
    assert_eq!(
        note("[2015, 2021]").as_deref(),
        Some("För ST enligt 2015:8 är verksamhetschef ansvarig enligt ovan")
    );
    assert_eq!(note("[2021]"), None);
}

#[test]
fn an_override_reason_shared_by_every_version_is_told_once() {
    let with = |o: &str| {
        let text = questionnaire_text("[2015, 2021]", &[], "")
            .replace("  F:\n", &format!("  F:\n    override:\n{o}"));
        let q = parse_text(&text).unwrap();
        let grading = grade(Catalog::embedded(), &q, None);
        let inspection = Inspection {
            questionnaire: q,
            plan: None,
            grading,
            warnings: Vec::new(),
        };
        build(Catalog::embedded(), &inspection, Marking::Final)
    };
    let r =
        with("      2015: {grade: B, reason: Samma.}\n      2021: {grade: B, reason: Samma.}\n");
    let f = area(&r, 'F');
    assert_eq!(f.override_reason.as_deref(), Some("Samma."));
    assert!(
        f.grades
            .iter()
            .all(|g| g.overridden && g.override_reason.is_none())
    );
    let r = with("      2015: {grade: B, reason: Ett.}\n      2021: {grade: B, reason: Två.}\n");
    let f = area(&r, 'F');
    assert_eq!(f.override_reason, None);
    let reasons: Vec<_> = f
        .grades
        .iter()
        .map(|g| g.override_reason.as_deref())
        .collect();
    assert_eq!(reasons, vec![Some("Ett."), Some("Två.")]);
    let r = with("      2021: {grade: B, reason: Ett.}\n");
    let f = area(&r, 'F');
    assert_eq!(f.override_reason, None);
    assert!(!f.grades[0].overridden && f.grades[1].override_reason.is_some());
}

fn survey(
    answered: &[(Role, u32)],
    asked: Option<&[(Role, u32)]>,
    interviewed: &[(Role, u32)],
) -> Survey {
    let counts = |c: &[(Role, u32)]| c.iter().copied().collect::<Counts>();
    Survey {
        answered: counts(answered),
        asked: asked.map(counts),
        interviewed: Some(counts(interviewed)).filter(|c| !c.is_empty()),
    }
}

#[test]
fn the_survey_reads_as_in_seed_004() {
    use Role::*;
    let boo = survey(
        &[
            (StLakare, 10),
            (Handledare, 12),
            (Studierektorer, 2),
            (Verksamhetschef, 0),
        ],
        None,
        &[(StLakare, 6), (Handledare, 8), (Ledning, 3)],
    );
    assert_eq!(
        survey_text(&boo).unwrap(),
        "Enkät inför granskningstillfället besvarad av 10 ST-läkare, 12 handledare samt 2 \
         studierektorer, inget svar från verksamhetschef. Vid granskningstillfället deltog 6 \
         ST-läkare, 8 handledare samt 3 personer med chefs-/ledningsansvar."
    );
    let one_each = survey(
        &[(Studierektorer, 1), (Verksamhetschef, 1)],
        None,
        &[(Ledning, 1)],
    );
    assert_eq!(
        survey_text(&one_each).unwrap(),
        "Enkät inför granskningstillfället besvarad av 1 studierektor samt verksamhetschef. \
         Vid granskningstillfället deltog 1 person med chefs-/ledningsansvar."
    );
    let none_asked = survey(
        &[(StLakare, 3), (Verksamhetschef, 0)],
        Some(&[(StLakare, 4), (Verksamhetschef, 0)]),
        &[],
    );
    assert_eq!(
        survey_text(&none_asked).unwrap(),
        "Enkät inför granskningstillfället besvarad av 3 ST-läkare."
    );
    let silent = survey(&[(StLakare, 0), (Handledare, 0)], None, &[]);
    assert_eq!(
        survey_text(&silent).unwrap(),
        "Enkät inför granskningstillfället: inget svar från ST-läkare eller handledare."
    );
    assert_eq!(survey_text(&survey(&[], None, &[])), None);
}

#[test]
fn the_plan_prints_the_units_words_where_it_gave_them() {
    let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    assert_eq!(
        shown_date(date, Some("Årsskiftet 26-27 samt årligen vid årsskifte")),
        "Årsskiftet 26-27 samt årligen vid årsskifte"
    );
    assert_eq!(shown_date(date, None), "2026-12-31");
}

#[test]
fn the_plan_request_marks_version_only_items_urgent_areas_and_recommendations() {
    let r = report(
        "[2015, 2021]",
        &[
            ("E7", "no"),
            ("D6", "no"),
            ("D8", "no"),
            ("H1", "{answer: no, serious: true}"),
        ],
    );
    // "area, !" for urgent, required items with their mark, "|", recommended.
    let request: Vec<String> = r
        .plan
        .request
        .iter()
        .map(|a| {
            let required: Vec<String> = a
                .required
                .iter()
                .map(|i| match &i.only {
                    Some(only) => format!("{} ({only})", i.id),
                    None => i.id.clone(),
                })
                .collect();
            let recommended: Vec<&str> = a.recommended.iter().map(|i| i.id.as_str()).collect();
            let urgent = if a.urgent { "!" } else { "" };
            format!(
                "{}{urgent}: {} | {}",
                a.area,
                required.join(", "),
                recommended.join(", ")
            )
        })
        .collect();
    assert_eq!(
        request,
        vec!["D: D6 | D8", "E: E7 (endast 2021) | ", "H!: H1 | "]
    );
    assert!(r.plan.any_required);
    let r = report("[2015, 2021]", &[("D8", "no")]);
    assert!(!r.plan.any_required);
    assert_eq!(r.plan.request.len(), 1);
}

#[test]
fn before_a_plan_the_required_items_are_listed() {
    let r = report("[2015, 2021]", &[("H9", "no"), ("D6", "partly")]);
    let ids: Vec<&str> = r
        .plan
        .request
        .iter()
        .flat_map(|a| &a.required)
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(ids, vec!["D6", "H9"]);
    assert!(r.plan.received.is_none());
    assert_eq!(
        area(&r, 'D').kinds[0].indicators[5].result,
        "Delvis uppfylld"
    );
}

#[test]
fn dates_are_written_in_swedish() {
    assert_eq!(
        swedish_date(NaiveDate::from_ymd_opt(2025, 2, 12).unwrap()),
        "12 februari 2025"
    );
}
