//! The inspector's questionnaire (SPEC §3): its types, and its decoding and validation
//! against the catalog, reporting every problem of the file at once.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::{Catalog, Grade, Kind, Version};
use crate::diagnostic::{Diagnostic, Source};
use crate::yaml::{self, Node, Reader, Value, join};

/// A validated questionnaire.
#[derive(Debug, Clone)]
pub struct Questionnaire {
    /// The inspected unit.
    pub unit: Unit,
    /// When, by whom and under which regulations.
    pub inspection: Inspection,
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
#[derive(Debug, Clone)]
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

/// Facts about the inspection itself.
#[derive(Debug, Clone)]
pub struct Inspection {
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
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Styrkor.
    pub strengths: Vec<String>,
    /// Svagheter.
    pub weaknesses: Vec<String>,
    /// Förbättringspotential.
    pub improvements: Vec<String>,
}

/// The inspectors' input for one area.
#[derive(Debug, Clone)]
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

    fn from_name(name: &str) -> Option<Answer> {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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
#[derive(Debug, Clone)]
pub struct PlanReference {
    /// Path to the plan, relative to the questionnaire.
    pub file: String,
    /// The day it came in.
    pub received: NaiveDate,
    /// Entries the inspectors did not accept.
    pub rejected: Vec<Rejection>,
}

/// A plan entry the inspectors did not accept.
#[derive(Debug, Clone)]
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

const TOP_KEYS: &[&str] = &[
    "unit",
    "inspection",
    "summary",
    "areas",
    "survey",
    "action_plan",
];
const UNIT_KEYS: &[&str] = &["name", "organisation", "specialty", "description"];
const INSPECTION_KEYS: &[&str] = &[
    "date",
    "report_date",
    "inspectors",
    "regulations",
    "plan_due",
];
const SUMMARY_KEYS: &[&str] = &["strengths", "weaknesses", "improvements"];
const AREA_KEYS: &[&str] = &["findings", "answers", "override"];
const RESPONSE_KEYS: &[&str] = &["answer", "comment", "serious"];
const OVERRIDE_KEYS: &[&str] = &["grade", "reason"];
const SURVEY_KEYS: &[&str] = &["answered", "asked", "interviewed"];
const PLAN_REF_KEYS: &[&str] = &["file", "received", "rejected"];
const REJECTION_KEYS: &[&str] = &["indicator", "reason"];

/// Parses and validates a questionnaire. `glyphs` says whether the report's fonts can
/// show a character; text with any other character is refused.
pub fn parse(
    source: &Source,
    catalog: &Catalog,
    glyphs: &dyn Fn(char) -> bool,
) -> Result<Questionnaire, Vec<Diagnostic>> {
    let root = yaml::parse(source).map_err(|d| vec![d])?;
    let mut reader = Reader::new(source).with_glyphs(glyphs);
    let questionnaire = decode(&mut reader, &root, catalog);
    match questionnaire {
        Some(q) if reader.diagnostics.is_empty() => Ok(q),
        _ => Err(reader.diagnostics),
    }
}

fn decode(r: &mut Reader, root: &Node, catalog: &Catalog) -> Option<Questionnaire> {
    let top = r.fields(root, "", TOP_KEYS)?;
    let unit = top
        .required(
            r,
            "unit",
            "uppgifter om enheten: name, organisation, specialty",
        )
        .and_then(|n| decode_unit(r, n));
    let (inspection, regulations) = top
        .required(
            r,
            "inspection",
            "uppgifter om granskningen: date, inspectors, regulations",
        )
        .map_or((None, None), |n| decode_inspection(r, n));
    let summary = match top.get("summary") {
        Some(n) => decode_summary(r, n),
        None => Some(Summary::default()),
    };
    let regulations = regulations.unwrap_or_default();
    let areas = top
        .required(r, "areas", "områdena A–H med svar på indikatorerna")
        .and_then(|n| decode_areas(r, n, catalog, &regulations));
    // Outer None: the survey is invalid; inner None: there is none.
    let survey = match top.get("survey") {
        Some(n) => decode_survey(r, n).map(Some),
        None => Some(None),
    };
    let action_plan = match top.get("action_plan") {
        Some(n) => Some(decode_plan_reference(r, n, catalog, inspection.as_ref()?)?),
        None => None,
    };
    Some(Questionnaire {
        unit: unit?,
        inspection: inspection?,
        summary: summary?,
        areas: areas?,
        survey: survey?,
        action_plan,
    })
}

/// The survey block; more answers than people asked in a role is an error.
fn decode_survey(r: &mut Reader, node: &Node) -> Option<Survey> {
    let f = r.fields(node, "survey", SURVEY_KEYS)?;
    let answered = f
        .required(
            r,
            "answered",
            "antal svar per grupp, t.ex. {st_lakare: 10, handledare: 12}",
        )
        .and_then(|n| decode_counts(r, n, &f.path("answered")));
    let mut optional = |key: &str| match f.get(key) {
        Some(n) => decode_counts(r, n, &f.path(key)).map(Some),
        None => Some(None),
    };
    let asked = optional("asked");
    let interviewed = optional("interviewed");
    let (answered, asked, interviewed) = (answered?, asked?, interviewed?);
    if let (Some(asked), Some(Value::Map(entries))) = (&asked, f.get("asked").map(|n| &n.value)) {
        for (role, n) in &answered {
            let of = asked.get(role);
            let at = entries.iter().find(|(k, _)| k.key_text() == role.key());
            if let (Some(&of), Some((_, at))) = (of, at)
                && *n > of
            {
                r.error(
                    at,
                    &join(&f.path("asked"), role.key()),
                    format!("{n} svar från {} men bara {of} tillfrågade", role.key()),
                    "minst lika många tillfrågade som svarande i varje grupp",
                );
            }
        }
    }
    Some(Survey {
        answered,
        asked,
        interviewed,
    })
}

/// A map from role to a count that is a whole number, zero or more.
fn decode_counts(r: &mut Reader, node: &Node, path: &str) -> Option<Counts> {
    let keys: Vec<&str> = Role::ALL.iter().map(|role| role.key()).collect();
    let f = r.fields(node, path, &keys)?;
    let mut counts = Counts::new();
    let mut valid = true;
    for role in Role::ALL {
        let Some(n) = f.get(role.key()) else {
            continue;
        };
        let count = match n.value {
            Value::Int(count) => u32::try_from(count).ok(),
            _ => None,
        };
        match count {
            Some(count) => {
                counts.insert(role, count);
            }
            None => {
                valid = false;
                r.error(
                    n,
                    &f.path(role.key()),
                    format!("här väntades ett antal men det står {}", n.describe()),
                    "ett heltal, noll eller större",
                );
            }
        }
    }
    valid.then_some(counts)
}

fn decode_unit(r: &mut Reader, node: &Node) -> Option<Unit> {
    let f = r.fields(node, "unit", UNIT_KEYS)?;
    let mut required = |key: &str, what: &str| {
        f.required(r, key, what)
            .and_then(|n| r.text(n, &f.path(key)))
    };
    let name = required("name", "enhetens namn, t.ex. Boo Vårdcentral");
    let organisation = required("organisation", "vårdgivaren, t.ex. Region Stockholm");
    let specialty = required("specialty", "specialiteten, t.ex. Allmänmedicin");
    let description = r.optional_text(f.get("description"), &f.path("description"));
    Some(Unit {
        name: name?,
        organisation: organisation?,
        specialty: specialty?,
        description,
    })
}

/// The inspection, and its regulations on their own: the areas are checked against
/// these even when another field of the inspection is wrong.
fn decode_inspection(r: &mut Reader, node: &Node) -> (Option<Inspection>, Option<Vec<Version>>) {
    let Some(f) = r.fields(node, "inspection", INSPECTION_KEYS) else {
        return (None, None);
    };
    let date = f
        .required(r, "date", "granskningsdatum, t.ex. 2025-02-12")
        .and_then(|n| r.date(n, &f.path("date")));
    let report_date = f
        .get("report_date")
        .and_then(|n| r.date(n, &f.path("report_date")));
    let plan_due = f
        .get("plan_due")
        .and_then(|n| r.date(n, &f.path("plan_due")));
    let inspectors = f
        .required(r, "inspectors", "en lista med minst en granskare")
        .and_then(|n| {
            let list = r.texts(Some(n), &f.path("inspectors"));
            if list.is_empty() && r.seq(n, "", "").is_some_and(|s| s.is_empty()) {
                r.error(
                    n,
                    &f.path("inspectors"),
                    "listan över granskare är tom",
                    "minst en granskare, t.ex. [Anna Lindqvist]",
                );
            }
            Some(list).filter(|l| !l.is_empty())
        });
    let regulations = f
        .required(
            r,
            "regulations",
            "de regelverk enhetens ST-läkare följer, t.ex. [2015, 2021]",
        )
        .and_then(|n| decode_regulations(r, n, &f.path("regulations")));
    let Some(date) = date else {
        return (None, regulations);
    };
    for (key, found) in [("report_date", report_date), ("plan_due", plan_due)] {
        if let (Some(found), Some(node)) = (found, f.get(key))
            && found < date
        {
            r.error(
                node,
                &f.path(key),
                format!("datumet {found} ligger före granskningsdagen {date}"),
                "ett datum på eller efter granskningsdagen",
            );
        }
    }
    let inspection = match (inspectors, &regulations) {
        (Some(inspectors), Some(regulations)) => Some(Inspection {
            date,
            report_date,
            inspectors,
            regulations: regulations.clone(),
            plan_due,
        }),
        _ => None,
    };
    (inspection, regulations)
}

fn decode_regulations(r: &mut Reader, node: &Node, path: &str) -> Option<Vec<Version>> {
    const EXPECTED: &str = "2015 och/eller 2021, t.ex. [2015, 2021]";
    let items = r.seq(node, path, EXPECTED)?;
    if items.is_empty() {
        r.error(node, path, "inget regelverk angivet", EXPECTED);
        return None;
    }
    let mut versions = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        match version_of(item) {
            Some(v) if versions.contains(&v) => {
                r.error(
                    item,
                    &item_path,
                    format!("{v} står två gånger"),
                    "varje regelverk högst en gång",
                );
            }
            Some(v) => versions.push(v),
            None => {
                r.error(
                    item,
                    &item_path,
                    format!("okänt regelverk: {}", item.describe()),
                    EXPECTED,
                );
            }
        }
    }
    // The valid versions are kept even beside errors, so that the areas are still
    // checked against them.
    versions.sort();
    Some(versions).filter(|v| !v.is_empty())
}

/// A version written as `2021` or `"2021"`.
fn version_of(node: &Node) -> Option<Version> {
    match &node.value {
        Value::Int(n) => Version::from_year(*n),
        Value::Str(s) => s.trim().parse().ok().and_then(Version::from_year),
        _ => None,
    }
}

fn decode_summary(r: &mut Reader, node: &Node) -> Option<Summary> {
    let f = r.fields(node, "summary", SUMMARY_KEYS)?;
    Some(Summary {
        strengths: r.texts(f.get("strengths"), &f.path("strengths")),
        weaknesses: r.texts(f.get("weaknesses"), &f.path("weaknesses")),
        improvements: r.texts(f.get("improvements"), &f.path("improvements")),
    })
}

fn decode_areas(
    r: &mut Reader,
    node: &Node,
    catalog: &Catalog,
    regulations: &[Version],
) -> Option<Vec<AreaInput>> {
    let names: Vec<String> = catalog.areas.iter().map(|a| a.id.to_string()).collect();
    let allowed: Vec<&str> = names.iter().map(String::as_str).collect();
    let f = r.fields(node, "areas", &allowed)?;
    let mut areas = Vec::new();
    for area in &catalog.areas {
        let key = area.id.to_string();
        let expected = format!(
            "område {} ({}) med svar på dess indikatorer",
            area.id, area.title
        );
        if let Some(n) = f.required(r, &key, &expected) {
            areas.extend(decode_area(
                r,
                n,
                &f.path(&key),
                catalog,
                area.id,
                regulations,
            ));
        }
    }
    (areas.len() == catalog.areas.len()).then_some(areas)
}

fn decode_area(
    r: &mut Reader,
    node: &Node,
    path: &str,
    catalog: &Catalog,
    id: char,
    regulations: &[Version],
) -> Option<AreaInput> {
    let area = catalog.area(id)?;
    let f = r.fields(node, path, AREA_KEYS)?;
    let findings = r.optional_text(f.get("findings"), &f.path("findings"));

    let answers_path = f.path("answers");
    let mut answers = BTreeMap::new();
    let mut answered = std::collections::BTreeSet::new();
    let answers_node = f.get("answers");
    if let Some(n) = answers_node
        && let Some(entries) = map_entries(r, n, &answers_path, "svar per indikator, t.ex. D1: yes")
    {
        for (key, value) in entries {
            let name = key.key_text();
            let item_path = join(&answers_path, &name);
            match catalog.indicator(&name) {
                Some(_) if catalog.area_of(&name).is_some_and(|a| a.id == id) => {
                    answered.insert(name.clone());
                    if let Some(response) = decode_response(r, value, &item_path) {
                        answers.insert(name, response);
                    }
                }
                Some(_) => {
                    let owner = catalog.area_of(&name).map_or('?', |a| a.id);
                    r.error_hint(
                        key,
                        &item_path,
                        format!("{name} hör till område {owner}, inte {id}"),
                        &indicator_range(area),
                        &format!("flytta svaret till areas.{owner}.answers"),
                    );
                }
                None => r.error(
                    key,
                    &item_path,
                    format!("okänd indikator «{name}» i område {id}"),
                    &indicator_range(area),
                ),
            }
        }
    }

    let missing: Vec<_> = area
        .indicators
        .iter()
        .filter(|i| i.applies_under(regulations) && !answered.contains(&i.id))
        .collect();
    for indicator in &missing {
        let at = answers_node.unwrap_or(node);
        let kinds = kinds_label(indicator, regulations);
        r.error(
            at,
            &answers_path,
            format!(
                "svar saknas för {} ({kinds}): «{}»",
                indicator.id, indicator.text
            ),
            &format!("{}: yes, no, partly eller not_assessed", indicator.id),
        );
    }

    let overrides = match f.get("override") {
        Some(n) => decode_overrides(r, n, &f.path("override"), regulations),
        None => BTreeMap::new(),
    };

    if missing.is_empty() && answered.len() == answers.len() {
        for &version in regulations {
            let mut foreskrifter = area
                .under(version)
                .filter(|(_, k)| *k == Kind::Foreskrift)
                .peekable();
            let none_assessed = foreskrifter.peek().is_some()
                && foreskrifter.all(|(i, _)| {
                    answers
                        .get(&i.id)
                        .is_some_and(|a: &Response| a.answer == Answer::NotAssessed)
                });
            if none_assessed && !overrides.contains_key(&version) {
                r.error(
                    answers_node.unwrap_or(node),
                    &answers_path,
                    format!("ingen föreskrift i område {id} är bedömd under {version}, så ingen gradering kan härledas"),
                    &format!("minst en bedömd föreskrift, eller override för {version} med grade och reason"),
                );
            }
        }
    }
    Some(AreaInput {
        id,
        findings,
        answers,
        overrides,
    })
}

fn kinds_label(indicator: &crate::catalog::Indicator, regulations: &[Version]) -> String {
    let kinds: Vec<String> = regulations
        .iter()
        .filter_map(|v| indicator.kind(*v).map(|k| format!("{} {v}", k.noun())))
        .collect();
    kinds.join(", ")
}

fn indicator_range(area: &crate::catalog::Area) -> String {
    let first = area.indicators.first().map_or("", |i| i.id.as_str());
    let last = area.indicators.last().map_or("", |i| i.id.as_str());
    format!("en indikator i område {} ({first}–{last})", area.id)
}

fn map_entries<'n>(
    r: &mut Reader,
    node: &'n Node,
    path: &str,
    expected: &str,
) -> Option<&'n [(Node, Node)]> {
    match &node.value {
        Value::Map(entries) => Some(entries),
        Value::Null => Some(&[]),
        _ => {
            r.error(
                node,
                path,
                format!("här väntades en mappning men det står {}", node.describe()),
                expected,
            );
            None
        }
    }
}

