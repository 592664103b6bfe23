//! The writer's tests: round trips of the fixtures and of generated text.

use proptest::prelude::*;

use super::*;
use spur_core::catalog::Grade;
use spur_core::diagnostic::{Diagnostic, Source};
use spur_core::plan::file::{PlanFile, write as plan_text};
use spur_core::questionnaire::{Override, Rejection};
use spur_core::yaml::write::needs_escape;
use spur_core::yaml::{Node, Value};
use spur_core::{fonts, grading, inspection, plan};

const QUESTIONNAIRES: [&str; 3] = [
    include_str!("../../../../../fixtures/boo-vardcentral.yaml"),
    include_str!("../../../../../fixtures/vardcentralen-norrby.yaml"),
    include_str!("../../../../../fixtures/medicinkliniken-2021.yaml"),
];
const BOO_PLAN: &str = include_str!("../../../../../fixtures/boo-vardcentral-handlingsplan.yaml");

fn read(text: &str) -> Result<Questionnaire, Vec<Diagnostic>> {
    let source = Source::new("q.yaml", text.to_string());
    spur_core::questionnaire::parse(&source, Catalog::embedded(), &|_| true)
}

fn boo() -> Questionnaire {
    read(QUESTIONNAIRES[0]).unwrap()
}

fn check_plan(q: &Questionnaire, text: &str) -> plan::Checked {
    let (c, source) = (Catalog::embedded(), Source::new("p.yaml", text.to_string()));
    plan::check(&source, c, q, &grading::grade(c, q, None), &|_| true)
}

/// The value at `path` (keys, or indices into sequences, joined by dots) of `text`.
fn value_at(text: &str, path: &str) -> Value {
    let root = spur_core::yaml::parse(&Source::new("w.yaml", text.to_string()))
        .unwrap_or_else(|d| panic!("{}\n{text}", d.message));
    let step = |node: &'_ Node, step: &&str| match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.key_text() == *step)
            .map(|e| e.1.clone()),
        Value::Seq(items) => step
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get(i).cloned()),
        _ => None,
    };
    let found = path.split('.').try_fold(root, |node, s| step(&node, &s));
    found
        .unwrap_or_else(|| panic!("{path} saknas\n{text}"))
        .value
}

#[test]
fn the_fixtures_read_back_the_same() {
    for text in QUESTIONNAIRES {
        let q = read(text).unwrap();
        let written = questionnaire(Catalog::embedded(), &q);
        assert_eq!(
            read(&written).unwrap_or_else(|e| panic!("{e:#?}\n{written}")),
            q
        );
    }
    let q = boo();
    let plan = check_plan(&q, BOO_PLAN).plan.unwrap();
    let written = plan_text(&PlanFile::from(&plan));
    let again = check_plan(&q, &written);
    assert!(
        again.errors.is_empty() && again.missing.is_empty(),
        "{written}"
    );
    let again = again.plan.unwrap();
    assert_eq!(
        (&again.unit, again.inspection_date),
        (&plan.unit, plan.inspection_date)
    );
    assert_eq!(again.items, plan.items);
    assert!(written.contains("    deadline: 2026-05-31\n"), "{written}");
}

#[test]
fn the_written_boo_questionnaire_passes_the_check_with_the_skeletons_comments() {
    let c = Catalog::embedded();
    let written = questionnaire(c, &boo());
    let source = Source::new("boo.yaml", written.clone());
    let graded = inspection::questionnaire(c, &source, &fonts::can_show).unwrap();
    let plan = Source::new("plan.yaml", BOO_PLAN.to_string());
    let assessed = inspection::assess(c, graded, Some(&plan), &fonts::can_show).unwrap();
    assert!(assessed.warnings.is_empty(), "{:#?}", assessed.warnings);
    assert!(written.contains("# E7, föreskrift 2021, allmänt råd 2015:\n"));
    let date = NaiveDate::from_ymd_opt(2025, 2, 12).unwrap();
    let skeleton = skeleton::questionnaire(c, date, "s.yaml").unwrap();
    for line in skeleton.lines().filter(|l| l.starts_with("      # ")) {
        assert!(
            written.contains(&format!("{}\n", line.trim_end())),
            "{line}"
        );
    }
}

