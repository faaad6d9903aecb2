//! The budget of a project for one year and one source of money.

use crate::enums::FundingSource;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "budget_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub project_id: i32,
    pub year: i32,
    pub source: FundingSource,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub planned: Decimal,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub approved: Decimal,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub spent: Decimal,
    #[sea_orm(column_type = "Text")]
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
