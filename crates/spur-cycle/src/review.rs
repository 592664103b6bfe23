//! The inspectors' review of a submitted plan (SPEC §8.6): what a review form posted,
//! read into decisions, and the problems that stop it. A problem never loses the
//! decisions already made: they come back with it, to be shown again.

use thiserror::Error;

/// The inspectors' verdict on one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Godkänns.
    Accept,
    /// Godkänns inte: back to the unit, with a reason.
    Reject,
}

impl Verdict {
    /// The form's and the database's name for it.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Reject => "reject",
        }
    }

    /// The verdict named `key`.
    pub fn from_key(key: &str) -> Option<Verdict> {
        [Verdict::Accept, Verdict::Reject]
            .into_iter()
            .find(|v| v.key() == key)
    }
}

/// What the form posted for one entry, valid or not.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Posted {
    /// The indicator of the entry.
    pub indicator: String,
    /// The verdict chosen, if any.
    pub verdict: Option<Verdict>,
    /// The reason typed.
    pub reason: String,
}

/// A complete decision on one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The indicator of the entry.
    pub indicator: String,
    /// Accepted or rejected.
    pub verdict: Verdict,
    /// Why (required for a rejection).
    pub reason: String,
}

/// Why one entry's decision cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Problem {
    /// Neither verdict chosen.
    #[error("Välj om åtgärden godkänns eller inte.")]
    NoVerdict,
    /// A rejection without a reason.
    #[error("Ange varför åtgärden inte godkänns.")]
    NoReason,
}

/// The decisions on `entries` (the submitted plan's indicators, in order) from what
/// was posted; or every problem, at its entry.
pub fn decide(
    entries: &[String],
    posted: &[Posted],
) -> Result<Vec<Decision>, Vec<(String, Problem)>> {
    let mut decisions = Vec::new();
    let mut problems = Vec::new();
    for indicator in entries {
        let found = posted.iter().find(|p| &p.indicator == indicator);
        let verdict = found.and_then(|p| p.verdict);
        let reason = found.map_or("", |p| p.reason.trim()).to_string();
        match verdict {
            None => problems.push((indicator.clone(), Problem::NoVerdict)),
            Some(Verdict::Reject) if reason.is_empty() => {
                problems.push((indicator.clone(), Problem::NoReason))
            }
            Some(verdict) => decisions.push(Decision {
                indicator: indicator.clone(),
                verdict,
                reason,
            }),
        }
    }
    if problems.is_empty() {
        Ok(decisions)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(indicator: &str, verdict: Option<Verdict>, reason: &str) -> Posted {
        Posted {
            indicator: indicator.into(),
            verdict,
            reason: reason.into(),
        }
    }

    #[test]
    fn every_entry_needs_a_verdict_and_a_rejection_a_reason() {
        let entries = ["D6".to_string(), "E1".into(), "F2".into()];
        let all = [
            posted("D6", Some(Verdict::Accept), ""),
            posted("E1", Some(Verdict::Reject), "  "),
            posted("F2", None, ""),
            posted("X9", Some(Verdict::Accept), ""),
        ];
        assert_eq!(
            decide(&entries, &all),
            Err(vec![
                ("E1".to_string(), Problem::NoReason),
                ("F2".to_string(), Problem::NoVerdict)
            ])
        );
        let fixed = [
            posted("D6", Some(Verdict::Accept), ""),
            posted("E1", Some(Verdict::Reject), " För vag. "),
            posted("F2", Some(Verdict::Accept), "Bra"),
        ];
        let decided = decide(&entries, &fixed).unwrap();
        assert_eq!(decided.len(), 3);
        assert_eq!(decided[1].reason, "För vag.");
        assert_eq!(Verdict::from_key("reject"), Some(Verdict::Reject));
        assert_eq!(Verdict::from_key("Reject"), None);
    }
}
