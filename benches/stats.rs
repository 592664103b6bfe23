//! `spur stats` on 10 000 generated questionnaires: reading, grading and summarising
//! them, and the summary PDF. Run with `cargo bench --bench stats`; the figures go to
//! docs/figures.md. A plain program rather than criterion: one run takes seconds, and what
//! counts is the wall time a user waits, best of a few runs.

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use spur_core::catalog::Catalog;
use spur_report::render::Standard;
use spur_stats as stats;
use spur_stats::gather;

/// The binary's allocator, so that the phases measured here cost what they cost there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How many questionnaires.
const N: usize = 10_000;
/// Runs per measurement; the best is reported, as the one least disturbed.
const RUNS: usize = 5;

fn best(mut run: impl FnMut() -> Duration) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    times.sort();
    (times[0], times[RUNS / 2])
}

fn show(what: &str, (best, median): (Duration, Duration)) {
    println!(
        "{what:<58} bäst {:>7.3} s   median {:>7.3} s",
        best.as_secs_f64(),
        median.as_secs_f64()
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this once as a test,
    // which here means: do nothing heavy.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
    let dir = tempfile::tempdir().expect("temporär katalog");
    let corpus = corpus::generate(1, N, 0, today);
    corpus.write(dir.path()).expect("korpusen skrivs");
    let plans = corpus
        .inspections
        .iter()
        .filter(|g| g.plan.is_some())
        .count();
    let bytes: usize = corpus.files.values().map(Vec::len).sum();
    println!(
        "{N} frågeformulär och {plans} handlingsplaner, {:.0} MB, på {} kärnor",
        bytes as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let paths = vec![PathBuf::from(dir.path())];
    let spur = env!("CARGO_BIN_EXE_spur");
    let process = |extra: &[&str]| {
        let start = Instant::now();
        let status = Command::new(spur)
            .arg("stats")
            .arg(dir.path())
            .args(["--today", "2026-06-01"])
            .args(extra)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("spur startar");
        assert!(status.success());
        start.elapsed()
    };
    // The page cache warm, as for a user who runs the command twice.
    process(&["--format", "json"]);
    show(
        "spur stats KATALOG --format json (hela processen)",
        best(|| process(&["--format", "json"])),
    );
    let out = dir.path().join("sammanstallning.pdf");
    let out_arg = out.to_string_lossy().into_owned();
    show(
        "spur stats KATALOG -o SAMMANSTÄLLNING.pdf (hela processen)",
        best(|| process(&["-o", &out_arg])),
    );
    show(
        "hitta filerna (gather::files, katalogträdet i namnordning)",
        best(|| {
            let start = Instant::now();
            let (files, _) = gather::files(&paths);
            assert_eq!(files.len(), N + plans);
            start.elapsed()
        }),
    );
    let mut gathered = None;
    show(
        "läsa och gradera (gather::gather, parallellt)",
        best(|| {
            let start = Instant::now();
            gathered = Some(gather::gather(&paths));
            start.elapsed()
        }),
    );
    let Some(gathered) = gathered else { return };
    let mut summary = None;
    show(
        "sammanställa (stats::summarise)",
        best(|| {
            let start = Instant::now();
            summary = Some(stats::summarise(
                Catalog::embedded(),
                &gathered.inspections,
                &gathered.not_counted(),
                gathered.plans.len(),
                today,
            ));
            start.elapsed()
        }),
    );
    let Some(summary) = summary else { return };
    let renderer = stats::pdf::Renderer::new();
    show(
        "sammanställningens PDF (sättning och PDF/A-2a-export)",
        best(|| {
            let start = Instant::now();
            let pdf = renderer.pdf(&summary, Standard::default()).expect("PDF");
            assert!(!pdf.is_empty());
            start.elapsed()
        }),
    );
}
