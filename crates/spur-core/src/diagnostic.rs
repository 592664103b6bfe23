//! Problems found in a user's file, located and worded for people.
//!
//! Every diagnostic names the file, line and column, the YAML path and what was
//! expected, and is shown with the offending line underlined, in the manner of
//! typst-cli and rustc.

use std::fmt::{self, Write as _};

/// A user file's text and name, for locating and quoting problems.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file's name as the user gave it.
    pub name: String,
    /// The file's text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    /// A source named `name` holding `text`.
    pub fn new(name: impl Into<String>, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// The byte offset of 1-based `line` and character `column`, if the text has them.
    pub fn offset_of(&self, line: usize, column: usize) -> Option<usize> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let rest = self.text.get(start..)?;
        let line_text = rest.split('\n').next().unwrap_or("");
        let within = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        Some(start + within)
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The text of 1-based line `line`, without its line break.
    fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The input is invalid.
    Error,
    /// The input is valid but something needs attention.
    Warning,
}

/// One problem in a user file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file's name.
    pub file: String,
    /// 1-based line; 0 for a problem with the file as a whole.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Where in the document, e.g. `areas.D.answers.D6`.
    pub path: String,
    /// What is wrong, as a sentence.
    pub message: String,
    /// What was expected instead.
    pub expected: Option<String>,
    /// A suggestion.
    pub hint: Option<String>,
    /// The places marked in the file: the problem first, then any related place.
    marks: Vec<Mark>,
}

/// A place in the file that a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mark {
    /// 1-based line.
    line: usize,
    /// The line as written.
    text: String,
    /// Characters marked on the line: 0-based start and count.
    chars: (usize, usize),
    /// What the place is, for a related place.
    label: Option<String>,
}

impl Mark {
    /// The mark for byte range `span` of `source`, cut to its first line.
    fn at(source: &Source, span: (usize, usize), label: Option<String>) -> Self {
        let (line, column) = source.position(span.0);
        let text = source.line_text(line).to_string();
        let rest = text.chars().count().saturating_sub(column - 1);
        let spanned = source
            .text
            .get(span.0..span.1.max(span.0))
            .map_or(0, |s| s.lines().next().unwrap_or("").chars().count());
        Mark {
            line,
            text,
            chars: (column - 1, spanned.clamp(1, rest.max(1))),
            label,
        }
    }
}

impl Diagnostic {
    /// An error at byte range `span` of `source`.
    pub fn error(
        source: &Source,
        span: (usize, usize),
        path: &str,
        message: impl Into<String>,
    ) -> Self {
        let mark = Mark::at(source, span, None);
        Diagnostic {
            severity: Severity::Error,
            file: source.name.clone(),
            line: mark.line,
            column: mark.chars.0 + 1,
            path: path.to_string(),
            message: message.into(),
            expected: None,
            hint: None,
            marks: vec![mark],
        }
    }

    /// Marks a second, related place in the same file, such as the first of two
    /// keys that mean the same.
    pub fn also_at(mut self, source: &Source, span: (usize, usize), label: &str) -> Self {
        self.marks
            .push(Mark::at(source, span, Some(label.to_string())));
        self
    }

    /// An error about a file as a whole (unreadable, missing), with no line to show.
    pub fn file_error(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line: 0,
            column: 0,
            path: String::new(),
            message: message.into(),
            expected: None,
            hint: None,
            marks: Vec::new(),
        }
    }

    /// Adds what was expected.
    pub fn expected(mut self, expected: &str) -> Self {
        self.expected = Some(expected.to_string());
        self
    }

    /// Adds a suggestion.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_string());
        self
    }

    /// Turns the problem into a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Whether this is an error (rather than a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Text from a user's file made safe for a terminal: control characters (which could
/// move the cursor, clear the screen or set the window title) and the invisible
/// characters that reorder text are shown as `\u{1b}` escapes; everything else as
/// written.
pub fn escape(text: &str) -> String {
    text.chars().map(escape_char).collect()
}

/// One character of [`escape`].
fn escape_char(c: char) -> String {
    let hidden = c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if hidden {
        format!("\\u{{{:x}}}", c as u32)
    } else {
        c.to_string()
    }
}

/// A path as shown to the user: as given, with control characters escaped.
pub fn shown(path: &std::path::Path) -> String {
    escape(&path.to_string_lossy())
}

