//! The page models of the questionnaire in the browser (SPEC §8.4): the overview with
//! each page's status and the grade table, and one page per part of the questionnaire
//! with every field, its problem, and a second text where two saves differ.

mod problems;

use problems::{at_field, sentence};
use serde::Serialize;

use super::{Linked, Me, People, moment};
use crate::db::drafts::{Line, Open};
use spur_core::catalog::{Catalog, Grade, Version};
use spur_core::grade_table::{self, Table, TableRow};
use spur_core::grading;
use spur_core::questionnaire::{Answer, Role};
use spur_core::typed::TextProblem;
use spur_cycle::draft::{self, Draft, Field, Located, Page, Spot, Status, Tally, Value};

/// What the pages of one inspection's questionnaire are made from.
pub struct Shown<'a> {
    /// The inspection.
    pub id: i64,
    /// The version the page is made from, which its form sends back.
    pub version: i64,
    /// What the fields show: the stored draft, or what was typed when it was refused.
    pub draft: &'a Draft,
    /// The stored questionnaire's problems, placed.
    pub problems: &'a [Located],
    /// Fields holding a second text.
    pub open: &'a [Open],
    /// Whether the stage lets the inspectors change the questionnaire.
    pub editable: bool,
    /// Who is who, to show a second text's author by name.
    pub people: &'a People,
}

/// One saved version in the questionnaire's history, as the overview lists it.
#[derive(Debug, Clone, Serialize)]
pub struct VersionLine {
    /// The version's id, which its download names.
    pub id: i64,
    /// What made it.
    pub kind: &'static str,
    /// Who, by name.
    pub by: String,
    /// When, in Swedish time.
    pub at: String,
}

/// One option of a radio group, a set of checkboxes or a list.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    /// The value sent.
    pub value: String,
    /// What it reads.
    pub label: String,
    /// Whether it is chosen.
    pub checked: bool,
}

/// A second text kept at a field, for a person to choose.
#[derive(Debug, Clone, Serialize)]
pub struct Second {
    /// The conflict's id, which the choice buttons send.
    pub id: i64,
    /// The later save's text.
    pub texts: Vec<String>,
    /// Who saved it.
    pub by: String,
    /// When (UTC).
    pub at: String,
}

/// One field as its page shows it. Exactly one of the kind flags is set.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    /// The form name, also the element id.
    pub name: String,
    /// The label (the legend for a group).
    pub label: String,
    /// A hint under the label.
    pub hint: Option<&'static str>,
    /// The ids that describe the field: its hint and its error.
    pub described_by: String,
    /// A one-line text; `input_type` says which.
    pub line: bool,
    /// The `type` of a one-line field.
    pub input_type: &'static str,
    /// A text of several lines.
    pub textarea: bool,
    /// Radio buttons.
    pub radios: bool,
    /// One checkbox.
    pub checkbox: bool,
    /// Several checkboxes.
    pub checkboxes: bool,
    /// A drop-down.
    pub select: bool,
    /// A list: one text per item, each removable, and an empty one to add.
    pub list: bool,
    /// Whether a list's items take several lines.
    pub long_items: bool,
    /// The text shown.
    pub value: String,
    /// The options, or a list's items (with `checked` unused).
    pub choices: Vec<Choice>,
    /// What is wrong with the field.
    pub error: Option<String>,
    /// A second text, until a person chooses.
    pub second: Option<Second>,
}

/// A part of a page: a heading, and fields, grouped in a fieldset when `legend`.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The heading or legend.
    pub heading: Option<String>,
    /// Whether the fields form one group (a fieldset with the heading as legend).
    pub legend: bool,
    /// The fields.
    pub inputs: Vec<Input>,
}

/// One indicator of an area page.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorForm {
    /// E.g. "D6".
    pub id: String,
    /// The indicator's text.
    pub text: String,
    /// Its kind under each graded version, with the seed's "(endast …)" mark.
    pub kinds: String,
    /// The answer's radio buttons.
    pub answer: Input,
    /// The comment.
    pub comment: Input,
    /// "Allvarlig brist".
    pub serious: Input,
}

/// An area's grade set by the inspectors, for one version.
#[derive(Debug, Clone, Serialize)]
pub struct OverrideForm {
    /// The group's legend.
    pub legend: String,
    /// The grade.
    pub grade: Input,
    /// Why.
    pub reason: Input,
}

