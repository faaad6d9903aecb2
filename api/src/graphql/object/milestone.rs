//! Milestones.

use async_graphql::{Context, ID, Object};

use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::milestone;

use super::{Project, SubProject, required};
use crate::graphql::{
    context::scope,
    id,
    scalar::{Date, today},
};

#[derive(Clone)]
pub struct Milestone(pub milestone::Model);

/// A milestone of a project or of one of its sub-projects (e.g. "M_62").
#[Object]
impl Milestone {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("Milestone", self.0.id)
    }
    /// Code, e.g. "M_62".
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What has to be reached.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// When it is due.
    async fn due_date(&self) -> Date {
        self.0.due_date.into()
    }
    /// When it was achieved; null while open.
    async fn achieved_on(&self) -> Option<Date> {
        self.0.achieved_on.map(Date)
    }
    /// Whether it was achieved.
    async fn is_achieved(&self) -> bool {
        self.0.achieved_on.is_some()
    }
    /// Whether it is past due and not achieved.
    async fn is_overdue(&self) -> bool {
        self.0.achieved_on.is_none() && self.0.due_date < today()
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
    /// The project the milestone belongs to.
    async fn project(&self, ctx: &Context<'_>) -> Result<Project> {
        let project = scope(ctx)?
            .loaders
            .project
            .load_one(self.0.project_id)
            .await?;
        Ok(Project(required(project, "project")?))
    }
    /// The sub-project the milestone belongs to, if any.
    async fn sub_project(&self, ctx: &Context<'_>) -> Result<Option<SubProject>> {
        let Some(id) = self.0.sub_project_id else {
            return Ok(None);
        };
        Ok(scope(ctx)?
            .loaders
            .sub_project
            .load_one(id)
            .await?
            .map(SubProject))
    }
}