/// The quoted lines of a diagnostic and the byte ranges of its marks in them; lines
/// between two marks are kept blank so that the renderer can fold them. The renderer
/// shows C0 controls and bidirectional overrides as visible symbols itself; the other
/// characters that could drive a terminal (C1 controls, direction marks) become U+FFFD
/// here, one character for one so that columns stay right.
fn excerpt(marks: &[Mark]) -> (usize, String, Vec<std::ops::Range<usize>>) {
    let safe = |c: char| match c {
        '\u{80}'..='\u{9f}' | '\u{200e}' | '\u{200f}' => '\u{fffd}',
        c => c,
    };
    let first = marks.iter().map(|m| m.line).min().unwrap_or(1);
    let last = marks.iter().map(|m| m.line).max().unwrap_or(1);
    let mut text = String::new();
    let mut ranges = vec![0..0; marks.len()];
    for line in first..=last {
        let Some(written) = marks.iter().find(|m| m.line == line).map(|m| &m.text) else {
            text.push('\n');
            continue;
        };
        let written: String = written.chars().map(safe).collect();
        for (i, mark) in marks.iter().enumerate().filter(|(_, m)| m.line == line) {
            let (start, count) = mark.chars;
            let byte = |n: usize| {
                written
                    .char_indices()
                    .nth(n)
                    .map_or(written.len(), |(b, _)| b)
            };
            let at = text.len() + byte(start);
            ranges[i] = at..(text.len() + byte(start + count)).max(at + 1);
        }
        text.push_str(&written);
        text.push('\n');
    }
    (first, text, ranges)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR.with_name("fel"),
            Severity::Warning => Level::WARNING.with_name("varning"),
        };
        let message = escape(&self.message);
        let file = escape(&self.file);
        let (first, text, ranges) = excerpt(&self.marks);
        let mut group = Group::with_title(level.primary_title(&message));
        if self.marks.is_empty() {
            group = group.element(Origin::path(&file));
        } else {
            let mut snippet = Snippet::source(&text)
                .line_start(first)
                .path(&file)
                .fold(true);
            for (i, (mark, range)) in self.marks.iter().zip(&ranges).enumerate() {
                let kind = if i == 0 {
                    AnnotationKind::Primary
                } else {
                    AnnotationKind::Context
                };
                snippet = snippet.annotation(kind.span(range.clone()).label(mark.label.as_deref()));
            }
            group = group.element(snippet);
        }
        let notes: Vec<(&str, String)> = [
            ("sökväg", Some(&self.path).filter(|p| !p.is_empty())),
            ("förväntat", self.expected.as_ref()),
            ("tips", self.hint.as_ref()),
        ]
        .into_iter()
        .filter_map(|(name, text)| Some((name, escape(text?))))
        .collect();
        for (name, text) in &notes {
            group = group.element(Level::NOTE.with_name(*name).message(text.as_str()));
        }
        writeln!(f, "{}", Renderer::plain().render(&[group]))
    }
}

/// Renders diagnostics for a terminal, followed by a one-line count.
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(out, "{d}");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let noun = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if errors > 0 {
        let _ = writeln!(out, "{} hittades.", noun(errors, "fel", "fel"));
    } else if warnings > 0 {
        let _ = writeln!(out, "{} hittades.", noun(warnings, "varning", "varningar"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_and_underlines_the_offending_text() {
        let source = Source::new("f.yaml", "a: 1\nområde: fel värde\n".to_string());
        let start = source.text.find("fel").unwrap();
        let d = Diagnostic::error(&source, (start, start + 3), "områden.x", "något är fel")
            .expected("rätt");
        assert_eq!((d.line, d.column), (2, 9));
        let shown = d.to_string();
        assert!(shown.starts_with("fel: något är fel\n"), "{shown}");
        assert!(shown.contains(" --> f.yaml:2:9\n"), "{shown}");
        assert!(shown.contains("2 | område: fel värde\n"), "{shown}");
        assert!(shown.contains("  |         ^^^\n"), "{shown}");
        assert!(shown.contains("= sökväg: områden.x"), "{shown}");
        assert!(shown.contains("= förväntat: rätt"), "{shown}");
    }

    #[test]
    fn counts_errors_and_warnings_in_swedish() {
        let source = Source::new("f.yaml", "a: 1\n".to_string());
        let e = Diagnostic::error(&source, (0, 1), "a", "x");
        assert!(render_all(&[e.clone(), e.clone()]).ends_with("2 fel hittades.\n"));
        assert!(render_all(&[e.warning()]).ends_with("1 varning hittades.\n"));
    }
}
