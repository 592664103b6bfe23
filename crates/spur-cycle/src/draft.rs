//! The questionnaire as the inspectors type it in the browser (SPEC §8.4): every field
//! as text, kept whether or not the questionnaire is valid yet, and the merge of two
//! inspectors' saves field by field. Pure functions; the YAML writer turns a draft into
//! the questionnaire file, which `spur check` judges.

pub mod file;
pub mod form;
mod merge;
mod page;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use file::Written;
use spur_core::catalog::{Catalog, Version};
use spur_core::diagnostic::{Diagnostic, Source};
use spur_core::grading::Grading;
use spur_core::questionnaire::{Answer, Questionnaire, Role};

pub use merge::{Change, Conflict, changes, merge};
pub use page::{Page, Status, graded};

/// Which count of the survey a number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tally {
    /// Answered the survey.
    Answered,
    /// Asked to answer it.
    Asked,
    /// Took part at the visit.
    Interviewed,
}

impl Tally {
    /// Every count, in the order of SPEC §3.
    pub const ALL: [Tally; 3] = [Tally::Answered, Tally::Asked, Tally::Interviewed];

    /// The YAML key.
    pub fn key(self) -> &'static str {
        match self {
            Tally::Answered => "answered",
            Tally::Asked => "asked",
            Tally::Interviewed => "interviewed",
        }
    }

    /// The groups it counts: any of the five (SPEC §3).
    pub fn roles(self) -> &'static [Role] {
        &Role::ALL
    }
}

/// One field of the questionnaire's pages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Field {
    /// `unit.name`.
    Name,
    /// `unit.organisation`.
    Organisation,
    /// `unit.specialty`.
    Specialty,
    /// `unit.description`.
    Description,
    /// `inspection.date`.
    Date,
    /// `inspection.report_date`.
    ReportDate,
    /// `inspection.inspectors`, a list.
    Inspectors,
    /// `inspection.regulations`, a list of years.
    Regulations,
    /// `inspection.plan_due`.
    PlanDue,
    /// `summary.strengths`, a list.
    Strengths,
    /// `summary.weaknesses`, a list.
    Weaknesses,
    /// `summary.improvements`, a list.
    Improvements,
    /// One count of the survey.
    Count(Tally, Role),
    /// An area's findings.
    Findings(char),
    /// An indicator's answer: one of [`Answer::NAMES`] when chosen.
    Answer(String),
    /// The comment on an indicator's answer.
    Comment(String),
    /// "Allvarlig brist": `true` when ticked.
    Serious(String),
    /// An area's overriding grade under a version.
    Grade(char, Version),
    /// The reason for that grade.
    Reason(char, Version),
}

impl Field {
    /// Whether the field holds several texts.
    pub fn is_list(&self) -> bool {
        matches!(
            self,
            Field::Inspectors
                | Field::Regulations
                | Field::Strengths
                | Field::Weaknesses
                | Field::Improvements
        )
    }

    /// The field's name in the page's form, also its element id.
    pub fn name(&self) -> String {
        match self {
            Field::Name => "unit-name".into(),
            Field::Organisation => "unit-organisation".into(),
            Field::Specialty => "unit-specialty".into(),
            Field::Description => "unit-description".into(),
            Field::Date => "date".into(),
            Field::ReportDate => "report-date".into(),
            Field::Inspectors => "inspectors".into(),
            Field::Regulations => "regulations".into(),
            Field::PlanDue => "plan-due".into(),
            Field::Strengths => "strengths".into(),
            Field::Weaknesses => "weaknesses".into(),
            Field::Improvements => "improvements".into(),
            Field::Count(tally, role) => format!("{}-{}", tally.key(), role.key()),
            Field::Findings(area) => format!("{area}-findings"),
            Field::Answer(id) => format!("{id}-answer"),
            Field::Comment(id) => format!("{id}-comment"),
            Field::Serious(id) => format!("{id}-serious"),
            Field::Grade(area, v) => format!("{area}-grade-{v}"),
            Field::Reason(area, v) => format!("{area}-reason-{v}"),
        }
    }

