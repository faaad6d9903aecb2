//! What measures, projects and sub-projects share: their report history and what the viewer
//! may do with them. Flattened into each of the three types.

use crate::graphql::input::status_report::StatusReportOrder;
use std::sync::Arc;

use async_graphql::{Context, Object};

use crate::error::Result;
use entity::{enums as db, status_report};

use super::{StatusReport, progress::Progress};
use crate::graphql::{
    connection::{Conn, Paging, slice},
    context::scope,
    enums::{Rag, ReviewState},
    scalar::Date,
};
use service::{policy, report::rollup::Kind, viewer::Work};

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
    /// The reported traffic light.
    pub rag: entity::enums::Rag,
}

impl Tracked {
    fn kind(self) -> (Kind, i32) {
        match self {
            Self::Measure(id) => (Kind::Measure, id),
            Self::Project(id) => (Kind::Project, id),
            Self::SubProject(id) => (Kind::SubProject, id),
        }
    }
}

impl Tracking {
    /// What holds the work, for the field rules (participants of projects and sub-projects).
    fn held(&self) -> policy::Held {
        policy::Held {
            owner: self.owner,
            work: match self.work {
                Tracked::Measure(_) => None,
                Tracked::Project(id) => Some(Work::Project(id)),
                Tracked::SubProject(id) => Some(Work::SubProject(id)),
            },
        }
    }

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

/// Whether a report counts: approved.
fn counts(report: &status_report::Model) -> bool {
    report.review_state == db::ReviewState::Approved
}

#[Object]
impl Tracking {
    /// Status reports, newest first: the history is the progress curve.
    // The field's arguments: the four of paging, an order and the review states.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn status_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: newest first).")] order_by: Option<
            StatusReportOrder,
        >,
        #[graphql(
            desc = "Which reports (default: APPROVED, the ones that count); SUBMITTED and RETURNED ones only for central IT and the owning department."
        )]
        review_states: Option<Vec<ReviewState>>,
    ) -> Result<Conn<StatusReport>> {
        let states: Vec<db::ReviewState> = review_states.map_or_else(
            || vec![db::ReviewState::Approved],
            |states| states.into_iter().map(Into::into).collect(),
        );
        let reports = self.reports(ctx).await?;
        // The policy's scope has left out what the viewer may not see in review.
        let reports = if states == [db::ReviewState::Approved] && reports.iter().all(counts) {
            reports
        } else {
            Arc::new(
                reports
                    .iter()
                    .filter(|report| states.contains(&report.review_state))
                    .cloned()
                    .collect(),
            )
        };
        Ok(slice(
            reports,
            order_by.map(|order| order.sort()),
            Paging::new(first, after, last, before),
            StatusReport,
        )?)
    }
    /// The newest approved status report; its progress and traffic light are the current
    /// ones.
    pub(crate) async fn latest_status_report(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<StatusReport>> {
        Ok(self
            .reports(ctx)
            .await?
            .iter()
            .find(|report| counts(report))
            .cloned()
            .map(StatusReport))
    }
    /// The report waiting for central IT's review (`reportReview`); null for everyone but
    /// central IT and the owning department.
    pub(crate) async fn pending_status_report(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<StatusReport>> {
        Ok(self
            .reports(ctx)
            .await?
            .iter()
            .find(|report| report.review_state == db::ReviewState::Submitted)
            .cloned()
            .map(StatusReport))
    }
    /// Warnings derived from the data: overdue milestones, more spent than approved (only
    /// where the viewer may see the money), no status report within the reporting cycle
    /// (`REPORTING_CYCLE_DAYS`) while running.
    pub(crate) async fn warnings(&self, ctx: &Context<'_>) -> Result<Vec<super::warning::Warning>> {
        let (kind, id) = self.work.kind();
        let reporting = &scope(ctx)?.reporting;
        let (live, signals) = (reporting.live().await?, reporting.signals().await?);
        Ok(live
            .warnings(&signals, kind, id)
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// The reported traffic light raised by the warnings: overdue milestones or reports make
    /// it at least AMBER, overspending RED.
    pub(crate) async fn derived_rag(&self, ctx: &Context<'_>) -> Result<Rag> {
        let (kind, id) = self.work.kind();
        let reporting = &scope(ctx)?.reporting;
        let (live, signals) = (reporting.live().await?, reporting.signals().await?);
        Ok(live.derived_rag(&signals, kind, id, self.rag).into())
    }
    /// Day of the newest status report on this item or on any work below it.
    pub(crate) async fn last_reported_on(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        let (kind, id) = self.work.kind();
        let live = scope(ctx)?.reporting.live().await?;
        Ok(live.last_report(kind, id).map(Date))
    }
    /// Rolled-up progress and its history.
    #[graphql(flatten)]
    pub(crate) async fn progress_rollup(&self) -> Progress {
        let (kind, id) = self.work.kind();
        Progress { kind, id }
    }
    /// Whether the viewer may report on and edit this item.
    pub(crate) async fn viewer_can_edit(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(policy::can_edit(&scope(ctx)?.viewer, self.held()))
    }
    /// Whether the viewer may read the financials of this item.
    pub(crate) async fn viewer_can_see_financials(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(policy::can_see_financials(&scope(ctx)?.viewer, self.held()))
    }
}
