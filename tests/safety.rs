//! Nothing a user wrote is lost, changed or hidden: each class of careless or hostile
//! use, tried on the real binary.

mod common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Makes a FIFO at `path` with mkfifo(1).
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

/// Replaces the first line that starts with `start` (after indentation) by
/// `indent + start + value`.
fn set_line(text: &str, start: &str, value: &str) -> String {
    let mut done = false;
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if !done && trimmed.starts_with(start) {
                done = true;
                let indent = &line[..line.len() - trimmed.len()];
                format!("{indent}{start}{value}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// A copy of Norrby, a questionnaire without a plan, changed by `edit`.
fn norrby_with(dir: &Path, edit: impl Fn(&str) -> String) -> PathBuf {
    let text = fs::read_to_string(fixture("vardcentralen-norrby.yaml")).unwrap();
    let path = dir.join("norrby.yaml");
    fs::write(&path, edit(&text)).unwrap();
    path
}

fn no_panic(o: &std::process::Output) {
    assert!(
        !stderr(o).contains("panicked") && code(o) != 101,
        "panik: {}",
        stderr(o)
    );
}

#[test]
fn no_command_writes_over_its_input_or_the_plan_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let q = copy_fixture("boo-vardcentral.yaml", dir.path());
    let plan = dir.path().join("boo-vardcentral-handlingsplan.yaml");
    let before = (fs::read(&q).unwrap(), fs::read(&plan).unwrap());
    let other_spelling = dir.path().join(".").join("boo-vardcentral.yaml");
    let hard_link = dir.path().join("samma.pdf");
    fs::hard_link(&plan, &hard_link).unwrap();
    let attempts: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec![
            "render".as_ref(),
            q.as_os_str(),
            "-o".as_ref(),
            q.as_os_str(),
        ],
        vec![
            "render".as_ref(),
            q.as_os_str(),
            "-o".as_ref(),
            other_spelling.as_os_str(),
        ],
        vec![
            "render".as_ref(),
            q.as_os_str(),
            "-o".as_ref(),
            plan.as_os_str(),
        ],
        vec![
            "render".as_ref(),
            q.as_os_str(),
            "-o".as_ref(),
            hard_link.as_os_str(),
        ],
        vec![
            "plan-template".as_ref(),
            q.as_os_str(),
            "-o".as_ref(),
            q.as_os_str(),
            "--force".as_ref(),
        ],
        vec![
            "plan-template".as_ref(),
            q.as_os_str(),
            "-o".as_ref(),
            plan.as_os_str(),
            "--force".as_ref(),
        ],
    ];
    for args in attempts {
        let o = spur(&args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("indatafilen"), "{}", stderr(&o));
        assert_eq!(
            (fs::read(&q).unwrap(), fs::read(&plan).unwrap()),
            before,
            "{args:?}"
        );
    }
}

#[test]
fn init_and_plan_template_replace_a_file_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("befintlig.yaml");
    fs::write(&existing, "mitt arbete\n").unwrap();
    let q = boo_without_plan(dir.path());
    for command in [vec!["init"], vec!["plan-template", q.to_str().unwrap()]] {
        let mut args = command.clone();
        args.extend(["-o", existing.to_str().unwrap()]);
        let o = spur(&args);
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
        assert_eq!(fs::read_to_string(&existing).unwrap(), "mitt arbete\n");
        args.push("--force");
        let o = spur(&args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_ne!(fs::read_to_string(&existing).unwrap(), "mitt arbete\n");
        fs::write(&existing, "mitt arbete\n").unwrap();
    }
}

#[test]
fn outputs_that_are_not_regular_files_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let q = fixture("vardcentralen-norrby.yaml");
    let fifo = dir.path().join("rör");
    mkfifo(&fifo);
    let socket = dir.path().join("uttag");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    for target in [fifo.as_path(), socket.as_path(), Path::new("/dev/full")] {
        let started = Instant::now();
        let o = spur([
            "render".as_ref(),
            q.as_os_str(),
            "-o".as_ref(),
            target.as_os_str(),
        ]);
        assert_eq!(code(&o), 1, "{target:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("inte en vanlig fil"), "{}", stderr(&o));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(
        fs::symlink_metadata(&socket)
            .unwrap()
            .file_type()
            .is_socket()
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn a_typst_dir_never_writes_over_a_users_files_and_fails_together_with_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let q = fixture("vardcentralen-norrby.yaml");
    let pdf = dir.path().join("norrby.pdf");
    let users = dir.path().join("mitt");
    fs::create_dir(&users).unwrap();
    fs::write(users.join("report.typ"), "mitt eget").unwrap();
    let render = |typst: &Path| {
        spur([
            "render".as_ref(),
            q.as_os_str(),
            "-o".as_ref(),
            pdf.as_os_str(),
            "--typst-dir".as_ref(),
            typst.as_os_str(),
        ])
    };
    let o = render(&users);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        !pdf.exists(),
        "PDF:en skrevs fast Typst-katalogen inte kunde skrivas"
    );
    assert_eq!(
        fs::read_to_string(users.join("report.typ")).unwrap(),
        "mitt eget"
    );
    assert_eq!(fs::read_dir(&users).unwrap().count(), 1);
    let fresh = dir.path().join("typst");
    for _ in 0..2 {
        let o = render(&fresh);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    assert!(pdf.exists() && fresh.join("report.typ").exists());
    let hidden: Vec<_> = fs::read_dir(&fresh)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn new_files_get_the_umask_mode_and_replaced_files_keep_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("ny.yaml");
    let run = |umask: &str, out: &Path, force: bool| {
        let force = if force { " --force" } else { "" };
        Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask}; exec \"$0\" init -o \"$1\"{force}"))
            .arg(env!("CARGO_BIN_EXE_spur"))
            .arg(out)
            .status()
            .unwrap()
    };
    assert!(run("022", &new, false).success());
    assert_eq!(
        fs::metadata(&new).unwrap().permissions().mode() & 0o777,
        0o644
    );
    let shared = dir.path().join("delad.yaml");
    assert!(run("002", &shared, false).success());
    assert_eq!(
        fs::metadata(&shared).unwrap().permissions().mode() & 0o777,
        0o664
    );
    fs::set_permissions(&new, fs::Permissions::from_mode(0o600)).unwrap();
    assert!(run("022", &new, true).success());
    assert_eq!(
        fs::metadata(&new).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn an_interrupted_batch_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ut");
    fs::create_dir(&out).unwrap();
    let inputs: Vec<PathBuf> = (0..24)
        .map(|i| {
            let p = dir.path().join(format!("n{i}.yaml"));
            fs::copy(fixture("vardcentralen-norrby.yaml"), &p).unwrap();
            p
        })
        .collect();
    for (signal, wait) in [("INT", 300), ("TERM", 700), ("TERM", 1100)] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spur"))
            .arg("render")
            .args(&inputs)
            .arg("--out-dir")
            .arg(&out)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait));
        Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        let leftovers: Vec<String> = fs::read_dir(&out)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".pdf"))
            .collect();
        assert!(leftovers.is_empty(), "{signal}: {leftovers:?} ({status:?})");
    }
}

