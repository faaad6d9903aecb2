//! Reporting: roll-ups, history, dashboards and the council report.

pub mod budget;
pub mod council;
pub mod live;
pub mod model;
pub mod period;
pub mod risk;
pub mod rollup;
pub mod stored_enum;
pub mod tally;
pub mod tree;
