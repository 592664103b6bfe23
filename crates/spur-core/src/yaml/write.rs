//! Writing spur's YAML: the scalars and entries every file is made of, each free text
//! written so that [`crate::yaml::parse`] reads back exactly the string that was
//! written, whatever it looks like. Pure functions. The files' layouts are their
//! owners': the plan's in [`crate::plan::file`], the questionnaire's in the cycle's
//! `draft::file`.

/// A value of a small mapping: a word of the file's own vocabulary (`no`, `true`, a
/// grade), written as it is, or free text.
pub enum Field<'a> {
    /// A word of the vocabulary, written as it is.
    Word(&'a str),
    /// Free text, written as a scalar that reads back exactly.
    Text(&'a str),
}

impl Field<'_> {
    /// The value as written at `place`.
    pub fn render(&self, place: Place) -> String {
        match self {
            Field::Word(w) => w.to_string(),
            Field::Text(t) => scalar(t, place),
        }
    }
}

/// A block sequence entry at `column` holding a block map of `fields`.
pub fn sequence_entry(out: &mut String, column: usize, fields: &[(&str, Field)]) {
    let first = format!("{}- ", " ".repeat(column));
    let rest = " ".repeat(column + 2);
    for (i, (k, f)) in fields.iter().enumerate() {
        let lead = if i == 0 { &first } else { &rest };
        entry(out, lead, k, &f.render(Place::Block(column + 2)));
    }
}

/// A line `key: value` after `lead`; an empty `value` leaves the key bare (`A1:`).
pub fn entry(out: &mut String, lead: &str, key: &str, value: &str) {
    out.push_str(lead);
    out.push_str(key);
    out.push(':');
    if !value.is_empty() {
        out.push(' ');
        out.push_str(value);
    }
    out.push('\n');
}

/// `key: text` with the key at `column`.
pub fn text(out: &mut String, column: usize, key: &str, text: &str) {
    let value = scalar(text, Place::Block(column));
    entry(out, &" ".repeat(column), key, &value);
}

/// `[a, b, c]`: items already written as flow scalars.
pub fn flow_list(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(", "))
}

/// An empty line between blocks, unless the text before ends in one already: that is
/// a `|+` block's last line, which a further empty line would lengthen.
pub fn gap(out: &mut String) {
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Where a scalar is written, which decides the forms it may take.
#[derive(Clone, Copy)]
pub enum Place {
    /// Inside `{…}` or `[…]`, or as a key: one line, and `,[]{}:` end a plain scalar.
    Flow,
    /// The value of a block map key or sequence entry at this column: a literal block
    /// may follow, indented two more.
    Block(usize),
}

/// `text` as a YAML scalar that reads back as exactly `text`: plain where nothing in
/// it could read otherwise, a literal block for readable lines, else double-quoted.
pub fn scalar(text: &str, place: Place) -> String {
    match place {
        Place::Block(column) if literal_fits(text) => literal(text, column),
        _ if plain_fits(text, matches!(place, Place::Flow)) => text.to_string(),
        _ => quoted(text),
    }
}

/// Characters written only as escapes: YAML forbids them raw, or readers disagree on
/// them (NEL and U+2028/U+2029 were line breaks in YAML 1.1; a byte-order mark may be
/// dropped), or, for tab and CR, they would not survive as themselves in plain text.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// Words that some YAML reader, 1.1 or 1.2, takes for a null, boolean or number.
const RESERVED: [&str; 10] = [
    "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan",
];

/// Whether `text` may stand unquoted. Conservative: anything starting like a number,
/// an indicator or a reserved word is quoted, except an ISO date, which YAML 1.2's
/// core schema reads as a string and which the plan is easier to read with.
fn plain_fits(text: &str, flow: bool) -> bool {
    let (Some(first), Some(last)) = (text.chars().next(), text.chars().next_back()) else {
        return false;
    };
    let b = text.as_bytes();
    let iso_date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    iso_date
        || !(first.is_whitespace()
            || last.is_whitespace()
            || first.is_ascii_digit()
            || "-?:,[]{}#&*!|>'\"%@`+.~<=\\".contains(first)
            || text.contains(": ")
            || text.contains(" #")
            || text.ends_with(':')
            || text.chars().any(needs_escape)
            || (flow && text.contains([',', '[', ']', '{', '}', ':']))
            || RESERVED.iter().any(|w| text.eq_ignore_ascii_case(w)))
}

/// Whether `text` reads back exactly from a literal block: several lines, one with
/// text, and nothing to escape but tabs inside a line.
pub fn literal_fits(text: &str) -> bool {
    text.contains('\n')
        && text.split('\n').any(|l| l.contains(|c| c != ' '))
        && text
            .split('\n')
            .all(|l| !l.starts_with('\t') && l.chars().all(|c| c == '\t' || !needs_escape(c)))
}

/// `text` as a literal block under a key at `column`. The chomping indicator keeps
/// the final line breaks as they are; the indentation indicator is given when the
/// first line would not show the indentation (empty, or starting with spaces).
fn literal(text: &str, column: usize) -> String {
    let (chomp, body) = match text.strip_suffix('\n') {
        None => ("-", text),
        Some(rest) if rest.ends_with('\n') => ("+", rest),
        Some(rest) => ("", rest),
    };
    let first = body.split('\n').next().unwrap_or("");
    let hidden = first.is_empty() || first.starts_with(' ');
    let indentation = if hidden { "2" } else { "" };
    let indent = " ".repeat(column + 2);
    let mut out = format!("|{indentation}{chomp}");
    for line in body.split('\n') {
        out.push('\n');
        // Empty lines stay empty: trailing spaces would only be noise.
        if !line.is_empty() {
            out.push_str(&indent);
            out.push_str(line);
        }
    }
    out
}

/// `text` double-quoted, with every character [`needs_escape`] names escaped.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) && u32::from(c) <= 0xff => {
                out.push_str(&format!("\\x{:02X}", u32::from(c)));
            }
            c if needs_escape(c) => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
