//! The request handlers, one file per resource. Each extracts what it needs (checked by
//! the extractors), calls one action, and answers with a page or an [`AppError`].
//!
//! [`AppError`]: super::error::AppError

pub mod accessibility;
pub mod accounts;
pub mod calendars;
pub mod fact_check;
pub mod follow_up;
pub mod forgot;
pub mod help;
pub mod inspections;
pub mod links;
pub mod questionnaire;
pub mod reports;
pub mod respond;
pub mod reviews;
pub mod session;
pub mod unit;

impl crate::extract::Inspector {
    /// Who is logged in, as every inspector's page shows it.
    pub fn me(&self) -> crate::views::Me {
        crate::views::Me {
            me: self.account.clone(),
            csrf: self.csrf.clone(),
        }
    }
}
