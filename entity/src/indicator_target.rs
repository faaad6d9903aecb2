//! A point of an indicator's target path: the value to reach by a date.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "indicator_target")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub indicator_id: i32,
    pub target_date: Date,
    #[sea_orm(column_type = "Decimal(Some((16, 4)))")]
    pub value: Decimal,
}

impl ActiveModelBehavior for ActiveModel {}
