//! A real SMTP server for the e-mail tests: Python's aiosmtpd running
//! `tests/mail/smtp_sink.py`, which `.ci/run` installs; and a `spur serve` that sends
//! through it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::web::{Client, Server, with_admin_on};

/// The SMTP server process, stopped when dropped.
pub struct Sink {
    child: Child,
    /// Where it listens.
    pub port: u16,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The path in an e-mail's text that begins with `prefix` (`/u/`, `/password/`) and
/// goes on with a token of 64 hex digits.
pub fn token_link(body: &str, prefix: &str) -> String {
    let start = body
        .find(prefix)
        .unwrap_or_else(|| panic!("ingen länk {prefix} i brevet:\n{body}"));
    let link: String = body[start..].chars().take(prefix.len() + 64).collect();
    assert!(
        link.len() == prefix.len() + 64
            && link[prefix.len()..].chars().all(|c| c.is_ascii_hexdigit()),
        "{link}"
    );
    link
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Sink {
    /// Starts aiosmtpd on `port`, answering each message's data after `delay` seconds.
    pub fn start(port: u16, delay: f64) -> Sink {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mail.jsonl");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&out)
            .arg(delay.to_string())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert_eq!(first.trim(), "ready", "aiosmtpd startade inte");
        Sink {
            child,
            port,
            out,
            _dir: dir,
        }
    }

    /// Every message received so far: (recipients, subject, body).
    pub fn received(&self) -> Vec<(Vec<String>, String, String)> {
        let text = std::fs::read_to_string(&self.out).unwrap_or_default();
        text.lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                let to = v["to"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_string())
                    .collect();
                let text = |k: &str| v[k].as_str().unwrap().to_string();
                (to, text("subject"), text("body"))
            })
            .collect()
    }

    /// Waits until `count` messages have come, and a little more for any beyond them.
    pub fn wait_for(&self, count: usize, within: Duration) -> Vec<(Vec<String>, String, String)> {
        let start = Instant::now();
        while self.received().len() < count && start.elapsed() < within {
            std::thread::sleep(Duration::from_millis(100));
        }
        // The sender looks at the outbox every second: a duplicate would come by now.
        std::thread::sleep(Duration::from_millis(2500));
        self.received()
    }

    /// The text of the first e-mail to `who`, waiting up to `within` for it.
    pub fn mail_to(&self, who: &str, within: Duration) -> String {
        let start = Instant::now();
        loop {
            if let Some((_, _, body)) = self.received().into_iter().find(|m| m.0 == [who]) {
                return body;
            }
            assert!(start.elapsed() < within, "inget brev till {who}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The `spur serve` arguments that send through `port`.
pub fn smtp_args(port: u16) -> Vec<String> {
    vec![
        "--smtp".into(),
        format!("smtp://127.0.0.1:{port}"),
        "--mail-from".into(),
        "spur <spur@example.se>".into(),
    ]
}

/// A new service that sends through `port`, with its first admin logged in.
pub fn start_mailing(port: u16) -> (Server, Client) {
    let args = smtp_args(port);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    with_admin_on(Server::start_with(&args))
}
