//! E-mail (SPEC §8.7) against a real SMTP server: Python's aiosmtpd, started by the
//! tests (`tests/mail/smtp_sink.py`), which `.ci/run` installs. One whole cycle sends
//! exactly the e-mails of §8.7, once each; reminders go out on the right days, once;
//! a crash in the middle of a send never sends twice; a server that is down keeps the
//! e-mails queued until it returns.

mod common;

use std::time::{Duration, Instant};

use common::smtp::*;
use common::web::*;
use common::*;

const EVA: &str = "eva.studierektor@boo.example.se";
const OLLE: &str = "olle.chef@boo.example.se";
const ANNA: &str = "anna@example.se";

/// Boo without its plan and undated, as a new inspection is: establishing it dates
/// the report today and the plan eight weeks on.
fn undated_boo() -> String {
    boo_with(|q| {
        q.inspection.report_date = None;
        q.inspection.plan_due = None;
    })
}

/// Uploads [`undated_boo`] and records its two contacts; returns its path.
fn boo_with_contacts(inspector: &mut Client) -> String {
    let token = csrf(inspector);
    let up = inspector.upload("/inspections", &token, "boo.yaml", undated_boo().as_bytes());
    assert_eq!(up.status, 303, "{}", up.text());
    let inspection = up.header("location").unwrap().to_string();
    for (name, role, email) in [
        ("Eva Ek", "studierektor", EVA),
        ("Olle Ås", "verksamhetschef", OLLE),
    ] {
        let added = post_csrf(
            inspector,
            &format!("{inspection}/contacts"),
            &[("name", name), ("role", role), ("email", email)],
        );
        assert_eq!(added.status, 303, "{}", added.text());
    }
    inspection
}

/// The unit's link in an e-mail's text.
fn link_in(body: &str) -> String {
    token_link(body, "/u/")
}

/// The e-mails from `from` on, sorted by recipient.
fn since(all: &[(Vec<String>, String, String)], from: usize) -> Vec<(Vec<String>, String, String)> {
    let mut new = all[from..].to_vec();
    new.sort();
    new
}

/// Each e-mail's recipients, in the order of `mails`.
fn addressed_to(mails: &[(Vec<String>, String, String)]) -> Vec<Vec<String>> {
    mails.iter().map(|(to, ..)| to.clone()).collect()
}