    /// The page the field is on.
    pub fn page(&self) -> Page {
        match self {
            Field::Name
            | Field::Organisation
            | Field::Specialty
            | Field::Description
            | Field::Date
            | Field::ReportDate
            | Field::Inspectors
            | Field::Regulations
            | Field::PlanDue => Page::Unit,
            Field::Strengths | Field::Weaknesses | Field::Improvements => Page::Summary,
            Field::Count(..) => Page::Survey,
            Field::Findings(area) | Field::Grade(area, _) | Field::Reason(area, _) => {
                Page::Area(*area)
            }
            Field::Answer(id) | Field::Comment(id) | Field::Serious(id) => {
                Page::Area(id.chars().next().unwrap_or('A'))
            }
        }
    }
}

/// Where in the questionnaire a problem is: at a field, or on a page as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spot {
    /// At a field.
    Field(Field),
    /// On a page, at no one field.
    Page(Page),
}

/// What a field holds: one text, or a list of texts. An empty text and an empty list
/// are the same as nothing typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    /// One text, exactly as typed (line endings normalised).
    Text(String),
    /// Texts in the order given.
    List(Vec<String>),
}

impl Value {
    /// Whether nothing is typed.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Text(t) => t.is_empty(),
            Value::List(l) => l.is_empty(),
        }
    }

    /// Every text the value holds.
    pub fn texts(&self) -> &[String] {
        match self {
            Value::Text(t) => std::slice::from_ref(t),
            Value::List(l) => l,
        }
    }
}

/// The questionnaire as typed: each field's text, valid or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    fields: BTreeMap<Field, Value>,
}

/// The empty value of a field.
fn nothing(field: &Field) -> Value {
    if field.is_list() {
        Value::List(Vec::new())
    } else {
        Value::Text(String::new())
    }
}

impl Draft {
    /// A draft with nothing typed.
    pub fn new() -> Draft {
        Draft::default()
    }

    /// What `field` holds; nothing typed is an empty value.
    pub fn get(&self, field: &Field) -> Value {
        self.fields
            .get(field)
            .cloned()
            .unwrap_or_else(|| nothing(field))
    }

    /// The text of a one-text field, empty when nothing is typed.
    pub fn text(&self, field: &Field) -> &str {
        match self.fields.get(field) {
            Some(Value::Text(t)) => t,
            _ => "",
        }
    }

    /// The texts of a list field.
    pub fn list(&self, field: &Field) -> &[String] {
        match self.fields.get(field) {
            Some(Value::List(l)) => l,
            _ => &[],
        }
    }

    /// Sets `field`; an empty value removes it.
    pub fn set(&mut self, field: Field, value: Value) {
        if value.is_empty() {
            self.fields.remove(&field);
        } else {
            self.fields.insert(field, value);
        }
    }

    /// Sets a one-text field.
    pub fn set_text(&mut self, field: Field, text: impl Into<String>) {
        self.set(field, Value::Text(text.into()));
    }

    /// Every field that holds something, in order.
    pub fn fields(&self) -> impl Iterator<Item = (&Field, &Value)> {
        self.fields.iter()
    }

    /// The unit's name as typed, or "Ny granskning" while none is.
    pub fn unit_name(&self) -> String {
        match self.text(&Field::Name).trim() {
            "" => "Ny granskning".into(),
            name => name.to_string(),
        }
    }

    /// The regulation versions ticked, oldest first; texts that name none are left out.
    pub fn regulations(&self) -> Vec<Version> {
        let mut versions: Vec<Version> = self
            .list(&Field::Regulations)
            .iter()
            .filter_map(|y| y.parse().ok().and_then(Version::from_year))
            .collect();
        versions.sort();
        versions.dedup();
        versions
    }

    /// The answer chosen for an indicator, when it is one of the four.
    pub fn answer(&self, indicator: &str) -> Option<Answer> {
        Answer::from_name(self.text(&Field::Answer(indicator.into())))
    }

