//! A project application (idea) submitted by a unit for the steering committee.

use crate::enums::ApplicationStatus;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub org_unit_id: i32,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub expected_benefit: Option<String>,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub estimated_cost: Option<Decimal>,
    pub status: ApplicationStatus,
    pub submitted_by: String,
    pub submitted_by_name: Option<String>,
    pub submitted_on: Date,
    pub meeting_id: Option<i32>,
    pub decided_on: Option<Date>,
    pub decision_number: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub decision_note: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub conditions: Option<String>,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub budget_released: Option<Decimal>,
    /// The other tenant's project this one was taken over from (`adoptFromCatalogue`).
    #[serde(default)]
    pub adopted_from_tenant_id: Option<i32>,
    #[serde(default)]
    pub adopted_from_project_id: Option<i32>,
    /// What the catalogue showed at the time: the origin's tenant key and name, and title.
    #[serde(default)]
    pub adopted_from_tenant_key: Option<String>,
    #[serde(default)]
    pub adopted_from_tenant_name: Option<String>,
    #[serde(default)]
    pub adopted_from_title: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
