//! The summary in words, as a yearly summary writes it (seed 002: "I år svarade 50/52
//! tillfrågade verksamheter …", "65 % av verksamheterna uppnådde …"), and the number
//! formats that text, tables and PDF share.

use super::{Share, Summary, Trend};
use spur_core::questionnaire::Role;
pub use spur_core::words::number;

/// The space between a number and its unit, and in long numbers: it never breaks.
const NBSP: char = '\u{a0}';

/// A share in whole percent, "64 %"; a share above nought that would round to it is
/// "< 1 %", and one short of all that would round to a hundred is "> 99 %", so that
/// neither reads as none or all. `None` where there is no whole.
pub fn percent(share: &Share) -> Option<String> {
    let value = share.share?;
    let whole = (value * 100.0).round();
    let text = if whole == 0.0 && share.count > 0 {
        format!("<{NBSP}1")
    } else if whole == 100.0 && share.count < share.of {
        format!(">{NBSP}99")
    } else {
        format!("{whole:.0}")
    };
    Some(format!("{text}{NBSP}%"))
}

/// "92 av 143 (64 %)", or "–" where there is no whole.
pub fn share_text(share: &Share) -> String {
    match percent(share) {
        Some(p) => format!("{} av {} ({p})", number(share.count), number(share.of)),
        None => "–".to_string(),
    }
}

/// The noun after a count: `one` for 1, else `many`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", number(n), if n == 1 { one } else { many })
}

/// The summary's title, with its years: "Årssammanställning ST-SPUR 2021–2025".
pub fn title(summary: &Summary) -> String {
    match years(summary) {
        Some(years) => format!("Årssammanställning ST-SPUR {years}"),
        None => "Årssammanställning ST-SPUR".to_string(),
    }
}

/// The years inspected: "2025" or "2021–2025".
fn years(summary: &Summary) -> Option<String> {
    let period = summary.period?;
    let (first, last) = (
        chrono::Datelike::year(&period.first),
        chrono::Datelike::year(&period.last),
    );
    Some(if first == last {
        first.to_string()
    } else {
        format!("{first}–{last}")
    })
}

/// A role's name in the plural, as the report's survey sentence has it.
pub fn role_plural(role: Role) -> &'static str {
    match role {
        Role::StLakare => "ST-läkare",
        Role::Handledare => "handledare",
        Role::Studierektorer => "studierektorer",
        Role::Verksamhetschef => "verksamhetschefer",
        Role::Ledning => "personer med chefs-/ledningsansvar",
    }
}

/// A role's name as a table's row label: "ST-läkare", "Handledare".
pub fn role_label(role: Role) -> String {
    let plural = role_plural(role);
    let mut chars = plural.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Joins phrases as Swedish lists them: "a, b och c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} och {last}", rest.join(", ")),
    }
}

/// The summary's opening paragraphs: what was inspected and what came of it.
pub fn lead(summary: &Summary) -> Vec<String> {
    let s = summary;
    if s.inspections == 0 {
        return vec!["Ingen granskning kunde räknas med i sammanställningen.".to_string()];
    }
    let mut paragraphs = Vec::new();
    let when = years(s).map_or(String::new(), |y| format!(", genomförda {y}"));
    paragraphs.push(format!(
        "Sammanställningen omfattar {} av {} inom {} hos {}{when}.",
        counted(s.inspections, "granskning", "granskningar"),
        counted(s.units, "enhet", "enheter"),
        counted(s.per_specialty.len(), "specialitet", "specialiteter"),
        counted(s.per_organisation.len(), "vårdgivare", "vårdgivare"),
    ));

    let d = &s.deficiencies;
    let mut findings = format!(
        "Vid {} granskningar fick minst ett område graderingen D eller E, det vill säga brister i följsamheten till Socialstyrelsens föreskrifter.",
        share_text(&d.base)
    );
    if d.final_.count != d.base.count {
        findings.push_str(&format!(
            " Efter inkomna handlingsplaner gäller det {}.",
            share_text(&d.final_)
        ));
    }
    paragraphs.push(findings);

    let p = &s.plans;
    if p.required > 0 {
        let received = p.on_time + p.late + p.received_without_due;
        // Seed 002 never opens a sentence with a numeral; neither do we.
        let mut plans = format!(
            "En handlingsplan krävdes efter {}, och {} har kommit in.",
            counted(p.required, "granskning", "granskningar"),
            number(received)
        );
        if p.in_time.of > 0 {
            plans.push_str(&format!(
                " Av de planer som skulle ha kommit in inkom {} senast på utsatt dag.",
                share_text(&p.in_time)
            ));
        }
        if p.overdue > 0 {
            plans.push_str(&format!(
                " Fortfarande saknas {} trots att tiden har gått ut.",
                counted(p.overdue, "plan", "planer")
            ));
        }
        paragraphs.push(plans);
    }

    let a = &s.actions;
    if a.total > 0 {
        paragraphs.push(format!(
            "De inkomna handlingsplanerna innehåller {}, varav {} har bekräftats som genomförda, {} har passerat sitt slutdatum och ska följas upp och {} återstår.",
            counted(a.total, "åtgärd", "åtgärder"),
            number(a.confirmed),
            number(a.overdue),
            number(a.open)
        ));
    }

    let rates: Vec<String> = s
        .survey
        .roles
        .iter()
        .filter(|r| r.response.of > 0)
        .map(|r| {
            format!(
                "{} av {} tillfrågade {} ({})",
                number(r.response.count),
                number(r.response.of),
                role_plural(r.role),
                percent(&r.response).unwrap_or_default()
            )
        })
        .collect();
    if !rates.is_empty() {
        paragraphs.push(format!(
            "Enkäten inför granskningstillfället besvarades av {}.",
            and_list(&rates)
        ));
    }

    if !s.repeated.is_empty() {
        let trends = |t: Trend| {
            s.repeated
                .iter()
                .flat_map(|u| &u.areas)
                .filter(|c| c.trend == Some(t))
                .count()
        };
        paragraphs.push(format!(
            "Mer än en gång har {} granskats. Vid den senaste granskningen fick {} bättre gradering än vid den föregående, {} samma och {} sämre.",
            counted(s.repeated.len(), "enhet", "enheter"),
            counted(trends(Trend::Better), "område", "områden"),
            number(trends(Trend::Same)),
            number(trends(Trend::Worse))
        ));
    }

    if !s.due.is_empty() {
        let overdue = s.due.iter().filter(|u| u.overdue).count();
        let mut due = format!(
            "På tur för ny granskning inom ett år står {}",
            counted(s.due.len(), "enhet", "enheter")
        );
        if overdue > 0 {
            due.push_str(&format!(
                ", varav {} redan borde ha granskats",
                number(overdue)
            ));
        }
        due.push('.');
        paragraphs.push(due);
    }
    paragraphs
}
