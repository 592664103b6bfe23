//! Grading (SPEC §4): each area, under each graded regulation version separately, from
//! the answers, the inspectors' overrides and, once it has come in, the action plan.

use std::collections::BTreeSet;

use crate::catalog::{Area, Catalog, Grade, Kind, Version};
use crate::questionnaire::{Answer, AreaInput, Override, Questionnaire};

/// The grades of every area, A–H.
#[derive(Debug, Clone, PartialEq)]
pub struct Grading {
    /// Areas in catalog order.
    pub areas: Vec<AreaGrading>,
}

/// One area's grades.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaGrading {
    /// The area's letter.
    pub id: char,
    /// Indicators answered `not_assessed` that apply under a graded version.
    pub not_assessed: Vec<String>,
    /// One grading per graded version, oldest first.
    pub versions: Vec<VersionGrading>,
}

/// An area's grade under one regulation version, with how it came about.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionGrading {
    /// The version.
    pub version: Version,
    /// The grade the rules give; `None` when no föreskrift was assessed.
    pub computed: Option<Grade>,
    /// The inspectors' grade, if they set one.
    pub override_: Option<Override>,
    /// The grade after an accepted action plan.
    pub adjusted: Option<Grade>,
    /// Sentences naming the indicators that decided the computed grade.
    pub reasons: Vec<String>,
    /// Unmet föreskrifter: the items that need a planned action.
    pub required: Vec<String>,
    /// Required items the plan has no entry for (empty without a plan).
    pub missing: Vec<String>,
    /// Required items whose entry the inspectors rejected.
    pub rejected: Vec<String>,
    /// Whether an allmänt råd applies; without one the scale has no C.
    pub has_rad: bool,
}

impl VersionGrading {
    /// The grade before any action plan: the override's, else the computed one.
    pub fn base(&self) -> Option<Grade> {
        self.override_.as_ref().map(|o| o.grade).or(self.computed)
    }

    /// The grade that stands: adjusted, else base.
    pub fn final_grade(&self) -> Option<Grade> {
        self.adjusted.or(self.base())
    }

    /// What the action plan did, once one has come in; `None` where the grade needed
    /// no plan.
    pub fn plan_effect(&self) -> Option<PlanEffect<'_>> {
        if let Some(adjusted) = self.adjusted {
            return Some(PlanEffect::Adjusted(adjusted));
        }
        if self.required.is_empty() || !matches!(self.base(), Some(Grade::D | Grade::E)) {
            return None;
        }
        Some(PlanEffect::Kept {
            missing: &self.missing,
            rejected: &self.rejected,
        })
    }
}

/// What an action plan that has come in did to a grade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlanEffect<'a> {
    /// The grade moved one step, to this.
    Adjusted(Grade),
    /// The grade stayed: these entries are missing or rejected, or, where both are
    /// empty, the area's scale has no C.
    Kept {
        /// Required items without an entry.
        missing: &'a [String],
        /// Required items whose entry was rejected.
        rejected: &'a [String],
    },
}

/// What the inspectors accepted of the unit's action plan.
#[derive(Debug, Clone, Default)]
pub struct PlanCoverage {
    /// Indicators with a valid entry in the plan.
    pub entries: BTreeSet<String>,
    /// Indicators whose entry the inspectors rejected.
    pub rejected: BTreeSet<String>,
}

impl Grading {
    /// The grading of area `id`.
    pub fn area(&self, id: char) -> Option<&AreaGrading> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// Every required item under any graded version, areas in order, then by number:
    /// what the unit's action plan must cover.
    pub fn required_items(&self) -> Vec<String> {
        let mut items: Vec<String> = Vec::new();
        for area in &self.areas {
            let mut ids: Vec<&String> = area.versions.iter().flat_map(|v| &v.required).collect();
            ids.sort_by_key(|id| indicator_number(id));
            ids.dedup();
            items.extend(ids.into_iter().cloned());
        }
        items
    }
}

