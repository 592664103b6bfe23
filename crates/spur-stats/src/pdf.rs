//! The summary as a PDF, "Årssammanställning ST-SPUR": `templates/summary.typ` laid
//! out by Typst with the report's fonts, the data handed over as JSON through
//! `sys.inputs` exactly as [`spur_report::render`] does for the report, so that text from
//! the questionnaires is only ever shown, never evaluated.

use chrono::Datelike;
use serde::Serialize;
use typst_layout::PagedDocument;

use super::prose::{self, number, percent, share_text};
use super::text::{TOP_UNMET, change_cell, of_text};
use super::{Share, Summary};
use spur_report::render::{self, RenderError, Standard};
use spur_report::swedish_date;

/// The summary's Typst source.
pub const TEMPLATE: &str = include_str!("../../../templates/summary.typ");
/// The name the template is compiled under.
pub const TEMPLATE_NAME: &str = "summary.typ";

/// The most rows a long list (units due, units inspected again, files left out) has in
/// the PDF; the rest are counted, and every one is in the text and the JSON.
pub const MAX_ROWS: usize = 150;

/// The engine with the summary's template and the embedded fonts loaded.
pub struct Renderer {
    engine: render::Engine,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    /// Loads the template and the fonts.
    pub fn new() -> Self {
        Renderer {
            engine: render::Engine::new(TEMPLATE_NAME, TEMPLATE),
        }
    }

    /// Lays out the summary.
    pub fn document(&self, summary: &Summary) -> Result<PagedDocument, RenderError> {
        let json =
            serde_json::to_string(&data(summary)).map_err(|e| RenderError::Data(e.to_string()))?;
        self.engine.document(json)
    }

    /// The summary as PDF bytes, conforming to `standard`.
    pub fn pdf(&self, summary: &Summary, standard: Standard) -> Result<Vec<u8>, RenderError> {
        render::export(&self.document(summary)?, standard)
    }
}

/// What the template reads: the figures, with every number already written as
/// Swedish writes it, and the bars' sizes as fractions.
#[derive(Debug, Serialize)]
pub struct Data {
    /// "Årssammanställning ST-SPUR 2021–2025".
    pub title: String,
    /// The day the figures are for, as year, month, day: the PDF's date.
    pub date: [u32; 3],
    /// That day in words.
    pub today: String,
    /// "12 februari 2021 – 3 maj 2025".
    pub period: Option<String>,
    /// The lead paragraphs.
    pub lead: Vec<String>,
    /// The key figures, large on the first page.
    pub tiles: Vec<Tile>,
    /// Inspections counted.
    pub inspections: String,
    /// Counts per year, specialty and organisation.
    pub counts: Vec<Chart>,
    /// Grade distributions, one per version graded by any inspection.
    pub grades: Vec<GradeTable>,
    /// The most often unmet indicators, per version graded by any inspection.
    pub unmet: Vec<UnmetTable>,
    /// Plans and actions, as label and value.
    pub plans: Vec<Line>,
    /// The survey's response rates.
    pub survey: Vec<SurveyRow>,
    /// Inspections with a survey.
    pub surveys: String,
    /// Units inspected more than once.
    pub repeated: Rows<RepeatedRow>,
    /// Units due for inspection.
    pub due: Rows<DueRow>,
    /// Files left out.
    pub not_counted: Rows<NotCountedRow>,
    /// Action-plan files passed over.
    pub plans_skipped: String,
}

/// A key figure.
#[derive(Debug, Serialize)]
pub struct Tile {
    /// The figure, e.g. "64 %".
    pub value: String,
    /// What it counts.
    pub label: String,
}

/// A bar chart of counts.
#[derive(Debug, Serialize)]
pub struct Chart {
    /// The chart's heading.
    pub title: String,
    /// Its bars.
    pub bars: Vec<Bar>,
}

/// One bar.
#[derive(Debug, Serialize)]
pub struct Bar {
    /// What it counts.
    pub label: String,
    /// The count, written out.
    pub value: String,
    /// Its length, as a fraction of the longest.
    pub size: f64,
}

/// One version's grade distribution.
#[derive(Debug, Serialize)]
pub struct GradeTable {
    /// "SOSFS 2015:8".
    pub regulation: String,
    /// "120 granskningar".
    pub inspections: String,
    /// A–H.
    pub areas: Vec<GradeRow>,
    /// Whether any inspection lacks a grade in an area (the `-` column is shown).
    pub any_ungraded: bool,
}

/// One area's distribution.
#[derive(Debug, Serialize)]
pub struct GradeRow {
    /// The area's letter.
    pub id: char,
    /// Its title.
    pub title: String,
    /// Base grades A–E, `-`.
    pub base: [usize; 6],
    /// Final grades A–E, `-`.
    #[serde(rename = "final")]
    pub final_: [usize; 6],
    /// Inspections that graded the version.
    pub graded: usize,
}

