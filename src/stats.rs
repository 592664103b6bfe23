//! Statistics across many inspections (SPEC §9): what a yearly summary says, as a
//! typed view for text, JSON, CSV and the PDF alike. Pure functions over graded
//! inspections; [`crate::gather`] finds and reads the files.

mod csv;
pub mod pdf;
mod prose;
mod text;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::catalog::{Catalog, Grade, Kind, Version};
use crate::inspection::Inspection;
use crate::questionnaire::{Answer, Role};

pub use csv::csv;
pub use prose::{lead, number, percent, title};
pub use text::text;

/// How many years after an inspection the unit is due for the next one.
pub const INTERVAL_YEARS: u32 = 5;

/// What many inspections say together.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The day the figures are for: actions and plans are overdue, units due, as of it.
    pub today: NaiveDate,
    /// The first and the last inspection counted; absent when none was.
    pub period: Option<Period>,
    /// How many inspections are counted.
    pub inspections: usize,
    /// How many units (same name and organisation) they are of.
    pub units: usize,
    /// What was read, and what was left out.
    pub files: Files,
    /// Inspections per year, oldest first.
    pub per_year: Vec<YearCount>,
    /// Inspections per specialty, most first.
    pub per_specialty: Vec<NameCount>,
    /// Inspections per organisation (vårdgivare), most first.
    pub per_organisation: Vec<NameCount>,
    /// Per area, A–H, the grade distribution under each version.
    pub grades: Vec<AreaGrades>,
    /// Per version, the indicators found unmet, most often first.
    pub unmet: Vec<VersionUnmet>,
    /// Inspections with any area graded D or E.
    pub deficiencies: Deficiencies,
    /// Whether the action plans came in, and in time.
    pub plans: Plans,
    /// The planned actions of the plans that came in.
    pub actions: Actions,
    /// Units inspected more than once, with their grades then and now.
    pub repeated: Vec<RepeatedUnit>,
    /// Units due for inspection: the last one five years or more ago, or five years
    /// ago within the coming year. Soonest due first.
    pub due: Vec<DueUnit>,
    /// Response rates of the pre-visit survey.
    pub survey: SurveyRates,
}

/// The first and the last day inspected.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Period {
    /// The first inspection's date.
    pub first: NaiveDate,
    /// The last inspection's date.
    pub last: NaiveDate,
}

/// The files behind the figures.
#[derive(Debug, Clone, Serialize)]
pub struct Files {
    /// Questionnaires counted.
    pub counted: usize,
    /// Action-plan files found and skipped: they are read through the questionnaire
    /// that names them.
    pub plans_skipped: usize,
    /// Files left out of the figures, each with its first problem.
    pub not_counted: Vec<NotCounted>,
}

/// A file left out of the figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCounted {
    /// The file, as found.
    pub file: String,
    /// The line of the first problem; 0 for the file as a whole.
    pub line: usize,
    /// Its column.
    pub column: usize,
    /// The first problem, in Swedish.
    pub problem: String,
    /// For an inspection already counted from another file: that file.
    pub duplicate_of: Option<String>,
}

/// A count for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearCount {
    /// The year.
    pub year: i32,
    /// How many inspections.
    pub count: usize,
}

/// A count for one name (specialty, organisation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameCount {
    /// The name, as written in the questionnaires.
    pub name: String,
    /// How many inspections.
    pub count: usize,
}

/// One area's grade distributions.
#[derive(Debug, Clone, Serialize)]
pub struct AreaGrades {
    /// The area's letter.
    pub id: char,
    /// The area's title.
    pub title: String,
    /// Per version (`"2015"`, `"2021"`), both always present.
    pub versions: BTreeMap<String, Distribution>,
}

/// How the inspections graded under one version were graded in one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    /// Inspections that graded the version.
    pub graded: usize,
    /// Base grades: before the action plan (override, else computed).
    pub base: GradeCounts,
    /// Final grades: after the action plan.
    #[serde(rename = "final")]
    pub final_: GradeCounts,
}

/// How many of each grade, A–E, and how many with no grade (`-`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GradeCounts(pub [usize; 6]);

