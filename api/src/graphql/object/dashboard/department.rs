//! What a department head checks: the work the unit subtree owns.

use crate::graphql::input::measure::MeasureOrder;
use crate::graphql::input::milestone::MilestoneOrder;
use crate::graphql::input::project::ProjectOrder;
use std::{collections::HashSet, sync::Arc};

use async_graphql::{Context, ID, Object};

use crate::error::Result;
use entity::{enums as db, measure, project};
use sea_orm::{ColumnTrait, QueryFilter};

use crate::graphql::object::{Measure, Milestone, OrgUnit, Project, plain::Plain};
use crate::graphql::{
    connection::{Conn, Paging},
    context::scope,
    id,
    scalar::{Date, today},
};
use service::{policy::FindVisible, report::tally};

use super::{
    Counts, Tallied,
    lists::{measures_needing_report, overdue_milestones, page, units},
};

#[derive(Clone)]
pub struct DepartmentDashboard {
    pub org_unit: entity::org_unit::Model,
    pub within: Arc<HashSet<i32>>,
    /// The dashboard's counts, shared by all its fields.
    pub tallied: Tallied,
}

const OPEN: [db::Status; 4] = [
    db::Status::Draft,
    db::Status::Planned,
    db::Status::InProgress,
    db::Status::OnHold,
];

/// What a department head checks: the work its unit subtree owns.
#[Object]
impl DepartmentDashboard {
    /// Global id: the dashboard of this unit, to refetch through `node(id:)`.
    pub async fn id(&self) -> ID {
        id::encode("DepartmentDashboard", self.org_unit.id)
    }
    /// The unit whose subtree the dashboard shows.
    async fn org_unit(&self) -> OrgUnit {
        OrgUnit(self.org_unit.clone())
    }
    /// The day the figures are for (today).
    async fn as_of(&self) -> Date {
        today().into()
    }
    /// Counts over the work the subtree owns.
    #[graphql(flatten)]
    async fn counts(&self) -> Counts {
        Counts {
            within: Some(self.within.clone()),
            tallied: self.tallied.clone(),
        }
    }
    /// Measures the subtree owns, by due date (with `rolledUpProgress`, `derivedRag` and
    /// `nextMilestone` on each).
    async fn measures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: by due date, then code).")] order_by: Option<
            MeasureOrder,
        >,
    ) -> Result<Conn<Plain<Measure>>> {
        let s = scope(ctx)?;
        let filtered = measure::Entity::find_visible_to(&s.viewer)
            .filter(measure::Column::OrgUnitId.is_in(units(&self.within)));
        page(
            ctx,
            filtered,
            order_by.map(|order| order.sort()),
            [measure::Column::DueDate, measure::Column::Number],
            Paging::new(first, after, last, before),
            |m| Plain(Measure(m)),
        )
        .await
    }
    /// Projects the subtree owns, by end date.
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: by due date).")] order_by: Option<ProjectOrder>,
    ) -> Result<Conn<Plain<Project>>> {
        let s = scope(ctx)?;
        let filtered = project::Entity::find_visible_to(&s.viewer)
            .filter(project::Column::OrgUnitId.is_in(units(&self.within)));
        page(
            ctx,
            filtered,
            order_by.map(|order| order.sort()),
            [project::Column::EndDate, project::Column::Id],
            Paging::new(first, after, last, before),
            |m| Plain(Project(m)),
        )
        .await
    }
    /// Open measures past their due date.
    async fn late_measures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: by due date).")] order_by: Option<MeasureOrder>,
    ) -> Result<Conn<Plain<Measure>>> {
        let s = scope(ctx)?;
        let filtered = measure::Entity::find_visible_to(&s.viewer)
            .filter(measure::Column::OrgUnitId.is_in(units(&self.within)))
            .filter(measure::Column::Status.is_in(OPEN))
            .filter(measure::Column::DueDate.lt(today()));
        page(
            ctx,
            filtered,
            order_by.map(|order| order.sort()),
            [measure::Column::DueDate, measure::Column::Id],
            Paging::new(first, after, last, before),
            |m| Plain(Measure(m)),
        )
        .await
    }
    /// Open projects past their end date.
    async fn late_projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: by due date).")] order_by: Option<ProjectOrder>,
    ) -> Result<Conn<Plain<Project>>> {
        let s = scope(ctx)?;
        let filtered = project::Entity::find_visible_to(&s.viewer)
            .filter(project::Column::OrgUnitId.is_in(units(&self.within)))
            .filter(project::Column::Status.is_in(OPEN))
            .filter(project::Column::EndDate.lt(today()));
        page(
            ctx,
            filtered,
            order_by.map(|order| order.sort()),
            [project::Column::EndDate, project::Column::Id],
            Paging::new(first, after, last, before),
            |m| Plain(Project(m)),
        )
        .await
    }
    /// Overdue milestones of projects or sub-projects the subtree owns.
    async fn overdue_milestones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: by due date).")] order_by: Option<MilestoneOrder>,
    ) -> Result<Conn<Milestone>> {
        overdue_milestones(
            ctx,
            Some(&self.within),
            order_by.map(|order| order.sort()),
            Paging::new(first, after, last, before),
        )
        .await
    }
    /// Running measures that need a status report now (none within the reporting cycle).
    async fn measures_needing_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: by code).")] order_by: Option<MeasureOrder>,
    ) -> Result<Conn<Plain<Measure>>> {
        measures_needing_report(
            ctx,
            Some(&self.within),
            order_by.map(|order| order.sort()),
            Paging::new(first, after, last, before),
        )
        .await
    }
    /// Running projects that need a status report now (none within the reporting cycle, on
    /// the project or its sub-projects).
    async fn projects_needing_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: by due date).")] order_by: Option<ProjectOrder>,
    ) -> Result<Conn<Plain<Project>>> {
        let s = scope(ctx)?;
        let since = tally::cutoff(today(), s.reporting.cycle_days());
        let filtered = project::Entity::find_visible_to(&s.viewer)
            .filter(project::Column::OrgUnitId.is_in(units(&self.within)))
            .filter(tally::projects_without_report(since));
        page(
            ctx,
            filtered,
            order_by.map(|order| order.sort()),
            [project::Column::EndDate, project::Column::Id],
            Paging::new(first, after, last, before),
            |m| Plain(Project(m)),
        )
        .await
    }
}
