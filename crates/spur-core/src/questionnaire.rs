//! The inspector's questionnaire (SPEC §3): its model, and [`parse`], which decodes
//! and validates it against the catalog, reporting every problem of the file at once.

mod decode;
mod rules;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::{Area, Catalog, Grade, Kind, Version};
use crate::diagnostic::{Diagnostic, Source};
use crate::yaml::{self, Reader};

/// The keys each block of the questionnaire allows: the decoder refuses any other, and
/// the JSON Schema names the same ones.
pub mod keys {
    /// The top level.
    pub const TOP: &[&str] = &[
        "unit",
        "inspection",
        "summary",
        "areas",
        "survey",
        "action_plan",
    ];
    /// `unit`.
    pub const UNIT: &[&str] = &["name", "organisation", "specialty", "description"];
    /// `inspection`.
    pub const INSPECTION: &[&str] = &[
        "date",
        "report_date",
        "inspectors",
        "regulations",
        "plan_due",
    ];
    /// `summary`.
    pub const SUMMARY: &[&str] = &["strengths", "weaknesses", "improvements"];
    /// Each area under `areas`.
    pub const AREA: &[&str] = &["findings", "answers", "override"];
    /// An answer written as a mapping.
    pub const RESPONSE: &[&str] = &["answer", "comment", "serious"];
    /// Each version under `override`.
    pub const OVERRIDE: &[&str] = &["grade", "reason"];
    /// `survey`.
    pub const SURVEY: &[&str] = &["answered", "asked", "interviewed"];
    /// `action_plan`.
    pub const PLAN_REF: &[&str] = &["file", "received", "rejected", "confirmed"];
    /// Each entry of `action_plan.confirmed`.
    pub const CONFIRMATION: &[&str] = &["indicator", "date"];
    /// Each entry of `action_plan.rejected`.
    pub const REJECTION: &[&str] = &["indicator", "reason"];
}

/// A validated questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Questionnaire {
    /// The inspected unit.
    pub unit: Unit,
    /// When, by whom and under which regulations.
    pub inspection: Details,
    /// Styrkor, svagheter, förbättringspotential.
    pub summary: Summary,
    /// Areas A–H in catalog order.
    pub areas: Vec<AreaInput>,
    /// The pre-visit survey and who took part in the visit.
    pub survey: Option<Survey>,
    /// The unit's action plan, once it has come in.
    pub action_plan: Option<PlanReference>,
}

/// The inspected unit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Unit {
    /// E.g. "Boo Vårdcentral".
    pub name: String,
    /// E.g. "Region Stockholm".
    pub organisation: String,
    /// E.g. "Allmänmedicin".
    pub specialty: String,
    /// The "Verksamheten" text.
    pub description: Option<String>,
}

/// The details of the inspection itself: when, by whom, under which regulations.
#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    /// The day of the visit.
    pub date: NaiveDate,
    /// The date printed on the report.
    pub report_date: Option<NaiveDate>,
    /// The inspectors' names.
    pub inspectors: Vec<String>,
    /// The regulation versions graded, oldest first.
    pub regulations: Vec<Version>,
    /// When the unit's action plan is due.
    pub plan_due: Option<NaiveDate>,
}

/// The report's summary lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Styrkor.
    pub strengths: Vec<String>,
    /// Svagheter.
    pub weaknesses: Vec<String>,
    /// Förbättringspotential.
    pub improvements: Vec<String>,
}

/// The inspectors' input for one area.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaInput {
    /// The area's letter.
    pub id: char,
    /// The inspectors' free text.
    pub findings: Option<String>,
    /// Answers by indicator id.
    pub answers: BTreeMap<String, Response>,
    /// Grades set by the inspectors, by version.
    pub overrides: BTreeMap<Version, Override>,
}

/// Whether an indicator was found to be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Met.
    Yes,
    /// Not met.
    No,
    /// Partly met, which counts as not met.
    Partly,
    /// Not assessed; left out of the grading.
    NotAssessed,
}

impl Answer {
    /// The YAML spellings, in the order the skeleton lists them.
    pub const NAMES: [&'static str; 4] = ["yes", "no", "partly", "not_assessed"];

    /// The answer a YAML name stands for.
    pub fn from_name(name: &str) -> Option<Answer> {
        match name {
            "yes" => Some(Answer::Yes),
            "no" => Some(Answer::No),
            "partly" => Some(Answer::Partly),
            "not_assessed" => Some(Answer::NotAssessed),
            _ => None,
        }
    }

    /// Whether the answer counts as not met.
    pub fn is_unmet(self) -> bool {
        matches!(self, Answer::No | Answer::Partly)
    }

    /// The result as the report prints it.
    pub fn label(self) -> &'static str {
        match self {
            Answer::Yes => "Uppfylld",
            Answer::No => "Ej uppfylld",
            Answer::Partly => "Delvis uppfylld",
            Answer::NotAssessed => "Ej bedömt",
        }
    }
}