#[test]
#[ignore = "needs Python's aiosmtpd (pip install aiosmtpd), which .ci/run installs"]
fn a_whole_cycle_mails_each_party_once() {
    let sink = Sink::start(free_port(), 0.0);
    let (server, mut inspector) = start_mailing(sink.port);
    let inspection = boo_with_contacts(&mut inspector);
    let mut unit = Client::new(&server);

    // The fact-check: both contacts get the link and the task.
    let sent = post_csrf(&mut inspector, &format!("{inspection}/fact-check"), &[]);
    assert_eq!(sent.status, 303, "{}", sent.text());
    let mails = sink.wait_for(2, Duration::from_secs(20));
    assert_eq!(mails.len(), 2, "{mails:#?}");
    let recipients: Vec<_> = since(&mails, 0).into_iter().map(|m| m.0).collect();
    assert_eq!(recipients, [vec![EVA.to_string()], vec![OLLE.to_string()]]);
    for (_, subject, body) in &mails {
        assert_eq!(
            subject,
            "Preliminär rapport att faktagranska: Boo Vårdcentral"
        );
        assert!(
            body.contains("faktagranskning") && body.contains("senast "),
            "{body}"
        );
        assert!(!body.contains('['), "en platshållare blev kvar: {body}");
    }
    // Each contact's own link, made as the e-mail went: both open the unit's pages.
    let link = link_in(&mails[0].2);
    assert_ne!(link, link_in(&mails[1].2), "en länk för var och en");
    for mail in &mails {
        assert_eq!(
            unit.get(&format!("{}/fact-check", link_in(&mail.2))).status,
            200
        );
    }
    assert!(
        mails[0]
            .2
            .contains(&format!("http://{}{link}", server.addr))
    );

    // The unit answers through the mailed link: the inspector is told.
    no_comments(&inspector, &link);
    let mails = sink.wait_for(3, Duration::from_secs(20));
    assert_eq!(mails.len(), 3, "{mails:#?}");
    assert_eq!(mails[2].0, [ANNA]);
    assert_eq!(mails[2].1, "Boo Vårdcentral har faktagranskat rapporten");
    assert!(
        mails[2]
            .2
            .contains(&format!("http://{}{inspection}", server.addr))
    );

    // Established: the plan is the unit's, by plan_due, with a new link.
    let done = post_csrf(
        &mut inspector,
        &format!("{inspection}/establish"),
        &[("confirmed", "yes")],
    );
    assert_eq!(done.status, 303, "{}", done.text());
    let mails = sink.wait_for(5, Duration::from_secs(20));
    assert_eq!(mails.len(), 5, "{mails:#?}");
    let told = since(&mails, 3);
    assert_eq!(addressed_to(&told), [[EVA], [OLLE]], "{told:#?}");
    for (_, subject, body) in told {
        assert_eq!(subject, "Handlingsplan att fylla i: Boo Vårdcentral");
        assert!(body.contains("senast "), "{body}");
    }
    let link = link_in(&mails[4].2);

    // The plan comes in; one item is returned with its reason.
    assert_eq!(
        unit_post(&mut unit, &link, &seed_plan(), "submit").status,
        303
    );
    let mails = sink.wait_for(6, Duration::from_secs(20));
    assert_eq!(mails[5].0, [ANNA]);
    assert_eq!(
        mails[5].1,
        "Boo Vårdcentral har skickat in sin handlingsplan"
    );
    let version = inspector.get(&inspection).hidden("version");
    let ids = plan_ids();
    let why = "Ange vem som ansvarar för handledarutbildningen.";
    let returned = review(&mut inspector, &inspection, &version, Some((&ids[1], why)));
    assert_eq!(returned.status, 303, "{}", returned.text());
    let mails = sink.wait_for(8, Duration::from_secs(20));
    assert_eq!(mails.len(), 8, "{mails:#?}");
    for (_, subject, body) in since(&mails, 6) {
        assert_eq!(subject, "Handlingsplanen åter till er: Boo Vårdcentral");
        assert!(body.contains(&format!("- {}: {why}", ids[1])), "{body}");
    }
    let link = link_in(&mails[7].2);

    // Sent again and accepted: the follow-up is the unit's.
    assert_eq!(
        unit_post(&mut unit, &link, &seed_plan(), "submit").status,
        303
    );
    let mails = sink.wait_for(9, Duration::from_secs(20));
    assert_eq!(mails[8].0, [ANNA]);
    accept_all(&mut inspector, &inspection);
    let mails = sink.wait_for(11, Duration::from_secs(20));
    assert_eq!(mails.len(), 11, "{mails:#?}");
    for (_, subject, _) in since(&mails, 9) {
        assert_eq!(
            subject,
            "Handlingsplanen godkänd, uppföljning: Boo Vårdcentral"
        );
    }

    // The inspection's page lists every e-mail as sent, without the unit's link.
    let page = inspector.get(&inspection).text();
    assert_eq!(
        page.matches("<td data-label=\"Läge\">Skickat</td>").count(),
        11,
        "{page}"
    );
    assert!(!page.contains("/u/"), "länken syns på sidan");
}