#[test]
fn unanswered_indicators_stay_empty_keys_and_long_comments_get_a_block() {
    let mut q = boo();
    q.areas[0].answers.remove("A2");
    let d6 = q.areas[3].answers.get_mut("D6").unwrap();
    d6.comment = Some("Första raden.\n\n  Indragen.".into());
    let written = questionnaire(Catalog::embedded(), &q);
    assert!(written.contains("\n      A2:\n      # A3,"), "{written}");
    let block = "      D6:\n        answer: partly\n        comment: |-\n          Första raden.\n\n            Indragen.\n";
    assert!(written.contains(block), "{written}");
}

#[test]
fn scalars_take_the_plainest_form_that_reads_back() {
    let (flow, block) = (Place::Flow, Place::Block(4));
    for (text, place, expected) in [
        ("Boo Vårdcentral", block, "Boo Vårdcentral"),
        ("2026-05-31", flow, "2026-05-31"),
        ("31 maj", block, "\"31 maj\""),
        ("0701234567", block, "\"0701234567\""),
        ("yes", block, "\"yes\""),
        ("Null", block, "\"Null\""),
        ("a, b", flow, "\"a, b\""),
        ("a, b", block, "a, b"),
        ("inte # en kommentar", block, "\"inte # en kommentar\""),
        (" kant", block, "\" kant\""),
        (
            "a\tb\u{0}\u{85}\u{feff}",
            block,
            "\"a\\tb\\x00\\x85\\uFEFF\"",
        ),
        ("rad\n", block, "|\n      rad"),
        ("rad\nrad", flow, "\"rad\\nrad\""),
        ("\n rad\n\n", Place::Block(0), "|2+\n\n   rad\n"),
        ("rad\r\nrad", block, "\"rad\\x0D\\nrad\""),
        ("", block, "\"\""),
    ] {
        assert_eq!(scalar(text, place), expected, "{text:?}");
    }
}

/// Any text, or text made of the pieces that trouble YAML writers.
fn any_text() -> impl Strategy<Value = String> {
    const PIECES: &str = "\n¦ ¦  ¦\t¦\r¦#¦:¦: ¦ #¦\"¦'¦\\¦- ¦|¦>¦---¦...¦?¦{¦}¦[¦,¦&a¦*a¦!¦%¦@\
        ¦yes¦no¦~¦null¦0701234567¦2026-05-31¦1e3¦.inf¦\0¦\u{1b}¦\u{7f}¦\u{85}¦\u{9f}\
        ¦\u{a0}¦\u{2028}¦\u{feff}¦\u{fffe}¦å¦Ärende";
    let pieces: Vec<&str> = PIECES.split('¦').collect();
    let awkward = prop::collection::vec(prop::sample::select(pieces), 0..14);
    let awkward = awkward.prop_map(|p| p.concat());
    let chars = prop::collection::vec(any::<char>(), 0..20).prop_map(String::from_iter);
    prop_oneof![any::<String>(), awkward, chars, "[ -~\n\t]{0,40}"]
}

/// Puts `text` into every kind of place of a questionnaire, `optional` where a
/// text may be absent.
fn put(q: &mut Questionnaire, text: &str, optional: Option<String>) {
    q.unit.description = optional.clone();
    q.inspection.inspectors[0] = text.to_string();
    q.summary.strengths[0] = text.to_string();
    let reason = text.to_string();
    q.areas[0].overrides.insert(
        Version::V2021,
        Override {
            grade: Grade::B,
            reason,
        },
    );
    q.areas[3].findings = optional.clone();
    q.areas[3].answers.get_mut("D6").unwrap().comment = optional.clone();
    q.areas[3].answers.get_mut("D7").unwrap().comment = optional;
    let reason = text.to_string();
    q.action_plan.as_mut().unwrap().rejected = vec![Rejection {
        indicator: "E4".into(),
        reason,
    }];
}