/// An answer with the inspectors' remarks.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The answer.
    pub answer: Answer,
    /// A remark on the answer.
    pub comment: Option<String>,
    /// Whether an unmet indicator is a serious deficiency (grade E).
    pub serious: bool,
}

/// A grade set by the inspectors instead of the computed one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Override {
    /// The grade.
    pub grade: Grade,
    /// Why; never empty.
    pub reason: String,
}

/// A group of people asked in the survey or met at the visit.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// ST-läkare.
    StLakare,
    /// Handledare.
    Handledare,
    /// Studierektorer.
    Studierektorer,
    /// The verksamhetschef.
    Verksamhetschef,
    /// Others with a managing role (chefs-/ledningsansvar).
    Ledning,
}

impl Role {
    /// Every role, in the order the report names them.
    pub const ALL: [Role; 5] = [
        Role::StLakare,
        Role::Handledare,
        Role::Studierektorer,
        Role::Verksamhetschef,
        Role::Ledning,
    ];

    /// The YAML key.
    pub fn key(self) -> &'static str {
        match self {
            Role::StLakare => "st_lakare",
            Role::Handledare => "handledare",
            Role::Studierektorer => "studierektorer",
            Role::Verksamhetschef => "verksamhetschef",
            Role::Ledning => "ledning",
        }
    }
}

/// How many people of each role; roles not given are absent.
pub type Counts = BTreeMap<Role, u32>;

/// The pre-visit survey and the visit, as counts (SPEC §3).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Survey {
    /// Who answered the survey.
    pub answered: Counts,
    /// Who was asked to answer it.
    pub asked: Option<Counts>,
    /// Who took part at the visit.
    pub interviewed: Option<Counts>,
}

/// Where the unit's action plan is, and what the inspectors made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanReference {
    /// Path to the plan, relative to the questionnaire.
    pub file: String,
    /// The day it came in.
    pub received: NaiveDate,
    /// Entries the inspectors did not accept.
    pub rejected: Vec<Rejection>,
    /// Actions the inspectors confirmed as carried out (SPEC §5).
    pub confirmed: Vec<Confirmation>,
}

/// An action the inspectors confirmed as carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// The indicator the action answers.
    pub indicator: String,
    /// The day it was confirmed.
    pub date: NaiveDate,
}

/// A plan entry the inspectors did not accept.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The indicator the entry is for.
    pub indicator: String,
    /// Why it was not accepted.
    pub reason: String,
}

impl Questionnaire {
    /// The input for area `id`.
    pub fn area(&self, id: char) -> Option<&AreaInput> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// The answer given for an indicator.
    pub fn response(&self, indicator: &str) -> Option<&Response> {
        let area = indicator.chars().next()?;
        self.area(area)?.answers.get(indicator)
    }
}

impl AreaInput {
    /// Whether the area can be graded under `version`: at least one föreskrift that
    /// applies under it was assessed (SPEC §4). The one statement of the rule, asked
    /// by the questionnaire's check and by the grading alike.
    pub fn gradable(&self, area: &Area, version: Version) -> bool {
        area.under(version).any(|(indicator, kind)| {
            kind == Kind::Foreskrift
                && self
                    .answers
                    .get(&indicator.id)
                    .is_some_and(|r| r.answer != Answer::NotAssessed)
        })
    }
}

/// Parses and validates a questionnaire. `glyphs` says whether the report's fonts can
/// show a character; text with any other character is refused.
pub fn parse(
    source: &Source,
    catalog: &Catalog,
    glyphs: &dyn Fn(char) -> bool,
) -> Result<Questionnaire, Vec<Diagnostic>> {
    let root = yaml::parse(source).map_err(|d| vec![d])?;
    let mut reader = Reader::new(source).with_glyphs(glyphs);
    reader.check_keys(&root);
    let questionnaire = decode::decode(&mut reader, &root, catalog);
    match questionnaire {
        Some(q) if reader.diagnostics.is_empty() => Ok(q),
        _ => Err(reader.diagnostics),
    }
}
