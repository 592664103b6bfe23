//! The forms the pages post, each read into a type of its own by [`Form`] or
//! [`CsrfForm`]. A field a form lacks is empty, as a browser sends an empty input; a
//! button's or checkbox's name is there only when it was pressed or ticked. Forms whose
//! field names are data (a questionnaire page, the plan's items, the review's
//! decisions) are read as [`Fields`].
//!
//! [`Form`]: crate::extract::Form
//! [`CsrfForm`]: crate::extract::CsrfForm
//! [`Fields`]: crate::extract::Fields

use serde::Deserialize;

/// The login form; its CSRF token is checked against the login cookie's.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Login {
    /// The form's CSRF token.
    pub csrf: String,
    /// The address typed.
    pub email: String,
    /// The password typed.
    pub password: String,
}

/// A new password, typed twice; its CSRF token is the link's.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewPassword {
    /// The form's CSRF token.
    pub csrf: String,
    /// The password.
    pub password: String,
    /// The password again.
    pub password2: String,
}

/// The first admin's account, on the setup page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Setup {
    /// The form's CSRF token.
    pub csrf: String,
    /// The admin's name.
    pub name: String,
    /// The admin's address.
    pub email: String,
    /// The password.
    pub password: String,
    /// The password again.
    pub password2: String,
}

/// One address: where "Glömt lösenordet?" sends its link, or a co-inspector's.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Email {
    /// The form's CSRF token, where the form is checked by hand (the forgotten
    /// password's cookie).
    pub csrf: String,
    /// The address typed.
    pub email: String,
}

/// A new inspector's account, added by an admin.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewAccount {
    /// The inspector's name.
    pub name: String,
    /// The inspector's address, the login name.
    pub email: String,
    /// Ticked: the account is an admin.
    pub admin: Option<String>,
}

/// An account made active (`1`) or inactive.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Active {
    /// `1` to activate.
    pub active: String,
}

/// "Skicka till faktagranskning", with the days the unit has.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FactCheckSend {
    /// The days, as typed.
    pub days: String,
}

/// A reason: for "Öppna igen" and for giving the plan back.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Reason {
    /// The reason as typed.
    pub reason: String,
}

/// The inspectors' answer to one of the fact-check's comments.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CommentAnswer {
    /// The comment's id.
    pub comment: String,
    /// `fixed` or `unchanged`.
    pub answer: String,
    /// Why nothing was changed, for "Ingen ändring".
    pub reason: String,
}

/// The unit's comment in its fact-check, or its submission.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitComment {
    /// Pressed: the fact-check is submitted.
    pub submit: Option<String>,
    /// `yes` when sent from the page that asks to confirm the submission.
    pub confirmed: Option<String>,
    /// Where in the report the comment belongs.
    pub place: String,
    /// The comment as typed.
    pub text: String,
}

/// The inspectors' answer on one action of the follow-up.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FollowUpAnswer {
    /// The action's indicator.
    pub indicator: String,
    /// Pressed: the inspectors ask for more, for `reason`.
    pub more: Option<String>,
    /// What more they want to know.
    pub reason: String,
}

/// The unit's report on one action.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProgressReport {
    /// The action whose button was pressed.
    pub indicator: String,
    /// Every action's fields on the page, `status-{indicator}` and `text-{indicator}`:
    /// one form, so that what is typed for one action is not dropped when another's
    /// report is sent.
    #[serde(flatten)]
    pub typed: std::collections::BTreeMap<String, String>,
}

impl ProgressReport {
    /// The status key and text typed for `indicator`.
    pub fn of(&self, indicator: &str) -> (&str, &str) {
        let field = |name: &str| {
            self.typed
                .get(&format!("{name}-{indicator}"))
                .map_or("", String::as_str)
        };
        (field("status"), field("text"))
    }
}

/// One of the unit's contacts.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Contact {
    /// The contact's name.
    pub name: String,
    /// The contact's role, e.g. studierektor.
    pub role: String,
    /// The contact's address.
    pub email: String,
}
