//! The portfolio dashboard (central IT) and the department dashboard (a unit subtree).
//!
//! Every figure is computed when asked for: counts from the viewer's tree, sums by the
//! database (GROUP BY) over the rows the viewer may see, lists as pages. The lists of counts
//! are written as JSON when their selection allows ([`CountList`]).

mod count_list;
mod department;
mod lists;
mod portfolio;

pub use count_list::CountList;

pub use department::DepartmentDashboard;
pub use portfolio::{Breakdown, BudgetYear, GoalBreakdown, OrgUnitBreakdown, PortfolioDashboard};

use std::{collections::HashSet, sync::Arc};

use async_graphql::{Context, Object, SimpleObject};

use crate::error::Result;
use entity::enums as db;

use crate::graphql::{
    context::scope,
    enums::{Rag, Status},
};
use service::report::{
    risk,
    tally::{By, Counted, Tallies, Work},
};
use tokio::sync::OnceCell;

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

/// How many open risks fall into one cell of the risk matrix.
#[derive(SimpleObject, Clone, Debug)]
pub struct RiskCount {
    /// Probability, 1 to 5.
    pub probability: i32,
    /// Impact, 1 to 5.
    pub impact: i32,
    /// Number of open risks the viewer may see with this probability and impact.
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

fn count_of(tallies: &Tallies, work: Work, by: By, key: Option<i32>, value: Counted) -> i32 {
    i32::try_from(tallies.count(work, by, key, value)).unwrap_or(i32::MAX)
}

/// Every status with its count (zeros included, in life-cycle order).
fn by_status(tallies: &Tallies, work: Work, by: By, key: Option<i32>) -> CountList<StatusCount> {
    CountList(
        STATUSES
            .iter()
            .map(|&status| StatusCount {
                status: status.into(),
                count: count_of(tallies, work, by, key, Counted::Status(status)),
            })
            .collect(),
    )
}

/// Every traffic light with its count (zeros included, green to red).
fn by_rag(tallies: &Tallies, work: Work, by: By, key: Option<i32>) -> CountList<RagCount> {
    CountList(
        RAGS.iter()
            .map(|&rag| RagCount {
                rag: rag.into(),
                count: count_of(tallies, work, by, key, Counted::Rag(rag)),
            })
            .collect(),
    )
}

/// The counts of one dashboard, counted by the first field that asks for one (from the
/// viewer's tree, which the request loads once) and shared by the rest.
#[derive(Clone, Default)]
pub struct Tallied(Arc<OnceCell<Arc<Tallies>>>);

impl Tallied {
    /// The counts over the rows the viewer may see, within the units `within` when given.
    async fn get(&self, ctx: &Context<'_>, within: Option<&HashSet<i32>>) -> Result<Arc<Tallies>> {
        let s = scope(ctx)?;
        let tallies = self
            .0
            .get_or_try_init(|| async {
                let tree = s.reporting.tree().await?;
                Ok::<_, crate::error::ApiError>(Arc::new(Tallies::of_tree(&tree, within)))
            })
            .await?;
        Ok(tallies.clone())
    }
}

/// Measures and projects counted by status and traffic light.
pub struct Counts {
    /// Only rows owned by these units; all visible rows when `None`.
    pub within: Option<Arc<HashSet<i32>>>,
    /// The dashboard's counts, shared by all its fields.
    pub tallied: Tallied,
}

impl Counts {
    async fn tallies(&self, ctx: &Context<'_>) -> Result<Arc<Tallies>> {
        self.tallied.get(ctx, self.within.as_deref()).await
    }
}

#[Object]
impl Counts {
    /// Measures by life-cycle state.
    async fn measures_by_status(&self, ctx: &Context<'_>) -> Result<CountList<StatusCount>> {
        let tallies = self.tallies(ctx).await?;
        Ok(by_status(&tallies, Work::Measure, By::All, None))
    }
    /// Measures by reported traffic light.
    async fn measures_by_rag(&self, ctx: &Context<'_>) -> Result<CountList<RagCount>> {
        let tallies = self.tallies(ctx).await?;
        Ok(by_rag(&tallies, Work::Measure, By::All, None))
    }
    /// Projects by life-cycle state.
    async fn projects_by_status(&self, ctx: &Context<'_>) -> Result<CountList<StatusCount>> {
        let tallies = self.tallies(ctx).await?;
        Ok(by_status(&tallies, Work::Project, By::All, None))
    }
    /// Projects by reported traffic light.
    async fn projects_by_rag(&self, ctx: &Context<'_>) -> Result<CountList<RagCount>> {
        let tallies = self.tallies(ctx).await?;
        Ok(by_rag(&tallies, Work::Project, By::All, None))
    }
    /// Open risks of projects and measures by probability × impact: all 25 cells, zeros
    /// included, by probability and then impact, ascending. Only risks the viewer may see
    /// count (central IT's, and a department's own work's).
    async fn risk_matrix(&self, ctx: &Context<'_>) -> Result<CountList<RiskCount>> {
        let s = scope(ctx)?;
        let cells = risk::matrix(&s.db, &s.viewer, self.within.as_deref()).await?;
        Ok(CountList(
            cells
                .into_iter()
                .map(|cell| RiskCount {
                    probability: cell.probability,
                    impact: cell.impact,
                    count: i32::try_from(cell.count).unwrap_or(i32::MAX),
                })
                .collect(),
        ))
    }
}