#[test]
#[ignore = "needs Python's aiosmtpd (pip install aiosmtpd), which .ci/run installs"]
fn reminders_go_out_on_their_days_once() {
    let sink = Sink::start(free_port(), 0.0);
    let (server, mut inspector) = start_mailing(sink.port);
    let inspection = boo_with_contacts(&mut inspector);
    establish_with_link(&mut inspector, &inspection);
    let before = sink.wait_for(5, Duration::from_secs(20)).len();
    assert_eq!(before, 5, "faktagranskning 2, inskickad 1, handlingsplan 2");
    let db = spur_service::Db::open(&server.db).unwrap();
    let due: chrono::NaiveDate = {
        let ics = inspector.get(&format!("{inspection}/calendar.ics")).text();
        let event = ics
            .split("BEGIN:VEVENT")
            .find(|e| e.contains("-plan-due@"))
            .expect("plan_due i kalendern");
        let line = event
            .lines()
            .find(|l| l.starts_with("DTSTART"))
            .expect("DTSTART")
            .to_string();
        chrono::NaiveDate::parse_from_str(line.rsplit(':').next().unwrap().trim(), "%Y%m%d")
            .unwrap()
    };
    let remind = |day: chrono::NaiveDate| spur_service::mail::remind(&db, day).unwrap();
    // Fifteen days before: nothing yet. Fourteen: the contacts, once however often the
    // daily task runs that day and the next.
    assert_eq!(remind(due - chrono::Duration::days(15)), 0);
    assert_eq!(remind(due - chrono::Duration::days(14)), 1);
    assert_eq!(remind(due - chrono::Duration::days(14)), 1);
    assert_eq!(remind(due - chrono::Duration::days(13)), 1);
    let mails = sink.wait_for(before + 2, Duration::from_secs(20));
    assert_eq!(mails.len(), before + 2, "{mails:#?}");
    let day = spur_core::words::swedish_date(due);
    for (_, subject, body) in since(&mails, before) {
        assert_eq!(
            subject,
            format!("Påminnelse: skicka in handlingsplanen senast {day}: Boo Vårdcentral")
        );
        // Greeted by name, asked first, then the link, signed by the inspector.
        let body = body.replace("\r\n", "\n");
        assert!(
            body.starts_with("Hej Eva Ek,\n\nEn påminnelse") || body.starts_with("Hej Olle"),
            "{body}"
        );
        assert!(
            body.trim_end()
                .ends_with("Anna Lindqvist\nGranskare för ST-SPUR, LIPUS"),
            "{body}"
        );
        link_in(&body);
    }
    // On the day nothing; the day after, the contacts and the inspector.
    assert_eq!(remind(due), 0);
    assert_eq!(remind(due + chrono::Duration::days(1)), 1);
    let mails = sink.wait_for(before + 5, Duration::from_secs(20));
    assert_eq!(mails.len(), before + 5, "{mails:#?}");
    let passed = since(&mails, before + 2);
    assert_eq!(passed[0].0, [ANNA]);
    assert!(
        passed[0]
            .1
            .starts_with("Datumet har passerat: Boo Vårdcentral")
    );
    assert!(
        passed[1]
            .1
            .starts_with("Datumet har passerat: skicka in handlingsplanen")
    );
    // A plan sent in ends the reminders.
    let mails_link = link_in(&passed[1].2);
    let mut unit = Client::new(&server);
    assert_eq!(
        unit_post(&mut unit, &mails_link, &seed_plan(), "submit").status,
        303
    );
    assert_eq!(remind(due + chrono::Duration::days(2)), 0);
}

