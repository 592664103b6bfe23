//! The unit's fact-check of the preliminary report (SPEC §8.3), over real HTTP against
//! a real `spur serve`: the report goes to the unit marked PRELIMINÄR, the unit
//! comments on places in it and submits, the inspectors answer each comment, and only
//! then is the report established; every refusal on the way.

mod common;

use std::collections::BTreeMap;

use common::web::*;
use common::*;

/// A post of the unit's fact-check form, with the link's form token (the same on every
/// page of the link, also once the form is gone).
fn unit_post(unit: &mut Client, link: &str, pairs: &[(&str, &str)]) -> Reply {
    let token = unit_token(link);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(pairs);
    unit.post(&format!("{link}/fact-check"), &all)
}

/// The link's form token, as its pages give it.
fn unit_token(link: &str) -> String {
    spur_service::auth::link_csrf(link.trim_start_matches("/u/"))
}

#[test]
fn comments_are_answered_before_the_report_is_established() {
    let (server, mut inspector) = with_admin();
    let inspection = upload_boo(&mut inspector);
    let establish = |c: &mut Client| {
        post_csrf(
            c,
            &format!("{inspection}/establish"),
            &[("confirmed", "yes")],
        )
    };

    // Not before the fact-check.
    let refused = establish(&mut inspector);
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(
        refused.text().contains("faktagranskning"),
        "{}",
        refused.text()
    );
    let link = new_link(&mut inspector, &inspection);
    let mut unit = Client {
        addr: server.addr.clone(),
        cookies: BTreeMap::new(),
    };
    assert_eq!(unit.get(&format!("{link}/fact-check")).status, 404);

    let sent = post_csrf(&mut inspector, &format!("{inspection}/fact-check"), &[]);
    assert_eq!(sent.status, 303, "{}", sent.text());
    // The page after the action confirms it, and says whose turn it is now.
    let after = inspector.get(sent.header("location").unwrap()).text();
    assert!(
        after.contains("Den preliminära rapporten är skickad till enheten för faktagranskning.")
            && after.contains("Väntar på enheten: faktagranska"),
        "{after}"
    );
    // A key that names no action confirms nothing, and the address shows nothing of it.
    let forged = inspector
        .get(&format!("{inspection}?klart=%3Cscript%3E"))
        .text();
    assert!(
        !forged.contains("confirmation") && !forged.contains("script%3E"),
        "{forged}"
    );
    // The link opens the fact-check, and the report is PRELIMINÄR.
    let opened = unit.get(&link);
    assert_eq!(opened.status, 303);
    assert_eq!(
        opened.header("location"),
        Some(format!("{link}/fact-check").as_str())
    );
    let pdf = unit.get(&format!("{link}/report.pdf"));
    assert_eq!(pdf.status, 200);
    assert!(pdf_text(&pdf.body).matches("PRELIMINÄR").count() >= 2);
    // Not while the unit is reading it.
    let waiting = establish(&mut inspector);
    assert_eq!(waiting.status, 409);
    assert!(
        waiting
            .text()
            .contains("faktagranskar rapporten till och med"),
        "{}",
        waiting.text()
    );

    let form = unit.get(&format!("{link}/fact-check"));
    assert_eq!(form.hidden("csrf"), unit_token(&link));
    // A comment left empty, or with a character the report cannot show, is given back.
    let empty = unit_post(&mut unit, &link, &[("place", "D"), ("text", "  ")]);
    assert_eq!(empty.status, 422);
    assert!(empty.text().contains("Skriv din synpunkt."));
    let bad = unit_post(
        &mut unit,
        &link,
        &[("place", "D"), ("text", "Fel\u{7f} här")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("U+007F"), "{}", bad.text());
    assert!(bad.text().contains("Fel\u{7f} här"), "given back as typed");
    assert_eq!(
        unit_post(&mut unit, &link, &[("place", "I"), ("text", "x")]).status,
        400
    );
    let comment = "Vi har 20 specialister, inte <b>12</b>.";
    let kept = unit_post(&mut unit, &link, &[("place", "summary"), ("text", comment)]);
    assert_eq!(kept.status, 303, "{}", kept.text());
    let second = unit_post(
        &mut unit,
        &link,
        &[("place", "E"), ("text", "E4 stämmer inte.")],
    );
    assert_eq!(second.status, 303);
    // A saved comment can be taken back before sending in: its text comes back to the
    // box, to change and save again.
    let page = unit.get(&format!("{link}/fact-check")).text();
    let at = page
        .rfind("/fact-check/comments/")
        .expect("Ändra eller ta bort");
    let path = page[at..].split('"').next().unwrap();
    let taken = unit.post(&format!("{link}{path}"), &[("csrf", &unit_token(&link))]);
    assert_eq!(taken.status, 200, "{}", taken.text());
    let text = taken.text();
    assert!(text.contains("Synpunkten är tagen tillbaka."), "{text}");
    assert!(text.contains(">\nE4 stämmer inte.</textarea>"), "{text}");
    assert_eq!(
        text.matches("class=\"typed\">E4 stämmer inte.").count(),
        0,
        "{text}"
    );
    let again = unit_post(
        &mut unit,
        &link,
        &[("place", "E"), ("text", "E4 stämmer inte.")],
    );
    assert_eq!(again.status, 303);

    // The inspectors answer only once the unit has submitted.
    let page = inspector.get(&inspection).text();
    assert!(
        page.contains("Vi har 20 specialister, inte &lt;b&gt;12&lt;/b&gt;."),
        "{page}"
    );
    assert!(page.contains("Väntar på enheten: faktagranska"), "{page}");
    let early = post_csrf(
        &mut inspector,
        &format!("{inspection}/fact-check/answer"),
        &[("comment", "1"), ("answer", "corrected")],
    );
    assert_eq!(early.status, 409, "{}", early.text());

    // Sending in cannot be undone: it is asked first, and nothing is sent by asking.
    let asked = unit_post(&mut unit, &link, &[("submit", "1")]);
    assert_eq!(asked.status, 200);
    assert!(
        asked.text().contains("Skicka in faktagranskningen?")
            && asked.text().contains("Ni skickar in era 2 synpunkter"),
        "{}",
        asked.text()
    );
    assert!(
        inspector
            .get(&inspection)
            .text()
            .contains("Väntar på enheten: faktagranska")
    );
    let submitted = unit_post(&mut unit, &link, &[("submit", "1"), ("confirmed", "yes")]);
    assert_eq!(submitted.status, 303);
    let confirmed = unit.get(submitted.header("location").unwrap()).text();
    assert!(
        confirmed.contains("Faktagranskningen är inskickad."),
        "{confirmed}"
    );
    // Sent in: the inspectors' turn, on the list and the page alike.
    for page in [
        inspector.get(&inspection).text(),
        inspector.get("/inspections").text(),
    ] {
        assert!(
            page.contains("Väntar på granskarna: svara på enhetens synpunkter"),
            "{page}"
        );
    }
    let after = unit_post(&mut unit, &link, &[("place", "D"), ("text", "En till.")]);
    assert_eq!(after.status, 409, "{}", after.text());
    assert!(after.text().contains("redan inskickade"));

    let unanswered = establish(&mut inspector);
    assert_eq!(unanswered.status, 409);
    assert!(
        unanswered
            .text()
            .contains("2 av enhetens synpunkter saknar svar"),
        "{}",
        unanswered.text()
    );
    let page = inspector.get(&inspection).text();
    let ids: Vec<String> = page
        .match_indices("name=\"comment\" value=\"")
        .map(|(i, m)| page[i + m.len()..].split('"').next().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2, "{page}");
    let no_reason = post_csrf(
        &mut inspector,
        &format!("{inspection}/fact-check/answer"),
        &[
            ("comment", &ids[1]),
            ("answer", "unchanged"),
            ("reason", " "),
        ],
    );
    assert_eq!(no_reason.status, 409);
    assert!(no_reason.text().contains("Ange varför."));
    let no_choice = post_csrf(
        &mut inspector,
        &format!("{inspection}/fact-check/answer"),
        &[("comment", &ids[1]), ("reason", "x")],
    );
    assert_eq!(no_choice.status, 422);
    for (id, answer, reason) in [
        (&ids[0], "corrected", ""),
        (&ids[1], "unchanged", "E4 bedömdes vid intervjuerna."),
    ] {
        let reply = post_csrf(
            &mut inspector,
            &format!("{inspection}/fact-check/answer"),
            &[("comment", id), ("answer", answer), ("reason", reason)],
        );
        assert_eq!(reply.status, 303, "{}", reply.text());
    }
    // Another inspection's comment is not found through this one.
    let foreign = post_csrf(
        &mut inspector,
        &format!("{inspection}/fact-check/answer"),
        &[("comment", "999"), ("answer", "corrected")],
    );
    assert_eq!(foreign.status, 404);

    let seen = unit.get(&format!("{link}/fact-check")).text();
    assert!(seen.contains("Granskarnas svar: Rättat"), "{seen}");
    assert!(
        seen.contains("Ingen ändring</strong>. E4 bedömdes vid intervjuerna."),
        "{seen}"
    );

    // Establishing can be undone only by reopening: it is asked first, and asking
    // changes nothing.
    let asked = post_csrf(&mut inspector, &format!("{inspection}/establish"), &[]);
    assert_eq!(asked.status, 200);
    assert!(
        asked.text().contains("Fastställa rapporten?"),
        "{}",
        asked.text()
    );
    assert!(
        inspector
            .get(&inspection)
            .text()
            .contains("Faktagranskning</span>")
    );
    let done = establish(&mut inspector);
    assert_eq!(done.status, 303, "{}", done.text());
    let page = inspector.get(&inspection).text();
    for stage in ["Faktagranskning", "Handlingsplan"] {
        assert!(page.contains(stage), "{stage}: {page}");
    }
    // The established report carries no mark; the link now opens the plan.
    let new = new_link(&mut inspector, &inspection);
    let pdf = unit.get(&format!("{new}/report.pdf"));
    let text = pdf_text(&pdf.body);
    assert!(!text.contains("PRELIMINÄR") && !text.contains("UTKAST"));
    assert_eq!(unit.get(&new).status, 200);
}

#[test]
fn a_unit_without_comments_answers_so_and_only_its_own_link_reaches_the_fact_check() {
    let (server, mut inspector) = with_admin();
    let inspection = upload_boo(&mut inspector);
    let other = upload_boo(&mut inspector);
    post_csrf(&mut inspector, &format!("{other}/fact-check"), &[]);
    let other_link = new_link(&mut inspector, &other);
    assert_eq!(
        post_csrf(&mut inspector, &format!("{inspection}/fact-check"), &[]).status,
        303
    );
    let link = new_link(&mut inspector, &inspection);
    let mut unit = Client {
        addr: server.addr.clone(),
        cookies: BTreeMap::new(),
    };
    let page = unit.get(&format!("{link}/fact-check")).text();
    assert!(page.contains("Inga synpunkter"), "{page}");
    // The other link's form token does not work for this link.
    let theirs = unit.get(&format!("{other_link}/fact-check")).hidden("csrf");
    let crossed = unit.post(
        &format!("{link}/fact-check"),
        &[("csrf", &theirs), ("submit", "1"), ("confirmed", "yes")],
    );
    assert_eq!(crossed.status, 403);
    no_comments(&unit, &link);
    let done = post_csrf(
        &mut inspector,
        &format!("{inspection}/establish"),
        &[("confirmed", "yes")],
    );
    assert_eq!(done.status, 303, "{}", done.text());
    // The other inspection is untouched: still waiting for its unit.
    let waiting = post_csrf(
        &mut inspector,
        &format!("{other}/establish"),
        &[("confirmed", "yes")],
    );
    assert_eq!(waiting.status, 409);
    assert_eq!(unit.get("/u/00/fact-check").status, 404);
}

/// The SHA-256 the inspection's page shows for its stored report, and what it names.
fn shown_sha(page: &str) -> (String, String) {
    let at = page
        .find("SHA-256: <code class=\"copy\">")
        .expect("ingen SHA-256 på sidan");
    let sha = page[at..]
        .split('>')
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    let what = page[..at]
        .rsplit("<p>")
        .next()
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    (what.to_string(), sha.to_string())
}

#[test]
fn the_established_report_is_dated_stored_and_served_byte_for_byte() {
    let (server, mut inspector) = with_admin();
    let undated = boo_with(|q| {
        q.inspection.report_date = None;
        q.inspection.plan_due = None;
    });
    let token = csrf(&mut inspector);
    let up = inspector.upload("/inspections", &token, "boo.yaml", undated.as_bytes());
    assert_eq!(up.status, 303, "{}", up.text());
    let inspection = up.header("location").unwrap().to_string();
    let link = establish_with_link(&mut inspector, &inspection);

    // Dated today, with the plan due eight weeks on, as a version of its own.
    let today = chrono::Local::now().date_naive();
    let file = inspector
        .get(&format!("{inspection}/questionnaire.yaml"))
        .text();
    assert!(
        file.contains(&format!("  report_date: {today}\n")),
        "{file}"
    );
    let due = today + chrono::Duration::weeks(8);
    assert!(file.contains(&format!("  plan_due: {due}\n")), "{file}");
    let history = inspector.get(&format!("{inspection}/questionnaire")).text();
    assert!(
        history.contains("rapportens datum satt när den fastställdes"),
        "{history}"
    );

    let page = inspector.get(&inspection).text();
    let (what, sha) = shown_sha(&page);
    assert_eq!(what, "Fastställd rapport");
    let pdf = inspector.get(&format!("{inspection}/report.pdf")).body;
    assert_eq!(spur_service::db::reports::sha256(&pdf), sha);
    let mut unit = Client {
        addr: server.addr.clone(),
        cookies: BTreeMap::new(),
    };
    assert!(unit.get(&format!("{link}/report.pdf")).body == pdf);
    let months = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    use chrono::Datelike;
    let written = format!(
        "Rapportdatum {} {} {}",
        today.day(),
        months[today.month0() as usize],
        today.year()
    );
    let text = normalise(&pdf_text(&pdf));
    assert!(text.contains(&written), "{written}: {text}");

    // The CLI renders the exported file to the same bytes.
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("q.yaml");
    std::fs::write(&exported, &file).unwrap();
    let out = dir.path().join("r.pdf");
    let o = spur([
        "render".as_ref(),
        exported.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        std::fs::read(&out).unwrap() == pdf,
        "spur render of the export differs"
    );
}