fn decode_response(r: &mut Reader, node: &Node, path: &str) -> Option<Response> {
    if let Value::Map(_) = node.value {
        let f = r.fields(node, path, RESPONSE_KEYS)?;
        let answer = f
            .required(r, "answer", "yes, no, partly eller not_assessed")
            .and_then(|n| decode_answer(r, n, &f.path("answer")));
        let comment = r.optional_text(f.get("comment"), &f.path("comment"));
        let serious = match f.get("serious") {
            None => false,
            Some(n) => match n.value {
                Value::Bool(b) => b,
                _ => {
                    r.error(
                        n,
                        &f.path("serious"),
                        format!("serious måste vara true eller false, inte {}", n.describe()),
                        "true eller false",
                    );
                    false
                }
            },
        };
        let answer = answer?;
        if serious && !answer.is_unmet() {
            let n = f.get("serious").unwrap_or(node);
            r.error(
                n,
                &f.path("serious"),
                "serious kan bara anges för en indikator som inte är uppfylld",
                "serious endast tillsammans med answer: no eller partly",
            );
        }
        return Some(Response {
            answer,
            comment,
            serious,
        });
    }
    let answer = decode_answer(r, node, path)?;
    Some(Response {
        answer,
        comment: None,
        serious: false,
    })
}

