//! The core commands, run as a user runs them: `init`, `check`, `grade`, `schema`.

mod common;

use common::*;
use serde_json::Value;

fn grade_json(file: &std::path::Path) -> Value {
    let o = spur([
        "grade".as_ref(),
        file.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("giltig JSON")
}

fn area<'v>(json: &'v Value, id: &str) -> &'v Value {
    json["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap()
}

#[test]
fn boo_without_its_plan_is_d_in_d_e_and_h_under_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let json = grade_json(&boo_without_plan(dir.path()));
    let ids: Vec<&str> = json["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["A", "B", "C", "D", "E", "F", "G", "H"]);
    for id in ["A", "B", "C", "D", "E", "F", "G", "H"] {
        for version in ["2015", "2021"] {
            let g = &area(&json, id)["grades"][version];
            let expect_d = matches!(id, "D" | "E" | "H");
            assert_eq!(g["computed"] == "D", expect_d, "{id} {version}: {g}");
            assert_eq!(g["final"], g["computed"], "{id} {version}");
            assert!(g["adjusted"].is_null() && g["override"].is_null());
        }
    }
    let reasons = area(&json, "D")["grades"]["2015"]["reasons"]
        .as_array()
        .unwrap();
    assert_eq!(
        reasons,
        &vec![Value::from("D6 (föreskrift) endast delvis uppfylld")]
    );
    assert_eq!(json["unit"], "Boo Vårdcentral");
    assert_eq!(json["inspection_date"], "2025-02-12");
}

#[test]
fn boo_with_its_plan_is_adjusted_to_c_and_keeps_the_computed_d() {
    let json = grade_json(&fixture("boo-vardcentral.yaml"));
    for id in ["D", "E", "H"] {
        for version in ["2015", "2021"] {
            let g = &area(&json, id)["grades"][version];
            assert_eq!(
                (
                    g["computed"].as_str(),
                    g["adjusted"].as_str(),
                    g["final"].as_str()
                ),
                (Some("D"), Some("C"), Some("C")),
                "{id} {version}"
            );
        }
    }
    assert!(area(&json, "A")["grades"]["2015"]["adjusted"].is_null());
}

#[test]
fn grade_text_is_a_table_with_reasons() {
    let o = spur([
        "grade".as_ref(),
        fixture("boo-vardcentral.yaml").as_os_str(),
    ]);
    assert_eq!(code(&o), 0);
    let text = stdout(&o);
    assert!(
        text.starts_with("Boo Vårdcentral – granskning 2025-02-12\n"),
        "{text}"
    );
    let d_row = text
        .lines()
        .find(|l| l.starts_with("D  Tjänstgöringens upplägg"))
        .unwrap();
    assert_eq!(d_row.matches("D → C").count(), 2, "{d_row}");
    assert!(
        text.contains("  2015 och 2021: D → C\n    - D6 (föreskrift) endast delvis uppfylld\n"),
        "{text}"
    );
    assert!(text.contains("Handlingsplan inkommen. Gradering justerad till C."));
}

#[test]
fn overrides_and_not_assessed_show_in_json() {
    let json = grade_json(&fixture("vardcentralen-norrby.yaml"));
    let h = area(&json, "H");
    assert!(h["grades"]["2015"]["computed"].is_null());
    assert_eq!(h["grades"]["2015"]["override"]["grade"], "B");
    assert_eq!(h["grades"]["2015"]["final"], "B");
    assert!(!h["not_assessed"].as_array().unwrap().is_empty());
    assert_eq!(area(&json, "E")["grades"]["2015"]["computed"], "E");
    assert_eq!(area(&json, "D")["grades"]["2021"]["computed"], "E");
    let b = &area(&json, "B")["grades"]["2021"];
    assert_eq!(b["final"], b["override"]["grade"]);
    assert_ne!(b["final"], b["computed"]);
}

#[test]
fn a_one_track_unit_has_only_2021_grades() {
    let json = grade_json(&fixture("medicinkliniken-2021.yaml"));
    for a in json["areas"].as_array().unwrap() {
        let keys: Vec<&String> = a["grades"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["2021"]);
    }
    assert_eq!(area(&json, "F")["grades"]["2021"]["computed"], "D");
}

#[test]
fn every_fixture_checks_clean() {
    for name in [
        "boo-vardcentral.yaml",
        "medicinkliniken-2021.yaml",
        "vardcentralen-norrby.yaml",
    ] {
        let o = spur(["check".as_ref(), fixture(name).as_os_str()]);
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        assert!(stdout(&o).contains("är giltigt"));
    }
}

#[test]
fn ten_different_mistakes_are_all_listed_with_their_lines() {
    let file = data("tio-fel.yaml");
    let o = spur(["check".as_ref(), file.as_os_str()]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert_eq!(
        err.matches("\nfel: ").count() + usize::from(err.starts_with("fel: ")),
        10,
        "{err}"
    );
    assert!(err.ends_with("10 fel hittades.\n"), "{err}");
    for (line, what) in [
        (6, "okänd nyckel ”namn”"),
        (10, "ogiltigt datum"),
        (12, "listan över granskare är tom"),
        (13, "2021 står två gånger"),
        (81, "E4 hör till område E, inte D"),
        (132, "okänd indikator ”G12” i område G"),
    ] {
        let at = format!("tio-fel.yaml:{line}:");
        let block = err
            .split("\n\n")
            .find(|b| b.contains(&at))
            .unwrap_or_else(|| panic!("inget fel på rad {line}:\n{err}"));
        assert!(block.contains(what), "rad {line}: {block}");
        assert!(
            block.contains("= sökväg: ") && block.contains("= förväntat: "),
            "{block}"
        );
    }
    for what in [
        "okänt svar ”ja”",
        "true är ett sanningsvärde",
        "serious kan bara anges",
        "svar saknas för D5",
    ] {
        assert!(err.contains(what), "{what}");
    }
}

#[test]
fn init_writes_a_skeleton_that_checks_once_answered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ny.yaml");
    let o = spur(["init".as_ref(), "-o".as_ref(), path.as_os_str()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let skeleton = std::fs::read_to_string(&path).unwrap();
    assert!(skeleton.contains("# E7, föreskrift 2021, allmänt råd 2015:"));
    let o = spur(["check".as_ref(), path.as_os_str()]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).ends_with("75 fel hittades.\n"));
    let answered = answer_every_indicator(&skeleton);
    std::fs::write(&path, answered).unwrap();
    let o = spur(["check".as_ref(), path.as_os_str()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn schema_is_json_schema_for_the_questionnaire() {
    let o = spur(["schema"]);
    assert_eq!(code(&o), 0);
    let schema: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["properties"]["areas"]["properties"]["E"]["properties"]["answers"]["properties"]["E14"].is_object());
}

#[test]
fn usage_errors_exit_2_in_swedish_and_help_is_swedish() {
    let o = spur(["grade"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with("fel: obligatoriskt argument saknas"),
        "{}",
        stderr(&o)
    );
    let o = spur(["betygsätt"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("okänt kommando"));
    let o = spur(["--help"]);
    assert_eq!(code(&o), 0);
    let help = stdout(&o);
    assert!(
        help.contains("Användning: spur")
            && help.contains("Kommandon")
            && help.contains("Visa hjälp"),
        "{help}"
    );
    let o = spur(["grade", "--help"]);
    assert!(stdout(&o).contains("Utdataformat"));
    for command in [
        "init",
        "check",
        "grade",
        "render",
        "plan-template",
        "plan-check",
        "followups",
        "schema",
        "serve",
        "backup",
        "stats",
        "user",
        "user add",
        "user list",
        "user remove",
    ] {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("--help");
        let help = stdout(&spur(args));
        assert!(help.contains("Användning: spur"), "{command}: {help}");
        for english in [
            "OPTIONS",
            "Options",
            "Commands",
            "COMMAND",
            "Arguments",
            "Possible values",
            "default:",
            "possible values",
            "Usage",
            "Print help",
        ] {
            assert!(
                !help.contains(english),
                "”{english}” i hjälpen för {command}:\n{help}"
            );
        }
    }
}

#[test]
fn a_missing_file_is_exit_1_with_its_name() {
    let o = spur(["check", "finns-inte.yaml"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).starts_with("fel: kan inte läsa filen: filen finns inte\n--> finns-inte.yaml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn serve_refuses_an_smtp_server_or_sender_it_cannot_use_before_touching_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("spur.sqlite");
    for (url, from, says) in [
        (
            "bogus://x",
            "spur@example.se",
            "--smtp: ”bogus” är inte smtp eller smtps",
        ),
        (
            "smtp://h:99999",
            "spur@example.se",
            "--smtp: ”99999” är inget portnummer",
        ),
        ("smtp://:25", "spur@example.se", "saknar värd"),
        (
            "smtp://h:25",
            "inte en adress",
            "--mail-from: ”inte en adress” är ingen avsändaradress",
        ),
    ] {
        let o = spur([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--db",
            db.to_str().unwrap(),
            "--smtp",
            url,
            "--mail-from",
            from,
        ]);
        assert_eq!(code(&o), 2, "{url} {from}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{says}: {}", stderr(&o));
        assert!(!db.exists(), "databasen skapades");
    }
    let alone = spur(["serve", "--smtp", "smtp://h:25"]);
    assert_eq!(code(&alone), 2);
    assert!(stderr(&alone).contains("--mail-from"), "{}", stderr(&alone));
}

#[test]
fn reading_or_removing_accounts_never_creates_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("spur.sqlit");
    for args in [
        vec!["user", "list", "--db"],
        vec!["user", "remove", "per@example.se", "--db"],
    ] {
        let o = spur(
            args.iter()
                .map(|a| a.to_string())
                .chain([typo.display().to_string()]),
        );
        assert_eq!(code(&o), 1, "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("databasen finns inte"),
            "{}",
            stderr(&o)
        );
        assert!(!typo.exists(), "{args:?} created the database");
    }
    let not_a_db = dir.path().join("anteckningar.txt");
    std::fs::write(
        &not_a_db,
        "inte en databas, bara text som är längre än en sida ".repeat(100),
    )
    .unwrap();
    let o = spur(["user", "list", "--db", &not_a_db.display().to_string()]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("går inte att öppna som spurs databas"),
        "{}",
        stderr(&o)
    );
}
