//! Helpers for tests that run the real `spur` binary on real files.

#![allow(dead_code)]

pub mod smtp;
pub mod web;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's fixtures directory.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// A file under tests/data.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name)
}

/// Runs `spur` with `args`.
pub fn spur<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_spur"))
        .args(args)
        .output()
        .expect("spur kunde inte startas")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code.
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// The text of a PDF, with line-end hyphenation and all whitespace runs folded to
/// single spaces, so that assertions do not depend on where lines break.
pub fn pdf_text(bytes: &[u8]) -> String {
    let raw = pdf_extract::extract_text_from_mem(bytes).expect("PDF-texten kunde inte läsas");
    normalise(&raw)
}

/// Folds whitespace runs to one space.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Copies a questionnaire into `dir` with its action plan, if any, and returns the copy.
pub fn copy_fixture(name: &str, dir: &Path) -> PathBuf {
    let target = dir.join(name);
    std::fs::copy(fixture(name), &target).unwrap();
    let plan = "boo-vardcentral-handlingsplan.yaml";
    std::fs::copy(fixture(plan), dir.join(plan)).unwrap();
    target
}

/// The Boo questionnaire without its action plan: the inspection as first reported,
/// written by spur's own writer.
pub fn boo_without_plan(dir: &Path) -> PathBuf {
    let target = dir.join("boo-utan-plan.yaml");
    std::fs::write(&target, boo_without_plan_text()).unwrap();
    target
}

/// The text of [`boo_without_plan`].
pub fn boo_without_plan_text() -> String {
    boo_with(|_| {})
}

/// Uploads Boo's questionnaire without its plan; returns the new inspection's path.
pub fn upload_boo(client: &mut web::Client) -> String {
    let token = web::csrf(client);
    let text = boo_without_plan_text();
    let reply = client.upload("/inspections", &token, "boo.yaml", text.as_bytes());
    assert_eq!(reply.status, 303, "{}", reply.text());
    reply.header("location").unwrap().to_string()
}

/// Boo without its plan, changed by `edit` and written by spur's own writer.
pub fn boo_with(edit: impl FnOnce(&mut spur_core::questionnaire::Questionnaire)) -> String {
    let text = std::fs::read_to_string(fixture("boo-vardcentral.yaml")).unwrap();
    let catalog = spur_core::catalog::Catalog::embedded();
    let source = spur_core::diagnostic::Source::new("boo-vardcentral.yaml", text);
    let mut q = spur_core::questionnaire::parse(&source, catalog, &|_| true).unwrap();
    assert!(q.action_plan.is_some(), "Boo-fixturen har en handlingsplan");
    q.action_plan = None;
    edit(&mut q);
    spur_cycle::draft::file::questionnaire(catalog, &q)
}

/// A `spur init` skeleton with every indicator answered `yes`.
pub fn answer_every_indicator(skeleton: &str) -> String {
    skeleton
        .lines()
        .map(|l| {
            let t = l.trim_start();
            let is_answer = l.starts_with("      ")
                && t.ends_with(':')
                && t.chars().next().is_some_and(|c| c.is_ascii_uppercase());
            if is_answer {
                format!("{l} yes\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

pub mod corpus;