#[test]
fn inputs_that_are_not_regular_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("rör.yaml");
    mkfifo(&fifo);
    let q = copy_fixture("boo-vardcentral.yaml", dir.path());
    let plan = dir.path().join("boo-vardcentral-handlingsplan.yaml");
    let loop_link = dir.path().join("slinga.yaml");
    std::os::unix::fs::symlink(&loop_link, &loop_link).unwrap();
    let checks: Vec<(PathBuf, &str)> = vec![
        (fifo.clone(), "FIFO"),
        (PathBuf::from("/dev/zero"), "enhetsfil"),
        (loop_link.clone(), "symboliska länkar"),
    ];
    for (input, message) in &checks {
        let started = Instant::now();
        let o = spur(["check".as_ref(), input.as_os_str()]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains(message), "{}", stderr(&o));
        assert!(!stderr(&o).contains("os error"), "{}", stderr(&o));
        assert!(started.elapsed() < Duration::from_secs(2));
    }
    for target in [&fifo, &PathBuf::from("/dev/zero")] {
        fs::remove_file(&plan).unwrap();
        std::os::unix::fs::symlink(target, &plan).unwrap();
        let started = Instant::now();
        let o = spur(["check".as_ref(), q.as_os_str()]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains("inte en vanlig fil"), "{}", stderr(&o));
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

#[test]
fn number_like_text_is_printed_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let q = copy_fixture("boo-vardcentral.yaml", dir.path());
    let plan = dir.path().join("boo-vardcentral-handlingsplan.yaml");
    let text = fs::read_to_string(&plan).unwrap();
    let text = set_line(&text, "responsible: ", "0701234567");
    let text = set_line(&text, "follow_up_responsible: ", "1_000");
    fs::write(&plan, text).unwrap();
    let q_text = fs::read_to_string(&q).unwrap();
    let q_text = q_text.replacen(
        "  strengths:\n",
        "  strengths:\n    - 1.10\n    - 0x1F\n    - 007\n",
        1,
    );
    fs::write(&q, q_text).unwrap();
    let pdf = dir.path().join("boo.pdf");
    let o = spur([
        "render".as_ref(),
        q.as_os_str(),
        "-o".as_ref(),
        pdf.as_os_str(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = pdf_text(&fs::read(&pdf).unwrap());
    for written in ["0701234567", "1_000", "1.10", "0x1F", "007"] {
        assert!(text.contains(written), "{written} saknas");
    }
}

#[test]
fn yaml_syntax_errors_point_at_their_line_even_after_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("tabb", "unit:\n\tname: x\n", 2),
        ("två kolon", "unit:\n  name: x\nareas:\n  D1: yes: no\n", 4),
        (
            "surrogat",
            "unit:\n  name: x\n  organisation: \"\\ud800\"\n",
            3,
        ),
    ];
    for (what, text, line) in cases {
        for bom in ["", "\u{feff}"] {
            let path = dir.path().join("fel.yaml");
            fs::write(&path, format!("{bom}{text}")).unwrap();
            let o = spur(["check".as_ref(), path.as_os_str()]);
            assert_eq!(code(&o), 1, "{what}: {}", stderr(&o));
            let at = format!("fel.yaml:{line}:");
            assert!(
                stderr(&o).contains(&at),
                "{what}: väntade {at}\n{}",
                stderr(&o)
            );
        }
    }
    let plain = dir.path().join("utan.yaml");
    let with_bom = dir.path().join("med.yaml");
    fs::write(&plain, "unit: [\n").unwrap();
    fs::write(&with_bom, "\u{feff}unit: [\n").unwrap();
    let position = |p: &Path| {
        let e = stderr(&spur(["check".as_ref(), p.as_os_str()]));
        e.lines()
            .find(|l| l.contains("-->"))
            .unwrap()
            .rsplit(':')
            .take(2)
            .collect::<Vec<_>>()
            .join(":")
    };
    assert_eq!(position(&plain), position(&with_bom));
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = norrby_with(dir.path(), |t| {
        format!("# \u{1b}]0;kapad\u{7}\u{1b}[2J \u{9b}2J \u{202e}\n{t}")
    });
    let o = spur(["check".as_ref(), path.as_os_str()]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    for hidden in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(
            !err.contains(hidden),
            "U+{:04X} nådde terminalen",
            hidden as u32
        );
    }
    assert!(err.contains("styrtecknet U+001B"), "{err}");
    assert!(err.contains("norrby.yaml:1:3"), "{err}");
    assert!(err.contains("norrby.yaml:1:12"), "{err}");
}

#[test]
fn characters_the_report_cannot_use_are_refused_alike_by_check_and_render() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("NUL", "Vårdcentralen\u{0}Norrby".to_string(), "NUL"),
        ("BEL", "Vårdcentralen\u{7}Norrby".to_string(), "U+0007"),
        (
            "U+FFFE",
            "Vårdcentralen\u{fffe}Norrby".to_string(),
            "U+FFFE",
        ),
        (
            "escape",
            "\"Vårdcentralen\\u0007Norrby\"".to_string(),
            "U+0007",
        ),
        (
            "escape FFFE",
            "\"Vårdcentralen\\uFFFENorrby\"".to_string(),
            "U+FFFE",
        ),
    ];
    for (what, name, message) in cases {
        let path = norrby_with(dir.path(), |t| set_line(t, "name: ", &name));
        let line = fs::read_to_string(&path)
            .unwrap()
            .lines()
            .position(|l| l.trim_start().starts_with("name: "))
            .unwrap()
            + 1;
        let check = spur(["check".as_ref(), path.as_os_str()]);
        let pdf = dir.path().join("n.pdf");
        let render = spur([
            "render".as_ref(),
            path.as_os_str(),
            "-o".as_ref(),
            pdf.as_os_str(),
        ]);
        for o in [&check, &render] {
            assert_eq!(code(o), 1, "{what}: {}", stderr(o));
            assert!(stderr(o).contains(message), "{what}: {}", stderr(o));
            assert!(
                stderr(o).contains(&format!("norrby.yaml:{line}:")),
                "{what}: {}",
                stderr(o)
            );
        }
        assert_eq!(stderr(&check), stderr(&render), "{what}");
        assert!(!pdf.exists());
    }
}

