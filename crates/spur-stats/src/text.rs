//! The summary as text for a terminal: the lead paragraphs, then one table per figure.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::prose::{self, number, percent, share_text};
use super::{Change, GradeCounts, Summary};
use spur_core::catalog::Grade;
use spur_core::diagnostic::escape;

/// How many of the most often unmet indicators the text shows per version.
pub const TOP_UNMET: usize = 10;

/// The width the lead paragraphs are wrapped to.
const WIDTH: usize = 88;

/// The summary as readable Swedish text.
pub fn text(summary: &Summary) -> String {
    let s = summary;
    let mut out = String::new();
    let _ = writeln!(out, "{}", prose::title(s));
    let _ = writeln!(
        out,
        "Per {}. Underlag: {}; {} ej medräknade.",
        s.today,
        prose::counted(s.inspections, "granskning", "granskningar"),
        prose::counted(s.files.not_counted.len(), "fil", "filer"),
    );
    for paragraph in prose::lead(s) {
        out.push('\n');
        out.push_str(&wrap(&paragraph, WIDTH));
    }
    if s.inspections > 0 {
        counts(&mut out, s);
        grades(&mut out, s);
        unmet(&mut out, s);
        plans(&mut out, s);
        survey(&mut out, s);
        repeated(&mut out, s);
        due(&mut out, s);
    }
    not_counted(&mut out, s);
    out
}

/// Breaks `text` into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out.push('\n');
    out
}

/// A section's heading, after a blank line.
fn heading(out: &mut String, title: &str) {
    let _ = write!(out, "\n{title}\n");
}

/// A name cut to `width` characters, with "…" where it is longer.
fn cut(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        return name.to_string();
    }
    let mut short: String = name.chars().take(width.saturating_sub(1)).collect();
    short.push('…');
    short
}

/// Inspections per year, specialty and organisation.
fn counts(out: &mut String, s: &Summary) {
    heading(out, "GRANSKNINGAR PER ÅR");
    for y in &s.per_year {
        let _ = writeln!(out, "  {:<32} {:>6}", y.year, number(y.count));
    }
    let _ = writeln!(out, "  {:<32} {:>6}", "Totalt", number(s.inspections));
    for (title, list) in [
        ("GRANSKNINGAR PER SPECIALITET", &s.per_specialty),
        ("GRANSKNINGAR PER VÅRDGIVARE", &s.per_organisation),
    ] {
        heading(out, title);
        for n in list {
            let _ = writeln!(
                out,
                "  {:<32} {:>6}",
                cut(&escape(&n.name), 32),
                number(n.count)
            );
        }
    }
}

/// A distribution's counts as right-aligned columns.
fn grade_cells(counts: &GradeCounts) -> String {
    counts
        .0
        .iter()
        .map(|n| format!("{:>5}", number(*n)))
        .collect()
}

/// The grade distribution, one table per version graded.
fn grades(out: &mut String, s: &Summary) {
    for version in ["2015", "2021"] {
        let Some(regulation) = s.unmet.iter().find(|u| u.version == version) else {
            continue;
        };
        if regulation.inspections == 0 {
            continue;
        }
        heading(
            out,
            &format!(
                "GRADERING PER OMRÅDE ENLIGT {} ({})",
                regulation.regulation,
                prose::counted(regulation.inspections, "granskning", "granskningar")
            ),
        );
        let letters: String = GradeCounts::KEYS
            .iter()
            .map(|k| format!("{k:>5}"))
            .collect();
        let _ = writeln!(out, "  {:<34}{:<32}Slutlig", "", "Före handlingsplan");
        let _ = writeln!(out, "  {:<32}{letters}  {letters}", "Område");
        for area in &s.grades {
            let Some(d) = area.versions.get(version) else {
                continue;
            };
            let _ = writeln!(
                out,
                "  {:<32}{}  {}",
                cut(&format!("{}  {}", area.id, area.title), 31),
                grade_cells(&d.base),
                grade_cells(&d.final_)
            );
        }
    }
}