impl GradeCounts {
    /// The keys, in order: the grades, then `-` for no grade.
    pub const KEYS: [&'static str; 6] = ["A", "B", "C", "D", "E", "-"];

    /// The slot of a grade; no grade is the last.
    fn slot(grade: Option<Grade>) -> usize {
        grade.map_or(5, |g| g as usize)
    }

    /// Counts one grade.
    fn add(&mut self, grade: Option<Grade>) {
        self.0[Self::slot(grade)] += 1;
    }

    /// The count for `grade` (`None`: no grade).
    pub fn get(&self, grade: Option<Grade>) -> usize {
        self.0[Self::slot(grade)]
    }
}

impl Serialize for GradeCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(6))?;
        for (key, count) in Self::KEYS.iter().zip(self.0) {
            map.serialize_entry(key, &count)?;
        }
        map.end()
    }
}

/// The indicators found unmet under one version.
#[derive(Debug, Clone, Serialize)]
pub struct VersionUnmet {
    /// The version, `"2015"` or `"2021"`.
    pub version: String,
    /// The regulation's name, e.g. "SOSFS 2015:8".
    pub regulation: String,
    /// Inspections that graded the version.
    pub inspections: usize,
    /// Every indicator found unmet at least once: most often first, then in catalog
    /// order.
    pub indicators: Vec<Unmet>,
}

/// How often one indicator was found unmet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmet {
    /// The indicator's id.
    pub indicator: String,
    /// Its kind under the version.
    pub kind: Kind,
    /// Its wording.
    pub text: String,
    /// Inspections that answered it `no` or `partly`.
    pub unmet: usize,
    /// Inspections that assessed it (all answers but `not_assessed`).
    pub assessed: usize,
    /// `unmet / assessed`.
    pub share: f64,
}

/// A count and its share of a whole.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    /// How many.
    pub count: usize,
    /// Of how many.
    pub of: usize,
    /// `count / of`; null when `of` is 0.
    pub share: Option<f64>,
}

impl Share {
    /// `count` of `of`.
    pub fn new(count: usize, of: usize) -> Self {
        Share {
            count,
            of,
            share: ratio(count, of),
        }
    }
}

/// Inspections with an area graded D or E under any version.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Deficiencies {
    /// Before the action plan.
    pub base: Share,
    /// After it.
    #[serde(rename = "final")]
    pub final_: Share,
}

/// The action plans of the inspections that required one (an unmet föreskrift).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Plans {
    /// Inspections that required a plan.
    pub required: usize,
    /// Plans received by `plan_due`.
    pub on_time: usize,
    /// Plans received after `plan_due`.
    pub late: usize,
    /// Plans received where no `plan_due` was set.
    pub received_without_due: usize,
    /// Plans not received although `plan_due` has passed.
    pub overdue: usize,
    /// Plans not received and not yet due (or without `plan_due`).
    pub awaited: usize,
    /// Received by `plan_due`, of the plans that were due: on time, late or overdue.
    pub in_time: Share,
}

/// The planned actions in the plans that came in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Actions {
    /// Plans received.
    pub plans: usize,
    /// Planned actions in them.
    pub total: usize,
    /// Actions whose deadline has not passed.
    pub open: usize,
    /// Actions whose deadline has passed: to follow up (`spur followups` lists them).
    pub overdue: usize,
}

/// A unit inspected more than once.
#[derive(Debug, Clone, Serialize)]
pub struct RepeatedUnit {
    /// The unit's name.
    pub unit: String,
    /// Its organisation.
    pub organisation: String,
    /// Its inspections, oldest first.
    pub inspections: Vec<Visit>,
    /// Per area, A–H: the final grades of the previous inspection and of the latest.
    pub areas: Vec<Change>,
}

/// One inspection of a repeatedly inspected unit.
#[derive(Debug, Clone, Serialize)]
pub struct Visit {
    /// The day.
    pub date: NaiveDate,
    /// The file.
    pub file: String,
}

/// One area's final grades at the previous and the latest inspection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The area's letter.
    pub id: char,
    /// The previous inspection's final grade per graded version.
    pub then: BTreeMap<String, Option<Grade>>,
    /// The latest inspection's.
    pub now: BTreeMap<String, Option<Grade>>,
    /// The worst grade then against the worst now; absent where either has none.
    pub trend: Option<Trend>,
}

/// How an area's worst grade moved between two inspections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// A better grade now.
    Better,
    /// The same.
    Same,
    /// A worse grade now.
    Worse,
}

