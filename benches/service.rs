//! The service under load: 50 units saving their plans at once against one `spur
//! serve`, then submitting them; latencies, errors, every acknowledged save looked up
//! afterwards, the report PDF's latency with a warm renderer, the server's peak memory,
//! and a `kill -9` in the middle of the load followed by a restart and an integrity
//! check. Run with `cargo bench --profile dev --bench service` (add `-- 5` for a
//! five-second load).

// The tests' HTTP client; the bench seeds and starts its own server, so part of the
// module goes unused here.
#[allow(dead_code)]
#[path = "../tests/common/web.rs"]
mod web;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use spur::service::{Account, Store, hash_token};
use web::{Client, Reply};

const UNITS: usize = 50;
const BOO: &str = include_str!("../fixtures/boo-vardcentral.yaml");
const PLAN: &str = include_str!("../fixtures/boo-vardcentral-handlingsplan.yaml");

/// A database with one inspector and `UNITS` inspections of Boo, each with a link;
/// returns the links' paths.
fn seed(db: &Path) -> Vec<String> {
    let store = Store::open(db).expect("databasen");
    let id = store
        .add_account("anna@example.se", "Anna", "x", true)
        .expect("konto");
    let anna = Account {
        id,
        email: "anna@example.se".into(),
        name: "Anna".into(),
        admin: true,
    };
    let questionnaire = &BOO[..=BOO.find("\naction_plan:").expect("Boo har en plan")];
    (0..UNITS)
        .map(|i| {
            let inspection = store
                .create_inspection(&anna, questionnaire)
                .expect("granskning");
            let token = format!("{i:064x}");
            store
                .create_link(inspection, &hash_token(&token), "2099-12-31")
                .expect("länk");
            format!("/u/{token}")
        })
        .collect()
}

fn start(db: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spur"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spur serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("adress");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("adress")
        .to_string();
    (child, addr)
}

/// One unit's save: the form's fields with a marker to find the save by afterwards.
fn save(client: &mut Client, link: &str, marker: &str) -> (Reply, Duration) {
    let page = client.get(link);
    let csrf = page.hidden("csrf");
    let version = page
        .text()
        .contains("name=\"version\"")
        .then(|| page.hidden("version"));
    let action = format!("Åtgärd {marker}: veckovis handledning med utgångspunkt i IUP.");
    let mut pairs = vec![
        ("csrf", csrf.as_str()),
        ("D6.action", action.as_str()),
        ("D6.responsible", "ST-chef"),
        ("save", "1"),
    ];
    if let Some(v) = &version {
        pairs.push(("version", v));
    }
    let started = Instant::now();
    let reply = client.post(link, &pairs);
    (reply, started.elapsed())
}

/// The seed's plan as form fields.
fn seed_plan() -> Vec<(String, String)> {
    let entries =
        spur::plan_form::entries_of(&spur::diagnostic::Source::new("p.yaml", PLAN.to_string()));
    entries
        .into_iter()
        .flat_map(|(i, typed)| typed.into_iter().map(move |(f, v)| (format!("{i}.{f}"), v)))
        .collect()
}

/// Saves from every unit for `seconds`; returns latencies, errors and the markers of
/// acknowledged saves.
fn load(addr: &str, links: &[String], seconds: u64) -> (Vec<Duration>, usize, Vec<String>) {
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(Mutex::new(0usize));
    let until = Instant::now() + Duration::from_secs(seconds);
    std::thread::scope(|scope| {
        for (n, link) in links.iter().enumerate() {
            let (latencies, acknowledged, errors) =
                (latencies.clone(), acknowledged.clone(), errors.clone());
            scope.spawn(move || {
                let mut client = Client {
                    addr: addr.to_string(),
                    cookies: BTreeMap::new(),
                };
                let mut i = 0;
                while Instant::now() < until {
                    let marker = format!("enhet{n}-spar{i}");
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        save(&mut client, link, &marker)
                    }));
                    match result {
                        Ok((reply, took)) if reply.status == 200 => {
                            latencies.lock().expect("lås").push(took);
                            acknowledged.lock().expect("lås").push(marker);
                        }
                        _ => *errors.lock().expect("lås") += 1,
                    }
                    i += 1;
                }
            });
        }
    });
    let latencies = latencies.lock().expect("lås").clone();
    let errors = *errors.lock().expect("lås");
    let acknowledged = acknowledged.lock().expect("lås").clone();
    (latencies, errors, acknowledged)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// How many of `markers` are not in the database.
