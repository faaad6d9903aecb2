//! The migrations of digidash: one file per change, the same for SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_tenant;
mod m20261123_000002_create_org_unit;
mod m20261123_000003_create_category;
mod m20261123_000004_create_strategy;
mod m20261123_000005_create_goal;
mod m20261123_000006_create_indicator;
mod m20261123_000007_create_indicator_value;
mod m20261123_000008_create_measure;
mod m20261123_000009_create_measure_goal;
mod m20261123_000010_create_steering_meeting;
mod m20261123_000011_create_application;
mod m20261123_000012_create_project;
mod m20261123_000013_create_project_category;
mod m20261123_000014_create_project_link;
mod m20261123_000015_create_funding;
mod m20261123_000016_create_budget_line;
mod m20261123_000017_create_sub_project;
mod m20261123_000018_create_milestone;
mod m20261123_000019_create_status_report;
mod m20261123_000020_create_audit_entry;
mod m20261123_000021_create_council_report;
mod m20261123_000022_add_tenant_council_live_report;
mod m20261123_000023_add_tenant_data_version;
mod m20261203_000024_add_org_unit_lead;
mod m20261203_000025_add_tenant_settings;
mod m20261203_000026_create_idempotency_key;
mod m20261203_000027_add_audit_chain;
mod m20261203_000028_add_report_review;
mod m20261203_000029_create_calendar_feed;
mod m20261203_000030_create_digest_log;
mod m20261203_000031_create_webhook;
mod m20261203_000032_notify_data_changed;
mod m20261203_000033_indicator_targets;
mod m20261203_000034_add_weights;
mod m20261203_000035_create_risk;
mod m20261203_000036_create_participant;
mod m20261204_000037_status_report_latest;
mod m20261204_000038_milestone_open_index;

/// Runs every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_tenant::Migration),
            Box::new(m20261123_000002_create_org_unit::Migration),
            Box::new(m20261123_000003_create_category::Migration),
            Box::new(m20261123_000004_create_strategy::Migration),
            Box::new(m20261123_000005_create_goal::Migration),
            Box::new(m20261123_000006_create_indicator::Migration),
            Box::new(m20261123_000007_create_indicator_value::Migration),
            Box::new(m20261123_000008_create_measure::Migration),
            Box::new(m20261123_000009_create_measure_goal::Migration),
            Box::new(m20261123_000010_create_steering_meeting::Migration),
            Box::new(m20261123_000011_create_application::Migration),
            Box::new(m20261123_000012_create_project::Migration),
            Box::new(m20261123_000013_create_project_category::Migration),
            Box::new(m20261123_000014_create_project_link::Migration),
            Box::new(m20261123_000015_create_funding::Migration),
            Box::new(m20261123_000016_create_budget_line::Migration),
            Box::new(m20261123_000017_create_sub_project::Migration),
            Box::new(m20261123_000018_create_milestone::Migration),
            Box::new(m20261123_000019_create_status_report::Migration),
            Box::new(m20261123_000020_create_audit_entry::Migration),
            Box::new(m20261123_000021_create_council_report::Migration),
            Box::new(m20261123_000022_add_tenant_council_live_report::Migration),
            Box::new(m20261123_000023_add_tenant_data_version::Migration),
            Box::new(m20261203_000024_add_org_unit_lead::Migration),
            Box::new(m20261203_000025_add_tenant_settings::Migration),
            Box::new(m20261203_000026_create_idempotency_key::Migration),
            Box::new(m20261203_000027_add_audit_chain::Migration),
            Box::new(m20261203_000028_add_report_review::Migration),
            Box::new(m20261203_000029_create_calendar_feed::Migration),
            Box::new(m20261203_000030_create_digest_log::Migration),
            Box::new(m20261203_000031_create_webhook::Migration),
            Box::new(m20261203_000032_notify_data_changed::Migration),
            Box::new(m20261203_000033_indicator_targets::Migration),
            Box::new(m20261203_000034_add_weights::Migration),
            Box::new(m20261203_000035_create_risk::Migration),
            Box::new(m20261203_000036_create_participant::Migration),
            Box::new(m20261204_000037_status_report_latest::Migration),
            Box::new(m20261204_000038_milestone_open_index::Migration),
        ]
    }
}

/// The migration that brings the audit chain: after it, the entries written before are
/// sealed (`api::db::migrate`).
pub const AUDIT_CHAIN: &str = "m20261203_000027_add_audit_chain";

/// An index on `table(columns)`; unique when `unique`.
fn index(name: &str, table: &str, columns: &[&str], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table.to_owned());
    for column in columns {
        index.col(ToString::to_string(column));
    }
    if unique {
        index.unique();
    }
    index.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_chain_migration_is_named_as_the_server_looks_for_it() {
        assert!(
            Migrator::migrations()
                .iter()
                .any(|m| m.name() == AUDIT_CHAIN)
        );
    }
}
