//! The portfolio dashboard (central IT) and the department dashboard (a unit subtree).
//!
//! Every figure is computed when asked for: counts and sums by the database (GROUP BY) over
//! the rows the viewer may see, lists as pages.

use std::{collections::HashSet, sync::Arc};

use async_graphql::{Context, Object, SimpleObject};

use crate::error::Result;
use entity::{application, enums as db, measure, milestone, project, sub_project};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Select};

use super::{Application, Goal, Measure, Milestone, OrgUnit, Project, plain::Plain, required};
use crate::graphql::{
    connection::{Conn, fetch},
    context::{RequestScope, scope},
    enums::{Rag, Status},
    scalar::{Date, today},
};
use service::{
    policy::FindVisible,
    report::{
        rollup::Kind,
        tally::{self, Attr, By, Tally, Work},
    },
};

/// How many rows have a status.
#[derive(SimpleObject, Clone, Debug)]
pub struct StatusCount {
    /// The life-cycle state.
    pub status: Status,
    /// Number of rows the viewer may see in this state; every state is listed, also with 0.
    pub count: i32,
}

/// How many rows have a traffic light.
#[derive(SimpleObject, Clone, Debug)]
pub struct RagCount {
    /// The reported traffic light.
    pub rag: Rag,
    /// Number of rows the viewer may see with this traffic light; every light is listed,
    /// also with 0.
    pub count: i32,
}

const STATUSES: [db::Status; 6] = [
    db::Status::Draft,
    db::Status::Planned,
    db::Status::InProgress,
    db::Status::OnHold,
    db::Status::Completed,
    db::Status::Cancelled,
];

const RAGS: [db::Rag; 3] = [db::Rag::Green, db::Rag::Amber, db::Rag::Red];

