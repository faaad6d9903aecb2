//! A measure derived from one or more goals.

use crate::enums::{MeasureKind, Priority, Rag, Status, Visibility};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "measure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub org_unit_id: i32,
    pub number: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub kind: MeasureKind,
    pub priority: Priority,
    pub start_date: Option<Date>,
    pub due_date: Option<Date>,
    pub completed_on: Option<Date>,
    pub status: Status,
    pub rag: Rag,
    pub progress: i32,
    #[sea_orm(column_type = "Decimal(Some((16, 4)))")]
    pub planned_effort_days: Option<Decimal>,
    #[sea_orm(column_type = "Decimal(Some((16, 4)))")]
    pub actual_effort_days: Option<Decimal>,
    pub target_group: Option<String>,
    pub channel: Option<String>,
    pub organiser: Option<String>,
    pub visibility: Visibility,
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
