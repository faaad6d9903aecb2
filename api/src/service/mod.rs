//! Database logic behind the resolvers: every read starts from a scoped select.

pub mod application;
pub mod audit;
pub mod measure;
pub mod milestone;
pub mod org_tree;
pub mod project;
pub mod status_report;
pub mod validate;
pub mod viewer;
pub mod write;
