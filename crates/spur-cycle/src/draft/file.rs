//! The questionnaire file in the layout of `spur init`, written from a draft: what the
//! inspectors typed, valid or not, and where each field stands in the file, so that a
//! problem `spur check` finds is placed at its field. Pure functions over the core's
//! YAML writer.

use std::ops::Range;

use chrono::NaiveDate;

use spur_core::catalog::{Area, Catalog, Grade, Group, Version};
use spur_core::questionnaire::{Answer, PlanReference, Questionnaire};
use spur_core::skeleton;
use spur_core::yaml::write::{
    Field, Place, entry, flow_list, gap, literal_fits, quoted, scalar, sequence_entry, text,
};

use crate::draft::{self, Draft, Page, Spot, Tally};

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
            spur_core::schema::FILE_NAME
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

#[cfg(test)]
mod tests;
