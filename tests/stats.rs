//! `spur stats` run on real files: the fixtures, and a generated corpus whose figures
//! the test counts itself from what the generator meant, in all three formats and the
//! PDF.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, Months, NaiveDate};
use common::corpus::{self, Corpus, Generated};
use common::*;
use serde_json::Value;
use spur_core::catalog::{Catalog, Kind, Version};

const TODAY: &str = "2026-06-01";

fn today() -> NaiveDate {
    TODAY.parse().unwrap()
}

fn stats(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut all: Vec<&std::ffi::OsStr> = vec!["stats".as_ref()];
    all.extend_from_slice(args);
    all.push("--today".as_ref());
    all.push(TODAY.as_ref());
    spur(all)
}

fn json_of(dir: &Path) -> (Value, std::process::Output) {
    let o = stats(&[dir.as_os_str(), "--format".as_ref(), "json".as_ref()]);
    let json = serde_json::from_str(&stdout(&o)).expect("giltig JSON");
    (json, o)
}

/// A corpus written to a temporary directory, with a few files that are not
/// questionnaires beside it: a text file and a hidden directory, both passed over.
fn written(seed: u64, n: usize, broken: usize) -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus::generate(seed, n, broken, today());
    corpus.write(dir.path()).unwrap();
    std::fs::write(dir.path().join("LÄSMIG.txt"), "inte ett frågeformulär\n").unwrap();
    std::fs::create_dir(dir.path().join(".utkast")).unwrap();
    std::fs::write(dir.path().join(".utkast/halvfärdig.yaml"), "unit: {}\n").unwrap();
    (dir, corpus)
}

/// Base and final grade counts (A–E, `-`) and how many graded, for one area and version.
type Tally = ([u64; 6], [u64; 6], u64);

fn version(year: u16) -> Version {
    if year == 2015 {
        Version::V2015
    } else {
        Version::V2021
    }
}

fn slot(letter: char) -> usize {
    "ABCDE".find(letter).unwrap()
}

fn count_of(value: &Value) -> (u64, u64) {
    (
        value["count"].as_u64().unwrap(),
        value["of"].as_u64().unwrap(),
    )
}

/// The corpus's units: each one's inspections, oldest first.
fn units(corpus: &Corpus) -> BTreeMap<(String, String), Vec<&Generated>> {
    let mut units: BTreeMap<(String, String), Vec<&Generated>> = BTreeMap::new();
    for g in &corpus.inspections {
        units
            .entry((g.unit.clone(), g.organisation.clone()))
            .or_default()
            .push(g);
    }
    for list in units.values_mut() {
        list.sort_by_key(|g| g.date);
    }
    units
}

fn required(g: &Generated) -> bool {
    g.grades
        .values()
        .flat_map(|versions| versions.values())
        .any(|i| !i.required.is_empty())
}

