//! spur: grades ST-SPUR inspections and renders LIPUS's inspection report.
//!
//! The core (catalog, questionnaire, grading, plan, report) is pure functions over plain
//! data; `render` turns the report model into a PDF; the `spur` binary does the I/O.

// A diagnostic travels once, on the way out to the user: boxing it would buy nothing.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

pub mod calendar;
pub mod catalog;
pub mod diagnostic;
pub mod draft;
pub mod fact_check;
pub mod followups;
pub mod fonts;
pub mod gather;
pub mod grades;
pub mod grading;
pub mod inspection;
pub mod load;
pub mod notice;
pub mod output;
pub mod plan;
pub mod plan_form;
pub mod questionnaire;
pub mod render;
pub mod report;
pub mod review;
pub mod schema;
pub mod service;
pub mod skeleton;
pub mod stats;
pub mod typed;
pub mod workflow;
pub mod yaml;
