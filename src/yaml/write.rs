//! Writing spur's YAML files from their models: the questionnaire in the layout of
//! `spur init`, and the action plan as the unit typed it. Pure functions. Every free
//! text goes through [`scalar`], so that [`crate::yaml::parse`] reads back exactly the
//! string that was written, whatever it looks like.

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::{Area, Catalog, Group, Version};
use crate::plan::Plan;
use crate::questionnaire::{
    Answer, AreaInput, Counts, Details, PlanReference, Questionnaire, Response, Summary, Survey,
    Unit,
};
use crate::skeleton;

/// An action plan file as typed: strings, since the web form keeps what cannot be
/// read yet (a date typed as "31 maj") for the check to point at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanFile {
    /// The unit, as named in the inspection.
    pub unit: String,
    /// The inspection's date.
    pub inspection_date: NaiveDate,
    /// The entries, in the plan's order.
    pub items: Vec<PlanEntry>,
}

/// One entry of a [`PlanFile`], its fields in the order of [`crate::plan::ITEM_KEYS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanEntry {
    /// The indicator the action answers.
    pub indicator: String,
    /// Planerad åtgärd.
    pub action: String,
    /// When the action is to be done, ideally ÅÅÅÅ-MM-DD.
    pub deadline: String,
    /// The deadline in the unit's own words.
    pub deadline_note: Option<String>,
    /// Ansvarig för genomförandet.
    pub responsible: String,
    /// When it is followed up, ideally ÅÅÅÅ-MM-DD.
    pub follow_up: String,
    /// The follow-up in the unit's own words.
    pub follow_up_note: Option<String>,
    /// Ansvarig för uppföljningen.
    pub follow_up_responsible: String,
}

impl From<&Plan> for PlanFile {
    fn from(plan: &Plan) -> Self {
        let items = plan
            .items
            .iter()
            .map(|i| PlanEntry {
                indicator: i.indicator.clone(),
                action: i.action.clone(),
                deadline: i.deadline.to_string(),
                deadline_note: i.deadline_note.clone(),
                responsible: i.responsible.clone(),
                follow_up: i.follow_up.to_string(),
                follow_up_note: i.follow_up_note.clone(),
                follow_up_responsible: i.follow_up_responsible.clone(),
            })
            .collect();
        PlanFile {
            unit: plan.unit.clone(),
            inspection_date: plan.inspection_date,
            items,
        }
    }
}

/// The instructions above a questionnaire, as `spur init` gives them.
const HEADER: &str = "\
# Frågeformulär för granskning av ST-utbildning enligt ST-SPUR (LIPUS).
#
# Kontrollera filen med:  spur check <filen>
# Svar på indikatorerna:  yes = uppfylld,  no = ej uppfylld,  partly = delvis uppfylld,
#                         not_assessed = ej bedömd (räknas inte in i graderingen).
# Med kommentar:  D6: {answer: no, comment: \"IUP saknar plan för bedömning av delmålen.\"}
# Allvarlig brist (ger E):  E1: {answer: no, comment: \"…\", serious: true}
# Datum skrivs ÅÅÅÅ-MM-DD. Text över flera rader skrivs efter \"|\" på indragna rader;
# en tom rad blir ett nytt stycke i rapporten.
";

/// The survey as `spur init` offers it, for a questionnaire without one.
const NO_SURVEY: &str = "\
# survey:                            # enkäten före besöket och vilka som deltog (frivilligt)
#   answered: {st_lakare: 0, handledare: 0, studierektorer: 0, verksamhetschef: 0}
#   asked: {st_lakare: 0, handledare: 0, studierektorer: 0, verksamhetschef: 0}
#   interviewed: {st_lakare: 0, handledare: 0, ledning: 0}
";

/// An area's override as `spur init` offers it, for an area without one.
const NO_OVERRIDE: &str = "    # override:                      # ändra betyget, med motivering:
    #   2021: {grade: B, reason: \"…\"}
";

