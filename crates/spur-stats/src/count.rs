//! Each figure of the summary, counted from the graded inspections.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use rayon::prelude::*;

use super::model::*;
use super::next_due;
use spur_core::catalog::{Catalog, Grade, Version};
use spur_core::grading::VersionGrading;
use spur_core::inspection::Inspection;
use spur_core::questionnaire::{Answer, Role};

/// A unit's inspections, oldest first (in file order on the same day).
pub(super) type UnitInspections<'a> = Vec<(&'a str, &'a Inspection)>;

/// The inspections of each unit, by name and organisation.
pub(super) fn by_unit<'a>(
    counted: &[(&'a str, &'a Inspection)],
) -> BTreeMap<(&'a str, &'a str), UnitInspections<'a>> {
    let mut units: BTreeMap<(&str, &str), UnitInspections> = BTreeMap::new();
    for &(file, inspection) in counted {
        let unit = &inspection.questionnaire.unit;
        units
            .entry((unit.name.as_str(), unit.organisation.as_str()))
            .or_default()
            .push((file, inspection));
    }
    for list in units.values_mut() {
        list.sort_by_key(|(_, i)| i.questionnaire.inspection.date);
    }
    units
}

/// Inspections per year, oldest first.
pub(super) fn per_year(counted: &[(&str, &Inspection)]) -> Vec<YearCount> {
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    for (_, i) in counted {
        *years
            .entry(i.questionnaire.inspection.date.year())
            .or_default() += 1;
    }
    years
        .into_iter()
        .map(|(year, count)| YearCount { year, count })
        .collect()
}

/// Counts per name, most first, then in Swedish alphabetical order.
pub(super) fn per_name(
    counted: &[(&str, &Inspection)],
    name: impl Fn(&Inspection) -> &String,
) -> Vec<NameCount> {
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, i) in counted {
        *names.entry(name(i).as_str()).or_default() += 1;
    }
    let mut list: Vec<NameCount> = names
        .into_iter()
        .map(|(name, count)| NameCount {
            name: name.to_string(),
            count,
        })
        .collect();
    list.sort_by_cached_key(|n| (std::cmp::Reverse(n.count), swedish_order(&n.name)));
    list
}

/// A key that sorts text as a Swedish reader expects: case aside, and å, ä, ö after z;
/// texts alike but for case then in the order of their characters.
pub fn swedish_order(text: &str) -> Vec<u32> {
    let folded = text.chars().flat_map(char::to_lowercase).map(|c| match c {
        'å' => 'z' as u32 + 1,
        'ä' | 'æ' => 'z' as u32 + 2,
        'ö' | 'ø' => 'z' as u32 + 3,
        c => c as u32,
    });
    // 0 sorts below every character, so "a" still comes before "ab".
    folded
        .chain([0])
        .chain(text.chars().map(u32::from))
        .collect()
}

/// Per area, the base and final grades under each version, of the inspections that
/// graded it.
pub(super) fn grades(catalog: &Catalog, counted: &[(&str, &Inspection)]) -> Vec<AreaGrades> {
    catalog
        .areas
        .iter()
        .map(|area| {
            let versions = Version::ALL
                .iter()
                .map(|&v| {
                    let mut d = Distribution {
                        graded: 0,
                        base: GradeCounts::default(),
                        final_: GradeCounts::default(),
                    };
                    for (_, i) in counted {
                        let graded = i.grading.area(area.id).and_then(|a| a.version(v));
                        if let Some(g) = graded {
                            d.graded += 1;
                            d.base.add(g.base());
                            d.final_.add(g.final_grade());
                        }
                    }
                    (v.to_string(), d)
                })
                .collect();
            AreaGrades {
                id: area.id,
                title: area.title.clone(),
                versions,
            }
        })
        .collect()
}

/// How often each indicator was unmet and assessed, under each version.
type Tally = Vec<[(usize, usize); 2]>;

