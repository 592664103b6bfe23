//! The service in a real browser: Debian's Chromium driven over WebDriver by
//! chromedriver, as an inspector and a unit would use it, mouse and keyboard alike.
//! Ignored in a bare `cargo test`; `.ci/run` installs the packages and runs them.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::web::*;
use common::*;
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one headless Chromium session in it.
struct Browser {
    driver: Child,
    http: Client,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let path = format!("/session/{}", self.session);
        self.http.send("DELETE", &path, None, b"");
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // A Swedish browser, as the units use: dates are typed year, month, day.
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .env("LANGUAGE", "sv")
            .env("LANG", "sv_SE.UTF-8")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver saknas");
        let mut http = Client {
            addr: format!("127.0.0.1:{port}"),
            cookies: Default::default(),
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(&http.addr).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver startade inte"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--no-first-run", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--lang=sv-SE", "--window-size=1280,2000",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let reply = http.send(
            "POST",
            "/session",
            Some("application/json"),
            capabilities.to_string().as_bytes(),
        );
        let value: Value = serde_json::from_slice(&reply.body).unwrap();
        let session = value["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("ingen session: {value}"))
            .to_string();
        let mut browser = Browser {
            driver,
            http,
            session,
            _profile: profile,
        };
        // Elements are looked for until they appear, as the next page may still load.
        browser.call("POST", "/timeouts", json!({"implicit": 10000}));
        browser
    }

