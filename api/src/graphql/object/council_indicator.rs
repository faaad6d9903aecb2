//! A goal indicator in the council report: its target path against the measured values as the
//! report saw them.

use async_graphql::{Context, Object};

use super::{Indicator, indicator::IndicatorSeriesPoint};
use crate::{
    error::Result,
    graphql::{
        context::scope,
        enums::{IndicatorDirection, IndicatorStatus},
        scalar::Date,
    },
};
use service::report::model;

/// The API object of [`model::CouncilReportIndicator`].
#[derive(Clone)]
pub struct CouncilReportIndicator(pub model::CouncilReportIndicator);

/// A goal indicator in the council report, with the chart of its target path against the
/// values measured up to the report's day.
#[Object]
impl CouncilReportIndicator {
    /// The indicator as it is now, for a link; null when the viewer may no longer see it.
    async fn indicator(&self, ctx: &Context<'_>) -> Result<Option<Indicator>> {
        let Some(id) = self.0.indicator_id else {
            return Ok(None);
        };
        Ok(scope(ctx)?
            .loaders
            .indicator
            .load_one(id)
            .await?
            .map(Indicator))
    }
    /// Name of the indicator.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Unit of its values.
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    /// Whether higher or lower values are better.
    async fn direction(&self) -> IndicatorDirection {
        IndicatorDirection::from_higher_is_better(self.0.higher_is_better)
    }
    /// Where the latest value up to the report's day stood against the path; null without a
    /// measured value or without targets.
    async fn status(&self) -> Option<IndicatorStatus> {
        match self.0.status.as_deref()? {
            "ON_TRACK" => Some(IndicatorStatus::OnTrack),
            "BEHIND" => Some(IndicatorStatus::Behind),
            "REACHED" => Some(IndicatorStatus::Reached),
            _ => None,
        }
    }
    /// Targets and actuals side by side (as `Indicator.series`), measured values up to the
    /// report's day.
    async fn series(&self) -> Vec<IndicatorSeriesPoint> {
        self.0
            .series
            .iter()
            .map(|p| IndicatorSeriesPoint {
                date: Date(p.date),
                target: p.target.map(|v| v.normalize()),
                actual: p.actual.map(|v| v.normalize()),
            })
            .collect()
    }
}
