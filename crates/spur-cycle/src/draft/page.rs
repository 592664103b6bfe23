//! The questionnaire's pages (SPEC §8.4), their fields in order, and each page's
//! status in the overview (the GOV.UK task list).

use serde::Serialize;

use super::{Draft, Field, Tally, asked};
use spur_core::catalog::{Catalog, Version};

/// One page of the questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Page {
    /// "Enheten och granskningen".
    Unit,
    /// "Sammanfattning".
    Summary,
    /// "Enkät och intervjuer".
    Survey,
    /// One area A–H.
    Area(char),
}

impl Page {
    /// Every page, in the overview's order.
    pub fn all(catalog: &Catalog) -> Vec<Page> {
        let mut pages = vec![Page::Unit, Page::Summary, Page::Survey];
        pages.extend(catalog.areas.iter().map(|a| Page::Area(a.id)));
        pages
    }

    /// The page's part of its address.
    pub fn key(self) -> String {
        match self {
            Page::Unit => "unit".into(),
            Page::Summary => "summary".into(),
            Page::Survey => "survey".into(),
            Page::Area(id) => id.to_ascii_lowercase().to_string(),
        }
    }

    /// The page after this one in the overview's order.
    pub fn after(self, catalog: &Catalog) -> Option<Page> {
        let all = Page::all(catalog);
        let at = all.iter().position(|&p| p == self)?;
        all.get(at + 1).copied()
    }

    /// The page an address names, if any.
    pub fn from_key(catalog: &Catalog, key: &str) -> Option<Page> {
        Page::all(catalog).into_iter().find(|p| p.key() == key)
    }

    /// The page's heading.
    pub fn title(self, catalog: &Catalog) -> String {
        match self {
            Page::Unit => "Enheten och granskningen".into(),
            Page::Summary => "Sammanfattning".into(),
            Page::Survey => "Enkät och intervjuer".into(),
            Page::Area(id) => match catalog.area(id) {
                Some(area) => format!("{id}. {}", area.title),
                None => id.to_string(),
            },
        }
    }

    /// The page's fields, in the order it shows them. An area page asks about the
    /// indicators that apply under the ticked versions (see [`asked`]).
    pub fn fields(self, catalog: &Catalog, draft: &Draft) -> Vec<Field> {
        match self {
            Page::Unit => vec![
                Field::Name,
                Field::Organisation,
                Field::Specialty,
                Field::Description,
                Field::Date,
                Field::ReportDate,
                Field::Inspectors,
                Field::Regulations,
                Field::PlanDue,
            ],
            Page::Summary => vec![Field::Strengths, Field::Weaknesses, Field::Improvements],
            Page::Survey => Tally::ALL
                .iter()
                .flat_map(|&t| t.roles().iter().map(move |&r| Field::Count(t, r)))
                .collect(),
            Page::Area(id) => {
                let mut fields = vec![Field::Findings(id)];
                for indicator in asked(catalog, id, draft) {
                    let i = &indicator.id;
                    fields.push(Field::Answer(i.clone()));
                    fields.push(Field::Comment(i.clone()));
                    fields.push(Field::Serious(i.clone()));
                }
                for v in graded(draft) {
                    fields.push(Field::Grade(id, v));
                    fields.push(Field::Reason(id, v));
                }
                fields
            }
        }
    }
}

/// The versions an area's overrides are asked for: those ticked, or both while none is.
pub fn graded(draft: &Draft) -> Vec<Version> {
    let ticked = draft.regulations();
    if ticked.is_empty() {
        Version::ALL.to_vec()
    } else {
        ticked
    }
}

/// A page's status in the overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Nothing typed on the page.
    NotStarted,
    /// Begun: something is still missing.
    InProgress,
    /// Nothing missing, nothing wrong.
    Done,
    /// Something typed is wrong, or the page as a whole is.
    Errors,
}

impl Status {
    /// A page's status: `wrong` says, of each problem on the page, the field it
    /// concerns, if it concerns one.
    pub fn of(draft: &Draft, fields: &[Field], problems: &[Option<&Field>]) -> Status {
        let typed = |f: &Field| !draft.get(f).is_empty();
        if !fields.iter().any(typed) {
            return Status::NotStarted;
        }
        if problems.iter().any(|p| p.is_none_or(typed)) {
            Status::Errors
        } else if problems.is_empty() {
            Status::Done
        } else {
            Status::InProgress
        }
    }

    /// As the overview shows it.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "Ej påbörjad",
            Status::InProgress => "Pågår",
            Status::Done => "Klar",
            Status::Errors => "Fel att rätta",
        }
    }
}
