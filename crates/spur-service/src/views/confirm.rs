//! The page before an irreversible step (SPEC §8.13): what will happen, and a button
//! that does it; no script. The step's form is sent again with `confirmed=yes`.

use serde::Serialize;

use super::Me;

/// A field of the step's form, sent again from the confirmation page.
#[derive(Debug, Clone, Serialize)]
pub struct Hidden {
    /// Its name.
    pub name: &'static str,
    /// Its value.
    pub value: String,
}

/// A confirmation page.
#[derive(Debug, Clone, Serialize)]
pub struct ConfirmPage {
    /// Who is logged in, for an inspector's step; none for the unit's.
    #[serde(flatten)]
    pub me: Option<Me>,
    /// The unit's name.
    pub unit: String,
    /// The question, as the page's heading.
    pub heading: &'static str,
    /// What will happen, paragraph by paragraph.
    pub what: Vec<String>,
    /// Where the step's form goes.
    pub action: String,
    /// The form's CSRF token.
    pub form_csrf: String,
    /// The step's own fields, sent again as they came.
    pub hidden: Vec<Hidden>,
    /// The button that takes the step.
    pub button: &'static str,
    /// Where "Nej, tillbaka" goes.
    pub back: String,
}