/// A unit due for inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueUnit {
    /// The unit's name.
    pub unit: String,
    /// Its organisation.
    pub organisation: String,
    /// Its specialty at the last inspection.
    pub specialty: String,
    /// The day of the last inspection.
    pub last: NaiveDate,
    /// Five years after it.
    pub due: NaiveDate,
    /// Whether that day has passed.
    pub overdue: bool,
}

/// The survey's figures, summed over the inspections that give `survey`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyRates {
    /// Inspections with a survey.
    pub inspections: usize,
    /// Per role that occurs, in the report's order.
    pub roles: Vec<RoleRate>,
}

/// One role's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleRate {
    /// The role's YAML key, e.g. `st_lakare`.
    pub role: Role,
    /// Answers, over every survey.
    pub answered: usize,
    /// People asked, over the surveys that say how many.
    pub asked: usize,
    /// Answers from those surveys, of `asked`.
    pub response: Share,
    /// Inspections where the role was asked (asked > 0), and of them how many with an
    /// answer from it: how many units answered.
    pub units: Share,
    /// People of the role met at the visits.
    pub interviewed: usize,
}

/// A share rounded to four decimals, so that JSON stays short and stable.
fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

/// Summarises `inspections`, each with the file it came from, in the order found.
/// `not_counted` are the files that could not be read or were invalid, and
/// `plans_skipped` the action-plan files passed over. An inspection found twice (same
/// unit, organisation and date) is counted once, at its first file, and the other
/// listed as not counted.
pub fn summarise(
    catalog: &Catalog,
    inspections: &[(String, Inspection)],
    not_counted: &[NotCounted],
    plans_skipped: usize,
    today: NaiveDate,
) -> Summary {
    let mut seen: BTreeMap<(&str, &str, NaiveDate), &str> = BTreeMap::new();
    let mut excluded = not_counted.to_vec();
    let mut counted: Vec<(&str, &Inspection)> = Vec::new();
    for (file, inspection) in inspections {
        let q = &inspection.questionnaire;
        let key = (
            q.unit.name.as_str(),
            q.unit.organisation.as_str(),
            q.inspection.date,
        );
        match seen.get(&key) {
            Some(first) => excluded.push(NotCounted {
                file: file.clone(),
                line: 0,
                column: 0,
                problem: format!(
                    "samma granskning (enhet, vårdgivare och datum) som {first}; räknas en gång"
                ),
                duplicate_of: Some((*first).to_string()),
            }),
            None => {
                seen.insert(key, file);
                counted.push((file, inspection));
            }
        }
    }
    let units = by_unit(&counted);
    let dates = counted.iter().map(|(_, i)| i.questionnaire.inspection.date);
    let period = dates
        .clone()
        .min()
        .zip(dates.max())
        .map(|(first, last)| Period { first, last });
    Summary {
        today,
        period,
        inspections: counted.len(),
        units: units.len(),
        files: Files {
            counted: counted.len(),
            plans_skipped,
            not_counted: excluded,
        },
        per_year: per_year(&counted),
        per_specialty: per_name(&counted, |i| &i.questionnaire.unit.specialty),
        per_organisation: per_name(&counted, |i| &i.questionnaire.unit.organisation),
        grades: grades(catalog, &counted),
        unmet: Version::ALL
            .iter()
            .map(|&v| unmet(catalog, &counted, v))
            .collect(),
        deficiencies: deficiencies(&counted),
        plans: plans(&counted, today),
        actions: actions(&counted, today),
        repeated: repeated(catalog, &units),
        due: due(&units, today),
        survey: survey(&counted),
    }
}

/// A unit's inspections, oldest first (in file order on the same day).
type UnitInspections<'a> = Vec<(&'a str, &'a Inspection)>;

/// The inspections of each unit, by name and organisation.
fn by_unit<'a>(
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

fn per_year(counted: &[(&str, &Inspection)]) -> Vec<YearCount> {
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
fn per_name(
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
    list.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| swedish_order(&a.name).cmp(&swedish_order(&b.name)))
    });
    list
}

/// A key that sorts text as a Swedish reader expects: case aside, and å, ä, ö after z.
pub fn swedish_order(text: &str) -> (Vec<u32>, &str) {
    let key = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' => 'z' as u32 + 1,
            'ä' | 'æ' => 'z' as u32 + 2,
            'ö' | 'ø' => 'z' as u32 + 3,
            c => c as u32,
        })
        .collect();
    (key, text)
}