/// The questionnaire in the layout of `spur init`: areas and indicators in catalog
/// order, each indicator's kinds and text as comments above its answer. An indicator
/// without an answer stays an empty key (`A1:`) to fill in, unless it does not apply
/// under the inspection's regulations, where an answer is not expected.
pub fn questionnaire(catalog: &Catalog, q: &Questionnaire) -> String {
    let mut out = format!(
        "# yaml-language-server: $schema={}\n{HEADER}",
        crate::schema::FILE_NAME
    );
    gap(&mut out);
    unit(&mut out, &q.unit);
    gap(&mut out);
    inspection(&mut out, &q.inspection);
    gap(&mut out);
    match &q.survey {
        Some(s) => survey(&mut out, s),
        None => out.push_str(NO_SURVEY),
    }
    gap(&mut out);
    summary(&mut out, &q.summary);
    gap(&mut out);
    entry(&mut out, "", "areas", "");
    for area in &catalog.areas {
        let input = q.area(area.id);
        write_area(&mut out, catalog, area, input, &q.inspection.regulations);
    }
    if let Some(reference) = &q.action_plan {
        gap(&mut out);
        action_plan(&mut out, reference);
    }
    out
}

/// The action plan file, its entries' keys in the order of [`crate::plan::ITEM_KEYS`].
pub fn plan(plan: &PlanFile) -> String {
    let mut out = String::from(
        "# Handlingsplan efter ST-SPUR-granskning. Kontrollera den med:\n\
         #   spur plan-check <denna fil> --inspection <granskningens fil>\n",
    );
    text(&mut out, 0, "unit", &plan.unit);
    let date = plan.inspection_date.to_string();
    entry(&mut out, "", "inspection_date", &date);
    let empty = if plan.items.is_empty() { "[]" } else { "" };
    entry(&mut out, "", "items", empty);
    for i in &plan.items {
        let fields: Vec<_> = [
            ("indicator", Some(&i.indicator[..])),
            ("action", Some(&i.action)),
            ("deadline", Some(&i.deadline)),
            ("deadline_note", i.deadline_note.as_deref()),
            ("responsible", Some(&i.responsible)),
            ("follow_up", Some(&i.follow_up)),
            ("follow_up_note", i.follow_up_note.as_deref()),
            ("follow_up_responsible", Some(&i.follow_up_responsible)),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key, Field::Text(value?))))
        .collect();
        sequence_entry(&mut out, 2, &fields);
    }
    out
}

fn unit(out: &mut String, unit: &Unit) {
    entry(out, "", "unit", "");
    let description = unit.description.as_deref().unwrap_or("");
    for (key, value) in [
        ("name", &unit.name[..]),
        ("organisation", &unit.organisation),
        ("specialty", &unit.specialty),
        ("description", description),
    ] {
        text(out, 2, key, value);
    }
}

fn inspection(out: &mut String, details: &Details) {
    let date = details.date.to_string();
    // An absent optional date stays in view, commented out, as `spur init` leaves it.
    let optional = |out: &mut String, key: &str, value: Option<NaiveDate>| match value {
        Some(d) => entry(out, "  ", key, &d.to_string()),
        None => out.push_str(&format!("  # {key}: {date}\n")),
    };
    entry(out, "", "inspection", "");
    entry(out, "  ", "date", &date);
    optional(out, "report_date", details.report_date);
    let inspectors = details.inspectors.iter().map(|i| scalar(i, Place::Flow));
    entry(out, "  ", "inspectors", &flow_list(inspectors));
    let regulations = details.regulations.iter().map(Version::to_string);
    entry(out, "  ", "regulations", &flow_list(regulations));
    optional(out, "plan_due", details.plan_due);
}

fn survey(out: &mut String, survey: &Survey) {
    let counts = |counts: &Counts| {
        let pairs: Vec<String> = counts
            .iter()
            .map(|(role, n)| format!("{}: {n}", role.key()))
            .collect();
        format!("{{{}}}", pairs.join(", "))
    };
    entry(out, "", "survey", "");
    for (key, value) in [
        ("answered", Some(&survey.answered)),
        ("asked", survey.asked.as_ref()),
        ("interviewed", survey.interviewed.as_ref()),
    ] {
        if let Some(value) = value {
            entry(out, "  ", key, &counts(value));
        }
    }
}