/// The unmet indicators under each version. Every answer of every inspection is
/// looked at once, both versions together, the inspections shared out over the cores:
/// ten thousand inspections hold three quarters of a million answers.
pub(super) fn unmet(catalog: &Catalog, counted: &[(&str, &Inspection)]) -> Vec<VersionUnmet> {
    let indicators: Vec<_> = catalog.areas.iter().flat_map(|a| &a.indicators).collect();
    let place: HashMap<&str, usize> = indicators
        .iter()
        .enumerate()
        .map(|(n, i)| (i.id.as_str(), n))
        .collect();
    let add = |mut tally: Tally, (_, inspection): &(&str, &Inspection)| {
        let q = &inspection.questionnaire;
        for (id, response) in q.areas.iter().flat_map(|a| &a.answers) {
            let Some(&n) = place.get(id.as_str()) else {
                continue;
            };
            for &v in &q.inspection.regulations {
                if indicators[n].kind(v).is_some() {
                    // Version::ALL is 2015, then 2021: the enum is its own index.
                    let cell = &mut tally[n][v as usize];
                    cell.0 += usize::from(response.answer.is_unmet());
                    cell.1 += usize::from(response.answer != Answer::NotAssessed);
                }
            }
        }
        tally
    };
    let empty = || vec![[(0, 0); 2]; indicators.len()];
    let tally = counted
        .par_iter()
        .fold(empty, add)
        .reduce(empty, |mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                for v in 0..2 {
                    x[v].0 += y[v].0;
                    x[v].1 += y[v].1;
                }
            }
            a
        });
    Version::ALL
        .iter()
        .map(|&version| {
            let mut list: Vec<Unmet> = indicators
                .iter()
                .zip(&tally)
                .filter_map(|(indicator, counts)| {
                    let kind = indicator.kind(version)?;
                    let (unmet, assessed) = counts[version as usize];
                    (unmet > 0).then(|| Unmet {
                        indicator: indicator.id.clone(),
                        kind,
                        text: indicator.text.clone(),
                        unmet,
                        assessed,
                        share: ratio(unmet, assessed).unwrap_or(0.0),
                    })
                })
                .collect();
            // A stable sort: equal counts keep the catalog's order.
            list.sort_by_key(|u| std::cmp::Reverse(u.unmet));
            VersionUnmet {
                version: version.to_string(),
                regulation: version.regulation().to_string(),
                inspections: counted
                    .iter()
                    .filter(|(_, i)| i.questionnaire.inspection.regulations.contains(&version))
                    .count(),
                indicators: list,
            }
        })
        .collect()
}

/// Whether any area of the inspection has D or E, by the grade `pick` chooses.
fn any_d_or_e(inspection: &Inspection, pick: impl Fn(&VersionGrading) -> Option<Grade>) -> bool {
    inspection
        .grading
        .areas
        .iter()
        .flat_map(|a| &a.versions)
        .any(|v| matches!(pick(v), Some(Grade::D | Grade::E)))
}

/// Inspections with any D or E, before and after the plans.
pub(super) fn deficiencies(counted: &[(&str, &Inspection)]) -> Deficiencies {
    let count = |pick: fn(&VersionGrading) -> Option<Grade>| {
        let n = counted.iter().filter(|(_, i)| any_d_or_e(i, pick)).count();
        Share::new(n, counted.len())
    };
    Deficiencies {
        base: count(|v| v.base()),
        final_: count(|v| v.final_grade()),
    }
}

/// The plans of the inspections that required one, by when they came in.
pub(super) fn plans(counted: &[(&str, &Inspection)], today: NaiveDate) -> Plans {
    let mut p = Plans {
        required: 0,
        on_time: 0,
        late: 0,
        received_without_due: 0,
        overdue: 0,
        awaited: 0,
        in_time: Share::new(0, 0),
    };
    for (_, i) in counted {
        if i.grading.required_items().is_empty() {
            continue;
        }
        p.required += 1;
        let q = &i.questionnaire;
        let received = q.action_plan.as_ref().map(|a| a.received);
        match (received, q.inspection.plan_due) {
            (Some(r), Some(due)) if r <= due => p.on_time += 1,
            (Some(_), Some(_)) => p.late += 1,
            (Some(_), None) => p.received_without_due += 1,
            (None, Some(due)) if due < today => p.overdue += 1,
            (None, _) => p.awaited += 1,
        }
    }
    p.in_time = Share::new(p.on_time, p.on_time + p.late + p.overdue);
    p
}

/// The actions of the plans received: confirmed as carried out, or by whether their
/// deadline has passed.
pub(super) fn actions(counted: &[(&str, &Inspection)], today: NaiveDate) -> Actions {
    let mut a = Actions {
        plans: 0,
        total: 0,
        confirmed: 0,
        open: 0,
        overdue: 0,
    };
    for (_, inspection) in counted {
        let Some(plan) = &inspection.plan else {
            continue;
        };
        let confirmed: Vec<&str> = inspection
            .questionnaire
            .action_plan
            .iter()
            .flat_map(|p| &p.confirmed)
            .map(|c| c.indicator.as_str())
            .collect();
        a.plans += 1;
        for item in &plan.items {
            a.total += 1;
            if confirmed.contains(&item.indicator.as_str()) {
                a.confirmed += 1;
            } else if item.deadline < today {
                a.overdue += 1;
            } else {
                a.open += 1;
            }
        }
    }
    a
}

