//! Indicators (KPIs) of goals, measures and projects, their target paths and measured values.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{indicator, indicator_target, indicator_value};
use rust_decimal::Decimal;
use service::indicator::{
    Parent,
    path::{Path, Point},
    targets::point,
};

use super::{Goal, Measure, Project, required};
use crate::error::Result;
use crate::graphql::{
    context::scope,
    enums::{IndicatorDirection, IndicatorStatus},
    id,
    scalar::Date,
};

#[derive(Clone)]
pub struct Indicator(pub indicator::Model);

impl Indicator {
    /// The stored target path, in date order.
    async fn target_rows(&self, ctx: &Context<'_>) -> Result<Arc<Vec<indicator_target::Model>>> {
        Ok(scope(ctx)?
            .loaders
            .targets_by_indicator
            .load_one(self.0.id)
            .await?
            .unwrap_or_default())
    }

    /// The measured values, oldest first.
    async fn value_rows(&self, ctx: &Context<'_>) -> Result<Arc<Vec<indicator_value::Model>>> {
        Ok(scope(ctx)?
            .loaders
            .values_by_indicator
            .load_one(self.0.id)
            .await?
            .unwrap_or_default())
    }

    /// The path from the baseline through the targets.
    async fn path(&self, ctx: &Context<'_>) -> Result<Path> {
        let targets = self.target_rows(ctx).await?;
        Ok(Path::new(
            self.0.baseline,
            self.0.baseline_date,
            targets.iter().map(point),
            self.0.higher_is_better,
        ))
    }

    /// The final point of the path; before paths, the target and its date as stored.
    async fn final_target(&self, ctx: &Context<'_>) -> Result<(Option<Decimal>, Option<Date>)> {
        Ok(match self.target_rows(ctx).await?.last() {
            Some(last) => (Some(last.value), Some(Date(last.target_date))),
            None => (self.0.target, self.0.target_date.map(Date)),
        })
    }
}

fn measured(value: &indicator_value::Model) -> Point {
    Point {
        date: value.measured_on,
        value: value.value,
    }
}

/// A key performance indicator (KPI) of a goal, a measure or a project: its target path and
/// its measured values over time.
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
    /// Value at the start: where the target path begins.
    async fn baseline(&self) -> Option<Decimal> {
        self.0.baseline.map(|v| v.normalize())
    }
    /// When the baseline was measured.
    async fn baseline_date(&self) -> Option<Date> {
        self.0.baseline_date.map(Date)
    }
    /// The final value to reach: the last point of `targets`.
    #[graphql(deprecation = "Use `targets`: its last point is the final target.")]
    async fn target(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        Ok(self.final_target(ctx).await?.0.map(|v| v.normalize()))
    }
    /// When the final target should be reached: the date of the last point of `targets`.
    #[graphql(deprecation = "Use `targets`: its last point is the final target.")]
    async fn target_date(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        Ok(self.final_target(ctx).await?.1)
    }
    /// The target path: the value to reach by each date, in date order.
    async fn targets(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorTarget>> {
        Ok(self
            .target_rows(ctx)
            .await?
            .iter()
            .map(|t| IndicatorTarget {
                date: Date(t.target_date),
                value: t.value.normalize(),
            })
            .collect())
    }
    /// Whether larger values are better (the same as `direction`).
    async fn higher_is_better(&self) -> bool {
        self.0.higher_is_better
    }
    /// Whether higher or lower values are better.
    async fn direction(&self) -> IndicatorDirection {
        IndicatorDirection::from_higher_is_better(self.0.higher_is_better)
    }
    /// Where the latest measured value stands against the target path at the date it was
    /// measured: the path runs linearly from the baseline through the targets (flat after the
    /// last); `REACHED` once the final target is met. Null without a measured value or
    /// without targets.
    async fn status(&self, ctx: &Context<'_>) -> Result<Option<IndicatorStatus>> {
        let path = self.path(ctx).await?;
        let latest = self.value_rows(ctx).await?.last().map(measured);
        Ok(path.status(latest).map(Into::into))
    }
    /// Targets and actuals side by side for a chart: one point at the baseline date, at
    /// every target date and at every date with a measured value within `from`..`to` (both
    /// included, either open), oldest first. `target` is the path's value at the date
    /// (interpolated between its points, null before the path begins or without targets);
    /// `actual` the value measured that day, null where none was.
    async fn series(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First date of the series (default: from the beginning).")] from: Option<
            Date,
        >,
        #[graphql(desc = "Last date of the series (default: to the end).")] to: Option<Date>,
    ) -> Result<Vec<IndicatorSeriesPoint>> {
        let path = self.path(ctx).await?;
        let values: Vec<Point> = self.value_rows(ctx).await?.iter().map(measured).collect();
        Ok(path
            .series(&values, from.map(|d| d.0), to.map(|d| d.0))
            .into_iter()
            .map(|p| IndicatorSeriesPoint {
                date: Date(p.date),
                target: p.target.map(|v| v.normalize()),
                actual: p.actual.map(|v| v.normalize()),
            })
            .collect())
    }
    /// When the indicator was archived (visible to central IT only); null while it is live.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The goal this indicator measures; null for a measure's or a project's indicator.
    async fn goal(&self, ctx: &Context<'_>) -> Result<Option<Goal>> {
        let Some(Parent::Goal(id)) = Parent::of(&self.0) else {
            return Ok(None);
        };
        let goal = scope(ctx)?.loaders.goal.load_one(id).await?;
        Ok(Some(Goal(required(goal, "goal")?)))
    }
    /// The measure this indicator measures; null for a goal's or a project's indicator.
    async fn measure(&self, ctx: &Context<'_>) -> Result<Option<Measure>> {
        let Some(Parent::Measure(id)) = Parent::of(&self.0) else {
            return Ok(None);
        };
        let measure = scope(ctx)?.loaders.measure.load_one(id).await?;
        Ok(Some(Measure(required(measure, "measure")?)))
    }
    /// The project this indicator measures; null for a goal's or a measure's indicator.
    async fn project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        let Some(Parent::Project(id)) = Parent::of(&self.0) else {
            return Ok(None);
        };
        let project = scope(ctx)?.loaders.project.load_one(id).await?;
        Ok(Some(Project(required(project, "project")?)))
    }
    /// Measured values, oldest first.
    async fn values(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorValue>> {
        let rows = self.value_rows(ctx).await?;
        Ok(rows.iter().cloned().map(IndicatorValue).collect())
    }
    /// The most recent measured value.
    async fn latest_value(&self, ctx: &Context<'_>) -> Result<Option<IndicatorValue>> {
        let rows = self.value_rows(ctx).await?;
        Ok(rows.last().cloned().map(IndicatorValue))
    }
}

/// A point of an indicator's target path.
#[derive(SimpleObject)]
pub struct IndicatorTarget {
    /// The date by which the value should be reached.
    pub date: Date,
    /// The value to reach, in the indicator's unit.
    pub value: Decimal,
}

/// A point of an indicator's chart series: the target path and the measured value at a date.
#[derive(SimpleObject)]
pub struct IndicatorSeriesPoint {
    /// The date.
    pub date: Date,
    /// The path's value at the date, interpolated between its points; null before the path
    /// begins or when the indicator has no targets.
    pub target: Option<Decimal>,
    /// The value measured that day; null where none was.
    pub actual: Option<Decimal>,
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