fn decode_answer(r: &mut Reader, node: &Node, path: &str) -> Option<Answer> {
    const EXPECTED: &str = "yes, no, partly eller not_assessed";
    match &node.value {
        Value::Str(s) => {
            let answer = Answer::from_name(s.trim());
            if answer.is_none() {
                let hint = match s.trim().to_lowercase().as_str() {
                    "ja" => Some("skriv yes"),
                    "nej" => Some("skriv no"),
                    "delvis" => Some("skriv partly"),
                    "ej bedömt" | "ej bedömd" | "-" => Some("skriv not_assessed"),
                    _ => None,
                };
                let message = format!("okänt svar «{s}»");
                match hint {
                    Some(h) => r.error_hint(node, path, message, EXPECTED, h),
                    None => r.error(node, path, message, EXPECTED),
                }
            }
            answer
        }
        Value::Bool(b) => {
            let word = if *b { "yes" } else { "no" };
            r.error_hint(
                node,
                path,
                format!("{b} är ett sanningsvärde, inte ett svar"),
                EXPECTED,
                &format!("skriv {word}"),
            );
            None
        }
        _ => {
            r.error(
                node,
                path,
                format!("här väntades ett svar men det står {}", node.describe()),
                EXPECTED,
            );
            None
        }
    }
}

