//! The page models of the unit's fact-check (SPEC §8.3): the unit's own page, and the
//! part of the inspectors' page where each comment is answered.

use serde::Serialize;

use super::editor::Choice;
use crate::db::fact_checks::{Comment, Sent};
use spur_core::catalog::Catalog;
use spur_cycle::fact_check::{Answer, Place, Readiness};

/// One comment as the pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct CommentView {
    /// The row id, which the answer form names.
    pub id: i64,
    /// Where in the report it belongs.
    pub place: String,
    /// The unit's text, as typed.
    pub text: String,
    /// The inspectors' answer, once given.
    pub answer: Option<&'static str>,
    /// The answer's reason.
    pub reason: String,
}

/// The fact-check as the inspectors' page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FactCheckView {
    /// Its last day.
    pub due: String,
    /// When the unit submitted it.
    pub submitted: Option<String>,
    /// The comments, in the order written.
    pub comments: Vec<CommentView>,
    /// Whether the inspectors may answer now.
    pub answerable: bool,
    /// What stands in the way of establishing the report, if anything.
    pub waiting: Option<String>,
}

/// The unit's fact-check page.
#[derive(Debug, Clone, Serialize)]
pub struct UnitFactCheckPage {
    /// The link's token, for the form's address.
    pub token: String,
    /// The link's CSRF token.
    pub csrf: String,
    /// The unit's name.
    pub unit: String,
    /// The last day.
    pub due: String,
    /// Whether the unit has submitted.
    pub submitted: bool,
    /// The comments so far.
    pub comments: Vec<CommentView>,
    /// The places a comment may belong to.
    pub places: Vec<Choice>,
    /// The text of a comment given back, as typed.
    pub text: String,
    /// What is wrong with it.
    pub problem: Option<String>,
    /// What the unit's last action did, when the page follows one.
    pub confirmation: Option<&'static str>,
}

/// The comments as the pages show them.
pub fn comments(catalog: &Catalog, comments: &[Comment]) -> Vec<CommentView> {
    comments
        .iter()
        .map(|c| CommentView {
            id: c.id,
            place: c.place.label(catalog),
            text: c.text.clone(),
            answer: c.answer.as_ref().map(|(a, _)| a.label()),
            reason: c.answer.as_ref().map_or(String::new(), |(_, r)| r.clone()),
        })
        .collect()
}

/// The fact-check on the inspectors' page.
pub fn for_inspectors(
    sent: &Sent,
    all: &[Comment],
    answerable: bool,
    readiness: Readiness,
) -> FactCheckView {
    let waiting = match readiness {
        Readiness::Waiting { due } => Some(format!(
            "Enheten har inte skickat in sina synpunkter. Rapporten kan fastställas när de kommit in, eller efter {due}."
        )),
        Readiness::Unanswered(1) => {
            Some("En synpunkt saknar svar. Rapporten kan fastställas när den har ett svar.".into())
        }
        Readiness::Unanswered(n) => Some(format!(
            "{n} synpunkter saknar svar. Rapporten kan fastställas när alla har ett svar."
        )),
        Readiness::NotSent | Readiness::Done => None,
    };
    FactCheckView {
        due: sent.due.to_string(),
        submitted: sent.submitted.as_deref().map(super::moment),
        comments: comments(Catalog::embedded(), all),
        answerable,
        waiting,
    }
}

/// The unit's page; `given_back` is a comment not kept, with why.
pub fn for_unit(
    (token, csrf, unit): (String, String, String),
    sent: &Sent,
    all: &[Comment],
    given_back: Option<(Place, String, String)>,
) -> UnitFactCheckPage {
    let catalog = Catalog::embedded();
    let chosen = given_back.as_ref().map(|(p, ..)| *p);
    let (text, problem) = match given_back {
        // A comment taken back comes back to its box with no problem to show.
        Some((_, text, why)) if why.is_empty() => (text, None),
        Some((_, text, why)) => (text, Some(why)),
        None => (String::new(), None),
    };
    UnitFactCheckPage {
        token,
        csrf,
        unit,
        due: sent.due.to_string(),
        submitted: sent.submitted.is_some(),
        comments: comments(catalog, all),
        places: Place::all(catalog)
            .into_iter()
            .map(|p| Choice {
                value: p.key(),
                label: p.label(catalog),
                checked: Some(p) == chosen,
            })
            .collect(),
        text,
        problem,
        confirmation: None,
    }
}

/// The inspectors' two answers, for the answer form.
pub fn answers() -> Vec<Choice> {
    Answer::ALL
        .into_iter()
        .map(|a| Choice {
            value: a.key().into(),
            label: a.label().into(),
            checked: false,
        })
        .collect()
}
