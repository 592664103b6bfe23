//! The questionnaire's decoding and rules, tried on whole documents.

use super::*;

use crate::testing::{parse_text, questionnaire_text};

fn errors(text: &str) -> Vec<Diagnostic> {
    parse_text(text).expect_err("borde vara ogiltig")
}

fn one_error(text: &str) -> Diagnostic {
    let mut errors = errors(text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.remove(0)
}

#[test]
fn a_complete_questionnaire_is_valid() {
    let q = parse_text(&questionnaire_text(
        "[2015, 2021]",
        &[("D6", "{answer: no, comment: 'saknas'}")],
        "",
    ))
    .unwrap();
    assert_eq!(q.areas.len(), 8);
    assert_eq!(
        q.inspection.regulations,
        vec![Version::V2015, Version::V2021]
    );
    let d6 = q.response("D6").unwrap();
    assert_eq!(
        (d6.answer, d6.comment.as_deref()),
        (Answer::No, Some("saknas"))
    );
}

#[test]
fn unknown_keys_are_errors_everywhere() {
    let text = questionnaire_text(
        "[2015]",
        &[("D6", "{answer: no, kommentar: x}")],
        "extra: 1\n",
    );
    let errors = errors(&text);
    let paths: Vec<_> = errors.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, vec!["extra", "areas.D.answers.D6.kommentar"]);
}

#[test]
fn a_missing_area_is_named() {
    let text = questionnaire_text("[2015]", &[], "");
    let cut = text.find("  H:\n").unwrap();
    let d = one_error(&text[..cut]);
    assert_eq!(d.message, "nyckeln ”H” saknas");
    assert!(d.expected.unwrap().contains("Ledarskapskompetens"));
}

#[test]
fn a_missing_answer_names_the_indicator() {
    let text = questionnaire_text("[2015, 2021]", &[], "").replace("      D7: yes\n", "");
    let d = one_error(&text);
    assert!(
        d.message
            .starts_with("svar saknas för D7 (allmänt råd 2015, allmänt råd 2021)"),
        "{}",
        d.message
    );
    assert_eq!(d.path, "areas.D.answers");
}

#[test]
fn answers_for_indicators_outside_the_graded_versions_are_optional() {
    let text = questionnaire_text("[2021]", &[], "")
        .replace("      G5: yes\n", "")
        .replace("      G6: yes\n", "");
    assert!(parse_text(&text).is_ok());
    let text = questionnaire_text("[2015]", &[], "").replace("      E6: yes\n", "");
    assert!(parse_text(&text).is_ok());
}

#[test]
fn unknown_and_misplaced_ids_are_errors() {
    let text = questionnaire_text("[2015]", &[], "").replace(
        "      D13: yes\n",
        "      D13: yes\n      D14: yes\n      E4: no\n",
    );
    let errors = errors(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].message, "okänd indikator ”D14” i område D");
    assert_eq!(
        errors[0].expected.as_deref(),
        Some("en indikator i område D (D1–D13)")
    );
    assert_eq!(errors[1].message, "E4 hör till område E, inte D");
}

#[test]
fn answers_must_be_the_four_words_and_booleans_get_a_hint() {
    let text = questionnaire_text(
        "[2015]",
        &[("A1", "ja"), ("A2", "true"), ("A3", "false")],
        "",
    );
    let errors = errors(&text);
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0].message, "okänt svar ”ja”");
    assert_eq!(errors[0].hint.as_deref(), Some("skriv yes"));
    assert_eq!(
        errors[1].message,
        "true är ett sanningsvärde, inte ett svar"
    );
    assert_eq!(errors[2].hint.as_deref(), Some("skriv no"));
    assert_eq!(
        errors[0].expected.as_deref(),
        Some("yes, no, partly eller not_assessed")
    );
}

#[test]
fn serious_only_on_unmet_answers() {
    let d = one_error(&questionnaire_text(
        "[2015]",
        &[("D1", "{answer: yes, serious: true}")],
        "",
    ));
    assert_eq!(d.path, "areas.D.answers.D1.serious");
    assert!(
        parse_text(&questionnaire_text(
            "[2015]",
            &[("D1", "{answer: partly, serious: true}")],
            ""
        ))
        .is_ok()
    );
}