#[test]
fn values_are_quoted_back_as_written_and_odd_years_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = norrby_with(dir.path(), |t| {
        let t = set_line(t, "regulations: ", "[2021.0, 2015]");
        set_line(&t, "date: ", "-2025-02-12")
    });
    let o = spur(["check".as_ref(), path.as_os_str()]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("talet 2021.0"), "{}", stderr(&o));
    assert!(stderr(&o).contains("ogiltigt datum"), "{}", stderr(&o));
}

#[test]
fn a_key_written_twice_is_an_error_naming_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = norrby_with(dir.path(), |t| {
        t.replacen(
            "    override:\n      2021: {",
            "    override:\n      \"2021\": {grade: A, reason: \"Först.\"}\n      2021: {",
            1,
        )
    });
    let text = fs::read_to_string(&path).unwrap();
    let first = text
        .lines()
        .position(|l| l.contains("\"2021\": {grade: A"))
        .unwrap()
        + 1;
    let o = spur(["grade".as_ref(), path.as_os_str()]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("norrby.yaml:{}:", first + 1))
            && stderr(&o).contains(&format!("redan på rad {first}")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_closed_or_full_output_ends_without_a_panic() {
    let q = fixture("vardcentralen-norrby.yaml");
    let q = q.to_str().unwrap();
    let commands: [&[&str]; 5] = [
        &["check", q],
        &["grade", q],
        &["init"],
        &["schema"],
        &["plan-template", q],
    ];
    for args in commands {
        let full = fs::File::create("/dev/full").unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_spur"))
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        no_panic(&o);
        assert_eq!(code(&o), 1, "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("disken är full"),
            "{args:?}: {}",
            stderr(&o)
        );

        let mut child = Command::new(env!("CARGO_BIN_EXE_spur"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        no_panic(&o);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
    }
    let bad = tempfile::tempdir().unwrap();
    let path = bad.path().join("tom.yaml");
    fs::write(&path, "unit: x\n").unwrap();
    let full = fs::File::create("/dev/full").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_spur"))
        .args(["check".as_ref(), path.as_os_str()])
        .stderr(full)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
}
