//! `projects`, `subProjects` and `milestones`.

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::{milestone, project, sub_project};
use sea_orm::QueryFilter;

use crate::graphql::{
    connection::{Conn, Paging, fetch},
    context::scope,
    input::{
        milestone::{MilestoneFilter, MilestoneOrder},
        project::{ProjectFilter, ProjectOrder, SubProjectFilter, SubProjectOrder},
    },
    object::{Milestone, Project, SubProject, plain::Plain},
};

use service::policy::FindVisible;

#[derive(Default)]
pub struct ProjectQuery;

#[Object]
impl ProjectQuery {
    /// Projects of the tenant that the viewer may see (default order: by title).
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which projects to list.")] filter: Option<ProjectFilter>,
        #[graphql(desc = "Sort order.")] order_by: Option<ProjectOrder>,
    ) -> Result<Conn<Plain<Project>>> {
        let s = scope(ctx)?;
        let condition = filter.unwrap_or_default().condition(s).await?;
        let filtered = project::Entity::find_visible_to(&s.viewer).filter(condition);
        let sort = order_by.unwrap_or_default().sort();
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            |m| Plain(Project(m)),
        )
        .await?)
    }

    /// Sub-projects the viewer may see (default order: by title).
    async fn sub_projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which sub-projects to list.")] filter: Option<SubProjectFilter>,
        #[graphql(desc = "Sort order.")] order_by: Option<SubProjectOrder>,
    ) -> Result<Conn<Plain<SubProject>>> {
        let s = scope(ctx)?;
        let condition = filter.unwrap_or_default().condition(s).await?;
        let filtered = sub_project::Entity::find_visible_to(&s.viewer).filter(condition);
        let sort = order_by.unwrap_or_default().sort();
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            |m| Plain(SubProject(m)),
        )
        .await?)
    }

    /// Milestones the viewer may see (default order: by due date).
    async fn milestones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Which milestones to list.")] filter: Option<MilestoneFilter>,
        #[graphql(desc = "Sort order.")] order_by: Option<MilestoneOrder>,
    ) -> Result<Conn<Milestone>> {
        let s = scope(ctx)?;
        let filtered = milestone::Entity::find_visible_to(&s.viewer)
            .filter(filter.unwrap_or_default().condition()?);
        let sort = order_by.unwrap_or_default().sort();
        Ok(fetch(
            ctx,
            &s.db,
            filtered,
            sort,
            Paging::new(first, after, last, before),
            Milestone,
        )
        .await?)
    }
}