#[test]
#[ignore = "needs Python's aiosmtpd (pip install aiosmtpd), which .ci/run installs"]
fn a_crash_in_the_middle_of_a_send_never_sends_it_again() {
    // The server takes four seconds to answer a message: spur is killed meanwhile.
    let sink = Sink::start(free_port(), 4.0);
    let (server, mut inspector) = start_mailing(sink.port);
    let token = csrf(&mut inspector);
    let up = inspector.upload("/inspections", &token, "boo.yaml", undated_boo().as_bytes());
    let inspection = up.header("location").unwrap().to_string();
    let added = post_csrf(
        &mut inspector,
        &format!("{inspection}/contacts"),
        &[("name", "Eva Ek"), ("role", "studierektor"), ("email", EVA)],
    );
    assert_eq!(added.status, 303);
    assert_eq!(
        post_csrf(&mut inspector, &format!("{inspection}/fact-check"), &[]).status,
        303
    );
    let start = Instant::now();
    while sink.received().is_empty() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        sink.received().len(),
        1,
        "brevet kom inte fram till servern"
    );
    let args = smtp_args(sink.port);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = server.restart(&args);
    let mut inspector = Client::new(&server);
    assert_eq!(inspector.login(ANNA, PASSWORD).status, 303);
    std::thread::sleep(Duration::from_secs(5));
    let mails = sink.received();
    assert_eq!(mails.len(), 1, "skickat igen efter omstarten: {mails:#?}");
    let page = inspector.get(&inspection).text();
    assert!(page.contains("Kanske skickat"), "{page}");
    // What comes after the crash is sent as usual.
    let link = new_link(&mut inspector, &inspection);
    no_comments(&inspector, &link);
    let mails = sink.wait_for(2, Duration::from_secs(30));
    assert_eq!(mails.len(), 2, "{mails:#?}");
    assert_eq!(mails[1].0, [ANNA]);
}

#[test]
#[ignore = "needs Python's aiosmtpd (pip install aiosmtpd), which .ci/run installs"]
fn a_server_that_is_down_gets_the_mails_when_it_returns_unless_stale() {
    let port = free_port();
    let (server, mut inspector) = start_mailing(port);
    let inspection = boo_with_contacts(&mut inspector);
    assert_eq!(
        post_csrf(&mut inspector, &format!("{inspection}/fact-check"), &[]).status,
        303
    );
    // Tried, failed, kept.
    let start = Instant::now();
    let mut page = String::new();
    while page.matches("e-postservern").count() < 2 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(200));
        page = inspector.get(&inspection).text();
    }
    assert_eq!(
        page.matches("<td data-label=\"Läge\">Väntar på att skickas")
            .count(),
        2,
        "{page}"
    );
    assert!(page.contains("e-postservern gick inte att nå"), "{page}");
    // One of them written four days ago: stale by the time the server returns, it is
    // given up rather than sent.
    let db = spur_service::Db::open(&server.db).unwrap();
    db.write_now(|tx| {
        tx.execute(
            "UPDATE outbox SET created = ?1 WHERE recipient = ?2",
            [
                (chrono::Utc::now() - chrono::Duration::days(4))
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                OLLE.to_string(),
            ],
        )
        .map_err(spur_service::DbError::from)
    })
    .unwrap();
    let sink = Sink::start(port, 0.0);
    let mails = sink.wait_for(1, Duration::from_secs(40));
    assert_eq!(mails.len(), 1, "{mails:#?}");
    assert_eq!(mails[0].0, [EVA]);
    let page = inspector.get(&inspection).text();
    assert_eq!(
        page.matches("<td data-label=\"Läge\">Skickat").count(),
        1,
        "{page}"
    );
    assert_eq!(
        page.matches("<td data-label=\"Läge\">Kunde inte skickas")
            .count(),
        1,
        "{page}"
    );
    assert!(page.contains("för gammalt för att skickas"), "{page}");
}

/// "Glömt lösenordet?" sent for `email`: the page that answers.
fn forgot(client: &mut Client, email: &str) -> Reply {
    let form = client.get("/forgot-password");
    assert_eq!(form.status, 200);
    client.post(
        "/forgot-password",
        &[("csrf", &form.hidden("csrf")), ("email", email)],
    )
}

