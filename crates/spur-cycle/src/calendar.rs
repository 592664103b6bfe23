//! An inspection's dates as a calendar (SPEC §8.7): the visit, the fact-check's last
//! day, the report's date, the plan's due date, each action's deadline and follow-up,
//! and the next inspection five years on; all-day events with UIDs that stay the same
//! for the same date of the same inspection, written as RFC 5545 by the `icalendar`
//! crate.

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

use spur_core::plan::Plan;
use spur_core::questionnaire::Questionnaire;

/// What an inspection's dates are made from.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The inspection's number in the service, part of every UID.
    pub id: i64,
    /// The questionnaire.
    pub questionnaire: &'a Questionnaire,
    /// The plan that came in, if any.
    pub plan: Option<&'a Plan>,
    /// The last day of the unit's fact-check, once sent.
    pub fact_check_due: Option<NaiveDate>,
}

/// One dated event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    /// What makes its UID: the kind of date and, for an action, its indicator.
    pub key: String,
    /// The day.
    pub date: NaiveDate,
    /// The title, in Swedish, with the unit's name.
    pub summary: String,
    /// What it asks, in Swedish.
    pub description: String,
}

/// The dates of one inspection, in date order (ties in the order above).
pub fn events(source: &Source) -> Vec<Dated> {
    let q = source.questionnaire;
    let unit = &q.unit.name;
    let mut dated = Vec::new();
    let mut add = |key: String, date: NaiveDate, summary: String, description: String| {
        dated.push(Dated {
            key,
            date,
            summary,
            description,
        });
    };
    add(
        "visit".into(),
        q.inspection.date,
        format!("ST-SPUR-granskning av {unit}"),
        format!("Granskningsbesöket på {unit}."),
    );
    if let Some(due) = source.fact_check_due {
        add(
            "fact-check".into(),
            due,
            format!("{unit}: sista dag för faktagranskningen"),
            "Enheten lämnar synpunkter på den preliminära rapporten, eller svarar ”Inga synpunkter”, senast i dag.".into(),
        );
    }
    if let Some(date) = q.inspection.report_date {
        add(
            "report".into(),
            date,
            format!("{unit}: rapportens datum"),
            "Rapporten är fastställd med detta datum.".into(),
        );
    }
    if let Some(due) = q.inspection.plan_due {
        add(
            "plan-due".into(),
            due,
            format!("{unit}: handlingsplanen ska vara inskickad"),
            "Enheten skickar in sin handlingsplan senast i dag.".into(),
        );
    }
    for item in source.plan.map(|p| p.items.as_slice()).unwrap_or_default() {
        let id = &item.indicator;
        add(
            format!("deadline-{id}"),
            item.deadline,
            format!("{unit}: {id} ska vara genomförd"),
            format!(
                "Planerad åtgärd för {id}, ansvarig: {}.\n\n{}",
                item.responsible, item.action
            ),
        );
        add(
            format!("follow-up-{id}"),
            item.follow_up,
            format!("{unit}: uppföljning av {id}"),
            format!(
                "Enheten rapporterar vad som har gjorts för {id}; ansvarig för uppföljningen: {}.",
                item.follow_up_responsible
            ),
        );
    }
    add(
        "next".into(),
        spur_core::inspection::next_due(q.inspection.date),
        format!("{unit}: nästa ST-SPUR-granskning"),
        "Fem år efter granskningsbesöket är det dags för nästa granskning.".into(),
    );
    dated.sort_by_key(|d| d.date);
    dated
}

/// The calendar `name` of `events` from inspections `(id, events)`, each event's UID
/// `spur-{id}-{key}@{domain}` and its DTSTAMP `stamp`: the same input gives the same
/// bytes.
pub fn ics(
    name: &str,
    inspections: &[(i64, Vec<Dated>)],
    domain: &str,
    stamp: DateTime<Utc>,
) -> String {
    let mut calendar = Calendar::new();
    // The crate's `name` writes `NAME` raw, since it does not know it as text: both
    // name properties are marked TEXT, so that the crate escapes them as it does every
    // SUMMARY and DESCRIPTION, and no line break, `;` or `,` in a unit's name is read
    // as the calendar's own.
    let name = line_breaks(name);
    for key in ["NAME", "X-WR-CALNAME"] {
        calendar.append_property(
            Property::new(key, name.as_str())
                .add_parameter("VALUE", "TEXT")
                .done(),
        );
    }
    for (id, events) in inspections {
        for e in events {
            let next_day = e.date.succ_opt().unwrap_or(e.date);
            calendar.push(
                Event::new()
                    .uid(&format!("spur-{id}-{}@{domain}", e.key))
                    .summary(&line_breaks(&e.summary))
                    .description(&line_breaks(&e.description))
                    .starts(e.date)
                    .ends(next_day)
                    .timestamp(stamp)
                    .done(),
            );
        }
    }
    calendar.done().to_string()
}

