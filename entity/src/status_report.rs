//! An append-only status report on a measure, project or sub-project.

use crate::enums::{Rag, ReviewState};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "status_report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub measure_id: Option<i32>,
    pub project_id: Option<i32>,
    pub sub_project_id: Option<i32>,
    pub reported_on: Date,
    pub progress: i32,
    pub rag: Rag,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    #[sea_orm(column_type = "Text")]
    pub risks: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub internal_notes: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub next_steps: Option<String>,
    pub author_sub: String,
    pub author_name: Option<String>,
    pub created_at: DateTimeUtc,
    /// Central IT's review: a submitted or returned report does not count yet. (Tenant files
    /// written before reviews existed hold approved reports.)
    #[serde(default = "ReviewState::approved")]
    pub review_state: ReviewState,
    /// Why central IT returned the report (or a note on its approval).
    #[sea_orm(column_type = "Text")]
    pub review_comment: Option<String>,
    /// Who reviewed it (token subject) and when.
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    /// Moves on with each review, which compares it.
    #[serde(default = "first_version")]
    pub version: i32,
    /// The light of each dimension and its comment (both empty for reports written before
    /// dimensions existed, and for a dimension not reported on).
    #[serde(default)]
    pub schedule_rag: Option<Rag>,
    #[sea_orm(column_type = "Text")]
    #[serde(default)]
    pub schedule_comment: Option<String>,
    #[serde(default)]
    pub budget_rag: Option<Rag>,
    #[sea_orm(column_type = "Text")]
    #[serde(default)]
    pub budget_comment: Option<String>,
    #[serde(default)]
    pub scope_rag: Option<Rag>,
    #[sea_orm(column_type = "Text")]
    #[serde(default)]
    pub scope_comment: Option<String>,
    #[serde(default)]
    pub resources_rag: Option<Rag>,
    #[sea_orm(column_type = "Text")]
    #[serde(default)]
    pub resources_comment: Option<String>,
    /// Whether this is the latest approved report of its subject (by reporting date, then
    /// id): derived from the others and kept by the service on every write; a tenant file is
    /// flagged anew when it is imported.
    #[serde(default)]
    pub latest: bool,
}

impl ActiveModelBehavior for ActiveModel {}

fn first_version() -> i32 {
    1
}
