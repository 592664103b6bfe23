//! Writing spur's YAML files from their models: the questionnaire in the layout of
//! `spur init`, and the action plan as the unit typed it. Pure functions. Every free
//! text goes through [`scalar`], so that [`crate::yaml::parse`] reads back exactly the
//! string that was written, whatever it looks like.

use std::ops::Range;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::{Area, Catalog, Grade, Group, Version};
use crate::draft::{self, Draft, Page, Spot, Tally};
use crate::plan::{Plan, Report};
use crate::questionnaire::{Answer, PlanReference, Questionnaire};
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
    /// The unit's follow-up reports, oldest first.
    pub reports: Vec<Report>,
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
                reports: i.reports.clone(),
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
    let mut out = draft(catalog, &Draft::from(q)).text;
    if let Some(reference) = &q.action_plan {
        gap(&mut out);
        action_plan(&mut out, reference);
    }
    out
}

/// A questionnaire file written from a draft, and where each field and page stands in
/// it: what places a problem `spur check` finds in the file at its field.
#[derive(Debug, Clone)]
pub struct Written {
    /// The file.
    pub text: String,
    /// Byte ranges of the text, each the place of a field or a page.
    pub spots: Vec<(Spot, Range<usize>)>,
}

impl Written {
    /// The narrowest field or page whose text holds byte `offset`.
    pub fn spot_at(&self, offset: usize) -> Option<&Spot> {
        self.spots
            .iter()
            .filter(|(_, r)| r.contains(&offset))
            .min_by_key(|(_, r)| r.len())
            .map(|(s, _)| s)
    }
}

/// The questionnaire as typed, valid or not, in the layout of [`questionnaire`]. What
/// a field holds is written as the YAML word it must be when it is one (a date, a
/// count, an answer, a grade), else as text, which `spur check` then points at.
pub fn draft(catalog: &Catalog, d: &Draft) -> Written {
    let mut w = Writer {
        out: format!(
            "# yaml-language-server: $schema={}\n{HEADER}",
            crate::schema::FILE_NAME
        ),
        spots: Vec::new(),
    };
    gap(&mut w.out);
    let unit_start = w.out.len();
    w.unit(d);
    gap(&mut w.out);
    w.inspection(d);
    w.spot(Spot::Page(Page::Unit), unit_start);
    gap(&mut w.out);
    w.survey(d);
    gap(&mut w.out);
    w.summary(d);
    gap(&mut w.out);
    entry(&mut w.out, "", "areas", "");
    for area in &catalog.areas {
        w.area(catalog, area, d);
    }
    Written {
        text: w.out,
        spots: w.spots,
    }
}

/// The text being written and the places recorded so far.
struct Writer {
    out: String,
    spots: Vec<(Spot, Range<usize>)>,
}

/// A value as the file must hold it: its word when `word` says it is one, else text.
fn typed(text: &str, word: impl Fn(&str) -> bool) -> Field<'_> {
    if word(text) {
        Field::Word(text)
    } else {
        Field::Text(text)
    }
}

