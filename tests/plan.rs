//! The action-plan workflow, as the inspector and the unit run it.

mod common;

use common::*;

#[test]
fn plan_check_lists_every_mistake_with_its_line() {
    let o = spur([
        "plan-check".as_ref(),
        data("boo-plan-med-fel.yaml").as_os_str(),
        "--inspection".as_ref(),
        fixture("boo-vardcentral.yaml").as_os_str(),
    ]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    for (line, what) in [
        (
            2,
            "handlingsplanen gäller ”Boo VC”, men granskningen gäller ”Boo Vårdcentral”",
        ),
        (
            8,
            "åtgärden ska vara genomförd 2025-01-31, men granskningen gjordes 2025-02-12",
        ),
        (21, "indikatorn ”E1” har redan en post i planen"),
        (
            34,
            "uppföljningen 2026-01-31 ligger före tidsgränsen 2026-05-31",
        ),
        (50, "texten är tom"),
        (63, "indikatorn ”B8” kräver ingen åtgärd"),
        (4, "åtgärd saknas för H9"),
    ] {
        let at = format!("boo-plan-med-fel.yaml:{line}:");
        let block = err
            .split("\n\n")
            .find(|b| b.contains(&at) && b.contains(what));
        assert!(block.is_some(), "saknar ”{what}” på rad {line}:\n{err}");
    }
    assert!(err.ends_with("7 fel hittades.\n"), "{err}");
}

#[test]
fn the_boo_plan_is_complete() {
    let o = spur([
        "plan-check".as_ref(),
        fixture("boo-vardcentral-handlingsplan.yaml").as_os_str(),
        "--inspection".as_ref(),
        fixture("boo-vardcentral.yaml").as_os_str(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("komplett (7 åtgärder)"));
}

#[test]
fn an_invalid_plan_makes_check_grade_and_render_fail() {
    let dir = tempfile::tempdir().unwrap();
    let inspection = copy_fixture("boo-vardcentral.yaml", dir.path());
    std::fs::copy(
        data("boo-plan-med-fel.yaml"),
        dir.path().join("boo-vardcentral-handlingsplan.yaml"),
    )
    .unwrap();
    let out = dir.path().join("boo.pdf");
    for args in [
        vec!["check"],
        vec!["grade"],
        vec!["render", "-o", out.to_str().unwrap()],
    ] {
        let mut args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        args.insert(1, inspection.as_os_str());
        let o = spur(&args);
        assert_eq!(code(&o), 1, "{args:?}");
        assert!(
            stderr(&o).contains("har redan en post i planen"),
            "{}",
            stderr(&o)
        );
    }
    assert!(!out.exists());
}

#[test]
fn missing_entries_warn_and_keep_the_grade() {
    let dir = tempfile::tempdir().unwrap();
    let inspection = copy_fixture("boo-vardcentral.yaml", dir.path());
    let plan_path = dir.path().join("boo-vardcentral-handlingsplan.yaml");
    let plan = std::fs::read_to_string(&plan_path).unwrap();
    let cut = plan.find("\n  - indicator: H9").unwrap();
    std::fs::write(&plan_path, &plan[..=cut]).unwrap();
    let o = spur([
        "grade".as_ref(),
        inspection.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("varning: åtgärd saknas för H9"),
        "{}",
        stderr(&o)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let h = &json["areas"][7]["grades"]["2015"];
    assert_eq!(
        (h["computed"].as_str(), h["final"].as_str()),
        (Some("D"), Some("D"))
    );
    assert!(h["adjusted"].is_null());
    assert_eq!(json["areas"][3]["grades"]["2015"]["final"], "C");
}

#[test]
fn a_rejected_entry_keeps_the_grade() {
    let dir = tempfile::tempdir().unwrap();
    let inspection = copy_fixture("boo-vardcentral.yaml", dir.path());
    let text = std::fs::read_to_string(&inspection).unwrap()
        + "  rejected:\n    - {indicator: E4, reason: Åtgärden saknar tidsplan för bedömningarna.}\n";
    std::fs::write(&inspection, text).unwrap();
    let o = spur(["grade".as_ref(), inspection.as_os_str()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("graderingen kvarstår: åtgärd inte godkänd för E4"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn template_then_filled_plan_then_check_then_grade() {
    let dir = tempfile::tempdir().unwrap();
    let inspection = boo_without_plan(dir.path());
    let commented = std::fs::read_to_string(&inspection).unwrap().replace(
        "      H9: no\n",
        "      H9: {answer: no, comment: \"Bedömning saknas.\"}\n",
    );
    std::fs::write(&inspection, commented).unwrap();
    let plan_path = dir.path().join("plan.yaml");
    let o = spur([
        "plan-template".as_ref(),
        inspection.as_os_str(),
        "-o".as_ref(),
        plan_path.as_os_str(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let template = std::fs::read_to_string(&plan_path).unwrap();
    let ids: Vec<&str> = template
        .lines()
        .filter_map(|l| l.strip_prefix("  - indicator: "))
        .collect();
    assert_eq!(ids, ["D6", "E1", "E4", "E7", "H2", "H7", "H9"]);
    assert!(
        template.contains("#  - indicator: H10"),
        "rekommenderad åtgärd saknas"
    );
    assert!(template.contains("  # Granskarnas kommentar: Bedömning saknas.\n"));

    let o = spur([
        "plan-check".as_ref(),
        plan_path.as_os_str(),
        "--inspection".as_ref(),
        inspection.as_os_str(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).ends_with("35 fel hittades.\n"), "{}", stderr(&o));

    let filled = template
        .replace(
            "    action: \"\"",
            "    action: Handledarna bedömer delmålen enligt IUP.",
        )
        .replace("    deadline: \"\"", "    deadline: 2026-05-31")
        .replace("    responsible: \"\"", "    responsible: ST-chef")
        .replace("    follow_up: \"\"", "    follow_up: 2026-12-31")
        .replace(
            "    follow_up_responsible: \"\"",
            "    follow_up_responsible: Verksamhetschef",
        );
    std::fs::write(&plan_path, filled).unwrap();
    let o = spur([
        "plan-check".as_ref(),
        plan_path.as_os_str(),
        "--inspection".as_ref(),
        inspection.as_os_str(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    let recorded = std::fs::read_to_string(&inspection).unwrap()
        + "action_plan:\n  file: plan.yaml\n  received: 2025-05-02\n";
    std::fs::write(&inspection, recorded).unwrap();
    let o = spur([
        "grade".as_ref(),
        inspection.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for i in [3, 4, 7] {
        assert_eq!(json["areas"][i]["grades"]["2021"]["adjusted"], "C");
    }
}

#[test]
fn plan_template_writes_nothing_when_nothing_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let inspection = boo_without_plan(dir.path());
    let text = std::fs::read_to_string(&inspection).unwrap();
    let clean: String = text
        .lines()
        .map(|l| {
            let t = l.trim_start();
            let id = t.split(':').next().unwrap_or("");
            if ["D6", "E1", "E4", "E7", "H2", "H7", "H9"].contains(&id) {
                format!("      {id}: yes\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&inspection, clean).unwrap();
    let out = dir.path().join("plan.yaml");
    let o = spur([
        "plan-template".as_ref(),
        inspection.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("ingen handlingsplan krävs"));
    assert!(!out.exists());
}

#[test]
fn followups_list_boo_items_overdue_first() {
    let o = spur([
        "followups".as_ref(),
        fixture("boo-vardcentral.yaml").as_os_str(),
        fixture("vardcentralen-norrby.yaml").as_os_str(),
        "--today".as_ref(),
        "2026-06-01".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    let overdue: Vec<(&str, &str)> = items
        .iter()
        .filter(|i| i["overdue"] == true)
        .map(|i| {
            (
                i["indicator"].as_str().unwrap(),
                i["deadline"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        overdue,
        [
            ("H2", "2025-06-01"),
            ("D6", "2026-05-31"),
            ("E1", "2026-05-31"),
            ("E4", "2026-05-31"),
            ("E7", "2026-05-31")
        ]
    );
    assert!(items[..5].iter().all(|i| i["overdue"] == true));
    assert_eq!(items[5]["deadline"], "2026-06-01");
    assert_eq!(json["plans_overdue"][0]["unit"], "Vårdcentralen Norrby");

    let o = spur([
        "followups".as_ref(),
        fixture("boo-vardcentral.yaml").as_os_str(),
        "--today".as_ref(),
        "2026-06-01".as_ref(),
    ]);
    let text = stdout(&o);
    let overdue_at = text.find("FÖRSENADE ÅTGÄRDER").unwrap();
    let coming_at = text.find("KOMMANDE ÅTGÄRDER").unwrap();
    assert!(overdue_at < coming_at);
    assert!(
        text[overdue_at..coming_at].contains("! 2026-05-31  Boo Vårdcentral  D6: "),
        "{text}"
    );
}

/// Boo and its plan in `dir`, with follow-up reports on D6 (done) and E1 (ongoing)
/// and the questionnaire's `confirmed` list as given; returns the questionnaire.
fn boo_followed_up(dir: &std::path::Path, confirmed: &str) -> std::path::PathBuf {
    let questionnaire = copy_fixture("boo-vardcentral.yaml", dir);
    let text = std::fs::read_to_string(&questionnaire).unwrap();
    let text = text.replace(
        "  received: 2025-05-02\n",
        &format!("  received: 2025-05-02\n  confirmed: {confirmed}\n"),
    );
    std::fs::write(&questionnaire, text).unwrap();
    let plan = dir.join("boo-vardcentral-handlingsplan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    let d6 = "    follow_up_responsible: ST-chef/verksamhetschef\n";
    let e1 = "    follow_up_responsible: ST-chef/Verksamhetschef\n";
    assert!(text.contains(d6) && text.contains(e1));
    let text = text
        .replacen(
            d6,
            &format!("{d6}    reports:\n      - date: 2026-05-20\n        status: ongoing\n        text: Checklistan är utskickad.\n      - date: 2026-06-02\n        status: done\n        text: |\n          Alla IUP är uppdaterade.\n          Checklistan används.\n"),
            1,
        )
        .replacen(
            e1,
            &format!("{e1}    reports:\n      - date: 2026-05-20\n        status: ongoing\n        text: Stöddokumentet är på remiss.\n"),
            1,
        );
    std::fs::write(&plan, text).unwrap();
    questionnaire
}

#[test]
fn followups_read_the_units_reports_and_the_inspectors_confirmations() {
    let dir = tempfile::tempdir().unwrap();
    let boo = boo_followed_up(dir.path(), "[{indicator: D6, date: 2026-06-10}]");
    let o = spur(["check".as_ref(), boo.as_os_str()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let run = |format: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "followups".as_ref(),
            boo.as_os_str(),
            "--today".as_ref(),
            "2027-01-15".as_ref(),
        ];
        args.extend(format.iter().map(|f| std::ffi::OsStr::new(*f)));
        spur(args)
    };
    let o = run(&["--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let items = json["items"].as_array().unwrap();
    let d6 = items.iter().find(|i| i["indicator"] == "D6").unwrap();
    assert_eq!(d6["overdue"], false, "confirmed: {d6}");
    assert_eq!(d6["confirmed"], "2026-06-10");
    assert_eq!(d6["reports"][1]["status"], "done");
    let late: Vec<&str> = items
        .iter()
        .filter(|i| i["overdue"] == true)
        .map(|i| i["indicator"].as_str().unwrap())
        .collect();
    assert_eq!(
        late.len(),
        6,
        "every other action passed its follow-up date: {late:?}"
    );
    assert!(!late.contains(&"D6"));

    let text = stdout(&run(&[]));
    assert!(text.contains("    Senaste rapport 2026-06-02: Genomförd. Alla IUP är uppdaterade.\n      Checklistan används."), "{text}");
    assert!(
        text.contains("    Bekräftad av granskarna 2026-06-10\n"),
        "{text}"
    );
    assert!(
        text.contains("    Senaste rapport 2026-05-20: Pågår. Stöddokumentet är på remiss.\n"),
        "{text}"
    );

    // Before its follow-up date, an action with a `done` report is not late even
    // though its deadline passed; one still `ongoing` is.
    let o = spur([
        "followups".as_ref(),
        boo.as_os_str(),
        "--today".as_ref(),
        "2026-06-05".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let overdue = |id: &str| {
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["indicator"] == id)
            .unwrap()["overdue"]
            .clone()
    };
    assert_eq!(overdue("D6"), false);
    assert_eq!(overdue("E1"), true);
}

#[test]
fn a_confirmation_needs_a_done_report_and_reports_keep_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let boo = boo_followed_up(dir.path(), "[{indicator: E1, date: 2026-06-10}]");
    let o = spur(["check".as_ref(), boo.as_os_str()]);
    assert_eq!(code(&o), 1);
    let said = stderr(&o);
    assert!(
        said.contains("boo-vardcentral-handlingsplan.yaml"),
        "{said}"
    );
    assert!(said.contains("bekräftar åtgärden för E1"), "{said}");
    assert!(said.contains("inte ”done”"), "{said}");
    assert!(said.contains("items[1]"), "the path of E1's entry: {said}");

    let dir = tempfile::tempdir().unwrap();
    let boo = boo_followed_up(dir.path(), "[{indicator: D6, date: 2025-04-01}]");
    let said = stderr(&spur(["check".as_ref(), boo.as_os_str()]));
    assert!(said.contains("innan handlingsplanen kom in"), "{said}");

    let dir = tempfile::tempdir().unwrap();
    let boo = boo_followed_up(dir.path(), "[]");
    let plan = dir.path().join("boo-vardcentral-handlingsplan.yaml");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replacen("date: 2026-06-02", "date: 2026-05-01", 1)
        .replacen("status: ongoing", "status: klar", 1);
    std::fs::write(&plan, text).unwrap();
    let said = stderr(&spur(["check".as_ref(), boo.as_os_str()]));
    assert!(
        said.contains("rapporten är daterad 2026-05-01, före 2026-05-20"),
        "{said}"
    );
    assert!(said.contains("okänd status ”klar”"), "{said}");
    assert!(said.contains("items[0].reports[1].date"), "{said}");
}

#[test]
fn followups_say_an_inspection_is_closed_once_every_action_is_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = copy_fixture("boo-vardcentral.yaml", dir.path());
    let plan = dir.path().join("boo-vardcentral-handlingsplan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    let mut ids = Vec::new();
    let mut done = String::new();
    for line in text.lines() {
        done.push_str(line);
        done.push('\n');
        if let Some(id) = line.strip_prefix("  - indicator: ") {
            ids.push(id.trim().to_string());
        }
        if line.starts_with("    follow_up_responsible:") {
            done.push_str("    reports: [{date: 2026-06-01, status: done, text: Klart.}]\n");
        }
    }
    std::fs::write(&plan, done).unwrap();
    let confirmed: Vec<String> = ids
        .iter()
        .map(|id| format!("{{indicator: {id}, date: 2026-06-10}}"))
        .collect();
    let text = std::fs::read_to_string(&questionnaire).unwrap().replace(
        "  received: 2025-05-02\n",
        &format!(
            "  received: 2025-05-02\n  confirmed: [{}]\n",
            confirmed.join(", ")
        ),
    );
    std::fs::write(&questionnaire, text).unwrap();
    let run = |format: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "followups".as_ref(),
            questionnaire.as_os_str(),
            "--today".as_ref(),
            "2027-01-15".as_ref(),
        ];
        args.extend(format.iter().map(|f| std::ffi::OsStr::new(*f)));
        spur(args)
    };
    let o = run(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("AVSLUTADE GRANSKNINGAR\n  Boo Vårdcentral: avslutad, varje åtgärd bekräftad som genomförd, den sista 2026-06-10"),
        "{text}"
    );
    assert!(!text.contains("FÖRSENADE"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["--format", "json"]))).unwrap();
    assert_eq!(json["closed"][0]["unit"], "Boo Vårdcentral");
    assert_eq!(json["items"].as_array().unwrap().len(), 0);
}
