//! A sub-project of a project, led by an org unit.

use crate::enums::{Rag, Status, Visibility};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sub_project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub project_id: i32,
    pub org_unit_id: i32,
    pub code: Option<String>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub status: Status,
    pub rag: Rag,
    pub progress: i32,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
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
