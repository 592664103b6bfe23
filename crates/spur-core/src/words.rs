//! Numbers as Swedish text writes them, shared by the diagnostics ("… och 44 980
//! okända nycklar till") and the yearly summary.

/// The space in long numbers: it never breaks.
pub const NBSP: char = '\u{a0}';

/// A count as Swedish writes it: digits grouped by three from 10 000 on ("12 480").
pub fn number(n: usize) -> String {
    let digits = n.to_string();
    if digits.len() < 5 {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NBSP);
        }
        out.push(c);
    }
    out
}
