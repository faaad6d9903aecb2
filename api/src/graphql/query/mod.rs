//! The query root, merged from one part per domain.

mod application;
mod audit;
mod catalogue;
pub(crate) mod dashboard;
mod lookup;
mod me;
mod measure;
pub(crate) mod node;
mod org_unit;
mod project;
mod report;
mod status_report;
mod strategy;
mod tenant;
mod webhook;

use async_graphql::MergedObject;

/// Everything a client can read.
#[derive(MergedObject, Default)]
pub struct Query(
    me::MeQuery,
    node::NodeQuery,
    lookup::LookupQuery,
    org_unit::OrgUnitQuery,
    strategy::StrategyQuery,
    measure::MeasureQuery,
    project::ProjectQuery,
    status_report::StatusReportQuery,
    application::ApplicationQuery,
    audit::AuditQuery,
    catalogue::CatalogueQuery,
    report::ReportQuery,
    dashboard::DashboardQuery,
    tenant::TenantQuery,
    webhook::WebhookQuery,
);
