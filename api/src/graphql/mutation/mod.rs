//! The mutation root, merged from one part per domain. Every mutation takes one input object
//! and returns a payload; updates carry the `version` they were read at.

mod application;
mod measure;
mod milestone;
mod project;
mod status_report;

use async_graphql::MergedObject;

/// Everything a client can change.
#[derive(MergedObject, Default)]
pub struct Mutation(
    application::ApplicationMutation,
    measure::MeasureMutation,
    milestone::MilestoneMutation,
    project::ProjectMutation,
    status_report::StatusReportMutation,
);
