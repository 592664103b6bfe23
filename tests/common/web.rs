//! A real `spur serve` process on 127.0.0.1:0, and a small HTTP/1.1 client that keeps
//! cookies as a browser does, for the service's tests and benchmark.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use spur_cycle::draft::{Draft, Field, Page, Value};

/// A running service on a fresh database, stopped when dropped.
pub struct Server {
    child: Child,
    /// HOST:PORT.
    pub addr: String,
    /// The one-time path that creates the first admin.
    pub setup: Option<String>,
    /// The whole line that printed the first admin's link.
    pub setup_line: Option<String>,
    _dir: tempfile::TempDir,
    /// The database file.
    pub db: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the service on a new database.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// Starts the service on a new database, with more arguments to `spur serve`.
    pub fn start_with(args: &[&str]) -> Server {
        Server::start_in(tempfile::tempdir().unwrap(), args, true)
    }

    /// Kills the service with SIGKILL, as a crash would, and starts it again on the
    /// same database with `args`.
    pub fn restart(mut self, args: &[&str]) -> Server {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let moved = std::mem::replace(&mut self._dir, dir);
        Server::start_in(moved, args, false)
    }

    /// The service on the database in `dir`; `fresh` when it has no account yet, so
    /// that it prints the first admin's link.
    fn start_in(dir: tempfile::TempDir, args: &[&str], fresh: bool) -> Server {
        let db = dir.path().join("spur.sqlite");
        let mut child = Command::new(env!("CARGO_BIN_EXE_spur"))
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(&db)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap()
            .to_string();
        let setup_line = lines
            .take(if fresh { 3 } else { 0 })
            .filter_map(|l| l.ok())
            .find(|l| l.contains("/setup/"));
        let setup = setup_line.as_ref().and_then(|l| {
            l.split_once("/setup/")
                .map(|(_, t)| format!("/setup/{}", t.trim()))
        });
        Server {
            child,
            addr,
            setup,
            setup_line,
            _dir: dir,
            db,
        }
    }
}

impl Server {
    /// The server process's id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the server process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

/// An HTTP response.
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// The first header called `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The value of the hidden field `name` on the page.
    pub fn hidden(&self, name: &str) -> String {
        let text = self.text();
        let marker = format!("name=\"{name}\" value=\"");
        let start = text
            .find(&marker)
            .unwrap_or_else(|| panic!("{name} saknas:\n{text}"))
            + marker.len();
        text[start..].split('"').next().unwrap().to_string()
    }
}

/// A browser-like client: keeps cookies, sends one request per connection.
pub struct Client {
    /// HOST:PORT.
    pub addr: String,
    /// The cookies kept.
    pub cookies: BTreeMap<String, String>,
}

/// Percent-encodes form data.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A form body.
pub fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

impl Client {
    /// A client without cookies.
    pub fn new(server: &Server) -> Client {
        Client {
            addr: server.addr.clone(),
            cookies: BTreeMap::new(),
        }
    }

    /// One request on a new connection.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Reply {
        self.send_with(method, path, content_type, &[], body)
    }

    /// One request on a new connection, with `extra` headers.
    pub fn send_with(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        extra: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if !cookie.is_empty() {
            head.push_str(&format!("Cookie: {}\r\n", cookie.join("; ")));
        }
        if let Some(t) = content_type {
            head.push_str(&format!("Content-Type: {t}\r\n"));
        }
        for (name, value) in extra {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        // A server may answer and close before a refused body is all sent.
        let _ = stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body));
        // Read to the end of the body as its length says: not every server closes the
        // connection when asked to.
        let mut raw = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            let n = stream.read(&mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
            if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok());
                let done = match length {
                    Some(length) => raw.len() >= split + 4 + length,
                    None => head.contains("chunked") && raw.ends_with(b"0\r\n\r\n"),
                };
                if done {
                    break;
                }
            }
        }
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("inget svar");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie")
                && let Some((name, rest)) = v.split_once('=')
            {
                let value = rest.split(';').next().unwrap_or("");
                if value.is_empty() {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
        }
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
        {
            body = unchunk(&body);
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    /// GET.
    pub fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, None, b"")
    }

    /// POST of a form.
    pub fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        self.send(
            "POST",
            path,
            Some("application/x-www-form-urlencoded"),
            &form(pairs),
        )
    }

    /// POST of a file as multipart form data.
    pub fn upload(&mut self, path: &str, csrf: &str, name: &str, file: &[u8]) -> Reply {
        self.upload_files(path, csrf, &[("file", name, file)])
    }

    /// Posts an upload form with several files, each as (field, file name, bytes).
    pub fn upload_files(&mut self, path: &str, csrf: &str, files: &[(&str, &str, &[u8])]) -> Reply {
        let boundary = "spurtestgrans";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
        )
        .into_bytes();
        for (field, name, file) in files {
            body.extend_from_slice(format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/yaml\r\n\r\n"
            ).as_bytes());
            body.extend_from_slice(file);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            "POST",
            path,
            Some(&format!("multipart/form-data; boundary={boundary}")),
            &body,
        )
    }

    /// Logs in through the login form.
    pub fn login(&mut self, email: &str, password: &str) -> Reply {
        let page = self.get("/login");
        let csrf = page.hidden("csrf");
        self.post(
            "/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
    }
}