fn decode_overrides(
    r: &mut Reader,
    node: &Node,
    path: &str,
    regulations: &[Version],
) -> BTreeMap<Version, Override> {
    let mut overrides = BTreeMap::new();
    let Some(entries) = map_entries(
        r,
        node,
        path,
        "betyg per regelverk, t.ex. 2021: {grade: B, reason: \"…\"}",
    ) else {
        return overrides;
    };
    let listed: Vec<String> = regulations.iter().map(Version::to_string).collect();
    for (key, value) in entries {
        let item_path = join(path, &key.key_text());
        let version = version_of(key);
        match version {
            Some(v) if regulations.contains(&v) => {}
            Some(v) => {
                r.error(
                    key,
                    &item_path,
                    format!("{v} graderas inte i denna granskning"),
                    &format!(
                        "ett regelverk ur inspection.regulations ({})",
                        listed.join(", ")
                    ),
                );
                continue;
            }
            None => {
                r.error(
                    key,
                    &item_path,
                    format!("okänt regelverk «{}»", key.key_text()),
                    "2015 eller 2021",
                );
                continue;
            }
        }
        let Some(f) = r.fields(value, &item_path, OVERRIDE_KEYS) else {
            continue;
        };
        let grade = f.required(r, "grade", "ett betyg A–E").and_then(|n| {
            let g = Grade::from_letter(n.key_text().trim());
            if g.is_none() {
                r.error(
                    n,
                    &f.path("grade"),
                    format!("okänt betyg: {}", n.describe()),
                    "en av A, B, C, D, E",
                );
            }
            g
        });
        let reason = f
            .required(r, "reason", "en motivering till betyget")
            .and_then(|n| r.text(n, &f.path("reason")));
        if let (Some(v), Some(grade), Some(reason)) = (version, grade, reason) {
            overrides.insert(v, Override { grade, reason });
        }
    }
    overrides
}

