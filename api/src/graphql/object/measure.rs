//! Measures derived from goals.

use crate::graphql::input::project::ProjectOrder;
use async_graphql::{Context, ID, Object};

use crate::error::Result;
use entity::{enums as db, measure};
use rust_decimal::Decimal;

use super::{
    Goal, OrgUnit, Project,
    columns::work_object,
    plain::Plain,
    tracking::{Tracked, Tracking},
};
use crate::graphql::{
    connection::{Conn, Paging, slice},
    context::scope,
    enums::{MeasureKind, Priority, Rag, Status, Visibility},
    id,
    scalar::{Date, today},
};

/// A measure derived from one or more goals and implemented by projects. Communication
/// measures also carry target group, channel, organiser and effort in person-days.
#[derive(Clone, async_graphql::Description)]
pub struct Measure(pub measure::Model);

/// Whether a piece of work with this due date and status is late today.
pub(crate) fn is_overdue(due: Option<chrono::NaiveDate>, status: db::Status) -> bool {
    let open = !matches!(status, db::Status::Completed | db::Status::Cancelled);
    open && due.is_some_and(|due| due < today())
}

// The columns first, answered without a future per field (see `plain.rs`), then the other
// fields.
work_object! {
    #[Object(use_type_description)]
    impl Measure {
        columns(m) {
            /// Global id.
            pub id "id": ID = id::encode("Measure", m.id);
            /// Code of the measure (its number in the strategy), e.g. "M-07".
            code "code": &str = &m.number;
            /// The measure's number: the old name of `code`.
            deprecated("Use `code`: the same number, named like the code of every other row.")
            number "number": &str = &m.number;
            /// Title of the measure.
            title "title": &str = &m.title;
            /// What the measure does (for communication measures: the content).
            description "description": Option<&str> = m.description.as_deref();
            /// What kind of measure this is.
            kind "kind": MeasureKind = m.kind.into();
            /// How urgent the measure is.
            priority "priority": Priority = m.priority.into();
            /// Planned start.
            start_date "startDate": Option<Date> = m.start_date.map(Date);
            /// When the measure is due.
            due_date "dueDate": Option<Date> = m.due_date.map(Date);
            /// When the measure was completed.
            completed_on "completedOn": Option<Date> = m.completed_on.map(Date);
            /// Whether the due date has passed while the measure is still open.
            is_overdue "isOverdue": bool = is_overdue(m.due_date, m.status);
            /// Life-cycle state.
            status "status": Status = m.status.into();
            /// Traffic light, as of the latest status report.
            rag "rag": Rag = m.rag.into();
            /// Progress in percent (0-100), as of the latest status report.
            progress "progress": i32 = m.progress;
            /// Planned effort in person-days.
            resolved planned_effort_days "plannedEffortDays": Option<Decimal> =
                m.planned_effort_days.map(|v| v.normalize());
            /// Effort spent so far in person-days.
            resolved actual_effort_days "actualEffortDays": Option<Decimal> =
                m.actual_effort_days.map(|v| v.normalize());
            /// Target group of a communication measure.
            target_group "targetGroup": Option<&str> = m.target_group.as_deref();
            /// Channel of a communication measure.
            channel "channel": Option<&str> = m.channel.as_deref();
            /// Organiser of a communication measure.
            organiser "organiser": Option<&str> = m.organiser.as_deref();
            /// Who may read this measure.
            visibility "visibility": Visibility = m.visibility.into();
            /// Weight of the measure in its parent's roll-up when the tenant weighs by
            /// `WEIGHT` (`TenantSettings.rollupWeighting`); 0 counts for nothing. Default 1.
            resolved weight "weight": Decimal = m.weight.normalize();
            shared archived_at;
            shared version;
            shared created_at;
            shared updated_at;
        }

        /// The unit responsible for the measure.
        pub(crate) async fn org_unit(&self, ctx: &Context<'_>) -> Result<Plain<OrgUnit>> {
            super::org_unit::unit(ctx, self.0.org_unit_id).await
        }
        /// Key performance indicators of the measure, with their target paths.
        async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<super::Indicator>> {
            let rows = scope(ctx)?
                .loaders
                .indicators_by_measure
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(super::Indicator).collect())
        }
        /// The goals the measure is derived from (those the viewer may see).
        async fn goals(&self, ctx: &Context<'_>) -> Result<Vec<Plain<Goal>>> {
            let rows = scope(ctx)?
                .loaders
                .goals_by_measure
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(|m| Plain(Goal(m))).collect())
        }
        /// Projects implementing the measure.
        async fn projects(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
            #[graphql(desc = "Cursor of the last edge of the previous page.")]
            after: Option<String>,
            #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
            #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")] before: Option<String>,
#[graphql(desc = "Sort order (default: by title).")] order_by: Option<ProjectOrder>,
        ) -> Result<Conn<Plain<Project>>> {
            let rows = scope(ctx)?
                .loaders
                .projects_by_measure
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(slice(rows, order_by.map(|order| order.sort()), Paging::new(first, after, last, before), |m| Plain(Project(m)))?)
        }
        /// The open milestone due first among the measure's projects (it may be overdue).
        async fn next_milestone(&self, ctx: &Context<'_>) -> Result<Option<super::Milestone>> {
            let loaders = &scope(ctx)?.loaders;
            let projects = loaders
                .projects_by_measure
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            let milestones = loaders
                .milestones_by_project
                .load_many(projects.iter().map(|p| p.id))
                .await?;
            Ok(milestones
                .values()
                .flat_map(|rows| rows.iter())
                .filter(|m| m.achieved_on.is_none())
                .min_by_key(|m| (m.due_date, m.code.clone(), m.id))
                .cloned()
                .map(super::Milestone))
        }
        /// The risk register, highest probability × impact first; null unless the viewer may
        /// see this measure's risks (central IT and the owning department), as a status
        /// report's risks.
        async fn risks(&self, ctx: &Context<'_>) -> Result<Option<Vec<super::Risk>>> {
            let s = scope(ctx)?;
            if !service::policy::can_see_risks(&s.viewer, self.0.org_unit_id) {
                return Ok(None);
            }
            let rows = s.loaders.risks_by_measure.load_one(self.0.id).await?;
            Ok(Some(super::risk::by_score(rows)))
        }
        /// Status reports, the newest report and what the viewer may do.
        #[graphql(flatten)]
        pub(crate) async fn tracking(&self) -> Tracking {
            Tracking {
                work: Tracked::Measure(self.0.id),
                owner: self.0.org_unit_id,
                rag: self.0.rag,
            }
        }
    }
}