fn missing(db: &Path, markers: &[String]) -> usize {
    let conn = rusqlite::Connection::open(db).expect("databasen");
    let texts: Vec<String> = conn
        .prepare("SELECT text FROM plan_saves")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("planer");
    let all = texts.join("\n");
    markers
        .iter()
        .filter(|m| !all.contains(&format!("{m}:")))
        .count()
}

fn peak_memory_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(String::from)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn main() {
    let seconds: u64 = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(20);
    let dir = tempfile::tempdir().expect("katalog");
    let db = dir.path().join("last.sqlite");
    let links = seed(&db);
    let (mut server, addr) = start(&db);

    let (mut latencies, errors, acknowledged) = load(&addr, &links, seconds);
    latencies.sort();
    println!(
        "{UNITS} enheter sparar i {seconds} s: {} sparningar, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, fel {errors}",
        latencies.len(),
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
    );

    let plan = seed_plan();
    let mut submits = Vec::new();
    for link in &links {
        let mut client = Client {
            addr: addr.clone(),
            cookies: BTreeMap::new(),
        };
        let page = client.get(link);
        let csrf = page.hidden("csrf");
        let version = page.hidden("version");
        let mut pairs: Vec<(&str, &str)> =
            plan.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        pairs.extend([
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("submit", "1"),
        ]);
        let started = Instant::now();
        let reply = client.post(link, &pairs);
        submits.push(started.elapsed());
        assert_eq!(reply.status, 303, "inskickningen misslyckades");
    }
    submits.sort();
    println!(
        "{UNITS} inskickningar (kontroll enligt plan-check): p50 {:.1} ms, p99 {:.1} ms",
        percentile(&submits, 0.5).as_secs_f64() * 1000.0,
        percentile(&submits, 0.99).as_secs_f64() * 1000.0
    );

    let mut client = Client {
        addr: addr.clone(),
        cookies: BTreeMap::new(),
    };
    let report = format!("{}/report.pdf", links[0]);
    client.get(&report);
    let mut pdfs: Vec<Duration> = (0..20)
        .map(|_| {
            let started = Instant::now();
            let reply = client.get(&report);
            assert_eq!(reply.status, 200);
            started.elapsed()
        })
        .collect();
    pdfs.sort();
    println!(
        "Slutlig rapport som PDF (varm renderare): median {:.0} ms",
        percentile(&pdfs, 0.5).as_secs_f64() * 1000.0
    );
    println!(
        "Serverns högsta minnesanvändning: {} MiB",
        peak_memory_kib(server.id()) / 1024
    );
    let _ = server.kill();
    let _ = server.wait();
    println!(
        "Kvitterade sparningar som saknas i databasen: {} av {}",
        missing(&db, &acknowledged),
        acknowledged.len()
    );

    // Requests cut off by the kill fail in the client: expected, and not worth a trace.
    std::panic::set_hook(Box::new(|_| {}));
    let crash_db = dir.path().join("krasch.sqlite");
    let links = seed(&crash_db);
    let (mut server, addr) = start(&crash_db);
    let pid = server.id();
    let killer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs((seconds / 2).max(1)));
        Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .expect("kill");
    });
    let (_, _, acknowledged) = load(&addr, &links, seconds);
    killer.join().expect("kill -9");
    let _ = server.wait();
    let (mut restarted, _) = start(&crash_db);
    let integrity = Store::open(&crash_db)
        .and_then(|s| s.integrity())
        .unwrap_or_else(|e| e.to_string());
    let _ = restarted.kill();
    let _ = restarted.wait();
    println!(
        "kill -9 mitt i lasten, omstart: integrity_check {integrity}; kvitterade sparningar som saknas: {} av {}",
        missing(&crash_db, &acknowledged),
        acknowledged.len()
    );
}