fn is_date(text: &str) -> bool {
    text.len() == 10 && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

impl Writer {
    /// Records that the text from `start` to here is `spot`'s.
    fn spot(&mut self, spot: Spot, start: usize) {
        let end = self.out.len();
        self.spots.push((spot, start..end));
    }

    /// `key: text` at `column`, as `field`'s place.
    fn text_field(&mut self, column: usize, key: &str, field: draft::Field, text: &str) {
        let start = self.out.len();
        self::text(&mut self.out, column, key, text);
        self.spot(Spot::Field(field), start);
    }

    fn unit(&mut self, d: &Draft) {
        entry(&mut self.out, "", "unit", "");
        for (key, field) in [
            ("name", draft::Field::Name),
            ("organisation", draft::Field::Organisation),
            ("specialty", draft::Field::Specialty),
            ("description", draft::Field::Description),
        ] {
            let value = d.text(&field).to_string();
            self.text_field(2, key, field, &value);
        }
    }

    fn inspection(&mut self, d: &Draft) {
        entry(&mut self.out, "", "inspection", "");
        let date = d.text(&draft::Field::Date);
        let start = self.out.len();
        match typed(date, is_date) {
            _ if date.is_empty() => entry(&mut self.out, "  ", "date", ""),
            Field::Word(w) => entry(&mut self.out, "  ", "date", w),
            Field::Text(t) => text(&mut self.out, 2, "date", t),
        }
        self.spot(Spot::Field(draft::Field::Date), start);
        // An absent optional date stays in view, commented out, as `spur init` leaves it.
        let example = if is_date(date) {
            date
        } else {
            "ÅÅÅÅ-MM-DD"
        };
        let optional = |w: &mut Writer, key: &str, field: draft::Field| {
            let value = d.text(&field);
            let start = w.out.len();
            match typed(value, is_date) {
                _ if value.is_empty() => w.out.push_str(&format!("  # {key}: {example}\n")),
                Field::Word(v) => entry(&mut w.out, "  ", key, v),
                Field::Text(t) => text(&mut w.out, 2, key, t),
            }
            w.spot(Spot::Field(field), start);
        };
        optional(self, "report_date", draft::Field::ReportDate);
        let start = self.out.len();
        let inspectors = d
            .list(&draft::Field::Inspectors)
            .iter()
            .map(|i| scalar(i, Place::Flow));
        entry(&mut self.out, "  ", "inspectors", &flow_list(inspectors));
        self.spot(Spot::Field(draft::Field::Inspectors), start);
        let start = self.out.len();
        let regulations = d.list(&draft::Field::Regulations).iter().map(|y| {
            match y.parse().ok().and_then(Version::from_year) {
                Some(v) => v.to_string(),
                None => scalar(y, Place::Flow),
            }
        });
        entry(&mut self.out, "  ", "regulations", &flow_list(regulations));
        self.spot(Spot::Field(draft::Field::Regulations), start);
        optional(self, "plan_due", draft::Field::PlanDue);
    }

    fn survey(&mut self, d: &Draft) {
        let typed_in = |tally: Tally| {
            tally
                .roles()
                .iter()
                .map(move |&role| (role, draft::Field::Count(tally, role)))
                .filter(|(_, f)| !d.text(f).is_empty())
                .collect::<Vec<_>>()
        };
        if Tally::ALL.iter().all(|&t| typed_in(t).is_empty()) {
            self.out.push_str(NO_SURVEY);
            return;
        }
        let start = self.out.len();
        entry(&mut self.out, "", "survey", "");
        for tally in Tally::ALL {
            let counts = typed_in(tally);
            // The survey's answers are required once there is a survey: `{}` lets the
            // check say which counts are missing.
            if counts.is_empty() && tally != Tally::Answered {
                continue;
            }
            self.out.push_str(&format!("  {}: {{", tally.key()));
            for (i, (role, field)) in counts.into_iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                let count = d.text(&field);
                let at = self.out.len();
                let value = match typed(count, |c| c.parse::<u32>().is_ok()) {
                    Field::Word(w) => w.to_string(),
                    Field::Text(t) => quoted(t),
                };
                self.out.push_str(&format!("{}: {value}", role.key()));
                self.spot(Spot::Field(field), at);
            }
            self.out.push_str("}\n");
        }
        self.spot(Spot::Page(Page::Survey), start);
    }

    fn summary(&mut self, d: &Draft) {
        let start = self.out.len();
        entry(&mut self.out, "", "summary", "");
        for (key, field) in [
            ("strengths", draft::Field::Strengths),
            ("weaknesses", draft::Field::Weaknesses),
            ("improvements", draft::Field::Improvements),
        ] {
            let at = self.out.len();
            let items = d.list(&field);
            if items.is_empty() {
                entry(&mut self.out, "  ", key, "[]");
            } else {
                entry(&mut self.out, "  ", key, "");
                for item in items {
                    self.out
                        .push_str(&format!("    - {}\n", scalar(item, Place::Block(4))));
                }
            }
            self.spot(Spot::Field(field), at);
        }
        self.spot(Spot::Page(Page::Summary), start);
    }

    fn area(&mut self, catalog: &Catalog, area: &Area, d: &Draft) {
        let group = match area.group {
            Group::Struktur => "STRUKTUR",
            Group::Process => "PROCESS",
        };
        gap(&mut self.out);
        let start = self.out.len();
        self.out
            .push_str(&format!("  # {}. {} ({group})\n", area.id, area.title));
        entry(&mut self.out, "  ", &area.id.to_string(), "");
        let findings = d.text(&draft::Field::Findings(area.id)).to_string();
        self.text_field(4, "findings", draft::Field::Findings(area.id), &findings);
        entry(&mut self.out, "    ", "answers", "");
        let regulations = d.regulations();
        for indicator in &area.indicators {
            let answered = [
                draft::Field::Answer(indicator.id.clone()),
                draft::Field::Comment(indicator.id.clone()),
                draft::Field::Serious(indicator.id.clone()),
            ]
            .iter()
            .any(|f| !d.text(f).is_empty());
            if !answered && !indicator.applies_under(&regulations) {
                continue;
            }
            let view = skeleton::view(catalog, indicator, &Version::ALL, None);
            self.out
                .push_str(&format!("      # {}, {}:\n", indicator.id, view.kinds));
            for line in &view.lines {
                self.out.push_str(format!("      #   {line}").trim_end());
                self.out.push('\n');
            }
            self.answer(&indicator.id, d);
        }
        let overrides: Vec<Version> = Version::ALL
            .into_iter()
            .filter(|&v| {
                !d.text(&draft::Field::Grade(area.id, v)).is_empty()
                    || !d.text(&draft::Field::Reason(area.id, v)).is_empty()
            })
            .collect();
        if overrides.is_empty() {
            self.out.push_str(NO_OVERRIDE);
        } else {
            entry(&mut self.out, "    ", "override", "");
            for v in overrides {
                let grade = d.text(&draft::Field::Grade(area.id, v));
                let reason = d.text(&draft::Field::Reason(area.id, v));
                let mut fields = Vec::new();
                if !grade.is_empty() {
                    let word = typed(grade, |g| Grade::from_letter(g).is_some());
                    fields.push(("grade", word, draft::Field::Grade(area.id, v)));
                }
                fields.push((
                    "reason",
                    Field::Text(reason),
                    draft::Field::Reason(area.id, v),
                ));
                self.record(6, &v.to_string(), fields, draft::Field::Grade(area.id, v));
            }
        }
        self.spot(Spot::Page(Page::Area(area.id)), start);
    }

    fn answer(&mut self, id: &str, d: &Draft) {
        let key = scalar(id, Place::Flow);
        let answer = d.text(&draft::Field::Answer(id.into()));
        let comment = d.text(&draft::Field::Comment(id.into()));
        let serious = d.text(&draft::Field::Serious(id.into()));
        let mut fields = Vec::new();
        if !answer.is_empty() {
            let word = typed(answer, |a| Answer::from_name(a).is_some());
            fields.push(("answer", word, draft::Field::Answer(id.into())));
        }
        if !comment.is_empty() {
            fields.push((
                "comment",
                Field::Text(comment),
                draft::Field::Comment(id.into()),
            ));
        }
        if !serious.is_empty() {
            let word = typed(serious, |s| s == "true");
            fields.push(("serious", word, draft::Field::Serious(id.into())));
        }
        match fields.as_slice() {
            [] => {
                let start = self.out.len();
                entry(&mut self.out, "      ", &key, "");
                self.spot(Spot::Field(draft::Field::Answer(id.into())), start);
            }
            [(_, Field::Word(word), field)] if !answer.is_empty() => {
                let (word, field) = (word.to_string(), field.clone());
                let start = self.out.len();
                entry(&mut self.out, "      ", &key, &word);
                self.spot(Spot::Field(field), start);
            }
            _ => self.record(6, &key, fields, draft::Field::Answer(id.into())),
        }
    }

    /// `key` with `fields` at `column`: on one line as a flow map when every text fits
    /// there, else as a block map whose texts may be literal blocks. The whole entry is `whole`'s
    /// place, each value its own field's.
    fn record(
        &mut self,
        column: usize,
        key: &str,
        fields: Vec<(&str, Field, draft::Field)>,
        whole: draft::Field,
    ) {
        let start = self.out.len();
        let indent = " ".repeat(column);
        let block = fields
            .iter()
            .any(|(_, f, _)| matches!(f, Field::Text(t) if literal_fits(t)));
        if block {
            entry(&mut self.out, &indent, key, "");
            let inner = " ".repeat(column + 2);
            for (k, f, field) in fields {
                let at = self.out.len();
                entry(
                    &mut self.out,
                    &inner,
                    k,
                    &f.render(Place::Block(column + 2)),
                );
                self.spot(Spot::Field(field), at);
            }
        } else {
            self.out.push_str(&format!("{indent}{key}: {{"));
            for (i, (k, f, field)) in fields.into_iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                let at = self.out.len();
                // Quoted even where plain would do: a comma added by hand must not
                // end the text.
                let value = match f {
                    Field::Text(t) => quoted(t),
                    Field::Word(w) => w.to_string(),
                };
                self.out.push_str(&format!("{k}: {value}"));
                self.spot(Spot::Field(field), at);
            }
            self.out.push_str("}\n");
        }
        self.spot(Spot::Field(whole), start);
    }
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
        if !i.reports.is_empty() {
            entry(&mut out, "    ", "reports", "");
            for report in &i.reports {
                let date = report.date.to_string();
                let fields = [
                    ("date", Field::Word(&date)),
                    ("status", Field::Word(report.status.key())),
                    ("text", Field::Text(&report.text)),
                ];
                sequence_entry(&mut out, 6, &fields);
            }
        }
    }
    out
}

fn action_plan(out: &mut String, reference: &PlanReference) {
    entry(out, "", "action_plan", "");
    text(out, 2, "file", &reference.file);
    entry(out, "  ", "received", &reference.received.to_string());
    if !reference.rejected.is_empty() {
        entry(out, "  ", "rejected", "");
        for r in &reference.rejected {
            let fields = [
                ("indicator", Field::Text(&r.indicator)),
                ("reason", Field::Text(&r.reason)),
            ];
            sequence_entry(out, 4, &fields);
        }
    }
    if !reference.confirmed.is_empty() {
        entry(out, "  ", "confirmed", "");
        for c in &reference.confirmed {
            let date = c.date.to_string();
            let fields = [
                ("indicator", Field::Text(&c.indicator)),
                ("date", Field::Word(&date)),
            ];
            sequence_entry(out, 4, &fields);
        }
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
