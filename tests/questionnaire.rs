//! The questionnaire written in the browser's pages (SPEC §8.4), over real HTTP against
//! a real `spur serve`: Boo written page by page gives the PDF `spur render` gives;
//! two inspectors saving at once lose nothing; the problems at the fields are those of
//! `spur check` of the exported file; the history keeps every save.

mod common;

use common::corpus;
use common::web::*;
use common::*;
use spur_core::catalog::Catalog;
use spur_core::diagnostic::Source;
use spur_core::questionnaire::Questionnaire;
use spur_cycle::draft::{Draft, Field, Page};

/// Boo without its plan, as the model the pages are filled from.
fn boo() -> Questionnaire {
    let source = Source::new("boo.yaml", boo_without_plan_text());
    spur_core::questionnaire::parse(&source, Catalog::embedded(), &|_| true).unwrap()
}

#[test]
fn boo_written_page_by_page_gives_the_pdf_spur_render_gives() {
    let (_server, mut inspector) = with_admin();
    let inspection = start_draft(&mut inspector);
    let overview = inspector.get(&format!("{inspection}/questionnaire")).text();
    assert_eq!(overview.matches("Ej påbörjad").count(), 11, "{overview}");

    fill(&mut inspector, &inspection, &Draft::from(&boo()));

    let overview = inspector.get(&format!("{inspection}/questionnaire")).text();
    assert!(
        overview.contains("Frågeformuläret har inga fel"),
        "{overview}"
    );
    // A valid questionnaire has its inspection's page, which leads back to the pages.
    let page = inspector.get(&inspection).text();
    assert!(
        page.contains(&format!("href=\"{inspection}/questionnaire\"")),
        "{page}"
    );
    assert_eq!(overview.matches(">Klar<").count(), 11, "{overview}");
    let area = inspector
        .get(&format!("{inspection}/questionnaire/e"))
        .text();
    assert!(area.contains("Områdets gradering just nu"), "{area}");
    assert!(area.contains("Enligt 2021: D"), "{area}");

    let exported = inspector.get(&format!("{inspection}/questionnaire.yaml"));
    assert_eq!(exported.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("questionnaire.yaml");
    std::fs::write(&file, &exported.body).unwrap();
    assert_eq!(
        String::from_utf8(exported.body.clone()).unwrap(),
        boo_without_plan_text(),
        "the pages write the questionnaire in spur's own layout"
    );
    // The exported file uploaded again is the same questionnaire.
    let token = csrf(&mut inspector);
    let up = inspector.upload(
        &format!("{inspection}/questionnaire"),
        &token,
        "q.yaml",
        &exported.body,
    );
    assert_eq!(up.status, 303, "{}", up.text());
    let again = inspector.get(&format!("{inspection}/questionnaire.yaml"));
    assert!(
        again.body == exported.body,
        "export, upload, export changed the file"
    );

    let pdf = inspector.get(&format!("{inspection}/report.pdf"));
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    let out = dir.path().join("boo.pdf");
    let boo_file = boo_without_plan(dir.path());
    let o = spur([
        "render".as_ref(),
        "--draft".as_ref(),
        boo_file.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        std::fs::read(&out).unwrap() == pdf.body,
        "the PDF of the pages differs from spur render of Boo"
    );
}

#[test]
fn problems_are_shown_at_their_fields_as_spur_check_finds_them() {
    let (_server, mut inspector) = with_admin();
    let inspection = start_draft(&mut inspector);
    let mut draft = Draft::from(&boo());
    draft.set_text(Field::Date, "12 februari");
    draft.set_text(Field::Answer("D6".into()), "");
    draft.set_text(
        Field::Count(
            spur_cycle::draft::Tally::Answered,
            spur_core::questionnaire::Role::Handledare,
        ),
        "tolv",
    );
    fill(&mut inspector, &inspection, &draft);

    let unit = inspector
        .get(&format!("{inspection}/questionnaire/unit"))
        .text();
    assert!(unit.contains("href=\"#date\""), "{unit}");
    assert!(unit.contains("id=\"date-fel\""), "{unit}");
    assert!(
        unit.contains("value=\"12 februari\""),
        "the text stays as typed: {unit}"
    );
    let d = inspector
        .get(&format!("{inspection}/questionnaire/d"))
        .text();
    assert!(d.contains("href=\"#D6-answer\""), "{d}");
    let overview = inspector.get(&format!("{inspection}/questionnaire")).text();
    assert!(overview.contains("Fel att rätta"), "{overview}");
    assert!(
        overview.contains("/questionnaire/survey#answered-handledare"),
        "{overview}"
    );

    // The exported file gives `spur check` the same problems, at the same paths.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("questionnaire.yaml");
    let exported = inspector.get(&format!("{inspection}/questionnaire.yaml"));
    std::fs::write(&file, &exported.body).unwrap();
    let o = spur(["check".as_ref(), file.as_os_str()]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let said = stderr(&o);
    for path in [
        "inspection.date",
        "areas.D.answers.D6",
        "survey.answered.handledare",
    ] {
        assert!(said.contains(path), "{path}: {said}");
    }
    let listed = overview.matches("<li><a href=\"/inspections/").count();
    let errors = said.matches("error").count() + said.matches("fel:").count();
    assert!(listed >= 3 && errors >= 3, "{listed} {errors}: {said}");

    // The inspection's own page is its home all the same: the stages, what is left,
    // the questionnaire's pages, and the people.
    let page = inspector.get(&inspection);
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("aria-current=\"step\">Utkast"), "{text}");
    assert!(
        text.contains("saker återstår att fylla i eller rätta"),
        "{text}"
    );
    assert!(
        text.contains(&format!("href=\"{inspection}/questionnaire\"")),
        "{text}"
    );
    assert!(text.contains("Lägg till medgranskare"), "{text}");
    assert!(text.contains("Lägg till kontaktperson"), "{text}");
}

#[test]
fn two_inspectors_at_once_lose_nothing() {
    let (server, mut anna) = with_admin();
    let inspection = start_draft(&mut anna);
    let draft = Draft::from(&boo());
    fill(&mut anna, &inspection, &draft);
    let token = csrf(&mut anna);
    let added = anna.post(
        &format!("{inspection}/members"),
        &[("csrf", &token), ("email", "per@example.se")],
    );
    assert_eq!(added.status, 422, "no account yet: {}", added.text());
    add_account(&server, "per@example.se", "Per Ekström");
    let added = anna.post(
        &format!("{inspection}/members"),
        &[("csrf", &token), ("email", "per@example.se")],
    );
    assert_eq!(added.status, 303, "{}", added.text());
    let mut per = Client::new(&server);
    assert_eq!(per.login("per@example.se", PASSWORD).status, 303);

    // Both open area E from the same version.
    let path = format!("{inspection}/questionnaire/e");
    let anna_page = anna.get(&path);
    let per_page = per.get(&path);
    assert_eq!(anna_page.hidden("version"), per_page.hidden("version"));

    let mut annas = draft.clone();
    annas.set_text(Field::Findings('E'), "Annas iakttagelser.");
    annas.set_text(Field::Comment("E4".into()), "Annas kommentar om E4.");
    let mut pers = draft.clone();
    pers.set_text(Field::Comment("E2".into()), "Pers kommentar om E2.");
    pers.set_text(Field::Comment("E4".into()), "Pers kommentar om E4.");

    let page = Page::Area('E');
    assert_eq!(
        post_pairs(&mut anna, &path, &page_form(page, &annas, &anna_page, &[])).status,
        303
    );
    assert_eq!(
        post_pairs(&mut per, &path, &page_form(page, &pers, &per_page, &[])).status,
        303
    );

    // Fields only one of them changed are merged; E4, changed by both, keeps both.
    let after = anna.get(&path);
    let text = after.text();
    assert!(text.contains("Annas iakttagelser."), "{text}");
    assert!(text.contains("Pers kommentar om E2."), "{text}");
    assert!(text.contains("Annas kommentar om E4."), "{text}");
    assert!(text.contains("Pers kommentar om E4."), "{text}");
    assert!(
        text.contains("sparade en annan text här samtidigt"),
        "{text}"
    );
    let overview = anna.get(&format!("{inspection}/questionnaire")).text();
    assert!(
        overview.contains("Kommentar till E4 har två texter"),
        "{overview}"
    );

    // Per saves E4 again, from a page opened after the conflict: Anna's choice on her
    // older page would put back a text older than his, so it is refused, and what she
    // typed beside it is kept.
    let conflict = after.hidden("use-theirs");
    let per_again = per.get(&path);
    pers.set_text(Field::Findings('E'), "Annas iakttagelser.");
    pers.set_text(Field::Comment("E4".into()), "Pers nyaste text om E4.");
    assert_eq!(
        post_pairs(&mut per, &path, &page_form(page, &pers, &per_again, &[])).status,
        303
    );
    annas.set_text(Field::Findings('E'), "Annas nya iakttagelser.");
    let stale = post_pairs(
        &mut anna,
        &path,
        &page_form(page, &annas, &after, &[("use-theirs", &conflict)]),
    );
    assert_eq!(stale.status, 409, "{}", stale.text());
    let text = stale.text();
    assert!(
        text.contains("Valet mellan texterna gjordes inte"),
        "{text}"
    );
    assert!(text.contains("Pers nyaste text om E4."), "{text}");
    assert!(text.contains("Annas nya iakttagelser."), "{text}");
    assert!(
        text.contains("sparade en annan text här samtidigt"),
        "the choice is still to be made: {text}"
    );

    // Anna chooses Per's text on a page that shows the pair as it stands; the field then
    // holds it, and the choice is kept.
    let after = anna.get(&path);
    let mut annas = annas.clone();
    annas.set_text(Field::Comment("E4".into()), "Pers nyaste text om E4.");
    let chosen = post_pairs(
        &mut anna,
        &path,
        &page_form(page, &annas, &after, &[("use-theirs", &conflict)]),
    );
    assert_eq!(chosen.status, 303, "{}", chosen.text());
    let text = anna.get(&path).text();
    assert!(
        !text.contains("sparade en annan text här samtidigt"),
        "{text}"
    );
    assert!(text.contains("Pers kommentar om E4."), "{text}");
    assert!(text.contains("Annas nya iakttagelser."), "{text}");

    // Every save is in the history: Anna's eleven pages, her save, Per's two, Anna's
    // refused choice (her other change kept), the choice.
    let overview = anna.get(&format!("{inspection}/questionnaire")).text();
    let saves = overview
        .matches("<td data-label=\"Vad\">sparad i formuläret</td>")
        .count();
    assert_eq!(saves, 1 + 11 + 4, "{overview}");
    assert_eq!(
        overview
            .matches("<td data-label=\"Vad\">val mellan två texter</td>")
            .count(),
        1
    );
}

#[test]
fn the_script_saves_only_what_changed_and_never_an_older_text() {
    let (_server, mut anna) = with_admin();
    let inspection = start_draft(&mut anna);
    let draft = Draft::from(&boo());
    fill(&mut anna, &inspection, &draft);
    let path = format!("{inspection}/questionnaire/e");
    let page = anna.get(&path);

    // Another save changes E2's comment after this page was opened.
    let mut other = draft.clone();
    other.set_text(Field::Comment("E2".into()), "Ändrad av någon annan.");
    assert_eq!(
        post_pairs(
            &mut anna,
            &path,
            &page_form(Page::Area('E'), &other, &page, &[])
        )
        .status,
        303
    );

    // The page's script saves E4's comment, naming what it held before; E2 still
    // shows the old text on this page, and is not sent as a change.
    let mut mine = draft.clone();
    mine.set_text(Field::Comment("E4".into()), "Ny kommentar.");
    let bases = serde_json::json!({ "E4-comment": [draft.text(&Field::Comment("E4".into()))] });
    let mut form = page_form(Page::Area('E'), &mine, &page, &[]);
    form.push(("bases".into(), bases.to_string()));
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let reply = anna.send_with(
        "POST",
        &path,
        Some("application/x-www-form-urlencoded"),
        &[("Accept", "application/json")],
        &common::web::form(&borrowed),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let answer: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(answer["others"], true, "{answer}");
    assert_eq!(answer["conflicts"], 0, "{answer}");
    assert!(answer["grades"]["cells"].is_array(), "{answer}");

    let text = anna.get(&path).text();
    assert!(text.contains("Ändrad av någon annan."), "{text}");
    assert!(text.contains("Ny kommentar."), "{text}");
}

#[test]
fn over_long_texts_are_given_back_at_their_field_and_nothing_is_kept() {
    let (_server, mut anna) = with_admin();
    let inspection = start_draft(&mut anna);
    let path = format!("{inspection}/questionnaire/unit");
    let page = anna.get(&path);
    let mut draft = Draft::new();
    draft.set_text(Field::Name, "x".repeat(201));
    draft.set_text(Field::Description, "Verksamheten som den skrevs.");
    let reply = post_pairs(&mut anna, &path, &page_form(Page::Unit, &draft, &page, &[]));
    assert_eq!(reply.status, 422);
    let text = reply.text();
    assert!(text.contains("href=\"#unit-name\""), "{text}");
    assert!(text.contains("högst 200 tecken"), "{text}");
    assert!(text.contains("Verksamheten som den skrevs."), "{text}");
    let overview = anna.get(&format!("{inspection}/questionnaire")).text();
    assert_eq!(
        overview
            .matches("<td data-label=\"Vad\">sparad i formuläret</td>")
            .count(),
        1,
        "{overview}"
    );
}

#[test]
fn hostile_text_comes_back_as_text_in_the_pages_and_the_file() {
    let (_server, mut anna) = with_admin();
    let inspection = start_draft(&mut anna);
    let mut draft = Draft::from(&boo());
    let hostile = "<script>alert(1)</script> \"' {{ x }} #read(\"/etc/passwd\")";
    draft.set_text(Field::Name, hostile);
    draft.set_text(
        Field::Comment("D6".into()),
        format!("\n{hostile}\n  indraget"),
    );
    fill(&mut anna, &inspection, &draft);
    let unit = anna.get(&format!("{inspection}/questionnaire/unit")).text();
    assert!(!unit.contains("<script>alert"), "{unit}");
    assert!(
        unit.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{unit}"
    );
    let d = anna.get(&format!("{inspection}/questionnaire/d")).text();
    assert!(
        d.contains("\n\n&lt;script&gt;"),
        "the leading line break is kept: {d}"
    );
    let file = anna.get(&format!("{inspection}/questionnaire.yaml"));
    let source = Source::new("q.yaml", String::from_utf8(file.body).unwrap());
    let q = spur_core::questionnaire::parse(&source, Catalog::embedded(), &|_| true).unwrap();
    assert_eq!(q.unit.name, hostile);
}

#[test]
fn another_inspectors_questionnaire_is_not_found_and_the_refusal_logged() {
    let (server, mut anna) = with_admin();
    let inspection = start_draft(&mut anna);
    add_account(&server, "per@example.se", "Per Ekström");
    let mut per = Client::new(&server);
    assert_eq!(per.login("per@example.se", PASSWORD).status, 303);
    for path in [
        format!("{inspection}/questionnaire"),
        format!("{inspection}/questionnaire/unit"),
        format!("{inspection}/questionnaire/e"),
    ] {
        assert_eq!(per.get(&path).status, 404, "{path}");
    }
    let token = csrf(&mut per);
    let reply = per.post(
        &format!("{inspection}/questionnaire/unit"),
        &[("csrf", &token), ("version", "1"), ("unit-name", "Kapad")],
    );
    assert_eq!(reply.status, 404);
    assert_eq!(
        anna.get(&format!("{inspection}/questionnaire/i")).status,
        404
    );
    assert_eq!(
        anna.get(&format!("{inspection}/questionnaire/../unit"))
            .status,
        404
    );
    // A version of another inspection is not this page's.
    let other = start_draft(&mut anna);
    let page = anna.get(&format!("{other}/questionnaire/unit"));
    let foreign = anna.post(
        &format!("{inspection}/questionnaire/unit"),
        &[
            ("csrf", &page.hidden("csrf")),
            ("version", &page.hidden("version")),
            ("unit-name", "X"),
        ],
    );
    assert_eq!(foreign.status, 400, "{}", foreign.text());
    let text = anna.get(&inspection).text();
    let log = anna.get(&format!("{inspection}/questionnaire")).text();
    assert!(!log.contains("Kapad") && !text.contains("Kapad"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// One shape, two doors: any generated questionnaire, put in the pages' fields and
    /// written out, reads back as the same model, and the draft as stored reads back
    /// whole.
    #[test]
    fn a_questionnaire_through_the_pages_reads_back_the_same(seed in proptest::prelude::any::<u64>()) {
        let end = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let corpus = corpus::generate(seed, 4, 0, end);
        let catalog = Catalog::embedded();
        let mut seen = 0;
        for (name, bytes) in &corpus.files {
            let source = Source::new(name.clone(), String::from_utf8(bytes.clone()).unwrap());
            let Ok(mut q) = spur_core::questionnaire::parse(&source, catalog, &spur_core::fonts::can_show) else {
                continue;
            };
            q.action_plan = None;
            let draft = Draft::from(&q);
            let json = draft.to_json().unwrap();
            proptest::prop_assert_eq!(&Draft::from_json(&json).unwrap(), &draft);
            let checked = spur_cycle::draft::check(catalog, &draft, name, &spur_core::fonts::can_show);
            let again = checked.outcome.map(|(q, _)| q).map_err(|p| format!("{p:#?}"));
            proptest::prop_assert!(again.as_ref() == Ok(&q), "{}: {:?}", name, again.err());
            seen += 1;
        }
        proptest::prop_assert!(seen >= 4, "{} questionnaires", seen);
    }
}

#[test]
fn every_kept_version_reads_back_as_it_was_saved() {
    let (server, mut anna) = with_admin();
    let uploaded = format!("# Annas egna anteckning.\n{}", boo_without_plan_text());
    let token = csrf(&mut anna);
    let up = anna.upload("/inspections", &token, "boo.yaml", uploaded.as_bytes());
    assert_eq!(up.status, 303, "{}", up.text());
    let inspection = up.header("location").unwrap().to_string();
    let path = format!("{inspection}/questionnaire/unit");
    let shown = anna.get(&path);
    let mut draft = Draft::from(&boo());
    draft.set_text(Field::Name, "Boo Hälsocentral");
    let saved = post_pairs(
        &mut anna,
        &path,
        &page_form(Page::Unit, &draft, &shown, &[]),
    );
    assert_eq!(saved.status, 303, "{}", saved.text());

    let overview = anna.get(&format!("{inspection}/questionnaire")).text();
    let links: Vec<String> = overview
        .match_indices("href=\"/inspections/")
        .map(|(i, m)| {
            overview[i + m.len() - 13..]
                .split('"')
                .next()
                .unwrap()
                .to_string()
        })
        .filter(|l| l.contains("/versions/"))
        .collect();
    assert_eq!(links.len(), 2, "{overview}");
    // Newest first: the form's save in spur's layout, then the upload as uploaded.
    let newest = anna.get(&links[0]);
    assert_eq!(newest.status, 200);
    assert!(newest.text().contains("name: Boo Hälsocentral"));
    let first = anna.get(&links[1]);
    assert!(
        first.body == uploaded.as_bytes(),
        "the upload changed in the history"
    );

    let other = start_draft(&mut anna);
    let foreign = links[1].replace(&inspection, &other);
    assert_eq!(anna.get(&foreign).status, 404);
    assert_eq!(
        anna.get(&format!("{inspection}/versions/abc.yaml")).status,
        404
    );
    add_account(&server, "per@example.se", "Per Ekström");
    let mut per = Client::new(&server);
    assert_eq!(per.login("per@example.se", PASSWORD).status, 303);
    assert_eq!(per.get(&links[1]).status, 404);
}

#[test]
fn several_points_are_added_with_one_save() {
    let (_server, mut anna) = with_admin();
    let inspection = start_draft(&mut anna);
    let path = format!("{inspection}/questionnaire/summary");
    let page = anna.get(&path);
    let text = page.text();
    // Three empty rows for new points in each list, not one.
    assert_eq!(
        text.matches("name=\"strengths\" type=\"text\" value=\"\"")
            .count()
            + text
                .matches("name=\"strengths\" rows=\"2\"></textarea>")
                .count(),
        3,
        "{text}"
    );
    let form = [
        ("csrf", page.hidden("csrf")),
        ("version", page.hidden("version")),
        ("strengths", "Engagerade handledare.".to_string()),
        ("strengths", "Tydliga rutiner för schemat.".to_string()),
        ("strengths", "Bra introduktion.".to_string()),
    ];
    let pairs: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    assert_eq!(post_pairs(&mut anna, &path, &pairs).status, 303);
    let saved = anna.get(&path).text();
    for point in [
        "Engagerade handledare.",
        "Tydliga rutiner för schemat.",
        "Bra introduktion.",
    ] {
        assert!(saved.contains(point), "{point}: {saved}");
    }
}
