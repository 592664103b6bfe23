//! The statistics on inspections built in memory: every figure against counts made by
//! hand for the few inspections here.

use chrono::NaiveDate;

use super::*;
use spur_core::catalog::{Grade, Kind};
use spur_core::diagnostic::Source;
use spur_core::inspection;
use spur_core::questionnaire::Role;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A questionnaire to build an inspection from.
struct Make {
    name: &'static str,
    organisation: &'static str,
    specialty: &'static str,
    date: &'static str,
    regulations: &'static str,
    answers: Vec<(&'static str, &'static str)>,
    inspection_extra: String,
    overrides: Vec<(char, &'static str)>,
    extra: String,
    plan: Option<String>,
}

fn make(name: &'static str, date: &'static str) -> Make {
    Make {
        name,
        organisation: "Region Test",
        specialty: "Allmänmedicin",
        date,
        regulations: "[2015, 2021]",
        answers: Vec::new(),
        inspection_extra: String::new(),
        overrides: Vec::new(),
        extra: String::new(),
        plan: None,
    }
}

impl Make {
    fn org(mut self, organisation: &'static str) -> Self {
        self.organisation = organisation;
        self
    }
    fn specialty(mut self, specialty: &'static str) -> Self {
        self.specialty = specialty;
        self
    }
    fn regulations(mut self, regulations: &'static str) -> Self {
        self.regulations = regulations;
        self
    }
    fn answer(mut self, id: &'static str, answer: &'static str) -> Self {
        self.answers.push((id, answer));
        self
    }
    /// An override for `area`, one line of its `override` mapping.
    fn set(mut self, area: char, line: &'static str) -> Self {
        self.overrides.push((area, line));
        self
    }
    fn due(mut self, date: &str) -> Self {
        self.inspection_extra
            .push_str(&format!("  plan_due: {date}\n"));
        self
    }
    fn extra(mut self, text: &str) -> Self {
        self.extra.push_str(text);
        self
    }
    /// An action plan received on `received`, with entries for `items` due `deadline`.
    fn plan(mut self, received: &str, items: &[&str], deadline: &str) -> Self {
        self.extra.push_str(&format!(
            "action_plan:\n  file: plan.yaml\n  received: {received}\n"
        ));
        let mut plan = format!(
            "unit: {}\ninspection_date: {}\nitems:\n",
            self.name, self.date
        );
        for id in items {
            plan.push_str(&format!(
                "  - indicator: {id}\n    action: Åtgärd.\n    deadline: {deadline}\n    responsible: Chef\n    follow_up: {deadline}\n    follow_up_responsible: Chef\n"
            ));
        }
        self.plan = Some(plan);
        self
    }

    /// A report "done" on `date` for the plan's last item.
    fn reported_done(mut self, date: &str) -> Self {
        if let Some(plan) = &mut self.plan {
            plan.push_str(&format!(
                "    reports: [{{date: {date}, status: done, text: Klart.}}]\n"
            ));
        }
        self
    }

    fn build(self) -> Inspection {
        let catalog = Catalog::embedded();
        let mut text = format!(
            "unit:\n  name: {}\n  organisation: {}\n  specialty: {}\n\
             inspection:\n  date: {}\n  inspectors: [Anna Lindqvist]\n  regulations: {}\n{}\
             areas:\n",
            self.name,
            self.organisation,
            self.specialty,
            self.date,
            self.regulations,
            self.inspection_extra
        );
        for area in &catalog.areas {
            text.push_str(&format!("  {}:\n    answers:\n", area.id));
            for indicator in &area.indicators {
                let answer = self
                    .answers
                    .iter()
                    .find(|(id, _)| *id == indicator.id)
                    .map_or("yes", |(_, a)| a);
                text.push_str(&format!("      {}: {answer}\n", indicator.id));
            }
            for (_, line) in self.overrides.iter().filter(|(a, _)| *a == area.id) {
                text.push_str(&format!("    override:\n      {line}\n"));
            }
        }
        text.push_str(&self.extra);
        let source = Source::new("test.yaml", text);
        let graded = inspection::questionnaire(catalog, &source, &|_| true).unwrap();
        let plan = self.plan.map(|p| Source::new("plan.yaml", p));
        inspection::assess(catalog, graded, plan.as_ref(), &|_| true).unwrap()
    }
}

fn summary(inspections: Vec<Inspection>, today: &str) -> Summary {
    let named: Vec<(String, Inspection)> = inspections
        .into_iter()
        .enumerate()
        .map(|(n, i)| (format!("fil{n}.yaml"), i))
        .collect();
    summarise(Catalog::embedded(), &named, &[], 0, day(today))
}

fn distribution<'s>(s: &'s Summary, area: char, version: &str) -> &'s Distribution {
    &s.grades.iter().find(|a| a.id == area).unwrap().versions[version]
}