impl AreaGrading {
    /// The grading under `version`, if graded.
    pub fn version(&self, version: Version) -> Option<&VersionGrading> {
        self.versions.iter().find(|v| v.version == version)
    }
}

/// The number part of an indicator id, for ordering `D2` before `D10`.
pub fn indicator_number(id: &str) -> u32 {
    id.get(1..).and_then(|n| n.parse().ok()).unwrap_or(u32::MAX)
}

/// Grades every area under every version the questionnaire lists. `plan` is what was
/// accepted of the action plan, when one has come in.
pub fn grade(
    catalog: &Catalog,
    questionnaire: &Questionnaire,
    plan: Option<&PlanCoverage>,
) -> Grading {
    let regulations = &questionnaire.inspection.regulations;
    let areas = catalog
        .areas
        .iter()
        .filter_map(|area| {
            let input = questionnaire.area(area.id)?;
            let not_assessed = area
                .indicators
                .iter()
                .filter(|i| i.applies_under(regulations))
                .filter(|i| {
                    input
                        .answers
                        .get(&i.id)
                        .is_some_and(|r| r.answer == Answer::NotAssessed)
                })
                .map(|i| i.id.clone())
                .collect();
            let versions = regulations
                .iter()
                .map(|&v| grade_version(area, input, v, plan))
                .collect();
            Some(AreaGrading {
                id: area.id,
                not_assessed,
                versions,
            })
        })
        .collect();
    Grading { areas }
}

/// The unmet indicators of one kind, and how many of that kind apply and were assessed.
#[derive(Default)]
struct Tally {
    applicable: usize,
    assessed: usize,
    unmet: Vec<(String, Answer, bool)>,
}

fn grade_version(
    area: &Area,
    input: &AreaInput,
    version: Version,
    plan: Option<&PlanCoverage>,
) -> VersionGrading {
    let mut tallies: [Tally; 3] = Default::default();
    for (indicator, kind) in area.under(version) {
        let tally = &mut tallies[kind as usize];
        tally.applicable += 1;
        let Some(response) = input.answers.get(&indicator.id) else {
            continue;
        };
        if response.answer != Answer::NotAssessed {
            tally.assessed += 1;
        }
        if response.answer.is_unmet() {
            tally
                .unmet
                .push((indicator.id.clone(), response.answer, response.serious));
        }
    }
    let has_rad = area.has_allmanna_rad(version);
    let (computed, reasons) = if input.gradable(area, version) {
        compute(&tallies, has_rad)
    } else {
        (
            None,
            vec!["Ingen föreskrift är bedömd, så ingen gradering kan härledas".into()],
        )
    };
    let required: Vec<String> = tallies[Kind::Foreskrift as usize]
        .unmet
        .iter()
        .map(|(id, ..)| id.clone())
        .collect();
    let override_ = input.overrides.get(&version).cloned();

    let mut grading = VersionGrading {
        version,
        computed,
        override_,
        adjusted: None,
        reasons,
        required,
        missing: Vec::new(),
        rejected: Vec::new(),
        has_rad,
    };
    if let Some(plan) = plan {
        let without_entry = |id: &&String| !plan.entries.contains(*id);
        grading.missing = grading
            .required
            .iter()
            .filter(without_entry)
            .cloned()
            .collect();
        grading.rejected = grading
            .required
            .iter()
            .filter(|id| plan.rejected.contains(*id))
            .cloned()
            .collect();
        grading.adjusted = regrade(&grading);
    }
    grading
}

/// One step up for an area whose every required item has an accepted plan entry.
fn regrade(grading: &VersionGrading) -> Option<Grade> {
    let all_planned =
        !grading.required.is_empty() && grading.missing.is_empty() && grading.rejected.is_empty();
    match grading.base()? {
        Grade::E if all_planned => Some(Grade::D),
        Grade::D if all_planned && grading.has_rad => Some(Grade::C),
        _ => None,
    }
}

