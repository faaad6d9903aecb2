//! A council report as central IT published it; never changed afterwards.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "council_report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub period: String,
    pub period_from: Date,
    pub period_to: Date,
    pub as_of: Date,
    /// The report as JSON text, exactly as published.
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub published_at: DateTimeUtc,
    pub published_by: String,
    pub published_by_name: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
