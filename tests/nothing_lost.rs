//! Nothing typed is lost (SPEC §8.8, §8.13; issue 25, class 1): every route that
//! carries a person's text, posted when it is refused — the stage moved on, the link
//! closed, the database busy, the text over its cap, the page older than the field —
//! answers with the text whole on the page, over real HTTP against a real
//! `spur serve`.

mod common;

use std::collections::BTreeMap;

use common::web::*;
use common::*;

/// A text with everything HTML would read as its own.
const TYPED: &str = "Skälet <som> inte får försvinna & \"citeras\" – 'rad ett'\nrad två";

/// `text` as the pages escape it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Why a post is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// The inspection is not at the stage the action needs.
    StageMoved,
    /// The unit's link was revoked.
    LinkClosed,
    /// Another writer holds the database.
    Busy,
    /// The text is longer than its cap.
    OverCap,
    /// A comment typed but not saved, with "Inga synpunkter".
    NotSaved,
}

/// Makes a route's form with a text in it, for a client.
type MakeForm = Box<dyn Fn(&str, &mut Client) -> Vec<(String, String)>>;

/// A route that carries typed text: who posts, where, and the form with `text` in it.
struct Route {
    name: &'static str,
    unit: bool,
    path: String,
    form: MakeForm,
    refusals: &'static [Refusal],
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The unit's CSRF token for link `link`.
fn link_csrf(link: &str) -> String {
    spur_service::auth::link_csrf(link.trim_start_matches("/u/"))
}

#[test]
fn every_typed_text_is_given_back_whole_whatever_refuses_it() {
    let (server, mut anna) = with_admin();
    // A draft: nothing sent yet, so reopening, giving back and following up are
    // refused as the stage's.
    let draft = upload_boo(&mut anna);
    // At the unit's fact-check, with a link.
    let checking = upload_boo(&mut anna);
    let token = csrf(&mut anna);
    let sent = anna.post(&format!("{checking}/fact-check"), &[("csrf", &token)]);
    assert_eq!(sent.status, 303, "{}", sent.text());
    let check_link = new_link(&mut anna, &checking);
    // Established, with the unit's plan link.
    let established = upload_boo(&mut anna);
    let plan_link = establish_with_link(&mut anna, &established);

    use Refusal::*;
    let inspector_reason = |reason_field: &'static str, extra: &'static [(&str, &str)]| {
        Box::new(move |text: &str, client: &mut Client| {
            let mut form = pairs(&[("csrf", &csrf(client)), (reason_field, text)]);
            form.extend(pairs(extra));
            form
        }) as MakeForm
    };
    let routes = vec![
        Route {
            name: "Öppna igen",
            unit: false,
            path: format!("{draft}/reopen-report"),
            form: inspector_reason("reason", &[]),
            refusals: &[StageMoved, Busy, OverCap],
        },
        Route {
            name: "lämna tillbaka planen",
            unit: false,
            path: format!("{draft}/reopen"),
            form: inspector_reason("reason", &[]),
            refusals: &[StageMoved, Busy, OverCap],
        },
        Route {
            name: "be om mer i uppföljningen",
            unit: false,
            path: format!("{draft}/follow-up"),
            form: inspector_reason("reason", &[("indicator", "D6"), ("more", "1")]),
            refusals: &[StageMoved, Busy, OverCap],
        },
        Route {
            name: "svar på en synpunkt",
            unit: false,
            path: format!("{established}/fact-check/answer"),
            form: inspector_reason("reason", &[("comment", "1"), ("answer", "unchanged")]),
            refusals: &[StageMoved, Busy, OverCap],
        },
        Route {
            name: "frågeformulärets sida efter Fastställ",
            unit: false,
            path: format!("{established}/questionnaire/e"),
            form: {
                let established = established.clone();
                Box::new(move |text: &str, client: &mut Client| {
                    let page = client.get(&format!("{established}/questionnaire/e"));
                    pairs(&[
                        ("csrf", &page.hidden("csrf")),
                        ("version", &page.hidden("version")),
                        ("E-findings", text),
                    ])
                })
            },
            refusals: &[StageMoved, Busy],
        },
        Route {
            name: "enhetens synpunkt",
            unit: true,
            path: format!("{check_link}/fact-check"),
            form: {
                let token = link_csrf(&check_link);
                Box::new(move |text: &str, _: &mut Client| {
                    pairs(&[("csrf", &token), ("place", "D"), ("text", text)])
                })
            },
            refusals: &[Busy, LinkClosed],
        },
        Route {
            name: "enhetens synpunkt med ”Inga synpunkter”",
            unit: true,
            path: format!("{check_link}/fact-check"),
            form: {
                let token = link_csrf(&check_link);
                Box::new(move |text: &str, _: &mut Client| {
                    pairs(&[
                        ("csrf", &token),
                        ("place", "D"),
                        ("text", text),
                        ("submit", "1"),
                    ])
                })
            },
            refusals: &[NotSaved],
        },
        Route {
            name: "enhetens rapport i uppföljningen",
            unit: true,
            path: format!("{plan_link}/follow-up"),
            form: {
                let token = link_csrf(&plan_link);
                Box::new(move |text: &str, _: &mut Client| {
                    pairs(&[
                        ("csrf", &token),
                        ("indicator", "D6"),
                        ("status-D6", "done"),
                        ("text-D6", text),
                    ])
                })
            },
            refusals: &[StageMoved, Busy],
        },
        Route {
            name: "enhetens åtgärd i handlingsplanen",
            unit: true,
            path: format!("{plan_link}/items/D6"),
            form: {
                let token = link_csrf(&plan_link);
                Box::new(move |text: &str, _: &mut Client| {
                    pairs(&[
                        ("csrf", &token),
                        ("version", ""),
                        ("D6.action", text),
                        ("continue", "1"),
                    ])
                })
            },
            refusals: &[Busy],
        },
    ];

    let over_cap = format!("{}{TYPED}", "å".repeat(4001));
    let mut unit = Client {
        addr: server.addr.clone(),
        cookies: BTreeMap::new(),
    };
    let mut tried = 0;
    // The link is closed last, as it ends what the unit can do.
    for refusal in [StageMoved, Busy, OverCap, NotSaved, LinkClosed] {
        if refusal == LinkClosed {
            let token = csrf(&mut anna);
            let revoked = anna.post(&format!("{checking}/link/revoke"), &[("csrf", &token)]);
            assert_eq!(revoked.status, 303, "{}", revoked.text());
        }
        for route in routes.iter().filter(|r| r.refusals.contains(&refusal)) {
            let text = if refusal == OverCap { &over_cap } else { TYPED };
            let client = if route.unit { &mut unit } else { &mut anna };
            let form = (route.form)(text, client);
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let lock = (refusal == Busy).then(|| {
                let db = rusqlite::Connection::open(&server.db).unwrap();
                db.execute_batch("BEGIN EXCLUSIVE").unwrap();
                db
            });
            let reply = client.post(&route.path, &form);
            if let Some(db) = lock {
                db.execute_batch("ROLLBACK").unwrap();
            }
            let page = reply.text();
            assert!(
                reply.status >= 400,
                "{} × {refusal:?}: {} {page}",
                route.name,
                reply.status
            );
            assert!(
                page.contains(&escaped(text)),
                "{} × {refusal:?} ({}): the text is not on the page whole:\n{page}",
                route.name,
                reply.status
            );
            tried += 1;
        }
    }
    assert_eq!(tried, 20);
}
