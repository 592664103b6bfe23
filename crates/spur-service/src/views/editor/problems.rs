//! A problem of the questionnaire as its pages say it (SPEC §8.13): the field's label
//! and what to do, in the pages' words, never the file's keys and values.

use spur_core::diagnostic::Diagnostic;
use spur_cycle::draft::Field;

use super::label;

/// The file's words for answers and keys, as the pages say them: a problem on a page
/// never names a YAML key or value (SPEC §8.13).
const WORDS: [(&str, &str); 12] = [
    ("not_assessed", "Ej bedömd"),
    ("partly", "Delvis uppfylld"),
    ("yes", "Uppfylld"),
    ("no", "Ej uppfylld"),
    ("serious", "Allvarlig brist"),
    ("answer", "bedömningen"),
    ("action_plan", "handlingsplanen"),
    ("plan_due", "sista dag för handlingsplanen"),
    ("report_date", "rapportens datum"),
    ("regulations", "föreskrifterna"),
    ("true", "ikryssad"),
    ("false", "inte ikryssad"),
];

/// `text` with each of the file's words (whole words only) in the pages' words.
fn in_page_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let shown = WORDS
            .iter()
            .find(|(key, _)| *key == word.as_str())
            .map_or(word.as_str(), |(_, said)| said);
        out.push_str(shown);
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A problem as one sentence in the pages' words: at a field, its label first and
/// what to do; elsewhere, what is wrong and what was expected.
pub(super) fn sentence(d: &Diagnostic) -> String {
    let mut text = in_page_words(&d.message);
    if let Some(expected) = &d.expected {
        text.push_str(&format!(". Det som går: {}", in_page_words(expected)));
    }
    text
}

/// A problem at `field` as one sentence: the field's label, and what to do.
pub(super) fn at_field(field: &Field, d: &Diagnostic) -> String {
    let empty = d.message.contains("tomt värde") || d.message.contains("saknas");
    let (name, _) = label(field);
    match field {
        Field::Answer(_) if empty => {
            format!("{name}: välj Uppfylld, Delvis uppfylld, Ej uppfylld eller Ej bedömd.")
        }
        _ if empty => format!("{name}: fyll i."),
        _ => format!("{name}: {}", sentence(d)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(message: &str, expected: Option<&str>) -> Diagnostic {
        let mut d = Diagnostic::file_error("frågeformulär.yaml", message);
        d.expected = expected.map(String::from);
        d
    }

    #[test]
    fn a_problem_names_the_field_and_says_what_to_do_in_the_pages_words() {
        let empty = problem(
            "här väntades ett svar men det står ett tomt värde",
            Some("yes, no, partly eller not_assessed"),
        );
        assert_eq!(
            at_field(&Field::Answer("G2".into()), &empty),
            "Bedömning av G2: välj Uppfylld, Delvis uppfylld, Ej uppfylld eller Ej bedömd."
        );
        assert_eq!(at_field(&Field::Name, &empty), "Enhetens namn: fyll i.");
        let serious = problem(
            "serious kan bara anges för en indikator som inte är uppfylld",
            Some("answer: no eller partly"),
        );
        let said = at_field(&Field::Serious("E4".into()), &serious);
        assert_eq!(
            said,
            "Allvarlig brist (E4): Allvarlig brist kan bara anges för en indikator som inte är uppfylld. Det som går: bedömningen: Ej uppfylld eller Delvis uppfylld"
        );
        // Words inside other words are left alone.
        assert_eq!(
            in_page_words("noteringen yes-no"),
            "noteringen Uppfylld-Ej uppfylld"
        );
    }
}
