use super::*;
use spur_core::catalog::Grade;
use spur_core::fonts;

fn boo() -> Questionnaire {
    let text = include_str!("../../../../fixtures/boo-vardcentral.yaml");
    let source = Source::new("boo.yaml", text.to_string());
    spur_core::questionnaire::parse(&source, Catalog::embedded(), &fonts::can_show).unwrap()
}

fn problems(draft: &Draft) -> Vec<Located> {
    match check(Catalog::embedded(), draft, "q.yaml", &fonts::can_show).outcome {
        Ok(_) => Vec::new(),
        Err(p) => p,
    }
}

/// The problems at `field`, by message.
fn at(problems: &[Located], field: &Field) -> Vec<String> {
    problems
        .iter()
        .filter(|(s, _)| s.as_ref() == Some(&Spot::Field(field.clone())))
        .map(|(_, d)| d.message.clone())
        .collect()
}

#[test]
fn a_valid_questionnaire_goes_through_a_draft_unchanged() {
    // The plan's reference is the service's to add, never a field of the pages.
    let q = Questionnaire {
        action_plan: None,
        ..boo()
    };
    let checked = check(
        Catalog::embedded(),
        &Draft::from(&q),
        "q.yaml",
        &fonts::can_show,
    );
    let (again, _) = checked.outcome.expect("Boo is valid");
    assert!(
        again == q,
        "the questionnaire changed on its way through a draft"
    );
}

#[test]
fn each_problem_is_placed_at_the_field_it_concerns() {
    let mut d = Draft::from(&boo());
    d.set_text(Field::Date, "12 feb 2025");
    d.set_text(Field::Name, "");
    d.set_text(Field::Answer("D6".into()), "");
    d.set_text(Field::Comment("D6".into()), "Saknas.");
    d.set_text(Field::Answer("D7".into()), "");
    d.set_text(Field::Count(Tally::Answered, Role::Handledare), "tolv");
    d.set_text(Field::Grade('B', Version::V2021), "B");
    d.set_text(Field::Reason('B', Version::V2021), "");
    d.set_text(Field::Serious("D1".into()), "true");
    d.set_text(Field::Answer("D1".into()), "yes");
    let found = problems(&d);
    assert!(!found.is_empty());
    for field in [
        Field::Date,
        Field::Answer("D6".into()),
        Field::Answer("D7".into()),
        Field::Count(Tally::Answered, Role::Handledare),
        Field::Reason('B', Version::V2021),
        Field::Serious("D1".into()),
    ] {
        assert!(!at(&found, &field).is_empty(), "{field:?}: {found:#?}");
    }
    assert!(found.iter().all(|(s, _)| s.is_some()), "{found:#?}");
}

#[test]
fn an_empty_draft_has_problems_but_every_page_is_not_started() {
    let catalog = Catalog::embedded();
    let d = Draft::new();
    let found = problems(&d);
    assert!(!found.is_empty());
    for page in Page::all(catalog) {
        let fields = page.fields(catalog, &d);
        let here: Vec<Option<&Field>> = found
            .iter()
            .filter_map(|(s, _)| match s {
                Some(Spot::Field(f)) if f.page() == page => Some(Some(f)),
                Some(Spot::Page(p)) if *p == page => Some(None),
                _ => None,
            })
            .collect();
        assert_eq!(
            Status::of(&d, &fields, &here),
            Status::NotStarted,
            "{page:?}"
        );
    }
}

#[test]
fn statuses_tell_missing_from_wrong() {
    let d = {
        let mut d = Draft::new();
        d.set_text(Field::Name, "Boo");
        d.set_text(Field::Date, "igår");
        d
    };
    let fields = Page::Unit.fields(Catalog::embedded(), &d);
    assert_eq!(Status::of(&d, &fields, &[]), Status::Done);
    assert_eq!(
        Status::of(&d, &fields, &[Some(&Field::Organisation)]),
        Status::InProgress
    );
    assert_eq!(
        Status::of(&d, &fields, &[Some(&Field::Date)]),
        Status::Errors
    );
    assert_eq!(Status::of(&d, &fields, &[None]), Status::Errors);
}

#[test]
fn fields_one_side_changed_merge_and_fields_both_changed_keep_both() {
    let base = Draft::from(&boo());
    let mut stored = base.clone();
    stored.set_text(Field::Findings('A'), "Anna skrev detta.");
    stored.set_text(Field::Comment("E4".into()), "Annas kommentar.");
    let mut mine = base.clone();
    mine.set_text(Field::Findings('B'), "Bo skrev detta.");
    mine.set_text(Field::Comment("E4".into()), "Bos kommentar.");
    mine.set(Field::Strengths, Value::List(vec!["Ny styrka".into()]));
    let posted: Vec<(Field, Value)> = [
        Field::Findings('A'),
        Field::Findings('B'),
        Field::Comment("E4".into()),
        Field::Strengths,
    ]
    .into_iter()
    .map(|f| {
        let v = mine.get(&f);
        (f, v)
    })
    .collect();
    let (merged, conflicts) = merge(&stored, changes(&base, posted));
    assert_eq!(merged.text(&Field::Findings('A')), "Anna skrev detta.");
    assert_eq!(merged.text(&Field::Findings('B')), "Bo skrev detta.");
    assert_eq!(merged.list(&Field::Strengths), ["Ny styrka"]);
    assert_eq!(
        merged.text(&Field::Comment("E4".into())),
        "Annas kommentar."
    );
    assert_eq!(
        conflicts,
        vec![Conflict {
            field: Field::Comment("E4".into()),
            theirs: Value::Text("Bos kommentar.".into()),
        }]
    );
    // The same change made twice is no conflict.
    let again = vec![(Field::Findings('A'), stored.get(&Field::Findings('A')))];
    let (_, none) = merge(&stored, changes(&base, again));
    assert!(none.is_empty());
}

#[test]
fn a_stored_draft_reads_back_whole() {
    let mut d = Draft::from(&boo());
    d.set_text(Field::Grade('C', Version::V2015), Grade::D.letter());
    d.set_text(Field::Count(Tally::Asked, Role::Ledning), "x");
    let json = d.to_json().unwrap();
    assert_eq!(Draft::from_json(&json).unwrap(), d);
    assert!(Draft::from_json("[[\"Nonsense\", 1]]").is_err());
}

#[test]
fn every_field_is_on_its_page_with_a_name_of_its_own() {
    let catalog = Catalog::embedded();
    let d = Draft::new();
    let mut names = std::collections::BTreeSet::new();
    for page in Page::all(catalog) {
        assert_eq!(Page::from_key(catalog, &page.key()), Some(page));
        for field in page.fields(catalog, &d) {
            assert_eq!(field.page(), page, "{field:?}");
            assert!(names.insert(field.name()), "{field:?}");
        }
    }
    assert_eq!(Page::from_key(catalog, "i"), None);
}
