//! The admin's pages for accounts, the page where a one-time link sets a password, and
//! the page that shows an inspector's calendar feed once.

use serde::Serialize;

use super::Me;
use crate::db::accounts::{Account, Listed};

/// The admin's list of accounts, with the form that adds one.
#[derive(Debug, Clone, Serialize)]
pub struct AccountsPage {
    /// The admin.
    #[serde(flatten)]
    pub me: Me,
    /// Every account, by name.
    pub accounts: Vec<Listed>,
    /// What is wrong with the form just sent.
    pub problems: Vec<String>,
    /// The name typed, given back.
    pub name: String,
    /// The address typed, given back.
    pub email: String,
}

/// A one-time password link, shown once to the admin who made it.
#[derive(Debug, Clone, Serialize)]
pub struct LinkPage {
    /// The admin.
    #[serde(flatten)]
    pub me: Me,
    /// Whose password it sets.
    pub account: Account,
    /// The link, shown once; none when it was e-mailed to the account.
    pub link: Option<String>,
    /// How many hours it is valid.
    pub hours: i64,
}

/// The form where a one-time link sets a password.
#[derive(Debug, Clone, Serialize)]
pub struct PasswordPage {
    /// Whose password it sets.
    pub account: Account,
    /// The link's token, for the form's address.
    pub token: String,
    /// The link's CSRF token.
    pub csrf: String,
    /// What is wrong with the form just sent.
    pub problems: Vec<String>,
}

/// A personal calendar feed's address, shown once to the inspector who made it.
#[derive(Debug, Clone, Serialize)]
pub struct FeedPage {
    /// The inspector.
    #[serde(flatten)]
    pub me: Me,
    /// The address, on the one page that shows it after it was made.
    pub link: Option<String>,
    /// Whether the inspector has a feed.
    pub has_feed: bool,
}