fn unchunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = &rest[end + 2 + size + 2..];
    }
    out
}

/// The password every test account gets.
pub const PASSWORD: &str = "ett långt lösenord";

/// A server whose first admin, made through the setup link, is logged in.
pub fn with_admin_on(server: Server) -> (Server, Client) {
    let setup = server.setup.clone().expect("ingen länk för första kontot");
    let mut admin = Client::new(&server);
    let page = admin.get(&setup);
    assert_eq!(page.status, 200, "{}", page.text());
    let done = admin.post(
        &setup,
        &[
            ("csrf", &page.hidden("csrf")),
            ("name", "Anna Lindqvist"),
            ("email", "anna@example.se"),
            ("password", PASSWORD),
            ("password2", PASSWORD),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.text());
    (server, admin)
}

/// [`with_admin_on`] a new server.
pub fn with_admin() -> (Server, Client) {
    with_admin_on(Server::start())
}

/// The CSRF token of the inspector's session, from any page with a form.
pub fn csrf(client: &mut Client) -> String {
    client.get("/inspections").hidden("csrf")
}

/// Adds an inspector's account to the server's database with `spur user add`.
pub fn add_account(server: &Server, email: &str, name: &str) {
    use std::io::Write as _;
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_spur"))
        .args(["user", "add", email, "--name", name, "--db"])
        .arg(&server.db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(format!("{PASSWORD}\n").as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(o.status.success(), "spur user add misslyckades");
}

/// Starts an inspection from an empty questionnaire; returns its path.
pub fn start_draft(client: &mut Client) -> String {
    let token = csrf(client);
    let reply = client.post("/inspections/new", &[("csrf", &token)]);
    assert_eq!(reply.status, 303, "{}", reply.text());
    let overview = reply.header("location").unwrap().to_string();
    overview.trim_end_matches("/questionnaire").to_string()
}

/// The form of `page` as a browser sends it when its fields show `draft`: every
/// field, an unticked box or radio group left out, with `extra` pairs.
pub fn page_form(
    page: Page,
    draft: &Draft,
    shown: &Reply,
    extra: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("csrf".to_string(), shown.hidden("csrf")),
        ("version".to_string(), shown.hidden("version")),
    ];
    for field in page.fields(spur_core::catalog::Catalog::embedded(), draft) {
        match draft.get(&field) {
            Value::List(items) => {
                pairs.extend(items.into_iter().map(|i| (field.name(), i)));
                pairs.push((field.name(), String::new()));
            }
            Value::Text(t)
                if t.is_empty() && matches!(field, Field::Answer(_) | Field::Serious(_)) => {}
            Value::Text(t) => pairs.push((field.name(), t)),
        }
    }
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    pairs
}

pub fn post_pairs(client: &mut Client, path: &str, pairs: &[(String, String)]) -> Reply {
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post(path, &borrowed)
}

/// Fills every page of `inspection` from `draft`, as one inspector would.
pub fn fill(client: &mut Client, inspection: &str, draft: &Draft) {
    for page in Page::all(spur_core::catalog::Catalog::embedded()) {
        let path = format!("{inspection}/questionnaire/{}", page.key());
        let shown = client.get(&path);
        assert_eq!(shown.status, 200, "{path}");
        let reply = post_pairs(client, &path, &page_form(page, draft, &shown, &[]));
        assert_eq!(reply.status, 303, "{path}: {}", reply.text());
    }
}

/// Creates a new link for the unit, as the page shows it once; returns its path.
pub fn new_link(client: &mut Client, inspection: &str) -> String {
    let token = csrf(client);
    let made = client.post(
        &format!("{inspection}/link"),
        &[("csrf", &token), ("confirmed", "yes")],
    );
    assert_eq!(made.status, 303, "{}", made.text());
    let page = client.get(made.header("location").unwrap());
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    let start = text.find("/u/").expect("länken visas inte");
    text[start..].split('"').next().unwrap().to_string()
}

/// The unit answers its fact-check through `link`: "Inga synpunkter".
pub fn no_comments(client: &Client, link: &str) {
    let mut unit = Client {
        addr: client.addr.clone(),
        cookies: BTreeMap::new(),
    };
    let page = unit.get(&format!("{link}/fact-check"));
    assert_eq!(page.status, 200, "{}", page.text());
    let sent = unit.post(
        &format!("{link}/fact-check"),
        &[
            ("csrf", &page.hidden("csrf")),
            ("submit", "1"),
            ("confirmed", "yes"),
        ],
    );
    assert_eq!(sent.status, 303, "{}", sent.text());
}

/// Sends the report to the unit's fact-check, makes the unit's link, lets the unit
/// answer "Inga synpunkter", and establishes the report; returns the link's path.
pub fn establish_with_link(client: &mut Client, inspection: &str) -> String {
    let token = csrf(client);
    let sent = client.post(&format!("{inspection}/fact-check"), &[("csrf", &token)]);
    assert_eq!(sent.status, 303, "{}", sent.text());
    let link = new_link(client, inspection);
    no_comments(client, &link);
    let done = client.post(
        &format!("{inspection}/establish"),
        &[("csrf", &token), ("confirmed", "yes")],
    );
    assert_eq!(done.status, 303, "{}", done.text());
    link
}

/// The seed's seven plan items as the unit's form fields.
pub fn seed_plan() -> Vec<(String, String)> {
    let text = include_str!("../../fixtures/boo-vardcentral-handlingsplan.yaml").to_string();
    spur_cycle::plan_form::entries_of(&spur_core::diagnostic::Source::new("p.yaml", text))
        .expect("the seed's plan reads")
        .into_iter()
        .flat_map(|(i, t)| t.into_iter().map(move |(f, v)| (format!("{i}.{f}"), v)))
        .collect()
}

/// Posts `fields` to `action` from a page of the unit's link, with the page's CSRF
/// token and plan version, and `button`.
pub fn unit_form(
    unit: &mut Client,
    page: &str,
    action: &str,
    fields: &[(String, String)],
    button: &str,
) -> Reply {
    let shown = unit.get(page);
    let csrf = shown.hidden("csrf");
    let version = shown
        .text()
        .contains("name=\"version\"")
        .then(|| shown.hidden("version"));
    let mut pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.push(("csrf", &csrf));
    if let Some(v) = &version {
        pairs.push(("version", v));
    }
    pairs.push((button, "1"));
    unit.post(action, &pairs)
}

/// Saves `fields` (`D6.action` and so on) item by item, each on its own page, as the
/// unit's "Spara och fortsätt" does; with `button` "submit", then sends the plan from
/// "Kontrollera och skicka in". The first answer that is not a redirect, else the last.
pub fn unit_post(
    unit: &mut Client,
    link: &str,
    fields: &[(String, String)],
    button: &str,
) -> Reply {
    let mut items: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for (k, v) in fields {
        let indicator = k.split_once('.').map_or(k.as_str(), |(i, _)| i);
        items
            .entry(indicator)
            .or_default()
            .push((k.clone(), v.clone()));
    }
    let mut last = None;
    for (indicator, fields) in items {
        let item = format!("{link}/items/{indicator}");
        // An accepted item's page has no form: the unit cannot change it.
        if !unit.get(&item).text().contains("name=\"csrf\"") {
            continue;
        }
        let reply = unit_form(unit, &item, &item, &fields, "continue");
        if reply.status != 303 {
            return reply;
        }
        last = Some(reply);
    }
    if button == "submit" {
        return unit_form(unit, &format!("{link}/check"), link, &[], "submit");
    }
    last.unwrap_or_else(|| unit.get(link))
}

/// Accepts every entry of the submitted seed plan.
pub fn accept_all(client: &mut Client, inspection: &str) {
    let page = client.get(inspection);
    let mut pairs: Vec<(String, String)> = seed_plan()
        .iter()
        .filter_map(|(k, _)| k.strip_suffix(".action"))
        .map(|id| (format!("{id}.decision"), "accept".to_string()))
        .collect();
    pairs.push(("csrf".into(), page.hidden("csrf")));
    pairs.push(("version".into(), page.hidden("version")));
    let reply = post_pairs(client, &format!("{inspection}/review"), &pairs);
    assert_eq!(reply.status, 303, "{}", reply.text());
}

/// Posts `pairs` to `path` with the session's CSRF token.
pub fn post_csrf(client: &mut Client, path: &str, pairs: &[(&str, &str)]) -> Reply {
    let token = csrf(client);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(pairs);
    client.post(path, &all)
}

/// The indicators of the seed plan.
pub fn plan_ids() -> Vec<String> {
    seed_plan()
        .iter()
        .filter_map(|(k, _)| k.strip_suffix(".action").map(String::from))
        .collect()
}

/// A review of every entry: `reject` rejected with `reason`, the rest accepted.
pub fn review(
    inspector: &mut Client,
    inspection: &str,
    version: &str,
    reject: Option<(&str, &str)>,
) -> Reply {
    let mut pairs: Vec<(String, String)> = plan_ids()
        .into_iter()
        .map(|id| {
            let verdict = if reject.is_some_and(|(r, _)| r == id) {
                "reject"
            } else {
                "accept"
            };
            (format!("{id}.decision"), verdict.to_string())
        })
        .collect();
    if let Some((id, reason)) = reject {
        pairs.push((format!("{id}.reason"), reason.to_string()));
    }
    pairs.push(("version".into(), version.into()));
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_csrf(inspector, &format!("{inspection}/review"), &borrowed)
}
