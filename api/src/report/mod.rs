//! Reporting: roll-ups, history, dashboards and the council report.

pub mod model;
pub mod period;