fn summary(out: &mut String, summary: &Summary) {
    entry(out, "", "summary", "");
    for (key, items) in [
        ("strengths", &summary.strengths),
        ("weaknesses", &summary.weaknesses),
        ("improvements", &summary.improvements),
    ] {
        if items.is_empty() {
            entry(out, "  ", key, "[]");
            continue;
        }
        entry(out, "  ", key, "");
        for item in items {
            out.push_str(&format!("    - {}\n", scalar(item, Place::Block(4))));
        }
    }
}

fn write_area(
    out: &mut String,
    catalog: &Catalog,
    area: &Area,
    input: Option<&AreaInput>,
    regulations: &[Version],
) {
    let group = match area.group {
        Group::Struktur => "STRUKTUR",
        Group::Process => "PROCESS",
    };
    gap(out);
    out.push_str(&format!("  # {}. {} ({group})\n", area.id, area.title));
    entry(out, "  ", &area.id.to_string(), "");
    let findings = input.and_then(|a| a.findings.as_deref());
    text(out, 4, "findings", findings.unwrap_or(""));
    entry(out, "    ", "answers", "");
    let answers = input.map(|a| &a.answers);
    for indicator in &area.indicators {
        let response = answers.and_then(|a| a.get(&indicator.id));
        if response.is_none() && !indicator.applies_under(regulations) {
            continue;
        }
        let view = skeleton::view(catalog, indicator, &Version::ALL, None);
        out.push_str(&format!("      # {}, {}:\n", indicator.id, view.kinds));
        for line in &view.lines {
            out.push_str(format!("      #   {line}").trim_end());
            out.push('\n');
        }
        answer(out, &indicator.id, response);
    }
    // Answers the catalog does not know are kept, so that writing loses nothing.
    for (id, response) in answers
        .into_iter()
        .flatten()
        .filter(|(id, _)| area.indicator(id).is_none())
    {
        answer(out, id, Some(response));
    }
    match input.map(|a| &a.overrides).filter(|o| !o.is_empty()) {
        Some(overrides) => {
            entry(out, "    ", "override", "");
            for (version, o) in overrides {
                let fields = [
                    ("grade", Field::Word(o.grade.letter())),
                    ("reason", Field::Text(&o.reason)),
                ];
                record(out, 6, &version.to_string(), &fields);
            }
        }
        None => out.push_str(NO_OVERRIDE),
    }
}

fn answer(out: &mut String, id: &str, response: Option<&Response>) {
    let key = scalar(id, Place::Flow);
    let Some(response) = response else {
        return entry(out, "      ", &key, "");
    };
    let word = match response.answer {
        Answer::Yes => "yes",
        Answer::No => "no",
        Answer::Partly => "partly",
        Answer::NotAssessed => "not_assessed",
    };
    let mut fields = vec![("answer", Field::Word(word))];
    fields.extend(
        response
            .comment
            .as_deref()
            .map(|c| ("comment", Field::Text(c))),
    );
    if response.serious {
        fields.push(("serious", Field::Word("true")));
    }
    match fields.as_slice() {
        [_] => entry(out, "      ", &key, word),
        _ => record(out, 6, &key, &fields),
    }
}

fn action_plan(out: &mut String, reference: &PlanReference) {
    entry(out, "", "action_plan", "");
    text(out, 2, "file", &reference.file);
    entry(out, "  ", "received", &reference.received.to_string());
    if reference.rejected.is_empty() {
        return;
    }
    entry(out, "  ", "rejected", "");
    for r in &reference.rejected {
        let fields = [
            ("indicator", Field::Text(&r.indicator)),
            ("reason", Field::Text(&r.reason)),
        ];
        sequence_entry(out, 4, &fields);
    }
}

/// A value of a small mapping: a word of the file's own vocabulary (`no`, `true`, a
/// grade), written as it is, or free text.
enum Field<'a> {
    Word(&'a str),
    Text(&'a str),
}

impl Field<'_> {
    fn render(&self, place: Place) -> String {
        match self {
            Field::Word(w) => w.to_string(),
            Field::Text(t) => scalar(t, place),
        }
    }
}

