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
    let token = spur::service::auth::link_csrf(link.trim_start_matches("/u/"));
    unit.post(
        &format!("{link}/follow-up"),
        &[
            ("csrf", &token),
            ("indicator", indicator),
            ("status", status),
            ("text", text),
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
        !page.contains("Avslutad"),
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
    assert!(page.contains("Avslutad"), "{page}");
    let closed = report(&mut unit, &link, &ids[0], "done", "Igen.");
    assert_eq!(closed.status, 409);
    let seen = unit.get(&format!("{link}/follow-up")).text();
    assert!(seen.contains("Granskningen är avslutad"), "{seen}");
}
