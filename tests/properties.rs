//! Properties over many generated inputs: grading is total and monotone and keeps the
//! versions apart; free text either comes back from the PDF as written or is refused
//! by name.

mod common;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use spur_core::catalog::{Catalog, Grade, Version};
use spur_core::grading::{Grading, grade};
use spur_core::inspection::Inspection;
use spur_core::questionnaire::{
    Answer, AreaInput, Details, Questionnaire, Response, Summary, Unit,
};
use spur_core::{diagnostic::Source, fonts, questionnaire};
use spur_report as report;
use spur_report::render::{self, Renderer};

const ANSWERS: [Answer; 4] = [Answer::Yes, Answer::No, Answer::Partly, Answer::NotAssessed];

/// A questionnaire with one (answer, serious) per catalog indicator, in catalog order.
fn questionnaire_of(answers: &[(Answer, bool)], regulations: Vec<Version>) -> Questionnaire {
    let catalog = Catalog::embedded();
    let mut given = answers.iter();
    let areas = catalog
        .areas
        .iter()
        .map(|area| AreaInput {
            id: area.id,
            findings: None,
            answers: area
                .indicators
                .iter()
                .map(|i| {
                    let (answer, serious) = *given.next().expect("ett svar per indikator");
                    (
                        i.id.clone(),
                        Response {
                            answer,
                            comment: None,
                            serious: serious && answer.is_unmet(),
                        },
                    )
                })
                .collect(),
            overrides: Default::default(),
        })
        .collect();
    Questionnaire {
        unit: Unit {
            name: "Enheten".into(),
            organisation: "Regionen".into(),
            specialty: "Allmänmedicin".into(),
            description: None,
        },
        inspection: Details {
            date: NaiveDate::from_ymd_opt(2025, 2, 12).unwrap(),
            report_date: None,
            inspectors: vec!["Anna Lindqvist".into()],
            regulations,
            plan_due: None,
        },
        summary: Summary::default(),
        areas,
        survey: None,
        action_plan: None,
    }
}

fn answers() -> impl Strategy<Value = Vec<(Answer, bool)>> {
    prop::collection::vec((prop::sample::select(ANSWERS.to_vec()), any::<bool>()), 75)
}

fn computed(g: &Grading) -> Vec<(char, Version, Option<Grade>)> {
    g.areas
        .iter()
        .flat_map(|a| {
            a.versions
                .iter()
                .map(move |v| (a.id, v.version, v.computed))
        })
        .collect()
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn grading_is_total_and_underivable_only_without_an_assessed_foreskrift(answers in answers()) {
        let q = questionnaire_of(&answers, Version::ALL.to_vec());
        let g = grade(Catalog::embedded(), &q, None);
        for area in &g.areas {
            let catalog_area = Catalog::embedded().area(area.id).unwrap();
            for v in &area.versions {
                let assessed = catalog_area
                    .under(v.version)
                    .filter(|(_, k)| *k == spur_core::catalog::Kind::Foreskrift)
                    .any(|(i, _)| q.response(&i.id).unwrap().answer != Answer::NotAssessed);
                prop_assert_eq!(v.computed.is_some(), assessed);
                prop_assert!(v.computed != Some(Grade::C) || v.has_rad);
                prop_assert!(!v.reasons.is_empty());
            }
        }
    }

    #[test]
    fn meeting_an_indicator_never_worsens_a_grade(answers in answers(), pick in 0usize..75) {
        let before = grade(Catalog::embedded(), &questionnaire_of(&answers, Version::ALL.to_vec()), None);
        let mut improved = answers.clone();
        if improved[pick].0.is_unmet() {
            improved[pick] = (Answer::Yes, false);
        }
        let after = grade(Catalog::embedded(), &questionnaire_of(&improved, Version::ALL.to_vec()), None);
        for ((area, version, old), (_, _, new)) in computed(&before).into_iter().zip(computed(&after)) {
            if let (Some(old), Some(new)) = (old, new) {
                prop_assert!(new <= old, "{}{} {:?}: {:?} blev {:?}", area, pick, version, old, new);
            }
        }
    }

    #[test]
    fn an_indicator_outside_a_version_never_changes_that_version(answers in answers(), pick in 0usize..75, other in prop::sample::select(ANSWERS.to_vec()), serious in any::<bool>()) {
        let catalog = Catalog::embedded();
        let indicator = catalog.areas.iter().flat_map(|a| &a.indicators).nth(pick).unwrap();
        let before = grade(catalog, &questionnaire_of(&answers, Version::ALL.to_vec()), None);
        let mut changed = answers.clone();
        changed[pick] = (other, serious);
        let after = grade(catalog, &questionnaire_of(&changed, Version::ALL.to_vec()), None);
        for version in Version::ALL.into_iter().filter(|v| indicator.kind(*v).is_none()) {
            let of = |g: &Grading| computed(g).into_iter().filter(|(_, v, _)| *v == version).collect::<Vec<_>>();
            prop_assert_eq!(of(&before), of(&after));
        }
    }
}

