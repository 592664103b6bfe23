//! Decoding a questionnaire's YAML into its model: the shape of every block, each
//! problem recorded by the [`Reader`] so that all are reported at once. The rules that
//! relate the answers to the catalog are in [`rules`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::*;
use super::{keys, rules};
use crate::catalog::{Catalog, Grade, Version};
use crate::yaml::{Fields, Node, Reader, Value, join};

/// Decodes the whole document.
pub(super) fn decode(r: &mut Reader, root: &Node, catalog: &Catalog) -> Option<Questionnaire> {
    let top = r.fields(root, "", keys::TOP)?;
    let unit = top
        .required(
            r,
            "unit",
            "uppgifter om enheten: name, organisation, specialty",
        )
        .and_then(|n| decode_unit(r, n));
    let (inspection, regulations) = top
        .required(
            r,
            "inspection",
            "uppgifter om granskningen: date, inspectors, regulations",
        )
        .map_or((None, None), |n| decode_inspection(r, n));
    let summary = match top.get("summary") {
        Some(n) => decode_summary(r, n),
        None => Some(Summary::default()),
    };
    let regulations = regulations.unwrap_or_default();
    let areas = top
        .required(r, "areas", "områdena A–H med svar på indikatorerna")
        .and_then(|n| decode_areas(r, n, catalog, &regulations));
    // Outer None: the survey is invalid; inner None: there is none.
    let survey = match top.get("survey") {
        Some(n) => decode_survey(r, n).map(Some),
        None => Some(None),
    };
    let action_plan = match top.get("action_plan") {
        Some(n) => decode_plan_reference(r, n, catalog, inspection.as_ref().map(|i| i.date)),
        None => None,
    };
    Some(Questionnaire {
        unit: unit?,
        inspection: inspection?,
        summary: summary?,
        areas: areas?,
        survey: survey?,
        action_plan,
    })
}

/// The survey block; more answers than people asked in a role is an error.
fn decode_survey(r: &mut Reader, node: &Node) -> Option<Survey> {
    let f = r.fields(node, "survey", keys::SURVEY)?;
    let answered = f
        .required(
            r,
            "answered",
            "antal svar per grupp, t.ex. {st_lakare: 10, handledare: 12}",
        )
        .and_then(|n| decode_counts(r, n, &f.path("answered")));
    let mut optional = |key: &str| match f.get(key) {
        Some(n) => decode_counts(r, n, &f.path(key)).map(Some),
        None => Some(None),
    };
    let asked = optional("asked");
    let interviewed = optional("interviewed");
    let (answered, asked, interviewed) = (answered?, asked?, interviewed?);
    if let (Some(asked), Some(Value::Map(entries))) = (&asked, f.get("asked").map(|n| &n.value)) {
        for (role, n) in &answered {
            let of = asked.get(role);
            let at = entries.iter().find(|(k, _)| k.key_text() == role.key());
            if let (Some(&of), Some((_, at))) = (of, at)
                && *n > of
            {
                r.error(
                    at,
                    &join(&f.path("asked"), role.key()),
                    format!("{n} svar från {} men bara {of} tillfrågade", role.key()),
                    "minst lika många tillfrågade som svarande i varje grupp",
                );
            }
        }
    }
    Some(Survey {
        answered,
        asked,
        interviewed,
    })
}

/// A map from role to a count that is a whole number, zero or more.
fn decode_counts(r: &mut Reader, node: &Node, path: &str) -> Option<Counts> {
    let keys: Vec<&str> = Role::ALL.iter().map(|role| role.key()).collect();
    let f = r.fields(node, path, &keys)?;
    let mut counts = Counts::new();
    let mut valid = true;
    for role in Role::ALL {
        let Some(n) = f.get(role.key()) else {
            continue;
        };
        let count = match n.value {
            Value::Int(count) => u32::try_from(count).ok(),
            _ => None,
        };
        match count {
            Some(count) => {
                counts.insert(role, count);
            }
            None => {
                valid = false;
                r.error(
                    n,
                    &f.path(role.key()),
                    format!("här väntades ett antal men det står {}", n.describe()),
                    "ett heltal, noll eller större",
                );
            }
        }
    }
    valid.then_some(counts)
}

