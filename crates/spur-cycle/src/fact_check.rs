//! The unit's fact-check of the preliminary report (SPEC §8.3): where in the report a
//! comment belongs, the inspectors' answer to it, and whether the fact-check is done
//! enough for the report to be established. Pure data and functions.

use chrono::NaiveDate;

use spur_core::catalog::Catalog;

/// How long the unit has for its fact-check when nothing else is said.
pub const DAYS: i64 = 14;

/// Where in the report a comment belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// Sammanfattning (and the unit's details).
    Summary,
    /// One area A–H.
    Area(char),
    /// Anything else.
    Other,
}

impl Place {
    /// Every place, in the report's order.
    pub fn all(catalog: &Catalog) -> Vec<Place> {
        let mut all = vec![Place::Summary];
        all.extend(catalog.areas.iter().map(|a| Place::Area(a.id)));
        all.push(Place::Other);
        all
    }

    /// The name stored and sent by the form.
    pub fn key(self) -> String {
        match self {
            Place::Summary => "summary".into(),
            Place::Area(id) => id.to_string(),
            Place::Other => "other".into(),
        }
    }

    /// The place a stored or sent name stands for.
    pub fn from_key(catalog: &Catalog, key: &str) -> Option<Place> {
        Place::all(catalog).into_iter().find(|p| p.key() == key)
    }

    /// As people read it.
    pub fn label(self, catalog: &Catalog) -> String {
        match self {
            Place::Summary => "Sammanfattning".into(),
            Place::Area(id) => match catalog.area(id) {
                Some(area) => format!("{id}. {}", area.title),
                None => id.to_string(),
            },
            Place::Other => "Övrigt".into(),
        }
    }
}

/// The inspectors' answer to one comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// "Rättat": the questionnaire was changed.
    Corrected,
    /// "Ingen ändring", with a reason.
    Unchanged,
}

impl Answer {
    /// Both answers.
    pub const ALL: [Answer; 2] = [Answer::Corrected, Answer::Unchanged];

    /// The name stored and sent by the form.
    pub fn key(self) -> &'static str {
        match self {
            Answer::Corrected => "corrected",
            Answer::Unchanged => "unchanged",
        }
    }

    /// The answer a stored or sent name stands for.
    pub fn from_key(key: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.key() == key)
    }

    /// As people read it.
    pub fn label(self) -> &'static str {
        match self {
            Answer::Corrected => "Rättat",
            Answer::Unchanged => "Ingen ändring",
        }
    }
}

/// Whether the fact-check lets the report be established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    /// The report was never sent to the unit.
    NotSent,
    /// The unit has not answered, and its date has not passed.
    Waiting {
        /// The last day of the fact-check.
        due: NaiveDate,
    },
    /// The unit answered, but comments are left without the inspectors' answer.
    Unanswered(usize),
    /// The unit answered and every comment has its answer, or the date passed
    /// without an answer from the unit.
    Done,
}

/// Where a fact-check stands: `due` when it was sent, whether the unit `submitted`,
/// how many comments are `unanswered`, and `today`.
pub fn readiness(
    due: Option<NaiveDate>,
    submitted: bool,
    unanswered: usize,
    today: NaiveDate,
) -> Readiness {
    match due {
        None => Readiness::NotSent,
        Some(_) if submitted && unanswered > 0 => Readiness::Unanswered(unanswered),
        Some(_) if submitted => Readiness::Done,
        Some(due) if today > due => Readiness::Done,
        Some(due) => Readiness::Waiting { due },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn places_and_answers_read_back_from_their_names() {
        let catalog = Catalog::embedded();
        let places = Place::all(catalog);
        assert_eq!(places.len(), 10);
        for p in places {
            assert_eq!(Place::from_key(catalog, &p.key()), Some(p));
        }
        assert_eq!(Place::from_key(catalog, "I"), None);
        assert_eq!(
            Place::Area('E').label(catalog),
            "E. Handledning och kompetensbedömning"
        );
        for a in Answer::ALL {
            assert_eq!(Answer::from_key(a.key()), Some(a));
        }
        assert_eq!(Answer::from_key("Rättat"), None);
    }

    #[test]
    fn the_fact_check_is_done_when_answered_or_past_its_date() {
        let due = Some(day("2025-03-24"));
        let today = day("2025-03-20");
        assert_eq!(readiness(None, false, 0, today), Readiness::NotSent);
        assert_eq!(
            readiness(due, false, 0, today),
            Readiness::Waiting {
                due: day("2025-03-24")
            }
        );
        assert_eq!(
            readiness(due, false, 0, day("2025-03-24")),
            Readiness::Waiting {
                due: day("2025-03-24")
            }
        );
        assert_eq!(readiness(due, false, 0, day("2025-03-25")), Readiness::Done);
        assert_eq!(readiness(due, true, 2, today), Readiness::Unanswered(2));
        assert_eq!(readiness(due, true, 0, today), Readiness::Done);
    }
}