/// The most often unmet indicators under one version.
#[derive(Debug, Serialize)]
pub struct UnmetTable {
    /// "SOSFS 2015:8".
    pub regulation: String,
    /// The indicators shown.
    pub rows: Vec<UnmetRow>,
    /// How many more were unmet at least once.
    pub more: usize,
}

/// One indicator.
#[derive(Debug, Serialize)]
pub struct UnmetRow {
    /// Its id.
    pub id: String,
    /// Its kind under the version.
    pub kind: String,
    /// Its wording.
    pub text: String,
    /// "32 av 120 (27 %)".
    pub label: String,
    /// The share unmet, for the bar.
    pub share: f64,
}

/// A label and its figure.
#[derive(Debug, Serialize)]
pub struct Line {
    /// What is counted.
    pub label: String,
    /// The figure.
    pub value: String,
    /// Whether it is a part of the line above.
    pub part: bool,
}

/// One role's survey figures.
#[derive(Debug, Serialize)]
pub struct SurveyRow {
    /// The role, in the plural.
    pub role: String,
    /// Answers, over every survey.
    pub answered: String,
    /// "17 av 18": answers of those asked, where the survey says how many.
    pub of_asked: String,
    /// Answers of asked, as a percent, or "–".
    pub rate: String,
    /// The same as a fraction, for the bar.
    pub share: Option<f64>,
    /// "30 av 45": units where the role was asked and answered.
    pub units: String,
    /// Met at the visits.
    pub interviewed: String,
}

/// A list cut to [`MAX_ROWS`].
#[derive(Debug, Serialize)]
pub struct Rows<T> {
    /// The rows shown.
    pub rows: Vec<T>,
    /// How many were left out.
    pub more: usize,
}

impl<T> Rows<T> {
    /// The first [`MAX_ROWS`] of `all`, and how many more.
    fn cut(all: impl ExactSizeIterator<Item = T>) -> Self {
        let more = all.len().saturating_sub(MAX_ROWS);
        Rows {
            rows: all.take(MAX_ROWS).collect(),
            more,
        }
    }
}

/// A unit inspected more than once.
#[derive(Debug, Serialize)]
pub struct RepeatedRow {
    /// The unit.
    pub unit: String,
    /// Its organisation.
    pub organisation: String,
    /// The inspections' dates.
    pub dates: Vec<String>,
    /// Per area A–H: "B", or "C→B".
    pub cells: Vec<String>,
}

/// A unit due for inspection.
#[derive(Debug, Serialize)]
pub struct DueRow {
    /// The unit.
    pub unit: String,
    /// Its organisation.
    pub organisation: String,
    /// Its specialty.
    pub specialty: String,
    /// The last inspection's date.
    pub last: String,
    /// When the next is due.
    pub due: String,
    /// Whether that has passed.
    pub overdue: bool,
}

/// A file left out.
#[derive(Debug, Serialize)]
pub struct NotCountedRow {
    /// The file, with line and column where there is one.
    pub at: String,
    /// Its first problem.
    pub problem: String,
}

/// A bar chart of counts, each bar a fraction of the longest.
fn chart(title: &str, bars: Vec<(String, usize)>) -> Chart {
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    Chart {
        title: title.to_string(),
        bars: bars
            .into_iter()
            .map(|(label, n)| Bar {
                label,
                value: number(n),
                size: n as f64 / max as f64,
            })
            .collect(),
    }
}

/// One line of the plans table.
fn line(label: &str, value: String, part: bool) -> Line {
    Line {
        label: label.to_string(),
        value,
        part,
    }
}

