//! Goals and their indicators.

use crate::graphql::input::measure::MeasureOrder;
use async_graphql::{Context, ID, Object};

use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::{goal, indicator, indicator_value};
use rust_decimal::Decimal;

use super::{Measure, OrgUnit, Strategy, columns::work_object, plain::Plain, required};
use crate::graphql::{
    connection::{Conn, Paging, slice},
    context::scope,
    enums::{Status, Visibility},
    id,
    scalar::Date,
};

/// A strategic goal of one strategy version. Goals form a tree; measures are derived from them.
#[derive(Clone, async_graphql::Description)]
pub struct Goal(pub goal::Model);

// The columns first, answered without a future per field (see `plain.rs`), then the other
// fields.
work_object! {
    #[Object(use_type_description)]
    impl Goal {
        columns(m) {
            /// Global id.
            pub id "id": ID = id::encode("Goal", m.id);
            /// Short code within the strategy, e.g. "Z2.1".
            code "code": &str = &m.code;
            /// Title of the goal.
            title "title": &str = &m.title;
            /// What the goal means.
            description "description": Option<&str> = m.description.as_deref();
            /// Life-cycle state.
            status "status": Status = m.status.into();
            /// Who may read this goal.
            visibility "visibility": Visibility = m.visibility.into();
            /// Sort position among its siblings.
            position "position": i32 = m.position;
            /// Weight of the goal in its parent's roll-up when the tenant weighs by
            /// `WEIGHT` (`TenantSettings.rollupWeighting`); 0 counts for nothing. Default 1.
            resolved weight "weight": Decimal = m.weight.normalize();
            shared archived_at;
            shared version;
            shared created_at;
            shared updated_at;
        }

        /// The strategy version the goal belongs to.
        async fn strategy(&self, ctx: &Context<'_>) -> Result<Strategy> {
            let strategy = scope(ctx)?
                .loaders
                .strategy
                .load_one(self.0.strategy_id)
                .await?;
            Ok(Strategy(required(strategy, "strategy")?))
        }
        /// The unit responsible for the goal.
        async fn org_unit(&self, ctx: &Context<'_>) -> Result<OrgUnit> {
            let unit = scope(ctx)?
                .loaders
                .org_unit
                .load_one(self.0.org_unit_id)
                .await?;
            Ok(OrgUnit(required(unit, "org unit")?))
        }
        /// The goal above this one, if any and visible.
        async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Goal>> {
            let Some(id) = self.0.parent_id else {
                return Ok(None);
            };
            Ok(scope(ctx)?.loaders.goal.load_one(id).await?.map(Goal))
        }
        /// Sub-goals of this goal.
        async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Goal>> {
            let rows = scope(ctx)?
                .loaders
                .goals_by_parent
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(Goal).collect())
        }
        /// Measures derived from this goal.
        #[graphql(
            complexity = "crate::graphql::connection::page_complexity(first, last, child_complexity)"
        )]
        async fn measures(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
            #[graphql(desc = "Cursor of the last edge of the previous page.")]
            after: Option<String>,
            #[graphql(desc = "Page size counted from the end, at most 100; instead of `first`.")] last: Option<i32>,
            #[graphql(desc = "Cursor of the first edge of the next page: the page ends before it.")] before: Option<String>,
#[graphql(desc = "Sort order (default: by code).")] order_by: Option<MeasureOrder>,
        ) -> Result<Conn<Plain<Measure>>> {
            let rows = scope(ctx)?
                .loaders
                .measures_by_goal
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(slice(rows, order_by.map(|order| order.sort()), Paging::new(first, after, last, before), |m| Plain(Measure(m)))?)
        }
        /// Key performance indicators of the goal.
        async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<Indicator>> {
            let rows = scope(ctx)?
                .loaders
                .indicators_by_goal
                .load_one(self.0.id)
                .await?
                .unwrap_or_default();
            Ok(rows.iter().cloned().map(Indicator).collect())
        }
        /// Progress rolled up from the goal's measures, and its history.
        #[graphql(flatten)]
        async fn progress_rollup(&self) -> super::progress::Progress {
            super::progress::Progress {
                kind: service::report::rollup::Kind::Goal,
                id: self.0.id,
            }
        }
    }
}

#[derive(Clone)]
pub struct Indicator(pub indicator::Model);

/// A key performance indicator (KPI) of a goal, with its measured values over time.
#[Object]
impl Indicator {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("Indicator", self.0.id)
    }
    /// Name, e.g. "Online verfügbare Verwaltungsleistungen".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// How the indicator is measured.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Unit of the values, e.g. "%" or "Anzahl".
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    /// Value at the start.
    async fn baseline(&self) -> Option<Decimal> {
        self.0.baseline.map(|v| v.normalize())
    }
    /// When the baseline was measured.
    async fn baseline_date(&self) -> Option<Date> {
        self.0.baseline_date.map(Date)
    }
    /// Value to reach.
    async fn target(&self) -> Option<Decimal> {
        self.0.target.map(|v| v.normalize())
    }
    /// When the target should be reached.
    async fn target_date(&self) -> Option<Date> {
        self.0.target_date.map(Date)
    }
    /// Whether larger values are better.
    async fn higher_is_better(&self) -> bool {
        self.0.higher_is_better
    }
    /// When the indicator was archived (visible to central IT only); null while it is live.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The goal this indicator measures.
    async fn goal(&self, ctx: &Context<'_>) -> Result<Goal> {
        let goal = scope(ctx)?.loaders.goal.load_one(self.0.goal_id).await?;
        Ok(Goal(required(goal, "goal")?))
    }
    /// Measured values, oldest first.
    async fn values(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorValue>> {
        let rows = scope(ctx)?
            .loaders
            .values_by_indicator
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rows.iter().cloned().map(IndicatorValue).collect())
    }
    /// The most recent measured value.
    async fn latest_value(&self, ctx: &Context<'_>) -> Result<Option<IndicatorValue>> {
        let rows = scope(ctx)?
            .loaders
            .values_by_indicator
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rows.last().cloned().map(IndicatorValue))
    }
}

/// The indicator `id`, which the policy shows whenever one of its values is visible.
pub(crate) async fn parent_indicator(ctx: &Context<'_>, id: i32) -> Result<Indicator> {
    let row = scope(ctx)?.loaders.indicator.load_one(id).await?;
    Ok(Indicator(required(row, "indicator")?))
}

#[derive(Clone)]
pub struct IndicatorValue(pub indicator_value::Model);

/// A measured value of an indicator.
#[Object]
impl IndicatorValue {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("IndicatorValue", self.0.id)
    }
    /// The indicator the value was measured for.
    async fn indicator(&self, ctx: &Context<'_>) -> Result<Indicator> {
        parent_indicator(ctx, self.0.indicator_id).await
    }
    /// When the value was measured.
    async fn measured_on(&self) -> Date {
        self.0.measured_on.into()
    }
    /// The value, in the indicator's unit.
    async fn value(&self) -> Decimal {
        // PostgreSQL keeps the column's four decimals, SQLite none: print both the same.
        self.0.value.normalize()
    }
    /// Remark on the measurement.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Version for optimistic concurrency: send it back with a correction.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