#[test]
#[ignore = "needs Python's aiosmtpd (pip install aiosmtpd), which .ci/run installs"]
fn a_forgotten_password_is_reset_by_an_emailed_link_that_works_once() {
    let sink = Sink::start(free_port(), 0.0);
    let (server, mut anna) = start_mailing(sink.port);
    let mut someone = Client::new(&server);
    assert!(
        someone
            .get("/login")
            .text()
            .contains("href=\"/forgot-password\"")
    );

    // The same answer for an account and for a stranger: only the address differs.
    let known = forgot(&mut someone, ANNA);
    let unknown = forgot(&mut someone, "ingen@example.se");
    assert_eq!(known.status, 200);
    assert!(
        known
            .text()
            .contains("Om anna@example.se hör till ett konto")
    );
    assert_eq!(
        known.text().replace(ANNA, "X"),
        unknown.text().replace("ingen@example.se", "X")
    );
    // Asked again while the link is unused: nothing more is sent.
    forgot(&mut someone, ANNA);
    let mails = sink.wait_for(1, Duration::from_secs(20));
    assert_eq!(mails.len(), 1, "{mails:#?}");
    assert_eq!(mails[0].0, [ANNA]);
    assert_eq!(mails[0].1, "Välj lösenord till spur");
    assert!(mails[0].2.contains("gäller i en timme"), "{}", mails[0].2);
    let link = token_link(&mails[0].2, "/password/");

    // The link sets a new password once, and logs in.
    let page = someone.get(&link);
    assert_eq!(page.status, 200, "{}", page.text());
    let new = "ett annat långt lösenord";
    let set = someone.post(
        &link,
        &[
            ("csrf", &page.hidden("csrf")),
            ("password", new),
            ("password2", new),
        ],
    );
    assert_eq!(set.status, 303, "{}", set.text());
    assert_eq!(someone.get("/inspections").status, 200);
    assert_eq!(someone.get(&link).status, 410, "länken gäller en gång");
    assert_eq!(Client::new(&server).login(ANNA, new).status, 303);
    assert_eq!(
        Client::new(&server).login(ANNA, PASSWORD).status,
        200,
        "det gamla lösenordet gäller inte längre"
    );

    // Used up, a new one can be asked for; one made by the admin goes by e-mail too,
    // and is not shown on the page.
    forgot(&mut someone, ANNA);
    assert_eq!(anna.login(ANNA, new).status, 303);
    let token = csrf(&mut anna);
    let made = anna.post(
        "/accounts",
        &[
            ("csrf", token.as_str()),
            ("name", "Per Ekström"),
            ("email", "per@example.se"),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.text());
    assert!(
        !made.text().contains("/password/"),
        "länken visas fast den e-postades"
    );
    assert!(
        made.text()
            .contains("skickats med e-post till <bdi>per@example.se</bdi>")
    );
    let mails = sink.wait_for(3, Duration::from_secs(20));
    assert_eq!(mails.len(), 3, "{mails:#?}");
    let per = mails
        .iter()
        .find(|m| m.0 == ["per@example.se"])
        .expect("Pers brev");
    assert!(per.2.contains("72 timmar"), "{}", per.2);
    let link = token_link(&per.2, "/password/");
    assert_eq!(Client::new(&server).get(&link).status, 200);
}

#[test]
#[ignore = "needs Python's aiosmtpd (pip install aiosmtpd), which .ci/run installs"]
fn a_plan_given_back_without_a_review_tells_the_contacts_why() {
    let sink = Sink::start(free_port(), 0.0);
    let (server, mut inspector) = start_mailing(sink.port);
    let inspection = boo_with_contacts(&mut inspector);
    let link = establish_with_link(&mut inspector, &inspection);
    let mut unit = Client::new(&server);
    assert_eq!(
        unit_post(&mut unit, &link, &seed_plan(), "submit").status,
        303
    );
    assert_eq!(sink.wait_for(6, Duration::from_secs(20)).len(), 6);
    let why = "Vi vill att ni ser över tidplanen för alla åtgärder.";
    let back = post_csrf(
        &mut inspector,
        &format!("{inspection}/reopen"),
        &[("reason", why)],
    );
    assert_eq!(back.status, 303, "{}", back.text());
    let mails = sink.wait_for(8, Duration::from_secs(20));
    assert_eq!(mails.len(), 8, "{mails:#?}");
    let told = since(&mails, 6);
    assert_eq!(addressed_to(&told), [[EVA], [OLLE]], "{told:#?}");
    for (_, subject, body) in told {
        assert_eq!(
            subject,
            "Handlingsplanen öppen för ändringar igen: Boo Vårdcentral"
        );
        assert!(body.contains(&format!("Granskarnas skäl: {why}")), "{body}");
        link_in(&body);
    }
}

/// Every 64-hex-digit token in `text`.
fn tokens_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let run = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        if run == 64 {
            found.push(text[start..start + 64].to_string());
        }
        start += run.max(1);
    }
    found
}

