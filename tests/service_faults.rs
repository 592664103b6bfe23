//! The service's faults of issue 15, one test per class, each over real HTTP against a
//! real `spur serve`: the grade table, reviews bound to their plan version, texts the
//! service cannot keep, line breaks, caps, busy databases, links, logins, deep files,
//! the framework's refusals, and new questionnaires after a plan.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::web::*;
use common::*;

fn upload(client: &mut Client, text: &[u8]) -> Reply {
    let token = csrf(client);
    client.upload("/inspections", &token, "q.yaml", text)
}

/// Establishes Boo and makes the unit's link; returns (inspection, link).
fn boo_with_link(inspector: &mut Client) -> (String, String) {
    let inspection = upload_boo(inspector);
    let link = establish_with_link(inspector, &inspection);
    (inspection, link)
}

fn unit_client(server: &Server) -> Client {
    Client {
        addr: server.addr.clone(),
        cookies: BTreeMap::new(),
    }
}

/// The grade cells of the page's table, row by row.
fn page_cells(page: &str) -> Vec<Vec<String>> {
    page.split("<tr>")
        .skip(1)
        .filter(|row| row.contains("class=\"grade\""))
        .map(|row| {
            row.split("<td class=\"grade\"")
                .skip(1)
                .map(|c| {
                    c.split_once('>')
                        .map_or(c, |(_, cell)| cell)
                        .split("</td>")
                        .next()
                        .unwrap()
                        .replace("&gt;", ">")
                        .trim()
                        .to_string()
                })
                .collect()
        })
        .collect()
}