/// The final grade of each graded version of an area.
fn final_grades(inspection: &Inspection, area: char) -> BTreeMap<String, Option<Grade>> {
    inspection
        .grading
        .area(area)
        .map(|a| {
            a.versions
                .iter()
                .map(|v| (v.version.to_string(), v.final_grade()))
                .collect()
        })
        .unwrap_or_default()
}

/// Units inspected more than once: the previous inspection against the latest.
pub(super) fn repeated(
    catalog: &Catalog,
    units: &BTreeMap<(&str, &str), UnitInspections>,
) -> Vec<RepeatedUnit> {
    let mut list: Vec<RepeatedUnit> = units
        .iter()
        .filter_map(|(&(unit, organisation), visits)| {
            let [.., (_, then), (_, now)] = visits.as_slice() else {
                return None;
            };
            let areas = catalog
                .areas
                .iter()
                .map(|area| {
                    let then = final_grades(then, area.id);
                    let now = final_grades(now, area.id);
                    let worst = |g: &BTreeMap<String, Option<Grade>>| {
                        g.values()
                            .copied()
                            .collect::<Option<Vec<Grade>>>()?
                            .into_iter()
                            .max()
                    };
                    let trend = worst(&then).zip(worst(&now)).map(|(t, n)| match n.cmp(&t) {
                        std::cmp::Ordering::Less => Trend::Better,
                        std::cmp::Ordering::Equal => Trend::Same,
                        std::cmp::Ordering::Greater => Trend::Worse,
                    });
                    Change {
                        id: area.id,
                        then,
                        now,
                        trend,
                    }
                })
                .collect();
            Some(RepeatedUnit {
                unit: unit.to_string(),
                organisation: organisation.to_string(),
                inspections: visits
                    .iter()
                    .map(|(file, i)| Visit {
                        date: i.questionnaire.inspection.date,
                        file: (*file).to_string(),
                    })
                    .collect(),
                areas,
            })
        })
        .collect();
    list.sort_by_cached_key(|u| (swedish_order(&u.unit), swedish_order(&u.organisation)));
    list
}

/// Units whose next inspection falls due within a year of `today`, or already has.
pub(super) fn due(
    units: &BTreeMap<(&str, &str), UnitInspections>,
    today: NaiveDate,
) -> Vec<DueUnit> {
    let horizon = today
        .checked_add_months(Months::new(12))
        .unwrap_or(NaiveDate::MAX);
    let mut list: Vec<DueUnit> = units
        .iter()
        .filter_map(|(&(unit, organisation), visits)| {
            let (_, last) = visits.last()?;
            let q = &last.questionnaire;
            let due = next_due(q.inspection.date);
            (due <= horizon).then(|| DueUnit {
                unit: unit.to_string(),
                organisation: organisation.to_string(),
                specialty: q.unit.specialty.clone(),
                last: q.inspection.date,
                due,
                overdue: due <= today,
            })
        })
        .collect();
    list.sort_by_cached_key(|u| {
        (
            u.due,
            swedish_order(&u.unit),
            swedish_order(&u.organisation),
        )
    });
    list
}

/// The survey's figures per role, summed over the inspections that give `survey`.
pub(super) fn survey(counted: &[(&str, &Inspection)]) -> SurveyRates {
    let surveys: Vec<_> = counted
        .iter()
        .filter_map(|(_, i)| i.questionnaire.survey.as_ref())
        .collect();
    let roles = Role::ALL
        .iter()
        .filter_map(|&role| {
            let (mut answered, mut asked, mut answered_of_asked) = (0, 0, 0);
            let (mut units_asked, mut units_answered, mut interviewed) = (0, 0, 0);
            let mut occurs = false;
            let count = |n: Option<u32>| n.map_or(0, |n| n as usize);
            for s in &surveys {
                let gave = s.answered.get(&role).copied();
                let of = s.asked.as_ref().and_then(|a| a.get(&role)).copied();
                let met = s.interviewed.as_ref().and_then(|i| i.get(&role)).copied();
                occurs |= gave.is_some() || of.is_some() || met.is_some();
                answered += count(gave);
                interviewed += count(met);
                if let Some(of) = of {
                    asked += of as usize;
                    answered_of_asked += count(gave);
                    if of > 0 {
                        units_asked += 1;
                        units_answered += usize::from(count(gave) > 0);
                    }
                }
            }
            occurs.then(|| RoleRate {
                role,
                answered,
                asked,
                response: Share::new(answered_of_asked, asked),
                units: Share::new(units_answered, units_asked),
                interviewed,
            })
        })
        .collect();
    SurveyRates {
        inspections: surveys.len(),
        roles,
    }
}
