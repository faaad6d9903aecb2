//! Who changed what and when.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub at: DateTimeUtc,
    pub actor: String,
    pub actor_name: Option<String>,
    pub role: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: i32,
    pub org_unit_id: Option<i32>,
    pub changes: Json,
}

impl ActiveModelBehavior for ActiveModel {}