fn count_of(tallies: &[Tally], key: Option<i32>, value: &str) -> i32 {
    let n: i64 = tallies
        .iter()
        .filter(|t| t.key == key && t.value == value)
        .map(|t| t.count)
        .sum();
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Every status with its count (zeros included, in life-cycle order).
fn by_status(tallies: &[Tally], key: Option<i32>) -> Vec<StatusCount> {
    STATUSES
        .iter()
        .map(|&status| StatusCount {
            status: status.into(),
            count: count_of(tallies, key, status.as_str()),
        })
        .collect()
}

/// Every traffic light with its count (zeros included, green to red).
fn by_rag(tallies: &[Tally], key: Option<i32>) -> Vec<RagCount> {
    RAGS.iter()
        .map(|&rag| RagCount {
            rag: rag.into(),
            count: count_of(tallies, key, rag.as_str()),
        })
        .collect()
}

/// Measures and projects counted by status and traffic light.
pub struct Counts {
    /// Only rows owned by these units; all visible rows when `None`.
    pub within: Option<Arc<HashSet<i32>>>,
}

impl Counts {
    async fn tally(&self, ctx: &Context<'_>, work: Work, attr: Attr) -> Result<Vec<Tally>> {
        let s = scope(ctx)?;
        Ok(tally::count(
            &s.db,
            &s.viewer,
            work,
            By::All,
            attr,
            self.within.as_deref(),
        )
        .await?)
    }
}

#[Object]
impl Counts {
    /// Measures by life-cycle state.
    async fn measures_by_status(&self, ctx: &Context<'_>) -> Result<Vec<StatusCount>> {
        Ok(by_status(
            &self.tally(ctx, Work::Measure, Attr::Status).await?,
            None,
        ))
    }
    /// Measures by reported traffic light.
    async fn measures_by_rag(&self, ctx: &Context<'_>) -> Result<Vec<RagCount>> {
        Ok(by_rag(
            &self.tally(ctx, Work::Measure, Attr::Rag).await?,
            None,
        ))
    }
    /// Projects by life-cycle state.
    async fn projects_by_status(&self, ctx: &Context<'_>) -> Result<Vec<StatusCount>> {
        Ok(by_status(
            &self.tally(ctx, Work::Project, Attr::Status).await?,
            None,
        ))
    }
    /// Projects by reported traffic light.
    async fn projects_by_rag(&self, ctx: &Context<'_>) -> Result<Vec<RagCount>> {
        Ok(by_rag(
            &self.tally(ctx, Work::Project, Attr::Rag).await?,
            None,
        ))
    }
}

pub struct PortfolioDashboard;

/// The counts of one goal or org unit.
#[derive(SimpleObject)]
pub struct Breakdown {
    /// Measures by life-cycle state.
    pub measures_by_status: Vec<StatusCount>,
    /// Measures by reported traffic light.
    pub measures_by_rag: Vec<RagCount>,
    /// Projects by life-cycle state.
    pub projects_by_status: Vec<StatusCount>,
    /// Projects by reported traffic light.
    pub projects_by_rag: Vec<RagCount>,
}

/// Counts of the measures derived from a goal and of their projects.
#[derive(SimpleObject)]
pub struct GoalBreakdown {
    /// The strategy goal counted.
    pub goal: Goal,
    /// Rolled-up progress of the goal in percent.
    pub rolled_up_progress: Option<i32>,
    #[graphql(flatten)]
    pub counts: Breakdown,
}

/// Counts of the measures and projects an org unit owns (itself, not its subtree).
#[derive(SimpleObject)]
pub struct OrgUnitBreakdown {
    /// The org unit counted.
    pub org_unit: OrgUnit,
    #[graphql(flatten)]
    pub counts: Breakdown,
}

/// Money of one budget year, in euros.
#[derive(SimpleObject)]
pub struct BudgetYear {
    /// Budget year.
    pub year: i32,
    /// Planned amount, summed over the year's budget lines the viewer may see.
    pub planned: Decimal,
    /// Approved amount, summed over the same lines.
    pub approved: Decimal,
    /// Amount spent, summed over the same lines.
    pub spent: Decimal,
    /// The part of `planned` that comes from funding programmes.
    pub funded_planned: Decimal,
    /// The part of `approved` that comes from funding programmes.
    pub funded_approved: Decimal,
    /// Percentage of `approved` that comes from funding programmes; null when nothing is
    /// approved.
    pub funding_share: Option<Decimal>,
}

async fn split(s: &RequestScope, by: By) -> Result<[Vec<Tally>; 4]> {
    let (db, viewer) = (&s.db, &s.viewer);
    Ok([
        tally::count(db, viewer, Work::Measure, by, Attr::Status, None).await?,
        tally::count(db, viewer, Work::Measure, by, Attr::Rag, None).await?,
        tally::count(db, viewer, Work::Project, by, Attr::Status, None).await?,
        tally::count(db, viewer, Work::Project, by, Attr::Rag, None).await?,
    ])
}

fn breakdown(tallies: &[Vec<Tally>; 4], key: i32) -> Breakdown {
    Breakdown {
        measures_by_status: by_status(&tallies[0], Some(key)),
        measures_by_rag: by_rag(&tallies[1], Some(key)),
        projects_by_status: by_status(&tallies[2], Some(key)),
        projects_by_rag: by_rag(&tallies[3], Some(key)),
    }
}

/// The state of the whole portfolio of the tenant, for central IT.
#[Object]
impl PortfolioDashboard {
    /// The day the figures are for (today).
    async fn as_of(&self) -> Date {
        today().into()
    }
    /// Days without a report after which running work needs one (`REPORTING_CYCLE_DAYS`).
    async fn reporting_cycle_days(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(i32::try_from(scope(ctx)?.reporting.cycle_days()).unwrap_or(i32::MAX))
    }
    /// Counts over the whole portfolio.
    #[graphql(flatten)]
    async fn counts(&self) -> Counts {
        Counts { within: None }
    }
    /// Counts per strategy goal, in the strategies' order. A measure derived from two goals
    /// counts for both.
    async fn by_goal(&self, ctx: &Context<'_>) -> Result<Vec<GoalBreakdown>> {
        let s = scope(ctx)?;
        let tallies = split(s, By::Goal).await?;
        let live = s.reporting.live().await?;
        let ids: Vec<i32> = live.tree.goals.iter().map(|g| g.id).collect();
        let goals = s.loaders.goal.load_many(ids.iter().copied()).await?;
        ids.into_iter()
            .map(|id| {
                Ok(GoalBreakdown {
                    goal: Goal(required(goals.get(&id).cloned(), "goal")?),
                    rolled_up_progress: live.rollup.get(Kind::Goal, id).progress,
                    counts: breakdown(&tallies, id),
                })
            })
            .collect()
    }
    /// Counts per org unit that owns measures or projects, by unit code.
    async fn by_org_unit(&self, ctx: &Context<'_>) -> Result<Vec<OrgUnitBreakdown>> {
        let s = scope(ctx)?;
        let tallies = split(s, By::OrgUnit).await?;
        let mut ids: Vec<i32> = tallies.iter().flatten().filter_map(|t| t.key).collect();
        ids.sort_unstable();
        ids.dedup();
        let units = s.loaders.org_unit.load_many(ids.iter().copied()).await?;
        let mut rows = ids
            .into_iter()
            .map(|id| {
                Ok(OrgUnitBreakdown {
                    org_unit: OrgUnit(required(units.get(&id).cloned(), "org unit")?),
                    counts: breakdown(&tallies, id),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        rows.sort_by(|a, b| a.org_unit.0.code.cmp(&b.org_unit.0.code));
        Ok(rows)
    }
    /// Planned, approved and spent money per budget year, with the share of funding.
    async fn budget_by_year(&self, ctx: &Context<'_>) -> Result<Vec<BudgetYear>> {
        let s = scope(ctx)?;
        let rows = tally::money_by_year(&s.db, &s.viewer, None).await?;
        let mut years: Vec<i32> = rows.iter().map(|r| r.year).collect();
        years.dedup();
        Ok(years
            .into_iter()
            .map(|year| {
                let of_year = rows.iter().filter(|r| r.year == year);
                let funded = of_year
                    .clone()
                    .filter(|r| r.source == db::FundingSource::Funding);
                let sum = |it: &mut dyn Iterator<Item = Decimal>| it.sum::<Decimal>();
                let approved = sum(&mut of_year.clone().map(|r| r.approved));
                let funded_approved = sum(&mut funded.clone().map(|r| r.approved));
                BudgetYear {
                    year,
                    planned: sum(&mut of_year.clone().map(|r| r.planned)),
                    approved,
                    spent: sum(&mut of_year.clone().map(|r| r.spent)),
                    funded_planned: sum(&mut funded.map(|r| r.planned)),
                    funded_approved,
                    funding_share: (!approved.is_zero())
                        .then(|| (funded_approved * Decimal::ONE_HUNDRED / approved).round_dp(1)),
                }
            })
            .collect())
    }
    /// Milestones past their due date and not achieved, oldest first.
    async fn overdue_milestones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Milestone>> {
        overdue_milestones(ctx, None, first, after).await
    }
    /// Running measures without a status report within the reporting cycle, on themselves
    /// or on their projects and sub-projects.
    async fn measures_without_current_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Plain<Measure>>> {
        measures_needing_report(ctx, None, first, after).await
    }
    /// Applications submitted or in review, oldest first.
    async fn applications_awaiting_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Application>> {
        let s = scope(ctx)?;
        let filtered = application::Entity::find_visible_to(&s.viewer).filter(
            application::Column::Status.is_in([
                db::ApplicationStatus::Submitted,
                db::ApplicationStatus::InReview,
            ]),
        );
        page(
            ctx,
            filtered,
            [application::Column::SubmittedOn, application::Column::Id],
            first,
            after,
            Application,
        )
        .await
    }
}

/// One page of `filtered` in the order of the two columns given.
async fn page<E, T>(
    ctx: &Context<'_>,
    filtered: Select<E>,
    order: [E::Column; 2],
    first: Option<i32>,
    after: Option<String>,
    node: fn(E::Model) -> T,
) -> Result<Conn<T>>
where
    E: entity::decode::Decode,
    T: async_graphql::OutputType,
{
    let ordered = filtered
        .clone()
        .order_by_asc(order[0])
        .order_by_asc(order[1]);
    Ok(fetch(&scope(ctx)?.db, filtered, ordered, first, after, node).await?)
}

fn units(within: &HashSet<i32>) -> Vec<i32> {
    let mut units: Vec<i32> = within.iter().copied().collect();
    units.sort_unstable();
    units
}

async fn overdue_milestones(
    ctx: &Context<'_>,
    within: Option<&HashSet<i32>>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Conn<Milestone>> {
    let s = scope(ctx)?;
    let mut filtered = milestone::Entity::find_visible_to(&s.viewer)
        .filter(milestone::Column::AchievedOn.is_null())
        .filter(milestone::Column::DueDate.lt(today()));
    if let Some(within) = within {
        let owned_projects = sea_orm::QuerySelect::column(
            sea_orm::QuerySelect::select_only(project::Entity::find())
                .filter(project::Column::OrgUnitId.is_in(units(within))),
            project::Column::Id,
        );
        let owned_sub_projects = sea_orm::QuerySelect::column(
            sea_orm::QuerySelect::select_only(sub_project::Entity::find())
                .filter(sub_project::Column::OrgUnitId.is_in(units(within))),
            sub_project::Column::Id,
        );
        filtered = filtered.filter(
            Condition::any()
                .add(
                    milestone::Column::ProjectId
                        .in_subquery(sea_orm::QueryTrait::into_query(owned_projects)),
                )
                .add(
                    milestone::Column::SubProjectId
                        .in_subquery(sea_orm::QueryTrait::into_query(owned_sub_projects)),
                ),
        );
    }
    page(
        ctx,
        filtered,
        [milestone::Column::DueDate, milestone::Column::Id],
        first,
        after,
        Milestone,
    )
    .await
}

async fn measures_needing_report(
    ctx: &Context<'_>,
    within: Option<&HashSet<i32>>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Conn<Plain<Measure>>> {
    let s = scope(ctx)?;
    let since = tally::cutoff(today(), s.reporting.cycle_days());
    let mut filtered = measure::Entity::find_visible_to(&s.viewer)
        .filter(tally::measures_without_report(s.viewer.tenant_id, since));
    if let Some(within) = within {
        filtered = filtered.filter(measure::Column::OrgUnitId.is_in(units(within)));
    }
    page(
        ctx,
        filtered,
        [measure::Column::Number, measure::Column::Id],
        first,
        after,
        |m| Plain(Measure(m)),
    )
    .await
}

pub struct DepartmentDashboard {
    pub org_unit: entity::org_unit::Model,
    pub within: Arc<HashSet<i32>>,
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
        }
    }
    /// Measures the subtree owns, by due date (with `rolledUpProgress`, `derivedRag` and
    /// `nextMilestone` on each).
    async fn measures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Plain<Measure>>> {
        let s = scope(ctx)?;
        let filtered = measure::Entity::find_visible_to(&s.viewer)
            .filter(measure::Column::OrgUnitId.is_in(units(&self.within)));
        page(
            ctx,
            filtered,
            [measure::Column::DueDate, measure::Column::Number],
            first,
            after,
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
    ) -> Result<Conn<Plain<Project>>> {
        let s = scope(ctx)?;
        let filtered = project::Entity::find_visible_to(&s.viewer)
            .filter(project::Column::OrgUnitId.is_in(units(&self.within)));
        page(
            ctx,
            filtered,
            [project::Column::EndDate, project::Column::Id],
            first,
            after,
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
    ) -> Result<Conn<Plain<Measure>>> {
        let s = scope(ctx)?;
        let filtered = measure::Entity::find_visible_to(&s.viewer)
            .filter(measure::Column::OrgUnitId.is_in(units(&self.within)))
            .filter(measure::Column::Status.is_in(OPEN))
            .filter(measure::Column::DueDate.lt(today()));
        page(
            ctx,
            filtered,
            [measure::Column::DueDate, measure::Column::Id],
            first,
            after,
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
    ) -> Result<Conn<Plain<Project>>> {
        let s = scope(ctx)?;
        let filtered = project::Entity::find_visible_to(&s.viewer)
            .filter(project::Column::OrgUnitId.is_in(units(&self.within)))
            .filter(project::Column::Status.is_in(OPEN))
            .filter(project::Column::EndDate.lt(today()));
        page(
            ctx,
            filtered,
            [project::Column::EndDate, project::Column::Id],
            first,
            after,
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
    ) -> Result<Conn<Milestone>> {
        overdue_milestones(ctx, Some(&self.within), first, after).await
    }
    /// Running measures that need a status report now (none within the reporting cycle).
    async fn measures_needing_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Plain<Measure>>> {
        measures_needing_report(ctx, Some(&self.within), first, after).await
    }
    /// Running projects that need a status report now (none within the reporting cycle, on
    /// the project or its sub-projects).
    async fn projects_needing_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Plain<Project>>> {
        let s = scope(ctx)?;
        let since = tally::cutoff(today(), s.reporting.cycle_days());
        let filtered = project::Entity::find_visible_to(&s.viewer)
            .filter(project::Column::OrgUnitId.is_in(units(&self.within)))
            .filter(tally::projects_without_report(s.viewer.tenant_id, since));
        page(
            ctx,
            filtered,
            [project::Column::EndDate, project::Column::Id],
            first,
            after,
            |m| Plain(Project(m)),
        )
        .await
    }
}
