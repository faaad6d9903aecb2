//! `WorkItem`: what measures, projects and sub-projects share, so that one fragment serves a
//! status component, a report list or a traffic light wherever any of the three appears.
//!
//! async-graphql 7 cannot declare an interface that implements another (`interface WorkItem
//! implements Node`); `WorkItem` carries `id` instead, and every type implementing it
//! implements `Node`.

use async_graphql::{Context, ID, Interface};

use crate::graphql::input::status_report::StatusReportOrder;
use chrono::{DateTime, Utc};

use super::{
    Measure, OrgUnit, Project, StatusReport, SubProject,
    plain::Plain,
    progress::{HistoryInterval, ProgressPoint},
    warning::Warning,
};
use crate::{
    error::Result,
    graphql::{
        connection::Conn,
        context::RequestScope,
        enums::{ProgressSource, Rag, ReviewState, Status, Visibility},
        scalar::Date,
    },
};

/// A piece of work the steering follows: a measure, a project or a sub-project. Each has
/// an owning unit, a life-cycle state, status reports with progress and traffic light, the
/// roll-up of the work below it and the warnings derived from the data.
#[derive(Interface, Clone)]
// Every `field(...)` repeats `ty = ...`: one attribute per field is how async-graphql declares
// an interface, not a duplicate.
#[allow(clippy::duplicated_attributes)]
#[graphql(
    field(name = "id", ty = "ID", desc = "Global id."),
    field(
        name = "code",
        ty = "Option<&str>",
        desc = "Short code: a measure's number (always set), a project's or sub-project's code (may be empty)."
    ),
    field(name = "title", ty = "&str", desc = "Title."),
    field(
        name = "description",
        ty = "Option<&str>",
        desc = "What the work is about."
    ),
    field(name = "status", ty = "Status", desc = "Life-cycle state."),
    field(
        name = "rag",
        ty = "Rag",
        desc = "Traffic light, as of the latest status report."
    ),
    field(
        name = "progress",
        ty = "i32",
        desc = "Progress in percent (0-100), as of the latest status report."
    ),
    field(name = "start_date", ty = "Option<Date>", desc = "Planned start."),
    field(
        name = "due_date",
        ty = "Option<Date>",
        desc = "When the work is due (for a project or sub-project: its planned end)."
    ),
    field(
        name = "is_overdue",
        ty = "bool",
        desc = "Whether the due date has passed while the work is still open."
    ),
    field(
        name = "visibility",
        ty = "Visibility",
        desc = "Who may read this row."
    ),
    field(
        name = "archived_at",
        ty = "Option<DateTime<Utc>>",
        desc = "When the row was archived (visible to central IT only); null while it is live."
    ),
    field(
        name = "version",
        ty = "i32",
        desc = "Version for optimistic concurrency: send it back with an update."
    ),
    field(
        name = "created_at",
        ty = "DateTime<Utc>",
        desc = "When the row was created."
    ),
    field(
        name = "updated_at",
        ty = "DateTime<Utc>",
        desc = "When the row was last changed."
    ),
    field(
        name = "org_unit",
        ty = "Plain<OrgUnit>",
        desc = "The unit responsible for the work."
    ),
    field(
        name = "status_reports",
        ty = "Conn<StatusReport>",
        desc = "Status reports, newest first: the history is the progress curve.",
        arg(name = "first", ty = "Option<i32>", desc = "Page size, at most 100."),
        arg(
            name = "after",
            ty = "Option<String>",
            desc = "Cursor of the last edge of the previous page."
        ),
        arg(
            name = "last",
            ty = "Option<i32>",
            desc = "Page size counted from the end, at most 100; instead of `first`."
        ),
        arg(
            name = "before",
            ty = "Option<String>",
            desc = "Cursor of the first edge of the next page: the page ends before it."
        ),
        arg(
            name = "order_by",
            ty = "Option<StatusReportOrder>",
            desc = "Sort order (default: newest first)."
        ),
        arg(
            name = "review_states",
            ty = "Option<Vec<ReviewState>>",
            desc = "Which reports (default: APPROVED, the ones that count); SUBMITTED and RETURNED ones only for central IT and the owning department."
        )
    ),
    field(
        name = "latest_status_report",
        ty = "Option<StatusReport>",
        desc = "The newest approved status report; its progress and traffic light are the current ones."
    ),
    field(
        name = "pending_status_report",
        ty = "Option<StatusReport>",
        desc = "The report waiting for central IT's review (`reportReview`); null for everyone but central IT and the owning department."
    ),
    field(
        name = "warnings",
        ty = "Vec<Warning>",
        desc = "Warnings derived from the data: overdue milestones, more spent than approved (only where the viewer may see the money), no status report within the reporting cycle while running."
    ),
    field(
        name = "derived_rag",
        ty = "Rag",
        desc = "The reported traffic light raised by the warnings: overdue milestones or reports make it at least AMBER, overspending RED."
    ),
    field(
        name = "last_reported_on",
        ty = "Option<Date>",
        desc = "Day of the newest status report on this item or on any work below it."
    ),
    field(
        name = "rolled_up_progress",
        ty = "Option<i32>",
        desc = "Progress in percent by the roll-up rules (see the type's own field); null when nothing was reported."
    ),
    field(
        name = "progress_source",
        ty = "ProgressSource",
        desc = "Whether `rolledUpProgress` is the row's own report or a roll-up."
    ),
    field(
        name = "progress_history",
        ty = "Vec<ProgressPoint>",
        desc = "The rolled-up progress over time, for charts: one point at the end of every month (or quarter) from `from` to `to`, and one for `to` itself.",
        arg(
            name = "from",
            ty = "Option<Date>",
            desc = "First day (default: two years before `to`)."
        ),
        arg(name = "to", ty = "Option<Date>", desc = "Last day (default: today)."),
        arg(
            name = "every",
            ty = "HistoryInterval",
            default,
            desc = "Distance between points."
        )
    ),
    field(
        name = "viewer_can_edit",
        ty = "bool",
        desc = "Whether the viewer may report on and edit this item."
    ),
    field(
        name = "viewer_can_see_financials",
        ty = "bool",
        desc = "Whether the viewer may read the financials of this item."
    )
)]
pub enum WorkItem {
    Measure(Measure),
    Project(Project),
    SubProject(SubProject),
}

