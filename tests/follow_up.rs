//! The follow-up of an accepted plan in the service (SPEC §5, §8.3), over real HTTP
//! against a real `spur serve`: the unit reports on each action through its link, the
//! inspectors confirm or ask for more, the last confirmation closes the inspection,
//! and the exported files give `spur followups` what the pages show.

mod common;

use std::collections::BTreeMap;

use common::web::*;
use common::*;

/// Boo established, its seed plan submitted and accepted; returns (inspection, link).
fn accepted(inspector: &mut Client) -> (String, String) {
    let token = csrf(inspector);
    let up = inspector.upload(
        "/inspections",
        &token,
        "boo.yaml",
        boo_without_plan_text().as_bytes(),
    );
    assert_eq!(up.status, 303, "{}", up.text());
    let inspection = up.header("location").unwrap().to_string();
    let link = establish_with_link(inspector, &inspection);
    let mut unit = Client {
        addr: inspector.addr.clone(),
        cookies: BTreeMap::new(),
    };
    let sent = unit_post(&mut unit, &link, &seed_plan(), "submit");
    assert_eq!(sent.status, 303, "{}", sent.text());
    accept_all(inspector, &inspection);
    (inspection, link)
}

/// The indicators of the seed plan, in its order.
fn actions() -> Vec<String> {
    seed_plan()
        .iter()
        .filter_map(|(k, _)| k.strip_suffix(".action").map(String::from))
        .collect()
}

fn report(unit: &mut Client, link: &str, indicator: &str, status: &str, text: &str) -> Reply {
    let token = spur_service::auth::link_csrf(link.trim_start_matches("/u/"));
    unit.post(
        &format!("{link}/follow-up"),
        &[
            ("csrf", &token),
            ("indicator", indicator),
            (&format!("status-{indicator}"), status),
            (&format!("text-{indicator}"), text),
        ],
    )
}

fn answer(inspector: &mut Client, inspection: &str, pairs: &[(&str, &str)]) -> Reply {
    let token = csrf(inspector);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(pairs);
    inspector.post(&format!("{inspection}/follow-up"), &all)
}

