//! A YAML document as a tree of located nodes, and the reader that decodes it.
//!
//! User files are not deserialised straight into their final types: serde stops at the
//! first problem, and inspectors should see every problem of a file at once. So
//! serde-saphyr parses the file into [`Node`]s that keep their byte span, and the
//! domain modules decode those with a [`Reader`] that collects [`Diagnostic`]s.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, Source};

/// A located YAML node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Byte range in the source.
    pub span: (usize, usize),
    /// For a number, boolean or null: its characters as written (`0701234567`, `1.10`),
    /// which YAML's reading of them would lose. Empty for strings and collections.
    pub written: String,
}

/// A YAML value whose children keep their location.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// Any other scalar.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// How the node reads as a map key or in a message: scalars as written, else a
    /// description.
    pub fn key_text(&self) -> String {
        match &self.value {
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_)
                if !self.written.is_empty() =>
            {
                self.written.clone()
            }
            Value::Null => "~".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(n) => n.to_string(),
            Value::Float(x) => x.to_string(),
            Value::Str(s) => s.clone(),
            Value::Seq(_) => "[…]".into(),
            Value::Map(_) => "{…}".into(),
        }
    }

    /// A Swedish description of what the node is, for "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Null => "ett tomt värde".into(),
            Value::Bool(_) => format!("sanningsvärdet {}", self.key_text()),
            Value::Int(_) | Value::Float(_) => format!("talet {}", self.key_text()),
            Value::Str(s) if s.chars().count() > 40 => "en lång text".into(),
            Value::Str(s) => format!("texten «{s}»"),
            Value::Seq(_) => "en lista".into(),
            Value::Map(_) => "en mappning (nycklar med värden)".into(),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        let span = spanned.referenced.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        let len = span.byte_len().unwrap_or(0) as usize;
        Ok(Node {
            value: spanned.value,
            span: (start, start + len),
            written: String::new(),
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("ett YAML-värde")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Int(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(i64::try_from(n).map_or(Value::Float(n as f64), Value::Int))
    }
    fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
        Ok(Value::Float(x))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

/// The most a user file may contain. Real questionnaires are a few hundred nodes and
/// tens of kilobytes; the limits only stop hostile or broken files early.
fn budget() -> serde_saphyr::budget::Budget {
    let mut budget = serde_saphyr::budget::Budget::default();
    budget.max_events = 200_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_depth = 64;
    budget.max_nodes = 100_000;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES;
    budget
}

/// The largest file `spur` reads, in bytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Parses YAML text into a located node tree; a syntax error becomes one diagnostic.
pub fn parse(source: &Source) -> Result<Node, Diagnostic> {
    let options = serde_saphyr::options! {
        budget: Some(budget()),
        with_snippet: false,
        // YAML 1.2: `yes`/`no` are the answers they look like, not booleans.
        strict_booleans: true,
        // Keys that repeat reach the reader, which names both lines (see
        // [`Reader::check_keys`]); the parser alone would stop at the first.
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
    };
    match serde_saphyr::from_str_with_options::<Node>(&source.text, options) {
        Ok(mut node) => {
            attach_written(&mut node, &source.text);
            Ok(node)
        }
        Err(e) => Err(syntax_diagnostic(source, &e)),
    }
}

/// Records the source characters of every scalar that YAML read as something other
/// than a string. An alias (`*owner`) takes the characters of its anchor's scalar.
fn attach_written(node: &mut Node, text: &str) {
    attach_written_with(node, text, &mut HashMap::new());
}

/// [`attach_written`], with the anchors met so far.
fn attach_written_with<'t>(node: &mut Node, text: &'t str, anchors: &mut HashMap<&'t str, String>) {
    match &mut node.value {
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|n| attach_written_with(n, text, anchors)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            attach_written_with(k, text, anchors);
            attach_written_with(v, text, anchors);
        }),
        Value::Str(_) => {}
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
            let written = text.get(node.span.0..node.span.1).unwrap_or("").trim();
            node.written = match written.strip_prefix('*') {
                Some(alias) => anchors.get(alias).cloned().unwrap_or_default(),
                None => written.to_string(),
            };
            if let Some(anchor) = anchor_before(text, node.span.0) {
                anchors.insert(anchor, node.written.clone());
            }
        }
    }
}

