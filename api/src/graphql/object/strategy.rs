//! Strategy versions.

use crate::graphql::input::goal::GoalOrder;
use async_graphql::{Context, ID, Object};

use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::strategy;

use super::{Goal, OrgUnit, plain::Plain, required};
use crate::graphql::{
    connection::{Conn, Paging, slice},
    context::scope,
    enums::{StrategyStatus, Visibility},
    id,
    scalar::Date,
};

#[derive(Clone)]
pub struct Strategy(pub strategy::Model);

/// One version of the digital strategy. The strategy is updated continuously: a new version
/// supersedes the adopted one and points back to it.
#[Object]
impl Strategy {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("Strategy", self.0.id)
    }
    /// Title, e.g. "Digitale Strategie der Stadt Aachen".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the strategy is about.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// First day of the period the strategy covers.
    async fn period_start(&self) -> Date {
        self.0.period_start.into()
    }
    /// Last day of the period the strategy covers.
    async fn period_end(&self) -> Date {
        self.0.period_end.into()
    }
    /// Draft, adopted or superseded.
    async fn status(&self) -> StrategyStatus {
        self.0.status.into()
    }
    /// When the council adopted this version.
    async fn adopted_on(&self) -> Option<Date> {
        self.0.adopted_on.map(Date)
    }
    /// Version number of the strategy (1, 2, ...).
    async fn revision(&self) -> i32 {
        self.0.revision
    }
    /// Who may read this strategy.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }
    /// When the row was archived (visible to central IT only); null while it is live.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the row was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the row was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The unit that maintains the strategy.
    async fn org_unit(&self, ctx: &Context<'_>) -> Result<OrgUnit> {
        let unit = scope(ctx)?
            .loaders
            .org_unit
            .load_one(self.0.org_unit_id)
            .await?;
        Ok(OrgUnit(required(unit, "org unit")?))
    }
    /// The version this one replaced, if the viewer may see it.
    async fn predecessor(&self, ctx: &Context<'_>) -> Result<Option<Strategy>> {
        let Some(id) = self.0.predecessor_id else {
            return Ok(None);
        };
        Ok(scope(ctx)?
            .loaders
            .strategy
            .load_one(id)
            .await?
            .map(Strategy))
    }
    /// All goals of this version, sub-goals included, in their order.
    async fn goals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
        #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")]
        before: Option<String>,
        #[graphql(desc = "Sort order (default: in the strategy's order).")] order_by: Option<
            GoalOrder,
        >,
    ) -> Result<Conn<Plain<Goal>>> {
        let rows = scope(ctx)?
            .loaders
            .goals_by_strategy
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(slice(
            rows,
            order_by.map(|order| order.sort()),
            Paging::new(first, after, last, before),
            |m| Plain(Goal(m)),
        )?)
    }
    /// Progress rolled up from the strategy's top-level goals, and its history.
    #[graphql(flatten)]
    async fn progress_rollup(&self) -> super::progress::Progress {
        super::progress::Progress {
            kind: service::report::rollup::Kind::Strategy,
            id: self.0.id,
        }
    }
}
