//! What measures, projects and sub-projects share: their report history and what the viewer
//! may do with them. Flattened into each of the three types.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::status_report;

use super::StatusReport;
use crate::{
    graphql::{
        connection::{Conn, slice},
        context::scope,
    },
    policy,
};

/// Which piece of work is tracked.
#[derive(Clone, Copy)]
pub enum Tracked {
    Measure(i32),
    Project(i32),
    SubProject(i32),
}

/// Reports and permissions of one piece of work owned by `owner`.
pub struct Tracking {
    pub work: Tracked,
    pub owner: i32,
}

impl Tracking {
    async fn reports(&self, ctx: &Context<'_>) -> Result<Arc<Vec<status_report::Model>>> {
        let loaders = &scope(ctx)?.loaders;
        let reports = match self.work {
            Tracked::Measure(id) => loaders.reports_by_measure.load_one(id).await?,
            Tracked::Project(id) => loaders.reports_by_project.load_one(id).await?,
            Tracked::SubProject(id) => loaders.reports_by_sub_project.load_one(id).await?,
        };
        Ok(reports.unwrap_or_default())
    }
}

#[Object]
impl Tracking {
    /// Status reports, newest first: the history is the progress curve.
    #[graphql(complexity = "crate::graphql::connection::page_complexity(first, child_complexity)")]
    async fn status_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> Result<Conn<StatusReport>> {
        Ok(slice(
            &self.reports(ctx).await?,
            first,
            after,
            StatusReport,
        )?)
    }
    /// The newest status report; its progress and traffic light are the current ones.
    async fn latest_status_report(&self, ctx: &Context<'_>) -> Result<Option<StatusReport>> {
        Ok(self.reports(ctx).await?.first().cloned().map(StatusReport))
    }
    /// Whether the viewer may report on and edit this item.
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(policy::can_edit(&scope(ctx)?.viewer, self.owner))
    }
    /// Whether the viewer may read the financials of this item.
    async fn viewer_can_see_financials(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(policy::can_see_financials(&scope(ctx)?.viewer, self.owner))
    }
}
