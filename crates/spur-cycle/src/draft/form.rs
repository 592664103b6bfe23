//! A questionnaire page's form as posted, read into field values: every field of the
//! page, each text as typed (only line endings normalised) and capped, the item a
//! "Ta bort" button names, and a choice between two texts of one field.

use super::{Draft, Field, Page, Value};
use spur_core::catalog::Catalog;
use spur_core::typed::{self, TextProblem};

/// The longest text a field holds, in characters, by field.
fn cap(field: &Field) -> usize {
    match field {
        Field::Description | Field::Findings(_) => 20_000,
        Field::Comment(_) | Field::Reason(..) => 5_000,
        Field::Strengths | Field::Weaknesses | Field::Improvements => 5_000,
        Field::Name | Field::Organisation | Field::Specialty | Field::Inspectors => 200,
        _ => 40,
    }
}

/// The most items a list field holds.
const MAX_ITEMS: usize = 100;

/// A choice between the two texts of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The later save's text replaces the stored one.
    Theirs(i64),
    /// The stored text stays.
    Stored(i64),
}

/// A page's form, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Posted {
    /// The version the page was made from.
    pub version: i64,
    /// Each field of the page with what the form holds.
    pub values: Vec<(Field, Value)>,
    /// The list item a "Ta bort" button removes: its field and 0-based place.
    pub remove: Option<(Field, usize)>,
    /// A choice between two texts, by the conflict's id.
    pub choice: Option<Choice>,
    /// What the page's script knew each changed field to hold when it saved: sent
    /// only by the script, which saves just the fields changed since.
    pub bases: Option<Vec<(Field, Value)>>,
}

/// Why a posted form is not kept.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    /// The form does not say which version it was made from, or its script's
    /// account of the fields cannot be read.
    Unreadable,
    /// Texts the service cannot keep, at their fields; the values as typed to give back.
    Texts(Vec<(Field, TextProblem)>, Vec<(Field, Value)>),
}

/// Reads `pairs`, the form of `page` as it was shown from `shown`.
pub fn read(
    catalog: &Catalog,
    page: Page,
    shown: &Draft,
    pairs: &[(String, String)],
) -> Result<Posted, Refused> {
    let all = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| typed::normalised(v))
            .collect()
    };
    let one = |name: &str| all(name).into_iter().next().unwrap_or_default();
    let version = one("version").parse().map_err(|_| Refused::Unreadable)?;
    let fields = page.fields(catalog, shown);
    let mut problems = Vec::new();
    let mut values = Vec::new();
    for field in &fields {
        let name = field.name();
        let value = if field.is_list() {
            // An item left blank is no item: the empty row at the end adds one.
            let mut items: Vec<String> = all(&name)
                .into_iter()
                .filter(|t| !t.trim().is_empty())
                .collect();
            if items.len() > MAX_ITEMS {
                problems.push((
                    field.clone(),
                    TextProblem::TooLong {
                        max: MAX_ITEMS,
                        found: items.len(),
                    },
                ));
                items.truncate(MAX_ITEMS);
            }
            Value::List(items)
        } else {
            Value::Text(one(&name))
        };
        for text in value.texts() {
            if let Err(p) = typed::check(text, cap(field), &|_| true) {
                problems.push((field.clone(), p));
            }
        }
        values.push((field.clone(), value));
    }
    if !problems.is_empty() {
        return Err(Refused::Texts(problems, values));
    }
    let remove = pairs
        .iter()
        .filter(|(k, _)| k == "remove")
        .find_map(|(_, v)| {
            let (name, at) = v.rsplit_once('-')?;
            let field = fields.iter().find(|f| f.is_list() && f.name() == name)?;
            Some((field.clone(), at.parse().ok()?))
        });
    let id = |name: &str| one(name).parse().ok();
    let choice = id("use-theirs")
        .map(Choice::Theirs)
        .or_else(|| id("keep-stored").map(Choice::Stored));
    let bases = match pairs.iter().find(|(k, _)| k == "bases") {
        None => None,
        Some((_, json)) => Some(bases(&fields, json).ok_or(Refused::Unreadable)?),
    };
    Ok(Posted {
        version,
        values,
        remove,
        choice,
        bases,
    })
}

/// The script's account of what each changed field held: JSON of each field's name
/// and its texts. Names that are not the page's are no fields of it.
fn bases(fields: &[Field], json: &str) -> Option<Vec<(Field, Value)>> {
    let sent: std::collections::BTreeMap<String, Vec<String>> = serde_json::from_str(json).ok()?;
    let found = fields
        .iter()
        .filter_map(|f| {
            let texts = sent.get(&f.name())?;
            let texts = texts.iter().map(|t| typed::normalised(t));
            let value = if f.is_list() {
                Value::List(texts.filter(|t| !t.trim().is_empty()).collect())
            } else {
                Value::Text(texts.into_iter().next().unwrap_or_default())
            };
            Some((f.clone(), value))
        })
        .collect();
    Some(found)
}

impl Posted {
    /// The changes the form makes to `shown`, the version it was made from: with the
    /// script's account, to the fields it names; else to every field of the page.
    pub fn changes(self, shown: &Draft) -> Vec<super::Change> {
        match self.bases.clone() {
            Some(bases) => {
                let values = self.values();
                bases
                    .into_iter()
                    .filter_map(|(field, before)| {
                        let after = values.iter().find(|(f, _)| *f == field)?.1.clone();
                        (before != after).then_some(super::Change {
                            field,
                            before,
                            after,
                        })
                    })
                    .collect()
            }
            None => super::changes(shown, self.values()),
        }
    }

    /// The values with the removed item taken out.
    pub fn values(mut self) -> Vec<(Field, Value)> {
        if let Some((field, at)) = &self.remove {
            for (f, v) in &mut self.values {
                if f == field
                    && let Value::List(items) = v
                    && *at < items.len()
                {
                    items.remove(*at);
                }
            }
        }
        self.values
    }
}