fn decode_unit(r: &mut Reader, node: &Node) -> Option<Unit> {
    let f = r.fields(node, "unit", keys::UNIT)?;
    let mut required = |key: &str, what: &str| {
        f.required(r, key, what)
            .and_then(|n| r.text(n, &f.path(key)))
    };
    let name = required("name", "enhetens namn, t.ex. Boo Vårdcentral");
    let organisation = required("organisation", "vårdgivaren, t.ex. Region Stockholm");
    let specialty = required("specialty", "specialiteten, t.ex. Allmänmedicin");
    let description = r.optional_text(f.get("description"), &f.path("description"));
    Some(Unit {
        name: name?,
        organisation: organisation?,
        specialty: specialty?,
        description,
    })
}

/// The inspection, and its regulations on their own: the areas are checked against
/// these even when another field of the inspection is wrong.
fn decode_inspection(r: &mut Reader, node: &Node) -> (Option<Details>, Option<Vec<Version>>) {
    let Some(f) = r.fields(node, "inspection", keys::INSPECTION) else {
        return (None, None);
    };
    let date = f
        .required(r, "date", "granskningsdatum, t.ex. 2025-02-12")
        .and_then(|n| r.date(n, &f.path("date")));
    let report_date = f
        .get("report_date")
        .and_then(|n| r.date(n, &f.path("report_date")));
    let plan_due = f
        .get("plan_due")
        .and_then(|n| r.date(n, &f.path("plan_due")));
    let inspectors = f
        .required(r, "inspectors", "en lista med minst en granskare")
        .and_then(|n| {
            let list = r.texts(Some(n), &f.path("inspectors"));
            let empty_list = match &n.value {
                Value::Seq(items) => items.is_empty(),
                Value::Null => true,
                _ => false,
            };
            if list.is_empty() && empty_list {
                r.error(
                    n,
                    &f.path("inspectors"),
                    "listan över granskare är tom",
                    "minst en granskare, t.ex. [Anna Lindqvist]",
                );
            }
            Some(list).filter(|l| !l.is_empty())
        });
    let regulations = f
        .required(
            r,
            "regulations",
            "de regelverk enhetens ST-läkare följer, t.ex. [2015, 2021]",
        )
        .and_then(|n| decode_regulations(r, n, &f.path("regulations")));
    let Some(date) = date else {
        return (None, regulations);
    };
    for (key, found) in [("report_date", report_date), ("plan_due", plan_due)] {
        if let (Some(found), Some(node)) = (found, f.get(key))
            && found < date
        {
            r.error(
                node,
                &f.path(key),
                format!("datumet {found} ligger före granskningsdagen {date}"),
                "ett datum på eller efter granskningsdagen",
            );
        }
    }
    let inspection = match (inspectors, &regulations) {
        (Some(inspectors), Some(regulations)) => Some(Details {
            date,
            report_date,
            inspectors,
            regulations: regulations.clone(),
            plan_due,
        }),
        _ => None,
    };
    (inspection, regulations)
}

fn decode_regulations(r: &mut Reader, node: &Node, path: &str) -> Option<Vec<Version>> {
    const EXPECTED: &str = "2015 och/eller 2021, t.ex. [2015, 2021]";
    let items = r.seq(node, path, EXPECTED)?;
    if items.is_empty() {
        r.error(node, path, "inget regelverk angivet", EXPECTED);
        return None;
    }
    let mut versions = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        match version_of(item) {
            Some(v) if versions.contains(&v) => {
                r.error(
                    item,
                    &item_path,
                    format!("{v} står två gånger"),
                    "varje regelverk högst en gång",
                );
            }
            Some(v) => versions.push(v),
            None => {
                r.error(
                    item,
                    &item_path,
                    format!("okänt regelverk: {}", item.describe()),
                    EXPECTED,
                );
            }
        }
    }
    // The valid versions are kept even beside errors, so that the areas are still
    // checked against them.
    versions.sort();
    Some(versions).filter(|v| !v.is_empty())
}