/// A page in the overview and the pages' menu.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    /// Its address.
    pub href: String,
    /// Its heading.
    pub title: String,
    /// Its status, as the overview shows it.
    pub status: &'static str,
    /// Whether nothing is left to do on it.
    pub done: bool,
    /// Whether it has something to correct.
    pub errors: bool,
    /// Whether anything is typed on it.
    pub started: bool,
    /// Whether this is the page shown.
    pub current: bool,
}

/// A problem listed on the overview, linking to its page and field.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemLink {
    /// Where to correct it.
    pub href: String,
    /// What is wrong.
    pub text: String,
}

/// The questionnaire's overview.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// The inspector.
    #[serde(flatten)]
    pub me: Me,
    /// The inspection.
    pub id: i64,
    /// The unit's name as typed, or a placeholder.
    pub unit: String,
    /// Every page with its status.
    pub tasks: Vec<Task>,
    /// Every problem of the questionnaire, linked.
    pub problems: Vec<ProblemLink>,
    /// Fields holding two texts, linked.
    pub seconds: Vec<ProblemLink>,
    /// The grades of the finished areas.
    pub grades: Option<Table>,
    /// Whether the questionnaire is valid: then it has a report.
    pub valid: bool,
    /// Whether the stage lets the inspectors change it.
    pub editable: bool,
    /// The latest versions.
    pub history: Vec<VersionLine>,
}

/// One page of the questionnaire.
#[derive(Debug, Clone, Serialize)]
pub struct EditPage {
    /// The inspector.
    #[serde(flatten)]
    pub me: Me,
    /// The inspection.
    pub id: i64,
    /// The unit's name as typed, or a placeholder.
    pub unit: String,
    /// The version the page is made from.
    pub version: i64,
    /// The page's heading.
    pub title: String,
    /// The form's address.
    pub action: String,
    /// Every page, for the menu.
    pub tasks: Vec<Task>,
    /// The next page, if any.
    pub next: Option<Task>,
    /// This page's problems, each linked to its field.
    pub problems: Vec<Linked>,
    /// Why the last save was not kept, when it was not.
    pub refused: Option<String>,
    /// The fields of the unit, summary and survey pages.
    pub sections: Vec<Section>,
    /// An area page's findings.
    pub findings: Option<Input>,
    /// An area page's indicators.
    pub indicators: Vec<IndicatorForm>,
    /// An area page's grades set by the inspectors.
    pub overrides: Vec<OverrideForm>,
    /// An area page's grades as they stand, with the reasons.
    pub grades: Option<TableRow>,
    /// Why an area page shows no grades yet.
    pub ungraded: Option<&'static str>,
    /// When and by whom the stored version was saved.
    pub saved: String,
    /// Whether the fields can be changed.
    pub editable: bool,
}

/// The pages with their statuses.
fn tasks(catalog: &Catalog, shown: &Shown, current: Option<Page>) -> Vec<Task> {
    Page::all(catalog)
        .into_iter()
        .map(|page| {
            let fields = page.fields(catalog, shown.draft);
            let here = draft::on_page(shown.problems, page);
            let status = Status::of(shown.draft, &fields, &here);
            Task {
                href: format!("/inspections/{}/questionnaire/{}", shown.id, page.key()),
                title: page.title(catalog),
                status: status.label(),
                done: status == Status::Done,
                errors: status == Status::Errors,
                started: status != Status::NotStarted,
                current: current == Some(page),
            }
        })
        .collect()
}

/// The grades of the areas that are finished.
fn grading(catalog: &Catalog, shown: &Shown) -> Option<(grading::Grading, Vec<Version>)> {
    let (versions, areas) = draft::finished_areas(catalog, shown.draft, shown.problems)?;
    let graded = grading::grade_areas(catalog, &versions, &areas, None);
    Some((graded, versions))
}

