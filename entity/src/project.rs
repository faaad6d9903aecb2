//! A project implementing a measure or standing in a project area, with the full project profile.

use crate::enums::{Rag, Status, Visibility};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub measure_id: Option<i32>,
    pub org_unit_id: i32,
    pub application_id: Option<i32>,
    pub code: Option<String>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub summary: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub status: Status,
    pub rag: Rag,
    pub progress: i32,
    pub visibility: Visibility,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub unique_selling_point: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub benefit_for_all: Option<String>,
    pub transferable: bool,
    #[sea_orm(column_type = "Text")]
    pub transferable_results: Option<String>,
    pub transferable_from: Option<Date>,
    pub funding_recipient: Option<String>,
    pub model_region: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub pilot_areas: Option<String>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub application_approved_on: Option<Date>,
    pub implementation_commissioned_on: Option<Date>,
    pub go_live_on: Option<Date>,
    pub closed_on: Option<Date>,
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
