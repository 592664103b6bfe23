//! The questionnaire's JSON Schema, for editors that complete and check YAML as it is
//! typed. Generated from the catalog, so every indicator id is known to the editor.

use serde_json::{Value, json};

use crate::catalog::{Catalog, Version};
use crate::questionnaire::{Answer, Role};

/// The schema's file name that `spur init` names in its modeline, beside the
/// questionnaire.
pub const FILE_NAME: &str = "spur-schema.json";

/// The JSON Schema (draft 2020-12) of a questionnaire.
pub fn questionnaire(catalog: &Catalog) -> Value {
    let date = json!({"type": "string", "format": "date", "description": "Datum, ÅÅÅÅ-MM-DD"});
    // A text may be written as a number or a word YAML reads as a boolean
    // (`responsible: 0701234567`); spur keeps its characters, so the schema accepts it.
    let text = json!({"anyOf": [{"type": "string", "minLength": 1}, {"type": ["number", "integer", "boolean"]}]});
    let texts = json!({"type": "array", "items": text});
    let version = json!({"enum": [2015, 2021, "2015", "2021"]});
    let answer_word = json!({"enum": Answer::NAMES, "description": "yes = uppfylld, no = ej uppfylld, partly = delvis uppfylld, not_assessed = ej bedömd"});
    let answer = json!({
        "oneOf": [
            answer_word,
            {
                "type": "object",
                "additionalProperties": false,
                "required": ["answer"],
                "properties": {
                    "answer": answer_word,
                    "comment": {"type": "string"},
                    "serious": {"type": "boolean", "description": "Allvarlig brist (endast för no/partly)"}
                }
            }
        ]
    });
    let grade = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["grade", "reason"],
        "properties": {"grade": {"enum": ["A", "B", "C", "D", "E"]}, "reason": text}
    });
    // Version keys as a pattern: an editor reads `2021:` as a number, which neither
    // `propertyNames` (a list of strings) nor `properties` (looked up as given) accepts,
    // while a pattern is matched against the key's text.
    let override_ = json!({
        "type": "object",
        "additionalProperties": false,
        "patternProperties": {"^(2015|2021)$": grade}
    });
    let roles: serde_json::Map<String, Value> = Role::ALL
        .iter()
        .map(|r| {
            (
                r.key().to_string(),
                json!({"type": "integer", "minimum": 0}),
            )
        })
        .collect();
    let counts = json!({"type": "object", "additionalProperties": false, "properties": roles});
    let areas: serde_json::Map<String, Value> = catalog
        .areas
        .iter()
        .map(|area| {
            let answers: serde_json::Map<String, Value> = area
                .indicators
                .iter()
                .map(|i| {
                    let description = format!("{} ({}): {}", i.id, i.kinds_phrase(&Version::ALL), i.text);
                    (i.id.clone(), json!({"description": description, "$ref": "#/$defs/answer"}))
                })
                .collect();
            let schema = json!({
                "type": "object",
                "description": format!("{}. {}", area.id, area.title),
                "additionalProperties": false,
                "properties": {
                    "findings": {"type": "string", "description": "Granskarnas iakttagelser"},
                    "answers": {"type": "object", "additionalProperties": false, "properties": answers},
                    "override": {"$ref": "#/$defs/override"}
                }
            });
            (area.id.to_string(), schema)
        })
        .collect();
    let area_ids: Vec<String> = catalog.areas.iter().map(|a| a.id.to_string()).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Frågeformulär för ST-SPUR-granskning",
        "type": "object",
        "additionalProperties": false,
        "required": ["unit", "inspection", "areas"],
        "$defs": {"answer": answer, "override": override_, "counts": counts},
        "properties": {
            "unit": {
                "type": "object",
                "additionalProperties": false,
                "required": ["name", "organisation", "specialty"],
                "properties": {
                    "name": text, "organisation": text, "specialty": text,
                    "description": {"type": "string", "description": "Verksamheten"}
                }
            },
            "inspection": {
                "type": "object",
                "additionalProperties": false,
                "required": ["date", "inspectors", "regulations"],
                "properties": {
                    "date": date, "report_date": date, "plan_due": date,
                    "inspectors": {"type": "array", "minItems": 1, "items": text},
                    "regulations": {
                        "type": "array", "minItems": 1, "uniqueItems": true, "items": version,
                        // `uniqueItems` holds 2015 and "2015" apart; spur does not.
                        "not": {"anyOf": [
                            {"allOf": [{"contains": {"const": 2015}}, {"contains": {"const": "2015"}}]},
                            {"allOf": [{"contains": {"const": 2021}}, {"contains": {"const": "2021"}}]}
                        ]}
                    }
                }
            },
            "summary": {
                "type": "object",
                "additionalProperties": false,
                "properties": {"strengths": texts, "weaknesses": texts, "improvements": texts}
            },
            "areas": {
                "type": "object",
                "additionalProperties": false,
                "required": area_ids,
                "properties": areas
            },
            "survey": {
                "type": "object",
                "description": "Enkäten före besöket och vilka som deltog, som antal",
                "additionalProperties": false,
                "required": ["answered"],
                "properties": {
                    "answered": {"$ref": "#/$defs/counts", "description": "Antal som besvarat enkäten"},
                    "asked": {"$ref": "#/$defs/counts", "description": "Antal som fått enkäten"},
                    "interviewed": {"$ref": "#/$defs/counts", "description": "Antal som deltog vid granskningstillfället"}
                }
            },
            "action_plan": {
                "type": "object",
                "additionalProperties": false,
                "required": ["file", "received"],
                "properties": {
                    "file": text,
                    "received": date,
                    "rejected": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["indicator", "reason"],
                            "properties": {"indicator": text, "reason": text}
                        }
                    },
                    "confirmed": {
                        "type": "array",
                        "description": "Åtgärder som granskarna bekräftat som genomförda",
                        "items": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["indicator", "date"],
                            "properties": {"indicator": text, "date": date}
                        }
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_knows_every_area_and_indicator() {
        let catalog = Catalog::embedded();
        let schema = questionnaire(catalog);
        let areas = &schema["properties"]["areas"];
        assert_eq!(areas["required"].as_array().unwrap().len(), 8);
        let mut count = 0;
        for area in &catalog.areas {
            let answers =
                areas["properties"][area.id.to_string()]["properties"]["answers"]["properties"]
                    .as_object()
                    .unwrap();
            count += answers.len();
        }
        assert_eq!(count, 75);
        assert_eq!(
            schema["properties"]["survey"]["properties"]["answered"]["$ref"],
            json!("#/$defs/counts")
        );
        assert_eq!(
            schema["$defs"]["counts"]["properties"]
                .as_object()
                .unwrap()
                .len(),
            5
        );
        assert_eq!(
            schema["$defs"]["answer"]["oneOf"][0]["enum"],
            json!(["yes", "no", "partly", "not_assessed"])
        );
    }
}