/// The overview of an inspection's questionnaire.
pub fn overview(me: Me, shown: &Shown, history: Vec<Line>) -> Overview {
    let catalog = Catalog::embedded();
    let href = |page: Page, field: Option<&Field>| {
        let anchor = field.map_or(String::new(), |f| format!("#{}", f.name()));
        format!(
            "/inspections/{}/questionnaire/{}{anchor}",
            shown.id,
            page.key()
        )
    };
    // A page nobody has begun is not judged yet: its problems show once something is
    // typed on it, one line each, in the page's order.
    let begun = |page: Page| {
        let fields = page.fields(catalog, shown.draft);
        let here = draft::on_page(shown.problems, page);
        Status::of(shown.draft, &fields, &here) != Status::NotStarted
    };
    let problems = shown
        .problems
        .iter()
        .filter_map(|(spot, d)| {
            let (link, title, text) = match spot {
                Some(Spot::Field(f)) => (
                    href(f.page(), Some(f)),
                    f.page().title(catalog),
                    at_field(f, d),
                ),
                Some(Spot::Page(p)) => (href(*p, None), p.title(catalog), sentence(d)),
                None => (
                    href(Page::Unit, None),
                    String::from("Frågeformuläret"),
                    sentence(d),
                ),
            };
            let page = match spot {
                Some(Spot::Field(f)) => Some(f.page()),
                Some(Spot::Page(p)) => Some(*p),
                None => None,
            };
            if page.is_some_and(|p| !begun(p)) {
                return None;
            }
            Some(ProblemLink {
                href: link,
                text: format!("{title} – {text}"),
            })
        })
        .collect();
    let seconds = shown
        .open
        .iter()
        .map(|o| ProblemLink {
            href: href(o.field.page(), Some(&o.field)),
            text: format!(
                "{}: {} har två texter",
                o.field.page().title(catalog),
                label(&o.field).0
            ),
        })
        .collect();
    Overview {
        me,
        id: shown.id,
        unit: shown.draft.unit_name(),
        tasks: tasks(catalog, shown, None),
        problems,
        seconds,
        grades: grading(catalog, shown).map(|(g, v)| grade_table::table_of(catalog, &g, &v, false)),
        valid: shown.problems.is_empty(),
        editable: shown.editable,
        history: history
            .into_iter()
            .map(|l| VersionLine {
                id: l.id,
                kind: l.kind,
                by: shown.people.name(&l.by),
                at: moment(&l.at),
            })
            .collect(),
    }
}

/// Page `page` of the questionnaire; `refused` carries the texts that could not be
/// kept, at their fields, when the last save was refused.
pub fn page(
    me: Me,
    shown: &Shown,
    page: Page,
    refused: &[(Field, TextProblem)],
    saved: String,
) -> EditPage {
    let catalog = Catalog::embedded();
    let d = shown.draft;
    let mut problems = Vec::new();
    // A page not begun is not judged yet: its problems show once something is typed.
    let begun = tasks(catalog, shown, Some(page))
        .iter()
        .any(|t| t.current && t.started);
    let build = |field: Field, problems: &mut Vec<Linked>| {
        let mut own: Vec<String> = shown
            .problems
            .iter()
            .filter(|(s, _)| begun && s.as_ref() == Some(&Spot::Field(field.clone())))
            .map(|(_, d)| at_field(&field, d))
            .collect();
        own.extend(
            refused
                .iter()
                .filter(|(f, _)| *f == field)
                .map(|(_, p)| p.to_string()),
        );
        let input = input(d, &field, own, shown);
        if let Some(e) = &input.error {
            problems.push(Linked {
                target: Some(input.name.clone()),
                text: format!("{}: {e}", input.label),
            });
        }
        input
    };
    let mut sections = Vec::new();
    let mut findings = None;
    let mut indicators = Vec::new();
    let mut overrides = Vec::new();
    match page {
        Page::Unit => {
            let fields = page.fields(catalog, d);
            sections.push(Section {
                heading: None,
                legend: false,
                inputs: fields
                    .into_iter()
                    .map(|f| build(f, &mut problems))
                    .collect(),
            });
        }
        Page::Summary => {
            for f in page.fields(catalog, d) {
                sections.push(Section {
                    heading: None,
                    legend: false,
                    inputs: vec![build(f, &mut problems)],
                });
            }
        }
        Page::Survey => {
            for tally in Tally::ALL {
                sections.push(Section {
                    heading: Some(tally_heading(tally).into()),
                    legend: true,
                    inputs: tally
                        .roles()
                        .iter()
                        .map(|&r| build(Field::Count(tally, r), &mut problems))
                        .collect(),
                });
            }
        }
        Page::Area(area) => {
            findings = Some(build(Field::Findings(area), &mut problems));
            let versions = draft::graded(d);
            for indicator in draft::asked(catalog, area, d) {
                let id = indicator.id.clone();
                indicators.push(IndicatorForm {
                    text: indicator.text.clone(),
                    kinds: kinds(indicator, &versions),
                    answer: build(Field::Answer(id.clone()), &mut problems),
                    comment: build(Field::Comment(id.clone()), &mut problems),
                    serious: build(Field::Serious(id.clone()), &mut problems),
                    id,
                });
            }
            for v in versions {
                overrides.push(OverrideForm {
                    legend: format!("Betyg enligt {} satt av granskarna", v.regulation()),
                    grade: build(Field::Grade(area, v), &mut problems),
                    reason: build(Field::Reason(area, v), &mut problems),
                });
            }
        }
    }
    for (spot, diag) in shown.problems {
        if begun && *spot == Some(Spot::Page(page)) {
            problems.push(Linked {
                target: None,
                text: sentence(diag),
            });
        }
    }
    let (grades, ungraded) = area_grades(shown, page);
    let tasks = tasks(catalog, shown, Some(page));
    let next = tasks
        .iter()
        .position(|t| t.current)
        .and_then(|i| tasks.get(i + 1))
        .cloned();
    EditPage {
        me,
        id: shown.id,
        unit: d.unit_name(),
        version: shown.version,
        title: page.title(catalog),
        action: format!("/inspections/{}/questionnaire/{}", shown.id, page.key()),
        tasks,
        next,
        problems,
        refused: (!refused.is_empty()).then(|| {
            "Ändringarna sparades inte. Rätta det som står vid fälten; texten finns kvar.".into()
        }),
        sections,
        findings,
        indicators,
        overrides,
        grades,
        ungraded,
        saved,
        editable: shown.editable,
    }
}

