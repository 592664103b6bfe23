//! The domain of an ST-SPUR inspection, the lowest layer of spur: the indicator
//! catalog, the questionnaire and the unit's action plan read from YAML, the grading of
//! areas A–H under both regulations, the grade table, the diagnostics every invalid
//! input gets, typed text, and the writing of output files.
//!
//! Pure functions over plain data, but for `load` and `output`, the I/O edges that read
//! a user's files and write a command's outputs.

// A diagnostic travels once, on the way out to the user: boxing it would buy nothing.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

pub mod catalog;
pub mod diagnostic;
pub mod fonts;
pub mod grade_table;
pub mod grading;
pub mod inspection;
pub mod load;
pub mod output;
pub mod plan;
pub mod questionnaire;
pub mod schema;
pub mod skeleton;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
pub mod typed;
pub mod words;
pub mod yaml;
