//! A strategic goal of one strategy version; goals form a tree.

use crate::enums::{Status, Visibility};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "goal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub strategy_id: i32,
    pub parent_id: Option<i32>,
    pub org_unit_id: i32,
    pub code: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub status: Status,
    pub visibility: Visibility,
    pub position: i32,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// Weight in the parent's roll-up when the tenant weighs by weight (0 counts for
    /// nothing); 1 in tenant files written before weights existed.
    #[sea_orm(column_type = "Decimal(Some((8, 2)))")]
    #[serde(default = "crate::weight::one")]
    pub weight: Decimal,
}

impl ActiveModelBehavior for ActiveModel {}
