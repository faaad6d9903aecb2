//! Sub-projects.

use crate::graphql::input::milestone::MilestoneOrder;
use async_graphql::{Context, ID, Object};

use crate::error::Result;
use entity::sub_project;
use rust_decimal::Decimal;

use super::{
    Milestone, OrgUnit, Participant, Project,
    columns::work_object,
    measure::is_overdue,
    plain::Plain,
    required,
    tracking::{Tracked, Tracking},
};
use crate::graphql::{
    connection::{Conn, Paging, slice},
    context::scope,
    enums::{Rag, Status, Visibility},
    id,
    scalar::Date,
};

/// A sub-project of a project, led by its own unit (e.g. "Digitaler Posteingang").
#[derive(Clone, async_graphql::Description)]
pub struct SubProject(pub sub_project::Model);

// The columns first, answered without a future per field (see `plain.rs`), then the other
// fields.
work_object! {
    #[Object(use_type_description)]
    impl SubProject {
        columns(m) {
            /// Global id.
            pub id "id": ID = id::encode("SubProject", m.id);
            /// Short code.
            code "code": Option<&str> = m.code.as_deref();
            /// Title.
            title "title": &str = &m.title;
            /// What the sub-project does.
            description "description": Option<&str> = m.description.as_deref();
            /// Life-cycle state.
            status "status": Status = m.status.into();
            /// Traffic light, as of the latest status report.
            rag "rag": Rag = m.rag.into();
            /// Progress in percent (0-100), as of the latest status report.
            progress "progress": i32 = m.progress;
            /// Planned start.
            start_date "startDate": Option<Date> = m.start_date.map(Date);
            /// When the work is due: the planned end.
            due_date "dueDate": Option<Date> = m.end_date.map(Date);
            /// The planned end: the old name of `dueDate`.
            deprecated("Use `dueDate`: the same date, named as on every WorkItem.")
            end_date "endDate": Option<Date> = m.end_date.map(Date);
            /// Whether the planned end has passed while the sub-project is still open.
            is_overdue "isOverdue": bool = is_overdue(m.end_date, m.status);
            /// Who may read this sub-project.
            visibility "visibility": Visibility = m.visibility.into();
            /// Weight of the sub-project in its parent's roll-up when the tenant weighs by
            /// `WEIGHT` (`TenantSettings.rollupWeighting`); 0 counts for nothing. Default 1.
            resolved weight "weight": Decimal = m.weight.normalize();
            shared archived_at;
            shared version;
            shared created_at;
            shared updated_at;
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
        pub(crate) async fn org_unit(&self, ctx: &Context<'_>) -> Result<Plain<OrgUnit>> {
            super::org_unit::unit(ctx, self.0.org_unit_id).await
        }
        /// Org units taking part beside the lead unit (districts and cities working on it
        /// together, or reusing its results), leads first.
        async fn participants(&self, ctx: &Context<'_>) -> Result<Vec<Participant>> {
            let rows = scope(ctx)?
                .loaders
                .participants_by_sub_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(Participant).collect())
        }
        /// Milestones of the sub-project, by due date.
        async fn milestones(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
            #[graphql(desc = "Cursor of the last edge of the previous page.")]
            after: Option<String>,
            #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
            #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")] before: Option<String>,
#[graphql(desc = "Sort order (default: by due date).")] order_by: Option<MilestoneOrder>,
        ) -> Result<Conn<Milestone>> {
            let rows = scope(ctx)?
                .loaders
                .milestones_by_sub_project
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(slice(rows, order_by.map(|order| order.sort()), Paging::new(first, after, last, before), Milestone)?)
        }
        /// Status reports, the newest report and what the viewer may do.
        #[graphql(flatten)]
        pub(crate) async fn tracking(&self) -> Tracking {
            Tracking {
                work: Tracked::SubProject(self.0.id),
                owner: self.0.org_unit_id,
                rag: self.0.rag,
            }
        }
    }
}