fn grades(catalog: &Catalog, counted: &[(&str, &Inspection)]) -> Vec<AreaGrades> {
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

fn unmet(catalog: &Catalog, counted: &[(&str, &Inspection)], version: Version) -> VersionUnmet {
    let graded: Vec<&Inspection> = counted
        .iter()
        .map(|(_, i)| *i)
        .filter(|i| i.questionnaire.inspection.regulations.contains(&version))
        .collect();
    let mut indicators: Vec<Unmet> = Vec::new();
    for area in &catalog.areas {
        for (indicator, kind) in area.under(version) {
            let answers = graded
                .iter()
                .filter_map(|i| i.questionnaire.response(&indicator.id))
                .map(|r| r.answer);
            let (mut unmet, mut assessed) = (0, 0);
            for answer in answers {
                assessed += usize::from(answer != Answer::NotAssessed);
                unmet += usize::from(answer.is_unmet());
            }
            if unmet > 0 {
                indicators.push(Unmet {
                    indicator: indicator.id.clone(),
                    kind,
                    text: indicator.text.clone(),
                    unmet,
                    assessed,
                    share: ratio(unmet, assessed).unwrap_or(0.0),
                });
            }
        }
    }
    // A stable sort: equal counts keep the catalog's order.
    indicators.sort_by(|a, b| b.unmet.cmp(&a.unmet));
    VersionUnmet {
        version: version.to_string(),
        regulation: version.regulation().to_string(),
        inspections: graded.len(),
        indicators,
    }
}

/// Whether any area of the inspection has D or E, by the grade `pick` chooses.
fn any_d_or_e(
    inspection: &Inspection,
    pick: impl Fn(&crate::grading::VersionGrading) -> Option<Grade>,
) -> bool {
    inspection
        .grading
        .areas
        .iter()
        .flat_map(|a| &a.versions)
        .any(|v| matches!(pick(v), Some(Grade::D | Grade::E)))
}

fn deficiencies(counted: &[(&str, &Inspection)]) -> Deficiencies {
    let count = |pick: fn(&crate::grading::VersionGrading) -> Option<Grade>| {
        let n = counted.iter().filter(|(_, i)| any_d_or_e(i, pick)).count();
        Share::new(n, counted.len())
    };
    Deficiencies {
        base: count(|v| v.base()),
        final_: count(|v| v.final_grade()),
    }
}

fn plans(counted: &[(&str, &Inspection)], today: NaiveDate) -> Plans {
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

fn actions(counted: &[(&str, &Inspection)], today: NaiveDate) -> Actions {
    let mut a = Actions {
        plans: 0,
        total: 0,
        open: 0,
        overdue: 0,
    };
    for plan in counted.iter().filter_map(|(_, i)| i.plan.as_ref()) {
        a.plans += 1;
        for item in &plan.items {
            a.total += 1;
            if item.deadline < today {
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

fn repeated(
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
                        g.values().copied().collect::<Option<Vec<Grade>>>()?.into_iter().max()
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
    list.sort_by(|a, b| {
        swedish_order(&a.unit)
            .cmp(&swedish_order(&b.unit))
            .then_with(|| swedish_order(&a.organisation).cmp(&swedish_order(&b.organisation)))
    });
    list
}

/// The day five years after `date` (28 February after a 29 February).
pub fn due_after(date: NaiveDate) -> NaiveDate {
    date.checked_add_months(Months::new(12 * INTERVAL_YEARS))
        .unwrap_or(NaiveDate::MAX)
}

fn due(units: &BTreeMap<(&str, &str), UnitInspections>, today: NaiveDate) -> Vec<DueUnit> {
    let horizon = today.checked_add_months(Months::new(12)).unwrap_or(NaiveDate::MAX);
    let mut list: Vec<DueUnit> = units
        .iter()
        .filter_map(|(&(unit, organisation), visits)| {
            let (_, last) = visits.last()?;
            let q = &last.questionnaire;
            let due = due_after(q.inspection.date);
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
    list.sort_by(|a, b| {
        (a.due, swedish_order(&a.unit), swedish_order(&a.organisation)).cmp(&(
            b.due,
            swedish_order(&b.unit),
            swedish_order(&b.organisation),
        ))
    });
    list
}

fn survey(counted: &[(&str, &Inspection)]) -> SurveyRates {
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
