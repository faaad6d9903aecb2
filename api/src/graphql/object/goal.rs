//! Goals and their indicators.

use async_graphql::{Context, ID, Object, Result, Value};

use super::plain::{Columns, Plain, optional, text, tracking_columns};
use chrono::{DateTime, Utc};
use entity::{goal, indicator, indicator_value};
use rust_decimal::Decimal;

use super::{Measure, OrgUnit, Strategy, required};
use crate::graphql::{
    connection::{Conn, slice},
    context::scope,
    enums::{Status, Visibility},
    id,
    scalar::Date,
};

/// A strategic goal of one strategy version. Goals form a tree; measures are derived from them.
pub struct Goal(pub goal::Model);

/// The columns of the type below, answered without a future per field (see `plain.rs`).
impl Columns for Goal {
    fn column(&self, name: &str) -> Option<Value> {
        let m = &self.0;
        Some(match name {
            "id" => Value::String(id::encode("Goal", m.id).0),
            "code" => text(&m.code),
            "title" => text(&m.title),
            "description" => optional(m.description.as_deref(), text),
            "status" => Status::from(m.status).value(),
            "position" => Value::from(m.position),
            _ => return tracking_columns!(name, m),
        })
    }
}

#[Object]
impl Goal {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("Goal", self.0.id)
    }
    /// Short code within the strategy, e.g. "Z2.1".
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Title of the goal.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the goal means.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Life-cycle state.
    async fn status(&self) -> Status {
        self.0.status.into()
    }
    /// Who may read this goal.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }
    /// Sort position among its siblings.
    async fn position(&self) -> i32 {
        self.0.position
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
    #[graphql(complexity = "crate::graphql::connection::page_complexity(first, child_complexity)")]
    async fn measures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Plain<Measure>>> {
        let rows = scope(ctx)?
            .loaders
            .measures_by_goal
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(slice(rows, first, after, |m| Plain(Measure(m)))?)
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
            kind: crate::report::rollup::Kind::Goal,
            id: self.0.id,
        }
    }
}

/// A key performance indicator (KPI) of a goal, with its measured values over time.
pub struct Indicator(pub indicator::Model);

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

/// A measured value of an indicator.
pub struct IndicatorValue(pub indicator_value::Model);

#[Object]
impl IndicatorValue {
    /// Global id.
    pub async fn id(&self) -> ID {
        id::encode("IndicatorValue", self.0.id)
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
