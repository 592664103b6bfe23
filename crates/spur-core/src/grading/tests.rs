//! The grading rules of SPEC §4, one test per rule and per version.

use super::*;
use crate::testing::{parse_text, questionnaire_text};

fn grades_with(
    regulations: &str,
    answers: &[(&str, &str)],
    extra: &str,
    plan: Option<&PlanCoverage>,
) -> Grading {
    let q = parse_text(&questionnaire_text(regulations, answers, extra)).expect("giltigt formulär");
    grade(Catalog::embedded(), &q, plan)
}

fn grades(answers: &[(&str, &str)]) -> Grading {
    grades_with("[2015, 2021]", answers, "", None)
}

fn computed(g: &Grading, area: char) -> (Option<Grade>, Option<Grade>) {
    let a = g.area(area).unwrap();
    (
        a.version(Version::V2015).and_then(|v| v.computed),
        a.version(Version::V2021).and_then(|v| v.computed),
    )
}

use Grade::*;

#[test]
fn all_met_with_quality_indicators_is_a() {
    let g = grades(&[]);
    for area in &g.areas {
        for v in &area.versions {
            assert_eq!(v.computed, Some(A), "{}{:?}", area.id, v.version);
            assert!(v.required.is_empty());
        }
    }
    assert_eq!(
        g.area('A').unwrap().versions[0].reasons[0],
        "Bedömda föreskrifter följs; 1 av 1 bedömd kvalitetsindikator uppfylld"
    );
    assert!(
        g.area('B').unwrap().versions[0].reasons[0]
            .ends_with("; 3 av 3 bedömda kvalitetsindikatorer uppfyllda")
    );
}

#[test]
fn an_unmet_foreskrift_is_d_and_is_named() {
    let g = grades(&[("D6", "{answer: no, comment: IUP saknar bedömning}")]);
    assert_eq!(computed(&g, 'D'), (Some(D), Some(D)));
    let v = g.area('D').unwrap().version(Version::V2015).unwrap();
    assert_eq!(v.reasons, vec!["D6 (föreskrift) ej uppfylld"]);
    assert_eq!(v.required, vec!["D6"]);
}

#[test]
fn partly_counts_as_unmet() {
    let g = grades(&[("D6", "partly")]);
    assert_eq!(computed(&g, 'D'), (Some(D), Some(D)));
    assert_eq!(
        g.area('D').unwrap().versions[0].reasons,
        vec!["D6 (föreskrift) endast delvis uppfylld"]
    );
}

#[test]
fn a_serious_unmet_foreskrift_is_e() {
    let g = grades(&[("E1", "{answer: no, serious: true}")]);
    assert_eq!(computed(&g, 'E'), (Some(E), Some(E)));
    assert_eq!(
        g.area('E').unwrap().versions[0].reasons,
        vec!["E1 (föreskrift) ej uppfylld, allvarlig brist"]
    );
}

#[test]
fn more_than_half_of_the_foreskrifter_unmet_is_e_and_half_is_d() {
    // D has six föreskrifter: four unmet is a majority, three is not.
    let g = grades(&[("D1", "no"), ("D2", "no"), ("D4", "partly"), ("D6", "no")]);
    assert_eq!(computed(&g, 'D'), (Some(E), Some(E)));
    assert_eq!(
        g.area('D').unwrap().versions[0].reasons[0],
        "4 av 6 föreskrifter ej uppfyllda, fler än hälften"
    );
    let g = grades(&[("D1", "no"), ("D2", "no"), ("D6", "no")]);
    assert_eq!(computed(&g, 'D'), (Some(D), Some(D)));
}

#[test]
fn not_assessed_foreskrifter_still_count_in_the_majority_rule() {
    // A has three föreskrifter: one unmet, one not assessed: 2·1 > 3 is false.
    let g = grades(&[("A1", "no"), ("A2", "not_assessed")]);
    assert_eq!(computed(&g, 'A'), (Some(D), Some(D)));
    assert_eq!(g.area('A').unwrap().not_assessed, vec!["A2"]);
    let g = grades(&[("A1", "no"), ("A2", "no"), ("A3", "not_assessed")]);
    assert_eq!(computed(&g, 'A'), (Some(E), Some(E)));
}