fn decode_plan_reference(
    r: &mut Reader,
    node: &Node,
    catalog: &Catalog,
    inspection: &Inspection,
) -> Option<PlanReference> {
    let f = r.fields(node, "action_plan", PLAN_REF_KEYS)?;
    let file = f
        .required(
            r,
            "file",
            "sökvägen till handlingsplanen, relativt denna fil",
        )
        .and_then(|n| r.text(n, &f.path("file")));
    let received = f
        .required(r, "received", "datumet då handlingsplanen kom in")
        .and_then(|n| {
            let d = r.date(n, &f.path("received"))?;
            if d < inspection.date {
                r.error(
                    n,
                    &f.path("received"),
                    format!(
                        "handlingsplanen kan inte ha kommit in {d}, före granskningen {}",
                        inspection.date
                    ),
                    "ett datum efter granskningsdagen",
                );
            }
            Some(d)
        });
    let mut rejected = Vec::new();
    if let Some(n) = f.get("rejected")
        && let Some(items) = r.seq(n, &f.path("rejected"), "en lista med {indicator, reason}")
    {
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", f.path("rejected"));
            let Some(g) = r.fields(item, &path, REJECTION_KEYS) else {
                continue;
            };
            let indicator = g
                .required(r, "indicator", "indikatorns id, t.ex. E4")
                .and_then(|n| {
                    let id = n.key_text();
                    if catalog.indicator(&id).is_none() {
                        r.error(
                            n,
                            &g.path("indicator"),
                            format!("okänd indikator «{id}»"),
                            "ett indikator-id ur katalogen, t.ex. E4",
                        );
                        return None;
                    }
                    Some(id)
                });
            let reason = g
                .required(r, "reason", "varför åtgärden inte godtas")
                .and_then(|n| r.text(n, &g.path("reason")));
            if let (Some(indicator), Some(reason)) = (indicator, reason) {
                rejected.push(Rejection { indicator, reason });
            }
        }
    }
    Some(PlanReference {
        file: file?,
        received: received?,
        rejected,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A complete, valid questionnaire: every applicable indicator `yes`, except the
    /// answers given in `answers` (lines like `D6: no`), with `extra` appended.
    pub fn questionnaire_text(regulations: &str, answers: &[(&str, &str)], extra: &str) -> String {
        let catalog = Catalog::embedded();
        let mut text = format!(
            "unit:\n  name: Testenheten\n  organisation: Region Test\n  specialty: Allmänmedicin\n\
             inspection:\n  date: 2025-02-12\n  inspectors: [Anna Lindqvist]\n  regulations: {regulations}\n\
             areas:\n"
        );
        for area in &catalog.areas {
            text.push_str(&format!("  {}:\n    answers:\n", area.id));
            for indicator in &area.indicators {
                let answer = answers
                    .iter()
                    .find(|(id, _)| *id == indicator.id)
                    .map_or("yes", |(_, a)| a);
                text.push_str(&format!("      {}: {answer}\n", indicator.id));
            }
        }
        text.push_str(extra);
        text
    }

    pub fn parse_text(text: &str) -> Result<Questionnaire, Vec<Diagnostic>> {
        parse(
            &Source::new("test.yaml", text.to_string()),
            Catalog::embedded(),
            &|_| true,
        )
    }

    fn errors(text: &str) -> Vec<Diagnostic> {
        parse_text(text).expect_err("borde vara ogiltig")
    }

    fn one_error(text: &str) -> Diagnostic {
        let mut errors = errors(text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        errors.remove(0)
    }

    #[test]
    fn a_complete_questionnaire_is_valid() {
        let q = parse_text(&questionnaire_text(
            "[2015, 2021]",
            &[("D6", "{answer: no, comment: 'saknas'}")],
            "",
        ))
        .unwrap();
        assert_eq!(q.areas.len(), 8);
        assert_eq!(
            q.inspection.regulations,
            vec![Version::V2015, Version::V2021]
        );
        let d6 = q.response("D6").unwrap();
        assert_eq!(
            (d6.answer, d6.comment.as_deref()),
            (Answer::No, Some("saknas"))
        );
    }

    #[test]
    fn unknown_keys_are_errors_everywhere() {
        let text = questionnaire_text(
            "[2015]",
            &[("D6", "{answer: no, kommentar: x}")],
            "extra: 1\n",
        );
        let errors = errors(&text);
        let paths: Vec<_> = errors.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, vec!["extra", "areas.D.answers.D6.kommentar"]);
    }

    #[test]
    fn a_missing_area_is_named() {
        let text = questionnaire_text("[2015]", &[], "");
        let cut = text.find("  H:\n").unwrap();
        let d = one_error(&text[..cut]);
        assert_eq!(d.message, "nyckeln «H» saknas");
        assert!(d.expected.unwrap().contains("Ledarskapskompetens"));
    }

    #[test]
    fn a_missing_answer_names_the_indicator() {
        let text = questionnaire_text("[2015, 2021]", &[], "").replace("      D7: yes\n", "");
        let d = one_error(&text);
        assert!(
            d.message
                .starts_with("svar saknas för D7 (allmänt råd 2015, allmänt råd 2021)"),
            "{}",
            d.message
        );
        assert_eq!(d.path, "areas.D.answers");
    }

    #[test]
    fn answers_for_indicators_outside_the_graded_versions_are_optional() {
        let text = questionnaire_text("[2021]", &[], "")
            .replace("      G5: yes\n", "")
            .replace("      G6: yes\n", "");
        assert!(parse_text(&text).is_ok());
        let text = questionnaire_text("[2015]", &[], "").replace("      E6: yes\n", "");
        assert!(parse_text(&text).is_ok());
    }

    #[test]
    fn unknown_and_misplaced_ids_are_errors() {
        let text = questionnaire_text("[2015]", &[], "").replace(
            "      D13: yes\n",
            "      D13: yes\n      D14: yes\n      E4: no\n",
        );
        let errors = errors(&text);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_eq!(errors[0].message, "okänd indikator «D14» i område D");
        assert_eq!(
            errors[0].expected.as_deref(),
            Some("en indikator i område D (D1–D13)")
        );
        assert_eq!(errors[1].message, "E4 hör till område E, inte D");
    }

    #[test]
    fn answers_must_be_the_four_words_and_booleans_get_a_hint() {
        let text = questionnaire_text(
            "[2015]",
            &[("A1", "ja"), ("A2", "true"), ("A3", "false")],
            "",
        );
        let errors = errors(&text);
        assert_eq!(errors.len(), 3);
        assert_eq!(errors[0].message, "okänt svar «ja»");
        assert_eq!(errors[0].hint.as_deref(), Some("skriv yes"));
        assert_eq!(
            errors[1].message,
            "true är ett sanningsvärde, inte ett svar"
        );
        assert_eq!(errors[2].hint.as_deref(), Some("skriv no"));
        assert_eq!(
            errors[0].expected.as_deref(),
            Some("yes, no, partly eller not_assessed")
        );
    }

    #[test]
    fn serious_only_on_unmet_answers() {
        let d = one_error(&questionnaire_text(
            "[2015]",
            &[("D1", "{answer: yes, serious: true}")],
            "",
        ));
        assert_eq!(d.path, "areas.D.answers.D1.serious");
        assert!(
            parse_text(&questionnaire_text(
                "[2015]",
                &[("D1", "{answer: partly, serious: true}")],
                ""
            ))
            .is_ok()
        );
    }

    #[test]
    fn bad_dates_are_errors_with_the_format() {
        let text =
            questionnaire_text("[2015]", &[], "").replace("date: 2025-02-12", "date: 12/2 2025");
        let d = one_error(&text);
        assert_eq!(d.path, "inspection.date");
        assert!(d.expected.unwrap().contains("ÅÅÅÅ-MM-DD"));
        let text =
            questionnaire_text("[2015]", &[], "").replace("date: 2025-02-12", "date: 2025-02-30");
        assert_eq!(one_error(&text).path, "inspection.date");
    }

    #[test]
    fn regulations_must_be_known_listed_once_and_present() {
        let errors = errors(&questionnaire_text("[2015, 2019, 2015]", &[], ""));
        let messages: Vec<_> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            vec!["okänt regelverk: talet 2019", "2015 står två gånger"]
        );
        assert_eq!(
            one_error(&questionnaire_text("[]", &[], "")).message,
            "inget regelverk angivet"
        );
        assert!(parse_text(&questionnaire_text("['2021']", &[("G5", "no")], "")).is_ok());
    }

    #[test]
    fn the_inspector_list_must_not_be_empty() {
        let text = questionnaire_text("[2015]", &[], "").replace("[Anna Lindqvist]", "[]");
        let d = one_error(&text);
        assert_eq!(
            (d.path.as_str(), d.message.as_str()),
            ("inspection.inspectors", "listan över granskare är tom")
        );
    }

    #[test]
    fn overrides_need_a_reason_and_a_graded_version() {
        let base = questionnaire_text("[2021]", &[], "");
        let with = |o: &str| base.replace("  D:\n", &format!("  D:\n    override:\n{o}"));
        let d = one_error(&with("      2021: {grade: B}\n"));
        assert_eq!(
            (d.path.as_str(), d.message.as_str()),
            ("areas.D.override.2021", "nyckeln «reason» saknas")
        );
        let d = one_error(&with("      2021: {grade: B, reason: '  '}\n"));
        assert_eq!(d.message, "texten är tom");
        let d = one_error(&with("      2015: {grade: B, reason: x}\n"));
        assert_eq!(d.message, "2015 graderas inte i denna granskning");
        let d = one_error(&with("      2021: {grade: F, reason: x}\n"));
        assert_eq!(d.message, "okänt betyg: texten «F»");
        let q = parse_text(&with("      \"2021\": {grade: B, reason: Motiverat.}\n")).unwrap();
        assert_eq!(
            q.area('D').unwrap().overrides[&Version::V2021].grade,
            Grade::B
        );
    }

    #[test]
    fn an_area_with_no_assessed_foreskrift_needs_an_override() {
        let answers: Vec<(&str, &str)> = ["C1", "C2", "C3"]
            .iter()
            .map(|id| (*id, "not_assessed"))
            .collect();
        let d = one_error(
            &questionnaire_text("[2015, 2021]", &answers, "")
                .replace("regulations: [2015, 2021]", "regulations: [2021]"),
        );
        assert!(
            d.message
                .starts_with("ingen föreskrift i område C är bedömd under 2021"),
            "{}",
            d.message
        );
        let text = questionnaire_text("[2021]", &answers, "").replace(
            "  C:\n",
            "  C:\n    override:\n      2021: {grade: B, reason: Bedömt efter besöket.}\n",
        );
        assert!(parse_text(&text).is_ok());
    }

    #[test]
    fn ten_mistakes_give_ten_errors_with_lines() {
        let text = questionnaire_text(
            "[2015, 2021, 2021]",
            &[
                ("A1", "ja"),
                ("B2", "true"),
                ("C1", "{answer: yes, serious: true}"),
                ("D5", "E4"),
            ],
            "",
        )
        .replace("date: 2025-02-12", "date: 2025-13-01")
        .replace("  name: Testenheten\n", "  name: Testenheten\n  namn: x\n")
        .replace("      F2: yes\n", "")
        .replace("      G3: yes\n", "      G3: yes\n      G12: yes\n")
        .replace("[Anna Lindqvist]", "[]");
        let errors = errors(&text);
        assert_eq!(errors.len(), 10, "{errors:#?}");
        assert!(
            errors
                .iter()
                .all(|d| d.line > 0 && d.column > 0 && !d.path.is_empty())
        );
    }

    #[test]
    fn an_action_plan_reference_is_read() {
        let q = parse_text(&questionnaire_text("[2015]", &[], "action_plan:\n  file: plan.yaml\n  received: 2025-05-02\n  rejected: [{indicator: E4, reason: För vag.}]\n")).unwrap();
        let plan = q.action_plan.unwrap();
        assert_eq!(
            (plan.file.as_str(), plan.rejected[0].indicator.as_str()),
            ("plan.yaml", "E4")
        );
        let d = one_error(&questionnaire_text(
            "[2015]",
            &[],
            "action_plan:\n  file: plan.yaml\n  received: 2024-05-02\n",
        ));
        assert_eq!(d.path, "action_plan.received");
    }

    #[test]
    fn the_survey_is_read_as_counts_per_role() {
        let q = parse_text(&questionnaire_text(
            "[2015]",
            &[],
            "survey:\n  answered: {st_lakare: 10, verksamhetschef: 0}\n  interviewed: {ledning: 3}\n",
        ))
        .unwrap();
        let survey = q.survey.unwrap();
        assert_eq!(
            survey.answered.into_iter().collect::<Vec<_>>(),
            vec![(Role::StLakare, 10), (Role::Verksamhetschef, 0)]
        );
        assert_eq!(survey.asked, None);
        assert_eq!(survey.interviewed.unwrap()[&Role::Ledning], 3);
    }

    #[test]
    fn survey_counts_are_whole_numbers_of_known_roles_and_no_more_than_were_asked() {
        let errors = errors(&questionnaire_text(
            "[2015]",
            &[],
            "survey:\n  answered: {st_lakare: -1, handledare: 2.5, läkare: 3, studierektorer: 3}\n  \
             asked: {studierektorer: 2}\n  interviewed: {ledning: many}\n",
        ));
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|d| (d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("survey.answered.läkare", "okänd nyckel «läkare»"),
                (
                    "survey.answered.st_lakare",
                    "här väntades ett antal men det står talet -1"
                ),
                (
                    "survey.answered.handledare",
                    "här väntades ett antal men det står talet 2.5"
                ),
                (
                    "survey.interviewed.ledning",
                    "här väntades ett antal men det står texten «many»"
                ),
            ]
        );
        let d = one_error(&questionnaire_text(
            "[2015]",
            &[],
            "survey:\n  answered: {studierektorer: 3}\n  asked: {studierektorer: 2}\n",
        ));
        assert_eq!(d.path, "survey.asked.studierektorer");
        assert_eq!(
            d.message,
            "3 svar från studierektorer men bara 2 tillfrågade"
        );
        assert_eq!(
            one_error(&questionnaire_text(
                "[2015]",
                &[],
                "survey:\n  asked: {st_lakare: 2}\n"
            ))
            .message,
            "nyckeln «answered» saknas"
        );
    }

    #[test]
    fn characters_without_a_glyph_are_named() {
        let text =
            questionnaire_text("[2015]", &[], "").replace("Testenheten", "Test\u{1F600}enheten");
        let errors = parse(&Source::new("t.yaml", text), Catalog::embedded(), &|c| {
            c.is_ascii()
        })
        .unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors[0].message.contains("U+1F600"),
            "{}",
            errors[0].message
        );
    }
}
