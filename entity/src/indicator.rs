//! A key performance indicator of a goal, a measure or a project (exactly one of them).
//!
//! `target` and `target_date` repeat the final point of the target path
//! ([`crate::indicator_target`]) when it has one, so that readers of the final target need no
//! second table; a target without a date (from before the path) stays there alone.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "indicator")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub goal_id: Option<i32>,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub unit: String,
    #[sea_orm(column_type = "Decimal(Some((16, 4)))")]
    pub baseline: Option<Decimal>,
    pub baseline_date: Option<Date>,
    #[sea_orm(column_type = "Decimal(Some((16, 4)))")]
    pub target: Option<Decimal>,
    pub target_date: Option<Date>,
    pub higher_is_better: bool,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    pub measure_id: Option<i32>,
    pub project_id: Option<i32>,
}

impl ActiveModelBehavior for ActiveModel {}