#[test]
fn bad_dates_are_errors_with_the_format() {
    let text = questionnaire_text("[2015]", &[], "").replace("date: 2025-02-12", "date: 12/2 2025");
    let d = one_error(&text);
    assert_eq!(d.path, "inspection.date");
    assert!(d.expected.unwrap().contains("ÅÅÅÅ-MM-DD"));
    let text =
        questionnaire_text("[2015]", &[], "").replace("date: 2025-02-12", "date: 2025-02-30");
    assert_eq!(one_error(&text).path, "inspection.date");
}

#[test]
fn regulations_must_be_known_listed_once_and_present() {
    let errors = errors(&questionnaire_text("[2015, 2019, 2015]", &[], ""));
    let messages: Vec<_> = errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        vec!["okänt regelverk: talet 2019", "2015 står två gånger"]
    );
    assert_eq!(
        one_error(&questionnaire_text("[]", &[], "")).message,
        "inget regelverk angivet"
    );
    assert!(parse_text(&questionnaire_text("['2021']", &[("G5", "no")], "")).is_ok());
}

#[test]
fn the_inspector_list_must_not_be_empty() {
    let text = questionnaire_text("[2015]", &[], "").replace("[Anna Lindqvist]", "[]");
    let d = one_error(&text);
    assert_eq!(
        (d.path.as_str(), d.message.as_str()),
        ("inspection.inspectors", "listan över granskare är tom")
    );
}

#[test]
fn an_inspector_given_as_text_is_one_error_and_hides_no_other() {
    let text = questionnaire_text(
        "[2015]",
        &[],
        "action_plan:\n  file: p.yaml\n  recieved: 2025-05-02\n",
    )
    .replace("[Anna Lindqvist]", "Anna Lindqvist");
    let found: Vec<String> = errors(&text).into_iter().map(|d| d.path).collect();
    assert_eq!(
        found,
        [
            "inspection.inspectors",
            "action_plan.recieved",
            "action_plan"
        ]
    );
}

#[test]
fn overrides_need_a_reason_and_a_graded_version() {
    let base = questionnaire_text("[2021]", &[], "");
    let with = |o: &str| base.replace("  D:\n", &format!("  D:\n    override:\n{o}"));
    let d = one_error(&with("      2021: {grade: B}\n"));
    assert_eq!(
        (d.path.as_str(), d.message.as_str()),
        ("areas.D.override.2021", "nyckeln ”reason” saknas")
    );
    let d = one_error(&with("      2021: {grade: B, reason: '  '}\n"));
    assert_eq!(d.message, "texten är tom");
    let d = one_error(&with("      2015: {grade: B, reason: x}\n"));
    assert_eq!(d.message, "2015 graderas inte i denna granskning");
    let d = one_error(&with("      2021: {grade: F, reason: x}\n"));
    assert_eq!(d.message, "okänt betyg: texten ”F”");
    let q = parse_text(&with("      \"2021\": {grade: B, reason: Motiverat.}\n")).unwrap();
    assert_eq!(
        q.area('D').unwrap().overrides[&Version::V2021].grade,
        Grade::B
    );
}

#[test]
fn an_area_with_no_assessed_foreskrift_needs_an_override() {
    let answers: Vec<(&str, &str)> = ["C1", "C2", "C3"]
        .iter()
        .map(|id| (*id, "not_assessed"))
        .collect();
    let d = one_error(
        &questionnaire_text("[2015, 2021]", &answers, "")
            .replace("regulations: [2015, 2021]", "regulations: [2021]"),
    );
    assert!(
        d.message
            .starts_with("ingen föreskrift i område C är bedömd under 2021"),
        "{}",
        d.message
    );
    let text = questionnaire_text("[2021]", &answers, "").replace(
        "  C:\n",
        "  C:\n    override:\n      2021: {grade: B, reason: Bedömt efter besöket.}\n",
    );
    assert!(parse_text(&text).is_ok());
}