/// A version written as `2021` or `"2021"`.
fn version_of(node: &Node) -> Option<Version> {
    match &node.value {
        Value::Int(n) => Version::from_year(*n),
        Value::Str(s) => s.trim().parse().ok().and_then(Version::from_year),
        _ => None,
    }
}

fn decode_summary(r: &mut Reader, node: &Node) -> Option<Summary> {
    let f = r.fields(node, "summary", keys::SUMMARY)?;
    Some(Summary {
        strengths: r.texts(f.get("strengths"), &f.path("strengths")),
        weaknesses: r.texts(f.get("weaknesses"), &f.path("weaknesses")),
        improvements: r.texts(f.get("improvements"), &f.path("improvements")),
    })
}

fn decode_areas(
    r: &mut Reader,
    node: &Node,
    catalog: &Catalog,
    regulations: &[Version],
) -> Option<Vec<AreaInput>> {
    let names: Vec<String> = catalog.areas.iter().map(|a| a.id.to_string()).collect();
    let allowed: Vec<&str> = names.iter().map(String::as_str).collect();
    let f = r.fields(node, "areas", &allowed)?;
    let mut areas = Vec::new();
    for area in &catalog.areas {
        let key = area.id.to_string();
        let expected = format!(
            "område {} ({}) med svar på dess indikatorer",
            area.id, area.title
        );
        if let Some(n) = f.required(r, &key, &expected) {
            areas.extend(decode_area(
                r,
                n,
                &f.path(&key),
                catalog,
                area.id,
                regulations,
            ));
        }
    }
    (areas.len() == catalog.areas.len()).then_some(areas)
}

/// Decodes one area: its findings, its answers (each checked to belong to the area)
/// and its overrides, then the area's rules (see [`rules`]).
fn decode_area(
    r: &mut Reader,
    node: &Node,
    path: &str,
    catalog: &Catalog,
    id: char,
    regulations: &[Version],
) -> Option<AreaInput> {
    let area = catalog.area(id)?;
    let f = r.fields(node, path, keys::AREA)?;
    let findings = r.optional_text(f.get("findings"), &f.path("findings"));

    let answers_path = f.path("answers");
    let mut answers = BTreeMap::new();
    let mut answered = BTreeSet::new();
    let answers_node = f.get("answers");
    if let Some(n) = answers_node
        && let Some(entries) = map_entries(r, n, &answers_path, "svar per indikator, t.ex. D1: yes")
    {
        for (key, value) in entries {
            let name = key.key_text();
            let item_path = join(&answers_path, &name);
            if rules::belongs(r, catalog, area, key, &item_path) {
                answered.insert(name.clone());
                if let Some(response) = decode_response(r, value, &item_path) {
                    answers.insert(name, response);
                }
            }
        }
    }
    let at = answers_node.unwrap_or(node);
    let all_answered = rules::all_answered(r, area, regulations, &answered, at, &answers_path);
    let overrides = match f.get("override") {
        Some(n) => decode_overrides(r, n, &f.path("override"), regulations),
        None => BTreeMap::new(),
    };
    let input = AreaInput {
        id,
        findings,
        answers,
        overrides,
    };
    // An answer that did not decode would make the area look ungradable for no reason.
    if all_answered && answered.len() == input.answers.len() {
        rules::gradable(r, area, &input, regulations, at, &answers_path);
    }
    Some(input)
}

fn map_entries<'n>(
    r: &mut Reader,
    node: &'n Node,
    path: &str,
    expected: &str,
) -> Option<&'n [(Node, Node)]> {
    match &node.value {
        Value::Map(entries) => Some(entries),
        Value::Null => Some(&[]),
        _ => {
            r.error(
                node,
                path,
                format!("här väntades en mappning men det står {}", node.describe()),
                expected,
            );
            None
        }
    }
}

