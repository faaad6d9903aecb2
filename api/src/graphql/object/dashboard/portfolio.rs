//! The state of the whole portfolio of a tenant, for central IT.

use crate::graphql::input::application::ApplicationOrder;
use crate::graphql::input::measure::MeasureOrder;
use crate::graphql::input::milestone::MilestoneOrder;
use async_graphql::{Context, ID, Object, SimpleObject};

use crate::error::Result;
use entity::{application, enums as db};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, QueryFilter};

use crate::graphql::object::{
    Application, Goal, Measure, Milestone, OrgUnit, plain::Plain, required,
};
use crate::graphql::{
    connection::{Conn, Paging},
    context::scope,
    id,
    scalar::{Date, today},
};
use service::{
    policy::FindVisible,
    report::{
        rollup::Kind,
        tally::{self, By, Tallies, Work},
    },
};

use super::{
    CountList, Counts, RagCount, StatusCount, Tallied, by_rag, by_status,
    lists::{measures_needing_report, overdue_milestones, page},
};

#[derive(Clone, Default)]
pub struct PortfolioDashboard {
    tallied: Tallied,
}

/// The counts of one goal or org unit.
#[derive(SimpleObject)]
pub struct Breakdown {
    /// Measures by life-cycle state.
    pub measures_by_status: CountList<StatusCount>,
    /// Measures by reported traffic light.
    pub measures_by_rag: CountList<RagCount>,
    /// Projects by life-cycle state.
    pub projects_by_status: CountList<StatusCount>,
    /// Projects by reported traffic light.
    pub projects_by_rag: CountList<RagCount>,
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

/// The counts under `key` of the split `by`.
fn breakdown(tallies: &Tallies, by: By, key: i32) -> Breakdown {
    let key = Some(key);
    Breakdown {
        measures_by_status: by_status(tallies, Work::Measure, by, key),
        measures_by_rag: by_rag(tallies, Work::Measure, by, key),
        projects_by_status: by_status(tallies, Work::Project, by, key),
        projects_by_rag: by_rag(tallies, Work::Project, by, key),
    }
}

/// The state of the whole portfolio of the tenant, for central IT.
#[Object]
impl PortfolioDashboard {
    /// Global id: the portfolio of the viewer's tenant, to refetch through `node(id:)`.
    pub async fn id(&self, ctx: &Context<'_>) -> Result<ID> {
        Ok(id::encode(
            "PortfolioDashboard",
            scope(ctx)?.viewer.tenant_id,
        ))
    }
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
        Counts {
            within: None,
            tallied: self.tallied.clone(),
        }
    }
    /// Counts per strategy goal, in the strategies' order. A measure derived from two goals
    /// counts for both.
    async fn by_goal(&self, ctx: &Context<'_>) -> Result<Vec<GoalBreakdown>> {
        let s = scope(ctx)?;
        let tallies = self.tallied.get(ctx, None).await?;
        let live = s.reporting.live().await?;
        let ids: Vec<i32> = live.tree.goals.iter().map(|g| g.id).collect();
        let goals = s.loaders.goal.load_many(ids.iter().copied()).await?;
        ids.into_iter()
            .map(|id| {
                Ok(GoalBreakdown {
                    goal: Goal(required(goals.get(&id).cloned(), "goal")?),
                    rolled_up_progress: live.rollup.get(Kind::Goal, id).progress,
                    counts: breakdown(&tallies, By::Goal, id),
                })
            })
            .collect()
    }
    /// Counts per org unit that owns measures or projects, by unit code.
    async fn by_org_unit(&self, ctx: &Context<'_>) -> Result<Vec<OrgUnitBreakdown>> {
        let s = scope(ctx)?;
        let tallies = self.tallied.get(ctx, None).await?;
        let ids = tallies.keys(By::OrgUnit);
        let units = s.loaders.org_unit.load_many(ids.iter().copied()).await?;
        let mut rows = ids
            .into_iter()
            .map(|id| {
                Ok(OrgUnitBreakdown {
                    org_unit: OrgUnit(required(units.get(&id).cloned(), "org unit")?),
                    counts: breakdown(&tallies, By::OrgUnit, id),
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
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: by due date, oldest first).")] order_by: Option<
            MilestoneOrder,
        >,
    ) -> Result<Conn<Milestone>> {
        overdue_milestones(
            ctx,
            None,
            order_by.map(|order| order.sort()),
            Paging::new(first, after, last, before),
        )
        .await
    }
    /// Running measures without a status report within the reporting cycle, on themselves
    /// or on their projects and sub-projects.
    async fn measures_without_current_report(
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
            None,
            order_by.map(|order| order.sort()),
            Paging::new(first, after, last, before),
        )
        .await
    }
    /// Applications submitted or in review, oldest first.
    async fn applications_awaiting_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: oldest first).")] order_by: Option<ApplicationOrder>,
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
            order_by.map(|order| order.sort()),
            [application::Column::SubmittedOn, application::Column::Id],
            Paging::new(first, after, last, before),
            Application,
        )
        .await
    }
}
