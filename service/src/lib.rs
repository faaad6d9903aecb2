//! digidash's domain: who may see and change what ([`policy`]), the write frame every change
//! goes through ([`write`](crate::write), [`audit`]), the services that create and change the portfolio,
//! reporting (roll-ups, dashboards' figures, the council report), the file formats of exports
//! and imports, and the demo and synthetic data.
//!
//! Services take plain commands and patches (`NewMeasure`, `MeasurePatch`) and return models;
//! this crate knows neither GraphQL nor HTTP. The `api` crate turns requests into commands and
//! answers into responses.

pub mod error;
pub mod export;
pub mod policy;
pub mod report;
pub mod seed;
pub mod viewer;

pub mod application;
pub mod archive;
pub mod audit;
pub mod calendar;
pub mod catalogue;
pub mod clock;
pub mod goal;
pub mod idempotency;
pub mod indicator;
pub mod measure;
pub mod milestone;
pub mod money;
pub mod notify;
pub mod org_tree;
pub mod org_unit;
pub mod participant;
pub mod project;
pub mod project_part;
pub mod reuse;
pub mod risk;
pub mod status_report;
pub mod strategy;
pub mod tenant;
pub mod validate;
pub mod webhook;
pub mod write;