fn decode_response(r: &mut Reader, node: &Node, path: &str) -> Option<Response> {
    if let Value::Map(_) = node.value {
        let f = r.fields(node, path, keys::RESPONSE)?;
        let answer = f
            .required(r, "answer", "yes, no, partly eller not_assessed")
            .and_then(|n| decode_answer(r, n, &f.path("answer")));
        let comment = r.optional_text(f.get("comment"), &f.path("comment"));
        let serious = match f.get("serious") {
            None => false,
            Some(n) => match n.value {
                Value::Bool(b) => b,
                _ => {
                    r.error(
                        n,
                        &f.path("serious"),
                        format!("serious måste vara true eller false, inte {}", n.describe()),
                        "true eller false",
                    );
                    false
                }
            },
        };
        let answer = answer?;
        if serious && !answer.is_unmet() {
            let n = f.get("serious").unwrap_or(node);
            r.error(
                n,
                &f.path("serious"),
                "serious kan bara anges för en indikator som inte är uppfylld",
                "serious endast tillsammans med answer: no eller partly",
            );
        }
        return Some(Response {
            answer,
            comment,
            serious,
        });
    }
    let answer = decode_answer(r, node, path)?;
    Some(Response {
        answer,
        comment: None,
        serious: false,
    })
}

fn decode_answer(r: &mut Reader, node: &Node, path: &str) -> Option<Answer> {
    const EXPECTED: &str = "yes, no, partly eller not_assessed";
    match &node.value {
        Value::Str(s) => {
            let answer = Answer::from_name(s.trim());
            if answer.is_none() {
                let hint = match s.trim().to_lowercase().as_str() {
                    "ja" => Some("skriv yes"),
                    "nej" => Some("skriv no"),
                    "delvis" => Some("skriv partly"),
                    "ej bedömt" | "ej bedömd" | "-" => Some("skriv not_assessed"),
                    _ => None,
                };
                let message = format!("okänt svar ”{s}”");
                match hint {
                    Some(h) => r.error_hint(node, path, message, EXPECTED, h),
                    None => r.error(node, path, message, EXPECTED),
                }
            }
            answer
        }
        Value::Bool(b) => {
            let word = if *b { "yes" } else { "no" };
            r.error_hint(
                node,
                path,
                format!("{b} är ett sanningsvärde, inte ett svar"),
                EXPECTED,
                &format!("skriv {word}"),
            );
            None
        }
        _ => {
            r.error(
                node,
                path,
                format!("här väntades ett svar men det står {}", node.describe()),
                EXPECTED,
            );
            None
        }
    }
}

fn decode_overrides(
    r: &mut Reader,
    node: &Node,
    path: &str,
    regulations: &[Version],
) -> BTreeMap<Version, Override> {
    let mut overrides = BTreeMap::new();
    let Some(entries) = map_entries(
        r,
        node,
        path,
        "betyg per regelverk, t.ex. 2021: {grade: B, reason: \"…\"}",
    ) else {
        return overrides;
    };
    let listed: Vec<String> = regulations.iter().map(Version::to_string).collect();
    for (key, value) in entries {
        let item_path = join(path, &key.key_text());
        let version = version_of(key);
        match version {
            Some(v) if regulations.contains(&v) => {}
            Some(v) => {
                r.error(
                    key,
                    &item_path,
                    format!("{v} graderas inte i denna granskning"),
                    &format!(
                        "ett regelverk ur inspection.regulations ({})",
                        listed.join(", ")
                    ),
                );
                continue;
            }
            None => {
                r.error(
                    key,
                    &item_path,
                    format!("okänt regelverk ”{}”", key.key_text()),
                    "2015 eller 2021",
                );
                continue;
            }
        }
        let Some(f) = r.fields(value, &item_path, keys::OVERRIDE) else {
            continue;
        };
        let grade = f.required(r, "grade", "ett betyg A–E").and_then(|n| {
            let g = Grade::from_letter(n.key_text().trim());
            if g.is_none() {
                r.error(
                    n,
                    &f.path("grade"),
                    format!("okänt betyg: {}", n.describe()),
                    "en av A, B, C, D, E",
                );
            }
            g
        });
        let reason = f
            .required(r, "reason", "en motivering till betyget")
            .and_then(|n| r.text(n, &f.path("reason")));
        if let (Some(v), Some(grade), Some(reason)) = (version, grade, reason) {
            overrides.insert(v, Override { grade, reason });
        }
    }
    overrides
}

