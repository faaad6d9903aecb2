//! A risk of the register of a project or of a measure (exactly one of the two).

use crate::enums::RiskStatus;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "risk")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub project_id: Option<i32>,
    pub measure_id: Option<i32>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    /// How likely it is to happen, 1 (rare) to 5 (almost certain).
    pub probability: i32,
    /// How hard it would hit, 1 (slight) to 5 (severe).
    pub impact: i32,
    /// The person who watches the risk (a name, not an account).
    pub owner_name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub mitigation: Option<String>,
    pub status: RiskStatus,
    /// When the risk is to be looked at again.
    pub review_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
