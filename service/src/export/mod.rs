//! Exports as files (CSV, XLSX, PDF) and the spreadsheet import of measures.
//!
//! Renderers are pure functions of rows or a [`crate::report::model::CouncilReport`] and a
//! [`labels::Lang`]; the HTTP routes (`crate::http`) read what the caller may see through the
//! policy and answer.

pub mod council;
pub mod csv;
pub mod import;
pub mod labels;
pub mod lists;
pub mod pdf;
pub mod portfolio;
pub mod table;
pub mod xlsx;
