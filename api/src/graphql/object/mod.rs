//! Output types, built from entity models so that no column is exposed by accident.

pub mod application;
pub mod audit_entry;
pub mod category;
pub mod dashboard;
pub mod goal;
pub mod measure;
pub mod milestone;
pub mod node;
pub mod org_unit;
pub mod progress;
pub mod project;
pub mod reuse;
pub mod status_report;
pub mod strategy;
pub mod sub_project;
pub mod tenant;
pub mod tracking;

pub use application::{Application, SteeringMeeting};
pub use audit_entry::AuditEntry;
pub use category::Category;
pub use goal::{Goal, Indicator, IndicatorValue};
pub use measure::Measure;
pub use milestone::Milestone;
pub use node::Node;
pub use org_unit::OrgUnit;
pub use project::{Budget, BudgetLine, Contact, Funding, Project, ProjectLink};
pub use status_report::{StatusReport, StatusSubject};
pub use strategy::Strategy;
pub use sub_project::SubProject;
pub use tenant::{Me, Tenant};

use crate::error::ApiError;

/// A parent that the policy guarantees to be visible whenever its child is.
pub(crate) fn required<T>(row: Option<T>, what: &'static str) -> Result<T, ApiError> {
    row.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("{what} of a visible row is missing")))
}