/// The template's data for `summary`.
pub fn data(summary: &Summary) -> Data {
    let s = summary;
    let p = &s.plans;
    let a = &s.actions;
    let d = &s.deficiencies;
    let pct = |share: &Share| percent(share).unwrap_or_else(|| "–".to_string());
    let tiles = vec![
        Tile {
            value: number(s.inspections),
            label: format!(
                "granskningar av {}",
                prose::counted(s.units, "enhet", "enheter")
            ),
        },
        Tile {
            value: pct(&d.base),
            label: "med D eller E i något område före handlingsplan".into(),
        },
        Tile {
            value: pct(&p.in_time),
            label: "av handlingsplanerna inkom i tid".into(),
        },
        Tile {
            value: number(a.overdue),
            label: "åtgärder med passerat slutdatum att följa upp".into(),
        },
    ];
    let grades = s
        .unmet
        .iter()
        .filter(|u| u.inspections > 0)
        .map(|u| GradeTable {
            regulation: u.regulation.clone(),
            inspections: prose::counted(u.inspections, "granskning", "granskningar"),
            areas: s
                .grades
                .iter()
                .filter_map(|area| {
                    let d = area.versions.get(&u.version)?;
                    Some(GradeRow {
                        id: area.id,
                        title: area.title.clone(),
                        base: d.base.0,
                        final_: d.final_.0,
                        graded: d.graded,
                    })
                })
                .collect(),
            any_ungraded: s.grades.iter().any(|area| {
                area.versions
                    .get(&u.version)
                    .is_some_and(|d| d.base.get(None) + d.final_.get(None) > 0)
            }),
        })
        .collect();
    let unmet = s
        .unmet
        .iter()
        .filter(|u| u.inspections > 0)
        .map(|u| UnmetTable {
            regulation: u.regulation.clone(),
            rows: u
                .indicators
                .iter()
                .take(TOP_UNMET)
                .map(|i| UnmetRow {
                    id: i.indicator.clone(),
                    kind: i.kind.noun().to_string(),
                    text: i.text.clone(),
                    label: share_text(&Share::new(i.unmet, i.assessed)),
                    share: i.share,
                })
                .collect(),
            more: u.indicators.len().saturating_sub(TOP_UNMET),
        })
        .collect();
    let plans = vec![
        line(
            "Granskningar med D eller E före handlingsplan",
            share_text(&d.base),
            false,
        ),
        line(
            "Granskningar med D eller E efter handlingsplan",
            share_text(&d.final_),
            false,
        ),
        line("Handlingsplan krävdes", number(p.required), false),
        line("inkom senast på utsatt dag", number(p.on_time), true),
        line("inkom efter utsatt dag", number(p.late), true),
        line(
            "inkom, inget sista datum satt",
            number(p.received_without_due),
            true,
        ),
        line("saknas, tiden har gått ut", number(p.overdue), true),
        line("väntas", number(p.awaited), true),
        line(
            "Planer som inkom i tid, av dem som skulle ha kommit in",
            share_text(&p.in_time),
            false,
        ),
        line("Åtgärder i inkomna handlingsplaner", number(a.total), false),
        line("bekräftade som genomförda", number(a.confirmed), true),
        line("slutdatum passerat, att följa upp", number(a.overdue), true),
        line("återstår", number(a.open), true),
    ];
    let survey = s
        .survey
        .roles
        .iter()
        .map(|r| SurveyRow {
            role: prose::role_label(r.role),
            answered: number(r.answered),
            of_asked: of_text(&r.response),
            rate: pct(&r.response),
            share: r.response.share,
            units: of_text(&r.units),
            interviewed: number(r.interviewed),
        })
        .collect();
    Data {
        title: prose::title(s),
        date: [
            s.today.year().unsigned_abs(),
            s.today.month(),
            s.today.day(),
        ],
        today: swedish_date(s.today),
        period: s
            .period
            .map(|p| format!("{} – {}", swedish_date(p.first), swedish_date(p.last))),
        lead: prose::lead(s),
        tiles,
        inspections: prose::counted(s.inspections, "granskning", "granskningar"),
        counts: vec![
            chart(
                "Per år",
                s.per_year
                    .iter()
                    .map(|y| (y.year.to_string(), y.count))
                    .collect(),
            ),
            chart(
                "Per specialitet",
                s.per_specialty
                    .iter()
                    .map(|n| (n.name.clone(), n.count))
                    .collect(),
            ),
            chart(
                "Per vårdgivare",
                s.per_organisation
                    .iter()
                    .map(|n| (n.name.clone(), n.count))
                    .collect(),
            ),
        ],
        grades,
        unmet,
        plans,
        survey,
        surveys: prose::counted(s.survey.inspections, "granskning", "granskningar"),
        repeated: Rows::cut(s.repeated.iter().map(|u| RepeatedRow {
            unit: u.unit.clone(),
            organisation: u.organisation.clone(),
            dates: u.inspections.iter().map(|v| v.date.to_string()).collect(),
            cells: u.areas.iter().map(change_cell).collect(),
        })),
        due: Rows::cut(s.due.iter().map(|u| DueRow {
            unit: u.unit.clone(),
            organisation: u.organisation.clone(),
            specialty: u.specialty.clone(),
            last: u.last.to_string(),
            due: u.due.to_string(),
            overdue: u.overdue,
        })),
        not_counted: Rows::cut(s.files.not_counted.iter().map(|n| NotCountedRow {
            at: if n.line > 0 {
                format!("{}:{}:{}", n.file, n.line, n.column)
            } else {
                n.file.clone()
            },
            problem: n.problem.clone(),
        })),
        plans_skipped: number(s.files.plans_skipped),
    }
}