/// `key` with `fields` at `column`: on one line as a flow map when every text fits
/// there, else as a block map whose texts may be literal blocks.
fn record(out: &mut String, column: usize, key: &str, fields: &[(&str, Field)]) {
    let indent = " ".repeat(column);
    if fields
        .iter()
        .any(|(_, f)| matches!(f, Field::Text(t) if literal_fits(t)))
    {
        entry(out, &indent, key, "");
        let inner = " ".repeat(column + 2);
        for (k, f) in fields {
            entry(out, &inner, k, &f.render(Place::Block(column + 2)));
        }
    } else {
        let pairs: Vec<String> = fields
            .iter()
            .map(|(k, f)| match f {
                // Quoted even where plain would do: a comma added by hand must not
                // end the text.
                Field::Text(t) => format!("{k}: {}", quoted(t)),
                Field::Word(w) => format!("{k}: {w}"),
            })
            .collect();
        entry(out, &indent, key, &format!("{{{}}}", pairs.join(", ")));
    }
}

/// A block sequence entry at `column` holding a block map of `fields`.
fn sequence_entry(out: &mut String, column: usize, fields: &[(&str, Field)]) {
    let first = format!("{}- ", " ".repeat(column));
    let rest = " ".repeat(column + 2);
    for (i, (k, f)) in fields.iter().enumerate() {
        let lead = if i == 0 { &first } else { &rest };
        entry(out, lead, k, &f.render(Place::Block(column + 2)));
    }
}

/// A line `key: value` after `lead`; an empty `value` leaves the key bare (`A1:`).
fn entry(out: &mut String, lead: &str, key: &str, value: &str) {
    out.push_str(lead);
    out.push_str(key);
    out.push(':');
    if !value.is_empty() {
        out.push(' ');
        out.push_str(value);
    }
    out.push('\n');
}

/// `key: text` with the key at `column`.
fn text(out: &mut String, column: usize, key: &str, text: &str) {
    let value = scalar(text, Place::Block(column));
    entry(out, &" ".repeat(column), key, &value);
}

fn flow_list(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(", "))
}