/// How many kvalitetsindikatorer must be assessed before one unmet is an "enstaka
/// undantag" that still gives A.
const EXCEPTION_MINIMUM: usize = 3;

/// The grade from the counts of SPEC §4, with the sentences that explain it, for an
/// area that can be graded.
fn compute(tallies: &[Tally; 3], has_rad: bool) -> (Option<Grade>, Vec<String>) {
    let [f, r, k] = tallies;
    let describe = |(id, answer, serious): &(String, Answer, bool), kind: Kind| {
        let met = match (kind, answer) {
            (Kind::AllmannaRad, Answer::Partly) => "endast delvis uppfyllt",
            (Kind::AllmannaRad, _) => "ej uppfyllt",
            (_, Answer::Partly) => "endast delvis uppfylld",
            _ => "ej uppfylld",
        };
        let serious = if *serious { ", allvarlig brist" } else { "" };
        format!("{id} ({}) {met}{serious}", kind.noun())
    };
    let list = |t: &Tally, kind: Kind| {
        t.unmet
            .iter()
            .map(|u| describe(u, kind))
            .collect::<Vec<_>>()
    };
    let followed = if has_rad {
        "Bedömda föreskrifter och allmänna råd följs"
    } else {
        "Bedömda föreskrifter följs"
    };

    if !f.unmet.is_empty() {
        let serious = f.unmet.iter().any(|(_, _, s)| *s);
        let majority = 2 * f.unmet.len() > f.applicable;
        let mut reasons = Vec::new();
        if majority {
            reasons.push(format!(
                "{} av {} föreskrifter ej uppfyllda, fler än hälften",
                f.unmet.len(),
                f.applicable
            ));
        }
        reasons.extend(list(f, Kind::Foreskrift));
        let grade = if serious || majority {
            Grade::E
        } else {
            Grade::D
        };
        return (Some(grade), reasons);
    }
    if !r.unmet.is_empty() {
        let mut reasons = vec!["Bedömda föreskrifter följs".to_string()];
        reasons.extend(list(r, Kind::AllmannaRad));
        return (Some(Grade::C), reasons);
    }
    let exceptions_allowed = if k.assessed >= EXCEPTION_MINIMUM {
        1
    } else {
        0
    };
    if k.assessed >= 1 && k.unmet.len() <= exceptions_allowed {
        let met = k.assessed - k.unmet.len();
        let counted = if k.assessed == 1 {
            "bedömd kvalitetsindikator uppfylld"
        } else {
            "bedömda kvalitetsindikatorer uppfyllda"
        };
        let mut reasons = vec![format!("{followed}; {met} av {} {counted}", k.assessed)];
        reasons.extend(k.unmet.iter().map(|u| {
            format!(
                "{}, ett enstaka undantag",
                describe(u, Kind::Kvalitetsindikator)
            )
        }));
        return (Some(Grade::A), reasons);
    }
    let mut reasons = vec![followed.to_string()];
    if k.assessed == 0 {
        reasons.push("Ingen kvalitetsindikator är bedömd".into());
    }
    reasons.extend(list(k, Kind::Kvalitetsindikator));
    if k.unmet.len() == 1 && k.assessed < EXCEPTION_MINIMUM {
        let assessed = match k.assessed {
            1 => "är endast en bedömd".to_string(),
            n => format!("är endast {n} bedömda"),
        };
        reasons.push(format!(
            "Ett enstaka undantag medges först när minst {EXCEPTION_MINIMUM} kvalitetsindikatorer är bedömda; här {assessed}"
        ));
    }
    (Some(Grade::B), reasons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::tests::{parse_text, questionnaire_text};

    fn grades_with(
        regulations: &str,
        answers: &[(&str, &str)],
        extra: &str,
        plan: Option<&PlanCoverage>,
    ) -> Grading {
        let q =
            parse_text(&questionnaire_text(regulations, answers, extra)).expect("giltigt formulär");
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
}
