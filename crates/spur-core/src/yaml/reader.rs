//! The [`Reader`] that decodes a node tree into a domain type, recording every
//! problem as a located [`Diagnostic`] instead of stopping at the first.

use crate::diagnostic::{Diagnostic, Source};

use super::{Node, Value};

/// How many problems of one kind in one mapping are shown one by one; the rest are
/// counted in one more, so that a file of forty thousand stray keys reads in a glance
/// and is reported in a moment.
const SHOWN_OF_A_KIND: usize = 20;

/// The most combining marks one character may carry; real text (Vietnamese, say)
/// needs two or three.
pub const MAX_MARKS: usize = 8;

/// The first combining mark, U+0300 COMBINING GRAVE ACCENT: every character before it
/// is a letter, digit, symbol, space or control.
const FIRST_MARK: char = '\u{300}';

/// How a key reads when deciding whether two keys mean the same: `2021` and `"2021"`
/// are one key, and so are `D1` and `"D1"`.
fn key_identity(key: &Node) -> String {
    match &key.value {
        Value::Str(s) => s.trim().to_string(),
        Value::Int(n) => n.to_string(),
        _ => key.key_text(),
    }
}

/// Decodes a node tree, collecting every problem instead of stopping at the first.
pub struct Reader<'s> {
    source: &'s Source,
    glyphs: &'s dyn Fn(char) -> bool,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'s> Reader<'s> {
    /// A reader for nodes parsed from `source`.
    pub fn new(source: &'s Source) -> Self {
        Reader {
            source,
            glyphs: &|_| true,
            diagnostics: Vec::new(),
        }
    }

    /// Refuses text with characters for which `glyphs` is false: the report's fonts
    /// cannot show them, and a silently missing glyph would change what was written.
    pub fn with_glyphs(mut self, glyphs: &'s dyn Fn(char) -> bool) -> Self {
        self.glyphs = glyphs;
        self
    }

    /// The source being read.
    pub fn source(&self) -> &'s Source {
        self.source
    }

    /// Records every key that stands twice in the same mapping of `root`, written the
    /// same or not (`2021` and `"2021"`), naming the line of the first.
    pub fn check_keys(&mut self, root: &Node) {
        self.check_keys_at(root, "");
    }

    /// [`Reader::check_keys`] below `node`, at `path`.
    fn check_keys_at(&mut self, node: &Node, path: &str) {
        match &node.value {
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.check_keys_at(item, &format!("{path}[{i}]"));
                }
            }
            Value::Map(entries) => {
                let mut seen: std::collections::HashMap<String, &Node> =
                    std::collections::HashMap::new();
                let mut repeated = 0usize;
                for (key, value) in entries {
                    let identity = key_identity(key);
                    let key_path = join(path, &key.key_text());
                    if let Some(first) = seen.get(&identity) {
                        repeated += 1;
                        if repeated > SHOWN_OF_A_KIND {
                            continue;
                        }
                        let (line, _) = self.source.position(first.span.0);
                        let d = Diagnostic::error(
                            self.source,
                            key.span,
                            &key_path,
                            format!(
                                "nyckeln ”{}” står två gånger: den står redan på rad {line}",
                                key.key_text()
                            ),
                        )
                        .also_at(self.source, first.span, "första gången här")
                        .expected("varje nyckel högst en gång i samma mappning")
                        .hint("ta bort den ena eller slå ihop dem");
                        self.diagnostics.push(d);
                    } else {
                        seen.insert(identity, key);
                    }
                    self.check_keys_at(value, &key_path);
                }
                if repeated > SHOWN_OF_A_KIND {
                    self.diagnostics.push(Diagnostic::error(
                        self.source,
                        node.span,
                        path,
                        format!(
                            "… och {} nycklar till som står två gånger i samma mappning",
                            crate::words::number(repeated - SHOWN_OF_A_KIND)
                        ),
                    ));
                }
            }
            _ => {}
        }
    }

    /// Records a problem at `node`.
    pub fn error(&mut self, node: &Node, path: &str, message: impl Into<String>, expected: &str) {
        let d = Diagnostic::error(self.source, node.span, path, message.into()).expected(expected);
        self.diagnostics.push(d);
    }

    /// Records a problem with a hint.
    pub fn error_hint(
        &mut self,
        node: &Node,
        path: &str,
        message: impl Into<String>,
        expected: &str,
        hint: &str,
    ) {
        let d = Diagnostic::error(self.source, node.span, path, message.into())
            .expected(expected)
            .hint(hint);
        self.diagnostics.push(d);
    }

    /// Reads `node` as a mapping with the given keys. Unknown keys are reported; the
    /// returned [`Fields`] hands out the known ones.
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
        allowed: &[&str],
    ) -> Option<Fields<'n>> {
        let Value::Map(entries) = &node.value else {
            let expected = format!("en mappning med nycklarna {}", allowed.join(", "));
            self.error(
                node,
                path,
                format!("här väntades en mappning men det står {}", node.describe()),
                &expected,
            );
            return None;
        };
        let mut unknown = 0usize;
        for (key, _) in entries {
            let name = key.key_text();
            if !allowed.contains(&name.as_str()) {
                unknown += 1;
                if unknown > SHOWN_OF_A_KIND {
                    continue;
                }
                let expected = format!("en av nycklarna {}", allowed.join(", "));
                let hint = closest(&name, allowed).map(|c| format!("menade du ”{c}”?"));
                let d = Diagnostic::error(
                    self.source,
                    key.span,
                    &join(path, &name),
                    format!("okänd nyckel ”{name}”"),
                )
                .expected(&expected);
                self.diagnostics.push(match hint {
                    Some(h) => d.hint(&h),
                    None => d,
                });
            }
        }
        if unknown > SHOWN_OF_A_KIND {
            let d = Diagnostic::error(
                self.source,
                node.span,
                path,
                format!(
                    "… och {} okända nycklar till i samma mappning",
                    crate::words::number(unknown - SHOWN_OF_A_KIND)
                ),
            )
            .expected(&format!("en av nycklarna {}", allowed.join(", ")));
            self.diagnostics.push(d);
        }
        Some(Fields {
            node,
            path: path.to_string(),
            entries,
        })
    }

    /// Reads a required text. Empty or whitespace-only text is refused.
    pub fn text(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) if !s.trim().is_empty() => {
                self.check_glyphs(node, path, s);
                self.check_marks(node, path, s);
                Some(s.trim().to_string())
            }
            Value::Str(_) | Value::Null => {
                self.error(node, path, "texten är tom", "en text som inte är tom");
                None
            }
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(node.key_text()),
            _ => {
                self.error(
                    node,
                    path,
                    format!("här väntades en text men det står {}", node.describe()),
                    "en text",
                );
                None
            }
        }
    }

    /// Refuses a letter that carries more than [`MAX_MARKS`] combining marks: the PDF
    /// maps each such cluster to its text in one entry, and PDF readers (poppler among
    /// them) reject an entry that long, so the text could not be read or read aloud.
    fn check_marks(&mut self, node: &Node, path: &str, text: &str) {
        use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
        let mut run = 0usize;
        let mut longest = 0usize;
        for c in text.chars() {
            // No mark lies below U+0300, where the combining diacritics begin: most
            // text (Swedish included) is decided without a look in Unicode's tables,
            // which took a twentieth of `spur stats`' time.
            if c >= FIRST_MARK && c.general_category_group() == GeneralCategoryGroup::Mark {
                run += 1;
                longest = longest.max(run);
            } else {
                run = 0;
            }
        }
        if longest > MAX_MARKS {
            self.error_hint(
                node,
                path,
                format!(
                    "ett tecken bär {longest} kombinerande tecken (accenter och liknande) i följd; rapporten kan inte skrivas så att texten går att läsa ur PDF:en"
                ),
                &format!("högst {MAX_MARKS} kombinerande tecken på ett tecken"),
                "ta bort de kombinerande tecknen; de syns ofta inte när texten klistrats in",
            );
        }
    }

    fn check_glyphs(&mut self, node: &Node, path: &str, text: &str) {
        let mut missing: Vec<char> = text
            .chars()
            .filter(|&c| !matches!(c, '\n' | '\r' | '\t') && !(self.glyphs)(c))
            .collect();
        if missing.is_empty() {
            return;
        }
        missing.sort_unstable();
        missing.dedup();
        let named: Vec<String> = missing
            .iter()
            .map(|&c| {
                // Only a character that is visible on its own is quoted; the others
                // (controls, format and private-use characters) go by number alone.
                let invisible = c.is_control()
                    || c.is_whitespace()
                    || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
                        | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
                        | '\u{e000}'..='\u{f8ff}' | '\u{e0000}'..='\u{e007f}' | '\u{f0000}'..);
                let shown = if invisible {
                    String::new()
                } else {
                    format!("”{c}” ")
                };
                format!("{shown}(U+{:04X})", c as u32)
            })
            .collect();
        let message = match named.as_slice() {
            [one] => format!("tecknet {one} kan inte visas med rapportens typsnitt"),
            many => format!(
                "tecknen {} kan inte visas med rapportens typsnitt",
                many.join(", ")
            ),
        };
        self.error_hint(
            node,
            path,
            message,
            "text med bokstäver, siffror och vanliga skiljetecken",
            "ta bort tecknet eller ersätt det med ord",
        );
    }

    /// Reads an optional text: null or empty means none.
    pub fn optional_text(&mut self, node: Option<&Node>, path: &str) -> Option<String> {
        let node = node?;
        match &node.value {
            Value::Null => None,
            Value::Str(s) if s.trim().is_empty() => None,
            _ => self.text(node, path),
        }
    }

    /// Reads an ISO 8601 date (`2025-02-12`).
    pub fn date(&mut self, node: &Node, path: &str) -> Option<chrono::NaiveDate> {
        const EXPECTED: &str = "ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2025-02-12";
        // Exactly four digits of year: chrono alone would also take `-0001-01-01`
        // and `+12025-01-01`.
        let iso = |s: &str| {
            let b = s.as_bytes();
            b.len() == 10
                && b.iter().enumerate().all(|(i, c)| match i {
                    4 | 7 => *c == b'-',
                    _ => c.is_ascii_digit(),
                })
        };
        let parsed = match &node.value {
            Value::Str(s) if iso(s.trim()) => {
                chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
            }
            _ => None,
        };
        let empty = matches!(&node.value, Value::Null)
            || matches!(&node.value, Value::Str(s) if s.trim().is_empty());
        if empty {
            self.error(node, path, "datum saknas", EXPECTED);
        } else if parsed.is_none() {
            self.error(
                node,
                path,
                format!("ogiltigt datum: {}", node.describe()),
                EXPECTED,
            );
        }
        parsed
    }

    /// Reads a sequence; anything else is reported.
    pub fn seq<'n>(&mut self, node: &'n Node, path: &str, expected: &str) -> Option<&'n [Node]> {
        match &node.value {
            Value::Seq(items) => Some(items),
            Value::Null => Some(&[]),
            _ => {
                self.error(
                    node,
                    path,
                    format!("här väntades en lista men det står {}", node.describe()),
                    expected,
                );
                None
            }
        }
    }

    /// Reads a list of texts.
    pub fn texts(&mut self, node: Option<&Node>, path: &str) -> Vec<String> {
        let Some(node) = node else { return Vec::new() };
        let Some(items) = self.seq(
            node,
            path,
            "en lista med texter (rader som börjar med ”- ”)",
        ) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.text(item, &format!("{path}[{i}]")))
            .collect()
    }
}