#[test]
fn ten_mistakes_give_ten_errors_with_lines() {
    let text = questionnaire_text(
        "[2015, 2021, 2021]",
        &[
            ("A1", "ja"),
            ("B2", "true"),
            ("C1", "{answer: yes, serious: true}"),
            ("D5", "E4"),
        ],
        "",
    )
    .replace("date: 2025-02-12", "date: 2025-13-01")
    .replace("  name: Testenheten\n", "  name: Testenheten\n  namn: x\n")
    .replace("      F2: yes\n", "")
    .replace("      G3: yes\n", "      G3: yes\n      G12: yes\n")
    .replace("[Anna Lindqvist]", "[]");
    let errors = errors(&text);
    assert_eq!(errors.len(), 10, "{errors:#?}");
    assert!(
        errors
            .iter()
            .all(|d| d.line > 0 && d.column > 0 && !d.path.is_empty())
    );
}

#[test]
fn an_action_plan_reference_is_read() {
    let q = parse_text(&questionnaire_text("[2015]", &[], "action_plan:\n  file: plan.yaml\n  received: 2025-05-02\n  rejected: [{indicator: E4, reason: För vag.}]\n")).unwrap();
    let plan = q.action_plan.unwrap();
    assert_eq!(
        (plan.file.as_str(), plan.rejected[0].indicator.as_str()),
        ("plan.yaml", "E4")
    );
    let d = one_error(&questionnaire_text(
        "[2015]",
        &[],
        "action_plan:\n  file: plan.yaml\n  received: 2024-05-02\n",
    ));
    assert_eq!(d.path, "action_plan.received");
}

#[test]
fn the_survey_is_read_as_counts_per_role() {
    let q = parse_text(&questionnaire_text(
        "[2015]",
        &[],
        "survey:\n  answered: {st_lakare: 10, verksamhetschef: 0}\n  interviewed: {ledning: 3}\n",
    ))
    .unwrap();
    let survey = q.survey.unwrap();
    assert_eq!(
        survey.answered.into_iter().collect::<Vec<_>>(),
        vec![(Role::StLakare, 10), (Role::Verksamhetschef, 0)]
    );
    assert_eq!(survey.asked, None);
    assert_eq!(survey.interviewed.unwrap()[&Role::Ledning], 3);
}

#[test]
fn survey_counts_are_whole_numbers_of_known_roles_and_no_more_than_were_asked() {
    let errors = errors(&questionnaire_text(
        "[2015]",
        &[],
        "survey:\n  answered: {st_lakare: -1, handledare: 2.5, läkare: 3, studierektorer: 3}\n  \
         asked: {studierektorer: 2}\n  interviewed: {ledning: many}\n",
    ));
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|d| (d.path.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("survey.answered.läkare", "okänd nyckel ”läkare”"),
            (
                "survey.answered.st_lakare",
                "här väntades ett antal men det står talet -1"
            ),
            (
                "survey.answered.handledare",
                "här väntades ett antal men det står talet 2.5"
            ),
            (
                "survey.interviewed.ledning",
                "här väntades ett antal men det står texten ”many”"
            ),
        ]
    );
    let d = one_error(&questionnaire_text(
        "[2015]",
        &[],
        "survey:\n  answered: {studierektorer: 3}\n  asked: {studierektorer: 2}\n",
    ));
    assert_eq!(d.path, "survey.asked.studierektorer");
    assert_eq!(
        d.message,
        "3 svar från studierektorer men bara 2 tillfrågade"
    );
    assert_eq!(
        one_error(&questionnaire_text(
            "[2015]",
            &[],
            "survey:\n  asked: {st_lakare: 2}\n"
        ))
        .message,
        "nyckeln ”answered” saknas"
    );
}

#[test]
fn characters_without_a_glyph_are_named() {
    let text = questionnaire_text("[2015]", &[], "").replace("Testenheten", "Test\u{1F600}enheten");
    let errors = parse(&Source::new("t.yaml", text), Catalog::embedded(), &|c| {
        c.is_ascii()
    })
    .unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].message.contains("U+1F600"),
        "{}",
        errors[0].message
    );
}