    /// The draft as stored: JSON of its fields.
    pub fn to_json(&self) -> serde_json::Result<String> {
        let pairs: Vec<(&Field, &Value)> = self.fields.iter().collect();
        serde_json::to_string(&pairs)
    }

    /// A stored draft, or why it cannot be read.
    pub fn from_json(json: &str) -> Result<Draft, String> {
        let pairs: Vec<(Field, Value)> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut draft = Draft::new();
        for (field, value) in pairs {
            draft.set(field, value);
        }
        Ok(draft)
    }
}

impl From<&Questionnaire> for Draft {
    fn from(q: &Questionnaire) -> Draft {
        let mut d = Draft::new();
        d.set_text(Field::Name, &q.unit.name);
        d.set_text(Field::Organisation, &q.unit.organisation);
        d.set_text(Field::Specialty, &q.unit.specialty);
        d.set_text(
            Field::Description,
            q.unit.description.clone().unwrap_or_default(),
        );
        let details = &q.inspection;
        d.set_text(Field::Date, details.date.to_string());
        let date = |day: Option<chrono::NaiveDate>| day.map(|x| x.to_string()).unwrap_or_default();
        d.set_text(Field::ReportDate, date(details.report_date));
        d.set_text(Field::PlanDue, date(details.plan_due));
        d.set(Field::Inspectors, Value::List(details.inspectors.clone()));
        let years = details.regulations.iter().map(Version::to_string).collect();
        d.set(Field::Regulations, Value::List(years));
        d.set(Field::Strengths, Value::List(q.summary.strengths.clone()));
        d.set(Field::Weaknesses, Value::List(q.summary.weaknesses.clone()));
        d.set(
            Field::Improvements,
            Value::List(q.summary.improvements.clone()),
        );
        if let Some(survey) = &q.survey {
            let tallies = [
                (Tally::Answered, Some(&survey.answered)),
                (Tally::Asked, survey.asked.as_ref()),
                (Tally::Interviewed, survey.interviewed.as_ref()),
            ];
            for (tally, counts) in tallies {
                for (role, n) in counts.into_iter().flatten() {
                    d.set_text(Field::Count(tally, *role), n.to_string());
                }
            }
        }
        for area in &q.areas {
            d.set_text(
                Field::Findings(area.id),
                area.findings.clone().unwrap_or_default(),
            );
            for (id, r) in &area.answers {
                d.set_text(Field::Answer(id.clone()), answer_name(r.answer));
                d.set_text(
                    Field::Comment(id.clone()),
                    r.comment.clone().unwrap_or_default(),
                );
                if r.serious {
                    d.set_text(Field::Serious(id.clone()), "true");
                }
            }
            for (version, o) in &area.overrides {
                d.set_text(Field::Grade(area.id, *version), o.grade.letter());
                d.set_text(Field::Reason(area.id, *version), &o.reason);
            }
        }
        d
    }
}

/// An answer's YAML name.
pub fn answer_name(answer: Answer) -> &'static str {
    match answer {
        Answer::Yes => "yes",
        Answer::No => "no",
        Answer::Partly => "partly",
        Answer::NotAssessed => "not_assessed",
    }
}

