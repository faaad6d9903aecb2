//! Reporting: roll-ups, history, dashboards and the council report.

pub mod budget;
pub mod council;
mod council_indicators;
pub mod live;
pub mod log;
pub mod model;
pub mod period;
pub mod planned;
pub mod risk;
pub mod rollup;
pub mod stored_enum;
pub mod tally;
pub mod tree;
pub mod tree_rows;
pub mod weighting;
