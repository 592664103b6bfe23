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
mod tests;