/// Characters that may not stand raw in a file that spur reads.
fn raw_forbidden(c: char) -> bool {
    needs_escape(c) && !matches!(c, '\n' | '\t')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_text_reads_back_as_written(text in any_text()) {
        let mut q = boo();
        put(&mut q, &text, Some(text.clone()));
        let written = questionnaire(Catalog::embedded(), &q);
        prop_assert!(!written.chars().any(raw_forbidden), "{}", written);
        for path in [
            "inspection.inspectors.0", "summary.strengths.0", "areas.A.override.2021.reason",
            "action_plan.rejected.0.reason",
        ] {
            prop_assert_eq!(value_at(&written, path), Value::Str(text.clone()), "{}", path);
        }
        // An optional text left empty is not written at all, as in a browser's form.
        for path in [
            "unit.description", "areas.D.findings", "areas.D.answers.D6.comment",
            "areas.D.answers.D7.comment",
        ] {
            if !text.is_empty() {
                prop_assert_eq!(value_at(&written, path), Value::Str(text.clone()), "{}", path);
            }
        }
        // The decoder trims every text and refuses the blank ones it requires.
        let trimmed = text.trim();
        match read(&written) {
            Ok(again) => {
                put(&mut q, trimmed, Some(trimmed.to_string()).filter(|t| !t.is_empty()));
                prop_assert_eq!(&again, &q);
            }
            Err(errors) => {
                prop_assert!(trimmed.is_empty(), "{:#?}", errors);
                prop_assert!(errors.iter().all(|d| d.message == "texten är tom"), "{:#?}", errors);
            }
        }

        let boo_plan = check_plan(&q, BOO_PLAN).plan.unwrap();
        let mut file = PlanFile::from(&boo_plan);
        file.unit = text.clone();
        file.items[0].action = text.clone();
        file.items[1].deadline_note = Some(text.clone());
        file.items[2].deadline = text.clone();
        let written = plan_text(&file);
        prop_assert!(!written.chars().any(raw_forbidden), "{}", written);
        for path in ["unit", "items.0.action", "items.1.deadline_note", "items.2.deadline"] {
            prop_assert_eq!(value_at(&written, path), Value::Str(text.clone()), "{}", path);
        }
        let checked = check_plan(&q, &written);
        let refused = checked.errors.iter().any(|d| d.path == "items[0].action");
        prop_assert_eq!(refused, trimmed.is_empty());
        let action = checked.plan.map(|p| p.items[0].action.clone());
        prop_assert!(action.is_none_or(|a| a == trimmed));
    }
}

#[test]
fn follow_up_reports_and_confirmations_read_back_as_written() {
    let mut q = boo();
    let mut plan = check_plan(&q, BOO_PLAN).plan.unwrap();
    plan.items[0].reports = vec![
        plan::Report {
            date: "2026-05-20".parse().unwrap(),
            status: plan::Progress::Ongoing,
            text: "Checklistan: \"klar\" # snart".into(),
        },
        plan::Report {
            date: "2026-06-02".parse().unwrap(),
            status: plan::Progress::Done,
            text: "Alla IUP är uppdaterade.\n\nChecklistan används.".into(),
        },
    ];
    let indicator = plan.items[0].indicator.clone();
    q.action_plan.as_mut().unwrap().confirmed = vec![spur_core::questionnaire::Confirmation {
        indicator,
        date: "2026-06-10".parse().unwrap(),
    }];
    let written = questionnaire(Catalog::embedded(), &q);
    let again = read(&written).unwrap_or_else(|e| panic!("{e:#?}\n{written}"));
    assert_eq!(again, q);
    let written = plan_text(&PlanFile::from(&plan));
    let checked = check_plan(&again, &written);
    assert!(
        checked.errors.is_empty(),
        "{:#?}\n{written}",
        checked.errors
    );
    assert_eq!(checked.plan.unwrap().items, plan.items);
}
