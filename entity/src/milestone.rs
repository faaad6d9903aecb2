//! A milestone of a project or of one of its sub-projects.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "milestone")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub project_id: i32,
    pub sub_project_id: Option<i32>,
    pub code: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub due_date: Date,
    pub achieved_on: Option<Date>,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
