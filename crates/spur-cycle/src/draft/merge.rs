//! Two inspectors' saves of one questionnaire, merged field by field: a field only one
//! of them changed takes that change; a field both changed differently keeps the
//! stored text and the later one beside it, for a person to choose.

use super::{Draft, Field, Value};

/// One field as a save changed it: what the page showed, and what it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The field.
    pub field: Field,
    /// What the page showed when it was opened (or last saved).
    pub before: Value,
    /// What the save sent.
    pub after: Value,
}

/// A field both inspectors changed differently: the stored text stays in the field,
/// and the later save's text is kept beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The field.
    pub field: Field,
    /// The later save's text.
    pub theirs: Value,
}

/// The changes a save makes: each posted field that differs from what its page showed.
pub fn changes(shown: &Draft, posted: Vec<(Field, Value)>) -> Vec<Change> {
    posted
        .into_iter()
        .filter_map(|(field, after)| {
            let before = shown.get(&field);
            (before != after).then_some(Change {
                field,
                before,
                after,
            })
        })
        .collect()
}

/// `changes` applied to the stored draft: the merged draft, and the fields where the
/// stored text had changed meanwhile to something else than the save sends.
pub fn merge(stored: &Draft, changes: Vec<Change>) -> (Draft, Vec<Conflict>) {
    let mut merged = stored.clone();
    let mut conflicts = Vec::new();
    for change in changes {
        let now = stored.get(&change.field);
        if now == change.after {
            continue;
        }
        if now == change.before {
            merged.set(change.field, change.after);
        } else {
            conflicts.push(Conflict {
                field: change.field,
                theirs: change.after,
            });
        }
    }
    (merged, conflicts)
}