    fn call(&mut self, method: &str, path: &str, body: Value) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn try_call(&mut self, method: &str, path: &str, body: Value) -> Result<Value, Value> {
        let path = format!("/session/{}{path}", self.session);
        let body = if method == "GET" {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        let reply = self
            .http
            .send(method, &path, Some("application/json"), &body);
        let value: Value = serde_json::from_slice(&reply.body).unwrap();
        if value["value"]["error"].is_null() {
            Ok(value["value"].clone())
        } else {
            Err(value)
        }
    }

    /// The address of the page shown.
    fn url(&mut self) -> String {
        self.call("GET", "/url", json!({}))
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Waits up to ten seconds for the browser to have left `url` (a click's answer
    /// may still be loading).
    fn left(&mut self, url: &str) {
        let started = Instant::now();
        while self.url() == url {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "blev kvar på {url}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn go(&mut self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    fn find(&mut self, css: &str) -> String {
        let found = self.call(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        found[ELEMENT].as_str().unwrap().to_string()
    }

    fn count(&mut self, css: &str) -> usize {
        let found = self.call(
            "POST",
            "/elements",
            json!({"using": "css selector", "value": css}),
        );
        found.as_array().map_or(0, Vec::len)
    }

    fn fill(&mut self, css: &str, text: &str) {
        let element = self.find(css);
        self.call("POST", &format!("/element/{element}/clear"), json!({}));
        let kind = self.call(
            "GET",
            &format!("/element/{element}/property/type"),
            json!({}),
        );
        if kind == "date" && !text.is_empty() {
            self.type_date(&element, text);
            return;
        }
        if !text.is_empty() {
            self.call(
                "POST",
                &format!("/element/{element}/value"),
                json!({ "text": text }),
            );
        }
    }

    /// Types an ISO date into a date field digit by digit, as a person does, in the
    /// order of the browser's locale (month, day, year in Debian's default), which is
    /// found by reading the field back.
    fn type_date(&mut self, element: &str, date: &str) -> usize {
        for order in 0..DATE_ORDERS {
            self.call("POST", &format!("/element/{element}/clear"), json!({}));
            let keys = date_keys(order, date);
            self.call(
                "POST",
                &format!("/element/{element}/value"),
                json!({ "text": keys }),
            );
            let typed = self.call(
                "GET",
                &format!("/element/{element}/property/value"),
                json!({}),
            );
            if typed == date {
                return order;
            }
        }
        panic!("{date} gick inte att skriva in i datumfältet");
    }

    fn click(&mut self, css: &str) {
        let element = self.find(css);
        self.call("POST", &format!("/element/{element}/click"), json!({}));
    }

    /// Waits up to ten seconds for the page's main content to say `expected` (a click
    /// may still be loading the next page), showing the page if it never does.
    fn says(&mut self, expected: &str) {
        self.says_one_of(&[expected]);
    }

    /// Waits as [`Browser::says`] does for the page to say one of `expected`; returns
    /// which.
    fn says_one_of(&mut self, expected: &[&str]) -> usize {
        let started = Instant::now();
        let mut main = String::new();
        while started.elapsed() < Duration::from_secs(10) {
            let found = self
                .try_call(
                    "POST",
                    "/element",
                    json!({"using": "css selector", "value": "main"}),
                )
                .ok()
                .and_then(|e| e[ELEMENT].as_str().map(String::from));
            if let Some(element) = found
                && let Ok(text) =
                    self.try_call("GET", &format!("/element/{element}/text"), json!({}))
            {
                main = text.as_str().unwrap_or("").to_string();
                if let Some(found) = expected.iter().position(|e| main.contains(e)) {
                    return found;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("väntade ”{}” på sidan:\n{main}", expected.join("” eller ”"));
    }

    /// Runs axe-core (WCAG 2.1 A and AA rules) on the page as it stands and fails with
    /// every violation found, naming the page state. The script is injected through
    /// WebDriver, which the page's Content-Security-Policy does not govern.
    fn audit(&mut self, state: &str) {
        let axe = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/lsp/node_modules/axe-core/axe.min.js"),
        )
        .expect("axe-core saknas: npm ci --prefix tests/lsp");
        self.call("POST", "/execute/sync", json!({"script": axe, "args": []}));
        let found = self.call(
            "POST",
            "/execute/async",
            json!({"script": "const done = arguments[arguments.length - 1]; axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => done({passes: r.passes.length, violations: r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))})).catch(e => done({passes: 0, violations: ['axe: ' + e]}));", "args": []}),
        );
        let violations: Vec<String> = found["violations"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        assert!(violations.is_empty(), "axe, {state}: {violations:#?}");
        assert!(
            found["passes"].as_u64().unwrap_or(0) > 0,
            "axe körde inga regler, {state}: {found}"
        );
        self.made_for_people(state);
    }

    /// SPEC §8.13 on the page as it stands: one `h1`, a `<title>` naming the page, no
    /// word of the program's (a YAML key or value, a command, an ISO timestamp) in what
    /// is shown, and no sideways scrolling at 390 px or at 1280 px.
    fn made_for_people(&mut self, state: &str) {
        let page = self.call(
            "POST",
            "/execute/sync",
            json!({"script": "return {h1: document.querySelectorAll('h1').length, title: document.title, text: document.body.innerText};", "args": []}),
        );
        assert_eq!(page["h1"], 1, "ett h1, {state}");
        let title = page["title"].as_str().unwrap_or("");
        assert!(
            title.contains(" – "),
            "<title> namnger sidan, {state}: {title}"
        );
        let text = page["text"].as_str().unwrap_or("");
        for word in [
            "not_assessed",
            "action_plan",
            "serious:",
            "spur check",
            "spur init",
            "plan_due",
            "follow_up",
        ] {
            assert!(!text.contains(word), "”{word}” syns, {state}: {text}");
        }
        let iso = text.as_bytes().windows(14).any(|w| {
            w[4] == b'-'
                && w[7] == b'-'
                && w[10] == b'T'
                && w[13] == b':'
                && w[..4].iter().all(u8::is_ascii_digit)
        });
        assert!(!iso, "en ISO-tidpunkt syns, {state}: {text}");
        for width in [390, 1280] {
            self.call(
                "POST",
                "/window/rect",
                json!({"width": width, "height": 900}),
            );
            let wide = self.call(
                "POST",
                "/execute/sync",
                json!({"script": "const d = document.documentElement; return d.scrollWidth > d.clientWidth ? Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > d.clientWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40)) : [];", "args": []}),
            );
            let wide = wide.as_array().cloned().unwrap_or_default();
            assert!(
                wide.is_empty(),
                "rullar i sidled vid {width} px, {state}: {wide:#?}"
            );
        }
        self.call(
            "POST",
            "/window/rect",
            json!({"width": 1280, "height": 2000}),
        );
    }

    fn text(&mut self, css: &str) -> String {
        let element = self.find(css);
        self.call("GET", &format!("/element/{element}/text"), json!({}))
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn value(&mut self, css: &str) -> String {
        let element = self.find(css);
        self.call(
            "GET",
            &format!("/element/{element}/property/value"),
            json!({}),
        )
        .as_str()
        .unwrap_or("")
        .to_string()
    }

    /// Presses keys as a keyboard does (WebDriver's key codes: Tab \u{E004}, Enter \u{E007}).
    fn keys(&mut self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|k| {
                [
                    json!({"type": "keyDown", "value": k.to_string()}),
                    json!({"type": "keyUp", "value": k.to_string()}),
                ]
            })
            .collect();
        self.call(
            "POST",
            "/actions",
            json!({"actions": [{"type": "key", "id": "tangentbord", "actions": actions}]}),
        );
    }

    /// The `name` attribute of the focused element.
    fn focused_name(&mut self) -> String {
        let element = self.call("GET", "/element/active", json!({}))[ELEMENT]
            .as_str()
            .unwrap()
            .to_string();
        self.call(
            "GET",
            &format!("/element/{element}/attribute/name"),
            json!({}),
        )
        .as_str()
        .unwrap_or("")
        .to_string()
    }

    /// The focused element: its id, and its text (a button's words).
    fn focused(&mut self) -> (String, String) {
        let element = self.call("GET", "/element/active", json!({}))[ELEMENT]
            .as_str()
            .unwrap()
            .to_string();
        let id = self.call(
            "GET",
            &format!("/element/{element}/attribute/id"),
            json!({}),
        );
        let text = self.call("GET", &format!("/element/{element}/text"), json!({}));
        (
            id.as_str().unwrap_or("").to_string(),
            text.as_str().unwrap_or("").trim().to_string(),
        )
    }

    /// Presses Tab until the focused element is `wanted` (by id or words), at most
    /// `limit` times: how many presses it took, or none if it never was.
    fn tab_to(&mut self, wanted: &str, limit: usize) -> Option<usize> {
        for pressed in 0..limit {
            let (id, text) = self.focused();
            if id == wanted || text == wanted {
                return Some(pressed);
            }
            self.keys("\u{E004}");
        }
        None
    }

    /// The browser's cookies, for fetching a download with the same session.
    fn cookies(&mut self) -> Vec<(String, String)> {
        let all = self.call("GET", "/cookie", json!({}));
        all.as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                (
                    c["name"].as_str().unwrap_or("").to_string(),
                    c["value"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }
}

/// How many orders of year, month and day [`date_keys`] knows.
const DATE_ORDERS: usize = 3;

/// The keys that type an ISO date into a date field in one of the orders browsers
/// use: month-day-year (Debian's default locale), year-month-day (Swedish; a right
/// arrow leaves the year, which may have more than four digits), day-month-year.
fn date_keys(order: usize, date: &str) -> String {
    let [year, month, day] = date.split('-').collect::<Vec<_>>()[..] else {
        return date.to_string();
    };
    match order {
        0 => format!("{month}{day}{year}"),
        1 => format!("{year}\u{E014}{month}{day}"),
        _ => format!("{day}{month}{year}"),
    }
}

/// The seed's seven plan entries, field by field.
fn seed_plan() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(fixture("boo-vardcentral-handlingsplan.yaml")).unwrap();
    let entries =
        spur_cycle::plan_form::entries_of(&spur_core::diagnostic::Source::new("p.yaml", text))
            .expect("the plan reads");
    entries
        .into_iter()
        .flat_map(|(indicator, typed)| {
            typed
                .into_iter()
                .map(move |(f, v)| (indicator.clone(), f, v))
        })
        .collect()
}

/// Fills in `entries` item by item, each on its own page, with "Spara och fortsätt".
fn fill_plan(browser: &mut Browser, link: &str, entries: &[(String, String, String)]) {
    let mut items: Vec<&str> = entries.iter().map(|(i, ..)| i.as_str()).collect();
    items.dedup();
    for item in items {
        browser.go(&format!("{link}/items/{item}"));
        for (_, field, value) in entries.iter().filter(|(i, ..)| i == item) {
            browser.fill(&format!("#{item}-{field}"), value);
        }
        let page = browser.url();
        browser.click("button[name=continue]");
        browser.left(&page);
    }
}

/// Makes a new link for the unit from the inspection's page; when a link is valid (one
/// made before, or e-mailed to a contact), the page first asks, since the old one ends.
fn make_link(browser: &mut Browser) {
    browser.click("form[action$='/link'] button");
    let asked = [
        "Skapa en ny länk till enheten?",
        "Skicka länken till enheten",
    ];
    if browser.says_one_of(&asked) == 0 {
        browser.says("den gamla slutar fungera direkt");
        browser.audit("bekräfta en ny länk");
        browser.click("form[action$='/link'] button");
        browser.says("Skicka länken till enheten");
    }
}

/// Sends the saved plan from "Kontrollera och skicka in".
fn submit_plan(browser: &mut Browser, link: &str) {
    let check = format!("{link}/check");
    browser.go(&check);
    browser.click("button[name=submit]");
    // The answer comes from the plan's own address, whether sent or not.
    browser.left(&check);
}

/// The first admin, made through the setup link in the browser, and logged in.
fn first_admin(browser: &mut Browser, server: &Server, base: &str) {
    browser.go(&format!("{base}/login"));
    browser.audit("inloggningen");
    browser.go(&format!("{base}{}", server.setup.clone().unwrap()));
    browser.audit("första kontot");
    browser.fill("#name", "Anna Lindqvist");
    browser.fill("#email", "anna@example.se");
    browser.fill("#password", PASSWORD);
    browser.fill("#password2", PASSWORD);
    browser.click("button[type=submit]");
    browser.says("Mina granskningar");
    browser.audit("tom lista");
}

/// Logs in as an inspector whose account exists.
fn log_in(browser: &mut Browser, base: &str, email: &str) {
    browser.go(&format!("{base}/login"));
    browser.fill("#email", email);
    browser.fill("#password", PASSWORD);
    browser.click("button[type=submit]");
    browser.says("Mina granskningar");
}

/// The inspector's part up to the link: first admin, upload, link.
fn inspector_creates_link(browser: &mut Browser, server: &Server, base: &str) -> String {
    first_admin(browser, server, base);
    let dir = tempfile::tempdir().unwrap();
    let boo = boo_without_plan(dir.path());
    let input = browser.find("#file");
    browser.call(
        "POST",
        &format!("/element/{input}/value"),
        json!({"text": boo.display().to_string()}),
    );
    browser.click("form[enctype='multipart/form-data'] button[type=submit]");
    browser.says("Gradering");
    browser.audit("utkast");
    // The unit's contact, who gets the unit's e-mails.
    browser.fill("#contact-name", "Eva Ek");
    browser.fill("#contact-role", "studierektor");
    browser.fill("#contact-email", "eva@boo.example.se");
    browser.click("form[action$='/contacts'] button");
    browser.says("Eva Ek, studierektor (eva@boo.example.se)");
    browser.audit("utkast med en kontaktperson");

    // The fact-check: the preliminary report to the unit, a comment, its answer.
    browser.click("form[action$='/fact-check'] button");
    browser.says("Enheten faktagranskar till och med");
    browser.audit("faktagranskning skickad");
    make_link(browser);
    let fact_check_link = browser.value("#lanken");
    let mut unit = Browser::start();
    unit.go(&fact_check_link);
    unit.says("Faktagranskning av rapporten");
    unit.audit("enhetens faktagranskning");
    unit.click("form button.secondary");
    unit.says("Synpunkten sparades inte");
    unit.audit("enhetens synpunkt som inte sparades");
    unit.fill("#text", "Enheten har 20 specialister, inte 12.");
    unit.click("form button.secondary");
    unit.says("Enheten har 20 specialister, inte 12.");
    unit.audit("enhetens faktagranskning med en synpunkt");
    unit.click("button[name=submit]");
    unit.says("Skicka in faktagranskningen?");
    unit.audit("enhetens bekräftelse före inskickningen");
    unit.click("form[action$='/fact-check'] button");
    unit.says("Faktagranskningen är inskickad.");
    unit.says("Synpunkterna är inskickade");
    let inspection = browser.call("GET", "/url", json!({}));
    browser.go(inspection.as_str().unwrap().trim_end_matches("/link"));
    browser.says("Enheten har 20 specialister, inte 12.");
    browser.audit("en synpunkt att svara på");
    browser.click("input[value=corrected]");
    browser.click("form[action$='/fact-check/answer'] button");
    browser.says("Svar: Rättat");
    unit.go(&fact_check_link);
    unit.says("Granskarnas svar: Rättat");
    unit.audit("enhetens faktagranskning besvarad");
    drop(unit);

    browser.click("form[action$='/establish'] button");
    browser.says("Fastställa rapporten?");
    browser.audit("bekräfta fastställandet");
    browser.click("form[action$='/establish'] button");
    browser.says("Rapporten är fastställd");
    browser.audit("fastställd");
    make_link(browser);
    browser.audit("ny länk");
    let link = browser.value("#lanken");
    let inspection = browser.call("GET", "/url", json!({}));
    browser.go(inspection.as_str().unwrap());
    browser.says("Länken har redan visats");
    browser.audit("länken redan visad");
    browser.go(&format!("{base}/finns-inte"));
    browser.audit("sidan finns inte");
    browser.go(&format!("{base}/inspections"));
    browser.audit("listan");
    browser.go(inspection.as_str().unwrap().trim_end_matches("/link"));
    link
}

#[test]
#[ignore = "needs Debian's chromium and chromium-driver, and Python's aiosmtpd (pip); .ci/run installs them"]
fn an_inspector_and_a_unit_do_the_whole_round_in_chromium() {
    let sink = common::smtp::Sink::start(common::smtp::free_port(), 0.0);
    let args = common::smtp::smtp_args(sink.port);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = Server::start_with(&args);
    let base = format!("http://{}", server.addr);
    let mut inspector = Browser::start();
    let mut link = inspector_creates_link(&mut inspector, &server, &base);
    assert!(link.starts_with(&format!("{base}/u/")), "{link}");
    let inspection_url = inspector
        .call("GET", "/url", json!({}))
        .as_str()
        .unwrap()
        .trim_end_matches("/link")
        .to_string();

    let mut unit = Browser::start();
    unit.go(&link);
    unit.says("0 av 8 åtgärder är klara");
    unit.audit("enhetens tomma uppgiftslista");
    unit.click("a[href$='/items/D6']");
    unit.audit("enhetens tomma åtgärd");
    // A link revoked while the unit types: what was typed comes back, and a new link
    // takes over.
    unit.fill("#D6-action", "Text skriven innan länken återkallades.");
    inspector.click("form[action$='/link/revoke'] button");
    inspector.says("Skapa länk till enheten");
    unit.click("button[name=continue]");
    unit.says("Länken har återkallats");
    assert_eq!(
        unit.value("#typed-D6-1"),
        "Text skriven innan länken återkallades."
    );
    unit.audit("texten given tillbaka");
    make_link(&mut inspector);
    link = inspector.value("#lanken");
    inspector.go(&inspection_url);
    let plan = seed_plan();
    let half: Vec<_> = plan
        .iter()
        .filter(|(i, ..)| i.starts_with('D') || i.starts_with('E'))
        .cloned()
        .collect();
    fill_plan(&mut unit, &link, &half);
    unit.go(&link);
    unit.says("Senast sparad");
    unit.says("4 av 8 åtgärder är klara");
    unit.audit("sparad plan");
    unit.go(&format!("{link}/items/D6"));
    assert_eq!(
        unit.value("#D6-responsible"),
        half.iter()
            .find(|(i, f, _)| i == "D6" && f == "responsible")
            .unwrap()
            .2
    );
    unit.audit("ifylld åtgärd");

    let mut wrong = plan.clone();
    for (i, f, v) in wrong.iter_mut() {
        if i == "D6" && f == "deadline" {
            *v = "2024-01-31".into();
        }
        if i == "E1" && f == "responsible" {
            v.clear();
        }
    }
    fill_plan(&mut unit, &link, &wrong);
    submit_plan(&mut unit, &link);
    // The check page shows the problems before the click too: wait for the answer.
    unit.says("Handlingsplanen är inte inskickad");
    let summary = unit.text(".error-summary");
    assert!(
        summary.contains("D6") && summary.contains("E1"),
        "{summary}"
    );
    unit.audit("plan med fel");
    // Each problem links to its field on its item's page.
    unit.click("a[href$='/items/D6#D6-deadline']");
    assert_eq!(unit.count("#D6-deadline-fel"), 1);
    unit.audit("åtgärd med fel");
    fill_plan(&mut unit, &link, &plan);
    unit.audit("kontrollera och skicka in");
    submit_plan(&mut unit, &link);
    unit.says("Handlingsplanen är inskickad");
    unit.audit("inskickad plan");

    // The second inspector: an account the admin adds in the browser, its password
    // chosen through the one-time link; added as a member, Per reviews the plan and
    // gives it back.
    inspector.go(&format!("{base}/accounts"));
    inspector.audit("konton");
    inspector.fill("#name", "Per Ekström");
    inspector.fill("#email", "per@example.se");
    inspector.click("form[action='/accounts'] button[type=submit]");
    inspector.says("Länken har skickats med e-post till per@example.se");
    inspector.audit("lösenordslänk skickad");
    let body = sink.mail_to("per@example.se", Duration::from_secs(20));
    let per_link = format!("{base}{}", common::smtp::token_link(&body, "/password/"));
    let mut per = Browser::start();
    per.go(&per_link);
    per.audit("välj lösenord");
    per.fill("#password", "kort");
    per.fill("#password2", "kort");
    per.click("button[type=submit]");
    per.says("minst 12");
    per.audit("lösenord med fel");
    per.fill("#password", PASSWORD);
    per.fill("#password2", PASSWORD);
    per.click("button[type=submit]");
    per.says("Mina granskningar");
    inspector.go(&format!("{base}/inspections"));
    inspector.click("form[action='/calendar'] button");
    inspector.says("Adressen visas bara nu");
    inspector.audit("kalenderprenumeration");
    // A reload shows the page again, not another address.
    inspector.go(&format!("{base}/calendar"));
    inspector.says("Du har en prenumeration");
    inspector.audit("kalenderprenumerationen igen");
    inspector.go(&format!("{base}/inspections"));
    inspector.says("Återkalla prenumerationen");
    inspector.audit("listan med prenumeration");
    inspector.go(&inspection_url);
    inspector.fill("#member", "per@example.se");
    inspector.click("form[action$='/members'] button");
    inspector.says("Medgranskaren är tillagd");
    inspector.says("Per Ekström (per@example.se)");
    per.go(&inspection_url);
    per.audit("granskning av planen");
    let ids: Vec<String> = plan
        .iter()
        .filter(|(_, f, _)| f == "action")
        .map(|(i, ..)| i.clone())
        .collect();
    for (n, id) in ids.iter().enumerate() {
        if n == 1 {
            per.click(&format!("#{id}-reject"));
            per.fill(&format!("#{id}-reason"), "Tidplan för handledarna saknas.");
        } else {
            per.click(&format!("#{id}-accept"));
        }
    }
    per.click("form[action$='/review'] button[type=submit]");
    per.says("Godkänns inte: Tidplan för handledarna saknas.");
    per.audit("plan åter till enheten");
    drop(per);

    // Back with the unit: the rejected item and why at the top; accepted ones read-only.
    unit.go(&link);
    unit.says("Granskarna har lämnat tillbaka planen");
    unit.says("Tidplan för handledarna saknas.");
    unit.audit("enhetens plan efter retur");
    unit.go(&format!("{link}/items/{}", ids[0]));
    unit.says("Godkänd");
    assert_eq!(
        unit.count("textarea"),
        0,
        "en godkänd åtgärd ska inte gå att ändra"
    );
    unit.audit("godkänd åtgärd");
    let rejected = &ids[1];
    unit.go(&link);
    unit.click(&format!(".notice a[href*='/items/{rejected}']"));
    unit.says("Granskarna godkände inte åtgärden");
    unit.audit("åtgärd åter till enheten");
    let action = unit.value(&format!("#{rejected}-action"));
    unit.fill(
        &format!("#{rejected}-action"),
        &format!("{action} Tidplan: klar 2026-03-01."),
    );
    let page = unit.url();
    unit.click("button[name=continue]");
    unit.left(&page);
    submit_plan(&mut unit, &link);
    unit.says("Handlingsplanen är inskickad");

    inspector.go(&inspection_url);
    for id in &ids {
        inspector.click(&format!("#{id}-accept"));
    }
    // A review missing a reason comes back with every decision and the problem at
    // its field.
    inspector.click(&format!("#{}-reject", ids[0]));
    inspector.click("form[action$='/review'] button[type=submit]");
    inspector.says("Ange varför åtgärden inte godkänns");
    inspector.audit("granskning med fel");
    inspector.click(&format!("#{}-accept", ids[0]));
    inspector.click("form[action$='/review'] button[type=submit]");
    inspector.says("Slutlig rapport");
    inspector.audit("slutlig");
    unit.go(&link);
    unit.says("Granskarna har godkänt handlingsplanen");
    unit.audit("enhetens uppföljning");

    // The follow-up: the unit reports an action done, the inspectors confirm it.
    let first = &ids[0];
    unit.click(&format!("button[name=indicator][value={first}]"));
    unit.says("Rapporten sparades inte");
    unit.audit("enhetens rapport som inte sparades");
    unit.click(&format!("#{first}-done"));
    unit.fill(&format!("#{first}-text"), "Alla IUP är uppdaterade.");
    unit.click(&format!("button[name=indicator][value={first}]"));
    unit.says("Alla IUP är uppdaterade.");
    unit.audit("enhetens uppföljning med en rapport");
    inspector.go(&inspection_url);
    inspector.says("Alla IUP är uppdaterade.");
    inspector.audit("uppföljning att bekräfta");
    inspector.click(&format!(
        "form[action$='/follow-up']:has(input[value={first}]) button[type=submit]"
    ));
    inspector.says("Bekräftad");
    unit.go(&link);
    unit.says("Bekräftad");
    // Every other action reported done and confirmed: the inspection is closed.
    for id in &ids[1..] {
        unit.click(&format!("#{id}-done"));
        unit.fill(
            &format!("#{id}-text"),
            &format!("Åtgärden för {id} är genomförd."),
        );
        unit.click(&format!("button[name=indicator][value={id}]"));
        unit.says(&format!("Åtgärden för {id} är genomförd."));
        inspector.go(&inspection_url);
        inspector.click(&format!(
            "form[action$='/follow-up']:has(input[value={id}]) button[type=submit]"
        ));
        inspector.says(&format!("{id} Bekräftad"));
        unit.go(&link);
    }
    inspector.says("Avslutad: varje åtgärd är bekräftad");
    inspector.audit("avslutad");
    unit.says("Granskningen är avslutad");
    unit.audit("enhetens avslutade uppföljning");
    unit.click("footer a[href='/accessibility']");
    unit.says("Tillgänglighetsredogörelse");
    unit.audit("tillgänglighetsredogörelsen");
    unit.click("footer a[href='/help']");
    unit.says("Granskningens sex steg");
    unit.audit("hjälpen");

    let mut http = Client::new(&server);
    http.cookies = inspector.cookies().into_iter().collect();
    let path = inspection_url.trim_start_matches(&base).to_string();

    // The e-mails of the round (SPEC §8.7), each once: the contact at each turn of the
    // unit's, the inspectors at each submission, Per's password link.
    let mails = sink.wait_for(1, Duration::from_secs(5));
    let to = |who: &str| -> Vec<String> {
        mails
            .iter()
            .filter(|m| m.0 == [who])
            .map(|m| m.1.clone())
            .collect()
    };
    assert_eq!(
        to("eva@boo.example.se"),
        [
            "Preliminär rapport att faktagranska: Boo Vårdcentral",
            "Handlingsplan att fylla i: Boo Vårdcentral",
            "Handlingsplanen åter till er: Boo Vårdcentral",
            "Handlingsplanen godkänd, uppföljning: Boo Vårdcentral",
            "Granskningen är avslutad: Boo Vårdcentral",
        ]
    );
    let reports: Vec<String> = ids
        .iter()
        .map(|id| format!("Boo Vårdcentral: {id} genomförd"))
        .collect();
    let mut anna = vec![
        "Boo Vårdcentral har faktagranskat rapporten".to_string(),
        "Boo Vårdcentral har skickat in sin handlingsplan".to_string(),
        "Boo Vårdcentral har skickat in sin handlingsplan".to_string(),
    ];
    anna.extend(reports.iter().cloned());
    assert_eq!(to("anna@example.se"), anna);
    // Per is told when he is added, and then as Anna is.
    let mut per_mails = vec![
        "Välj lösenord till spur".to_string(),
        "Du är medgranskare: Boo Vårdcentral".to_string(),
        "Boo Vårdcentral har skickat in sin handlingsplan".to_string(),
    ];
    per_mails.extend(reports);
    assert_eq!(to("per@example.se"), per_mails);
    assert_eq!(mails.len(), 5 + 3 + 3 + 2 * ids.len(), "{mails:#?}");
    let page = http.get(&path).text();
    assert_eq!(
        page.matches("<td data-label=\"Läge\">Skickat</td>").count(),
        mails.len() - 1,
        "varje brev om granskningen står som skickat på dess sida"
    );

    let pdf = http.get(&format!("{path}/report.pdf"));
    assert_eq!(pdf.status, 200);
    let text = pdf_text(&pdf.body);
    assert!(text.contains("HANDLINGSPLAN"), "{text}");
    assert_eq!(
        text.matches("Handlingsplan inkommen. Gradering justerad till C.")
            .count(),
        3,
        "D, E och H: {text}"
    );
    for row in [
        "D Tjänstgöringens upplägg D → C D → C",
        "E Handledning och kompetensbedömning D → C D → C",
        "H Ledarskapskompetens och kommunikativ kompetens D → C D → C",
    ] {
        assert!(text.contains(row), "{row} saknas i översikten");
    }
}

#[test]
#[ignore = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver); .ci/run installs them"]
fn a_unit_submits_its_plan_with_the_keyboard_alone() {
    let server = Server::start();
    let base = format!("http://{}", server.addr);
    let mut inspector = Browser::start();
    let link = inspector_creates_link(&mut inspector, &server, &base);
    let mut unit = Browser::start();
    let plan = seed_plan();
    // The browser's order of year, month and day, found on a field and then undone.
    unit.go(&format!("{link}/items/D6"));
    let field = unit.find("#D6-deadline");
    let order = unit.type_date(&field, "2026-05-31");
    unit.call("POST", &format!("/element/{field}/clear"), json!({}));
    // From the top of the task list: Tab to the first item, and on each item's page
    // every field in order, typed into, then "Spara och fortsätt" with Enter.
    unit.go(&link);
    let d6 = spur_core::catalog::Catalog::embedded()
        .indicator("D6")
        .map(|i| i.text.clone())
        .unwrap();
    let mut tabs = unit
        .tab_to(&format!("D6: {d6}"), 20)
        .expect("första åtgärden");
    let mut at = unit.url();
    unit.keys("\u{E007}");
    let mut typed = std::collections::BTreeSet::new();
    // The seed's seven entries, and one recommended item (H10) the unit leaves empty.
    for _ in 0..8 {
        unit.left(&at);
        at = unit.url();
        unit.says("Spara och fortsätt");
        for _ in 0..40 {
            let name = unit.focused_name();
            if name == "continue" {
                break;
            }
            if let Some((indicator, field)) = name.split_once('.')
                && !typed.contains(&name)
                && let Some((.., value)) =
                    plan.iter().find(|(i, f, _)| i == indicator && f == field)
            {
                let keys = if field == "deadline" || field == "follow_up" {
                    date_keys(order, value)
                } else {
                    value.clone()
                };
                unit.keys(&keys);
                typed.insert(name.clone());
            }
            unit.keys("\u{E004}");
            tabs += 1;
        }
        assert_eq!(unit.focused_name(), "continue");
        unit.keys("\u{E007}");
    }
    assert_eq!(typed.len(), plan.len(), "alla fält nåddes inte med tabb");
    // After the last item, "Kontrollera och skicka in": Tab to the button and send.
    unit.left(&at);
    unit.says("Kontrollera och skicka in handlingsplanen");
    let to_submit = unit
        .tab_to("Skicka in handlingsplanen", 40)
        .expect("knappen Skicka in");
    let check = unit.url();
    unit.keys("\u{E007}");
    unit.left(&check);
    unit.says("Handlingsplanen är inskickad");
    tabs += to_submit;
    // Sending a filled-in plan takes a fraction of the 107 presses the one-page form
    // took to reach its button.
    eprintln!("tabbtryck: {tabs} för hela planen; {to_submit} från kontrollsidan till Skicka in");
    assert!(to_submit <= 12, "{to_submit} tabbtryck till Skicka in");
}

/// What the keyboard test types on the first page, by field id.
const UNIT_TYPED: [(&str, &str); 5] = [
    ("unit-name", "Tangentbordets vårdcentral"),
    ("unit-organisation", "Region Exempel"),
    ("unit-specialty", "Allmänmedicin"),
    ("date", "2026-10-01"),
    ("inspectors", "Anna Lindqvist"),
];

#[test]
#[ignore = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver); .ci/run installs them"]
fn an_inspector_writes_a_whole_questionnaire_with_the_keyboard_alone() {
    let server = Server::start();
    let base = format!("http://{}", server.addr);
    let mut b = Browser::start();
    first_admin(&mut b, &server, &base);
    let mut presses = 0;
    assert!(b.tab_to("Skriv i webbläsaren", 40).is_some());
    b.keys("\u{E007}");
    b.says("Ej påbörjad");
    b.audit("frågeformulärets översikt, tom");
    // The inspection's home while nothing is written yet: stages, what is left, people.
    let overview = b.url();
    b.go(overview.trim_end_matches("/questionnaire"));
    b.says("saker återstår att fylla i eller rätta");
    b.audit("granskningens hem, utkast med fel");
    b.go(&overview);
    b.says("Ej påbörjad");
    assert!(b.tab_to("Enheten och granskningen", 40).is_some());
    b.keys("\u{E007}");
    b.says("Enhetens namn");
    b.audit("första sidan, tom");

    // Every page from the top, Tab by Tab: the unit's fields typed, 2021 ticked, each
    // indicator answered Uppfylld with the space bar, then "Spara och gå till …".
    let mut typed = std::collections::BTreeSet::new();
    let mut answered = 0;
    let mut pages = 0;
    while pages < 11 {
        let (id, text) = b.focused();
        if let Some((_, value)) = UNIT_TYPED.iter().find(|(f, _)| *f == id)
            && typed.insert(id.clone())
        {
            b.keys(value);
        } else if id == "regulations-2" && typed.insert(id.clone()) {
            b.keys(" ");
        } else if id.ends_with("-answer") && typed.insert(id.clone()) {
            b.keys(" ");
            answered += 1;
        } else if text.starts_with("Spara och gå till") || (pages == 10 && text == "Spara") {
            b.keys("\u{E007}");
            pages += 1;
            if pages < 11 {
                b.says("Sidor");
            }
            match pages {
                1 => b.audit("sammanfattningen, tomma listor"),
                2 => b.audit("enkäten"),
                _ => {}
            }
            continue;
        }
        b.keys("\u{E004}");
        presses += 1;
        assert!(presses < 2000, "sidorna nåddes inte med tabb");
    }
    assert!(answered > 60, "{answered} svar");
    b.says("Senast sparad");
    b.audit("ett område, ifyllt");
    let here = b.call("GET", "/url", json!({}));
    let (inspection, _) = here
        .as_str()
        .unwrap()
        .rsplit_once("/questionnaire")
        .unwrap();
    b.go(&format!("{inspection}/questionnaire"));
    b.says("Frågeformuläret har inga fel");
    b.says("Gradering");
    b.audit("frågeformulärets översikt, klar");
    // Every page but the two left empty (the summary and the survey) is done.
    assert_eq!(b.count("strong.tag.done"), 9);
    assert_eq!(b.count("strong.tag.error"), 0);
}

#[test]
#[ignore = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver); .ci/run installs them"]
fn two_inspectors_edit_one_area_at_once_in_chromium() {
    let (server, mut http) = with_admin();
    let base = format!("http://{}", server.addr);
    add_account(&server, "per@example.se", "Per Ekström");
    let token = csrf(&mut http);
    let inspection = http
        .post("/inspections/new", &[("csrf", &token)])
        .header("location")
        .unwrap()
        .trim_end_matches("/questionnaire")
        .to_string();
    let added = http.post(
        &format!("{inspection}/members"),
        &[("csrf", &token), ("email", "per@example.se")],
    );
    assert_eq!(added.status, 303);
    let dir = tempfile::tempdir().unwrap();
    let boo = std::fs::read(boo_without_plan(dir.path())).unwrap();
    let up = http.upload(
        &format!("{inspection}/questionnaire"),
        &token,
        "boo.yaml",
        &boo,
    );
    assert_eq!(up.status, 303, "{}", up.text());

    let mut anna = Browser::start();
    let mut per = Browser::start();
    log_in(&mut anna, &base, "anna@example.se");
    log_in(&mut per, &base, "per@example.se");
    let area = format!("{base}{inspection}/questionnaire/e");
    anna.go(&area);
    per.go(&area);
    anna.says("Områdets gradering just nu");
    anna.audit("ett område, uppladdat");

    // Different fields: each saves shortly after typing, and both are kept.
    anna.fill("#E2-comment", "Annas text om E2.");
    anna.says("Sparat ");
    per.fill("#E3-comment", "Pers text om E3.");
    per.says("En annan granskare har också sparat");
    // The same field: the later text is kept beside the stored one.
    anna.fill("#E4-comment", "Annas text om E4.");
    anna.says("Sparat ");
    per.fill("#E4-comment", "Pers text om E4.");
    per.says("Ett fält har nu två texter");

    anna.go(&area);
    anna.says("Pers text om E3.");
    anna.says("Per Ekström sparade en annan text här samtidigt");
    anna.says("Pers text om E4.");
    assert_eq!(anna.value("#E4-comment"), "Annas text om E4.");
    anna.audit("ett fält med två texter");
    anna.click("button[name=use-theirs]");
    anna.says("Senast sparad");
    assert_eq!(anna.value("#E4-comment"), "Pers text om E4.");
    assert_eq!(anna.value("#E2-comment"), "Annas text om E2.");
    assert_eq!(anna.value("#E3-comment"), "Pers text om E3.");

    // A wrong date: the page comes back with the error summary and the text as typed.
    anna.go(&format!("{base}{inspection}/questionnaire/unit"));
    anna.fill("#date", "igår");
    anna.click(".actions button");
    anna.says("Att rätta på sidan");
    assert_eq!(anna.value("#date"), "igår");
    anna.audit("en sida med fel");
    anna.fill("#unit-name", &"x".repeat(201));
    anna.click(".actions button");
    anna.says("Ändringarna sparades inte");
    anna.audit("en sida vars text gavs tillbaka");
    anna.go(&format!("{base}{inspection}/questionnaire/summary"));
    anna.audit("sammanfattningen med punkter");

    let overview = http.get(&format!("{inspection}/questionnaire")).text();
    assert_eq!(
        overview
            .matches("<td data-label=\"Vad\">val mellan två texter</td>")
            .count(),
        1,
        "{overview}"
    );
    assert!(
        overview
            .matches("<td data-label=\"Vad\">sparad i formuläret</td>")
            .count()
            >= 4,
        "{overview}"
    );
    assert_eq!(
        overview
            .matches("<td data-label=\"Vad\">uppladdad fil</td>")
            .count(),
        1,
        "{overview}"
    );
}

#[test]
#[ignore = "needs Debian's chromium and chromium-driver, and Python's aiosmtpd (pip); .ci/run installs them"]
fn a_forgotten_password_is_reset_in_chromium() {
    let sink = common::smtp::Sink::start(common::smtp::free_port(), 0.0);
    let (server, mut anna) = common::smtp::start_mailing(sink.port);
    let base = format!("http://{}", server.addr);
    // An inspection with the unit's contacts and an e-mail sent, for its page's audit.
    let token = csrf(&mut anna);
    let up = anna.upload(
        "/inspections",
        &token,
        "boo.yaml",
        boo_without_plan_text().as_bytes(),
    );
    let inspection = up.header("location").unwrap().to_string();
    let added = post_csrf(
        &mut anna,
        &format!("{inspection}/contacts"),
        &[
            ("name", "Eva Ek"),
            ("role", "studierektor"),
            ("email", "eva@boo.example.se"),
        ],
    );
    assert_eq!(added.status, 303);
    assert_eq!(
        post_csrf(&mut anna, &format!("{inspection}/fact-check"), &[]).status,
        303
    );
    // A first try that fails under load is tried again after ten seconds.
    let mails = sink.wait_for(1, Duration::from_secs(60));
    assert_eq!(mails.len(), 1, "{}", anna.get(&inspection).text());

    let mut browser = Browser::start();
    browser.go(&format!("{base}/login"));
    browser.click("a[href='/forgot-password']");
    browser.says("Glömt lösenordet?");
    browser.audit("glömt lösenordet");
    browser.fill("#email", "anna@example.se");
    browser.click("button[type=submit]");
    browser.says("hör till ett konto i spur");
    browser.audit("glömt lösenordet, skickat");
    let mails = sink.wait_for(2, Duration::from_secs(20));
    assert_eq!(mails.len(), 2, "{mails:#?}");
    let link = format!(
        "{base}{}",
        common::smtp::token_link(&mails[1].2, "/password/")
    );
    browser.go(&link);
    let new = "ett nytt långt lösenord";
    browser.fill("#password", new);
    browser.fill("#password2", new);
    browser.click("button[type=submit]");
    browser.says("Mina granskningar");
    browser.click("form[action='/logout'] button");
    browser.says("Logga in");
    browser.fill("#email", "anna@example.se");
    browser.fill("#password", new);
    browser.click("button[type=submit]");
    browser.says("Mina granskningar");
    browser.go(&format!("{base}{inspection}"));
    browser.says("Enhetens kontaktpersoner");
    browser.audit("granskningen med kontaktpersoner och e-post");
}