#[test]
fn counts_per_year_specialty_and_organisation_most_first() {
    let s = summary(
        vec![
            make("Ett", "2024-03-01").org("Region Öst").build(),
            make("Två", "2025-03-01").org("Region Syd").build(),
            make("Tre", "2025-04-01")
                .org("Region Syd")
                .specialty("Kirurgi")
                .build(),
            make("Fyra", "2025-05-01")
                .org("Region Ålund")
                .specialty("Kirurgi")
                .build(),
        ],
        "2026-01-01",
    );
    assert_eq!(s.inspections, 4);
    assert_eq!(s.units, 4);
    assert_eq!(
        s.per_year,
        vec![
            YearCount {
                year: 2024,
                count: 1
            },
            YearCount {
                year: 2025,
                count: 3
            }
        ]
    );
    let names = |list: &[NameCount]| {
        list.iter()
            .map(|n| (n.name.clone(), n.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&s.per_specialty),
        [("Allmänmedicin".into(), 2), ("Kirurgi".into(), 2)]
    );
    // Ties in Swedish order: Å after Ö? No: å, ä, ö, in that order, after z.
    assert_eq!(
        names(&s.per_organisation),
        [
            ("Region Syd".into(), 2),
            ("Region Ålund".into(), 1),
            ("Region Öst".into(), 1)
        ]
    );
    let period = s.period.unwrap();
    assert_eq!(
        (period.first, period.last),
        (day("2024-03-01"), day("2025-05-01"))
    );
}

#[test]
fn grade_distribution_counts_base_and_final_per_version() {
    let plan_d6 = make("Ett", "2025-02-12")
        .answer("D6", "partly")
        .plan("2025-04-01", &["D6"], "2025-12-31")
        .build();
    let e_serious = make("Två", "2025-02-12")
        .regulations("[2021]")
        .answer("E2", "{answer: no, serious: true}")
        .build();
    let overridden = make("Tre", "2025-02-12")
        .regulations("[2021]")
        .set('D', "2021: {grade: A, reason: Granskarnas bedömning}")
        .build();
    let s = summary(vec![plan_d6, e_serious, overridden], "2026-01-01");

    let d15 = distribution(&s, 'D', "2015");
    assert_eq!(d15.graded, 1);
    assert_eq!(d15.base.get(Some(Grade::D)), 1);
    assert_eq!(d15.final_.get(Some(Grade::C)), 1);
    let d21 = distribution(&s, 'D', "2021");
    assert_eq!(d21.graded, 3);
    assert_eq!(d21.base.0, [2, 0, 0, 1, 0, 0]);
    assert_eq!(d21.final_.0, [2, 0, 1, 0, 0, 0]);
    let e21 = distribution(&s, 'E', "2021");
    assert_eq!(e21.base.get(Some(Grade::E)), 1);
    assert_eq!(e21.final_.get(Some(Grade::E)), 1);
    // Every area has both versions, graded or not.
    for area in &s.grades {
        assert_eq!(area.versions.keys().collect::<Vec<_>>(), ["2015", "2021"]);
    }
    let json = serde_json::to_value(d21).unwrap();
    assert_eq!(
        json["base"],
        serde_json::json!({"A": 2, "B": 0, "C": 0, "D": 1, "E": 0, "-": 0})
    );
    assert_eq!(
        serde_json::to_string(&d21.final_).unwrap(),
        r#"{"A":2,"B":0,"C":1,"D":0,"E":0,"-":0}"#,
        "in the grade order"
    );
}

#[test]
fn an_override_is_the_base_grade() {
    let s = summary(
        vec![
            make("Ett", "2025-02-12").regulations("[2021]").build(),
            make("Två", "2025-02-12")
                .regulations("[2021]")
                .set('A', "2021: {grade: B, reason: Granskarnas bedömning}")
                .build(),
        ],
        "2026-01-01",
    );
    assert_eq!(distribution(&s, 'A', "2021").base.0, [1, 1, 0, 0, 0, 0]);
    assert_eq!(distribution(&s, 'A', "2021").final_.0, [1, 1, 0, 0, 0, 0]);
}

#[test]
fn unmet_indicators_are_ranked_with_their_share_of_those_assessed() {
    let s = summary(
        vec![
            make("Ett", "2025-01-01")
                .answer("D6", "no")
                .answer("E14", "partly")
                .build(),
            make("Två", "2025-01-02")
                .answer("E14", "no")
                .answer("D6", "not_assessed")
                .build(),
            make("Tre", "2025-01-03")
                .regulations("[2021]")
                .answer("E14", "no")
                .answer("E6", "no")
                .build(),
        ],
        "2026-01-01",
    );
    let v2015 = &s.unmet[0];
    assert_eq!((v2015.version.as_str(), v2015.inspections), ("2015", 2));
    let rows: Vec<(&str, usize, usize)> = v2015
        .indicators
        .iter()
        .map(|u| (u.indicator.as_str(), u.unmet, u.assessed))
        .collect();
    assert_eq!(rows, [("E14", 2, 2), ("D6", 1, 1)]);
    let v2021 = &s.unmet[1];
    assert_eq!(v2021.inspections, 3);
    let e14 = &v2021.indicators[0];
    assert_eq!(
        (e14.indicator.as_str(), e14.unmet, e14.assessed, e14.share),
        ("E14", 3, 3, 1.0)
    );
    assert_eq!(e14.kind, Kind::Kvalitetsindikator);
    // E6 applies under 2021 only: never in the 2015 list.
    assert!(v2021.indicators.iter().any(|u| u.indicator == "E6"));
    assert!(!v2015.indicators.iter().any(|u| u.indicator == "E6"));
    // Ties keep the catalog's order: D6 before E6.
    let ones: Vec<&str> = v2021
        .indicators
        .iter()
        .filter(|u| u.unmet == 1)
        .map(|u| u.indicator.as_str())
        .collect();
    assert_eq!(ones, ["D6", "E6"]);
}

#[test]
fn plans_are_sorted_by_whether_they_came_in_by_their_due_date() {
    let unmet = |m: Make| m.answer("D6", "no");
    let s = summary(
        vec![
            // On time, on the very day; its action, past its deadline, confirmed.
            unmet(make("Ett", "2025-01-10"))
                .due("2025-04-01")
                .plan("2025-04-01", &["D6"], "2025-09-01")
                .reported_done("2025-08-30")
                .extra("  confirmed: [{indicator: D6, date: 2025-09-02}]\n")
                .build(),
            // Late, and its action past its deadline without a confirmation.
            unmet(make("Sju", "2025-01-10"))
                .due("2025-04-01")
                .plan("2025-04-03", &["D6"], "2025-10-01")
                .build(),
            // Late.
            unmet(make("Två", "2025-01-10"))
                .due("2025-04-01")
                .plan("2025-04-02", &["D6"], "2026-09-01")
                .build(),
            // Received, no due date set.
            unmet(make("Tre", "2025-01-10"))
                .plan("2025-03-01", &["D6"], "2026-09-01")
                .build(),
            // Not received, due date passed.
            unmet(make("Fyra", "2025-01-10")).due("2025-04-01").build(),
            // Not received, not yet due.
            unmet(make("Fem", "2025-11-10")).due("2026-02-01").build(),
            // Nothing required: not counted among the plans.
            make("Sex", "2025-01-10").due("2025-04-01").build(),
        ],
        "2026-01-01",
    );
    let p = s.plans;
    assert_eq!(
        (
            p.required,
            p.on_time,
            p.late,
            p.received_without_due,
            p.overdue,
            p.awaited
        ),
        (6, 1, 2, 1, 1, 1)
    );
    assert_eq!(p.in_time, Share::new(1, 4));
    assert_eq!(p.in_time.share, Some(0.25));
    assert_eq!(s.deficiencies.base, Share::new(6, 7));
    // Ett, Två, Tre and Sju are re-graded D → C in area D; Fyra and Fem stay D.
    assert_eq!(s.deficiencies.final_, Share::new(2, 7));
    let a = s.actions;
    // A confirmed action is carried out, not overdue, though its deadline passed.
    assert_eq!(
        (a.plans, a.total, a.confirmed, a.overdue, a.open),
        (4, 4, 1, 1, 2)
    );
}

#[test]
fn a_unit_inspected_again_is_compared_with_its_previous_inspection() {
    let s = summary(
        vec![
            make("Ett", "2025-02-01").answer("B7", "no").build(),
            make("Ett", "2015-02-01")
                .regulations("[2015]")
                .answer("D6", "no")
                .answer("B7", "no")
                .build(),
            make("Ett", "2020-02-01")
                .regulations("[2015]")
                .answer("D6", "no")
                .build(),
            make("Ett", "2020-02-01").org("Region Annan").build(),
        ],
        "2026-01-01",
    );
    assert_eq!(s.units, 2);
    assert_eq!(s.repeated.len(), 1);
    let u = &s.repeated[0];
    assert_eq!(u.unit, "Ett");
    let dates: Vec<NaiveDate> = u.inspections.iter().map(|v| v.date).collect();
    assert_eq!(
        dates,
        [day("2015-02-01"), day("2020-02-01"), day("2025-02-01")]
    );
    let area = |id: char| u.areas.iter().find(|c| c.id == id).unwrap();
    // Then: 2020 (2015 only); now: 2025 (both versions).
    let d = area('D');
    assert_eq!(
        d.then,
        BTreeMap::from([("2015".to_string(), Some(Grade::D))])
    );
    assert_eq!(d.trend, Some(Trend::Better));
    assert_eq!(area('B').trend, Some(Trend::Worse));
    assert_eq!(area('A').trend, Some(Trend::Same));
    assert_eq!(text::change_cell(d), "D→A");
}

#[test]
fn a_unit_is_due_five_years_after_its_last_inspection_or_within_the_coming_year() {
    let s = summary(
        vec![
            // Five years ago to the day: due today, so overdue.
            make("Ett", "2021-01-01").build(),
            // Due within the coming year, on its last day.
            make("Två", "2022-01-01").build(),
            // Due a day after the coming year.
            make("Tre", "2022-01-02").build(),
            // Inspected again since: only the last inspection counts.
            make("Fyra", "2015-06-01").build(),
            make("Fyra", "2024-06-01").build(),
            // A leap day: five years on is 28 February.
            make("Fem", "2020-02-29").build(),
        ],
        "2026-01-01",
    );
    let due: Vec<(&str, NaiveDate, bool)> = s
        .due
        .iter()
        .map(|u| (u.unit.as_str(), u.due, u.overdue))
        .collect();
    assert_eq!(
        due,
        [
            ("Fem", day("2025-02-28"), true),
            ("Ett", day("2026-01-01"), true),
            ("Två", day("2027-01-01"), false),
        ]
    );
}

#[test]
fn survey_rates_count_answers_of_those_asked() {
    let s = summary(
        vec![
            make("Ett", "2025-01-01")
                .extra(
                    "survey:\n  answered: {st_lakare: 10, handledare: 12, verksamhetschef: 0}\n  \
                     asked: {st_lakare: 11, handledare: 14, verksamhetschef: 1}\n  \
                     interviewed: {st_lakare: 6, ledning: 3}\n",
                )
                .build(),
            // No asked: its answers count among the answers, not in the rate.
            make("Två", "2025-01-02")
                .extra("survey:\n  answered: {st_lakare: 5, studierektorer: 2}\n")
                .build(),
            make("Tre", "2025-01-03").build(),
        ],
        "2026-01-01",
    );
    let v = &s.survey;
    assert_eq!(v.inspections, 2);
    let role = |r: Role| v.roles.iter().find(|x| x.role == r).unwrap();
    let st = role(Role::StLakare);
    assert_eq!((st.answered, st.asked, st.interviewed), (15, 11, 6));
    assert_eq!(st.response, Share::new(10, 11));
    assert_eq!(st.units, Share::new(1, 1));
    let chef = role(Role::Verksamhetschef);
    assert_eq!(chef.response, Share::new(0, 1));
    assert_eq!(chef.units, Share::new(0, 1));
    let sr = role(Role::Studierektorer);
    assert_eq!((sr.answered, sr.response.share), (2, None));
    assert_eq!(role(Role::Ledning).interviewed, 3);
    let order: Vec<Role> = v.roles.iter().map(|r| r.role).collect();
    assert_eq!(
        order,
        [
            Role::StLakare,
            Role::Handledare,
            Role::Studierektorer,
            Role::Verksamhetschef,
            Role::Ledning
        ]
    );
}

#[test]
fn an_inspection_found_twice_is_counted_once_and_the_copy_listed() {
    let named = vec![
        ("a.yaml".to_string(), make("Ett", "2025-01-01").build()),
        ("b.yaml".to_string(), make("Ett", "2025-01-01").build()),
        ("c.yaml".to_string(), make("Ett", "2025-01-02").build()),
    ];
    let invalid = NotCounted {
        file: "trasig.yaml".into(),
        line: 3,
        column: 5,
        problem: "okänd nyckel".into(),
        duplicate_of: None,
    };
    let s = summarise(
        Catalog::embedded(),
        &named,
        std::slice::from_ref(&invalid),
        2,
        day("2026-01-01"),
    );
    assert_eq!(s.inspections, 2);
    assert_eq!(s.files.counted, 2);
    assert_eq!(s.files.plans_skipped, 2);
    assert_eq!(s.files.not_counted.len(), 2);
    assert_eq!(s.files.not_counted[0], invalid);
    let copy = &s.files.not_counted[1];
    assert_eq!(copy.file, "b.yaml");
    assert_eq!(copy.duplicate_of.as_deref(), Some("a.yaml"));
    let text = text(&s);
    assert!(text.contains("EJ MEDRÄKNADE FILER (2)"), "{text}");
    assert!(text.contains("trasig.yaml:3:5: okänd nyckel"), "{text}");
    assert!(
        text.contains("Handlingsplaner som hoppades över: 2"),
        "{text}"
    );
}

#[test]
fn numbers_and_shares_are_written_as_swedish_writes_them() {
    assert_eq!(number(950), "950");
    assert_eq!(number(2275), "2275");
    assert_eq!(number(10_000), "10\u{a0}000");
    assert_eq!(number(1_234_567), "1\u{a0}234\u{a0}567");
    let p = |count, of| percent(&Share::new(count, of));
    assert_eq!(p(64, 100).as_deref(), Some("64\u{a0}%"));
    assert_eq!(p(1, 3).as_deref(), Some("33\u{a0}%"));
    assert_eq!(p(1, 1000).as_deref(), Some("<\u{a0}1\u{a0}%"));
    assert_eq!(p(999, 1000).as_deref(), Some(">\u{a0}99\u{a0}%"));
    assert_eq!(p(0, 10).as_deref(), Some("0\u{a0}%"));
    assert_eq!(p(0, 0), None);
    assert_eq!(
        prose::share_text(&Share::new(92, 143)),
        "92 av 143 (64\u{a0}%)"
    );
}

#[test]
fn the_lead_says_what_was_inspected_without_opening_a_sentence_with_a_numeral() {
    let s = summary(
        vec![
            make("Ett", "2021-05-01")
                .answer("D6", "no")
                .due("2021-08-01")
                .build(),
            make("Två", "2025-05-01").org("Region Annan").build(),
        ],
        "2026-01-01",
    );
    assert_eq!(title(&s), "Årssammanställning ST-SPUR 2021–2025");
    let lead = lead(&s);
    assert_eq!(
        lead[0],
        "Sammanställningen omfattar 2 granskningar av 2 enheter inom 1 specialitet hos 2 vårdgivare, genomförda 2021–2025."
    );
    assert!(lead[1].starts_with(
        "Vid 1 av 2 (50\u{a0}%) granskningar fick minst ett område graderingen D eller E"
    ));
    assert!(
        lead.iter()
            .any(|p| p.contains("Fortfarande saknas 1 plan trots"))
    );
    assert!(
        lead.iter()
            .any(|p| p == "På tur för ny granskning inom ett år står 1 enhet.")
    );
    for p in &lead {
        assert!(!p.starts_with(|c: char| c.is_ascii_digit()), "{p}");
    }
}

#[test]
fn nothing_to_count_still_gives_a_summary() {
    let s = summary(Vec::new(), "2026-01-01");
    assert_eq!(title(&s), "Årssammanställning ST-SPUR");
    assert!(s.period.is_none());
    assert_eq!(s.plans.in_time.share, None);
    let text = text(&s);
    assert!(text.contains("Ingen granskning kunde räknas med"), "{text}");
    assert!(text.contains("EJ MEDRÄKNADE FILER (0)"), "{text}");
    assert_eq!(csv(&s).lines().count(), 1 + 8 * 2 * 6);
}

#[test]
fn csv_has_a_row_for_every_area_version_and_grade() {
    let s = summary(
        vec![
            make("Ett", "2025-01-01").answer("D6", "no").build(),
            make("Två", "2025-01-01").regulations("[2021]").build(),
        ],
        "2026-01-01",
    );
    let csv = csv(&s);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "område;regelverk;betyg;före_plan;slutligt");
    assert_eq!(lines.len(), 1 + 8 * 2 * 6);
    assert_eq!(lines[1], "A;2015;A;1;1");
    assert_eq!(lines[6], "A;2015;-;0;0");
    assert!(lines.contains(&"D;2021;D;1;1"));
    assert!(lines.contains(&"D;2021;A;1;1"));
    assert!(lines.contains(&"D;2015;D;1;1"));
    assert!(csv.ends_with('\n'));
}

#[test]
fn the_pdf_data_cuts_long_lists_and_says_how_many_more() {
    let inspections: Vec<Inspection> = (0..pdf::MAX_ROWS + 3)
        .map(|n| {
            let name: &'static str = Box::leak(format!("Enhet {n:03}").into_boxed_str());
            make(name, "2019-01-01").build()
        })
        .collect();
    let s = summary(inspections, "2026-01-01");
    assert_eq!(s.due.len(), pdf::MAX_ROWS + 3);
    let data = pdf::data(&s);
    assert_eq!(data.due.rows.len(), pdf::MAX_ROWS);
    assert_eq!(data.due.more, 3);
    assert_eq!(data.title, "Årssammanställning ST-SPUR 2019");
    assert_eq!(data.date, [2026, 1, 1]);
}
