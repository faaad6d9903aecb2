//! The mutation root, merged from one part per domain. Every mutation takes one input object
//! and returns a payload; updates carry the `version` they were read at.

mod application;
mod calendar;
mod catalogue;
mod measure;
mod milestone;
mod money;
mod participant;
mod project;
mod report;
mod risk;
mod status_report;
mod strategy;
mod tenant;
mod webhook;

use async_graphql::MergedObject;

/// Everything a client can change.
#[derive(MergedObject, Default)]
pub struct Mutation(
    application::ApplicationMutation,
    calendar::CalendarMutation,
    catalogue::CatalogueMutation,
    measure::MeasureMutation,
    milestone::MilestoneMutation,
    money::MoneyMutation,
    participant::ParticipantMutation,
    project::ProjectMutation,
    report::ReportMutation,
    risk::RiskMutation,
    status_report::StatusReportMutation,
    strategy::StrategyMutation,
    tenant::TenantMutation,
    webhook::WebhookMutation,
);