/// The indicators an area's page asks about: those that apply under the ticked
/// versions (every one while none is ticked), and any other already answered.
pub fn asked<'c>(
    catalog: &'c Catalog,
    area: char,
    draft: &Draft,
) -> Vec<&'c spur_core::catalog::Indicator> {
    let versions = draft.regulations();
    let under = if versions.is_empty() {
        Version::ALL.to_vec()
    } else {
        versions
    };
    catalog
        .area(area)
        .map(|a| {
            a.indicators
                .iter()
                .filter(|i| {
                    i.applies_under(&under) || !draft.text(&Field::Answer(i.id.clone())).is_empty()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A problem of the draft's file and where it is, if at a field or on a page.
pub type Located = (Option<Spot>, Diagnostic);

/// A draft as `spur check` judges it: the file written from it, and the graded
/// questionnaire, or every problem with its place.
pub struct Checked {
    /// The questionnaire file, in spur's own layout.
    pub written: Written,
    /// The questionnaire and its grading, or its problems.
    pub outcome: Result<(Questionnaire, Grading), Vec<Located>>,
}

/// Writes `draft` as the file `name` and checks it as `spur check` would, placing
/// each problem at the field or page whose text it points into.
pub fn check(
    catalog: &Catalog,
    draft: &Draft,
    name: &str,
    glyphs: &dyn Fn(char) -> bool,
) -> Checked {
    checked(catalog, file::draft(catalog, draft), name, glyphs)
}

/// [`check`] of the file already written from a draft.
pub fn checked(
    catalog: &Catalog,
    written: Written,
    name: &str,
    glyphs: &dyn Fn(char) -> bool,
) -> Checked {
    let source = Source::new(name, written.text.clone());
    let outcome =
        spur_core::inspection::questionnaire(catalog, &source, glyphs).map_err(|problems| {
            problems
                .into_iter()
                .map(|d| {
                    let spot = source
                        .offset_of(d.line, d.column)
                        .and_then(|at| written.spot_at(at).cloned());
                    (spot, d)
                })
                .collect()
        });
    Checked { written, outcome }
}

/// The problems on `page`: for each, the field it concerns, or none when it concerns
/// the page as a whole — what [`Status::of`] judges the page by.
pub fn on_page(problems: &[Located], page: Page) -> Vec<Option<&Field>> {
    problems
        .iter()
        .filter_map(|(spot, _)| match spot {
            Some(Spot::Field(f)) if f.page() == page => Some(Some(f)),
            Some(Spot::Page(p)) if *p == page => Some(None),
            _ => None,
        })
        .collect()
}

/// The areas of `draft` whose pages have none of `problems`, as the questionnaire
/// would hold them, with the ticked versions: what is graded while the rest of the
/// questionnaire is unfinished. None while the versions themselves have problems.
pub fn finished_areas(
    catalog: &Catalog,
    draft: &Draft,
    problems: &[Located],
) -> Option<(Vec<Version>, Vec<spur_core::questionnaire::AreaInput>)> {
    let regulations = draft.regulations();
    let at_versions = |s: &Option<Spot>| matches!(s, Some(Spot::Field(Field::Regulations)));
    if regulations.is_empty() || problems.iter().any(|(s, _)| at_versions(s)) {
        return None;
    }
    let clean = |area: char| {
        !problems.iter().any(|(s, _)| match s {
            Some(Spot::Field(f)) => f.page() == Page::Area(area),
            Some(Spot::Page(p)) => *p == Page::Area(area),
            None => false,
        })
    };
    let text = |field: Field| Some(draft.text(&field).trim().to_string()).filter(|t| !t.is_empty());
    let areas = catalog
        .areas
        .iter()
        .filter(|a| clean(a.id))
        .map(|area| {
            let answers = asked(catalog, area.id, draft)
                .into_iter()
                .filter_map(|i| {
                    let answer = draft.answer(&i.id)?;
                    let response = spur_core::questionnaire::Response {
                        answer,
                        comment: text(Field::Comment(i.id.clone())),
                        serious: draft.text(&Field::Serious(i.id.clone())) == "true",
                    };
                    Some((i.id.clone(), response))
                })
                .collect();
            let overrides = regulations
                .iter()
                .filter_map(|&v| {
                    let grade = spur_core::catalog::Grade::from_letter(
                        draft.text(&Field::Grade(area.id, v)),
                    )?;
                    let reason = text(Field::Reason(area.id, v))?;
                    Some((v, spur_core::questionnaire::Override { grade, reason }))
                })
                .collect();
            spur_core::questionnaire::AreaInput {
                id: area.id,
                findings: text(Field::Findings(area.id)),
                answers,
                overrides,
            }
        })
        .collect();
    Some((regulations, areas))
}
