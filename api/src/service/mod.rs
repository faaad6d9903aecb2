//! Database logic behind the resolvers: every read starts from a scoped select.

pub mod application;
pub mod archive;
pub mod audit;
pub mod catalogue;
pub mod clock;
pub mod measure;
pub mod milestone;
pub mod money;
pub mod org_tree;
pub mod org_unit;
pub mod project;
pub mod project_part;
pub mod status_report;
pub mod strategy;
pub mod validate;
pub mod viewer;
pub mod write;