/// Text from an alphabet of Swedish, Typst syntax and symbols; in about half the cases
/// with a character that no embedded font has.
fn free_text() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = "abcdefghijklmnopqrstuvwxyzåäöÅÄÖéüABC0123456789#$*_[]\\@<>=-+/`'\"{}()%&~^!?.,;:≥≤±–—…“”‘’””αβγДЖ§°€½"
        .chars()
        .collect();
    let word = prop::collection::vec(prop::sample::select(alphabet), 1..12)
        .prop_map(|c| c.into_iter().collect::<String>());
    let gap = prop::sample::select(vec![" ", " ", " ", "\n", "\n\n"]);
    let text = prop::collection::vec((word, gap), 1..25)
        .prop_map(|parts| parts.into_iter().map(|(w, g)| w + g).collect::<String>());
    let unshowable = prop::option::of((
        prop::sample::select(vec!['漢', '🦠', '\u{7}', '\u{E000}']),
        any::<prop::sample::Index>(),
    ));
    (text, unshowable).prop_map(|(text, bad)| match bad {
        None => text,
        Some((c, at)) => {
            let chars: Vec<char> = text.chars().collect();
            let i = at.index(chars.len() + 1);
            chars[..i]
                .iter()
                .chain(std::iter::once(&c))
                .chain(&chars[i..])
                .collect()
        }
    })
}

#[test]
fn free_text_comes_back_from_the_pdf_or_is_refused_by_name() {
    let catalog = Catalog::embedded();
    let renderer = Renderer::new();
    // The questionnaire alone is parsed here, so the plan it names is never read.
    let base = &std::fs::read_to_string(common::fixture("boo-vardcentral.yaml")).unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    runner
        .run(&free_text(), |text| {
            let quoted = serde_json::to_string(&text).unwrap();
            let yaml: String = base
                .lines()
                .scan(false, |skipping, line| {
                    if line == "  description: |" {
                        *skipping = true;
                        return Some(format!("  description: {quoted}\n"));
                    }
                    if *skipping && line.starts_with("    ") {
                        return Some(String::new());
                    }
                    *skipping = false;
                    Some(format!("{line}\n"))
                })
                .collect();
            let parsed =
                questionnaire::parse(&Source::new("t.yaml", yaml), catalog, &fonts::can_show);
            let missing: Vec<char> = text
                .chars()
                .filter(|c| !matches!(c, '\n' | '\r' | '\t') && !fonts::can_show(*c))
                .collect();
            if let Some(first) = missing.first() {
                let errors = parsed.expect_err("otecknbara tecken godtogs");
                let named = format!("U+{:04X}", *first as u32);
                prop_assert!(
                    errors
                        .iter()
                        .any(|d| d.message.contains(&named) && d.path == "unit.description"),
                    "{:?}",
                    errors
                );
                return Ok(());
            }
            let q = parsed.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let grading = grade(catalog, &q, None);
            let inspection = Inspection {
                questionnaire: q,
                plan: None,
                grading,
                warnings: Vec::new(),
            };
            let pdf = renderer
                .pdf(
                    &report::build(catalog, &inspection, spur_report::Marking::Final),
                    render::Standard::default(),
                )
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            // Whitespace is the layout's to choose (the PDF reader drops explicit line
            // breaks); line breaks are checked on the laid-out frames in tests/render.rs.
            let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let shown = visible(&common::pdf_text(&pdf));
            prop_assert!(
                shown.contains(&visible(&text)),
                "”{}” kom inte tillbaka",
                text
            );
            Ok(())
        })
        .unwrap();
}
