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
    grade_areas(catalog, regulations, &questionnaire.areas, plan)
}

/// Grades `areas` under `regulations`: [`grade`] of a questionnaire, or of the areas
/// of a draft that are finished while the rest is not.
pub fn grade_areas(
    catalog: &Catalog,
    regulations: &[Version],
    areas: &[AreaInput],
    plan: Option<&PlanCoverage>,
) -> Grading {
    let areas = catalog
        .areas
        .iter()
        .filter_map(|area| {
            let input = areas.iter().find(|a| a.id == area.id)?;
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
mod tests;
