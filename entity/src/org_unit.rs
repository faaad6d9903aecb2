//! A unit of the organisation tree (city, department "Fachbereich", division, project area, partner).

use crate::enums::OrgUnitKind;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "org_unit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub parent_id: Option<i32>,
    pub code: String,
    pub name: String,
    pub kind: OrgUnitKind,
    pub position: i32,
    /// Name of the person leading the unit.
    pub lead_name: Option<String>,
    /// E-mail address of the person leading the unit.
    pub lead_email: Option<String>,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