/// `text` with every line break as `\n`, which the crate escapes: it leaves a carriage
/// return raw, and a bare one ends a line for some readers.
fn line_breaks(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use spur_core::catalog::Catalog;
    use spur_core::diagnostic::Source as File;

    fn boo() -> (Questionnaire, Plan) {
        let catalog = Catalog::embedded();
        let q = File::new(
            "boo.yaml",
            include_str!("../../../fixtures/boo-vardcentral.yaml").to_string(),
        );
        let (q, grading) = spur_core::inspection::questionnaire(catalog, &q, &|_| true).unwrap();
        let plan = File::new(
            "plan.yaml",
            include_str!("../../../fixtures/boo-vardcentral-handlingsplan.yaml").to_string(),
        );
        let assessed =
            spur_core::inspection::assess(catalog, (q, grading), Some(&plan), &|_| true).unwrap();
        (assessed.questionnaire, assessed.plan.unwrap())
    }

    #[test]
    fn every_date_of_an_inspection_is_an_event_in_date_order() {
        let (q, plan) = boo();
        let due = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        let source = Source {
            id: 7,
            questionnaire: &q,
            plan: Some(&plan),
            fact_check_due: Some(due),
        };
        let events = events(&source);
        // The visit, the fact-check, the report, the plan, two per action, the next one.
        let expected = 4 + 2 * plan.items.len() + 1;
        assert_eq!(events.len(), expected);
        assert!(events.windows(2).all(|w| w[0].date <= w[1].date));
        assert_eq!(events[0].key, "visit");
        assert_eq!(events[0].date, q.inspection.date);
        let next = events.last().unwrap();
        assert_eq!(
            (next.key.as_str(), next.date.to_string()),
            ("next", "2030-02-12".into())
        );
        let d6 = events.iter().find(|e| e.key == "deadline-D6").unwrap();
        assert_eq!(d6.date.to_string(), "2026-05-31");
        assert!(d6.summary.starts_with("Boo Vårdcentral: D6"));
        let keys: std::collections::BTreeSet<_> = events.iter().map(|e| &e.key).collect();
        assert_eq!(keys.len(), events.len(), "every key once");
    }

    #[test]
    fn the_same_dates_give_the_same_bytes_with_all_day_events() {
        let (q, plan) = boo();
        let source = Source {
            id: 7,
            questionnaire: &q,
            plan: Some(&plan),
            fact_check_due: None,
        };
        let stamp = DateTime::parse_from_rfc3339("2026-11-30T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let one = ics("Boo", &[(7, events(&source))], "spur.example.se", stamp);
        let two = ics("Boo", &[(7, events(&source))], "spur.example.se", stamp);
        assert_eq!(one, two);
        assert!(one.contains("UID:spur-7-deadline-D6@spur.example.se\r\n"));
        assert!(one.contains("DTSTART;VALUE=DATE:20260531\r\n"));
        assert!(one.contains("DTEND;VALUE=DATE:20260601\r\n"));
        assert_eq!(
            one.matches("BEGIN:VEVENT").count(),
            3 + 2 * plan.items.len() + 1
        );
    }

    #[test]
    fn a_name_with_line_breaks_commas_and_semicolons_stays_the_calendars_text() {
        let hostile = "VC Syd\r\nEND:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:falsk; a, b\\";
        let dated = Dated {
            key: "visit".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            summary: hostile.into(),
            description: hostile.into(),
        };
        let stamp = DateTime::parse_from_rfc3339("2026-11-30T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let text = ics(hostile, &[(7, vec![dated])], "spur.example.se", stamp);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
            1,
            "{text}"
        );
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.starts_with("END:VCALENDAR"))
                .count(),
            1
        );
        let escaped = "VC Syd\\nEND:VCALENDAR\\nBEGIN:VEVENT\\nSUMMARY:falsk\\; a\\, b\\\\";
        for key in ["NAME", "X-WR-CALNAME", "SUMMARY", "DESCRIPTION"] {
            let unfolded = text.replace("\r\n ", "");
            let line = unfolded
                .split("\r\n")
                .find(|l| l.starts_with(&format!("{key}:")) || l.starts_with(&format!("{key};")))
                .unwrap_or_else(|| panic!("{key} saknas: {text}"));
            assert!(line.ends_with(&format!(":{escaped}")), "{key}: {line:?}");
        }
    }
}
