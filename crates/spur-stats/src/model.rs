//! The summary's figures as typed values: what `spur stats` writes as JSON (documented
//! in docs/guide.md), and what the text, the CSV and the PDF show.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use spur_core::catalog::{Grade, Kind};
use spur_core::questionnaire::Role;

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
    pub(super) fn add(&mut self, grade: Option<Grade>) {
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
    /// Actions confirmed by the inspectors as carried out.
    pub confirmed: usize,
    /// Actions not confirmed whose deadline has not passed.
    pub open: usize,
    /// Actions not confirmed whose deadline has passed: to follow up (`spur followups`
    /// lists them).
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
pub(super) fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}