/// An area page's grades as they stand, or why there are none yet; nothing for the
/// other pages.
pub fn area_grades(shown: &Shown, page: Page) -> (Option<TableRow>, Option<&'static str>) {
    let catalog = Catalog::embedded();
    let Page::Area(area) = page else {
        return (None, None);
    };
    match grading(catalog, shown) {
        Some((g, v)) => {
            let table = grade_table::table_of(catalog, &g, &v, false);
            match table.rows.into_iter().find(|r| r.id == area) {
                Some(row) => (Some(row), None),
                None => (
                    None,
                    Some("Området får betyg när alla dess fel är rättade."),
                ),
            }
        }
        None => (
            None,
            Some(
                "Området får betyg när föreskrifterna är valda på sidan Enheten och granskningen.",
            ),
        ),
    }
}

fn tally_heading(tally: Tally) -> &'static str {
    match tally {
        Tally::Answered => "Besvarade enkäten före besöket",
        Tally::Asked => "Ombads besvara enkäten",
        Tally::Interviewed => "Deltog vid granskningstillfället",
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::StLakare => "ST-läkare",
        Role::Handledare => "Handledare",
        Role::Studierektorer => "Studierektorer",
        Role::Verksamhetschef => "Verksamhetschef",
        Role::Ledning => "Med chefs- eller ledningsansvar",
    }
}

/// An indicator's kinds under the graded versions, as the seed marks them.
fn kinds(indicator: &spur_core::catalog::Indicator, versions: &[Version]) -> String {
    let phrase = indicator.kinds_phrase(versions);
    let under: Vec<Version> = Version::ALL
        .into_iter()
        .filter(|&v| indicator.kind(v).is_some())
        .collect();
    match under.as_slice() {
        [only] => format!("{phrase} (endast {only})"),
        _ => phrase,
    }
}