#[test]
fn an_unmet_allmant_rad_is_c() {
    let g = grades(&[("D7", "no")]);
    assert_eq!(computed(&g, 'D'), (Some(C), Some(C)));
    assert_eq!(
        g.area('D').unwrap().versions[0].reasons,
        vec!["Bedömda föreskrifter följs", "D7 (allmänt råd) ej uppfyllt"]
    );
}

#[test]
fn one_unmet_quality_indicator_of_three_is_still_a() {
    let g = grades(&[("B8", "no")]);
    assert_eq!(computed(&g, 'B'), (Some(A), Some(A)));
    let g = grades(&[("B8", "no"), ("B9", "partly")]);
    assert_eq!(computed(&g, 'B'), (Some(B), Some(B)));
}

#[test]
fn an_unmet_quality_indicator_of_fewer_than_three_is_b() {
    let g = grades(&[("D12", "no")]);
    assert_eq!(computed(&g, 'D'), (Some(B), Some(B)));
    assert_eq!(
        g.area('D').unwrap().versions[0].reasons,
        vec![
            "Bedömda föreskrifter och allmänna råd följs",
            "D12 (kvalitetsindikator) ej uppfylld",
            "Ett enstaka undantag medges först när minst 3 kvalitetsindikatorer är bedömda; här är endast 2 bedömda"
        ]
    );
    let g = grades(&[("B8", "no"), ("B9", "not_assessed")]);
    assert_eq!(
        computed(&g, 'B'),
        (Some(B), Some(B)),
        "två bedömda: inget undantag"
    );
}

#[test]
fn no_assessed_quality_indicator_is_b() {
    let g = grades(&[("A4", "not_assessed")]);
    assert_eq!(computed(&g, 'A'), (Some(B), Some(B)));
    assert!(
        g.area('A').unwrap().versions[0]
            .reasons
            .contains(&"Ingen kvalitetsindikator är bedömd".to_string())
    );
}

#[test]
fn the_versions_are_graded_separately() {
    assert_eq!(computed(&grades(&[("E7", "no")]), 'E'), (Some(C), Some(D)));
    assert_eq!(computed(&grades(&[("G5", "no")]), 'G'), (Some(D), Some(A)));
    assert_eq!(computed(&grades(&[("E6", "no")]), 'E'), (Some(A), Some(D)));
}

#[test]
fn only_listed_versions_are_graded() {
    let g = grades_with("[2021]", &[], "", None);
    assert!(
        g.areas
            .iter()
            .all(|a| a.versions.len() == 1 && a.versions[0].version == Version::V2021)
    );
}

#[test]
fn areas_without_allmanna_rad_never_get_c() {
    let g = grades(&[]);
    for area in &g.areas {
        for v in &area.versions {
            assert_eq!(v.has_rad, !matches!(area.id, 'A' | 'C'), "{}", area.id);
        }
    }
}

#[test]
fn an_override_replaces_the_computed_grade_and_keeps_it() {
    let extra = "";
    let text_answers = [("D6", "no")];
    let q = parse_text(
        &questionnaire_text("[2015, 2021]", &text_answers, extra).replace(
            "  D:\n",
            "  D:\n    override:\n      2021: {grade: B, reason: Åtgärdat före rapporten.}\n",
        ),
    )
    .unwrap();
    let g = grade(Catalog::embedded(), &q, None);
    let d = g.area('D').unwrap();
    let v2021 = d.version(Version::V2021).unwrap();
    assert_eq!(
        (v2021.computed, v2021.base(), v2021.final_grade()),
        (Some(D), Some(B), Some(B))
    );
    assert_eq!(
        v2021.override_.as_ref().unwrap().reason,
        "Åtgärdat före rapporten."
    );
    assert_eq!(d.version(Version::V2015).unwrap().final_grade(), Some(D));
}

