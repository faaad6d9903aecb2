//! Links a measure to a goal it is derived from.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "measure_goal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub measure_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub goal_id: i32,
    pub tenant_id: i32,
}

impl ActiveModelBehavior for ActiveModel {}