/// The anchor name (`&owner`) written just before the scalar starting at `start`.
fn anchor_before(text: &str, start: usize) -> Option<&str> {
    let before = text.get(..start)?.trim_end_matches([' ', '\t']);
    let token_start = before
        .rfind(|c: char| c.is_ascii_whitespace() || matches!(c, '[' | '{' | ',' | ':'))
        .map_or(0, |i| i + 1);
    before[token_start..].strip_prefix('&')
}

/// The parser's error as a located Swedish diagnostic.
fn syntax_diagnostic(source: &Source, error: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error as E;
    let mut inner = error;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let (message, expected) = match inner {
        E::Budget { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayLimitExceeded { .. } => (
            "filen är för stor eller för djupt nästlad för att läsas".to_string(),
            "ett frågeformulär utan upprepade alias och med rimlig storlek",
        ),
        E::UnknownAnchor { .. } => (
            "aliaset hänvisar till ett ankare som inte finns".to_string(),
            "ett ankare (&namn) definierat före aliaset (*namn)",
        ),
        E::MultipleDocuments { .. } => (
            "filen innehåller flera YAML-dokument".to_string(),
            "ett enda dokument (ingen rad med bara ---)",
        ),
        E::Eof { .. } => ("filen är tom".to_string(), "ett frågeformulär i YAML"),
        _ => (
            "YAML-syntaxfel: filen går inte att tolka här".to_string(),
            "giltig YAML: kontrollera indrag (mellanslag, inte tabb), kolon efter nycklar och avslutade citattecken",
        ),
    };
    let location = error.location();
    let offset = location
        .and_then(|l| l.span().byte_offset())
        .map(|o| o as usize)
        .filter(|&o| o > 0)
        .or_else(|| {
            let l = location?;
            source.offset_of(l.line() as usize, l.column() as usize)
        })
        .unwrap_or(0);
    // A tab in the indentation is the commonest syntax error of hand-edited YAML and
    // invisible on screen: point at the tab itself and name it.
    let (line, _) = source.position(offset);
    if let Some(start) = source.offset_of(line, 1) {
        let indent = &source.text[start..];
        let indent = &indent[..indent.len() - indent.trim_start_matches([' ', '\t']).len()];
        if let Some(tab) = indent.find('\t') {
            return Diagnostic::error(
                source,
                (start + tab, start + tab + 1),
                "",
                "YAML-syntaxfel: tabbtecken i indraget",
            )
            .expected("indrag med mellanslag; YAML tillåter inte tabbar i indraget");
        }
    }
    Diagnostic::error(source, (offset, offset), "", message).expected(expected)
}

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
                let mut seen: Vec<(String, &Node)> = Vec::new();
                for (key, value) in entries {
                    let identity = key_identity(key);
                    let key_path = join(path, &key.key_text());
                    if let Some((_, first)) = seen.iter().find(|(id, _)| *id == identity) {
                        let (line, _) = self.source.position(first.span.0);
                        let d = Diagnostic::error(
                            self.source,
                            key.span,
                            &key_path,
                            format!(
                                "nyckeln «{}» står två gånger: den står redan på rad {line}",
                                key.key_text()
                            ),
                        )
                        .also_at(self.source, first.span, "första gången här")
                        .expected("varje nyckel högst en gång i samma mappning")
                        .hint("ta bort den ena eller slå ihop dem");
                        self.diagnostics.push(d);
                    } else {
                        seen.push((identity, key));
                    }
                    self.check_keys_at(value, &key_path);
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
        for (key, _) in entries {
            let name = key.key_text();
            if !allowed.contains(&name.as_str()) {
                let expected = format!("en av nycklarna {}", allowed.join(", "));
                let hint = closest(&name, allowed).map(|c| format!("menade du «{c}»?"));
                let d = Diagnostic::error(
                    self.source,
                    key.span,
                    &join(path, &name),
                    format!("okänd nyckel «{name}»"),
                )
                .expected(&expected);
                self.diagnostics.push(match hint {
                    Some(h) => d.hint(&h),
                    None => d,
                });
            }
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
                    format!("«{c}» ")
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
            "en lista med texter (rader som börjar med «- »)",
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
                format!("nyckeln «{key}» saknas"),
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

    fn parse_str(text: &str) -> Node {
        parse(&Source::new("t.yaml", text.to_string())).unwrap()
    }

    #[test]
    fn scalars_keep_their_type_and_span() {
        let text = "a: yes\nb: 2021\nc: 2025-02-12\nd: true\ne:\n";
        let node = parse_str(text);
        let Value::Map(entries) = node.value else {
            panic!("ingen mappning")
        };
        let values: Vec<_> = entries.iter().map(|(_, v)| v.value.clone()).collect();
        assert_eq!(
            values,
            vec![
                Value::Str("yes".into()),
                Value::Int(2021),
                Value::Str("2025-02-12".into()),
                Value::Bool(true),
                Value::Null
            ]
        );
        let (start, end) = entries[1].1.span;
        assert_eq!(&text[start..end], "2021");
    }

    #[test]
    fn numbers_keep_their_characters_through_anchors_and_aliases() {
        let node = parse_str("a: &tel 0701234567\nb: *tel\nc: [1.10, 0x1F, 1_000, 007]\n");
        let Value::Map(entries) = node.value else {
            panic!("ingen mappning")
        };
        let mut written: Vec<String> = vec![entries[0].1.key_text(), entries[1].1.key_text()];
        if let Value::Seq(items) = &entries[2].1.value {
            written.extend(items.iter().map(Node::key_text));
        }
        assert_eq!(
            written,
            ["0701234567", "0701234567", "1.10", "0x1F", "1_000", "007"]
        );
    }

    #[test]
    fn unknown_keys_are_reported_with_a_suggestion() {
        let source = Source::new("t.yaml", "nmae: x\nname: y\n".into());
        let node = parse(&source).unwrap();
        let mut reader = Reader::new(&source);
        let fields = reader
            .fields(&node, "unit", &["name", "organisation"])
            .unwrap();
        assert_eq!(fields.get("name").unwrap().key_text(), "y");
        assert_eq!(reader.diagnostics.len(), 1);
        let d = &reader.diagnostics[0];
        assert_eq!((d.line, d.column), (1, 1));
        assert_eq!(d.path, "unit.nmae");
        assert_eq!(d.hint.as_deref(), Some("menade du «name»?"));
    }

    #[test]
    fn syntax_errors_and_duplicates_are_located() {
        let source = Source::new("t.yaml", "a: 1\nb: [1, 2\n".into());
        let d = parse(&source).unwrap_err();
        assert!(d.message.contains("YAML-syntaxfel"), "{}", d.message);
        let source = Source::new(
            "t.yaml",
            "a: 1\nb:\n  2021: x\n  \"2021\": y\na: 2\n".into(),
        );
        let node = parse(&source).unwrap();
        let mut reader = Reader::new(&source);
        reader.check_keys(&node);
        let found: Vec<_> = reader
            .diagnostics
            .iter()
            .map(|d| (d.line, d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    4,
                    "b.2021",
                    "nyckeln «2021» står två gånger: den står redan på rad 3"
                ),
                (
                    5,
                    "a",
                    "nyckeln «a» står två gånger: den står redan på rad 1"
                ),
            ]
        );
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let d = parse(&Source::new("t.yaml", text)).unwrap_err();
        assert!(d.message.contains("för stor"), "{}", d.message);
    }
}
