//! `spur render` of 50 questionnaires with `--out-dir`: the batch a user waits for, as
//! reports per second of the whole process. Run with `cargo bench --bench batch`; the
//! figures go to docs/figures.md. A plain program, like the `stats` bench: what counts
//! is the wall time of the command, best and median of a few runs.

use std::process::Command;
use std::time::{Duration, Instant};

/// How many copies of Boo's questionnaire.
const FILES: usize = 50;
/// Runs; the best is reported, as the one least disturbed.
const RUNS: usize = 5;

fn main() {
    // `cargo test --benches` runs this once as a test: nothing heavy then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporär katalog");
    let (inputs, out) = (dir.path().join("in"), dir.path().join("ut"));
    std::fs::create_dir_all(&inputs).expect("katalogen skapas");
    let boo = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/boo-vardcentral.yaml"
    ))
    .expect("Boo läses");
    // Boo names its plan; the copies go without one, as a draft's report.
    let boo = boo
        .split("\naction_plan:")
        .next()
        .unwrap_or(&boo)
        .to_string();
    let files: Vec<_> = (0..FILES)
        .map(|i| {
            let path = inputs.join(format!("boo-{i:02}.yaml"));
            std::fs::write(&path, &boo).expect("kopian skrivs");
            path
        })
        .collect();
    let mut runs = 0;
    let mut run = || {
        runs += 1;
        let out = out.join(runs.to_string());
        std::fs::create_dir_all(&out).expect("utkatalogen skapas");
        let start = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_spur"))
            .arg("render")
            .args(&files)
            .arg("--out-dir")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("spur startar");
        assert!(status.success());
        start.elapsed()
    };
    run();
    let mut times: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    times.sort();
    let rate = |t: Duration| FILES as f64 / t.as_secs_f64();
    println!(
        "spur render {FILES} filer --out-dir: bäst {:.2} s ({:.0} rapporter/s), median {:.2} s ({:.0} rapporter/s), {} kärnor",
        times[0].as_secs_f64(),
        rate(times[0]),
        times[RUNS / 2].as_secs_f64(),
        rate(times[RUNS / 2]),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}