/// The grade cells of `spur grade`'s table, row by row.
fn cli_cells(file: &std::path::Path) -> Vec<Vec<String>> {
    let o = spur(["grade".as_ref(), file.as_os_str()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    text.lines()
        .filter(|l| {
            l.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && l.get(1..3) == Some("  ")
        })
        .take(8)
        .map(|l| {
            let parts: Vec<&str> = l
                .split("  ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            // The letter, the title, then one cell per version.
            parts[2..].iter().map(|s| s.to_string()).collect()
        })
        .collect()
}

#[test]
fn the_grade_table_shows_the_clis_cells_in_order_every_time() {
    let (_server, mut inspector) = with_admin();
    for name in ["medicinkliniken-2021.yaml", "vardcentralen-norrby.yaml"] {
        let text = std::fs::read(fixture(name)).unwrap();
        let reply = upload(&mut inspector, &text);
        assert_eq!(reply.status, 303, "{name}: {}", reply.text());
        let inspection = reply.header("location").unwrap().to_string();
        let expected = cli_cells(&fixture(name));
        assert_eq!(expected.len(), 8, "{name}: {expected:?}");
        for _ in 0..6 {
            assert_eq!(
                page_cells(&inspector.get(&inspection).text()),
                expected,
                "{name}"
            );
        }
    }
    // After the plan is accepted, the page shows the re-grading, as the CLI does.
    let (server, mut inspector) = with_admin();
    let (inspection, link) = boo_with_link(&mut inspector);
    let mut unit = unit_client(&server);
    assert_eq!(
        unit_post(&mut unit, &link, &seed_plan(), "submit").status,
        303
    );
    let version = inspector.get(&inspection).hidden("version");
    assert_eq!(
        review(&mut inspector, &inspection, &version, None).status,
        303
    );
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = inspector.get(&format!("{inspection}/questionnaire.yaml"));
    let plan = inspector.get(&format!("{inspection}/plan.yaml"));
    std::fs::write(dir.path().join("questionnaire.yaml"), &questionnaire.body).unwrap();
    std::fs::write(dir.path().join("plan.yaml"), &plan.body).unwrap();
    let cells = page_cells(&inspector.get(&inspection).text());
    assert!(cells.iter().flatten().any(|c| c == "D → C"), "{cells:?}");
    assert_eq!(cells, cli_cells(&dir.path().join("questionnaire.yaml")));
}

#[test]
fn a_review_counts_only_for_the_plan_version_and_stage_it_was_made_for() {
    let (server, mut inspector) = with_admin();
    let (inspection, link) = boo_with_link(&mut inspector);
    let mut unit = unit_client(&server);
    let plan = seed_plan();
    assert_eq!(unit_post(&mut unit, &link, &plan, "submit").status, 303);
    let first_form = inspector.get(&inspection).hidden("version");
    let ids = plan_ids();
    // A co-inspector returns the plan; the unit changes an action and submits again.
    let returned = review(
        &mut inspector,
        &inspection,
        &first_form,
        Some((&ids[0], "För vag.")),
    );
    assert_eq!(returned.status, 303);
    let mut changed = plan.clone();
    for (k, v) in changed.iter_mut() {
        if *k == format!("{}.action", ids[0]) {
            *v = "En helt ny text som ingen granskare har sett.".into();
        }
    }
    assert_eq!(unit_post(&mut unit, &link, &changed, "submit").status, 303);
    // The first form, made from the old version, accepts: refused, nothing changes.
    let stale = review(&mut inspector, &inspection, &first_form, None);
    assert_eq!(stale.status, 409, "{}", stale.text());
    assert!(
        stale.text().contains("ändrat handlingsplanen"),
        "{}",
        stale.text()
    );
    let page = inspector.get(&inspection).text();
    assert!(
        page.contains("Väntar på granskarna: granska handlingsplanen"),
        "{page}"
    );
    assert!(
        page.contains("name=\"version\""),
        "granskningen ska fortfarande vänta"
    );
    // Two reviews of the same version: the second finds nothing to review.
    let current = inspector.get(&inspection).hidden("version");
    assert_eq!(
        review(&mut inspector, &inspection, &current, None).status,
        303
    );
    let second = review(
        &mut inspector,
        &inspection,
        &current,
        Some((&ids[1], "Nej.")),
    );
    assert_eq!(second.status, 409, "{}", second.text());
    // A review posted while the plan is reopened changes nothing either.
    let reopened = post_csrf(
        &mut inspector,
        &format!("{inspection}/reopen"),
        &[("reason", "Fel datum i D6.")],
    );
    assert_eq!(reopened.status, 303, "{}", reopened.text());
    assert_eq!(
        review(&mut inspector, &inspection, &current, None).status,
        409
    );
    assert!(
        unit.get(&format!("{link}/check"))
            .text()
            .contains("name=\"submit\""),
        "planen ska vara öppen för enheten"
    );
}

#[test]
fn a_character_the_service_cannot_keep_is_refused_at_its_field_and_nothing_is_emptied() {
    let (server, mut inspector) = with_admin();
    let (inspection, link) = boo_with_link(&mut inspector);
    let mut unit = unit_client(&server);
    let mut plan = seed_plan();
    assert_eq!(unit_post(&mut unit, &link, &plan, "save").status, 303);
    for bad in ['\u{7f}', '\u{9b}', '\u{fffe}'] {
        for (k, v) in plan.iter_mut() {
            if k == "D6.action" {
                *v = format!("Veckovis handledning{bad} med IUP.");
            }
        }
        let reply = unit_post(&mut unit, &link, &plan, "save");
        assert_eq!(reply.status, 422, "{}", reply.text());
        let text = reply.text();
        let code = format!("U+{:04X}", bad as u32);
        assert!(
            text.contains(&code) && text.contains("id=\"D6-action-fel\""),
            "{code}: {text}"
        );
        assert!(text.contains("href=\"#D6-action\""), "{text}");
        // Every other field is still there, as typed.
        assert!(text.contains("ST-chef"), "{text}");
        assert!(!text.contains("Handlingsplanen är sparad"), "{text}");
    }
    // The stored plan is the last good one, whole.
    let form = unit.get(&format!("{link}/items/D6")).text();
    assert!(
        form.contains("ST-chef") && !form.contains('\u{7f}'),
        "{form}"
    );
    // The same character in a rejection reason is refused at its field; the PDFs stay.
    assert_eq!(
        unit_post(&mut unit, &link, &seed_plan(), "submit").status,
        303
    );
    let version = inspector.get(&inspection).hidden("version");
    let ids = plan_ids();
    let reply = review(
        &mut inspector,
        &inspection,
        &version,
        Some((&ids[0], "Oklart\u{7f}.")),
    );
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("U+007F"), "{}", reply.text());
    assert!(reply.text().contains(&format!("id=\"{}-fel\"", ids[0])));
    assert_eq!(
        inspector.get(&format!("{inspection}/report.pdf")).status,
        200
    );
    assert_eq!(unit.get(&format!("{link}/report.pdf")).status, 200);
}

#[test]
fn line_breaks_are_kept_as_typed_and_exported_as_lf() {
    let (server, mut inspector) = with_admin();
    let (inspection, link) = boo_with_link(&mut inspector);
    let mut unit = unit_client(&server);
    let mut plan = seed_plan();
    for (k, v) in plan.iter_mut() {
        if k == "D6.action" {
            *v = "\r\nFörsta raden efter en tom rad.\r\nAndra raden.".into();
        }
    }
    assert_eq!(unit_post(&mut unit, &link, &plan, "save").status, 303);
    for _ in 0..2 {
        // A round trip through the form: the browser drops the first line break after
        // <textarea>, so the page must write one more.
        let page = unit.get(&format!("{link}/items/D6")).text();
        let at = page.find("id=\"D6-action\"").unwrap();
        let content = page[at..]
            .split_once('>')
            .unwrap()
            .1
            .split("</textarea>")
            .next()
            .unwrap();
        assert_eq!(content, "\n\nFörsta raden efter en tom rad.\nAndra raden.");
        let shown: Vec<(String, String)> = plan
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    if k == "D6.action" {
                        content[1..].to_string()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        assert_eq!(unit_post(&mut unit, &link, &shown, "save").status, 303);
    }
    assert_eq!(unit_post(&mut unit, &link, &plan, "submit").status, 303);
    let exported = inspector.get(&format!("{inspection}/plan.yaml")).text();
    assert!(!exported.contains('\r'), "{exported:?}");
    let back =
        spur_cycle::plan_form::entries_of(&spur_core::diagnostic::Source::new("p.yaml", exported))
            .expect("the exported plan reads");
    assert_eq!(
        back["D6"]["action"],
        "\nFörsta raden efter en tom rad.\nAndra raden."
    );
}

#[test]
fn a_body_over_the_cap_gets_a_swedish_page() {
    let (server, mut inspector) = with_admin();
    let (_, link) = boo_with_link(&mut inspector);
    let mut unit = unit_client(&server);
    let item = format!("{link}/items/D6");
    let csrf = unit.get(&item).hidden("csrf");
    let big = "x".repeat(3 * 1024 * 1024);
    let reply = unit.post(
        &item,
        &[("csrf", &csrf), ("D6.action", &big), ("continue", "1")],
    );
    assert_eq!(reply.status, 413);
    let text = reply.text();
    assert!(
        text.contains("för stort") && text.contains("texten finns kvar"),
        "{text}"
    );
    // A field over its own cap, in a body under the service's, comes back at its field.
    let long = "y".repeat(10_001);
    let mut plan = seed_plan();
    for (k, v) in plan.iter_mut() {
        if k == "D6.action" {
            *v = long.clone();
        }
    }
    let reply = unit_post(&mut unit, &link, &plan, "save");
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("högst 10000 tecken") && reply.text().contains(&long));
}

#[test]
fn a_busy_database_gives_the_text_back() {
    let (server, mut inspector) = with_admin();
    let (_, link) = boo_with_link(&mut inspector);
    let mut unit = unit_client(&server);
    let item = format!("{link}/items/D6");
    let page = unit.get(&item);
    let (csrf, version) = (page.hidden("csrf"), String::new());
    let db = rusqlite::Connection::open(&server.db).unwrap();
    db.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let reply = unit.post(
        &item,
        &[
            ("csrf", &csrf),
            ("version", &version),
            ("D6.action", "Texten som inte får försvinna."),
            ("continue", "1"),
        ],
    );
    db.execute_batch("ROLLBACK").unwrap();
    assert_eq!(reply.status, 503, "{}", reply.text());
    let text = reply.text();
    assert!(
        text.contains("upptagen") && text.contains("Texten som inte får försvinna."),
        "{text}"
    );
}

#[test]
fn a_review_with_a_missing_reason_keeps_every_decision_made() {
    let (server, mut inspector) = with_admin();
    let (inspection, link) = boo_with_link(&mut inspector);
    let mut unit = unit_client(&server);
    assert_eq!(
        unit_post(&mut unit, &link, &seed_plan(), "submit").status,
        303
    );
    let version = inspector.get(&inspection).hidden("version");
    let ids = plan_ids();
    let reply = review(&mut inspector, &inspection, &version, Some((&ids[2], "  ")));
    assert_eq!(reply.status, 422);
    let text = reply.text();
    for id in ids.iter().filter(|i| **i != ids[2]) {
        assert!(
            text.contains(&format!(
                "id=\"{id}-accept\" name=\"{id}.decision\" value=\"accept\" checked"
            )),
            "{id}: {text}"
        );
    }
    assert!(text.contains(&format!(
        "id=\"{}-reject\" name=\"{}.decision\" value=\"reject\" checked",
        ids[2], ids[2]
    )));
    assert!(
        text.contains(&format!("href=\"#{}-decision\"", ids[2])),
        "{text}"
    );
    assert!(text.contains(&format!("id=\"{}-fel\"", ids[2])));
    assert!(!text.contains("<pre"), "felet ska stå vid fältet");
}

#[test]
fn reloading_the_link_page_never_makes_another_link() {
    let (server, mut inspector) = with_admin();
    let (inspection, link) = boo_with_link(&mut inspector);
    let again = inspector.get(&format!("{inspection}/link"));
    assert_eq!(again.status, 200);
    assert!(!again.text().contains("/u/"), "länken visades två gånger");
    assert!(again.text().contains("redan visats"));
    let mut unit = unit_client(&server);
    assert_eq!(
        unit.get(&link).status,
        200,
        "den skickade länken slutade gälla"
    );
    let page = inspector.get(&inspection).text();
    let until = page.split("gäller till och med ").nth(1).unwrap()[..10].to_string();
    let until: chrono::NaiveDate = until.parse().unwrap();
    assert!(
        until >= chrono::Local::now().date_naive() + chrono::Duration::days(7),
        "{until}"
    );
}

#[test]
fn links_are_built_from_the_public_url_not_the_host_header() {
    let server = Server::start_with(&["--public-url", "https://spur.example.se/"]);
    // The first admin's link printed at start is made from it too.
    let line = server.setup_line.clone().unwrap();
    assert!(
        line.trim().starts_with("https://spur.example.se/setup/"),
        "{line}"
    );
    // An https address means a TLS proxy in front: every cookie is Secure.
    let login = Client::new(&server).get("/login");
    let cookie = login.header("set-cookie").unwrap_or_default().to_string();
    assert!(cookie.contains("; Secure"), "{cookie}");
    let (server, mut inspector) = with_admin_on(server);
    let inspection = upload_boo(&mut inspector);
    establish_with_link(&mut inspector, &inspection);
    let made = post_csrf(
        &mut inspector,
        &format!("{inspection}/link"),
        &[("confirmed", "yes")],
    );
    let page = inspector.get(made.header("location").unwrap()).text();
    assert!(
        page.contains("value=\"https://spur.example.se/u/"),
        "{page}"
    );
    // The request's Host header named the address listened on; the link does not.
    assert!(!page.contains(&server.addr), "{page}");
}

#[test]
fn logins_cannot_fill_the_disk_or_the_memory_and_guesses_wait_their_turn() {
    let (server, _) = with_admin();
    // A huge e-mail field is refused before anything is stored.
    let mut stranger = Client::new(&server);
    let csrf = stranger.get("/login").hidden("csrf");
    let huge = format!("{}@example.se", "a".repeat(1_900_000));
    let reply = stranger.post(
        "/login",
        &[("csrf", &csrf), ("email", &huge), ("password", "x")],
    );
    assert_eq!(reply.status, 413);
    let long = format!("{}@example.se", "b".repeat(5_000));
    let csrf = stranger.get("/login").hidden("csrf");
    stranger.post(
        "/login",
        &[("csrf", &csrf), ("email", &long), ("password", "x")],
    );
    let db = rusqlite::Connection::open(&server.db).unwrap();
    let longest: i64 = db
        .query_row(
            "SELECT max(n) FROM (SELECT max(length(who)) AS n FROM access_log UNION ALL SELECT max(length(email)) FROM login_failures)",
            [],
            |r| r.get::<_, Option<i64>>(0),
        )
        .unwrap()
        .unwrap_or(0);
    assert!(longest <= 200, "{longest} tecken sparade");
    // Parallel logins with fresh addresses: argon2 runs a few at a time.
    let before = peak_kib(server.pid());
    std::thread::scope(|scope| {
        for n in 0..24 {
            let addr = server.addr.clone();
            scope.spawn(move || {
                let mut c = Client {
                    addr,
                    cookies: BTreeMap::new(),
                };
                c.login(&format!("ny{n}@example.se"), "fel lösenord");
            });
        }
    });
    let grown = peak_kib(server.pid()).saturating_sub(before);
    assert!(grown < 120 * 1024, "toppminnet växte {} MiB", grown / 1024);
    // After one failure, four parallel guesses at one account are taken in turn, each
    // after a longer wait: 0.5 + 1 + 2 + 4 s.
    Client::new(&server).login("anna@example.se", "fel");
    let started = Instant::now();
    let times: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let addr = server.addr.clone();
                scope.spawn(move || {
                    let mut c = Client {
                        addr,
                        cookies: BTreeMap::new(),
                    };
                    c.login("anna@example.se", "gissning");
                    started.elapsed()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let last = times.into_iter().max().unwrap();
    assert!(
        last >= Duration::from_millis(3_500),
        "sista gissningen efter {last:?}"
    );
}

/// The peak resident memory of process `pid`, in KiB.
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn deeply_nested_uploads_are_refused_and_the_service_lives() {
    let (mut server, mut inspector) = with_admin();
    for depth in [40, 200, 5_000] {
        let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let reply = upload(&mut inspector, text.as_bytes());
        assert_eq!(reply.status, 422, "{depth}: {}", reply.text());
        let nested: String = (0..depth)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect();
        assert_eq!(
            upload(&mut inspector, nested.as_bytes()).status,
            422,
            "{depth}"
        );
    }
    assert!(server.alive());
    assert_eq!(inspector.get("/inspections").status, 200);
}

#[test]
fn empty_csrf_never_matches_and_refused_accesses_are_logged() {
    let (server, mut admin) = with_admin();
    let mut stranger = Client::new(&server);
    stranger.cookies.insert("spur_login".into(), String::new());
    let reply = stranger.send(
        "POST",
        "/login",
        Some("application/x-www-form-urlencoded"),
        b"csrf=&email=anna%40example.se&password=x",
    );
    assert_eq!(reply.status, 403);
    let inspection = upload_boo(&mut admin);
    add_account(&server, "per@example.se", "Per");
    let mut per = Client::new(&server);
    assert_eq!(per.login("per@example.se", PASSWORD).status, 303);
    assert_eq!(per.get(&format!("{inspection}/report.pdf")).status, 404);
    let log = admin.get(&inspection).text();
    assert!(log.contains("<bdi>Per</bdi> nekades åtkomst"), "{log}");
}

#[test]
fn the_frameworks_refusals_are_swedish_pages() {
    let (_server, mut inspector) = with_admin();
    let inspection = upload_boo(&mut inspector);
    let token = csrf(&mut inspector);
    let replies = [
        inspector.get("/inspections/abc"),
        inspector.get("/inspections/99999999999999999999999"),
        inspector.send(
            "POST",
            &format!("{inspection}/members"),
            Some("application/json"),
            b"{}",
        ),
        inspector.send(
            "POST",
            &format!("{inspection}/members"),
            Some("application/x-www-form-urlencoded"),
            format!("csrf={token}&email=%FF%FE").as_bytes(),
        ),
        inspector.send("PUT", "/inspections", None, b""),
        inspector.send("DELETE", &inspection, None, b""),
        // Ids and texts in a path that do not read as what the route names.
        post_csrf(&mut inspector, "/accounts/abc/active", &[]),
        post_csrf(
            &mut inspector,
            "/accounts/99999999999999999999999/password-link",
            &[],
        ),
        post_csrf(
            &mut inspector,
            &format!("{inspection}/contacts/abc/remove"),
            &[],
        ),
        inspector.get("/password/%FF%FE"),
        inspector.get("/calendar/%FF%FE"),
        // Upload forms without a boundary, or not multipart at all.
        inspector.send("POST", "/inspections", Some("multipart/form-data"), b"x"),
        inspector.send(
            "POST",
            &format!("{inspection}/questionnaire"),
            Some("multipart/form-data; boundary="),
            b"--\r\n",
        ),
        inspector.send("POST", "/inspections", Some("text/plain"), b"x"),
    ];
    for reply in replies {
        let text = reply.text();
        assert!(reply.status >= 400, "{}", reply.status);
        assert!(text.contains("lang=\"sv\""), "{}: {text}", reply.status);
        for english in [
            "Cannot",
            "Failed",
            "i64",
            "deserialize",
            "Method Not Allowed",
            "Content-Type",
            "boundary",
        ] {
            assert!(!text.contains(english), "{english}: {text}");
        }
    }
}

#[test]
fn a_new_questionnaire_after_establishing_needs_reopening_and_keeps_the_units_name() {
    let (server, mut inspector) = with_admin();
    let (inspection, link) = boo_with_link(&mut inspector);
    let mut unit = unit_client(&server);
    assert_eq!(
        unit_post(&mut unit, &link, &seed_plan(), "save").status,
        303
    );
    let boo = boo_without_plan_text();
    let token = csrf(&mut inspector);
    let path = format!("{inspection}/questionnaire");
    let refused = inspector.upload(&path, &token, "q.yaml", boo.as_bytes());
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(refused.text().contains("Öppna igen"), "{}", refused.text());
    let reopened = post_csrf(
        &mut inspector,
        &format!("{inspection}/reopen-report"),
        &[("reason", "Fel i D6:s kommentar.")],
    );
    assert_eq!(reopened.status, 303, "{}", reopened.text());
    let renamed = boo.replace("name: Boo Vårdcentral", "name: Boo Hälsocentral");
    assert_ne!(renamed, boo);
    let token = csrf(&mut inspector);
    let refused = inspector.upload(&path, &token, "q.yaml", renamed.as_bytes());
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(
        refused.text().contains("enhetens namn"),
        "{}",
        refused.text()
    );
    let token = csrf(&mut inspector);
    assert_eq!(
        inspector
            .upload(&path, &token, "q.yaml", boo.as_bytes())
            .status,
        303
    );
    let page = inspector.get(&inspection).text();
    assert!(page.contains("Fel i D6:s kommentar."), "{page}");
    assert_eq!(
        inspector.get(&format!("{inspection}/report.pdf")).status,
        200
    );
    // Once the plan is in, a version under which the plan no longer checks (D6 now
    // met, so its entry needs no action) is refused, and every page and PDF still works.
    assert_eq!(
        post_csrf(
            &mut inspector,
            &format!("{inspection}/establish"),
            &[("confirmed", "yes")]
        )
        .status,
        303
    );
    assert_eq!(
        unit_post(&mut unit, &link, &seed_plan(), "submit").status,
        303
    );
    let reason = [("reason", "D6 var uppfylld.")];
    assert_eq!(
        post_csrf(
            &mut inspector,
            &format!("{inspection}/reopen-report"),
            &reason
        )
        .status,
        303
    );
    let met = boo_with(|q| {
        let d = q.areas.iter_mut().find(|a| a.id == 'D').unwrap();
        let d6 = d.answers.get_mut("D6").unwrap();
        d6.answer = spur_core::questionnaire::Answer::Yes;
        d6.serious = false;
    });
    let token = csrf(&mut inspector);
    let refused = inspector.upload(&path, &token, "q.yaml", met.as_bytes());
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(
        refused.text().contains("stämmer inte med handlingsplanen"),
        "{}",
        refused.text()
    );
    assert_eq!(
        inspector.get(&format!("{inspection}/report.pdf")).status,
        200
    );
    // Reopened, the report is the inspectors' draft again, not the unit's to read.
    assert_eq!(unit.get(&format!("{link}/report.pdf")).status, 404);
}
