//! A YAML document as a tree of located nodes, and the reader that decodes it.
//!
//! User files are not deserialised straight into their final types: serde stops at the
//! first problem, and inspectors should see every problem of a file at once. So
//! serde-saphyr parses the file into [`Node`]s that keep their byte span, and the
//! domain modules decode those with a [`Reader`] that collects [`Diagnostic`]s.

mod reader;
pub mod write;

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, Source};

pub use reader::{Fields, Reader, join};

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
            Value::Str(s) => format!("texten ”{s}”"),
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
    // A questionnaire nests six levels deep; each level costs stack in the parser and
    // the readers, so a hostile file is stopped long before a thread's stack is.
    budget.max_depth = 24;
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
        assert_eq!(d.hint.as_deref(), Some("menade du ”name”?"));
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
                    "nyckeln ”2021” står två gånger: den står redan på rad 3"
                ),
                (
                    5,
                    "a",
                    "nyckeln ”a” står två gånger: den står redan på rad 1"
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
