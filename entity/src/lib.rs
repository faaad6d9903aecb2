//! SeaORM models of digidash: one module per table, no web, auth or GraphQL concerns.

pub mod application;
pub mod audit_entry;
pub mod budget_line;
pub mod calendar_feed;
pub mod category;
pub mod council_report;
pub mod decode;
pub mod enums;
pub mod funding;
pub mod goal;
pub mod idempotency_key;
pub mod indicator;
pub mod indicator_value;
pub mod keyed;
pub mod measure;
pub mod measure_goal;
pub mod milestone;
pub mod org_unit;
pub mod project;
pub mod project_category;
pub mod project_link;
pub mod status_report;
pub mod steering_meeting;
pub mod strategy;
pub mod sub_project;
pub mod tenant;