/// A field's label and hint.
fn label(field: &Field) -> (String, Option<&'static str>) {
    const DATE: Option<&str> = Some("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2025-02-12.");
    const OPTIONAL_DATE: Option<&str> =
        Some("Frivilligt. Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2025-03-10.");
    let (text, hint): (String, Option<&'static str>) = match field {
        Field::Name => ("Enhetens namn".into(), None),
        Field::Organisation => ("Vårdgivare".into(), Some("Till exempel Region Stockholm.")),
        Field::Specialty => ("Specialitet".into(), None),
        Field::Description => (
            "Verksamheten".into(),
            Some(
                "Frivilligt. Texten som beskriver enheten i rapporten; en tom rad blir ett nytt stycke.",
            ),
        ),
        Field::Date => ("Datum för granskningen".into(), DATE),
        Field::ReportDate => ("Rapportens datum".into(), OPTIONAL_DATE),
        Field::Inspectors => ("Granskare".into(), Some("En granskare per rad.")),
        Field::Regulations => (
            "Föreskrifter som enhetens ST-läkare följer".into(),
            Some("Enheten graderas för sig enligt varje vald föreskrift."),
        ),
        Field::PlanDue => ("Sista dag för handlingsplanen".into(), OPTIONAL_DATE),
        Field::Strengths => ("Styrkor".into(), Some("En punkt per ruta.")),
        Field::Weaknesses => ("Svagheter".into(), Some("En punkt per ruta.")),
        Field::Improvements => ("Förbättringspotential".into(), Some("En punkt per ruta.")),
        Field::Count(_, role) => (role_label(*role).into(), None),
        Field::Findings(area) => (
            format!("Iakttagelser för område {area}"),
            Some("Frivilligt. En tom rad blir ett nytt stycke i rapporten."),
        ),
        Field::Answer(id) => (format!("Bedömning av {id}"), None),
        Field::Comment(id) => (format!("Kommentar till {id}"), Some("Frivilligt.")),
        Field::Serious(id) => (
            format!("Allvarlig brist ({id})"),
            Some("Endast med Delvis uppfylld eller Ej uppfylld. Ger området betyget E."),
        ),
        Field::Grade(_, v) => (
            format!("Betyg enligt {v}"),
            Some("Lämna tomt för det beräknade betyget."),
        ),
        Field::Reason(_, v) => (
            format!("Motivering till betyget enligt {v}"),
            Some("Krävs när ett betyg är valt."),
        ),
    };
    (text, hint)
}

/// Field `field` as its page shows it, with its problems and any second text.
fn input(d: &Draft, field: &Field, problems: Vec<String>, shown: &Shown) -> Input {
    let (text, hint) = label(field);
    let name = field.name();
    let value = d.text(field).to_string();
    let error = (!problems.is_empty()).then(|| problems.join(" "));
    let mut described = Vec::new();
    if hint.is_some() {
        described.push(format!("{name}-hint"));
    }
    if error.is_some() {
        described.push(format!("{name}-fel"));
    }
    let second = shown
        .open
        .iter()
        .find(|o| o.field == *field)
        .map(|o| Second {
            id: o.id,
            texts: match &o.theirs {
                Value::Text(t) => vec![t.clone()],
                Value::List(l) => l.clone(),
            },
            by: shown.people.name(&o.by),
            at: super::moment(&o.at),
        });
    let mut input = Input {
        name,
        label: text,
        hint,
        described_by: described.join(" "),
        line: false,
        input_type: "text",
        textarea: false,
        radios: false,
        checkbox: false,
        checkboxes: false,
        select: false,
        list: false,
        long_items: false,
        value,
        choices: Vec::new(),
        error,
        second,
    };
    let choice = |value: &str, label: &str, checked: bool| Choice {
        value: value.into(),
        label: label.into(),
        checked,
    };
    match field {
        Field::Description | Field::Findings(_) | Field::Comment(_) | Field::Reason(..) => {
            input.textarea = true;
        }
        Field::Inspectors | Field::Strengths | Field::Weaknesses | Field::Improvements => {
            input.list = true;
            input.long_items = *field != Field::Inspectors;
            input.choices = d.list(field).iter().map(|t| choice(t, "", false)).collect();
        }
        Field::Regulations => {
            input.checkboxes = true;
            let ticked = d.list(field);
            input.choices = Version::ALL
                .iter()
                .map(|v| {
                    let year = v.to_string();
                    let checked = ticked.contains(&year);
                    choice(&year, v.regulation(), checked)
                })
                .collect();
        }
        Field::Answer(_) => {
            input.radios = true;
            input.choices = [Answer::Yes, Answer::Partly, Answer::No, Answer::NotAssessed]
                .into_iter()
                .map(|a| {
                    let key = draft::answer_name(a);
                    let label = match a {
                        Answer::NotAssessed => "Ej bedömd",
                        other => other.label(),
                    };
                    choice(key, label, input.value == key)
                })
                .collect();
        }
        Field::Serious(_) => {
            input.checkbox = true;
            input.choices = vec![choice("true", "Allvarlig brist", input.value == "true")];
        }
        Field::Grade(..) => {
            input.select = true;
            input.choices = std::iter::once(choice("", "Beräknat betyg", input.value.is_empty()))
                .chain(
                    Grade::ALL
                        .iter()
                        .map(|g| choice(g.letter(), g.letter(), input.value == g.letter())),
                )
                .collect();
        }
        Field::Count(..) => {
            input.line = true;
            input.input_type = "text";
        }
        _ => input.line = true,
    }
    input
}