fn coverage(entries: &[&str], rejected: &[&str]) -> PlanCoverage {
    PlanCoverage {
        entries: entries.iter().map(|s| s.to_string()).collect(),
        rejected: rejected.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn a_complete_plan_moves_d_to_c_and_e_to_d() {
    let plan = coverage(&["D6", "E1"], &[]);
    let g = grades_with(
        "[2015, 2021]",
        &[("D6", "no"), ("E1", "{answer: no, serious: true}")],
        "",
        Some(&plan),
    );
    let d = g.area('D').unwrap().version(Version::V2015).unwrap();
    assert_eq!(
        (d.computed, d.adjusted, d.final_grade()),
        (Some(D), Some(C), Some(C))
    );
    let e = g.area('E').unwrap().version(Version::V2021).unwrap();
    assert_eq!((e.computed, e.adjusted), (Some(E), Some(D)));
}

#[test]
fn d_stays_in_an_area_without_c() {
    let plan = coverage(&["A1"], &[]);
    let g = grades_with("[2015]", &[("A1", "no")], "", Some(&plan));
    let a = g.area('A').unwrap().version(Version::V2015).unwrap();
    assert_eq!(
        (a.computed, a.adjusted, a.final_grade()),
        (Some(D), None, Some(D))
    );
}

#[test]
fn a_missing_or_rejected_entry_keeps_the_grade() {
    let answers = [("H2", "no"), ("H7", "no")];
    let plan = coverage(&["H2"], &[]);
    let h = grades_with("[2015]", &answers, "", Some(&plan)).areas[7].versions[0].clone();
    assert_eq!(
        (h.adjusted, h.missing.clone()),
        (None, vec!["H7".to_string()])
    );
    let plan = coverage(&["H2", "H7"], &["H7"]);
    let h = grades_with("[2015]", &answers, "", Some(&plan)).areas[7].versions[0].clone();
    assert_eq!(
        (h.adjusted, h.rejected.clone()),
        (None, vec!["H7".to_string()])
    );
}

#[test]
fn the_plan_is_judged_per_version() {
    // E7 is a föreskrift only under 2021: its entry matters there alone.
    let answers = [("E1", "no"), ("E7", "no")];
    let g = grades_with("[2015, 2021]", &answers, "", Some(&coverage(&["E1"], &[])));
    let e = g.area('E').unwrap();
    assert_eq!(e.version(Version::V2015).unwrap().adjusted, Some(C));
    assert_eq!(e.version(Version::V2021).unwrap().adjusted, None);
    assert_eq!(g.required_items(), vec!["E1", "E7"]);
}

#[test]
fn an_override_to_d_without_unmet_foreskrift_is_not_regraded() {
    let text = questionnaire_text("[2015]", &[], "").replace(
        "  F:\n",
        "  F:\n    override:\n      2015: {grade: D, reason: Kurser ställs in.}\n",
    );
    let q = parse_text(&text).unwrap();
    let g = grade(Catalog::embedded(), &q, Some(&PlanCoverage::default()));
    let f = g.area('F').unwrap().versions[0].clone();
    assert_eq!((f.base(), f.adjusted), (Some(D), None));
}

#[test]
fn the_plan_effect_is_told_only_where_the_grade_needed_a_plan() {
    let plan = coverage(&["D6"], &[]);
    let g = grades_with(
        "[2015]",
        &[("D6", "no"), ("A1", "no"), ("H2", "no")],
        "",
        Some(&plan),
    );
    let effect = |area: char| g.area(area).unwrap().versions[0].plan_effect();
    assert_eq!(effect('D'), Some(PlanEffect::Adjusted(C)));
    assert_eq!(
        effect('A'),
        Some(PlanEffect::Kept {
            missing: &["A1".to_string()],
            rejected: &[]
        })
    );
    assert_eq!(effect('B'), None);
    let text = questionnaire_text("[2015]", &[("D6", "no")], "").replace(
        "  D:\n",
        "  D:\n    override:\n      2015: {grade: B, reason: Åtgärdat.}\n",
    );
    let q = parse_text(&text).unwrap();
    let g = grade(Catalog::embedded(), &q, Some(&PlanCoverage::default()));
    assert_eq!(
        g.area('D').unwrap().versions[0].plan_effect(),
        None,
        "B behöver ingen plan"
    );
}

#[test]
fn required_items_are_ordered_by_area_then_number() {
    let g = grades(&[("H9", "no"), ("D6", "no"), ("H2", "no"), ("D10", "no")]);
    assert_eq!(g.required_items(), vec!["D6", "H2", "H9"]);
}