/// The `indicator` of an entry of `action_plan`'s lists: one the catalog knows.
fn known_indicator(r: &mut Reader, g: &Fields, catalog: &Catalog, example: &str) -> Option<String> {
    let n = g.required(r, "indicator", &format!("indikatorns id, t.ex. {example}"))?;
    let id = n.key_text();
    if catalog.indicator(&id).is_none() {
        r.error(
            n,
            &g.path("indicator"),
            format!("okänd indikator ”{id}”"),
            &format!("ett indikator-id ur katalogen, t.ex. {example}"),
        );
        return None;
    }
    Some(id)
}

fn decode_plan_reference(
    r: &mut Reader,
    node: &Node,
    catalog: &Catalog,
    inspection_date: Option<NaiveDate>,
) -> Option<PlanReference> {
    let f = r.fields(node, "action_plan", keys::PLAN_REF)?;
    let file = f
        .required(
            r,
            "file",
            "sökvägen till handlingsplanen, relativt denna fil",
        )
        .and_then(|n| r.text(n, &f.path("file")));
    let received = f
        .required(r, "received", "datumet då handlingsplanen kom in")
        .and_then(|n| {
            let d = r.date(n, &f.path("received"))?;
            if let Some(date) = inspection_date
                && d < date
            {
                r.error(
                    n,
                    &f.path("received"),
                    format!("handlingsplanen kan inte ha kommit in {d}, före granskningen {date}"),
                    "ett datum efter granskningsdagen",
                );
            }
            Some(d)
        });
    let mut rejected = Vec::new();
    if let Some(n) = f.get("rejected")
        && let Some(items) = r.seq(n, &f.path("rejected"), "en lista med {indicator, reason}")
    {
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", f.path("rejected"));
            let Some(g) = r.fields(item, &path, keys::REJECTION) else {
                continue;
            };
            let indicator = known_indicator(r, &g, catalog, "E4");
            let reason = g
                .required(r, "reason", "varför åtgärden inte godkänns")
                .and_then(|n| r.text(n, &g.path("reason")));
            if let (Some(indicator), Some(reason)) = (indicator, reason) {
                rejected.push(Rejection { indicator, reason });
            }
        }
    }
    let mut confirmed = Vec::new();
    if let Some(n) = f.get("confirmed")
        && let Some(items) = r.seq(n, &f.path("confirmed"), "en lista med {indicator, date}")
    {
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", f.path("confirmed"));
            let Some(g) = r.fields(item, &path, keys::CONFIRMATION) else {
                continue;
            };
            let indicator = known_indicator(r, &g, catalog, "D6");
            let date = g
                .required(r, "date", "dagen då åtgärden bekräftades, ÅÅÅÅ-MM-DD")
                .and_then(|n| {
                    let d = r.date(n, &g.path("date"))?;
                    if let Some(received) = received
                        && d < received
                    {
                        r.error(
                            n,
                            &g.path("date"),
                            format!("åtgärden kan inte ha bekräftats {d}, innan handlingsplanen kom in {received}"),
                            "ett datum efter att handlingsplanen kom in",
                        );
                    }
                    Some(d)
                });
            if let (Some(indicator), Some(date)) = (indicator, date) {
                confirmed.push(Confirmation { indicator, date });
            }
        }
    }
    Some(PlanReference {
        file: file?,
        received: received?,
        rejected,
        confirmed,
    })
}
