//! Sub-projects.

use async_graphql::{Context, ID, Object, Result, ScalarType, Value};
use chrono::{DateTime, Utc};
use entity::sub_project;

use super::{
    Milestone, OrgUnit, Project,
    measure::is_overdue,
    plain::{Columns, optional, text, tracking_columns},
    required,
    tracking::{Tracked, Tracking},
};
use crate::graphql::{
    connection::{Conn, slice},
    context::scope,
    enums::{Rag, Status, Visibility},
    id,
    scalar::Date,
};

/// A sub-project of a project, led by its own unit (e.g. "Digitaler Posteingang").
pub struct SubProject(pub sub_project::Model);

/// The columns of the type below, for pages that select nothing else (see `plain.rs`).
impl Columns for SubProject {
    fn column(&self, name: &str) -> Option<Value> {
        let m = &self.0;
        Some(match name {
            "id" => Value::String(id::encode("SubProject", m.id).0),
            "code" => optional(m.code.as_deref(), text),
            "title" => text(&m.title),
            "description" => optional(m.description.as_deref(), text),
            "status" => Status::from(m.status).value(),
            "rag" => Rag::from(m.rag).value(),
            "progress" => Value::from(m.progress),
            "startDate" => optional(m.start_date, |d| Date(d).to_value()),
            "endDate" => optional(m.end_date, |d| Date(d).to_value()),
            "isOverdue" => Value::Boolean(is_overdue(m.end_date, m.status)),
            _ => return tracking_columns!(name, m),
        })
    }
}

#[Object]
impl SubProject {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("SubProject", self.0.id)
    }
    /// Short code.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the sub-project does.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Life-cycle state.
    async fn status(&self) -> Status {
        self.0.status.into()
    }
    /// Traffic light, as of the latest status report.
    async fn rag(&self) -> Rag {
        self.0.rag.into()
    }
    /// Progress in percent (0-100), as of the latest status report.
    async fn progress(&self) -> i32 {
        self.0.progress
    }
    /// Planned start.
    async fn start_date(&self) -> Option<Date> {
        self.0.start_date.map(Date)
    }
    /// Planned end.
    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }
    /// Whether the planned end has passed while the sub-project is still open.
    async fn is_overdue(&self) -> bool {
        is_overdue(self.0.end_date, self.0.status)
    }
    /// Who may read this sub-project.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }
    /// When the row was archived (visible to central IT only); null while it is live.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the row was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the row was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The project this sub-project belongs to.
    async fn project(&self, ctx: &Context<'_>) -> Result<Project> {
        let project = scope(ctx)?
            .loaders
            .project
            .load_one(self.0.project_id)
            .await?;
        Ok(Project(required(project, "project")?))
    }
    /// The lead unit.
    async fn org_unit(&self, ctx: &Context<'_>) -> Result<OrgUnit> {
        let unit = scope(ctx)?
            .loaders
            .org_unit
            .load_one(self.0.org_unit_id)
            .await?;
        Ok(OrgUnit(required(unit, "org unit")?))
    }
    /// Milestones of the sub-project, by due date.
    #[graphql(complexity = "crate::graphql::connection::page_complexity(first, child_complexity)")]
    async fn milestones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Milestone>> {
        let rows = scope(ctx)?
            .loaders
            .milestones_by_sub_project
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(slice(rows, first, after, Milestone)?)
    }
    /// Status reports, the newest report and what the viewer may do.
    #[graphql(flatten)]
    async fn tracking(&self) -> Tracking {
        Tracking {
            work: Tracked::SubProject(self.0.id),
            owner: self.0.org_unit_id,
            rag: self.0.rag,
        }
    }
}
