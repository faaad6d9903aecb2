//! One version of the digital strategy; a new version supersedes the adopted one.

use crate::enums::{StrategyStatus, Visibility};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "strategy")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub org_unit_id: i32,
    pub predecessor_id: Option<i32>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub period_start: Date,
    pub period_end: Date,
    pub status: StrategyStatus,
    pub adopted_on: Option<Date>,
    pub revision: i32,
    pub visibility: Visibility,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
