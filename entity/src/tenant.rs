//! A municipality or programme: every other row belongs to exactly one tenant.

use crate::enums::TenantKind;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "tenant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub key: String,
    pub name: String,
    pub kind: TenantKind,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    /// Whether the council may read the live council report, not only published ones.
    pub council_live_report: bool,
    /// Incremented by every committed write of the tenant (the response cache's key).
    pub data_version: i64,
    /// Days without a report after which running work needs one; the installation's
    /// default when empty.
    pub reporting_cycle_days: Option<i32>,
    /// The month (1-12) the fiscal year starts; January when empty.
    pub fiscal_year_start_month: Option<i32>,
    /// Language of exports without `lang` (`de` or `en`); German when empty.
    pub export_language: Option<String>,
    /// Whether anonymous readers may read the tenant's public rows (when the installation
    /// allows public access at all).
    pub public_reads: bool,
    /// Title line of the council report; the standard title when empty.
    #[sea_orm(column_type = "Text")]
    pub council_report_title: Option<String>,
    /// Issuer line of the council report (e.g. the office that issues it).
    #[sea_orm(column_type = "Text")]
    pub council_report_issuer: Option<String>,
    /// Hash of the tenant's last audit entry: the head of its chain.
    pub audit_head: Option<String>,
    /// Whether departments' status reports wait for central IT's approval before they count.
    #[serde(default)]
    pub report_review: bool,
    /// The central steering unit's e-mail address: whom the tenant-wide reminders go to.
    pub steering_email: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// How parents weigh their children in roll-ups (`weight`, `budget`); equal weights
    /// when empty.
    #[serde(default)]
    pub rollup_weighting: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
