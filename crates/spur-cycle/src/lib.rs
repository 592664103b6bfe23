//! The cycle of an inspection after the questionnaire (SPEC §8.3–§8.7), as pure data
//! and functions: the workflow's stages and actions, the questionnaire as typed in the
//! browser (drafts, their merge and their file), the unit's plan form, the fact-check,
//! the review, the e-mails' notices, the calendars, and the deadlines followed up.
//! No HTTP, no SQL: the service is the shell.

// A diagnostic travels once, on the way out to the user: boxing it would buy nothing.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

pub mod calendar;
pub mod deadlines;
pub mod draft;
pub mod fact_check;
pub mod notice;
pub mod plan_form;
pub mod review;
pub mod workflow;