/// The keys of a mapping that a [`Reader`] has accepted.
pub struct Fields<'n> {
    /// The mapping node.
    pub node: &'n Node,
    path: String,
    entries: &'n [(Node, Node)],
}

impl<'n> Fields<'n> {
    /// The value under `key`, if present.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.key_text() == key)
            .map(|(_, v)| v)
    }

    /// The key node of `key`, for pointing at the key rather than its value.
    pub fn key(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.key_text() == key)
            .map(|(k, _)| k)
    }

    /// The value under `key`; its absence is reported.
    pub fn required(&self, reader: &mut Reader, key: &str, expected: &str) -> Option<&'n Node> {
        let found = self.get(key);
        if found.is_none() {
            let d = Diagnostic::error(
                reader.source,
                self.node.span,
                &self.path,
                format!("nyckeln ”{key}” saknas"),
            )
            .expected(expected);
            reader.diagnostics.push(d);
        }
        found
    }

    /// The path of `key` below this mapping.
    pub fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// All entries, in source order.
    pub fn entries(&self) -> &'n [(Node, Node)] {
        self.entries
    }
}

/// Appends `key` to a YAML path.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The allowed name nearest to a misspelt one, if it is close enough to be a typo.
fn closest<'a>(name: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let name = name.to_lowercase();
    allowed
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&name, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_character_before_the_first_mark_is_one() {
        use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
        for c in '\0'..FIRST_MARK {
            assert_ne!(
                c.general_category_group(),
                GeneralCategoryGroup::Mark,
                "{c:?}"
            );
        }
        assert_eq!(
            FIRST_MARK.general_category_group(),
            GeneralCategoryGroup::Mark
        );
    }
}
