//! Questionnaires written for tests, shared by the tests of every layer: built only
//! for tests (`cfg(test)` here, the `test-support` feature for the layers above).

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Source};
use crate::questionnaire::{Questionnaire, parse};

/// A complete, valid questionnaire: every applicable indicator `yes`, except the
/// answers given in `answers` (lines like `D6: no`), with `extra` appended.
pub fn questionnaire_text(regulations: &str, answers: &[(&str, &str)], extra: &str) -> String {
    let catalog = Catalog::embedded();
    let mut text = format!(
        "unit:\n  name: Testenheten\n  organisation: Region Test\n  specialty: Allmänmedicin\n\
         inspection:\n  date: 2025-02-12\n  inspectors: [Anna Lindqvist]\n  regulations: {regulations}\n\
         areas:\n"
    );
    for area in &catalog.areas {
        text.push_str(&format!("  {}:\n    answers:\n", area.id));
        for indicator in &area.indicators {
            let answer = answers
                .iter()
                .find(|(id, _)| *id == indicator.id)
                .map_or("yes", |(_, a)| a);
            text.push_str(&format!("      {}: {answer}\n", indicator.id));
        }
    }
    text.push_str(extra);
    text
}

/// Parses `text` as a questionnaire file named `test.yaml`, every character showable.
pub fn parse_text(text: &str) -> Result<Questionnaire, Vec<Diagnostic>> {
    parse(
        &Source::new("test.yaml", text.to_string()),
        Catalog::embedded(),
        &|_| true,
    )
}
