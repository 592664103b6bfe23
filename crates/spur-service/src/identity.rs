//! Who a person is, as typed at a field: one type for an e-mail address and one for a
//! name, used for accounts, the first admin, co-inspectors and the unit's contacts
//! alike. Each is refused, with the reason in Swedish, rather than cut or cleaned: an
//! address cut to its first 254 characters is another mailbox.

use std::fmt;

/// The longest e-mail address SMTP carries (RFC 5321's 254 characters of a path).
pub const ADDRESS_CHARS: usize = 254;

/// The longest name kept.
pub const NAME_CHARS: usize = 200;

/// One e-mail address, as the mail crate reads one: a single mailbox, without a
/// display name, a list or anything after it; lower-cased, since spur's logins and
/// contacts compare addresses whatever their case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address(String);

impl Address {
    /// `typed`, trimmed, as an address; or why it is none.
    pub fn parse(typed: &str) -> Result<Address, &'static str> {
        if typed.chars().any(is_control) {
            return Err("Det är ingen e-postadress. Skriv en adress, som namn@exempel.se.");
        }
        let typed = typed.trim();
        if typed.is_empty() {
            return Err("Skriv en e-postadress.");
        }
        if typed.chars().count() > ADDRESS_CHARS {
            return Err("En e-postadress har högst 254 tecken.");
        }
        let lower = typed.to_lowercase();
        if lower.chars().any(char::is_whitespace) || lower.parse::<lettre::Address>().is_err() {
            return Err("Det är ingen e-postadress. Skriv en adress, som namn@exempel.se.");
        }
        Ok(Address(lower))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's name, trimmed: one to 200 characters and no control character, so that
/// nothing in it moves the text of a page, an e-mail or a log line around it. A refusal
/// names the character by its number, since it is often invisible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    /// `typed`, trimmed, as a name; or why it is none.
    pub fn parse(typed: &str) -> Result<Name, String> {
        // Looked for before trimming: a control character at an end (NEL, U+0085, is
        // also white space) is refused, not quietly dropped.
        if let Some(c) = typed.chars().find(|&c| is_control(c)) {
            return Err(format!(
                "Namnet innehåller styrtecknet U+{:04X}, som inte syns men flyttar texten runt det. Skriv namnet på en rad, utan det.",
                u32::from(c)
            ));
        }
        let typed = typed.trim();
        if typed.is_empty() {
            return Err("Skriv ett namn.".into());
        }
        if typed.chars().count() > NAME_CHARS {
            return Err("Ett namn har högst 200 tecken.".into());
        }
        Ok(Name(typed.to_string()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person as typed at a form: the name and the address, or what is wrong with either.
pub fn person(name: &str, email: &str) -> Result<(Name, Address), Vec<String>> {
    match (Name::parse(name), Address::parse(email)) {
        (Ok(name), Ok(address)) => Ok((name, address)),
        (name, address) => Err([address.err().map(str::to_string), name.err()]
            .into_iter()
            .flatten()
            .collect()),
    }
}

/// A character that is not text: a C0 or C1 control, or a line or paragraph separator.
fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_one_mailbox_or_refused_never_cut() {
        assert_eq!(
            Address::parse(" Eva@Boo.Example.se ").unwrap().as_str(),
            "eva@boo.example.se"
        );
        let long = format!("{}@example.se", "a".repeat(250));
        for refused in [
            "",
            "x@",
            "@example.se",
            "eva",
            "a@b.se\r\nBcc: x@y.se",
            "a@b.se, x@y.se",
            "Eva <eva@b.se>",
            "eva @b.se",
            "eva@b.se\u{85}",
            long.as_str(),
        ] {
            assert!(Address::parse(refused).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn a_name_holds_no_control_character() {
        assert_eq!(Name::parse("  Eva Ek ").unwrap().as_str(), "Eva Ek");
        for refused in [
            "",
            "Eva\u{1b}[31m",
            "Eva\u{7}",
            "Eva\u{85}Ek",
            "Eva\nEk",
            "Eva\u{2028}",
            &"x".repeat(201),
        ] {
            assert!(Name::parse(refused).is_err(), "{refused:?}");
        }
    }
}