/// The work of `kind` (`Measure`, `Project`, `SubProject`) with row id `id`, if the viewer
/// may see it.
pub(crate) async fn load(s: &RequestScope, kind: &str, id: i32) -> Result<Option<WorkItem>> {
    let loaders = &s.loaders;
    Ok(match kind {
        "Measure" => loaders
            .measure
            .load_one(id)
            .await?
            .map(|m| WorkItem::Measure(Measure(m))),
        "Project" => loaders
            .project
            .load_one(id)
            .await?
            .map(|p| WorkItem::Project(Project(p))),
        "SubProject" => loaders
            .sub_project
            .load_one(id)
            .await?
            .map(|s| WorkItem::SubProject(SubProject(s))),
        _ => None,
    })
}

impl WorkItem {
    /// What holds the work: what the policy asks about (its unit, and the work itself where
    /// participants count).
    pub(crate) fn held(&self) -> service::policy::Held {
        match self {
            Self::Measure(m) => m.0.org_unit_id.into(),
            Self::Project(p) => (&p.0).into(),
            Self::SubProject(s) => (&s.0).into(),
        }
    }
}

/// The fields the three types take from their flattened `Tracking` (and its `Progress`),
/// as methods of the types themselves: the interface calls each field by its name on the
/// variant. A response never goes through them (async-graphql resolves an interface's
/// fields on the concrete type), but the interface's own resolvers must compile.
macro_rules! tracked_fields {
    ($($work:ident),+) => {$(
        impl $work {
            #[allow(clippy::too_many_arguments)]
            async fn status_reports(
                &self,
                ctx: &Context<'_>,
                first: Option<i32>,
                after: Option<String>,
                last: Option<i32>,
                before: Option<String>,
                order_by: Option<StatusReportOrder>,
                review_states: Option<Vec<ReviewState>>,
            ) -> async_graphql::Result<Conn<StatusReport>> {
                Ok(self.tracking(ctx).await.status_reports(ctx, first, after, last, before, order_by, review_states).await?)
            }
            async fn latest_status_report(
                &self,
                ctx: &Context<'_>,
            ) -> async_graphql::Result<Option<StatusReport>> {
                Ok(self.tracking(ctx).await.latest_status_report(ctx).await?)
            }
            async fn pending_status_report(
                &self,
                ctx: &Context<'_>,
            ) -> async_graphql::Result<Option<StatusReport>> {
                Ok(self.tracking(ctx).await.pending_status_report(ctx).await?)
            }
            async fn warnings(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Warning>> {
                Ok(self.tracking(ctx).await.warnings(ctx).await?)
            }
            async fn derived_rag(&self, ctx: &Context<'_>) -> async_graphql::Result<Rag> {
                Ok(self.tracking(ctx).await.derived_rag(ctx).await?)
            }
            async fn last_reported_on(
                &self,
                ctx: &Context<'_>,
            ) -> async_graphql::Result<Option<Date>> {
                Ok(self.tracking(ctx).await.last_reported_on(ctx).await?)
            }
            async fn rolled_up_progress(
                &self,
                ctx: &Context<'_>,
            ) -> async_graphql::Result<Option<i32>> {
                let tracking = self.tracking(ctx).await;
                Ok(tracking.progress_rollup(ctx).await.rolled_up_progress(ctx).await?)
            }
            async fn progress_source(
                &self,
                ctx: &Context<'_>,
            ) -> async_graphql::Result<ProgressSource> {
                let tracking = self.tracking(ctx).await;
                Ok(tracking.progress_rollup(ctx).await.progress_source(ctx).await?)
            }
            async fn progress_history(
                &self,
                ctx: &Context<'_>,
                from: Option<Date>,
                to: Option<Date>,
                every: HistoryInterval,
            ) -> async_graphql::Result<Vec<ProgressPoint>> {
                let progress = self.tracking(ctx).await.progress_rollup(ctx).await;
                Ok(progress.progress_history(ctx, from, to, every).await?)
            }
            async fn viewer_can_edit(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
                Ok(self.tracking(ctx).await.viewer_can_edit(ctx).await?)
            }
            async fn viewer_can_see_financials(
                &self,
                ctx: &Context<'_>,
            ) -> async_graphql::Result<bool> {
                Ok(self.tracking(ctx).await.viewer_can_see_financials(ctx).await?)
            }
        }
    )+};
}

tracked_fields!(Measure, Project, SubProject);