/// Which of `tokens` the database's files hold, in the database, its WAL or its
/// shared-memory file, as text or as the bytes the text stands for.
fn kept_in_files(db: &std::path::Path, tokens: &[String]) -> Vec<(String, String)> {
    let mut kept = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        for token in tokens {
            let raw: Vec<u8> = (0..32)
                .map(|i| u8::from_str_radix(&token[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
            if holds(token.as_bytes()) || holds(&raw) {
                kept.push((path.display().to_string(), token.clone()));
            }
        }
    }
    kept
}

#[test]
#[ignore = "needs Python's aiosmtpd (pip install aiosmtpd), which .ci/run installs"]
fn no_token_the_service_issued_can_be_read_from_its_database_files() {
    let port = free_port();
    let (server, mut inspector) = start_mailing(port);
    let mut issued: Vec<String> = server.setup.iter().flat_map(|s| tokens_in(s)).collect();
    let inspection = boo_with_contacts(&mut inspector);
    // Events while the SMTP server is down: the unit's fact-check, an account's link
    // and a forgotten password, each e-mail tried and kept.
    assert_eq!(
        post_csrf(&mut inspector, &format!("{inspection}/fact-check"), &[]).status,
        303
    );
    let token = csrf(&mut inspector);
    let made = inspector.post(
        "/accounts",
        &[
            ("csrf", token.as_str()),
            ("name", "Per Ekström"),
            ("email", "per@example.se"),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.text());
    forgot(&mut Client::new(&server), ANNA);
    issued.extend(tokens_in(&new_link(&mut inspector, &inspection)));
    let start = Instant::now();
    let mut page = String::new();
    while !page.contains("e-postservern gick inte att nå")
        && start.elapsed() < Duration::from_secs(20)
    {
        std::thread::sleep(Duration::from_millis(200));
        page = inspector.get(&inspection).text();
    }
    assert!(page.contains("e-postservern gick inte att nå"), "{page}");

    // The server returns; every e-mail goes out with a link made as it went.
    let sink = Sink::start(port, 0.0);
    let mails = sink.wait_for(4, Duration::from_secs(60));
    assert_eq!(mails.len(), 4, "{mails:#?}");
    for (_, _, body) in &mails {
        issued.extend(tokens_in(body));
    }
    assert_eq!(issued.len(), 6, "{issued:?}");
    // One password link used, one session begun and ended by it.
    let per = mails.iter().find(|m| m.0 == ["per@example.se"]).unwrap();
    let link = token_link(&per.2, "/password/");
    let mut someone = Client::new(&server);
    let form = someone.get(&link);
    let new = "ett nytt långt lösenord";
    let set = someone.post(
        &link,
        &[
            ("csrf", &form.hidden("csrf")),
            ("password", new),
            ("password2", new),
        ],
    );
    assert_eq!(set.status, 303, "{}", set.text());
    for client in [&inspector, &someone] {
        issued.extend(client.cookies.values().flat_map(|v| tokens_in(v)));
    }
    assert!(issued.len() >= 8, "{issued:?}");
    let kept = kept_in_files(&server.db, &issued);
    assert!(kept.is_empty(), "hemligheter i databasens filer: {kept:#?}");
}
