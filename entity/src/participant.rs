//! An org unit taking part in a project or sub-project beside the unit that owns it.

use crate::enums::ParticipantRole;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "participant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub project_id: Option<i32>,
    pub sub_project_id: Option<i32>,
    pub org_unit_id: i32,
    pub role: ParticipantRole,
    pub financials_granted: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
