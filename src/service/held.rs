//! An inspection as the service holds it: the questionnaire's text, the plan's text
//! and the inspectors' decisions, turned into the files `spur render` reads and into
//! the graded inspection every page shows.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Source};
use crate::fonts;
use crate::inspection::{self, Inspection};

use super::store::Review;

/// The name the exported plan goes by, which the exported questionnaire names.
pub const PLAN_FILE: &str = "plan.yaml";
/// The name the exported questionnaire goes by.
pub const QUESTIONNAIRE_FILE: &str = "questionnaire.yaml";

/// The questionnaire's text as exported: as uploaded, plus the `action_plan` block once
/// a plan has been received, with the inspectors' rejections.
pub fn questionnaire_export(text: &str, received: Option<NaiveDate>, reviews: &[Review]) -> String {
    let Some(received) = received else {
        return text.to_string();
    };
    let quoted = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    let mut out = text.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!(
        "action_plan:\n  file: {PLAN_FILE}\n  received: {received}\n"
    ));
    let rejected: Vec<&Review> = reviews.iter().filter(|r| !r.accepted).collect();
    if !rejected.is_empty() {
        out.push_str("  rejected:\n");
        for r in rejected {
            out.push_str(&format!(
                "    - {{indicator: {}, reason: {}}}\n",
                r.indicator,
                quoted(&r.reason)
            ));
        }
    }
    out
}

/// The graded inspection: the questionnaire alone, or with its plan once received.
pub fn assess(questionnaire: &str, plan: Option<&str>) -> Result<Inspection, Vec<Diagnostic>> {
    let catalog = Catalog::embedded();
    let source = Source::new(QUESTIONNAIRE_FILE, questionnaire.to_string());
    let graded = inspection::questionnaire(catalog, &source, &fonts::can_show)?;
    let plan = match (&graded.0.action_plan, plan) {
        (Some(_), Some(text)) => Some(Source::new(PLAN_FILE, text.to_string())),
        _ => None,
    };
    inspection::assess(catalog, graded, plan.as_ref(), &fonts::can_show)
}

/// The graded questionnaires already seen, by their text: every page of an
/// inspection grades the same text again, and a unit saving its plan asks often.
#[derive(Default)]
pub struct Graded {
    by_text: std::sync::Mutex<std::collections::HashMap<String, Arc<Inspection>>>,
}

/// How many graded questionnaires are kept; beyond it the cache starts afresh.
const GRADED_KEPT: usize = 256;

impl Graded {
    /// The graded questionnaire `text` (without its plan), graded once.
    pub fn get(&self, text: &str) -> Result<Arc<Inspection>, Vec<Diagnostic>> {
        let lock = || self.by_text.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().get(text) {
            return Ok(found.clone());
        }
        let graded = Arc::new(assess(text, None)?);
        let mut cache = lock();
        if cache.len() >= GRADED_KEPT {
            cache.clear();
        }
        cache.insert(text.to_string(), graded.clone());
        Ok(graded)
    }
}

/// Where an inspection stands, and whose turn it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// No link for the unit yet.
    Draft,
    /// The unit has a link but has saved nothing.
    LinkSent,
    /// The unit has saved a plan but not submitted it.
    PlanSaved,
    /// The unit has submitted its plan; the inspectors are to review it.
    Submitted,
    /// The inspectors rejected an entry; the unit is to amend it.
    Returned,
    /// Every entry accepted: the final report can be sent.
    Final,
}

impl Stage {
    /// Where an inspection stands, from what the database holds.
    pub fn of(plan_state: &str, plan_saved: bool, link_active: bool, returned: bool) -> Stage {
        match plan_state {
            "submitted" => Stage::Submitted,
            "reviewed" => Stage::Final,
            _ if returned => Stage::Returned,
            _ if plan_saved => Stage::PlanSaved,
            _ if link_active => Stage::LinkSent,
            _ => Stage::Draft,
        }
    }

    /// The stage in the inspector's list.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "utkast",
            Stage::LinkSent => "länk skickad",
            Stage::PlanSaved => "plan sparad",
            Stage::Submitted => "plan inskickad",
            Stage::Returned => "plan granskad, åter till enheten",
            Stage::Final => "slutlig",
        }
    }

    /// Whose turn it is.
    pub fn waiting_on(self) -> &'static str {
        match self {
            Stage::Draft => "granskarna: skapa länken till enheten",
            Stage::LinkSent | Stage::PlanSaved => "enheten: fylla i och skicka in handlingsplanen",
            Stage::Submitted => "granskarna: granska handlingsplanen",
            Stage::Returned => "enheten: rätta de åtgärder som inte godtogs",
            Stage::Final => "ingen: slutlig rapport kan skickas",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::tests::questionnaire_text;

    #[test]
    fn the_export_names_the_plan_and_the_rejections_and_checks() {
        let text = questionnaire_text("[2015]", &[("D6", "no")], "");
        let reviews = vec![Review {
            indicator: "D6".into(),
            accepted: false,
            reason: "För vag: \"snart\".".into(),
        }];
        let date = NaiveDate::from_ymd_opt(2025, 5, 2);
        let export = questionnaire_export(&text, date, &reviews);
        assert!(export.starts_with(&text));
        let plan = "unit: \"Testenheten\"\ninspection_date: 2025-02-12\nitems:\n  - indicator: D6\n    action: \"Gör\"\n    deadline: \"2026-01-01\"\n    responsible: \"A\"\n    follow_up: \"2026-02-01\"\n    follow_up_responsible: \"B\"\n";
        let inspection = assess(&export, Some(plan)).unwrap();
        let d = inspection.grading.area('D').unwrap();
        assert_eq!(d.versions[0].rejected, vec!["D6".to_string()]);
        assert_eq!(questionnaire_export(&text, None, &reviews), text);
    }

    #[test]
    fn every_stage_names_whose_turn_it_is() {
        assert_eq!(Stage::of("open", false, false, false), Stage::Draft);
        assert_eq!(Stage::of("open", false, true, false), Stage::LinkSent);
        assert_eq!(Stage::of("open", true, true, false), Stage::PlanSaved);
        assert_eq!(Stage::of("submitted", true, true, false), Stage::Submitted);
        assert_eq!(Stage::of("open", true, true, true), Stage::Returned);
        assert_eq!(Stage::of("reviewed", true, false, false), Stage::Final);
        assert!(Stage::Submitted.waiting_on().starts_with("granskarna"));
    }
}