#[test]
fn the_last_confirmation_closes_the_inspection_and_the_files_say_the_same() {
    let (_server, mut inspector) = with_admin();
    let (inspection, link) = accepted(&mut inspector);
    let mut unit = Client {
        addr: inspector.addr.clone(),
        cookies: BTreeMap::new(),
    };
    // The link now opens the follow-up.
    let opened = unit.get(&link);
    assert_eq!(opened.status, 303);
    assert_eq!(
        opened.header("location"),
        Some(format!("{link}/follow-up").as_str())
    );
    let ids = actions();
    assert_eq!(ids.len(), 7);

    // A report needs a status and a text; given back otherwise.
    let none = report(&mut unit, &link, &ids[0], "", "Något.");
    assert_eq!(none.status, 422);
    assert!(none.text().contains("Välj Genomförd eller Pågår."));
    let empty = report(&mut unit, &link, &ids[0], "done", " ");
    assert_eq!(empty.status, 422);
    assert_eq!(report(&mut unit, &link, "A1", "done", "x").status, 404);

    // Not confirmed while only ongoing; more asked with a reason the unit sees.
    let first = &ids[0];
    assert_eq!(
        report(
            &mut unit,
            &link,
            first,
            "ongoing",
            "Checklistan är på remiss."
        )
        .status,
        303
    );
    let early = answer(&mut inspector, &inspection, &[("indicator", first)]);
    assert_eq!(early.status, 409, "{}", early.text());
    assert!(early.text().contains("rapporterat den som genomförd"));
    let no_reason = answer(
        &mut inspector,
        &inspection,
        &[("indicator", first), ("more", "1"), ("reason", " ")],
    );
    assert_eq!(no_reason.status, 409);
    let more = answer(
        &mut inspector,
        &inspection,
        &[
            ("indicator", first),
            ("more", "1"),
            ("reason", "Skicka <b>checklistan</b>."),
        ],
    );
    assert_eq!(more.status, 303, "{}", more.text());
    let page = unit.get(&format!("{link}/follow-up")).text();
    assert!(
        page.contains("Granskarna vill veta mer:</strong> Skicka &lt;b&gt;checklistan&lt;/b&gt;."),
        "{page}"
    );

    for id in &ids {
        let text = format!("Åtgärden för {id} är genomförd.\nProtokoll finns.");
        assert_eq!(report(&mut unit, &link, id, "done", &text).status, 303);
    }
    for id in &ids[..6] {
        let r = answer(&mut inspector, &inspection, &[("indicator", id)]);
        assert_eq!(r.status, 303, "{}", r.text());
    }
    let page = inspector.get(&inspection).text();
    assert!(page.contains("Uppföljning"), "{page}");
    assert!(
        !page.contains("Avslutad</span>")
            && page.contains("<span class=\"tag\">Uppföljning</span>"),
        "not closed before the last: {page}"
    );

    // The exported files give `spur followups` the same reports and confirmations.
    let dir = tempfile::tempdir().unwrap();
    let q = inspector.get(&format!("{inspection}/questionnaire.yaml"));
    let plan = inspector.get(&format!("{inspection}/plan.yaml"));
    std::fs::write(dir.path().join("questionnaire.yaml"), &q.body).unwrap();
    std::fs::write(dir.path().join("plan.yaml"), &plan.body).unwrap();
    let o = spur([
        "followups".as_ref(),
        dir.path().join("questionnaire.yaml").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    let today = chrono::Local::now().date_naive().to_string();
    for item in items {
        let id = item["indicator"].as_str().unwrap();
        let reports = item["reports"].as_array().unwrap();
        let latest = reports.last().unwrap();
        assert_eq!(latest["status"], "done");
        assert_eq!(
            latest["text"],
            format!("Åtgärden för {id} är genomförd.\nProtokoll finns.")
        );
        let confirmed = item["confirmed"].as_str();
        assert_eq!(confirmed.is_some(), id != ids[6], "{id}: {item}");
        if let Some(day) = confirmed {
            assert_eq!(day, today);
            assert!(page.contains(&format!("Bekräftad {day}")));
        }
    }
    assert_eq!(
        items.iter().find(|i| i["indicator"] == *first).unwrap()["reports"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let last = answer(&mut inspector, &inspection, &[("indicator", &ids[6])]);
    assert_eq!(last.status, 303, "{}", last.text());
    let page = inspector.get(&inspection).text();
    assert!(page.contains("Avslutad</span>"), "{page}");
    let closed = report(&mut unit, &link, &ids[0], "done", "Igen.");
    assert_eq!(closed.status, 409);
    let seen = unit.get(&format!("{link}/follow-up")).text();
    assert!(seen.contains("Granskningen är avslutad"), "{seen}");
}

/// Boo's questionnaire as the CLI's files have it, with `lines` added to its
/// `action_plan` block.
fn boo_files(lines: &str) -> String {
    let text = std::fs::read_to_string(fixture("boo-vardcentral.yaml")).unwrap();
    let received = "  received: 2025-05-02\n";
    assert!(text.contains(received));
    text.replacen(received, &format!("{received}{lines}"), 1)
}

/// Boo's plan file with a follow-up report added to the entry of each of `done`.
fn plan_with_reports(done: &[&str]) -> String {
    let mut text = std::fs::read_to_string(fixture("boo-vardcentral-handlingsplan.yaml")).unwrap();
    for id in done {
        let at = text.find(&format!("  - indicator: {id}\n")).unwrap();
        let end = text[at + 1..]
            .find("  - indicator:")
            .map_or(text.len(), |n| at + 1 + n);
        let report = format!(
            "    reports:\n      - date: 2026-06-02\n        status: done\n        text: \"Åtgärden för {id} är genomförd.\"\n"
        );
        text.insert_str(end, &report);
    }
    text
}

/// Uploads a questionnaire with `action_plan` and its plan, as work begun outside the
/// service; returns the reply.
fn import(inspector: &mut Client, questionnaire: &str, plan: &str) -> Reply {
    let token = csrf(inspector);
    inspector.upload_files(
        "/inspections",
        &token,
        &[
            ("file", "boo-vardcentral.yaml", questionnaire.as_bytes()),
            (
                "plan",
                "boo-vardcentral-handlingsplan.yaml",
                plan.as_bytes(),
            ),
        ],
    )
}

/// `spur followups --format json` of a questionnaire and its plan, written to `dir`.
fn followups(dir: &std::path::Path, questionnaire: &[u8], plan: &[u8]) -> serde_json::Value {
    std::fs::write(dir.join("q.yaml"), questionnaire).unwrap();
    let named = String::from_utf8(questionnaire.to_vec()).unwrap();
    let file = named
        .lines()
        .find_map(|l| l.trim().strip_prefix("file: "))
        .unwrap()
        .trim_matches('"')
        .to_string();
    std::fs::write(dir.join(file), plan).unwrap();
    let o = spur([
        "followups".as_ref(),
        dir.join("q.yaml").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn files_with_a_plan_start_at_the_stage_they_reached() {
    let (_server, mut inspector) = with_admin();
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read_to_string(fixture("boo-vardcentral-handlingsplan.yaml")).unwrap();

    // A questionnaire with `action_plan` needs its plan beside it, and a plan needs one.
    let token = csrf(&mut inspector);
    let alone = inspector.upload("/inspections", &token, "boo.yaml", boo_files("").as_bytes());
    assert_eq!(alone.status, 422);
    assert!(
        alone.text().contains("boo-vardcentral-handlingsplan.yaml")
            && alone.text().contains("”Handlingsplan”"),
        "{}",
        alone.text()
    );
    let stray = import(&mut inspector, &boo_without_plan_text(), &plan);
    assert_eq!(stray.status, 422);
    assert!(
        stray
            .text()
            .contains("bara med ett frågeformulär som säger att planen har kommit in")
    );

    // Received, not yet reviewed: the review is next. The established report is the
    // one `spur render` gives without the plan; once accepted, the final one is the
    // one it gives with it.
    let up = import(&mut inspector, &boo_files(""), &plan);
    assert_eq!(up.status, 303, "{}", up.text());
    let inspection = up.header("location").unwrap().to_string();
    let page = inspector.get(&inspection).text();
    assert!(
        page.contains("Väntar på granskarna: granska handlingsplanen"),
        "{page}"
    );
    assert!(page.contains("Inläst från filerna"), "{page}");
    let render = |input: &std::path::Path, name: &str| {
        let out = dir.path().join(name);
        let o = spur([
            "render".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        std::fs::read(out).unwrap()
    };
    let established = render(&boo_without_plan(dir.path()), "fastställd.pdf");
    assert!(inspector.get(&format!("{inspection}/report.pdf")).body == established);
    accept_all(&mut inspector, &inspection);
    let accepted = render(
        &copy_fixture("boo-vardcentral.yaml", dir.path()),
        "slutlig.pdf",
    );
    assert!(inspector.get(&format!("{inspection}/report.pdf")).body == accepted);

    // Returned: the unit's link shows the rejection at the top, the rest read-only.
    let rejected = "  rejected: [{indicator: E4, reason: \"Tidplan för handledarna saknas.\"}]\n";
    let up = import(&mut inspector, &boo_files(rejected), &plan);
    assert_eq!(up.status, 303, "{}", up.text());
    let inspection = up.header("location").unwrap().to_string();
    let link = new_link(&mut inspector, &inspection);
    let mut unit = Client {
        addr: inspector.addr.clone(),
        cookies: BTreeMap::new(),
    };
    let tasks = unit.get(&link).text();
    assert!(
        tasks.contains("Granskarna har lämnat tillbaka planen")
            && tasks.contains("Tidplan för handledarna saknas."),
        "{tasks}"
    );
    assert!(
        !unit
            .get(&format!("{link}/items/D6"))
            .text()
            .contains("<textarea")
    );
    assert!(
        unit.get(&format!("{link}/items/E4"))
            .text()
            .contains("<textarea")
    );

    // Followed up: in the follow-up, or closed when every action is confirmed; the
    // exported files give `spur followups` exactly what the uploaded ones give.
    let ids = actions();
    let some = plan_with_reports(&["D6", "E1"]);
    let q = boo_files("  confirmed: [{indicator: D6, date: 2026-06-10}]\n");
    let every = plan_with_reports(&ids.iter().map(String::as_str).collect::<Vec<_>>());
    let all_confirmed: Vec<String> = ids
        .iter()
        .map(|id| format!("{{indicator: {id}, date: 2026-06-10}}"))
        .collect();
    let closed = boo_files(&format!("  confirmed: [{}]\n", all_confirmed.join(", ")));
    let stages = [
        (
            q,
            some,
            "Uppföljning</span> Väntar på granskarna: bekräfta eller be om mer, en rapport från enheten.",
        ),
        (
            closed,
            every,
            "Avslutad</span> Avslutad: varje åtgärd är bekräftad",
        ),
    ];
    for (questionnaire, plan, stage) in stages {
        let up = import(&mut inspector, &questionnaire, &plan);
        assert_eq!(up.status, 303, "{}", up.text());
        let inspection = up.header("location").unwrap().to_string();
        let page = inspector.get(&inspection).text();
        assert!(page.contains(stage), "{stage}: {page}");
        let uploaded = followups(dir.path(), questionnaire.as_bytes(), plan.as_bytes());
        let exported = followups(
            dir.path(),
            &inspector
                .get(&format!("{inspection}/questionnaire.yaml"))
                .body,
            &inspector.get(&format!("{inspection}/plan.yaml")).body,
        );
        assert_eq!(uploaded["items"], exported["items"], "{stage}");
        assert_eq!(uploaded["closed"], exported["closed"], "{stage}");
        // A closed inspection is listed as closed, its actions no more.
        let listed = if stage.starts_with("Avslutad</span>") {
            &uploaded["closed"]
        } else {
            &uploaded["items"]
        };
        let expected = if stage.starts_with("Avslutad</span>") {
            "Boo Vårdcentral"
        } else {
            "Åtgärden för D6 är genomförd."
        };
        assert!(listed.to_string().contains(expected), "{stage}: {listed}");
    }
}

/// The day of event `key` in an inspection's calendar.
fn event_day(ics: &str, key: &str) -> chrono::NaiveDate {
    let event = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains(&format!("-{key}@")))
        .unwrap_or_else(|| panic!("{key} saknas i kalendern"));
    let line = event.lines().find(|l| l.starts_with("DTSTART")).unwrap();
    chrono::NaiveDate::parse_from_str(line.rsplit(':').next().unwrap().trim(), "%Y%m%d").unwrap()
}

#[test]
fn each_stage_offers_only_what_it_allows() {
    let (server, mut inspector) = with_admin();
    let mut unit = Client {
        addr: inspector.addr.clone(),
        cookies: BTreeMap::new(),
    };
    // A link made during Utkast shows nothing of the inspectors' draft.
    let token = csrf(&mut inspector);
    let up = inspector.upload(
        "/inspections",
        &token,
        "boo.yaml",
        boo_without_plan_text().as_bytes(),
    );
    let draft = up.header("location").unwrap().to_string();
    let early = new_link(&mut inspector, &draft);
    assert_eq!(unit.get(&format!("{early}/report.pdf")).status, 404);
    assert!(
        inspector
            .get(&draft)
            .text()
            .contains(">Rapportutkast (PDF)<")
    );
    // The fact-check's days are the inspectors' choice, checked.
    let refused = post_csrf(
        &mut inspector,
        &format!("{draft}/fact-check"),
        &[("days", "tre")],
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused.text().contains("ett heltal från 1 till 60"),
        "{}",
        refused.text()
    );
    let sent = post_csrf(
        &mut inspector,
        &format!("{draft}/fact-check"),
        &[("days", "21")],
    );
    assert_eq!(sent.status, 303, "{}", sent.text());
    let page = inspector.get(&draft).text();
    let due = chrono::Local::now().date_naive() + chrono::Duration::days(21);
    assert!(page.contains(&format!("till och med {due}")), "{page}");
    assert!(page.contains(">Preliminär rapport (PDF)<"), "{page}");
    assert_eq!(unit.get(&format!("{early}/report.pdf")).status, 200);

    // Accepted and followed up.
    let (inspection, link) = accepted(&mut inspector);
    assert!(
        inspector
            .get(&inspection)
            .text()
            .contains(">Slutlig rapport (PDF)<")
    );
    let ids = actions();
    let contact = post_csrf(
        &mut inspector,
        &format!("{inspection}/contacts"),
        &[
            ("name", "Eva"),
            ("role", "studierektor"),
            ("email", "eva@boo.example.se"),
        ],
    );
    assert_eq!(contact.status, 303, "{}", contact.text());
    // Reported as ongoing, an action is not offered for confirmation.
    assert_eq!(
        report(&mut unit, &link, &ids[0], "ongoing", "På gång.").status,
        303
    );
    let page = inspector.get(&inspection).text();
    assert!(
        !page.contains(&format!("Bekräfta {} som genomförd", ids[0])),
        "{page}"
    );
    assert!(page.contains("kan bekräftas när enheten har rapporterat den som genomförd"));
    // Reported done, the unit is reminded of neither its deadline nor its follow-up.
    assert_eq!(
        report(&mut unit, &link, &ids[1], "done", "Klart.").status,
        303
    );
    let ics = inspector.get(&format!("{inspection}/calendar.ics")).text();
    let db = spur_service::Db::open(&server.db).unwrap();
    for id in [&ids[0], &ids[1]] {
        for key in [format!("deadline-{id}"), format!("follow-up-{id}")] {
            let day = event_day(&ics, &key);
            spur_service::mail::remind(&db, day - chrono::Duration::days(3)).unwrap();
        }
    }
    let events: Vec<String> = db
        .read_now(|c| {
            let mut s =
                c.prepare("SELECT DISTINCT event FROM outbox WHERE event LIKE '%:reminder:%'")?;
            let rows = s.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<Vec<String>>>()
                .map_err(spur_service::DbError::from)
        })
        .unwrap();
    let reminded = |key: &str| events.iter().any(|e| e.contains(&format!(":{key}:")));
    assert!(reminded(&format!("deadline-{}", ids[0])), "{events:?}");
    assert!(reminded(&format!("follow-up-{}", ids[0])), "{events:?}");
    assert!(!reminded(&format!("deadline-{}", ids[1])), "{events:?}");
    assert!(!reminded(&format!("follow-up-{}", ids[1])), "{events:?}");
    // A link made in the follow-up lasts to the last follow-up and a month more.
    let link = new_link(&mut inspector, &inspection);
    let last = ids
        .iter()
        .map(|id| event_day(&ics, &format!("follow-up-{id}")))
        .max()
        .unwrap();
    let until: String = db
        .read_now(|c| {
            c.query_row("SELECT max(valid_until) FROM links", [], |r| r.get(0))
                .map_err(spur_service::DbError::from)
        })
        .unwrap();
    assert!(
        until >= (last + chrono::Duration::days(30)).to_string(),
        "{until} {last}"
    );

    // Avslutad is read-only: no "Öppna igen", and a forged one refused.
    for id in &ids {
        assert_eq!(report(&mut unit, &link, id, "done", "Klart.").status, 303);
        let r = answer(&mut inspector, &inspection, &[("indicator", id)]);
        assert_eq!(r.status, 303, "{}", r.text());
    }
    let page = inspector.get(&inspection).text();
    assert!(page.contains("Avslutad</span>"), "{page}");
    assert!(!page.contains("reopen-report"), "{page}");
    let forged = post_csrf(
        &mut inspector,
        &format!("{inspection}/reopen-report"),
        &[("reason", "Vill ändra.")],
    );
    assert_eq!(forged.status, 409, "{}", forged.text());
}
