//! SeaORM models of digidash: one module per table, no web, auth or GraphQL concerns.

pub mod enums;
pub mod tenant;
pub mod org_unit;
pub mod category;
pub mod strategy;
pub mod goal;
pub mod indicator;
pub mod indicator_value;
pub mod measure;
pub mod measure_goal;
pub mod steering_meeting;
pub mod application;
pub mod project;
pub mod project_category;
pub mod project_link;
pub mod funding;
pub mod budget_line;
pub mod sub_project;
pub mod milestone;
pub mod status_report;
pub mod audit_entry;