/// An empty line between blocks, unless the text before ends in one already: that is
/// a `|+` block's last line, which a further empty line would lengthen.
fn gap(out: &mut String) {
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Where a scalar is written, which decides the forms it may take.
#[derive(Clone, Copy)]
enum Place {
    /// Inside `{…}` or `[…]`, or as a key: one line, and `,[]{}:` end a plain scalar.
    Flow,
    /// The value of a block map key or sequence entry at this column: a literal block
    /// may follow, indented two more.
    Block(usize),
}

/// `text` as a YAML scalar that reads back as exactly `text`: plain where nothing in
/// it could read otherwise, a literal block for readable lines, else double-quoted.
fn scalar(text: &str, place: Place) -> String {
    match place {
        Place::Block(column) if literal_fits(text) => literal(text, column),
        _ if plain_fits(text, matches!(place, Place::Flow)) => text.to_string(),
        _ => quoted(text),
    }
}

/// Characters written only as escapes: YAML forbids them raw, or readers disagree on
/// them (NEL and U+2028/U+2029 were line breaks in YAML 1.1; a byte-order mark may be
/// dropped), or, for tab and CR, they would not survive as themselves in plain text.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// Words that some YAML reader, 1.1 or 1.2, takes for a null, boolean or number.
const RESERVED: [&str; 10] = [
    "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan",
];

/// Whether `text` may stand unquoted. Conservative: anything starting like a number,
/// an indicator or a reserved word is quoted, except an ISO date, which YAML 1.2's
/// core schema reads as a string and which the plan is easier to read with.
fn plain_fits(text: &str, flow: bool) -> bool {
    let (Some(first), Some(last)) = (text.chars().next(), text.chars().next_back()) else {
        return false;
    };
    let b = text.as_bytes();
    let iso_date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    iso_date
        || !(first.is_whitespace()
            || last.is_whitespace()
            || first.is_ascii_digit()
            || "-?:,[]{}#&*!|>'\"%@`+.~<=\\".contains(first)
            || text.contains(": ")
            || text.contains(" #")
            || text.ends_with(':')
            || text.chars().any(needs_escape)
            || (flow && text.contains([',', '[', ']', '{', '}', ':']))
            || RESERVED.iter().any(|w| text.eq_ignore_ascii_case(w)))
}

/// Whether `text` reads back exactly from a literal block: several lines, one with
/// text, and nothing to escape but tabs inside a line.
fn literal_fits(text: &str) -> bool {
    text.contains('\n')
        && text.split('\n').any(|l| l.contains(|c| c != ' '))
        && text
            .split('\n')
            .all(|l| !l.starts_with('\t') && l.chars().all(|c| c == '\t' || !needs_escape(c)))
}

/// `text` as a literal block under a key at `column`. The chomping indicator keeps
/// the final line breaks as they are; the indentation indicator is given when the
/// first line would not show the indentation (empty, or starting with spaces).
fn literal(text: &str, column: usize) -> String {
    let (chomp, body) = match text.strip_suffix('\n') {
        None => ("-", text),
        Some(rest) if rest.ends_with('\n') => ("+", rest),
        Some(rest) => ("", rest),
    };
    let first = body.split('\n').next().unwrap_or("");
    let hidden = first.is_empty() || first.starts_with(' ');
    let indentation = if hidden { "2" } else { "" };
    let indent = " ".repeat(column + 2);
    let mut out = format!("|{indentation}{chomp}");
    for line in body.split('\n') {
        out.push('\n');
        // Empty lines stay empty: trailing spaces would only be noise.
        if !line.is_empty() {
            out.push_str(&indent);
            out.push_str(line);
        }
    }
    out
}

/// `text` double-quoted, with every character [`needs_escape`] names escaped.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) && u32::from(c) <= 0xff => {
                out.push_str(&format!("\\x{:02X}", u32::from(c)));
            }
            c if needs_escape(c) => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::catalog::Grade;
    use crate::diagnostic::{Diagnostic, Source};
    use crate::questionnaire::{Override, Rejection};
    use crate::yaml::{Node, Value};
    use crate::{fonts, grading, inspection, plan};

    const QUESTIONNAIRES: [&str; 3] = [
        include_str!("../../fixtures/boo-vardcentral.yaml"),
        include_str!("../../fixtures/vardcentralen-norrby.yaml"),
        include_str!("../../fixtures/medicinkliniken-2021.yaml"),
    ];
    const BOO_PLAN: &str = include_str!("../../fixtures/boo-vardcentral-handlingsplan.yaml");

    fn read(text: &str) -> Result<Questionnaire, Vec<Diagnostic>> {
        let source = Source::new("q.yaml", text.to_string());
        crate::questionnaire::parse(&source, Catalog::embedded(), &|_| true)
    }

    fn boo() -> Questionnaire {
        read(QUESTIONNAIRES[0]).unwrap()
    }

    fn check_plan(q: &Questionnaire, text: &str) -> plan::Checked {
        let (c, source) = (Catalog::embedded(), Source::new("p.yaml", text.to_string()));
        plan::check(&source, c, q, &grading::grade(c, q, None), &|_| true)
    }

    /// The value at `path` (keys, or indices into sequences, joined by dots) of `text`.
    fn value_at(text: &str, path: &str) -> Value {
        let root = crate::yaml::parse(&Source::new("w.yaml", text.to_string()))
            .unwrap_or_else(|d| panic!("{}\n{text}", d.message));
        let step = |node: &'_ Node, step: &&str| match &node.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.key_text() == *step)
                .map(|e| e.1.clone()),
            Value::Seq(items) => step
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned()),
            _ => None,
        };
        let found = path.split('.').try_fold(root, |node, s| step(&node, &s));
        found
            .unwrap_or_else(|| panic!("{path} saknas\n{text}"))
            .value
    }

    #[test]
    fn the_fixtures_read_back_the_same() {
        for text in QUESTIONNAIRES {
            let q = read(text).unwrap();
            let written = questionnaire(Catalog::embedded(), &q);
            assert_eq!(
                read(&written).unwrap_or_else(|e| panic!("{e:#?}\n{written}")),
                q
            );
        }
        let q = boo();
        let plan = check_plan(&q, BOO_PLAN).plan.unwrap();
        let written = super::plan(&PlanFile::from(&plan));
        let again = check_plan(&q, &written);
        assert!(
            again.errors.is_empty() && again.missing.is_empty(),
            "{written}"
        );
        let again = again.plan.unwrap();
        assert_eq!(
            (&again.unit, again.inspection_date),
            (&plan.unit, plan.inspection_date)
        );
        assert_eq!(again.items, plan.items);
        assert!(written.contains("    deadline: 2026-05-31\n"), "{written}");
    }

    #[test]
    fn the_written_boo_questionnaire_passes_the_check_with_the_skeletons_comments() {
        let c = Catalog::embedded();
        let written = questionnaire(c, &boo());
        let source = Source::new("boo.yaml", written.clone());
        let graded = inspection::questionnaire(c, &source, &fonts::can_show).unwrap();
        let plan = Source::new("plan.yaml", BOO_PLAN.to_string());
        let assessed = inspection::assess(c, graded, Some(&plan), &fonts::can_show).unwrap();
        assert!(assessed.warnings.is_empty(), "{:#?}", assessed.warnings);
        assert!(written.contains("# E7, föreskrift 2021, allmänt råd 2015:\n"));
        let date = NaiveDate::from_ymd_opt(2025, 2, 12).unwrap();
        let skeleton = skeleton::questionnaire(c, date, "s.yaml").unwrap();
        for line in skeleton.lines().filter(|l| l.starts_with("      # ")) {
            assert!(
                written.contains(&format!("{}\n", line.trim_end())),
                "{line}"
            );
        }
    }

    #[test]
    fn unanswered_indicators_stay_empty_keys_and_long_comments_get_a_block() {
        let mut q = boo();
        q.areas[0].answers.remove("A2");
        let d6 = q.areas[3].answers.get_mut("D6").unwrap();
        d6.comment = Some("Första raden.\n\n  Indragen.".into());
        let written = questionnaire(Catalog::embedded(), &q);
        assert!(written.contains("\n      A2:\n      # A3,"), "{written}");
        let block = "      D6:\n        answer: partly\n        comment: |-\n          Första raden.\n\n            Indragen.\n";
        assert!(written.contains(block), "{written}");
    }

    #[test]
    fn scalars_take_the_plainest_form_that_reads_back() {
        let (flow, block) = (Place::Flow, Place::Block(4));
        for (text, place, expected) in [
            ("Boo Vårdcentral", block, "Boo Vårdcentral"),
            ("2026-05-31", flow, "2026-05-31"),
            ("31 maj", block, "\"31 maj\""),
            ("0701234567", block, "\"0701234567\""),
            ("yes", block, "\"yes\""),
            ("Null", block, "\"Null\""),
            ("a, b", flow, "\"a, b\""),
            ("a, b", block, "a, b"),
            ("inte # en kommentar", block, "\"inte # en kommentar\""),
            (" kant", block, "\" kant\""),
            (
                "a\tb\u{0}\u{85}\u{feff}",
                block,
                "\"a\\tb\\x00\\x85\\uFEFF\"",
            ),
            ("rad\n", block, "|\n      rad"),
            ("rad\nrad", flow, "\"rad\\nrad\""),
            ("\n rad\n\n", Place::Block(0), "|2+\n\n   rad\n"),
            ("rad\r\nrad", block, "\"rad\\x0D\\nrad\""),
            ("", block, "\"\""),
        ] {
            assert_eq!(scalar(text, place), expected, "{text:?}");
        }
    }

    /// Any text, or text made of the pieces that trouble YAML writers.
    fn any_text() -> impl Strategy<Value = String> {
        const PIECES: &str = "\n¦ ¦  ¦\t¦\r¦#¦:¦: ¦ #¦\"¦'¦\\¦- ¦|¦>¦---¦...¦?¦{¦}¦[¦,¦&a¦*a¦!¦%¦@\
            ¦yes¦no¦~¦null¦0701234567¦2026-05-31¦1e3¦.inf¦\0¦\u{1b}¦\u{7f}¦\u{85}¦\u{9f}\
            ¦\u{a0}¦\u{2028}¦\u{feff}¦\u{fffe}¦å¦Ärende";
        let pieces: Vec<&str> = PIECES.split('¦').collect();
        let awkward = prop::collection::vec(prop::sample::select(pieces), 0..14);
        let awkward = awkward.prop_map(|p| p.concat());
        let chars = prop::collection::vec(any::<char>(), 0..20).prop_map(String::from_iter);
        prop_oneof![any::<String>(), awkward, chars, "[ -~\n\t]{0,40}"]
    }

    /// Puts `text` into every kind of place of a questionnaire, `optional` where a
    /// text may be absent.
    fn put(q: &mut Questionnaire, text: &str, optional: Option<String>) {
        q.unit.description = optional.clone();
        q.inspection.inspectors[0] = text.to_string();
        q.summary.strengths[0] = text.to_string();
        let reason = text.to_string();
        q.areas[0].overrides.insert(
            Version::V2021,
            Override {
                grade: Grade::B,
                reason,
            },
        );
        q.areas[3].findings = optional.clone();
        q.areas[3].answers.get_mut("D6").unwrap().comment = optional.clone();
        q.areas[3].answers.get_mut("D7").unwrap().comment = optional;
        let reason = text.to_string();
        q.action_plan.as_mut().unwrap().rejected = vec![Rejection {
            indicator: "E4".into(),
            reason,
        }];
    }

    /// Characters that may not stand raw in a file that spur reads.
    fn raw_forbidden(c: char) -> bool {
        needs_escape(c) && !matches!(c, '\n' | '\t')
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn any_text_reads_back_as_written(text in any_text()) {
            let mut q = boo();
            put(&mut q, &text, Some(text.clone()));
            let written = questionnaire(Catalog::embedded(), &q);
            prop_assert!(!written.chars().any(raw_forbidden), "{}", written);
            for path in [
                "unit.description", "inspection.inspectors.0", "summary.strengths.0",
                "areas.A.override.2021.reason", "areas.D.findings", "areas.D.answers.D6.comment",
                "areas.D.answers.D7.comment", "action_plan.rejected.0.reason",
            ] {
                prop_assert_eq!(value_at(&written, path), Value::Str(text.clone()), "{}", path);
            }
            // The decoder trims every text and refuses the blank ones it requires.
            let trimmed = text.trim();
            match read(&written) {
                Ok(again) => {
                    put(&mut q, trimmed, Some(trimmed.to_string()).filter(|t| !t.is_empty()));
                    prop_assert_eq!(&again, &q);
                }
                Err(errors) => {
                    prop_assert!(trimmed.is_empty(), "{:#?}", errors);
                    prop_assert!(errors.iter().all(|d| d.message == "texten är tom"), "{:#?}", errors);
                }
            }

            let boo_plan = check_plan(&q, BOO_PLAN).plan.unwrap();
            let mut file = PlanFile::from(&boo_plan);
            file.unit = text.clone();
            file.items[0].action = text.clone();
            file.items[1].deadline_note = Some(text.clone());
            file.items[2].deadline = text.clone();
            let written = plan(&file);
            prop_assert!(!written.chars().any(raw_forbidden), "{}", written);
            for path in ["unit", "items.0.action", "items.1.deadline_note", "items.2.deadline"] {
                prop_assert_eq!(value_at(&written, path), Value::Str(text.clone()), "{}", path);
            }
            let checked = check_plan(&q, &written);
            let refused = checked.errors.iter().any(|d| d.path == "items[0].action");
            prop_assert_eq!(refused, trimmed.is_empty());
            let action = checked.plan.map(|p| p.items[0].action.clone());
            prop_assert!(action.is_none_or(|a| a == trimmed));
        }
    }
}
