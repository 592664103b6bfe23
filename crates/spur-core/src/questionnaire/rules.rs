//! The questionnaire's rules beyond its shape (SPEC §3, §4): an answer belongs to its
//! area, every indicator that applies is answered, and every graded area can be graded.

use std::collections::BTreeSet;

use super::AreaInput;
use crate::catalog::{Area, Catalog, Indicator, Version};
use crate::yaml::{Node, Reader};

/// Whether the indicator named by `key` exists and belongs to `area`; reports it if not.
pub(super) fn belongs(
    r: &mut Reader,
    catalog: &Catalog,
    area: &Area,
    key: &Node,
    path: &str,
) -> bool {
    let name = key.key_text();
    let owner = catalog
        .indicator(&name)
        .and_then(|_| catalog.area_of(&name));
    match owner {
        Some(owner) if owner.id == area.id => true,
        Some(owner) => {
            r.error_hint(
                key,
                path,
                format!("{name} hör till område {}, inte {}", owner.id, area.id),
                &indicator_range(area),
                &format!("flytta svaret till areas.{}.answers", owner.id),
            );
            false
        }
        None => {
            r.error(
                key,
                path,
                format!("okänd indikator ”{name}” i område {}", area.id),
                &indicator_range(area),
            );
            false
        }
    }
}

/// Reports every indicator of `area` that applies under `regulations` and has no
/// answer; true when none is missing.
pub(super) fn all_answered(
    r: &mut Reader,
    area: &Area,
    regulations: &[Version],
    answered: &BTreeSet<String>,
    at: &Node,
    path: &str,
) -> bool {
    let mut complete = true;
    for indicator in &area.indicators {
        if indicator.applies_under(regulations) && !answered.contains(&indicator.id) {
            complete = false;
            r.error(
                at,
                path,
                format!(
                    "svar saknas för {} ({}): ”{}”",
                    indicator.id,
                    kinds_label(indicator, regulations),
                    indicator.text
                ),
                &format!("{}: yes, no, partly eller not_assessed", indicator.id),
            );
        }
    }
    complete
}

/// Reports every graded version under which the area cannot be graded (no föreskrift
/// assessed, SPEC §4) and no override gives the grade.
pub(super) fn gradable(
    r: &mut Reader,
    area: &Area,
    input: &AreaInput,
    regulations: &[Version],
    at: &Node,
    path: &str,
) {
    for &version in regulations {
        if !input.gradable(area, version) && !input.overrides.contains_key(&version) {
            r.error(
                at,
                path,
                format!(
                    "ingen föreskrift i område {} är bedömd under {version}, så ingen gradering kan härledas",
                    area.id
                ),
                &format!("minst en bedömd föreskrift, eller override för {version} med grade och reason"),
            );
        }
    }
}

/// How an indicator counts under the listed versions, e.g. "föreskrift 2015, allmänt råd 2021".
fn kinds_label(indicator: &Indicator, regulations: &[Version]) -> String {
    let kinds: Vec<String> = regulations
        .iter()
        .filter_map(|v| indicator.kind(*v).map(|k| format!("{} {v}", k.noun())))
        .collect();
    kinds.join(", ")
}

/// What a valid id in `area` looks like, e.g. "en indikator i område D (D1–D13)".
fn indicator_range(area: &Area) -> String {
    let first = area.indicators.first().map_or("", |i| i.id.as_str());
    let last = area.indicators.last().map_or("", |i| i.id.as_str());
    format!("en indikator i område {} ({first}–{last})", area.id)
}