#[test]
fn a_generated_corpus_gives_the_figures_the_generator_meant() {
    let (dir, corpus) = written(20260601, 400, 5);
    let (json, o) = json_of(dir.path());
    let catalog = Catalog::embedded();
    let all = &corpus.inspections;

    // Counted: every valid inspection; left out: the broken files, each with its first
    // problem; skipped: every plan.
    assert_eq!(json["inspections"], all.len());
    assert_eq!(json["files"]["counted"], all.len());
    let plans = all.iter().filter(|g| g.plan.is_some()).count();
    assert_eq!(json["files"]["plans_skipped"], plans);
    let listed = json["files"]["not_counted"].as_array().unwrap();
    assert_eq!(listed.len(), corpus.broken.len(), "{listed:#?}");
    for broken in &corpus.broken {
        let entry = listed
            .iter()
            .find(|n| n["file"].as_str().unwrap().ends_with(&broken.file))
            .unwrap_or_else(|| panic!("{} saknas: {listed:#?}", broken.file));
        let problem = entry["problem"].as_str().unwrap();
        assert!(
            problem.contains(&broken.problem),
            "{}: {problem}",
            broken.file
        );
        if let Some(line) = broken.line {
            assert_eq!(entry["line"], line, "{}: {entry}", broken.file);
        }
    }
    assert_eq!(code(&o), 1, "trasiga filer ger status 1");
    for broken in &corpus.broken {
        assert!(stderr(&o).contains(&broken.file), "{}", stderr(&o));
    }

    // Per year, specialty and organisation.
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    let mut specialties: BTreeMap<&str, usize> = BTreeMap::new();
    let mut organisations: BTreeMap<&str, usize> = BTreeMap::new();
    for g in all {
        *years.entry(g.date.year()).or_default() += 1;
        *specialties.entry(&g.specialty).or_default() += 1;
        *organisations.entry(&g.organisation).or_default() += 1;
    }
    let got_years: BTreeMap<i32, usize> = json["per_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["year"].as_i64().unwrap() as i32,
                y["count"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(got_years, years);
    for (key, expected) in [
        ("per_specialty", &specialties),
        ("per_organisation", &organisations),
    ] {
        let list = json[key].as_array().unwrap();
        let got: BTreeMap<&str, usize> = list
            .iter()
            .map(|n| {
                (
                    n["name"].as_str().unwrap(),
                    n["count"].as_u64().unwrap() as usize,
                )
            })
            .collect();
        assert_eq!(&got, expected, "{key}");
        let counts: Vec<u64> = list.iter().map(|n| n["count"].as_u64().unwrap()).collect();
        assert!(
            counts.windows(2).all(|w| w[0] >= w[1]),
            "{key}: flest först"
        );
    }
    let units = units(&corpus);
    assert_eq!(json["units"], units.len());

    // Grade distributions: the grades the generator decided, before and after the plan.
    let mut grades: BTreeMap<(char, u16), Tally> = BTreeMap::new();
    for g in all {
        for (&area, versions) in &g.grades {
            for (&v, intended) in versions {
                let cell = grades.entry((area, v)).or_default();
                cell.0[slot(intended.base)] += 1;
                cell.1[slot(intended.final_)] += 1;
                cell.2 += 1;
            }
        }
    }
    let keys = ["A", "B", "C", "D", "E", "-"];
    for area in json["grades"].as_array().unwrap() {
        let id = area["id"].as_str().unwrap().chars().next().unwrap();
        for v in [2015u16, 2021] {
            let d = &area["versions"][v.to_string()];
            let (base, final_, graded) = grades.get(&(id, v)).copied().unwrap_or_default();
            assert_eq!(d["graded"], graded, "{id} {v}");
            for (k, key) in keys.iter().enumerate() {
                assert_eq!(d["base"][key], base[k], "{id} {v} före {key}");
                assert_eq!(d["final"][key], final_[k], "{id} {v} slutligt {key}");
            }
        }
    }

    // Unmet indicators per version, from the answers written.
    for entry in json["unmet"].as_array().unwrap() {
        let year: u16 = entry["version"].as_str().unwrap().parse().unwrap();
        let graded: Vec<&Generated> = all.iter().filter(|g| g.versions.contains(&year)).collect();
        assert_eq!(entry["inspections"], graded.len());
        let mut expected: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for area in &catalog.areas {
            for (indicator, _) in area.under(version(year)) {
                let (mut unmet, mut assessed) = (0, 0);
                for g in &graded {
                    match g.answers.get(&indicator.id).copied() {
                        Some("no" | "partly") => {
                            unmet += 1;
                            assessed += 1;
                        }
                        Some("yes") => assessed += 1,
                        _ => {}
                    }
                }
                if unmet > 0 {
                    expected.insert(indicator.id.clone(), (unmet, assessed));
                }
            }
        }
        let list = entry["indicators"].as_array().unwrap();
        let got: BTreeMap<String, (u64, u64)> = list
            .iter()
            .map(|u| {
                (
                    u["indicator"].as_str().unwrap().to_string(),
                    (
                        u["unmet"].as_u64().unwrap(),
                        u["assessed"].as_u64().unwrap(),
                    ),
                )
            })
            .collect();
        assert_eq!(got, expected, "{year}");
        let counts: Vec<u64> = list.iter().map(|u| u["unmet"].as_u64().unwrap()).collect();
        assert!(
            counts.windows(2).all(|w| w[0] >= w[1]),
            "{year}: oftast först"
        );
        for u in list {
            let id = u["indicator"].as_str().unwrap();
            let indicator = catalog.indicator(id).unwrap();
            assert_eq!(u["text"], indicator.text.as_str());
            let kind = indicator.kind(version(year)).unwrap();
            let name = match kind {
                Kind::Foreskrift => "foreskrift",
                Kind::AllmannaRad => "allmanna_rad",
                Kind::Kvalitetsindikator => "kvalitetsindikator",
            };
            assert_eq!(u["kind"], name);
        }
    }

    // Any D or E, before and after the plans.
    let worst = |pick: fn(&corpus::Intended) -> char| {
        all.iter()
            .filter(|g| {
                g.grades
                    .values()
                    .flat_map(|v| v.values())
                    .any(|i| matches!(pick(i), 'D' | 'E'))
            })
            .count() as u64
    };
    let n = all.len() as u64;
    assert_eq!(
        count_of(&json["deficiencies"]["base"]),
        (worst(|i| i.base), n)
    );
    assert_eq!(
        count_of(&json["deficiencies"]["final"]),
        (worst(|i| i.final_), n)
    );

    // Plans by their due date.
    let (mut on_time, mut late, mut without_due, mut overdue, mut awaited) = (0, 0, 0, 0, 0);
    for g in all.iter().filter(|g| required(g)) {
        match (g.plan.as_ref().map(|p| p.received), g.plan_due) {
            (Some(r), Some(due)) if r <= due => on_time += 1,
            (Some(_), Some(_)) => late += 1,
            (Some(_), None) => without_due += 1,
            (None, Some(due)) if due < today() => overdue += 1,
            (None, _) => awaited += 1,
        }
    }
    let p = &json["plans"];
    assert_eq!(p["required"], all.iter().filter(|g| required(g)).count());
    assert_eq!(
        [
            &p["on_time"],
            &p["late"],
            &p["received_without_due"],
            &p["overdue"],
            &p["awaited"]
        ],
        [on_time, late, without_due, overdue, awaited]
    );
    assert_eq!(count_of(&p["in_time"]), (on_time, on_time + late + overdue));

    // Actions by deadline.
    let deadlines: Vec<NaiveDate> = all
        .iter()
        .filter_map(|g| g.plan.as_ref())
        .flat_map(|p| p.items.iter().map(|(_, d)| *d))
        .collect();
    let a = &json["actions"];
    assert_eq!(a["plans"], plans);
    assert_eq!(a["total"], deadlines.len());
    assert_eq!(
        a["overdue"],
        deadlines.iter().filter(|d| **d < today()).count()
    );
    assert_eq!(
        a["open"],
        deadlines.iter().filter(|d| **d >= today()).count()
    );

    // Units inspected again: the previous inspection's final grades against the latest's.
    let again: Vec<_> = units.iter().filter(|(_, list)| list.len() > 1).collect();
    let repeated = json["repeated"].as_array().unwrap();
    assert_eq!(repeated.len(), again.len());
    assert!(!again.is_empty(), "korpusen ska ha omgranskade enheter");
    for ((unit, organisation), list) in again {
        let entry = repeated
            .iter()
            .find(|r| r["unit"] == unit.as_str() && r["organisation"] == organisation.as_str())
            .unwrap();
        let dates: Vec<String> = list.iter().map(|g| g.date.to_string()).collect();
        let got: Vec<&str> = entry["inspections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["date"].as_str().unwrap())
            .collect();
        assert_eq!(got, dates);
        let (then, now) = (list[list.len() - 2], list[list.len() - 1]);
        for change in entry["areas"].as_array().unwrap() {
            let id = change["id"].as_str().unwrap().chars().next().unwrap();
            for (which, g) in [("then", then), ("now", now)] {
                let expected: BTreeMap<String, String> = g.grades[&id]
                    .iter()
                    .map(|(v, i)| (v.to_string(), i.final_.to_string()))
                    .collect();
                let got: BTreeMap<String, String> = change[which]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect();
                assert_eq!(got, expected, "{unit} {id} {which}");
            }
        }
    }

    // Units due: five years after the last inspection, up to a year ahead.
    let horizon = today() + Months::new(12);
    let mut due: Vec<(NaiveDate, String, String)> = units
        .iter()
        .filter_map(|((unit, organisation), list)| {
            let due = list.last()?.date + Months::new(60);
            (due <= horizon).then(|| (due, unit.clone(), organisation.clone()))
        })
        .collect();
    due.sort_by_key(|d| d.0);
    let listed = json["due"].as_array().unwrap();
    assert_eq!(listed.len(), due.len());
    let got_due: BTreeSet<(String, String, String, bool)> = listed
        .iter()
        .map(|u| {
            (
                u["due"].as_str().unwrap().to_string(),
                u["unit"].as_str().unwrap().to_string(),
                u["organisation"].as_str().unwrap().to_string(),
                u["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    let expected_due: BTreeSet<(String, String, String, bool)> = due
        .iter()
        .map(|(d, u, o)| (d.to_string(), u.clone(), o.clone(), *d <= today()))
        .collect();
    assert_eq!(got_due, expected_due);
    let order: Vec<&str> = listed.iter().map(|u| u["due"].as_str().unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "först först");

    // Survey: answers of those asked, per role.
    let surveys: Vec<_> = all.iter().filter_map(|g| g.survey.as_ref()).collect();
    assert_eq!(json["survey"]["inspections"], surveys.len());
    for role in json["survey"]["roles"].as_array().unwrap() {
        let key = role["role"].as_str().unwrap();
        let (mut answered, mut asked, mut of_asked, mut met) = (0u64, 0u64, 0u64, 0u64);
        for s in &surveys {
            let gave = u64::from(s.answered.get(key).copied().unwrap_or(0));
            answered += gave;
            met += s
                .interviewed
                .as_ref()
                .and_then(|i| i.get(key))
                .map_or(0, |n| u64::from(*n));
            if let Some(n) = s.asked.as_ref().and_then(|a| a.get(key)) {
                asked += u64::from(*n);
                of_asked += gave;
            }
        }
        assert_eq!(role["answered"], answered, "{key}");
        assert_eq!(role["asked"], asked, "{key}");
        assert_eq!(role["interviewed"], met, "{key}");
        assert_eq!(count_of(&role["response"]), (of_asked, asked), "{key}");
    }

    // CSV: the same distribution, row by row.
    let o = stats(&[dir.path().as_os_str(), "--format".as_ref(), "csv".as_ref()]);
    let csv = stdout(&o);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("område;regelverk;betyg;före_plan;slutligt")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 8 * 2 * 6);
    for area in &catalog.areas {
        for v in [2015u16, 2021] {
            let (base, final_, _) = grades.get(&(area.id, v)).copied().unwrap_or_default();
            for (k, key) in keys.iter().enumerate() {
                let row = format!("{};{v};{key};{};{}", area.id, base[k], final_[k]);
                assert!(rows.contains(&row.as_str()), "saknar {row}");
            }
        }
    }

    // Text: the same figures, in Swedish.
    let o = stats(&[dir.path().as_os_str()]);
    let text = stdout(&o);
    assert!(
        text.starts_with("Årssammanställning ST-SPUR 2015–2026\n"),
        "{}",
        &text[..200]
    );
    assert!(
        text.contains(&format!(
            "Sammanställningen omfattar {} granskningar av {} enheter",
            all.len(),
            units.len()
        )),
        "{text}"
    );
    for (year, count) in &years {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&year.to_string())
                    && l.trim_end().ends_with(&format!(" {count}"))),
            "{year}: {count}"
        );
    }
    let (base_any, _) = count_of(&json["deficiencies"]["base"]);
    assert!(
        text.contains(&format!("Vid {base_any} av {} (", all.len())),
        "{text}"
    );
    assert!(text.contains(&format!("EJ MEDRÄKNADE FILER ({})", corpus.broken.len())));
}

#[test]
fn stats_on_the_fixtures() {
    let o = stats(&[fixture("").as_os_str()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("Underlag: 3 granskningar; 0 filer ej medräknade."),
        "{text}"
    );
    assert!(
        text.contains("Handlingsplaner som hoppades över: 1"),
        "{text}"
    );
    let (json, _) = json_of(&fixture(""));
    assert_eq!(json["inspections"], 3);
    // Boo: D, E and H at D under both versions, re-graded to C by its plan; Norrby
    // has a serious deficiency.
    let area = |id: &str| {
        json["grades"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(area("H")["versions"]["2015"]["final"]["C"], 1);
    assert_eq!(json["plans"]["on_time"], 1);
    assert_eq!(json["actions"]["total"], 7);
    // Boo answered without "asked": it counts among the answers only.
    let st = &json["survey"]["roles"][0];
    assert_eq!(st["role"], "st_lakare");
    assert_eq!(st["answered"], 27);
}

#[test]
fn the_summary_pdf_is_tagged_deterministic_and_says_the_figures() {
    let (dir, corpus) = written(7, 60, 0);
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("sammanstallning.pdf");
    let o = stats(&[dir.path().as_os_str(), "-o".as_ref(), pdf.as_os_str()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).is_empty(),
        "med -o skrivs inget på standard ut utan --format"
    );
    let first = std::fs::read(&pdf).unwrap();
    let o = stats(&[dir.path().as_os_str(), "-o".as_ref(), pdf.as_os_str()]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        first,
        "samma indata, samma PDF"
    );
    let raw = String::from_utf8_lossy(&first);
    assert!(raw.contains("pdfaid:part>2<") || raw.contains("pdfaid:part=\"2\""));
    assert!(raw.contains("/StructTreeRoot"), "taggad PDF");
    let text = pdf_text(&first);
    for words in [
        "Årssammanställning ST-SPUR",
        "LÄKARNAS INSTITUT FÖR PROFESSIONELL UTVECKLING I SJUKVÅRDEN",
        &format!(
            "Sammanställningen omfattar {} granskningar",
            corpus.inspections.len()
        ),
        "Gradering per område",
        "Oftast ej uppfyllda indikatorer",
        "Handlingsplaner och åtgärder",
        "Enkät inför granskningstillfället",
        "Underlag",
    ] {
        assert!(text.contains(words), "saknar ”{words}”:\n{text}");
    }
}

#[test]
fn the_pdf_never_replaces_an_input() {
    let (dir, corpus) = written(3, 5, 0);
    let input = dir.path().join(&corpus.inspections[0].file);
    let before = std::fs::read(&input).unwrap();
    let o = stats(&[dir.path().as_os_str(), "-o".as_ref(), input.as_os_str()]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn directories_are_searched_once_even_through_a_symlink_loop() {
    let (dir, corpus) = written(11, 12, 0);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let (json, o) = json_of(dir.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json["inspections"], corpus.inspections.len());
    // A file given twice, as a file and inside its directory, is read once.
    let file = dir.path().join(&corpus.inspections[0].file);
    let o = stats(&[
        dir.path().as_os_str(),
        file.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["inspections"], corpus.inspections.len());
    assert_eq!(json["files"]["not_counted"].as_array().unwrap().len(), 0);
}

#[test]
fn a_copy_of_an_inspection_is_counted_once_and_named() {
    let (dir, corpus) = written(5, 4, 0);
    let original = &corpus.inspections[0];
    let copy = dir.path().join("kopia.yaml");
    std::fs::copy(dir.path().join(&original.file), &copy).unwrap();
    if let Some(plan) = &original.plan {
        let name = plan.file.rsplit('/').next().unwrap();
        std::fs::copy(dir.path().join(&plan.file), dir.path().join(name)).unwrap();
    }
    let (json, o) = json_of(dir.path());
    assert_eq!(
        code(&o),
        0,
        "en kopia är en varning, inte ett fel: {}",
        stderr(&o)
    );
    assert_eq!(json["inspections"], corpus.inspections.len());
    let listed = json["files"]["not_counted"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert!(stderr(&o).contains("samma granskning"), "{}", stderr(&o));
}

#[test]
fn a_path_that_does_not_exist_is_listed_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("finns-inte.yaml");
    let o = stats(&[fixture("").as_os_str(), missing.as_os_str()]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("EJ MEDRÄKNADE FILER (1)"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("finns-inte.yaml"), "{}", stdout(&o));
    assert!(stderr(&o).contains("finns-inte.yaml"), "{}", stderr(&o));
}

#[test]
fn a_plan_that_no_questionnaire_names_is_still_told_and_skipped() {
    let (dir, corpus) = written(13, 6, 0);
    let with_plan = corpus
        .inspections
        .iter()
        .find(|g| g.plan.is_some())
        .expect("en granskning med handlingsplan");
    let plan = with_plan.plan.as_ref().unwrap();
    let loose = dir.path().join("lösa");
    std::fs::create_dir(&loose).unwrap();
    std::fs::copy(dir.path().join(&plan.file), loose.join("plan.yaml")).unwrap();
    std::fs::write(
        loose.join("flödesplan.yaml"),
        format!(
            "{{unit: \"{}\", inspection_date: {}, items: []}}\n",
            with_plan.unit, with_plan.date
        ),
    )
    .unwrap();
    let plans = corpus
        .inspections
        .iter()
        .filter(|g| g.plan.is_some())
        .count();
    let (json, o) = json_of(dir.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json["inspections"], corpus.inspections.len());
    assert_eq!(json["files"]["plans_skipped"], plans + 2);
    assert_eq!(json["files"]["not_counted"].as_array().unwrap().len(), 0);
}
