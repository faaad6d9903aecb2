//! A municipality or programme: every other row belongs to exactly one tenant.

use crate::enums::TenantKind;
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
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
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