/// The most often unmet indicators per version, each with its wording.
fn unmet(out: &mut String, s: &Summary) {
    for version in &s.unmet {
        if version.inspections == 0 {
            continue;
        }
        heading(
            out,
            &format!(
                "OFTAST EJ UPPFYLLDA INDIKATORER ENLIGT {}",
                version.regulation
            ),
        );
        if version.indicators.is_empty() {
            let _ = writeln!(out, "  Alla bedömda indikatorer uppfyllda.");
        }
        for u in version.indicators.iter().take(TOP_UNMET) {
            let _ = writeln!(
                out,
                "  {:<4} {:<19} {}",
                u.indicator,
                u.kind.noun(),
                unmet_text(u)
            );
            for line in wrap(&u.text, WIDTH - 7).lines() {
                let _ = writeln!(out, "       {line}");
            }
        }
        let more = version.indicators.len().saturating_sub(TOP_UNMET);
        if more > 0 {
            let _ = writeln!(
                out,
                "  … och {} till (alla i --format json).",
                prose::counted(more, "indikator", "indikatorer")
            );
        }
    }
}

/// "32 av 120 bedömda (27 %)".
pub fn unmet_text(u: &super::Unmet) -> String {
    let share = super::Share::new(u.unmet, u.assessed);
    format!(
        "{} av {} bedömda ({})",
        number(u.unmet),
        number(u.assessed),
        percent(&share).unwrap_or_default()
    )
}

/// A label and its figure, aligned.
fn row(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "  {label:<56} {value:>16}");
}

/// Deficiencies, plans and actions.
fn plans(out: &mut String, s: &Summary) {
    heading(out, "BRISTER OCH HANDLINGSPLANER");
    let d = &s.deficiencies;
    row(
        out,
        "Granskningar med D eller E före handlingsplan",
        &share_text(&d.base),
    );
    row(
        out,
        "Granskningar med D eller E efter handlingsplan",
        &share_text(&d.final_),
    );
    let p = &s.plans;
    row(out, "Handlingsplan krävdes", &number(p.required));
    for (label, n) in [
        ("  inkom senast på utsatt dag", p.on_time),
        ("  inkom efter utsatt dag", p.late),
        ("  inkom (inget sista datum satt)", p.received_without_due),
        ("  saknas, tiden har gått ut", p.overdue),
        ("  väntas", p.awaited),
    ] {
        row(out, label, &number(n));
    }
    row(
        out,
        "Planer som inkom i tid, av dem som skulle ha kommit in",
        &share_text(&p.in_time),
    );
    let a = &s.actions;
    row(out, "Åtgärder i inkomna handlingsplaner", &number(a.total));
    row(out, "  bekräftade som genomförda", &number(a.confirmed));
    row(
        out,
        "  slutdatum passerat, att följa upp",
        &number(a.overdue),
    );
    row(out, "  återstår", &number(a.open));
}

/// The survey's figures per role.
fn survey(out: &mut String, s: &Summary) {
    let v = &s.survey;
    heading(
        out,
        &format!(
            "ENKÄT INFÖR GRANSKNINGSTILLFÄLLET ({} med enkät)",
            prose::counted(v.inspections, "granskning", "granskningar")
        ),
    );
    if v.roles.is_empty() {
        let _ = writeln!(out, "  Ingen granskning anger enkätsvar.");
        return;
    }
    let _ = writeln!(
        out,
        "  {:<36} {:>16} {:>8} {:>14} {:>8} {:>8}",
        "Grupp", "Svarat", "Andel", "Enheter svarat", "Svar", "Deltog"
    );
    for r in &v.roles {
        let _ = writeln!(
            out,
            "  {:<36} {:>16} {:>8} {:>14} {:>8} {:>8}",
            prose::role_label(r.role),
            of_text(&r.response),
            percent(&r.response).unwrap_or_else(|| "–".to_string()),
            of_text(&r.units),
            number(r.answered),
            number(r.interviewed)
        );
    }
    let _ = writeln!(
        out,
        "  Svarat: svar av tillfrågade, där formuläret anger hur många som tillfrågades.\n  \
         Enheter svarat: granskningar där gruppen tillfrågades och minst en svarade.\n  \
         Svar: alla svar. Deltog: antal som deltog vid granskningstillfället."
    );
}

