//! Text as people type it into a form: kept exactly, with only the line endings that
//! browsers send (CRLF) made LF, and refused, with the reason in Swedish, when the
//! service could not keep it: longer than the field's cap, or holding a character that
//! the YAML files cannot hold or the report's fonts cannot show (SPEC §8.8).

use thiserror::Error;

/// Why a typed text cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextProblem {
    /// Longer than the field allows.
    #[error("Texten är för lång: högst {max} tecken, men den har {found}.")]
    TooLong {
        /// The cap, in characters.
        max: usize,
        /// How many it has.
        found: usize,
    },
    /// Holds characters that cannot be kept or shown.
    #[error(
        "Texten innehåller {} som inte kan sparas eller visas i rapporten. Ta bort {}; det syns ofta inte när det klistrats in.",
        names(.0), if .0.len() == 1 { "tecknet" } else { "tecknen" }
    )]
    Characters(Vec<char>),
}

/// The characters named so a person can find them: visible ones quoted, all by code.
fn names(chars: &[char]) -> String {
    let named: Vec<String> = chars
        .iter()
        .map(|&c| {
            if c.is_control() || c.is_whitespace() || !crate::fonts::can_show(c) {
                format!("U+{:04X}", c as u32)
            } else {
                format!("”{c}” (U+{:04X})", c as u32)
            }
        })
        .collect();
    let what = if chars.len() == 1 {
        "tecknet"
    } else {
        "tecknen"
    };
    format!("{what} {}", named.join(", "))
}

/// The text with CRLF and lone CR line endings made LF; nothing else changes, a
/// leading line break and surrounding spaces included.
pub fn normalised(raw: &str) -> String {
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

/// Checks a normalised text against a field's cap of `max` characters and against
/// what the report can show (`glyphs`); line breaks and tabs are always allowed.
pub fn check(text: &str, max: usize, glyphs: &dyn Fn(char) -> bool) -> Result<(), TextProblem> {
    let found = text.chars().count();
    if found > max {
        return Err(TextProblem::TooLong { max, found });
    }
    // Control characters and noncharacters are refused whatever the fonts claim: the
    // YAML files cannot hold them unescaped, and no reader shows them.
    let mut bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            !matches!(c, '\n' | '\t')
                && (c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') || !glyphs(c))
        })
        .collect();
    bad.sort_unstable();
    bad.dedup();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(TextProblem::Characters(bad))
    }
}

/// The first `max` characters of `text`: what a log keeps of a request's field.
pub fn capped(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::can_show;

    #[test]
    fn line_endings_become_lf_and_nothing_else_changes() {
        assert_eq!(
            normalised("\r\nrad 1\r\nrad 2\rrad 3  "),
            "\nrad 1\nrad 2\nrad 3  "
        );
        assert_eq!(normalised("\n\n x"), "\n\n x");
    }

    #[test]
    fn characters_the_files_or_fonts_cannot_hold_are_named() {
        for c in ['\u{7f}', '\u{9b}', '\u{fffe}', '\u{0}', '\u{1b}'] {
            let text = format!("Före{c}efter");
            let problem = check(&text, 100, &can_show).unwrap_err();
            let shown = problem.to_string();
            assert!(shown.contains(&format!("U+{:04X}", c as u32)), "{shown}");
        }
        assert!(check("Rad ett\n\tRad två – ”citat” åäö ÅÄÖ é", 100, &can_show).is_ok());
        assert_eq!(
            check("abcd", 3, &can_show),
            Err(TextProblem::TooLong { max: 3, found: 4 })
        );
        assert_eq!(capped("åäöx", 3), "åäö");
    }
}