/// "17 av 18", or "–" where nothing is counted.
pub fn of_text(share: &super::Share) -> String {
    if share.of == 0 {
        return "–".to_string();
    }
    format!("{} av {}", number(share.count), number(share.of))
}

/// One inspection's grades of an area: "B", or "C/B" when 2015 and 2021 differ.
pub fn versions_cell(grades: &BTreeMap<String, Option<Grade>>) -> String {
    let letters: Vec<&str> = grades
        .values()
        .map(|g| g.map_or("–", |g| g.letter()))
        .collect();
    match letters.as_slice() {
        [] => "·".to_string(),
        [first, rest @ ..] if rest.iter().all(|l| l == first) => first.to_string(),
        many => many.join("/"),
    }
}

/// An area's change: "B", or "C→B".
pub fn change_cell(change: &Change) -> String {
    let (then, now) = (versions_cell(&change.then), versions_cell(&change.now));
    if then == now {
        then
    } else {
        format!("{then}→{now}")
    }
}

/// Units inspected more than once, their grades then and now.
fn repeated(out: &mut String, s: &Summary) {
    if s.repeated.is_empty() {
        return;
    }
    heading(out, "ENHETER GRANSKADE MER ÄN EN GÅNG");
    let _ = writeln!(
        out,
        "  Slutlig gradering per område vid föregående → senaste granskning; 2015/2021 där de skiljer sig."
    );
    for u in &s.repeated {
        let dates: Vec<String> = u.inspections.iter().map(|v| v.date.to_string()).collect();
        let _ = writeln!(
            out,
            "  {}, {}: {}",
            escape(&u.unit),
            escape(&u.organisation),
            dates.join(", ")
        );
        let cells: Vec<String> = u
            .areas
            .iter()
            .map(|c| format!("{} {}", c.id, change_cell(c)))
            .collect();
        let _ = writeln!(out, "    {}", cells.join("  "));
    }
}

/// Units due for inspection, soonest first.
fn due(out: &mut String, s: &Summary) {
    if s.due.is_empty() {
        return;
    }
    heading(out, "ENHETER SOM STÅR PÅ TUR FÖR GRANSKNING");
    let _ = writeln!(out, "  {:<10}  {:<10}  Enhet", "Senast", "Ny senast");
    for u in &s.due {
        let mark = if u.overdue { " (passerat)" } else { "" };
        let _ = writeln!(
            out,
            "  {}  {}  {}, {} ({}){mark}",
            u.last,
            u.due,
            escape(&u.unit),
            escape(&u.organisation),
            escape(&u.specialty)
        );
    }
}

/// The files left out, always with their count, and the plans passed over.
fn not_counted(out: &mut String, s: &Summary) {
    let list = &s.files.not_counted;
    heading(
        out,
        &format!("EJ MEDRÄKNADE FILER ({})", number(list.len())),
    );
    if list.is_empty() {
        let _ = writeln!(out, "  Inga: varje fil som hittades räknades med.");
    }
    for n in list {
        let at = if n.line > 0 {
            format!("{}:{}:{}", n.file, n.line, n.column)
        } else {
            n.file.clone()
        };
        let _ = writeln!(out, "  {at}: {}", escape(&n.problem));
    }
    if s.files.plans_skipped > 0 {
        let _ = writeln!(
            out,
            "  Handlingsplaner som hoppades över: {} (de läses via frågeformuläret som anger dem).",
            number(s.files.plans_skipped)
        );
    }
}
